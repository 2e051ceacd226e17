"""What a network is made of and which network is asked for.

The projection file (``ontology/projection.toml``) declares each kind of edge as data: a
:class:`Relation` per entry, read and checked by :func:`load_projection`. A
:class:`NetworkSpec` holds the options of one network (view, time window, evidence and status
filters, generic actors, relations, ego focus), as every network command and
:meth:`conflictgraph.api.ConflictGraph.network` take them.

Examples
--------
>>> NetworkSpec(relations=("co-member,co-launched",)).relation_names()
['co-member', 'co-launched']
>>> NetworkSpec(as_of="2023-06-15").project_options()["as_of"]
'2023-06-15'

Dates and periods. A day (``2023-06-15``) is that day; a month (``2023-06``) or a year
(``2023``) is the whole period, from its first to its last day; ``START..END`` runs from the
first day of START to the last day of END. ``as_of`` a month or year therefore means the ties
in force at some time in it (the same as ``between`` its first and last day), and
``between 2012 2013`` covers both years. The network page's time slider offers the same
choice (a day, its month or its year).

>>> NetworkSpec(as_of="2023-06").project_options()["between"]
('2023-06-01', '2023-06-30')
"""
from __future__ import annotations

import calendar
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import overload

from conflictgraph.bundled import ontology_dir
from conflictgraph.errors import ConflictGraphError, UsageError
from conflictgraph.query.catalog import parse_date

__all__ = ["ProjectionError", "Relation", "NetworkSpec", "VIEWS", "WEIGHT_RULES", "load_projection", "parse_day",
           "parse_period", "resolve_window", "periods_between", "merge_spans", "describe_window"]

VIEWS = ("actors", "alliance")
WEIGHT_RULES = ("statements", "sources", "events", "evidence")
_KEYS = {"name", "relation", "label", "description", "sign", "symmetric", "views", "weight", "evidence",
         "via", "query", "file"}
_REQUIRED = ("name", "relation", "sign", "views", "evidence")


class ProjectionError(ConflictGraphError):
    """The projection file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Relation:
    """One entry of the projection file: a SPARQL query and the edges it yields."""

    name: str
    relation: str
    sign: int
    symmetric: bool
    views: tuple[str, ...]
    weight: str
    evidence: tuple[str, ...]
    query: str
    label: str = ""
    via: tuple[str, ...] = ()
    description: str = ""


def _entry(raw: dict, where: str, base: Path) -> Relation:
    name = raw.get("name", "?")
    def fail(message: str) -> ProjectionError:
        return ProjectionError(f"{where}: entry {name!r}: {message}")
    unknown = set(raw) - _KEYS
    if unknown:
        raise fail(f"unknown key(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(_KEYS))})")
    for key in _REQUIRED:
        if key not in raw:
            raise fail(f"missing key {key!r}")
    sign = raw["sign"]
    if isinstance(sign, bool) or sign not in (-1, 0, 1):
        raise fail(f"sign must be 1, -1 or 0, not {sign!r}")
    views = raw["views"]
    if isinstance(views, str):
        views = [views]
    if not views or any(v not in VIEWS for v in views):
        raise fail(f"views must be a list drawn from {', '.join(VIEWS)}, not {raw['views']!r}")
    weight = raw.get("weight", "statements")
    if weight not in WEIGHT_RULES:
        raise fail(f"weight must be one of {', '.join(WEIGHT_RULES)}, not {weight!r}")
    symmetric = raw.get("symmetric", False)
    if not isinstance(symmetric, bool):
        raise fail(f"symmetric must be true or false, not {symmetric!r}")
    evidence, via = raw["evidence"], raw.get("via", [])
    for key, value in (("evidence", evidence), ("via", via)):
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise fail(f"{key} must be a list of query variable names")
    if not evidence:
        raise fail("evidence needs at least one variable")
    if ("query" in raw) == ("file" in raw):
        raise fail("give exactly one of 'query' (inline SPARQL) or 'file'")
    if "file" in raw:
        path = base / raw["file"]
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as err:
            raise fail(f"cannot read {path}: {err.strerror}") from None
    else:
        text = raw["query"]
    if not isinstance(text, str) or "SELECT" not in text.upper():
        raise fail("the query must be a SPARQL SELECT")
    for var in ("a", "b", *evidence, *via):
        if f"?{var}" not in text and f"${var}" not in text:
            raise fail(f"the query does not mention ?{var}")
    return Relation(name=name, relation=str(raw["relation"]), sign=int(sign), symmetric=symmetric,
                    views=tuple(views), weight=weight, evidence=tuple(evidence), query=text,
                    label=str(raw.get("label") or raw["relation"]), via=tuple(via),
                    description=str(raw.get("description", "")))


def load_projection(path: Path | None = None) -> list[Relation]:
    """Read and check the projection file (default: the bundled ontology/projection.toml).

    Raises :class:`ProjectionError` naming the file and entry on unknown keys, a bad sign,
    view or weight rule, a missing query, or duplicate names.

    >>> relations = load_projection()
    >>> {r.relation: r.sign for r in relations}["hostile-to"]
    -1
    """
    path = Path(path) if path else ontology_dir() / "projection.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ProjectionError(f"{path}: cannot read: {err.strerror}") from None
    except tomllib.TOMLDecodeError as err:
        raise ProjectionError(f"{path}: {err}") from None
    extra = set(data) - {"relation"}
    if extra:
        raise ProjectionError(f"{path}: unknown top-level key(s) {', '.join(sorted(extra))}; "
                              "entries are [[relation]] tables")
    entries = data.get("relation", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ProjectionError(f"{path}: 'relation' must be an array of tables ([[relation]])")
    relations = [_entry(raw, str(path), path.parent) for raw in entries]
    seen: set[str] = set()
    for rel in relations:
        if rel.name in seen:
            raise ProjectionError(f"{path}: entry {rel.name!r}: the name is used twice")
        seen.add(rel.name)
    by_relation: dict[str, Relation] = {}
    for rel in relations:
        other = by_relation.setdefault(rel.relation, rel)
        if (other.sign, other.symmetric) != (rel.sign, rel.symmetric):
            raise ProjectionError(f"{path}: entry {rel.name!r}: relation {rel.relation!r} has another sign or "
                                  f"symmetry in entry {other.name!r}")
    return relations


@overload
def parse_day(text: None) -> None: ...
@overload
def parse_day(text: str | date) -> str: ...
def parse_day(text: str | date | None) -> str | None:
    """An ISO day from a day, month or year (a month or year means its first day).

    >>> parse_day("2023-06")
    '2023-06-01'
    """
    if text is None:
        return None
    if isinstance(text, date):
        return text.isoformat()
    return parse_date(str(text))


def parse_period(text: str | date) -> tuple[str, str]:
    """The first and last day of a day, a month, a year, or ``START..END`` (each of those).

    >>> parse_period("2024-02"), parse_period("2023"), parse_period("2023-11-07")
    (('2024-02-01', '2024-02-29'), ('2023-01-01', '2023-12-31'), ('2023-11-07', '2023-11-07'))
    >>> parse_period("2012-03..2013")
    ('2012-03-01', '2013-12-31')
    """
    if isinstance(text, date):
        return text.isoformat(), text.isoformat()
    text = str(text).strip()
    if ".." in text:
        first, last = text.split("..", 1)
        start, end = parse_period(first)[0], parse_period(last)[1]
        if start > end:
            raise UsageError(f"the period {text!r} starts after it ends")
        return start, end
    start = parse_date(text)
    if re.fullmatch(r"\d{4}", text):
        return start, f"{text}-12-31"
    if re.fullmatch(r"\d{4}-\d{2}", text):
        year, month = int(text[:4]), int(text[5:])
        return start, f"{text}-{calendar.monthrange(year, month)[1]:02d}"
    return start, start


def resolve_window(as_of: str | date | None, between: Sequence[str | date] | None
                   ) -> tuple[str | None, tuple[str, str] | None]:
    """The window an ``as_of`` date or a ``between`` period asks for, as (day, None) or (None, (first, last)).

    ``as_of`` a month or year is the whole period; ``between`` runs from the first day of its
    start to the last day of its end (see the module's notes on dates and periods).

    >>> resolve_window("2023-11-07", None), resolve_window("2023", None)
    (('2023-11-07', None), (None, ('2023-01-01', '2023-12-31')))
    >>> resolve_window(None, ("2012", "2013-06"))
    (None, ('2012-01-01', '2013-06-30'))
    """
    if as_of is not None and between is not None:
        raise UsageError("give an as-of date or a period (between), not both")
    if as_of is not None:
        start, end = parse_period(as_of)
        return (start, None) if start == end else (None, (start, end))
    if between is None:
        return None, None
    if len(between) != 2:
        raise UsageError("between needs two dates (start, end)")
    window = (parse_period(between[0])[0], parse_period(between[1])[1])
    if window[0] > window[1]:
        raise UsageError(f"between: the start {window[0]} is after the end {window[1]}")
    return None, window


def periods_between(first: str, last: str, by: str) -> list[tuple[str, str, str]]:
    """The years or months (``by``) from the one holding day ``first`` to the one holding ``last``,
    each as (name, first day, last day).

    >>> periods_between("2022-11-20", "2023-01-02", "month")[-1]
    ('2023-01', '2023-01-01', '2023-01-31')
    >>> [name for name, _s, _e in periods_between("2021-05-01", "2023-01-01", "year")]
    ['2021', '2022', '2023']
    """
    if by not in ("year", "month"):
        raise UsageError(f"periods are years or months, not {by!r}")
    year, month = int(first[:4]), int(first[5:7])
    names = []
    while True:
        name = f"{year}" if by == "year" else f"{year}-{month:02d}"
        names.append(name)
        if name >= last[:len(name)]:
            break
        if by == "year":
            year += 1
        else:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return [(name, *parse_period(name)) for name in names]


def merge_spans(spans: Iterable[Sequence[str | None]]) -> list[list[str | None]]:
    """Days in force as few (start, end) spans as possible: overlapping or adjacent spans joined;
    None is an open start or end. A tie whose spans are more than one has gaps, in which it is
    not in force (the network page draws it only within its spans).

    >>> merge_spans([("2023-03-01", "2023-03-31"), ("2023-01-05", "2023-01-05"), ("2023-01-06", "2023-01-09")])
    [['2023-01-05', '2023-01-09'], ['2023-03-01', '2023-03-31']]
    >>> merge_spans([(None, "2020-01-01"), ("2019-05-01", None)])
    [[None, None]]
    """
    merged: list[list[str | None]] = []
    for start, end in sorted(spans, key=lambda span: span[0] or ""):
        if merged:
            last = merged[-1]
            if last[1] is None or start is None or start <= _next_day(last[1]):
                if last[1] is not None and (end is None or end > last[1]):
                    last[1] = end
                continue
        merged.append([start, end])
    return merged


def _next_day(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def describe_window(as_of: str | None, between: Sequence[str] | None) -> str:
    """Words for a time window: 'as of D', 'between S and E' or 'all dates'.

    >>> describe_window(None, ("2023-01-01", "2023-12-31"))
    'between 2023-01-01 and 2023-12-31'
    """
    if as_of:
        return f"as of {as_of}"
    if between:
        return f"between {between[0]} and {between[1]}"
    return "all dates"


@dataclass(frozen=True)
class NetworkSpec:
    """The options of one network: what :func:`conflictgraph.network.projection.project` takes,
    plus an ego ``focus`` (an entity name) and its ``depth``.

    ``relations`` items may hold several names separated by commas (as typed on a command line).
    """

    view: str = "actors"
    as_of: str | None = None
    between: tuple[str, str] | None = None
    evidence: str = "all"
    status: tuple[str, ...] = ()
    include_generic: bool = False
    relations: tuple[str, ...] = ()
    focus: str | None = None
    depth: int = 1

    def relation_names(self) -> list[str] | None:
        """The relations asked for, one name each, or None for all."""
        names = [name.strip() for value in self.relations for name in value.split(",") if name.strip()]
        return names or None

    def project_options(self) -> dict:
        """Keyword arguments for :func:`~conflictgraph.network.projection.project` (the window
        resolved: a month or year as of which is the whole period)."""
        return {**self.projector_options(), **self.window_options()}

    def projector_options(self) -> dict:
        """The options of :func:`~conflictgraph.network.projection.project` but the window: a
        :class:`~conflictgraph.network.projection.Projector`'s."""
        return dict(view="alliance" if self.view == "alliances" else self.view, evidence=self.evidence,
                    status=list(self.status) or None, include_generic=self.include_generic,
                    relations=self.relation_names())

    def window_options(self) -> dict:
        """The window of :func:`~conflictgraph.network.projection.project` (a month or year as
        of which is the whole period): what :meth:`Projector.network
        <conflictgraph.network.projection.Projector.network>` takes."""
        day, window = resolve_window(self.as_of, self.between)
        return dict(as_of=day, between=window)

    def window(self, *, as_of: str | None = None, between: tuple[str, str] | None = None) -> NetworkSpec:
        """The same network in another time window."""
        return replace(self, as_of=as_of, between=between)

    def changed_from_default(self) -> list[str]:
        """The options given a value other than their default (for refusing them where they do
        not apply)."""
        default = NetworkSpec()
        return [name for name in ("view", "as_of", "between", "evidence", "status", "include_generic", "relations",
                                  "focus", "depth") if getattr(self, name) != getattr(default, name)]
