"""Places and actors joined across datasets: `reconcile --places` proposes, one owl:sameAs line
confirms, and `build` makes the two nodes one in every query and network.

The fixtures: a made-up conflict in UCDP's shape (``ucdp/westland.csv``: "Alder province",
"Alder district", "Port Alder town") and in ACLED's (``acled/westland.csv``: "Alder", "Alder",
"Port Alder", and "Birch", a district UCDP does not have), with the group UCDP calls "Northern
Liberation Front" and ACLED "NLF: Northern Liberation Front".
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from conflictgraph.build.matches import DATASET_PLACES, MatchRefused, canonical_nodes
from conflictgraph.rdf.namespaces import ID
from conftest import FIXTURES, copy_store, run_cli

UCDP, ACLED = FIXTURES / "ucdp" / "westland.csv", FIXTURES / "acled" / "westland.csv"
SOURCES = """@prefix cg:  <https://w3id.org/conflictgraph/ontology#> .
@prefix src: <https://w3id.org/conflictgraph/id/src/> .
@prefix dct: <http://purl.org/dc/terms/> .
src:westland-matches a cg:Source, cg:ReferenceSource ;
    dct:title "Nodes two datasets name differently"@en ;
    cg:sourceKind "reference" ;
    cg:file "reference/matches.ttl" ;
    cg:referenceStatus "reference" ;
    cg:basis "Proposed by conflictgraph reconcile, checked by hand."@en .
"""
PREFIXES = """@prefix actor: <https://w3id.org/conflictgraph/id/actor/> .
@prefix place: <https://w3id.org/conflictgraph/id/place/> .
@prefix owl:   <http://www.w3.org/2002/07/owl#> .
"""


def _json(*args: str):
    result = run_cli(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _matches_folder(where: Path, lines: list[str]) -> Path:
    folder = where / "matches"
    (folder / "reference").mkdir(parents=True)
    (folder / "sources.ttl").write_text(SOURCES, encoding="utf-8")
    (folder / "reference" / "matches.ttl").write_text(PREFIXES + "\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def two_datasets(tmp_path_factory) -> str:
    """No curated graph; the UCDP and ACLED fixtures of one made-up conflict imported."""
    folder = tmp_path_factory.mktemp("two-datasets")
    store = str(folder / "store")
    assert run_cli("build", "--no-bundled", "--store", store).exit_code == 0
    for dataset, path in (("ucdp", UCDP), ("acled", ACLED)):
        result = run_cli("import", dataset, str(path), "--store", store, "--rejects", str(folder / f"{dataset}.csv"))
        assert result.exit_code == 0, result.output
    return store


def _districts(store: str) -> list[dict]:
    return _json("query", "SELECT ?place ?name WHERE { ?place a cg:District ; skos:prefLabel ?name }",
                 "--store", store)


def test_reconcile_proposes_the_places_two_datasets_share(two_datasets):
    proposals = {(row["name"], row["same_as_name"]): row for row in
                 _json("reconcile", "--places", "--store", two_datasets)}
    assert set(proposals) == {("Alder", "Alder province"), ("Alder", "Alder district"),
                              ("Port Alder", "Port Alder town")}
    district = proposals[("Alder", "Alder district")]
    assert (district["dataset"], district["same_as_dataset"]) == ("acled", "ucdp-ged")
    assert "both a district or township" in district["evidence"]
    assert "parents proposed as one (Alder = Alder province)" in district["evidence"]
    town = proposals[("Port Alder", "Port Alder town")]
    assert "3.1 km apart" in town["evidence"]  # 10.52,-20.27 and 10.5,-20.25
    # the node with more events stays; the line names both
    assert town["line"] == f"place:{town['place'].rsplit('/', 1)[1]} owl:sameAs place:{town['same_as'].rsplit('/', 1)[1]} ."
    # Birch is in ACLED only, and Alder Bridge has no namesake: nothing proposed for either
    assert not any("Birch" in name or "Bridge" in name for pair in proposals for name in pair)


def test_one_line_each_merges_the_nodes_everywhere(two_datasets, tmp_path):
    store = str(copy_store(two_datasets, tmp_path))
    places = _json("reconcile", "--places", "--store", store)
    actors = [row for row in _json("reconcile", "--store", store) if row["name"] == "NLF: Northern Liberation Front"]
    assert actors and "same name without 'NLF:'" in actors[0]["likely"][0]
    lines = [row["line"] for row in places] + [actors[0]["line"]]
    assert len(_districts(store)) == 3  # Alder district (UCDP), Alder and Birch (ACLED)

    built = run_cli("build", "--no-bundled", "--graph", str(_matches_folder(tmp_path, lines)), "--store", store)
    assert built.exit_code == 0, built.output

    districts = {row["name"] for row in _districts(store)}
    assert districts == {"Alder district", "Birch"}
    assert _json("reconcile", "--places", "--store", store) == []
    # ACLED's own name stays visible, and finds the merged node
    shown = _json("show", "Alder district", "--store", store)
    assert "Alder (in acled)" in shown["aliases"]
    # events in the district: what pandas counts in the two files
    ucdp, acled = pd.read_csv(UCDP), pd.read_csv(ACLED)
    expected = int((ucdp["adm_2"] == "Alder district").sum() + (acled["admin2"] == "Alder").sum())
    timeline = _json("timeline", "--place", "Alder district", "--by", "year", "--store", store)
    assert sum(row["events"] for row in timeline) == expected == 46
    # one actor in the network, with the events of both datasets
    nodes = [row["actor"] for row in _json("centrality", "--ties", "all", "--store", store)["rows"]]
    assert "Northern Liberation Front" in nodes and "NLF: Northern Liberation Front" not in nodes
    nlf = int(((ucdp["side_a"] == "Northern Liberation Front") | (ucdp["side_b"] == "Northern Liberation Front")).sum()
              + acled[["actor1", "actor2"]].eq("NLF: Northern Liberation Front").any(axis=1).sum())
    events = _json("query", "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e cg:sideA|cg:sideB ?a . "
                            "?a skos:prefLabel \"Northern Liberation Front\"@en }", "--store", store)
    assert events[0]["n"] == nlf

    # a later import of the ACLED file (one row changed) uses the merged nodes straight away
    changed = tmp_path / "acled.csv"
    changed.write_text(ACLED.read_text(encoding="utf-8").replace("fixture.,4,", "fixture.,9,", 1), encoding="utf-8")
    result = run_cli("import", "acled", str(changed), "--store", store, "--rejects", str(tmp_path / "rejects.csv"))
    assert result.exit_code == 0, result.output
    assert {row["name"] for row in _districts(store)} == {"Alder district", "Birch"}
    assert _json("reconcile", "--places", "--store", store) == []


def test_the_node_that_stays():
    a, b, c = (DATASET_PLACES + x for x in "abc")
    curated = ID + "place/alder"
    assert canonical_nodes([(a, b)]) == {a: b}  # the right-hand node
    assert canonical_nodes([(b, a)]) == {b: a}
    assert canonical_nodes([(a, b), (b, c)]) == {a: c, b: c}  # a chain ends where it ends
    assert canonical_nodes([(curated, a), (b, a)]) == {a: curated, b: curated}  # a curated node always stays
    with pytest.raises(MatchRefused, match="merge those in the graph folder"):
        canonical_nodes([(curated, a), (a, ID + "place/birch")])
    for contradicting in ([(a, b), (b, a)], [(a, b), (a, c)]):  # no one node on the right
        with pytest.raises(MatchRefused, match="do not name one node that stays"):
            canonical_nodes(contradicting)


@pytest.mark.parametrize("line, reason", [
    ("place:dataset-alder-7483fe owl:sameAs place:dataset-alder-distrct-e1d66b .", "no such actor or place"),
    ("actor:dataset-northern-liberation-front owl:sameAs place:dataset-alder-district-e1d66b .",
     "one is an actor and the other a place"),
    ("place:dataset-alder-7483fe owl:sameAs place:dataset-alder-district-e1d66b .\n"
     "place:dataset-alder-district-e1d66b owl:sameAs place:dataset-alder-7483fe .", "do not name one node"),
])
def test_a_line_that_cannot_be_meant_is_refused_and_changes_nothing(two_datasets, tmp_path, line, reason):
    store = str(copy_store(two_datasets, tmp_path))
    before = _districts(store)
    built = run_cli("build", "--no-bundled", "--graph", str(_matches_folder(tmp_path, [line])), "--store", store)
    assert built.exit_code == 1 and reason in built.output and "Traceback" not in built.output
    assert _districts(store) == before


def test_a_first_build_checks_the_lines_too(tmp_path):
    """Nothing to merge yet, but a refused group is refused now, not at the next import; lines
    between datasets not imported yet are kept for later."""
    a, b = "place:dataset-a-000001", "place:dataset-b-000002"
    folder = _matches_folder(tmp_path, [f"{a} owl:sameAs {b} .", f"{b} owl:sameAs {a} ."])
    built = run_cli("build", "--no-bundled", "--graph", str(folder), "--store", str(tmp_path / "s"))
    assert built.exit_code == 1 and "do not name one node that stays" in built.output
    later = _matches_folder(tmp_path / "later", [f"{a} owl:sameAs {b} ."])
    built = run_cli("build", "--no-bundled", "--graph", str(later), "--store", str(tmp_path / "s"))
    assert built.exit_code == 0, built.output


@pytest.mark.slow  # a real `oxigraph serve`
def test_a_remote_build_merges_as_the_embedded_one(two_datasets, tmp_path):
    from oxigraph_server import running_oxigraph

    lines = [row["line"] for row in _json("reconcile", "--places", "--store", two_datasets)]
    folder = _matches_folder(tmp_path, lines)
    with running_oxigraph(tmp_path / "server") as url:
        remote = ["--endpoint", url + "/query"]
        assert run_cli("build", "--no-bundled", *remote).exit_code == 0
        for dataset, path in (("ucdp", UCDP), ("acled", ACLED)):
            result = run_cli("import", dataset, str(path), *remote, "--rejects", str(tmp_path / f"{dataset}.csv"))
            assert result.exit_code == 0, result.output
        assert len(_districts_at(remote)) == 3
        built = run_cli("build", "--no-bundled", "--graph", str(folder), *remote)
        assert built.exit_code == 0, built.output
        assert {row["name"] for row in _districts_at(remote)} == {"Alder district", "Birch"}
        assert _json("reconcile", "--places", *remote) == []


def _districts_at(where: list[str]) -> list[dict]:
    return _json("query", "SELECT ?place ?name WHERE { ?place a cg:District ; skos:prefLabel ?name }", *where)
