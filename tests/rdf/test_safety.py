"""Queries from outside the code are parsed first: SERVICE and updates never run."""
from __future__ import annotations

import socket
import threading
import time

import pytest

from conflictgraph.errors import QueryError, QueryRefused
from conflictgraph.query.catalog import load_catalog
from conflictgraph.rdf import safety
from conflictgraph.rdf.namespaces import SPARQL_PREFIXES
from conflictgraph.rdf.safety import check_query
from conftest import Listener


@pytest.mark.parametrize("text", [
    "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "CLEAR ALL",
    "DROP GRAPH <http://x/g>",
])
def test_updates_are_refused(text):
    with pytest.raises(QueryRefused, match="updates are refused"):
        check_query(text)


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?a ?b ?c OPTIONAL { SERVICE SILENT <http://x/> { ?s ?p ?o } } }",
    "ASK { { SELECT ?s WHERE { SERVICE <http://x/> { ?s ?p ?o } } } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://x/> { ?s ?p ?o } }",
])
def test_service_is_refused(text):
    with pytest.raises(QueryRefused, match="SERVICE"):
        check_query(text)


def test_the_word_service_in_a_string_is_fine():
    assert check_query('SELECT * WHERE { ?s ?p "SERVICE <http://x/>" }') == "select"


def test_malformed_query_gives_the_parser_message():
    with pytest.raises(QueryError, match="line 1"):
        check_query("SELECT * WHERE { ?s ?p }")


def test_a_syntax_error_names_the_line_and_column_of_the_users_text():
    text = SPARQL_PREFIXES + "SELECT ?s\nWHERE { ?s ?p ?o .\n  FILTER(?o > ) }"
    with pytest.raises(QueryError, match=r"does not parse \(line 3, column \d+\)"):
        check_query(text, line_offset=SPARQL_PREFIXES.count("\n"))


def test_what_the_engine_cannot_run_is_refused_and_what_it_can_passes(mini):
    """The check reads the text with the engine's parser: an undeclared prefix (which rdflib's
    parser let through to fail later) is refused; LATERAL (which rdflib's refused) runs."""
    with pytest.raises(QueryError, match="does not parse"):
        check_query("SELECT * WHERE { ?s nowhere:p ?o }")
    lateral = ("SELECT ?alliance ?member WHERE { ?alliance a cg:Alliance "
               "LATERAL { SELECT ?member WHERE { ?tie cg:organization ?alliance ; cg:member ?member } LIMIT 1 } }")
    assert check_query(SPARQL_PREFIXES + lateral) == "select"
    assert mini.query(lateral).rows


def test_the_engines_parse_stops_before_anything_runs():
    """The engine would call a SERVICE within query(); the check's own parse never gets that far,
    even for a text the token scan did not see (called here without it)."""
    listener = Listener()
    try:
        for form in ("SELECT *", "ASK", "CONSTRUCT { ?s ?p ?o }", "DESCRIBE ?s"):
            safety._parse_with_engine(f"{form} WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}", 0)
        time.sleep(0.3)
    finally:
        listener.close()
    assert listener.connections == 0


def test_a_new_text_is_checked_in_well_under_30_ms():
    """Issue 20: every named query, as the server sends it, checked with the memo cleared."""
    took = {}
    for named in load_catalog().values():
        text = "BASE <http://127.0.0.1:7878/sparql>\n" + SPARQL_PREFIXES + named.text
        runs = []
        for _ in range(3):
            safety._checked.cache_clear()
            began = time.perf_counter()
            assert check_query(text) in ("select", "construct", "ask", "describe")
            runs.append(time.perf_counter() - began)
        took[named.name] = min(runs)
    assert max(took.values()) < 0.030, took


def test_service_at_a_local_listener_makes_no_connection(mini):
    """The refusal happens before execution: a listener on loopback sees no connection."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(1.5)
    port = server.getsockname()[1]
    connected = []

    def accept():
        try:
            conn, _ = server.accept()
            connected.append(True)
            conn.close()
        except OSError:
            pass

    thread = threading.Thread(target=accept)
    thread.start()
    with pytest.raises(QueryRefused):
        mini.query(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}")
    thread.join()
    server.close()
    assert connected == []
