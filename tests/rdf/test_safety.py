"""Queries from outside the code are parsed first: SERVICE and updates never run."""
from __future__ import annotations

import socket
import threading

import pytest

from conflictgraph.errors import QueryError, QueryRefused
from conflictgraph.rdf.safety import check_query


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
