"""Parse RDF files safely into pyoxigraph quads, and name blank nodes by their content.

Parsing never touches the network: formats that could load remote content are refused
(RDF/XML with a DOCTYPE, whose entities can expand without limit; JSON-LD with a remote
context). Errors name the file, the line and the column.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "bad.ttl"
>>> _ = path.write_text("@prefix x: <http://x/> .\\nx:a x:b\\n")
>>> try:
...     parse_file(path)
... except ParseError as err:
...     print(err.line is not None)
True
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from conflictgraph.errors import ParseError
from conflictgraph.rdf.namespaces import CG, ID, RDF_TYPE

__all__ = ["FORMATS", "parse_file", "parse_bytes", "skolemize", "KIND_PREFIX"]

FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
}

_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_POSITION = re.compile(r"line (\d+) between columns (\d+) and (\d+)|line (\d+)(?:,? column (\d+))?")


def parse_file(path: Path | str, *, graph: str | None = None) -> list[ox.Quad]:
    """Parse one RDF file into quads; ``graph`` names the graph for triple formats.

    Raises :class:`ParseError` with line and column when the syntax is wrong, and refuses
    content that could make the parser fetch or expand anything.
    """
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise ParseError(str(path), f"unknown file type {path.suffix!r} (known: {known})")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ParseError(str(path), f"cannot read the file: {err.strerror}") from None
    return parse_bytes(data, fmt, name=str(path), graph=graph)


def parse_bytes(data: bytes, fmt: ox.RdfFormat, *, name: str, graph: str | None = None) -> list[ox.Quad]:
    """Parse ``data`` in format ``fmt``; ``name`` is used in error messages."""
    _refuse_unsafe(data, fmt, name)
    base = "file:///" + Path(name).name
    try:
        if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS, ox.RdfFormat.JSON_LD):
            quads = list(ox.parse(data, format=fmt, base_iri=base))
            if graph is not None:
                quads = [q if not isinstance(q.graph_name, ox.DefaultGraph)
                         else ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(graph)) for q in quads]
            return quads
        target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
        return [ox.Quad(t.subject, t.predicate, t.object, target)
                for t in ox.parse(data, format=fmt, base_iri=base)]
    except SyntaxError as err:
        line, column = _position(err)
        message = re.sub(r"^Parser error at line \d+ between columns \d+ and \d+: ", "", str(err))
        raise ParseError(name, message, line=line, column=column) from None
    except ValueError as err:
        raise ParseError(name, str(err)) from None


def _position(err: SyntaxError) -> tuple[int | None, int | None]:
    if getattr(err, "lineno", None):
        return err.lineno, err.offset
    match = _POSITION.search(str(err))
    if not match:
        return None, None
    if match.group(1):
        return int(match.group(1)), int(match.group(2))
    return int(match.group(4)), int(match.group(5)) if match.group(5) else None


def _refuse_unsafe(data: bytes, fmt: ox.RdfFormat, name: str) -> None:
    doctype = _DOCTYPE.search(data) if fmt == ox.RdfFormat.RDF_XML else None
    if doctype:
        line = data[: doctype.start()].count(b"\n") + 1
        raise ParseError(name, "RDF/XML with a DOCTYPE or entity declaration is refused "
                               "(entities can expand without limit)", line=line)
    if fmt == ox.RdfFormat.JSON_LD:
        try:
            document = json.loads(data)
        except ValueError as err:
            raise ParseError(name, f"not JSON: {err}") from None
        if _has_remote_context(document):
            raise ParseError(name, "JSON-LD with a remote @context is refused (parsing never uses the network)")


def _has_remote_context(node: object) -> bool:
    if isinstance(node, dict):
        context = node.get("@context")
        if isinstance(context, str) or (isinstance(context, list) and any(isinstance(c, str) for c in context)):
            return True
        return any(_has_remote_context(v) for v in node.values())
    if isinstance(node, list):
        return any(_has_remote_context(v) for v in node)
    return False


# Blank nodes of these kinds get IRIs under these prefixes; anything else goes under node/.
KIND_PREFIX = {CG.Statement: "stmt/", CG.Claim: "claim/", CG.Event: "event/"}


def skolemize(quads: Iterable[ox.Quad], *, tie_classes: set[str], event_classes: set[str]) -> list[ox.Quad]:
    """Replace blank nodes by IRIs made from a hash of their content.

    The same content always yields the same IRI, so rebuilding gives the same names:
    statements become ``stmt:<hash>``, claims ``claim:<hash>``, relationship nodes (any
    subclass of cg:Tie in ``tie_classes``) ``tie:<hash>``, events ``event:<hash>``.
    A blank node's content is its outgoing triples, with nested blank nodes hashed first, and
    the graph it is written in: two sources stating the same thing make two nodes, each with
    its own provenance (a query over the union of graphs would otherwise see the node's
    triples once per graph; pyoxigraph's union default graph keeps duplicates).
    """
    quads = list(quads)
    outgoing: dict[str, list[tuple[str, object]]] = {}
    types: dict[str, set[str]] = {}
    graphs: dict[str, str] = {}
    for q in quads:
        if isinstance(q.subject, ox.BlankNode):
            outgoing.setdefault(q.subject.value, []).append((q.predicate.value, q.object))
            graphs[q.subject.value] = str(q.graph_name)
            if q.predicate.value == RDF_TYPE and isinstance(q.object, ox.NamedNode):
                types.setdefault(q.subject.value, set()).add(q.object.value)
    hashes: dict[str, str] = {}

    def digest(bnode: str, visiting: frozenset[str]) -> str:
        if bnode in hashes:
            return hashes[bnode]
        parts = [f"graph {graphs.get(bnode, '')}"]
        for predicate, obj in outgoing.get(bnode, []):
            if isinstance(obj, ox.BlankNode):
                rendered = "_:cycle" if obj.value in visiting else "_:" + digest(obj.value, visiting | {bnode})
            else:
                rendered = str(obj)
            parts.append(f"{predicate} {rendered}")
        value = hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()[:12]
        if not visiting:
            hashes[bnode] = value
        return value

    renamed: dict[str, ox.NamedNode] = {}

    def rename(term):
        if not isinstance(term, ox.BlankNode):
            return term
        if term.value not in renamed:
            kinds = types.get(term.value, set())
            if kinds & tie_classes:
                prefix = "tie/"
            elif kinds & event_classes:
                prefix = "event/"
            else:
                prefix = next((KIND_PREFIX[k] for k in sorted(kinds) if k in KIND_PREFIX), "node/")
            renamed[term.value] = ox.NamedNode(ID + prefix + digest(term.value, frozenset()))
        return renamed[term.value]

    return [ox.Quad(rename(q.subject), q.predicate, rename(q.object), q.graph_name) for q in quads]
