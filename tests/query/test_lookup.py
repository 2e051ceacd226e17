"""Reading properties of listed nodes (conflictgraph.query.lookup): by lookups a few thousand
nodes at a time, or from many nodes on by reading each property once, blank nodes included;
both give the rows the store holds."""
from __future__ import annotations

import pytest

from conflictgraph.build.pipeline import build_store
from conflictgraph.importers.dataset import import_events
from conflictgraph.query import lookup
from conflictgraph.query.lookup import property_values
from conflictgraph.rdf.namespaces import CG, GRAPHS, SPARQL_PREFIXES
from conflictgraph.rdf.terms import IRI, XSD, BNode, Literal

from conftest import FIXTURES, MINI

PROPERTIES = {"date": "cg:date", "best": "cg:fatalitiesBest", "place": "cg:place/skos:prefLabel"}


@pytest.fixture(scope="module")
def store():
    store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
    import_events(store, "acled", FIXTURES / "acled" / "acled.csv")
    blank, graph = BNode("reported"), IRI(GRAPHS + "review")
    store.add_quads([(blank, IRI(CG.date), Literal("2031-06-02", XSD + "date"), graph),
                     (BNode("other"), IRI(CG.date), Literal("2031-06-03", XSD + "date"), graph)])
    return store


def _expected(store, nodes) -> list[tuple[str, str, str]]:
    """What a plain query of each property says of the nodes."""
    found = []
    for name, path in PROPERTIES.items():
        for row in store.query(SPARQL_PREFIXES + f"SELECT ?node ?value WHERE {{ ?node {path} ?value }}").rows:
            if str(row["node"]) in {str(node) for node in nodes}:
                found.append((str(row["node"]), name, row["value"].value if isinstance(row["value"], Literal)
                              else str(row["value"])))
    return sorted(found)


@pytest.mark.parametrize(("listed", "scanned"), [(2_000, 50_000), (3, 50_000), (2_000, 1)],
                         ids=["one query", "several queries", "each property once"])
def test_the_rows_are_the_store_s(store, monkeypatch, listed, scanned):
    monkeypatch.setattr(lookup, "LISTED", listed)
    monkeypatch.setattr(lookup, "SCANNED", scanned)
    events = [row["e"] for row in store.query(SPARQL_PREFIXES + "SELECT ?e WHERE { ?e a cg:Battle }").rows]
    nodes = {*events[:7], BNode("reported"), IRI("https://example.org/nothing"), Literal("not a node")}
    found = sorted(property_values(store, nodes, PROPERTIES))
    assert found == _expected(store, nodes)
    assert ("reported", "date", "2031-06-02") in found and not any(node == "other" for node, *_ in found)
    assert {name for _node, name, _value in found} == set(PROPERTIES) and len({n for n, *_ in found}) == 8


def test_the_terms_are_the_values_with_their_kind(store, monkeypatch):
    monkeypatch.setattr(lookup, "LISTED", 3)
    events = [row["e"] for row in store.query(SPARQL_PREFIXES + "SELECT ?e WHERE { ?e a cg:Battle }").rows]
    nodes = {*events[:7], BNode("reported")}
    sides = {"side": "cg:sideA|cg:sideB", **PROPERTIES}
    terms = sorted((node, name, str(value)) for node, name, value in lookup.property_terms(store, nodes, sides))
    assert terms == sorted(property_values(store, nodes, sides)) and any(name == "side" for _n, name, _v in terms)
    kinds = {name: {type(value) for _n, n, value in lookup.property_terms(store, nodes, sides) if n == name}
             for name in sides}
    assert kinds["side"] == {IRI} and kinds["date"] == {Literal}
