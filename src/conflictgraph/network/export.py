"""Write a projected network for Gephi, Cytoscape or a notebook: GEXF, GraphML, JSON, TriG.

Every node and edge attribute is kept. GEXF and GraphML cannot hold lists, dicts or missing
values, so there lists become text joined by ``"; "``, dicts become JSON text and missing
values and empty lists are left out; numbers and booleans keep their types (the text is made
in :mod:`conflictgraph.network.export_xml`). In GEXF an edge's
``start``/``end`` are its dynamic interval (``timeformat="date"``, so Gephi's timeline plays
the network), and an edge in force in separate ``spans`` gets one spell per span instead.
JSON is networkx's node-link form (edges with their ``key``; one node or edge a line, encoded by
orjson) and keeps the values as they are: numbers (numpy's too), text, lists and dicts; dates
in ISO form; NaN and infinities as null (JSON has no such numbers); anything else as its text.
TriG writes the network as RDF in one named graph (the view), each
edge a ``net:Edge`` node with ``net:from``/``net:to``/``net:relation``/``net:sign``/
``net:weight``, its dates, ``prov:wasDerivedFrom`` its statements and ``dct:source`` its
sources. (GeoJSON is not a network format: see :mod:`conflictgraph.render.geojson`.)

For any networkx graph, not only a projection: a node's ``label`` is its GEXF label, an
edge's ``label``, ``weight``, ``start`` and ``end`` its GEXF fields; every other attribute
(``id`` and ``type`` included) is an attribute value. Node ids are written as IRIs in TriG.

The files are written as the edges are read, a batch at a time: a network projected without
provenance (a million events: 860,000 ties behind which lie 2.9 million event-tie rows) gets
the evidence of each batch from ``fetch`` and loses it again once the batch is written, so it
is never held with all its evidence at once. The edges become text :data:`TEXT_EDGES` at a
time, written by a thread of its own while the next are made. The XML formats declare their
attributes before the nodes; the nodes and edges are written to a temporary file first (in the
system's temporary folder, ``TMPDIR``), and copied after the declarations.

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
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from itertools import islice
from typing import IO, TYPE_CHECKING, Any

import numpy as np
import orjson

from conflictgraph.errors import UsageError
from conflictgraph.network.export_xml import (Keys, attr, gexf_edges, gexf_nodes, graphml_elements,
                                               graphml_graph_data, quoted)
from conflictgraph.rdf.namespaces import GRAPH_INFERRED

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["EXPORT_FORMATS", "STORE_FORMATS", "NETWORK_NS", "BATCH_EDGES", "TEXT_EDGES", "write_network"]

EXPORT_FORMATS = ("gexf", "graphml", "json", "trig")
STORE_FORMATS = ("geojson",)  # written from the store, not from a projected network
NETWORK_NS = "https://w3id.org/conflictgraph/network#"
BATCH_EDGES = 50_000  # edges given their evidence at a time
TEXT_EDGES = 2_000  # edges made into text at a time (measured: faster than 50,000, and 200 MB less at the peak)

EdgeKey = tuple[Any, Any, Any]
Batches = Iterable[list[tuple[Any, Any, Any, dict]]]  # lists of (u, v, key, attributes)
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
    batches = _batches(network, fetch, copies=fmt == "gexf")  # (GEXF adds each edge's networkx_key)
    info = network.graph
    if fetch is not None and "provenance" in info:
        info = dict(info, provenance=True)
    if fmt == "json":
        _write_behind(out, _json(network, info, batches))
    elif fmt == "trig":
        _write_behind(out, _trig(network, info, batches))
    elif fmt == "graphml":
        _write_graphml(network, info, batches, out)
    else:
        _write_gexf(network, batches, out)


def _batches(network: nx.MultiDiGraph, fetch: Fetch | None, *, copies: bool = False
             ) -> Iterator[list[tuple[Any, Any, Any, dict]]]:
    """Every edge (u, v, key, attributes), in the network's order, in lists of
    :data:`TEXT_EDGES`; with ``fetch``, fetched :data:`BATCH_EDGES` at a time as copies of
    their attributes given what lies behind each edge (the network is left as it is, and each
    batch's evidence is freed once the next is asked for). With ``copies``, the attributes are
    copies without ``fetch`` too (the writer may add to them)."""
    edges = iter(network.edges(keys=True, data=True))
    while batch := list(islice(edges, BATCH_EDGES)):
        if fetch is not None:
            copied = {(u, v, key): dict(attrs) for u, v, key, attrs in batch}
            fetch(network, copied)
            batch = [(u, v, key, attrs) for (u, v, key), attrs in copied.items()]
        elif copies:
            batch = [(u, v, key, dict(attrs)) for u, v, key, attrs in batch]
        for first in range(0, len(batch), TEXT_EDGES):
            yield batch[first:first + TEXT_EDGES]


def _write_behind(out: IO[bytes], texts: Iterable[str | bytes]) -> None:
    """Write each of ``texts`` to ``out`` in a thread of its own while the next is made (a
    write spends its time in the kernel, where the GIL is free); at most one write is pending."""
    with ThreadPoolExecutor(max_workers=1) as writer:
        pending = None
        for text in texts:
            data = text.encode() if isinstance(text, str) else text
            if pending is not None:
                pending.result()
            pending = writer.submit(out.write, data)
        if pending is not None:
            pending.result()


# JSON ----------------------------------------------------------------------------------------

def _json(network: nx.MultiDiGraph, info: dict, batches: Batches) -> Iterator[bytes]:
    """networkx's node-link form (``edges="edges"``: what ``nx.node_link_graph(data,
    edges="edges")`` reads back), one node or edge a line, encoded by orjson (a million events:
    6 s with the json module, 1.5 s with orjson; see :func:`_encoded`)."""
    nodes = b",\n  ".join([_encoded({**attrs, "id": node}) for node, attrs in network.nodes(data=True)])
    yield (b'{"directed":' + _encoded(network.is_directed()) + b',"multigraph":' + _encoded(network.is_multigraph())
           + b',"graph":' + _encoded(info) + b',\n "nodes":[' + (b"\n  " + nodes if nodes else b"") + b'],\n "edges":[')
    separator = b"\n  "
    for batch in batches:
        yield separator + b",\n  ".join([_encoded({**attrs, "source": u, "target": v, "key": key})
                                         for u, v, key, attrs in batch])
        separator = b",\n  "
    yield b"]}\n"


def _plain(value: Any) -> Any:
    """A value JSON has no type for: a number of a subclass of float or int, or of numpy, as the
    number; anything else as its text."""
    if isinstance(value, float):
        return float(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


_JSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY
_JSON_FALLBACK = json.JSONEncoder(ensure_ascii=False, default=_plain)


def _encoded(value: Any) -> bytes:
    """``value`` as JSON, by orjson; what it cannot write (an int beyond 64 bits) by the json
    module.

    >>> _encoded({"a": np.float64(1.5), "b": float("nan"), 3: range(2)})
    b'{"a":1.5,"b":null,"3":"range(0, 2)"}'
    >>> _encoded({"a": np.float64(1.5), "b": float("nan"), "c": 2**70})
    b'{"a": 1.5, "b": NaN, "c": 1180591620717411303424}'
    """
    try:
        return orjson.dumps(value, default=_plain, option=_JSON_OPTIONS)
    except orjson.JSONEncodeError:
        return _JSON_FALLBACK.encode(value).encode()


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


def _trig(network: nx.MultiDiGraph, info: dict, batches: Batches) -> Iterator[str]:
    view = info.get("view") or "network"
    window = str(info.get("window") or "all dates").replace(" ", "-")
    name = GRAPH_INFERRED.rsplit("/", 1)[0] + f"/network/{view}/{window}"
    lines = [f"@prefix {prefix}: <{iri}> ." for prefix, iri in _PREFIXES.items()]
    said_of_nodes = []
    for node, attrs in network.nodes(data=True):
        said = [f"rdfs:label {_text(str(attrs['label']))}" if attrs.get("label") else "",
                f"net:nodeType {_text(str(attrs['type']))}" if attrs.get("type") else ""]
        said_of_nodes.append(_subject(_iris([node]), [s for s in said if s]))
    yield "\n".join([*lines, "", f"<{name}> {{"]) + "\n" + "".join(said_of_nodes)
    for batch in batches:
        yield "".join(_subject(f"net:edge-{_digest(u, v, key)}", _edge_said(u, v, key, attrs))
                      for u, v, key, attrs in batch)
    yield "}\n"


def _digest(u: Any, v: Any, key: Any) -> str:
    return hashlib.sha1(f"{u}|{v}|{key}".encode()).hexdigest()[:12]


def _edge_said(u: Any, v: Any, key: Any, attrs: dict) -> list[str]:
    """What TriG says of an edge: its ends (nodes, checked as they were written), relation,
    sign, weight, dates and what lies behind it."""
    said = ["a net:Edge", f"net:from <{u}>", f"net:to <{v}>",
            f"net:relation {_text(str(attrs.get('relation', key)))}",
            f"net:sign {int(attrs.get('sign', 0))}", f"net:weight {_number(attrs.get('weight', 1))}",
            f"net:symmetric {_number(bool(attrs.get('symmetric', False)))}"]
    said += [f"net:{field} {_date(attrs[field])}" for field in ("start", "end") if attrs.get(field)]
    for field, predicate in (("statements", "prov:wasDerivedFrom"), ("sources", "dct:source"),
                             ("events", "net:event"), ("via", "net:via")):
        if attrs.get(field):
            said.append(f"{predicate} {_iris(attrs[field])}")
    return said


def _subject(subject: str, said: list[str]) -> str:
    """One subject's predicates and objects (``said``), as a Turtle block."""
    return f"  {subject} {_PREDICATES.join(said)} .\n" if said else ""


_PREDICATES = " ;\n    "


# GraphML and GEXF (the text: export_xml) ------------------------------------------------------

def _write_graphml(network: nx.MultiDiGraph, info: dict, batches: Batches, out: IO[bytes]) -> None:
    keys = Keys()
    graph_data = graphml_graph_data(keys, info)  # (written last, declared first)
    nodes = quoted(network)

    def body() -> Iterator[str]:
        yield graphml_elements(keys, "node", [f"id={nodes[node]}" for node in network],
                               [attrs for _node, attrs in network.nodes(data=True)])
        for batch in batches:
            typed = {(key, type(key)) for _u, _v, key, _attrs in batch}  # (two edges may have keys 1 and True)
            ids = {key: attr(str(key[0])) for key in typed}
            yield graphml_elements(keys, "edge", [f"source={nodes[u]} target={nodes[v]} id={ids[key, type(key)]}"
                                                  for u, v, key, _attrs in batch], [attrs for *_edge, attrs in batch])

    def head() -> str:
        lines = ["<?xml version='1.0' encoding='utf-8'?>",
                 '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                 'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                 'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">']
        lines += [f'  <key id="d{kid}" for="{scope}" attr.name={attr(name)} attr.type="{kind}" />'
                  for (scope, name, kind), kid in keys.ids.items()]
        lines.append(f'  <graph edgedefault="{"directed" if network.is_directed() else "undirected"}">')
        return "\n".join(lines) + "\n"

    _write_declared_after(out, body(), head, f"{graph_data}  </graph>\n</graphml>\n")


def _write_gexf(network: nx.MultiDiGraph, batches: Batches, out: IO[bytes]) -> None:
    """GEXF 1.2 as networkx writes it (``nx.read_gexf`` reads back the same graph, keys
    included), with an edge's ``spans`` as its spells."""
    keys = Keys()
    dated = False
    nodes = quoted(network)

    def body() -> Iterator[str]:
        nonlocal dated
        yield gexf_nodes(keys, nodes, network.nodes(data=True)) + "    </nodes>\n    <edges>\n"
        written = 0
        for batch in batches:
            opening = [f'source={nodes[u]} target={nodes[v]} id="{number}"'
                       for number, (u, v, _key, _attrs) in enumerate(batch, written)]
            rows = []
            for _u, _v, key, attrs in batch:  # (copies: see write_network)
                attrs["networkx_key"] = key
                rows.append(attrs)
            text, batch_dated = gexf_edges(keys, opening, rows)
            dated, written = dated or batch_dated, written + len(batch)
            yield text

    def head() -> str:
        mode = 'mode="dynamic" timeformat="date"' if dated else 'mode="static"'
        lines = ["<?xml version='1.0' encoding='utf-8'?>",
                 '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                 'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" '
                 'version="1.2">',
                 f'  <meta lastmodifieddate="{date.today().isoformat()}">',
                 "    <creator>conflictgraph</creator>", "  </meta>",
                 f'  <graph defaultedgetype="{"directed" if network.is_directed() else "undirected"}" {mode}>']
        for scope in ("node", "edge"):
            declared = [f'      <attribute id="{kid}" title={attr(name)} type="{kind}" />'
                        for (of, name, kind), kid in keys.ids.items() if of == scope]
            if declared:
                lines += [f'    <attributes mode="static" class="{scope}">', *declared, "    </attributes>"]
        return "\n".join([*lines, "    <nodes>"]) + "\n"

    _write_declared_after(out, body(), head, "    </edges>\n  </graph>\n</gexf>\n")


def _write_declared_after(out: IO[bytes], body: Iterable[str], head: Callable[[], str], tail: str) -> None:
    """Write ``head()``, ``body`` and ``tail`` to ``out``, the head made once the body is (it
    declares what the body met): the body goes to a temporary file first."""
    with tempfile.TemporaryFile() as kept:
        _write_behind(kept, body)
        out.write(head().encode())
        kept.seek(0)
        shutil.copyfileobj(kept, out)
    out.write(tail.encode())
