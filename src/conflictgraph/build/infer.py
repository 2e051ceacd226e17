"""Apply the CONSTRUCT rules of ontology/rules/ in order; their output is the inferred graph.

Each rule sees the asserted graphs and what earlier rules inferred. Re-running replaces the
inferred graph, so inferred triples can always be told from asserted ones.

The rules stay CONSTRUCT queries (readable, and testable on their own); to run one, its text is
turned into ``INSERT { GRAPH <inferred> { template } } WHERE ...`` (:func:`rule_to_insert`) and
executed by the engine, so no inferred triple passes through Python. The WHERE clause reads the
curated layer (``USING``, one per graph: ontology, reference, source documents, import log) and
the inferred graph.

Imported datasets are not read by the rules. A dataset graph holds events, and the actors,
places and geometries they use, never ties or statements, so the only rule with anything to say
about it is the date-bound rule; the importer applies that rule itself, as it maps the rows, into
the dataset's own inferred graph (``cgg:inferred/dataset/<key>``; see
:func:`conflictgraph.importers.common.bound_facts`). Running it in the engine over a hundred
thousand events would cost more than the rest of an import, and would have to be repeated by
every later build and import.

Examples
--------
>>> from conflictgraph.store import open_store
>>> from conflictgraph.build.ontology import load_ontology
>>> run_rules(open_store(), load_ontology())
{}
"""
from __future__ import annotations

from conflictgraph.build.ontology import Ontology
from conflictgraph.rdf.namespaces import DATASET_GRAPHS, DATASET_INFERRED_GRAPHS, GRAPH_INFERRED
from conflictgraph.rdf.sparql_text import construct_to_insert
from conflictgraph.rdf.terms import IRI, lexical
from conflictgraph.store.base import Store

__all__ = ["run_rules", "rule_to_insert", "rule_inputs"]

_COUNT = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def rule_to_insert(construct: str, graph: str, using: list[str] | None = None) -> str:
    """A CONSTRUCT rule as ``INSERT { GRAPH <graph> { template } } WHERE ...``, reading ``using``.

    The template is found by matching braces outside strings, IRIs and comments (the small
    SPARQL lexer of :func:`conflictgraph.rdf.sparql_text.construct_to_insert`); prefixes, comments
    and the WHERE clause are kept as written.

    >>> print(rule_to_insert('CONSTRUCT { ?s ?p "}" } WHERE { ?s ?p ?o }', "http://ex/inf", ["http://ex/g"]))
    INSERT { GRAPH <http://ex/inf> { ?s ?p "}" } }
    USING <http://ex/g> WHERE { ?s ?p ?o }
    """
    return construct_to_insert(construct, graph, using)


def rule_inputs(graphs: list[str]) -> list[str]:
    """The graphs the rules read: every named graph but the imported datasets and the inferred
    graphs, then the inferred graph (so a rule sees what earlier rules added).

    >>> from conflictgraph.rdf.namespaces import GRAPHS
    >>> [g.removeprefix(GRAPHS) for g in rule_inputs([GRAPHS + "reference", GRAPHS + "dataset/acled",
    ...                                                GRAPHS + "inferred/dataset/acled", GRAPHS + "inferred"])]
    ['reference', 'inferred']
    """
    curated = [g for g in graphs if g != GRAPH_INFERRED and not g.startswith((DATASET_GRAPHS, DATASET_INFERRED_GRAPHS))]
    return curated + [GRAPH_INFERRED]


def _count(store: Store, graph: str) -> int:
    rows = store.query(_COUNT, bindings={"g": IRI(graph)}).rows
    return int(lexical(rows[0]["n"])) if rows else 0


def run_rules(store: Store, ontology: Ontology) -> dict[str, int]:
    """Clear the inferred graph, run every rule in the engine, and return the number of triples
    each added to the inferred graph (counted before and after it).

    Rules that add nothing are left out of the counts.
    """
    store.clear_graph(GRAPH_INFERRED)
    using = rule_inputs(store.named_graphs())
    counts: dict[str, int] = {}
    total = 0
    for path in ontology.rule_paths:
        store.update(rule_to_insert(path.read_text(encoding="utf-8"), GRAPH_INFERRED, using))
        after = _count(store, GRAPH_INFERRED)
        if after > total:
            counts[path.stem] = after - total
        total = after
    return counts
