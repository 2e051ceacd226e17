"""Confirmed matches: one ``owl:sameAs`` line merges two nodes in every network and query.

Each imported dataset makes its own node for an actor or place the curated graph does not know
(``actor:dataset-...``, ``place:dataset-...``), so two datasets can hold one district, or one
group, twice. ``conflictgraph reconcile`` proposes which nodes are one; a line in the reference
data of a graph folder confirms it::

    place:dataset-alder-4e01f2 owl:sameAs place:dataset-alder-province-447e76 .

A match is applied to the data, so every query, network and page sees one node:

- ``build`` rewrites the imported datasets it keeps (:func:`merge_matches`): in each dataset
  graph, the triples of the node that goes (its type, its place in the hierarchy, its name as a
  ``skos:altLabel``, so each dataset's own name stays visible) move to the node that stays, and
  every event that pointed to one points to the other;
- ``import`` maps the names of new rows straight to the node that stays
  (:class:`conflictgraph.importers.reconcile.Reconciler` reads :func:`canonical_nodes`).

Which node stays (:func:`canonical_nodes`): a curated node (an IRI the imports did not make)
when the group has one; else the node on the right of the lines (a node that is an object of
the group's lines and never a subject); else the first by IRI. A group with two curated nodes
is refused: merge those in the graph folder itself. Removing a line does not split a merged node
again: import the dataset again for that.

Examples
--------
>>> from conflictgraph.rdf.namespaces import ID
>>> a, b, c = (ID + "place/dataset-" + x for x in "abc")
>>> nodes = canonical_nodes([(a, b), (c, b)])
>>> sorted(k.rsplit("-", 1)[1] + " -> " + v.rsplit("-", 1)[1] for k, v in nodes.items())
['a -> b', 'c -> b']
>>> canonical_nodes([(a, ID + "place/kale")])[a] == ID + "place/kale"
True
"""
from __future__ import annotations

from collections.abc import Iterable

from conflictgraph.errors import ConflictGraphError
from conflictgraph.rdf.namespaces import (CG, DATASET_GRAPHS, DATASET_INFERRED_GRAPHS, ID, PREFIXES, RDF_TYPE,
                                         SPARQL_PREFIXES)
from conflictgraph.store.base import Dataset, Store

__all__ = ["MADE_BY_IMPORTS", "canonical_nodes", "read_matches", "merge_updates", "merge_matches",
           "dataset_graphs_of"]

# The IRIs the importers make for actors and places the curated graph does not know.
MADE_BY_IMPORTS = (ID + "actor/dataset-", ID + "place/dataset-")

SKOS_PREF_LABEL, SKOS_ALT_LABEL = PREFIXES["skos"] + "prefLabel", PREFIXES["skos"] + "altLabel"
_SAME_AS = SPARQL_PREFIXES + "SELECT DISTINCT ?a ?b WHERE { GRAPH ?g { ?a owl:sameAs ?b } FILTER (isIRI(?b)) }"


class MatchRefused(ConflictGraphError):
    """A group of ``owl:sameAs`` lines cannot be applied (names the nodes and why)."""


def _made_by_imports(iri: str) -> bool:
    return iri.startswith(MADE_BY_IMPORTS)


def canonical_nodes(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Each node that goes -> the node that stays, for the groups the ``(a, b)`` lines make.

    Raises :class:`MatchRefused` for a group of two or more curated nodes.
    """
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    subjects, objects = set(), set()
    for a, b in pairs:
        subjects.add(a)
        objects.add(b)
        parent[root(a)] = root(b)
    groups: dict[str, list[str]] = {}
    for node in list(parent):
        groups.setdefault(root(node), []).append(node)
    out: dict[str, str] = {}
    for members in groups.values():
        members.sort()
        curated = [m for m in members if not _made_by_imports(m)]
        if len(curated) > 1:
            raise MatchRefused(f"owl:sameAs joins {' and '.join(f'<{m}>' for m in curated)}, which the graph "
                               f"folders define: merge those in the graph folder itself")
        right = [m for m in members if m in objects and m not in subjects]
        stays = curated[0] if curated else right[0] if len(right) == 1 else members[0]
        out.update({m: stays for m in members if m != stays})
    return out


def read_matches(store: Store) -> dict[str, str]:
    """The confirmed matches of ``store``'s curated and reference graphs (not of the imported
    datasets'), as :func:`canonical_nodes`."""
    graphs = [g for g in store.named_graphs() if not g.startswith((DATASET_GRAPHS, DATASET_INFERRED_GRAPHS))]
    if not graphs:
        return {}
    rows = store.query(_SAME_AS, dataset=Dataset(tuple(graphs), tuple(graphs))).rows
    return canonical_nodes((str(row["a"]), str(row["b"])) for row in rows)


def merge_updates(nodes: dict[str, str]) -> list[str]:
    """The SPARQL updates that apply ``nodes`` (goes -> stays) to one graph, ``{g}`` standing for
    the graph (as :class:`conflictgraph.store.changes.RemoteChanges` steps take them): the
    triples about a node that goes move to the node that stays, its preferred name becoming an
    alternative one, its "unreconciled" flag and its class dropped (the node that stays keeps its
    own); then every triple pointing to it points
    to the node that stays.

    >>> print(merge_updates({"http://ex/a": "http://ex/b"})[3].format(g="<http://ex/g>"))
    DELETE { GRAPH <http://ex/g> { ?s ?p ?gone } } INSERT { GRAPH <http://ex/g> { ?s ?p ?stays } }
    WHERE { VALUES (?gone ?stays) { (<http://ex/a> <http://ex/b>) } GRAPH <http://ex/g> { ?s ?p ?gone } }
    """
    if not nodes:
        return []
    values = " ".join(f"(<{gone}> <{stays}>)" for gone, stays in sorted(nodes.items()))
    where = f"WHERE {{{{ VALUES (?gone ?stays) {{{{ {values} }}}} GRAPH {{g}} "
    flag, preferred, alternative, kind = (f"<{iri}>" for iri in (CG.unreconciled, SKOS_PREF_LABEL, SKOS_ALT_LABEL,
                                                                   RDF_TYPE))
    return [  # full IRIs, no PREFIX: a remote change joins these into one request
        f"DELETE {{{{ GRAPH {{g}} {{{{ ?gone {flag} ?flag }}}} }}}}\n{where}{{{{ ?gone {flag} ?flag }}}} }}}}",
        f"DELETE {{{{ GRAPH {{g}} {{{{ ?gone {kind} ?kind }}}} }}}}\n"  # the node that stays keeps its own class
        f"{where}{{{{ ?gone {kind} ?kind }}}} GRAPH ?any {{{{ ?stays {kind} ?own }}}} }}}}",
        "DELETE {{ GRAPH {g} {{ ?gone ?p ?o }} }} INSERT {{ GRAPH {g} {{ ?stays ?moved ?o }} }}\n"
        f"{where}{{{{ ?gone ?p ?o }}}} BIND (IF(?p = {preferred}, {alternative}, ?p) AS ?moved) }}}}",
        "DELETE {{ GRAPH {g} {{ ?s ?p ?gone }} }} INSERT {{ GRAPH {g} {{ ?s ?p ?stays }} }}\n"
        f"{where}{{{{ ?s ?p ?gone }}}} }}}}",
    ]


def dataset_graphs_of(graphs: Iterable[str]) -> list[str]:
    """The imported datasets' graphs (events, and their inferred date bounds) among ``graphs``."""
    return sorted(g for g in graphs if g.startswith((DATASET_GRAPHS, DATASET_INFERRED_GRAPHS)))


def merge_matches(store: Store) -> int:
    """Apply the store's confirmed matches to its imported datasets; return how many nodes went."""
    nodes = read_matches(store)
    graphs = dataset_graphs_of(store.named_graphs())
    if nodes and graphs:
        for template in merge_updates(nodes):
            for graph in graphs:
                store.update(template.format(g=f"<{graph}>"))
    return len(nodes)
