"""Benchmark (not a test): `conflictgraph serve` under a mixed load, next to `oxigraph serve-read-only`.

Builds the bundled graph into a temporary store (or uses ``--store``), loads the same quads into
an Oxigraph server location and checks that both servers give every query of the mix the same
number of rows. Then each run starts each server afresh (both with a 30 s time limit, serve's
default) and sends it, for ``--seconds``:

- the mix: ``--clients`` concurrent clients, each sending the named queries of the catalog (as
  SPARQL text, the required parameters bound, the optional ones left open) one after another, as
  fast as they are answered; an answer counts only with status 200 and the agreed row count;
- the pathological query: one client keeps one in flight at all times, unless ``--no-slow``:
  first a cartesian SELECT of every row (billions of rows; the client reads the first 10 MB,
  about the 10,000 rows serve keeps by default, and hangs up), then a cartesian COUNT, which
  runs until the time limit stops it;
- the probe: one client sending a small query (one actor's label) every 50 ms.

Prints, per server and run, the mix's throughput and p50/p95 latency, the probe's p50/p95 and
the peak resident memory of the server with all its processes (sampled every 100 ms), then the
medians of the runs and the ratios. Loopback only; needs the Oxigraph server (`pip install
oxigraph`, part of the `test` extra). Run:

    .venv/bin/python benchmarks/bench_serve.py [--clients 16] [--seconds 20] [--runs 3] [--workers N] [--no-slow]
"""
from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from conflictgraph.build.pipeline import build_store
from conflictgraph.query.catalog import load_catalog
from conflictgraph.store.generations import DATABASE, StoreLocation
from conflictgraph.store.oxigraph import OxigraphStore
from conflictgraph.store.remote import inject_values

__all__ = ["main", "mix_queries", "resident_kb", "PROBE", "PATHOLOGICAL"]

PROBE = ("SELECT ?label WHERE { <https://w3id.org/conflictgraph/id/actor/knplf> "
         "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label }")
PATHOLOGICAL = ("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
                "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
FIRST_ROWS = 10 << 20  # bytes of a SELECT's answer the pathological client reads (about 10,000 rows)
TIME_LIMIT = 30  # seconds, both servers (serve's default)
# Required parameters of named queries, as VALUES (optional ones stay open: the query runs over all)
REQUIRED = {"date": '"2023-11-15"^^<http://www.w3.org/2001/XMLSchema#date>'}


def mix_queries() -> dict[str, str]:
    """The named queries of the catalog as SPARQL text, their required parameters bound."""
    texts = {}
    for name, query in sorted(load_catalog().items()):
        values = " ".join(f"VALUES ?{p.name} {{ {REQUIRED[p.name]} }}" for p in query.params if p.name in REQUIRED)
        texts[name] = inject_values(query.text, values) if values else query.text
    return texts


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


def _post(url: str, query: str, timeout: float = 60):
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(url, data=data, headers={"Accept": "application/sparql-results+json",
                                                              "Content-Type": "application/x-www-form-urlencoded"})
    return urllib.request.urlopen(request, timeout=timeout)


def _ask(url: str, query: str) -> tuple[int, int]:
    """(status, number of rows) of one POSTed query."""
    try:
        with _post(url, query) as response:
            return response.status, len(json.loads(response.read())["results"]["bindings"])
    except urllib.error.HTTPError as err:
        return err.code, -1


def resident_kb(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in KiB (0 when gone)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(status.split("VmRSS:")[1].split()[0]) if "VmRSS:" in status else 0
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError, IndexError):
            continue
    return total


class _Run:
    """One timed run against one server: the mix, the pathological query, the probe, memory."""

    def __init__(self, url: str, pid: int, mix: dict[str, tuple[str, int]], *, clients: int, seconds: float,
                 slow: bool):
        self.url, self.pid, self.mix, self.clients, self.seconds, self.slow = url, pid, mix, clients, seconds, slow
        self.lock = threading.Lock()
        self.mix_latencies: list[float] = []
        self.probe_latencies: list[float] = []
        self.failures: list[str] = []
        self.slow_answers: list[str] = []
        self.peak_kb = 0
        self.stop = 0.0

    def _record(self, into: list[float], began: float, ok: bool, what: str) -> None:
        with self.lock:
            if ok:
                into.append(time.perf_counter() - began)
            else:
                self.failures.append(what)

    def _mix_client(self, offset: int) -> None:
        names = list(self.mix)
        i = offset
        while time.monotonic() < self.stop:
            name = names[i % len(names)]
            text, rows = self.mix[name]
            i += 1
            began = time.perf_counter()
            try:
                status, n = _ask(self.url, text)
            except (OSError, ValueError) as err:
                status, n = 0, str(err)
            self._record(self.mix_latencies, began, status == 200 and n == rows, f"{name}: {status} {n}")

    def _probe_client(self) -> None:
        while time.monotonic() < self.stop:
            began = time.perf_counter()
            try:
                status, n = _ask(self.url, PROBE)
            except (OSError, ValueError) as err:
                status, n = 0, str(err)
            self._record(self.probe_latencies, began, status == 200 and n == 1, f"probe: {status} {n}")
            time.sleep(0.05)

    def _slow_client(self) -> None:
        i = 0
        while time.monotonic() < self.stop:
            query = PATHOLOGICAL[i % len(PATHOLOGICAL)]
            i += 1
            began = time.perf_counter()
            outcome = self._pathological(query)
            with self.lock:
                self.slow_answers.append(f"{outcome} in {time.perf_counter() - began:.1f} s")

    def _pathological(self, query: str) -> str:
        """Send ``query``; read and drop its answer until it ends, passes FIRST_ROWS or the run ends
        (then hang up)."""
        host, port = urllib.parse.urlsplit(self.url)[1].split(":")
        connection = http.client.HTTPConnection(host, int(port))
        try:
            connection.request("POST", urllib.parse.urlsplit(self.url).path, urllib.parse.urlencode({"query": query}),
                               {"Content-Type": "application/x-www-form-urlencoded"})
            while not select.select([connection.sock], [], [], 0.2)[0]:
                if time.monotonic() >= self.stop:
                    return "still running"
            response = connection.getresponse()
            received = 0
            while time.monotonic() < self.stop and received < FIRST_ROWS and (chunk := response.read(1 << 16)):
                received += len(chunk)
            return f"{response.status} {received >> 10} KiB"
        except OSError as err:
            return type(err).__name__
        finally:
            connection.close()

    def _sample_memory(self) -> None:
        while time.monotonic() < self.stop:
            self.peak_kb = max(self.peak_kb, resident_kb(self.pid))
            time.sleep(0.1)

    def go(self) -> dict:
        self.stop = time.monotonic() + self.seconds
        threads = [threading.Thread(target=self._mix_client, args=(i,)) for i in range(self.clients)]
        threads += [threading.Thread(target=self._probe_client), threading.Thread(target=self._sample_memory)]
        if self.slow:
            threads.append(threading.Thread(target=self._slow_client))
            threads[-1].start()
            time.sleep(0.5)  # the pathological query is in flight before the others start
        started = time.perf_counter()
        for thread in threads[:self.clients + 2]:
            thread.start()
        for thread in threads[:self.clients + 2]:
            thread.join()
        wall = time.perf_counter() - started
        if self.slow:
            threads[-1].join()
        return {"throughput": len(self.mix_latencies) / wall, "mix_p50": _pct(self.mix_latencies, 50),
                "mix_p95": _pct(self.mix_latencies, 95), "probe_p50": _pct(self.probe_latencies, 50),
                "probe_p95": _pct(self.probe_latencies, 95), "peak_mb": self.peak_kb / 1024,
                "requests": len(self.mix_latencies), "failures": len(self.failures),
                "first_failures": self.failures[:3], "slow": self.slow_answers}


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def _servers(store: Path, oxigraph_dir: Path, workers: int | None, binaries: Path, oxigraph: str) -> dict:
    cg_port, ox_port = _free_port(), _free_port()
    cg = [str(binaries / "conflictgraph"), "-q", "serve", "--store", str(store), "--port", str(cg_port),
          "--timeout", str(TIME_LIMIT)] + (["--workers", str(workers)] if workers else [])
    ox = [oxigraph, "serve-read-only", "--location", str(oxigraph_dir), "--bind", f"127.0.0.1:{ox_port}",
          "--union-default-graph", "--timeout-s", str(TIME_LIMIT)]
    return {"conflictgraph serve": (cg, f"http://127.0.0.1:{cg_port}/sparql"),
            "oxigraph serve-read-only": (ox, f"http://127.0.0.1:{ox_port}/query")}


@contextlib.contextmanager
def _started(servers: dict):
    """Run ``servers`` (name: (command, url)) until the block ends; yield their processes. Each
    run gets servers of its own, so a query still running from one run cannot slow the next."""
    processes = {}
    try:
        for name, (command, url) in servers.items():
            processes[name] = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _wait(url + "?query=ASK%7B%7D", processes[name])
        yield processes
    finally:
        for process in processes.values():
            process.terminate()
            process.wait(timeout=30)


def _agreed_mix(servers: dict) -> dict[str, tuple[str, int]]:
    """The mix's queries with the row count both servers give (a query they disagree on is a bug)."""
    mix = {}
    for name, text in mix_queries().items():
        answers = {server: _ask(url, text) for server, (_command, url) in servers.items()}
        if len(set(answers.values())) != 1 or next(iter(answers.values()))[0] != 200:
            raise SystemExit(f"the servers disagree on {name}: {answers}")
        mix[name] = (text, next(iter(answers.values()))[1])
    return mix


def _print_table(results: dict[str, list[dict]]) -> None:
    header = (f"{'server':<26}{'run':>4}{'mix req/s':>10}{'mix p50':>9}{'mix p95':>9}{'probe p50':>10}"
              f"{'probe p95':>10}{'peak MB':>9}{'failed':>7}")
    print(header)
    print("-" * len(header))
    for name, runs in results.items():
        for i, r in enumerate(runs, 1):
            print(f"{name:<26}{i:>4}{r['throughput']:>10.1f}{r['mix_p50']:>9.1f}{r['mix_p95']:>9.1f}"
                  f"{r['probe_p50']:>10.1f}{r['probe_p95']:>10.1f}{r['peak_mb']:>9.0f}{r['failures']:>7}")
            if r["first_failures"]:
                print(f"    first failures: {r['first_failures']}")
            if r["slow"]:
                print(f"    pathological answers: {', '.join(r['slow'])}")
        med = {k: statistics.median(r[k] for r in runs) for k in ("throughput", "mix_p50", "mix_p95", "probe_p50",
                                                                  "probe_p95", "peak_mb")}
        print(f"{name:<26}{'med':>4}{med['throughput']:>10.1f}{med['mix_p50']:>9.1f}{med['mix_p95']:>9.1f}"
              f"{med['probe_p50']:>10.1f}{med['probe_p95']:>10.1f}{med['peak_mb']:>9.0f}")
        results[name].append(med)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None, help="serve --workers (default: its own)")
    parser.add_argument("--no-slow", action="store_true", help="without the pathological query")
    parser.add_argument("--store", type=Path, help="a built store to serve (default: build the bundled graph)")
    args = parser.parse_args(argv)
    binaries = Path(sys.executable).parent
    oxigraph = str(binaries / "oxigraph") if (binaries / "oxigraph").exists() else shutil.which("oxigraph")
    if not oxigraph:
        raise SystemExit("needs the oxigraph server: pip install oxigraph")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = args.store or folder / "store"
        if args.store is None:
            build_store(store)[0].close()
        generation = StoreLocation(store).current()
        assert generation is not None, f"no store at {store}"
        source = OxigraphStore.open_dir(generation / DATABASE, read_only=True)
        source.dump_nquads(folder / "dump.nq")
        source.close()
        subprocess.run([oxigraph, "load", "--location", str(folder / "oxigraph"), "--file", str(folder / "dump.nq")],
                       check=True, capture_output=True)
        servers = _servers(store, folder / "oxigraph", args.workers, binaries, oxigraph)
        with _started(servers):
            mix = _agreed_mix(servers)
        print(f"mix: {len(mix)} named queries ({sum(r for _t, r in mix.values())} rows in all), {args.clients} "
              f"clients; probe every 50 ms; pathological query {'off' if args.no_slow else 'always in flight'}; "
              f"time limit {TIME_LIMIT} s; {args.seconds:g} s per run, {args.runs} runs per server, each on a "
              f"server started afresh; {os.cpu_count()} CPUs; serve --workers {args.workers or 'default'}\n")
        results: dict[str, list[dict]] = {name: [] for name in servers}
        for _ in range(args.runs):
            for name, server in servers.items():
                with _started({name: server}) as processes:
                    for text, _rows in mix.values():  # warm, as a server that has been up a while
                        _ask(server[1], text)
                    run = _Run(server[1], processes[name].pid, mix, clients=args.clients, seconds=args.seconds,
                               slow=not args.no_slow)
                    results[name].append(run.go())
                    if processes[name].poll() is not None:
                        raise SystemExit(f"{name} died during the run")

    _print_table(results)
    cg, ox = results["conflictgraph serve"][-1], results["oxigraph serve-read-only"][-1]
    print(f"\nmedians, conflictgraph / oxigraph: throughput {cg['throughput'] / ox['throughput']:.2f}x, "
          f"mix p50 {cg['mix_p50'] / ox['mix_p50']:.2f}x, probe p50 {cg['probe_p50'] / ox['probe_p50']:.2f}x")


if __name__ == "__main__":
    main()
