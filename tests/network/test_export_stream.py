"""Exports written as the edges are read (conflictgraph.network.export): a network projected
without provenance, given each batch's evidence from the event-tie table, is written exactly as
the network with all of it; what networkx, igraph and rdflib read back is what networkx's own
writers give."""
from __future__ import annotations

import io
import json
from datetime import date

import networkx as nx
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import conflictgraph.network.export as export
from conflictgraph.api import ConflictGraph
from conflictgraph.importers.dataset import import_events
from conflictgraph.network.export import EXPORT_FORMATS, write_network
from conflictgraph.network.spec import NetworkSpec

from conftest import FIXTURES, run_cli


@pytest.fixture(scope="module")
def graph(bundled_copy) -> ConflictGraph:
    """The bundled graph with the UCDP and ACLED fixtures imported, in memory."""
    store = bundled_copy()
    for dataset, path in (("ucdp", FIXTURES / "ucdp" / "ged.csv"), ("acled", FIXTURES / "acled" / "acled.csv")):
        import_events(store, dataset, path)
    return ConflictGraph(store)


def _written(network: nx.MultiDiGraph, fmt: str) -> bytes:
    out = io.BytesIO()
    write_network(network, fmt, out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
@pytest.mark.parametrize("spec", [NetworkSpec(), NetworkSpec(between=("2023-11-01", "2023-11-30")),
                                  NetworkSpec(evidence="acled", view="alliance")], ids=["all", "november", "acled"])
def test_an_export_in_batches_is_the_export_of_the_whole_network(graph, fmt, spec, monkeypatch):
    monkeypatch.setattr(export, "BATCH_EDGES", 7)  # many batches on a small network,
    monkeypatch.setattr(export, "TEXT_EDGES", 3)  # each made into text in parts
    out = io.BytesIO()
    light = graph.export(fmt, out, spec)
    full = graph.network(spec)
    before = list(full.edges(keys=True, data=True))
    assert out.getvalue() == _written(full, fmt)
    assert list(full.edges(keys=True, data=True)) == before  # (the writer adds to copies: networkx_key)
    assert not any("networkx_key" in d for *_e, d in [*full.edges(data=True), *light.edges(data=True)])
    table_edges = [d for *_e, d in full.edges(data=True) if "acled" in d["evidence"] or "ucdp-ged" in d["evidence"]]
    assert table_edges, "the fixtures' events are on the network"
    assert any("events" not in d for *_e, d in light.edges(data=True))  # the network written is left light


def _flattened(network: nx.MultiDiGraph, *, spells: bool) -> nx.MultiDiGraph:
    """The network as the module docstring says GraphML and GEXF hold it, for networkx's writers."""
    def kept(data: dict) -> dict:
        flat = {k: "; ".join(map(str, v)) if isinstance(v, list) else json.dumps(v, ensure_ascii=False, sort_keys=True)
                if isinstance(v, dict) else v for k, v in data.items() if v is not None and v != []}
        flat.pop("spans", None)
        return flat

    copy = nx.MultiDiGraph()
    copy.graph.update(kept(network.graph))
    for node, data in network.nodes(data=True):
        copy.add_node(node, **kept(data))
    for u, v, key, data in network.edges(keys=True, data=True):
        attrs = kept(data)
        if spells and data.get("spans"):
            attrs.pop("start", None)
            attrs.pop("end", None)
            attrs["spells"] = [tuple(span) for span in data["spans"]]
        copy.add_edge(u, v, key=key, **attrs)
    return copy


def _same_graph(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert (sorted((u, v, k, sorted(d.items(), key=str)) for u, v, k, d in a.edges(keys=True, data=True))
            == sorted((u, v, k, sorted(d.items(), key=str)) for u, v, k, d in b.edges(keys=True, data=True)))


def test_graphml_and_gexf_read_back_as_networkx_s_own_files(graph):
    network = graph.network()
    assert any(d.get("spans") for *_e, d in network.edges(data=True))
    theirs = io.BytesIO()
    nx.write_graphml(_flattened(network, spells=False), theirs)
    ours = nx.read_graphml(io.BytesIO(_written(network, "graphml")))
    _same_graph(ours, nx.read_graphml(io.BytesIO(theirs.getvalue())))
    assert ours.graph == nx.read_graphml(io.BytesIO(theirs.getvalue())).graph
    theirs = io.BytesIO()
    nx.write_gexf(_flattened(network, spells=True), theirs)
    _same_graph(nx.read_gexf(io.BytesIO(_written(network, "gexf"))), nx.read_gexf(io.BytesIO(theirs.getvalue())))


def test_json_reads_back_as_the_network(graph):
    network = graph.network()
    back = nx.node_link_graph(json.loads(_written(network, "json")), edges="edges")
    assert list(back.nodes(data=True)) == list(network.nodes(data=True))
    assert list(back.edges(keys=True, data=True)) == list(network.edges(keys=True, data=True))


def test_text_that_looks_like_markup_is_escaped_in_every_format():
    network = nx.MultiDiGraph(view="actors")
    odd = 'A & "B" <c>\n\tline'
    network.add_node("https://example.org/a", label=odd, aliases=[odd])
    network.add_edge("https://example.org/a", "https://example.org/b", key="allied", relation="allied", label=odd,
                     sign=1, weight=2)
    assert nx.read_graphml(io.BytesIO(_written(network, "graphml"))).nodes["https://example.org/a"]["label"] == odd
    back = nx.read_gexf(io.BytesIO(_written(network, "gexf")))
    assert back.nodes["https://example.org/a"]["label"] == odd
    assert next(iter(back.edges(data=True)))[2]["label"] == odd
    from rdflib import Dataset, Literal
    from rdflib.namespace import RDFS
    dataset = Dataset()
    dataset.parse(data=_written(network, "trig").decode(), format="trig")
    assert Literal(odd) in {o for _s, p, o, _g in dataset.quads() if p == RDFS.label}


def test_a_store_without_datasets_exports_its_network_with_provenance_as_it_is(bundled):
    out = io.BytesIO()
    bundled.export("json", out)
    written = json.loads(out.getvalue())
    assert written["graph"]["provenance"] is True
    assert written == json.loads(_written(bundled.network(), "json"))


def test_a_failed_export_leaves_the_file_that_was_there(mini_on_disk, tmp_path):
    target = tmp_path / "net.graphml"
    target.write_bytes(b"the earlier export")
    refused = run_cli("export", "--to", "graphml", "-o", str(target), "--focus", "Nobody Known", "--store",
                      mini_on_disk)
    assert refused.exit_code != 0 and "Nobody Known" in refused.output
    assert target.read_bytes() == b"the earlier export"
    assert list(tmp_path.iterdir()) == [target]  # no part file left
    done = run_cli("export", "--to", "graphml", "-o", str(target), "--store", mini_on_disk)
    assert done.exit_code == 0 and nx.read_graphml(target).number_of_edges() > 0


def test_a_label_that_looks_like_a_date_field_leaves_gexf_static_and_trig_refuses_what_is_no_iri():
    network = nx.MultiDiGraph()
    network.add_edge("https://example.org/a", "https://example.org/b", key="allied", label='x start="2020"', sign=1)
    assert b'mode="static"' in _written(network, "gexf")
    network.add_edge("https://example.org/a", "not an iri", key="allied", sign=1)
    with pytest.raises(ValueError, match="not an iri"):
        _written(network, "trig")


_TEXT = st.text(alphabet=st.sampled_from(list("ab %&<>\"'\t\n;{}")), max_size=6)
_NUMBER = st.one_of(st.integers(0, 2), st.booleans(), st.sampled_from([1.0, 0.5]))  # 1 == True == 1.0
_VALUE = st.one_of(st.none(), st.integers(-5, 5), st.floats(-10, 10, allow_nan=False).filter(lambda x: x != 0),
                   st.booleans(), _TEXT, st.lists(_TEXT.filter(bool), max_size=3), st.lists(_NUMBER, max_size=2),
                   st.dictionaries(st.sampled_from(["acled", "curated"]), _NUMBER, max_size=2))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(["kind", "n", "tags", "note"]), _VALUE, max_size=4),
                min_size=1, max_size=12))
@example([{"tags": [1], "note": [True], "n": {"x": 1}}, {"tags": [1], "note": [1], "n": {"x": True}}])  # equal, not same
def test_edges_of_many_shapes_read_back_as_networkx_s_own_graphml(rows):
    # Each edge's attributes in their own order and types (a row's shape), in chunks of 3 edges:
    # the text is made a shape and a column at a time, and the rows come back in the network's order.
    network = nx.MultiDiGraph()
    for number, attrs in enumerate(rows):
        network.add_edge(f"n{number % 4}", f"n{number % 3}", key=f"k{number}", **attrs)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(export, "TEXT_EDGES", 3)
        ours = nx.read_graphml(io.BytesIO(_written(network, "graphml")), force_multigraph=True)
    theirs = io.BytesIO()
    nx.write_graphml(_flattened(network, spells=False), theirs, infer_numeric_types=False)
    _same_graph(ours, nx.read_graphml(io.BytesIO(theirs.getvalue()), force_multigraph=True))
    assert list(ours.edges(keys=True)) == list(network.edges(keys=True))


_DAY = st.dates().map(date.isoformat)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries({}, optional={
    "label": _TEXT, "weight": st.integers(1, 9), "note": _TEXT, "tags": st.lists(_TEXT.filter(bool), max_size=3),
    "start": _DAY, "spans": st.lists(st.tuples(_DAY, _DAY).map(sorted), max_size=3)}), min_size=2, max_size=12))
def test_edges_of_many_shapes_read_back_as_networkx_s_own_gexf(rows):
    # GEXF's fields (label, weight, start), spans as spells (an edge with spans has no start);
    # parallel edges, so that networkx reads a multigraph back
    network = nx.MultiDiGraph()
    for number, attrs in enumerate(rows):
        network.add_edge("a", "b", key=f"k{number}", **attrs)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(export, "TEXT_EDGES", 3)
        ours = nx.read_gexf(io.BytesIO(_written(network, "gexf")))
    theirs = io.BytesIO()
    nx.write_gexf(_flattened(network, spells=True), theirs)
    _same_graph(ours, nx.read_gexf(io.BytesIO(theirs.getvalue())))


def test_json_keeps_numbers_of_numpy_and_writes_what_orjson_cannot_by_the_json_module():
    network = nx.MultiDiGraph()
    network.add_edge("a", "b", key="k", score=np.float64(0.25), count=np.int64(3), huge=2**70,
                     missing=float("nan"), when=date(2023, 1, 5))
    network.add_edge("a", "b", key="j", score=0.5, missing=float("inf"))
    back = json.loads(_written(network, "json"))
    first, second = back["edges"]
    assert first["score"] == 0.25 and first["count"] == 3 and first["huge"] == 2**70  # (the json module's line)
    assert first["when"] == "2023-01-05" and first["missing"] != first["missing"]  # NaN, as the json module writes it
    assert second == {"score": 0.5, "missing": None, "source": "a", "target": "b", "key": "j"}  # (orjson's)
