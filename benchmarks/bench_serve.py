"""Benchmark (not a test): `conflictgraph serve` under load, next to `oxigraph serve-read-only`.

Builds the bundled graph into a temporary store, dumps it to N-Quads and loads that into an
Oxigraph server location, starts both servers on free loopback ports, then runs the same
bounded load against each in turn: a fixed number of concurrent clients, each sending a typical
named query (``alliance-members`` bound to the Three Brotherhood) as fast as it is answered, for
a fixed time. Every answer is checked (status 200 and the expected rows); the servers must stay
up and answer correctly throughout. Prints throughput and latency percentiles side by side,
with the ratio of conflictgraph to Oxigraph. Loopback only. Run:

    .venv/bin/python benchmarks/bench_serve.py [--clients 8] [--seconds 10] [--workers 4]
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from conflictgraph.build.pipeline import build_store
from conflictgraph.query.catalog import load_catalog
from conflictgraph.store.remote import inject_values

__all__ = ["main", "load"]

ALLIANCE = "https://w3id.org/conflictgraph/id/actor/three-brotherhood"


def _free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{process.args[0]} exited early")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not come up")


def _ask(url: str, query: str) -> tuple[int, int]:
    """(status, number of rows) of one POSTed query."""
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(url, data=data, headers={"Accept": "application/sparql-results+json",
                                                              "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, len(json.loads(response.read())["results"]["bindings"])
    except urllib.error.HTTPError as err:
        return err.code, -1


def load(url: str, query: str, expected_rows: int, *, clients: int, seconds: float) -> dict:
    """Run ``clients`` loops of ``query`` against ``url`` for ``seconds``; return the figures."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        while time.monotonic() < stop:
            began = time.perf_counter()
            try:
                status, rows = _ask(url, query)
            except OSError as err:
                status, rows = 0, str(err)
            took = time.perf_counter() - began
            with lock:
                if status == 200 and rows == expected_rows:
                    latencies.append(took)
                else:
                    failures.append(f"{status} {rows}")

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000 if latencies else float("nan")

    return {"requests": len(latencies), "failures": len(failures), "throughput": len(latencies) / wall,
            "p50": pct(50), "p90": pct(90), "p99": pct(99), "max": latencies[-1] * 1000 if latencies else float("nan"),
            "mean": statistics.fmean(latencies) * 1000 if latencies else float("nan"), "first_failures": failures[:3]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args(argv)
    binaries = Path(sys.executable).parent
    oxigraph = str(binaries / "oxigraph") if (binaries / "oxigraph").exists() else shutil.which("oxigraph")
    if not oxigraph:
        raise SystemExit("needs the oxigraph server: pip install oxigraph")

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        store, report = build_store(folder / "store")
        dump = folder / "dump.nq"
        store.dump_nquads(dump)
        store.close()
        subprocess.run([oxigraph, "load", "--location", str(folder / "oxigraph"), "--file", str(dump)],
                       check=True, capture_output=True)
        named = load_catalog()["alliance-members"]
        query = inject_values(named.text, f"VALUES ?alliance {{ <{ALLIANCE}> }}")

        cg_port, ox_port = _free_port(), _free_port()
        servers = {
            "conflictgraph serve": (
                [str(binaries / "conflictgraph"), "-q", "serve", "--store", str(folder / "store"),
                 "--port", str(cg_port), "--workers", str(args.workers), "--timeout", "30"],
                f"http://127.0.0.1:{cg_port}/sparql"),
            "oxigraph serve-read-only": (
                [oxigraph, "serve-read-only", "--location", str(folder / "oxigraph"), "--bind", f"127.0.0.1:{ox_port}",
                 "--union-default-graph"], f"http://127.0.0.1:{ox_port}/query"),
        }
        processes = {}
        try:
            for name, (command, url) in servers.items():
                processes[name] = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                _wait(url + "?query=ASK%7B%7D", processes[name])
            expected = {name: _ask(url, query) for name, (_c, url) in servers.items()}
            rows = {n for _s, n in expected.values()}
            if len(rows) != 1 or any(status != 200 for status, _n in expected.values()):
                raise SystemExit(f"the servers disagree before the run: {expected}")
            expected_rows = rows.pop()
            print(f"data: bundled graph, {report.asserted} asserted + {report.inferred} inferred triples; "
                  f"query: alliance-members (Three Brotherhood), {expected_rows} rows")
            print(f"load: {args.clients} concurrent clients for {args.seconds:g} s per server, loopback; "
                  f"conflictgraph with {args.workers} worker processes; {__import__('os').cpu_count()} CPUs\n")
            results = {}
            for name, (_command, url) in servers.items():
                _ask(url, query)  # warm up
                results[name] = load(url, query, expected_rows, clients=args.clients, seconds=args.seconds)
                if processes[name].poll() is not None:
                    raise SystemExit(f"{name} died during the run")
                status, n = _ask(url, query)
                answers = status == 200 and n == expected_rows
                results[name]["after"] = "up, answers correctly" if answers else f"{status} {n}"
        finally:
            for process in processes.values():
                process.terminate()
                process.wait(timeout=10)

    header = (f"{'server':<26}{'requests':>9}{'failed':>8}{'req/s':>9}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}"
              f"{'max ms':>9}  after the run")
    print(header)
    print("-" * len(header))
    for name, r in results.items():
        print(f"{name:<26}{r['requests']:>9}{r['failures']:>8}{r['throughput']:>9.1f}{r['p50']:>9.1f}{r['p90']:>9.1f}"
              f"{r['p99']:>9.1f}{r['max']:>9.1f}  {r['after']}")
        if r["first_failures"]:
            print(f"  first failures: {r['first_failures']}")
    cg, ox = results["conflictgraph serve"], results["oxigraph serve-read-only"]
    print(f"\nratio conflictgraph / oxigraph: throughput {cg['throughput'] / ox['throughput']:.2f}x, "
          f"p50 latency {cg['p50'] / ox['p50']:.2f}x, p99 latency {cg['p99'] / ox['p99']:.2f}x")


if __name__ == "__main__":
    main()
