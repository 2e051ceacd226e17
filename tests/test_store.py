"""One test suite for every store backend behind the Store interface."""
from __future__ import annotations

import pytest

from conflictgraph.store import open_store
from conflictgraph.store.base import Store
from conflictgraph.terms import IRI, Literal, XSD

EX = "http://example.org/"


def _memory(tmp_path):
    return open_store(":memory:")


def _disk(tmp_path):
    return open_store(tmp_path / "db")


BACKENDS = {"oxigraph-memory": _memory, "oxigraph-disk": _disk}


@pytest.fixture(params=sorted(BACKENDS))
def store(request, tmp_path) -> Store:
    backend = BACKENDS[request.param](tmp_path)
    backend.add_quads([
        (IRI(EX + "a"), IRI(EX + "name"), Literal("Alpha", lang="en"), EX + "g1"),
        (IRI(EX + "b"), IRI(EX + "name"), Literal("Beta", lang="en"), EX + "g2"),
        (IRI(EX + "a"), IRI(EX + "knows"), IRI(EX + "b"), EX + "g1"),
        (IRI(EX + "a"), IRI(EX + "age"), Literal("42", datatype=XSD + "integer"), EX + "g2"),
    ])
    yield backend
    backend.close()


def test_default_graph_is_the_union(store):
    result = store.query("SELECT ?s ?n WHERE { ?s <http://example.org/name> ?n } ORDER BY ?n")
    assert [str(r["n"]) for r in result] == ["Alpha", "Beta"]


def test_bindings_are_applied_by_the_engine(store):
    text = "SELECT ?n WHERE { ?s <http://example.org/name> ?n }"
    rows = store.query(text, bindings={"s": IRI(EX + "b")}).rows
    assert [str(r["n"]) for r in rows] == ["Beta"]


def test_binding_a_variable_that_is_not_projected(store):
    text = "SELECT ?n WHERE { ?s <http://example.org/knows> ?o . ?o <http://example.org/name> ?n }"
    assert [str(r["n"]) for r in store.query(text, bindings={"s": IRI(EX + "a")}).rows] == ["Beta"]
    assert store.query(text, bindings={"s": IRI(EX + "b")}).rows == []


def test_a_hostile_literal_binding_stays_a_literal(store):
    hostile = Literal('x" } ; DROP ALL ; SELECT * WHERE { "')
    rows = store.query("SELECT ?s WHERE { ?s <http://example.org/name> ?n }", bindings={"n": hostile}).rows
    assert rows == []
    assert len(store.query("SELECT * WHERE { ?s ?p ?o }")) == 4


def test_ask_construct_and_literals(store):
    assert store.query("ASK { ?s <http://example.org/knows> ?o }").boolean is True
    triples = store.query("CONSTRUCT { ?o <http://example.org/knownBy> ?s } WHERE { ?s <http://example.org/knows> ?o }").triples
    assert triples == [(IRI(EX + "b"), IRI(EX + "knownBy"), IRI(EX + "a"))]
    age = store.query("SELECT ?v WHERE { ?s <http://example.org/age> ?v }").rows[0]["v"]
    assert age == Literal("42", datatype=XSD + "integer")


def test_named_graphs_and_clearing(store):
    assert store.named_graphs() == [EX + "g1", EX + "g2"]
    store.clear_graph(EX + "g1")
    assert store.named_graphs() == [EX + "g2"]
    assert {q[3] for q in store.quads()} == {EX + "g2"}
