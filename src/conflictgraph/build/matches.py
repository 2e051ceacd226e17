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
when the group has one; else the one node on the right of the group's lines (an object and
never a subject). Refused, with a one-line reason, before anything is changed: a group with two
curated nodes (merge those in the graph folder itself), lines that do not name one node on the
right (``a owl:sameAs b`` with ``b owl:sameAs a``), a node that stays which the store does not
hold (a typo), an actor matched with a place (:func:`check_matches`). The node that stays keeps
its own class and place in the hierarchy. Removing a line does not split a merged node again:
import the dataset again for that.

Examples
--------
>>> from conflictgraph.rdf.namespaces import ID
>>> a, b, c = (DATASET_PLACES + x for x in "abc")
>>> nodes = canonical_nodes([(a, b), (c, b)])
>>> sorted(k.rsplit("-", 1)[1] + " -> " + v.rsplit("-", 1)[1] for k, v in nodes.items())
['a -> b', 'c -> b']
>>> canonical_nodes([(a, ID + "place/kale")])[a] == ID + "place/kale"
True
"""
from __future__ import annotations

from collections.abc import Iterable

from conflictgraph.errors import ConflictGraphError
from conflictgraph.rdf.namespaces import (CG, DATASET_GRAPHS, DATASET_INFERRED_GRAPHS, GRAPH_REFERENCE, ID, PREFIXES,
                                         RDF_TYPE, SPARQL_PREFIXES)
from conflictgraph.store.base import Dataset, Store

__all__ = ["DATASET_ACTORS", "DATASET_PLACES", "made_by_imports", "MatchRefused", "canonical_nodes", "read_matches",
           "check_matches", "merge_updates", "merge_matches", "dataset_graphs_of"]

# The IRIs the importers make for actors and places the curated graph does not know.
DATASET_ACTORS, DATASET_PLACES = ID + "actor/dataset-", ID + "place/dataset-"

SKOS_PREF_LABEL, SKOS_ALT_LABEL = PREFIXES["skos"] + "prefLabel", PREFIXES["skos"] + "altLabel"
_KINDS = SPARQL_PREFIXES + """SELECT ?node ?top WHERE {
  VALUES ?node { %s } ?node a ?kind .
  OPTIONAL { ?kind rdfs:subClassOf* ?top . VALUES ?top { cg:Actor cg:Place } }
}"""
_SAME_AS = SPARQL_PREFIXES + "SELECT DISTINCT ?a ?b WHERE { GRAPH ?g { ?a owl:sameAs ?b } FILTER (isIRI(?b)) }"


class MatchRefused(ConflictGraphError):
    """A group of ``owl:sameAs`` lines cannot be applied (names the nodes and why)."""


def made_by_imports(iri: str) -> bool:
    """Whether ``iri`` is an actor or place an import made (not one of the graph folders')."""
    return iri.startswith((DATASET_ACTORS, DATASET_PLACES))


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
        curated = [m for m in members if not made_by_imports(m)]
        if len(curated) > 1:
            raise MatchRefused(f"owl:sameAs joins {' and '.join(f'<{m}>' for m in curated)}, which the graph "
                               f"folders define: merge those in the graph folder itself")
        right = [m for m in members if m in objects and m not in subjects]
        if not curated and len(right) != 1:  # a -> b with b -> a, or a -> b with a -> c
            raise MatchRefused(f"the owl:sameAs lines joining {' and '.join(f'<{m}>' for m in members)} do not "
                               f"name one node that stays: write each line as '<goes> owl:sameAs <stays>', "
                               f"with the same node on the right")
        stays = curated[0] if curated else right[0]
        out.update({m: stays for m in members if m != stays})
    return out


def read_matches(store: Store) -> dict[str, str]:
    """The confirmed matches of ``store``'s reference data (where the graph folders' reference
    files load; on a shared store, no one else's graph), as :func:`canonical_nodes`."""
    if GRAPH_REFERENCE not in store.named_graphs():
        return {}
    rows = store.query(_SAME_AS, dataset=Dataset((GRAPH_REFERENCE,), (GRAPH_REFERENCE,))).rows
    return canonical_nodes((str(row["a"]), str(row["b"])) for row in rows)


def check_matches(nodes: dict[str, str], *stores: Store) -> None:
    """Refuse matches that cannot be meant: a node that stays with no class in any of ``stores``
    (a typo in its IRI) while the node that goes has one, or an actor matched with a place."""
    if not nodes:
        return
    values = " ".join(f"<{iri}>" for iri in set(nodes) | set(nodes.values()))
    kinds: dict[str, set[str]] = {}
    for store in stores:  # a remote build: the new curated graphs here, the datasets on the server
        for row in store.query(_KINDS % values).rows:
            kinds.setdefault(str(row["node"]), set()).add(str(row["top"]) if row["top"] is not None else "")
    for gone, stays in sorted(nodes.items()):
        # a node that stays and is not there: a typo, unless it is a dataset's node and the one
        # that goes is not there either (the datasets are not imported yet: nothing to merge)
        if stays not in kinds and (gone in kinds or not made_by_imports(stays)):
            raise MatchRefused(f"owl:sameAs names <{stays}> as the node that stays, but the store has no such "
                               f"actor or place (a typo in the IRI?)")
        tops_gone, tops_stays = kinds.get(gone, set()) - {""}, kinds.get(stays, set()) - {""}
        if tops_gone and tops_stays and not tops_gone & tops_stays:
            raise MatchRefused(f"owl:sameAs joins <{gone}> and <{stays}>, but one is an actor and the other a place")


def merge_updates(nodes: dict[str, str]) -> list[str]:
    """The SPARQL updates that apply ``nodes`` (goes -> stays) to one graph, ``{g}`` standing for
    the graph (as :class:`conflictgraph.store.changes.RemoteChanges` steps take them): the
    triples about a node that goes move to the node that stays, its preferred name becoming an
    alternative one, its "unreconciled" flag dropped, and its class and its cg:locatedIn dropped
    when the node that stays has its own; then every triple pointing to it points
    to the node that stays.

    >>> print(merge_updates({"http://ex/a": "http://ex/b"})[4].format(g="<http://ex/g>"))
    DELETE { GRAPH <http://ex/g> { ?s ?p ?gone } } INSERT { GRAPH <http://ex/g> { ?s ?p ?stays } }
    WHERE { VALUES (?gone ?stays) { (<http://ex/a> <http://ex/b>) } GRAPH <http://ex/g> { ?s ?p ?gone } }
    """
    if not nodes:
        return []
    values = " ".join(f"(<{gone}> <{stays}>)" for gone, stays in sorted(nodes.items()))
    where = f"WHERE {{{{ VALUES (?gone ?stays) {{{{ {values} }}}} GRAPH {{g}} "
    flag, preferred, alternative, kind, within = (
        f"<{iri}>" for iri in (CG.unreconciled, SKOS_PREF_LABEL, SKOS_ALT_LABEL, RDF_TYPE, CG.locatedIn))
    return [  # full IRIs, no PREFIX: a remote change joins these into one request
        f"DELETE {{{{ GRAPH {{g}} {{{{ ?gone {flag} ?flag }}}} }}}}\n{where}{{{{ ?gone {flag} ?flag }}}} }}}}",
        f"DELETE {{{{ GRAPH {{g}} {{{{ ?gone {kind} ?kind }}}} }}}}\n"  # the node that stays keeps its own class
        f"{where}{{{{ ?gone {kind} ?kind }}}} GRAPH ?any {{{{ ?stays {kind} ?own }}}} }}}}",
        f"DELETE {{{{ GRAPH {{g}} {{{{ ?gone {within} ?parent }}}} }}}}\n"  # ... and its own place in the hierarchy
        f"{where}{{{{ ?gone {within} ?parent }}}} GRAPH ?any {{{{ ?stays {within} ?own }}}} }}}}",
        "DELETE {{ GRAPH {g} {{ ?gone ?p ?o }} }} INSERT {{ GRAPH {g} {{ ?stays ?moved ?o }} }}\n"
        f"{where}{{{{ ?gone ?p ?o }}}} BIND (IF(?p = {preferred}, {alternative}, ?p) AS ?moved) }}}}",
        "DELETE {{ GRAPH {g} {{ ?s ?p ?gone }} }} INSERT {{ GRAPH {g} {{ ?s ?p ?stays }} }}\n"
        f"{where}{{{{ ?s ?p ?gone }}}} }}}}",
    ]


def dataset_graphs_of(graphs: Iterable[str]) -> list[str]:
    """The imported datasets' graphs (events, and their inferred date bounds) among ``graphs``."""
    return sorted(g for g in graphs if g.startswith((DATASET_GRAPHS, DATASET_INFERRED_GRAPHS)))


def merge_matches(store: Store) -> int:
    """Check the store's confirmed matches and apply them to its imported datasets; return how
    many nodes went (0 when there is no dataset yet)."""
    nodes = read_matches(store)
    graphs = dataset_graphs_of(store.named_graphs())
    check_matches(nodes, store)
    if not graphs:
        return 0
    for template in merge_updates(nodes):
        for graph in graphs:
            store.update(template.format(g=f"<{graph}>"))
    return len(nodes)
