"""Communities: Louvain with a fixed seed on a graph of affinity, and the partition's modularity.

What ties two actors depends on the ties asked for (:func:`affinity_graph`): their cooperative
ties; for hostile ties, the enemies they share (blocs of common enemies); for signed ties,
both; for all ties, any contact.

Examples
--------
>>> import networkx as nx
>>> g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z"), ("c", "x")])
>>> found = communities(g)
>>> [sorted(c) for c in found["communities"]]
[['a', 'b', 'c'], ['x', 'y', 'z']]
"""
from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING

from conflictgraph.network.analyze.reduce import choose_ties

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["SEED", "AFFINITY", "affinity_graph", "communities", "shared_enemies"]

SEED = 42
AFFINITY = {
    "cooperative": "cooperative ties",
    "hostile": "shared enemies (two actors weigh the enemies both fought; pairs that fought each other are apart)",
    "signed": "cooperative ties plus shared enemies (pairs whose net tie is hostile are apart)",
    "all": "ties of any kind, as contact",
}


def shared_enemies(hostile: nx.Graph) -> nx.Graph:
    """Actors tied by the number of enemies they share in the hostile analysis graph ``hostile``;
    two actors that fought each other get no tie.

    >>> import networkx as nx
    >>> g = shared_enemies(nx.Graph([("state", "a"), ("state", "b"), ("rebels", "a"), ("rebels", "b")]))
    >>> g.edges["a", "b"]["weight"], g.has_edge("state", "rebels")
    (2, True)
    """
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(hostile.nodes(data=True))
    for enemy in hostile:
        for a, b in combinations(sorted(hostile[enemy], key=str), 2):
            if hostile.has_edge(a, b):
                continue
            if graph.has_edge(a, b):
                graph[a][b]["weight"] += 1
                graph[a][b]["enemies"].append(enemy)
            else:
                graph.add_edge(a, b, weight=1, enemies=[enemy])
    graph.graph.update(hostile.graph)
    return graph


def affinity_graph(network: nx.MultiDiGraph, ties: str = "auto") -> tuple[nx.Graph, str, str | None]:
    """The graph communities are found on for ``ties`` (see :data:`AFFINITY`), the ties used,
    and the reason when ``auto`` chose hostile ties. Its ``graph["analysis"]`` is that of the
    analysis graph of those ties.
    """
    chosen, reason = choose_ties(network, ties, provenance=False)
    used = chosen.graph["analysis"]["ties"]
    if used == "hostile":
        return shared_enemies(chosen), used, reason
    if used == "signed":  # the signed graph's cooperative ties, plus the enemies shared over its hostile ones
        hostile = [(a, b) for a, b, data in chosen.edges(data=True) if data["sign"] < 0]
        enemies = shared_enemies(chosen.edge_subgraph(hostile))
        affinity = chosen.copy()
        affinity.remove_edges_from(hostile)
        for a, b, data in enemies.edges(data=True):
            if affinity.has_edge(a, b):
                affinity[a][b]["weight"] += data["weight"]
            else:
                affinity.add_edge(a, b, weight=data["weight"], enemies=data["enemies"])
        return affinity, used, reason
    return chosen, used, reason


def communities(graph: nx.Graph, *, seed: int = SEED, resolution: float = 1.0,
                weight: str | None = "weight", engine: str = "auto") -> dict:
    """Louvain communities of an undirected graph of affinity (see :func:`affinity_graph`).

    Nodes without a tie are left out. Communities are listed largest first, then by their
    first member; members are sorted. ``engine``: networkx's Louvain, or igraph's (its
    multilevel method, the same algorithm in C, seeded the same way: on 100,000 events' 1,800
    actors and 120,000 ties, 0.15 s instead of 2.2); ``auto`` takes igraph above
    :data:`~conflictgraph.network.analyze.centrality.IGRAPH_THRESHOLD` nodes. The two find
    partitions of about the same modularity, not always the same partition.

    Returns
    -------
    dict with ``communities`` (list of sorted member lists), ``modularity`` (float), ``seed``
    and ``engine``.

    Examples
    --------
    >>> import networkx as nx
    >>> communities(nx.Graph())["communities"]
    []
    """
    from conflictgraph.network.analyze.centrality import engine_for

    # a graph, not a subgraph view, in the graph's order: Louvain walks it many times (a view
    # checks each node at each step: 100,000 events, 1.5 s), and a view of less than half of it
    # would list its nodes in a set's order, which changes from one run to the next; copied only
    # when it has nodes without a tie to leave out
    isolated = [node for node in graph if graph.degree(node) == 0]
    core = graph
    if isolated:
        core = graph.copy()
        core.remove_nodes_from(isolated)
    engine = engine_for(core, engine)
    if core.number_of_edges() == 0:
        return {"communities": [], "modularity": 0.0, "seed": seed, "engine": engine}
    if engine == "igraph":
        found, score = _igraph_louvain(core, seed, resolution, weight)
    else:
        from networkx.algorithms.community import louvain_communities, modularity

        found = louvain_communities(core, weight=weight, resolution=resolution, seed=seed)
        score = None
    ordered = sorted((sorted(c, key=str) for c in found), key=lambda c: (-len(c), str(c[0])))
    if score is None:
        score = modularity(core, [set(c) for c in ordered], weight=weight, resolution=resolution)
    return {"communities": ordered, "modularity": score, "seed": seed, "engine": engine}


def _igraph_louvain(core: nx.Graph, seed: int, resolution: float, weight: str | None) -> tuple[list[list], float]:
    """(communities, modularity) of igraph's multilevel method, its random choices drawn from
    Python's generator seeded with ``seed`` (the generator's state is put back afterwards)."""
    import random

    from conflictgraph.network.analyze.centrality import to_igraph

    converted = to_igraph(core, weight=weight)
    nodes = list(core)
    state = random.getstate()
    random.seed(seed)  # igraph draws from Python's random module
    try:
        found = converted.community_multilevel(weights="weight" if weight else None, resolution=resolution)
    finally:
        random.setstate(state)
    return [[nodes[i] for i in members] for members in found], float(found.modularity)
