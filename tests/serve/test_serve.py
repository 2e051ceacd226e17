"""`conflictgraph serve` as a real process on a free loopback port, spoken to by standard clients."""
from __future__ import annotations

import csv
import io
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import rdflib

from conflictgraph.build.pipeline import build_store
from fixtures.smuggling import smuggling_queries
from conftest import Listener, MINI
from oxigraph_server import start_serve as _start, stop_process

pytestmark = pytest.mark.slow  # real server processes, and a real browser

TIMEOUT = 2.0
MAX_ROWS = 50
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
FAST = "SELECT ?label WHERE { actor:knplf skos:prefLabel ?label }"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def server(bundled_on_disk):
    """The bundled graph served, with small limits to test them."""
    process, url = _start(Path(bundled_on_disk), "--timeout", str(TIMEOUT), "--max-rows", str(MAX_ROWS), "--workers", "3",
                          "--max-request-bytes", "20000")
    yield url
    stop_process(process)
    assert process.returncode is not None


def _request(url: str, *, data: bytes | None = None, headers: dict | None = None, method: str | None = None):
    """(status, headers, body) of one HTTP request, errors included."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def _query(url: str, query: str, accept: str = "application/sparql-results+json", how: str = "post-form", **fields):
    if how == "get":
        return _request(f"{url}/sparql?" + urllib.parse.urlencode({"query": query, **fields}), headers={"Accept": accept})
    if how == "post-direct":
        return _request(f"{url}/sparql", data=query.encode(), headers={"Accept": accept,
                                                                        "Content-Type": "application/sparql-query"})
    return _request(f"{url}/sparql", data=urllib.parse.urlencode({"query": query, **fields}).encode(),
                    headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})


ALLIANCES = "SELECT ?a ?label WHERE { ?a a cg:Alliance ; skos:prefLabel ?label } ORDER BY ?label"


@pytest.mark.parametrize("how", ["get", "post-form", "post-direct"])
def test_select_in_every_result_format(server, how):
    status, headers, body = _query(server, ALLIANCES, how=how)
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    labels = [b["label"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert "Three Brotherhood Alliance" in labels and len(labels) >= 2

    status, headers, body = _query(server, ALLIANCES, accept="application/sparql-results+xml", how=how)
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+xml")
    root = ET.fromstring(body)
    assert [e.text for e in root.findall(".//r:binding[@name='label']/r:literal", ns)] == labels

    status, headers, body = _query(server, ALLIANCES, accept="text/csv", how=how)
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert status == 200 and rows[0] == ["a", "label"] and [r[1] for r in rows[1:]] == labels

    status, headers, body = _query(server, ALLIANCES, accept="text/tab-separated-values", how=how)
    lines = body.decode().splitlines()
    assert lines[0] == "?a\t?label"
    assert lines[1].startswith("<https://w3id.org/conflictgraph/id/actor/") and f'"{labels[0]}"' in lines[1]


def test_ask_in_json_xml_csv_tsv(server):
    status, _h, body = _query(server, "ASK { actor:knplf a ?t }")
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _h, body = _query(server, "ASK { actor:knplf cg:memberOf actor:knplf }", accept="application/sparql-results+xml")
    assert ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean").text == "false"
    assert _query(server, "ASK { ?s ?p ?o }", accept="text/csv")[2].decode().split() == ["boolean", "true"]
    assert _query(server, "ASK { ?s ?p ?o }", accept="text/tab-separated-values")[2].decode().split() == ["?boolean", "true"]


@pytest.mark.parametrize("accept,rdf_format", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                               ("application/ld+json", "json-ld")])
def test_construct_and_describe_in_every_graph_format(server, accept, rdf_format):
    construct = "CONSTRUCT { ?a skos:prefLabel ?l } WHERE { ?a a cg:Alliance ; skos:prefLabel ?l }"
    status, headers, body = _query(server, construct, accept=accept)
    assert status == 200 and headers["Content-Type"].startswith(accept)
    graph = rdflib.Graph().parse(data=body, format=rdf_format)
    assert rdflib.Literal("Three Brotherhood Alliance", lang="en") in set(graph.objects())
    status, _h, body = _query(server, "DESCRIBE actor:knplf", accept=accept)
    described = rdflib.Graph().parse(data=body, format=rdf_format)
    assert status == 200 and len(described) > 3
    assert {str(s) for s in described.subjects()} >= {"https://w3id.org/conflictgraph/id/actor/knplf"}


def test_format_parameter_and_not_acceptable(server):
    status, headers, _b = _query(server, ALLIANCES, how="get", format="csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert _query(server, ALLIANCES, accept="image/png")[0] == 406
    assert _query(server, "CONSTRUCT WHERE { ?s a cg:Alliance }", accept="text/csv")[0] == 406


def test_standard_clients_sparqlwrapper_and_rdflib(server):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(server + "/sparql")
    client.setQuery("PREFIX cg: <https://w3id.org/conflictgraph/ontology#> SELECT (COUNT(?a) AS ?n) WHERE { ?a a cg:Alliance }")
    client.setReturnFormat(JSON)
    assert int(client.query().convert()["results"]["bindings"][0]["n"]["value"]) >= 2
    client.setQuery("PREFIX cg: <https://w3id.org/conflictgraph/ontology#> CONSTRUCT WHERE { ?a a cg:Alliance }")
    client.setReturnFormat(TURTLE)
    assert len(rdflib.Graph().parse(data=client.query().convert(), format="turtle")) >= 2

    from rdflib.plugins.stores.sparqlstore import SPARQLStore
    store = SPARQLStore(server + "/sparql", returnFormat="json")
    rows = list(store.query("SELECT ?l WHERE { <https://w3id.org/conflictgraph/id/actor/knplf> "
                            "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l }"))
    assert [str(r[0]) for r in rows] == ["Karenni National People's Liberation Front"]


def test_service_description(server):
    status, headers, body = _request(server + "/sparql", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=body, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert status == 200 and (None, rdflib.RDF.type, sd.Service) in graph
    assert (None, sd.supportedLanguage, sd.SPARQL11Query) in graph


def test_updates_are_refused_with_403(server):
    update = "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }"
    assert _request(server + "/sparql", data=urllib.parse.urlencode({"update": update}).encode(),
                    headers={"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
    assert _request(server + "/sparql", data=update.encode(),
                    headers={"Content-Type": "application/sparql-update"})[0] == 403
    status, _h, body = _query(server, update)
    assert status == 403 and b"refused" in body
    assert _query(server, "DROP ALL")[0] == 403
    assert json.loads(_query(server, "ASK { <urn:a> <urn:b> <urn:c> }")[2])["boolean"] is False
    assert json.loads(_query(server, "ASK { actor:knplf ?p ?o }")[2])["boolean"] is True


def test_service_and_load_are_refused_with_400_and_never_connect(server):
    listener = Listener()
    try:
        target = f"http://127.0.0.1:{listener.port}/sparql"
        for query in (f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
                      f"SELECT * WHERE {{ ?x ?y ?z OPTIONAL {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }} }}",
                      f"LOAD <{target}>", f"LOAD SILENT <{target}> INTO GRAPH <urn:g>"):
            status, _h, body = _query(server, query)
            assert status == 400, query
            assert b"SERVICE" in body or b"LOAD" in body
        time.sleep(0.5)
        assert listener.connections == 0
    finally:
        listener.close()


@pytest.mark.parametrize("how", ["get", "post-form", "post-direct"])
def test_smuggled_service_is_refused_every_way_and_never_connects(server, how):
    listener = Listener()
    try:
        for query in smuggling_queries(f"http://127.0.0.1:{listener.port}/sparql")[::5]:
            status, _h, _body = _query(server, query, how=how)
            assert status in (400, 403), query
        time.sleep(0.5)
        assert listener.connections == 0
    finally:
        listener.close()


def test_csv_answers_neutralise_formula_cells(server):
    status, _h, body = _query(server, 'SELECT ("=1+1" AS ?x) ("-3" AS ?n) WHERE {}', accept="text/csv")
    assert status == 200
    assert body.decode().splitlines()[1] == "'=1+1,-3"


def test_malformed_query_gets_400_with_the_parser_message(server):
    status, headers, body = _query(server, "SELECT * WHERE { ?s ?p }")
    assert status == 400 and headers["Content-Type"].startswith("text/plain")
    assert b"does not parse" in body and b"line 1" in body


def test_request_size_limit(server):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 30000
    assert _query(server, big)[0] == 413
    assert _query(server, big, how="post-direct")[0] == 413
    assert _query(server, big, how="get")[0] in (413, 414, 431)


def test_the_dataset_of_the_request_or_the_query_is_honoured(server):
    """default-graph-uri / named-graph-uri and FROM name the dataset; without them, the union."""
    def rows(query: str, **fields) -> int:
        status, _h, body = _query(server, query, how="get", **fields)
        assert status == 200, body
        return len(json.loads(body)["results"]["bindings"])

    assert rows(ALLIANCES) >= 2
    assert rows(ALLIANCES, **{"default-graph-uri": "urn:x"}) == 0
    assert rows(ALLIANCES.replace("WHERE", "FROM <urn:x> WHERE")) == 0
    graph_of = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?a a cg:Alliance } }"
    assert rows(graph_of, **{"named-graph-uri": "urn:x"}) == 0
    assert rows(graph_of) >= 1


def test_row_limit_returns_the_first_rows_and_says_so(server):
    status, headers, body = _query(server, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert status == 200 and headers["X-SPARQL-Truncated"] == "true" and headers["X-SPARQL-Max-Rows"] == str(MAX_ROWS)
    assert len(json.loads(body)["results"]["bindings"]) == MAX_ROWS
    status, headers, body = _query(server, ALLIANCES)
    assert headers.get("X-SPARQL-Truncated") is None
    status, headers, body = _query(server, "CONSTRUCT WHERE { ?s ?p ?o }", accept="application/n-triples")
    assert headers["X-SPARQL-Truncated"] == "true" and len(body.decode().strip().splitlines()) == MAX_ROWS


def test_a_slow_query_is_stopped_while_a_fast_one_is_answered(server):
    started = time.monotonic()
    with ThreadPoolExecutor(2) as pool:
        slow = pool.submit(_query, server, SLOW)
        time.sleep(0.3)  # the slow query holds its worker now
        fast_began = time.monotonic()
        fast_status, _h, fast_body = _query(server, FAST)
        fast_took = time.monotonic() - fast_began
        slow_status, _h, slow_body = slow.result(timeout=30)
    assert fast_status == 200 and fast_took < TIMEOUT / 2
    assert json.loads(fast_body)["results"]["bindings"][0]["label"]["value"].startswith("Karenni")
    assert slow_status == 504 and b"limit" in slow_body
    assert TIMEOUT - 0.1 <= time.monotonic() - started < TIMEOUT + 5
    # the killed worker is replaced: every worker answers again
    answers = [_query(server, FAST)[0] for _ in range(6)]
    assert answers == [200] * 6


def test_named_queries_api_and_entity_page(server):
    status, _h, body = _request(server + "/api/queries")
    catalog = {q["name"]: q for q in json.loads(body)["queries"]}
    assert status == 200 and catalog["alliance-members"]["params"][0]["name"] == "alliance"
    status, headers, body = _request(server + "/api/named?" + urllib.parse.urlencode(
        {"name": "alliance-members", "param.alliance": "Three Brotherhood", "format": "csv"}))
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert status == 200 and "Ta'ang National Liberation Army" in {r["memberLabel"] for r in rows}
    assert _request(server + "/api/named?name=alliance-members&param.alliance=Nobody%20Known")[0] == 400
    status, headers, body = _request(server + "/entity?iri=" + urllib.parse.quote(
        "https://w3id.org/conflictgraph/id/actor/knplf", safe=""))
    page = body.decode()
    assert status == 200 and "<h1>Karenni National People&#x27;s Liberation Front</h1>" in page
    assert "default-src 'none'" in headers["Content-Security-Policy"] and "Defection" in page
    assert '/entity?iri=https%3A%2F%2Fw3id.org%2Fconflictgraph%2Fid%2F' in page


def test_entity_page_shows_facts_and_404_for_nothing(server):
    status, _h, body = _request(server + "/entity?iri=src:irrawaddy-2023-11-03")
    page = body.decode()
    assert status == 200 and "<h2>Facts</h2>" in page and "<dt>issued</dt><dd>2023-11-03</dd>" in page
    assert "<h1>Resistance leaders on the first week of Operation 1027</h1>" in page  # a source: its title
    assert '<dd><a href="/entity?iri=https%3A%2F%2Fw3id.org%2Fconflictgraph%2Fid%2Factor%2Fthe-irrawaddy">' in page
    nobody = urllib.parse.quote("https://w3id.org/conflictgraph/id/actor/nobody", safe="")
    status, _h, body = _request(server + "/entity?iri=" + nobody)
    assert status == 404 and "the store says nothing about" in body.decode() and "actor/nobody" in body.decode()
    assert _request(server + "/api/entity?iri=" + nobody)[0] == 404
    assert _request(server + "/entity?iri=cgg:reference")[0] == 200  # a graph a query row may cite
    assert _request(server + "/api/entity?name=Nobody%20Known")[0] == 404
    assert _request(server + "/api/entity?name=KNPLF")[0] == 200


@pytest.mark.parametrize("accept,rdf_format", [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                                               ("text/html;q=0.5, application/n-triples", "nt")])
def test_entity_answers_rdf_by_content_negotiation(server, accept, rdf_format):
    knplf = rdflib.URIRef("https://w3id.org/conflictgraph/id/actor/knplf")
    status, headers, body = _request(server + "/entity?iri=actor:knplf", headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(accept.split(", ")[-1])
    graph = rdflib.Graph().parse(data=body, format=rdf_format)
    assert (knplf, rdflib.URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
            rdflib.Literal("Karenni National People's Liberation Front", lang="en")) in graph
    assert headers["X-SPARQL-Truncated"] == "true" and len(graph) == MAX_ROWS  # its own triples first, then others'
    if rdf_format == "json-ld":
        assert '"memberOf"' in body.decode()  # the vocabulary's context: plain keys
    browser = _request(server + "/entity?iri=actor:knplf", headers={"Accept": "text/html,*/*;q=0.8"})
    assert browser[1]["Content-Type"].startswith("text/html")
    nobody = _request(server + "/entity?iri=actor:nobody", headers={"Accept": accept})
    assert nobody[0] == 404 and nobody[1]["Content-Type"].startswith("text/plain")
    assert _request(server + "/entity?iri=actor:knplf&format=ttl")[1]["Content-Type"].startswith("text/turtle")


def test_vocabulary_is_served(server):
    status, headers, body = _request(server + "/ontology")
    assert status == 200 and "<h2 id=\"Actor\">" in body.decode() and "script-src" not in headers["Content-Security-Policy"]
    status, headers, body = _request(server + "/ontology/context.jsonld")
    assert status == 200 and json.loads(body)["@context"]["memberOf"]["@id"] == "cg:memberOf"


def test_cors_is_off_by_default(server):
    _s, headers, _b = _request(server + "/sparql?query=ASK%7B%7D", headers={"Origin": "http://evil.example"})
    assert headers.get("Access-Control-Allow-Origin") is None


def test_the_page_is_served_locally(server):
    status, headers, body = _request(server + "/")
    page = body.decode()
    assert status == 200 and '<script src="/static/app.js"></script>' in page
    assert "http" not in page.replace("http-equiv", "")  # nothing from elsewhere
    assert _request(server + "/static/app.js")[0] == 200


@pytest.fixture(scope="module")
def small_server(tmp_path_factory):
    """A second server on the small fixture graph, with CORS for one origin."""
    place = tmp_path_factory.mktemp("small") / "store"
    build_store(place, graph_dirs=(MINI,), bundled=False)
    process, url = _start(place, "--workers", "1", "--cors", "http://analyst.example")
    yield url, place
    stop_process(process)


def test_cors_for_the_named_origin_only(small_server):
    url, _place = small_server
    _s, headers, _b = _request(url + "/sparql?query=ASK%7B%7D", headers={"Origin": "http://analyst.example"})
    assert headers["Access-Control-Allow-Origin"] == "http://analyst.example"
    assert "X-SPARQL-Truncated" in headers.get("Access-Control-Expose-Headers", "")
    _s, headers, _b = _request(url + "/sparql?query=ASK%7B%7D", headers={"Origin": "http://other.example"})
    assert headers.get("Access-Control-Allow-Origin") is None


def test_the_server_sees_a_new_generation_after_a_build(small_server):
    url, place = small_server
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = int(json.loads(_query(url, count)[2])["results"]["bindings"][0]["n"]["value"])
    build_store(place)  # the bundled graph swapped in under the running server
    after = int(json.loads(_query(url, count)[2])["results"]["bindings"][0]["n"]["value"])
    assert after > before
    assert json.loads(_query(url, "ASK { actor:knplf ?p ?o }")[2])["boolean"] is True


# Real headless Chromium ------------------------------------------------------------------

def _browser_or_skip():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CONFLICTGRAPH_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing and CONFLICTGRAPH_REQUIRE_BROWSER is set")
        pytest.skip(f"{CHROMIUM} is not installed")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CONFLICTGRAPH_REQUIRE_BROWSER"):
            raise
        pytest.skip("playwright is not installed")
    return sync_playwright


@pytest.fixture(scope="module")
def browser_page(server):
    sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page()
        requests: list[str] = []
        errors: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.set_default_timeout(20000)
        yield page, requests, errors
        browser.close()


def test_browser_runs_a_named_query_sorts_and_links(server, browser_page):
    page, requests, errors = browser_page
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready=true]")
    page.select_option("#example", "alliance-members")
    page.fill("#param-alliance", "Three Brotherhood")
    page.click("#run")
    page.wait_for_selector("#results-table tbody tr")
    labels = page.eval_on_selector_all("#results-table tbody tr td:nth-child(4)", "tds => tds.map(t => t.textContent)")
    assert "Ta'ang National Liberation Army" in labels
    header = page.locator("#results-table th", has_text="memberLabel")
    header.click()
    ascending = page.eval_on_selector_all("#results-table tbody tr td:nth-child(4)", "tds => tds.map(t => t.textContent)")
    assert ascending == sorted(ascending)
    page.locator("#results-table th", has_text="memberLabel").click()
    descending = page.eval_on_selector_all("#results-table tbody tr td:nth-child(4)", "tds => tds.map(t => t.textContent)")
    assert descending == sorted(ascending, reverse=True)
    assert page.locator("#downloads a", has_text="CSV").get_attribute("href").startswith("/api/named?")
    page.locator("#results-table tbody a", has_text="actor:tnla").first.click()
    page.wait_for_selector("h1")
    assert page.text_content("h1") == "Ta'ang National Liberation Army"
    assert all(r.startswith(server) for r in requests), [r for r in requests if not r.startswith(server)]
    assert not errors


def test_browser_shows_hostile_text_as_text_and_truncation(server, browser_page):
    page, requests, errors = browser_page
    page.goto(server + "/")
    page.wait_for_selector("body[data-ready=true]")
    hostile = '<img src=x onerror="window.__pwned=1">'
    page.fill("#query", "SELECT ?x WHERE { VALUES ?x { '" + hostile + "' } }")
    page.click("#run")
    page.wait_for_selector("#results-table tbody tr")
    assert page.text_content("#results-table tbody td") == hostile
    assert page.evaluate("window.__pwned") is None
    page.fill("#query", "SELECT * WHERE { ?s ?p ?o }")
    page.click("#run")
    page.wait_for_selector("#truncated:not([hidden])")
    assert f"first {MAX_ROWS} rows" in page.text_content("#truncated")
    assert page.locator("#results-table tbody tr").count() == MAX_ROWS
    page.fill("#query", "SELECT * WHERE { ?s ?p }")
    page.click("#run")
    page.wait_for_selector("#error:not([hidden])")
    assert "does not parse" in page.text_content("#error")
    assert all(r.startswith(server) for r in requests)


def test_browser_network_page_loads_offline(server, browser_page):
    page, requests, errors = browser_page
    requests.clear()
    errors.clear()
    page.goto(server + "/network", timeout=120000)
    page.wait_for_selector("canvas", timeout=60000)
    assert all(r.startswith(server) for r in requests), [r for r in requests if not r.startswith(server)]


def test_a_client_reads_a_capped_server_whole(server, bundled_on_disk):
    """--endpoint on this server (its answers cut at 50 rows) reads every row, in pages: the
    commands give the embedded store's answers."""
    from click.testing import CliRunner

    from conflictgraph.cli.main import cli

    def run(*args: str) -> list[str]:
        result = CliRunner().invoke(cli, ["-q", *args])
        assert result.exit_code == 0, result.output
        return sorted(result.output.splitlines())

    remote, local = ["--endpoint", server + "/sparql"], ["--store", bundled_on_disk]
    everything = ["query", "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", "--format", "csv"]
    assert run(*everything, *remote) == run(*everything, *local)
    for command in (["claims", "--format", "csv"], ["show", "KNPLF", "--format", "markdown"], ["centrality", "--format", "csv"]):
        answer = run(*command, *remote)
        assert len(answer) > 1 and answer == run(*command, *local), command
