"""conflictgraph: a knowledge graph of armed conflict.

The library mirrors the command line: build a store from graph folders, query it with bound
parameters, look entities up by name, and see the statements and sources behind every answer.

Examples
--------
>>> import conflictgraph as cg
>>> graph = cg.open_graph(":memory:")          # builds the bundled graph in memory
>>> rows = graph.query_named("alliance-members", alliance="Three Brotherhood Alliance")
>>> sorted(str(r["memberLabel"]) for r in rows)[:1]
['Arakan Army']
"""
from conflictgraph.api import ConflictGraph, open_graph
from conflictgraph.errors import ConflictGraphError

__all__ = ["ConflictGraph", "ConflictGraphError", "open_graph"]
__version__ = "0.1.0"
