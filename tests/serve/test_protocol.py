"""`conflictgraph serve` as a standard SPARQL 1.1 endpoint: the W3C Protocol test cases that apply
to a read-only endpoint (tests/fixtures/w3c-protocol, run from their manifest), content
negotiation, a base IRI, the size limits, and common clients with their defaults."""
from __future__ import annotations

import http.client
import json
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import rdflib
from rdflib.collection import Collection

from conflictgraph.build.pipeline import build_store, update_store
from conflictgraph.rdf.terms import IRI
from conflictgraph.store.results import read_results
from conftest import FIXTURES, MINI
from oxigraph_server import start_serve, stop_process

pytestmark = pytest.mark.slow  # a real server process

W3C = FIXTURES / "w3c-protocol"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
TABULAR = {"application/sparql-results+xml", "application/sparql-results+json", "text/csv", "text/tab-separated-values"}
BOOLEAN = {"application/sparql-results+xml", "application/sparql-results+json"}
RDF = {"application/rdf+xml", "text/turtle", "application/n-triples"}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The mini fixture with the W3C data graphs added, served with the default limits: (URL, store)."""
    place = tmp_path_factory.mktemp("protocol") / "store"
    build_store(place, graph_dirs=(MINI,), bundled=False)
    manifest = rdflib.Graph().parse(W3C / "manifest.ttl")
    with update_store(place) as store:
        for data in set(manifest.objects(None, UT.graphData)):
            graph = str(manifest.value(data, rdflib.RDFS.label))
            file = Path(str(manifest.value(data, UT.graph)).removeprefix("file://")).name
            triples = rdflib.Graph().parse(W3C / file, format="nt")
            store.add_quads([(IRI(str(s)), IRI(str(p)), IRI(str(o)), graph) for s, p, o in triples])
    process, url = start_serve(place, "--workers", "1")
    yield url, place
    stop_process(process)


@pytest.fixture(scope="module")
def endpoint(served) -> str:
    return served[0]


def _request(url: str, *, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    """(status, headers, body) of one HTTP request sent as given (no header added, unlike urllib,
    which would add a form content type); a server that answers before the body is sent is heard."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    target = parts.path + ("?" + parts.query if parts.query else "")
    connection.putrequest(method or ("POST" if data is not None else "GET"), target, skip_accept_encoding=True)
    for name, value in (headers or {}).items():
        connection.putheader(name, value)
    if data is not None:
        connection.putheader("Content-Length", str(len(data)))
    connection.endheaders()
    try:
        if data:
            connection.send(data)
    except (BrokenPipeError, ConnectionResetError):
        pass  # it answered early (413)
    response = connection.getresponse()
    try:
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def _cases() -> list:
    """One pytest param per test of the manifest: (request, expected response)."""
    manifest = rdflib.Graph().parse(W3C / "manifest.ttl")
    cases = []
    for entries in manifest.objects(None, MF.entries):
        for test in Collection(manifest, entries):
            requests = manifest.value(manifest.value(test, MF.action), HT.requests)
            (request,) = Collection(manifest, requests)  # every query case is one request
            body = manifest.value(request, HT.body)
            data = None
            if body is not None:
                encoding = str(manifest.value(body, CNT.characterEncoding) or "UTF-8")
                data = str(manifest.value(body, CNT.chars)).encode(encoding.lower())
            headers = {}
            for header in Collection(manifest, manifest.value(request, HT.headers) or rdflib.RDF.nil):
                headers[str(manifest.value(header, HT.fieldName))] = str(manifest.value(header, HT.fieldValue))
            response = manifest.value(request, HT.resp)
            expected = {
                "statuses": {str(s).rsplit("StatusCode", 1)[1][0] for s in manifest.objects(response, MF.expectedStatus)},
                "format": str(manifest.value(response, MF.expectedFormat) or ""),
                "boolean": manifest.value(response, MF.expectedBoolean),
            }
            path = str(manifest.value(request, HT.absolutePath)).replace("/sparql/", "/sparql", 1)
            method = str(manifest.value(request, HT.methodName))
            cases.append(pytest.param(method, path, data, headers, expected, id=str(test).rsplit("#", 1)[1]))
    return cases


@pytest.mark.parametrize("method, path, data, headers, expected", _cases())
def test_w3c_protocol_query_cases(endpoint, method, path, data, headers, expected):
    status, answer_headers, body = _request(endpoint + path, data=data, headers=headers, method=method)
    assert str(status)[0] in expected["statuses"], body
    if status >= 400:
        return
    media = answer_headers["Content-Type"].split(";")[0]
    if expected["format"] == "tabular":
        assert media in TABULAR
    elif expected["format"] == "boolean":
        assert media in BOOLEAN
    elif expected["format"] == "RDF":
        assert media in RDF
        rdflib.Graph().parse(data=body, format={"application/rdf+xml": "xml", "text/turtle": "turtle"}.get(media, "nt"))
    if expected["boolean"] is not None:
        assert read_results(body, media).boolean is expected["boolean"].toPython()


def _get(endpoint: str, query: str, accept: str | None = None, **fields):
    headers = {"Accept": accept} if accept else {}
    return _request(f"{endpoint}/sparql?" + urllib.parse.urlencode({"query": query, **fields}), headers=headers)


SELECT = "SELECT ?a WHERE { ?a a cg:Alliance }"


@pytest.mark.parametrize("accept, media", [
    ("*/*, application/sparql-results+json;q=0", "application/sparql-results+xml"),
    ("application/sparql-results+json;q=0.5, text/csv", "text/csv"),
    ("text/*;q=0.9, text/csv;q=0.1", "text/tab-separated-values"),
    ("application/sparql-results+xml, application/sparql-results+json", "application/sparql-results+xml"),
])
def test_q_values_choose_and_q0_excludes(endpoint, accept, media):
    status, headers, _body = _get(endpoint, SELECT, accept)
    assert status == 200 and headers["Content-Type"].split(";")[0] == media


def test_406_only_when_nothing_fits(endpoint):
    assert _get(endpoint, SELECT, "application/sparql-results+json;q=0, text/html")[0] == 406
    assert _get(endpoint, "CONSTRUCT WHERE { ?a a cg:Alliance }", "*/*;q=0")[0] == 406


@pytest.mark.parametrize("accept, rdf_format", [("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")])
def test_graph_answers_in_rdf_xml_and_json_ld(endpoint, accept, rdf_format):
    status, headers, body = _get(endpoint, "CONSTRUCT WHERE { ?a a cg:Alliance }", accept)
    assert status == 200 and headers["Content-Type"].startswith(accept)
    graph = rdflib.Graph().parse(data=body, format=rdf_format)
    alliances = set(graph.subjects(rdflib.RDF.type, rdflib.URIRef("https://w3id.org/conflictgraph/ontology#Alliance")))
    assert alliances and len(graph) == len(alliances)


def test_relative_iris_resolve_against_the_endpoint(endpoint):
    status, _h, body = _get(endpoint, "SELECT ?x WHERE { BIND(<other/thing> AS ?x) }")
    assert status == 200
    assert json.loads(body)["results"]["bindings"][0]["x"]["value"] == endpoint + "/other/thing"
    _s, _h, body = _get(endpoint, "BASE <http://ex.org/> SELECT ?x WHERE { BIND(<y> AS ?x) }")
    assert json.loads(body)["results"]["bindings"][0]["x"]["value"] == "http://ex.org/y"


def test_an_empty_query_is_400_not_an_update(endpoint):
    for status, _h, body in (_get(endpoint, ""), _get(endpoint, "  \n "),
                             _request(endpoint + "/sparql", data=b"", headers={"Content-Type": "application/sparql-query"})):
        assert status == 400 and b"empty" in body


def test_percent_encoded_bytes_that_are_not_utf8_are_400_not_replaced(endpoint):
    """%C3%28 is not UTF-8: a query with it in a string literal must not run with U+FFFD instead."""
    query = urllib.parse.quote('ASK { FILTER ("x') + "%C3%28" + urllib.parse.quote('" != "") }')
    status, _h, body = _request(f"{endpoint}/sparql?query={query}")
    assert status == 400 and b"not UTF-8" in body
    status, _h, body = _request(endpoint + "/sparql", data=f"query={query}".encode(),
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400 and b"not UTF-8" in body
    ok = urllib.parse.quote('ASK { FILTER ("é" != "") }')  # real UTF-8, percent-encoded
    assert _request(f"{endpoint}/sparql?query={ok}")[0] == 200


def test_size_limits_413_and_414(endpoint):
    padding = "#" + "x" * 200_000 + "\n"
    assert _get(endpoint, padding + "ASK {}")[0] == 200  # 200 KB fits the default limit of 1 MiB
    huge = "#" + "x" * (1 << 20) + "\n" + "ASK {}"
    status, _h, body = _get(endpoint, huge)
    assert status == 414 and b"POST" in body
    data = urllib.parse.urlencode({"query": huge}).encode()
    assert _request(endpoint + "/sparql", data=data, headers={"Content-Type": "application/x-www-form-urlencoded"})[0] == 413


def test_sparqlwrapper_with_its_defaults(endpoint):
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(endpoint + "/sparql")  # XML results, RDF/XML graphs, GET
    client.setQuery("PREFIX cg: <https://w3id.org/conflictgraph/ontology#> SELECT ?a WHERE { ?a a cg:Alliance }")
    document = client.query().convert()
    alliances = {node.firstChild.data for node in document.getElementsByTagName("uri")}
    client.setQuery("PREFIX cg: <https://w3id.org/conflictgraph/ontology#> CONSTRUCT WHERE { ?a a cg:Alliance }")
    graph = client.query().convert()
    assert alliances and {str(s) for s in graph.subjects()} == alliances
    client.setQuery("ASK { <http://kasei.us/2009/09/sparql/data/data1.rdf> ?p ?o }")
    document = client.query().convert()  # an XML answer stays a DOM document, for ASK too
    assert document.getElementsByTagName("boolean")[0].firstChild.data == "true"


def test_rdflib_sparqlstore_with_its_defaults(endpoint):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    store = SPARQLStore(endpoint + "/sparql")
    graph = rdflib.Graph(store)
    doc = rdflib.URIRef("http://kasei.us/2009/09/sparql/data/data2.rdf")
    rows = list(graph.query("SELECT ?t WHERE { ?d a ?t }", initBindings={"d": doc}))
    assert [str(row[0]) for row in rows] == ["http://xmlns.com/foaf/0.1/Document"]
    assert (doc, rdflib.RDF.type, rdflib.URIRef("http://xmlns.com/foaf/0.1/Document")) in graph
    constructed = graph.query("CONSTRUCT WHERE { ?d a <http://xmlns.com/foaf/0.1/Document> }").graph
    assert len(constructed) == 3


def test_the_projects_own_remote_client_reads_through_serve(served):
    """--endpoint sends default-graph-uri and named-graph-uri: serve answers as the store would."""
    from click.testing import CliRunner

    from conflictgraph.cli.main import cli

    def run(*where: str) -> str:
        result = CliRunner().invoke(cli, ["query", "alliance-members", "--format", "csv", *where])
        assert result.exit_code == 0, result.output
        return result.output

    url, place = served
    remote = run("--endpoint", url + "/sparql")
    assert remote.count("\n") > 1 and sorted(remote.splitlines()) == sorted(run("--store", str(place)).splitlines())
