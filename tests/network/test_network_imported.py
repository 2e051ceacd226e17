"""Imported events (UCDP GED, ACLED) in the network: evidence per dataset, the dataset as a source,
fatalities, and the network commands (centrality, path, diff); `export --to geojson`; and
ConflictGraph.project."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conflictgraph.api import ConflictGraph
from conflictgraph.build.pipeline import open_for_reading
from conflictgraph.network.projection import project

from conftest import run_cli as run

pytestmark = pytest.mark.slow  # the bundled graph on disk, with imports through the CLI

A = "https://w3id.org/conflictgraph/id/actor/"
EVENT = "https://w3id.org/conflictgraph/id/event/"
SRC = "https://w3id.org/conflictgraph/id/src/"


@pytest.fixture(scope="module")
def store(imported_on_disk) -> str:
    """The bundled graph with the UCDP and ACLED fixture files imported through the CLI."""
    return imported_on_disk


@pytest.fixture(scope="module")
def net(store):
    return project(open_for_reading(store))


def test_imported_events_count_per_dataset_on_the_same_edge(net):
    edge = net.edges[A + "kndf", A + "tatmadaw", "fought"]
    # curated statements and one event of each dataset, on one edge, counted per kind
    assert edge["evidence"]["curated"] >= 1 and edge["evidence"]["acled"] == 1 and edge["evidence"]["ucdp-ged"] == 1
    assert {SRC + "acled", SRC + "ucdp-ged"} <= set(edge["sources"])
    assert {EVENT + "acled-MMR1001", EVENT + "ucdp-500002"} <= set(edge["events"])
    assert not any(s.startswith(EVENT) for s in edge["statements"])  # statements stay statements
    # only imported evidence: the dataset is the source, the events count, fatalities summed
    only = net.edges[A + "mndaa", A + "tatmadaw", "fought"]
    assert only["evidence"] == {"acled": 1, "ucdp-ged": 1}
    assert only["sources"] == [SRC + "acled", SRC + "ucdp-ged"] and only["statements"] == []
    assert only["events"] == [EVENT + "acled-MMR1008", EVENT + "ucdp-500006"] and only["weight"] == 2
    assert isinstance(only["fatalities"], int) and only["fatalities"] > 0
    assert not any("fatalities" in d for _u, _v, k, d in net.edges(keys=True, data=True)
                   if k == "co-member")  # not event-based


def test_fatalities_sum_the_best_estimates(store):
    from conflictgraph.rdf.namespaces import SPARQL_PREFIXES
    reader = open_for_reading(store)
    acled = project(reader, evidence="acled")
    edge = acled.edges[A + "mndaa", A + "tatmadaw", "fought"]
    best = reader.query(SPARQL_PREFIXES + f"SELECT ?b WHERE {{ <{EVENT}acled-MMR1008> cg:fatalitiesBest ?b }}").rows
    assert edge["fatalities"] == int(str(best[0]["b"]))


def test_evidence_filter_keeps_the_datasets_events(store, net):
    reader = open_for_reading(store)
    acled = project(reader, evidence="acled")
    assert acled.number_of_edges() > 0
    assert all(set(d["evidence"]) == {"acled"} and d["sources"] == [SRC + "acled"] and d["events"]
               for _u, _v, d in acled.edges(data=True))
    curated = project(reader, evidence="curated")
    assert not curated.has_edge(A + "mndaa", A + "tatmadaw", "fought")
    assert all("acled" not in d["evidence"] for _u, _v, d in curated.edges(data=True))


def test_imported_events_in_centrality_path_and_diff(store):
    result = run("centrality", "--store", store, "--evidence", "ucdp-ged", "--ties", "hostile", "--top", "0",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["analysis"]["evidence"] == "ucdp-ged" and payload["analysis"]["edges"] > 0
    scored = {r["iri"]: r for r in payload["rows"]}
    assert scored[A + "tatmadaw"]["degree"] > 0 and scored[A + "knpp"]["degree"] > 0

    result = run("path", "--store", store, "MNDAA", "Arakan Army", "--evidence", "acled",
                 "--relations", "fought-alongside", "--format", "json")
    assert result.exit_code == 0, result.output
    [hops] = json.loads(result.stdout)["paths"]
    assert hops[0]["sources"] == [SRC + "acled"] and hops[0]["events"] == [EVENT + "acled-MMR1008"]
    assert hops[0]["edges"][0]["events"] == [EVENT + "acled-MMR1008"]
    table = run("path", "--store", store, "MNDAA", "Arakan Army", "--evidence", "acled",
                "--relations", "fought-alongside")
    assert table.exit_code == 0 and "acled-MMR1008" in table.output

    result = run("diff", "--store", store, "--from", "2023-10-01", "--to", "2023-10-27", "--evidence", "acled",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    appeared = [t for t in json.loads(result.stdout)["ties"] if t["change"] == "appeared"]
    assert appeared and all(t["events"] == [EVENT + "acled-MMR1008"] and t["sources"] == [SRC + "acled"]
                            for t in appeared)


def test_export_geojson(store, tmp_path: Path):
    out = tmp_path / "map.geojson"
    result = run("export", "--store", store, "--to", "geojson", "-o", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    ids = {f["properties"]["id"] for f in data["features"]}
    assert data["type"] == "FeatureCollection" and EVENT + "acled-MMR1002" in ids
    assert "places and" in result.stderr and "events with coordinates" in result.stderr
    stdout = run("export", "--store", store, "--to", "geojson")
    assert stdout.exit_code == 0 and json.loads(stdout.stdout) == data
    refused = run("export", "--store", store, "--to", "geojson", "--as-of", "2023-12-01")
    assert refused.exit_code != 0 and "--as-of" in refused.output and "do not apply" in refused.output


def test_conflictgraph_project_is_project(store):
    graph = ConflictGraph(open_for_reading(store))
    net = graph.project(view="alliance", as_of="2023-12-01")
    assert net.graph["view"] == "alliance" and net.graph["as_of"] == "2023-12-01"
    same = project(graph.store, view="alliance", as_of="2023-12-01")
    assert sorted(net.edges(keys=True)) == sorted(same.edges(keys=True))


def test_a_misspelt_evidence_kind_is_refused_with_the_kinds_there_are(store):
    result = run("centrality", "--evidence", "acleed", "--store", store)
    assert result.exit_code == 2, result.output
    assert "unknown evidence 'acleed' (all, curated, acled, ucdp-ged in this store)" in result.output
    assert run("centrality", "--evidence", "ucdp-ged", "--store", store).exit_code == 0


def test_network_page_names_the_datasets_behind_imported_ties(store, net):
    from conflictgraph.viz import build_page
    from conflictgraph.viz.provenance import data_summary

    reader = open_for_reading(store)
    note = data_summary(reader)
    page = build_page(net, store=reader, data_note=note).payload()
    titles = {s["iri"]: s["title"] for s in page["sources"]}
    assert titles[SRC + "acled"] == "Armed Conflict Location & Event Data (ACLED)"
    assert titles[SRC + "ucdp-ged"].startswith("UCDP Georeferenced Event Dataset")
    assert all(titles.values()), [iri for iri, title in titles.items() if not title]
    # the three reports are the documents; the datasets are named once, as datasets
    assert note.startswith("3 source documents") and note.endswith("imported datasets acled, ucdp-ged")
    events = {e["iri"]: e for e in page["events"]}
    assert events[EVENT + "acled-MMR1001"]["date"] == "2023-11-07"


def test_query_rows_of_imported_events_cite_the_dataset_source(store):
    graph = ConflictGraph(open_for_reading(store))
    rows = {str(r["event"]): r for r in graph.query_named("fighting-in-place", place="Mese")}
    acled = rows[EVENT + "acled-MMR1001"]
    assert (str(acled["source"]), str(acled["sourceTitle"])) == (SRC + "acled", "Armed Conflict Location & Event Data (ACLED)")
    assert str(rows[EVENT + "ucdp-500002"]["source"]) == SRC + "ucdp-ged"
    places = graph.query_named("places-within", region="Myanmar")
    from_datasets = {str(r["source"]) for r in places if "/place/dataset-" in str(r["place"])}
    assert from_datasets and from_datasets <= {SRC + "acled", SRC + "ucdp-ged"}
    curated = {str(r["source"]) for r in places if "/place/dataset-" not in str(r["place"])}
    # curated rows cite the graph their fact is in: the reference files, or a report
    assert "https://w3id.org/conflictgraph/graph/reference" in curated and SRC + "operation-1107-article" in curated
    assert not curated & {SRC + "acled", SRC + "ucdp-ged"}


def test_show_of_a_dataset_names_it_and_lists_its_import_runs(store):
    report = json.loads(run("show", "--store", store, "--format", "json", "src:acled").output)
    assert report["label"] == "Armed Conflict Location & Event Data (ACLED)"
    facts = {f["name"]: f["value"] for f in report["facts"]}
    assert facts["licence"].startswith("https://") and "Journal of Peace Research" in facts["how to cite"]
    [imported] = report["imports"]
    assert (imported["file"], imported["read"], imported["imported"], imported["rejected"], imported["new"]) == \
        ("acled.csv", 14, 11, 3, 11)
    assert imported["hash"].startswith("sha256:") and len(imported["hash"]) == len("sha256:") + 64
    text = run("show", "--store", store, "--format", "markdown", "src:acled").output
    assert "## Imports" in text and f"acled.csv ({imported['hash'][:19]}): 14 rows read = 11 imported + 3 rejected" in text
