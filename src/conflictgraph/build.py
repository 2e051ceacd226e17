"""The build pipeline: parse -> validate -> store -> infer, written atomically.

Examples
--------
>>> store, report = build_store(":memory:")
>>> report.sources >= 3 and report.inferred > 0
True
"""
from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from conflictgraph.errors import StoreError, ValidationFailed
from conflictgraph.graphfolder import load_folders
from conflictgraph.infer import run_rules
from conflictgraph.ontology import load_ontology
from conflictgraph.resources import bundled_graph_dir, bundled_hash
from conflictgraph.store.disk import DATABASE, StoreLocation
from conflictgraph.store.oxigraph import OxigraphStore
from conflictgraph.validate import validate_loaded

__all__ = ["BuildReport", "build_store", "open_for_reading", "DEFAULT_STORE"]

DEFAULT_STORE = Path(".conflictgraph") / "store"

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


def build_store(location: str | Path = DEFAULT_STORE, *, graph_dirs: tuple[Path, ...] = (),
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

    def fill(store: OxigraphStore) -> None:
        store.add_ox_quads(ontology.quads)
        store.add_ox_quads(loaded.quads)
        notify("applying rules")
        report.rules = run_rules(store, ontology)
        report.inferred = sum(report.rules.values())
        report.asserted = len(ontology.quads) + len(loaded.quads)

    if str(location) == ":memory:":
        store = OxigraphStore.in_memory()
        fill(store)
        report.seconds = time.perf_counter() - started
        return store, report

    place = StoreLocation(location)
    generation = place.new_generation()
    writer = OxigraphStore.open_dir(generation / DATABASE, read_only=False)
    fill(writer)
    writer.close()
    del writer
    gc.collect()  # pyoxigraph releases the database lock when the object is gone
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
    })
    return OxigraphStore.open_dir(generation / DATABASE, read_only=True), report


def open_for_reading(location: str | Path = DEFAULT_STORE, *, notify: Notify = _quiet) -> OxigraphStore:
    """Open the store read-only; build the bundled graph first when there is none.

    A store that was built automatically is rebuilt when the bundled ontology or graph has
    changed (it is a cache keyed by their hash); a store someone built on purpose is kept and
    a note says it may be stale.
    """
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
