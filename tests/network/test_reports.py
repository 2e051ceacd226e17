"""Reports say which ties they used, and pick hostile ties when a view has no cooperative one."""
from __future__ import annotations

import networkx as nx

from conflictgraph.network.reports import centrality_report


def _network(*edges: tuple[str, str, str, int]) -> nx.MultiDiGraph:
    network = nx.MultiDiGraph(view="actors", window="all dates")
    for a, b, relation, sign in edges:
        for node in (a, b):
            network.add_node(node, label=node.upper(), type="ArmedGroup", generic=False)
        network.add_edge(a, b, key=relation, relation=relation, sign=sign, weight=1, sources=[], statements=[])
    return network


def test_all_hostile_event_data_is_ranked_on_hostile_ties_and_says_so():
    report = centrality_report(_network(("a", "b", "fought", -1), ("a", "c", "fought", -1)), measure="degree")
    assert report.meta["ties"] == "hostile"
    assert "no cooperative tie" in report.meta["ties_reason"]
    assert report.sections[0].rows[0]["actor"] == "A"


def test_cooperative_ties_stay_the_default_when_there_are_any():
    report = centrality_report(_network(("a", "b", "fought", -1), ("b", "c", "co-member", 1)), measure="degree")
    assert report.meta["ties"] == "cooperative" and "ties_reason" not in report.meta


def test_asking_for_cooperative_ties_on_hostile_data_gives_what_was_asked():
    report = centrality_report(_network(("a", "b", "fought", -1)), measure="degree", ties="cooperative")
    assert report.meta["ties"] == "cooperative" and report.meta["edges"] == 0


def test_centrality_weighted_by_deaths_ranks_the_deadliest_actor_first():
    network = _network(("a", "b", "fought", -1), ("a", "c", "fought", -1), ("c", "d", "fought", -1))
    for (u, v), deaths in {("a", "b"): 1, ("a", "c"): 2, ("c", "d"): 40}.items():
        network.edges[u, v, "fought"]["fatalities"] = deaths
    by_events = centrality_report(network, measure="weighted-degree")
    by_deaths = centrality_report(network, measure="weighted-degree", weight="deaths")
    assert by_events.sections[0].rows[0]["actor"] in ("A", "C")
    assert [r["actor"] for r in by_deaths.sections[0].rows[:2]] == ["C", "D"]
    assert by_deaths.sections[0].rows[0]["weighted-degree"] == 42 and by_deaths.meta["weight"] == "deaths"
