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
new ones written. Geometry nodes are shared by the events at one point, so, like the actors and
places an import created, they are removed only once no event uses them. For ACLED an export
older than what the graph holds (an earlier ``timestamp``) does not overwrite it (*older*).
Events of the graph that the file no longer contains are kept and counted as *missing*. So
importing a file twice changes no event triple and only adds a run record.

Streaming. Rows are read one at a time and their triples, written as N-Triples text, are
bulk-loaded in chunks by a background thread while the next chunk is mapped (the engine's bulk
loader releases the GIL); memory holds two chunks plus one entry per event id of the dataset (to
tell new from updated from missing).

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
import threading
import time
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
CHUNK_ROWS = 5000  # rows per bulk load: bigger chunks load faster, smaller ones use less memory
_SHOWN = 20  # how many rejects and missing ids a report keeps for display

Progress = Callable[[int, int], None]


class WritableStore(Protocol):
    """What an import needs from a store (the Oxigraph backend provides it)."""

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None) -> QueryResult: ...

    def load_quads(self, quads: Iterable[Quad]) -> None: ...

    def load_ntriples(self, text: str, graph: str) -> None: ...

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
        """The lines the CLI prints at the end."""
        lines = [f"{self.file}: {self.rows_read} rows read = {self.imported} imported + {self.rejected} rejected",
                 f"events: {self.new} new, {self.updated} updated, {self.unchanged} unchanged"
                 + (f", {self.older} older than the graph's (kept)" if self.older else "")
                 + f", {self.missing} missing from this file (kept)",
                 f"actors: {self.rows_all_known} of {self.imported} imported rows attached to known actors only, "
                 f"{self.rows_some_known} to at least one; names: {self.names['known']} known, "
                 f"{self.names['generic']} generic, {self.names['unreconciled']} unreconciled"
                 + (" (see 'conflictgraph reconcile')" if self.names["unreconciled"] else "")]
        for row, reason in self.rejects[:10]:
            lines.append(f"  rejected row {row}: {reason}")
        if self.rejected > 10:
            lines.append(f"  ... and {self.rejected - 10} more rejected rows")
        if self.rejects_path:
            lines.append(f"rejected rows written to {self.rejects_path}")
        if self.missing_ids:
            more = f" and {self.missing - len(self.missing_ids)} more" if self.missing > len(self.missing_ids) else ""
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


_ORPHAN_GEOMETRIES = SPARQL_PREFIXES + """
SELECT DISTINCT ?geometry WHERE {
  GRAPH ?g { ?geometry geo:asWKT ?wkt . FILTER NOT EXISTS { ?x geo:hasGeometry ?geometry } }
  FILTER (STRSTARTS(STR(?geometry), "%snode/geometry-"))
}""" % ID


def _stamp(modified: str) -> str:
    """A dct:modified xsd:dateTime (UTC, 'Z') back to the sortable form acled.map_row uses."""
    return f"{int(datetime.fromisoformat(modified).timestamp()):015d}"  # ends in Z: UTC


def _content_hash(facts: list[str]) -> str:
    """A hash of an event's canonical N-Triples facts (sorted), to tell changed rows from unchanged."""
    return hashlib.sha1("\n".join(sorted(facts)).encode("utf-8")).hexdigest()


class _Loader:
    """Writes chunks to the store in a background thread, one chunk at a time, in order.

    The engine's bulk loader releases the GIL, so the next chunk is mapped while this one loads.
    An error in the thread is raised again by the next :meth:`submit` or by :meth:`close`.
    """

    def __init__(self, store: "WritableStore", graph: str, inferred_graph: str):
        self.store, self.graph, self.inferred_graph = store, graph, inferred_graph
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def submit(self, removals: list[str], text: str, inferred_text: str) -> None:
        self.wait()
        self._thread = threading.Thread(target=self._run, args=(removals, text, inferred_text), daemon=True)
        self._thread.start()

    def _run(self, removals: list[str], text: str, inferred_text: str) -> None:
        try:
            if removals:
                self.store.remove_subjects(removals, self.graph)
                self.store.remove_subjects(removals, self.inferred_graph)
            if text:
                self.store.load_ntriples(text, self.graph)
            if inferred_text:
                self.store.load_ntriples(inferred_text, self.inferred_graph)
        except BaseException as err:  # handed to the importing thread
            self._error = err

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            error, self._error = self._error, None
            raise error


_CG_SOURCE, _CG_PLACE, _CONTENT_HASH = nt_iri(CG + "source"), nt_iri(CG + "place"), nt_iri(CG + "contentHash")
_HAS_GEOMETRY, _AS_WKT, _LOCATION_PRECISION = (nt_iri(GEO + "hasGeometry"), nt_iri(GEO + "asWKT"),
                                               nt_iri(CG + "locationPrecision"))
_WKT = GEO + "wktLiteral"


class _Attacher:
    """Attaches a record's actors and place (reconciled once per distinct name or hierarchy) and
    writes the N-Triples of new actors and places the first time they are used."""

    def __init__(self, reconciler: Reconciler, spec: DatasetSpec, report: ImportReport):
        self.reconciler, self.report = reconciler, report
        self.source_fact = _CG_SOURCE + " " + nt_iri(spec.source)
        self.actors: dict[tuple[str, str, str], tuple[str, str]] = {}  # (name, kind, role) -> (fact, status)
        self.places: dict[tuple[str, ...], str | None] = {}  # place names -> fact
        self.written: set[str] = set()  # lines of new actors and places, geometry IRIs, already written

    def facts(self, record: EventRecord, new_lines: list[str]) -> list[str]:
        """The record's facts with actors, place and source attached; lines for new nodes are
        appended to ``new_lines``."""
        facts = record.facts + [self.source_fact]
        statuses = set()
        for ref in record.actors:
            key = (ref.name, ref.kind, ref.role)
            found = self.actors.get(key)
            if found is None:
                match = self.reconciler.actor(ref)
                self._write(match.triples, new_lines)
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
                    self._write(placed[1], new_lines)
                    fact = _CG_PLACE + " " + nt_iri(placed[0])
                self.places[record.place_names] = fact
            if fact is not None:
                facts.append(fact)
        return facts

    def geometry(self, record: EventRecord, lines: list[str]) -> None:
        """Write the record's geometry node (WKT point and precision note) if not yet written."""
        iri = record.geometry_iri
        if iri not in self.written:
            self.written.add(iri)
            node = nt_iri(iri)
            lines += [f"{node} {_AS_WKT} {nt_literal(record.geometry[0], _WKT)} .\n",
                      f"{node} {_LOCATION_PRECISION} {nt_lang(record.geometry[1])} .\n"]

    def _write(self, triples, lines: list[str]) -> None:
        for s, p, o in triples:
            line = f"{nt_iri(s)} {nt_iri(p)} {nt_term(o)} .\n"
            if line not in self.written:
                self.written.add(line)
                lines.append(line)


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
                  progress: Progress | None = None, chunk_rows: int = CHUNK_ROWS) -> ImportReport:
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

    Raises
    ------
    ImportFailed
        When the file as a whole cannot be read (not UTF-8, empty, columns missing).
    """
    started = time.perf_counter()
    spec = DATASETS.get(dataset) if isinstance(dataset, str) else dataset
    if spec is None:
        raise UsageError(f"unknown dataset {dataset!r}; known: {', '.join(DATASETS)}")
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
    lines: list[str] = [f"{source} {nt_iri(p)} {nt_term(o)} .\n" for p, o in metadata]
    bounds: list[str] = []  # the inferred date bounds of new and updated events
    removals: list[str] = []
    seen: dict[str, int] = {}
    attacher = _Attacher(reconciler, spec, report)
    loader = _Loader(store, graph, dataset_inferred_graph(spec.key))

    def flush() -> None:
        text, inferred_text = "".join(lines), "".join(bounds)
        lines.clear()  # the chunk's text is the only copy while it loads
        bounds.clear()
        loader.submit(list(removals), text, inferred_text)
        removals.clear()

    def all_rows() -> Iterator:
        if first is not None:
            yield first
            yield from rows

    try:
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
            facts = attacher.facts(record, lines)
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
                lines.extend(f"{subject} {fact} .\n" for fact in facts)
                lines.append(f"{subject} {_CONTENT_HASH} \"{digest}\" .\n")
                bounds.extend(f"{subject} {fact} .\n" for fact in record.bounds)
                if record.geometry:
                    attacher.geometry(record, lines)
            if count % chunk_rows == 0:
                flush()
                if progress:
                    progress(reader.bytes_read, reader.size)
        flush()
        loader.wait()
    finally:
        rejects.close()
        try:
            loader.wait()
        except BaseException:
            pass  # the first error is the one already being raised
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
    """Drop the actors, places and geometries earlier imports created that no event of the graph
    uses now."""
    actors = [str(r["actor"]) for r in store.query(_ORPHAN_ACTORS, bindings={"g": IRI(graph)})]
    store.remove_subjects(actors, graph)
    geometries = [str(r["geometry"]) for r in store.query(_ORPHAN_GEOMETRIES, bindings={"g": IRI(graph)})]
    store.remove_subjects(geometries, graph)
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
