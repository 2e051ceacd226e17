"""Import one event-data file into its dataset graph: streamed, updated in place, logged.

Each dataset has one named graph, ``https://w3id.org/conflictgraph/graph/dataset/<key>``
(``ucdp-ged``, ``acled``), holding its events, the actors and places the import had to create,
and a cg:Source node for the dataset (``src:<key>``; title, publisher, licence, how to cite it,
version when given). Every run adds a record to the import-log graph
(``https://w3id.org/conflictgraph/graph/import-log``): when, which file (name and SHA-256),
the dataset version, and the counts.

Update semantics. An event's IRI comes from the dataset's own id (``event:ucdp-<id>``,
``event:acled-<event_id_cnty>``), and each event carries a hash of its triples
(``cg:contentHash``: SHA-1 of its sorted N-Triples facts, actors and place attached). A row
whose event is not in the graph is *new*; one whose triples hash the same is *unchanged* and
nothing is written; one that differs is *updated*: the event's old triples are removed and the
new ones written. Geometry nodes (shared by the events at one point) and event-type concepts
(``cg:EventType``, shared by the events of one kind; see
:func:`conflictgraph.importers.common.event_type`) are written once per import and, like the
actors and places an import created, removed only once no event uses them. For ACLED an export
older than what the graph holds (an earlier ``timestamp``) does not overwrite it (*older*).
Events of the graph that the file no longer contains are kept and counted as *missing*. So
importing a file twice changes no event triple and only adds a run record.

Streaming. Rows are read one at a time; their quads (the dataset graph's and the inferred
graph's) are written as N-Quads to a scratch file per chunk of rows, and each full chunk is
bulk-loaded by a background thread while the next is mapped. The engine's bulk loader releases
the GIL and works a call of up to a million quads (a chunk of 15,000 rows is about 300,000) on
one core, so on the on-disk store two chunks load side by side (the in-memory store of a remote
import runs them one after the other). The loader's memory, about 1 KB per quad while a chunk
loads, is what bounds the chunk size. Memory holds the chunks loading, one entry per event id of
the dataset (to tell new from updated from missing) and the actors, places and geometries
already written (and the event-type concepts); the chunk text itself stays on disk.

Inference. The rules never read dataset graphs (see :mod:`conflictgraph.infer`); the one rule that
applies to events, the date bounds, is applied here: each new or updated event's
``cg:earliest``/``cg:latest`` (and start/end bounds) go to ``cgg:inferred/dataset/<key>``, and an
updated event's old bounds are removed with its old triples.

Nothing lost. A row that cannot be imported is counted as rejected with its row number and
reason (and written to the rejects CSV when one is asked for); rows read = imported + rejected.

Examples
--------
>>> import tempfile, pathlib
>>> from conflictgraph.build import build_store
>>> store, _ = build_store(":memory:")
>>> path = pathlib.Path(tempfile.mkdtemp()) / "acled.csv"
>>> header = ("event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,assoc_actor_1,"
...           "inter1,actor2,assoc_actor_2,inter2,country,admin1,admin2,admin3,location,latitude,longitude,"
...           "geo_precision,source,fatalities")
>>> row = ("MMR1,07 November 2023,2023,1,Battles,Armed clash,KNDF,,2,Military Forces of Myanmar (2021-),,1,"
...        "Myanmar,Kayah,Loikaw,Loikaw,Loikaw,19.67,97.21,1,Irrawaddy,3")
>>> _ = path.write_text(header + "\\n" + row + "\\n", encoding="utf-8")
>>> report = import_events(store, "acled", path)
>>> (report.rows_read, report.imported, report.new, report.rows_all_known)
(1, 1, 1, 1)
>>> import_events(store, "acled", path).unchanged
1
"""
from __future__ import annotations

import csv
import hashlib
import tempfile
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping, Protocol

from conflictgraph.errors import UsageError
from conflictgraph.importers import acled, ucdp
from conflictgraph.importers.common import (DCT, GEO, PROV, RDF_TYPE, DatasetSpec, EventRecord, RowRejected,
                                            nt_iri, nt_lang, nt_literal, nt_term)
from conflictgraph.importers.csvread import CsvReader, file_sha256
from conflictgraph.importers.reconcile import Reconciler
from conflictgraph.namespaces import CG, DATASET_GRAPHS, DATASET_INFERRED_GRAPHS, GRAPHS, ID, SPARQL_PREFIXES
from conflictgraph.store.base import Quad, QueryResult
from conflictgraph.terms import IRI, XSD, Literal, Term

__all__ = ["DATASETS", "GRAPH_IMPORT_LOG", "ImportReport", "dataset_graph", "dataset_inferred_graph", "import_events",
           "WritableStore"]

DATASETS: dict[str, DatasetSpec] = {"ucdp": ucdp.DATASET, "acled": acled.DATASET}
GRAPH_IMPORT_LOG = GRAPHS + "import-log"
CHUNK_ROWS = 15000  # rows per bulk load: bigger chunks load faster, smaller ones use less memory
PARALLEL_LOADS = 2  # chunks loading at once (each load keeps one core busy)
_SHOWN = 20  # how many rejects and missing ids a report keeps for display

Progress = Callable[[int, int], None]


class WritableStore(Protocol):
    """What an import needs from a store (the Oxigraph backend provides it)."""

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None) -> QueryResult: ...

    def load_quads(self, quads: Iterable[Quad]) -> None: ...

    def load_nquads_file(self, path: Path, graphs: Iterable[str]) -> None: ...

    def remove_subjects(self, subjects: Iterable[str], graph: str) -> int: ...


def dataset_graph(key: str) -> str:
    """The named graph of a dataset.

    >>> dataset_graph("ucdp-ged")
    'https://w3id.org/conflictgraph/graph/dataset/ucdp-ged'
    """
    return DATASET_GRAPHS + key


def dataset_inferred_graph(key: str) -> str:
    """The named graph of the date bounds inferred for a dataset's events.

    >>> dataset_inferred_graph("acled")
    'https://w3id.org/conflictgraph/graph/inferred/dataset/acled'
    """
    return DATASET_INFERRED_GRAPHS + key


@dataclass
class ImportReport:
    """What an import did. ``rows_read == imported + rejected`` always holds."""

    dataset: str
    file: str
    sha256: str = ""
    rows_read: int = 0
    imported: int = 0
    rejected: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    older: int = 0
    missing: int = 0
    rows_all_known: int = 0
    rows_some_known: int = 0
    names: dict[str, int] = field(default_factory=lambda: {"known": 0, "generic": 0, "unreconciled": 0})
    rejects: list[tuple[int, str]] = field(default_factory=list)
    missing_ids: list[str] = field(default_factory=list)
    rejects_path: str | None = None
    run: str = ""
    seconds: float = 0.0

    def summary(self) -> list[str]:
        """The lines the CLI prints at the end (counts with thousands separators: 100,000)."""
        lines = [f"{self.file}: {self.rows_read:,} rows read = {self.imported:,} imported + {self.rejected:,} rejected",
                 f"events: {self.new:,} new, {self.updated:,} updated, {self.unchanged:,} unchanged"
                 + (f", {self.older:,} older than the graph's (kept)" if self.older else "")
                 + f", {self.missing:,} missing from this file (kept)",
                 f"actors: {self.rows_all_known:,} of {self.imported:,} imported rows have only known or generic "
                 f"actors, {self.rows_some_known:,} at least one known actor; names: {self.names['known']:,} known, "
                 f"{self.names['generic']:,} generic, {self.names['unreconciled']:,} unreconciled"
                 + (" (see 'conflictgraph reconcile')" if self.names["unreconciled"] else "")]
        for row, reason in self.rejects[:10]:
            lines.append(f"  rejected row {row}: {reason}")
        if self.rejected > 10:
            lines.append(f"  ... and {self.rejected - 10:,} more rejected rows")
        if self.rejects_path:
            lines.append(f"rejected rows written to {self.rejects_path}")
        if self.missing_ids:
            more = f" and {self.missing - len(self.missing_ids):,} more" if self.missing > len(self.missing_ids) else ""
            lines.append("missing from this file: " + ", ".join(self.missing_ids) + more)
        return lines


_EXISTING = SPARQL_PREFIXES + """
SELECT ?event ?hash ?modified WHERE {
  GRAPH ?g { ?event cg:contentHash ?hash OPTIONAL { ?event dct:modified ?modified } }
}"""

_ORPHAN_ACTORS = SPARQL_PREFIXES + """
SELECT DISTINCT ?actor WHERE {
  GRAPH ?g { ?actor skos:prefLabel ?label .
             FILTER NOT EXISTS { ?event cg:sideA|cg:sideB|cg:associatedWith ?actor } }
  FILTER (STRSTARTS(STR(?actor), "%sactor/dataset-"))
}""" % ID

_ORPHAN_PLACES = SPARQL_PREFIXES + """
SELECT DISTINCT ?place WHERE {
  GRAPH ?g { ?place skos:prefLabel ?label .
             FILTER NOT EXISTS { ?x cg:place|cg:locatedIn ?place } }
  FILTER (STRSTARTS(STR(?place), "%splace/dataset-"))
}""" % ID


_ORPHAN_NODES = SPARQL_PREFIXES + """
SELECT DISTINCT ?node WHERE {
  GRAPH ?g { { ?node geo:asWKT ?wkt } UNION { ?node a cg:EventType }
             FILTER NOT EXISTS { ?x geo:hasGeometry|cg:eventType ?node } }
  FILTER (STRSTARTS(STR(?node), "%snode/"))
}""" % ID


def _stamp(modified: str) -> str:
    """A dct:modified xsd:dateTime (UTC, 'Z') back to the sortable form acled.map_row uses."""
    return f"{int(datetime.fromisoformat(modified).timestamp()):015d}"  # ends in Z: UTC


def _content_hash(facts: list[str]) -> str:
    """A hash of an event's canonical N-Triples facts (sorted), to tell changed rows from unchanged."""
    return hashlib.sha1("\n".join(sorted(facts)).encode("utf-8")).hexdigest()


class _ChunkFile:
    """The N-Quads of the chunk being mapped, written to a scratch file (so no chunk's text sits
    in memory while it loads); :meth:`take` closes it, hands its path over and starts the next."""

    def __init__(self, folder: Path):
        self.folder, self.number = folder, 0
        self._start()

    def _start(self) -> None:
        self.number += 1
        self.path = self.folder / f"chunk-{self.number:05d}.nq"
        self._handle = open(self.path, "w", encoding="utf-8")

    def write(self, text: str) -> None:
        self._handle.write(text)

    def take(self) -> Path:
        self._handle.close()
        path = self.path
        self._start()
        return path

    def close(self) -> None:
        self._handle.close()


class _Loader:
    """Writes chunks to the store from background threads, at most ``parallel`` at a time.

    The engine's bulk loader releases the GIL, so chunks load while the next one is mapped.
    A chunk's removals (the old quads of its updated events) run before its load, in its own
    thread; chunks hold different events, so they need no order among themselves. An error in a
    thread is raised again by the next :meth:`submit` or by :meth:`wait`.
    """

    def __init__(self, store: "WritableStore", graphs: tuple[str, str], parallel: int = PARALLEL_LOADS):
        self.store, self.graphs, self.parallel = store, graphs, parallel
        self._running: list[threading.Thread] = []
        self._errors: list[BaseException] = []

    def submit(self, removals: list[str], chunk: Path) -> None:
        while len(self._running) >= self.parallel:
            self._join_oldest()
        self._raise()
        thread = threading.Thread(target=self._run, args=(removals, chunk), daemon=True)
        self._running.append(thread)  # listed first, so no started thread is ever unlisted
        thread.start()

    def _join_oldest(self) -> None:
        thread = self._running[0]
        if thread.ident is not None:  # started
            thread.join()
        self._running.pop(0)  # only once it is done: an interrupted join leaves it listed

    def _run(self, removals: list[str], chunk: Path) -> None:
        try:
            if removals:
                for graph in self.graphs:
                    self.store.remove_subjects(removals, graph)
            self.store.load_nquads_file(chunk, self.graphs)
            chunk.unlink()
        except BaseException as err:  # handed to the importing thread
            self._errors.append(err)

    def wait(self) -> None:
        """Wait for every chunk; raise the first error a chunk met."""
        while self._running:
            self._join_oldest()
        self._raise()

    def finish(self) -> None:
        """Wait for every chunk when the import is failing, even through Ctrl-C: a load cannot
        be stopped halfway, and its store and files must not be removed under it (the wait is
        at most one chunk's load). Errors of the chunks are dropped: one is being raised."""
        interrupted = False
        while self._running:
            try:
                self._join_oldest()
            except KeyboardInterrupt:
                interrupted = True
        self._errors.clear()
        if interrupted:
            raise KeyboardInterrupt

    def _raise(self) -> None:
        if self._errors:
            error = self._errors[0]
            self._errors.clear()
            raise error


_CG_SOURCE, _CG_PLACE, _CONTENT_HASH = nt_iri(CG + "source"), nt_iri(CG + "place"), nt_iri(CG + "contentHash")
_HAS_GEOMETRY, _AS_WKT, _LOCATION_PRECISION = (nt_iri(GEO + "hasGeometry"), nt_iri(GEO + "asWKT"),
                                               nt_iri(CG + "locationPrecision"))
_WKT = GEO + "wktLiteral"


class _Attacher:
    """Attaches a record's actors and place (reconciled once per distinct name or hierarchy) and
    writes the N-Quads of new actors and places the first time they are used."""

    def __init__(self, reconciler: Reconciler, spec: DatasetSpec, report: ImportReport, end: str):
        self.reconciler, self.report, self.end = reconciler, report, end  # end: " <graph> .\n"
        self.source_fact = _CG_SOURCE + " " + nt_iri(spec.source)
        self.actors: dict[tuple[str, str, str], tuple[str, str]] = {}  # (name, kind, role) -> (fact, status)
        self.places: dict[tuple[str, ...], str | None] = {}  # place names -> fact
        self.written: set[str] = set()  # lines of new actors and places, geometry IRIs, already written
        self.shared_written: set[tuple[str, ...]] = set()  # shared nodes (event types) already written

    def facts(self, record: EventRecord, write: Callable[[str], object]) -> list[str]:
        """The record's facts with actors, place and source attached; the lines of new nodes are
        passed to ``write``."""
        facts = record.facts + [self.source_fact]
        statuses = set()
        for ref in record.actors:
            key = (ref.name, ref.kind, ref.role)
            found = self.actors.get(key)
            if found is None:
                match = self.reconciler.actor(ref)
                self._write(match.triples, write)
                found = self.actors[key] = (nt_iri(ref.role) + " " + nt_iri(match.iri), match.status)
            facts.append(found[0])
            statuses.add(found[1])
        if statuses:
            if statuses <= {"known", "generic"}:
                self.report.rows_all_known += 1
            if "known" in statuses:
                self.report.rows_some_known += 1
        if record.place_names:
            fact = self.places.get(record.place_names, "")
            if fact == "":
                placed = self.reconciler.place(record.places)
                fact = None
                if placed is not None:
                    self._write(placed[1], write)
                    fact = _CG_PLACE + " " + nt_iri(placed[0])
                self.places[record.place_names] = fact
            if fact is not None:
                facts.append(fact)
        return facts

    def geometry(self, record: EventRecord, write: Callable[[str], object]) -> None:
        """Write the record's geometry node (WKT point and precision note) if not yet written."""
        iri = record.geometry_iri
        if iri not in self.written:
            self.written.add(iri)
            node = nt_iri(iri)
            write(f"{node} {_AS_WKT} {nt_literal(record.geometry[0], _WKT)}{self.end}"
                  f"{node} {_LOCATION_PRECISION} {nt_lang(record.geometry[1])}{self.end}")

    def shared(self, record: EventRecord, write: Callable[[str], object]) -> None:
        """Write the node the record shares with other events (its event type) if not yet written."""
        if record.shared not in self.shared_written:
            self.shared_written.add(record.shared)
            write("".join([line + self.end for line in record.shared]))

    def _write(self, triples, write: Callable[[str], object]) -> None:
        for s, p, o in triples:
            line = f"{nt_iri(s)} {nt_iri(p)} {nt_term(o)}{self.end}"
            if line not in self.written:
                self.written.add(line)
                write(line)


class _Rejects:
    """The rejects CSV, opened on the first rejected row."""

    def __init__(self, path: Path | None, columns: Callable[[], list[str]]):
        self.path, self.columns, self._handle, self._writer = path, columns, None, None

    def write(self, row: int, reason: str, raw: list[str]) -> None:
        if self.path is None:
            return
        if self._writer is None:
            self._handle = open(self.path, "w", encoding="utf-8", newline="")
            self._writer = csv.writer(self._handle)
            self._writer.writerow(["row", "reason", *self.columns()])
        self._writer.writerow([row, reason, *raw])

    def close(self) -> None:
        if self._handle:
            self._handle.close()


def import_events(store: WritableStore, dataset: str | DatasetSpec, path: Path | str, *,
                  rejects_path: Path | str | None = None, version: str | None = None,
                  progress: Progress | None = None, chunk_rows: int = CHUNK_ROWS,
                  chunk_parallel: int = PARALLEL_LOADS, scratch: Path | None = None) -> ImportReport:
    """Import the rows of ``path`` into the dataset's graph of ``store``; return the report.

    Parameters
    ----------
    store : WritableStore
        A writable store (the CLI passes a fresh copy of the on-disk store; see
        :func:`conflictgraph.build.update_store`, which re-runs the rules and compacts it).
        The events' date bounds are written here.
    dataset : {"ucdp", "acled"} or DatasetSpec
        The file's format.
    path : Path
        The CSV file (UTF-8, with or without BOM).
    rejects_path : Path, optional
        Where to write rejected rows (row number, reason, the row's cells); only written when
        a row is rejected.
    version : str, optional
        The dataset version (e.g. "23.1"), recorded on the dataset source and the run.
    progress : callable, optional
        Called as ``progress(bytes_read, total_bytes)`` while reading.
    chunk_rows, chunk_parallel : int, optional
        Rows per bulk load and how many chunks load at once (memory grows with both).
    scratch : Path, optional
        The folder under which the chunk files are written (and removed); by default the
        system's temporary folder. The CLI uses the folder of the store copy being written, so a
        killed import's files go with the abandoned copy.

    Raises
    ------
    ImportFailed
        When the file as a whole cannot be read (not UTF-8, empty, columns missing).
    """
    started = time.perf_counter()
    spec = DATASETS.get(dataset) if isinstance(dataset, str) else dataset
    if spec is None:
        raise UsageError(f"unknown dataset {dataset!r}; known: {', '.join(DATASETS)}")
    if chunk_rows < 1 or chunk_parallel < 1:
        raise ValueError(f"chunk_rows and chunk_parallel must be at least 1, not {chunk_rows}, {chunk_parallel}")
    path = Path(path)
    graph = dataset_graph(spec.key)
    reader = CsvReader(path, required=spec.required, format_name=spec.title, hints=spec.other_formats)
    rows = iter(reader)
    first = next(rows, None)  # reads and checks the header before anything is written
    report = ImportReport(dataset=spec.key, file=path.name, sha256=file_sha256(path))
    began = datetime.now(timezone.utc)

    existing: dict[str, tuple[str, str | None]] = {}
    for row in store.query(_EXISTING, bindings={"g": IRI(graph)}):
        modified = row["modified"]
        existing[str(row["event"])] = (row["hash"].value, _stamp(modified.value) if modified is not None else None)
    reconciler = Reconciler(store)
    rejects = _Rejects(Path(rejects_path) if rejects_path else None, lambda: reader.columns)

    store.remove_subjects([spec.source], graph)
    metadata = list(spec.metadata) + ([(DCT + "hasVersion", Literal(version, XSD + "string"))] if version else [])
    source = nt_iri(spec.source)
    inferred_graph = dataset_inferred_graph(spec.key)
    end, inferred_end = f" {nt_iri(graph)} .\n", f" {nt_iri(inferred_graph)} .\n"  # N-Quads line ends
    removals: list[str] = []
    seen: dict[str, int] = {}
    attacher = _Attacher(reconciler, spec, report, end)
    loader = _Loader(store, (graph, inferred_graph), chunk_parallel)

    def all_rows() -> Iterator:
        if first is not None:
            yield first
            yield from rows

    with ExitStack() as cleanup:  # on the way out, even after an error: the steps below in reverse
        folder = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="import-chunks-", dir=scratch,
                                                                   ignore_cleanup_errors=True))
        cleanup.callback(loader.finish)  # no chunk file is removed while it loads
        chunk = _ChunkFile(Path(folder))
        cleanup.callback(chunk.close)
        cleanup.callback(rejects.close)
        write = chunk.write

        def flush() -> None:
            loader.submit(list(removals), chunk.take())
            removals.clear()

        for p, o in metadata:
            write(f"{source} {nt_iri(p)} {nt_term(o)}{end}")
        for count, row in enumerate(all_rows(), start=1):
            report.rows_read += 1
            try:
                if row.problem:
                    raise RowRejected(row.problem)
                record = spec.map_row(row.cells)
                if record.iri in seen:
                    raise RowRejected(f"duplicate event id {record.event_id!r} (first in row {seen[record.iri]})")
            except RowRejected as why:
                report.rejected += 1
                if len(report.rejects) < _SHOWN:
                    report.rejects.append((row.number, str(why)))
                rejects.write(row.number, str(why), row.raw)
                continue
            seen[record.iri] = row.number
            report.imported += 1
            facts = attacher.facts(record, write)
            if record.geometry:  # the shared geometry node's IRI is a hash of the point and its precision
                facts.append(_HAS_GEOMETRY + " " + nt_iri(record.geometry_iri))
            digest = _content_hash(facts)
            before = existing.get(record.iri)
            if before is not None and before[0] == digest:
                report.unchanged += 1
            elif before is not None and before[1] and record.modified and record.modified < before[1]:
                report.older += 1
            else:
                if before is None:
                    report.new += 1
                else:
                    report.updated += 1
                    removals.append(record.iri)
                subject = nt_iri(record.iri)
                write("".join([f"{subject} {fact}{end}" for fact in facts]))
                write(f"{subject} {_CONTENT_HASH} \"{digest}\"{end}")
                write("".join([f"{subject} {fact}{inferred_end}" for fact in record.bounds]))
                if record.geometry:
                    attacher.geometry(record, write)
                if record.shared:
                    attacher.shared(record, write)
            if count % chunk_rows == 0:
                flush()
                if progress:
                    progress(reader.bytes_read, reader.size)
        flush()
        loader.wait()
    if progress:
        progress(reader.size, reader.size)

    missing = [iri for iri in existing if iri not in seen]
    report.missing = len(missing)
    report.missing_ids = [iri.rsplit("/", 1)[1].split("-", 1)[1] for iri in sorted(missing)[:_SHOWN]]
    report.rejects_path = str(rejects_path) if rejects_path and report.rejected else None
    report.names = reconciler.name_counts()
    if report.updated:  # only a changed event can leave an actor or place unused
        _remove_orphans(store, graph)
    report.seconds = time.perf_counter() - started
    _log_run(store, spec, report, version, began)
    return report


def _remove_orphans(store: WritableStore, graph: str) -> None:
    """Drop the actors, places, geometries and event types earlier imports created that no event of the graph
    uses now."""
    actors = [str(r["actor"]) for r in store.query(_ORPHAN_ACTORS, bindings={"g": IRI(graph)})]
    store.remove_subjects(actors, graph)
    nodes = [str(r["node"]) for r in store.query(_ORPHAN_NODES, bindings={"g": IRI(graph)})]
    store.remove_subjects(nodes, graph)
    for _ in range(6):  # places nest: a parent is an orphan once its children are gone
        places = [str(r["place"]) for r in store.query(_ORPHAN_PLACES, bindings={"g": IRI(graph)})]
        if not places:
            break
        store.remove_subjects(places, graph)


def _log_run(store: WritableStore, spec: DatasetSpec, report: ImportReport, version: str | None,
             began: datetime) -> None:
    """Add the run record to the import-log graph."""
    stamp = began.strftime("%Y%m%dT%H%M%S%fZ")
    run = IRI(ID + f"node/import-{spec.key}-{stamp}-{report.sha256[:8]}")
    report.run = run
    ended = datetime.now(timezone.utc)

    def count(n: int) -> Literal:
        return Literal(str(n), XSD + "integer")

    facts: list[tuple[str, Term]] = [
        (RDF_TYPE, IRI(CG + "ImportRun")),
        (CG + "dataset", spec.source),
        (PROV + "startedAtTime", Literal(began.isoformat(timespec="seconds"), XSD + "dateTime")),
        (PROV + "endedAtTime", Literal(ended.isoformat(timespec="seconds"), XSD + "dateTime")),
        (CG + "fileName", Literal(report.file, XSD + "string")),
        (CG + "fileHash", Literal("sha256:" + report.sha256, XSD + "string")),
        (CG + "rowsRead", count(report.rows_read)),
        (CG + "rowsImported", count(report.imported)),
        (CG + "rowsRejected", count(report.rejected)),
        (CG + "rowsAttached", count(report.rows_all_known)),
        (CG + "eventsNew", count(report.new)),
        (CG + "eventsUpdated", count(report.updated)),
        (CG + "eventsUnchanged", count(report.unchanged + report.older)),
        (CG + "eventsMissing", count(report.missing)),
    ]
    if version:
        facts.append((DCT + "hasVersion", Literal(version, XSD + "string")))
    store.load_quads([(run, IRI(p), o, GRAPH_IMPORT_LOG) for p, o in facts])
