"""Named queries: ontology/queries/*.rq with a header of title, description and parameters.

Header lines look like::

    # title: Members of an alliance
    # description: Actors with a membership in the alliance, with dates and sources.
    # param: alliance actor The alliance, by name

A parameter is a SPARQL variable the caller binds; its type says how a value given as text is
turned into a term (an entity name is resolved to its IRI, a date becomes an xsd:date). An
unbound parameter matches anything, unless its description ends with ``(required)``: then
running the query without it is refused.

Examples
--------
>>> catalog = load_catalog()
>>> "alliance-members" in catalog
True
>>> catalog["alliance-members"].params[0].name
'alliance'
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from conflictgraph.bundled import ontology_dir
from conflictgraph.errors import UsageError

__all__ = ["Param", "NamedQuery", "load_catalog", "PARAM_TYPES", "ENTITY_PARAM_TYPES"]

ENTITY_PARAM_TYPES = {"actor", "place", "operation", "source", "entity"}
PARAM_TYPES = ENTITY_PARAM_TYPES | {"date", "string", "integer", "iri"}
_HEADER = re.compile(r"^#\s*(title|description|param):\s*(.*)$")


@dataclass(frozen=True)
class Param:
    """A query parameter: variable name, type, and what it means."""

    name: str
    type: str
    description: str = ""

    @property
    def required(self) -> bool:
        return self.description.endswith("(required)")


@dataclass
class NamedQuery:
    """A query file and its header."""

    name: str
    path: Path
    title: str
    description: str
    params: list[Param] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    def param(self, name: str) -> Param:
        for param in self.params:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.params) or "none"
        raise UsageError(f"query {self.name!r} has no parameter {name!r} (parameters: {known})")

    def check_required(self, given: Iterable[str]) -> None:
        """Refuse a run that leaves a required parameter unbound."""
        missing = [p for p in self.params if p.required and p.name not in set(given)]
        if missing:
            raise UsageError(f"query {self.name!r} needs " + ", ".join(
                f"--param {p.name}=<{p.type}>" for p in missing))


def _parse_header(path: Path) -> NamedQuery:
    title, description, params = path.stem, "", []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _HEADER.match(line.strip())
        if not match:
            if line.strip() and not line.strip().startswith("#"):
                break
            continue
        key, value = match.groups()
        if key == "title":
            title = value.strip()
        elif key == "description":
            description = (description + " " + value.strip()).strip()
        else:
            name, _, rest = value.strip().partition(" ")
            kind, _, text = rest.strip().partition(" ")
            if kind not in PARAM_TYPES:
                raise UsageError(f"{path}: parameter {name!r} has unknown type {kind!r} "
                                 f"(known: {', '.join(sorted(PARAM_TYPES))})")
            params.append(Param(name.lstrip("?$"), kind, text.strip()))
    return NamedQuery(path.stem, path, title, description, params)


def load_catalog(folder: Path | None = None) -> dict[str, NamedQuery]:
    """All named queries in ``folder`` (default: the bundled ontology/queries), by name."""
    folder = folder or ontology_dir() / "queries"
    return {path.stem: _parse_header(path) for path in sorted(folder.glob("*.rq"))}


def parse_date(text: str) -> str:
    """Check an ISO day, month or year (2023-11-07, 2023-11, 2023) and return it as a day.

    A month or year means its first day.

    >>> parse_date("2023-11")
    '2023-11-01'
    """
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}", text):
            return f"{text}-01-01"
        if re.fullmatch(r"\d{4}-\d{2}", text):
            return date.fromisoformat(text + "-01").isoformat()
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise UsageError(f"{text!r} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)") from None
