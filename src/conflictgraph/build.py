"""The build pipeline: parse -> validate -> store -> infer, written atomically.

Examples
--------
>>> store, report = build_store(":memory:")
>>> report.sources >= 3 and report.inferred > 0
True
"""
from __future__ import annotations

import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from conflictgraph.errors import StoreError, StoreMissing, ValidationFailed
from conflictgraph.graphfolder import load_folders
from conflictgraph.infer import run_rules
from conflictgraph.namespaces import DATASET_GRAPHS, DATASET_INFERRED_GRAPHS, GRAPHS
from conflictgraph.ontology import load_ontology
from conflictgraph.resources import bundled_graph_dir, bundled_hash
from conflictgraph.store.disk import DATABASE, StoreLocation
from conflictgraph.store.oxigraph import OxigraphStore
from conflictgraph.store.remote import Endpoint
from conflictgraph.validate import validate_loaded

__all__ = ["BuildReport", "build_store", "open_for_reading", "update_store", "DEFAULT_STORE", "KEPT_GRAPHS"]

DEFAULT_STORE = Path(".conflictgraph") / "store"
# Graphs that 'build' carries over from the previous store: imported datasets and their log.
KEPT_GRAPHS = (DATASET_GRAPHS, DATASET_INFERRED_GRAPHS, GRAPHS + "import-log")

Notify = Callable[[str], None]


def _quiet(_message: str) -> None:
    pass


@dataclass
class BuildReport:
    """What a build did: counts, rule output, timings, and warnings from the shapes."""

    location: str
    sources: int = 0
    files: int = 0
    asserted: int = 0
    inferred: int = 0
    rules: dict[str, int] = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    seconds: float = 0.0


def build_store(location: str | Path | Endpoint = DEFAULT_STORE, *, graph_dirs: tuple[Path, ...] = (),
                bundled: bool = True, auto: bool = False, notify: Notify = _quiet):
    """Build a store from the bundled graph and ``graph_dirs``; return (store, report).

    On disk the store is written to a new generation and swapped in only when complete; the
    returned store is open read-only on the new generation. ``":memory:"`` builds in memory.
    Raises :class:`ValidationFailed` (nothing is written) when the shapes find violations.
    """
    started = time.perf_counter()
    folders = ([bundled_graph_dir()] if bundled else []) + [Path(d) for d in graph_dirs]
    if not folders:
        raise StoreError("nothing to build: --no-bundled needs at least one --graph folder")
    ontology = load_ontology()
    notify(f"parsing {len(folders)} graph folder(s)")
    loaded = load_folders(folders, ontology)
    notify(f"validating {len(loaded.quads)} triples against the shapes")
    findings = validate_loaded(loaded, ontology)
    violations = [f for f in findings if f.severity == "Violation"]
    if violations:
        raise ValidationFailed(violations)
    report = BuildReport(location=str(location), sources=len(loaded.sources), files=len(loaded.files),
                         warnings=[f for f in findings if f.severity != "Violation"])

    def fill(store: OxigraphStore, previous: Path | None = None) -> None:
        store.add_ox_quads(ontology.quads)
        store.add_ox_quads(loaded.quads)
        if previous is not None:
            notify("keeping the imported datasets of the previous store")
            _keep_imported(previous, store)
        notify("applying rules")
        report.rules = run_rules(store, ontology)
        report.inferred = sum(report.rules.values())
        report.asserted = len(ontology.quads) + len(loaded.quads)

    if isinstance(location, Endpoint):  # a remote SPARQL store: replaced in one atomic update
        from conflictgraph.remote_build import build_remote
        return build_remote(location, ontology, loaded, report, kept=KEPT_GRAPHS, notify=notify, started=started)
    if str(location) == ":memory:":
        store = OxigraphStore.in_memory()
        fill(store)
        report.seconds = time.perf_counter() - started
        return store, report

    place = StoreLocation(location)
    with place.writing(notify):
        previous = place.current()
        generation = place.new_generation()
        writer = OxigraphStore.open_dir(generation / DATABASE, read_only=False)
        fill(writer, previous / DATABASE if previous else None)
        writer.compact()
        writer.close()
        report.seconds = time.perf_counter() - started
        place.publish(generation, {
            "built": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "bundled": bundled,
            "bundled_hash": bundled_hash() if bundled else None,
            "graph_dirs": [str(Path(d).resolve()) for d in graph_dirs],
            "auto": auto,
            "sources": report.sources,
            "asserted": report.asserted,
            "inferred": report.inferred,
            "compacted": True,
        })
    return OxigraphStore.open_dir(generation / DATABASE, read_only=True), report


def _keep_imported(previous: Path, target: OxigraphStore) -> None:
    """Copy the dataset and import-log graphs of the store at ``previous`` into ``target``."""
    reader = OxigraphStore.open_dir(previous, read_only=True)
    graphs = [g for g in reader.named_graphs() if g.startswith(KEPT_GRAPHS)]
    target.copy_graphs_from(reader, graphs)
    reader.close()


@contextmanager
def update_store(location: str | Path | Endpoint = DEFAULT_STORE, *, notify: Notify = _quiet,
                 compaction: str = "now") -> Iterator[OxigraphStore]:
    """Change an existing on-disk store atomically: yield a writable copy, then swap it in.

    The current generation is copied with the store's backup (hard links, cheap); the caller
    writes to the copy; when the block ends without error the rules are re-run on it and it is
    published as the new generation. An error (or a killed process) leaves the store as it was.
    Other writers wait meanwhile (:meth:`StoreLocation.writing`).

    ``compaction="background"`` publishes the copy uncompacted and leaves the compaction to a
    detached process (:mod:`conflictgraph.compaction`): the right choice after loading a
    large file, whose compaction takes seconds. Remote stores ignore it.

    Raises :class:`StoreMissing` when there is no store to update ("run build first").

    Examples
    --------
    >>> import tempfile, pathlib
    >>> try:
    ...     with update_store(pathlib.Path(tempfile.mkdtemp()) / "store"):
    ...         pass
    ... except StoreMissing as err:
    ...     print("build" in str(err))
    True
    """
    if compaction not in ("now", "background"):
        raise ValueError(f"compaction is 'now' or 'background', not {compaction!r}")
    if isinstance(location, Endpoint):  # changes staged here, then sent in one atomic update
        from conflictgraph.remote_build import update_remote
        with update_remote(location, notify=notify) as overlay:
            yield overlay
        return
    if str(location) == ":memory:":
        raise StoreMissing("import writes to an on-disk store; an in-memory store is gone when the "
                           "command ends (use --store PATH, after 'conflictgraph build --store PATH')")
    place = StoreLocation(location)
    missing = f"no store at {location}: run 'conflictgraph build' first (import adds to an existing store)"
    if place.current() is None:  # checked before the lock, which would create <store>.d/
        raise StoreMissing(missing)
    with place.writing(notify):
        info = place.info()
        if info is None:
            raise StoreMissing(missing)
        generation = place.new_generation()
        writer = None
        try:
            reader = OxigraphStore.open_dir(place.current() / DATABASE, read_only=True)
            reader.backup(generation / DATABASE)
            reader.close()
            del reader
            writer = OxigraphStore.open_dir(generation / DATABASE, read_only=False)
            yield writer
            notify("applying rules")
            info["inferred"] = sum(run_rules(writer, load_ontology()).values())
            if compaction == "now":
                notify("compacting the store")
                writer.compact()
            writer.close()
            writer = None
        except BaseException:
            if writer is not None:  # close the copy first: the engine's threads may still write to it
                writer.close()
                writer = None
            shutil.rmtree(generation, ignore_errors=True)
            raise
        info["updated"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        info["compacted"] = compaction == "now"
        place.publish(generation, info)
    if compaction == "background":
        from conflictgraph.compaction import compact_in_background
        compact_in_background(location, generation)
        notify("compacting the store in the background: queries are slower until it is done "
               "('conflictgraph compact' waits for it); then the default network is projected for "
               "the next network command")


def open_for_reading(location: str | Path | Endpoint = DEFAULT_STORE, *, notify: Notify = _quiet) -> OxigraphStore:
    """Open the store read-only; build the bundled graph first when there is none.

    A store that was built automatically is rebuilt when the bundled ontology or graph has
    changed (it is a cache keyed by their hash); a store someone built on purpose is kept and
    a note says it may be stale.
    """
    if isinstance(location, Endpoint):
        from conflictgraph.remote_build import open_remote
        return open_remote(location)
    if str(location) == ":memory:":
        notify("building the bundled graph in memory")
        return build_store(":memory:")[0]
    place = StoreLocation(location)
    info = place.info()
    if info is None:
        notify(f"no store at {location}: building the bundled graph once (cached there for later commands)")
        return build_store(location, auto=True, notify=notify)[0]
    if info.get("bundled") and info.get("bundled_hash") != bundled_hash():
        if info.get("auto"):
            notify("the bundled graph changed since the cached store was built: rebuilding it")
            return build_store(location, auto=True, notify=notify)[0]
        notify(f"note: the bundled graph changed since {location} was built; run 'conflictgraph build' to refresh it")
    return OxigraphStore.open_dir(place.current() / DATABASE, read_only=True)
