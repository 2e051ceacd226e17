"""A remote store that answers SPARQL XML, TSV or CSV (not JSON) works like any other, and a
server's error is one line with its status and words, exit 1, never a traceback."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from conflictgraph.cli.main import cli
from conflictgraph.errors import StoreError
from conflictgraph.rdf.terms import IRI, XSD, BNode, Literal
from conflictgraph.store.remote import Endpoint, RemoteStore
from conflictgraph.store.results import read_results
from sparql_http import running_sparql_http

COUNT = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


def _cli(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("prefers", ["xml", "tsv", "csv"])
def test_a_store_answering_other_formats_reads_the_same(prefers):
    with running_sparql_http(prefers) as url:
        store = RemoteStore(Endpoint.from_urls(url), timeout=10)
        store.add_quads([(IRI("http://ex/a"), IRI("http://ex/name"), Literal("Alpha", lang="en"), "http://ex/g1"),
                         (IRI("http://ex/a"), IRI("http://ex/age"), Literal("42", XSD + "integer"), "http://ex/g2")])
        assert store.named_graphs() == ["http://ex/g1", "http://ex/g2"]
        rows = store.query("SELECT ?p ?o WHERE { <http://ex/a> ?p ?o } ORDER BY ?p").rows
        assert [row["p"] for row in rows] == [IRI("http://ex/age"), IRI("http://ex/name")]
        if prefers != "csv":  # CSV does not say a literal's type or language
            assert [row["o"] for row in rows] == [Literal("42", XSD + "integer"), Literal("Alpha", lang="en")]
        values = list(store.select_values("SELECT ?p ?o ?none WHERE { <http://ex/a> ?p ?o } ORDER BY ?p"))
        assert values == [("http://ex/age", "42", None), ("http://ex/name", "Alpha", None)]  # TSV or not
        assert store.query("ASK { ?s <http://ex/name> ?o }").boolean is True
        assert store.query("ASK { ?s <http://ex/none> ?o }").boolean is False
        triples = store.query("CONSTRUCT WHERE { ?s <http://ex/name> ?o }").triples
        assert triples == [(IRI("http://ex/a"), IRI("http://ex/name"), Literal("Alpha", lang="en"))]
        store.close()


@pytest.mark.slow  # builds the bundled graph twice
def test_build_and_read_against_a_store_that_prefers_xml(bundled_on_disk):
    with running_sparql_http("xml") as url:
        built = _cli("-q", "build", "--endpoint", url)
        assert built.exit_code == 0, built.output
        remote = json.loads(_cli("query", COUNT, "--format", "json", "--endpoint", url).output)
        local = json.loads(_cli("query", COUNT, "--format", "json", "--store", bundled_on_disk).output)
        assert {r["g"]: r["n"] for r in remote if not r["g"].endswith("/graph/build")} == {r["g"]: r["n"] for r in local}
        shown = _cli("show", "KNPLF", "--format", "json", "--endpoint", url)
        expected = _cli("show", "KNPLF", "--format", "json", "--store", bundled_on_disk).output
        assert shown.exit_code == 0 and _unordered(json.loads(shown.output)) == _unordered(json.loads(expected))


def _unordered(value):
    """A JSON value with every list sorted (the order of rows a query does not sort may differ)."""
    if isinstance(value, dict):
        return {key: _unordered(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted((_unordered(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    return value


@pytest.mark.parametrize("status", [400, 500, 503])
def test_a_server_error_is_one_line_and_exit_1(status):
    with running_sparql_http(status=status) as url:
        result = _cli("claims", "--endpoint", url)
    assert result.exit_code == 1
    message = result.output.strip()
    assert "\n" not in message and "Traceback" not in message
    assert message.startswith("error: ") and f"answered {status}" in message and "Service down try later" in message


def test_unreadable_answers_are_store_errors():
    with pytest.raises(StoreError, match="cannot be read"):
        read_results(b"<sparql", "application/sparql-results+xml")
    with pytest.raises(StoreError, match="does not read"):
        read_results(b"<html/>", "text/html")
    assert read_results(b"s\r\n_:b1\r\n", "text/csv").rows == [{"s": BNode("b1")}]
    rdf_xml = (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
               b'rdf:about="http://ex/a"><rdf:type rdf:resource="http://ex/T"/></rdf:Description></rdf:RDF>')
    assert read_results(rdf_xml, "application/xml").triples == [(IRI("http://ex/a"), IRI(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), IRI("http://ex/T"))]


def test_a_store_that_cuts_answers_is_read_in_pages():
    """Like Virtuoso with ResultSetMaxRows = 3: each cut SELECT is read again 3 rows at a time, in
    a stable order, so the answer is whole (its own ORDER BY kept); a cut graph answer is an error."""
    quads = [(IRI(f"http://ex/s{i}"), IRI("http://ex/n"), Literal(str(i), XSD + "integer"), f"http://ex/g{i % 2}")
             for i in range(10)]
    with running_sparql_http(max_rows=3) as url:
        store = RemoteStore(Endpoint.from_urls(url), timeout=10)
        store.add_quads(quads)
        rows = store.query("SELECT ?s ?n WHERE { ?s <http://ex/n> ?n } ORDER BY DESC(?n)").rows
        assert [int(row["n"].value) for row in rows] == list(range(9, -1, -1))
        values = store.select_values("SELECT ?n WHERE { ?s <http://ex/n> ?n } ORDER BY DESC(?n)")
        assert [int(n) for (n,) in values] == list(range(9, -1, -1))  # lexical values, whole too
        everything = store.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }").rows
        assert sorted((str(r["s"]), str(r["g"])) for r in everything) == sorted((str(q[0]), q[3]) for q in quads)
        assert sorted(store.quads()) == sorted(quads)
        counted = store.query("SELECT ?g (COUNT(*) AS ?c) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g").rows
        assert sorted(int(r["c"].value) for r in counted) == [5, 5]  # under the cap: one request
        with pytest.raises(StoreError, match="ResultSetMaxRows"):
            store.query("CONSTRUCT WHERE { ?s <http://ex/n> ?n }")
        store.close()


def test_exactly_a_known_default_limit_of_rows_is_checked_for_more():
    """A server that cuts at 10,000 rows without saying so: an answer of exactly 10,000 rows is
    read again in pages, and the row beyond the cap is found."""
    quads = [(IRI(f"http://ex/s{i}"), IRI("http://ex/n"), Literal(str(i), XSD + "integer"), "http://ex/g")
             for i in range(10_001)]
    with running_sparql_http(max_rows=10_000, silent=True) as url:
        store = RemoteStore(Endpoint.from_urls(url), timeout=30)
        store.add_quads(quads)
        rows = store.query("SELECT ?s WHERE { ?s <http://ex/n> ?n }").rows
        assert len(rows) == 10_001 and len({row["s"] for row in rows}) == 10_001
        store.close()
