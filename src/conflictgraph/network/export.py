"""Write a projected network for Gephi, Cytoscape or a notebook: GEXF, GraphML, JSON, TriG.

Every node and edge attribute is kept. GEXF and GraphML cannot hold lists, dicts or missing
values, so there lists become text joined by ``"; "``, dicts become JSON text and missing
values and empty lists are left out; numbers and booleans keep their types. In GEXF an edge's
``start``/``end`` are its dynamic interval (``timeformat="date"``, so Gephi's timeline plays
the network), and an edge in force in separate ``spans`` gets one spell per span instead.
JSON is networkx's node-link form (edges with their ``key``) and keeps the values as they
are. TriG writes the network as RDF in one named graph (the view), each
edge a ``net:Edge`` node with ``net:from``/``net:to``/``net:relation``/``net:sign``/
``net:weight``, its dates, ``prov:wasDerivedFrom`` its statements and ``dct:source`` its
sources. (GeoJSON is not a network format: see :mod:`conflictgraph.render.geojson`.)

Examples
--------
>>> import io, networkx as nx
>>> net = nx.MultiDiGraph(view="actors")
>>> net.add_node("a", label="A", aliases=["x", "y"])
>>> _ = net.add_edge("a", "b", key="co-member", relation="co-member", sign=1, sources=["s"])
>>> out = io.BytesIO()
>>> write_network(net, "graphml", out)
>>> b"x; y" in out.getvalue()
True
"""
from __future__ import annotations

import json
from typing import IO, TYPE_CHECKING, Any

from conflictgraph.errors import UsageError
from conflictgraph.rdf.namespaces import GRAPH_INFERRED

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["EXPORT_FORMATS", "STORE_FORMATS", "NETWORK_NS", "flatten_attributes", "write_network",
]

EXPORT_FORMATS = ("gexf", "graphml", "json", "trig")
STORE_FORMATS = ("geojson",)  # written from the store, not from a projected network
NETWORK_NS = "https://w3id.org/conflictgraph/network#"


def _flat(value: Any) -> Any:
    if isinstance(value, (list, tuple, set)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _kept(data: dict) -> dict:
    """The attributes a file can hold: no None, no empty list, lists and dicts as text."""
    return {k: _flat(v) for k, v in data.items() if v is not None and v != [] and v != ()}


def flatten_attributes(network: nx.MultiDiGraph, *, spells: bool = False) -> nx.MultiDiGraph:
    """A copy whose attributes GEXF and GraphML can hold (no lists, dicts or None); with
    ``spells``, an edge's ``spans`` become GEXF spells (in place of its start and end).

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph(); g.add_node(1, aliases=["a", "b"], type=None, events=[])
    >>> flatten_attributes(g).nodes["1"]
    {'aliases': 'a; b'}
    >>> _ = g.add_edge(1, 2, spans=[["2020-01-01", "2020-01-01"], ["2021-05-01", None]])
    >>> flatten_attributes(g, spells=True).edges["1", "2", "0"]["spells"]
    [('2020-01-01', '2020-01-01'), ('2021-05-01', None)]
    """
    import networkx as nx

    flat = nx.MultiDiGraph()
    flat.graph.update(_kept(network.graph))
    for node, data in network.nodes(data=True):
        flat.add_node(str(node), **_kept(data))
    for u, v, key, data in network.edges(keys=True, data=True):
        attrs = _kept({k: value for k, value in data.items() if k != "spans"})
        if spells and data.get("spans"):
            attrs.pop("start", None)
            attrs.pop("end", None)
            attrs["spells"] = [(start, end) for start, end in data["spans"]]
        flat.add_edge(str(u), str(v), key=str(key), **attrs)
    return flat


def _trig(network: nx.MultiDiGraph, out: IO[bytes]) -> None:
    import hashlib

    from rdflib import Dataset, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

    net = Namespace(NETWORK_NS)
    data = Dataset()
    data.bind("net", net)
    data.bind("prov", PROV)
    data.bind("dct", DCTERMS)
    view = network.graph.get("view") or "network"
    window = str(network.graph.get("window") or "all dates").replace(" ", "-")
    name = URIRef(GRAPH_INFERRED.rsplit("/", 1)[0] + f"/network/{view}/{window}")
    graph = data.graph(name)
    for node, attrs in network.nodes(data=True):
        subject = URIRef(str(node))
        if attrs.get("label"):
            graph.add((subject, RDFS.label, Literal(attrs["label"])))
        if attrs.get("type"):
            graph.add((subject, net.nodeType, Literal(attrs["type"])))
    for u, v, key, attrs in network.edges(keys=True, data=True):
        digest = hashlib.sha1(f"{u}|{v}|{key}".encode()).hexdigest()[:12]
        edge = URIRef(NETWORK_NS + "edge-" + digest)
        graph.add((edge, RDF.type, net.Edge))
        graph.add((edge, net["from"], URIRef(str(u))))
        graph.add((edge, net.to, URIRef(str(v))))
        graph.add((edge, net.relation, Literal(str(attrs.get("relation", key)))))
        graph.add((edge, net.sign, Literal(int(attrs.get("sign", 0)))))
        graph.add((edge, net.weight, Literal(attrs.get("weight", 1))))
        graph.add((edge, net.symmetric, Literal(bool(attrs.get("symmetric", False)))))
        for field_, prop in (("start", net.start), ("end", net.end)):
            if attrs.get(field_):
                graph.add((edge, prop, Literal(attrs[field_], datatype=XSD.date)))
        for statement in attrs.get("statements", []):
            graph.add((edge, PROV.wasDerivedFrom, URIRef(statement)))
        for source in attrs.get("sources", []):
            graph.add((edge, DCTERMS.source, URIRef(source)))
        for event in attrs.get("events", []):
            graph.add((edge, net.event, URIRef(event)))
        for via in attrs.get("via", []):
            graph.add((edge, net.via, URIRef(via)))
    text = data.serialize(format="trig")
    out.write(text.encode("utf-8") if isinstance(text, str) else text)


def write_network(network: nx.MultiDiGraph, fmt: str, out: IO[bytes]) -> None:
    """Write ``network`` to the binary stream ``out`` as gexf, graphml, json or trig.

    >>> import io, json, networkx as nx
    >>> net = nx.MultiDiGraph(); _ = net.add_edge("a", "b", key="fought", sign=-1)
    >>> buf = io.BytesIO(); write_network(net, "json", buf)
    >>> json.loads(buf.getvalue())["edges"][0]["key"]
    'fought'
    """
    import networkx as nx

    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown export format {fmt!r} (choose from {', '.join(EXPORT_FORMATS)})")
    if fmt == "gexf":
        nx.write_gexf(flatten_attributes(network, spells=True), out)
    elif fmt == "graphml":
        nx.write_graphml(flatten_attributes(network), out)
    elif fmt == "json":
        payload = nx.node_link_data(network, edges="edges")
        out.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str).encode("utf-8"))
        out.write(b"\n")
    else:
        _trig(network, out)
