"""Structural balance on signed ties: triangles, and the two-camp partition with the fewest
frustrated ties.

A triangle is balanced when the product of its three net signs is positive (the friend of a
friend is a friend, the enemy of an enemy a friend). A tie is frustrated by a two-camp
partition when it is cooperative across the camps or hostile within one. Each connected
component of the signed graph is split on its own (camps of different components are not
comparable):

- **exact** up to ``EXACT_LIMIT`` nodes: every assignment is tried (the first node's camp is
  fixed, so 2**(n-1) assignments, vectorised with numpy); ties are broken by taking the first
  optimum in enumeration order;
- **heuristic** beyond: ``restarts`` random starts, each improved by flipping single nodes
  while that lowers the frustration (seeded, so repeatable); it may miss the optimum, and the
  result says so.

Examples
--------
>>> import networkx as nx
>>> g = nx.Graph()
>>> g.add_edge("a", "b", sign=1); g.add_edge("b", "c", sign=-1); g.add_edge("a", "c", sign=-1)
>>> result = balance(g)
>>> result["balanced"], result["unbalanced"], result["frustration"], result["method"]
(1, 0, 0, 'exact')
"""
from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["EXACT_LIMIT", "RESTARTS", "triangles", "two_camps", "balance"]

EXACT_LIMIT = 20
RESTARTS = 50


def triangles(graph: nx.Graph) -> list[tuple]:
    """Every triangle of signed ties as ``(a, b, c, product_of_signs)``, nodes sorted.

    >>> import networkx as nx
    >>> g = nx.Graph(); g.add_edge(1, 2, sign=-1); g.add_edge(2, 3, sign=-1); g.add_edge(1, 3, sign=-1)
    >>> triangles(g)
    [(1, 2, 3, -1)]
    """
    order = {node: i for i, node in enumerate(sorted(graph, key=str))}
    found = []
    for u in graph:
        for v in graph[u]:
            if order[v] <= order[u]:
                continue
            for w in graph[v]:
                if order[w] <= order[v] or w not in graph[u]:
                    continue
                product = graph[u][v].get("sign", 1) * graph[v][w].get("sign", 1) * graph[u][w].get("sign", 1)
                found.append((u, v, w, product))
    return sorted(found, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))


def _frustration(edges: list[tuple[int, int, int]], camp: list[int]) -> int:
    return sum(1 for i, j, s in edges if (s > 0) == (camp[i] != camp[j]))


def _exact(n: int, edges: list[tuple[int, int, int]]) -> list[int]:
    import numpy as np

    if n == 1:
        return [0]
    best, best_assignment = None, 0
    total = 1 << (n - 1)
    chunk = 1 << 16
    for low in range(0, total, chunk):
        codes = np.arange(low, min(total, low + chunk), dtype=np.int64)
        cost = np.zeros(len(codes), dtype=np.int32)
        for i, j, s in edges:
            # node 0 is always in camp 0; node i>0 reads bit i-1 of the code
            bi = (codes >> (i - 1)) & 1 if i else np.zeros_like(codes)
            bj = (codes >> (j - 1)) & 1 if j else np.zeros_like(codes)
            cost += ((bi != bj) if s > 0 else (bi == bj)).astype(np.int32)
        at = int(np.argmin(cost))
        if best is None or cost[at] < best:
            best, best_assignment = int(cost[at]), int(codes[at])
    return [0] + [(best_assignment >> (i - 1)) & 1 for i in range(1, n)]


def _heuristic(n: int, edges: list[tuple[int, int, int]], restarts: int, seed: int) -> list[int]:
    rng = random.Random(seed)
    neighbours: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for i, j, s in edges:
        neighbours[i].append((j, s))
        neighbours[j].append((i, s))
    best, best_camp = None, None
    for _ in range(restarts):
        camp = [rng.randint(0, 1) for _ in range(n)]
        improved = True
        while improved:
            improved = False
            for i in range(n):
                # frustrated ties at i now, minus after flipping i
                now = sum(1 for j, s in neighbours[i] if (s > 0) == (camp[i] != camp[j]))
                gain = 2 * now - len(neighbours[i])
                if gain > 0:
                    camp[i] ^= 1
                    improved = True
        cost = _frustration(edges, camp)
        if best is None or cost < best:
            best, best_camp = cost, camp[:]
    assert best_camp is not None
    if best_camp[0]:
        best_camp = [1 - c for c in best_camp]
    return best_camp


def two_camps(graph: nx.Graph, *, exact_limit: int = EXACT_LIMIT, restarts: int = RESTARTS,
              seed: int = 0) -> dict:
    """The two-camp partition of each component with the fewest frustrated ties.

    Returns a dict with ``components`` (a list, largest first, of dicts with ``camps``
    (two sorted member lists, the first holding the component's first node in sorted order),
    ``frustrated`` (the frustrated ties ``(u, v, sign)``) and ``method`` ("exact" or
    "heuristic")), the total ``frustration``, and ``method`` ("exact" when every component was
    solved exactly, else "heuristic").

    >>> import networkx as nx
    >>> g = nx.Graph(); g.add_edge("a", "b", sign=-1)
    >>> two_camps(g)["components"][0]["camps"]
    [['a'], ['b']]
    """
    import networkx as nx

    components: list[dict[str, Any]] = []
    for nodes in nx.connected_components(graph):
        if len(nodes) < 2:
            continue
        ordered = sorted(nodes, key=str)
        index = {node: i for i, node in enumerate(ordered)}
        edges = [(index[u], index[v], d.get("sign", 1)) for u, v, d in graph.subgraph(nodes).edges(data=True)]
        if len(ordered) <= exact_limit:
            camp, method = _exact(len(ordered), edges), "exact"
        else:
            camp, method = _heuristic(len(ordered), edges, restarts, seed), "heuristic"
        camps = [[n for n in ordered if camp[index[n]] == c] for c in (0, 1)]
        frustrated = [(ordered[i], ordered[j], s) for i, j, s in edges if (s > 0) == (camp[i] != camp[j])]
        components.append({"camps": camps, "frustrated": frustrated, "method": method, "size": len(ordered)})
    components.sort(key=lambda c: (-c["size"], str(c["camps"][0][0])))
    method = "exact" if all(c["method"] == "exact" for c in components) else "heuristic"
    return {"components": components, "frustration": sum(len(c["frustrated"]) for c in components),
            "method": method, "exact_limit": exact_limit, "restarts": restarts if method == "heuristic" else None,
            "seed": seed if method == "heuristic" else None}


def balance(graph: nx.Graph, **options) -> dict:
    """Triangles (balanced and unbalanced) and the best two-camp partition of a signed graph.

    Returns :func:`two_camps`'s dict plus ``triangles`` (list), ``balanced`` and
    ``unbalanced`` counts, and ``unbalanced_triangles``.

    >>> import networkx as nx
    >>> g = nx.Graph(); g.add_edge(1, 2, sign=1); g.add_edge(2, 3, sign=1); g.add_edge(1, 3, sign=-1)
    >>> r = balance(g)
    >>> r["unbalanced"], r["frustration"]
    (1, 1)
    """
    found = triangles(graph)
    result = two_camps(graph, **options)
    result["triangles"] = found
    result["balanced"] = sum(1 for t in found if t[3] > 0)
    result["unbalanced"] = sum(1 for t in found if t[3] < 0)
    result["unbalanced_triangles"] = [t for t in found if t[3] < 0]
    return result
