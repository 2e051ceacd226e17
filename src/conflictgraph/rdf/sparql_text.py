"""Reading SPARQL text just enough to rewrite it: find braces and keywords outside strings,
IRIs and comments. Used to bind parameters inside a query's WHERE group (both store backends)
and to turn CONSTRUCT rules into INSERT updates (rules run in the engine).

Examples
--------
>>> inject_values("SELECT ?n WHERE { ?s ?p ?n }", "VALUES (?s) { (<http://ex/a>) }")
'SELECT ?n WHERE { VALUES (?s) { (<http://ex/a>) } ?s ?p ?n }'
>>> construct_to_insert("CONSTRUCT { ?s a ?c } WHERE { ?s a ?c }", "http://ex/inf")
'INSERT { GRAPH <http://ex/inf> { ?s a ?c } } WHERE { ?s a ?c }'
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from conflictgraph.errors import QueryError

__all__ = ["BAD_IRI", "iri_ref", "tokens", "declares_dataset", "inject_values", "substitute", "bound_union",
           "page_query", "capped", "construct_to_insert"]

# Characters an IRI written between < > may not contain (SPARQL, N-Triples and N-Quads alike).
BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def iri_ref(value: str) -> str:
    """``<value>`` to write into query text, refusing text that cannot be an IRI (QueryError)."""
    if not value or BAD_IRI.search(value) or ":" not in value:
        raise QueryError(f"not a valid IRI: {value!r}")
    return f"<{value}>"


_TOKENS = re.compile(r'''
    (?P<skip>"""(?:[^"\\]|\\.|"(?!""))*"""|'\'\'(?:[^'\\]|\\.|'(?!''))*'\'\'|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'
            |<[^<>"{}|^`\\\x00-\x20]*>|\#[^\n]*|[?$]\w+|[A-Za-z_][\w.\-]*:[\w.\-%:]*|:[\w.\-%:]*)
   |(?P<open>\{)|(?P<close>\})|(?P<word>[A-Za-z_][A-Za-z_0-9]*)
''', re.VERBOSE | re.DOTALL)


def tokens(text: str) -> Iterator[tuple[str, str, int, int]]:
    """(kind, value, start, end) of braces and words at every depth, with the depth before."""
    depth = 0
    for match in _TOKENS.finditer(text):
        kind = match.lastgroup
        assert kind is not None  # every alternative of _TOKENS is a named group
        if kind == "skip":
            continue
        if kind == "close":
            depth -= 1
        yield kind, match.group(), match.start(), depth
        if kind == "open":
            depth += 1


_FROM = re.compile(r"\bFROM\b", re.I)


@functools.lru_cache(maxsize=512)  # the same texts run again and again (bindings are not in them)
def declares_dataset(text: str) -> bool:
    """Whether the query names its own dataset (a ``FROM`` or ``FROM NAMED`` clause). FROM is a
    keyword nowhere else in a query, so one such word outside strings, IRIs and comments is enough.

    >>> declares_dataset("SELECT * FROM <http://ex/g> WHERE { ?s ?p ?o }")
    True
    >>> declares_dataset("SELECT * WHERE { ?s ?p 'FROM' . ?s ex:from ?o } # FROM")
    False
    """
    if not _FROM.search(text):  # most queries: no need to read them (tokens() costs ~0.4 ms on 5 KB)
        return False
    return any(kind == "word" and value.upper() == "FROM" for kind, value, _start, _depth in tokens(text))


def without_dataset(text: str) -> str:
    """``text`` without its ``FROM`` and ``FROM NAMED`` clauses (for a server that would merge
    them with the Protocol's dataset fields instead of letting the fields win, as Virtuoso does).

    >>> without_dataset("SELECT * FROM <http://ex/a> FROM NAMED ex:b WHERE { ?s ?p 'FROM <x>' }")
    "SELECT *   WHERE { ?s ?p 'FROM <x>' }"
    """
    cuts: list[tuple[int, int]] = []
    depth, start = 0, None
    for match in _TOKENS.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif depth == 0 and kind == "word" and value.upper() == "FROM":
            start = match.start()
        elif start is not None and kind == "word" and value.upper() == "NAMED":
            continue
        elif start is not None and kind == "skip" and not value.startswith("#"):
            cuts.append((start, match.end()))
            start = None
    for begin, end in reversed(cuts):
        text = text[:begin] + text[end:]
    return text


@functools.lru_cache(maxsize=512)
def returns_graph(text: str) -> bool:
    """Whether the query is a CONSTRUCT or DESCRIBE (answered with RDF, not result rows).

    >>> returns_graph("PREFIX c: <http://ex/construct#> CONSTRUCT WHERE { ?s ?p ?o }")
    True
    >>> returns_graph("SELECT ?construct WHERE { ?construct ?p ?o }")
    False
    """
    for kind, value, _start, depth in tokens(text):
        if kind == "word" and depth == 0 and value.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return value.upper() in ("CONSTRUCT", "DESCRIBE")
    return False


def inject_values(text: str, values: str, *, everywhere: bool = False) -> str:
    """Put ``values`` (a VALUES block) first in the outermost WHERE group of ``text``, where
    it binds like a substitution does; append it after the query when that group is not found.
    With ``everywhere``, first in every WHERE group, subqueries' too (each must then project
    the variables it binds).

    >>> inject_values("SELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?o } } }", "VALUES ?x { <u:a> }", everywhere=True)
    'SELECT ?x WHERE { VALUES ?x { <u:a> } { SELECT ?x WHERE { VALUES ?x { <u:a> } ?x ?p ?o } } }'
    """
    after_where = False
    places = []
    for kind, value, start, depth in tokens(text):
        if depth != 0 and not everywhere:
            continue
        if kind == "word" and value.upper() == "WHERE":
            after_where = True
        elif kind == "open" and (after_where or (depth == 0 and not re.search(r"\bCONSTRUCT\b", text[:start], re.I))):
            places.append(start + 1)
            after_where = False
            if not everywhere:
                break
    if not places:
        return f"{text}\n{values}"
    for place in reversed(places):
        text = f"{text[:place]} {values}{text[place:]}"
    return text


def _select_start(text: str) -> int:
    """Where the outermost SELECT of ``text`` starts (after its prologue)."""
    for kind, value, start, depth in tokens(text):
        if kind == "word" and depth == 0 and value.upper() == "SELECT":
            return start
    raise QueryError("only the rows of a SELECT query can be counted or read in pages")


def substitute(text: str, variable: str, iri: str) -> str | None:
    """``text`` with the IRI ``iri`` written in place of ``?variable``, as an engine substitutes a
    bound variable before evaluating: the rows still bind it (the outermost projection of it
    becomes ``(<iri> AS ?variable)``; a subquery's is dropped, the constant joins its rows). None
    when the variable is used where a constant cannot stand (a VALUES block, ``AS``, ``GROUP
    BY``, ``ORDER BY``), a subquery would project nothing else, or the query selects ``*``.

    >>> substitute("SELECT ?e ?a WHERE { { SELECT ?e ?a WHERE { ?e <u:p> ?a } } }", "e", "u:x")
    'SELECT (<u:x> AS ?e) ?a WHERE { { SELECT  ?a WHERE { <u:x> <u:p> ?a } } }'
    >>> substitute("SELECT * WHERE { ?e <u:p> ?a }", "e", "u:x") is None
    True
    >>> [substitute(q, "e", "u:x") for q in ("SELECT (COUNT(?e) AS ?n) WHERE { ?e <u:p> ?a }",
    ...  "SELECT ?a WHERE { ?a <u:p> ?b FILTER (BOUND(?e)) }",
    ...  "SELECT ?e WHERE { { SELECT ?a WHERE { ?e <u:p> ?a } } }")]
    [None, None, None]
    """
    constant = iri_ref(iri)
    names = (f"?{variable}", f"${variable}")
    out, last = [], 0
    projecting = False  # between SELECT and WHERE (or the group's brace)
    refusing_depth: int | None = None  # inside a VALUES block: until its closing brace
    subqueries: list[list] = []  # [depth, projects the variable] of each SELECT inside a group
    previous = ""
    depth = 0
    for match in _TOKENS.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind == "open":
            projecting = False
            depth += 1
        elif kind == "close":
            depth -= 1
            if refusing_depth is not None and depth == refusing_depth:
                refusing_depth = None
            while subqueries and depth < subqueries[-1][0]:
                subqueries.pop()
        elif kind == "word":
            word = value.upper()
            if word == "SELECT":
                projecting = True
                if depth > 0:
                    subqueries.append([depth, False])
            elif word == "WHERE":
                projecting = False
            elif word in ("GROUP", "ORDER") and re.search(rf"[?$]{variable}\b", text[match.end():]):
                return None
            elif word == "VALUES":
                refusing_depth = depth
        elif value in names:
            if refusing_depth is not None or previous.upper() in ("AS", "BOUND"):
                return None
            if projecting and (re.match(r"\s*AS\b", text[match.end():], re.I) or
                               (previous.isalpha() and previous.upper() not in ("SELECT", "DISTINCT", "REDUCED"))):
                return None  # inside an expression of the projection: COUNT(?e), (?e AS ?x)
            if projecting and subqueries:
                subqueries[-1][1] = True
            elif any(not projects for _depth, projects in subqueries):
                return None  # a subquery's own ?e, which a binding outside does not reach
            out.append(text[last:match.start()])
            out.append(constant if not projecting else f"({constant} AS ?{variable})" if depth == 0 else "")
            last = match.end()
        previous = value
    written = "".join(out) + text[last:]
    if re.search(r"\bSELECT\s+(DISTINCT\s+|REDUCED\s+)?(\*|WHERE\b|\{)", written, re.I):
        return None  # the variable would not be among the rows, or a subquery would project nothing
    return written


def bound_union(text: str, variable: str, iris: list[str]) -> str | None:
    """One query for the rows of the SELECT ``text`` with ``?variable`` bound to each of ``iris``:
    a UNION of :func:`substitute`'s copies as subqueries (None when it cannot substitute).

    >>> for part in bound_union("SELECT ?e WHERE { ?e <u:p> ?a }", "e", ["u:x", "u:y"]).split(" UNION "):
    ...     print(part)
    SELECT * WHERE { { SELECT (<u:x> AS ?e) WHERE { <u:x> <u:p> ?a } }
    { SELECT (<u:y> AS ?e) WHERE { <u:y> <u:p> ?a } } }
    """
    select = _select_start(text)
    copies = [substitute(text[select:], variable, iri) for iri in iris]
    if not copies or any(copy is None for copy in copies):
        return None
    return f"{text[:select]}SELECT * WHERE {{ " + " UNION ".join(f"{{ {copy} }}" for copy in copies) + " }"


def count_query(text: str) -> str:
    """How many rows the SELECT ``text`` has, as a query of one row (``?rows``).

    >>> print(count_query("PREFIX e: <http://ex/> SELECT ?s WHERE { ?s e:p ?o }"))
    PREFIX e: <http://ex/> SELECT (COUNT(*) AS ?rows) WHERE { { SELECT ?s WHERE { ?s e:p ?o }
    } }
    """
    select = _select_start(text)
    return f"{text[:select]}SELECT (COUNT(*) AS ?rows) WHERE {{ {{ {text[select:]}\n}} }}"


_LIMIT = re.compile(r"LIMIT\s+(\d+)", re.I)


def capped(text: str, rows: int) -> str:
    """``text`` asking for at most ``rows`` rows where that changes nothing else: a SELECT whose
    outermost query has no LIMIT gets ``LIMIT rows`` on a line of its own at the end, one with
    a larger LIMIT gets ``rows`` instead. Other text comes back as it is: other forms (a LIMIT
    counts solutions, not triples), a trailing VALUES clause (the LIMIT would have to go before
    it), codepoint escapes (engines disagree on where their strings end).

    >>> capped("SELECT * WHERE { ?s ?p ?o } # all", 11)
    'SELECT * WHERE { ?s ?p ?o } # all\\nLIMIT 11'
    >>> capped("SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 5 } } LIMIT 100", 11)
    'SELECT * WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 5 } } LIMIT 11'
    >>> capped("SELECT * WHERE { ?s ?p ?o } LIMIT 3", 11), capped("ASK { ?s ?p ?o }", 11)
    ('SELECT * WHERE { ?s ?p ?o } LIMIT 3', 'ASK { ?s ?p ?o }')
    """
    top = [(value.upper(), start) for kind, value, start, depth in tokens(text) if kind == "word" and depth == 0]
    words = [word for word, _start in top if word not in ("BASE", "PREFIX")]
    if not words or words[0] != "SELECT" or "VALUES" in words or re.search(r"\\[uU]", text):
        return text
    limit = next((_LIMIT.match(text, start) for word, start in top if word == "LIMIT"), None)
    if limit is None:
        return text if "LIMIT" in words else f"{text}\nLIMIT {rows}"  # a LIMIT it could not read: as it is
    if int(limit.group(1)) <= rows:
        return text
    return text[:limit.start(1)] + str(rows) + text[limit.end(1):]


def page_query(text: str, variables: list[str], size: int, offset: int, *, sort_inside: bool = False) -> str:
    """One page of the rows of the SELECT ``text``, in an order that is the same for every page:
    the query becomes a subquery, ordered by its own ORDER BY conditions and then by every
    variable it projects (rows equal in all of them are interchangeable), cut with LIMIT and
    OFFSET. Refused (QueryError) when its ORDER BY uses a variable it does not project.

    With ``sort_inside``, the ordered rows are a subquery of their own and the page is cut from
    them: the same rows where the engine keeps a subquery's order (SPARQL does not promise it;
    Virtuoso does, and sorts such a subquery whole where it sorts at most MaxSortedTopRows rows
    for a LIMIT).

    >>> print(page_query("SELECT ?s WHERE { ?s <u:p> ?o } ORDER BY DESC(?s)", ["s"], 10, 20))
    SELECT * WHERE { { SELECT ?s WHERE { ?s <u:p> ?o } ORDER BY DESC(?s)
    } } ORDER BY DESC(?s) ?s LIMIT 10 OFFSET 20
    >>> print(page_query("SELECT ?s WHERE { ?s <u:p> ?o }", ["s"], 10, 20, sort_inside=True))
    SELECT * WHERE { { SELECT * WHERE { { SELECT ?s WHERE { ?s <u:p> ?o }
    } } ORDER BY ?s } } LIMIT 10 OFFSET 20
    """
    top = [(value.upper(), start) for kind, value, start, depth in tokens(text) if kind == "word" and depth == 0]
    select = _select_start(text)
    conditions = ""
    order = next((start for word, start in top if word == "ORDER" and start > select), None)
    if order is not None:
        end = next((start for word, start in top if start > order and word in ("LIMIT", "OFFSET", "VALUES")), len(text))
        conditions = re.sub(r"^ORDER\s+BY\s+", "", text[order:end].strip(), flags=re.I)
        unknown = set(re.findall(r"[?$](\w+)", conditions)) - set(variables)
        if unknown:
            raise QueryError(f"cannot read this query in pages: its ORDER BY uses ?{sorted(unknown)[0]}, "
                             "which it does not select")
    keys = " ".join([conditions] * bool(conditions) + [f"?{v}" for v in variables])
    ordered = f"SELECT * WHERE {{ {{ {text[select:]}\n}} }} ORDER BY {keys}"
    if sort_inside:
        ordered = f"SELECT * WHERE {{ {{ {ordered} }} }}"
    return f"{text[:select]}{ordered} LIMIT {int(size)} OFFSET {int(offset)}"


def construct_to_insert(text: str, graph: str, using: list[str] | None = None) -> str:
    """Turn a rule ``CONSTRUCT { T } WHERE { P }`` into ``INSERT { GRAPH <graph> { T } } WHERE { P }``,
    with a ``USING <g>`` clause for each graph of ``using`` when given."""
    found = list(tokens(text))
    for i, (kind, value, start, depth) in enumerate(found):
        if kind == "word" and value.upper() == "CONSTRUCT" and depth == 0:
            opening = found[i + 1]
            closing = next(t for t in found[i + 2:] if t[0] == "close" and t[3] == 0)
            clauses = "".join(f"\nUSING {iri_ref(g)}" for g in using or ())
            return (f"{text[:start]}INSERT {{ GRAPH {iri_ref(graph)} {{"
                    f"{text[opening[2] + 1:closing[2]]}}} }}{clauses}{text[closing[2] + 1:]}")
    raise QueryError("a rule must be a CONSTRUCT query")
