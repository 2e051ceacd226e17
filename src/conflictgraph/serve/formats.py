"""Result formats of the SPARQL endpoint and content negotiation between them.

SELECT and ASK answers: SPARQL JSON (default), SPARQL XML, CSV, TSV. CONSTRUCT and DESCRIBE
answers: Turtle (default), N-Triples, JSON-LD, RDF/XML. A client picks with the Accept header
(q-values honoured, q=0 excludes) or, for download links, with
``format=json|xml|csv|tsv|ttl|nt|jsonld|rdfxml`` or a media type (for a graph answer, xml
means RDF/XML and json JSON-LD).

Examples
--------
>>> from conflictgraph.store.base import QueryResult
>>> from conflictgraph.rdf.terms import IRI, Literal
>>> result = QueryResult(kind="select", variables=["x"], rows=[{"x": Literal("a,b")}])
>>> media, write = negotiate("text/csv", "select")
>>> media, write(result)
('text/csv; charset=utf-8', b'x\\r\\n"a,b"\\r\\n')
>>> negotiate("application/ld+json;q=0.9, text/turtle", "construct")[0]
'text/turtle; charset=utf-8'
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from conflictgraph.errors import ConflictGraphError
from conflictgraph.rdf.namespaces import PREFIXES
from conflictgraph.rdf.terms import XSD, BNode, Literal, Term, to_rdflib
from conflictgraph.render.jsonld import context as jsonld_context
from conflictgraph.render.rows import spreadsheet_safe
from conflictgraph.store.base import QueryResult

__all__ = ["negotiate", "wants_rdf", "NotAcceptable", "SOLUTION_TYPES", "GRAPH_TYPES", "FORMAT_NAMES",
           "GRAPH_FORMAT_NAMES", "graph_bytes", "term_json", "Pieces", "pieces_of"]

Writer = Callable[[QueryResult], bytes]


class NotAcceptable(ConflictGraphError):
    """No format the client accepts fits the answer."""


def term_json(term: Term) -> dict:
    """A term as in the SPARQL 1.1 JSON results format."""
    if isinstance(term, Literal):
        value = {"type": "literal", "value": term.value}
        if term.lang:
            value["xml:lang"] = term.lang
        elif term.datatype and term.datatype != XSD + "string":
            value["datatype"] = term.datatype
        return value
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    return {"type": "uri", "value": str(term)}


@dataclass(frozen=True)
class Pieces:
    """A results format written a piece at a time, so a long answer can be sent as it is read:
    ``head(variables)``, then ``rows(variables, rows, first)`` for each batch of rows (``first``:
    no row was written before), then ``tail``.

    >>> rows = [{"x": Literal("a")}, {"x": None}]
    >>> PIECES["json"].head(["x"]) + PIECES["json"].rows(["x"], rows, True) + PIECES["json"].tail
    b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "a"}}, {}]}}'
    """

    head: Callable[[list[str]], bytes]
    rows: Callable[[list[str], list[dict], bool], bytes]
    tail: bytes = b""

    def whole(self, result: QueryResult) -> bytes:
        """The answer ``result`` (a SELECT's) in one piece."""
        return self.head(result.variables) + self.rows(result.variables, result.rows, True) + self.tail


def _json_head(variables: list[str]) -> bytes:
    return ('{"head": {"vars": ' + json.dumps(variables, ensure_ascii=False) + '}, "results": {"bindings": [').encode()


def _json_rows(_variables: list[str], rows: list[dict], first: bool) -> bytes:
    text = ", ".join(json.dumps({k: term_json(v) for k, v in row.items() if v is not None}, ensure_ascii=False)
                     for row in rows)
    return (text if first or not rows else ", " + text).encode("utf-8")


def _json(result: QueryResult) -> bytes:
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}).encode("utf-8")
    return PIECES["json"].whole(result)


def _xml_text(text: str) -> str:
    # Characters XML 1.0 cannot carry at all become U+FFFD rather than breaking the document.
    cleaned = "".join(c if c in "\t\n\r" or c >= " " else "\ufffd" for c in text)
    return escape(cleaned)


_XML_START = '<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>'


def _xml_head(variables: list[str]) -> bytes:
    return (_XML_START + "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
            + "</head>\n<results>\n").encode("utf-8")


def _xml_binding(name: str, term: Term) -> str:
    if isinstance(term, Literal):
        attrs = (f" xml:lang={quoteattr(term.lang)}" if term.lang else
                 f" datatype={quoteattr(term.datatype)}" if term.datatype and term.datatype != XSD + "string"
                 else "")
        body = f"<literal{attrs}>{_xml_text(term.value)}</literal>"
    elif isinstance(term, BNode):
        body = f"<bnode>{_xml_text(str(term))}</bnode>"
    else:
        body = f"<uri>{_xml_text(str(term))}</uri>"
    return f"<binding name={quoteattr(name)}>{body}</binding>"


def _xml_rows(_variables: list[str], rows: list[dict], _first: bool) -> bytes:
    return "".join("<result>" + "".join(_xml_binding(name, term) for name, term in row.items() if term is not None)
                   + "</result>\n" for row in rows).encode("utf-8")


def _xml(result: QueryResult) -> bytes:
    if result.kind == "ask":
        return (_XML_START + f"</head>\n<boolean>{'true' if result.boolean else 'false'}</boolean>\n</sparql>\n"
                ).encode("utf-8")
    return PIECES["xml"].whole(result)


def _csv_cell(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _tsv_cell(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = (term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                .replace("\r", "\\r").replace("\t", "\\t"))
        if term.lang:
            return f'"{text}"@{term.lang}'
        if term.datatype and term.datatype != XSD + "string":
            return f'"{text}"^^<{term.datatype}>'
        return f'"{text}"'
    return f"<{term}>"


def _csv_lines(lines: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(lines)
    return buffer.getvalue().encode("utf-8")


def _csv_rows(variables: list[str], rows: list[dict], _first: bool) -> bytes:
    return _csv_lines([[spreadsheet_safe(_csv_cell(row.get(v))) for v in variables] for row in rows])


def _csv(result: QueryResult) -> bytes:
    if result.kind == "ask":
        return _csv_lines([["boolean"], ["true" if result.boolean else "false"]])
    return PIECES["csv"].whole(result)


def _tsv_head(variables: list[str]) -> bytes:
    return ("\t".join(f"?{v}" for v in variables) + "\n").encode("utf-8")


def _tsv_rows(variables: list[str], rows: list[dict], _first: bool) -> bytes:
    return "".join("\t".join(_tsv_cell(row.get(v)) for v in variables) + "\n" for row in rows).encode("utf-8")


def _tsv(result: QueryResult) -> bytes:
    if result.kind == "ask":
        return f"?boolean\n{'true' if result.boolean else 'false'}\n".encode()
    return PIECES["tsv"].whole(result)


# The results formats by name, written a piece at a time (see Pieces).
PIECES = {"json": Pieces(_json_head, _json_rows, b"]}}"),
          "xml": Pieces(_xml_head, _xml_rows, b"</results>\n</sparql>\n"),
          "csv": Pieces(lambda variables: _csv_lines([variables]), _csv_rows),
          "tsv": Pieces(_tsv_head, _tsv_rows)}


def graph_bytes(triples, rdf_format: str) -> bytes:
    """Serialize triples with rdflib: ``turtle``, ``nt``, ``xml`` (RDF/XML) or ``json-ld``
    (compacted with the vocabulary's context, written inline, so terms read as plain keys)."""
    from rdflib import Graph

    graph = Graph()
    if rdf_format == "turtle":
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, override=True)
    for s, p, o in triples:
        graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    options: dict[str, Any] = {"context": jsonld_context(), "indent": 1} if rdf_format == "json-ld" else {}
    data = graph.serialize(format=rdf_format, encoding="utf-8", **options)
    return data if isinstance(data, bytes) else data.encode("utf-8")


def _turtle(result: QueryResult) -> bytes:
    return graph_bytes(result.triples, "turtle")


def _ntriples(result: QueryResult) -> bytes:
    return graph_bytes(result.triples, "nt")


def _jsonld(result: QueryResult) -> bytes:
    return graph_bytes(result.triples, "json-ld")


def _rdfxml(result: QueryResult) -> bytes:
    return graph_bytes(result.triples, "xml")


# Media type -> (format name, writer). The first of each kind is the default.
SOLUTION_TYPES: dict[str, tuple[str, Writer]] = {
    "application/sparql-results+json": ("json", _json),
    "application/json": ("json", _json),
    "application/sparql-results+xml": ("xml", _xml),
    "application/xml": ("xml", _xml),
    "text/xml": ("xml", _xml),
    "text/csv": ("csv", _csv),
    "text/tab-separated-values": ("tsv", _tsv),
}
GRAPH_TYPES: dict[str, tuple[str, Writer]] = {
    "text/turtle": ("ttl", _turtle),
    "application/x-turtle": ("ttl", _turtle),
    "application/n-triples": ("nt", _ntriples),
    "text/plain": ("nt", _ntriples),
    "application/ld+json": ("jsonld", _jsonld),
    "application/rdf+xml": ("rdfxml", _rdfxml),
}
# format=NAME -> media type, for links that cannot set an Accept header.
FORMAT_NAMES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values", "ttl": "text/turtle", "turtle": "text/turtle",
                "nt": "application/n-triples", "ntriples": "application/n-triples", "jsonld": "application/ld+json",
                "rdfxml": "application/rdf+xml"}
# For a graph answer, the names of results formats mean their RDF counterparts (SPARQLWrapper
# sends format=xml with every query, a CONSTRUCT too).
GRAPH_FORMAT_NAMES = {**FORMAT_NAMES, "xml": "application/rdf+xml", "json": "application/ld+json"}
_CHARSET = {"application/sparql-results+json", "application/json", "text/csv", "text/tab-separated-values",
            "text/turtle", "application/n-triples", "text/plain", "application/ld+json", "application/x-turtle"}


def pieces_of(content_type: str) -> Pieces | None:
    """How to write a SELECT answer of ``content_type`` (as :func:`negotiate` gave it) a piece at
    a time; None for other formats.

    >>> pieces_of("text/csv; charset=utf-8") is PIECES["csv"], pieces_of("text/turtle")
    (True, None)
    """
    found = SOLUTION_TYPES.get(content_type.split(";")[0])
    return PIECES.get(found[0]) if found else None


def _accepted(header: str) -> list[tuple[str, float]]:
    """(media range, q) of each part of an Accept header, in the client's order; q=0 included."""
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for field in fields[1:]:
            if field.lower().startswith("q="):
                try:
                    q = min(max(float(field[2:]), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


# Other names of a format listed under its own name: chosen only when named, never by a wildcard.
_ALIASES = {"application/json", "application/xml", "text/xml", "application/x-turtle", "text/plain"}


def _preference(ranges: list[tuple[str, float]], media: str) -> tuple[float, int]:
    """(q, position) that ``ranges`` give ``media``: those of its most specific matching range
    (``type/subtype`` over ``type/*`` over ``*/*``; an alias matches only by name); q 0 when
    none matches.

    >>> _preference([("*/*", 1.0), ("text/csv", 0.0)], "text/csv")
    (0.0, 1)
    """
    best: tuple[int, float, int] | None = None
    for position, (accepted, q) in enumerate(ranges):
        specificity = (2 if accepted == media else 1 if accepted == media.split("/")[0] + "/*"
                       else 0 if accepted == "*/*" else -1)
        if media in _ALIASES and specificity < 2:
            continue
        if specificity >= 0 and (best is None or specificity > best[0]):
            best = (specificity, q, position)
    return (0.0, len(ranges)) if best is None else (best[1], best[2])


_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/*", "*/*")


def wants_rdf(accept: str | None) -> bool:
    """Whether a client asking for a page prefers RDF (Turtle, N-Triples, JSON-LD) to HTML: the
    best-ranked type of its Accept header that either answer offers is an RDF one.

    >>> wants_rdf("text/turtle"), wants_rdf("text/html,application/xhtml+xml,*/*;q=0.8"), wants_rdf(None)
    (True, False, False)
    >>> wants_rdf("text/html;q=0.5, application/ld+json")
    True
    """
    ranked = sorted((q, position, media) for position, (media, q) in enumerate(_accepted(accept or "*/*")) if q > 0)
    for _q, _position, media in sorted(ranked, key=lambda r: (-r[0], r[1])):
        if media in _HTML_TYPES:
            return False
        if media in GRAPH_TYPES and media != "text/plain":
            return True
    return False


def negotiate(accept: str | None, kind: str, format_name: str | None = None) -> tuple[str, Writer]:
    """Pick (content type, writer) for an answer of ``kind`` ("select", "ask", "construct").

    ``format_name`` (from ``?format=``) wins over the Accept header. Otherwise each format gets
    the q of the most specific range that matches it (q=0: not acceptable, even when ``*/*``
    is); the highest q wins, then the range the client named first, then our order. Raises
    :class:`NotAcceptable` only when no format is acceptable.

    >>> negotiate("*/*, text/turtle;q=0", "construct")[0]
    'application/n-triples; charset=utf-8'
    """
    table = GRAPH_TYPES if kind == "construct" else SOLUTION_TYPES
    if format_name:
        names = GRAPH_FORMAT_NAMES if kind == "construct" else FORMAT_NAMES
        media = format_name.lower() if "/" in format_name else names.get(format_name.lower())
        if media not in table:
            known = sorted({name for name, _ in table.values()})
            raise NotAcceptable(f"format {format_name!r} does not fit a {kind} answer (use one of: {', '.join(known)})")
        candidates = [media]
    else:
        ranges = _accepted(accept or "*/*")
        scored = []
        for order, media in enumerate(table):
            q, position = _preference(ranges, media)
            if q > 0:
                scored.append((-q, position, order, media))
        if not scored:
            offered = ", ".join(dict.fromkeys(m for m in table))
            raise NotAcceptable(f"none of the accepted types ({accept}) fits a {kind} answer; offered: {offered}")
        candidates = [min(scored)[3]]
    media = candidates[0]
    content_type = media + ("; charset=utf-8" if media in _CHARSET else "")
    return content_type, table[media][1]
