"""Read what a SPARQL endpoint answers, in whichever format it chose, into a :class:`QueryResult`.

SELECT and ASK answers come as SPARQL JSON, XML, TSV or CSV; CONSTRUCT and DESCRIBE answers as
any RDF syntax pyoxigraph reads (Turtle, N-Triples, RDF/XML, ...). XML and TSV are parsed by
pyoxigraph. CSV is lossy by design (it does not say which cell is an IRI): a cell that is an
absolute IRI reads as an IRI, ``_:x`` as a blank node, an empty cell as unbound, anything else
as a plain literal. Bad bytes raise a one-line :class:`~conflictgraph.errors.StoreError`.

Examples
--------
>>> xml = b'''<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="x"/></head>
... <results><result><binding name="x"><literal xml:lang="en">hi</literal></binding></result></results></sparql>'''
>>> read_results(xml, "application/sparql-results+xml").rows
[{'x': Literal(value='hi', datatype=None, lang='en')}]
>>> read_results(b"x,y\\r\\nhttp://ex/a,\\r\\n", "text/csv").rows
[{'x': IRI('http://ex/a'), 'y': None}]
>>> read_results(b"?n\\n2\\n", "text/tab-separated-values; charset=utf-8").rows[0]["n"].datatype
'http://www.w3.org/2001/XMLSchema#integer'
"""
from __future__ import annotations

import csv
import io
import json
import re

import pyoxigraph as ox

from conflictgraph.errors import StoreError
from conflictgraph.rdf.terms import XSD, BNode, IRI, Literal, Term
from conflictgraph.store.base import QueryResult
from conflictgraph.store.oxigraph import from_ox

__all__ = ["ACCEPT", "ACCEPT_GRAPH", "read_results"]

RESULTS_JSON = "application/sparql-results+json"
# What a client of a remote store accepts, best first: for SELECT and ASK every results format,
# for CONSTRUCT and DESCRIBE the usual RDF syntaxes (asked apart: Virtuoso answers a CONSTRUCT
# with result rows of ?s ?p ?o when a results format is acceptable at all).
ACCEPT = (f"{RESULTS_JSON}, application/sparql-results+xml;q=0.9, text/tab-separated-values;q=0.8, "
          "text/csv;q=0.5")
ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8, application/ld+json;q=0.5"
_SOLUTION_FORMATS = {
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_XML_RESULTS = re.compile(rb"<(?:\w+:)?sparql\b[^>]*http://www\.w3\.org/2005/sparql-results#")
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|^`\\]*")


def read_results(content: bytes, content_type: str, *, source: str = "the SPARQL endpoint") -> QueryResult:
    """The answer ``content`` of media type ``content_type`` (parameters allowed) as a QueryResult."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in ("application/xml", "text/xml"):  # results or RDF/XML: the document says which
        kind = "application/sparql-results+xml" if _XML_RESULTS.search(content[:4096]) else "application/rdf+xml"
    if kind in ("text/csv", "text/tab-separated-values") and content.strip().lower() in (b"true", b"false"):
        return QueryResult(kind="ask", boolean=content.strip().lower() == b"true")  # ASK, as Oxigraph writes it
    try:
        if kind in (RESULTS_JSON, "application/json"):
            return _json(json.loads(content))
        if kind in _SOLUTION_FORMATS:
            return _solutions(ox.parse_query_results(content, format=_SOLUTION_FORMATS[kind]))
        if kind == "text/csv":
            return _csv(content.decode("utf-8"))
        rdf_format = ox.RdfFormat.from_media_type(kind)
        if rdf_format is None:
            raise StoreError(f"{source} answered with a content type this client does not read: {kind!r}")
        triples = [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
                   for t in ox.parse(content, format=rdf_format)]
    except (ValueError, SyntaxError, KeyError, TypeError, UnicodeDecodeError) as err:
        problem = " ".join(str(err).split())[:200]
        what = kind or "no content type"
        raise StoreError(f"{source} answered with {what} that cannot be read: {problem}") from None
    return QueryResult(kind="construct", triples=triples)


def _json_term(value: dict | None) -> Term | None:
    if value is None:
        return None
    kind = value["type"]
    if kind == "uri":
        return IRI(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    lang = value.get("xml:lang")
    if lang:
        return Literal(value["value"], None, lang)
    return Literal(value["value"], value.get("datatype") or XSD + "string")


def _json(data: dict) -> QueryResult:
    if "boolean" in data:
        return QueryResult(kind="ask", boolean=bool(data["boolean"]))
    variables = data["head"].get("vars", [])
    rows = [{v: _json_term(b.get(v)) for v in variables} for b in data["results"]["bindings"]]
    return QueryResult(kind="select", variables=variables, rows=rows)


def _solutions(result) -> QueryResult:
    if isinstance(result, ox.QueryBoolean):
        return QueryResult(kind="ask", boolean=bool(result))
    variables = [v.value for v in result.variables]
    rows = [{name: from_ox(term) for name, term in zip(variables, solution)} for solution in result]
    return QueryResult(kind="select", variables=variables, rows=rows)


def _csv_term(cell: str) -> Term | None:
    if cell == "":
        return None
    if cell.startswith("_:"):
        return BNode(cell[2:])
    if _ABSOLUTE_IRI.fullmatch(cell):
        return IRI(cell)
    return Literal(cell, XSD + "string")


def _csv(text: str) -> QueryResult:
    reader = csv.reader(io.StringIO(text))
    variables = next(reader, [])
    if variables == ["boolean"]:  # ASK, as conflictgraph's own server writes it
        return QueryResult(kind="ask", boolean=next(reader, ["false"])[0].strip().lower() == "true")
    rows = [{v: _csv_term(cell) for v, cell in zip(variables, cells)} for cells in reader if cells]
    return QueryResult(kind="select", variables=variables, rows=rows)
