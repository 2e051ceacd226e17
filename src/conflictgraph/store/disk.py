"""On-disk store folders that are swapped in whole, so readers never see half a build.

The path a user names (default ``.conflictgraph/store``) is a symbolic link to one generation
folder under ``<path>.d/``; each generation holds the Oxigraph database (``oxigraph/``) and a
``build.json`` describing how it was made. A writer fills a new generation and then replaces
the link atomically; a build that fails or is killed leaves the link, and so the previous
store, untouched. Writers (build, import, compaction) take turns through a lock file in
``<path>.d/`` (:meth:`StoreLocation.writing`), so none copies a store another is about to
replace; readers never wait.

Examples
--------
>>> import tempfile, pathlib
>>> place = StoreLocation(pathlib.Path(tempfile.mkdtemp()) / "store")
>>> place.current() is None
True
"""
from __future__ import annotations

import json
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; writers must not overlap there
    fcntl = None  # type: ignore[assignment]

from conflictgraph.errors import StoreError

__all__ = ["StoreLocation", "DATABASE", "BUILD_INFO"]

DATABASE = "oxigraph"
BUILD_INFO = "build.json"
WRITER_LOCK = ".writer.lock"


class StoreLocation:
    """A user-facing store path and its generations."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.generations = self.path.with_name(self.path.name + ".d")

    def current(self) -> Path | None:
        """The generation folder the path points to, or None when there is no complete store."""
        if not self.path.is_symlink() and not self.path.exists():
            return None
        if self.path.exists() and not self.path.is_symlink():
            raise StoreError(f"{self.path} exists but is not a conflictgraph store (expected a link "
                             f"made by 'conflictgraph build'); move it away or choose another --store")
        target = self.path.resolve()
        if not (target / BUILD_INFO).is_file():
            return None
        return target

    def info(self) -> dict | None:
        """The build.json of the current generation."""
        current = self.current()
        if current is None:
            return None
        return json.loads((current / BUILD_INFO).read_text(encoding="utf-8"))

    @contextmanager
    def writing(self, notify: Callable[[str], None] = lambda _message: None) -> Iterator[None]:
        """Hold the store's writer lock for the block, waiting (with a note) while another
        process holds it. The lock goes with its process, so a killed writer never leaves it.
        """
        self.generations.mkdir(parents=True, exist_ok=True)
        with open(self.generations / WRITER_LOCK, "a") as handle:
            if fcntl is not None:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    notify(f"waiting for another build, import or compaction of {self.path} to finish")
                    fcntl.flock(handle, fcntl.LOCK_EX)
            yield  # closing the file releases the lock

    def new_generation(self) -> Path:
        """A fresh, empty generation folder (not yet visible to readers)."""
        self.generations.mkdir(parents=True, exist_ok=True)
        folder = self.generations / f"g-{time.time_ns()}-{os.getpid()}"
        folder.mkdir()
        return folder

    def publish(self, generation: Path, info: dict) -> None:
        """Write build.json into ``generation`` and make the path point to it, atomically."""
        (generation / BUILD_INFO).write_text(json.dumps(info, indent=2), encoding="utf-8")
        link = self.path.with_name(f".{self.path.name}.link-{os.getpid()}")
        if link.is_symlink() or link.exists():
            link.unlink()
        os.symlink(os.path.relpath(generation, self.path.parent), link)
        os.replace(link, self.path)
        self.prune(keep=2)

    def prune(self, keep: int = 2) -> None:
        """Remove old or abandoned generations, keeping the newest ``keep`` complete ones.

        The previous generation is kept so a reader that opened it just before the swap can
        finish; unfinished ones (no build.json) older than an hour are from killed builds.
        """
        if not self.generations.is_dir():
            return
        current = self.current()
        # ordered by when each was published: a reader keeping a network in a generation
        # (conflictgraph.netcache) changes the folder's time, never its build.json's
        complete = sorted((g for g in self.generations.iterdir() if (g / BUILD_INFO).is_file()),
                          key=lambda g: (g / BUILD_INFO).stat().st_mtime, reverse=True)
        keep_set = set(complete[:keep]) | ({current} if current else set())
        for folder in self.generations.iterdir():
            if not folder.is_dir():  # the writer lock
                continue
            unfinished = not (folder / BUILD_INFO).is_file()
            stale = time.time() - folder.stat().st_mtime > 3600
            if folder not in keep_set and (not unfinished or stale):
                shutil.rmtree(folder, ignore_errors=True)
