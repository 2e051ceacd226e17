"""import / reconcile / timeline through the CLI on an on-disk store: atomic, kept by build, GeoJSON."""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conflictgraph.build import open_for_reading
from conflictgraph.geojson import write_geojson
from conflictgraph.store.disk import StoreLocation

from conftest import count_quads as count, run_cli as run

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    location = tmp_path_factory.mktemp("import") / "store"
    assert run("build", "--store", str(location)).exit_code == 0
    return location


def test_import_needs_an_existing_store(tmp_path):
    missing = run("import", "ucdp", str(FIXTURES / "ucdp" / "ged.csv"), "--store", str(tmp_path / "none"))
    assert missing.exit_code == 1 and "run 'conflictgraph build' first" in missing.output
    memory = run("import", "ucdp", str(FIXTURES / "ucdp" / "ged.csv"), "--store", ":memory:")
    assert memory.exit_code == 1 and "on-disk store" in memory.output
    assert "Traceback" not in missing.output + memory.output


def test_cli_import_summary_and_rejects(store, tmp_path):
    rejects = tmp_path / "rejects.csv"
    result = run("import", "acled", str(FIXTURES / "acled" / "acled.csv"), "--store", str(store),
                 "--rejects", str(rejects))
    assert result.exit_code == 1, result.output  # rows were rejected (the rest is imported)
    assert "acled.csv: 14 rows read = 8 imported + 6 rejected" in result.output
    assert "rejected row 12: inter1: unknown actor type code 'Aliens'" in result.output
    assert rejects.read_text(encoding="utf-8").count("\n") == 7
    again = run("import", "acled", str(FIXTURES / "acled" / "acled-v2.csv"), "--store", str(store))
    assert again.exit_code == 0, again.output
    assert "events: 1 new, 1 updated, 5 unchanged, 1 older than the graph's (kept), 1 missing" in again.output


def test_wrong_file_is_a_clear_error(store):
    before = count(store)
    result = run("import", "acled", str(FIXTURES / "ucdp" / "ged.csv"), "--store", str(store))
    assert result.exit_code == 1 and "looks like a UCDP GED file" in result.output and "Traceback" not in result.output
    assert count(store) == before


def test_failure_midway_leaves_the_store_unchanged(store, tmp_path):
    before = count(store)
    lines = (FIXTURES / "ucdp" / "ged-v2.csv").read_bytes().splitlines(keepends=True)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"".join(lines[:6]) + lines[6].replace(b"Irrawaddy", b"Irrawaddy caf\xe9") + b"".join(lines[7:]))
    result = run("import", "ucdp", str(bad), "--store", str(store))
    assert result.exit_code == 1 and "line 7" in result.output and "not UTF-8" in result.output
    assert count(store) == before
    place = StoreLocation(store)
    assert not [g for g in place.generations.iterdir() if g.is_dir() and not (g / "build.json").exists()]  # copy removed


def test_killed_import_leaves_the_store_unchanged(store, tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from bench_import import generate
    big = tmp_path / "big.csv"
    generate(big, 30_000)
    before = count(store)
    current = StoreLocation(store).current()
    process = subprocess.Popen([sys.executable, "-c", "from conflictgraph.cli import main; main()", "--quiet",
                                "import", "acled", str(big), "--store", str(store)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
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


def test_build_keeps_imported_datasets(store):
    assert run("build", "--store", str(store)).exit_code == 0
    result = run("query", "--store", str(store), "--format", "json",
                 "SELECT (COUNT(*) AS ?n) WHERE { ?e cg:contentHash ?h ; cg:earliest ?d }")
    assert json.loads(result.output)[0]["n"] == 9


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


def test_geojson_has_events_and_places(store):
    out = io.StringIO()
    counts = write_geojson(open_for_reading(store), out)
    data = json.loads(out.getvalue())
    assert data["type"] == "FeatureCollection" and len(data["features"]) == counts["events"] + counts["places"]
    by_id = {f["properties"]["id"]: f for f in data["features"]}
    event = by_id["https://w3id.org/conflictgraph/id/event/acled-MMR1002"]
    assert event["geometry"] == {"type": "Point", "coordinates": [97.2094, 19.6742]}
    assert event["properties"]["located"] == "event" and event["properties"]["fatalities"] == 3
    assert by_id["https://w3id.org/conflictgraph/id/place/loikaw"]["properties"]["kind"] == "place"

