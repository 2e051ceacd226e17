"""Centrality of actors on the analysis graph: degree, weighted degree, betweenness,
eigenvector and PageRank.

networkx is the data model and the reference implementation. Above ``IGRAPH_THRESHOLD``
nodes (or when ``engine="igraph"``) betweenness, eigenvector and PageRank run on igraph,
converted from the same graph. Sampled betweenness uses the same source nodes networkx
would use (``random.Random(seed).sample(list(G), k)``, as networkx's
``betweenness_centrality(G, k=k, seed=seed)`` does) and networkx's rescaling, so both engines
give the same numbers. Documented tolerance: betweenness agrees to floating-point rounding
(1e-9 absolute); PageRank within 1e-5 absolute (networkx's power iteration stops when the
L1 change is below n * 1e-6, so single nodes may differ by about 1e-6; igraph's PRPACK solves
the system directly); eigenvector centrality within 1e-6 absolute on a connected graph (both
scaled to unit Euclidean norm; on a disconnected graph the leading eigenvector is not unique
and the engines may weigh the components differently).

Betweenness counts hops (unweighted shortest paths), normalised as in networkx; weighted
degree, eigenvector and PageRank use the tie weights.

Examples
--------
>>> import networkx as nx
>>> g = nx.path_graph(["a", "b", "c"])
>>> centrality(g, measures=["degree", "betweenness"])["b"]
{'degree': 1.0, 'betweenness': 1.0}
"""
from __future__ import annotations

import multiprocessing
import os
import random
import threading
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

from conflictgraph.errors import UsageError
from conflictgraph.gcpause import gc_paused
from conflictgraph.network.analyze.reduce import raw_adjacency

if TYPE_CHECKING:  # pragma: no cover
    import igraph as ig
    import networkx as nx

__all__ = ["MEASURES", "IGRAPH_THRESHOLD", "SAMPLE_THRESHOLD", "EXACT_WORK", "DEFAULT_SAMPLE", "engine_for",
           "centrality", "betweenness", "default_sample", "pagerank", "eigenvector", "to_igraph", "sample_sources"]

MEASURES = ("degree", "weighted-degree", "betweenness", "eigenvector", "pagerank")
IGRAPH_THRESHOLD = 500
# Betweenness is exact up to this many nodes and this much work (sources times ties: exact
# betweenness walks every tie from every node), sampled from DEFAULT_SAMPLE sources beyond.
# 500 million is about two seconds of igraph on two cores; 100,000 imported events (1,812
# actors, 122,601 ties) stay exact, a dense million-event network (2,026 actors, 912,538 ties:
# 25 s exact) is sampled.
SAMPLE_THRESHOLD = 5000
EXACT_WORK = 500_000_000
DEFAULT_SAMPLE = 256


def engine_for(graph: nx.Graph, engine: str) -> str:
    """The engine an analysis of ``graph`` runs on: ``engine``, or for ``auto`` igraph above
    :data:`IGRAPH_THRESHOLD` nodes, else networkx."""
    if engine not in ("auto", "networkx", "igraph"):
        raise UsageError(f"unknown engine {engine!r} (auto, networkx, igraph)")
    if engine == "auto":
        return "igraph" if graph.number_of_nodes() > IGRAPH_THRESHOLD else "networkx"
    return engine


def to_igraph(graph: nx.Graph, weight: str | None = "weight"):
    """The igraph copy of an undirected graph, vertices in ``list(graph)`` order.

    >>> import networkx as nx
    >>> to_igraph(nx.path_graph(3)).ecount()
    2
    """
    import igraph as ig

    with gc_paused():
        index = {node: i for i, node in enumerate(graph)}
        edges, weights = [], []
        key = weight or "weight"
        for u, neighbours in raw_adjacency(graph).items():  # the raw dicts: each edge once, from its lower index
            i = index[u]
            for v, data in neighbours.items():
                j = index[v]
                if j >= i:
                    edges.append((i, j))
                    weights.append(data.get(key, 1))
        g = ig.Graph(n=len(index), edges=edges, directed=False)
        if weight is not None:
            g.es["weight"] = [float(w) for w in weights]
    return g


def default_sample(graph: nx.Graph) -> int | None:
    """The betweenness sample :func:`centrality` takes when given none: None (exact) for a graph
    of at most ``SAMPLE_THRESHOLD`` nodes whose nodes times ties are at most ``EXACT_WORK``,
    else ``DEFAULT_SAMPLE`` sources.

    >>> import networkx as nx
    >>> default_sample(nx.complete_graph(100)), default_sample(nx.empty_graph(6000))
    (None, 256)
    """
    n = graph.number_of_nodes()
    if n <= SAMPLE_THRESHOLD and n * graph.number_of_edges() <= EXACT_WORK:
        return None
    return DEFAULT_SAMPLE


def sample_sources(graph: nx.Graph, k: int | None, seed: int | None) -> list | None:
    """The source nodes networkx's sampled betweenness would use (None: all nodes).

    >>> import networkx as nx
    >>> len(sample_sources(nx.path_graph(10), 3, seed=1))
    3
    """
    if k is None or k >= graph.number_of_nodes():
        return None
    return random.Random(seed).sample(list(graph.nodes()), k)


# Sources times ties from which betweenness is split over forked processes (about 0.1 s of work):
# below it, forking costs about as much as it saves. The exact betweenness of 100,000 imported
# events (2,026 actors, 125,383 ties: 254 million) splits.
_FORK_WORK = 50_000_000
# The igraph graph shared with forked children (they inherit it; nothing is pickled).
_FORKED_GRAPH: ig.Graph | None = None


def _betweenness_from(sources: list[int]) -> list[float]:
    assert _FORKED_GRAPH is not None  # only run in the pool's children, forked after it was set
    return _FORKED_GRAPH.betweenness(directed=False, weights=None, sources=sources)


def _subset_betweenness(g, sources: list[int]) -> list[float]:
    """igraph betweenness from ``sources``, split over the machine's cores when it pays.

    Betweenness from a set of sources is the sum of the dependencies of each source, so the
    sources are dealt out to forked processes and their results added. Only a process with
    no other threads forks (forking a threaded process is unsafe); otherwise it runs here.
    """
    global _FORKED_GRAPH
    workers = min(os.cpu_count() or 1, 4)
    if workers < 2 or len(sources) < 64 or len(sources) * g.ecount() < _FORK_WORK or threading.active_count() > 1 \
            or "fork" not in multiprocessing.get_all_start_methods():
        return g.betweenness(directed=False, weights=None, sources=sources)
    _FORKED_GRAPH = g
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_betweenness_from, [sources[i::workers] for i in range(workers)])
    finally:
        _FORKED_GRAPH = None
    return [sum(values) for values in zip(*parts)]


def betweenness(graph: nx.Graph, *, k: int | None = None, seed: int | None = 0,
                engine: str = "auto", converted=None) -> dict:
    """Normalised betweenness centrality (hops), exact or sampled from ``k`` source nodes.

    Parameters
    ----------
    graph : networkx.Graph
    k : int, optional
        Number of sampled source nodes; None for exact.
    seed : int
        Seed of the sample (the same sources on either engine).
    engine : {"auto", "networkx", "igraph"}

    Examples
    --------
    >>> import networkx as nx
    >>> betweenness(nx.star_graph(3), engine="igraph")[0]
    1.0
    """
    import networkx as nx

    if engine_for(graph, engine) == "networkx":
        if k is not None and k >= graph.number_of_nodes():
            k = None
        return nx.betweenness_centrality(graph, k=k, seed=seed if k is not None else None)
    n = graph.number_of_nodes()
    sources = sample_sources(graph, k, seed)
    g = converted if converted is not None else to_igraph(graph, weight=None)
    if sources is None:  # exact: from every node (split over the cores like a sample when large)
        raw = _subset_betweenness(g, list(range(n)))
        scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
        return {node: value * scale if n > 2 else 0.0 for node, value in zip(graph, raw)}
    index = {node: i for i, node in enumerate(graph)}
    raw = _subset_betweenness(g, [index[s] for s in sources])
    kk = len(sources)
    chosen = set(sources)
    # networkx accumulates each sampled source's dependencies over ordered pairs; igraph's
    # undirected subset betweenness counts them once, hence the factor 2.
    out = {}
    for node, value in zip(graph, raw):
        if n <= 2:
            out[node] = 0.0
        elif node in chosen:
            out[node] = 2.0 * value / ((kk - 1) * (n - 2)) if kk > 1 else float("nan")
        else:
            out[node] = 2.0 * value / (kk * (n - 2))
    return out


def pagerank(graph: nx.Graph, *, alpha: float = 0.85, weight: str | None = "weight",
             engine: str = "auto", converted=None) -> dict:
    """PageRank with damping ``alpha`` on the weighted ties.

    >>> import networkx as nx
    >>> round(sum(pagerank(nx.path_graph(4), engine="igraph").values()), 6)
    1.0
    """
    import networkx as nx

    if graph.number_of_nodes() == 0:
        return {}
    if engine_for(graph, engine) == "networkx":
        return nx.pagerank(graph, alpha=alpha, weight=weight)
    g = converted if converted is not None else to_igraph(graph, weight=weight)
    values = g.pagerank(directed=False, damping=alpha, weights="weight" if weight else None)
    return dict(zip(graph, values))


def eigenvector(graph: nx.Graph, *, weight: str | None = "weight", engine: str = "auto",
                converted=None) -> dict:
    """Eigenvector centrality, scaled to unit Euclidean norm as networkx does.

    >>> import networkx as nx
    >>> e = eigenvector(nx.star_graph(3))
    >>> e[0] > e[1]
    True
    """
    import networkx as nx

    if graph.number_of_nodes() == 0:
        return {}
    if graph.number_of_edges() == 0:
        return {node: 0.0 for node in graph}
    if engine_for(graph, engine) == "networkx":
        try:
            return nx.eigenvector_centrality_numpy(graph, weight=weight)
        except Exception:  # scipy's solver can fail on tiny or degenerate graphs
            return nx.eigenvector_centrality(graph, weight=weight, max_iter=1000)
    g = converted if converted is not None else to_igraph(graph, weight=weight)
    with warnings.catch_warnings():
        # igraph warns on every disconnected graph (most conflict networks); what that means for
        # the values is in the module docstring and the README, not in a warning on stderr
        warnings.simplefilter("ignore", RuntimeWarning)
        values = g.eigenvector_centrality(weights="weight" if weight else None)  # undirected graph; scaled to max 1
    norm = sum(v * v for v in values) ** 0.5 or 1.0
    return {node: abs(v) / norm for node, v in zip(graph, values)}


def centrality(graph: nx.Graph, *, measures: Sequence[str] | str = MEASURES, k: int | None = None,
               seed: int | None = 0, engine: str = "auto") -> dict:
    """Every requested measure for every node: ``{node: {measure: value}}``.

    ``degree`` is networkx's normalised degree centrality, ``weighted-degree`` the sum of
    tie weights. ``k`` samples betweenness (default: :func:`default_sample`, exact up to
    ``SAMPLE_THRESHOLD`` nodes and ``EXACT_WORK``, ``DEFAULT_SAMPLE`` sources beyond).

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_edge("a", "b", weight=3)
    >>> centrality(g, measures="weighted-degree")["a"]
    {'weighted-degree': 3}
    """
    import networkx as nx

    if isinstance(measures, str):
        measures = list(MEASURES) if measures == "all" else [measures]
    unknown = [m for m in measures if m not in MEASURES]
    if unknown:
        raise UsageError(f"unknown measure(s) {', '.join(unknown)} (choose from {', '.join(MEASURES)}, all)")
    if k is None:
        k = default_sample(graph)
    results: dict[str, dict] = {}
    converted = None
    if engine_for(graph, engine) == "igraph" and graph.number_of_nodes() and \
            set(measures) & {"betweenness", "eigenvector", "pagerank"}:
        converted = to_igraph(graph)  # once, shared (betweenness ignores the weights)
    for measure in measures:
        if measure == "degree":
            results[measure] = nx.degree_centrality(graph) if len(graph) > 1 else {n: 0.0 for n in graph}
        elif measure == "weighted-degree":
            if converted is not None:
                results[measure] = dict(zip(graph, converted.strength(weights="weight")))
                results[measure] = {n: int(v) if float(v).is_integer() else v for n, v in results[measure].items()}
            else:
                results[measure] = dict(graph.degree(weight="weight"))
        elif measure == "betweenness":
            results[measure] = betweenness(graph, k=k, seed=seed, engine=engine, converted=converted)
        elif measure == "eigenvector":
            results[measure] = eigenvector(graph, engine=engine, converted=converted)
        else:
            results[measure] = pagerank(graph, engine=engine, converted=converted)
    with gc_paused():
        return {node: {m: results[m][node] for m in measures} for node in graph}
