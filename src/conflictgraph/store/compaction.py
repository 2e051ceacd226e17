"""Compacting an on-disk store.

Bulk loads leave the database as many overlapping files, and every query then searches all of
them (measured: 100,000 imported events, queries 2-3x slower). Compaction merges them; it
takes seconds per 100,000 events on one core. A large import therefore publishes its store
as soon as the events are in, marked ``"compacted": false`` in build.json, and calls
:func:`start_background`, which runs ``python -m conflictgraph.store.compaction STORE
GENERATION`` detached at low priority: it compacts a copy of that generation and swaps it in
like any writer, with the files derived from its triples (the event-tie table) linked over.
Readers are never blocked; until the swap they read the uncompacted store, which holds the
same triples. What the process says goes to ``<store>.d/compaction.log``.

The compactor holds the store's writer lock, so a build or import started meanwhile waits for
it and then copies the compacted store. If another writer published first, the compactor
leaves that newer store alone (its writer compacted it, or handed it on in turn).
``conflictgraph compact`` compacts now, or waits for a background compaction to finish.

Examples
--------
>>> import tempfile, pathlib
>>> from conflictgraph.build.pipeline import build_store
>>> location = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> _ = build_store(location, bundled=False, graph_dirs=(MINI,))
>>> compact_store(location)  # a built store is compacted already
False
"""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from conflictgraph.store.generations import BUILD_INFO, DATABASE, StoreLocation

__all__ = ["compact_store", "is_compacted", "start_background", "LOG_NAME"]

LOG_NAME = "compaction.log"  # in <store>.d/: what the last background compaction said


def is_compacted(info: dict) -> bool:
    """Whether a generation's build.json says it is compacted (stores from before the flag are)."""
    return bool(info.get("compacted", True))


def compact_store(location: str | Path | StoreLocation, *, generation: str | None = None,
                  notify: Callable[[str], None] = lambda _message: None) -> bool:
    """Compact the store at ``location`` into a new generation and publish it; True if it did.

    Nothing is done when the store is compacted already, or when ``generation`` (a folder
    name) is given and is no longer the store's current one.
    """
    place = location if isinstance(location, StoreLocation) else StoreLocation(location)
    with place.transaction(copy_current=True, notify=notify) as new:
        assert new.previous is not None  # copy_current: transaction() raised StoreMissing otherwise
        if is_compacted(new.info) or (generation is not None and new.previous.name != generation):
            new.cancel()
            return False
        notify("compacting the store")
        new.store.compact()
        new.info["compacted"] = True
        _link_derived(new.previous, new.folder)
    return True


def _link_derived(previous: Path, target: Path) -> None:
    """Hard-link into ``target`` the files kept beside the database of ``previous`` (the
    event-tie table): compaction keeps the same triples, so they still hold. Hidden files
    (being written) are left. Best effort: a file that cannot be linked is only derived again
    when asked for."""
    for item in previous.iterdir():
        if item.name not in (DATABASE, BUILD_INFO) and item.is_file() and not item.name.startswith("."):
            with suppress(OSError):
                os.link(item, target / item.name)


def start_background(location: str | Path, generation: Path) -> subprocess.Popen:
    """Start a detached process that compacts ``generation`` of the store at ``location``
    (if it is still the current one). It outlives the caller."""
    place = StoreLocation(location)
    with open(place.generations / LOG_NAME, "w", encoding="utf-8") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "conflictgraph.store.compaction", str(Path(location).absolute()), generation.name],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _peak_memory() -> str:
    """", peak memory N MB" for this process, or nothing where the platform cannot tell."""
    try:
        import resource  # Unix only
    except ImportError:  # pragma: no cover - Windows
        return ""
    return f" (peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB)"


def _main(argv: list[str]) -> int:
    """``python -m conflictgraph.store.compaction STORE GENERATION`` (what start_background runs)."""
    location, generation = argv
    if hasattr(os, "nice"):
        os.nice(10)  # background work: the user's own commands come first
    try:
        done = compact_store(location, generation=generation, notify=lambda message: print(message, flush=True))
    except BaseException as err:
        print(f"compaction failed: {err}", flush=True)  # the store stays as it was, uncompacted
        raise
    print(f"compacted{_peak_memory()}" if done else "nothing to do: the store changed or is compacted already",
          flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
