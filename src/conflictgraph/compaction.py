"""Compacting an on-disk store, now or in a background process after a large import.

Bulk loads leave the database as many overlapping files, and every query then searches all of
them (measured: 100,000 imported events, queries 2-3x slower). Compaction merges them; it
takes seconds per 100,000 events on one core. A large import therefore publishes its store
as soon as the events are in, marked ``"compacted": false`` in build.json, and hands the
compaction to a detached process (:func:`compact_in_background`), which compacts a copy of
that generation and swaps it in like any writer. Readers are never blocked; until the swap
they read the uncompacted store, which holds the same triples.

The compactor holds the store's writer lock, so a build or import started meanwhile waits for
it and then copies the compacted store. If another writer published first, the compactor
leaves that newer store alone (its writer compacted it, or handed it on in turn).
``conflictgraph compact`` compacts now, or waits for a background compaction to finish.
Then (compacted by it or not) the background process projects the store's default network and
keeps it for the next network command (:mod:`conflictgraph.warmup`).

Examples
--------
>>> import tempfile, pathlib
>>> from conflictgraph.build import build_store
>>> location = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> _ = build_store(location, bundled=False, graph_dirs=(pathlib.Path("tests/fixtures/mini"),))
>>> compact_store(location)  # a built store is compacted already
False
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

from conflictgraph.errors import StoreMissing
from conflictgraph.netcache import NetworkCache
from conflictgraph.store.disk import DATABASE, StoreLocation
from conflictgraph.store.oxigraph import OxigraphStore

__all__ = ["compact_store", "compact_in_background", "is_compacted", "LOG_NAME"]

LOG_NAME = "compaction.log"  # in <store>.d/: what the last background compaction said


def is_compacted(info: dict) -> bool:
    """Whether a generation's build.json says it is compacted (stores from before the flag are)."""
    return bool(info.get("compacted", True))


def compact_store(location: str | Path, *, generation: str | None = None,
                  notify: Callable[[str], None] = lambda _message: None) -> bool:
    """Compact the store at ``location`` into a new generation and publish it; True if it did.

    Nothing is done when the store is compacted already, or when ``generation`` (a folder
    name) is given and is no longer the store's current one.
    """
    place = StoreLocation(location)
    missing = f"no store at {location}: run 'conflictgraph build' first"
    if place.current() is None:  # checked before the lock, which would create <store>.d/
        raise StoreMissing(missing)
    with place.writing(notify):
        current, info = place.current(), place.info()
        if current is None or info is None:
            raise StoreMissing(missing)
        if is_compacted(info) or (generation is not None and current.name != generation):
            return False
        notify("compacting the store")
        target, writer = place.new_generation(), None
        try:
            reader = OxigraphStore.open_dir(current / DATABASE, read_only=True)
            reader.backup(target / DATABASE)
            reader.close()
            writer = OxigraphStore.open_dir(target / DATABASE, read_only=False)
            writer.compact()
            writer.close()
            # same triples, so the networks kept for the uncompacted store still hold
            NetworkCache(target / "networks").adopt(NetworkCache(current / "networks"), wait=False)
        except BaseException:
            if writer is not None:
                writer.close()  # before its folder goes
            shutil.rmtree(target, ignore_errors=True)
            raise
        place.publish(target, dict(info, compacted=True))
        return True


def compact_in_background(location: str | Path, generation: Path) -> subprocess.Popen:
    """Start a detached process that compacts ``generation`` of the store at ``location``.

    It outlives the caller; what it prints goes to ``<store>.d/compaction.log``.
    """
    place = StoreLocation(location)
    with open(place.generations / LOG_NAME, "w", encoding="utf-8") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "conflictgraph.compaction", str(Path(location).absolute()), generation.name],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _main(argv: list[str]) -> int:
    """``python -m conflictgraph.compaction STORE GENERATION`` (what compact_in_background runs)."""
    location, generation = argv
    if hasattr(os, "nice"):
        os.nice(10)  # background work: the user's own commands come first
    try:
        done = compact_store(location, generation=generation, notify=lambda message: print(message, flush=True))
    except BaseException as err:
        print(f"compaction failed: {err}", flush=True)  # the store stays as it was, uncompacted
        raise
    if not done:
        print("nothing to do: the store changed or is compacted already", flush=True)
    else:
        try:
            import resource  # Unix only
            print(f"compacted (peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB)",
                  flush=True)
        except ImportError:
            print("compacted", flush=True)
    # Whoever compacted it, the first network command after a large import need not project.
    # A store published since and not yet compacted has a background process of its own.
    info = StoreLocation(location).info()
    if info is None or not is_compacted(info):
        print("did not keep a network: a newer store is being compacted", flush=True)
        return 0
    from conflictgraph.warmup import warm_up
    code = warm_up(location, generation)
    if code:
        print(f"did not keep a network (exit {code})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
