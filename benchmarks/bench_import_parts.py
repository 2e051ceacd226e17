"""Benchmark (not a test): the two halves of ``conflictgraph import acled``, each alone.

An import maps the file's rows to N-Quads in Python (one core) while the engine bulk-loads the
chunk files written so far (two at a time, in threads). This script times each half by itself
on the same file, so the next attempt at a faster import knows which half to work on:

1. **mapping**: ``import_events`` into a copy of the built bundled store, with the tie-table
   observer the CLI passes, but each chunk file set aside instead of loaded: CPU seconds of
   reading, reconciling, mapping, hashing and writing the rows;
2. **loading**: those chunk files bulk-loaded into an empty store by the importer's own
   loader (two at a time): wall and CPU seconds (the engine's own threads and its background
   merging included), quads and quads per event;
3. **import**: ``conflictgraph import acled FILE`` as a user runs it (into a fresh copy of the
   built store, from start to exit), for comparison with the two halves.

Each step runs ``--runs`` times (default 3) in its own process; medians are printed. The CSV
is bench_import.py's generator's (``--rows``, default 100,000), or ``--csv FILE``.

Run:

    .venv/bin/python benchmarks/bench_import_parts.py [--rows N | --csv FILE] [--runs N]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_import import generate  # noqa: E402  (the same rows as the end-to-end benchmark)

__all__ = ["main"]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _phase_mapping(built: Path, csv_path: Path, chunks: Path) -> dict:
    """Map the file into a copy of ``built`` (the store's database folder); keep the chunk files
    in ``chunks`` instead of loading them."""
    from conflictgraph.importers.dataset import dataset_graph, import_events
    from conflictgraph.network.ties import ImportedTies
    from conflictgraph.store.oxigraph import OxigraphStore

    class ChunksAside(OxigraphStore):
        def load_nquads_file(self, path: Path, graphs=()) -> None:
            os.link(path, chunks / f"chunk-{len(list(chunks.iterdir())) + 1:05d}.nq")  # the importer removes path

    database = chunks.parent / "mapping-store"
    shutil.copytree(built, database)
    store = ChunksAside.open_dir(database, read_only=False)
    ties = ImportedTies(dataset_graph("acled"))
    started, cpu = time.perf_counter(), _cpu()
    report = import_events(store, "acled", csv_path, observe=ties.add, rejects_path=chunks.parent / "rejects.csv",
                           scratch=chunks.parent)
    ties.read()
    found = {"seconds": time.perf_counter() - started, "cpu": _cpu() - cpu, "events": report.imported}
    store.close()
    return found


def _phase_loading(chunks: Path) -> dict:
    """Bulk-load the chunk files into an empty store with the importer's own loader (two at a
    time, in threads)."""
    from conflictgraph.importers.dataset import _Loader, dataset_graph, dataset_inferred_graph
    from conflictgraph.store.oxigraph import OxigraphStore

    store = OxigraphStore.open_dir(chunks.parent / "loading-store", read_only=False)
    loader = _Loader(store, (dataset_graph("acled"), dataset_inferred_graph("acled")))
    started, cpu = time.perf_counter(), _cpu()
    for path in sorted(chunks.iterdir()):
        loader.submit([], path)  # the loader removes each file once loaded, as in an import
    loader.wait()
    found = {"seconds": time.perf_counter() - started, "cpu": _cpu() - cpu}
    found["quads"] = int(store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows[0]["n"].value)
    store.close()
    return found


def _in_process(phase: str, *args: Path) -> dict:
    """Run a phase in its own Python process; its figures and peak memory."""
    process = subprocess.run([sys.executable, __file__, "--phase", phase, *map(str, args)],
                             capture_output=True, text=True, check=True)
    return json.loads(process.stdout)


def _import(cli: str, built_location: Path, csv_path: Path, folder: Path) -> dict:
    """``conflictgraph import acled`` into a copy of the built store, start to exit."""
    location = folder / built_location.name  # a copy of the store's location: its generations and current link
    shutil.copytree(built_location.with_name(built_location.name + ".d"), folder / (built_location.name + ".d"))
    os.symlink(os.readlink(built_location), location)
    started = time.perf_counter()
    process = subprocess.Popen([cli, "--quiet", "import", "acled", str(csv_path), "--store", str(location),
                                "--rejects", str(folder / "rejects.csv")], stdout=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the import failed (exit {os.waitstatus_to_exitcode(status)})")
    subprocess.run([cli, "--quiet", "compact", "--store", str(location)], check=True, capture_output=True)
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--csv", type=Path, help="Time this ACLED file instead of generated rows.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.phase:
        paths = [Path(a) for a in options.args]
        found = _phase_mapping(*paths) if options.phase == "mapping" else _phase_loading(*paths)
        print(json.dumps(found))
        return
    cli = str(Path(sys.executable).with_name("conflictgraph"))
    with tempfile.TemporaryDirectory(prefix="bench-import-parts-") as scratch:
        folder = Path(scratch)
        csv_path = options.csv or folder / "acled-synthetic.csv"
        if options.csv is None:
            generate(csv_path, options.rows, actors=2_000)
        built = folder / "built"
        subprocess.run([cli, "--quiet", "build", "--store", str(built)], check=True, capture_output=True)
        database = built.resolve() / "oxigraph"
        steps: dict[str, list[dict]] = {"mapping (chunks set aside)": [], "loading (the chunk files)": [],
                                        "import (the CLI, start to exit)": []}
        for number in range(options.runs):
            run = folder / f"run-{number + 1}"
            chunks = run / "chunks"
            chunks.mkdir(parents=True)
            steps["mapping (chunks set aside)"].append(_in_process("mapping", database, csv_path, chunks))
            steps["loading (the chunk files)"].append(_in_process("loading", chunks))
            steps["import (the CLI, start to exit)"].append(_import(cli, built, csv_path, run))
            shutil.rmtree(run)
            print(f"run {number + 1}: " + ", ".join(f"{name} {found[-1]['seconds']:.1f} s"
                                                    for name, found in steps.items()), flush=True)
    mapping, loading = steps["mapping (chunks set aside)"], steps["loading (the chunk files)"]
    print(f"\n{mapping[0]['events']:,} events, {loading[0]['quads']:,} quads "
          f"({loading[0]['quads'] / mapping[0]['events']:.1f} an event); {options.runs} run(s), medians; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'':36}{'wall s':>8}{'CPU s':>8}")
    for name, found in steps.items():
        print(f"{name:36}{statistics.median(f['seconds'] for f in found):>8.1f}"
              f"{statistics.median(f['cpu'] for f in found):>8.1f}")
    both = statistics.median(mapped["cpu"] + loaded["cpu"] for mapped, loaded in zip(mapping, loading))
    print(f"{'mapping + loading CPU, over 2 cores':36}{both / 2:>8.1f}{both:>8.1f}")


if __name__ == "__main__":
    main()
