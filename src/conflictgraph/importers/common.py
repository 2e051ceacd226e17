"""What every dataset mapping shares: the record a row becomes, and checked cell parsers.

A mapping (``ucdp.map_row``, ``acled.map_row``) turns the cells of one row into an
:class:`EventRecord`: the event's own facts, plus the actor names and place names still to
be reconciled with the graph. A cell that cannot be read raises :class:`RowRejected` with the
reason; the importer writes it to the rejects file and goes on. Cell text only ever becomes a
literal (or, for ids, a percent-encoded part of an IRI): nothing in a cell is parsed as RDF or
SPARQL.

Facts are written directly in N-Triples syntax (``<predicate> object``), because building term
objects for a hundred thousand rows costs more than the rest of the import. Three functions make
every term, and nothing else does: :func:`nt_iri` (checked once per distinct IRI),
:func:`nt_literal` (the only place literal text is escaped) and :func:`nt_lang`.
:func:`parse_nt_term` reads a term back (tests, :attr:`EventRecord.triples`).

Examples
--------
>>> parse_int("12", "best")
12
>>> try:
...     parse_int("12a", "best")
... except RowRejected as err:
...     print(err)
best: not a whole number: '12a'
>>> slug("Police Forces of Myanmar (2021-)")
'police-forces-of-myanmar-2021'
>>> print(nt_literal('say "hi" } . <x>', XSD + "string"))
"say \\"hi\\" } . <x>"
>>> parse_nt_term(nt_literal('two\\nlines "quoted"', XSD + "string")).value
'two\\nlines "quoted"'
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, TypeVar
from urllib.parse import quote

from conflictgraph.rdf.namespaces import CG, ID, PREFIXES
from conflictgraph.rdf.namespaces import RDF_TYPE as RDF_TYPE_IRI
from conflictgraph.rdf.sparql_text import BAD_IRI
from conflictgraph.rdf.terms import IRI, XSD, Literal, Term

T = TypeVar("T")

__all__ = ["RowRejected", "DatasetSpec", "ActorRef", "PlaceLevel", "EventRecord", "parse_int", "parse_float",
           "kept_point", "parse_iso_day", "covering_date", "bound_facts", "slug", "id_part", "text", "day", "integer",
           "nt_iri", "nt_literal", "nt_lang", "nt_text", "nt_term", "parse_nt_term", "geometry_iri", "event_type",
           "RDF_TYPE", "SKOS", "DCT", "GEO", "PROV"]

RDF_TYPE = IRI(RDF_TYPE_IRI)
SKOS = PREFIXES["skos"]
DCT = PREFIXES["dct"]
GEO = PREFIXES["geo"]
PROV = PREFIXES["prov"]


class RowRejected(Exception):
    """A row cannot be imported; the message is the reason written to the rejects file."""


@dataclass(frozen=True)
class ActorRef:
    """An actor named in a row, before reconciliation.

    ``role`` is the event property (``cg:sideA``, ``cg:sideB`` or ``cg:associatedWith``);
    ``kind`` the class a new actor gets if the name matches no known actor.
    """

    name: str
    role: str
    kind: str = CG.ArmedGroup


@dataclass(frozen=True)
class PlaceLevel:
    """One level of a row's place hierarchy (country, state, district, township, location).

    ``kinds`` are the classes a known place must have to match; ``new_class`` is the class of
    the place created when none matches.
    """

    name: str
    kinds: tuple[str, ...]
    new_class: str


# N-Triples terms -------------------------------------------------------------------------------

_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
# N-Triples string literals must escape exactly these four characters (STRING_LITERAL_QUOTE).
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_UNESCAPE = re.compile(r'\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)', re.DOTALL)
_UNESCAPED = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


@lru_cache(maxsize=65536)
def nt_iri(value: str) -> str:
    """``<value>``, refusing text that cannot be an IRI (checked once per distinct value).

    >>> nt_iri("https://w3id.org/conflictgraph/id/actor/ka")
    '<https://w3id.org/conflictgraph/id/actor/ka>'
    """
    if not value or BAD_IRI.search(value) or ":" not in value:
        raise ValueError(f"not a valid IRI: {value!r}")
    return f"<{value}>"


def nt_literal(value: str, datatype: str) -> str:
    """A typed literal; the only place literal text is escaped (the text can never end it).

    ``xsd:string`` is written as a plain literal, which means the same in N-Triples.
    """
    text = '"' + _escaped(value) + '"'
    return text if datatype == _XSD_STRING else text + "^^" + nt_iri(datatype)


def _escaped(value: str) -> str:
    """The text with the four characters N-Triples strings must escape escaped. Most cells have
    none, and four scans cost a tenth of a translate of a long cell (measured: 0.2 vs 3.9 us)."""
    if '"' in value or "\\" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPES)
    return value


def nt_lang(value: str, lang: str = "en") -> str:
    """A language-tagged literal (``"..."@en``)."""
    if lang not in _CHECKED_LANGS:
        if not _LANG.match(lang):
            raise ValueError(f"not a language tag: {lang!r}")
        _CHECKED_LANGS.add(lang)
    return '"' + _escaped(value) + '"@' + lang


_CHECKED_LANGS: set[str] = {"en"}
_XSD_STRING = XSD + "string"


def nt_text(value: str) -> str | None:
    """A cell as an xsd:string literal, or None when the cell is blank. Text is never interpreted."""
    value = value.strip()
    return nt_literal(value, _XSD_STRING) if value else None


def nt_term(term: Term) -> str:
    """One of our terms (:mod:`conflictgraph.rdf.terms`) in N-Triples syntax."""
    if isinstance(term, Literal):
        if term.lang:
            return nt_lang(term.value, term.lang)
        return nt_literal(term.value, term.datatype or _XSD_STRING)
    return nt_iri(str(term))


def parse_nt_term(text: str) -> Term:
    """Read back a term written by :func:`nt_iri`, :func:`nt_literal` or :func:`nt_lang`."""
    if text.startswith("<") and text.endswith(">"):
        return IRI(text[1:-1])
    if not text.startswith('"'):
        raise ValueError(f"not an N-Triples term: {text!r}")
    end = text.rindex('"')
    value = _UNESCAPE.sub(lambda m: _UNESCAPED.get(m.group(1)) or chr(int(m.group(1)[1:], 16)), text[1:end])
    rest = text[end + 1:]
    if rest.startswith("@"):
        return Literal(value, lang=rest[1:])
    if rest.startswith("^^<") and rest.endswith(">"):
        return Literal(value, rest[3:-1])
    if rest:
        raise ValueError(f"not an N-Triples term: {text!r}")
    return Literal(value, _XSD_STRING)


def _split_fact(fact: str) -> tuple[IRI, Term]:
    predicate, obj = fact.split(" ", 1)
    return IRI(predicate[1:-1]), parse_nt_term(obj)


@dataclass
class EventRecord:
    """A row mapped to the ontology, before actors and places are attached.

    ``facts`` are ``"<predicate> object"`` N-Triples fragments about the event (their
    :attr:`triples` read them back as terms); ``geometry`` is a WKT point and its precision note;
    ``place_names`` are the names of the row's place hierarchy, from the widest level to the
    narrowest the event's place uses (the dataset's location precision), and ``place_levels``
    turns them into :class:`PlaceLevel` s (:attr:`places`) when the reconciler needs them.
    ``bounds`` are the inferred earliest/latest facts of the event's dates, written to the
    dataset's inferred graph, not with the facts.
    """

    event_id: str
    iri: IRI
    facts: list[str] = field(default_factory=list)
    actors: list[ActorRef] = field(default_factory=list)
    place_names: tuple[str, ...] = ()
    place_levels: Callable[[tuple[str, ...]], list[PlaceLevel]] | None = None
    geometry: tuple[str, str] | None = None
    modified: str | None = None  # a sortable last-change stamp (ACLED timestamp), if any
    bounds: tuple[str, ...] = ()  # the date-bound facts of its dates (:func:`bound_facts`)
    shared: tuple[str, ...] = ()  # "<s> <p> o" lines of a node many events share (:func:`event_type`)
    notes: list[str] = field(default_factory=list)  # what is odd about the row, kept as given (:meth:`note`)
    parts: dict[str, list[str]] = field(default_factory=dict)  # IRI -> facts of nodes written and removed with it

    def add(self, predicate: str, obj: str | None) -> None:
        """Add a fact; ``predicate`` is an N-Triples IRI, ``obj`` an N-Triples term (None: skip)."""
        if obj is not None:
            self.facts.append(predicate + " " + obj)

    def note(self, text: str) -> None:
        """Keep the row as the dataset gives it, with a quality note saying what is odd about it."""
        self.notes.append(text)
        self.add(_QUALITY_NOTE, nt_literal(text, _XSD_STRING))

    def kept(self, parse: Callable[..., T], *args: Any, what: str = "left out") -> T | None:
        """``parse(*args)``, or None with a quality note when the cell cannot be read: an odd
        cell costs the row that one value, not the row (``what`` says what became of it).

        >>> record = EventRecord("1", "e")
        >>> record.kept(parse_int, "12", "best"), record.kept(parse_int, "1_000", "high")
        (12, None)
        >>> record.notes
        ["high: not a whole number: '1_000'; left out"]
        """
        try:
            return parse(*args)
        except RowRejected as err:
            self.note(f"{err}; {what}")
            return None

    @property
    def triples(self) -> list[tuple[IRI, Term]]:
        """The facts as (predicate, object) terms (for tests and inspection; slow)."""
        return [_split_fact(fact) for fact in self.facts]

    @property
    def places(self) -> list[PlaceLevel]:
        if not self.place_names or self.place_levels is None:
            return []
        return self.place_levels(self.place_names)

    @property
    def geometry_iri(self) -> IRI:
        """The geometry node: one per distinct point and precision note, shared by the events
        there (a dataset repeats the same coordinates for every event at a location)."""
        if self.geometry is None:
            raise ValueError("the record has no geometry")
        return geometry_iri(*self.geometry)


@lru_cache(maxsize=65536)
def geometry_iri(wkt: str, precision: str) -> IRI:
    """The IRI of the geometry node of a WKT point with its precision note.

    >>> geometry_iri("POINT(97.21 19.67)", "ACLED geo_precision 1: the named location").short
    'node:geometry-7bccdc31ba7a1cc3'
    """
    return IRI(ID + "node/geometry-" + hashlib.sha1(f"{wkt}|{precision}".encode()).hexdigest()[:16])


_QUALITY_NOTE = nt_iri(CG.qualityNote)
_EVENT_TYPE, _TYPE_OF, _PREF_LABEL, _DCT_TYPE = (nt_iri(CG.eventType), nt_iri(RDF_TYPE),
                                                 nt_iri(SKOS + "prefLabel"), nt_iri(DCT + "type"))


@lru_cache(maxsize=4096)
def event_type(dataset: str, words: tuple[str, ...]) -> tuple[str, tuple[str, ...]] | None:
    """The ``cg:eventType`` fact for a dataset's own words for a kind of event (general to
    specific; blanks are left out), and the lines of the ``cg:EventType`` concept it names.

    The concept is shared by every event of that kind, so the words are stored once per import
    rather than once per event; its label is the most specific word and its ``dct:type`` values
    are all of them. None when every word is blank.

    >>> fact, lines = event_type("acled", ("Political violence", "Battles", "Armed clash"))
    >>> print(fact.replace(CG, "cg:").replace(ID, "id:"))
    <cg:eventType> <id:node/event-type-acled-armed-clash-ca16b400>
    >>> len(lines)  # type, label, three dct:type words
    5
    """
    words = tuple(word.strip() for word in words if word.strip())
    if not words:
        return None
    digest = hashlib.sha1("|".join(words).encode("utf-8")).hexdigest()[:8]
    concept = nt_iri(f"{ID}node/event-type-{dataset}-{slug(words[-1])}-{digest}")
    lines: tuple[str, ...] = (f"{concept} {_TYPE_OF} {nt_iri(CG.EventType)}",
                              f"{concept} {_PREF_LABEL} {nt_lang(words[-1])}")
    lines += tuple(f"{concept} {_DCT_TYPE} {nt_literal(word, _XSD_STRING)}" for word in dict.fromkeys(words))
    return f"{_EVENT_TYPE} {concept}", lines


def text(value: str, lang: str | None = None) -> Literal | None:
    """A string literal from a cell (None when the cell is blank). Text is never interpreted."""
    value = value.strip()
    if not value:
        return None
    return Literal(value, lang=lang) if lang else Literal(value, XSD + "string")


def integer(value: int | None) -> Literal | None:
    return None if value is None else Literal(str(value), XSD + "integer")


def day(value: date) -> Literal:
    return Literal(value.isoformat(), XSD + "date")


_WHOLE = re.compile(r"([0-9]+)(?:\.0*)?")  # ASCII digits only: no 1_000, no other scripts' digits
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def parse_int(value: str, column: str, *, required: bool = False) -> int | None:
    """A non-negative whole number in ASCII digits (``12``, ``12.0``); blank gives None unless
    ``required``. Anything else (``1_000``, ``١٢``, ``12.5``, ``-3``) is refused with the row:
    a number is read exactly as the codebook writes it, or not at all.

    >>> parse_int("99999999999999999999999999.0", "best")
    99999999999999999999999999
    """
    value = value.strip()
    if value.isdigit() and value.isascii():  # the common case, without the pattern (isdigit takes any script's)
        return int(value)
    if not value:
        if required:
            raise RowRejected(f"{column}: missing number")
        return None
    match = _WHOLE.fullmatch(value)
    if match:
        return int(match.group(1))
    if value.startswith("-") and _WHOLE.fullmatch(value[1:]):
        raise RowRejected(f"{column}: negative number: {value!r}")
    raise RowRejected(f"{column}: not a whole number: {value!r}")


def parse_float(value: str, column: str, low: float, high: float) -> float | None:
    """A decimal number in ASCII digits within [low, high]; blank gives None."""
    value = value.strip()
    if not value:
        return None
    if not _DECIMAL.fullmatch(value):
        raise RowRejected(f"{column}: not a number: {value!r}")
    number = float(value)
    if not (low <= number <= high):
        raise RowRejected(f"{column}: {value!r} is outside {low:g}..{high:g}")
    return number


def kept_point(record: EventRecord, latitude: str, longitude: str) -> tuple[float | None, float | None]:
    """The (latitude, longitude) of two cells, or (None, None) with a quality note on ``record``
    when they cannot make a point (one blank, one unreadable or out of range).

    >>> record = EventRecord("1", "e")
    >>> kept_point(record, "19.67", ""), record.notes
    ((None, None), ['latitude and longitude: only one of them is given; no point kept'])
    """
    point, notes = _point(latitude, longitude)
    for note in notes:
        record.note(note)
    return point


@lru_cache(maxsize=65536)
def _point(latitude: str, longitude: str) -> tuple[tuple[float | None, float | None], tuple[str, ...]]:
    """(the point of two cells, or (None, None), and the quality notes saying why not); cached:
    a dataset repeats the coordinates of a location for every event there."""
    if bool(latitude.strip()) != bool(longitude.strip()):
        return (None, None), ("latitude and longitude: only one of them is given; no point kept",)
    notes: list[str] = []
    lat = _kept_float(latitude, "latitude", 90, notes)
    lon = _kept_float(longitude, "longitude", 180, notes)
    return ((lat, lon) if lat is not None and lon is not None else (None, None)), tuple(notes)


def _kept_float(value: str, column: str, limit: float, notes: list[str]) -> float | None:
    """:func:`parse_float` within -limit..limit, or None with a note (as :meth:`EventRecord.kept` writes it)."""
    try:
        return parse_float(value, column, -limit, limit)
    except RowRejected as err:
        notes.append(f"{err}; no point kept")
        return None


_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?)?")


def parse_iso_day(value: str, column: str) -> date:
    """A day written ``2023-11-07`` or ``2023-11-07 00:00:00.000``; impossible days are refused."""
    value = value.strip()
    match = _ISO.fullmatch(value)
    if not match:
        if not value:
            raise RowRejected(f"{column}: missing date")
        raise RowRejected(f"{column}: not a date: {value!r}")
    hour, minute, second = (int(match.group(i) or 0) for i in (4, 5, 6))
    if hour > 23 or minute > 59 or second > 60:  # 60: a leap second
        raise RowRejected(f"{column}: impossible time of day: {value!r}")
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise RowRejected(f"{column}: impossible date: {value!r}") from None


def covering_date(start: date, end: date) -> Literal:
    """The finest cg:date literal that covers ``start``..``end``: a day, a month or a year.

    >>> from datetime import date
    >>> covering_date(date(2023, 11, 5), date(2023, 11, 8)).value
    '2023-11'
    """
    if start == end:
        return day(start)
    if (start.year, start.month) == (end.year, end.month):
        return Literal(f"{start.year:04d}-{start.month:02d}", XSD + "gYearMonth")
    return Literal(f"{start.year:04d}", XSD + "gYear")


# The date-bound rule (ontology/rules/10-date-bounds.rq), applied by the importer --------------

_BOUND_PROPERTIES = {nt_iri(CG + date): (nt_iri(CG + early), nt_iri(CG + late)) for date, early, late in (
    ("date", "earliest", "latest"), ("start", "startEarliest", "startLatest"), ("end", "endEarliest", "endLatest"))}
_TYPED = re.compile(r'^"([0-9-]+)"\^\^<' + re.escape(XSD) + r'(date|gYearMonth|gYear)>$')
_XSD_DATE = XSD + "date"


@lru_cache(maxsize=8192)
def bound_facts(date_facts: tuple[str, ...]) -> tuple[str, ...]:
    """The earliest/latest bound facts rule 10-date-bounds would infer from an event's date facts.

    An import of a hundred thousand events would spend most of its time running that rule in
    the engine; the importer computes the same bounds once per distinct date and writes them to
    the dataset's inferred graph (a test checks they equal the rule's output).

    >>> for fact in bound_facts((nt_iri(CG.date) + ' "2024-02"^^<' + XSD + 'gYearMonth>',)):
    ...     print(fact.replace(CG, "cg:").replace(XSD, "xsd:"))
    <cg:earliest> "2024-02-01"^^<xsd:date>
    <cg:latest> "2024-02-29"^^<xsd:date>
    """
    out: list[str] = []
    for fact in date_facts:
        predicate, _, value = fact.partition(" ")
        properties = _BOUND_PROPERTIES.get(predicate)
        match = _TYPED.match(value) if properties else None
        if properties is None or match is None:
            continue
        text, kind = match.groups()
        year = int(text[:4])
        if kind == "date":
            first = last = date.fromisoformat(text[:10])
        elif kind == "gYearMonth":
            month = int(text[5:7])
            first = date(year, month, 1)
            last = (date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)) - timedelta(days=1)
        else:
            first, last = date(year, 1, 1), date(year, 12, 31)
        out += [properties[0] + " " + nt_literal(first.isoformat(), _XSD_DATE),
                properties[1] + " " + nt_literal(last.isoformat(), _XSD_DATE)]
    return tuple(out)


def slug(name: str) -> str:
    """A lowercase ASCII slug of a name, for IRIs of actors and places the import creates."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = "-".join(words)[:60].strip("-")
    return out or "x" + hashlib.sha1(name.encode()).hexdigest()[:8]


_SAFE_ID = re.compile(r"^[A-Za-z0-9_.~-]+$")


def id_part(value: str) -> str:
    """A dataset id made safe as the last part of an IRI (percent-encoded, never interpreted)."""
    value = value.strip()
    return value if _SAFE_ID.match(value) else quote(value, safe="-_.~")


@dataclass(frozen=True)
class DatasetSpec:
    """What the importer needs to know about one dataset format.

    ``key`` names the dataset graph (``cgg:dataset/<key>``) and its source (``src:<key>``);
    ``metadata`` are (predicate, object) pairs describing the dataset as a cg:Source;
    ``map_row`` turns a row's cells into an :class:`EventRecord` or raises :class:`RowRejected`.
    """

    key: str
    title: str
    required: tuple[str, ...]
    id_column: str
    map_row: Callable[[dict[str, str]], EventRecord]
    metadata: tuple[tuple[str, Term], ...] = ()
    other_formats: tuple[tuple[str, str], ...] = ()  # (a column only the other format has, its name)
    records: str = "events"  # what rows become, in the report: "events" or "ties"
    delimiter: str = ","  # between cells: "," (CSV) or "\t" (TSV)

    @property
    def source(self) -> IRI:
        return IRI(ID + "src/" + self.key)
