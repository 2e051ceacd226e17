"""Generic table import (conflictgraph.importers.table): the shipped mappings on the fixtures of
tests/fixtures/table, counts equal to pandas, rows rejected with their number and reason, bad
mappings refused, and the imported ties in the network with their dataset's citation."""
from __future__ import annotations

import pandas as pd
import pytest

from conflictgraph.build.pipeline import build_store
from conflictgraph.errors import UsageError
from conflictgraph.importers.dataset import import_events
from conflictgraph.importers.table import inspect_table, load_mapping, table_spec
from conflictgraph.network.projection import project
from conflictgraph.network.reports import dyads_report
from conflictgraph.rdf.namespaces import SPARQL_PREFIXES

from conftest import FIXTURES, MINI

TABLE = FIXTURES / "table"
A = "https://w3id.org/conflictgraph/id/actor/"
COUNTS = ["verbCoop", "matlCoop", "verbConf", "matlConf"]


def _import(store, mapping: str, name: str, **options):
    path = TABLE / name
    return import_events(store, table_spec(load_mapping(mapping), path), path, **options)


@pytest.fixture(scope="module")
def store():
    """The mini graph with the three table fixtures imported through their shipped mappings."""
    store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
    for mapping, name in (("icews-dyad-year", "icews.tsv"), ("cameo-events", "cameo.csv"), ("edge-list", "edges.csv")):
        _import(store, mapping, name)
    return store


def test_a_dyad_year_stays_one_tie_with_its_counts_equal_to_pandas(store):
    frame = pd.read_csv(TABLE / "icews.tsv", sep="\t")
    rows = store.query(SPARQL_PREFIXES + """
        SELECT ?tie ?label ?column ?value WHERE {
          GRAPH <https://w3id.org/conflictgraph/graph/dataset/icews-dyad-year> {
            ?tie a cg:InteractionTally ; skos:prefLabel ?label ; cg:count ?count .
            ?count dct:type ?column ; rdf:value ?value } }""").rows
    assert len({str(r["tie"]) for r in rows}) == len(frame)  # one tie per row, not one event per count
    found: dict[tuple[str, str], dict[str, int]] = {}
    for row in rows:
        i, j = str(row["label"]).rsplit(" (", 1)[0].split(" - ")  # the tie's label names the dataset's actors
        totals = found.setdefault((i, j), dict.fromkeys(COUNTS, 0))
        totals[str(row["column"])] += int(str(row["value"]))
    expected = frame.groupby(["i", "j"])[COUNTS].sum()
    assert found == {pair: {c: int(v) for c, v in values.items()} for pair, values in expected.iterrows()}


def test_the_sign_rule_and_the_network_edge_of_a_dyad(store):
    frame = pd.read_csv(TABLE / "icews.tsv", sep="\t")
    frame["coop"] = frame.verbCoop + frame.matlCoop
    frame["conf"] = frame.verbConf + frame.matlConf
    hdf_rla = frame[frame.i.isin(["HDF", "RLA"]) & frame.j.isin(["HDF", "RLA"])]
    assert (hdf_rla.coop > hdf_rla.conf).all()
    net = project(store)
    edge = net.edges[A + "hdf", A + "rla", "cooperates-with"]
    assert edge["sign"] == 1 and edge["weight"] == len(hdf_rla) == 3  # three dyad-years
    assert edge["interactions"] == int(hdf_rla[COUNTS].to_numpy().sum())
    assert edge["evidence"] == {"icews-dyad-year": 3}
    assert edge["sources"] == ["https://w3id.org/conflictgraph/id/src/icews-dyad-year"]
    assert (edge["start"], edge["end"]) == ("2022-01-01", "2023-12-31")
    # equal counts (5 against 5) make a neutral tie
    sylvania = A + "dataset-sylvania-government"
    assert net.edges[sylvania, A + "nordland-army", "interacted-with"]["sign"] == 0


def test_cameo_events_are_interactions_signed_by_quad_class(store):
    net = project(store)
    assert net.edges[A + "nordland-army", A + "hdf", "acted-against"]["events"] == [
        "https://w3id.org/conflictgraph/id/event/cameo-events-1002"]
    assert net.has_edge(A + "hdf", A + "nordland-army", "acted-against")  # directed: both ways, one event each
    assert net.edges[A + "hdf", A + "rla", "cooperated-with"]["evidence"] == {"cameo-events": 1}
    assert not any(key == "fought" and "cameo-events" in d["evidence"] for *_e, key, d in net.edges(keys=True, data=True))
    kinds = store.query(SPARQL_PREFIXES + """
        SELECT ?words WHERE { <https://w3id.org/conflictgraph/id/event/cameo-events-1005> cg:eventType/skos:prefLabel ?words }""")
    assert [str(r["words"]) for r in kinds.rows] == ["provide aid"]


def test_edge_list_ties_are_dated_by_their_cells(store):
    net = project(store, between=("2023-05-01", "2023-05-31"))
    edge = net.edges[A + "clf", A + "hdf", "cooperates-with"]
    assert (edge["start"], edge["end"], edge["interactions"]) == ("2023-05-01", "2023-05-31", 3)
    assert not project(store, as_of="2023-08-01").has_edge(A + "clf", A + "hdf", "cooperates-with")


def test_dyads_rank_by_interactions_and_cite_the_dataset(store):
    report = dyads_report(project(store), relation="hostile-to", rank_by="interactions")
    first = report.data["dyads"][0]
    assert (first["a_iri"], first["b_iri"], first["interactions"]) == (A + "hdf", A + "nordland-army", 15 + 17)
    assert "interactions" in report.sections[0].columns
    assert first["sources"] == ["https://w3id.org/conflictgraph/id/src/icews-dyad-year"]


def test_the_dataset_source_carries_the_mapping_citation(store):
    rows = store.query(SPARQL_PREFIXES + """
        SELECT ?title ?url WHERE { <https://w3id.org/conflictgraph/id/src/icews-dyad-year> dct:title ?title ;
                                   cg:url ?url }""").rows
    assert [(str(r["title"]), str(r["url"])) for r in rows] == [("ICEWS dyad-year event counts",
                                                               "https://doi.org/10.7910/DVN/28075")]


def test_bad_rows_are_rejected_with_row_number_and_reason(tmp_path):
    store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
    rejects = tmp_path / "bad.rejects.csv"
    report = _import(store, "icews-dyad-year", "icews-bad.tsv", rejects_path=rejects)
    assert (report.rows_read, report.imported, report.rejected) == (7, 1, 6)
    assert report.rejects == [(3, "j: missing actor"), (4, "verbCoop: not a whole number: 'many'"),
                              (5, "year: not a date: '20x2' (expected 2019, 2019-03, 2019-03-07 or 20190307)"),
                              (6, "wrong number of cells: expected 7, found 6"),
                              (7, "duplicate event id 'HDF|RLA|2022' (first in row 2)"),
                              (8, "verbConf: negative number: '-2'")]
    assert rejects.read_text(encoding="utf-8").count("\n") == 7
    assert "ties: 1 new" in "\n".join(report.summary())


def test_unknown_codes_are_kept_with_a_note_and_missing_dates_rejected(tmp_path):
    store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
    report = _import(store, "cameo-events", "cameo.csv", rejects_path=tmp_path / "cameo.rejects.csv")
    assert report.rejects == [(9, "SQLDATE: missing date")]
    assert report.notes == [(8, "QuadClass: unknown value '9'; kept as neutral"),
                            (8, "EventRootCode: unknown code '99', kept as given")]
    again = _import(store, "cameo-events", "cameo.csv")
    assert (again.new, again.unchanged) == (0, 7)  # a repeat import changes nothing


def test_a_changed_row_replaces_its_counts(tmp_path):
    store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
    first = tmp_path / "d.tsv"
    first.write_text("i\tj\tyear\tverbCoop\tmatlCoop\tverbConf\tmatlConf\nHDF\tRLA\t2022\t5\t2\t1\t0\n", encoding="utf-8")
    _import(store, "icews-dyad-year", first)
    first.write_text("i\tj\tyear\tverbCoop\tmatlCoop\tverbConf\tmatlConf\nHDF\tRLA\t2022\t1\t0\t9\t0\n", encoding="utf-8")
    report = _import(store, "icews-dyad-year", first)
    assert report.updated == 1
    values = store.query(SPARQL_PREFIXES + "SELECT ?c ?v WHERE { ?n a cg:Count ; dct:type ?c ; rdf:value ?v }").rows
    assert sorted((str(r["c"]), int(str(r["v"]))) for r in values) == [("matlConf", 0), ("matlCoop", 0),
                                                                       ("verbConf", 9), ("verbCoop", 1)]
    assert project(store).has_edge(A + "hdf", A + "rla", "hostile-to")
    assert not project(store).has_edge(A + "hdf", A + "rla", "cooperates-with")


@pytest.mark.parametrize(("text", "message"), [
    ("[dataset]\nkey = 'x'\ntitle = 'X'\n[columns]\nsource = 'a'\ntarget = 'b'\n[sign]\nfixed = 'cooperation'\n",
     "columns.date: missing"),
    ("[dataset]\nkey = 'x'\n[columns]\nsource = 'a'\ntarget = 'b'\ndate = 'd'\n[sign]\nfixed = 'cooperation'\n",
     "dataset.title: missing"),
    ("[dataset]\nkey = 'x'\ntitle = 'X'\n[columns]\nsource = 'a'\ntarget = 'b'\ndate = 'd'\n[sign]\nfixed = 'friends'\n",
     "sign.fixed: must be one of cooperation, hostility, neutral, not 'friends'"),
    ("[dataset]\nkey = 'x'\ntitle = 'X'\n[columns]\nsource = 'a'\ntarget = 'b'\ndate = 'd'\nwho = 'c'\n",
     "columns.who: unknown key"),
    ("[dataset\nkey = 'x'\n", "not valid TOML"),
])
def test_a_bad_mapping_is_a_usage_error_naming_the_file_and_key(tmp_path, text, message):
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        load_mapping(path)
    assert str(caught.value).startswith(f"{path}: ") and message in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(("name", "fits"), [("icews.tsv", ["icews-dyad-year"]), ("cameo.csv", ["cameo-events"]),
                                            ("edges.csv", ["edge-list"])])
def test_inspect_names_the_mapping_that_fits(name, fits):
    assert inspect_table(TABLE / name).fits == fits
    assert inspect_table(TABLE / name).line().endswith("fits mapping: " + fits[0])


def test_inspect_names_the_closest_mapping_when_none_fits(tmp_path):
    path = tmp_path / "almost.csv"
    path.write_text("source,target,date,weight\n", encoding="utf-8")
    assert "closest: edge-list, missing sign" in inspect_table(path).line()


def test_a_mapping_of_ones_own_actor_lists_periods_and_places(tmp_path):
    mapping = tmp_path / "coalitions.toml"
    mapping.write_text("""
[mapping]
rows = "ties"
actor_class = "ArmedGroup"
[dataset]
key = "coalitions"
title = "Coalitions of my own"
license = "https://creativecommons.org/licenses/by/4.0/"
[columns]
actors = "members"
separator = "+"
date = "from"
end = "to"
precision = "month"
place = ["country", "region"]
label = "note"
[sign]
fixed = "cooperation"
""", encoding="utf-8")
    table = tmp_path / "coalitions.txt"
    table.write_text("members;from;to;country;region;note\n"
                     "HDF + RLA + Stormwatch;2021-03-15;2022-01;Nordland;North State;a pact\n"
                     "HDF;2021-03;2021-05;Nordland;;alone\n"
                     "RLA + CLF;2022-05;2022-02;;;backwards\n", encoding="utf-8")
    store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
    spec = table_spec(load_mapping(mapping), table)
    assert spec.delimiter == ";"  # judged by the header
    report = import_events(store, spec, table)
    assert report.rejects == [(3, "members: needs at least two actors, found 1"),
                              (4, "to 2022-02 is before from 2022-05")]
    net = project(store, as_of="2021-12-31")
    stormwatch = A + "dataset-stormwatch"
    assert {(a, b) for a, b, key in net.edges(keys=True) if key == "cooperates-with"} >= {
        (A + "hdf", A + "rla"), (stormwatch, A + "hdf"), (stormwatch, A + "rla")}  # symmetric: smaller IRI first
    assert net.nodes[stormwatch]["type"] == "ArmedGroup"
    assert net.edges[stormwatch, A + "hdf", "cooperates-with"]["start"] == "2021-03-01"  # 2021-03-15 at month precision
    assert not project(store, as_of="2022-02-01").has_edge(stormwatch, A + "hdf", "cooperates-with")
    place = store.query(SPARQL_PREFIXES + "SELECT ?p WHERE { ?t a cg:InteractionTally ; cg:place ?p }").rows
    assert [str(r["p"]) for r in place] == ["https://w3id.org/conflictgraph/id/place/north-state"]


def test_an_actors_timeline_counts_the_acts_it_did_or_received(store):
    from conflictgraph.query.timeline import timeline_rows
    from conflictgraph.rdf.terms import IRI

    frame = pd.read_csv(TABLE / "cameo.csv", dtype=str)
    mine = frame[(frame["Actor1Name"] == "HDF") | (frame["Actor2Name"] == "HDF")]
    rows = timeline_rows(store, actor=IRI(A + "hdf"), by="month")
    acts = {r["period"]: r["imported"] for r in rows}
    expected = mine.groupby(mine["SQLDATE"].str[:4] + "-" + mine["SQLDATE"].str[4:6]).size()
    assert acts == {month: count for month, count in expected.items()} and len(mine) > 0
