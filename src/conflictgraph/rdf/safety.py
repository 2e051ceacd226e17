r"""Refuse queries from outside the code that would reach the network or change the store.

Every query typed on the command line, read from a file or received over HTTP is checked
first; it is refused if it is an update (INSERT, DELETE, LOAD, CLEAR, ...) or contains
SERVICE, before anything runs. The embedded engine would otherwise follow SERVICE to any URL.

The check must see the query the engine will run, and parsers disagree on the codepoint
escapes ``\uXXXX`` and ``\UXXXXXXXX``: SPARQL 1.1 (section 19.2) replaces them everywhere in
the text before parsing, while an engine that reads them only inside strings sees
``"a\u0022, " ... ", \u0022b"`` as two strings with the text between them outside any string
(measured: embedded Oxigraph then ran a SERVICE that rdflib had seen inside one string). So a
plain token scan must find no SERVICE keyword outside strings, IRIs and comments in any reading
of the text: as written, with every escape replaced, and with escapes replaced except after an
escaped backslash. Then the engine's own parser reads the text (:func:`_parse_with_engine`):
it refuses what the engine could not run, with the line and column, and accepts only queries,
never updates; it is stopped before it evaluates anything, so the check itself never runs a
query. (It used rdflib's parser, 30-150 ms per text, against well under 1 ms for the engine's.)

A third wall does not depend on parsing at all: :func:`deny_network` puts a process that only
reads a local store (a server's query worker, the ``query`` command on an on-disk or in-memory
store) in a network namespace of its own, where no interface is up, so a query that fooled
both checks still opens no connection. It needs Linux and the right to create the namespace
(root, or CAP_SYS_ADMIN); elsewhere it says why not and the checks stand alone.

Examples
--------
>>> check_query("SELECT * WHERE { ?s ?p ?o }")
'select'
>>> try:
...     check_query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
... except QueryRefused as err:
...     print("refused")
refused
"""
from __future__ import annotations

import ctypes
import os
import re
import secrets
import sys
from functools import lru_cache

from conflictgraph.errors import QueryError, QueryRefused, UpdateRefused
from conflictgraph.rdf.sparql_text import tokens

__all__ = ["check_query", "unescape_codepoints", "deny_network"]

_CLONE_NEWNET = 0x40000000  # unshare(2): a new network namespace (linux/sched.h)

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_ESCAPED_BACKSLASH_OR_CODEPOINT = re.compile(r"\\\\|\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SERVICE_REFUSED = "SERVICE is refused: queries may not reach other endpoints"
_UPDATES = {"INSERT", "DELETE", "WITH", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"}
_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


def unescape_codepoints(text: str, *, backslash_escapes: bool = False) -> str:
    r"""The text after SPARQL's codepoint step: each ``\uXXXX`` / ``\UXXXXXXXX`` becomes its
    character. With ``backslash_escapes``, an escaped backslash (two backslashes) is kept as it
    is and does not start an escape (the other reading of such text).

    >>> unescape_codepoints(r'"a\u0022 b"')
    '"a" b"'
    >>> unescape_codepoints(r'"\\u0022"', backslash_escapes=True)
    '"\\\\u0022"'
    """
    def character(match: re.Match) -> str:
        code = match.group(1) or match.group(2)
        if code is None:
            return match.group(0)  # an escaped backslash, kept
        try:
            return chr(int(code, 16))
        except (ValueError, OverflowError):
            return match.group(0)  # beyond Unicode: left for the parser to refuse
    pattern = _ESCAPED_BACKSLASH_OR_CODEPOINT if backslash_escapes else _CODEPOINT
    return pattern.sub(character, text)


def check_query(text: str, *, line_offset: int = 0) -> str:
    """Check ``text`` as the engine will read it; return its form ("select", "ask", "construct",
    "describe").

    Raises :class:`UpdateRefused` for updates, :class:`QueryRefused` for SERVICE,
    :class:`QueryError` when it does not parse (with the engine's message, line and column).
    ``line_offset`` is subtracted from reported lines (for text that was prefixed with PREFIX
    declarations). A text that passed is remembered (the newest 512): clients repeat queries.

    >>> check_query("PREFIX ex: <http://ex/> DESCRIBE ex:a")
    'describe'
    >>> try:
    ...     check_query("SELECT * WHERE { ?s ?p }")
    ... except QueryError as err:
    ...     print(str(err).split(":")[0])
    the query does not parse (line 1, column 25)
    """
    return _checked(text, line_offset)


@lru_cache(maxsize=512)
def _checked(text: str, line_offset: int) -> str:
    """:func:`check_query`'s work; only answers are cached (a refusal raises, and is checked again)."""
    for reading in {text, unescape_codepoints(text), unescape_codepoints(text, backslash_escapes=True)}:
        if any(kind == "word" and value.upper() == "SERVICE" for kind, value, _start, _depth in tokens(reading)):
            raise QueryRefused(_SERVICE_REFUSED)
    _parse_with_engine(text, line_offset)
    return _first_keyword(text).lower()


def _parse_with_engine(text: str, line_offset: int) -> None:
    """Parse ``text`` as a query with the engine's parser, on an empty store, and stop there.

    pyoxigraph has no parse-only call, and it starts evaluating within ``query()`` (a SERVICE
    is called at once). But it checks its ``substitutions`` after parsing and before evaluating:
    one for a variable the query cannot hold (a random name) makes it stop with a RuntimeError.
    """
    import pyoxigraph as ox

    unguessable = ox.Variable("v" + secrets.token_hex(16))
    try:
        ox.Store().query(text, substitutions={unguessable: ox.Literal("")})
    except SyntaxError as err:
        if _first_keyword(text) in _UPDATES:
            raise UpdateRefused("updates are refused: this command only reads (INSERT, DELETE, LOAD, "
                                "CLEAR, DROP, CREATE, ADD, MOVE and COPY are not allowed)") from None
        raise QueryError(_parse_message(str(err), line_offset)) from None
    except RuntimeError as err:
        if unguessable.value not in str(err):  # not the stop we asked for
            raise QueryError(f"the query does not parse: {err}") from None


def _parse_message(message: str, line_offset: int) -> str:
    """The engine's message (``error at LINE:COLUMN: what``) with lines counted from the user's text.

    >>> _parse_message("error at 16:3: expected IRI", 15)
    'the query does not parse (line 1, column 3): expected IRI'
    """
    position = _POSITION.match(message)
    if position is None:
        return f"the query does not parse: {message}"
    line, column, what = position.groups()
    return f"the query does not parse (line {int(line) - line_offset}, column {column}): {what}"


def _first_keyword(text: str) -> str:
    """The first keyword after the prologue (BASE and PREFIX declarations), upper case; "" if none.

    >>> _first_keyword("PREFIX select: <http://ex/> BASE <http://ex/> ask { ?s select:p ?o }")
    'ASK'
    """
    return next((value.upper() for kind, value, _start, _depth in tokens(text)
                 if kind == "word" and value.upper() not in ("BASE", "PREFIX")), "")


def deny_network() -> str | None:
    """Cut this process off every network, the loopback one included (Linux: a network
    namespace of its own, with no interface up); None when done, else why it could not be.

    Only for a process that needs no network afterwards: one reading a local store.
    """
    if not sys.platform.startswith("linux"):
        return f"network namespaces are Linux's ({sys.platform} has none)"
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(_CLONE_NEWNET) == 0:
            return None
        return f"unshare(CLONE_NEWNET): {os.strerror(ctypes.get_errno())} (it needs root or CAP_SYS_ADMIN)"
    except (OSError, AttributeError) as err:  # no libc symbol to call
        return f"unshare is not available: {err}"
