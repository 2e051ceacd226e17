"""Apply the CONSTRUCT rules of ontology/rules/ in order; their output is the inferred graph.

Each rule sees the asserted graphs and what earlier rules inferred. Re-running replaces the
inferred graph, so inferred triples can always be told from asserted ones.

Examples
--------
>>> from conflictgraph.store import open_store
>>> from conflictgraph.ontology import load_ontology
>>> run_rules(open_store(":memory:"), load_ontology())
{}
"""
from __future__ import annotations

from conflictgraph.namespaces import GRAPH_INFERRED
from conflictgraph.ontology import Ontology
from conflictgraph.store.base import Store

__all__ = ["run_rules"]


def run_rules(store: Store, ontology: Ontology) -> dict[str, int]:
    """Clear the inferred graph, run every rule, and return the triple count each produced.

    Rules that produce nothing are left out of the counts.
    """
    store.clear_graph(GRAPH_INFERRED)
    counts: dict[str, int] = {}
    for path in ontology.rule_paths:
        result = store.query(path.read_text(encoding="utf-8"))
        if result.triples:
            store.add_quads((s, p, o, GRAPH_INFERRED) for s, p, o in result.triples)
            counts[path.stem] = len(result.triples)
    return counts
