"""After a large import: compact the store, extract its event-tie table and project its default
network, in the background.

A large import publishes its store uncompacted (:mod:`conflictgraph.store.compaction`) and
calls :func:`start_background`, which runs ``python -m conflictgraph.network.warmup STORE
GENERATION`` detached, at low priority. That process compacts the generation, then keeps the
event-tie table in it (:func:`conflictgraph.network.ties.kept_table`: 100,000 events, about
7 s), from which any network is projected in seconds, then projects the actors view with
default options (what a network command without filters asks for) and keeps it beside the
store (:mod:`conflictgraph.network.cache`), so the first network command after the import
reads it. A command started meanwhile waits for the table or the network through its lock and
then reads it; a table or networks such a command made on the uncompacted store are taken over
(same triples). What the process says goes to ``<store>.d/compaction.log``.

Examples
--------
>>> import tempfile, pathlib
>>> from conflictgraph.build.pipeline import build_store
>>> location = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> _ = build_store(location, bundled=False, graph_dirs=(MINI,))
>>> keep_tie_table(location).startswith("kept the event-tie table")
True
>>> keep_default_network(location).startswith("kept the actors network")
True
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from conflictgraph.build.pipeline import open_for_reading
from conflictgraph.errors import ConflictGraphError
from conflictgraph.network.cache import NetworkCache, generation_folder
from conflictgraph.network.projection import project
from conflictgraph.network.ties import TABLE_FILE, adopt_table, kept_table
from conflictgraph.store.compaction import compact_store, is_compacted
from conflictgraph.store.generations import StoreLocation

__all__ = ["start_background", "keep_tie_table", "keep_default_network", "LOG_NAME"]

LOG_NAME = "compaction.log"  # in <store>.d/: what the last background process said


def start_background(location: str | Path, generation: Path) -> subprocess.Popen:
    """Start a detached process that compacts ``generation`` of the store at ``location`` and
    then keeps its default network. It outlives the caller."""
    place = StoreLocation(location)
    with open(place.generations / LOG_NAME, "w", encoding="utf-8") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "conflictgraph.network.warmup", str(Path(location).absolute()), generation.name],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def keep_tie_table(location: str | Path, uncompacted: str | None = None) -> str:
    """Extract the event-tie table of the store at ``location`` and keep it in its generation
    (or take over the one kept in ``uncompacted``, the generation it was compacted from);
    returns one line saying what was kept."""
    started = time.perf_counter()
    store = open_for_reading(location)
    folder = generation_folder(store)
    if folder is not None and uncompacted:
        adopt_table(StoreLocation(location).generations / uncompacted, folder)
    table = kept_table(store)
    if folder is None or not (folder / TABLE_FILE).is_file():
        return "extracted the event-tie table but could not keep it (the store's folder is not writable)"
    return (f"kept the event-tie table for the network commands ({len(table):,} ties of {len(table.events):,} "
            f"events; {time.perf_counter() - started:.1f} s{_peak_memory()})")


def keep_default_network(location: str | Path, uncompacted: str | None = None) -> str:
    """Project the actors view of the store at ``location`` with default options and keep it;
    returns one line saying what was kept.

    ``uncompacted`` names the generation folder the store was compacted from: a network command
    started right after the import projects there, so its networks are waited for and taken
    over (same triples) rather than projected a second time beside it.
    """
    started = time.perf_counter()
    store = open_for_reading(location)
    cache = NetworkCache.for_store(store)
    if cache is not None and uncompacted:
        cache.adopt(NetworkCache(StoreLocation(location).generations / uncompacted / "networks"), wait=True)
    network = project(store)
    if cache is None or not any(cache.folder.glob("*.json")):
        return "projected the actors network but could not keep it (the store's folder is not writable)"
    return (f"kept the actors network for the next network command ({network.number_of_nodes():,} nodes, "
            f"{network.number_of_edges():,} ties; {time.perf_counter() - started:.1f} s{_peak_memory()})")


def _peak_memory() -> str:
    """", peak memory N MB" for this process, or nothing where the platform cannot tell."""
    try:
        import resource  # Unix only
    except ImportError:  # pragma: no cover - Windows
        return ""
    return f", peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB"


def _main(argv: list[str]) -> int:
    """``python -m conflictgraph.network.warmup STORE GENERATION`` (what start_background runs)."""
    location, generation = argv
    if hasattr(os, "nice"):
        os.nice(10)  # background work: the user's own commands come first
    try:
        done = compact_store(location, generation=generation, notify=lambda message: print(message, flush=True))
    except BaseException as err:
        print(f"compaction failed: {err}", flush=True)  # the store stays as it was, uncompacted
        raise
    print(f"compacted{_peak_memory()}" if done else "nothing to compact: the store changed or is compacted already",
          flush=True)
    # Whoever compacted it, the first network command after a large import need not project.
    # A store published since and not yet compacted has a background process of its own.
    info = StoreLocation(location).info()
    if info is None or not is_compacted(info):
        print("did not keep a network: a newer store is being compacted", flush=True)
        return 0
    try:
        print(keep_tie_table(location, generation), flush=True)
        print(keep_default_network(location, generation), flush=True)
    except ConflictGraphError as err:
        print(f"did not keep a network: {err}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
