"""What library functions return: tables of rows with their columns and a title.

The CLI writes them in any ``--format`` (:func:`conflictgraph.render.rows.write_table`), the
server answers with them, and a notebook reads ``.rows``.

Examples
--------
>>> table = Table([{"name": "KNDF", "events": 3}], columns=["name", "events"], title="Actors")
>>> len(table), table.columns
(1, ['name', 'events'])
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING
from dataclasses import dataclass, field
from html import escape

from conflictgraph.rdf.frames import html_table, to_frame

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["Table", "Report", "merge_rows"]


@dataclass
class Table:
    """Rows (dicts) with their column order and an optional title."""

    rows: list[dict]
    columns: list[str] = field(default_factory=list)
    title: str | None = None

    def __post_init__(self) -> None:
        if not self.columns and self.rows:
            self.columns = list(self.rows[0])

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict]:
        return iter(self.rows)

    def to_pandas(self) -> pd.DataFrame:
        """The rows as a typed DataFrame (see :mod:`conflictgraph.rdf.frames`); needs pandas."""
        return to_frame(self.rows, self.columns)

    def _repr_html_(self) -> str:
        return html_table(self.rows, self.columns, title=self.title)


@dataclass
class Report:
    """An analysis: what it used (``meta``: view, window, filters, counts, method), its tables
    for reading (``sections``) and its full answer for machines (``data``, what JSON output holds
    beside ``meta``)."""

    meta: dict
    sections: list[Table]
    data: dict

    def to_pandas(self, section: int | str = 0) -> pd.DataFrame:
        """One of the report's tables (by position or title) as a typed DataFrame; needs pandas."""
        if isinstance(section, str):
            found = [table for table in self.sections if table.title == section]
            if not found:
                raise KeyError(f"no section {section!r} (sections: {', '.join(str(t.title) for t in self.sections)})")
            return found[0].to_pandas()
        return self.sections[section].to_pandas()

    def _repr_html_(self) -> str:
        used = ", ".join(f"{key} {value}" for key, value in self.meta.items() if not isinstance(value, (list, dict)))
        return f"<p>{escape(used)}</p>" + "".join(table._repr_html_() for table in self.sections)


def merge_rows(rows: Iterable[dict], multi: Sequence[str]) -> list[dict]:
    """Merge rows that differ only in the ``multi`` columns: their cells list each value once, in
    sorted order, joined by "; ". A query row per combination of several values (a claim about two
    actors, by two claimants) becomes one row.

    >>> merge_rows([{"c": 1, "a": "x"}, {"c": 1, "a": "y"}, {"c": 2, "a": None}], ["a"])
    [{'c': 1, 'a': 'x; y'}, {'c': 2, 'a': None}]
    """
    merged: dict[tuple, tuple[dict, dict[str, list]]] = {}
    for row in rows:
        key = tuple((k, str(v)) for k, v in row.items() if k not in multi)
        first, values = merged.setdefault(key, (row, {column: [] for column in multi}))
        for column in multi:
            value = row.get(column)
            if value is not None and value not in values[column]:
                values[column].append(value)
    result = []
    for first, values in merged.values():
        row = dict(first)
        for column, found in values.items():
            if column in row or found:
                row[column] = found[0] if len(found) == 1 else ("; ".join(sorted(str(v) for v in found)) or None)
        result.append(row)
    return result


