"""Virtuoso (Debian's virtuoso-opensource 7.2, its own defaults) as a shared store: build,
import of the UCDP fixture and the read and network commands give the embedded store's
answers; updates go to /sparql-auth with HTTP Digest, in pieces it accepts (the commands stage
large changes through its Graph Store Protocol endpoint; the store below writes INSERT DATA)."""
from __future__ import annotations

import json
import re
import sys

import pytest
from click.testing import CliRunner

from conflictgraph.cli.main import cli
from conflictgraph.query.catalog import load_catalog
from conflictgraph.rdf.namespaces import DATASET_GRAPHS, GRAPH_BUILD, GRAPHS
from conflictgraph.rdf.terms import IRI, Literal
from conflictgraph.store.remote import Endpoint, RemoteStore
from conftest import FIXTURES, ROOT, copy_store, named_query_params

pytestmark = pytest.mark.slow  # a real Virtuoso server

UCDP = FIXTURES / "ucdp" / "ged.csv"
COUNT = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
OTHER = "http://other-team.example/survey"


def _run(*args: str, exit_codes: tuple[int, ...] = (0,)) -> str:
    result = CliRunner().invoke(cli, ["-q", *args])
    assert result.exit_code in exit_codes, result.output
    return result.output


def _store(virtuoso) -> RemoteStore:
    """The server without its Graph Store Protocol URL: writes go as INSERT DATA of 500 triples."""
    return RemoteStore(Endpoint.from_urls(virtuoso.query, virtuoso.update, user=virtuoso.user,
                                          password=virtuoso.password))


def _counts(where: list[str]) -> dict:
    """Quads per graph of conflictgraph's, without the record of a remote build (the embedded
    store has none): the server's own graphs and other people's are left out."""
    rows = json.loads(_run("query", COUNT, "--format", "json", *where))
    return {row["g"]: row["n"] for row in rows if row["g"] != GRAPH_BUILD and
            (row["g"].startswith(GRAPHS) or "/id/src/" in row["g"])}


def _unordered(value):
    """``value`` with every list sorted: rows a query orders by a column they share (claims of
    one date, the types of an event) may come in either order from two engines."""
    if isinstance(value, dict):
        return {key: _unordered(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted((_unordered(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    return value


def _same(command: list[str], remote: list[str], local: list[str]) -> None:
    """The command's answer on Virtuoso is the embedded store's: the same rows in any order
    (JSON: the same document with its lists in any order)."""
    answer, expected = _run(*command, *remote), _run(*command, *local)
    if "json" in command:
        assert json.loads(answer) and _unordered(json.loads(answer)) == _unordered(json.loads(expected)), command
    else:
        assert len(answer.splitlines()) > 1, command
        assert sorted(answer.splitlines()) == sorted(expected.splitlines()), command


@pytest.fixture(scope="module")
def imported(virtuoso, bundled_on_disk, tmp_path_factory):
    """(remote options, local options, graphs on the server before): the bundled graph and the
    UCDP fixture on Virtuoso, built and imported through the CLI, and the same on disk. Another
    team's graph is on the server before the build, with Virtuoso's own (unless an earlier test
    of the session dropped them)."""
    store = _store(virtuoso)
    store.add_quads([(IRI("http://other-team.example/site/1"), IRI("http://other-team.example/visited"),
                      Literal("2024-01-05"), OTHER)])
    before = set(store.named_graphs())
    remote = virtuoso.cli_options()
    assert _run("build", *remote).startswith(f"built {virtuoso.query}:")
    local = str(copy_store(bundled_on_disk, tmp_path_factory.mktemp("virtuoso-local")))
    rejects = tmp_path_factory.mktemp("rejects") / "rejects.csv"
    for where in (remote, ["--store", local]):
        _run("import", "ucdp", str(UCDP), "--rejects", str(rejects), *where, exit_codes=(1,))  # some rows bad on purpose
    yield remote, ["--store", local], before
    store.close()


def test_build_and_import_give_the_embedded_graphs(imported, virtuoso):
    remote, local, before = imported
    counts = _counts(remote)
    assert counts == _counts(local) and any("/dataset/" in g for g in counts)
    store = _store(virtuoso)
    try:  # the other team's graph and Virtuoso's own are still there, no staging graph is left
        assert store.query(f"ASK {{ GRAPH <{OTHER}> {{ ?site <http://other-team.example/visited> ?day }} }}").boolean
        assert before <= set(store.named_graphs()) and store.staging_graphs() == []
    finally:
        store.close()


@pytest.mark.parametrize("command", [
    ["query", "alliance-members", "-p", "alliance=Three Brotherhood", "--format", "csv"],
    ["show", "KNPLF", "--format", "json"],
    ["claims", "--format", "csv"], ["conflicts", "--format", "csv"],
    ["timeline", "--format", "csv"], ["centrality", "--format", "csv"],
    ["centrality", "--evidence", "ucdp-ged", "--format", "csv"],
    ["path", "Ta'ang National Liberation Army", "Arakan Army", "--format", "json"],
], ids=lambda c: " ".join(c[:2]))
def test_commands_give_the_embedded_answers(imported, command):
    remote, local, _before = imported
    _same(command, remote, local)


# Named queries whose answers on Virtuoso 7.2.5 differ in some runs: side-as-of answered no rows
# once in a clean-clone CI run, and the embedded answer in every other (five fresh servers in a
# row, this module after the Store suite's Virtuoso tests, and this module alone four times).
# Not from a cut answer: with Debian's settings a query past MaxQueryExecutionTime is an error,
# Virtuoso answers part of it ("anytime", X-SQL-State S1TAT) only when the request asks for a
# timeout, which the client never does.
VIRTUOSO_VARIES = {"side-as-of"}


def _named(name: str):
    if name in VIRTUOSO_VARIES:
        return pytest.param(name, marks=pytest.mark.xfail(strict=False, reason="Virtuoso 7.2.5 answers it "
                                                                              "differently in some runs"))
    return name


@pytest.mark.parametrize("name", [_named(name) for name in sorted(load_catalog())])
def test_every_named_query_gives_the_embedded_answer(imported, name):
    remote, local, _before = imported
    params = [arg for key, value in named_query_params(load_catalog()[name]).items() for arg in ("-p", f"{key}={value}")]
    _same(["query", name, *params, "--format", "json"], remote, local)


def test_a_wrong_password_is_refused_and_never_printed(virtuoso):
    result = CliRunner().invoke(cli, ["import", "ucdp", str(UCDP), "--endpoint", virtuoso.query, "--update-endpoint",
                                      virtuoso.update, "--endpoint-user", virtuoso.user,
                                      "--endpoint-password", "not-the-password-42"])
    assert result.exit_code == 1 and "401" in result.output and "not-the-password-42" not in result.output


def test_answers_of_the_row_limit_and_past_it_are_read_whole(imported, virtuoso):
    """Debian's Virtuoso cuts answers at 10,000 rows (ResultSetMaxRows) and sorts at most 10,000
    for a LIMIT (MaxSortedTopRows): an answer of 10,000 rows is read as it is (after one count),
    one of 10,001 in pages, the second cut from a subquery Virtuoso sorts whole."""
    remote = imported[0]
    store = _store(virtuoso)
    big = "http://other-team.example/big"
    try:
        store.add_quads([(IRI(f"http://other-team.example/n{i}"), IRI("http://other-team.example/p"), Literal(str(i)), big)
                         for i in range(10_001)])
        text = f"SELECT ?s WHERE {{ GRAPH <{big}> {{ ?s ?p ?o }} }}"
        rows = _run("query", text, "--format", "csv", *remote).splitlines()
        assert len(rows) == 1 + 10_001 and len(set(rows)) == len(rows)
        store.update(f"DELETE WHERE {{ GRAPH <{big}> {{ <http://other-team.example/n0> ?p ?o }} }}")
        rows = _run("query", text, "--format", "csv", *remote).splitlines()
        assert len(rows) == 1 + 10_000 and len(set(rows)) == len(rows)
    finally:
        store.clear_graph(big)
        store.close()


# Last in this module: it imports into the stores the tests above compare.
def test_an_import_past_the_row_limit_gives_the_embedded_answers(imported, tmp_path):
    """1,000 synthetic ACLED rows on Virtuoso with Debian's limits: every triple of the dataset
    (about 22,000 rows; Virtuoso writes true as 1, and its points, kept in single precision, are
    left out) and the network over its events are the embedded store's."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_import import generate

    remote, local, _before = imported
    data = tmp_path / "acled.csv"
    generate(data, 1_000)
    for where in (remote, local):
        _run("import", "acled", str(data), "--rejects", str(tmp_path / "rejects.csv"), *where, exit_codes=(0, 1))
    every = (f"SELECT ?s ?p ?o WHERE {{ GRAPH <{DATASET_GRAPHS}acled> {{ ?s ?p ?o }} "
             "FILTER (?p != <http://www.opengis.net/ont/geosparql#asWKT>) }")
    answer = _run("query", every, "--format", "csv", *remote).splitlines()
    expected = [re.sub(r",true$", ",1", line) for line in _run("query", every, "--format", "csv", *local).splitlines()]
    assert len(answer) > 15_000 and sorted(answer) == sorted(expected)
    _same(["centrality", "--evidence", "acled", "--format", "csv"], remote, local)
