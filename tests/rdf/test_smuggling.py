"""Over a hundred ways to smuggle SERVICE past the check: all refused, no connection made."""
from __future__ import annotations

import pytest

from conflictgraph.errors import QueryError, QueryRefused
from conftest import Listener, run_cli
from fixtures.smuggling import smuggling_queries


@pytest.fixture
def listener():
    found = Listener()
    yield found
    found.close()


def test_the_corpus_is_large_and_varied(listener):
    queries = smuggling_queries(listener.url)
    assert len(queries) >= 100
    assert any("\\u0022" in q for q in queries) and any("\\U00000022" in q for q in queries)


@pytest.mark.parametrize("step", [pytest.param(1, marks=pytest.mark.slow, id="all"), pytest.param(10, id="a tenth")])
def test_every_variant_is_refused_by_the_library_and_none_connects(mini, listener, step):
    slipped = []
    for query in smuggling_queries(listener.url)[::step]:
        try:
            mini.query(query)
            slipped.append(query)
        except (QueryRefused, QueryError):
            pass
    assert slipped == []
    assert listener.connections == 0


def test_every_variant_is_refused_by_the_cli_and_none_connects(mini_on_disk, listener):
    for query in smuggling_queries(listener.url)[::20]:
        result = run_cli("query", "--store", mini_on_disk, query)
        assert result.exit_code == 2, (query, result.output)
    assert listener.connections == 0


def test_the_string_trick_alone_is_caught():
    """The example that got through before: strings opened and closed by \\u0022."""
    query = ('SELECT * WHERE { BIND(CONCAT("a\\u0022, ") AS ?x) SERVICE <http://127.0.0.1:9/sparql> '
             '{ ?s ?p ?o } BIND(CONCAT(", \\u0022b") AS ?y) }')
    with pytest.raises(QueryRefused, match="SERVICE"):
        from conflictgraph.rdf.safety import check_query
        check_query(query)


def test_ordinary_queries_with_escapes_still_run(mini):
    assert mini.query('ASK { ?s ?p "x\\u0041" }').kind == "ask"
    assert mini.query('SELECT ?s WHERE { ?s skos:prefLabel "Highland Defence Force"@en }').rows
