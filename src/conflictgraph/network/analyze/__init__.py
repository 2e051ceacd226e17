"""Analyses of projected networks, one module per family (networkx conventions).

- :mod:`~conflictgraph.network.analyze.reduce`: the analysis graph (undirected, simple, net signs)
- :mod:`~conflictgraph.network.analyze.centrality`: degree, weighted degree, betweenness,
  eigenvector, PageRank (igraph above a size threshold)
- :mod:`~conflictgraph.network.analyze.paths`: explained alliance paths
- :mod:`~conflictgraph.network.analyze.communities`: Louvain communities
- :mod:`~conflictgraph.network.analyze.balance`: triangles and two camps on signed ties
- :mod:`~conflictgraph.network.analyze.diff`: change between two dates
- :mod:`~conflictgraph.network.analyze.ego`: ego networks

Examples
--------
>>> import networkx as nx
>>> from conflictgraph.network.analyze import analysis_graph, centrality
>>> net = nx.MultiDiGraph()
>>> _ = net.add_edge("a", "b", key="co-member", sign=1, weight=1)
>>> centrality(analysis_graph(net), measures="degree")["a"]["degree"]
1.0
"""
from conflictgraph.network.analyze.balance import balance, triangles, two_camps
from conflictgraph.network.analyze.centrality import MEASURES, betweenness, centrality, eigenvector, pagerank
from conflictgraph.network.analyze.communities import communities
from conflictgraph.network.analyze.diff import network_diff
from conflictgraph.network.analyze.ego import ego_network
from conflictgraph.network.analyze.paths import NoPath, alliance_paths, explain_hop
from conflictgraph.network.analyze.reduce import TIES, analysis_graph, describe_analysis

__all__ = ["analysis_graph", "describe_analysis", "TIES", "MEASURES", "centrality", "betweenness", "pagerank",
           "eigenvector", "alliance_paths", "explain_hop", "NoPath", "communities", "balance", "triangles",
           "two_camps", "network_diff", "ego_network"]
