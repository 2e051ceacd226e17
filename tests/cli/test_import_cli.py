"""import / reconcile / timeline through the CLI on an on-disk store: atomic, kept by build.

The tests but the first share one copy of the bundled graph on disk, into which they import
in turn (marked slow: the bundled graph on disk, and a rebuild of it)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conflictgraph.store.generations import StoreLocation

from conftest import FIXTURES, ROOT, copy_store, count_quads as count, run_cli as run


@pytest.fixture(scope="module")
def store(bundled_on_disk, tmp_path_factory) -> Path:
    """The bundled graph on disk, as `conflictgraph build` makes it, for these tests to import into."""
    return copy_store(bundled_on_disk, tmp_path_factory.mktemp("import"))


def test_import_needs_an_existing_store(tmp_path):
    missing = run("import", "ucdp", str(FIXTURES / "ucdp" / "ged.csv"), "--store", str(tmp_path / "none"))
    assert missing.exit_code == 1 and "run 'conflictgraph build' first" in missing.output
    memory = run("import", "ucdp", str(FIXTURES / "ucdp" / "ged.csv"), "--store", ":memory:")
    assert memory.exit_code == 1 and "on-disk store" in memory.output
    assert "Traceback" not in missing.output + memory.output


@pytest.mark.slow
def test_cli_import_summary_and_rejects(store, tmp_path):
    rejects = tmp_path / "rejects.csv"
    result = run("import", "acled", str(FIXTURES / "acled" / "acled.csv"), "--store", str(store),
                 "--rejects", str(rejects))
    assert result.exit_code == 1, result.output  # rows were rejected (the rest is imported)
    assert "acled.csv: 14 rows read = 11 imported + 3 rejected; 3 imported with quality notes" in result.output
    assert "rejected row 9: event_date: impossible date: '31 February 2024'" in result.output
    assert rejects.read_text(encoding="utf-8").count("\n") == 4  # the header and three rows
    notes = (tmp_path / "rejects.notes.csv").read_text(encoding="utf-8")
    assert "inter1: unknown actor type code 'Aliens'; a new actor is an armed group" in notes
    again = run("import", "acled", str(FIXTURES / "acled" / "acled-v2.csv"), "--store", str(store),
                "--rejects", str(tmp_path / "v2-rejects.csv"))
    assert again.exit_code == 0, again.output
    assert "events: 1 new, 1 updated, 5 unchanged, 1 older than the graph's (kept), 4 missing" in again.output


@pytest.mark.slow
def test_wrong_file_is_a_clear_error(store, tmp_path):
    before = count(store)
    result = run("import", "acled", str(FIXTURES / "ucdp" / "ged.csv"), "--store", str(store),
                 "--rejects", str(tmp_path / "rejects.csv"))
    assert result.exit_code == 1 and "looks like UCDP GED data" in result.output and "Traceback" not in result.output
    assert count(store) == before


@pytest.mark.slow
def test_failure_midway_leaves_the_store_unchanged(store, tmp_path):
    before = count(store)
    lines = (FIXTURES / "ucdp" / "ged-v2.csv").read_bytes().splitlines(keepends=True)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"".join(lines[:6]) + lines[6].replace(b"Irrawaddy", b"Irrawaddy caf\xe9") + b"".join(lines[7:]))
    result = run("import", "ucdp", str(bad), "--store", str(store), "--rejects", str(tmp_path / "rejects.csv"))
    assert result.exit_code == 1 and "line 7" in result.output and "not UTF-8" in result.output
    assert count(store) == before
    place = StoreLocation(store)
    assert not [g for g in place.generations.iterdir() if g.is_dir() and not (g / "build.json").exists()]  # copy removed


@pytest.mark.slow  # a 30,000-row file, imported in a subprocess that is killed
def test_killed_import_leaves_the_store_unchanged(store, tmp_path):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_import import generate
    big = tmp_path / "big.csv"
    generate(big, 30_000)
    before = count(store)
    current = StoreLocation(store).current()
    process = subprocess.Popen([sys.executable, "-c", "from conflictgraph.cli.main import main; main()", "--quiet",
                                "import", "acled", str(big), "--store", str(store), "--rejects", str(tmp_path / "rejects.csv")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    generations = StoreLocation(store).generations
    deadline = time.time() + 30
    while time.time() < deadline and not [g for g in generations.iterdir() if g.is_dir() and not (g / "build.json").exists()]:
        time.sleep(0.05)  # wait until the copy exists, then give the import a moment to write
    time.sleep(1.0)
    assert process.poll() is None, "the import finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert StoreLocation(store).current() == current
    assert count(store) == before


@pytest.mark.slow  # rebuilds the bundled graph
def test_build_keeps_imported_datasets(store):
    assert run("build", "--store", str(store)).exit_code == 0
    result = run("query", "--store", str(store), "--format", "json",
                 "SELECT (COUNT(*) AS ?n) WHERE { ?e cg:contentHash ?h ; cg:earliest ?d }")
    assert json.loads(result.output)[0]["n"] == 12


@pytest.mark.slow
def test_reconcile_and_timeline_commands(store):
    listed = run("reconcile", "--store", str(store), "--format", "json")
    assert listed.exit_code == 0
    names = {row["name"]: row for row in json.loads(listed.output)}
    assert names["Police Forces of Myanmar (2021-)"]["events"] == 1
    timeline = run("timeline", "--store", str(store), "--actor", "KNDF", "--by", "week", "--format", "json")
    rows = {r["period"]: r for r in json.loads(timeline.output)}
    assert rows["2023-W45"]["imported"] == 1 and rows["2023-W48"]["imported"] == 1
    assert rows["2023-W48"]["fatalities"] == 4
    unknown = run("timeline", "--store", str(store), "--actor", "Nobody Army")
    assert unknown.exit_code == 1 and "no entity" in unknown.output


@pytest.mark.slow
def test_show_traces_an_imported_event_to_its_row(store):
    """An imported event has no statements behind it: show lists its own facts instead, down to
    the dataset's type words, its sources and the export's timestamp."""
    shown = run("show", "event:acled-MMR1001", "--store", str(store), "--format", "json")
    assert shown.exit_code == 0, shown.output
    facts = {}
    for fact in json.loads(shown.output)["facts"]:
        facts.setdefault(fact["name"], []).append(fact["iri"] or fact["value"])
    assert facts["date"] == ["2023-11-07"] and facts["place"] == ["place:mese"]
    assert facts["side A"] == ["actor:kndf"] and facts["side B"] == ["actor:tatmadaw"]
    assert sorted(facts["associated"]) == ["actor:ka", "actor:knplf", "actor:pdf"]
    assert facts["fatalities (best)"] == ["8"]  # the re-export's count
    assert facts["source"] == ["src:acled"] and facts["dataset's sources"] == ["Irrawaddy"]
    assert facts["dataset's type"][0].startswith("node:event-type-acled-armed-clash-")
    assert facts["location"] == ["POINT(97.62 19.05) (ACLED geo_precision 1: the named location)"]
    text = run("show", "event:acled-MMR1001", "--store", str(store))
    assert "side B: Myanmar Armed Forces (actor:tatmadaw)" in text.output
    assert "dataset's type: Armed clash (node:event-type-acled-armed-clash-" in text.output
