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

Inference. The rules never read dataset graphs (see :mod:`conflictgraph.build.infer`); the one rule that
applies to events, the date bounds, is applied here: each new or updated event's
``cg:earliest``/``cg:latest`` (and start/end bounds) go to ``cgg:inferred/dataset/<key>``, and an
updated event's old bounds are removed with its old triples.

Nothing lost. A row that cannot be imported is counted as rejected with its row number and
reason (and written to the rejects CSV when one is asked for); rows read = imported + rejected.

Examples
--------
>>> import tempfile, pathlib
>>> from conflictgraph.build.pipeline import build_store
>>> store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
>>> path = pathlib.Path(tempfile.mkdtemp()) / "acled.csv"
>>> header = ("event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,assoc_actor_1,"
...           "inter1,actor2,assoc_actor_2,inter2,country,admin1,admin2,admin3,location,latitude,longitude,"
...           "geo_precision,source,fatalities")
>>> row = ("NL1,07 November 2023,2023,1,Battles,Armed clash,HDF,,2,Nordland Armed Forces,,1,"
...        "Nordland,North State,River Township,River Township,Pine Village,19.67,97.21,1,Mini Wire,3")
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
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from conflictgraph.errors import ConflictGraphError, ImportFailed, UsageError, disk_error
from conflictgraph.gcpause import gc_paused
from conflictgraph.importers import acled, ucdp
from conflictgraph.importers.common import (DCT, GEO, PROV, RDF_TYPE, DatasetSpec, EventRecord, RowRejected, nt_iri,
                                            nt_lang, nt_literal, nt_term)
from conflictgraph.importers.csvread import Row, file_sha256
from conflictgraph.importers.sheets import open_rows
from conflictgraph.importers.reconcile import Reconciler
from conflictgraph.rdf.namespaces import (CG, DATASET_GRAPHS, DATASET_INFERRED_GRAPHS, GRAPH_IMPORT_LOG, ID,
                                          SPARQL_PREFIXES)
from conflictgraph.rdf.terms import IRI, XSD, Literal, Term, lexical
from conflictgraph.render.rows import spreadsheet_safe
from conflictgraph.store.base import Store

if TYPE_CHECKING:
    from _csv import Writer  # what csv.writer() returns

__all__ = ["DATASETS", "GRAPH_IMPORT_LOG", "ImportReport", "ImportRun", "dataset_graph", "dataset_inferred_graph",
           "import_events", "notes_path_for"]

DATASETS: dict[str, DatasetSpec] = {"ucdp": ucdp.DATASET, "acled": acled.DATASET}

CHUNK_ROWS = 15000  # rows per bulk load, at least: bigger chunks load faster, smaller ones use less memory
FIRST_CHUNK_ROWS = 3000  # ... but the first is this small, and each next one twice the last (ImportRun.run)
MOST_CHUNKS = 32  # a large file is cut into about this many chunks at most (see ImportRun._chunk_size)
MAX_CHUNK_ROWS = 32000  # ... with no more rows than this per chunk (memory: two load at once; 1M rows: 1.9 GB)
PARALLEL_LOADS = 2  # chunks loading at once (each load keeps one core busy)
_SHOWN = 20  # how many rejects and missing ids a report keeps for display

Progress = Callable[[int, int], None]
Observer = Callable[[str, list[str], tuple[str, ...]], object]  # (node IRI, its facts, its date bounds)


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
    noted: int = 0  # imported rows kept as the dataset gives them, with a quality note
    notes: list[tuple[int, str]] = field(default_factory=list)
    notes_path: str | None = None
    records: str = "events"  # what the rows became: "events", or "ties" (aggregated rows of a table import)
    run: str = ""
    seconds: float = 0.0

    def summary(self) -> list[str]:
        """The lines the CLI prints at the end (counts with thousands separators: 100,000)."""
        lines = [f"{self.file}: {self.rows_read:,} rows read = {self.imported:,} imported + {self.rejected:,} rejected"
                 + (f"; {self.noted:,} imported with quality notes" if self.noted else ""),
                 f"{self.records}: {self.new:,} new, {self.updated:,} updated, {self.unchanged:,} unchanged"
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
        for row, note in self.notes[:5]:
            lines.append(f"  note on row {row}: {note}")
        if self.notes_path:
            lines.append(f"quality notes written to {self.notes_path}")
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
             FILTER NOT EXISTS { ?record cg:sideA|cg:sideB|cg:associatedWith|cg:party|cg:initiator|cg:recipient
                                 ?actor } }
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
    in memory while it loads); :meth:`take` closes it, hands its path over and starts the next.

    The file has a buffer of 1 MiB: with the default 8 KiB, the system calls cost more than
    writing the text (a few KB per event; measured: 1.3 instead of 3.7 us an event).
    """

    BUFFER = 1 << 20

    def __init__(self, folder: Path):
        self.folder, self.number = folder, 0
        self._start()

    def _start(self) -> None:
        self.number += 1
        self.path = self.folder / f"chunk-{self.number:05d}.nq"
        self._handle = open(self.path, "w", encoding="utf-8",  # noqa: SIM115 - closed by take()
                            buffering=self.BUFFER)

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

    def __init__(self, store: Store, graphs: tuple[str, str], parallel: int = PARALLEL_LOADS):
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


_CG_SOURCE, _CG_PLACE, _CONTENT_HASH = nt_iri(CG.source), nt_iri(CG.place), nt_iri(CG.contentHash)
_HAS_GEOMETRY, _AS_WKT, _LOCATION_PRECISION = (nt_iri(GEO + "hasGeometry"), nt_iri(GEO + "asWKT"),
                                               nt_iri(CG.locationPrecision))
_WKT = GEO + "wktLiteral"


class _Attacher:
    """Attaches a record's actors and place (reconciled once per distinct name or hierarchy) and
    writes the N-Quads of new actors and places the first time they are used."""

    def __init__(self, reconciler: Reconciler, spec: DatasetSpec, report: ImportReport, end: str):
        self.reconciler, self.report, self.end = reconciler, report, end  # end: " <graph> .\n"
        self.source_fact = _CG_SOURCE + " " + nt_iri(spec.source)
        self.actors: dict[tuple[str, str, str], tuple[str, str]] = {}  # (name, kind, role) -> (fact, status)
        self.places: dict[tuple[str, ...], str | None] = {}  # place names -> fact
        self.written: set[str] = set()  # lines of new actors and places, geometry nodes, already written
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

    def geometry(self, record: EventRecord, node: str, write: Callable[[str], object]) -> None:
        """Write the record's geometry node (``node``, in N-Triples: its WKT point and precision
        note) if not yet written."""
        if node not in self.written:
            self.written.add(node)
            assert record.geometry is not None  # the caller named its node
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


class _RowFile:
    """A CSV of rows with what was said of them (rejects, quality notes), opened on the first row.

    Every cell is spreadsheet-safe; a full or read-only disk is a one-line error naming the file.
    """

    def __init__(self, path: Path | None, header: Callable[[], list[str]], what: str):
        self.path, self.header, self.what = path, header, what
        self._handle: TextIO | None = None
        self._writer: Writer | None = None

    def write(self, cells: list[object]) -> None:
        if self.path is None:
            return
        try:
            if self._writer is None:
                self._handle = open(self.path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed by close()
                self._writer = csv.writer(self._handle)
                self._writer.writerow([spreadsheet_safe(str(c)) for c in self.header()])
            self._writer.writerow([spreadsheet_safe(str(c)) for c in cells])
        except OSError as err:
            raise self._failed(err) from None

    def close(self) -> None:
        if self._handle:
            try:
                self._handle.close()
            except OSError as err:
                raise self._failed(err) from None

    def _failed(self, err: OSError) -> ConflictGraphError:
        return disk_error(err, self.path) or ImportFailed(str(self.path),
                                                          f"cannot write the {self.what}: {err.strerror}")


def notes_path_for(rejects_path: Path | str | None) -> Path | None:
    """Where the quality notes go: beside the rejects file (``x.rejects.csv`` -> ``x.notes.csv``).

    >>> str(notes_path_for("out/ged.rejects.csv"))
    'out/ged.notes.csv'
    """
    if rejects_path is None:
        return None
    path = Path(rejects_path)
    stem = path.name.removesuffix(".csv").removesuffix(".rejects")
    return path.with_name(stem + ".notes.csv")


def import_events(store: Store, dataset: str | DatasetSpec, path: Path | str, *,
                  rejects_path: Path | str | None = None, version: str | None = None,
                  progress: Progress | None = None, chunk_rows: int = CHUNK_ROWS,
                  chunk_parallel: int = PARALLEL_LOADS, scratch: Path | None = None,
                  observe: Observer | None = None) -> ImportReport:
    """Import the rows of ``path`` into the dataset's graph of ``store``; return the report.

    Parameters
    ----------
    store : Store
        A writable store (the CLI passes a fresh copy of the on-disk store; see
        :func:`conflictgraph.build.pipeline.update_store`, which re-runs the rules and compacts it).
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
        Rows per bulk load (at least: a large file gets larger chunks; the first chunks are
        smaller, from :data:`FIRST_CHUNK_ROWS` doubling) and how many chunks load at once
        (memory grows with both).
    scratch : Path, optional
        The folder under which the chunk files are written (and removed); by default the
        system's temporary folder. The CLI uses the folder of the store copy being written, so a
        killed import's files go with the abandoned copy.
    observe : callable, optional
        Called as ``observe(iri, facts, bounds)`` for every event a row maps to (unchanged ones
        too) and for each node written with it (``bounds`` empty): its N-Triples facts
        (``"<predicate> object"``) in the dataset graph, and its date bounds in the dataset's
        inferred graph. The CLI keeps what the network's event-tie table needs this way.

    Raises
    ------
    ImportFailed
        When the file as a whole cannot be read (not UTF-8, empty, columns missing).
    """
    spec = DATASETS.get(dataset) if isinstance(dataset, str) else dataset
    if spec is None:
        raise UsageError(f"unknown dataset {dataset!r}; known: {', '.join(DATASETS)}")
    return ImportRun(store, spec, path, rejects_path=rejects_path, version=version, progress=progress,
                     chunk_rows=chunk_rows, chunk_parallel=chunk_parallel, scratch=scratch, observe=observe).run()


class ImportRun:
    """One import of one file into its dataset's graph (see :func:`import_events`).

    Creating it reads and checks the file's header and looks up the events the graph holds;
    :meth:`run` writes: it maps the rows a chunk at a time, hands each chunk to the loader,
    removes what no event uses any more and logs the run.
    """

    def __init__(self, store: Store, spec: DatasetSpec, path: Path | str, *, rejects_path: Path | str | None = None,
                 version: str | None = None, progress: Progress | None = None, chunk_rows: int = CHUNK_ROWS,
                 chunk_parallel: int = PARALLEL_LOADS, scratch: Path | None = None, observe: Observer | None = None):
        self.started = time.perf_counter()
        if chunk_rows < 1 or chunk_parallel < 1:
            raise ValueError(f"chunk_rows and chunk_parallel must be at least 1, not {chunk_rows}, {chunk_parallel}")
        path = Path(path)
        self.store, self.spec, self.version, self.progress = store, spec, version, progress
        self.chunk_rows, self.scratch, self.observe = chunk_rows, scratch, observe
        self.rejects_path = rejects_path
        self.graph, self.inferred_graph = dataset_graph(spec.key), dataset_inferred_graph(spec.key)
        self.end, self.inferred_end = f" {nt_iri(self.graph)} .\n", f" {nt_iri(self.inferred_graph)} .\n"
        self.reader = open_rows(path, required=spec.required, format_name=spec.title, hints=spec.other_formats,
                                delimiter=spec.delimiter)
        self._rows = iter(self.reader)
        self._first = next(self._rows, None)  # reads and checks the header before anything is written
        self.report = ImportReport(dataset=spec.key, file=path.name, sha256=file_sha256(path), records=spec.records)
        self.began = datetime.now(UTC)
        self.existing = self._existing_events()
        self.reconciler = Reconciler(store)
        self.rejects = _RowFile(Path(rejects_path) if rejects_path else None,
                                lambda: ["row", "reason", *self.reader.columns], "rejects")
        self.notes = _RowFile(notes_path_for(rejects_path), lambda: ["row", "event", "note"], "quality notes")
        self.attacher = _Attacher(self.reconciler, spec, self.report, self.end)
        self.loader = _Loader(store, (self.graph, self.inferred_graph), chunk_parallel)
        self.removals: list[str] = []  # the updated events of the chunk being mapped
        self.seen: dict[str, int] = {}  # event IRI -> the row it was read from

    def _existing_events(self) -> dict[str, tuple[str, str | None]]:
        """Event IRI -> (content hash, modified stamp) of every event the dataset graph holds."""
        existing: dict[str, tuple[str, str | None]] = {}
        for row in self.store.query(_EXISTING, bindings={"g": IRI(self.graph)}):
            modified = row["modified"]
            existing[str(row["event"])] = (lexical(row["hash"]),
                                           _stamp(lexical(modified)) if modified is not None else None)
        return existing

    def run(self) -> ImportReport:
        """Import every row of the file, drop what no event uses now, log the run; return the report."""
        self.store.remove_subjects([self.spec.source], self.graph)
        with ExitStack() as cleanup:  # on the way out, even after an error: the steps below in reverse
            cleanup.enter_context(gc_paused())
            folder = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="import-chunks-", dir=self.scratch,
                                                                       ignore_cleanup_errors=True))
            cleanup.callback(self.loader.finish)  # no chunk file is removed while it loads
            chunk = _ChunkFile(Path(folder))
            cleanup.callback(chunk.close)
            cleanup.callback(self.rejects.close)
            cleanup.callback(self.notes.close)
            self._write_source(chunk)
            rows = iter(self._all_rows())
            # The engine loads a chunk while the next is mapped: small chunks first, doubling, so
            # that it starts within a second and always has the next one ready (measured: with a
            # first chunk of 15,000 rows it waited 2.5 s for that chunk's mapping; with 3,000
            # rows and then full chunks, it waited for the second chunk's mapping instead).
            size = min(FIRST_CHUNK_ROWS, self.chunk_rows)
            while self._map_chunk(rows, chunk, size):
                self._flush(chunk)
                if self.progress:
                    self.progress(self.reader.bytes_read, self.reader.size)
                size = min(2 * size, self._chunk_size())
            self._flush(chunk)
            self.loader.wait()
        if self.progress:
            self.progress(self.reader.size, self.reader.size)
        self._finish()
        self._log_run()
        return self.report

    def _all_rows(self) -> Iterator[Row]:
        """The file's rows (the header already read)."""
        if self._first is not None:
            yield self._first
            yield from self._rows

    def _write_source(self, chunk: _ChunkFile) -> None:
        """The dataset's Source node: its metadata, and the version when given."""
        metadata = list(self.spec.metadata)
        if self.version:
            metadata.append((DCT + "hasVersion", Literal(self.version, XSD + "string")))
        source = nt_iri(self.spec.source)
        for p, o in metadata:
            chunk.write(f"{source} {nt_iri(p)} {nt_term(o)}{self.end}")

    def _map_chunk(self, rows: Iterator[Row], chunk: _ChunkFile, size: int) -> bool:
        """Map rows into ``chunk`` until ``size`` of them are imported; False when the file ends first."""
        imported = 0
        for row in rows:
            if self._map_row(row, chunk):
                imported += 1
                if imported == size:
                    return True
        return False

    def _chunk_size(self) -> int:
        """Rows of a full chunk (the first few are smaller, see :meth:`run`): ``chunk_rows``, or
        more in a file so large that it would make more than :data:`MOST_CHUNKS` chunks (its row
        count estimated from the bytes per row so far), up to :data:`MAX_CHUNK_ROWS`.

        Each chunk's load leaves the engine one more file per index to merge; with more than 36
        unmerged, the engine holds the import's last small write until its background merging
        has caught up (measured: 1,000,000 ACLED rows in 67 chunks waited 18 s at the end; in 34,
        not at all).
        """
        read, done = self.report.rows_read, self.reader.bytes_read
        if not read or not done:
            return self.chunk_rows
        rows_in_file = self.reader.size * read // done
        return max(self.chunk_rows, min(MAX_CHUNK_ROWS, -(-rows_in_file // MOST_CHUNKS)))

    def _flush(self, chunk: _ChunkFile) -> None:
        """Hand the chunk (and the removals of its updated events) to the loader; start the next."""
        self.loader.submit(list(self.removals), chunk.take())
        self.removals.clear()

    def _map_row(self, row: Row, chunk: _ChunkFile) -> bool:
        """Write one row's event (unless it is unchanged or older); False when the row is rejected."""
        self.report.rows_read += 1
        try:
            record = self._record(row)
        except RowRejected as why:
            self._reject(row, str(why))
            return False
        self.seen[record.iri] = row.number
        self.report.imported += 1
        if record.notes:
            self._note(row, record)
        facts = self.attacher.facts(record, chunk.write)
        geometry = nt_iri(record.geometry_iri) if record.geometry else None  # a hash of the point and its precision
        if geometry:
            facts.append(_HAS_GEOMETRY + " " + geometry)
        parts = [f"{nt_iri(iri)} {fact}" for iri, part in record.parts.items() for fact in part]
        digest = _content_hash(facts + parts)
        if self.observe is not None:
            self.observe(record.iri, facts, record.bounds)
            for iri, part in record.parts.items():
                self.observe(iri, part, ())
        before = self.existing.get(record.iri)
        if before is not None and before[0] == digest:
            self.report.unchanged += 1
        elif before is not None and before[1] and record.modified and record.modified < before[1]:
            self.report.older += 1
        else:
            if before is None:
                self.report.new += 1
            else:
                self.report.updated += 1
                self.removals.append(record.iri)
                self.removals.extend(record.parts)
            self._write_event(record, facts, digest, geometry, chunk)
        return True

    def _record(self, row: Row) -> EventRecord:
        """The event of a row; RowRejected when the row is malformed or repeats an event id."""
        if row.problem:
            raise RowRejected(row.problem)
        record = self.spec.map_row(row.cells)
        if record.iri in self.seen:
            raise RowRejected(f"duplicate event id {record.event_id!r} (first in row {self.seen[record.iri]})")
        return record

    def _note(self, row: Row, record: EventRecord) -> None:
        self.report.noted += 1
        for note in record.notes:
            if len(self.report.notes) < _SHOWN:
                self.report.notes.append((row.number, note))
            self.notes.write([row.number, record.event_id, note])

    def _reject(self, row: Row, reason: str) -> None:
        self.report.rejected += 1
        if len(self.report.rejects) < _SHOWN:
            self.report.rejects.append((row.number, reason))
        self.rejects.write([row.number, reason, *row.raw])

    def _write_event(self, record: EventRecord, facts: list[str], digest: str, geometry: str | None,
                     chunk: _ChunkFile) -> None:
        """The event's facts and hash, its date bounds (to the inferred graph) and the shared nodes it uses
        (``geometry``: its geometry node, in N-Triples)."""
        subject = nt_iri(record.iri)
        text = [_lines(subject, facts, self.end), f"{subject} {_CONTENT_HASH} \"{digest}\"{self.end}"]
        text += [_lines(nt_iri(iri), part, self.end) for iri, part in record.parts.items()]
        text.append(_lines(subject, record.bounds, self.inferred_end))
        chunk.write("".join(text))
        if geometry:
            self.attacher.geometry(record, geometry, chunk.write)
        if record.shared:
            self.attacher.shared(record, chunk.write)

    def _finish(self) -> None:
        """Count the events the file no longer has; drop the nodes no event uses now."""
        report = self.report
        missing = [iri for iri in self.existing if iri not in self.seen]
        report.missing = len(missing)
        report.missing_ids = [_shown_id(iri, self.spec.key) for iri in sorted(missing)[:_SHOWN]]
        report.rejects_path = str(self.rejects_path) if self.rejects_path and report.rejected else None
        report.notes_path = str(self.notes.path) if self.notes.path and report.noted else None
        report.names = self.reconciler.name_counts()
        if report.updated:  # only a changed event can leave an actor or place unused
            _remove_orphans(self.store, self.graph)
        report.seconds = time.perf_counter() - self.started

    def _log_run(self) -> None:
        """Add the run record to the import-log graph."""
        spec, report = self.spec, self.report
        stamp = self.began.strftime("%Y%m%dT%H%M%S%fZ")
        run = IRI(ID + f"node/import-{spec.key}-{stamp}-{report.sha256[:8]}")
        report.run = run
        ended = datetime.now(UTC)
        facts: list[tuple[str, Term]] = [
            (RDF_TYPE, IRI(CG.ImportRun)),
            (CG.dataset, spec.source),
            (PROV + "startedAtTime", Literal(self.began.isoformat(timespec="seconds"), XSD + "dateTime")),
            (PROV + "endedAtTime", Literal(ended.isoformat(timespec="seconds"), XSD + "dateTime")),
            (CG.fileName, Literal(report.file, XSD + "string")),
            (CG.fileHash, Literal("sha256:" + report.sha256, XSD + "string")),
            (CG.rowsRead, _integer(report.rows_read)),
            (CG.rowsImported, _integer(report.imported)),
            (CG.rowsRejected, _integer(report.rejected)),
            (CG.rowsAttached, _integer(report.rows_all_known)),
            (CG.eventsNew, _integer(report.new)),
            (CG.eventsUpdated, _integer(report.updated)),
            (CG.eventsUnchanged, _integer(report.unchanged + report.older)),
            (CG.eventsMissing, _integer(report.missing)),
        ]
        if self.version:
            facts.append((DCT + "hasVersion", Literal(self.version, XSD + "string")))
        self.store.load_quads([(run, IRI(p), o, GRAPH_IMPORT_LOG) for p, o in facts])


def _lines(subject: str, facts: Sequence[str], end: str) -> str:
    """The N-Quads lines of a subject's facts (``end``: the graph and the full stop), built in one
    join (an f-string per line cost twice as much).

    >>> _lines("<s>", ["<p> 1", "<q> 2"], " <g> .\\n")
    '<s> <p> 1 <g> .\\n<s> <q> 2 <g> .\\n'
    """
    if not facts:
        return ""
    return subject + " " + (end + subject + " ").join(facts) + end


def _remove_orphans(store: Store, graph: str) -> None:
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


def _shown_id(iri: str, key: str) -> str:
    """The dataset's id in a record's IRI (``event:ucdp-123`` -> ``123``, ``tie:edge-list-x`` -> ``x``)."""
    name = iri.rsplit("/", 1)[1]
    return name[len(key) + 1:] if name.startswith(key + "-") else name.split("-", 1)[1]


def _integer(n: int) -> Literal:
    return Literal(str(n), XSD + "integer")
