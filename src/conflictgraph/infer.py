"""Apply the CONSTRUCT rules of ontology/rules/ in order; their output is the inferred graph.

Each rule sees the asserted graphs and what earlier rules inferred. Re-running replaces the
inferred graph, so inferred triples can always be told from asserted ones.

The rules stay CONSTRUCT queries (readable, and testable on their own); to run one, its text is
turned into ``INSERT { GRAPH <inferred> { template } } WHERE ...`` (:func:`rule_to_insert`) and
executed by the engine, so no inferred triple passes through Python. The WHERE clause reads every
named graph (``USING``, one per graph), as a query over the union of the graphs would.

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
from conflictgraph.store.remote import construct_to_insert
from conflictgraph.terms import IRI

__all__ = ["run_rules", "rule_to_insert"]

_COUNT = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def rule_to_insert(construct: str, graph: str, using: list[str] | None = None) -> str:
    """A CONSTRUCT rule as ``INSERT { GRAPH <graph> { template } } WHERE ...``, reading ``using``.

    The template is found by matching braces outside strings, IRIs and comments (the small
    SPARQL lexer of :func:`conflictgraph.store.remote.construct_to_insert`); prefixes, comments
    and the WHERE clause are kept as written.

    >>> print(rule_to_insert('CONSTRUCT { ?s ?p "}" } WHERE { ?s ?p ?o }', "http://ex/inf", ["http://ex/g"]))
    INSERT { GRAPH <http://ex/inf> { ?s ?p "}" } }
    USING <http://ex/g> WHERE { ?s ?p ?o }
    """
    return construct_to_insert(construct, graph, using)


def _count(store: Store, graph: str) -> int:
    rows = store.query(_COUNT, bindings={"g": IRI(graph)}).rows
    return int(rows[0]["n"].value) if rows else 0


def run_rules(store: Store, ontology: Ontology) -> dict[str, int]:
    """Clear the inferred graph, run every rule in the engine, and return the number of triples
    each added to the inferred graph (counted before and after it).

    Rules that add nothing are left out of the counts.
    """
    store.clear_graph(GRAPH_INFERRED)
    using = [g for g in store.named_graphs() if g != GRAPH_INFERRED] + [GRAPH_INFERRED]
    counts: dict[str, int] = {}
    total = 0
    for path in ontology.rule_paths:
        store.update(rule_to_insert(path.read_text(encoding="utf-8"), GRAPH_INFERRED, using))
        after = _count(store, GRAPH_INFERRED)
        if after > total:
            counts[path.stem] = after - total
        total = after
    return counts
