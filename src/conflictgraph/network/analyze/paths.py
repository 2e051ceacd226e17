"""Explained paths: the shortest paths between two nodes over the ties asked for (cooperative
by default: alliance paths), every hop explained from the typed edges behind it and the
statements and sources attesting them.

Paths are searched on the analysis graph of those ties (see :mod:`conflictgraph.network.analyze.reduce`),
so a hop may cross a tie in either direction and counts one step whatever its weight. Each
hop lists the original edges between its two nodes whose sign the ties keep (cooperative: +1;
hostile: -1; signed: both; all: neutral ones too), in their own direction, with their kind,
relation, dates, statements and sources.

Examples
--------
>>> import networkx as nx
>>> net = nx.MultiDiGraph(view="actors", window="all dates")
>>> _ = net.add_edge("a", "b", key="co-member", relation="co-member", label="member with", sign=1,
...                  weight=1, statements=["s1"], sources=["src1"], start="2023-01-01", end=None)
>>> paths = alliance_paths(net, "a", "b")
>>> paths[0][0]["relations"], paths[0][0]["sources"]
(['co-member'], ['src1'])
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import islice
from typing import TYPE_CHECKING

from conflictgraph.errors import ConflictGraphError, UsageError
from conflictgraph.network.analyze.reduce import analysis_graph

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["NoPath", "alliance_paths", "explain_hop", "component_of", "KIND"]

KIND = {1: "cooperative", -1: "hostile", 0: "neutral"}  # a typed edge's kind, by its sign
_SIGNS = {"cooperative": (1,), "hostile": (-1,), "signed": (1, -1), "all": (1, -1, 0)}
Fetch = Callable[["nx.MultiDiGraph", list[tuple]], object]


class NoPath(ConflictGraphError):
    """No path over the ties asked for joins the two nodes; the message names their components."""

    def __init__(self, message: str, source_component: list, target_component: list):
        self.source_component, self.target_component = source_component, target_component
        super().__init__(message)


def _label(network, node) -> str:
    return str(network.nodes[node].get("label", node)) if node in network else str(node)


def component_of(graph: nx.Graph, node) -> list:
    """The nodes of ``node``'s connected component, sorted.

    >>> import networkx as nx
    >>> component_of(nx.Graph([(1, 2), (3, 4)]), 2)
    [1, 2]
    """
    import networkx as nx
    return sorted(nx.node_connected_component(graph, node), key=str)


def explain_hop(network: nx.MultiDiGraph, u, v, *, relations: Iterable[str] | None = None,
                ties: str = "cooperative") -> dict:
    """The hop from ``u`` to ``v``: its typed edges of the kinds ``ties`` keeps, dates and provenance.

    Returns a dict with ``from``, ``to`` (IRIs), ``from_label``, ``to_label``, ``relations``,
    ``kinds`` (cooperative, hostile, neutral), ``edges`` (one per typed edge: from, to, kind,
    relation, label, start, end, via, statements, sources, events), ``start`` / ``end``
    (widest span), and the union of ``statements``,
    ``sources`` and ``events`` (the event ids behind event-based ties, e.g. imported ACLED or
    UCDP events, whose dataset is among the sources).

    >>> import networkx as nx
    >>> net = nx.MultiDiGraph()
    >>> _ = net.add_edge("b", "a", key="launched", sign=1, sources=["s"], statements=["t"])
    >>> explain_hop(net, "a", "b")["edges"][0]["from"]
    'b'
    """
    wanted = set(relations) if relations else None
    signs = _SIGNS[ties]
    edges = []
    for x, y in ((u, v), (v, u)):
        if not network.has_edge(x, y):
            continue
        for key, data in network[x][y].items():
            sign = data.get("sign", 1)
            if sign not in signs or (wanted is not None and data.get("relation", key) not in wanted):
                continue
            edges.append({"from": x, "to": y, "kind": KIND[sign], "relation": data.get("relation", key),
                          "label": data.get("label", data.get("relation", key)),
                          "start": data.get("start"), "end": data.get("end"),
                          "via": list(data.get("via", [])), "weight": data.get("weight", 1),
                          "statements": list(data.get("statements", [])),
                          "sources": list(data.get("sources", [])),
                          "events": list(data.get("events", []))})
    edges.sort(key=lambda e: (e["relation"], str(e["from"])))
    starts = [e["start"] for e in edges]
    ends = [e["end"] for e in edges]
    return {
        "from": u, "to": v, "from_label": _label(network, u), "to_label": _label(network, v),
        "relations": sorted({e["relation"] for e in edges}),
        "kinds": sorted({e["kind"] for e in edges}),
        "start": None if not edges or None in starts else min(starts),
        "end": None if not edges or None in ends else max(ends),
        "statements": sorted({s for e in edges for s in e["statements"]}),
        "sources": sorted({s for e in edges for s in e["sources"]}),
        "events": sorted({s for e in edges for s in e["events"]}),
        "edges": edges,
    }


def alliance_paths(network: nx.MultiDiGraph, source, target, *, k: int = 1, max_hops: int | None = None,
                   relations: Iterable[str] | None = None, ties: str = "cooperative",
                   graph: nx.Graph | None = None, fetch: Fetch | None = None) -> list[list[dict]]:
    """The ``k`` shortest paths over ``ties`` (cooperative by default) from ``source`` to
    ``target``, each hop explained.

    Parameters
    ----------
    network : networkx.MultiDiGraph
        A projected network.
    source, target : node ids (IRIs)
    k : int
        How many paths (shortest first; ties in length in a stable order).
    max_hops : int, optional
        Leave out paths longer than this.
    relations : iterable of str, optional
        Only these relations count as ties.
    ties : {"cooperative", "hostile", "signed", "all"}
        Which ties a path may cross.
    graph : networkx.Graph, optional
        The analysis graph of ``network`` for these ``ties`` and ``relations``, when the caller
        has built it already (:func:`~conflictgraph.network.analyze.reduce.analysis_graph`).
    fetch : callable, optional
        ``fetch(network, keys)`` gives the edges ``keys`` ((u, v, key) of the hops found) what
        lies behind them, in place, before the hops are explained (e.g.
        :meth:`~conflictgraph.network.projection.Projector.add_provenance` for a network
        projected without provenance: the paths are found on counts).

    Returns
    -------
    list of paths, each a list of hops (see :func:`explain_hop`).

    Raises
    ------
    NoPath
        When no path over those ties (within ``max_hops``) exists; names both components.
    """
    import networkx as nx

    if k < 1:
        raise UsageError("k must be at least 1")
    for node in (source, target):
        if node not in network:
            raise NoPath(f"{_label(network, node) if node in network else node} has no tie in this network "
                         "(view, window and filters)", [], [])
    if source == target:
        raise UsageError("the two ends of a path must differ")
    if graph is None:
        graph = analysis_graph(network, ties=ties, relations=relations)
    kind = "" if ties == "all" else f"{ties} "
    found: list[list] = []
    if nx.has_path(graph, source, target):
        for path in islice(nx.shortest_simple_paths(graph, source, target), k):
            if max_hops is not None and len(path) - 1 > max_hops:
                break
            found.append(path)
    if not found:
        a, b = component_of(graph, source), component_of(graph, target)
        def names(component: list) -> str:
            shown = ", ".join(_label(network, n) for n in component[:8])
            return shown + (f" and {len(component) - 8} more" if len(component) > 8 else "")
        s, t = _label(network, source), _label(network, target)
        if a == b:
            message = (f"no {kind}path of at most {max_hops} hop(s) between {s} and {t} "
                       f"(they are in the same component of {len(a)}: {names(a)})")
        else:
            message = (f"no {kind}path between {s} and {t}: {s} is in a component of {len(a)} "
                       f"({names(a)}); {t} is in a component of {len(b)} ({names(b)})")
        raise NoPath(message, a, b)
    if fetch is not None:
        fetch(network, [(x, y, key) for path in found for u, v in zip(path, path[1:]) for x, y in ((u, v), (v, u))
                        if network.has_edge(x, y) for key in network[x][y]])
    return [[explain_hop(network, u, v, relations=relations, ties=ties) for u, v in zip(path, path[1:])]
            for path in found]
