"""The build: validates, writes atomically, caches the bundled graph, survives being killed."""
from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from conflictgraph.build.pipeline import build_store, open_for_reading
from conflictgraph.errors import ParseError, ValidationFailed
from conflictgraph.store.generations import StoreLocation

from conftest import MINI


def _count(store) -> int:
    return store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"].value


def test_build_to_disk_then_read_only(tmp_path):
    location = tmp_path / "store"
    store, report = build_store(location, graph_dirs=(MINI,), bundled=False)
    assert report.sources >= 2 and report.inferred > 0
    assert StoreLocation(location).info()["graph_dirs"] == [str(MINI.resolve())]
    reader = open_for_reading(location)
    assert reader.read_only
    graphs = reader.named_graphs()
    assert "https://w3id.org/conflictgraph/graph/inferred" in graphs
    assert "https://w3id.org/conflictgraph/graph/ontology" in graphs
    assert 0 < int(_count(reader)) <= report.asserted + report.inferred


@pytest.mark.slow  # two builds on disk
def test_rebuild_swaps_and_keeps_the_old_generation_for_readers(tmp_path):
    location = tmp_path / "store"
    build_store(location, graph_dirs=(MINI,), bundled=False)
    first = StoreLocation(location).current()
    build_store(location, graph_dirs=(MINI,), bundled=False)
    second = StoreLocation(location).current()
    assert first != second and first.exists()


def test_invalid_graph_leaves_the_store_untouched(tmp_path):
    location = tmp_path / "store"
    build_store(location, graph_dirs=(MINI,), bundled=False)
    before = StoreLocation(location).current()
    broken = tmp_path / "broken"
    (broken / "sources").mkdir(parents=True)
    (broken / "sources.ttl").write_text(
        (MINI / "sources.ttl").read_text().split("\n\n")[0] + "\n")  # prefixes only: no sources
    (broken / "sources" / "stray.trig").write_text("<http://x/g> { <http://x/a> <http://x/b> <http://x/c> . }\n")
    with pytest.raises(ParseError, match="not listed"):
        build_store(location, graph_dirs=(MINI, broken), bundled=False)
    assert StoreLocation(location).current() == before


def test_shape_violation_stops_the_build(tmp_path):
    bad = tmp_path / "bad"
    (bad / "sources").mkdir(parents=True)
    (bad / "sources.ttl").write_text("""
@prefix cg: <https://w3id.org/conflictgraph/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://w3id.org/conflictgraph/id/src/bad> a cg:Source ; dct:title "Bad"@en ; cg:file "sources/bad.trig" .
""")
    (bad / "sources" / "bad.trig").write_text("""
@prefix cg: <https://w3id.org/conflictgraph/ontology#> .
<https://w3id.org/conflictgraph/id/src/bad> {
  <https://w3id.org/conflictgraph/id/actor/x> a cg:ArmedGroup .
}""")
    with pytest.raises(ValidationFailed) as caught:
        build_store(tmp_path / "store", graph_dirs=(bad,), bundled=False)
    assert any(f.file.endswith("bad.trig") for f in caught.value.findings)
    assert StoreLocation(tmp_path / "store").current() is None


@pytest.mark.slow  # four builds in a subprocess, each killed after a while
def test_killed_build_leaves_the_previous_store_usable(tmp_path):
    location = tmp_path / "store"
    build_store(location, graph_dirs=(MINI,), bundled=False)
    expected = int(_count(open_for_reading(location)))
    code = ("import sys; from conflictgraph.build.pipeline import build_store; from pathlib import Path; "
            f"build_store(Path({str(location)!r}), graph_dirs=(Path({str(MINI)!r}),), bundled=False)")
    for delay in (0.3, 0.8, 1.5, 2.2):
        child = subprocess.Popen([sys.executable, "-c", code])
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        reader = open_for_reading(location)
        assert int(_count(reader)) == expected
        del reader


@pytest.mark.slow  # builds the whole bundled graph on disk
def test_a_read_command_builds_the_bundled_graph_once_and_caches_it(tmp_path):
    notes: list[str] = []
    location = tmp_path / "cache" / "store"
    first = open_for_reading(location, notify=notes.append)
    assert any("building the bundled graph once" in n for n in notes)
    generation = StoreLocation(location).current()
    assert StoreLocation(location).info()["auto"] is True
    del first
    notes.clear()
    second = open_for_reading(location, notify=notes.append)
    assert notes == [] and StoreLocation(location).current() == generation
    assert second.query("ASK { ?s a <https://w3id.org/conflictgraph/ontology#Operation> }").boolean
