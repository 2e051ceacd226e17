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
from dataclasses import dataclass, field

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


@dataclass
class Report:
    """An analysis: what it used (``meta``: view, window, filters, counts, method), its tables
    for reading (``sections``) and its full answer for machines (``data``, what JSON output holds
    beside ``meta``)."""

    meta: dict
    sections: list[Table]
    data: dict


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


