"""Shared fixtures: stores built once per session from the bundled graph and the mini fixture."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conflictgraph.api import ConflictGraph
from conflictgraph.build import build_store
from conflictgraph.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def run_cli(*args: str):
    """The command line, run in this process."""
    return CliRunner().invoke(cli, list(args))


def count_quads(store: Path | str) -> int:
    """How many quads the store's named graphs hold, asked through the CLI."""
    result = run_cli("query", "--store", str(store), "--format", "json", COUNT_QUADS)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)[0]["n"]


@pytest.fixture(scope="session")
def bundled() -> ConflictGraph:
    """The bundled curated graph, built in memory once for the whole run."""
    store, _report = build_store(":memory:")
    return ConflictGraph(store)


@pytest.fixture(scope="session")
def mini() -> ConflictGraph:
    """The small hand-made fixture graph (tests/fixtures/mini), without the bundled graph."""
    store, _report = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
    return ConflictGraph(store)
