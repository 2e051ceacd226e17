"""Change between two dates: ties that appeared or ended, actors that switched sides, and the
biggest moves in centrality rank, each with its sources.

Both snapshots are projections of one view with the same filters, ``as_of`` the two dates.
A tie is a (pair, relation) edge. Two actors switched sides when the net sign of their pair
(over all signed relations, see :mod:`conflictgraph.network.analyze.reduce`) went from cooperative to
hostile or back; the row names the actor with a defection tie in the pair when there is one.
Ranks are by the chosen centrality on the ties asked for (cooperative by default; ``auto``:
cooperative, or hostile when neither network has a cooperative tie; 1 = most central); an actor
absent from a network ranks after every present one.

The networks may be projected without provenance (``project(provenance=False)``): the changes
are found on their counts, and ``fetch(network, keys)`` (e.g.
:func:`~conflictgraph.network.projection.add_provenance`) is asked for what lies behind the
ties the answer names (the changed ties and those of switched pairs) before their rows are made.

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

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from conflictgraph.network.analyze.centrality import centrality
from conflictgraph.network.analyze.reduce import (analysis_graph, hostile_only, pairs_graph, raw_adjacency,
                                                   signed_pairs)

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["network_diff"]

_SIGN_WORD = {1: "cooperative", -1: "hostile", 0: "none"}
_HOSTILE_REASON = "no cooperative tie in either window, so ranks are compared on hostile ties"

Fetch = Callable[["nx.MultiDiGraph", list[tuple]], object]


def _labels(before: nx.MultiDiGraph, after: nx.MultiDiGraph) -> dict:
    """Each node's label, as the later network gives it, else the earlier."""
    labels = {node: str(attrs.get("label", node)) for node, attrs in before.nodes(data=True)}
    labels.update((node, str(attrs.get("label", node))) for node, attrs in after.nodes(data=True))
    return labels


def _ranks(scores: dict) -> dict:
    ordered = sorted(scores, key=lambda n: (-scores[n], str(n)))
    return {node: i + 1 for i, node in enumerate(ordered)}


def _edge_keys(network: nx.MultiDiGraph) -> list[tuple]:
    """The (u, v, key) of every edge, in the network's order."""
    return [(u, v, key) for u, neighbours in raw_adjacency(network).items() for v, keyed in neighbours.items()
            for key in keyed]


def network_diff(before: nx.MultiDiGraph, after: nx.MultiDiGraph, *, measure: str = "pagerank",
                 top: int = 10, ties: str = "cooperative", fetch: Fetch | None = None,
                 evidence_rows: int | None = None) -> dict:
    """What changed from the network ``before`` to the network ``after``.

    ``fetch(network, keys)``, when given, is called with each network and the (u, v, key) of
    its ties whose evidence the answer gives, before their rows are made (for networks
    projected without provenance). ``evidence_rows``: give it for the first that many changed
    ties only (and those of the rank moves and switches shown; a table for reading draws no
    more), the others keeping their event count; None: for every one.

    Returns
    -------
    dict with ``ties`` (rows: from, to, relation, change "appeared"/"ended", sign, start, end,
    event_count, sources, statements, events; the last three None beyond ``evidence_rows``),
    ``switched`` (rows: actor, other, before, after, relations, sources) and ``moves`` (rows:
    node, rank_before, rank_after, change, score_before, score_after, sources), the ``top``
    largest rank changes; ``analysis``: what the two graphs ranked on hold (see
    :func:`~conflictgraph.network.analyze.reduce.analysis_graph`); ``ties_reason`` when
    ``auto`` chose hostile ties.
    """
    pairs = [signed_pairs(net) for net in (before, after)]
    reason = None
    if ties == "auto":  # hostile when both networks would rank on hostile ties alone
        ties, reason = ("hostile", _HOSTILE_REASON) if all(map(hostile_only, pairs)) else ("cooperative", None)
    ranked = [analysis_graph(net, ties="all") if ties == "all" else pairs_graph(net, p, ties)
              for net, p in zip((before, after), pairs)]
    labels = _labels(before, after)
    adjacency = {"ended": raw_adjacency(before), "appeared": raw_adjacency(after)}
    changes = _changes(before, after, adjacency, labels)
    moves = _moves(ranked, measure, labels)[:top]
    switched_pairs = _switched_pairs(after, *pairs)
    moved = {m["node"] for m in moves}
    limit = len(changes) if evidence_rows is None else evidence_rows
    evidenced = set(range(min(limit, len(changes))))
    evidenced.update(i for i in range(limit, len(changes)) if {changes[i][1][0], changes[i][1][1]} & moved)
    if fetch is not None:
        fetch(before, [changes[i][1] for i in sorted(evidenced) if changes[i][0] == "ended"]
              + [e for switch in switched_pairs for e in switch.edges_before])
        fetch(after, [changes[i][1] for i in sorted(evidenced) if changes[i][0] == "appeared"]
              + [e for switch in switched_pairs for e in switch.edges_after])
    changed = [_tie_row(adjacency[change], key, change, labels, evidence=i in evidenced)
               for i, (change, key) in enumerate(changes)]
    touched: dict = {}
    for row in changed:
        if row["sources"] is not None:
            for node in (row["from"], row["to"]):
                touched.setdefault(node, set()).update(row["sources"])
    for move in moves:
        move["sources"] = sorted(touched.get(move["node"], set()))
    switched = [_switch_row(before, after, pair, labels) for pair in switched_pairs]
    switched.sort(key=lambda r: (r["actor_label"], r["other_label"]))
    found = {"ties": changed, "switched": switched, "moves": moves, "measure": measure,
             "analysis": [graph.graph["analysis"] for graph in ranked]}
    if reason:
        found["ties_reason"] = reason
    return found


def _changes(before: nx.MultiDiGraph, after: nx.MultiDiGraph, adjacency: dict, labels: dict) -> list[tuple]:
    """("ended", key) for each tie only ``before`` has and ("appeared", key) for each only
    ``after`` has, ended first, then by the labels of the ends and the relation (``adjacency``:
    the raw adjacency of ``before`` under "ended", of ``after`` under "appeared")."""
    keys_before, keys_after = _edge_keys(before), _edge_keys(after)
    known_before, known_after = set(keys_before), set(keys_after)
    changes = [("ended", k) for k in keys_before if k not in known_after]
    changes += [("appeared", k) for k in keys_after if k not in known_before]

    def order(change: tuple) -> tuple:
        kind, (u, v, key) = change
        return kind != "ended", labels[u], labels[v], adjacency[kind][u][v][key].get("relation", key)

    changes.sort(key=order)
    return changes


def _tie_row(adjacency: dict, key: tuple, change: str, labels: dict, *, evidence: bool) -> dict:
    """The row of a changed tie (``key`` in the network whose
    :func:`~conflictgraph.network.analyze.reduce.raw_adjacency` is ``adjacency``): its ends,
    relation and dates, its event count and, with ``evidence``, its sources, statements and
    events (else None)."""
    u, v, k = key
    data = adjacency[u][v][k]
    events = data.get("events")
    return {"from": u, "to": v, "from_label": labels[u], "to_label": labels[v], "relation": data.get("relation", k),
            "change": change, "sign": data.get("sign"), "start": data.get("start"), "end": data.get("end"),
            "event_count": len(events) if events is not None else data.get("weight", 0),
            "sources": list(data.get("sources", ())) if evidence else None,
            "statements": list(data.get("statements", ())) if evidence else None,
            "events": list(events or ()) if evidence else None}


class _Switch(NamedTuple):
    """A pair whose net sign changed: its ends (``u`` first in the later network's node order,
    as its signed analysis graph lists the pair), the net signs and the typed ties behind them."""

    u: str
    v: str
    sign_before: int
    sign_after: int
    edges_before: list[tuple]
    edges_after: list[tuple]


def _switched_pairs(after: nx.MultiDiGraph, pairs_before: dict, pairs_after: dict) -> list[_Switch]:
    """The pairs whose net sign changed from one
    :func:`~conflictgraph.network.analyze.reduce.signed_pairs` to the other."""
    position = {node: i for i, node in enumerate(after)}
    found = []
    for pair, (signed, _weight, edges, _relations) in pairs_after.items():
        old = pairs_before.get(pair)
        if old is None or not signed or not old[0] or (old[0] > 0) == (signed > 0):
            continue
        u, v = pair if position[pair[0]] <= position[pair[1]] else pair[::-1]
        found.append(_Switch(u, v, 1 if old[0] > 0 else -1, 1 if signed > 0 else -1, old[2], edges))
    return found


def _switch_row(before: nx.MultiDiGraph, after: nx.MultiDiGraph, switch: _Switch, labels: dict) -> dict:
    """The row of a pair that switched sides: who, from what to what, through which relations."""
    old, new = switch.edges_before, switch.edges_after
    relations = sorted({k for _x, _y, k in [*old, *new]})
    defector = next((x for x, _y, k in new if str(k).startswith("defected")), None)
    actor = defector if defector is not None else switch.u
    other = switch.v if actor == switch.u else switch.u
    sources = sorted({s for x, y, k in new for s in after.edges[x, y, k].get("sources", [])}
                     | {s for x, y, k in old for s in before.edges[x, y, k].get("sources", [])})
    return {"actor": actor, "actor_label": labels[actor], "other": other, "other_label": labels[other],
            "before": _SIGN_WORD[switch.sign_before], "after": _SIGN_WORD[switch.sign_after],
            "relations": relations, "sources": sources}


def _moves(ranked: list[nx.Graph], measure: str, labels: dict) -> list[dict]:
    """Every node whose ``measure`` rank changed between the two ``ranked`` graphs, largest
    moves first (their ``sources`` to be filled in)."""
    scores_before, scores_after = ({n: s[measure] for n, s in centrality(graph, measures=[measure]).items()}
                                   for graph in ranked)
    ranks_before, ranks_after = _ranks(scores_before), _ranks(scores_after)
    moves = []
    for node in set(ranks_before) | set(ranks_after):
        rb = ranks_before.get(node, len(ranks_before) + 1)
        ra = ranks_after.get(node, len(ranks_after) + 1)
        if rb == ra:
            continue
        moves.append({"node": node, "label": labels.get(node, str(node)),
                      "rank_before": ranks_before.get(node), "rank_after": ranks_after.get(node),
                      "change": rb - ra, "score_before": scores_before.get(node),
                      "score_after": scores_after.get(node), "sources": []})
    moves.sort(key=lambda r: (-abs(r["change"]), r["label"]))
    return moves
