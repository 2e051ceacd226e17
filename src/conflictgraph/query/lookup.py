"""The values of a few properties of many listed nodes, read by lookups.

An OPTIONAL per property joins that property of every node in the store (the engine joins by
hash: on a million events, seconds per property however short the list). Here each property is
one branch of a UNION over the listed nodes (a VALUES block :data:`LISTED` IRIs long), which the
engine answers by looking each node up. Blank nodes cannot be named in a query: when some are
asked for, one more query reads the properties of every blank node, and the rows of the nodes
asked for are kept. From :data:`SCANNED` nodes on, a lookup each costs more than reading each
property of every node once (on a million events, 700,000 nodes: about 80 s against 25 s), so
that is what is done.

Examples
--------
>>> from conflictgraph.build.pipeline import build_store
>>> from conflictgraph.rdf.namespaces import ID
>>> store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
>>> sorted(property_values(store, {IRI(ID + "actor/mbg")}, {"label": "skos:prefLabel"}))
[('https://w3id.org/conflictgraph/id/actor/mbg', 'label', 'Mountain Border Guard')]
"""
from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence

from conflictgraph.rdf.namespaces import SPARQL_PREFIXES
from conflictgraph.rdf.sparql_text import iri_ref
from conflictgraph.rdf.terms import IRI, BNode, Term
from conflictgraph.store.base import Store, select_values

__all__ = ["LISTED", "SCANNED", "property_values", "property_terms", "values_block", "whole_count"]

LISTED = 2_000  # nodes named in one query
SCANNED = 50_000  # from this many nodes on, each property is read once for every node
_BLANK = "FILTER(isBlank(?node))"


def property_values(store: Store, nodes: Collection[object], properties: Mapping[str, str]
                    ) -> Iterator[tuple[str, str, str]]:
    """(node, name, value) for every value of each of ``properties`` (name -> a SPARQL property
    path, e.g. ``"cg:date"`` or ``"cg:place/skos:prefLabel"``) of each of ``nodes`` (IRIs and
    blank nodes as :mod:`conflictgraph.rdf.terms` gives them; anything else is no node and has
    none), the node and value as their lexical text. In no particular order."""
    if len(nodes) >= SCANNED:
        yield from _scanned(store, {str(node) for node in nodes if isinstance(node, (IRI, BNode))}, properties)
        return
    for scope, kept in _scopes(nodes):
        for node, name, value in select_values(store, _query(scope, properties)):
            if node is not None and name is not None and value is not None and (kept is None or node in kept):
                yield node, name, value  # (every branch binds all three)


def property_terms(store: Store, nodes: Collection[object], properties: Mapping[str, str]
                   ) -> Iterator[tuple[str, str, Term]]:
    """:func:`property_values` with each value as the term it is (an IRI, a blank node or a
    literal): where the kind of a value matters, such as a side that is an actor's IRI, a blank
    node or a plain name. By lookups, however many the nodes."""
    for scope, kept in _scopes(nodes):
        for row in store.query(_query(scope, properties)).rows:
            value = row["value"]
            if value is not None and (kept is None or str(row["node"]) in kept):
                yield str(row["node"]), str(row["name"]), value


def values_block(name: str, iris: Sequence[str]) -> str:
    """A VALUES block binding ``?name`` to each of ``iris``.

    >>> values_block("event", ["https://example.org/e1", "https://example.org/e2"])
    'VALUES ?event { <https://example.org/e1> <https://example.org/e2> }'
    """
    return f"VALUES ?{name} {{ {' '.join(map(iri_ref, iris))} }}"


def _scopes(nodes: Collection[object]) -> Iterator[tuple[str, set[str] | None]]:
    """The patterns binding ``?node`` to ``nodes``: VALUES blocks of :data:`LISTED` IRIs, and for
    blank nodes (which cannot be named) every blank node, with the ids of those to keep."""
    named = sorted(node for node in nodes if isinstance(node, IRI))
    for first in range(0, len(named), LISTED):
        yield values_block("node", named[first:first + LISTED]), None
    blank = {str(node) for node in nodes if isinstance(node, BNode)}
    if blank:
        yield _BLANK, blank


def _scanned(store: Store, nodes: set[str], properties: Mapping[str, str]) -> Iterator[tuple[str, str, str]]:
    """The rows of :func:`property_values` for ``nodes`` (their lexical text), a property at a time
    for every node that has it."""
    for name, path in properties.items():
        query = SPARQL_PREFIXES + f"SELECT ?node ?value WHERE {{ ?node {path} ?value }}"
        for node, value in select_values(store, query):
            if node in nodes and value is not None:
                yield node, name, value


def _query(nodes: str, properties: Mapping[str, str]) -> str:
    """The query of ``properties`` for the ``nodes`` pattern (a VALUES block or a FILTER), a UNION
    branch each: ``?node ?name ?value``."""
    branches = " UNION ".join(f'{{ {nodes} ?node {path} ?value BIND("{name}" AS ?name) }}'
                              for name, path in properties.items())
    return SPARQL_PREFIXES + f"SELECT ?node ?name ?value WHERE {{ {branches} }}"


def whole_count(text: str) -> int | None:
    """A count read as a whole number, None when it is not one or is below zero (what the
    timeline and ``show`` add up).

    >>> whole_count("12"), whole_count("-3"), whole_count("1.5"), whole_count("many")
    (12, None, None, None)
    """
    try:
        count = int(text)
    except ValueError:
        return None
    return count if count >= 0 else None
