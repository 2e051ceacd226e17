"""Commands with --endpoint against a real `oxigraph serve`: same answers as the embedded store,
and builds and imports that never leave the remote store half-written."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conflictgraph.build.pipeline import build_store, update_store
from conflictgraph.cli.main import cli
from conflictgraph.errors import QueryError
from conflictgraph.rdf.namespaces import GRAPH_BUILD
from conflictgraph.store import remote as remote_module
from conflictgraph.store.remote import Endpoint, RemoteChanges, RemoteStore
from conftest import FIXTURES, MINI
from oxigraph_server import running_oxigraph

pytestmark = pytest.mark.slow  # real `oxigraph serve` processes

ACLED = FIXTURES / "acled"
COUNT = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


@pytest.fixture(scope="module", params=["plain", "union-default-graph"])
def endpoint(request, tmp_path_factory):
    """An `oxigraph serve` per module and mode (the store copes with either default graph)."""
    with running_oxigraph(tmp_path_factory.mktemp("remote"), union=request.param != "plain") as url:
        yield url + "/query"


@pytest.fixture(scope="module")
def embedded(bundled_on_disk) -> str:
    """The bundled graph in the embedded store, to compare with the remote one."""
    return bundled_on_disk


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, ["-q", *args], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return result.output


def _counts(where: list[str]) -> dict:
    """Quads per graph, without the record of a remote build's graphs (the embedded store has none)."""
    return {row["g"]: row["n"] for row in json.loads(_run("query", COUNT, "--format", "json", *where))
            if row["g"] != GRAPH_BUILD}


def test_build_and_read_commands_give_the_embedded_answers(endpoint, embedded, tmp_path):
    remote, local = ["--endpoint", endpoint], ["--store", embedded]
    out = _run("build", *remote)
    assert out.startswith(f"built {endpoint}:")
    assert _counts(remote) == _counts(local)
    for command in (["claims", "--format", "csv"], ["conflicts", "--format", "csv"], ["show", "KNPLF", "--format", "json"],
                    ["centrality", "--format", "csv"], ["query", "alliance-members", "-p", "alliance=Three Brotherhood",
                                                        "--format", "csv"]):
        assert sorted(_run(*command, *remote).splitlines()) == sorted(_run(*command, *local).splitlines()), command


def test_import_then_build_keeps_the_dataset(endpoint, embedded, tmp_path):
    remote = ["--endpoint", endpoint]
    _run("build", *remote)
    local = tmp_path / "store"
    build_store(local)
    for name in ("acled.csv", "acled-v2.csv"):
        for where in (remote, ["--store", str(local)]):
            _run("import", "acled", str(ACLED / name), "--rejects", str(tmp_path / "rejects.csv"), *where)
    assert _counts(remote) == _counts(["--store", str(local)])
    dataset = [g for g in _counts(remote) if "/dataset/" in g]
    assert dataset
    _run("build", *remote)  # a rebuild replaces the curated layer and keeps the imported events
    assert _counts(remote) == _counts(["--store", str(local)])
    assert sorted(_run("timeline", "--format", "csv", *remote).splitlines()) == \
        sorted(_run("timeline", "--format", "csv", "--store", str(local)).splitlines())


SURVEY = "http://other-team.example/survey"


def test_build_and_import_leave_other_graphs_alone(endpoint, tmp_path):
    """A shared store: a graph conflictgraph did not write survives build, import and rebuild;
    a curated graph an earlier build wrote and this one does not is dropped."""
    store = RemoteStore(Endpoint.from_urls(endpoint))
    store.update("DROP ALL")
    store.update(f"INSERT DATA {{ GRAPH <{SURVEY}> {{ <http://other-team.example/site/1> "
                 f"<http://other-team.example/visited> \"2024-01-05\" }} }}")
    remote = ["--endpoint", endpoint]
    _run("build", "--graph", str(MINI), *remote)
    mini_only = set(_counts(remote)) - set(_counts(["--store", _mini_embedded(tmp_path)])) - {SURVEY}
    assert mini_only
    _run("import", "acled", str(ACLED / "acled.csv"), "--rejects", str(tmp_path / "rejects.csv"), *remote)
    _run("build", *remote)
    graphs = _counts(remote)
    assert graphs[SURVEY] == 1
    assert store.query(f"ASK {{ GRAPH <{SURVEY}> {{ ?site <http://other-team.example/visited> \"2024-01-05\" }} }}").boolean
    assert any("/dataset/" in g for g in graphs)
    assert not mini_only & set(graphs)  # the mini folder's own graphs went with the rebuild without it
    store.close()


def _mini_embedded(tmp_path) -> str:
    """The bundled graph alone, on disk (to tell which graphs the mini folder adds)."""
    place = tmp_path / "bundled"
    build_store(place)
    return str(place)


def test_a_failed_build_request_changes_nothing(endpoint, monkeypatch):
    """A build small enough for one request (the piece size raised for it): its last operation
    fails on the server, and everything before it is undone."""
    monkeypatch.setattr(remote_module, "PIECE", 1_000_000)
    _run("build", "--endpoint", endpoint)
    before = _counts(["--endpoint", endpoint])
    original = RemoteChanges.text
    monkeypatch.setattr(RemoteChanges, "text", lambda self: original(self) + " ;\nMOVE GRAPH <urn:none> TO <urn:x>")
    result = CliRunner().invoke(cli, ["build", "--endpoint", endpoint])
    assert result.exit_code != 0 and "/update" in result.output
    assert _counts(["--endpoint", endpoint]) == before


def test_a_build_in_pieces_is_switched_in_whole_or_not_at_all(endpoint, monkeypatch):
    """A build larger than one piece goes to staging graphs that readers never see; it fails
    at the switch: the store is as before, and no staging graph is left behind."""
    _run("build", "--endpoint", endpoint)
    before = _counts(["--endpoint", endpoint])
    seen: list[tuple[int, list[str]]] = []
    original = RemoteStore.update

    def update(self, text):
        if "MOVE SILENT GRAPH" in text:  # the switch
            seen.append((len(self.staging_graphs()), RemoteStore(self.endpoint).named_graphs()))
            original(self, text + " ;\nMOVE GRAPH <urn:none> TO <urn:x>")
        original(self, text)

    monkeypatch.setattr(RemoteStore, "update", update)
    result = CliRunner().invoke(cli, ["build", "--graph", str(MINI), "--endpoint", endpoint])
    assert result.exit_code == 1 and "/update" in result.output and "staging graphs" in result.output
    staged, readers_see = seen[0]
    assert staged > 3 and sorted(readers_see) == sorted([*before, GRAPH_BUILD])  # staged, not seen
    monkeypatch.undo()
    store = RemoteStore(Endpoint.from_urls(endpoint))
    assert _counts(["--endpoint", endpoint]) == before and store.staging_graphs() == []
    store.close()


def test_an_import_that_fails_midway_changes_nothing(endpoint):
    _run("build", "--endpoint", endpoint)
    before = _counts(["--endpoint", endpoint])
    with pytest.raises(RuntimeError), update_store(Endpoint.from_urls(endpoint)) as writer:
        from conflictgraph.importers import import_events
        import_events(writer, "acled", ACLED / "acled.csv")
        raise RuntimeError("killed halfway")
    assert _counts(["--endpoint", endpoint]) == before


def test_empty_remote_store_asks_for_build(tmp_path):
    with running_oxigraph(tmp_path / "empty") as url:
        result = CliRunner().invoke(cli, ["claims", "--endpoint", url + "/query"])
        assert result.exit_code == 1 and "build --endpoint" in result.output
        result = CliRunner().invoke(cli, ["import", "acled", str(ACLED / "acled.csv"), "--endpoint", url + "/query"])
        assert result.exit_code == 1 and "build --endpoint" in result.output


def test_endpoint_from_the_environment_and_bad_urls(endpoint, monkeypatch):
    _run("build", "--endpoint", endpoint)
    monkeypatch.setenv("CONFLICTGRAPH_ENDPOINT", endpoint)
    assert "Three Brotherhood Alliance" in _run("query", "alliance-members", "-p", "alliance=Three Brotherhood",
                                                "--format", "csv")
    monkeypatch.delenv("CONFLICTGRAPH_ENDPOINT")
    result = CliRunner().invoke(cli, ["claims", "--endpoint", "ftp://nowhere"])
    assert result.exit_code == 1 and "http" in result.output
    result = CliRunner().invoke(cli, ["claims", "--update-endpoint", "http://127.0.0.1:9/update"])
    assert result.exit_code == 2 and "--endpoint" in result.output


def test_bindings_are_values_not_text(endpoint):
    store = RemoteStore(Endpoint.from_urls(endpoint))
    try:
        from conflictgraph.rdf.terms import IRI, Literal
        hostile = Literal('x" } } ; DROP ALL ; SELECT * { {"')
        assert store.query("SELECT ?s WHERE { ?s ?p ?o }", bindings={"o": hostile}).rows == []
        with pytest.raises(QueryError, match="not a valid RDF term"):
            store.query("SELECT ?s WHERE { ?s ?p ?o }", bindings={"s": IRI("http://ex/> } DROP ALL {")})
        assert store.named_graphs()
    finally:
        store.close()
