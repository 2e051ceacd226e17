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
    if path.exists() and not path.is_file():  # a pipe or a device would block or never end
        raise ParseError(str(path), "not a regular file (a pipe, socket or device?)")
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
        else:
            target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
            quads = [ox.Quad(t.subject, t.predicate, t.object, target)
                     for t in ox.parse(data, format=fmt, base_iri=base)]
    except SyntaxError as err:
        line, column = _position(err)
        message = re.sub(r"^Parser error at line \d+ between columns \d+ and \d+: ", "", str(err))
        raise ParseError(name, message, line=line, column=column) from None
    except ValueError as err:
        raise ParseError(name, str(err)) from None
    _refuse_triple_terms(quads, name)
    return quads


def _refuse_triple_terms(quads: list[ox.Quad], name: str) -> None:
    """Refuse RDF 1.2 triple terms (``<< ex:a ex:b ex:c >>``): the graph states who said what
    as ``cg:Statement`` nodes, and neither the shapes nor the remote stores take triple terms."""
    for quad in quads:
        if isinstance(quad.subject, ox.Triple) or isinstance(quad.object, ox.Triple):
            term = quad.subject if isinstance(quad.subject, ox.Triple) else quad.object
            raise ParseError(name, f"an RDF 1.2 triple term ({term}) is not supported: describe the triple as "
                                   "a cg:Statement (see graph/README.md) instead")


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


MAX_NESTING = 32  # levels of nested blank nodes ([ ... [ ... ] ]); RDF lists (rdf:rest) do not count
MAX_CYCLIC_WORK = 100_000  # hashing steps allowed for blank nodes that refer back to each other
_RDF_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"


def skolemize(quads: Iterable[ox.Quad], *, tie_classes: set[str], event_classes: set[str]) -> list[ox.Quad]:
    """Replace blank nodes by IRIs made from a hash of their content.

    The same content always yields the same IRI, so rebuilding gives the same names:
    statements become ``stmt:<hash>``, claims ``claim:<hash>``, relationship nodes (any
    subclass of cg:Tie in ``tie_classes``) ``tie:<hash>``, events ``event:<hash>``.
    A blank node's content is its outgoing triples, with nested blank nodes hashed first, and
    the graph it is written in: two sources stating the same thing make two nodes, each with
    its own provenance (a query over the union of graphs would otherwise see the node's
    triples once per graph; pyoxigraph's union default graph keeps duplicates).

    Work is linear in the quads: each blank node that cannot reach a cycle is hashed once
    (long RDF lists, shared sub-structures); only nodes in or above a cycle are hashed in
    context. Raises ValueError for nesting deeper than :data:`MAX_NESTING` levels or a cyclic
    structure beyond :data:`MAX_CYCLIC_WORK` steps.

    >>> quads = list(ox.parse(b"<http://x/a> <http://x/p> ( 1 2 3 ) .", format=ox.RdfFormat.TURTLE))
    >>> named = skolemize([ox.Quad(q.subject, q.predicate, q.object) for q in quads], tie_classes=set(),
    ...                   event_classes=set())
    >>> any(isinstance(q.object, ox.BlankNode) for q in named)
    False
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
    appearance = dict.fromkeys(term.value for q in quads for term in (q.subject, q.object)
                               if isinstance(term, ox.BlankNode))
    hashes = _hash_blank_nodes(outgoing, graphs, list(appearance))
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
            renamed[term.value] = ox.NamedNode(ID + prefix + hashes[term.value])
        return renamed[term.value]

    return [ox.Quad(rename(q.subject), q.predicate, rename(q.object), q.graph_name) for q in quads]


def _hash_blank_nodes(outgoing: dict[str, list[tuple[str, object]]], graphs: dict[str, str],
                      appearance: list[str]) -> dict[str, str]:
    """The content hash of every blank node (see :func:`skolemize`), computed without recursion
    where no cycle is involved. Nodes in or above a cycle are named in the order they appear
    (``appearance``), each seeing the names of those before it, so names stay as they were."""
    nodes = set(outgoing) | {o.value for edges in outgoing.values() for _p, o in edges if isinstance(o, ox.BlankNode)}
    children = {n: [o.value for _p, o in outgoing.get(n, []) if isinstance(o, ox.BlankNode)] for n in nodes}
    _check_nesting(nodes, outgoing)
    affected = _reaching_cycles(nodes, children)
    hashes: dict[str, str] = {}

    def content_hash(bnode: str, rendered_children: dict[str, str]) -> str:
        parts = [f"graph {graphs.get(bnode, '')}"]
        for predicate, obj in outgoing.get(bnode, []):
            parts.append(f"{predicate} {'_:' + rendered_children[obj.value] if isinstance(obj, ox.BlankNode) else obj}")
        return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()[:12]

    for node in _post_order([n for n in nodes if n not in affected], children):  # children before parents
        hashes[node] = content_hash(node, hashes)
    work = 0

    def in_context(bnode: str, visiting: frozenset[str]) -> str:
        nonlocal work
        work += 1
        if work > MAX_CYCLIC_WORK:
            raise ValueError(f"blank nodes that refer to each other make a structure too complex to name "
                             f"(over {MAX_CYCLIC_WORK:,} steps)")
        if bnode in hashes:
            return hashes[bnode]
        rendered = {child: "cycle" if child in visiting else in_context(child, visiting | {bnode})
                    for child in children[bnode]}
        return content_hash(bnode, rendered)

    for node in appearance:
        if node in affected and node not in hashes:
            hashes[node] = in_context(node, frozenset())
    return hashes


def _post_order(start: list[str], children: dict[str, list[str]]) -> list[str]:
    """The nodes reachable from ``start`` (an acyclic part), each after all its children."""
    order: list[str] = []
    done: set[str] = set()
    for root in start:
        stack = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if node in done:
                continue
            if expanded:
                done.add(node)
                order.append(node)
                continue
            stack.append((node, True))
            stack.extend((child, False) for child in children[node] if child not in done)
    return order


def _reaching_cycles(nodes: set[str], children: dict[str, list[str]]) -> set[str]:
    """Blank nodes on a cycle, and every blank node from which one can be reached."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cyclic: set[str] = set()
    counter = 0
    for root in sorted(nodes):  # Tarjan's strongly connected components, iteratively
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            if position < len(children[node]):
                work.append((node, position + 1))
                child = children[node][position]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in children[node]:
                    cyclic.update(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    parents: dict[str, list[str]] = {n: [] for n in nodes}
    for node in nodes:
        for child in children[node]:
            parents[child].append(node)
    reached, frontier = set(cyclic), list(cyclic)
    while frontier:
        for parent in parents[frontier.pop()]:
            if parent not in reached:
                reached.add(parent)
                frontier.append(parent)
    return reached


def _check_nesting(nodes: set[str], outgoing: dict[str, list[tuple[str, object]]]) -> None:
    """Refuse blank nodes nested more than :data:`MAX_NESTING` levels (lists do not count)."""
    nested = {n: [o.value for p, o in outgoing.get(n, []) if isinstance(o, ox.BlankNode) and p != _RDF_REST]
              for n in nodes}
    depth: dict[str, int] = {}
    for node in _post_order_safe(nested):
        depth[node] = 1 + max((depth.get(child, 0) for child in nested[node]), default=0)
        if depth[node] > MAX_NESTING:
            raise ValueError(f"blank nodes ([ ... ]) are nested more than {MAX_NESTING} levels deep")


def _post_order_safe(children: dict[str, list[str]]) -> list[str]:
    """Post-order of a graph that may have cycles (an edge back to a node in progress is skipped)."""
    order: list[str] = []
    state: dict[str, int] = {}  # 1 in progress, 2 done
    for root in sorted(children):
        if root in state:
            continue
        stack = [(root, iter(children[root]))]
        state[root] = 1
        while stack:
            node, pending = stack[-1]
            child = next(pending, None)
            if child is None:
                stack.pop()
                state[node] = 2
                order.append(node)
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(children[child])))
    return order
