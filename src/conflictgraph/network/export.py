"""Write a projected network for Gephi, Cytoscape or a notebook: GEXF, GraphML, JSON, TriG.

Every node and edge attribute is kept. GEXF and GraphML cannot hold lists, dicts or missing
values, so there lists become text joined by ``"; "``, dicts become JSON text and missing
values and empty lists are left out; numbers and booleans keep their types. In GEXF an edge's
``start``/``end`` are its dynamic interval (``timeformat="date"``, so Gephi's timeline plays
the network), and an edge in force in separate ``spans`` gets one spell per span instead.
JSON is networkx's node-link form (edges with their ``key``; one node or edge a line) and keeps
the values as they are. TriG writes the network as RDF in one named graph (the view), each
edge a ``net:Edge`` node with ``net:from``/``net:to``/``net:relation``/``net:sign``/
``net:weight``, its dates, ``prov:wasDerivedFrom`` its statements and ``dct:source`` its
sources. (GeoJSON is not a network format: see :mod:`conflictgraph.render.geojson`.)

For any networkx graph, not only a projection: a node's ``label`` is its GEXF label, an
edge's ``label``, ``weight``, ``start`` and ``end`` its GEXF fields; every other attribute
(``id`` and ``type`` included) is an attribute value. Node ids are written as IRIs in TriG.

The files are written as the edges are read, a batch at a time: a network projected without
provenance (a million events: 860,000 ties behind which lie 2.9 million event-tie rows) gets
the evidence of each batch from ``fetch`` and loses it again once the batch is written, so it
is never held with all its evidence at once. The XML formats declare their attributes before
the nodes; the nodes and edges are written to a temporary file first (in the system's
temporary folder, ``TMPDIR``), and copied after the declarations.

Examples
--------
>>> import io, networkx as nx
>>> net = nx.MultiDiGraph(view="actors")
>>> net.add_node("a", label="A", aliases=["x", "y"])
>>> _ = net.add_edge("a", "b", key="co-member", relation="co-member", sign=1, sources=["s"])
>>> out = io.BytesIO()
>>> write_network(net, "graphml", out)
>>> nx.read_graphml(io.BytesIO(out.getvalue())).nodes["a"]["aliases"]
'x; y'
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterable, Iterator
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from conflictgraph.errors import UsageError
from conflictgraph.rdf.namespaces import GRAPH_INFERRED

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["EXPORT_FORMATS", "STORE_FORMATS", "NETWORK_NS", "BATCH_EDGES", "write_network"]

EXPORT_FORMATS = ("gexf", "graphml", "json", "trig")
STORE_FORMATS = ("geojson",)  # written from the store, not from a projected network
NETWORK_NS = "https://w3id.org/conflictgraph/network#"
BATCH_EDGES = 50_000  # edges given their evidence at a time

EdgeKey = tuple[Any, Any, Any]
Edges = Iterable[tuple[Any, Any, Any, dict]]  # (u, v, key, attributes)
Fetch = Callable[["nx.MultiDiGraph", dict[EdgeKey, dict]], object]


def write_network(network: nx.MultiDiGraph, fmt: str, out: IO[bytes], *, fetch: Fetch | None = None) -> None:
    """Write ``network`` to the binary stream ``out`` as gexf, graphml, json or trig.

    ``fetch(network, edges)``: gives ``edges`` (copies of the attributes of some of the
    network's edges, by key) what lies behind them, in place (e.g.
    :func:`~conflictgraph.network.projection.add_provenance` for a network projected without
    provenance); it is asked for a batch of :data:`BATCH_EDGES` edges at a time, and the file
    records the network's ``provenance`` as true.

    >>> import io, json, networkx as nx
    >>> net = nx.MultiDiGraph(); _ = net.add_edge("a", "b", key="fought", sign=-1)
    >>> buf = io.BytesIO(); write_network(net, "json", buf)
    >>> json.loads(buf.getvalue())["edges"][0]["key"]
    'fought'
    """
    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {fmt!r} (choose from {', '.join(EXPORT_FORMATS)})")
    edges = _edges(network, fetch)
    info = network.graph
    if fetch is not None and "provenance" in info:
        info = dict(info, provenance=True)
    if fmt == "json":
        _write_json(network, info, edges, out)
    elif fmt == "trig":
        _write_trig(network, info, edges, out)
    elif fmt == "graphml":
        _write_graphml(network, info, edges, out)
    else:
        _write_gexf(network, edges, out)


def _edges(network: nx.MultiDiGraph, fetch: Fetch | None) -> Iterator[tuple[Any, Any, Any, dict]]:
    """Every edge (u, v, key, attributes), in the network's order; with ``fetch``, a batch at a
    time, as copies of its attributes given what lies behind each edge (the network is left as
    it is, and each batch's evidence is freed once the next is asked for)."""
    if fetch is None:
        yield from network.edges(keys=True, data=True)
        return
    keys = list(network.edges(keys=True))
    for first in range(0, len(keys), BATCH_EDGES):
        edges = {key: dict(network.edges[key]) for key in keys[first:first + BATCH_EDGES]}
        fetch(network, edges)
        for (u, v, key), attrs in edges.items():
            yield u, v, key, attrs


# JSON ----------------------------------------------------------------------------------------

def _write_json(network: nx.MultiDiGraph, info: dict, edges: Edges, out: IO[bytes]) -> None:
    """networkx's node-link form (``edges="edges"``: what ``nx.node_link_graph(data,
    edges="edges")`` reads back), one node or edge a line."""
    encoder = json.JSONEncoder(ensure_ascii=False, default=str)

    def dumps(value: Any) -> bytes:
        return encoder.encode(value).encode()

    out.write(b'{"directed": ' + dumps(network.is_directed()) + b', "multigraph": ' + dumps(network.is_multigraph())
              + b', "graph": ' + dumps(info) + b',\n "nodes": [')
    separator = b"\n  "
    for node, attrs in network.nodes(data=True):
        out.write(separator + dumps({**attrs, "id": node}))
        separator = b",\n  "
    out.write(b'],\n "edges": [')
    separator = b"\n  "
    for u, v, key, attrs in edges:
        out.write(separator + dumps({**attrs, "source": u, "target": v, "key": key}))
        separator = b",\n  "
    out.write(b"]}\n")


# TriG ----------------------------------------------------------------------------------------

_PREFIXES = {"net": NETWORK_NS, "prov": "http://www.w3.org/ns/prov#", "dct": "http://purl.org/dc/terms/",
             "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#"}


def _text(value: str) -> str:
    """A Turtle string literal (JSON's escapes are Turtle's; most text needs none).

    >>> _text('say "hi"'), _text("2023-01-05")
    ('"say \\\\"hi\\\\""', '"2023-01-05"')
    """
    return f'"{value}"' if _LITERAL_SPECIAL.search(value) is None else json.dumps(value, ensure_ascii=False)


_LITERAL_SPECIAL = re.compile(r'["\\\x00-\x1f]')


def _number(value: Any) -> str:
    """A Turtle literal of an int, float or bool (as rdflib types them).

    >>> _number(True), _number(3), _number(0.5), _number(float("-inf"))
    ('true', '3', '"0.5"^^xsd:double', '"-INF"^^xsd:double')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    number = float(value)
    text = "NaN" if number != number else ("INF" if number > 0 else "-INF") if number in (_INF, -_INF) else repr(number)
    return f'"{text}"^^xsd:double'


_INF = float("inf")
_NOT_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')  # what an IRI reference in Turtle cannot hold


def _iris(values: Iterable[Any]) -> str:
    """``values`` as Turtle IRI references joined by commas; ValueError for one that is not an IRI.

    >>> _iris(["https://example.org/a", "https://example.org/b"])
    '<https://example.org/a>, <https://example.org/b>'
    """
    texts = list(map(str, values))
    if _NOT_IRI.search("".join(texts)):
        bad = next(text for text in texts if _NOT_IRI.search(text))
        raise ValueError(f"cannot write {bad!r} as an IRI in TriG")
    return "<" + ">, <".join(texts) + ">"


def _date(value: Any) -> str:
    """An xsd:date literal."""
    return f"{_text(str(value))}^^xsd:date"


def _write_trig(network: nx.MultiDiGraph, info: dict, edges: Edges, out: IO[bytes]) -> None:
    view = info.get("view") or "network"
    window = str(info.get("window") or "all dates").replace(" ", "-")
    name = GRAPH_INFERRED.rsplit("/", 1)[0] + f"/network/{view}/{window}"
    lines = [f"@prefix {prefix}: <{iri}> ." for prefix, iri in _PREFIXES.items()]
    out.write(("\n".join([*lines, "", f"<{name}> {{"]) + "\n").encode("utf-8"))
    for node, attrs in network.nodes(data=True):
        said = [f"rdfs:label {_text(str(attrs['label']))}" if attrs.get("label") else "",
                f"net:nodeType {_text(str(attrs['type']))}" if attrs.get("type") else ""]
        _write_subject(out, _iris([node]), [s for s in said if s])
    for u, v, key, attrs in edges:
        digest = hashlib.sha1(f"{u}|{v}|{key}".encode()).hexdigest()[:12]
        said = ["a net:Edge", f"net:from <{u}>", f"net:to <{v}>",  # (nodes: checked as they were written)
                f"net:relation {_text(str(attrs.get('relation', key)))}",
                f"net:sign {int(attrs.get('sign', 0))}", f"net:weight {_number(attrs.get('weight', 1))}",
                f"net:symmetric {_number(bool(attrs.get('symmetric', False)))}"]
        said += [f"net:{field} {_date(attrs[field])}" for field in ("start", "end") if attrs.get(field)]
        for field, predicate in (("statements", "prov:wasDerivedFrom"), ("sources", "dct:source"),
                                 ("events", "net:event"), ("via", "net:via")):
            if attrs.get(field):
                said.append(f"{predicate} {_iris(attrs[field])}")
        _write_subject(out, f"net:edge-{digest}", said)
    out.write(b"}\n")


def _write_subject(out: IO[bytes], subject: str, said: list[str]) -> None:
    """One subject's predicates and objects (``said``), as a Turtle block."""
    if said:
        out.write(f"  {subject} {_PREDICATES.join(said)} .\n".encode())


_PREDICATES = " ;\n    "


# GraphML and GEXF ------------------------------------------------------------------------------

_XML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}  # as networkx names them


class _Keys:
    """The attribute declarations of an XML file, made as the values are met: one id per
    (scope, name, type), as networkx declares them."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, str, str], str] = {}

    def values(self, scope: str, attrs: dict, *, skip: Collection[str] = (),
               lower_booleans: bool = False) -> list[tuple[str, str]]:
        """The (key id, text) of each attribute of ``attrs`` a file can hold (but those of
        ``skip``): no None and no empty list; lists as text joined by ``"; "``, dicts as JSON
        text; booleans ``True``/``False`` (GraphML) or ``true``/``false`` (GEXF).

        >>> _Keys().values("edge", {"a": 1, "b": None, "c": ["x", "y"], "d": {}, "e": [], "f": True})
        [('0', '1'), ('1', 'x; y'), ('2', '{}'), ('3', 'True')]
        """
        found = []
        for name, value in attrs.items():
            if value is None or name in skip:
                continue
            kind = type(value)
            if kind is str:
                text = value
            elif kind is list or kind is tuple or kind is set:
                if not value and kind is not set:
                    continue
                text, kind = "; ".join(map(str, value)), str
            elif kind is bool:
                text = ("true" if value else "false") if lower_booleans else str(value)
            elif kind is int:
                text = str(value)
            elif kind is float:
                text = repr(value)
            elif kind is dict:
                text, kind = json.dumps(value, ensure_ascii=False, sort_keys=True), str
            else:
                text, kind = (value.isoformat() if isinstance(value, date) else str(value)), str
            key = (scope, name, _XML_TYPES[kind])
            found_id = self.ids.get(key)
            if found_id is None:
                found_id = self.ids[key] = str(len(self.ids))
            found.append((found_id, text))
        return found


_SPECIAL = re.compile(r'[&<>"\n\r\t]')
_TEXT_SPECIAL = re.compile(r"[&<>\r]")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def _escaped(match: re.Match) -> str:
    return _ESCAPES[match.group()]


def _attr(value: str) -> str:
    """``value`` as a quoted XML attribute value (most values need no escape: they are looked
    at once, not rewritten five times over).

    >>> _attr('a "b" & c'), _attr("plain")
    ('"a &quot;b&quot; &amp; c"', '"plain"')
    """
    return f'"{value}"' if _SPECIAL.search(value) is None else f'"{_SPECIAL.sub(_escaped, value)}"'


def _text_node(value: str) -> str:
    """``value`` as XML text."""
    return value if _TEXT_SPECIAL.search(value) is None else _TEXT_SPECIAL.sub(_escaped, value)


def _write_graphml(network: nx.MultiDiGraph, info: dict, edges: Edges, out: IO[bytes]) -> None:
    keys = _Keys()

    def data(scope: str, attrs: dict, indent: str) -> str:  # (an edge's spans are not written: GEXF has spells)
        return "".join(f'\n{indent}<data key="d{key}">{_text_node(text)}</data>'
                       for key, text in keys.values(scope, attrs, skip=("spans",)))

    graph_data = data("graph", info, "    ")
    with tempfile.TemporaryFile() as body:
        for node, attrs in network.nodes(data=True):
            body.write(f"    <node id={_attr(str(node))}>{data('node', attrs, '      ')}\n    </node>\n".encode())
        for u, v, key, attrs in edges:
            body.write(f"    <edge source={_attr(str(u))} target={_attr(str(v))} id={_attr(str(key))}>"
                       f"{data('edge', attrs, '      ')}\n    </edge>\n".encode())
        head = ["<?xml version='1.0' encoding='utf-8'?>",
                '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">']
        head += [f'  <key id="d{kid}" for="{scope}" attr.name={_attr(name)} attr.type="{kind}" />'
                 for (scope, name, kind), kid in keys.ids.items()]
        head.append(f'  <graph edgedefault="{"directed" if network.is_directed() else "undirected"}">')
        out.write(("\n".join(head) + "\n").encode())
        body.seek(0)
        shutil.copyfileobj(body, out)
    out.write(f"{graph_data[1:]}\n  </graph>\n</graphml>\n".encode() if graph_data
              else b"  </graph>\n</graphml>\n")


_GEXF_EDGE_FIELDS = ("label", "weight", "start", "end")  # XML attributes of an edge, not attribute values
_GEXF_SKIP = frozenset({*_GEXF_EDGE_FIELDS, "spans"})


def _write_gexf(network: nx.MultiDiGraph, edges: Edges, out: IO[bytes]) -> None:
    """GEXF 1.2 as networkx writes it (``nx.read_gexf`` reads back the same graph, keys
    included), with an edge's ``spans`` as its spells."""
    keys = _Keys()
    dated = False

    def attvalues(values: list[tuple[str, str]]) -> str:
        if not values:
            return ""
        listed = "".join(f'\n          <attvalue for="{key}" value={_attr(text)} />' for key, text in values)
        return f"\n        <attvalues>{listed}\n        </attvalues>"

    with tempfile.TemporaryFile() as body:
        for node, attrs in network.nodes(data=True):
            label = attrs.get("label")
            values = keys.values("node", attrs, skip=("label",), lower_booleans=True)
            body.write(f"      <node id={_attr(str(node))} label={_attr(str(node if label is None else label))}>"
                       f"{attvalues(values)}\n      </node>\n".encode())
        body.write(b"    </nodes>\n    <edges>\n")
        for number, (u, v, key, attrs) in enumerate(edges):
            spans = attrs.get("spans")
            fields = "".join(f" {name}={_attr(str(attrs[name]))}" for name in _GEXF_EDGE_FIELDS
                             if attrs.get(name) is not None and not (spans and name in ("start", "end")))
            dated = dated or bool(spans) or attrs.get("start") is not None or attrs.get("end") is not None
            spells = "".join(f"\n          <spell{_spell(start, end)} />" for start, end in spans or ())
            values = keys.values("edge", {**attrs, "networkx_key": key}, skip=_GEXF_SKIP, lower_booleans=True)
            body.write((f"      <edge source={_attr(str(u))} target={_attr(str(v))} id=\"{number}\"{fields}>"
                        + (f"\n        <spells>{spells}\n        </spells>" if spells else "")
                        + f"{attvalues(values)}\n      </edge>\n").encode())
        mode = 'mode="dynamic" timeformat="date"' if dated else 'mode="static"'
        head = ["<?xml version='1.0' encoding='utf-8'?>",
                '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" '
                'version="1.2">',
                f'  <meta lastmodifieddate="{date.today().isoformat()}">',
                "    <creator>conflictgraph</creator>", "  </meta>",
                f'  <graph defaultedgetype="{"directed" if network.is_directed() else "undirected"}" {mode}>']
        for scope in ("node", "edge"):
            declared = [f'      <attribute id="{kid}" title={_attr(name)} type="{kind}" />'
                        for (of, name, kind), kid in keys.ids.items() if of == scope]
            if declared:
                head += [f'    <attributes mode="static" class="{scope}">', *declared, "    </attributes>"]
        out.write(("\n".join([*head, "    <nodes>"]) + "\n").encode())
        body.seek(0)
        shutil.copyfileobj(body, out)
    out.write(b"    </edges>\n  </graph>\n</gexf>\n")


def _spell(start: str | None, end: str | None) -> str:
    return (f" start={_attr(str(start))}" if start is not None else "") + (
        f" end={_attr(str(end))}" if end is not None else "")
