"""On-disk store folders that are swapped in whole, so readers never see half a build.

The path a user names (default ``.conflictgraph/store``) is a symbolic link to one generation
folder under ``<path>.d/``; each generation holds the Oxigraph database (``oxigraph/``) and a
``build.json`` describing how it was made. A writer fills a new generation and then replaces
the link atomically; a build that fails or is killed leaves the link, and so the previous
store, untouched. Writers (build, import, compaction) take turns through a lock file in
``<path>.d/`` (:meth:`StoreLocation.writing`), so none copies a store another is about to
replace; readers never wait. Every writer goes through one transaction,
:meth:`StoreLocation.transaction`: copy the current generation (or start empty), change it,
then publish it, or delete it on any error.

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
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; writers must not overlap there
    fcntl = None  # type: ignore[assignment]

from conflictgraph.errors import DiskError, StoreError, StoreMissing, disk_error
from conflictgraph.store.oxigraph import OxigraphStore

__all__ = ["StoreLocation", "Generation", "GenerationState", "DATABASE", "BUILD_INFO"]

DATABASE = "oxigraph"
BUILD_INFO = "build.json"
WRITER_LOCK = ".writer.lock"


@dataclass
class Generation:
    """A generation being written: its folder, the writable store in it, and the build.json
    it will be published with (a copy of the previous one's, for the writer to change)."""

    folder: Path
    store: OxigraphStore
    previous: Path | None
    info: dict = field(default_factory=dict)
    cancelled: bool = False

    def cancel(self) -> None:
        """Publish nothing: the folder is removed when the transaction ends."""
        self.cancelled = True


class StoreLocation:
    """A user-facing store path and its generations."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.generations = self.path.with_name(self.path.name + ".d")

    def __str__(self) -> str:
        return str(self.path)

    def __repr__(self) -> str:
        return f"StoreLocation({str(self.path)!r})"

    def __fspath__(self) -> str:
        return str(self.path)

    def open_current(self) -> OxigraphStore:
        """The current generation's store, opened read-only; :class:`StoreMissing` when none."""
        current = self.current()
        if current is None:
            raise StoreMissing(f"no store at {self.path}: run 'conflictgraph build' first")
        return OxigraphStore.open_dir(current / DATABASE, read_only=True)

    @contextmanager
    def transaction(self, *, copy_current: bool, notify: Callable[[str], None] = lambda _message: None
                    ) -> Iterator[Generation]:
        """Write a new generation and publish it when the block ends without error.

        Holds the writer lock throughout. With ``copy_current`` the new generation starts as a
        copy of the current one (hard links: cheap) and :class:`StoreMissing` is raised when
        there is none; else it starts empty. The block changes ``generation.store`` and
        ``generation.info``; the store is closed before publishing. An error, a cancel or a
        killed process leaves the current generation as it was and removes the new folder
        (or, when killed, leaves it unfinished for :meth:`prune`).
        """
        missing = f"no store at {self.path}: run 'conflictgraph build' first"
        if copy_current and self.current() is None:  # checked before the lock, which creates <store>.d/
            raise StoreMissing(missing)
        with self.writing(notify):
            self.prune()  # what killed writers left behind: no live writer can hold the lock now
            previous = self.current()
            if copy_current and previous is None:
                raise StoreMissing(missing)
            folder = self.new_generation()
            writer = None
            try:
                if copy_current and previous is not None:
                    reader = OxigraphStore.open_dir(previous / DATABASE, read_only=True)
                    reader.backup(folder / DATABASE)
                    reader.close()
                writer = OxigraphStore.open_dir(folder / DATABASE, read_only=False)
                generation = Generation(folder, writer, previous, dict(self.info() or {}) if copy_current else {})
                yield generation
                writer.close()
                writer = None
            except BaseException as err:
                if writer is not None:  # close the copy first: the engine's threads may still write to it
                    _close_quietly(writer)
                shutil.rmtree(folder, ignore_errors=True)
                disk = _about_this_store(err, folder, self.path)
                if disk is not None:
                    raise disk from None  # one line that says what to do; the store is as it was
                raise
            if generation.cancelled:
                shutil.rmtree(folder, ignore_errors=True)
                return
            self.publish(folder, generation.info)

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

    def survey(self, keep: int = 2) -> list[GenerationState]:
        """Every generation folder with its state, newest first (its size is measured when asked).

        States: ``current``; ``kept`` (one of the newest ``keep`` complete ones, for readers
        that opened it just before a swap); ``old`` (complete, no longer needed);
        ``being written`` (unfinished, by a live process); ``abandoned`` (unfinished, its writer
        is gone: killed, or older than an hour).
        """
        if not self.generations.is_dir():
            return []
        current = self.current()
        folders = [g.resolve() for g in self.generations.iterdir() if g.is_dir()]
        # ordered by when each was published: a reader keeping a network in a generation
        # (conflictgraph.network.cache) changes the folder's time, never its build.json's
        complete = sorted((g for g in folders if (g / BUILD_INFO).is_file()),
                          key=lambda g: (g / BUILD_INFO).stat().st_mtime, reverse=True)
        kept = set(complete[:keep])
        found = []
        for folder in sorted(folders, key=lambda g: g.name, reverse=True):
            if folder == current:
                state = "current"
            elif folder in kept:
                state = "kept"
            elif folder in complete:
                state = "old"
            elif _writer_alive(folder) and time.time() - folder.stat().st_mtime < 3600:
                state = "being written"
            else:
                state = "abandoned"
            found.append(GenerationState(folder, state))
        return found

    def prune(self, keep: int = 2) -> list[GenerationState]:
        """Remove old and abandoned generations (see :meth:`survey`); what was removed."""
        removed = [g for g in self.survey(keep) if g.left_over]
        for generation in removed:
            shutil.rmtree(generation.folder, ignore_errors=True)
        return removed


@dataclass
class GenerationState:
    """A generation folder and what it is (see :meth:`StoreLocation.survey`)."""

    folder: Path
    state: str

    @property
    def left_over(self) -> bool:
        """Whether :meth:`StoreLocation.prune` removes it (old, or abandoned by its writer)."""
        return self.state in ("old", "abandoned")

    @cached_property
    def bytes(self) -> int:
        """Its size on disk, measured on first use (every write prunes; only ``doctor`` needs sizes)."""
        return _disk_bytes(self.folder)


def _about_this_store(err: BaseException, folder: Path, path: Path) -> DiskError | None:
    """A disk error of the generation being written, worded about the store the user named."""
    if isinstance(err, OSError):
        return disk_error(err, err.filename or path)
    if isinstance(err, DiskError) and str(err.path).startswith(str(folder)):
        return disk_error(err, path)
    return None


def _close_quietly(store: OxigraphStore) -> None:
    """Close a copy being abandoned; on a full disk its last flush fails too, which changes nothing."""
    with suppress(OSError):
        store.close()


def _writer_alive(folder: Path) -> bool:
    """Whether the process that made ``folder`` (``g-<time>-<pid>``) still runs."""
    try:
        pid = int(folder.name.rsplit("-", 1)[1])
        os.kill(pid, 0)
    except (IndexError, ValueError):
        return False  # not a name we make: nobody is writing it
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # a process of another user has that number
    return True


def _disk_bytes(folder: Path) -> int:
    """Bytes the files under ``folder`` hold (hard links shared with other generations count here too)."""
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())
