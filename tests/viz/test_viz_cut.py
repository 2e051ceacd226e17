"""A page cut to its heaviest ties (`viz --max-edges`): every tie with statements stays, then the
heaviest others; sizes and colours are those of the whole network; the ties drawn carry the same
evidence as on the whole page; the page and the command say what was left out. On a real store
with synthetic ACLED rows imported through the CLI."""
from __future__ import annotations

import pytest

from conflictgraph.api import open_graph

from conftest import run_cli

pytestmark = pytest.mark.slow  # the bundled graph on disk with thousands of imported rows


@pytest.fixture(scope="module")
def graph(synthetic_on_disk):
    return open_graph(synthetic_on_disk)


@pytest.fixture(scope="module")
def whole(graph):
    return graph.viz(max_edges=0, color_by="community").payload()


def _ties(payload: dict) -> dict:
    """Each tie of a page by (from IRI, to IRI, relation), with its evidence spelt out."""
    nodes, relations = payload["nodes"], payload["relations"]
    events, sources, statements = payload["events"], payload["sources"], payload["statements"]
    found = {}
    for edge in payload["edges"]:
        key = (nodes[edge["from"]]["iri"], nodes[edge["to"]]["iri"], relations[edge["rel"]]["name"])
        found[key] = {**{k: v for k, v in edge.items() if k not in ("id", "from", "to", "rel", "ev", "src", "st", "bend")},
                      "ev": [events[i]["iri"] for i in edge.get("ev", [])], "src": [sources[i]["iri"] for i in edge["src"]],
                      "st": [statements[i]["iri"] for i in edge["st"]]}
    return found


@pytest.mark.parametrize("cap", [300, 1000])
def test_a_cut_page_keeps_curated_and_heaviest_ties_and_says_so(graph, whole, cap):
    cut = graph.viz(max_edges=cap, color_by="community").payload()
    every, kept = _ties(whole), _ties(cut)
    assert len(every) > cap and len(kept) == cap
    curated = {k for k, t in every.items() if t["st"]}
    assert curated and curated <= set(kept)
    lightest_kept = min(t["weight"] for k, t in kept.items() if k not in curated)
    assert all(t["weight"] <= lightest_kept for k, t in every.items() if k not in kept)
    # the ties drawn carry the evidence they have on the whole page: sources, events, counts, spans
    assert all(kept[k] == every[k] for k in kept)
    meta = cut["meta"]
    assert (meta["edge_count"], meta["edge_total"]) == (cap, len(every))
    assert meta["node_total"] == len(whole["nodes"]) and meta["node_count"] == len(cut["nodes"])
    assert meta["cut"].startswith(f"{cap:,} of {len(every):,} ties drawn") and "--max-edges 0" in meta["cut"]
    assert "cut" not in whole["meta"]


def test_a_cut_page_sizes_and_colours_nodes_as_the_whole_network(graph, whole):
    cut = graph.viz(max_edges=300, color_by="community").payload()
    everyone = {n["iri"]: n for n in whole["nodes"]}
    assert len(cut["nodes"]) < len(everyone)
    assert cut["groups"] == whole["groups"]
    for node in cut["nodes"]:
        same = everyone[node["iri"]]
        assert (node["score"], node["size"], node["group"]) == (same["score"], same["size"], same["group"])
    degree: dict[str, int] = {}
    for edge in whole["edges"]:
        for end in (edge["from"], edge["to"]):
            degree[whole["nodes"][end]["iri"]] = degree.get(whole["nodes"][end]["iri"], 0) + 1
    assert all(node["tn"] == degree.get(node["iri"], 0) for node in cut["nodes"])


def test_the_command_says_how_many_ties_it_left_out(synthetic_on_disk, tmp_path):
    page = tmp_path / "page.html"
    result = run_cli("viz", "--store", synthetic_on_disk, "-o", str(page), "--max-edges", "250")
    assert result.exit_code == 0, result.output
    assert "250 of " in result.stderr and "--max-edges 0 draws them all" in result.stderr
    assert run_cli("viz", "--store", synthetic_on_disk, "-o", str(page), "--max-edges", "-1").exit_code == 2


def test_a_cap_below_the_ties_with_statements_leaves_nothing_out_and_says_nothing(tmp_path):
    """Every tie of the bundled graph has statements: with a cap of 5 all are drawn (they always
    are), so the page is the whole one and no note says ties were left out."""
    from conflictgraph.build.pipeline import build_store
    from conflictgraph.api import ConflictGraph
    store, _ = build_store(":memory:")
    graph = ConflictGraph(store)
    capped, whole = graph.viz(max_edges=5).payload(), graph.viz(max_edges=0).payload()
    assert len(capped["edges"]) == len(whole["edges"]) > 5
    assert "cut" not in capped["meta"]
