"""The shapes pass the real graphs and catch each kind of mistake, naming the file."""
from __future__ import annotations

import copy
import re

import pytest

from conflictgraph.build.folders import load_files, load_folders
from conflictgraph.build.ontology import load_ontology
from conflictgraph.build.validate import validate_loaded

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


# Validating takes 1-2 s a fixture: the fast tier checks a few kinds of mistake, the full run all.
FAST = {"end-before-start.trig", "typo-term.trig"}


@pytest.mark.parametrize("name", [name if name in FAST else pytest.param(name, marks=pytest.mark.slow)
                                  for name in sorted(EXPECTED)])
def test_bad_fixture_gives_the_expected_finding(name, mini_loaded, vocab):
    message, count = EXPECTED[name]
    loaded = load_files([BAD / name], vocab, copy.deepcopy(mini_loaded))
    findings = validate_loaded(loaded, vocab)
    assert any(message in f.message for f in findings), [f.render() for f in findings]
    assert len(findings) == count, [f.render() for f in findings]
    assert any(f.file.endswith(name) for f in findings), [f.render() for f in findings]


# The fixtures whose findings come from the shapes' SPARQL constraints, which validate.py asks
# of the whole graph in Oxigraph instead of leaving them to pySHACL (build/sparql_constraints.py).
SPARQL_FOUND = ["end-before-start.trig", "locatedin-cycle.trig", "typo-class.trig", "typo-skos.trig", "typo-term.trig",
                "typo-value.trig"]


@pytest.mark.parametrize("name", [name if name in FAST else pytest.param(name, marks=pytest.mark.slow)
                                  for name in SPARQL_FOUND])
def test_sparql_constraints_find_what_pyshacl_finds(name, mini_loaded, vocab):
    """pySHACL on the whole shapes graph is the reference: the same nodes, values and messages."""
    import pyshacl
    import rdflib

    from conflictgraph.build.validate import SH, _rdflib_term

    loaded = load_files([BAD / name], vocab, copy.deepcopy(mini_loaded))
    data = rdflib.Dataset()
    for quad in (*vocab.quads, *loaded.quads):
        data.graph(_rdflib_term(quad.graph_name)).add(
            (_rdflib_term(quad.subject), _rdflib_term(quad.predicate), _rdflib_term(quad.object)))
    shapes = rdflib.Graph().parse(str(vocab.shapes_path), format="turtle")
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, advanced=True, inference="none",
                                                allow_warnings=True)
    expected = {(str(report.value(r, rdflib.URIRef(SH + "focusNode"))), str(report.value(r, rdflib.URIRef(SH + "value"))),
                 str(report.value(r, rdflib.URIRef(SH + "resultMessage"))))
                for r in report.subjects(rdflib.RDF.type, rdflib.URIRef(SH + "ValidationResult"))}
    found = {(f.node, f.value, f.message) for f in validate_loaded(loaded, vocab)}
    assert found == expected and expected
