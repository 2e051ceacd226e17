"""Benchmark (not a test): networkx vs igraph on a synthetic signed network, and the time of
`centrality --measure all` on an already projected network of that size.

Builds a projected-shaped MultiDiGraph of 50,000 actors and 500,000 ties (random pairs,
80% cooperative, 20% hostile, weights 1-3, a few relations), reduces it to the cooperative
analysis graph, then prints, side by side in one run, the networkx and igraph times for
PageRank and sampled betweenness (k=256, the same source nodes on both) with their ratio,
and, separately, the time of the full `centrality --measure all` path (reduction + every
measure, igraph above the threshold). Run:

    .venv/bin/python benchmarks/bench_network.py [--actors N] [--ties M] [--skip-networkx]

--skip-networkx leaves out the networkx side of the comparison (its sampled betweenness takes
minutes at this size) to time only igraph and the `centrality --measure all` path.
"""
from __future__ import annotations

import argparse
import random
import time

import networkx as nx

from conflictgraph.network.analyze.centrality import betweenness, centrality, pagerank
from conflictgraph.network.analyze.reduce import analysis_graph
from conflictgraph.gcpause import gc_paused

__all__ = ["synthetic_network", "main"]

RELATIONS = [("co-member", 1), ("co-launched", 1), ("cooperates-with", 1), ("fought", -1), ("hostile-to", -1)]


def synthetic_network(actors: int, ties: int, seed: int = 1) -> nx.MultiDiGraph:
    """A MultiDiGraph shaped like a projection: IRI-like node ids, keyed typed signed edges."""
    rng = random.Random(seed)
    graph = nx.MultiDiGraph(view="actors", window="all dates")
    names = [f"https://w3id.org/conflictgraph/id/actor/a{i}" for i in range(actors)]
    graph.add_nodes_from((n, {"label": f"Actor {i}", "type": "ArmedGroup", "generic": False})
                         for i, n in enumerate(names))
    with gc_paused():
        _fill(graph, rng, names, actors, ties)
    return graph


def _fill(graph: nx.MultiDiGraph, rng: random.Random, names: list[str], actors: int, ties: int) -> None:
    made = 0
    while made < ties:
        u, v = rng.randrange(actors), rng.randrange(actors)
        if u == v:
            continue
        relation, sign = RELATIONS[0 if rng.random() < 0.4 else 1 if rng.random() < 0.5 else 2] \
            if rng.random() < 0.8 else RELATIONS[3 + rng.randrange(2)]
        graph.add_edge(names[u], names[v], key=relation, relation=relation, sign=sign,
                       weight=rng.randint(1, 3), sources=["src"], statements=["stmt"])
        made += 1


def _time(label: str, func):
    started = time.perf_counter()
    value = func()
    seconds = time.perf_counter() - started
    print(f"  {label:<44} {seconds:8.2f} s", flush=True)
    return value, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=50_000)
    parser.add_argument("--ties", type=int, default=500_000)
    parser.add_argument("--k", type=int, default=256)
    parser.add_argument("--skip-networkx", action="store_true", help="time igraph and the centrality path only")
    args = parser.parse_args()

    print(f"synthetic signed network: {args.actors:,} actors, {args.ties:,} ties")
    network, _ = _time("build the MultiDiGraph", lambda: synthetic_network(args.actors, args.ties))
    coop, _ = _time("reduce to the cooperative analysis graph", lambda: analysis_graph(network))
    print(f"  analysis graph: {coop.number_of_nodes():,} nodes, {coop.number_of_edges():,} ties")

    print("\nnetworkx vs igraph (same graph, same run)")
    pr_ig, t_pr_ig = _time("PageRank, igraph", lambda: pagerank(coop, engine="igraph"))
    bt_ig, t_bt_ig = _time(f"betweenness k={args.k}, igraph", lambda: betweenness(coop, k=args.k, seed=0,
                                                                                   engine="igraph"))
    if not args.skip_networkx:
        pr_nx, t_pr_nx = _time("PageRank, networkx", lambda: pagerank(coop, engine="networkx"))
        bt_nx, t_bt_nx = _time(f"betweenness k={args.k}, networkx", lambda: betweenness(coop, k=args.k, seed=0,
                                                                                         engine="networkx"))
        _compare(coop, args.k, pr_ig, pr_nx, t_pr_ig, t_pr_nx, bt_ig, bt_nx, t_bt_ig, t_bt_nx)

    print("\n`centrality --measure all` on the projected network (reduction + all five measures)")
    started, cpu = time.perf_counter(), time.process_time()
    reduced = analysis_graph(network)
    reduced_at = time.perf_counter()
    scores = centrality(reduced, measures="all")
    total = time.perf_counter() - started
    print(f"  {len(scores):,} actors scored in {total:.2f} s (reduction {reduced_at - started:.2f} s, measures "
          f"{total - (reduced_at - started):.2f} s; CPU {time.process_time() - cpu:.2f} s; target < 10 s on 2 cores)")


def _compare(coop, k, pr_ig, pr_nx, t_pr_ig, t_pr_nx, bt_ig, bt_nx, t_bt_ig, t_bt_nx) -> None:
    args = argparse.Namespace(k=k)
    pr_diff = max(abs(pr_ig[n] - pr_nx[n]) for n in coop)
    bt_diff = max(abs(bt_ig[n] - bt_nx[n]) for n in coop)
    print(f"\n  {'measure':<26}{'networkx':>10}{'igraph':>10}{'nx/igraph':>11}{'max |diff|':>13}")
    print(f"  {'PageRank':<26}{t_pr_nx:>9.2f}s{t_pr_ig:>9.2f}s{t_pr_nx / t_pr_ig:>10.1f}x{pr_diff:>13.2e}")
    print(f"  {f'betweenness (k={args.k})':<26}{t_bt_nx:>9.2f}s{t_bt_ig:>9.2f}s{t_bt_nx / t_bt_ig:>10.1f}x"
          f"{bt_diff:>13.2e}")


if __name__ == "__main__":
    main()
