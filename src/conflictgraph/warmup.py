"""Projecting the default network of a freshly imported store before anyone asks for it.

After a large import the first network command (``centrality``, ``path``, ``viz`` ...) would
project the whole store: about 20 s for 100,000 events. The background process that compacts
such a store (:mod:`conflictgraph.compaction`) therefore runs ``python -m conflictgraph.warmup
STORE`` once the store is compacted (by it, or by ``conflictgraph compact`` first): it projects
the actors view with default options (what a network command without filters asks for) and
keeps it beside the store
(:mod:`conflictgraph.netcache`). A command started meanwhile waits for it through the
network's lock and then reads it; other options are projected when asked, as before.

It runs in a process of its own, so its memory starts fresh after the compaction's.

Examples
--------
>>> import tempfile, pathlib
>>> from conflictgraph.build import build_store
>>> location = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> _ = build_store(location, bundled=False, graph_dirs=(pathlib.Path("tests/fixtures/mini"),))
>>> keep_default_network(location).startswith("kept the actors network")
True
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

__all__ = ["keep_default_network", "warm_up"]


def keep_default_network(location: str | Path, uncompacted: str | None = None) -> str:
    """Project the actors view of the store at ``location`` with default options and keep it;
    returns one line saying what was kept.

    ``uncompacted`` names the generation folder the store was compacted from: a network command
    started right after the import projects there, so its networks are waited for and taken
    over (same triples) rather than projected a second time beside it.
    """
    from conflictgraph.build import open_for_reading
    from conflictgraph.netcache import NetworkCache
    from conflictgraph.project import project
    from conflictgraph.store.disk import StoreLocation

    started = time.perf_counter()
    store = open_for_reading(location)
    cache = NetworkCache.for_store(store)
    if cache is not None and uncompacted:
        cache.adopt(NetworkCache(StoreLocation(location).generations / uncompacted / "networks"), wait=True)
    network = project(store)
    if cache is None or not any(cache.folder.glob("*.json")):
        return "projected the actors network but could not keep it (the store's folder is not writable)"
    line = (f"kept the actors network for the next network command ({network.number_of_nodes():,} nodes, "
            f"{network.number_of_edges():,} ties; {time.perf_counter() - started:.1f} s")
    try:
        import resource  # Unix only
        line += f", peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB"
    except ImportError:  # pragma: no cover - Windows
        pass
    return line + ")"


def warm_up(location: str | Path, uncompacted: str | None = None) -> int:
    """Run :func:`keep_default_network` in a child process (its output goes where ours goes);
    its exit code. A failure only means the first network command projects, as it would anyway."""
    return subprocess.run([sys.executable, "-m", "conflictgraph.warmup", str(Path(location).absolute()),
                           *([uncompacted] if uncompacted else [])], stdin=subprocess.DEVNULL, check=False).returncode


def _main(argv: list[str]) -> int:
    """``python -m conflictgraph.warmup STORE [UNCOMPACTED_GENERATION]``."""
    from conflictgraph.errors import ConflictGraphError

    location, uncompacted = argv[0], (argv[1] if len(argv) > 1 else None)
    try:
        print(keep_default_network(location, uncompacted), flush=True)
    except ConflictGraphError as err:
        print(f"did not keep a network: {err}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
