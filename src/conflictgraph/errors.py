"""One exception root for every error a user can cause; the CLI turns them into messages.

Examples
--------
>>> err = ParseError("bad.ttl", "a dot is expected", line=3, column=6)
>>> str(err)
'bad.ttl:3:6: a dot is expected'
"""
from __future__ import annotations

import errno

__all__ = [
    "ConflictGraphError",
    "ParseError",
    "ValidationFailed",
    "StoreError",
    "StoreMissing",
    "QueryRefused",
    "UpdateRefused",
    "QueryError",
    "NameNotFound",
    "NameAmbiguous",
    "UsageError",
    "ImportFailed",
    "DiskError",
    "disk_error",
]


class ConflictGraphError(Exception):
    """Root of all errors caused by input, data or environment (never by a bug).

    ``exit_code`` is what the CLI exits with: 1 for bad data or a failed check, 2 for usage.
    """

    exit_code = 1


class ParseError(ConflictGraphError):
    """A graph file could not be parsed; names the file and, where known, line and column."""

    def __init__(self, path: str, message: str, *, line: int | None = None, column: int | None = None):
        self.path, self.line, self.column, self.reason = str(path), line, column, message
        where = self.path
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}")


class ValidationFailed(ConflictGraphError):
    """The shapes found problems; ``findings`` holds them (see validate.Finding)."""

    def __init__(self, findings: list):
        self.findings = findings
        super().__init__(f"validation failed with {len(findings)} finding(s)")


class StoreError(ConflictGraphError):
    """The store could not be opened, written or swapped."""


class StoreMissing(StoreError):
    """A command that writes to an existing store found none."""


class QueryRefused(ConflictGraphError):
    """A query from outside the code asks for something unsafe (SERVICE, an update, LOAD)."""

    exit_code = 2


class UpdateRefused(QueryRefused):
    """Text from outside the code is an update (INSERT, DELETE, LOAD, ...), where only queries are read."""


class QueryError(ConflictGraphError):
    """A query is malformed or failed while running."""

    exit_code = 2


class NameNotFound(ConflictGraphError):
    """No entity matches a name; ``suggestions`` lists close matches (label, IRI)."""

    def __init__(self, name: str, suggestions: list[tuple[str, str]]):
        self.name, self.suggestions = name, suggestions
        msg = f"no entity is called {name!r}"
        if suggestions:
            msg += "; did you mean: " + ", ".join(f"{label} <{iri}>" for label, iri in suggestions)
        super().__init__(msg)


class NameAmbiguous(ConflictGraphError):
    """Several entities share a name; ``candidates`` lists them (label, IRI, type)."""

    exit_code = 2

    def __init__(self, name: str, candidates: list[tuple[str, str, str]]):
        self.name, self.candidates = name, candidates
        listed = "; ".join(f"{label} ({kind}) <{iri}>" for label, iri, kind in candidates)
        super().__init__(f"{name!r} could mean several entities: {listed}. Use a fuller name or the IRI.")


class UsageError(ConflictGraphError):
    """The command was called wrongly (a bad option value, a missing parameter)."""

    exit_code = 2


class ImportFailed(ConflictGraphError):
    """An event-data file cannot be imported at all (not UTF-8, empty, columns missing).

    Names the file and, where known, the row (the header is row 1).
    """

    def __init__(self, path: str, message: str, *, row: int | None = None):
        self.path, self.row, self.reason = str(path), row, message
        super().__init__(f"{self.path}{f', row {row}' if row is not None else ''}: {message}")


class DiskError(StoreError):
    """The disk said no: it is ``full``, ``read-only``, or the folder is ``forbidden``."""

    def __init__(self, kind: str, path: object):
        self.kind, self.path = kind, path
        super().__init__(_DISK_MESSAGES[kind].format(path=path))


_DISK_MESSAGES = {
    "full": "no space is left on the disk holding {path}: free some space, or choose a folder on another disk",
    "read-only": "{path} is on a read-only disk: choose a folder on a writable one",
    "forbidden": "no permission to write {path}: choose a folder you may write to, or ask for the rights",
}
_DISK_SIGNS = (("full", (errno.ENOSPC, errno.EDQUOT), "no space left"),
               ("read-only", (errno.EROFS,), "read-only file system"),
               ("forbidden", (errno.EACCES, errno.EPERM), "permission denied"))


def disk_error(err: BaseException, path: object) -> DiskError | None:
    """A one-line :class:`DiskError` naming ``path`` for a full, read-only or forbidden disk
    (from the error number, or the engine's message when it has none, or a DiskError about a
    file inside ``path``); None for other errors.

    >>> str(disk_error(OSError(28, "No space left on device"), "store"))
    'no space is left on the disk holding store: free some space, or choose a folder on another disk'
    >>> disk_error(OSError(2, "No such file"), "store") is None
    True
    """
    if isinstance(err, DiskError):
        return DiskError(err.kind, path)
    if not isinstance(err, OSError):
        return None
    text = str(err).lower()
    for kind, numbers, words in _DISK_SIGNS:
        if err.errno in numbers or words in text:
            return DiskError(kind, path)
    return None
