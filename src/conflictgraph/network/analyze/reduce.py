"""The analysis graph: one documented reduction of a projected network (DESIGN.md section 4).

Several networkx algorithms refuse multigraphs, so every analysis works on an undirected
simple graph built here. For each unordered pair of nodes, the edges of the selected
relations are collapsed: neutral edges (sign 0) are ignored, ``signed_weight`` is the sum of
sign * weight, the pair's ``sign`` is the sign of that sum (a pair whose sum is 0 is left
out), and ``weight`` is its absolute value (for a purely cooperative pair: the summed
weights). ``ties`` chooses which pairs stay: ``cooperative`` (net sign +1), ``hostile`` (net
-1), ``signed`` (both, for balance) or ``all`` (every pair with any tie, neutral ones too,
weighing the sum of its ties' weights: contact whatever its kind). :func:`choose_ties` also
takes ``auto``: cooperative ties, or hostile ones when a view has no cooperative tie (event
data of fighting alone), with the reason in words.
Each edge keeps ``relations`` and ``edges`` (the original ``(u, v, key)`` triples) so an
analysis can explain itself from the typed edges and their sources; built without provenance
(what a ranking needs: centrality, communities, ``diff --by``), only its weights and sign.

``graph.graph["analysis"]`` states the view, window, filters and the node and tie counts.

Examples
--------
>>> import networkx as nx
>>> net = nx.MultiDiGraph(view="actors", window="all dates")
>>> net.add_edge("a", "b", key="co-member", sign=1, weight=2)
'co-member'
>>> net.add_edge("b", "a", key="fought", sign=-1, weight=1)
'fought'
>>> g = analysis_graph(net)
>>> g.edges["a", "b"]["weight"], g.edges["a", "b"]["sign"]
(1, 1)
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from conflictgraph.errors import UsageError
from conflictgraph.gcpause import gc_paused

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["TIES", "TIE_CHOICES", "analysis_graph", "signed_pairs", "pairs_graph", "hostile_only", "net_degrees",
           "choose_ties", "describe_analysis", "network_meta", "raw_adjacency"]

TIES = ("cooperative", "hostile", "signed", "all")
TIE_CHOICES = ("auto", *TIES)  # what the network commands' --ties offers
_KEEP = {"cooperative": (1,), "hostile": (-1,), "signed": (1, -1), "all": (1, -1, 0)}  # net signs each choice keeps
_HOSTILE_REASON = "no cooperative tie in this view, so the hostile ties are used"  # choose_ties, when auto is hostile


def analysis_graph(network: nx.MultiDiGraph, *, ties: str = "cooperative",
                   relations: Iterable[str] | None = None, keep_isolates: bool = True,
                   provenance: bool = True) -> nx.Graph:
    """Reduce a projected network to an undirected simple graph of net ties.

    Parameters
    ----------
    network : networkx.MultiDiGraph
        A network from :func:`conflictgraph.network.projection.project` (or any multigraph whose edges
        carry ``sign`` and ``weight``).
    ties : {"cooperative", "hostile", "signed", "all"}
        Which net ties to keep.
    relations : iterable of str, optional
        Only edges of these relations count.
    keep_isolates : bool
        Keep nodes left without a tie (so counts and communities cover every actor).
    provenance : bool
        Give each net tie the typed edges and relations behind it; without, only its weights
        and sign (what a ranking needs: ``diff --by`` ranks a network per period).

    Returns
    -------
    networkx.Graph
        Edges with ``weight``, ``signed_weight``, ``sign``, ``relations`` and ``edges``.

    Examples
    --------
    >>> import networkx as nx
    >>> net = nx.MultiDiGraph()
    >>> net.add_edge("a", "b", key="fought", sign=-1, weight=3)
    'fought'
    >>> analysis_graph(net, ties="signed").edges["a", "b"]["sign"]
    -1
    >>> analysis_graph(net).number_of_edges()
    0
    """
    if ties not in TIES:
        raise UsageError(f"unknown ties {ties!r} (choose from {', '.join(TIES)})")
    wanted = set(relations) if relations else None
    with gc_paused():
        pairs = _pair_sums(network, wanted, neutral=ties == "all", behind=provenance)
    graph = _graph_of_pairs(network, pairs, ties, wanted)
    del pairs
    if not keep_isolates:
        graph.remove_nodes_from([n for n in list(graph) if graph.degree(n) == 0])
    return graph


def signed_pairs(network: nx.MultiDiGraph) -> dict[tuple, list]:
    """Per unordered pair of nodes with a signed tie, what :func:`analysis_graph` collapses:
    ``[summed sign * weight, summed weight, [(u, v, key), ...], [relation, ...]]``; a pair's
    net sign is that of the first (read once, for several choices of ties:
    :func:`pairs_graph`).

    >>> import networkx as nx
    >>> net = nx.MultiDiGraph()
    >>> net.add_edge("a", "b", key="fought", sign=-1, weight=3)
    'fought'
    >>> signed_pairs(net)
    {('a', 'b'): [-3, 3, [('a', 'b', 'fought')], ['fought']]}
    """
    with gc_paused():
        return _pair_sums(network, None)


def pairs_graph(network: nx.MultiDiGraph, pairs: dict[tuple, list], ties: str) -> nx.Graph:
    """:func:`analysis_graph` of ``network`` (with isolates, every relation) for ``ties``
    (cooperative, hostile or signed), from its :func:`signed_pairs`.

    >>> import networkx as nx
    >>> net = nx.MultiDiGraph()
    >>> net.add_edge("a", "b", key="fought", sign=-1, weight=3)
    'fought'
    >>> pairs_graph(net, signed_pairs(net), "hostile").edges["a", "b"]["weight"]
    3
    """
    if ties not in _KEEP or ties == "all":
        raise UsageError(f"ties from signed pairs are cooperative, hostile or signed, not {ties!r}")
    return _graph_of_pairs(network, pairs, ties, None)


def hostile_only(pairs: dict[tuple, list]) -> bool:
    """Whether the net ties of ``pairs`` (:func:`signed_pairs`) are all hostile, and there is
    one: the rule by which ``auto`` ties are hostile (:func:`choose_ties`, and ``diff``, which
    asks it of both its networks).

    >>> fought, allied = [-3, 3, [], []], [1, 1, [], []]
    >>> hostile_only({("a", "b"): fought}), hostile_only({("a", "b"): fought, ("a", "c"): allied}), hostile_only({})
    (True, False, False)
    """
    nets = [pair[0] for pair in pairs.values()]
    return any(net < 0 for net in nets) and not any(net > 0 for net in nets)


def _graph_of_pairs(network: nx.MultiDiGraph, pairs: dict[tuple, list], ties: str,
                    wanted: set[str] | None) -> nx.Graph:
    """The analysis graph of ``pairs`` (from :func:`_pair_sums`) for ``ties``, with the network's
    attributes and its ``analysis`` description."""
    with gc_paused():
        graph = _net_ties(network, pairs, keep=_KEEP[ties], total=ties == "all")
    info = dict(network.graph)
    graph.graph.update(info)
    graph.graph["analysis"] = _analysis_meta(info, graph, ties=ties, wanted=wanted)
    return graph


def net_degrees(network: nx.MultiDiGraph, ties: str = "cooperative") -> dict:
    """Each node's degree in ``analysis_graph(network, ties=ties)`` (with isolates, every
    relation), without building that graph: one pass summing each pair's signed weights (what
    a page sized by degree needs of a network of 920,000 ties).

    >>> import networkx as nx
    >>> net = nx.MultiDiGraph()
    >>> for u, v, key, sign in [("a", "b", "allied", 1), ("b", "a", "fought", -1), ("b", "c", "fought", -1),
    ...                         ("c", "d", "met", 0)]:
    ...     _ = net.add_edge(u, v, key=key, sign=sign, weight=1)
    >>> [net_degrees(net, t) == dict(analysis_graph(net, ties=t).degree()) for t in TIES]
    [True, True, True, True]
    >>> net_degrees(net, "signed")
    {'a': 0, 'b': 1, 'c': 1, 'd': 0}
    """
    if ties not in TIES:
        raise UsageError(f"unknown ties {ties!r} (choose from {', '.join(TIES)})")
    keep, every = _KEEP[ties], ties == "all"
    sums: dict[tuple, float] = {}
    multi = network.is_multigraph()
    for pair, _u, _v, keyed in _adjacent_pairs(network):
        for data in (keyed.values() if multi else (keyed,)):
            sign = data.get("sign", 1)
            if sign or every:
                sums[pair] = sums.get(pair, 0) + sign * data.get("weight", 1)
    degree = dict.fromkeys(network, 0)
    for (u, v), total in sums.items():
        if (total > 0) - (total < 0) in keep:
            degree[u] += 1
            degree[v] += 1
    return degree


def _pair_sums(network: nx.MultiDiGraph, wanted: set[str] | None, *, neutral: bool = False,
               behind: bool = True) -> dict[tuple, list]:
    """Per unordered pair, from its signed edges (and neutral ones if ``neutral``) of the
    ``wanted`` relations (any when None): ``[summed sign * weight, summed weight, [(u, v, key),
    ...], [relation, ...]]`` (without ``behind``, the two sums only).

    One pass over the raw adjacency dicts (no views, no attribute copies).
    """
    records: dict[tuple, list] = {}
    multi = network.is_multigraph()
    for pair, u, v, keyed in _adjacent_pairs(network):
        for key, data in (keyed.items() if multi else ((None, keyed),)):
            relation = data.get("relation", key)
            if wanted is not None and relation not in wanted:
                continue
            sign = data.get("sign", 1)
            if not sign and not neutral:
                continue
            weight = data.get("weight", 1)
            record = records.get(pair)
            if record is None:  # (lists of one made whole: appending to empty ones over-allocates)
                if behind:
                    records[pair] = [sign * weight, weight, [(u, v, key)], [relation]]
                else:
                    records[pair] = [sign * weight, weight]
            else:
                record[0] += sign * weight
                record[1] += weight
                if behind:
                    record[2].append((u, v, key))
                    record[3].append(relation)
    return records


def raw_adjacency(network: nx.Graph) -> dict:
    """The network's own adjacency dicts, ``{u: {v: edge data}}`` (``{u: {v: {key: edge
    data}}}`` in a multigraph): walking them costs no view object per access, which its
    ``adj`` and ``edges`` views do (a network of 920,000 ties).

    >>> import networkx as nx
    >>> raw_adjacency(nx.path_graph(2))
    {0: {1: {}}, 1: {0: {}}}
    """
    return getattr(network, "_adj", None) or network.adj


def _adjacent_pairs(network: nx.MultiDiGraph) -> Iterator[tuple[tuple, object, object, dict]]:
    """(the unordered pair, u, v, the edges from u to v) for every u != v of the raw adjacency
    dicts (no views, no attribute copies): each direction of a directed graph, and once for an
    undirected one, which holds each edge under both ends."""
    directed = network.is_directed()
    for u, neighbours in raw_adjacency(network).items():
        for v, keyed in neighbours.items():
            if u == v:
                continue
            try:
                first = u <= v
            except TypeError:
                first = str(u) <= str(v)
            if not directed and not first:
                continue
            yield ((u, v) if first else (v, u)), u, v, keyed


def _net_ties(network: nx.MultiDiGraph, pairs: dict[tuple, list], keep: tuple[int, ...], *,
              total: bool = False) -> nx.Graph:
    """The undirected graph of ``network``'s nodes and the pairs whose net sign is in ``keep``;
    a pair weighs its net weight, or with ``total`` the sum of its ties' weights."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(network.nodes(data=True))
    # Each kept pair's attribute dict is made once and placed under both ends of the new
    # graph's adjacency (networkx's own dict-of-dicts layout of an undirected Graph, which
    # is what add_edges_from builds, without its per-edge copy of the attributes).
    adjacency_out = graph._adj
    for (u, v), (signed, summed, *behind) in pairs.items():
        sign = (signed > 0) - (signed < 0)
        if sign not in keep:
            continue
        data = _collapsed_tie(signed, sign, *behind, weight=summed if total else None)
        adjacency_out[u][v] = data
        adjacency_out[v][u] = data
    return graph


def _collapsed_tie(signed: float, sign: int, edges: list[tuple] | None = None, rels: list[str] | None = None, *,
                   weight: float | None = None) -> dict:
    """The attributes of a pair's net tie: ``weight`` (|signed| unless given, an int when whole),
    ``signed_weight``, ``sign``, and ``edges`` and ``relations`` when given."""
    if weight is None:
        weight = signed if sign > 0 else -signed
    if type(weight) is not int and float(weight).is_integer():
        weight = int(weight)
    if edges is None or rels is None:
        return {"weight": weight, "signed_weight": signed, "sign": sign}
    return {"weight": weight, "signed_weight": signed, "sign": sign, "edges": edges,
            "relations": sorted(set(rels)) if len(rels) > 1 else rels}


def choose_ties(network: nx.MultiDiGraph, ties: str = "auto", *, relations: Iterable[str] | None = None,
                provenance: bool = True) -> tuple[nx.Graph, str | None]:
    """The analysis graph for ``ties``, which may be ``auto``, and why, when auto chose hostile ties.

    ``auto`` means cooperative ties, unless the view has none but has hostile ones: then
    hostile ties (event data of fighting alone), and the reason says so. Without
    ``provenance`` the net ties carry their weights and sign only (see :func:`analysis_graph`:
    what centrality and communities weigh).

    >>> import networkx as nx
    >>> net = nx.MultiDiGraph()
    >>> net.add_edge("a", "b", key="fought", sign=-1, weight=3)
    'fought'
    >>> graph, reason = choose_ties(net)
    >>> graph.graph["analysis"]["ties"], reason
    ('hostile', 'no cooperative tie in this view, so the hostile ties are used')
    """
    if ties != "auto":
        return analysis_graph(network, ties=ties, relations=relations, provenance=provenance), None
    wanted = set(relations) if relations else None
    with gc_paused():
        pairs = _pair_sums(network, wanted, behind=provenance)
    if hostile_only(pairs):
        return _graph_of_pairs(network, pairs, "hostile", wanted), _HOSTILE_REASON
    return _graph_of_pairs(network, pairs, "cooperative", wanted), None


def _analysis_meta(info: dict, graph: nx.Graph, *, ties: str, wanted: set[str] | None) -> dict:
    """What the analysis graph is made of: view, window, filters, ties, node and tie counts."""
    return {
        "view": info.get("view"),
        "window": info.get("window", "all dates"),
        "evidence": info.get("evidence", "all"),
        "status": info.get("status") or "any",
        "generic": "included" if info.get("include_generic") else "excluded",
        "relations": sorted(wanted) if wanted else (info.get("relations") or "all"),
        "focus": info.get("focus"),
        "ties": ties,
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
    }


def network_meta(network: nx.MultiDiGraph) -> dict:
    """What :func:`describe_analysis` says of ``network`` itself, every node and tie of it
    (its view, window and filters as it records them): what ``export`` wrote.

    >>> import networkx as nx
    >>> net = nx.MultiDiGraph(view="actors", window="all dates")
    >>> _ = net.add_edge("a", "b", key="fought"); _ = net.add_edge("a", "b", key="allied")
    >>> describe_analysis(network_meta(net)).split(", ")[-2:]
    ['all ties: 2 nodes', '2 ties']
    """
    return _analysis_meta(network.graph, network, ties="all", wanted=None)


def describe_analysis(meta: dict) -> str:
    """One line saying what an analysis used: view, window, filters, node and tie counts.

    >>> describe_analysis({"view": "actors", "window": "as of 2023-12-01", "ties": "cooperative",
    ...                    "nodes": 5, "edges": 4})  # doctest: +NORMALIZE_WHITESPACE
    'actors view, as of 2023-12-01, evidence all, status any, generic actors excluded, relations all,
     cooperative ties: 5 nodes, 4 ties'
    """
    focus = f", around {meta['focus']}" if meta.get("focus") else ""
    relations = meta.get("relations") or "all"
    if isinstance(relations, (list, tuple)):
        relations = ",".join(relations)
    return (f"{meta.get('view') or 'custom'} view, {meta.get('window') or 'all dates'}, evidence "
            f"{meta.get('evidence') or 'all'}, status "
            f"{','.join(meta['status']) if isinstance(meta.get('status'), list) else meta.get('status') or 'any'}, "
            f"generic actors {meta.get('generic') or 'excluded'}, relations {relations}{focus}, "
            f"{meta.get('ties')} ties: {meta.get('nodes')} nodes, {meta.get('edges')} ties")
