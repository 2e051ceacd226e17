"""The shapes pass the real graphs and catch each kind of mistake, naming the file."""
from __future__ import annotations

import copy
import re

import pytest

from conflictgraph.graphfolder import load_files, load_folders
from conflictgraph.ontology import load_ontology
from conflictgraph.validate import validate_loaded

from conftest import FIXTURES, MINI

BAD = FIXTURES / "bad"
EXPECTED = {
    match.group(1): (match.group(2), int(match.group(3)))
    for match in re.finditer(r"^\| (\S+\.trig) \| `([^`]+)` \| (\d+) \|", (BAD / "EXPECTED.md").read_text(), re.M)
}


@pytest.fixture(scope="module")
def vocab():
    return load_ontology()


@pytest.fixture(scope="module")
def mini_loaded(vocab):
    return load_folders([MINI], vocab)


def test_every_bad_fixture_has_an_expectation():
    assert set(EXPECTED) == {p.name for p in BAD.glob("*.trig")}
    assert len(EXPECTED) >= 20


def test_mini_fixture_conforms(mini_loaded, vocab):
    assert validate_loaded(mini_loaded, vocab) == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_fixture_gives_the_expected_finding(name, mini_loaded, vocab):
    message, count = EXPECTED[name]
    loaded = load_files([BAD / name], vocab, copy.deepcopy(mini_loaded))
    findings = validate_loaded(loaded, vocab)
    assert any(message in f.message for f in findings), [f.render() for f in findings]
    assert len(findings) == count, [f.render() for f in findings]
    assert any(f.file.endswith(name) for f in findings), [f.render() for f in findings]
