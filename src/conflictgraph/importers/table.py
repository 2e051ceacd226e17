"""Any dyadic table (CSV or TSV) into events or dated ties, as a TOML mapping says.

A mapping names the columns that hold the actors, the date, the sign, the counts, the place and
the row's own id, and the dataset's citation. Mappings ship for ICEWS/Phoenix dyad-year counts
(``icews-dyad-year``), CAMEO-coded event files such as GDELT or Phoenix (``cameo-events``) and a
plain edge list (``edge-list``); ``--mapping`` takes one of those names or the path of a file
of the same form (see ``mappings/edge-list.toml``, commented key by key).

What a row becomes (``[mapping] rows``):

- ``"events"``: one interaction (``cg:Interaction``, or ``cg:CooperativeInteraction`` /
  ``cg:HostileInteraction`` by its sign) of ``cg:initiator`` towards ``cg:recipient`` on its
  date, with the dataset's own kind of event (``cg:eventType``), IRI ``event:<key>-<id>``;
- ``"ties"``: one ``cg:InteractionTally`` over its period (``cg:start``/``cg:end``, a day, a
  month or a year), also a ``cg:Cooperation`` or ``cg:Hostility`` when its sign says so, with
  its actors as ``cg:party`` (and ``cg:initiator``/``cg:recipient`` when the table is directed),
  IRI ``tie:<key>-<id>``. A dyad-year stays one tie with its counts, never one event per count.

Counts (``columns.counts``) become ``cg:Count`` nodes (``dct:type`` the column, ``rdf:value``
the number) and their sum ``cg:eventCount``. The sign is fixed, read from a column through a
table of values (CAMEO QuadClass), or a rule comparing two groups of count columns
(cooperation when verbCoop+matlCoop > verbConf+matlConf, hostility when less, neutral when
equal). A value the mapping does not know is kept as neutral with a quality note; a row without
actors, a date or a readable count is rejected with its row number and reason. Rows are
streamed, updated in place and logged exactly as UCDP and ACLED rows are
(:mod:`conflictgraph.importers.dataset`).

Examples
--------
>>> mapping = load_mapping("icews-dyad-year")
>>> mapping.rows, mapping.columns["source"], mapping.spec.key
('ties', 'i', 'icews-dyad-year')
>>> cells = {"i": "Nordland", "j": "Sylvania", "year": "2019", "verbcoop": "4", "matlcoop": "1",
...          "verbconf": "7", "matlconf": "2"}
>>> record = mapping.spec.map_row(cells)
>>> record.iri.short, sorted(t.rsplit("#", 1)[1] for p, t in record.triples if p.endswith("type"))
('tie:icews-dyad-year-nordland-sylvania-2019-5ad9d06d', ['Hostility', 'InteractionTally'])
"""
from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from importlib import resources
from pathlib import Path

from conflictgraph.errors import ImportFailed, UsageError
from conflictgraph.importers.dataset import DATASETS
from conflictgraph.importers.sheets import PARQUET_SUFFIXES, SHEET_SUFFIXES, ExcelReader, ParquetReader
from conflictgraph.importers.common import (DCT, RDF_TYPE, SKOS, ActorRef, DatasetSpec, EventRecord, PlaceLevel,
                                            RowRejected, bound_facts, event_type, id_part, nt_iri, nt_lang, nt_literal,
                                            nt_text, parse_float, parse_int, slug)
from conflictgraph.rdf.namespaces import CG, ID
from conflictgraph.rdf.terms import IRI, XSD, Literal

__all__ = ["Mapping", "Inspection", "load_mapping", "shipped_mappings", "inspect_table", "table_spec", "delimiter_for",
           "SIGNS"]

SIGNS = ("cooperation", "hostility", "neutral")
_ROWS = ("events", "ties")
_PRECISIONS = ("day", "month", "year")
_ACTOR_CLASSES = ("Actor", "ArmedGroup", "PoliticalOrganization", "Government", "StateForce", "Alliance",
                  "Organization", "Person", "GenericActor")
_PLACE_CLASSES = ("Country", "StateRegion", "District", "Township", "Town", "Village", "Place")
_KEYS = {"mapping": {"name", "description", "rows", "actor_class", "delimiter"},
         "dataset": {"key", "title", "publisher", "license", "url", "citation"},
         "columns": {"id", "source", "target", "actors", "separator", "date", "precision", "end", "counts",
                     "place", "place_classes", "latitude", "longitude", "label"},
         "sign": {"fixed", "column", "values", "cooperation", "hostility"},
         "type": {"column", "values"}}
_DATASET_KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,40}")  # names the dataset's graph and its Source
_COLUMN_KEYS = ("source", "target", "actors", "date", "end", "label", "latitude", "longitude")

_TYPE, _LABEL, _DESCRIPTION, _DCT_TYPE, _VALUE = (nt_iri(i) for i in (
    RDF_TYPE, SKOS + "prefLabel", DCT + "description", DCT + "type", "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"))
_DATE, _START, _END, _COUNT, _EVENT_COUNT = (nt_iri(CG + n) for n in ("date", "start", "end", "count", "eventCount"))
_INTEGER = XSD + "integer"
_EVENT_CLASS = {"cooperation": CG.CooperativeInteraction, "hostility": CG.HostileInteraction,
                "neutral": CG.Interaction}
_TIE_CLASSES = {"cooperation": (CG.InteractionTally, CG.Cooperation), "hostility": (CG.InteractionTally, CG.Hostility),
                "neutral": (CG.InteractionTally,)}
_DAY = re.compile(r"([0-9]{4})-?([0-9]{2})-?([0-9]{2})(?:[ T][0-9:.]+Z?)?")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_YEAR = re.compile(r"([0-9]{4})(?:\.0*)?")


def shipped_mappings() -> dict[str, Path]:
    """The mappings shipped with the package, by name.

    >>> sorted(shipped_mappings())
    ['cameo-events', 'edge-list', 'icews-dyad-year']
    """
    folder = resources.files("conflictgraph.importers") / "mappings"
    return {Path(str(p)).stem: Path(str(p)) for p in folder.iterdir() if str(p).endswith(".toml")}


def delimiter_for(path: Path | str, header: str | None = None) -> str:
    """The cell delimiter of a table file: a tab for ``.tsv``/``.tab``, a comma for ``.csv``; any
    other name is judged by its header line (tabs, commas, semicolons or bars, whichever it has
    most of; a comma on a tie).

    >>> delimiter_for("counts.tsv"), delimiter_for("x.txt", "a\\tb\\tc")
    ('\\t', '\\t')
    """
    suffix = Path(path).suffix.lower()
    if suffix in (".tsv", ".tab"):
        return "\t"
    if suffix == ".csv" or header is None:
        return ","
    return max((",", "\t", ";", "|"), key=header.count)  # the first of the most frequent


def _header(path: Path) -> str:
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            return handle.readline(1 << 20).rstrip("\r\n")  # a header longer than 1 MiB is no header
    except OSError as err:
        raise ImportFailed(str(path), f"cannot read the file: {err.strerror}") from None


@dataclass
class Mapping:
    """A checked mapping: which columns mean what, and the dataset's citation.

    Built by :func:`load_mapping`; ``spec`` is the :class:`DatasetSpec` the importer runs.
    Column names are kept lower case, as the reader gives the header.
    """

    name: str
    file: str
    rows: str
    dataset: dict[str, str]
    columns: dict
    sign: dict
    kinds: dict
    actor_class: str = CG.Actor
    delimiter: str | None = None
    description: str = ""
    required: tuple[str, ...] = field(default=())
    spelling: dict[str, str] = field(default_factory=dict)  # lower-case column -> as the mapping spells it

    def as_dataset(self, key: str) -> Mapping:
        """This mapping for another dataset named ``key`` (its own graph and Source, the title
        saying which file): two edge lists through one shipped mapping stay two datasets.

        >>> load_mapping("edge-list").as_dataset("alliances-2024").dataset["key"]
        'alliances-2024'
        """
        if not _DATASET_KEY.fullmatch(key):
            raise UsageError(f"--dataset must be lowercase letters, digits and hyphens, not {key!r}")
        return replace(self, dataset={**self.dataset, "key": key, "title": f"{self.dataset['title']} ({key})"})

    @property
    def spec(self) -> DatasetSpec:
        """The importer's view of this mapping (its map_row is :meth:`map_row`)."""
        return self.spec_for(self.delimiter or ",")

    def spec_for(self, delimiter: str) -> DatasetSpec:
        """The :class:`DatasetSpec` of this mapping reading cells split by ``delimiter``."""
        key = self.dataset["key"]
        metadata: list[tuple[str, IRI | Literal]] = [(RDF_TYPE, IRI(CG.Source)),
                                                     (DCT + "title", Literal(self.dataset["title"], lang="en")),
                                                     (CG.sourceKind, Literal(f"{self.rows} table", XSD + "string"))]
        if self.dataset.get("publisher"):
            metadata.append((DCT + "publisher", Literal(self.dataset["publisher"], lang="en")))
        if self.dataset.get("license"):
            metadata.append((DCT + "license", IRI(self.dataset["license"])))
        if self.dataset.get("citation"):
            metadata.append((DCT + "bibliographicCitation", Literal(self.dataset["citation"], lang="en")))
        if self.dataset.get("url"):
            metadata.append((CG.url, Literal(self.dataset["url"], XSD + "anyURI")))
        return DatasetSpec(key=key, title=self.dataset["title"], required=self.required,
                           id_column=",".join(self._id_columns()), map_row=self.map_row, metadata=tuple(metadata),
                           records=self.rows, delimiter=delimiter)

    def _id_columns(self) -> list[str]:
        ids = self.columns.get("id")
        if ids:
            return [ids] if isinstance(ids, str) else list(ids)
        return [c for c in self.required if c not in self.columns.get("counts", [])]

    # One row ---------------------------------------------------------------------------------

    def map_row(self, cells: dict[str, str]) -> EventRecord:
        """One row as an interaction event or an interaction tally; RowRejected says why not."""
        columns, key = self.columns, self.dataset["key"]
        actors = self._actors(cells)
        first, last, shown = self._dates(cells)
        counts = {c: parse_int(cells[c], self._original(c)) for c in columns.get("counts", [])}
        event_id, id_text = self._row_id(cells)
        folder = "event" if self.rows == "events" else "tie"
        record = EventRecord(id_text, IRI(f"{ID}{folder}/{key}-{event_id}"), place_levels=self._place_levels)
        sign = self._sign(cells, counts, record)
        names = " - ".join(name for name, _role in actors if _role != CG.party) or ", ".join(n for n, _r in actors)
        record.add(_LABEL, nt_lang(f"{names} ({shown})"))
        if self.rows == "events":
            record.add(_TYPE, nt_iri(_EVENT_CLASS[sign]))
            record.add(_DATE, first)
            record.bounds = bound_facts((_DATE + " " + first,))
        else:
            for cls in _TIE_CLASSES[sign]:
                record.add(_TYPE, nt_iri(cls))
            record.add(_START, first)
            record.add(_END, last)
            record.bounds = bound_facts((_START + " " + first, _END + " " + last))
        self._kind(cells, record)
        total = 0
        for column, number in counts.items():
            if number is None:
                continue
            total += number
            node = f"{record.iri}-count-{slug(column)}"
            record.add(_COUNT, nt_iri(node))
            record.parts[node] = [_TYPE + " " + nt_iri(CG.Count), _DCT_TYPE + " " + nt_literal(
                self._original(column), XSD + "string"), _VALUE + " " + nt_literal(str(number), _INTEGER)]
        if counts:
            record.add(_EVENT_COUNT, nt_literal(str(total), _INTEGER))
        if columns.get("label"):
            record.add(_DESCRIPTION, nt_text(cells[columns["label"]]))
        record.actors = [ActorRef(name, role, self.actor_class) for name, role in actors]
        self._place(cells, record)
        return record

    def _actors(self, cells: dict[str, str]) -> list[tuple[str, str]]:
        """(name, role) of the row's actors; a directed tie's actors are also its parties."""
        columns = self.columns
        if columns.get("actors"):
            column = columns["actors"]
            names = [n.strip() for n in cells[column].split(columns.get("separator", ";")) if n.strip()]
            names = list(dict.fromkeys(names))
            if len(names) < 2:
                raise RowRejected(f"{self._original(column)}: needs at least two actors, found {len(names)}")
            return [(name, CG.party) for name in names]
        found = []
        for key, role in (("source", CG.initiator), ("target", CG.recipient)):
            name = cells[columns[key]].strip()
            if not name:
                raise RowRejected(f"{self._original(columns[key])}: missing actor")
            found.append((name, role))
        if self.rows == "ties":
            found += [(name, CG.party) for name, _role in found]
        return found

    def _dates(self, cells: dict[str, str]) -> tuple[str, str, str]:
        """The N-Triples start and end literals of the row's date (or period) and how a label shows it."""
        column = self.columns["date"]
        first = _period(cells[column], self._original(column), self.columns.get("precision"))
        last = first
        end_column = self.columns.get("end")
        if end_column and cells[end_column].strip():
            last = _period(cells[end_column], self._original(end_column), self.columns.get("precision"))
            if last[1] < first[1]:
                raise RowRejected(f"{self._original(end_column)} {last[0]} is before {self._original(column)} "
                                  f"{first[0]}")
        shown = first[0] if last == first else f"{first[0]} to {last[0]}"
        return nt_literal(first[0], first[2]), nt_literal(last[0], last[2]), shown

    def _row_id(self, cells: dict[str, str]) -> tuple[str, str]:
        """(the IRI part, the id as the report shows it) of a row."""
        ids = self.columns.get("id")
        if isinstance(ids, str):
            value = cells[ids].strip()
            if not value:
                raise RowRejected(f"{self._original(ids)}: missing id")
            return id_part(value), value
        values = [cells[c].strip() for c in self._id_columns()]
        text = "|".join(values)
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
        return slug(" ".join(values[:3]))[:40].strip("-") + "-" + digest, text

    def _sign(self, cells: dict[str, str], counts: dict[str, int | None], record: EventRecord) -> str:
        sign = self.sign
        if "fixed" in sign:
            return sign["fixed"]
        if "column" in sign:
            value = cells[sign["column"]].strip()
            found = sign["values"].get(value) or sign["values"].get(value.lower())
            if found is None:
                record.note(f"{self._original(sign['column'])}: unknown value {value!r}; kept as neutral")
                return "neutral"
            return found
        cooperation = sum(counts.get(c) or 0 for c in sign["cooperation"])
        hostility = sum(counts.get(c) or 0 for c in sign["hostility"])
        return "cooperation" if cooperation > hostility else "hostility" if hostility > cooperation else "neutral"

    def _kind(self, cells: dict[str, str], record: EventRecord) -> None:
        """The dataset's own kind of the row: an event-type concept (events) or a dct:type (ties)."""
        if not self.kinds:
            return
        code = cells[self.kinds["column"]].strip()
        if not code:
            return
        values = self.kinds.get("values", {})
        words = values.get(code) or (values.get(code.zfill(2)) if code.isdigit() else None)  # 1 for 01
        if values and words is None:
            record.note(f"{self._original(self.kinds['column'])}: unknown code {code!r}, kept as given")
        words = words or code
        if self.rows == "ties":
            record.add(_DCT_TYPE, nt_literal(words, XSD + "string"))
            return
        typed = event_type(self.dataset["key"], (words,))
        if typed is not None:
            record.facts.append(typed[0])
            record.shared = typed[1]

    def _place(self, cells: dict[str, str], record: EventRecord) -> None:
        names = tuple(cells[c] for c in self.columns.get("place", []))
        blank = next((i for i, name in enumerate(names) if not name.strip()), len(names))
        record.place_names = names[:blank]
        lat, lon = self.columns.get("latitude"), self.columns.get("longitude")
        if lat and lon:
            latitude = parse_float(cells[lat], self._original(lat), -90, 90)
            longitude = parse_float(cells[lon], self._original(lon), -180, 180)
            if (latitude is None) != (longitude is None):
                raise RowRejected(f"{self._original(lat)} and {self._original(lon)}: only one of them is given")
            if latitude is not None:
                record.geometry = (f"POINT({longitude:g} {latitude:g})", f"{self.dataset['title']}: as given")

    def _place_levels(self, names: tuple[str, ...]) -> list[PlaceLevel]:
        classes = self.columns["place_classes"]
        return [PlaceLevel(name, (CG + cls,) if cls != "Place" else tuple(CG + c for c in _PLACE_CLASSES), CG + cls)
                for name, cls in zip(names, classes)]

    def _original(self, column: str) -> str:
        """A column's name as the mapping spells it (``verbCoop``, not ``verbcoop``)."""
        return self.spelling.get(column, column)


def _period(value: str, column: str, precision: str | None) -> tuple[str, date, str]:
    """(lexical form, first day, xsd datatype) of a date cell at ``precision`` (None: as written).

    A cell may be written ``2019``, ``2019-03``, ``2019-03-07``, ``20190307`` or with a time of
    day; a coarser precision keeps only its year or month.
    """
    value = value.strip()
    if not value:
        raise RowRejected(f"{column}: missing date")
    day = _DAY.fullmatch(value)
    month = _MONTH.fullmatch(value)
    year = _YEAR.fullmatch(value)
    try:
        if day:
            found, written = date(int(day[1]), int(day[2]), int(day[3])), "day"
        elif month:
            found, written = date(int(month[1]), int(month[2]), 1), "month"
        elif year:
            found, written = date(int(year[1]), 1, 1), "year"
        else:
            raise RowRejected(f"{column}: not a date: {value!r} (expected 2019, 2019-03, 2019-03-07 or 20190307)")
    except ValueError:
        raise RowRejected(f"{column}: impossible date: {value!r}") from None
    precision = precision or written
    if _PRECISIONS.index(precision) < _PRECISIONS.index(written):
        raise RowRejected(f"{column}: {value!r} is coarser than the mapping's precision ({precision})")
    if precision == "year":
        return f"{found.year:04d}", date(found.year, 1, 1), XSD + "gYear"
    if precision == "month":
        return f"{found.year:04d}-{found.month:02d}", date(found.year, found.month, 1), XSD + "gYearMonth"
    return found.isoformat(), found, XSD + "date"


# Loading a mapping ------------------------------------------------------------------------------

def load_mapping(name_or_path: str | Path) -> Mapping:
    """The mapping of a shipped name (``icews-dyad-year``) or a TOML file; UsageError naming the
    file and the key when it is malformed.

    >>> load_mapping("edge-list").sign["column"]
    'sign'
    >>> try:
    ...     load_mapping("no-such-mapping")
    ... except UsageError as err:
    ...     print(str(err)[:60])
    unknown mapping 'no-such-mapping': not a file, nor a shipped
    """
    shipped = shipped_mappings()
    path = shipped.get(str(name_or_path)) or Path(name_or_path)
    if not path.is_file():
        raise UsageError(f"unknown mapping {str(name_or_path)!r}: not a file, nor a shipped mapping "
                         f"({', '.join(sorted(shipped))})")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"{path}: cannot read the mapping: {err}") from None
    except tomllib.TOMLDecodeError as err:
        raise UsageError(f"{path}: not valid TOML: {err}") from None
    return _checked(raw, path)


def _checked(raw: dict, path: Path) -> Mapping:
    def fail(key: str, message: str) -> UsageError:
        return UsageError(f"{path}: {key}: {message}")

    for table, value in raw.items():
        if table not in _KEYS:
            raise fail(table, f"unknown table (known: {', '.join(_KEYS)})")
        if not isinstance(value, dict):
            raise fail(table, "must be a table ([" + table + "])")
        unknown = set(value) - _KEYS[table]
        if unknown:
            raise fail(f"{table}.{sorted(unknown)[0]}", f"unknown key (known: {', '.join(sorted(_KEYS[table]))})")
    head, dataset, columns = raw.get("mapping", {}), raw.get("dataset", {}), dict(raw.get("columns", {}))
    sign, kinds = dict(raw.get("sign", {})), dict(raw.get("type", {}))
    rows = head.get("rows", "events")
    if rows not in _ROWS:
        raise fail("mapping.rows", f"must be \"events\" or \"ties\", not {rows!r}")
    for key in ("key", "title"):
        if not isinstance(dataset.get(key), str) or not dataset[key].strip():
            raise fail(f"dataset.{key}", "missing (the dataset needs a key and a title to be cited)")
    for key, value in dataset.items():
        if not isinstance(value, str):
            raise fail(f"dataset.{key}", "must be text")
    if not _DATASET_KEY.fullmatch(dataset["key"]):
        raise fail("dataset.key", f"must be lowercase letters, digits and hyphens, not {dataset['key']!r}")
    for key in ("license", "url"):
        if dataset.get(key) and not re.match(r"https?://[^\s<>\"{}|\\^`]+$", dataset[key]):
            raise fail(f"dataset.{key}", f"must be an http(s) URL, not {dataset[key]!r}")

    spelling: dict[str, str] = {}

    def column(key: str, value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise fail(key, f"must be a column name, not {value!r}")
        spelling[value.strip().lower()] = value.strip()
        return value.strip().lower()

    def column_list(key: str, value: object) -> list[str]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise fail(key, f"must be a list of column names, not {value!r}")
        return [column(key, v) for v in value]

    for key in _COLUMN_KEYS:
        if key in columns:
            columns[key] = column(f"columns.{key}", columns[key])
    if "actors" in columns:
        if "source" in columns or "target" in columns:
            raise fail("columns.actors", "give either source and target, or actors, not both")
        if rows != "ties":
            raise fail("columns.actors", "an actor list needs rows = \"ties\" (an event has one initiator and "
                                         "one recipient)")
    elif "source" not in columns or "target" not in columns:
        raise fail("columns.source" if "source" not in columns else "columns.target",
                   "missing (the two actors' columns, or columns.actors for a list)")
    if "date" not in columns:
        raise fail("columns.date", "missing (the column with each row's date or period)")
    if columns.get("precision", "day") not in _PRECISIONS:
        raise fail("columns.precision", f"must be day, month or year, not {columns['precision']!r}")
    if "id" in columns:
        columns["id"] = (column("columns.id", columns["id"]) if isinstance(columns["id"], str)
                         else column_list("columns.id", columns["id"]))
    columns["counts"] = column_list("columns.counts", columns.get("counts", []))
    columns["place"] = column_list("columns.place", columns.get("place", []))
    classes = columns.get("place_classes") or list(_PLACE_CLASSES[:3]) + ["Place"] * max(0, len(columns["place"]) - 3)
    if not isinstance(classes, list) or any(c not in _PLACE_CLASSES for c in classes):
        raise fail("columns.place_classes", f"must be a list drawn from {', '.join(_PLACE_CLASSES)}")
    if len(classes) < len(columns["place"]):
        raise fail("columns.place_classes", "needs one class per place column")
    columns["place_classes"] = classes[:len(columns["place"])]
    if ("latitude" in columns) != ("longitude" in columns):
        raise fail("columns.latitude", "give both latitude and longitude, or neither")

    ways = [k for k in ("fixed", "column", "cooperation") if k in sign]
    if len(ways) != 1 or ("hostility" in sign) != ("cooperation" in sign):
        raise fail("sign", "give exactly one of: fixed = \"cooperation\"; column = \"...\" with values = {...}; "
                           "or cooperation = [...] with hostility = [...] (count columns compared)")
    if "fixed" in sign and sign["fixed"] not in SIGNS:
        raise fail("sign.fixed", f"must be one of {', '.join(SIGNS)}, not {sign['fixed']!r}")
    if "column" in sign:
        sign["column"] = column("sign.column", sign["column"])
        values = sign.get("values")
        if not isinstance(values, dict) or not values:
            raise fail("sign.values", "missing: a table of the column's values and the sign each means")
        bad = [v for v in values.values() if v not in SIGNS]
        if bad:
            raise fail("sign.values", f"each value must mean one of {', '.join(SIGNS)}, not {bad[0]!r}")
    elif "values" in sign:
        raise fail("sign.values", "only with sign.column")
    if "cooperation" in sign:
        for key in ("cooperation", "hostility"):
            sign[key] = column_list(f"sign.{key}", sign[key])
            extra = [c for c in sign[key] if c not in columns["counts"]]
            if extra:
                raise fail(f"sign.{key}", f"{spelling[extra[0]]!r} is not one of columns.counts")
    if kinds:
        if "column" not in kinds:
            raise fail("type.column", "missing (the column with the dataset's own kind of each row)")
        kinds["column"] = column("type.column", kinds["column"])
        values = kinds.get("values", {})
        if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
            raise fail("type.values", "must be a table of codes and their words")
    actor_class = head.get("actor_class", "Actor")
    if actor_class not in _ACTOR_CLASSES:
        raise fail("mapping.actor_class", f"must be one of {', '.join(_ACTOR_CLASSES)}, not {actor_class!r}")
    delimiter = head.get("delimiter")
    if delimiter is not None and delimiter not in (",", "\t", ";", "|"):
        raise fail("mapping.delimiter", f"must be \",\", \"\\t\", \";\" or \"|\", not {delimiter!r}")

    required = [columns[k] for k in _COLUMN_KEYS if k in columns]
    required += (columns["id"] if isinstance(columns.get("id"), list) else [columns["id"]] if "id" in columns else [])
    required += columns["counts"] + columns["place"]
    required += [sign["column"]] if "column" in sign else []
    required += [kinds["column"]] if kinds else []
    return Mapping(name=str(head.get("name") or path.stem), file=str(path), rows=rows, dataset=dataset,
                   columns=columns, sign=sign, kinds=kinds, actor_class=CG + actor_class, delimiter=delimiter,
                   description=str(head.get("description", "")), required=tuple(dict.fromkeys(required)),
                   spelling=spelling)


# Which mapping fits a file ------------------------------------------------------------------

@dataclass
class Inspection:
    """A table file's columns and the shipped mappings that fit it (all their columns present)."""

    file: str
    layout: str  # "comma-separated", "tab-separated", "separated by ';'", "Parquet file", "Excel workbook"
    columns: list[str]
    fits: list[str]
    closest: tuple[str, list[str]] | None  # when none fits: the mapping missing fewest columns, and those
    command: str | None = None  # the file is an event export with a command of its own ("import ucdp")

    def line(self) -> str:
        """The one-line answer the CLI prints.

        >>> Inspection("x.csv", "comma-separated", ["a", "b"], ["edge-list"], None).line()
        'x.csv: 2 columns (a, b), comma-separated; fits mapping: edge-list'
        """
        shown = ", ".join(self.columns[:12]) + (", ..." if len(self.columns) > 12 else "")
        head = f"{self.file}: {len(self.columns)} columns ({shown}), {self.layout}; "
        if self.command:
            return head + f"an event export: conflictgraph {self.command} {self.file}"
        if self.fits:
            return head + "fits mapping: " + ", ".join(self.fits)
        if self.closest:
            name, missing = self.closest
            return head + f"no shipped mapping fits (closest: {name}, missing {', '.join(missing)}); write your own"
        return head + "no shipped mapping fits; write your own"


def inspect_table(path: Path | str) -> Inspection:
    """Read a table file's header and say which shipped mappings fit it.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "dyads.tsv"
    >>> _ = path.write_text("i\\tj\\tyear\\tverbCoop\\tmatlCoop\\tverbConf\\tmatlConf\\n", encoding="utf-8")
    >>> inspect_table(path).fits
    ['icews-dyad-year']
    """
    path = Path(path)
    if not path.is_file():
        raise ImportFailed(str(path), "not a regular file")
    if path.suffix.lower() in SHEET_SUFFIXES:
        reader = ParquetReader(path, required=()) if path.suffix.lower() in PARQUET_SUFFIXES else \
            ExcelReader(path, required=())
        next(iter(reader), None)  # reads the header
        layout, columns = reader.kind, reader.columns
    else:
        header = _header(path)
        delimiter = delimiter_for(path, header)
        layout = "tab-separated" if delimiter == "\t" else "comma-separated" if delimiter == "," else (
            f"separated by {delimiter!r}")
        columns = [c.strip() for c in header.split(delimiter)] if header.strip() else []
    present = {c.lower() for c in columns}
    for command, spec in DATASETS.items():  # an event export has its own command
        if all(c.lower() in present for c in spec.required):
            return Inspection(path.name, layout, columns, [], None, command=f"import {command}")
    fits, closest = [], None
    for name in sorted(shipped_mappings()):
        mapping = load_mapping(name)
        missing = [mapping._original(c) for c in mapping.required if c not in present]
        if not missing:
            fits.append(name)
        elif len(missing) < len(mapping.required) and (closest is None or len(missing) < len(closest[1])):
            closest = (name, missing)
    return Inspection(path.name, layout, columns, fits, None if fits else closest)


def table_spec(mapping: Mapping, path: Path | str) -> DatasetSpec:
    """The importer's spec for ``path`` under ``mapping``: the delimiter the mapping names, or the
    file's own (by its name, else its header)."""
    path = Path(path)
    if path.suffix.lower() in SHEET_SUFFIXES:  # cells come as cells: no delimiter to choose
        return mapping.spec_for(",")
    delimiter = mapping.delimiter or delimiter_for(path, _header(path) if path.is_file() else None)
    return mapping.spec_for(delimiter)
