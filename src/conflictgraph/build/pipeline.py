"""The build pipeline: parse -> validate -> store -> infer, written atomically.

``build_store`` makes the curated layer from graph folders; ``update_store`` changes an existing
store (an import); ``open_for_reading`` opens one for queries, building the bundled graph when
there is none. Each takes any store location (:func:`conflictgraph.store.store_location`): in
memory, on disk (a new generation, swapped in whole) or a remote SPARQL store
(:mod:`conflictgraph.build.remote`).

Examples
--------
>>> store, report = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
>>> report.sources >= 1 and report.inferred > 0
True
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from conflictgraph.build.folders import LoadedGraph, load_files, load_folders
from conflictgraph.build.infer import run_rules
from conflictgraph.build.matches import merge_matches
from conflictgraph.build.ontology import Ontology, load_ontology
from conflictgraph.build.remote import build_remote, open_remote, update_remote
from conflictgraph.build.validate import validate_loaded
from conflictgraph.bundled import bundled_graph_dir, bundled_hash
from conflictgraph.errors import StoreMissing, ValidationFailed
from conflictgraph.rdf.namespaces import DATASET_GRAPHS, DATASET_INFERRED_GRAPHS, GRAPH_IMPORT_LOG
from conflictgraph.settings import DEFAULT_STORE
from conflictgraph.store.base import Store
from conflictgraph.store.generations import DATABASE, StoreLocation
from conflictgraph.store.location import InMemory, Location, store_location
from conflictgraph.store.oxigraph import OxigraphStore
from conflictgraph.store.remote import Endpoint

__all__ = ["BuildReport", "build_store", "check_graph", "open_for_reading", "update_store", "DEFAULT_STORE",
           "KEPT_GRAPHS"]

# Graphs that 'build' carries over from the previous store: imported datasets and their log.
KEPT_GRAPHS = (DATASET_GRAPHS, DATASET_INFERRED_GRAPHS, GRAPH_IMPORT_LOG)

Notify = Callable[[str], None]
Derive = Callable[[Store, Path], object]  # (a new generation's store, its folder): writes files derived from it


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


def build_store(location: str | Path | Location = DEFAULT_STORE, *, graph_dirs: tuple[Path, ...] = (),
                bundled: bool = True, auto: bool = False, notify: Notify = _quiet,
                derive: Derive | None = None) -> tuple[Store, BuildReport]:
    """Build a store from the bundled graph and ``graph_dirs``; return (store, report).

    On disk the store is written to a new generation and swapped in only when complete; the
    returned store is open read-only on the new generation. ``":memory:"`` builds in memory.
    With no folder at all (``bundled=False`` and no ``graph_dirs``) the store holds the
    ontology only: a clean start for a conflict the bundled graph knows nothing about, ready
    for imports. Raises :class:`ValidationFailed` (nothing is written) when the shapes find
    violations. On disk, ``derive(store, folder)`` is called once the new generation's triples
    are final and before it is published, to write files derived from them into its folder
    (the CLI writes the network's event-tie table).

    >>> store, report = build_store(":memory:", bundled=False)
    >>> report.sources, store.query("ASK { ?s a <https://w3id.org/conflictgraph/ontology#Actor> }").boolean
    (0, False)
    """
    started = time.perf_counter()
    place = store_location(location)
    folders = ([bundled_graph_dir()] if bundled else []) + [Path(d) for d in graph_dirs]
    ontology = load_ontology()
    if folders:
        loaded = _load_and_validate(folders, ontology, notify)
    else:
        notify("no graph folder: the store holds the ontology only, ready for imports")
        loaded = LoadedGraph()
    report = BuildReport(location=str(place), sources=len(loaded.sources), files=len(loaded.files),
                         asserted=len(ontology.quads) + len(loaded.quads),
                         warnings=[f for f in loaded.findings if f.severity != "Violation"])
    if isinstance(place, Endpoint):  # a remote SPARQL store: replaced in one atomic update
        return build_remote(place, ontology, loaded, report, kept=KEPT_GRAPHS, notify=notify, started=started)
    if isinstance(place, InMemory):
        store = place.open()
        _fill(store, ontology, loaded, report, notify)
        report.seconds = time.perf_counter() - started
        return store, report
    with place.transaction(copy_current=False, notify=notify) as new:
        _fill(new.store, ontology, loaded, report, notify, previous=new.previous)
        if derive is not None:
            derive(new.store, new.folder)
        new.store.compact()
        report.seconds = time.perf_counter() - started
        new.info.update(built=_now(), bundled=bundled, bundled_hash=bundled_hash() if bundled else None,
                        graph_dirs=[str(Path(d).resolve()) for d in graph_dirs], auto=auto, sources=report.sources,
                        asserted=report.asserted, inferred=report.inferred, compacted=True)
    return OxigraphStore.open_dir(new.folder / DATABASE, read_only=True), report


def check_graph(*, graph_dirs: tuple[Path, ...] = (), files: tuple[Path, ...] = (), bundled: bool = True
                ) -> LoadedGraph:
    """Parse graph folders and single files and validate them, writing nothing; the result's
    ``findings`` lists every finding (violations included).

    >>> loaded = check_graph(graph_dirs=(MINI,), bundled=False)
    >>> [f for f in loaded.findings if f.severity == "Violation"]
    []
    """
    ontology = load_ontology()
    loaded = load_folders(([bundled_graph_dir()] if bundled else []) + [Path(d) for d in graph_dirs], ontology)
    if files:
        load_files([Path(f) for f in files], ontology, loaded)
    loaded.findings = validate_loaded(loaded, ontology)
    return loaded


def _load_and_validate(folders: list[Path], ontology: Ontology, notify: Notify) -> LoadedGraph:
    """Parse the graph folders and check them against the shapes; violations stop the build."""
    notify(f"parsing {len(folders)} graph folder(s)")
    loaded = load_folders(folders, ontology)
    notify(f"validating {len(loaded.quads)} triples against the shapes")
    loaded.findings = validate_loaded(loaded, ontology)
    violations = [f for f in loaded.findings if f.severity == "Violation"]
    if violations:
        raise ValidationFailed(violations)
    return loaded


def _fill(store: OxigraphStore, ontology: Ontology, loaded: LoadedGraph, report: BuildReport, notify: Notify,
          previous: Path | None = None) -> None:
    """Load the ontology and the curated graphs, keep the previous store's imports, apply the rules."""
    store.add_ox_quads(ontology.quads)
    store.add_ox_quads(loaded.quads)
    if previous is not None:
        notify("keeping the imported datasets of the previous store")
        _keep_imported(previous / DATABASE, store)
    merged = merge_matches(store)  # also checks the lines on a first build, when there is nothing to merge
    if merged:
        notify(f"merged {merged} node(s) of the imported datasets into the nodes they match (owl:sameAs)")
    notify("applying rules")
    report.rules = run_rules(store, ontology)
    report.inferred = sum(report.rules.values())


def _keep_imported(previous: Path, target: OxigraphStore) -> None:
    """Copy the dataset and import-log graphs of the store at ``previous`` into ``target``."""
    reader = OxigraphStore.open_dir(previous, read_only=True)
    graphs = [g for g in reader.named_graphs() if g.startswith(KEPT_GRAPHS)]
    target.copy_graphs_from(reader, graphs)
    reader.close()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@contextmanager
def update_store(location: str | Path | Location = DEFAULT_STORE, *, notify: Notify = _quiet,
                 compact: bool = True, derive: Derive | None = None) -> Iterator[Store]:
    """Change an existing store atomically: yield a writable copy, then swap it in.

    On disk the current generation is copied (hard links, cheap); the caller writes to the
    copy; when the block ends without error the rules are re-run on it and it is published as
    the new generation. An error (or a killed process) leaves the store as it was. Other
    writers wait meanwhile. ``compact=False`` publishes the copy uncompacted, marked so in its
    build.json, for a background process to compact (the right choice after loading a large
    file: see :mod:`conflictgraph.store.compaction`). ``derive`` is called as in
    :func:`build_store`, after the rules. A remote store gets the changes in one update request
    (:func:`conflictgraph.build.remote.update_remote`).

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
    place = store_location(location)
    if isinstance(place, Endpoint):  # changes staged here, then sent in one atomic update
        with update_remote(place, notify=notify) as overlay:
            yield overlay
        return
    if isinstance(place, InMemory):
        raise StoreMissing("import writes to an on-disk store; an in-memory store is gone when the "
                           "command ends (use --store PATH, after 'conflictgraph build --store PATH')")
    with place.transaction(copy_current=True, notify=notify) as new:
        yield new.store
        notify("applying rules")
        new.info["inferred"] = sum(run_rules(new.store, load_ontology()).values())
        if derive is not None:
            derive(new.store, new.folder)
        if compact:
            notify("compacting the store")
            new.store.compact()
        new.info.update(updated=_now(), compacted=compact)


def open_for_reading(location: str | Path | Location = DEFAULT_STORE, *, notify: Notify = _quiet) -> Store:
    """Open the store read-only; build the bundled graph first when there is none.

    A store that was built automatically is rebuilt when the bundled ontology or graph has
    changed (it is a cache keyed by their hash); a store someone built on purpose is kept and
    a note says it may be stale.
    """
    place = store_location(location)
    if isinstance(place, Endpoint):
        return open_remote(place)
    if isinstance(place, InMemory):
        notify("building the bundled graph in memory")
        return build_store(place)[0]
    return _open_disk(place, notify)


def _open_disk(place: StoreLocation, notify: Notify) -> Store:
    info = place.info()
    if info is None:
        notify(f"no store at {place}: building the bundled graph once (cached there for later commands)")
        return build_store(place, auto=True, notify=notify)[0]
    if info.get("bundled") and info.get("bundled_hash") != bundled_hash():
        if info.get("auto"):
            notify("the bundled graph changed since the cached store was built: rebuilding it")
            return build_store(place, auto=True, notify=notify)[0]
        notify(f"note: the bundled graph changed since {place} was built; run 'conflictgraph build' to refresh it")
    return place.open_current()
