"""The command line through click's CliRunner: exit codes, formats, messages, README."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conflictgraph.cli import cli

from conftest import FIXTURES, MINI

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def mini_store(tmp_path_factory) -> str:
    location = tmp_path_factory.mktemp("cli") / "store"
    result = CliRunner().invoke(cli, ["build", "--store", str(location), "--no-bundled", "--graph", str(MINI)])
    assert result.exit_code == 0, result.output
    return str(location)


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^### `conflictgraph (\w[\w-]*)", readme, flags=re.M))
    assert documented == set(cli.commands), (
        f"missing from README: {set(cli.commands) - documented}; not a command: {documented - set(cli.commands)}")


def test_readme_starts_with_demo_and_test():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    assert "make demo" in first_block and "make test" in first_block


def test_query_formats(mini_store):
    text = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    as_json = run("query", "--store", mini_store, "--format", "json", text)
    assert as_json.exit_code == 0, as_json.output
    graphs = [row["g"] for row in json.loads(as_json.output)]
    assert "https://w3id.org/conflictgraph/graph/ontology" in graphs
    as_csv = run("query", "--store", mini_store, "--format", "csv", text)
    assert as_csv.output.splitlines()[0] == "g" and len(as_csv.output.splitlines()) == len(graphs) + 1
    as_tsv = run("query", "--store", mini_store, "--format", "tsv", text)
    assert len(as_tsv.output.splitlines()) == len(graphs) + 1
    as_nd = run("query", "--store", mini_store, "--format", "ndjson", text)
    assert [json.loads(line)["g"] for line in as_nd.output.splitlines()] == graphs
    as_md = run("query", "--store", mini_store, "--format", "markdown", text)
    assert as_md.output.startswith("| g |")
    table = run("query", "--store", mini_store, text)
    assert "cgg:ontology" in table.output


def test_query_from_file_and_ask(mini_store, tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("ASK { ?s a <https://w3id.org/conflictgraph/ontology#Alliance> }")
    result = run("query", "--store", mini_store, "@" + str(path))
    assert result.exit_code == 0 and result.output.strip() == "true"


def test_service_and_updates_are_refused_with_exit_2(mini_store):
    service = run("query", "--store", mini_store, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert service.exit_code == 2 and "SERVICE is refused" in service.output
    update = run("query", "--store", mini_store, "DELETE WHERE { ?s ?p ?o }")
    assert update.exit_code == 2 and "updates are refused" in update.output
    assert "Traceback" not in service.output + update.output


def test_bad_query_is_a_message_not_a_traceback(mini_store):
    result = run("query", "--store", mini_store, "SELECT * WHERE { ?s ?p }")
    assert result.exit_code == 2 and "does not parse" in result.output
    unknown = run("query", "--store", mini_store, "no-such-query")
    assert unknown.exit_code == 2 and "queries" in unknown.output


def test_named_query_parameters_are_checked(mini_store):
    misspelt = run("query", "--store", mini_store, "launchers-of-operaton", "--param", "operation=x")
    assert misspelt.exit_code == 2 and "no named query 'launchers-of-operaton'" in misspelt.output
    undated = run("query", "--store", mini_store, "side-as-of", "--param", "actor=x")
    assert undated.exit_code == 2 and "query 'side-as-of' needs --param date=<date>" in undated.output


def test_unknown_name_suggests_close_matches(mini_store):
    result = run("show", "--store", mini_store, "Highland Defense Forse")
    assert result.exit_code == 1
    assert "Highland Defence Force" in result.output


def test_show_json_has_sources(mini_store):
    result = run("show", "--store", mini_store, "--format", "json", "HDF")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["label"] == "Highland Defence Force"
    assert all(rel["sources"] for rel in report["relationships"])


def test_validate_reports_file_and_exit_1():
    bad = FIXTURES / "bad" / "end-before-start.trig"
    result = run("validate", "--no-bundled", "--graph", str(MINI), str(bad))
    assert result.exit_code == 1, result.output
    assert "end-before-start.trig" in result.output and "ends before it starts" in result.output


def test_validate_passes_on_the_bundled_graph():
    result = run("validate")
    assert result.exit_code == 0, result.output


def test_parse_error_names_file_line_column(tmp_path):
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix x: <http://x/> .\nx:a x:b\n")
    result = run("validate", "--no-bundled", "--graph", str(MINI), str(broken))
    assert result.exit_code == 1
    assert re.search(r"broken\.ttl:\d+:\d+: ", result.output), result.output
    assert "Traceback" not in result.output


def test_claims_filters_by_about_and_claimant(mini_store):
    every = run("claims", "--store", mini_store, "--format", "json")
    assert every.exit_code == 0, every.output
    rows = json.loads(every.output)
    assert rows and all(r["source"] for r in rows)
    about = rows[0]["aboutLabel"]
    narrowed = json.loads(run("claims", "--store", mini_store, "--format", "json", "--about", about).output)
    assert narrowed and {r["aboutLabel"] for r in narrowed} == {about}
    claimant = next(r["claimantLabel"] for r in rows if r["claimantLabel"])
    by = json.loads(run("claims", "--store", mini_store, "--format", "json", "--claimant", claimant).output)
    assert by and {r["claimantLabel"] for r in by} == {claimant}


def test_conflicts_lists_both_sides_with_sources(mini_store):
    result = run("conflicts", "--store", mini_store, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows
    assert all(r["source"] and r["otherSource"] for r in rows)
    table = run("conflicts", "--store", mini_store)
    assert "one side" in table.output and "other side" in table.output


def test_read_commands_do_not_import_heavy_libraries(mini_store):
    """query and show stay fast: no igraph, pyvis, networkx or pyshacl on their path."""
    import subprocess
    import sys
    code = ("import sys; from conflictgraph.cli import cli; "
            "from click.testing import CliRunner; r = CliRunner(); "
            f"a = r.invoke(cli, ['query', '--store', {mini_store!r}, 'ASK {{ ?s ?p ?o }}']); "
            f"b = r.invoke(cli, ['show', '--store', {mini_store!r}, 'HDF']); "
            "assert a.exit_code == 0 and b.exit_code == 0, (a.output, b.output); "
            "heavy = [m for m in ('igraph', 'pyvis', 'networkx', 'pyshacl') if m in sys.modules]; "
            "assert not heavy, heavy")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
