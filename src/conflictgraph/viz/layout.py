"""Node positions computed in Python for large pages (igraph's Fruchterman-Reingold).

Up to ``LAYOUT_THRESHOLD`` nodes a page lets vis-network's physics place the nodes in the
browser. Beyond it the browser would spend a long time stabilising (and networkx's
``spring_layout`` took 48 s on 5,000 nodes here), so the positions are computed with igraph
(well under a second for 5,000 nodes and 20,000 edges), written into the page, and physics
starts switched off (the reader can switch it on).

The layout runs on the undirected simple graph of the page (every pair with any edge), is
seeded (the same graph gives the same positions) and is scaled so that nodes keep about the
same spacing whatever the size of the graph.

Examples
--------
>>> import networkx as nx
>>> positions = igraph_layout(nx.path_graph(["a", "b", "c"]), seed=1)
>>> sorted(positions), all(isinstance(x, int) for x, _y in positions.values())
(['a', 'b', 'c'], True)
"""
from __future__ import annotations

import math
import random
from collections.abc import Hashable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["LAYOUT_THRESHOLD", "SPACING", "needs_layout", "igraph_layout"]

LAYOUT_THRESHOLD = 300
SPACING = 45.0


def needs_layout(node_count: int, threshold: int = LAYOUT_THRESHOLD) -> bool:
    """Whether a page of ``node_count`` nodes gets Python-side positions (and physics off).

    >>> needs_layout(300), needs_layout(301)
    (False, True)
    """
    return node_count > threshold


def igraph_layout(graph: nx.Graph, *, seed: int = 0, iterations: int = 300) -> dict[Hashable, tuple[int, int]]:
    """Positions ``{node: (x, y)}`` in vis-network canvas units, from igraph's
    Fruchterman-Reingold layout on the undirected simple version of ``graph``.

    Parameters
    ----------
    graph : networkx graph (any kind; direction, parallel edges and self-loops are ignored)
    seed : int
        Seed of the random start positions.
    iterations : int
        Fruchterman-Reingold iterations.

    Examples
    --------
    >>> import networkx as nx
    >>> a = igraph_layout(nx.cycle_graph(5), seed=3)
    >>> a == igraph_layout(nx.cycle_graph(5), seed=3)
    True
    """
    import igraph as ig

    nodes = list(graph)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0, 0)}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = {(min(index[u], index[v]), max(index[u], index[v])) for u, v in graph.edges() if u != v}
    g = ig.Graph(n=n, edges=sorted(pairs), directed=False)
    rng = random.Random(seed)
    side = math.sqrt(n)
    start = [[rng.uniform(-side, side), rng.uniform(-side, side)] for _ in range(n)]
    # igraph draws from one process-wide generator (Python's random module by default): lend it
    # a seeded one for this call only, so the same graph gets the same picture.
    ig.set_random_number_generator(random.Random(seed))
    try:
        coords = g.layout_fruchterman_reingold(seed=start, niter=iterations, grid="auto").coords
    finally:
        ig.set_random_number_generator(random)
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = SPACING * math.sqrt(n) * 2 / span  # a square of about SPACING units per node
    return {node: (round((x - cx) * scale), round((y - cy) * scale)) for node, (x, y) in zip(nodes, coords)}
