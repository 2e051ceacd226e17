"""Ego networks: the part of a projected network within ``depth`` ties of a focus node.

Ties count in either direction and whatever their sign.

Examples
--------
>>> import networkx as nx
>>> net = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "d")])
>>> sorted(ego_network(net, "b", depth=1))
['a', 'b', 'c']
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from conflictgraph.errors import UsageError

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["ego_network"]


def ego_network(network: nx.MultiDiGraph, focus, depth: int = 1) -> nx.MultiDiGraph:
    """A copy of ``network`` limited to the nodes at most ``depth`` ties from ``focus``.

    Raises :class:`~conflictgraph.errors.UsageError` when the focus is not in the network or
    the depth is negative. ``graph.graph["focus"]`` records the focus and depth.

    >>> import networkx as nx
    >>> ego_network(nx.MultiDiGraph([(1, 2)]), 2, depth=0).number_of_nodes()
    1
    """
    import networkx as nx

    if depth < 0:
        raise UsageError(f"the depth of an ego network must be 0 or more, not {depth}")
    if focus not in network:
        raise UsageError(f"{focus} has no tie in this network (view, window and filters)")
    reach = nx.single_source_shortest_path_length(network.to_undirected(as_view=True), focus, cutoff=depth)
    sub = network.subgraph(reach).copy()
    label = network.nodes[focus].get("label", focus)
    sub.graph["focus"] = f"{label} (depth {depth})"
    return sub
