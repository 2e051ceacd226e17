"""conflictgraph: a knowledge graph of armed conflict.

The library mirrors the command line: build a store from graph folders, query it with bound
parameters, look entities up by name, project networks and analyse them, and see the
statements and sources behind every answer. :class:`ConflictGraph` is the entry point.

Examples
--------
>>> import conflictgraph as cg
>>> graph = cg.ConflictGraph(cg.build_store(":memory:", graph_dirs=(MINI,), bundled=False)[0])
>>> rows = graph.query_named("alliance-members", alliance="Northern Freedom Alliance")
>>> sorted(str(r["memberLabel"]) for r in rows)[:1]
['Coastal Liberation Front']
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from conflictgraph.errors import ConflictGraphError

if TYPE_CHECKING:  # pragma: no cover
    from conflictgraph.api import ConflictGraph, NetworkSpec, build_store, open_graph

__all__ = ["ConflictGraph", "ConflictGraphError", "NetworkSpec", "build_store", "open_graph"]
__version__ = "0.1.0"


def __getattr__(name: str):
    """The library's entry points, imported when first used: a process that needs only a part
    of the package (a server's query worker) does not load all of it."""
    if name in ("ConflictGraph", "NetworkSpec", "build_store", "open_graph"):
        from conflictgraph import api
        return getattr(api, name)
    raise AttributeError(f"module 'conflictgraph' has no attribute {name!r}")
