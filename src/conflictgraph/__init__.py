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
from conflictgraph.api import ConflictGraph, NetworkSpec, build_store, open_graph
from conflictgraph.errors import ConflictGraphError

__all__ = ["ConflictGraph", "ConflictGraphError", "NetworkSpec", "build_store", "open_graph"]
__version__ = "0.1.0"
