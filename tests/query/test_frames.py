"""Results as typed DataFrames and escaped HTML tables, for notebooks."""
from __future__ import annotations

import sys

import pandas as pd
import pytest

from conflictgraph.network.spec import NetworkSpec
from conflictgraph.rdf.frames import MissingExtra


def test_a_query_result_frame_has_short_names_and_full_iris(mini):
    frame = mini.run_named("alliance-members", {"alliance": "Northern Freedom Alliance"}).to_pandas()
    assert "member" in frame.columns and "member_iri" in frame.columns
    assert frame["member"].str.startswith("actor:").all()
    assert frame["member_iri"].str.startswith("https://w3id.org/conflictgraph/id/actor/").all()
    assert len(frame) == len(mini.query_named("alliance-members", alliance="Northern Freedom Alliance"))


def test_a_centrality_report_frame_has_numbers_as_numbers(mini):
    report = mini.centrality(NetworkSpec(), measure="all", top=0)
    frame = report.to_pandas()
    assert pd.api.types.is_float_dtype(frame["pagerank"]) and pd.api.types.is_integer_dtype(frame["rank"])
    assert list(frame["rank"]) == list(range(1, len(frame) + 1))
    assert report.to_pandas("Centrality").equals(frame)
    with pytest.raises(KeyError, match="no section"):
        report.to_pandas("Nope")


def test_a_timeline_frame_counts_numbers(bundled):
    frame = bundled.timeline(by="year").to_pandas()
    assert list(frame.columns) == ["period", "events", "fatalities", "curated", "imported", "curated_fatalities",
                                   "imported_fatalities"]
    assert pd.api.types.is_integer_dtype(frame["events"]) and frame["events"].sum() > 0


def test_dates_become_dates(mini):
    result = mini.query('SELECT ("2023-11-07"^^xsd:date AS ?day) (1 AS ?n) WHERE {}')
    frame = result.to_pandas()
    assert pd.api.types.is_datetime64_any_dtype(frame["day"]) and frame["day"].dt.day.iloc[0] == 7


def test_html_tables_escape_every_cell(hostile_store):
    from conflictgraph.api import ConflictGraph
    graph = ConflictGraph(hostile_store)
    html = graph.query("SELECT ?label WHERE { ?a skos:prefLabel ?label }")._repr_html_()
    assert "<img" not in html and "<script" not in html
    assert "&lt;" in html


def test_without_pandas_the_message_says_what_to_install(mini, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingExtra, match=r"conflictgraph\[notebook\]"):
        mini.timeline().to_pandas()


def test_a_network_as_node_and_edge_frames(mini):
    tables = mini.network_tables(NetworkSpec(view="alliance"))
    network = mini.network(NetworkSpec(view="alliance"))
    edges, nodes = tables.to_pandas("Edges"), tables.to_pandas("Nodes")
    assert len(edges) == network.number_of_edges() and len(nodes) == network.number_of_nodes()
    assert pd.api.types.is_integer_dtype(edges["weight"])
    assert set(edges["relation"]) == {k for *_e, k in network.edges(keys=True)}
    assert edges["from_iri"].str.startswith("https://").all()


def test_an_entity_as_frames(mini):
    entity = mini.entity("Highland Defence Force")
    facts = entity.to_pandas("Facts")
    assert entity.meta["label"] == "Highland Defence Force"
    assert len(facts) == len(mini.show("Highland Defence Force")["facts"])
    relationships = entity.to_pandas("Relationships")
    assert len(relationships) == len(mini.show("Highland Defence Force")["relationships"]) > 0


@pytest.mark.slow  # the bundled graph on disk with the fixtures imported through the CLI
def test_reconcile_as_a_frame(imported_on_disk):
    from conflictgraph.api import open_graph

    table = open_graph(imported_on_disk).reconcile()
    frame = table.to_pandas()
    assert len(frame) == len(table.rows) > 0 and pd.api.types.is_integer_dtype(frame["events"])
