"""Shared fixtures: stores built once per session from the bundled graph and the mini fixture."""
from __future__ import annotations

from pathlib import Path

import pytest

from conflictgraph.api import ConflictGraph
from conflictgraph.build import build_store

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"


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
