"""Change between two dates: ties that appeared or ended, actors that switched sides, and the
biggest moves in centrality rank, each with its sources.

Both snapshots are projections of one view with the same filters, ``as_of`` the two dates.
A tie is a (pair, relation) edge. Two actors switched sides when the net sign of their pair
(over all signed relations, see :mod:`conflictgraph.network.analyze.reduce`) went from cooperative to
hostile or back; the row names the actor with a defection tie in the pair when there is one.
Ranks are by the chosen centrality on the ties asked for (cooperative by default; 1 = most
central); an actor absent from a network ranks after every present one.

Examples
--------
>>> import networkx as nx
>>> before = nx.MultiDiGraph(); after = nx.MultiDiGraph()
>>> _ = before.add_edge("k", "army", key="aligned-with", sign=1, weight=1, sources=["s1"])
>>> _ = after.add_edge("k", "army", key="defected-from", sign=-1, weight=1, sources=["s2"])
>>> d = network_diff(before, after)
>>> [(t["relation"], t["change"]) for t in d["ties"]]
[('aligned-with', 'ended'), ('defected-from', 'appeared')]
>>> d["switched"][0]["actor"], d["switched"][0]["before"], d["switched"][0]["after"]
('k', 'cooperative', 'hostile')
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from conflictgraph.network.analyze.centrality import centrality
from conflictgraph.network.analyze.reduce import analysis_graph

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["network_diff"]

_SIGN_WORD = {1: "cooperative", -1: "hostile", 0: "none"}


def _label(a: nx.MultiDiGraph, b: nx.MultiDiGraph, node) -> str:
    for net in (b, a):
        if node in net:
            return str(net.nodes[node].get("label", node))
    return str(node)


def _ranks(scores: dict) -> dict:
    ordered = sorted(scores, key=lambda n: (-scores[n], str(n)))
    return {node: i + 1 for i, node in enumerate(ordered)}


def network_diff(before: nx.MultiDiGraph, after: nx.MultiDiGraph, *, measure: str = "pagerank",
                 top: int = 10, ties: str = "cooperative") -> dict:
    """What changed from the network ``before`` to the network ``after``.

    Returns
    -------
    dict with ``ties`` (rows: from, to, relation, change "appeared"/"ended", sign, start, end,
    sources, statements, events), ``switched`` (rows: actor, other, before, after, relations, sources)
    and ``moves`` (rows: node, rank_before, rank_after, change, score_before, score_after,
    sources), the ``top`` largest rank changes; ``analysis``: what the two graphs ranked on hold
    (see :func:`~conflictgraph.network.analyze.reduce.analysis_graph`).
    """
    changed = []
    touched: dict = {}
    for change, net, other in (("ended", before, after), ("appeared", after, before)):
        for u, v, key, data in net.edges(keys=True, data=True):
            if other.has_edge(u, v, key):
                continue
            row = {"from": u, "to": v, "from_label": _label(before, after, u), "to_label": _label(before, after, v),
                   "relation": data.get("relation", key), "change": change, "sign": data.get("sign"),
                   "start": data.get("start"), "end": data.get("end"),
                   "sources": list(data.get("sources", [])), "statements": list(data.get("statements", [])),
                   "events": list(data.get("events", []))}
            changed.append(row)
            for node in (u, v):
                touched.setdefault(node, set()).update(row["sources"])
    changed.sort(key=lambda r: (r["change"] != "ended", r["from_label"], r["to_label"], r["relation"]))

    signed_before = analysis_graph(before, ties="signed")
    signed_after = analysis_graph(after, ties="signed")
    switched = []
    for u, v, data in signed_after.edges(data=True):
        if not signed_before.has_edge(u, v):
            continue
        old, new = signed_before[u][v]["sign"], data["sign"]
        if old == new:
            continue
        edges = [(x, y, k) for x, y, k in signed_before[u][v]["edges"]] + list(data["edges"])
        relations = sorted({k for _x, _y, k in edges})
        defector = next((x for x, _y, k in data["edges"] if str(k).startswith("defected")), None)
        actor = defector if defector is not None else u
        other_node = v if actor == u else u
        sources = sorted({s for x, y, k in data["edges"] for s in after.edges[x, y, k].get("sources", [])}
                         | {s for x, y, k in signed_before[u][v]["edges"]
                            for s in before.edges[x, y, k].get("sources", [])})
        switched.append({"actor": actor, "actor_label": _label(before, after, actor), "other": other_node,
                         "other_label": _label(before, after, other_node), "before": _SIGN_WORD[old],
                         "after": _SIGN_WORD[new], "relations": relations, "sources": sources})
    switched.sort(key=lambda r: (r["actor_label"], r["other_label"]))

    ranked = [analysis_graph(net, ties=ties) for net in (before, after)]
    scores_before, scores_after = ({n: s[measure] for n, s in centrality(graph, measures=[measure]).items()}
                                   for graph in ranked)
    ranks_before, ranks_after = _ranks(scores_before), _ranks(scores_after)
    nodes = set(ranks_before) | set(ranks_after)
    moves = []
    for node in nodes:
        rb = ranks_before.get(node, len(ranks_before) + 1)
        ra = ranks_after.get(node, len(ranks_after) + 1)
        if rb == ra:
            continue
        moves.append({"node": node, "label": _label(before, after, node),
                      "rank_before": ranks_before.get(node), "rank_after": ranks_after.get(node),
                      "change": rb - ra, "score_before": scores_before.get(node),
                      "score_after": scores_after.get(node), "sources": sorted(touched.get(node, set()))})
    moves.sort(key=lambda r: (-abs(r["change"]), r["label"]))
    return {"ties": changed, "switched": switched, "moves": moves[:top], "measure": measure,
            "analysis": [graph.graph["analysis"] for graph in ranked]}
