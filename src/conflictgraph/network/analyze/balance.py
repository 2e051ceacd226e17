"""Structural balance on signed ties: triangles, and the two-camp partition with the fewest
frustrated ties.

A triangle is balanced when the product of its three net signs is positive (the friend of a
friend is a friend, the enemy of an enemy a friend); :func:`balance` counts them with the
signed adjacency matrix and lists the unbalanced ones only as far as asked (:func:`triangles`
lists every triangle, for a small graph). A tie is frustrated by a two-camp
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
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["EXACT_LIMIT", "RESTARTS", "DENSE_LIMIT", "triangles", "two_camps", "balance"]

EXACT_LIMIT = 20
RESTARTS = 50


def triangles(graph: nx.Graph) -> list[tuple]:
    """Every triangle of signed ties as ``(a, b, c, product_of_signs)``, nodes sorted.

    >>> import networkx as nx
    >>> g = nx.Graph(); g.add_edge(1, 2, sign=-1); g.add_edge(2, 3, sign=-1); g.add_edge(1, 3, sign=-1)
    >>> triangles(g)
    [(1, 2, 3, -1)]
    """
    return list(_walk_triangles(graph, sorted(graph, key=str)))


def _walk_triangles(graph: nx.Graph, ordered: list) -> Iterator[tuple]:
    """Every triangle ``(a, b, c, product_of_signs)`` with a before b before c in ``ordered``,
    in that order (a, then b, then c), found by walking the ties."""
    index = {node: i for i, node in enumerate(ordered)}
    for u in ordered:
        for v in sorted((v for v in graph[u] if index[v] > index[u]), key=index.__getitem__):
            for w in sorted((w for w in graph[v] if index[w] > index[v] and w in graph[u]), key=index.__getitem__):
                yield u, v, w, graph[u][v].get("sign", 1) * graph[v][w].get("sign", 1) * graph[u][w].get("sign", 1)


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
    """Random starts, each improved by flipping single nodes, in order, while a flip lowers the
    frustration; the best start's camps (node 0 in camp 0).

    Flipping a node lowers the frustration when more than half its ties are frustrated, that is
    when ``spin[i] * field[i] < 0``: a node's spin is +1 or -1 by its camp, and its field the sum
    of its neighbours' spins, each times +1 for a cooperative tie and -1 for any other (a tie is
    frustrated when cooperative across the camps, or not cooperative within one). Each flip
    updates the fields of the flipped node's neighbours only (a dense million-event network:
    2,000 actors, 900 ties each).
    """
    import numpy as np

    rng = random.Random(seed)
    # a tie of a node with itself is frustrated or not whatever the camps: left out (counting it
    # in a flip's gain made the search flip such a node back and forth for ever)
    ties = [(i, j, s) for i, j, s in edges if i != j]
    ends = np.array([(i, j) for i, j, _s in ties], dtype=np.int64).reshape(-1, 2)
    signs = np.array([1 if s > 0 else -1 for _i, _j, s in ties], dtype=np.int64)
    node, neighbour = np.concatenate([ends[:, 0], ends[:, 1]]), np.concatenate([ends[:, 1], ends[:, 0]])
    order = np.argsort(node, kind="stable")  # each tie listed from both ends, grouped by node
    node, neighbour, tie_sign = node[order], neighbour[order], np.concatenate([signs, signs])[order]
    start = np.searchsorted(node, np.arange(n + 1))
    best, best_camp = None, None
    for _ in range(restarts):
        camp = [rng.randint(0, 1) for _ in range(n)]
        spin = 1 - 2 * np.array(camp, dtype=np.int64)
        field = np.zeros(n, dtype=np.int64)
        np.add.at(field, node, tie_sign * spin[neighbour])
        improved = True
        while improved:
            improved = False
            for i in range(n):
                if spin[i] * field[i] < 0:
                    spin[i] = -spin[i]
                    low, high = start[i], start[i + 1]
                    np.add.at(field, neighbour[low:high], 2 * spin[i] * tie_sign[low:high])
                    improved = True
        cost = int(np.count_nonzero(signs * spin[ends[:, 0]] * spin[ends[:, 1]] < 0))  # frustrated ties
        if best is None or cost < best:
            best, best_camp = cost, ((1 - spin) // 2).tolist()
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


def balance(graph: nx.Graph, *, listed: int | None = None, **options) -> dict:
    """Triangles (balanced and unbalanced) and the best two-camp partition of a signed graph.

    Returns :func:`two_camps`'s dict plus the ``balanced`` and ``unbalanced`` counts and
    ``unbalanced_triangles``: the first ``listed`` of them (None: all) as ``(a, b, c, -1)``, in
    the order of :func:`triangles` (a dense network of a million events has hundreds of millions
    of triangles: they are counted with matrices, and listed only as far as asked).

    >>> import networkx as nx
    >>> g = nx.Graph(); g.add_edge(1, 2, sign=1); g.add_edge(2, 3, sign=1); g.add_edge(1, 3, sign=-1)
    >>> r = balance(g)
    >>> r["unbalanced"], r["frustration"], r["unbalanced_triangles"]
    (1, 1, [(1, 2, 3, -1)])
    """
    balanced, unbalanced, shown = _count_triangles(graph, listed)
    result = two_camps(graph, **options)
    result.update(balanced=balanced, unbalanced=unbalanced, unbalanced_triangles=shown)
    return result


DENSE_LIMIT = 4000  # nodes: up to here triangles are counted with dense matrices (BLAS), beyond by walking ties


def _count_triangles(graph: nx.Graph, listed: int | None) -> tuple[int, int, list[tuple]]:
    """(balanced, unbalanced, the first ``listed`` unbalanced triangles) of ``graph``, in the
    order of :func:`triangles`; a triangle with a tie of sign 0 is neither."""
    ordered = sorted(graph, key=str)
    if len(ordered) <= DENSE_LIMIT:
        return _count_dense(graph, ordered, listed)
    balanced = unbalanced = 0
    shown: list[tuple] = []
    for triangle in _walk_triangles(graph, ordered):
        if triangle[3] > 0:
            balanced += 1
        elif triangle[3] < 0:
            unbalanced += 1
            if listed is None or len(shown) < listed:
                shown.append(triangle)
    return balanced, unbalanced, shown


def _count_dense(graph: nx.Graph, ordered: list, listed: int | None) -> tuple[int, int, list[tuple]]:
    """:func:`_count_triangles` with the signed adjacency matrix S and its nonzero pattern A:
    trace(A^3) / 6 triangles of nonzero ties, trace(S^3) / 6 their balanced minus unbalanced; an
    edge (u, v) is in (A^2[u, v] - S[u, v] S^2[u, v]) / 2 unbalanced ones, so only those edges
    are searched for the triangles listed."""
    import numpy as np

    index = {node: i for i, node in enumerate(ordered)}
    n = len(ordered)
    ties = [(index[u], index[v], d.get("sign", 1)) for u, v, d in graph.edges(data=True) if u != v]
    signs = np.zeros((n, n), dtype=np.float32)  # exact: integers below 2**24
    if ties:
        i, j, s = (np.array(column) for column in zip(*ties))
        signs[i, j] = signs[j, i] = np.sign(s)
    tied = (signs != 0).astype(np.float32)
    paths, signed_paths = tied @ tied, signs @ signs  # two-step walks between each pair: all, and by sign
    every = int(round(float((paths * tied).sum(dtype=np.float64)) / 6))
    net = int(round(float((signed_paths * signs).sum(dtype=np.float64)) / 6))
    balanced, unbalanced = (every + net) // 2, (every - net) // 2
    shown: list[tuple] = []
    if listed != 0 and unbalanced:
        in_unbalanced = np.triu((paths - signs * signed_paths) * tied, 1) > 0
        for u, v in np.argwhere(in_unbalanced).tolist():  # in order: u, then v
            rest = slice(v + 1, n)
            third = np.nonzero((tied[u, rest] * tied[v, rest] > 0)
                               & (signs[u, v] * signs[u, rest] * signs[v, rest] < 0))[0] + v + 1
            shown += [(ordered[u], ordered[v], ordered[w], -1) for w in third.tolist()]
            if listed is not None and len(shown) >= listed:
                return balanced, unbalanced, shown[:listed]
    return balanced, unbalanced, shown
