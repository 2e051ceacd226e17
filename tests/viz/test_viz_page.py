"""The network page without a browser: page data, escaping, policy, layout.
(The viz command: tests/cli/test_viz_cli.py; in a real browser: test_viz_browser.py.)"""
from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser

import networkx as nx
import pytest

from conflictgraph.network.projection import project
from conflictgraph.viz import build_page, embed_json, render_html, short_label, write_page
from conflictgraph.viz.layout import igraph_layout
from conflictgraph.viz.provenance import statement_details

ACTOR = "https://w3id.org/conflictgraph/id/actor/"


def edge_keys(page) -> set[tuple[str, str, str]]:
    iris = {n["id"]: n["iri"] for n in page.net.nodes}
    names = [r["name"] for r in page.info["relations"]]
    return {(iris[e["from"]], iris[e["to"]], names[e["rel"]]) for e in page.net.edges}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._in: dict | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in = dict(attrs)
            self.scripts.append((self._in, ""))

    def handle_data(self, data):
        if self._in is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in = None


def parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


# Page data ---------------------------------------------------------------------------------

def test_page_has_every_node_and_one_edge_per_pair_and_relation(network_store):
    net = project(network_store)
    page = build_page(net, store=network_store)
    assert {n["iri"] for n in page.net.nodes} == set(net.nodes)
    assert edge_keys(page) == {(u, v, k) for u, v, k in net.edges(keys=True)}
    # Sierra and Hotel have two relations (aligned with, defected from): both edges are kept
    pair = {(ACTOR + "sierra", ACTOR + "hotel")}
    assert {k for u, v, k in edge_keys(page) if (u, v) in pair} == {"aligned-with", "defected-from"}
    assert page.net.directed is True


def test_parallel_edges_are_bent_apart(network_store):
    page = build_page(project(network_store))
    by_pair: dict = {}
    for e in page.net.edges:
        by_pair.setdefault(frozenset((e["from"], e["to"])), []).append(e.get("bend", 0))  # 0 is left out
    assert any(len(b) > 1 for b in by_pair.values())
    assert all(sorted(b) == list(range(len(b))) for b in by_pair.values())


def test_self_reported_ties_are_flagged(network_store):
    page = build_page(project(network_store), store=network_store)
    iris = {n["id"]: n["iri"] for n in page.net.nodes}
    names = [r["name"] for r in page.info["relations"]]
    flags = {(iris[e["from"]], iris[e["to"]], names[e["rel"]]): e.get("self", False) for e in page.net.edges}
    # Sierra Front said it itself, for itself
    assert flags[(ACTOR + "sierra", ACTOR + "hotel", "aligned-with")] is True
    # the report says it in its own voice
    assert flags[(ACTOR + "charlie", ACTOR + "delta", "cooperates-with")] is False


def test_statements_sources_and_dates_reach_the_page(network_store):
    page = build_page(project(network_store), store=network_store)
    iris = {n["id"]: n["iri"] for n in page.net.nodes}
    names = [r["name"] for r in page.info["relations"]]
    [edge] = [e for e in page.net.edges if (iris[e["from"]], iris[e["to"]], names[e["rel"]]) ==
              (ACTOR + "charlie", ACTOR + "delta", "cooperates-with")]
    assert edge["weight"] == 2 and edge["start"] == "2020-01-01" and edge["end"] is None
    titles = {page.info["sources"][i]["title"] for i in edge["src"]}
    assert titles == {"Network fixture: first report", "Network fixture: second report"}
    said = [page.info["statements"][i] for i in edge["st"]]
    assert {s["voice"] for s in said} == {"report"} and all(s["summary"] for s in said)
    sierra = [page.info["statements"][i] for e in page.net.edges if names[e["rel"]] == "defected-to" for i in e["st"]]
    assert sierra[0]["speaker"] == "Sierra Front" and sierra[0]["date"] == "2023-11-07"
    assert page.info["meta"]["range"] == ["2019-01-01", "2023-11-07"]


def test_statement_details_bulk_and_bound_agree(network_store):
    net = project(network_store)
    ids = sorted({s for *_e, d in net.edges(data=True) for s in d["statements"]})
    assert statement_details(network_store, ids, bulk_limit=0) == statement_details(network_store, ids)


@pytest.mark.parametrize("color_by,expected", [("type", {"Armed group", "State force"}),
                                               ("community", {"Community 1 (4)", "Community 2 (2)", "Community 3 (2)"}),
                                               ("camp", {"Camp A", "Camp B"})])
def test_colour_groups(network_store, color_by, expected):
    page = build_page(project(network_store), color_by=color_by)
    names = {g["name"] for g in page.info["groups"]}
    assert expected <= names
    assert all(0 <= n["group"] < len(page.info["groups"]) for n in page.net.nodes)


def test_camps_split_hotel_from_alpha(network_store):
    page = build_page(project(network_store, as_of="2023-12-01"), color_by="camp")
    group = {n["iri"]: n["group"] for n in page.net.nodes}
    assert group[ACTOR + "hotel"] != group[ACTOR + "alpha"]
    assert group[ACTOR + "golf"] == group[ACTOR + "hotel"]


def test_sizes_follow_the_measure(network_store):
    page = build_page(project(network_store, as_of="2023-12-01"), size_by="betweenness", ties="cooperative")
    size = {n["iri"]: n["size"] for n in page.net.nodes}
    assert size[ACTOR + "charlie"] > size[ACTOR + "alpha"]
    assert max(size.values()) == pytest.approx(38)


def test_bad_choices_are_usage_errors():
    from conflictgraph.errors import UsageError
    with pytest.raises(UsageError, match="unknown node colour"):
        build_page(nx.MultiDiGraph(), color_by="rainbow")


def test_short_label():
    assert short_label("Karenni National People's Liberation Front", ["KNPLF", "Karenni NPLF"]) == "KNPLF"
    assert short_label("A very long name without any acronym at all") == "A very long name with\u2026"
    assert short_label("<img src=x onerror=alert(1)>", []) == "<img src=x onerror=al\u2026"


# Layout ------------------------------------------------------------------------------------

def synthetic(n: int, m: int, seed: int = 1) -> nx.MultiDiGraph:
    import random
    rng = random.Random(seed)
    graph = nx.MultiDiGraph(view="actors", window="all dates")
    for i in range(n):
        graph.add_node(f"n{i}", label=f"Actor {i}", type="ArmedGroup", kind="actor", aliases=[])
    while graph.number_of_edges() < m:
        u, v = rng.randrange(n), rng.randrange(n)
        if u != v:
            key = rng.choice(["cooperates-with", "hostile-to"])
            graph.add_edge(f"n{u}", f"n{v}", key=key, relation=key, label=key, sign=1 if key[0] == "c" else -1,
                           weight=1, symmetric=True, start=None, end=None, statements=[], sources=[])
    return graph


def test_large_pages_get_positions_and_start_without_physics():
    graph = synthetic(40, 80)
    big = build_page(graph, layout_threshold=30)
    assert all("x" in n and "y" in n for n in big.net.nodes)
    assert big.payload()["options"]["physics"]["enabled"] is False and big.info["meta"]["layout"] == "igraph"
    small = build_page(graph)
    assert not any("x" in n for n in small.net.nodes)
    assert small.payload()["options"]["physics"]["enabled"] is True


def test_layout_is_seeded_and_spread():
    graph = synthetic(200, 400)
    a, b = igraph_layout(graph, seed=3), igraph_layout(graph, seed=3)
    assert a == b and len(set(a.values())) == 200
    xs = [x for x, _y in a.values()]
    assert max(xs) - min(xs) > 1000


# HTML, escaping and policy -------------------------------------------------------------------

def test_embed_json_cannot_close_the_script_element():
    nasty = {"a": "</script><script>alert(1)</script>", "b": "<!--", "c": "\u2028\u2029", "d": "&amp;"}
    text = embed_json(nasty)
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert json.loads(text) == nasty


def test_hostile_page_is_inert_html(hostile_store):
    page = build_page(project(hostile_store, view="alliance"), store=hostile_store,
                      title="<script>window.__pwned='title'</script>")
    html = render_html(page)
    tags = parse(html)
    # exactly the three scripts of the template: data, vis-network, the page's own
    assert [attrs.get("type") for attrs, _text in tags.scripts] == ["application/json", None, None]
    data = json.loads(tags.scripts[0][1])
    assert data["meta"]["title"] == "<script>window.__pwned='title'</script>"
    names = {n["name"] for n in data["nodes"]}
    assert "</script><script>window.__pwned='script'</script>" in names
    assert any("\u2028" in n for n in names)
    assert not re.search(r"[<>]", tags.scripts[0][1])
    # no element of the data's making: every tag is one of the template's
    assert {tag for tag, _a in tags.tags} <= {"html", "head", "meta", "title", "style", "body", "header", "h1", "p",
                                              "div", "nav", "h2", "form", "input", "button", "datalist", "label",
                                              "span", "aside", "script", "select", "option"}
    assert not any(k.startswith("on") for _t, attrs in tags.tags for k in attrs)
    assert "<title>&lt;script&gt;window.__pwned=&#x27;title&#x27;&lt;/script&gt;</title>" in html
    # nothing is loaded from anywhere
    assert not any("src" in attrs or "href" in attrs for _t, attrs in tags.tags)
    assert "<link" not in html.lower()


def test_policy_allows_exactly_the_page_scripts(network_store):
    html = render_html(build_page(project(network_store)))
    tags = parse(html)
    [policy] = [a["content"] for t, a in tags.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    hashes = set(re.findall(r"'sha256-([^']+)'", policy))
    code = [text for attrs, text in tags.scripts if attrs.get("type") is None]
    assert hashes == {base64.b64encode(hashlib.sha256(c.encode()).digest()).decode() for c in code}
    for directive in ("default-src 'none'", "connect-src 'none'", "img-src data:", "form-action 'none'"):
        assert directive in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_no_tooltip_titles_reach_vis_network(hostile_store):
    payload = build_page(project(hostile_store), store=hostile_store).payload()
    assert not any("title" in item for item in payload["nodes"] + payload["edges"])


def test_write_page_reports_unwritable_path(tmp_path):
    from conflictgraph.errors import UsageError
    (tmp_path / "dir.html").mkdir()
    with pytest.raises(UsageError, match="cannot write"):
        write_page({"meta": {"title": "x"}, "nodes": [], "edges": []}, tmp_path / "dir.html")


def test_a_page_lists_an_edges_first_events_and_counts_the_rest(westland_on_disk, monkeypatch):
    """Thousands of events behind a tie are counted (in all and per month), not listed: the page
    lists the first EVENTS_LISTED of each edge (3 here) and keeps the counts the strip needs."""
    from conflictgraph.build.pipeline import open_for_reading
    from conflictgraph.viz import page as page_module

    reader = open_for_reading(westland_on_disk)
    network = project(reader)
    monkeypatch.setattr(page_module, "EVENTS_LISTED", 3)
    page = build_page(network, store=reader)
    events = page.info["events"]
    every = {e for *_x, d in network.edges(data=True) for e in d["events"]}
    assert len(events) < len(every) and page.info["meta"]["event_count"] == len(every)
    assert sum(page.info["meta"]["event_months"].values()) == len(every)  # every event of the fixture has a day
    iris = {n["id"]: n["iri"] for n in page.net.nodes}
    for edge in page.net.edges:
        behind = network.edges[iris[edge["from"]], iris[edge["to"]], "fought"]["events"]
        assert [events[i]["iri"] for i in edge["ev"]] == behind[:3]
        if len(behind) > 3:
            assert edge["evn"] == len(behind) == sum(edge["evm"].values())
        else:
            assert "evn" not in edge
    state = next(n for n in page.net.nodes if n["name"] == "Government of Westland")
    mine = {e for u, v, d in network.edges(data=True) if state["iri"] in (u, v) for e in d["events"]}
    assert state["evn"] == len(mine) == sum(state["evm"].values())
