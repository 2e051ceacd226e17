"""The read commands and validate through click's CliRunner: exit codes, formats, messages.
(The README's and docs/cli.md's coverage of the commands: tests/test_readme.py, tests/test_cli_reference.py.)"""
from __future__ import annotations

import json
import re

import pytest

from conftest import FIXTURES, MINI, run_cli as run


def test_query_formats(mini_on_disk):
    text = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    as_json = run("query", "--store", mini_on_disk, "--format", "json", text)
    assert as_json.exit_code == 0, as_json.output
    graphs = [row["g"] for row in json.loads(as_json.output)]
    assert "https://w3id.org/conflictgraph/graph/ontology" in graphs
    as_csv = run("query", "--store", mini_on_disk, "--format", "csv", text)
    assert as_csv.output.splitlines()[0] == "g" and len(as_csv.output.splitlines()) == len(graphs) + 1
    as_tsv = run("query", "--store", mini_on_disk, "--format", "tsv", text)
    assert len(as_tsv.output.splitlines()) == len(graphs) + 1
    as_nd = run("query", "--store", mini_on_disk, "--format", "ndjson", text)
    assert [json.loads(line)["g"] for line in as_nd.output.splitlines()] == graphs
    as_md = run("query", "--store", mini_on_disk, "--format", "markdown", text)
    assert as_md.output.startswith("| g |")
    table = run("query", "--store", mini_on_disk, text)
    assert "cgg:ontology" in table.output


def test_query_honours_from(mini_on_disk):
    """A FROM clause names the default graph; without one it is the union of all graphs."""
    def count(dataset: str) -> int:
        result = run("query", "--store", mini_on_disk, "--format", "json",
                     f"SELECT (COUNT(*) AS ?n) {dataset} WHERE {{ ?s ?p ?o }}")
        assert result.exit_code == 0, result.output
        return int(json.loads(result.output)[0]["n"])

    union, ontology = count(""), count("FROM cgg:ontology")
    assert count("FROM <http://example.org/none>") == 0
    assert 0 < ontology < union
    assert count("FROM cgg:ontology FROM NAMED cgg:reference") == ontology


def test_query_from_file_and_ask(mini_on_disk, tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("ASK { ?s a <https://w3id.org/conflictgraph/ontology#Alliance> }")
    result = run("query", "--store", mini_on_disk, "@" + str(path))
    assert result.exit_code == 0 and result.output.strip() == "true"


def test_service_and_updates_are_refused_with_exit_2(mini_on_disk):
    service = run("query", "--store", mini_on_disk, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert service.exit_code == 2 and "SERVICE is refused" in service.output
    update = run("query", "--store", mini_on_disk, "DELETE WHERE { ?s ?p ?o }")
    assert update.exit_code == 2 and "updates are refused" in update.output
    assert "Traceback" not in service.output + update.output


def test_bad_query_is_a_message_not_a_traceback(mini_on_disk):
    result = run("query", "--store", mini_on_disk, "SELECT * WHERE { ?s ?p }")
    assert result.exit_code == 2 and "does not parse" in result.output
    unknown = run("query", "--store", mini_on_disk, "no-such-query")
    assert unknown.exit_code == 2 and "queries" in unknown.output


def test_named_query_parameters_are_checked(mini_on_disk):
    misspelt = run("query", "--store", mini_on_disk, "launchers-of-operaton", "--param", "operation=x")
    assert misspelt.exit_code == 2 and "no named query 'launchers-of-operaton'" in misspelt.output
    undated = run("query", "--store", mini_on_disk, "side-as-of", "--param", "actor=x")
    assert undated.exit_code == 2 and "query 'side-as-of' needs --param date=<date>" in undated.output


def test_unknown_name_suggests_close_matches(mini_on_disk):
    result = run("show", "--store", mini_on_disk, "Highland Defense Forse")
    assert result.exit_code == 1
    assert "Highland Defence Force" in result.output


def test_show_json_has_sources(mini_on_disk):
    result = run("show", "--store", mini_on_disk, "--format", "json", "HDF")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["label"] == "Highland Defence Force"
    assert all(rel["sources"] for rel in report["relationships"])


def test_validate_reports_file_and_exit_1():
    bad = FIXTURES / "bad" / "end-before-start.trig"
    result = run("validate", "--no-bundled", "--graph", str(MINI), str(bad))
    assert result.exit_code == 1, result.output
    assert "end-before-start.trig" in result.output and "ends before it starts" in result.output


@pytest.mark.slow  # validates the whole bundled graph
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


def test_claims_filters_by_about_and_claimant(mini_on_disk):
    every = run("claims", "--store", mini_on_disk, "--format", "json")
    assert every.exit_code == 0, every.output
    rows = json.loads(every.output)
    assert rows and all(r["source"] for r in rows)
    about = rows[0]["aboutLabel"]
    narrowed = json.loads(run("claims", "--store", mini_on_disk, "--format", "json", "--about", about).output)
    assert narrowed and {r["aboutLabel"] for r in narrowed} == {about}
    claimant = next(r["claimantLabel"] for r in rows if r["claimantLabel"])
    by = json.loads(run("claims", "--store", mini_on_disk, "--format", "json", "--claimant", claimant).output)
    assert by and {r["claimantLabel"] for r in by} == {claimant}


@pytest.mark.slow  # the bundled graph on disk
def test_claims_command_gives_a_row_per_claim_and_statement(bundled_on_disk):
    result = run("--quiet", "claims", "--about", "KNPLF", "--store", bundled_on_disk, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    keys = [(r["claim"], r["source"], r["statementDate"]) for r in rows]
    assert len(keys) == len(set(keys)) and len(rows) >= 5
    assert all("knplf" in r["about"] for r in rows)  # every claim is about KNPLF, among others maybe


def test_conflicts_lists_both_sides_with_sources(mini_on_disk):
    result = run("conflicts", "--store", mini_on_disk, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows
    assert all(r["source"] and r["otherSource"] for r in rows)
    table = run("conflicts", "--store", mini_on_disk)
    assert "one side" in table.output and "other side" in table.output


def test_read_commands_do_not_import_heavy_libraries(mini_on_disk):
    """query and show stay fast: no igraph, pyvis, networkx or pyshacl on their path."""
    import subprocess
    import sys
    code = ("import sys; from conflictgraph.cli.main import cli; "
            "from click.testing import CliRunner; r = CliRunner(); "
            f"a = r.invoke(cli, ['query', '--store', {mini_on_disk!r}, 'ASK {{ ?s ?p ?o }}']); "
            f"b = r.invoke(cli, ['show', '--store', {mini_on_disk!r}, 'HDF']); "
            "assert a.exit_code == 0 and b.exit_code == 0, (a.output, b.output); "
            "heavy = [m for m in ('igraph', 'pyvis', 'networkx', 'pyshacl') if m in sys.modules]; "
            "assert not heavy, heavy")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_no_bundled_alone_makes_an_empty_store_ready_for_imports(tmp_path):
    """A conflict the bundled graph knows nothing about: start empty, import, analyse."""
    store = str(tmp_path / "store")
    built = run("build", "--no-bundled", "--store", store)
    assert built.exit_code == 0, built.output
    assert "0 sources" in built.output
    count = run("query", "--store", store, "--format", "json", "SELECT (COUNT(*) AS ?n) WHERE { ?a a cg:Actor }")
    assert json.loads(count.output) == [{"n": 0}]
    imported = run("import", "ucdp", str(FIXTURES / "ucdp" / "ged.csv"), "--store", store,
                       "--rejects", str(tmp_path / "rejects.csv"))
    assert "10 imported" in imported.output
    timeline = run("timeline", "--store", store, "--by", "year", "--format", "json")
    assert json.loads(timeline.output) == [{"period": "2023", "events": 10, "fatalities": 81, "curated": 0,
                                            "imported": 10, "curated_fatalities": 0, "imported_fatalities": 81}]
    ranked = run("centrality", "--store", store, "--format", "json", "--ties", "hostile")
    assert ranked.exit_code == 0 and len(json.loads(ranked.output)["rows"]) == 8


def test_claims_and_conflicts_say_none_on_a_store_without_curated_statements(tmp_path):
    store = str(tmp_path / "store")
    assert run("build", "--no-bundled", "--store", store).exit_code == 0
    for command, title in (("claims", "Claims"), ("conflicts", "Disagreements between sources")):
        result = run(command, "--store", store)
        assert result.exit_code == 0 and f"{title}: none" in result.output
        assert "curated graph folders" in result.output
    assert run("claims", "--store", store, "--format", "json").output.strip() == "[]"
