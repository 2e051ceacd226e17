"""After a large import: compact the store and extract its event-tie table, in the background.

A large import publishes its store uncompacted (:mod:`conflictgraph.store.compaction`) and
calls :func:`start_background`, which runs ``python -m conflictgraph.network.warmup STORE
GENERATION`` detached, at low priority. That process compacts the generation, then keeps the
event-tie table in it (:func:`conflictgraph.network.ties.kept_table`: 100,000 events, about
7 s), from which any network is projected in seconds. A network command started meanwhile
waits for the table through its lock and then reads it; a table such a command made on the
uncompacted store is taken over (same triples). What the process says goes to
``<store>.d/compaction.log``.

Examples
--------
>>> import tempfile, pathlib
>>> from conflictgraph.build.pipeline import build_store
>>> location = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> _ = build_store(location, bundled=False, graph_dirs=(MINI,))
>>> keep_tie_table(location).startswith("kept the event-tie table")
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
from conflictgraph.network.ties import TABLE_FILE, adopt_table, generation_folder, kept_table
from conflictgraph.store.compaction import compact_store, is_compacted
from conflictgraph.store.generations import StoreLocation

__all__ = ["start_background", "keep_tie_table", "LOG_NAME"]

LOG_NAME = "compaction.log"  # in <store>.d/: what the last background process said


def start_background(location: str | Path, generation: Path) -> subprocess.Popen:
    """Start a detached process that compacts ``generation`` of the store at ``location`` and
    then keeps its event-tie table. It outlives the caller."""
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
    # Whoever compacted it, the first network command after a large import need not extract.
    # A store published since and not yet compacted has a background process of its own.
    info = StoreLocation(location).info()
    if info is None or not is_compacted(info):
        print("did not keep the event-tie table: a newer store is being compacted", flush=True)
        return 0
    try:
        print(keep_tie_table(location, generation), flush=True)
    except ConflictGraphError as err:
        print(f"did not keep the event-tie table: {err}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
