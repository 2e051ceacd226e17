"""One test suite for every store backend behind the Store interface."""
from __future__ import annotations

import pytest

from conflictgraph.store import open_store
from conflictgraph.store.base import Dataset, Store
from conflictgraph.store.remote import Endpoint, RemoteStore
from conflictgraph.rdf.terms import IRI, Literal, XSD
from oxigraph_server import running_oxigraph

EX = "http://example.org/"


def _memory(tmp_path, request):
    return open_store()


def _disk(tmp_path, request):
    return open_store(tmp_path / "db")


def _remote(tmp_path, request):
    """A real `oxigraph serve` (one per module), emptied for each test (marked slow)."""
    store = RemoteStore(Endpoint.from_urls(request.getfixturevalue("oxigraph_server") + "/query"), timeout=30)
    store.update("DROP ALL")
    return store


def _virtuoso(tmp_path, request):
    """Debian's Virtuoso (one per session), reading at /sparql and writing at /sparql-auth with
    HTTP Digest; emptied for each test of every graph but its own working graph (marked slow)."""
    server = request.getfixturevalue("virtuoso")
    store = RemoteStore(Endpoint.from_urls(server.query, server.update, user=server.user, password=server.password),
                        timeout=30)
    graphs = store.named_graphs() + store.staging_graphs()
    if graphs:
        store.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))
    return store


BACKENDS = {"oxigraph-memory": _memory, "oxigraph-disk": _disk, "remote-oxigraph-server": _remote,
            "remote-virtuoso": _virtuoso}


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """`oxigraph serve` on a free loopback port, its default graph NOT the union (the store copes)."""
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph-server")) as url:
        yield url


@pytest.fixture(params=[pytest.param(name, marks=pytest.mark.slow) if name.startswith("remote") else name
                        for name in sorted(BACKENDS)])
def store(request, tmp_path) -> Store:
    backend = BACKENDS[request.param](tmp_path, request)
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


NAMES = "SELECT ?n {} WHERE {{ ?s <http://example.org/name> ?n }} ORDER BY ?n"
NAMES_BY_GRAPH = "SELECT ?g ?n {} WHERE {{ GRAPH ?g {{ ?s <http://example.org/name> ?n }} }} ORDER BY ?n"


def _names(result) -> list[str]:
    return [str(r["n"]) for r in result]


def test_from_names_the_default_graph(store):
    """FROM and FROM NAMED are the query's dataset; a graph that does not exist holds nothing."""
    assert _names(store.query(NAMES.format("FROM <http://example.org/g2>"))) == ["Beta"]
    assert _names(store.query(NAMES.format("FROM <http://example.org/none>"))) == []
    assert _names(store.query(NAMES.format("FROM <http://example.org/g1> FROM <http://example.org/g2>"))) == [
        "Alpha", "Beta"]
    # FROM NAMED alone: GRAPH sees that graph, the default graph is empty
    assert _names(store.query(NAMES_BY_GRAPH.format("FROM NAMED <http://example.org/g1>"))) == ["Alpha"]
    assert _names(store.query(NAMES.format("FROM NAMED <http://example.org/g1>"))) == []


def test_a_given_dataset_overrides_from(store):
    """The Protocol's default-graph-uri / named-graph-uri, with bindings applied as ever."""
    only_g1 = Dataset(default=(EX + "g1",))
    assert _names(store.query(NAMES.format(""), dataset=only_g1)) == ["Alpha"]
    assert _names(store.query(NAMES.format("FROM <http://example.org/g2>"), dataset=only_g1)) == ["Alpha"]
    assert _names(store.query(NAMES.format(""), dataset=only_g1, bindings={"s": IRI(EX + "b")})) == []
    named_g2 = Dataset(named=(EX + "g2",))
    assert _names(store.query(NAMES_BY_GRAPH.format(""), dataset=named_g2)) == ["Beta"]
    assert _names(store.query(NAMES.format(""), dataset=named_g2)) == []


def test_bindings_are_applied_by_the_engine(store):
    text = "SELECT ?n WHERE { ?s <http://example.org/name> ?n }"
    rows = store.query(text, bindings={"s": IRI(EX + "b")}).rows
    assert [str(r["n"]) for r in rows] == ["Beta"]


def test_binding_a_variable_that_is_not_projected(store):
    text = "SELECT ?n WHERE { ?s <http://example.org/knows> ?o . ?o <http://example.org/name> ?n }"
    assert [str(r["n"]) for r in store.query(text, bindings={"s": IRI(EX + "a")}).rows] == ["Beta"]
    assert store.query(text, bindings={"s": IRI(EX + "b")}).rows == []


def test_binding_an_unprojected_variable_filters_before_grouping(store):
    """A binding applies before the counts are made, never after (which would not filter)."""
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/name> ?name }"
    grouped = "SELECT ?name (COUNT(*) AS ?n) WHERE { ?s <http://example.org/name> ?name } GROUP BY ?name"
    assert int(store.query(text).rows[0]["n"].value) == 2
    assert int(store.query(text, bindings={"s": IRI(EX + "a")}).rows[0]["n"].value) == 1
    assert len(store.query(grouped, bindings={"name": Literal("Alpha", lang="en")}).rows) == 1


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


def test_an_nquads_file_that_does_not_parse_is_refused_with_its_name(tmp_path):
    """The bulk load skips the engine's IRI checks (the importers' nt_iri makes them), not its
    syntax: a line cut short is an error naming the file."""
    from conflictgraph.errors import StoreError
    store = open_store(tmp_path / "db")
    chunk = tmp_path / "chunk-00001.nq"
    chunk.write_text(f'<{EX}a> <{EX}name> "Alpha <{EX}g1> .\n', encoding="utf-8")
    with pytest.raises(StoreError, match="chunk-00001.nq"):
        store.load_nquads_file(chunk, [EX + "g1"])
    store.close()


@pytest.mark.parametrize("bad", [EX + "a b", EX + "a>b", "no-scheme", EX + 'a"b', EX + "a\nb", ""])
def test_the_importers_iri_gate_refuses_what_a_lenient_load_would_store(bad):
    """The chunk files are loaded without the engine's IRI validation, which would store
    ``<http://example.org/a b>``; every IRI in them passes nt_iri, which refuses it."""
    from conflictgraph.importers.common import nt_iri
    with pytest.raises(ValueError, match="not a valid IRI"):
        nt_iri(bad)


@pytest.mark.parametrize("in_a_cycle", [False, True])
def test_closing_a_writer_frees_its_lock_at_once(tmp_path, in_a_cycle):
    """close() drops the engine's database now, also when a reference cycle still holds it (a
    collection is run only then), so the folder opens for writing again straight away."""
    import gc
    from conflictgraph.store.oxigraph import OxigraphStore
    store = OxigraphStore.open_dir(tmp_path / "db", read_only=False)
    store.add_quads([(IRI(EX + "a"), IRI(EX + "name"), Literal("Alpha"), EX + "g1")])
    if in_a_cycle:
        cycle: list = [store._inner]
        cycle.append(cycle)
        del cycle
    gc.disable()  # as during an import: no automatic collection would come to the rescue
    try:
        store.close()
        again = OxigraphStore.open_dir(tmp_path / "db", read_only=False)
    finally:
        gc.enable()
    assert again.query(f"SELECT ?n WHERE {{ GRAPH ?g {{ <{EX}a> <{EX}name> ?n }} }}").rows[0]["n"].value == "Alpha"
    again.close()
