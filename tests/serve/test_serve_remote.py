"""`conflictgraph serve --endpoint` in front of a real `oxigraph serve`: the same answers as
`serve` over the embedded store, the same limits, and a remote build or import seen at once."""
from __future__ import annotations

import csv
import io
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from conflictgraph.cli.main import cli
from conftest import FIXTURES, Listener
from oxigraph_server import running_oxigraph, start_serve, stop_process

pytestmark = pytest.mark.slow  # real server processes

TIMEOUT = 2.0
MAX_ROWS = 50
LIMITS = ("--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS), "--workers", "2")
UCDP = FIXTURES / "ucdp" / "ged.csv"


def _run(*args: str, exit_codes: tuple[int, ...] = (0,)) -> str:
    result = CliRunner().invoke(cli, ["-q", *args])
    assert result.exit_code in exit_codes, result.output
    return result.output


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    """`oxigraph serve` holding the bundled graph, built through the CLI; it stops any request
    after 5 s itself (a query `serve` gave up on must not run on there for ever)."""
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph"), timeout_s=5) as url:
        _run("build", "--endpoint", url + "/query")
        yield url + "/query"


@pytest.fixture(scope="module")
def servers(oxigraph, bundled_on_disk):
    """(remote, embedded): `conflictgraph serve --endpoint` on the Oxigraph server, and
    `conflictgraph serve --store` on the same graph built on disk, with the same limits."""
    remote, remote_url = start_serve(None, "--endpoint", oxigraph, *LIMITS)
    local, local_url = start_serve(Path(bundled_on_disk), *LIMITS)
    yield remote_url, local_url
    for process in (remote, local):
        stop_process(process)


def _get(url: str, *, data: dict | None = None, accept: str = "application/sparql-results+json"):
    """(status, headers, body) of a GET, or of a form POST when ``data`` is given."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def _both(servers, path: str, **kwargs) -> list[tuple[int, object, bytes]]:
    return [_get(url + path, **kwargs) for url in servers]


def _bindings(body: bytes) -> list[dict]:
    rows = json.loads(body)["results"]["bindings"]
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))


def test_a_named_query_gives_the_embedded_answer(servers):
    path = "/api/named?" + urllib.parse.urlencode({"name": "alliance-members", "param.alliance": "Three Brotherhood",
                                                   "format": "csv"})
    (status, _h, remote), (_s, _h2, local) = _both(servers, path)
    rows = list(csv.DictReader(io.StringIO(remote.decode())))
    assert status == 200 and "Ta'ang National Liberation Army" in {r["memberLabel"] for r in rows}
    assert sorted(remote.decode().splitlines()) == sorted(local.decode().splitlines())


def _unordered(value):
    """``value`` with every list sorted: rows a query orders by a column they share (claims of
    one date) may come in either order from two engines."""
    if isinstance(value, dict):
        return {key: _unordered(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted((_unordered(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    return value


def test_an_entity_page_gives_the_embedded_answer(servers):
    (status, _h, remote), (_s, _h2, local) = _both(servers, "/api/entity?name=KNPLF")
    report = json.loads(remote)
    assert status == 200 and _unordered(report) == _unordered(json.loads(local))
    assert report["label"] == "Karenni National People's Liberation Front" and report["claims"]
    status, headers, page = _get(servers[0] + "/entity?iri=actor:knplf", accept="text/html")
    assert status == 200 and "<h1>Karenni National People&#x27;s Liberation Front</h1>" in page.decode()
    assert "Defection" in page.decode() and "default-src 'none'" in headers["Content-Security-Policy"]
    assert _get(servers[0] + "/entity?iri=actor:nobody")[0] == 404


def test_the_sparql_endpoint_gives_the_embedded_answers(servers):
    for query in ("SELECT ?a ?label WHERE { ?a a cg:Alliance ; skos:prefLabel ?label }",
                  "SELECT ?member (COUNT(*) AS ?n) WHERE { ?member cg:memberOf ?alliance } GROUP BY ?member",
                  "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/conflictgraph/graph/reference> WHERE { ?s ?p ?o }"):
        (status, _h, remote), (_s, _h2, local) = _both(servers, "/sparql", data={"query": query})
        assert status == 200 and _bindings(remote) == _bindings(local) and _bindings(remote), query
    ask = {"query": "ASK { actor:knplf ?p ?o }"}
    assert json.loads(_get(servers[0] + "/sparql", data=ask)[2])["boolean"] is True


def test_the_same_limits_apply(servers):
    remote = servers[0]
    status, headers, body = _get(remote + "/sparql", data={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                                 accept="application/n-triples")
    assert status == 200 and headers["X-SPARQL-Truncated"] == "true"
    assert len(body.decode().strip().splitlines()) == MAX_ROWS
    assert _get(remote + "/sparql", data={"update": "DROP ALL"})[0] == 403
    assert _get(remote + "/sparql", data={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})[0] == 403
    listener = Listener()  # SERVICE is refused before anything runs: nothing connects
    try:
        service = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
        assert _get(remote + "/sparql", data={"query": service})[0] == 400
        assert listener.connections == 0
    finally:
        listener.close()
    started = time.monotonic()
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    status, _h, body = _get(remote + "/sparql", data={"query": slow})
    assert status == 504 and b"limit" in body and time.monotonic() - started < TIMEOUT + 5
    fast = {"query": "SELECT ?label WHERE { actor:knplf skos:prefLabel ?label }"}
    assert [_get(remote + "/sparql", data=fast)[0] for _ in range(4)] == [200] * 4  # the worker was replaced


def test_the_remote_store_is_asked_for_no_more_rows_than_are_kept(servers):
    """A SELECT of every row of a cartesian product (about 4 x 10^11 rows) is sent with LIMIT
    max_rows + 1, so the remote store answers at once instead of working until the time limit."""
    cartesian = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } # every row"
    status, headers, body = _get(servers[0] + "/sparql", data={"query": cartesian})
    assert status == 200 and headers["X-SPARQL-Truncated"] == "true"
    assert len(json.loads(body)["results"]["bindings"]) == MAX_ROWS
    limited = cartesian.replace("# every row", "LIMIT 3")  # its own smaller LIMIT stays
    status, headers, body = _get(servers[0] + "/sparql", data={"query": limited})
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 3 and "X-SPARQL-Truncated" not in headers


def test_the_network_page_is_served(servers):
    status, headers, page = _get(servers[0] + "/network", accept="text/html")
    assert status == 200 and "Karenni National People" in page.decode()
    assert "script-src 'unsafe-inline'" in headers["Content-Security-Policy"]


def test_an_import_into_the_remote_store_is_seen_at_once(servers, oxigraph, tmp_path):
    """A remote import gives the store a new version: the workers forget the old list of graphs
    (else the new dataset graph would stay out of every query's default graph)."""
    remote = servers[0]
    events = {"query": "SELECT (COUNT(*) AS ?n) WHERE { ?event cg:fatalitiesBest ?deaths }"}
    before = int(_bindings(_get(remote + "/sparql", data=events)[2])[0]["n"]["value"])
    _run("import", "ucdp", str(UCDP), "--endpoint", oxigraph, "--rejects", str(tmp_path / "rejects.csv"),
         exit_codes=(1,))  # the fixture has bad rows on purpose: imported, with rejects
    after = int(_bindings(_get(remote + "/sparql", data=events)[2])[0]["n"]["value"])
    assert after > before
