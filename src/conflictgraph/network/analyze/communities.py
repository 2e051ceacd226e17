"""Communities on cooperative ties: Louvain with a fixed seed, and the partition's modularity.

Examples
--------
>>> import networkx as nx
>>> g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"), ("c", "x")])
>>> found = communities(g)
>>> [sorted(c) for c in found["communities"]]
[['a', 'b', 'c'], ['x', 'y', 'z']]
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["SEED", "communities"]

SEED = 42


def communities(graph: nx.Graph, *, seed: int = SEED, resolution: float = 1.0,
                weight: str | None = "weight") -> dict:
    """Louvain communities of an (undirected, cooperative) analysis graph.

    Nodes without a tie are left out. Communities are listed largest first, then by their
    first member; members are sorted.

    Returns
    -------
    dict with ``communities`` (list of sorted member lists), ``modularity`` (float) and
    ``seed``.

    Examples
    --------
    >>> import networkx as nx
    >>> communities(nx.Graph())["communities"]
    []
    """
    from networkx.algorithms.community import louvain_communities, modularity

    core = graph.subgraph([n for n in graph if graph.degree(n) > 0])
    if core.number_of_edges() == 0:
        return {"communities": [], "modularity": 0.0, "seed": seed}
    found = louvain_communities(core, weight=weight, resolution=resolution, seed=seed)
    ordered = sorted((sorted(c, key=str) for c in found), key=lambda c: (-len(c), str(c[0])))
    score = modularity(core, [set(c) for c in ordered], weight=weight, resolution=resolution)
    return {"communities": ordered, "modularity": score, "seed": seed}
