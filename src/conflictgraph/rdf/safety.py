"""Refuse queries from outside the code that would reach the network or change the store.

Every query typed on the command line, read from a file or received over HTTP is parsed first;
it is refused if it is an update (INSERT, DELETE, LOAD, CLEAR, ...) or contains SERVICE, before
anything runs. The embedded engine would otherwise follow SERVICE to any URL.

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

from conflictgraph.errors import QueryError, QueryRefused

__all__ = ["check_query"]


def check_query(text: str, *, line_offset: int = 0) -> str:
    """Parse ``text`` as SPARQL 1.1; return its form ("select", "ask", "construct", "describe").

    Raises :class:`QueryRefused` for updates and SERVICE, :class:`QueryError` when it does not
    parse (with the parser's message). ``line_offset`` is subtracted from reported lines
    (for text that was prefixed with PREFIX declarations).
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        parsed = parseQuery(text)
    except ParseException as query_error:
        try:
            parseUpdate(text)
        except ParseException:
            raise QueryError(f"the query does not parse (line {query_error.lineno - line_offset}, column "
                             f"{query_error.col}): {query_error.msg}") from None
        raise QueryRefused("updates are refused: this command only reads (INSERT, DELETE, LOAD, "
                           "CLEAR, DROP, CREATE, ADD, MOVE and COPY are not allowed)") from None
    except Exception as err:  # rdflib raises a few other errors for malformed prologues
        raise QueryError(f"the query does not parse: {err}") from None
    if _contains(parsed, "ServiceGraphPattern"):
        raise QueryRefused("SERVICE is refused: queries may not reach other endpoints")
    form = parsed[1].name  # SelectQuery, AskQuery, ConstructQuery, DescribeQuery
    return form.removesuffix("Query").lower()


def _contains(node: object, name: str) -> bool:
    """True when the parse tree holds a part called ``name``."""
    stack = [node]
    while stack:
        item = stack.pop()
        if getattr(item, "name", None) == name:
            return True
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (str, bytes)):
            continue
        elif hasattr(item, "__iter__"):  # lists and pyparsing's ParseResults
            stack.extend(list(item))
    return False
