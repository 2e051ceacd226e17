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
>>> NetworkSpec(as_of="2023-06").project_options()["as_of"]
'2023-06-01'
"""
from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import overload

from conflictgraph.bundled import ontology_dir
from conflictgraph.errors import ConflictGraphError, UsageError
from conflictgraph.query.catalog import parse_date

__all__ = ["ProjectionError", "Relation", "NetworkSpec", "VIEWS", "WEIGHT_RULES", "load_projection", "parse_day",
           "describe_window"]

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
        """Keyword arguments for :func:`~conflictgraph.network.projection.project`."""
        if self.as_of and self.between:
            raise UsageError("give an as-of date or a period (between), not both")
        return dict(view="alliance" if self.view == "alliances" else self.view, as_of=parse_day(self.as_of),
                    between=tuple(self.between) if self.between else None, evidence=self.evidence,
                    status=list(self.status) or None, include_generic=self.include_generic,
                    relations=self.relation_names())

    def window(self, *, as_of: str | None = None, between: tuple[str, str] | None = None) -> NetworkSpec:
        """The same network in another time window."""
        return replace(self, as_of=as_of, between=between)

    def changed_from_default(self) -> list[str]:
        """The options given a value other than their default (for refusing them where they do
        not apply)."""
        default = NetworkSpec()
        return [name for name in ("view", "as_of", "between", "evidence", "status", "include_generic", "relations",
                                  "focus", "depth") if getattr(self, name) != getattr(default, name)]
