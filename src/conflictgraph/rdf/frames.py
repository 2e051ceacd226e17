"""Rows of terms as pandas DataFrames and HTML tables, for notebooks.

pandas is optional (``pip install conflictgraph[notebook]``): nothing here imports it until a
frame is asked for. Columns are typed: numbers as numbers, ``xsd:date`` values as dates,
booleans as booleans; a column holding IRIs shows their short names (``actor:kndf``) and gets
a second column, ``<name>_iri``, with the full IRIs.

Examples
--------
>>> from conflictgraph.rdf.terms import IRI, Literal, XSD
>>> rows = [{"actor": IRI("https://w3id.org/conflictgraph/id/actor/kndf"),
...          "events": Literal("3", XSD + "integer"), "first": Literal("2023-11-07", XSD + "date")}]
>>> frame = to_frame(rows, ["actor", "events", "first"])
>>> list(frame.columns), frame["events"].dtype.kind, int(frame["first"].dt.year.iloc[0])
(['actor', 'actor_iri', 'events', 'first'], 'i', 2023)
>>> "<td>actor:kndf</td>" in html_table(rows, ["actor", "events"])
True
"""
from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from conflictgraph.errors import ConflictGraphError
from conflictgraph.rdf.namespaces import shorten
from conflictgraph.rdf.terms import XSD, IRI, Literal, as_python, cell_text

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["MissingExtra", "to_frame", "html_table"]

_DATES = {XSD + "date", XSD + "dateTime"}
_SHOWN_ROWS = 50  # rows an HTML table shows in a notebook; the rest is counted


class MissingExtra(ConflictGraphError):
    """An optional dependency is not installed; the message says which extra brings it."""


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise MissingExtra("DataFrames need pandas: pip install 'conflictgraph[notebook]'") from None
    return pandas


def to_frame(rows: Sequence[dict], columns: Sequence[str]) -> pd.DataFrame:
    """A DataFrame of ``rows`` (dicts of terms or plain values) with ``columns`` in order, typed."""
    pd = _pandas()
    data: dict[str, Any] = {}
    for name in columns:
        values = [row.get(name) for row in rows]
        if any(isinstance(v, IRI) for v in values):
            data[name] = [shorten(v) if isinstance(v, IRI) else _plain(v) for v in values]
            data[name + "_iri"] = [str(v) if isinstance(v, IRI) else None for v in values]
        elif values and all(isinstance(v, Literal) and v.datatype in _DATES for v in values if v is not None) \
                and any(v is not None for v in values):
            data[name] = pd.to_datetime([v.value if v is not None else None for v in values], errors="coerce")
        else:
            data[name] = pd.Series([_plain(v) for v in values], dtype="object").infer_objects()
    return pd.DataFrame(data, columns=list(data))


def _plain(value: object) -> object:
    if isinstance(value, Literal) or value is None:
        return as_python(value)
    if isinstance(value, (list, tuple)):
        return "; ".join(shorten(str(v)) for v in value)
    return value


def html_table(rows: Sequence[dict], columns: Sequence[str], *, title: str | None = None) -> str:
    """An HTML table of ``rows`` for a notebook; every cell escaped (text never becomes markup)."""
    head = "".join(f"<th>{escape(str(c))}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{escape(cell_text(row.get(c)))}</td>" for c in columns) + "</tr>"
                   for row in rows[:_SHOWN_ROWS])
    more = f"<p>{len(rows) - _SHOWN_ROWS} more rows</p>" if len(rows) > _SHOWN_ROWS else ""
    caption = f"<caption>{escape(title)}</caption>" if title else ""
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"
