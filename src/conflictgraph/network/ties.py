"""The event-tie table: who fought whom, and alongside whom, at each imported event, as columns.

The ``fought`` and ``fought-alongside`` relations of ``ontology/projection.toml``
(``projection/fought.rq`` and ``projection/fought-alongside.rq``) make one query row per
(event, pair of actors), and projecting them row by row costs most of a projection on a store
of imported events (100,000 ACLED events: 22 s). This module derives the same rows once per
store generation, as numpy columns (:func:`conflictgraph.network.projection.project` folds
them for those two relations with :mod:`conflictgraph.network.tie_edges`):

- :func:`extract_ties` reads a store into a :class:`TieTable`: one row per (event, pair of
  actors it ties, relation), sorted by (a, b, relation, event), plus per-event columns (date
  bounds, fatalities low/best/high, dataset, source, and the ``cg:earliest`` / ``cg:latest``
  a timeline reads). Pairs follow the queries: an actor of
  side A (``cg:sideA`` or ``cg:associatedWith``) and one of side B (``cg:sideB``) *fought*;
  two actors of one side *fought alongside*; an actor is never paired with itself; a
  symmetric pair is stored once, smaller IRI first. One grouped SPARQL query per dataset
  (100,000 events: 6.8 s on disk, 7.0 s through a local SPARQL endpoint).
- :meth:`TieTable.save` / :meth:`TieTable.load`: a ``.npz`` file of plain arrays (no pickle;
  strings as sorted vocabularies, so comparing codes compares the strings); 12 MB and 0.02 s
  for 100,000 events.
- :func:`write_table`: ``build`` and ``import`` write the table of the generation they are
  making into its folder (``<generation>/ties.npz``) before they publish it, so it is never
  stale and never half-written. An import hands over the facts it wrote
  (:class:`ImportedTies`), so only the other datasets are read back from the store.
- :func:`kept_table`: a network command reads the kept file; a generation without one (made
  by older code, or an automatic build) gets it extracted once and kept; a remote store's is
  kept in this machine's cache per store version (:func:`remote_table_path`); an in-memory
  store's is extracted per call.
- :mod:`conflictgraph.network.tie_edges` folds the rows into the projection's edges (kept
  apart: a kept file is read only by the code that extracted it, and this module's text is that
  code's version, see :func:`table_key`).

Which events go in the table. Only *plain dataset events*: events whose side triples are all
in one dataset graph (``<graph/dataset/NAME>``), typed there (and nowhere else) as a
``cg:Event``, with dates as full days (in its inferred graph, as an import writes them), at
most one ``cg:source`` IRI, fatalities in the dataset graph, and nothing that makes the
projection or a timeline treat them specially: no statement attests them (``cg:attestedBy``),
no status or claim is about them, no participation node names them (``cg:event``, which adds
tie nodes to a ``fought-alongside`` row), no other graph names them. Every other event with
sides (the curated ones: the bundled graph has 32 curated events, 28 of them with sides) is
listed in :attr:`TieTable.residual` and the projection runs the two relations' queries for
those events only. Each query row has exactly one event, so the split is exact whatever it
puts where. The interactions and interaction tallies of a table import
(:mod:`conflictgraph.importers.table`) have no sides, so they are in neither: their relations
(``cooperated-with``, ``acted-against``, ``interacted-with``, and ``cooperates-with`` /
``hostile-to`` for signed tallies) run as queries. :attr:`TieTable.other_events` lists every
event typed in a dataset graph that is not plain (with sides or without), for a timeline.

The table is an index derived from the store, never a second source of truth: it can be
rebuilt from the store at any time, and a kept file whose format or queries differ from this
code's is extracted again.

Examples
--------
>>> from conflictgraph.build.pipeline import build_store
>>> from conflictgraph.importers.dataset import import_events
>>> store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
>>> _ = import_events(store, "acled", MINI.parent / "acled" / "acled.csv")
>>> table = extract_ties(store)
>>> len(table) > 0, table.kinds.strings
(True, ['acled'])
>>> sorted(set(table.relation.tolist())) == [FOUGHT, FOUGHT_ALONGSIDE]
True
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import zipfile
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from conflictgraph.importers.common import parse_nt_term
from conflictgraph.gcpause import gc_paused
from conflictgraph.network.spec import Relation, load_projection
from conflictgraph.query.resolve import event_classes
from conflictgraph.query.timeline import KnownEvents
from conflictgraph.rdf.namespaces import CG, DATASET_GRAPHS, DATASET_INFERRED_GRAPHS, ID, RDF_TYPE, SPARQL_PREFIXES
from conflictgraph.rdf.sparql_text import iri_ref
from conflictgraph.settings import cache_dir
from conflictgraph.store.base import Store, select_values
from conflictgraph.store.remote import RemoteStore
from conflictgraph.store.generations import BUILD_INFO

__all__ = ["RELATIONS", "FOUGHT", "FOUGHT_ALONGSIDE", "NO_START", "NO_END", "NO_COUNT", "TABLE_FILE", "Vocabulary",
           "TieTable", "ImportedTies", "event_relations", "extract_ties", "write_table", "kept_table",
           "remote_table_path", "cache_remote_table", "table_key", "days", "iso_days", "known_events", "table_if_kept"]

RELATIONS = ("fought", "fought-alongside")  # the relation codes 0 and 1 of TieTable.relation
FOUGHT, FOUGHT_ALONGSIDE = 0, 1
NO_START = np.int32(np.iinfo(np.int32).min)  # an open start: before every day
NO_END = np.int32(np.iinfo(np.int32).max)  # an open end: after every day
NO_COUNT = np.int32(-1)  # no fatality count of that kind
FORMAT = 2  # of the saved file; a file of another format is not read
TABLE_FILE = "ties.npz"  # in a published generation folder

_SIDE_A, _ASSOCIATED, _SIDE_B = 0, 1, 2  # cg:sideA, cg:associatedWith (side A's group), cg:sideB
_BOUNDS = ("startEarliest", "endLatest", "earliest", "latest")  # the date bounds the projection reads
_FATALITIES = ("Low", "Best", "High")
_EPOCH = np.datetime64("1970-01-01", "D")


# Vocabularies ------------------------------------------------------------------------------

class Vocabulary:
    """Distinct strings in code-point order; a string's code is its position.

    Codes compare as the strings do (the projection orders a symmetric pair by ``str <``), so
    sorting codes sorts the strings. Kept as one UTF-8 blob of newline-separated strings, decoded
    on first use (an IRI never holds a newline).

    Parameters
    ----------
    strings : iterable of str
        The strings (duplicates are dropped, the rest sorted).

    Examples
    --------
    >>> words = Vocabulary(["b", "a", "b"])
    >>> words.strings, words.encode(["b", "a"]).tolist(), len(words)
    (['a', 'b'], [1, 0], 2)
    """

    def __init__(self, strings: Iterable[str] = ()):
        self._strings: list[str] | None = sorted(set(strings))
        if any("\n" in s for s in self._strings):
            raise ValueError("a vocabulary string holds a newline")
        self._blob: np.ndarray | None = None
        self._index: dict[str, int] | None = None
        self._objects: np.ndarray | None = None

    @classmethod
    def from_sorted(cls, strings: list[str]) -> Vocabulary:
        """The vocabulary of ``strings``, distinct and in code-point order already (not checked)."""
        vocabulary = cls()
        vocabulary._strings = strings
        return vocabulary

    @classmethod
    def from_blob(cls, blob: np.ndarray) -> Vocabulary:
        """The vocabulary saved as :meth:`to_blob` (decoded lazily)."""
        vocabulary = cls()
        vocabulary._strings, vocabulary._blob = None, blob
        return vocabulary

    def to_blob(self) -> np.ndarray:
        """The strings as one uint8 array (UTF-8, newline-separated), for ``np.savez``."""
        if self._blob is None:
            self._blob = np.frombuffer("\n".join(self.strings).encode("utf-8"), dtype=np.uint8)
        return self._blob

    @property
    def strings(self) -> list[str]:
        """The strings, in code order."""
        if self._strings is None:
            data = self._blob.tobytes().decode("utf-8") if self._blob is not None else ""
            self._strings = data.split("\n") if data else []
        return self._strings

    @property
    def objects(self) -> np.ndarray:
        """The strings as a numpy object array, to turn many codes into strings at once."""
        if self._objects is None:
            self._objects = np.array(self.strings, dtype=object)
        return self._objects

    def index(self) -> dict[str, int]:
        """string -> code."""
        if self._index is None:
            self._index = {s: i for i, s in enumerate(self.strings)}
        return self._index

    def encode(self, values: Iterable[str]) -> np.ndarray:
        """The codes of ``values`` (each must be in the vocabulary)."""
        index = self.index()
        return np.fromiter((index[v] for v in values), dtype=np.int32)

    def mask(self, values: Iterable[str]) -> np.ndarray:
        """A boolean array over the codes: True for the strings in ``values``."""
        index = self.index()
        out = np.zeros(len(self), dtype=bool)
        out[[index[v] for v in values if v in index]] = True
        return out

    def __len__(self) -> int:
        return len(self.strings)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Vocabulary) and self.strings == other.strings


# The table ---------------------------------------------------------------------------------

def days(values: Sequence[str]) -> np.ndarray:
    """ISO days (``YYYY-MM-DD``) as int32 days since 1970-01-01.

    >>> days(["1970-01-02", "2023-11-07"]).tolist()
    [1, 19668]
    """
    return (np.array(values, dtype="datetime64[D]") - _EPOCH).astype(np.int32)


def sorted_distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values of an integer column, sorted: ``np.unique`` done by sorting.

    numpy 2.4's ``np.unique`` without ``return_*`` counts through a hash table that is 50 times
    slower than a sort on millions of integers (2,900,000 pair keys: 3.2 s against 0.05 s).

    >>> sorted_distinct(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    ordered = np.sort(values, kind="stable")
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def iso_days(values: np.ndarray) -> list[str | None]:
    """int32 days back to ISO text; the open sentinels become None.

    >>> iso_days(np.array([19668, NO_START, NO_END], dtype=np.int32))
    ['2023-11-07', None, None]
    """
    distinct, inverse = np.unique(np.asarray(values), return_inverse=True)  # few days, many values
    open_ = (distinct == NO_START) | (distinct == NO_END)
    text = np.datetime_as_string(_EPOCH + np.where(open_, 0, distinct).astype("timedelta64[D]"), unit="D")
    named = np.array([None if o else t for o, t in zip(open_.tolist(), text.tolist())], dtype=object)
    return named[inverse.reshape(-1)].tolist()


@dataclass
class TieTable:
    """The event ties of a store as numpy columns (see the module docstring).

    Row columns (one row per event, pair and relation; sorted by ``a, b, relation, event``,
    no duplicate rows): ``a``, ``b`` (codes in :attr:`actors`, ``a < b``), ``relation`` (0
    ``fought``, 1 ``fought-alongside``), ``event`` (code in :attr:`events`).

    Event columns (indexed by event code): ``event_start`` / ``event_end`` (int32 days since
    1970-01-01 as the projection bounds the event: ``cg:startEarliest`` else ``cg:earliest``, and
    ``cg:endLatest`` else ``cg:latest`` when there is no start bound; :data:`NO_START` /
    :data:`NO_END` when open), ``event_low`` / ``event_best`` / ``event_high`` (fatalities,
    :data:`NO_COUNT` when not given), ``event_kind`` (code in :attr:`kinds`, the dataset names)
    and ``event_source`` (code in :attr:`sources`: the event's ``cg:source``, else the dataset's
    Source node), and ``event_earliest`` / ``event_latest`` (the smallest ``cg:earliest`` and
    the largest ``cg:latest``, as days; :data:`NO_START` / :data:`NO_END` when it has none: what
    :func:`conflictgraph.query.timeline.timeline_rows` reads).

    :attr:`residual` lists the events with sides that are not in the table (curated ones,
    or imported ones a statement, status, claim or participation names): they stay on the
    SPARQL path. :attr:`other_events` lists the events typed in a dataset graph that are not
    in the table (those, and the ones without sides): with the events typed in the other
    graphs, they are every event the table does not hold.
    """

    actors: Vocabulary
    events: Vocabulary
    kinds: Vocabulary
    sources: Vocabulary
    a: np.ndarray
    b: np.ndarray
    relation: np.ndarray
    event: np.ndarray
    event_start: np.ndarray
    event_end: np.ndarray
    event_low: np.ndarray
    event_best: np.ndarray
    event_high: np.ndarray
    event_kind: np.ndarray
    event_source: np.ndarray
    event_earliest: np.ndarray
    event_latest: np.ndarray
    residual: list[str] = field(default_factory=list)
    other_events: list[str] = field(default_factory=list)

    _ROW = ("a", "b", "relation", "event")
    _EVENT = ("event_start", "event_end", "event_low", "event_best", "event_high", "event_kind", "event_source",
              "event_earliest", "event_latest")
    _VOCABULARIES = ("actors", "events", "kinds", "sources")

    def __len__(self) -> int:
        return len(self.a)

    def event_dates(self, iris: Iterable[str]) -> dict[str, tuple[str, str]]:
        """(date text, dataset name) of each of ``iris`` that the table holds: the day, or
        ``start..end`` for an event known to a period (as
        :func:`conflictgraph.viz.provenance.event_details` writes dates), without asking the store.

        >>> table = TieTable.from_events([{"event": "e1", "kind": "acled", "sideA": ["x"], "sideB": ["y"],
        ...                                "start": "2023-01-05", "end": "2023-01-11"}])
        >>> table.event_dates(["e1", "other"])
        {'e1': ('2023-01-05..2023-01-11', 'acled')}
        """
        index = self.events.index()
        wanted = [iri for iri in iris if iri in index]
        if not wanted:
            return {}
        codes = self.events.encode(wanted)
        starts, ends = iso_days(self.event_start[codes]), iso_days(self.event_end[codes])
        kinds = self.kinds.objects[self.event_kind[codes]].tolist()
        return {iri: ((start or "") if start == end or not end else f"{start or ''}..{end}", kind)
                for iri, start, end, kind in zip(wanted, starts, ends, kinds)}

    def fatalities(self) -> np.ndarray:
        """Per event, the count the projection sums: best, else low, else high (:data:`NO_COUNT`)."""
        return np.where(self.event_best >= 0, self.event_best,
                        np.where(self.event_low >= 0, self.event_low, self.event_high))

    def known_events(self) -> KnownEvents:
        """The table's events as a timeline counts them (:func:`conflictgraph.query.timeline.timeline_rows`):
        their bounds, fatalities (best, else low) and the dataset events the table does not hold.
        They count as imported events: only an import writes a dataset's graph, and it gives
        every event its ``cg:contentHash``.

        >>> table = TieTable.from_events([{"event": "e1", "kind": "acled", "sideA": ["x"], "sideB": ["y"],
        ...                                "earliest": "2023-01-05", "latest": "2023-01-11", "low": 2}])
        >>> known = table.known_events()
        >>> known.earliest.tolist(), known.dated.tolist(), known.fatalities.tolist()
        ([19362], [True], [2])
        """
        dated = (self.event_earliest != NO_START) & (self.event_latest != NO_END)
        return KnownEvents(iris=self.events.objects, earliest=self.event_earliest, latest=self.event_latest,
                           dated=dated, fatalities=np.where(self.event_best >= 0, self.event_best, self.event_low),
                           others=self.other_events)

    def save(self, path: str | Path, *, key: str = "") -> None:
        """Write the table to ``path`` (a ``.npz`` of plain arrays), atomically, with ``key``
        (what :meth:`load` must be asked for to read it back).

        The file is written beside ``path`` and renamed over it, so a reader sees the old file
        or the new one, never half of one; on any error no file is left but the old one.

        >>> import tempfile
        >>> table = TieTable.from_events([{"event": "e1", "kind": "acled", "sideA": ["x"], "sideB": ["y"]}])
        >>> path = Path(tempfile.mkdtemp()) / "ties.npz"
        >>> table.save(path)
        >>> TieTable.load(path) == table
        True
        """
        path = Path(path)
        arrays = {name: getattr(self, name) for name in (*self._ROW, *self._EVENT)}
        arrays.update({f"vocabulary_{name}": getattr(self, name).to_blob() for name in self._VOCABULARIES})
        meta = {"format": FORMAT, "relations": list(RELATIONS), "key": key, "residual": self.residual,
                "other_events": self.other_events}
        arrays["meta"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
        scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            with open(scratch, "wb") as handle:
                np.savez(handle, **arrays)
                handle.flush()
                os.fsync(handle.fileno())  # on disk before it is named: a crash leaves the old file or this one
            os.replace(scratch, path)
        finally:
            scratch.unlink(missing_ok=True)

    @classmethod
    def load(cls, path: str | Path, *, key: str = "") -> TieTable:
        """Read a table :meth:`save` wrote with ``key`` (never unpickles anything).

        Raises ValueError for a file of another format or key (extract it again).
        """
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(data["meta"].tobytes().decode("utf-8"))
            if meta.get("format") != FORMAT or meta.get("relations") != list(RELATIONS):
                raise ValueError(f"{path}: a tie table of another format ({meta.get('format')!r})")
            if meta.get("key") != key:
                raise ValueError(f"{path}: a tie table made by other code or for other queries")
            columns: dict[str, Any] = {name: data[name] for name in (*cls._ROW, *cls._EVENT)}
            columns.update({name: Vocabulary.from_blob(data[f"vocabulary_{name}"]) for name in cls._VOCABULARIES})
        return cls(**columns, residual=list(meta["residual"]), other_events=list(meta["other_events"]))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TieTable):
            return NotImplemented
        return (all(getattr(self, n) == getattr(other, n) for n in self._VOCABULARIES)
                and all(np.array_equal(getattr(self, n), getattr(other, n)) for n in (*self._ROW, *self._EVENT))
                and self.residual == other.residual and self.other_events == other.other_events)

    @classmethod
    def from_events(cls, events: Iterable[Mapping[str, Any]]) -> TieTable:
        """A table from plain event records (for tests and examples).

        Each record has ``event`` (IRI), ``kind`` (dataset name) and optionally ``sideA``,
        ``associatedWith``, ``sideB`` (lists of actor IRIs), ``start`` / ``end`` and ``earliest``
        / ``latest`` (ISO days or None), ``low`` / ``best`` / ``high`` (ints) and ``source`` (IRI).

        >>> table = TieTable.from_events([{"event": "e1", "kind": "acled", "sideA": ["x"],
        ...                                "associatedWith": ["z"], "sideB": ["y"], "best": 3}])
        >>> [(table.actors.strings[a], table.actors.strings[b], RELATIONS[r])
        ...  for a, b, r in zip(table.a, table.b, table.relation)]
        [('x', 'y', 'fought'), ('x', 'z', 'fought-alongside'), ('y', 'z', 'fought')]
        """
        raw = _Raw()
        for record in events:
            codes = [f"t<{CG.Event}"]  # typed as an event in its dataset's graph
            for name, prefix in _RECORD_CODES.items():  # the grouped query's codes of the record's facts
                if name in ("sideA", "associatedWith", "sideB"):
                    codes += [prefix + actor for actor in record.get(name, ())]
                elif record.get(name) is not None:
                    codes.append(prefix + str(record[name]))
            _read_grouped([(record["event"], codes)], DATASET_GRAPHS + record["kind"], raw)
        return _table_from(raw, {CG.Event}, set())


# Extraction --------------------------------------------------------------------------------

class _Raw:
    """What extraction reads from a store, before it becomes columns: each subject read gets a
    number in :attr:`nodes`, each actor in :attr:`actors`, each distinct value text in
    :attr:`values`, and the facts are flat arrays of those numbers (a dict, set or string per
    fact would cost more than reading the store: 1,000,000 events make 7 million facts)."""

    def __init__(self) -> None:
        self.nodes: list[str] = []  # number -> IRI
        self.number: dict[str, int] = {}  # IRI -> number
        self.graphs: list[str] = []  # dataset graphs, in the order read
        self.sides_in = array("i")  # per node: the dataset graph of its IRI sides; -1 none, -2 several
        self.flags = bytearray()  # per node: SIDED | ODD (see _read_grouped)
        self.actors: dict[str, int] = {}  # actor IRI -> number
        self.values: dict[str, int] = {}  # a date, count or source text -> number
        self.side_node, self.side_actor, self.side_code = array("i"), array("i"), array("b")
        self.bound_node, self.bound_which, self.bound_value = array("i"), array("b"), array("i")
        self.count_node, self.count_which, self.count_value = array("i"), array("b"), array("i")
        self.source_node, self.source_value = array("i"), array("i")
        self.type_node, self.type_graph, self.type_value = array("i"), array("i"), array("i")  # rdf:type in a dataset
        self.other_sides: set[str] = set()  # events with sides in other graphs (or odd ones)
        self.special: set[str] = set()  # attested, with a status or claim, in a participation

    def node(self, iri: str) -> int:
        """The number of ``iri`` (a new one the first time)."""
        found = self.number.get(iri)
        if found is None:
            found = self.number[iri] = len(self.nodes)
            self.nodes.append(iri)
            self.sides_in.append(-1)
            self.flags.append(0)
        return found

    def graph(self, iri: str) -> int:
        if iri not in self.graphs:
            self.graphs.append(iri)
        return self.graphs.index(iri)


_SPECIAL = SPARQL_PREFIXES + """
SELECT DISTINCT ?n WHERE {
  { ?n cg:attestedBy ?s } UNION { ?n cg:status ?x } UNION { ?c cg:about ?n } UNION { ?t cg:event ?n }
}"""


def _is_dataset(graph: str | None) -> bool:
    return graph is not None and graph.startswith(DATASET_GRAPHS)


def _kind(graph: str) -> str:
    """The evidence kind of a dataset graph (as the projection names it)."""
    return graph[len(DATASET_GRAPHS):].split("/")[0] or "dataset"


_GROUPED = SPARQL_PREFIXES + """
SELECT ?e (GROUP_CONCAT(?fact; separator="\u001f") AS ?facts) WHERE {
  {
    VALUES (?p ?code) { (cg:sideA "A") (cg:associatedWith "S") (cg:sideB "B") (cg:fatalitiesLow "l")
                        (cg:fatalitiesBest "b") (cg:fatalitiesHigh "h") (cg:source "s") (rdf:type "t")
                        (cg:earliest "o") (cg:latest "o") }
    GRAPH ?dataset { ?e ?p ?o }
  } UNION {
    VALUES (?p ?code) { (cg:startEarliest "E") (cg:endLatest "N") (cg:earliest "e") (cg:latest "n")
                        (rdf:type "x") (cg:sideA "X") (cg:associatedWith "X") (cg:sideB "X")
                        (cg:fatalitiesLow "o") (cg:fatalitiesBest "o") }
    GRAPH ?inferred { ?e ?p ?o }
  }
  BIND (CONCAT(?code, IF(isIRI(?o), "<", "-"), STR(?o)) AS ?fact)
} GROUP BY ?e"""
_SEPARATOR = "\u001f"  # ASCII unit separator: in no IRI, and in no literal a dataset gives

_SUBJECTS = "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } }"
_SIDE_SUBJECTS = SPARQL_PREFIXES + "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s cg:sideA|cg:associatedWith|cg:sideB ?o } }"
_GROUPED_CODES = {"A": _SIDE_A, "S": _ASSOCIATED, "B": _SIDE_B}
SIDED, ODD = 1, 2  # a node's flags in _Raw: it has sides; it is odd or named elsewhere
# TieTable.from_events: a record's field -> the start of its fact's code (start, end: cg:startEarliest,
# cg:endLatest; earliest, latest: cg:earliest, cg:latest)
_RECORD_CODES = {"sideA": "A<", "associatedWith": "S<", "sideB": "B<", "start": "E-", "end": "N-",
                 "earliest": "e-", "latest": "n-", "low": "l-", "best": "b-", "high": "h-", "source": "s<"}
# The grouped query's letters by N-Triples predicate: facts in the dataset graph, in its inferred graph
_DATASET_LETTERS = {f"<{CG.sideA}>": "A", f"<{CG.associatedWith}>": "S", f"<{CG.sideB}>": "B",
                    f"<{CG.fatalitiesLow}>": "l", f"<{CG.fatalitiesBest}>": "b", f"<{CG.fatalitiesHigh}>": "h",
                    f"<{CG.source}>": "s", f"<{RDF_TYPE}>": "t", f"<{CG.earliest}>": "o", f"<{CG.latest}>": "o"}
_INFERRED_LETTERS = {f"<{CG.startEarliest}>": "E", f"<{CG.endLatest}>": "N", f"<{CG.earliest}>": "e",
                     f"<{CG.latest}>": "n", f"<{RDF_TYPE}>": "x", f"<{CG.sideA}>": "X",
                     f"<{CG.associatedWith}>": "X", f"<{CG.sideB}>": "X", f"<{CG.fatalitiesLow}>": "o",
                     f"<{CG.fatalitiesBest}>": "o"}
_DATASET_PREFIXES = tuple(predicate + " " for predicate in _DATASET_LETTERS)
_INFERRED_PREFIXES = tuple(predicate + " " for predicate in _INFERRED_LETTERS)
_GROUPED_BOUNDS = {"E": 0, "N": 1, "e": 2, "n": 3}  # index in _BOUNDS
_GROUPED_COUNTS = {"l": 0, "b": 1, "h": 2}  # index in _FATALITIES


def extract_ties(store: Store, *, imported: ImportedTies | None = None) -> TieTable:
    """The event-tie table of ``store`` (which is never changed).

    One SPARQL query per dataset: one row per event, its facts concatenated by the engine
    (``GROUP_CONCAT``), so each event IRI is decoded once and no index is searched per event
    (each search costs about 10 us on disk). 100,000 imported events: 6.8 s on disk (reading
    quads by pattern took 8.0 s, the projection's own fact queries 11.6 s), 7.0 s through a
    local SPARQL endpoint. Works on any store.

    The dataset graph ``<graph/dataset/NAME>`` and its inferred graph are read for the facts
    the projection reads; the other graphs are only checked for the events' IRIs (subjects of
    the curated and inferred graphs; objects of attestations, claims, statuses and
    participations): an event named there is left to the residual events, as is every event
    with sides outside the datasets. Two datasets' graphs are taken to hold different events
    (the importers name events ``event:NAME-ID``). ``imported`` gives the rows of its dataset's
    graph as an import wrote them, instead of that graph's query.
    """
    with gc_paused():  # many small containers, none in a cycle
        classes = event_classes(store)
        graphs = store.named_graphs()
        datasets = [g for g in graphs if _is_dataset(g)]
        read = {*datasets, *(DATASET_INFERRED_GRAPHS + _kind(g) for g in datasets)}  # by the grouped query
        elsewhere: set[str] = set()  # subjects of the graphs that are neither datasets nor their inferences
        passed = imported.read() if imported is not None and imported.graph in datasets else None
        raw = passed or _Raw()
        for graph in graphs:
            if graph not in read:
                elsewhere.update(str(row["s"]) for row in store.query(_SUBJECTS.replace("?g", iri_ref(graph))).rows)
                raw.other_sides.update(str(row["s"]) for row in
                                       store.query(_SIDE_SUBJECTS.replace("?g", iri_ref(graph))).rows)
        raw.special.update(str(row["n"]) for row in store.query(_SPECIAL).rows)
        for graph in datasets:
            if passed is None or graph != imported.graph:  # type: ignore[union-attr]  # passed: imported is set
                _read_grouped(_grouped_rows(store, graph), graph, raw)
        return _table_from(raw, classes, elsewhere)


def _grouped_rows(store: Store, graph: str) -> Iterator[tuple[str, list[str]]]:
    """(event, its fact codes) of the dataset ``graph``, from the grouped query."""
    query = _GROUPED.replace("?dataset", iri_ref(graph)).replace(
        "?inferred", iri_ref(DATASET_INFERRED_GRAPHS + _kind(graph)))  # in the text: a VALUES block joins late
    for event, facts in select_values(store, query):
        if event is not None and facts is not None:  # (the grouped query binds both)
            yield event, facts.split(_SEPARATOR)


def _read_grouped(rows: Iterable[tuple[str, Sequence[str]]], graph: str, raw: _Raw) -> None:
    """Add the fact codes of the dataset ``graph``'s subjects to ``raw``.

    A code is a letter (the fact's kind: the grouped query's VALUES), ``<`` for an IRI or ``-``
    for a literal, and the value. A subject with sides (in any dataset graph: :data:`SIDED`)
    that is odd (a literal side; sides or a type in an inferred graph; date bounds in the
    dataset graph or fatalities in the inferred one, where the table does not read them:
    :data:`ODD`; or named in another graph: :func:`_table_from`) is left to the residual
    events; one without sides ties nobody, so it does not matter where it is. Types are kept as read: which classes are
    events is decided at the end.
    """
    sides, bounds_of, counts_of = _GROUPED_CODES, _GROUPED_BOUNDS, _GROUPED_COUNTS
    g = raw.graph(graph)
    sides_in, actors, values = raw.sides_in, raw.actors, raw.values
    side_node, side_actor, side_code = raw.side_node, raw.side_actor, raw.side_code
    for event, facts in rows:
        node = raw.node(event)
        odd = sided = False
        for fact in facts:
            code, is_iri, value = fact[:1], fact[1:2] == "<", fact[2:]
            side = sides.get(code)
            if side is not None:
                sided = True
                if is_iri:
                    actor = actors.get(value)
                    if actor is None:
                        actor = actors[value] = len(actors)
                    side_node.append(node)
                    side_actor.append(actor)
                    side_code.append(side)
                    sides_in[node] = g if sides_in[node] in (-1, g) else -2
                else:
                    odd = True  # a literal where an actor should be: the projection drops such rows
                continue
            number = values.get(value)
            if number is None:
                number = values[value] = len(values)
            if code in bounds_of:
                raw.bound_node.append(node)
                raw.bound_which.append(bounds_of[code])
                raw.bound_value.append(number)
            elif code in counts_of:
                raw.count_node.append(node)
                raw.count_which.append(counts_of[code])
                raw.count_value.append(number)
            elif code == "t":
                raw.type_node.append(node)
                raw.type_graph.append(g)
                raw.type_value.append(number)
            elif code == "s":
                if is_iri:
                    raw.source_node.append(node)
                    raw.source_value.append(number)
            elif code == "X":  # sides in the inferred graph
                sided = odd = True
            else:  # "x": typed in the inferred graph; "o": a bound or count where it is not read
                odd = True
        raw.flags[node] |= (SIDED if sided else 0) | (ODD if odd else 0)


class ImportedTies:
    """The facts an import writes about its dataset's events, read as :func:`extract_ties`
    reads the grouped query's rows, while the import runs: the table of the store being
    imported into then needs no query for that dataset, and the reading is done beside the
    engine's loading instead of after it (100,000 ACLED events: 4.4 s of query saved).

    The importer calls :meth:`add` with each event's N-Triples facts as it writes them, for every
    row it maps (unchanged ones too); when some events the graph will hold were not passed (a
    row older than the stored event, events missing from the file), :meth:`discard` makes
    :func:`extract_ties` read the graph from the store instead.

    >>> from conflictgraph.rdf.namespaces import CG
    >>> ties = ImportedTies("https://w3id.org/conflictgraph/graph/dataset/acled")
    >>> ties.add("e1", [f"<{CG.sideA}> <x>", f'<{CG.fatalitiesBest}> "3"^^<int>', "<p> <ignored>"],
    ...          [f'<{CG.earliest}> "2023-01-05"^^<date>'])
    >>> raw = ties.read()
    >>> raw.nodes, list(raw.actors), list(raw.values)
    (['e1'], ['x'], ['3', '2023-01-05'])
    """

    def __init__(self, graph: str):
        self.graph = graph
        self._raw: _Raw | None = _Raw()
        self._pending: list[tuple[str, tuple[str, ...]]] = []  # read a batch at a time
        self._memo: tuple[dict[str, str], dict[str, str]] = ({}, {})  # fact -> code, per graph (few distinct)

    def add(self, node: str, facts: Iterable[str], bounds: Iterable[str] = ()) -> None:
        """Keep what the grouped query reads of ``node``: of its ``facts`` in the dataset graph
        and its date ``bounds`` in the dataset's inferred graph (``"<predicate> object"``)."""
        if self._raw is None:
            return
        self._pending.append((node, (*self._codes(facts, _DATASET_LETTERS, _DATASET_PREFIXES, self._memo[0]),
                                     *self._codes(bounds, _INFERRED_LETTERS, _INFERRED_PREFIXES, self._memo[1]))))
        if len(self._pending) >= 10_000:
            self.read()

    def discard(self) -> None:
        """Forget what was passed: the store's graph holds events the import did not pass."""
        self._raw = None
        self._pending.clear()

    def read(self) -> _Raw | None:
        """What was passed, read (None once discarded)."""
        if self._raw is not None:
            _read_grouped(self._pending, self.graph, self._raw)
        self._pending.clear()
        return self._raw

    @staticmethod
    def _codes(facts: Iterable[str], letters: Mapping[str, str], prefixes: tuple[str, ...],
               memo: dict[str, str]) -> Iterator[str]:
        """The codes of the facts whose predicate has a letter (``prefixes``: those predicates
        and a space); the other facts, most of them long texts, are passed over uncut."""
        for fact in facts:
            if fact.startswith(prefixes):
                code = memo.get(fact)
                if code is None:
                    predicate, _, obj = fact.partition(" ")
                    code = memo[fact] = letters[predicate] + _grouped_value(obj)
                yield code


def _grouped_value(term: str) -> str:
    """An N-Triples object as the grouped query writes it: ``<`` and the IRI, or ``-`` and the
    literal's lexical form.

    >>> _grouped_value("<http://x>"), _grouped_value('"2"^^<http://www.w3.org/2001/XMLSchema#integer>')
    ('<http://x', '-2')
    """
    if term.startswith("<"):
        return "<" + term[1:-1]
    if "\\" not in term:
        return "-" + term[1:term.rindex('"')]
    return "-" + parse_nt_term(term).value  # type: ignore[union-attr]  # a literal


def _day(value: str) -> int | None:
    """A bound's first ten characters as days since 1970-01-01 when they are a day
    (``YYYY-MM-DD``), else None.

    >>> _day("1970-01-02"), _day("2023-02-30"), _day("2023-11"), _day("2023-11-07T10:00:00")
    (1, None, None, 19668)
    """
    text = value[:10]
    if len(text) != 10 or text[4] != "-" or text[7] != "-" or not text.replace("-", "").isascii() \
            or not text.replace("-", "").isdigit():
        return None
    try:
        return int(days([text])[0])
    except ValueError:
        return None


def _table_from(raw: _Raw, event_classes: set[str], elsewhere: set[str]) -> TieTable:
    """Columns from what extraction read: keep the plain dataset events, pair their actors.
    ``event_classes`` are cg:Event and its subclasses; ``elsewhere`` the subjects of the
    graphs that are not datasets."""
    # 1. which events are plain (everything else with sides is residual)
    n_nodes = len(raw.nodes)
    sides_in = np.frombuffer(raw.sides_in, dtype=np.int32) if n_nodes else np.zeros(0, dtype=np.int32)
    value_texts = list(raw.values)  # number -> text
    event_types = {raw.values[c] for c in event_classes if c in raw.values}
    home = _homes(raw, n_nodes, event_types)
    flags = np.frombuffer(bytes(raw.flags), dtype=np.uint8).copy()
    flags[[raw.number[iri] for iri in elsewhere if iri in raw.number]] |= ODD
    odd_sided = {raw.nodes[i] for i in np.flatnonzero(flags == SIDED | ODD).tolist()}
    other_sides = raw.other_sides | odd_sided
    excluded = np.zeros(n_nodes, dtype=bool)
    excluded[[raw.number[iri] for iri in other_sides | raw.special if iri in raw.number]] = True
    source_node, source_value = _ints(raw.source_node), _ints(raw.source_value)
    first_source = np.full(n_nodes, -1, dtype=np.int64)
    first_source[source_node[::-1]] = source_value[::-1]  # the first one read wins
    excluded[source_node[source_value != first_source[source_node]]] = True  # two sources: whichever comes first
    bound_node, bound_value = _ints(raw.bound_node), _ints(raw.bound_value)
    day_of_value = np.zeros(len(value_texts), dtype=np.int32)
    full_day = np.zeros(len(value_texts), dtype=bool)  # of the values read as date bounds
    for number in sorted_distinct(bound_value).tolist():
        day = _day(value_texts[number])
        if day is not None:
            day_of_value[number], full_day[number] = day, True
    excluded[bound_node[~full_day[bound_value]]] = True
    parsed = np.array([_count(v) for v in value_texts], dtype=object)
    count_node, count_value = _ints(raw.count_node), _ints(raw.count_value)
    too_large = np.array([c is not None and not 0 <= c < NO_END for c in parsed], dtype=bool)
    excluded[count_node[too_large[count_value]]] = True  # a count the columns cannot hold
    plain = (sides_in >= 0) & (home == sides_in) & ~excluded
    plain_nodes = np.array(sorted(np.flatnonzero(plain).tolist(), key=raw.nodes.__getitem__),
                           dtype=np.int64)  # in event code order: by IRI
    names = [raw.nodes[i] for i in plain_nodes.tolist()]
    events = Vocabulary.from_sorted(names)
    n_events = len(names)
    event_of = np.full(n_nodes, -1, dtype=np.int64)  # node -> event code
    event_of[plain_nodes] = np.arange(n_events)
    with_sides = {raw.nodes[i] for i in np.flatnonzero((sides_in != -1) & ~plain).tolist()}
    residual = sorted(with_sides | (other_sides - set(names)))
    typed = np.zeros(n_nodes, dtype=bool)  # typed as an event in a dataset graph
    typed[_ints(raw.type_node)[np.isin(_ints(raw.type_value), list(event_types))]] = True
    other_events = sorted(raw.nodes[i] for i in np.flatnonzero(typed & ~plain).tolist())

    # 2. per-event columns
    graph_kinds = [_kind(g) for g in raw.graphs]
    event_graph = sides_in[plain_nodes]
    kinds = Vocabulary(graph_kinds[g] for g in sorted_distinct(event_graph).tolist())  # the kinds of the events
    kind_code = np.array([kinds.index().get(kind, -1) for kind in graph_kinds], dtype=np.int16)
    event_kind = kind_code[event_graph] if n_events else np.zeros(0, dtype=np.int16)
    source_key = np.where(first_source[plain_nodes] >= 0, first_source[plain_nodes], -1 - event_graph.astype(np.int64))
    distinct, inverse = np.unique(source_key, return_inverse=True)
    source_names = [value_texts[k] if k >= 0 else f"{ID}src/{graph_kinds[-1 - k]}" for k in distinct.tolist()]
    sources = Vocabulary(source_names)
    event_source = sources.encode(source_names)[inverse.reshape(-1)] if n_events else np.zeros(0, dtype=np.int32)
    codes = event_of[bound_node]
    keep = codes >= 0
    codes, which, value = codes[keep], _ints(raw.bound_which)[keep], bound_value[keep]
    day = day_of_value[value]
    has, low, high = {}, {}, {}
    for i, name in enumerate(_BOUNDS):
        these = which == i
        has[name] = np.zeros(n_events, dtype=bool)
        has[name][codes[these]] = True
        low[name] = np.full(n_events, NO_END, dtype=np.int32)
        high[name] = np.full(n_events, NO_START, dtype=np.int32)
        np.minimum.at(low[name], codes[these], day[these])
        np.maximum.at(high[name], codes[these], day[these])
    event_start = np.where(has["startEarliest"], low["startEarliest"],
                           np.where(has["earliest"], low["earliest"], NO_START)).astype(np.int32)
    event_end = np.where(has["endLatest"], high["endLatest"],
                         np.where(~has["startEarliest"] & has["latest"], high["latest"], NO_END)).astype(np.int32)
    event_earliest = np.where(has["earliest"], low["earliest"], NO_START).astype(np.int32)
    event_latest = np.where(has["latest"], high["latest"], NO_END).astype(np.int32)
    count_of_value = np.array([c if c is not None and 0 <= c < NO_END else -1 for c in parsed], dtype=np.int64)
    codes, which, values = event_of[count_node], _ints(raw.count_which), count_of_value[count_value]
    keep = (codes >= 0) & (values >= 0)
    counts = {}
    for i, name in enumerate(_FATALITIES):
        these = keep & (which == i)
        counts[name] = np.full(n_events, NO_COUNT, dtype=np.int32)
        np.maximum.at(counts[name], codes[these], values[these].astype(np.int32))

    # 3. memberships of the plain events -> pairs of each event, vectorised
    m_event = event_of[_ints(raw.side_node)]
    keep = m_event >= 0
    actor_iris = list(raw.actors)  # number -> IRI
    used = sorted_distinct(_ints(raw.side_actor)[keep])
    actors = Vocabulary([actor_iris[i] for i in used.tolist()])
    actor_code = np.full(len(actor_iris), -1, dtype=np.int64)
    actor_code[used] = actors.encode([actor_iris[i] for i in used.tolist()])
    m_actor = actor_code[_ints(raw.side_actor)[keep]]
    m_side = _ints(raw.side_code)[keep].astype(np.int8)
    a, b, relation, event_codes = _pairs(m_event[keep], m_actor, m_side, len(actors), n_events)
    return TieTable(actors=actors, events=events, kinds=kinds, sources=sources, a=a, b=b, relation=relation,
                    event=event_codes, event_start=event_start, event_end=event_end, event_low=counts["Low"],
                    event_best=counts["Best"], event_high=counts["High"], event_kind=event_kind,
                    event_source=event_source, event_earliest=event_earliest, event_latest=event_latest,
                    residual=residual, other_events=other_events)


def _homes(raw: _Raw, n_nodes: int, event_types: set[int]) -> np.ndarray:
    """Per node, the dataset graph typing it as an event (one of ``event_types``, value
    numbers): -1 for none, -2 for several."""
    home = np.full(n_nodes, -1, dtype=np.int64)
    typed = np.isin(_ints(raw.type_value), list(event_types))
    n_graphs = max(len(raw.graphs), 1)
    keys = sorted_distinct(_ints(raw.type_node)[typed] * n_graphs + _ints(raw.type_graph)[typed])  # (node, graph) pairs
    node, graph = keys // n_graphs, keys % n_graphs
    first = np.flatnonzero(np.r_[True, node[1:] != node[:-1]]) if len(node) else node
    count = np.diff(np.r_[first, len(node)])
    home[node[first]] = np.where(count == 1, graph[first], -2)
    return home


def _ints(values: array) -> np.ndarray:
    """An ``array.array`` of integers as an int64 numpy array (a copy)."""
    return np.array(values, dtype=np.int64) if len(values) else np.zeros(0, dtype=np.int64)


def _count(value: str) -> int | None:
    """A fatality count as the projection reads it (``int(text)``), None when it is no whole number."""
    try:
        return int(value)
    except ValueError:
        return None


def _pairs(m_event: np.ndarray, m_actor: np.ndarray, m_side: np.ndarray, n_actors: int, n_events: int,
           chunk: int = 1_000_000) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The distinct (a, b, relation, event) rows of memberships (event, actor, side), sorted.

    Within each event every two memberships are paired (a self-join by event, done with
    ``np.repeat``), in chunks of about ``chunk`` pairs to bound memory.
    """
    order = np.lexsort((m_side, m_actor, m_event))
    ev, ac, sd = m_event[order], m_actor[order], m_side[order]
    if len(ev) == 0:
        empty = np.zeros(0, dtype=np.int32)
        return empty, empty, np.zeros(0, dtype=np.int8), empty
    starts = np.flatnonzero(np.r_[True, ev[1:] != ev[:-1]])
    sizes = np.diff(np.r_[starts, len(ev)])
    squares = sizes.astype(np.int64) ** 2
    parts = []
    first = 0
    bounds = np.cumsum(squares)
    while first < len(starts):
        last = int(np.searchsorted(bounds, (bounds[first - 1] if first else 0) + chunk, side="right"))
        last = max(last, first + 1)
        group_starts, group_sizes = starts[first:last], sizes[first:last]
        member_start = group_starts[0]
        member_end = group_starts[-1] + group_sizes[-1]
        members = np.arange(member_start, member_end)
        group_of = np.repeat(np.arange(len(group_starts)), group_sizes)
        counts = group_sizes[group_of]
        left = np.repeat(members, counts)
        offsets = np.arange(len(left)) - np.repeat(np.cumsum(counts) - counts, counts)
        right = group_starts[np.repeat(group_of, counts)] + offsets
        take = left < right
        left, right = left[take], right[take]
        x, y, sx, sy = ac[left], ac[right], sd[left], sd[right]
        in_a_x, in_a_y = sx != _SIDE_B, sy != _SIDE_B
        fought = (in_a_x != in_a_y) & (x != y)
        alongside = (in_a_x == in_a_y) & (x != y)
        rel = np.where(fought, FOUGHT, FOUGHT_ALONGSIDE).astype(np.int64)
        keep = fought | alongside
        lo, hi = np.minimum(x, y)[keep], np.maximum(x, y)[keep]
        parts.append((lo, hi, rel[keep], ev[left][keep]))
        first = last
    lo = np.concatenate([p[0] for p in parts])
    hi = np.concatenate([p[1] for p in parts])
    rel = np.concatenate([p[2] for p in parts])
    evs = np.concatenate([p[3] for p in parts])
    if n_actors and n_events and n_actors * n_actors * 2 * n_events < 2 ** 62:
        key = ((lo * n_actors + hi) * 2 + rel) * n_events + evs
        key = sorted_distinct(key)  # sorted: by a, b, relation, event
        evs, key = key % n_events, key // n_events
        rel, key = key % 2, key // 2
        lo, hi = key // n_actors, key % n_actors
    else:
        order = np.lexsort((evs, rel, hi, lo))
        lo, hi, rel, evs = lo[order], hi[order], rel[order], evs[order]
        new = np.r_[True, (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1]) | (rel[1:] != rel[:-1]) | (evs[1:] != evs[:-1])]
        lo, hi, rel, evs = lo[new], hi[new], rel[new], evs[new]
    return lo.astype(np.int32), hi.astype(np.int32), rel.astype(np.int8), evs.astype(np.int32)




# The kept table ----------------------------------------------------------------------------

def event_relations() -> list[Relation]:
    """The bundled projection's entries the table stands for (``fought``, ``fought-alongside``)."""
    return [r for r in load_projection() if r.relation in RELATIONS]


@functools.cache
def table_key() -> str:
    """What a kept table must have been extracted with: this module's code and the queries of
    the relations it stands for (a file made by other code, or for other queries, is not read).
    Worked out once per process."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for entry in sorted(event_relations(), key=lambda r: r.relation):
        digest.update(b"\0" + entry.relation.encode() + b"\0" + entry.query.encode())
    return digest.hexdigest()


def _read(path: Path, key: str) -> TieTable | None:
    """The table kept at ``path``, or None when there is none (or an unreadable or stale one)."""
    try:
        return TieTable.load(path, key=key)
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):  # none, stale or damaged
        return None


def generation_folder(store: Store) -> Path | None:
    """The generation folder of ``store`` when it is a published on-disk one (opened read-only,
    beside its build.json), else None (in memory, remote, a writer's copy)."""
    path, read_only = getattr(store, "path", None), getattr(store, "read_only", False)
    if path is None or not read_only:
        return None
    generation = Path(path).parent
    return generation if (generation / BUILD_INFO).is_file() else None


def write_table(store: Store, folder: str | Path, *, imported: ImportedTies | None = None) -> TieTable:
    """Extract the table of ``store`` (the rows of ``imported``'s dataset as the import gave
    them) and write it into ``folder``, the generation being made, atomically; return it.

    ``build`` and ``import`` call it before they publish the generation, so a published one
    has its table from the start.
    """
    table = extract_ties(store, imported=imported)
    table.save(Path(folder) / TABLE_FILE, key=table_key())
    return table


def kept_table(store: Store) -> TieTable:
    """The event-tie table of ``store``: read from ``<generation>/ties.npz`` for a published
    on-disk generation, or from the cache for a remote store whose version conflictgraph wrote
    (:func:`remote_table_path`); extracted afresh for any other store (in memory, a writer's
    copy, a remote store no conflictgraph build made).

    A generation without a readable file (made by older code, built automatically, or its
    file removed) gets the table extracted and kept there; two commands doing so at once
    each write the same file atomically. A folder the user cannot write to only means the
    table is extracted per call.

    >>> from conflictgraph.build.pipeline import build_store
    >>> store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
    >>> table = kept_table(store)  # in memory: extracted; no dataset, so every event is residual
    >>> len(table), len(table.residual) > 0
    (0, True)
    """
    folder = generation_folder(store)
    if folder is not None:
        return _kept_at(folder / TABLE_FILE, store)
    if isinstance(store, RemoteStore) and (path := remote_table_path(store)) is not None:
        table = _read(path, table_key())
        if table is None:
            table = cache_remote_table(store)
        if table is not None:
            return table
    return extract_ties(store)  # in memory, a writer's copy, no version, or the store changed meanwhile


def table_if_kept(store: Store) -> TieTable | None:
    """The kept table of ``store`` (:func:`kept_table`), or None for a store that keeps no table
    (in memory, a writer's copy, a remote store without a version): there, extracting one would
    cost more than the queries a timeline or ``show`` saves by reading it."""
    if generation_folder(store) is None and not (isinstance(store, RemoteStore) and remote_table_path(store)):
        return None
    return kept_table(store)


def known_events(store: Store) -> KnownEvents | None:
    """What the kept table of ``store`` knows of its events for a timeline
    (:meth:`TieTable.known_events`), or None for a store that keeps no table (:func:`table_if_kept`)."""
    table = table_if_kept(store)
    return None if table is None else table.known_events()


def _kept_at(path: Path, store: Store) -> TieTable:
    """The table kept at ``path``, else extracted from ``store`` and kept there."""
    key = table_key()
    table = _read(path, key)
    if table is None:
        table = extract_ties(store)
        with suppress(OSError):  # a read-only folder: extracted per call, no harm
            table.save(path, key=key)
    return table


def cache_remote_table(store: RemoteStore, *, imported: ImportedTies | None = None) -> TieTable | None:
    """Extract the table of the remote ``store`` (``imported``'s dataset as an import passed it)
    and keep it in this machine's cache for the store's version (:func:`remote_table_path`),
    removing the same store's older versions; None for a store without a version.

    ``build`` and ``import`` through ``--endpoint`` call it after their change, so the network
    commands after them here read it; a network command calls it when the file is missing.
    The file is written only when the version is the same after extracting (a change that
    landed meanwhile is not saved under its version).
    """
    path = remote_table_path(store)
    if path is None:
        return None
    store.forget_graphs()  # list the graphs of this version, not those of an earlier look
    table = extract_ties(store, imported=imported)
    if remote_table_path(store) == path:
        with suppress(OSError):  # a read-only cache folder: extracted per command, no harm
            path.parent.mkdir(parents=True, exist_ok=True)
            table.save(path, key=table_key())
            _forget_older(path)
    return table


def remote_table_path(store: RemoteStore) -> Path | None:
    """Where the table of a remote store is cached on this machine: a file per query URL and
    store version (:func:`conflictgraph.build.remote.store_version`, which every remote build
    and import changes) under :func:`conflictgraph.settings.cache_dir`; None for a store that
    is not remote or has no version (then the table is extracted per command).

    conflictgraph's graphs on a shared store are changed only by its own builds and imports,
    so a new version is a new file, and the old versions' files are removed. (A
    statement or claim about an imported event that someone else adds to another graph of
    the store is seen after the next build or import.)
    """
    from conflictgraph.build.remote import store_version

    version = store_version(store)
    if version is None:
        return None
    try:
        folder = cache_dir() / "ties"
    except RuntimeError:  # no home folder to keep a cache in
        return None
    store_name = hashlib.sha256(store.endpoint.query.encode()).hexdigest()[:16]
    return folder / f"{store_name}-{hashlib.sha256(version.encode()).hexdigest()[:16]}.npz"


def _forget_older(path: Path) -> None:
    """Remove the cached tables of the same store's other versions (``STORE-VERSION.npz``
    beside ``path``): a new version means they are never read again."""
    store_name = path.name.split("-")[0]
    for other in path.parent.glob(f"{store_name}-*.npz"):
        if other != path:
            other.unlink(missing_ok=True)
