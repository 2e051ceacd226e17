"""Projected networks kept beside the store generation they came from.

A published store generation never changes (build and import write a new one and swap it in),
so projecting it again with the same options and the same projection code gives the same
network. The first command that projects a network writes it to
``<generation>/networks/<key>.json`` (networkx node-link data: plain JSON, never code); the
next command asking for the same network reads it. With 100,000 imported events a projection
takes about half a minute and reading it back about a second.

The key is a hash of the options and of the files that decide the result (the projection
file and queries, and the projection code), so a changed projection is never read from an
old file. Stores in memory, writers' copies and remote stores are not cached. A folder the
user cannot write to only means no cache. While one command projects a network it holds that
network's lock (``<key>.lock``, an advisory file lock that goes with its process), so a second
command asking for the same network waits and reads it instead of projecting it again.

Examples
--------
>>> from conflictgraph.build.pipeline import build_store
>>> store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
>>> NetworkCache.for_store(store) is None  # only published on-disk generations are cached
True
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from functools import lru_cache
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock; two commands may project the same network
    fcntl = None  # type: ignore[assignment]

from conflictgraph.bundled import ontology_dir
from conflictgraph.network.gcpause import gc_paused
from conflictgraph.store.base import Store
from conflictgraph.store.generations import BUILD_INFO

__all__ = ["NetworkCache", "generation_folder", "file_lock"]

KEEP = 8  # networks kept per generation (the newest); one of 100,000 imported events is ~85 MB


@lru_cache(maxsize=1)
def _code_hash() -> str:
    """A hash of what decides a projection besides the store: the projection file, its queries
    and the code, each file by its path under ontology/ or the package and its content."""
    digest = hashlib.sha256()
    package = Path(__file__).parents[1]
    ontology = ontology_dir()
    files = [(ontology, ontology / "projection.toml"),
             *((ontology, p) for p in sorted((ontology / "projection").glob("*.rq"))),
             *((package, package / "network" / name) for name in ("spec.py", "projection.py", "cache.py", "ties.py"))]
    for root, path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def generation_folder(store: Store) -> Path | None:
    """The generation folder of ``store`` when it is a published on-disk one (opened read-only,
    beside its build.json), else None (in memory, remote, a writer's copy)."""
    path, read_only = getattr(store, "path", None), getattr(store, "read_only", False)
    if path is None or not read_only:
        return None
    generation = Path(path).parent
    return generation if (generation / BUILD_INFO).is_file() else None


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """Hold the advisory lock file ``path`` for the block, waiting while another process holds
    it (the lock goes with its process). Where the file cannot be made, no lock."""
    try:
        handle = open(path, "a")  # noqa: SIM115 - `with handle:` below
    except OSError:
        yield
        return
    with handle:  # closing it releases the lock
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


class NetworkCache:
    """The networks folder of one published generation."""

    def __init__(self, folder: Path):
        self.folder = folder

    @classmethod
    def for_store(cls, store: Store) -> NetworkCache | None:
        """The cache of ``store``'s generation, or None when it is not a published on-disk one."""
        generation = generation_folder(store)
        return None if generation is None else cls(generation / "networks")

    def _file(self, options: dict) -> Path:
        text = json.dumps({"options": options, "code": _code_hash()}, sort_keys=True, default=str)
        return self.folder / (hashlib.sha256(text.encode("utf-8")).hexdigest()[:32] + ".json")

    def get(self, options: dict):
        """The network projected earlier with ``options``, or None."""
        import networkx as nx
        try:
            with gc_paused():  # a large network is millions of small containers, none in a cycle
                data = json.loads(self._file(options).read_text(encoding="utf-8"))
                return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
        except (OSError, ValueError, KeyError, TypeError):
            return None  # not there, or unreadable: project again

    def building(self, options: dict) -> AbstractContextManager[None]:
        """Hold the lock of the network for ``options`` for the block, waiting while another
        process holds it. A folder the user cannot write to means no lock (and no cache)."""
        with suppress(OSError):  # a folder the user cannot write to: file_lock takes no lock
            self.folder.mkdir(exist_ok=True)
        return file_lock(self._file(options).with_suffix(".lock"))

    def adopt(self, older: NetworkCache, *, wait: bool) -> int:
        """Link into this folder the networks kept for an older generation that holds the same
        triples (the store before it was compacted); with ``wait``, first wait for any network
        still being projected there. How many were linked; best effort: a network that cannot be
        linked is projected again when asked for."""
        if not older.folder.is_dir() or older.folder.resolve() == self.folder.resolve():
            return 0
        if wait and fcntl is not None:
            for lock in older.folder.glob("*.lock"):
                try:
                    with open(lock, "a") as handle:
                        fcntl.flock(handle, fcntl.LOCK_EX)  # released at once: only waiting for it
                except OSError:
                    pass
        kept = list(older.folder.glob("*.json"))
        try:
            if kept:
                self.folder.mkdir(exist_ok=True)
        except OSError:  # a generation gone or read-only: nothing to link into
            return 0
        linked = 0
        for network in kept:
            try:
                os.link(network, self.folder / network.name)
                linked += 1
            except OSError:  # there already, or not linkable here
                pass
        return linked

    def put(self, options: dict, network) -> None:
        """Keep ``network`` for ``options`` (written whole, then renamed into place)."""
        import networkx as nx
        target = self._file(options)
        partial = target.with_name(f".{target.stem}.{os.getpid()}.part")
        try:
            self.folder.mkdir(exist_ok=True)
            partial.write_text(json.dumps(nx.node_link_data(network, edges="edges"), separators=(",", ":")),
                               encoding="utf-8")
            os.replace(partial, target)
            kept = sorted(self.folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in kept[KEEP:]:
                old.unlink(missing_ok=True)  # (its lock file stays: another process may hold it)
        except OSError:
            partial.unlink(missing_ok=True)  # a read-only store folder: no cache, no harm
