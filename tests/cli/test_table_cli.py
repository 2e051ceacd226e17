"""`import table`, `import inspect` and the network commands on table-imported datasets, through
the CLI on a copy of the mini graph on disk."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES, copy_store, count_quads, run_cli as run

TABLE = FIXTURES / "table"


@pytest.fixture(scope="module")
def store(mini_on_disk, tmp_path_factory) -> str:
    """The mini graph on disk with the ICEWS-style and edge-list fixtures imported."""
    folder = tmp_path_factory.mktemp("table-cli")
    location = str(copy_store(mini_on_disk, folder))
    for mapping, name in (("icews-dyad-year", "icews.tsv"), ("edge-list", "edges.csv")):
        result = run("import", "table", str(TABLE / name), "--mapping", mapping, "--store", location,
                     "--rejects", str(folder / f"{mapping}.rejects.csv"))
        assert result.exit_code == 0, result.output
        assert "ties: " in result.stdout and "0 rejected" in result.stdout
    return location


def test_inspect_names_the_fitting_mapping_in_one_line():
    result = run("import", "inspect", str(TABLE / "icews.tsv"))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().count("\n") == 0
    assert result.stdout.strip().endswith("tab-separated; fits mapping: icews-dyad-year")


def test_a_bad_mapping_is_a_one_line_usage_error_and_changes_nothing(store, tmp_path):
    mapping = tmp_path / "broken.toml"
    mapping.write_text("[dataset]\nkey = 'mine'\ntitle = 'Mine'\n[columns]\nsource = 'source'\ntarget = 'target'\n"
                       "date = 'date'\n[sign]\ncolumn = 'sign'\n", encoding="utf-8")
    before = count_quads(store)
    result = run("import", "table", str(TABLE / "edges.csv"), "--mapping", str(mapping), "--store", store)
    assert result.exit_code == 2
    assert result.output == f"error: {mapping}: sign.values: missing: a table of the column's values and the sign " \
                            "each means\n"
    assert count_quads(store) == before
    missing = run("import", "table", str(TABLE / "edges.csv"), "--store", store)
    assert missing.exit_code == 2 and "needs --mapping" in missing.output


def test_rejected_rows_exit_1_with_row_and_reason(store, tmp_path):
    rejects = tmp_path / "bad.rejects.csv"
    result = run("import", "table", str(TABLE / "icews-bad.tsv"), "--mapping", "icews-dyad-year", "--store",
                 str(copy_store(store, tmp_path)), "--rejects", str(rejects))
    assert result.exit_code == 1
    assert "rejected row 4: verbCoop: not a whole number: 'many'" in result.stdout
    assert rejects.is_file()


def test_centrality_counts_the_imported_ties(store):
    result = run("centrality", "--store", store, "--format", "json", "--evidence", "icews-dyad-year")
    assert result.exit_code == 0, result.output
    ranked = {row["actor"]: row for row in json.loads(result.stdout)["rows"]}
    # cooperative icews ties: HDF-RLA (three dyad-years), Eastmarch Rebels-RLA
    assert ranked["River Liberation Army"]["degree"] > ranked["Highland Defence Force"]["degree"] > 0
    assert ranked["Eastmarch Rebels"]["weighted-degree"] == 1


def test_path_through_imported_ties_names_their_source(store):
    result = run("path", "Eastmarch Rebels", "CLF", "--store", store, "--format", "json")
    assert result.exit_code == 0, result.output
    hops = json.loads(result.stdout)["paths"][0]
    assert [hop["to_label"] for hop in hops] == ["Highland Defence Force", "Coastal Liberation Front"]
    assert "https://w3id.org/conflictgraph/id/src/edge-list" in hops[0]["sources"]
    assert "cooperates-with" in hops[1]["relations"]  # HDF-CLF: the edge list's +1 tie of 2023-05


def test_dyads_of_aggregated_ties_show_their_counts_and_dataset(store):
    result = run("dyads", "--relation", "hostile-to", "--rank-by", "interactions", "--store", store, "--format", "json")
    assert result.exit_code == 0, result.output
    first = json.loads(result.stdout)["dyads"][0]
    assert (first["a"], first["b"], first["interactions"]) == ("Highland Defence Force", "Nordland Armed Forces", 32)
    assert "icews-dyad-year" in str(first["evidence"])


def test_show_the_dataset_source_gives_its_citation(store):
    result = run("show", "src:icews-dyad-year", "--store", store)
    assert result.exit_code == 0, result.output
    assert "ICEWS dyad-year event counts" in result.stdout and "https://doi.org/10.7910/DVN/28075" in result.stdout


def test_the_shipped_mappings_are_package_data():
    from conflictgraph.importers.table import shipped_mappings
    folder = {Path(p).parent for p in shipped_mappings().values()}
    assert len(folder) == 1 and folder.pop().name == "mappings"


def test_the_network_page_lists_the_dataset_with_its_title(store, tmp_path):
    page = tmp_path / "page.html"
    result = run("viz", "--store", store, "-o", str(page))
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert '"iri":"https://w3id.org/conflictgraph/id/src/icews-dyad-year","title":"ICEWS dyad-year event counts"' in html
    assert '"weight":3,"start":"2022-01-01","end":"2023-12-31"' in html  # HDF-RLA: three dyad-years
    assert '"evidence":{"icews-dyad-year":3}' in html


def test_show_a_tally_and_an_actor_of_a_table_import(store):
    tie = run("show", "tie:icews-dyad-year-hdf-rla-2022-9ec459ba", "--store", store)
    assert tie.exit_code == 0, tie.output
    for line in ("type: cg:Cooperation, cg:InteractionTally", "initiator: Highland Defence Force (actor:hdf)",
                 "recipient: River Liberation Army (actor:rla)", "event count: 8", "start: 2022"):
        assert line in tie.stdout
    actor = run("show", "Eastmarch Rebels", "--store", store)
    assert actor.exit_code == 0, actor.output
    # a tally of two types (Cooperation, InteractionTally) in two roles (initiator, party): the first of each
    assert "Cooperation (as initiator)" in actor.stdout and "contentHash" not in actor.stdout


def test_two_files_through_one_mapping_stay_two_datasets(mini_on_disk, tmp_path):
    """`--dataset KEY` names the dataset: a second edge list does not replace the first."""
    location = str(copy_store(mini_on_disk, tmp_path))
    second = tmp_path / "more-edges.csv"
    second.write_text("source,target,date,sign,weight\nHDF,Nordland Armed Forces,2024,-1,2\n", encoding="utf-8")
    for key, path in (("alliances-a", TABLE / "edges.csv"), ("alliances-b", second)):
        result = run("import", "table", str(path), "--mapping", "edge-list", "--dataset", key, "--store", location,
                     "--rejects", str(tmp_path / f"{key}.rejects.csv"))
        assert result.exit_code == 0, result.output
        assert "0 missing" in result.stdout  # the first file's ties are not the second's
    graphs = json.loads(run("query", "--store", location, "--format", "json",
                            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").stdout)
    names = {row["g"] for row in graphs}
    assert {"https://w3id.org/conflictgraph/graph/dataset/alliances-a",
            "https://w3id.org/conflictgraph/graph/dataset/alliances-b"} <= names
    title = json.loads(run("show", "--store", location, "--format", "json", "src:alliances-b").stdout)["label"]
    assert title.endswith("(alliances-b)")
    refused = run("import", "ucdp", str(FIXTURES / "ucdp" / "ged.csv"), "--dataset", "x", "--store", location)
    assert refused.exit_code == 2 and "--dataset is for" in refused.output
    bad = run("import", "table", str(second), "--mapping", "edge-list", "--dataset", "Bad Key", "--store", location)
    assert bad.exit_code == 2 and "lowercase" in bad.output
