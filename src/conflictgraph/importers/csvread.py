"""Stream the rows of an event-data CSV file, checking encoding, header and shape as it goes.

The reader never holds the file in memory: it yields one :class:`Row` at a time. What is wrong
with the whole file (not UTF-8, empty, required columns missing) raises
:class:`~conflictgraph.errors.ImportFailed` naming the file; what is wrong with one row (a NUL
byte, the wrong number of cells) is reported on that row (``Row.problem``) so the importer can
reject it and go on.

Row numbers count the header as row 1, so the first data row is row 2, as in a spreadsheet.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "events.csv"
>>> _ = path.write_bytes("\\ufeffid,name\\n1,Loikaw\\n2\\n".encode("utf-8"))
>>> reader = CsvReader(path, required=["id", "name"])
>>> [(row.number, row.cells, row.problem) for row in reader]
[(2, {'id': '1', 'name': 'Loikaw'}, None), (3, {'id': '2'}, 'wrong number of cells: expected 2, found 1')]
"""
from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from conflictgraph.errors import ImportFailed

__all__ = ["Row", "CsvReader", "check_header", "file_size", "file_sha256"]

_BOMS = {b"\xff\xfe\x00\x00": "UTF-32", b"\x00\x00\xfe\xff": "UTF-32",
         b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16"}
_FIELD_LIMIT = 1 << 20  # one cell may hold up to 1 MiB of text (ACLED notes can be long)


@dataclass
class Row:
    """One data row: its number, its cells by column name, and what is wrong with it (or None).

    ``raw`` keeps the cells as they were read, for the rejects file.
    """

    number: int
    cells: dict[str, str]
    raw: list[str]
    problem: str | None = None


class _CountingReader(io.RawIOBase):
    """A binary stream that counts the bytes read through it (for the progress bar)."""

    def __init__(self, inner):
        self.inner, self.done = inner, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.inner.readinto(buffer)
        self.done += n or 0
        return n


class CsvReader:
    """Iterate over the rows of ``path``; ``required`` names the columns that must be present.

    Parameters
    ----------
    path : Path
        The CSV file: UTF-8 with or without a byte-order mark, comma-separated, a header row.
    required : sequence of str
        Column names the file must have (compared after trimming and lower-casing); extra
        columns are allowed.
    format_name : str
        Used in messages ("not in the UCDP GED format: ...").
    hints : sequence of (column, format name)
        Columns that betray another format; named in the error when required columns are missing.
    delimiter : str
        The character between cells: ``,`` (CSV, the default) or a tab (TSV).

    Attributes
    ----------
    columns : list of str
        The header, trimmed and lower-cased (set once iteration starts).
    size : int
        The file size in bytes; ``bytes_read`` tells how far reading has got.
    """

    def __init__(self, path: Path | str, *, required: Sequence[str], format_name: str = "CSV",
                 hints: Sequence[tuple[str, str]] = (), delimiter: str = ","):
        self.path = Path(path)
        self.delimiter = delimiter
        self.hints = list(hints)
        self.required = [c.lower() for c in required]
        self.format_name = format_name
        self.columns: list[str] = []
        self.size = file_size(self.path)
        self._counter: _CountingReader | None = None
        self._nul_seen = False  # a line read since the last row had a NUL byte

    @property
    def bytes_read(self) -> int:
        return self._counter.done if self._counter else 0

    def __iter__(self) -> Iterator[Row]:
        csv.field_size_limit(_FIELD_LIMIT)
        try:
            raw = open(self.path, "rb")  # noqa: SIM115 - closed by the `with raw:` below
        except OSError as err:
            raise ImportFailed(str(self.path), f"cannot read the file: {err.strerror}") from None
        with raw:
            head = raw.read(4)
            for bom, name in _BOMS.items():
                if head.startswith(bom):
                    raise ImportFailed(str(self.path), f"the file is {name}-encoded; save it as UTF-8 and import again")
            if b"\x00" in head and not head.startswith(b"\xef\xbb\xbf"):
                raise ImportFailed(str(self.path), "the file is not text (it starts with NUL bytes); "
                                                   "expected a UTF-8 CSV file")
            raw.seek(0)
            self._counter = _CountingReader(raw)
            yield from self._rows(self._lines(io.BufferedReader(self._counter, 1 << 16)))

    def _lines(self, binary: io.BufferedReader) -> Iterator[str]:
        """Decode line by line, so a byte that is not UTF-8 is reported with its line."""
        for number, line in enumerate(binary, start=1):
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as err:
                raise ImportFailed(str(self.path), f"not UTF-8 text (byte 0x{line[err.start]:02x} in line {number}); "
                                                   f"save the file as UTF-8 and import again", row=number) from None
            if "\x00" in text:
                self._nul_seen = True  # the row this line belongs to is checked cell by cell
            yield text[1:] if number == 1 and text.startswith("\ufeff") else text

    def _rows(self, text: Iterator[str]) -> Iterator[Row]:
        reader = csv.reader(text, strict=False, delimiter=self.delimiter)
        number = 1
        try:
            header = next(reader, None)
            if header is None or not any(h.strip() for h in header):
                raise ImportFailed(str(self.path), f"the file is empty: expected a {self.format_name} header row "
                                                   f"({', '.join(self.required[:4])}, ...)")
            self.columns = [h.strip().lower() for h in header]
            self._check_header()
            width = len(self.columns)
            for cells in reader:
                number += 1
                if not cells:  # a blank line
                    number -= 1
                    continue
                problem = None
                nul, self._nul_seen = self._nul_seen, False  # only lines of this row were read
                if nul and any("\x00" in c for c in cells):
                    problem = "NUL byte in the row"
                    cells = [c.replace("\x00", "") for c in cells]
                elif len(cells) != width:
                    problem = f"wrong number of cells: expected {width}, found {len(cells)}"
                yield Row(number, dict(zip(self.columns, cells)), cells, problem)
        except csv.Error as err:
            raise ImportFailed(str(self.path), f"not readable as CSV: {err}", row=number + 1) from None

    def _check_header(self) -> None:
        check_header(self.path, self.columns, self.required, self.format_name, self.hints)


def file_size(path: Path) -> int:
    """The size of the file at ``path``; :class:`ImportFailed` when it cannot be read or is not a
    regular file (a pipe or a device would block or never end)."""
    try:
        size = path.stat().st_size
    except OSError as err:
        raise ImportFailed(str(path), f"cannot read the file: {err.strerror}") from None
    if not path.is_file():
        raise ImportFailed(str(path), "not a regular file (a pipe, socket or device?): save the data to a "
                                      "file and import that")
    return size


def check_header(path: Path, columns: Sequence[str], required: Sequence[str], format_name: str,
                 hints: Sequence[tuple[str, str]]) -> None:
    """Refuse a header with a column twice, or without a required column (naming the format the
    columns betray, from ``hints``), as :class:`ImportFailed` on row 1."""
    seen: set[str] = set()
    for name in columns:
        if name and name in seen:
            raise ImportFailed(str(path), f"the column {name!r} appears twice in the header", row=1)
        seen.add(name)
    missing = [c for c in required if c not in seen]
    if missing:
        listed = ", ".join(missing[:8]) + (f" and {len(missing) - 8} more" if len(missing) > 8 else "")
        found = ", ".join(columns[:6]) + (", ..." if len(columns) > 6 else "")
        other = next((name for column, name in hints if column in seen), None)
        hint = f"; it looks like {other} data" if other else ""
        raise ImportFailed(str(path), f"not in the {format_name} format: missing column(s) {listed} "
                                      f"(the header has: {found}){hint}", row=1)


def file_sha256(path: Path | str) -> str:
    """The SHA-256 of a file, read in blocks.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x"
    >>> _ = p.write_bytes(b"")
    >>> file_sha256(p)[:12]
    'e3b0c44298fc'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()

