"""The network commands through click's CliRunner, on the network fixture."""
from __future__ import annotations

import csv
import gc
import io
import json
import subprocess
import sys

import pytest

from conftest import run_cli as run

ACTOR = "https://w3id.org/conflictgraph/id/actor/"


@pytest.fixture(scope="module")
def store(network_on_disk) -> str:
    """The network fixture built on disk through the CLI."""
    return network_on_disk


def test_cli_import_does_not_load_igraph_networkx_or_scipy():
    # the analyses import them when they run, so commands that do not analyse start fast
    code = ("import conflictgraph.cli.main, sys; "
            "assert not {'igraph', 'networkx', 'scipy'} & set(sys.modules), sorted(sys.modules)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_centrality_json_states_the_analysis(store):
    result = run("centrality", "--store", store, "--as-of", "2023-12-01", "--measure", "betweenness", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["analysis"]["window"] == "as of 2023-12-01" and payload["analysis"]["nodes"] == 8
    top = payload["rows"][:2]
    assert {r["actor"] for r in top} == {"Charlie League", "Delta Guard"}
    assert top[0]["betweenness"] == pytest.approx(6 / 21)


def test_centrality_table_notes_what_it_used(store):
    result = run("centrality", "--store", store, "--measure", "degree", "--top", "3")
    assert result.exit_code == 0, result.output
    assert "Charlie League" in result.stdout
    assert "actors view, all dates" in result.stderr and "8 nodes, 7 ties" in result.stderr


def test_path_json_and_table(store):
    result = run("path", "--store", store, "Alpha Front", "SF", "--as-of", "2023-12-01", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    [path] = payload["paths"]
    assert [hop["to_label"] for hop in path] == ["Charlie League", "Delta Guard", "Echo Force", "Sierra Front"]
    assert all(hop["sources"] for hop in path)
    markdown = run("path", "--store", store, "AF", "SF", "--as-of", "2023-12-01", "--format", "markdown")
    assert markdown.exit_code == 0, markdown.output
    last = markdown.stdout.strip().splitlines()[-1]
    assert "Echo Force cooperates with Sierra Front" in last and "src:net-report-a" in last
    assert "| from 2020-01-01 |" in markdown.stdout and " .. |" not in markdown.stdout  # dates in words


def test_balance_table_leaves_out_empty_camps_and_tables(store):
    # cooperation alone: one camp per component, no unbalanced triangle, no frustrated tie
    args = ("balance", "--store", store, "--as-of", "2023-12-01", "--relations", "cooperates-with")
    payload = json.loads(run(*args, "--format", "json").stdout)
    assert {(camp["camp"], camp["size"] > 0) for camp in payload["camps"]} == {("A", True), ("B", False)}
    assert payload["unbalanced_triangles"] == [] and payload["frustrated"] == []
    text = run(*args)
    assert text.exit_code == 0, text.output
    assert "Unbalanced triangles: none" in text.stdout and "Frustrated ties: none" in text.stdout
    assert "│ B " not in text.stdout


def test_no_path_is_a_clear_message(store):
    result = run("path", "--store", store, "--ties", "cooperative", "Alpha Front", "Hotel Command")
    assert result.exit_code == 1
    assert "no cooperative path between Alpha Front and Hotel Command" in result.stderr
    assert "Traceback" not in result.output


def test_path_without_a_cooperative_one_crosses_any_tie_and_says_so(store):
    result = run("path", "--store", store, "Alpha Front", "Hotel Command", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["analysis"]["ties"] == "all"
    assert "no cooperative path between Alpha Front and Hotel Command" in payload["analysis"]["ties_reason"]
    hops = payload["paths"][0]
    assert "hostile" in {kind for hop in hops for kind in hop["kinds"]}
    assert all(edge["kind"] in ("cooperative", "hostile", "neutral") for hop in hops for edge in hop["edges"])
    text = run("path", "--store", store, "Alpha Front", "Hotel Command")
    assert "so the paths cross ties of any kind" in text.stderr and "hostile" in text.stdout


def test_communities_balance_diff(store):
    com = run("communities", "--store", store, "--as-of", "2023-12-01", "--format", "json")
    assert com.exit_code == 0, com.output
    assert json.loads(com.stdout)["communities"][0]["members"] == ["Alpha Front", "Bravo Army", "Charlie League",
                                                                   "Delta Guard"]
    bal = run("balance", "--store", store, "--as-of", "2023-12-01", "--format", "json")
    assert bal.exit_code == 0, bal.output
    payload = json.loads(bal.stdout)
    assert payload["unbalanced"] == 1 and payload["method"] == "exact" and payload["unbalanced_triangles"][0]["sources"]
    text = run("balance", "--store", store, "--as-of", "2023-12-01")
    assert "exact" in text.stderr
    dif = run("diff", "--store", store, "--from", "2023-01", "--to", "2023-12-01", "--format", "json")
    assert dif.exit_code == 0, dif.output
    switched = json.loads(dif.stdout)["switched"]
    assert switched[0]["actor"] == "Sierra Front" and switched[0]["after"] == "hostile"
    table = run("diff", "--store", store, "--from", "2023-01", "--to", "2023-12-01")
    assert "ranks compared on cooperative ties" in table.stderr and "ties listed are of any sign" in table.stderr


def test_diff_rows_lead_to_their_statements_and_actors(store):
    """Each changed tie names the statements behind it and the IRIs of its ends (JSON and
    CSV); a table for reading shows the statements and leaves the IRI columns to the others."""
    dif = json.loads(run("diff", "--store", store, "--from", "2023-01", "--to", "2023-12-01", "--format",
                         "json").stdout)
    curated = [t for t in dif["ties"] if t["statements"]]
    assert curated and all(s.startswith("https://w3id.org/conflictgraph/id/stmt/") for t in curated
                           for s in t["statements"])
    assert all(t["from_iri"].startswith(ACTOR) and t["to_iri"].startswith(ACTOR) for t in dif["ties"])
    switch = dif["switched"][0]
    assert switch["actor_iri"] == ACTOR + "sierra" and switch["actor"] == "Sierra Front"
    assert all(move["iri"].startswith(ACTOR) for move in dif["moves"])
    rows = list(csv.DictReader(io.StringIO(run("diff", "--store", store, "--from", "2023-01", "--to", "2023-12-01",
                                               "--format", "csv").stdout.split("\n\n")[0].split("\n", 1)[1])))
    first = curated[0]
    row = next(r for r in rows if r["from_iri"] == first["from_iri"] and r["to_iri"] == first["to_iri"]
               and r["relation"] == first["relation"] and r["change"] == first["change"])
    assert row["statements"] == "; ".join("stmt:" + s.rsplit("/", 1)[1] for s in first["statements"])
    table = run("diff", "--store", store, "--from", "2023-01", "--to", "2023-12-01").stdout
    assert "statements" in table and "from_iri" not in table and "actor_iri" not in table


def test_focus_and_export(store, tmp_path):
    out = tmp_path / "net.graphml"
    result = run("export", "--store", store, "--to", "graphml", "-o", str(out), "--focus", "Sierra Front",
                 "--depth", "1", "--as-of", "2023-12-01")
    assert result.exit_code == 0, result.output
    import networkx as nx
    graph = nx.read_graphml(out)
    assert sorted(graph.nodes[n]["label"] for n in graph) == ["Echo Force", "Hotel Command", "Sierra Front"]
    gexf = run("export", "--store", store, "--to", "gexf")
    assert gexf.exit_code == 0 and gexf.stdout_bytes.startswith(b"<?xml")


def test_usage_errors(store):
    assert run("centrality", "--store", store, "--as-of", "soon").exit_code == 2
    assert run("centrality", "--store", store, "--relations", "friends").exit_code == 2
    assert run("diff", "--store", store, "--from", "2024", "--to", "2023").exit_code == 2




def test_a_network_command_in_its_own_process_leaves_collection_to_the_exit(store, monkeypatch):
    # The console script runs one command: no cycle collection while a network is made, and
    # none as the interpreter exits (every object frozen: the last collection skips them).
    # A library caller's process keeps both.
    from conflictgraph.cli.main import main
    assert gc.isenabled() and gc.get_freeze_count() == 0
    try:
        assert run("centrality", "--store", store, "--top", "1").exit_code == 0
        assert gc.isenabled() and gc.get_freeze_count() == 0
        monkeypatch.setattr(sys, "argv", ["conflictgraph", "-q", "centrality", "--store", store, "--top", "1"])
        with pytest.raises(SystemExit) as exited:
            main()
        assert exited.value.code == 0
        assert not gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()
