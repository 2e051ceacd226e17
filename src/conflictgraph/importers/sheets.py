"""Stream the rows of a Parquet file or an Excel workbook as the CSV reader streams a CSV file.

UCDP publishes its event data as CSV and Excel, ACLED's export tool gives CSV and Excel, and
analysts keep tables as Parquet: every importer takes them all. :func:`open_rows` picks the
reader by the file's extension; each yields :class:`~conflictgraph.importers.csvread.Row` s with
the cells as text, written as a CSV export writes them, so the importers see the same cells
whatever the file:

- a whole number is written without a decimal point (Excel keeps every number as a float:
  2023.0 -> "2023"), another number as Python writes it; an empty cell, and a missing number
  (NaN), as "";
- a date as ``YYYY-MM-DD``, a date and time as ``YYYY-MM-DD HH:MM:SS`` (fractions of a second
  dropped), booleans as ``true``/``false``.

Parquet is read a batch of rows at a time (pyarrow), Excel's first sheet a row at a time
(openpyxl's read-only mode); neither holds the file's rows in memory. Both readers come with
``pip install 'conflictgraph[sheets]'``; without them, such a file gets a message saying so.

Examples
--------
>>> from datetime import datetime
>>> [cell_text(v) for v in (2023.0, 2.5, None, float("nan"), True, datetime(2023, 11, 7), datetime(2023, 11, 7, 9, 30))]
['2023', '2.5', '', '', 'true', '2023-11-07', '2023-11-07 09:30:00']
"""
from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from conflictgraph.errors import ImportFailed
from conflictgraph.importers.csvread import CsvReader, Row, check_header, file_size

__all__ = ["open_rows", "cell_text", "ParquetReader", "ExcelReader", "PARQUET_SUFFIXES", "EXCEL_SUFFIXES",
           "SHEET_SUFFIXES"]

PARQUET_SUFFIXES = (".parquet", ".pq")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
SHEET_SUFFIXES = PARQUET_SUFFIXES + EXCEL_SUFFIXES
_BATCH = 10_000  # Parquet rows converted at a time


def cell_text(value: object) -> str:
    """A cell's value as a CSV export writes it (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):  # Parquet written by pandas, Polars or R marks a missing number so
            return ""
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def open_rows(path: Path | str, *, required: Sequence[str], format_name: str = "CSV",
              hints: Sequence[tuple[str, str]] = (), delimiter: str = ",") -> CsvReader | ParquetReader | ExcelReader:
    """The reader for ``path``: Parquet (``.parquet``, ``.pq``), Excel (``.xlsx``, ``.xlsm``) or
    delimited text (anything else)."""
    suffix = Path(path).suffix.lower()
    if suffix in PARQUET_SUFFIXES:
        return ParquetReader(path, required=required, format_name=format_name, hints=hints)
    if suffix in EXCEL_SUFFIXES:
        return ExcelReader(path, required=required, format_name=format_name, hints=hints)
    return CsvReader(path, required=required, format_name=format_name, hints=hints, delimiter=delimiter)


class _SheetReader:
    """What the two readers share: the checks on the file and the header, and the progress."""

    kind = ""

    def __init__(self, path: Path | str, *, required: Sequence[str], format_name: str = "CSV",
                 hints: Sequence[tuple[str, str]] = ()):
        self.path = Path(path)
        self.required = [c.lower() for c in required]
        self.format_name, self.hints = format_name, list(hints)
        self.columns: list[str] = []
        self.size = file_size(self.path)
        self.bytes_read = 0  # estimated from the share of rows read
        self.last_row = 1  # the number of the last row handed out (1: the header)

    def _header(self, names: Sequence[object]) -> None:
        self.columns = [cell_text(name).strip().lower() for name in names]
        if not any(self.columns):
            raise ImportFailed(str(self.path), f"the {self.kind} has no header row: expected a {self.format_name} "
                                               f"header ({', '.join(self.required[:4])}, ...)", row=1)
        check_header(self.path, self.columns, self.required, self.format_name, self.hints)

    def _row(self, number: int, values: Sequence[object]) -> Row:
        self.last_row = number
        cells = [cell_text(value) for value in values]
        problem = None
        if len(cells) != len(self.columns):
            problem = f"wrong number of cells: expected {len(self.columns)}, found {len(cells)}"
        return Row(number, dict(zip(self.columns, cells)), cells, problem)

    def _missing_library(self, package: str) -> ImportFailed:
        return ImportFailed(str(self.path), f"reading a {self.kind} needs the {package} package: "
                                            f"pip install 'conflictgraph[sheets]' (or save the table as CSV)")

    def _guarded(self, items: Iterator[Any]) -> Iterator[Any]:
        """The items of the library's reader; damage found while reading (the libraries raise
        their own errors, OSError, XML errors) is one ImportFailed naming the file and the last
        row read."""
        while True:
            try:
                item = next(items)
            except StopIteration:
                return
            except Exception as err:
                raise ImportFailed(str(self.path), f"the {self.kind} is not readable after row {self.last_row}: "
                                                   f"{err}") from None
            yield item


class ParquetReader(_SheetReader):
    """The rows of a Parquet file, a batch at a time; row 1 is the header, as in a CSV file."""

    kind = "Parquet file"

    def __iter__(self) -> Iterator[Row]:
        try:
            import pyarrow.parquet as pq
        except ImportError:
            raise self._missing_library("pyarrow") from None
        try:
            table = pq.ParquetFile(self.path)
        except Exception as err:  # pyarrow raises its own error types for a file it cannot read
            raise ImportFailed(str(self.path), f"not readable as Parquet: {err}") from None
        self._header(table.schema_arrow.names)
        total, number = max(table.metadata.num_rows, 1), 1
        for batch in self._guarded(table.iter_batches(batch_size=_BATCH)):
            for values in zip(*(column.to_pylist() for column in batch.columns)):
                number += 1
                yield self._row(number, values)
            self.bytes_read = self.size * (number - 1) // total


class ExcelReader(_SheetReader):
    """The rows of an Excel workbook's first sheet; row numbers are the sheet's own."""

    kind = "Excel workbook"

    def __iter__(self) -> Iterator[Row]:
        try:
            import openpyxl
        except ImportError:
            raise self._missing_library("openpyxl") from None
        try:
            book = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except Exception as err:  # openpyxl raises zipfile, KeyError and its own errors
            raise ImportFailed(str(self.path), f"not readable as an Excel workbook: {err}") from None
        try:
            sheet = book.worksheets[0]
            total = max(sheet.max_row or 1, 1)
            rows = self._guarded(sheet.iter_rows(values_only=True))
            self._header(_trimmed(next(rows, ())))
            width = len(self.columns)
            for number, values in enumerate(rows, start=2):
                values = _trimmed(values)
                if not values:  # a blank line
                    continue
                yield self._row(number, list(values) + [None] * (width - len(values)) if len(values) < width
                                else values)
                self.bytes_read = min(self.size, self.size * number // total)
        finally:
            book.close()


def _trimmed(values: Sequence[object]) -> Sequence[object]:
    """A sheet row without its empty cells at the end (a sheet's rows are as wide as its widest)."""
    end = len(values)
    while end and (values[end - 1] is None or values[end - 1] == ""):
        end -= 1
    return values[:end]
