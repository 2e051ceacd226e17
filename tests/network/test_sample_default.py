"""Betweenness is sampled by default when exact would be too much work (nodes x ties), not only
by node count; the report says so."""
import importlib

import networkx as nx

from conflictgraph.network.reports import centrality_report

# the module (the package's ``centrality`` is the function of the same name)
measures = importlib.import_module("conflictgraph.network.analyze.centrality")


def _cooperative(graph: nx.Graph) -> nx.MultiDiGraph:
    network = nx.MultiDiGraph(view="actors", window="all dates")
    for a, b in graph.edges():
        network.add_edge(str(a), str(b), key="co-member", relation="co-member", sign=1, weight=1)
    return network


def test_dense_network_is_sampled_and_says_so(monkeypatch):
    dense = nx.complete_graph(40)  # 40 nodes x 780 ties = 31,200
    monkeypatch.setattr(measures, "EXACT_WORK", 30_000)
    monkeypatch.setattr(measures, "DEFAULT_SAMPLE", 8)
    report = centrality_report(_cooperative(dense), measure="betweenness")
    assert report.meta["betweenness_sample"] == 8
    assert "sampled from 8 of 40 actors" in report.meta["sample_reason"]
    assert "--sample 40" in report.meta["sample_reason"]


def test_sparse_network_stays_exact(monkeypatch):
    monkeypatch.setattr(measures, "EXACT_WORK", 30_000)
    report = centrality_report(_cooperative(nx.path_graph(40)), measure="betweenness")  # 40 x 39
    assert report.meta["betweenness_sample"] == "exact"
    assert "sample_reason" not in report.meta
    assert max(row["betweenness"] for row in report.data["rows"]) == nx.betweenness_centrality(
        nx.path_graph(40))[19]


def test_a_sample_as_large_as_the_graph_is_exact():
    report = centrality_report(_cooperative(nx.complete_graph(10)), measure="betweenness", sample=10)
    assert report.meta["betweenness_sample"] == "exact"
    assert "sample_reason" not in report.meta
