"""GEXF and GraphML exports read back by networkx and igraph with their types: numbers as
numbers, booleans as booleans, dates as ISO days, and in GEXF the dynamic intervals (one spell
per span of an edge in force in separate spans) that Gephi's timeline plays."""
from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from datetime import date

import igraph
import networkx as nx
import pytest

from conflictgraph.network.export import write_network
from conflictgraph.network.projection import project
from conftest import FIXTURES, run_cli

pytestmark = pytest.mark.slow  # the whole bundled graph through the CLI

GEXF = "{http://www.gexf.net/1.2draft}"


@pytest.fixture(scope="module")
def network(tmp_path_factory) -> nx.MultiDiGraph:
    """The bundled graph with the all-hostile UCDP-shaped fixture imported: curated ties with
    open ends and event ties in force in separate spans."""
    from conflictgraph.build.pipeline import open_for_reading

    folder = tmp_path_factory.mktemp("export")
    store = str(folder / "store")
    assert run_cli("build", "--store", store).exit_code == 0
    assert run_cli("import", "ucdp", str(FIXTURES / "ucdp" / "westland.csv"), "--store", store,
                   "--rejects", str(folder / "rejects.csv")).exit_code == 0
    return project(open_for_reading(store))


def _written(network: nx.MultiDiGraph, fmt: str) -> bytes:
    out = io.BytesIO()
    write_network(network, fmt, out)
    return out.getvalue()


def test_graphml_reads_back_with_its_types_in_networkx_and_igraph(network, tmp_path):
    data = _written(network, "graphml")
    back = nx.read_graphml(io.BytesIO(data))
    assert back.number_of_edges() == network.number_of_edges()
    for u, v, key, attrs in network.edges(keys=True, data=True):
        got = back.edges[u, v, key]
        assert got["weight"] == attrs["weight"] and type(got["weight"]) is type(attrs["weight"])
        assert got["sign"] == attrs["sign"] and isinstance(got["symmetric"], bool)
        if attrs.get("fatalities") is not None:
            assert got["fatalities"] == attrs["fatalities"] and isinstance(got["fatalities"], int)
        for end in ("start", "end"):
            if attrs.get(end):
                assert got[end] == attrs[end] and date.fromisoformat(got[end])
    path = tmp_path / "net.graphml"
    path.write_bytes(data)
    graph = igraph.Graph.Read_GraphML(str(path))
    assert graph.ecount() == network.number_of_edges() and graph.vcount() == network.number_of_nodes()
    deaths = {e["fatalities"] for e in graph.es if e["fatalities"] == e["fatalities"]}  # NaN: none
    assert deaths and all(isinstance(d, float) for d in deaths)  # igraph holds numbers as floats
    assert sum(deaths) == sum({a["fatalities"] for *_e, a in network.edges(data=True) if a.get("fatalities") is not None})


def test_gexf_is_dynamic_with_one_spell_per_span(network):
    data = _written(network, "gexf")
    root = ET.fromstring(data)
    graph = root.find(f"{GEXF}graph")
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    edges = root.findall(f".//{GEXF}edge")
    gapped = [(u, v, k, a) for u, v, k, a in network.edges(keys=True, data=True) if a.get("spans")]
    assert gapped, "the fixture has event ties in force in separate spans"
    by_id = {(e.get("source"), e.get("target"), e.get("label")): e for e in edges}
    for u, v, _key, attrs in gapped:
        element = by_id[(u, v, attrs["label"])]
        spells = element.findall(f"{GEXF}spells/{GEXF}spell")
        assert [[s.get("start"), s.get("end")] for s in spells] == attrs["spans"]
        assert element.get("start") is None  # the spells say when, not one span across the gaps
    for e in edges:
        for when in (e.get("start"), e.get("end")):
            assert when is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", when)
    back = nx.read_gexf(io.BytesIO(data))
    weights = [a["weight"] for *_e, a in back.edges(data=True)]
    assert back.number_of_edges() == network.number_of_edges() and all(isinstance(w, float) for w in weights)
    u, v, _key, attrs = gapped[0]
    read = next(a for x, y, a in back.edges(data=True) if (x, y) == (u, v) and a.get("label") == attrs["label"])
    assert [list(span) for span in read["spells"]] == attrs["spans"]
