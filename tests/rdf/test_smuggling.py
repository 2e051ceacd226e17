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


NETWORK_WALL_SCRIPT = """
import sys
import pyoxigraph
from conflictgraph.rdf.safety import deny_network
why = deny_network()
if why:
    print("NOT DENIED", why)
    sys.exit(0)
try:
    list(pyoxigraph.Store().query("SELECT * WHERE { SERVICE <%s> { ?s ?p ?o } }"))
    print("RAN")
except Exception as err:
    print("FAILED", type(err).__name__)
"""


def _root() -> bool:
    import os
    return hasattr(os, "geteuid") and os.geteuid() == 0


def test_a_process_cut_off_the_network_cannot_reach_a_service_even_unchecked(listener):
    """The third wall: a query that no check looked at (run on the engine directly) still opens
    no connection from a process that denied itself the network."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", NETWORK_WALL_SCRIPT % listener.url], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    if out.stdout.startswith("NOT DENIED"):
        assert not _root(), f"root may create a network namespace: {out.stdout}"
        pytest.skip(f"this machine lets no one but root cut a process off the network: {out.stdout.strip()}")
    assert out.stdout.startswith("FAILED"), out.stdout
    assert listener.connections == 0


def test_the_cli_query_command_is_cut_off_the_network(mini_on_disk, listener):
    """Even if both checks were fooled (here: switched off in the child process), ``query`` on a
    local store runs where no network is, and the engine reaches nothing."""
    import subprocess
    import sys

    code = ("import sys, conflictgraph.api as api; api.check_query = lambda text, **_: 'select'; "
            "from conflictgraph.cli.main import main; sys.argv = ['conflictgraph', *sys.argv[1:]]; main()")
    out = subprocess.run([sys.executable, "-c", code, "query", "--store", mini_on_disk,
                          f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"],
                         capture_output=True, text=True, timeout=60)
    if "unreachable" not in out.stderr and not _root():
        pytest.skip("this machine lets no one but root cut a process off the network")
    assert out.returncode != 0 and "unreachable" in out.stderr.lower(), (out.stdout, out.stderr)
    assert listener.connections == 0


def test_a_checked_text_is_remembered_and_a_refused_one_refused_every_time(listener):
    from conflictgraph.rdf import safety

    text = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 7"
    safety.check_query(text)
    hits = safety._checked.cache_info().hits
    assert safety.check_query(text) == "select" and safety._checked.cache_info().hits == hits + 1
    refused = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    for _ in range(2):
        with pytest.raises(QueryRefused):
            safety.check_query(refused)
    assert listener.connections == 0
