"""Analyses on the hand-built network fixture (tests/fixtures/network), answers worked out by hand.

As of 2023-12-01 the cooperative ties (actors view) are, with weights:
    alpha-bravo 1, alpha-charlie 1, bravo-charlie 1, charlie-delta 2 (two reports),
    delta-echo 1, echo-sierra 2 (defected-to + cooperates-with), golf-hotel 1
and the hostile ones alpha-hotel, echo-hotel, delta-golf, bravo-delta, sierra-hotel
(defected-from). Sierra's alignment with Hotel ended on 30 June 2023.
"""
from __future__ import annotations

import io
import json
from fractions import Fraction

import networkx as nx
import pytest

from conflictgraph.network.analyze import (NoPath, alliance_paths, analysis_graph, balance, betweenness, centrality,
                                   communities, ego_network, eigenvector, network_diff, pagerank, triangles)
from conflictgraph.network.analyze.centrality import sample_sources
from conflictgraph.network.analyze.reduce import choose_ties
from conflictgraph.network.export import write_network
from conflictgraph.network.projection import project

A = "https://w3id.org/conflictgraph/id/actor/"
al, br, ch, de, ec, go, ho, si = (A + n for n in ("alpha", "bravo", "charlie", "delta", "echo", "golf", "hotel",
                                                 "sierra"))


@pytest.fixture(scope="module")
def december(network_store):
    return project(network_store, as_of="2023-12-01")


@pytest.fixture(scope="module")
def january(network_store):
    return project(network_store, as_of="2023-01-01")


def test_analysis_graph_reduces_and_states_itself(december):
    coop = analysis_graph(december)
    assert sorted(tuple(sorted((u[len(A):], v[len(A):]))) + (d["weight"],) for u, v, d in coop.edges(data=True)) == [
        ("alpha", "bravo", 1), ("alpha", "charlie", 1), ("bravo", "charlie", 1), ("charlie", "delta", 2),
        ("delta", "echo", 1), ("echo", "sierra", 2), ("golf", "hotel", 1)]
    assert coop[ec][si]["relations"] == ["cooperates-with", "defected-to"]
    meta = coop.graph["analysis"]
    assert (meta["view"], meta["window"], meta["ties"], meta["nodes"], meta["edges"]) == (
        "actors", "as of 2023-12-01", "cooperative", 8, 7)
    signed = analysis_graph(december, ties="signed")
    assert signed[si][ho]["sign"] == -1 and signed.number_of_edges() == 12


@pytest.mark.parametrize("ties", ["cooperative", "hostile", "signed", "all"])
def test_an_analysis_graph_without_provenance_has_the_same_ties_and_weights(december, ties):
    full = analysis_graph(december, ties=ties, keep_isolates=False)
    light = analysis_graph(december, ties=ties, keep_isolates=False, provenance=False)
    assert list(light.nodes(data=True)) == list(full.nodes(data=True)) and light.graph == full.graph
    assert [(u, v, d) for u, v, d in light.edges(data=True)] == [
        (u, v, {k: d[k] for k in ("weight", "signed_weight", "sign")}) for u, v, d in full.edges(data=True)]
    assert full.number_of_edges() == 0 or "edges" in next(iter(full.edges(data=True)))[2]


@pytest.mark.parametrize("relations", [None, ["hostile-to"]], ids=["cooperative chosen", "hostile chosen"])
def test_ties_chosen_without_provenance_are_the_same_ties_and_weights(december, relations):
    full, full_reason = choose_ties(december, relations=relations)
    light, light_reason = choose_ties(december, relations=relations, provenance=False)
    assert light_reason == full_reason and (full_reason is None) == (relations is None)
    assert light.graph == full.graph and light.number_of_edges() > 0
    assert [(u, v, d) for u, v, d in light.edges(data=True)] == [
        (u, v, {k: d[k] for k in ("weight", "signed_weight", "sign")}) for u, v, d in full.edges(data=True)]


def test_zero_net_pair_is_left_out(network_store):
    # over all dates Sierra's +1 alignment and -1 defection from Hotel cancel out: no tie
    assert not analysis_graph(project(network_store), ties="signed").has_edge(si, ho)


def test_degree_weighted_degree_and_betweenness_by_hand(december):
    scores = centrality(analysis_graph(december))
    # degree: neighbours / (8 - 1)
    expected_degree = {al: 2, br: 2, ch: 3, de: 2, ec: 2, si: 1, go: 1, ho: 1}
    for node, deg in expected_degree.items():
        assert scores[node]["degree"] == pytest.approx(deg / 7)
    assert {n: scores[n]["weighted-degree"] for n in expected_degree} == {
        al: 2, br: 2, ch: 4, de: 3, ec: 3, si: 2, go: 1, ho: 1}
    # betweenness: pairs whose every shortest path crosses the node, over C(7, 2) = 21
    # charlie: {alpha, bravo} x {delta, echo, sierra} = 6; delta: {alpha, bravo, charlie} x {echo, sierra} = 6;
    # echo: {alpha, bravo, charlie, delta} x {sierra} = 4
    expected_betweenness = {al: 0, br: 0, ch: Fraction(6, 21), de: Fraction(6, 21), ec: Fraction(4, 21), si: 0,
                            go: 0, ho: 0}
    for node, value in expected_betweenness.items():
        assert scores[node]["betweenness"] == pytest.approx(float(value), abs=1e-12)
    # PageRank: a distribution; symmetric nodes score alike; the two-node component is uniform
    assert sum(s["pagerank"] for s in scores.values()) == pytest.approx(1.0)
    assert scores[al]["pagerank"] == pytest.approx(scores[br]["pagerank"])
    assert scores[go]["pagerank"] == pytest.approx(scores[ho]["pagerank"]) == pytest.approx(2 / 8 * 0.5)
    assert max(scores, key=lambda n: scores[n]["eigenvector"]) == ch


def test_igraph_and_networkx_agree(december):
    coop = analysis_graph(december)
    for engine_result, reference in (
        (betweenness(coop, engine="igraph"), betweenness(coop, engine="networkx")),
        (betweenness(coop, k=4, seed=3, engine="igraph"), nx.betweenness_centrality(coop, k=4, seed=3)),
    ):
        assert engine_result == pytest.approx(reference, abs=1e-9)
    assert pagerank(coop, engine="igraph") == pytest.approx(pagerank(coop, engine="networkx"), abs=1e-5)
    main = coop.subgraph(nx.node_connected_component(coop, al))
    assert eigenvector(main, engine="igraph") == pytest.approx(eigenvector(main, engine="networkx"), abs=1e-6)


def test_sampled_betweenness_agrees_on_a_larger_graph():
    graph = nx.gnm_random_graph(400, 1600, seed=5)
    graph.add_node(400)
    assert sample_sources(graph, 64, 9) is not None
    assert betweenness(graph, k=64, seed=9, engine="igraph") == pytest.approx(
        nx.betweenness_centrality(graph, k=64, seed=9), abs=1e-9)
    assert pagerank(graph, engine="igraph") == pytest.approx(nx.pagerank(graph), abs=1e-5)


def test_shortest_path_with_every_hop_sourced(december):
    paths = alliance_paths(december, al, si, k=2)
    assert [[hop["from"] for hop in path] + [path[-1]["to"]] for path in paths] == [
        [al, ch, de, ec, si], [al, br, ch, de, ec, si]]
    for path in paths:
        for hop in path:
            assert hop["sources"] and hop["statements"] and hop["relations"]
    last = paths[0][-1]
    assert last["relations"] == ["cooperates-with", "defected-to"]
    assert {e["from"] for e in last["edges"]} == {ec, si}  # each typed edge in its own direction
    assert paths[0][2]["sources"] == ["https://w3id.org/conflictgraph/id/src/net-report-a"]
    assert len(paths[0][1]["sources"]) == 2  # charlie-delta: two reports
    assert alliance_paths(december, al, si, k=2, max_hops=4) == paths[:1]


def test_no_path_names_both_components(december, january):
    with pytest.raises(NoPath) as err:
        alliance_paths(december, al, ho)
    assert "Alpha Front is in a component of 6" in str(err.value)
    assert "Hotel Command is in a component of 2 (Golf Militia, Hotel Command)" in str(err.value)
    # before its defection Sierra was with Hotel
    assert alliance_paths(january, si, ho)[0][0]["relations"] == ["aligned-with"]
    with pytest.raises(NoPath):
        alliance_paths(january, si, ec)


def test_louvain_communities_match_the_best_partition(december):
    found = communities(analysis_graph(december))
    assert found["communities"] == [sorted([al, br, ch, de]), sorted([ec, si]), sorted([go, ho])]
    # m = 9; sum over communities of L_c/m - (d_c/2m)^2:
    # {a,b,c,d}: 5/9 - (11/18)^2; {e,s}: 2/9 - (5/18)^2; {g,h}: 1/9 - (2/18)^2  => 23/54
    assert found["modularity"] == pytest.approx(23 / 54)


def test_balance_triangles_and_camps(december, january):
    result = balance(analysis_graph(december, ties="signed"))
    # alpha-bravo-charlie (+++) and echo-hotel-sierra (+--) are balanced;
    # bravo-charlie-delta (+, +, bravo-delta -) is not
    assert result["balanced"] == 2 and result["unbalanced"] == 1
    assert [t[:3] for t in result["unbalanced_triangles"]] == [(br, ch, de)]
    assert result["method"] == "exact" and result["frustration"] == 1
    assert result["components"][0]["camps"] == [sorted([al, br, ch, de, ec, si]), sorted([go, ho])]
    assert result["components"][0]["frustrated"] == [(br, de, -1)]
    earlier = balance(analysis_graph(january, ties="signed"))
    assert earlier["components"][0]["camps"] == [sorted([al, br, ch, de, ec]), sorted([go, ho, si])]


def test_balance_heuristic_finds_the_optimum_on_the_fixture(december):
    result = balance(analysis_graph(december, ties="signed"), exact_limit=3, restarts=20)
    assert result["method"] == "heuristic" and result["frustration"] == 1
    assert result["components"][0]["camps"] == [sorted([al, br, ch, de, ec, si]), sorted([go, ho])]


def test_diff_between_two_dates(january, december):
    result = network_diff(january, december)
    changes = {(t["from"], t["to"], t["relation"], t["change"]) for t in result["ties"]}
    assert changes == {(si, ho, "aligned-with", "ended"), (si, ec, "defected-to", "appeared"),
                       (si, ho, "defected-from", "appeared"), (ec, si, "cooperates-with", "appeared")}
    assert all(t["sources"] for t in result["ties"])
    [switch] = result["switched"]
    assert (switch["actor"], switch["other"], switch["before"], switch["after"]) == (si, ho, "cooperative", "hostile")
    assert switch["sources"] == ["https://w3id.org/conflictgraph/id/src/net-report-a"]
    moved = {m["node"]: m for m in result["moves"]}
    assert moved[si]["sources"] and moved[ec]["change"] > 0


def test_an_ego_network_keeps_the_network_order_copied_or_not():
    import networkx as nx
    net = nx.MultiDiGraph()
    net.add_nodes_from(f"actor-{i:03d}" for i in range(100))
    net.add_edges_from((f"actor-{i:03d}", f"actor-{(i * k + 11) % 100:03d}", "fought") for i in range(100) for k in (37, 53))
    reach = {"actor-000", *net.successors("actor-000"), *net.predecessors("actor-000")}
    expected = [node for node in net if node in reach]
    copied = ego_network(net, "actor-000", depth=1)
    assert list(copied) == expected and net.number_of_nodes() == 100  # (a set's order, before: not the network's)
    assert list(copied.edges(keys=True)) == [e for e in net.edges(keys=True) if e[0] in reach and e[1] in reach]
    in_place = ego_network(net, "actor-000", depth=1, copy=False)
    assert in_place is net and list(net) == expected and list(net.edges(keys=True)) == list(copied.edges(keys=True))


def test_ego_network(december):
    ego = ego_network(december, si, depth=1)
    assert set(ego) == {si, ec, ho}
    assert set(ego_network(december, si, depth=2)) == {si, ec, ho, de, al, go}
    assert ego.graph["focus"] == "Sierra Front (depth 1)"


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "json", "trig"])
def test_export_keeps_attributes(december, fmt):
    out = io.BytesIO()
    write_network(december, fmt, out)
    data = out.getvalue()
    if fmt == "json":
        payload = json.loads(data)
        edge = next(e for e in payload["edges"] if e["key"] == "defected-from")
        assert edge["sources"] == ["https://w3id.org/conflictgraph/id/src/net-report-a"] and edge["sign"] == -1
    elif fmt in ("gexf", "graphml"):
        reread = nx.read_graphml(io.BytesIO(data)) if fmt == "graphml" else nx.read_gexf(io.BytesIO(data))
        assert reread.number_of_nodes() == december.number_of_nodes()
        assert reread.number_of_edges() == december.number_of_edges()
        node = reread.nodes[si]
        assert node["label"] == "Sierra Front" and node["aliases"] == "SF"
    else:
        from rdflib import Dataset
        dataset = Dataset()
        dataset.parse(data=data.decode(), format="trig")
        assert len(dataset) > december.number_of_edges() * 5


def test_eigenvector_on_a_disconnected_graph_warns_nobody():
    """igraph's warning about disconnected graphs (most conflict networks) is not printed."""
    import warnings

    import networkx as nx
    from conflictgraph.network.analyze.centrality import eigenvector

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = eigenvector(nx.Graph([(0, 1), (1, 2), (3, 4)]), engine="igraph")
    assert values[1] > values[0] > values[3]


def _random_signed_graph(seed: int, n: int = 60, ties: int = 700) -> nx.Graph:
    import random
    rng = random.Random(seed)
    graph = nx.Graph()
    graph.add_nodes_from(f"actor-{i:02d}" for i in range(n))
    while graph.number_of_edges() < ties:
        i, j = rng.randrange(n), rng.randrange(n)
        if i != j:
            graph.add_edge(f"actor-{i:02d}", f"actor-{j:02d}", sign=rng.choice([1, 1, -1, 0]))
    return graph


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_balance_counts_every_triangle_and_lists_the_first_unbalanced_ones(seed, monkeypatch):
    import importlib
    balance_module = importlib.import_module("conflictgraph.network.analyze.balance")  # (the package's balance is the function)
    graph = _random_signed_graph(seed)
    every = triangles(graph)  # walks every tie: the reference
    unbalanced = [t for t in every if t[3] < 0]
    assert unbalanced and len(every) > len(unbalanced) > 5
    for dense_limit in (10_000, 0):  # matrices, and walking the ties (graphs over DENSE_LIMIT nodes)
        monkeypatch.setattr(balance_module, "DENSE_LIMIT", dense_limit)
        found = balance(graph, listed=5)
        assert (found["balanced"], found["unbalanced"]) == (sum(t[3] > 0 for t in every), len(unbalanced))
        assert found["unbalanced_triangles"] == unbalanced[:5]
        assert balance(graph)["unbalanced_triangles"] == unbalanced


def test_the_camps_search_ends_when_a_node_is_tied_to_itself():
    # a hostile tie of a node with itself is frustrated whatever the camps; counted in a flip's
    # gain, it made the search flip that node for ever
    import subprocess
    import sys
    code = ("import networkx as nx; from conflictgraph.network.analyze import two_camps; g = nx.Graph(); "
            "g.add_edge('a', 'a', sign=-1); g.add_edge('a', 'b', sign=1); g.add_edge('b', 'c', sign=-1); "
            "print(two_camps(g, exact_limit=1)['components'][0]['camps'])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "[['a', 'b'], ['c']]"


def test_communities_on_igraph_find_the_clear_blocs_and_leave_the_random_state_alone():
    import random
    graph = nx.Graph()
    for bloc in range(3):  # three cliques of ten, joined by one tie each
        members = [f"b{bloc}-{i}" for i in range(10)]
        graph.add_edges_from((a, b, {"weight": 2}) for i, a in enumerate(members) for b in members[i + 1:])
    graph.add_edges_from([("b0-0", "b1-0", {"weight": 1}), ("b1-0", "b2-0", {"weight": 1})])
    random.seed(7)
    before = random.random()
    random.seed(7)
    on_igraph = communities(graph, engine="igraph")
    assert random.random() == before  # igraph drew from a seeded generator and put it back
    on_networkx = communities(graph, engine="networkx")
    assert on_igraph["communities"] == on_networkx["communities"] == [
        sorted((f"b{bloc}-{i}" for i in range(10)), key=str) for bloc in range(3)]
    assert on_igraph["modularity"] == pytest.approx(on_networkx["modularity"])
    assert (on_igraph["engine"], on_networkx["engine"], communities(graph)["engine"]) == ("igraph", "networkx",
                                                                                          "networkx")
    assert communities(graph, engine="igraph") == on_igraph  # seeded: the same every time
