"""Benchmark (not a test): the network page at scale, side by side with a plain pyvis page.

Builds a projected-shaped MultiDiGraph of 5,000 actors and 20,000 typed, signed, partly dated
ties, then, in one run:

- conflictgraph's page (``build_page`` + ``write_page``: igraph layout, physics off, data as
  escaped JSON, vis-network inlined), and
- a plain pyvis page of the same graph (``Network()`` + ``from_nx`` + ``write_html``, default
  settings, written in a scratch folder because pyvis copies a lib/ folder into the working
  directory),

and reports for each the build time, the file size, and the time from navigation until the
network is drawn and stable in headless Chromium (node positions unchanged for three polls
250 ms apart, and vis-network's physics reporting itself stabilised or off). The plain pyvis
page loads vis-network from a CDN even in its default "local" mode; with no network here those
requests are answered from pyvis's own bundled copy so that it can draw at all (and counted),
while the requests it makes for Bootstrap are aborted (and counted).

Run::

    .venv/bin/python benchmarks/bench_viz.py [--actors 5000] [--ties 20000] [--timeout 240]
    .venv/bin/python benchmarks/bench_viz.py --page FILE [--page FILE ...]

``--page`` times pages already written (e.g. by ``conflictgraph viz --max-edges N``) instead:
their size and the time until each is drawn and stable in Chromium.
"""
from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from importlib import resources
from pathlib import Path

import networkx as nx

from conflictgraph.viz import build_page, write_page

__all__ = ["synthetic_network", "main"]

CHROMIUM = "/usr/bin/chromium"
RELATIONS = [("cooperates-with", "cooperates with", 1, True), ("co-member", "co-member of", 1, True),
             ("aligned-with", "aligned with", 1, False), ("hostile-to", "hostile to", -1, True),
             ("fought", "fought", -1, True), ("ceasefire-with", "in a ceasefire with", 0, True)]


def synthetic_network(actors: int, ties: int, seed: int = 1) -> nx.MultiDiGraph:
    """A MultiDiGraph shaped like a projection: labels, aliases, typed signed edges, half of them dated."""
    rng = random.Random(seed)
    graph = nx.MultiDiGraph(view="actors", window="all dates", evidence="all")
    names = [f"https://w3id.org/conflictgraph/id/actor/a{i}" for i in range(actors)]
    types = ["ArmedGroup"] * 6 + ["StateForce", "PoliticalOrganization", "Alliance", "Government"]
    for i, name in enumerate(names):
        graph.add_node(name, label=f"Actor number {i}", type=rng.choice(types), kind="actor",
                       aliases=[f"A{i}"], generic=False)
    while graph.number_of_edges() < ties:
        u, v = rng.randrange(actors), rng.randrange(actors)
        if u == v:
            continue
        relation, label, sign, symmetric = rng.choice(RELATIONS)
        a, b = (names[u], names[v]) if not symmetric or names[u] < names[v] else (names[v], names[u])
        start = end = None
        if rng.random() < 0.5:
            year = rng.randint(2012, 2023)
            start = f"{year}-{rng.randint(1, 12):02d}-01"
            if rng.random() < 0.4:
                end = f"{year + rng.randint(0, 3)}-12-31"
        graph.add_edge(a, b, key=relation, relation=relation, label=label, sign=sign, weight=rng.randint(1, 3),
                       symmetric=symmetric, start=start, end=end, statements=[], sources=[], events=[])
    return graph


def _stable(page, network_expr: str, timeout: float) -> tuple[float | None, str]:
    """Seconds from navigation until drawn and stable, and how it ended."""
    probe = f"""() => {{
        const net = {network_expr};
        if (!net || !net.body || !net.physics) return null;
        const ids = net.body.nodeIndices.slice(0, 200);
        const at = net.getPositions(ids);
        return {{sig: ids.map(id => Math.round(at[id].x) + ',' + Math.round(at[id].y)).join(';'),
                 stable: !!net.physics.stabilized || !net.physics.physicsEnabled,
                 drawn: ids.length > 0, now: performance.now()}};
    }}"""
    started = time.perf_counter()
    last, same, first_same_at = None, 0, None
    while time.perf_counter() - started < timeout:
        try:
            got = page.evaluate(probe)
        except Exception:  # the page is busy loading
            got = None
        if got and got["drawn"]:
            if got["sig"] == last and got["stable"]:
                same += 1
                if same >= 2:
                    return first_same_at / 1000.0, "stable"
            else:
                same, first_same_at = 0, got["now"]
            last = got["sig"]
        page.wait_for_timeout(250)
    return None, f"not stable after {timeout:.0f} s"


def _open(browser, path: Path, network_expr: str, timeout: float, vis_file: Path) -> dict:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    counts = {"served_locally": 0, "aborted": 0, "errors": 0}

    def route(r):
        url = r.request.url
        if url.startswith("file://"):
            r.continue_()
        elif url.endswith("vis-network.min.js"):
            counts["served_locally"] += 1
            r.fulfill(path=str(vis_file), content_type="application/javascript")
        else:
            counts["aborted"] += 1
            r.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda _e: counts.__setitem__("errors", counts["errors"] + 1))
    page.goto(path.as_uri(), wait_until="commit")
    seconds, how = _stable(page, network_expr, timeout)
    counts.update(seconds=seconds, how=how)
    context.close()
    return counts


def _time_pages(paths: list[Path], timeout: float, vis_file: Path) -> None:
    """Print each page's size and the seconds until it is drawn and stable in Chromium."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for path in paths:
            got = _open(browser, path, "window.cgPage && window.cgPage.network", timeout, vis_file)
            seconds = f"{got['seconds']:.2f} s" if got["seconds"] is not None else "-"
            print(f"  {path}: {path.stat().st_size / 1e6:.1f} MB, drawn and stable in {seconds} ({got['how']}), "
                  f"{got['errors']} page errors", flush=True)
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=5000)
    parser.add_argument("--ties", type=int, default=20000)
    parser.add_argument("--timeout", type=float, default=240.0, help="Longest wait for a page to be stable (s).")
    parser.add_argument("--page", type=Path, action="append", default=[],
                        help="Time this page (repeatable) instead of building the synthetic ones.")
    args = parser.parse_args()
    vis_file = Path(str(resources.files("pyvis") / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"))
    if args.page:
        _time_pages(args.page, args.timeout, vis_file)
        return

    from pyvis.network import Network

    graph = synthetic_network(args.actors, args.ties)
    pairs = len({frozenset((u, v)) for u, v in graph.edges()})
    print(f"synthetic network: {graph.number_of_nodes():,} actors, {graph.number_of_edges():,} ties "
          f"({pairs:,} distinct pairs)", flush=True)

    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        started = time.perf_counter()
        page = build_page(graph)
        ours_path = write_page(page, scratch / "conflictgraph.html")
        ours_build = time.perf_counter() - started
        print(f"  conflictgraph page built in {ours_build:.2f} s", flush=True)

        plain_dir = scratch / "plain"
        plain_dir.mkdir()
        here = os.getcwd()
        os.chdir(plain_dir)  # pyvis writes lib/ into the working directory
        try:
            started = time.perf_counter()
            plain = Network()
            plain.from_nx(graph.copy())
            plain.write_html("plain.html")
            plain_build = time.perf_counter() - started
        finally:
            os.chdir(here)
        plain_path = plain_dir / "plain.html"
        print(f"  plain pyvis page built in {plain_build:.2f} s ({len(plain.edges):,} edges kept)", flush=True)

        from playwright.sync_api import sync_playwright
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM,
                                        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            ours = _open(browser, ours_path, "window.cgPage && window.cgPage.network", args.timeout, vis_file)
            print("  conflictgraph page measured in Chromium", flush=True)
            base = _open(browser, plain_path, "typeof network !== 'undefined' && network", args.timeout, vis_file)
            print("  plain pyvis page measured in Chromium", flush=True)
            browser.close()

        def secs(value):
            return f"{value:.2f} s" if value is not None else "-"

        rows = [
            ("build time", f"{ours_build:.2f} s", f"{plain_build:.2f} s",
             f"{plain_build / ours_build:.1f}x" if ours_build else "-"),
            ("file size", f"{ours_path.stat().st_size / 1e6:.2f} MB",
             f"{plain_path.stat().st_size / 1e6:.2f} MB (+ lib/ folder)",
             f"{plain_path.stat().st_size / ours_path.stat().st_size:.2f}x"),
            ("edges in the page", f"{len(page.net.edges):,}", f"{len(plain.edges):,}", ""),
            ("drawn and stable in Chromium", f"{secs(ours['seconds'])} ({ours['how']})",
             f"{secs(base['seconds'])} ({base['how']})",
             f"{base['seconds'] / ours['seconds']:.1f}x" if ours["seconds"] and base["seconds"] else "-"),
            ("requests to other hosts", f"{ours['aborted'] + ours['served_locally']}",
             f"{base['aborted']} aborted (Bootstrap) + {base['served_locally']} vis-network from a CDN "
             "(served locally here)", ""),
            ("layout", "igraph positions, physics off" if page.info["meta"]["layout"] == "igraph" else "physics",
             "vis-network physics (barnesHut), stabilised in the browser", ""),
        ]
        print(f"\n  {'':<30}{'conflictgraph':<34}{'plain pyvis (from_nx, defaults)':<50}{'plain/ours':>10}")
        for name, a, b, ratio in rows:
            print(f"  {name:<30}{a:<34}{b:<50}{ratio:>10}")


if __name__ == "__main__":
    main()
