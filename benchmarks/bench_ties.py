"""Benchmark (not a test): the event-tie table (conflictgraph.network.ties) on an imported store.

On an imported store (``conflictgraph build --store S`` then ``conflictgraph import acled FILE
--store S``; ``bench_import.py --rows N --generate-only FILE`` writes the file), each phase runs
in a process of its own, so its peak memory (max RSS) is its own:

- ``extract``: the table read from the store (one grouped SPARQL query per dataset), its save
  and load, the file's size, the number of residual (curated) events;
- ``project``: per option set, ``project()`` as a network command runs it, from a kept table,
  and through the queries alone (``projection=load_projection()``, which reads no table): the
  baseline;
- ``centrality``: ``conflictgraph centrality`` from start to exit, one run each, on fresh
  hard-linked copies of the store's generation: with no table kept (it is
  extracted and kept on the way), with the table kept, and with ``--baseline-src DIR`` also the
  code in DIR (e.g. ``git archive main src ontology graph | tar -x -C DIR``), which has no table;
- ``remote``: the store behind ``oxigraph serve-read-only`` on a loopback port: the table's
  extraction through the endpoint and ``project()`` through it, with and without the table.

Times are medians of ``--runs`` runs (default 3) in one process, except ``centrality``. Run:

    .venv/bin/python benchmarks/bench_ties.py STORE [--phases extract,project,centrality,remote] [--runs 3]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["main"]

OPTIONS: list[dict[str, Any]] = [
    {}, {"as_of": "2023-06-15"}, {"between": ("2023-01-01", "2023-12-31")}, {"evidence": "acled"},
    {"between": ("2022-01-01", "2022-06-30"), "evidence": "acled"}, {"include_generic": True},
    {"view": "alliance"}]
PHASES = ("extract", "project", "centrality", "commands", "remote")
COMMANDS = [[], ["--between", "2023-01-01", "2023-12-31"], ["--evidence", "acled"]]  # network command options


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _median(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """(median wall seconds of ``runs`` calls, the last result)."""
    times, result = [], None
    for _ in range(max(runs, 1)):
        result = None  # the previous result freed before the next run
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _name(options: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in options.items()) or "(none)"


def _phase_extract(store_path: str, runs: int) -> dict:
    from conflictgraph.build.pipeline import open_for_reading
    from conflictgraph.network.ties import TieTable, extract_ties
    store = open_for_reading(store_path)
    extract_s, table = _median(runs, lambda: extract_ties(store))
    peak = _peak_mb()
    folder = Path(tempfile.mkdtemp(prefix="bench-ties-"))
    path = folder / "ties.npz"
    try:
        save_s, _ = _median(runs, lambda: table.save(path))
        load_s, loaded = _median(runs, lambda: TieTable.load(path))
        size = path.stat().st_size
    finally:
        shutil.rmtree(folder)
    return {"extract_s": extract_s, "save_s": save_s, "load_s": load_s, "equal_after_load": loaded == table,
            "file_mb": size / 1e6, "rows": len(table), "events": len(table.events), "actors": len(table.actors),
            "residual": len(table.residual), "peak_after_extract_mb": peak, "peak_mb": _peak_mb()}


def _phase_project(store_path: str, runs: int) -> dict:
    from conflictgraph.build.pipeline import open_for_reading
    from conflictgraph.network.projection import project
    from conflictgraph.network.spec import load_projection
    from conflictgraph.network.ties import kept_table
    store = open_for_reading(store_path)
    started = time.perf_counter()
    kept_table(store)  # kept in the generation when it is not yet (so the runs below read it)
    out: dict[str, Any] = {"kept_table_s": time.perf_counter() - started, "per_option": {}}
    for options in OPTIONS:
        table_s, net = _median(runs, lambda options=options: project(store, **options))
        plain_s, plain = _median(1, lambda options=options: project(store, projection=load_projection(), **options))
        same = (net.graph == plain.graph and list(net.nodes(data=True)) == list(plain.nodes(data=True))
                and list(net.edges(keys=True, data=True)) == list(plain.edges(keys=True, data=True)))
        out["per_option"][_name(options)] = {"with_table_s": table_s, "queries_only_s (1 run)": plain_s,
                                             "edges": net.number_of_edges(), "equal": same}
        del net, plain
    out["peak_mb"] = _peak_mb()
    return out


def _fresh_copy(store_path: str, into: Path) -> Path:
    """A copy of the store's current generation as ``into``/store (hard links: the files are
    only read), without its event-tie table."""
    from conflictgraph.network.ties import TABLE_FILE
    from conflictgraph.store.generations import StoreLocation
    generation = StoreLocation(store_path).current()
    assert generation is not None, f"no store at {store_path}"
    target = into / "store"
    shutil.copytree(generation, target.with_name("store.d") / generation.name, copy_function=os.link,
                    ignore=shutil.ignore_patterns(TABLE_FILE, "*.lock", ".*"))
    os.symlink(Path("store.d") / generation.name, target)
    return target


def _timed_cli(args: list[str], env: dict | None = None) -> float:
    """Wall seconds of ``conflictgraph ARGS`` from start to exit."""
    return _run_cli(args, env)[0]


def _run_cli(args: list[str], env: dict | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system, its children's included) of ``conflictgraph
    ARGS``. On a busy machine the CPU time says more than the wall time about the code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "conflictgraph", *args], check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, **(env or {})})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _phase_centrality(store_path: str, runs: int, baseline_src: str | None = None) -> dict:
    """``conflictgraph centrality`` from start to exit, one run per case, each on a fresh copy."""
    from conflictgraph.network.ties import TABLE_FILE
    out: dict[str, Any] = {}
    work = Path(tempfile.mkdtemp(prefix="bench-ties-", dir=Path(store_path).absolute().parent))
    try:
        if baseline_src:
            store = _fresh_copy(store_path, work / "baseline")
            out["baseline_code_s"] = _timed_cli(["-q", "centrality", "--store", str(store)],
                                                {"PYTHONPATH": str(Path(baseline_src).absolute() / "src")})
        store = _fresh_copy(store_path, work / "fresh")
        out["no_table_kept_s"] = _timed_cli(["-q", "centrality", "--store", str(store)])
        generation = store.resolve()
        out["table_kept_afterwards"] = (generation / TABLE_FILE).is_file()
        out["table_kept_s"] = _timed_cli(["-q", "centrality", "--store", str(store)])
    finally:
        shutil.rmtree(work)
    return out


def _commands(cases: dict[str, tuple[list[str], dict | None]], runs: int) -> dict:
    """Median wall and CPU seconds (:func:`_run_cli`) of ``conflictgraph --quiet centrality WHERE
    [OPTIONS] --format csv`` from start to exit per option set of :data:`COMMANDS` and per case
    (name -> (WHERE, environment)), the cases' runs taking turns (the same load for each)."""
    out: dict[str, Any] = {}
    for options in COMMANDS:
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
        for _ in range(max(runs, 1)):
            for name, (where, env) in cases.items():
                times[name].append(_run_cli(["--quiet", "centrality", *where, *options, "--format", "csv"], env))
        out[" ".join(options) or "(none)"] = {
            name: {"wall_s": round(statistics.median(w for w, _c in t), 2),
                   "cpu_s": round(statistics.median(c for _w, c in t), 2)} for name, t in times.items()}
    return out


def _baseline_env(baseline_src: str) -> dict:
    return {"PYTHONPATH": str(Path(baseline_src).absolute() / "src")}


def _phase_commands(store_path: str, runs: int, baseline_src: str | None = None) -> dict:
    """``conflictgraph centrality`` per option set (:func:`_commands`) on a fresh copy of the
    store with its table kept (one run first keeps it); with ``baseline_src``, that code on a
    copy of its own (a table is kept per code: its key is the code's)."""
    work = Path(tempfile.mkdtemp(prefix="bench-ties-", dir=Path(store_path).absolute().parent))
    try:
        this = _fresh_copy(store_path, work / "this")
        cases: dict[str, tuple[list[str], dict | None]] = {"this": (["--store", str(this)], None)}
        if baseline_src:
            cases["baseline"] = (["--store", str(_fresh_copy(store_path, work / "baseline"))],
                                 _baseline_env(baseline_src))
        for where, env in cases.values():  # keeps each code's table
            _timed_cli(["--quiet", "centrality", *where, "--format", "csv"], env)
        return _commands(cases, runs)
    finally:
        shutil.rmtree(work)


def _serve(database: Path, command: str = "serve-read-only") -> tuple[subprocess.Popen, str]:
    """``oxigraph COMMAND`` on ``database`` at a free loopback port, answering; (process, query URL)."""
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    assert binary, "no oxigraph server (pip install oxigraph)"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([binary, command, "--location", str(database), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2).close()
            break
        except OSError:
            time.sleep(0.1)
    return server, url


def _versioned_copy(database: Path, into: Path) -> Path:
    """A copy of ``database`` with a store version, as a remote build or import leaves one
    (a store served as it was built on disk has none, so its table is never cached)."""
    from conflictgraph.build.remote import _VERSION
    from conflictgraph.rdf.namespaces import GRAPH_BUILD
    from conflictgraph.store.oxigraph import OxigraphStore
    reader = OxigraphStore.open_dir(database, read_only=True)
    reader.backup(into)
    reader.close()
    writer = OxigraphStore.open_dir(into, read_only=False)
    writer.update(f'INSERT DATA {{ GRAPH <{GRAPH_BUILD}> {{ <{GRAPH_BUILD}> <{_VERSION}> "benchmark" }} }}')
    writer.close()
    return into


def _phase_remote(store_path: str, runs: int, baseline_src: str | None = None, queries_only: bool = False) -> dict:
    """The same store behind ``oxigraph serve-read-only`` (the PyPI package's server) on a free
    loopback port, stopped at the end: the table's extraction and ``project()`` through it, and
    ``conflictgraph centrality --endpoint`` per option set (:func:`_commands`; the store has no
    version, so each command extracts the table). Then a copy with a store version behind
    ``oxigraph serve``: the first command, which extracts the table and keeps it in a cache
    folder, and the option sets after it, which read it."""
    from conflictgraph.network.projection import project
    from conflictgraph.network.spec import load_projection
    from conflictgraph.network.ties import extract_ties
    from conflictgraph.store.generations import DATABASE, StoreLocation
    from conflictgraph.store.remote import Endpoint, RemoteStore
    if not (shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")):
        return {"skipped": "no oxigraph server (pip install oxigraph)"}
    database = StoreLocation(store_path).current() / DATABASE
    server, url = _serve(database)
    try:
        store = RemoteStore(Endpoint.from_urls(url))
        extract_s, table = _median(runs, lambda: extract_ties(store))
        project_s, net = _median(runs, lambda: project(store))  # no store version: the table extracted per call
        out = {"extract_s": extract_s, "rows": len(table), "project_with_table_s": project_s,
               "edges": net.number_of_edges()}
        if queries_only:
            out["project_queries_only_s (1 run)"] = _median(1, lambda: project(store, projection=load_projection()))[0]
        cases: dict[str, tuple[list[str], dict | None]] = {"this": (["--endpoint", url], None)}
        if baseline_src:
            cases["baseline"] = (["--endpoint", url], _baseline_env(baseline_src))
        out["centrality_cli_s (no store version: extracted per command)"] = _commands(cases, runs)
    finally:
        server.terminate()
        server.wait(timeout=30)
    work = Path(tempfile.mkdtemp(prefix="bench-ties-", dir=Path(store_path).absolute().parent))
    server, url = _serve(_versioned_copy(database, work / "versioned"), "serve")
    try:
        cache = {"CONFLICTGRAPH_CACHE": str(work / "cache")}
        wall, cpu = _run_cli(["--quiet", "centrality", "--endpoint", url, "--format", "csv"], cache)
        out["first_command_with_store_version (extracts, caches)"] = {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2)}
        out["centrality_cli_s (store version: the cached table)"] = _commands({"this": (["--endpoint", url], cache)},
                                                                             runs)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work)
    out["peak_mb"] = _peak_mb()
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("store", help="An imported store (the path given to --store).")
    parser.add_argument("--phases", default="extract,project", help=f"Comma-separated, of {', '.join(PHASES)}.")
    parser.add_argument("--runs", type=int, default=3, help="Runs per measure (the median is shown).")
    parser.add_argument("--baseline-src", help="centrality: also time the code in this folder (it has src/).")
    parser.add_argument("--queries-only", action="store_true",
                        help="remote: also project through the queries alone (a minute at 100k).")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.phase:
        if options.phase == "centrality":
            result = _phase_centrality(options.store, options.runs, options.baseline_src)
        elif options.phase == "commands":
            result = _phase_commands(options.store, options.runs, options.baseline_src)
        elif options.phase == "remote":
            result = _phase_remote(options.store, options.runs, options.baseline_src, options.queries_only)
        else:
            result = {"extract": _phase_extract, "project": _phase_project}[options.phase](options.store, options.runs)
        print(json.dumps(result))
        return
    for phase in options.phases.split(","):
        extra = ["--baseline-src", options.baseline_src] if options.baseline_src else []
        extra += ["--queries-only"] if options.queries_only else []
        started = time.perf_counter()
        done = subprocess.run([sys.executable, __file__, options.store, "--phase", phase.strip(),
                               "--runs", str(options.runs), *extra], capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"phase {phase} failed:\n{done.stderr}")
        print(f"== {phase} ({time.perf_counter() - started:.0f} s)")
        print(json.dumps(json.loads(done.stdout.strip().splitlines()[-1]), indent=1), flush=True)


if __name__ == "__main__":
    main()
