"""The network page in real headless Chromium (Debian's chromium driven by playwright).

Every page is opened from file:// with every request to another host aborted and recorded;
none may be made, and no console error may appear. Skipped only when the browser (or
playwright) is missing and CONFLICTGRAPH_REQUIRE_BROWSER is unset; CI sets it, so there a
missing browser fails these tests instead of skipping them.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conflictgraph.build.pipeline import open_for_reading
from conflictgraph.network.projection import project
from conflictgraph.viz import build_page, write_page
from conflictgraph.viz.provenance import data_summary

pytestmark = pytest.mark.slow  # a real browser

CHROMIUM = os.environ.get("CONFLICTGRAPH_CHROMIUM", "/usr/bin/chromium")
ACTOR = "https://w3id.org/conflictgraph/id/actor/"

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

MISSING = [why for why, gone in (("the playwright package", sync_playwright is None),
                                 (CHROMIUM, not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM))))
           if gone]
if MISSING and not os.environ.get("CONFLICTGRAPH_REQUIRE_BROWSER"):
    pytest.skip(f"no browser: {', '.join(MISSING)} missing (set CONFLICTGRAPH_REQUIRE_BROWSER=1 to fail instead)",
                allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    if MISSING:
        pytest.fail(f"CONFLICTGRAPH_REQUIRE_BROWSER is set but {', '.join(MISSING)} is missing")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()


class Opened:
    """A page opened offline, with what it asked for and what it complained about."""

    def __init__(self, browser, path: Path):
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("() => window.cgPage && window.cgPage.stable", timeout=30_000)

    def _route(self, route):
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, code: str, arg=None):
        return self.page.evaluate(code, arg)

    def physics_off(self):
        if self.page.is_checked("#cg-physics"):
            self.page.click("#cg-physics")
        self.page.wait_for_timeout(50)

    def screen_point(self, kind: str, item: int) -> dict:
        """Where a node or the middle of an edge is on the screen."""
        return self.js("""([kind, id]) => {
            const net = cgPage.network, box = document.getElementById('cg-network').getBoundingClientRect();
            const at = kind === 'node' ? net.getPositions([id])[id] : net.body.edges[id].edgeType.getPoint(0.5);
            const dom = net.canvasToDOM(at);
            const hit = kind === 'node' ? net.getNodeAt(dom) : (net.getNodeAt(dom) === undefined ? net.getEdgeAt(dom) : null);
            return {x: box.left + dom.x, y: box.top + dom.y, hit: hit === id,
                    inside: dom.x > 0 && dom.y > 0 && dom.x < box.width && dom.y < box.height};
        }""", [kind, item])

    def close(self):
        self.context.close()


@pytest.fixture(scope="module")
def network_page(network_store, tmp_path_factory):
    net = project(network_store)
    path = write_page(build_page(net, store=network_store, data_note=data_summary(network_store)),
                      tmp_path_factory.mktemp("pages") / "network.html")
    return path, net


@pytest.fixture(scope="module")
def curated_page(bundled, tmp_path_factory):
    net = project(bundled, view="alliance")
    path = write_page(build_page(net, store=bundled.store, color_by="camp"),
                      tmp_path_factory.mktemp("pages") / "alliances.html")
    return path, net


@pytest.fixture(scope="module")
def hostile_page(hostile_store, tmp_path_factory):
    net = project(hostile_store, view="alliance")
    path = write_page(build_page(net, store=hostile_store, title="<img src=x onerror=\"window.__pwned='h1'\">",
                                 data_note=data_summary(hostile_store)),
                      tmp_path_factory.mktemp("pages") / "hostile.html")
    return path, net


@pytest.fixture(scope="module")
def imported_page(imported_on_disk, tmp_path_factory):
    """The ACLED fixture's ties alone, of the bundled graph with the fixture files imported through the CLI."""
    store = open_for_reading(imported_on_disk)
    net = project(store, evidence="acled")
    path = write_page(build_page(net, store=store, data_note=data_summary(store)),
                      tmp_path_factory.mktemp("pages") / "imported.html")
    return path, net


def drawn(opened: Opened, net) -> tuple[set, set]:
    """The nodes and (from, to, relation) edges held by the page's DataSets and drawn by vis."""
    got = opened.js("""() => {
        const d = cgPage.data, iri = id => d.nodes[id].iri;
        return {nodes: cgPage.nodes.getIds().map(iri),
                edges: cgPage.edges.get().map(e => [iri(e.from), iri(e.to), d.relations[d.edges[e.id].rel].name]),
                drawnNodes: cgPage.network.body.nodeIndices.map(iri),
                drawnEdges: cgPage.network.body.edgeIndices.length};
    }""")
    assert sorted(got["drawnNodes"]) == sorted(got["nodes"])
    assert got["drawnEdges"] == len(got["edges"])
    return set(got["nodes"]), {tuple(e) for e in got["edges"]}


# Tests -------------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["network_page", "curated_page"])
def test_page_opens_offline_and_draws_the_whole_view(browser, which, request):
    path, net = request.getfixturevalue(which)
    opened = Opened(browser, path)
    try:
        nodes, edges = drawn(opened, net)
        assert nodes == set(net.nodes)
        assert edges == {(u, v, k) for u, v, k in net.edges(keys=True)}
        assert len(edges) == net.number_of_edges()
        state = opened.page.text_content("#cg-state")
        assert f"{net.number_of_nodes()} of {net.number_of_nodes()} nodes" in state
        assert opened.requests == [] and opened.errors == []
    finally:
        opened.close()


def test_the_notebook_frame_draws_the_page_sandboxed(browser, hostile_page, tmp_path):
    """What Jupyter shows for ``graph.viz()``: the page inside a sandboxed iframe, drawn offline,
    in an opaque origin, with hostile labels running nothing."""
    from conflictgraph.viz.template import framed

    path, net = hostile_page
    host = tmp_path / "notebook.html"
    host.write_text("<!DOCTYPE html><html><body>" + framed(path.read_text(encoding="utf-8")) + "</body></html>",
                    encoding="utf-8")
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    requests: list[str] = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://")
                  else (requests.append(route.request.url), route.abort()))
    try:
        page = context.new_page()
        page.goto(host.as_uri())
        frame = page.frame_locator("iframe")
        frame.locator("#cg-network canvas").wait_for(timeout=30_000)
        inner = page.frames[1]
        inner.wait_for_function("() => window.cgPage && window.cgPage.stable", timeout=30_000)
        assert inner.evaluate("() => cgPage.network.body.nodeIndices.length") == net.number_of_nodes()
        assert inner.evaluate("() => window.origin") == "null"  # sandboxed: not the notebook's origin
        assert inner.evaluate("() => { try { return parent.document.title } catch (e) { return 'refused' } }") == "refused"
        assert inner.text_content("#cg-title") == "<img src=x onerror=\"window.__pwned='h1'\">"
        assert inner.evaluate("() => window.__pwned") is None and page.evaluate("() => window.__pwned") is None
        assert requests == []
    finally:
        context.close()


def test_clicking_an_edge_shows_its_sources(browser, network_page):
    path, _net = network_page
    opened = Opened(browser, path)
    try:
        opened.physics_off()
        edge = opened.js("""() => {
            const d = cgPage.data, iri = id => d.nodes[id].iri;
            return d.edges.find(e => iri(e.from).endsWith('/charlie') && iri(e.to).endsWith('/delta')).id;
        }""")
        point = opened.screen_point("edge", edge)
        assert point["hit"] and point["inside"]
        opened.page.mouse.move(point["x"], point["y"])
        opened.page.wait_for_selector("#cg-tooltip:not([hidden])")
        assert "cooperates with" in opened.page.text_content("#cg-tooltip")
        opened.page.mouse.click(point["x"], point["y"])
        opened.page.wait_for_selector("#cg-panel[data-kind='edge']")
        panel = opened.page.text_content("#cg-panel")
        assert "Charlie League" in panel and "Delta Guard" in panel
        assert "Network fixture: first report" in panel and "Network fixture: second report" in panel
        assert "Stated by the report itself, on 2024-01" in panel
        assert opened.errors == [] and opened.requests == []
    finally:
        opened.close()


def test_an_imported_tie_names_its_dataset_and_event_ids(browser, imported_page):
    path, _net = imported_page
    opened = Opened(browser, path)
    try:
        opened.physics_off()
        edge = opened.js("""() => cgPage.data.edges.filter(e => e.ev && e.ev.length)
                                  .sort((a, b) => b.ev.length - a.ev.length)[0].id""")
        point = opened.screen_point("edge", edge)
        assert point["hit"] and point["inside"]
        opened.page.mouse.click(point["x"], point["y"])
        opened.page.wait_for_selector("#cg-panel[data-kind='edge']")
        panel = opened.page.text_content("#cg-panel")
        assert "Armed Conflict Location & Event Data (ACLED)" in panel and "/src/acled" not in panel
        items = opened.page.eval_on_selector_all("#cg-panel .cg-events li", "els => els.map(e => e.textContent)")
        assert items and all(" acled-" in item for item in items), items
        assert not [item for item in items if item.count("(20") > 1], items  # the date once, not twice
        assert "1 source document" not in opened.page.text_content("body")  # the dataset is not a document
        assert opened.errors == [] and opened.requests == []
    finally:
        opened.close()


def test_search_finds_a_node_by_alias_and_focuses_it(browser, network_page):
    path, _net = network_page
    opened = Opened(browser, path)
    try:
        opened.physics_off()
        opened.page.fill("#cg-search", "sf")
        opened.page.press("#cg-search", "Enter")
        sierra = opened.js("() => cgPage.data.nodes.findIndex(n => n.name === 'Sierra Front')")
        opened.page.wait_for_function("""(id) => {
            const net = cgPage.network, at = net.getPositions([id])[id], view = net.getViewPosition();
            return Math.hypot(at.x - view.x, at.y - view.y) < 2;
        }""", arg=sierra, timeout=5_000)
        assert opened.js("() => cgPage.network.getSelectedNodes()") == [sierra]
        assert opened.page.text_content("#cg-panel h2") == "Sierra Front"
        opened.page.fill("#cg-search", "hotel")
        opened.page.press("#cg-search", "Enter")
        assert opened.page.text_content("#cg-panel h2") == "Hotel Command"
        opened.page.fill("#cg-search", "zzz")
        opened.page.press("#cg-search", "Enter")
        assert "No node is called" in opened.page.text_content("#cg-search-msg")
    finally:
        opened.close()


def slide_to(opened: Opened, day: str) -> None:
    """Move the time slider as a reader would (set its value, fire its input event)."""
    opened.js("""(day) => {
        const s = document.getElementById('cg-time'), p = day.split('-');
        s.value = String(Math.round(Date.UTC(+p[0], +p[1] - 1, +p[2]) / 86400000));
        s.dispatchEvent(new Event('input', {bubbles: true}));
    }""", day)


def ties_of(opened: Opened, name_suffix: str) -> set[tuple[str, str]]:
    """The drawn ties of one node: (other end, relation)."""
    return {tuple(t) for t in opened.js("""(suffix) => {
        const d = cgPage.data, me = d.nodes.findIndex(n => n.iri.endsWith(suffix));
        return cgPage.network.body.edgeIndices.map(id => d.edges[id])
            .filter(e => e.from === me || e.to === me)
            .map(e => [d.nodes[e.from === me ? e.to : e.from].iri.split('/').pop(), d.relations[e.rel].name]);
    }""", name_suffix)}


def test_slider_across_the_knplf_defection_changes_its_ties(browser, curated_page):
    path, _net = curated_page
    opened = Opened(browser, path)
    try:
        opened.physics_off()
        every = ties_of(opened, "/knplf")
        slide_to(opened, "2023-06-29")
        before = ties_of(opened, "/knplf")
        assert opened.page.is_checked("#cg-time-on")
        assert "Ties in force on 2023-06-29" in opened.page.text_content("#cg-state")
        slide_to(opened, "2023-07-01")
        after = ties_of(opened, "/knplf")
        assert ("tatmadaw", "aligned-with") in before and ("tatmadaw", "aligned-with") not in after
        assert ("nug", "aligned-with") in after and ("nug", "aligned-with") not in before
        assert ("tatmadaw", "hostile-to") in after and ("tatmadaw", "hostile-to") not in before
        assert before < every and after < every
        undated = {t for t in every if t in before and t in after}
        assert ("nug", "cooperates-with") in undated  # undated ties are drawn at every date
        opened.page.click("#cg-time-on")  # off again: every tie
        assert ties_of(opened, "/knplf") == every
        assert opened.errors == [] and opened.requests == []
    finally:
        opened.close()


def test_relation_filter_hides_a_relation(browser, network_page):
    path, net = network_page
    opened = Opened(browser, path)
    try:
        opened.page.click("#cg-relations input[data-relation='hostile-to']")
        shown = opened.js("() => cgPage.network.body.edgeIndices.map(id => cgPage.data.relations[cgPage.data.edges[id].rel].name)")
        assert "hostile-to" not in shown
        assert len(shown) == net.number_of_edges() - sum(1 for *_e, k in net.edges(keys=True) if k == "hostile-to")
        assert opened.js("() => cgPage.edges.length") == net.number_of_edges()  # hidden, not removed
        opened.page.click("#cg-rel-all")
        assert opened.js("() => cgPage.network.body.edgeIndices.length") == net.number_of_edges()
    finally:
        opened.close()


def test_hostile_labels_hovered_and_clicked_everywhere_run_nothing(browser, hostile_page):
    path, net = hostile_page
    opened = Opened(browser, path)
    page = opened.page
    try:
        opened.physics_off()
        count = opened.js("() => [cgPage.data.nodes.length, cgPage.data.edges.length]")
        assert count == [net.number_of_nodes(), net.number_of_edges()]
        hovered = 0
        for kind, total in (("node", count[0]), ("edge", count[1])):
            for item in range(total):
                point = opened.screen_point(kind, item)
                if point["hit"] and point["inside"]:
                    page.mouse.move(point["x"], point["y"])
                    page.wait_for_selector("#cg-tooltip:not([hidden])", timeout=2_000)
                    page.mouse.click(point["x"], point["y"])
                    page.wait_for_selector(f"#cg-panel[data-kind='{kind}'][data-id='{item}']", timeout=2_000)
                    hovered += 1
                    page.mouse.move(2, 2)
                # whatever the mouse could not reach is shown through the same code paths
                opened.js("([kind, id]) => { cgPage.showTip(kind, id, {x: 10, y: 10}); "
                          "kind === 'node' ? cgPage.showNode(id) : cgPage.showEdge(id); }", [kind, item])
        assert hovered >= count[0]
        for text in ("<img", "</script", "href", "javascript:", "QQ"):
            page.fill("#cg-search", text)
            page.press("#cg-search", "Enter")
        for day in ("2019-06-01", "2023-06-30", "2023-07-01", "2024-01-01"):
            slide_to(opened, day)
        # the strings are there, as text
        opened.js("(id) => cgPage.showNode(id)", opened.js(
            "() => cgPage.data.nodes.findIndex(n => n.name.startsWith('</script>'))"))
        assert page.text_content("#cg-panel h2") == "</script><script>window.__pwned='script'</script>"
        assert page.text_content("#cg-title") == "<img src=x onerror=\"window.__pwned='h1'\">"
        edge = opened.js("() => cgPage.data.edges.findIndex(e => e.st.length === 2)")
        opened.js("(id) => cgPage.showEdge(id)", edge)
        panel = page.text_content("#cg-panel")
        assert "\u201c</script><script>window.__pwned='quote';alert('quote')</script>\u201d" in panel
        assert "<img src=x onerror=\"window.__pwned='title';alert(1)\"> report" in panel
        # and nothing ran, opened, or was added to the page
        assert opened.js("() => window.__pwned") is None
        assert opened.dialogs == []
        assert opened.js("() => document.querySelectorAll('img, iframe, a, b, object, embed').length") == 0
        assert opened.js("() => document.scripts.length") == 3
        assert opened.errors == [] and opened.requests == []
    finally:
        opened.close()


@pytest.fixture(scope="module")
def westland_page(westland_on_disk, tmp_path_factory):
    """The all-hostile UCDP-shaped fixture's store (no curated graph) and its page as ``viz``
    writes it (every date, for the slider)."""
    from conftest import run_cli

    path = tmp_path_factory.mktemp("westland-page") / "westland.html"
    written = run_cli("viz", "--store", westland_on_disk, "-o", str(path))
    assert written.exit_code == 0, written.output
    return path, open_for_reading(westland_on_disk)


def choose_span(opened: Opened, span: str) -> None:
    opened.page.select_option("#cg-time-span", span)


def drawn_ties(opened: Opened) -> set[tuple[str, str, str]]:
    """The (from, to, relation) ties vis draws now."""
    return {tuple(t) for t in opened.js("""() => {
        const d = cgPage.data, iri = id => d.nodes[id].iri;
        return cgPage.network.body.edgeIndices.map(id => d.edges[id])
            .map(e => [iri(e.from), iri(e.to), d.relations[e.rel].name]);
    }""")}


def test_page_and_cli_count_the_same_ties_on_a_day_a_month_and_a_year(browser, westland_page):
    path, store = westland_page
    every = project(store)
    gapped = next((a, b, k) for a, b, k, d in every.edges(keys=True, data=True) if d.get("spans"))
    spans = every.edges[gapped]["spans"]
    # a day inside the tie's first span, and a day in the gap after it (before its next span)
    inside, in_gap = spans[0][0], (spans[0][1][:8] + "28") if spans[0][1][:7] < spans[1][0][:7] else None
    last = max(d["end"] for *_e, d in every.edges(data=True))  # the slider's last day
    days = [inside, "2020-06-15", last] + ([in_gap] if in_gap else [])
    opened = Opened(browser, path)
    try:
        opened.physics_off()
        for span, when in [("day", day) for day in days] + [("month", "2020-06-15"), ("year", "2020-06-15"),
                                                            ("year", "2019-01-01")]:
            choose_span(opened, span)
            slide_to(opened, when)
            opened.page.wait_for_timeout(50)
            as_of = {"day": when, "month": when[:7], "year": when[:4]}[span]
            expected = {(str(a), str(b), k) for a, b, k in project(store, as_of=as_of).edges(keys=True)}
            assert drawn_ties(opened) == expected, (span, when)
        slide_to(opened, inside)
        choose_span(opened, "day")
        assert (str(gapped[0]), str(gapped[1]), gapped[2]) in drawn_ties(opened)
        if in_gap:
            slide_to(opened, in_gap)
            assert (str(gapped[0]), str(gapped[1]), gapped[2]) not in drawn_ties(opened)
        choose_span(opened, "year")
        assert "Ties in force between" in opened.page.text_content("#cg-state")
        assert opened.errors == [] and opened.requests == []
    finally:
        opened.close()


def strip_bars(opened: Opened) -> dict[str, int]:
    """The timeline strip's bars: month -> events."""
    return {m: int(c) for m, c in opened.js("""() => Array.from(document.querySelectorAll('#cg-strip rect'))
        .map(r => [r.getAttribute('data-month'), r.getAttribute('data-count')])""")}


def test_timeline_strip_counts_events_per_month_for_the_page_and_the_selection(browser, westland_page):
    path, store = westland_page
    opened = Opened(browser, path)
    try:
        data = opened.js("() => ({events: cgPage.data.events.map(e => e.date), edges: cgPage.data.edges.map(e => e.ev || [])})")
        whole = {}
        for day in data["events"]:
            whole[day[:7]] = whole.get(day[:7], 0) + 1
        assert strip_bars(opened) == whole
        label = opened.page.text_content("#cg-strip-label")
        assert f"the whole page: {len(data['events'])}" in label
        busiest = max(range(len(data["edges"])), key=lambda i: len(data["edges"][i]))
        opened.js("(id) => cgPage.showEdge(id)", busiest)
        mine = {}
        for i in data["edges"][busiest]:
            mine[data["events"][i][:7]] = mine.get(data["events"][i][:7], 0) + 1
        assert strip_bars(opened) == mine and sum(mine.values()) == len(data["edges"][busiest]) > 1
        assert f": {len(data['edges'][busiest])}" in opened.page.text_content("#cg-strip-label")
        assert "Statements" not in opened.page.text_content("#cg-panel")  # no empty list for event-only ties
        slide_to(opened, "2020-06-15")
        assert opened.js("() => document.querySelector('#cg-strip line').getAttribute('data-day')") == "2020-06-15"
        assert strip_bars(opened) == mine  # moving the slider keeps the selection's counts
        opened.page.click(".cg-close")
        assert strip_bars(opened) == whole
        assert opened.errors == [] and opened.requests == []
    finally:
        opened.close()


def test_the_strip_and_panel_of_a_tie_whose_events_are_counted_not_listed(browser, westland_page, tmp_path,
                                                                          monkeypatch):
    from conflictgraph.viz import page as page_module

    _path, store = westland_page
    monkeypatch.setattr(page_module, "EVENTS_LISTED", 3)
    net = project(store)
    path = write_page(build_page(net, store=store), tmp_path / "cut.html")
    opened = Opened(browser, path)
    try:
        data = opened.js("() => ({edges: cgPage.data.edges, nodes: cgPage.data.nodes, meta: cgPage.data.meta})")
        cut = max(range(len(data["edges"])), key=lambda i: data["edges"][i].get("evn", 0))
        edge = data["edges"][cut]
        assert edge["evn"] > len(edge["ev"]) == 3
        opened.js("(id) => cgPage.showEdge(id)", cut)
        assert strip_bars(opened) == edge["evm"]
        panel = opened.page.text_content("#cg-panel")
        assert f"Events ({edge['evn']})" in panel and f"and {edge['evn'] - 3} more" in panel
        assert "--ties all --format json" in panel
        opened.page.click(".cg-close")
        assert strip_bars(opened) == data["meta"]["event_months"]
        assert f"the whole page: {data['meta']['event_count']}" in opened.page.text_content("#cg-strip-label")
        assert opened.errors == [] and opened.requests == []
    finally:
        opened.close()


def test_a_cut_page_says_what_it_leaves_out_and_lists_an_edge_in_part(browser, synthetic_on_disk, tmp_path):
    """`viz --max-edges`: the note under the title, a node's ties in the whole network, and a
    heavy tie's first events with their number and the command that lists them all."""
    from conflictgraph.api import open_graph

    page = open_graph(synthetic_on_disk).viz(max_edges=400)
    path = write_page(page, tmp_path / "cut.html")
    opened = Opened(browser, path)
    try:
        meta = page.info["meta"]
        assert opened.page.is_visible("#cg-cut")
        assert opened.page.text_content("#cg-cut") == meta["cut"]
        assert f"400 of {meta['edge_total']:,} ties drawn" in meta["cut"]
        drawn_edges = opened.js("() => cgPage.network.body.edgeIndices.length")
        assert drawn_edges == 400
        hub = opened.js("() => cgPage.data.nodes.reduce((a, n) => n.tn > a.tn ? n : a).id")
        opened.js("id => { cgPage.network.selectNodes([id]); cgPage.network.body.emitter.emit('click', "
                  "{nodes: [id], edges: []}); }", hub)
        opened.page.wait_for_selector("#cg-panel[data-kind='node']")
        assert "in the whole network)" in opened.page.text_content("#cg-panel")
        heavy = opened.js("() => cgPage.data.edges.filter(e => e.evn).sort((a, b) => b.evn - a.evn)[0]")
        assert heavy["evn"] > len(heavy["ev"]) == 20 and sum(heavy["evm"].values()) <= heavy["evn"]
        opened.js("id => cgPage.network.body.emitter.emit('click', {nodes: [], edges: [id]})", heavy["id"])
        opened.page.wait_for_selector("#cg-panel[data-kind='edge']")
        panel = opened.page.text_content("#cg-panel")
        assert f"Events ({heavy['evn']})" in panel and "every one is listed by: conflictgraph path" in panel
        assert opened.errors == [] and opened.requests == []
    finally:
        opened.close()
