"""Write rows (lists of dicts) as table, csv, tsv, json, ndjson or markdown.

Examples
--------
>>> import io
>>> out = io.StringIO()
>>> write_rows([{"a": 1, "b": "x|y"}], "markdown", out)
>>> print(out.getvalue().strip())
| a | b |
| --- | --- |
| 1 | x\\|y |
"""
from __future__ import annotations

import csv
import json
import re
import shutil
from collections.abc import Callable, Sequence
from typing import IO

from conflictgraph.query.results import Table
from conflictgraph.rdf.terms import IRI, Literal, as_python, cell_text

__all__ = ["FORMATS", "write_rows", "write_table", "cell_text", "table_columns", "spreadsheet_safe", "report_json"]

FORMATS = ("table", "csv", "tsv", "json", "ndjson", "markdown")


def report_json(report: dict) -> str:
    """A report as JSON text: its entries indented two spaces, each row of a list of rows on
    one line of its own (written by the C encoder: the 483,000 changed ties a diff of a million
    events lists took 31 s through the indenting encoder). Values it cannot write are strings.

    >>> print(report_json({"analysis": {"ties": "cooperative"}, "rows": [{"a": 1}, {"a": 2}], "none": []}))
    {
      "analysis": {
        "ties": "cooperative"
      },
      "rows": [
        {"a": 1},
        {"a": 2}
      ],
      "none": []
    }
    """
    line = json.JSONEncoder(ensure_ascii=False, default=str, separators=(", ", ": "))
    entries = []
    for key, value in report.items():
        if isinstance(value, (list, tuple)) and value and all(isinstance(row, dict) for row in value):
            text = "[\n" + ",\n".join("    " + line.encode(row) for row in value) + "\n  ]"
        else:
            text = json.dumps(value, ensure_ascii=False, indent=2, default=str).replace("\n", "\n  ")
        entries.append(f"  {json.dumps(str(key), ensure_ascii=False)}: {text}")
    return "{\n" + ",\n".join(entries) + "\n}" if entries else "{}"


def _plain(value: object) -> object:
    if isinstance(value, (IRI, Literal)):
        return as_python(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_safe(text: str) -> str:
    """``text`` as a CSV/TSV cell that no spreadsheet runs as a formula: a cell starting with
    ``= + - @``, a tab or a carriage return gets a leading ``'`` (OWASP's advice on CSV
    injection); numbers such as ``-5`` stay as they are.

    >>> spreadsheet_safe("=cmd|' /C calc'!A0"), spreadsheet_safe("-12.5"), spreadsheet_safe("KNDF")
    ("'=cmd|' /C calc'!A0", '-12.5', 'KNDF')
    """
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def _csv_cell(value: object) -> object:
    """A cell for the csv module: a whole number as it is (never a formula), anything else as
    spreadsheet-safe text."""
    if type(value) is int:
        return value
    return spreadsheet_safe(value if type(value) is str else cell_text(value, short=False))


def _as_given(value: object) -> object:
    return value


def write_rows(rows: Sequence[dict], fmt: str, out: IO[str], *, columns: Sequence[str] | None = None,
               title: str | None = None, cell: Callable[[object], object] = _as_given) -> None:
    """Write ``rows`` to ``out`` in ``fmt``; ``columns`` fixes the order (default: first row's keys).

    ``cell`` turns each value into what is written, for a caller whose rows hold lists or scores
    it shows its own way, without a copy of every row (483,000 rows of a diff). It must give a
    string back as it is: csv and tsv pass most strings over it.
    """
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        json.dump([{c: _plain(cell(r.get(c))) for c in columns} for r in rows], out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "ndjson":
        for r in rows:
            out.write(json.dumps({c: _plain(cell(r.get(c))) for c in columns}, ensure_ascii=False) + "\n")
    elif fmt in ("csv", "tsv"):
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow([spreadsheet_safe(c) for c in columns])
        formula = _FORMULA_START
        for r in rows:  # (most cells are text no spreadsheet takes for a formula: 483,000 rows of a diff)
            writer.writerow([v if type(v) is str and not v.startswith(formula) else _csv_cell(cell(v))
                             for v in map(r.get, columns)])
    elif fmt == "markdown":
        out.write("| " + " | ".join(columns) + " |\n")
        out.write("| " + " | ".join("---" for _ in columns) + " |\n")
        for r in rows:
            cells = (cell_text(cell(r.get(c))).replace("|", "\\|").replace("\n", " ") for c in columns)
            out.write("| " + " | ".join(cells) + " |\n")
    elif fmt == "table":
        _table(rows if isinstance(rows, Sequence) else list(rows), columns, out, title, cell)
    else:
        raise ValueError(f"unknown format {fmt!r}")


def write_table(table: Table, fmt: str, out: IO[str]) -> None:
    """Write a result :class:`~conflictgraph.query.results.Table` (its title shown in tables)."""
    write_rows(table.rows, fmt, out, columns=table.columns, title=table.title if fmt == "table" else None)


def table_columns(columns: Sequence[str]) -> list[tuple[str, str]]:
    """(key, header) pairs for a human table: an IRI column ``x`` is left out when a label
    column ``xLabel`` stands beside it, and that label column is headed ``x``; so is an IRI
    column ``x_iri`` beside its label column ``x`` (the other formats keep every column).

    >>> table_columns(["member", "memberLabel", "start"])
    [('memberLabel', 'member'), ('start', 'start')]
    >>> table_columns(["from", "to", "from_iri", "to_iri"])
    [('from', 'from'), ('to', 'to')]
    """
    keys = set(columns)
    shown = []
    for column in columns:
        if column + "Label" in keys or (column.endswith("_iri") and column.removesuffix("_iri") in keys):
            continue
        header = column[: -len("Label")] if column.endswith("Label") and column[: -len("Label")] in keys else column
        shown.append((column, header))
    return shown


TABLE_ROWS = 1000  # rows a table for reading shows; the other formats write every row


def _table(rows: Sequence[dict], columns: list[str], out: IO[str], title: str | None,
           cell: Callable[[object], object]) -> None:
    """A table for reading: its first TABLE_ROWS rows, and a caption saying how to get the rest
    (drawing 480,000 rows took minutes)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    caption = None
    if len(rows) > TABLE_ROWS:
        caption = (f"the first {TABLE_ROWS:,} of {len(rows):,} rows; --format csv, tsv, json or ndjson writes "
                   "every row")
    table = Table(title=title, show_lines=False, header_style="bold")
    shown = table_columns(columns)
    for _key, header in shown:
        table.add_column(header, overflow="fold")
    for r in rows[:TABLE_ROWS]:
        table.add_row(*(Text(cell_text(cell(r.get(key)))) for key, _header in shown))  # Text: never markup
    width = shutil.get_terminal_size((160, 24)).columns if out.isatty() else 160
    console = Console(file=out, width=max(100, width), soft_wrap=False)
    console.print(table)
    if caption:
        console.print(Text(caption))
