"""The data of a network page, built from a projected network and its analyses.

:func:`build_page` turns a network from :func:`conflictgraph.network.projection.project` into a
:class:`Page`: a pyvis ``Network(directed=True)`` holding the nodes and edges (filled
directly, never through pyvis's per-edge ``add_edge``, which is quadratic and, on an undirected
network, drops the second edge of a pair), and the tables the page needs to explain itself
(relations, colour groups, statements, sources, events, a description of the data).
:func:`conflictgraph.viz.template.render_html` writes it as one self-contained HTML file.

What the page draws:

- one node per node of the network, coloured by ``type``, ``community`` (Louvain on
  cooperative ties) or ``camp`` (the two-camp split with the fewest frustrated ties), shaped by
  kind (operation: diamond, alliance: hexagon, other actors: dot) and sized by ``degree``,
  ``betweenness`` or ``pagerank`` on the analysis graph (``ties``: signed by default, so a
  group known mostly for its enemies is not drawn small);
- one edge per (pair, relation) of the network, coloured by relation, marked by sign
  (cooperation: plain line; hostility: a bar across the middle; neutral: a circle in the middle;
  directed relations: an arrow), as wide as the log of its weight, and **dashed when every
  statement behind it comes from one of its two ends** (its speaker is, or speaks for, one of
  them: a self-reported tie);
- edges of the same pair are bent apart so each stays visible.

Size. A page draws at most ``max_edges`` ties (:data:`MAX_EDGES` by default): every tie a
statement stands behind, then the heaviest others (most events or statements; ties of equal
weight in key order), with the nodes they join (and those with no tie at all). Sizes,
communities and camps are computed on the whole network before it is cut, so a node has the
size it has uncut; the page and the command say how many ties and nodes it leaves out and how
to get them (``--max-edges 0``, ``conflictgraph export``). What lies behind a tie (its
statements, sources and events) is read for the ties drawn only: from a network projected
without provenance, through :func:`~conflictgraph.network.projection.add_provenance`.

Time. The page holds the ties of every date and filters them in the browser with a slider and
a period: a tie is drawn for the day D (or D's month or year) when it is in force at some day
of it, exactly as ``--as-of D`` (or ``--as-of`` the month or year) counts it on the command
line: within one of its ``spans`` when its evidence leaves gaps, else between its ``start``
(empty: open) and ``end`` (empty: open). **Undated ties are drawn at every date**, as the
projection keeps them in every window. Under the slider a strip drawn by the page's own code shows the
events per month of the whole page, or of the node or tie open in the side panel, with the
slider's date marked. A node is drawn while at least one
of its ties is (or when it has none at all in the page).

Examples
--------
>>> import networkx as nx
>>> net = nx.MultiDiGraph(view="actors", window="all dates")
>>> net.add_node("a", label="Alpha Front", type="ArmedGroup", kind="actor", aliases=["AF"])
>>> net.add_node("b", label="Bravo Army", type="ArmedGroup", kind="actor", aliases=[])
>>> _ = net.add_edge("a", "b", key="cooperates-with", relation="cooperates-with", label="cooperates with",
...                  sign=1, weight=2, symmetric=True, start="2020-01-01", end=None, statements=[], sources=[])
>>> _ = net.add_edge("a", "b", key="hostile-to", relation="hostile-to", label="hostile to",
...                  sign=-1, weight=1, symmetric=True, start=None, end=None, statements=[], sources=[])
>>> page = build_page(net)
>>> len(page.net.nodes), len(page.net.edges), page.net.directed
(2, 2, True)
>>> [e.get("bend", 0) for e in page.net.edges]  # a straight edge (0) leaves it out
[0, 1]
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from conflictgraph.errors import UsageError
from conflictgraph.gcpause import gc_paused
from conflictgraph.network.analyze.balance import two_camps
from conflictgraph.network.analyze.centrality import centrality
from conflictgraph.network.analyze.communities import communities
from conflictgraph.network.analyze.reduce import analysis_graph, net_degrees, raw_adjacency
from conflictgraph.network.projection import add_provenance, dataset_table, table_event_months
from conflictgraph.network.spec import load_projection
from conflictgraph.network.tie_edges import EventMonths
from conflictgraph.network.ties import TieTable
from conflictgraph.store.base import Store
from conflictgraph.viz.layout import LAYOUT_THRESHOLD, igraph_layout, needs_layout
from conflictgraph.viz.provenance import event_details, source_details, statement_details
from conflictgraph.viz.template import framed, render_html, write_page

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    from pyvis.network import Network

__all__ = ["SIZE_BY", "COLOR_BY", "TIES", "MAX_EDGES", "Page", "build_page", "short_label"]

SIZE_BY = ("degree", "betweenness", "pagerank")
COLOR_BY = ("type", "community", "camp")
TIES = ("signed", "cooperative", "hostile", "all")
EVENTS_LISTED = 20  # events a page lists per edge; more are counted (per month too), not listed
MAX_EDGES = 10_000  # ties a page draws by default (every curated one, then the heaviest)

_PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7",
            "#9c755f", "#86bcb6", "#d37295", "#a0cbe8", "#8cd17d", "#f1ce63"]
_NONE_COLOUR = "#bab0ac"
_TYPE_COLOURS = {"ArmedGroup": "#4e79a7", "StateForce": "#e15759", "Government": "#b07aa1",
                 "PoliticalOrganization": "#76b7b2", "Alliance": "#f28e2b", "Person": "#edc948",
                 "Operation": "#59a14f", "GenericActor": _NONE_COLOUR}
_RELATION_COLOURS = {1: ["#2e7d32", "#1565c0", "#00838f", "#6a1b9a", "#558b2f", "#283593", "#00695c", "#4527a0",
                         "#0277bd", "#33691e"],
                     -1: ["#c62828", "#d84315", "#ad1457", "#e65100", "#b71c1c", "#880e4f"],
                     0: ["#616161", "#8d6e63", "#546e7a", "#827717", "#5d4037", "#455a64"]}
_SIGN_WORDS = {1: "cooperation", -1: "hostility", 0: "neutral"}
_ACRONYM = re.compile(r"^[A-Z0-9][A-Z0-9\-/&.]{1,9}$")
SHORT_LABEL = 22


@dataclass
class Page:
    """A network page: the pyvis network (nodes, edges, options) and the tables around it.

    ``save(path)`` writes it as one offline HTML file; in Jupyter it shows inline, the same
    page in a sandboxed iframe (:func:`~conflictgraph.viz.template.framed`).

    >>> import networkx as nx
    >>> page = build_page(nx.MultiDiGraph())
    >>> page._repr_html_().startswith('<iframe sandbox="allow-scripts"'), page.html().startswith("<!DOCTYPE html>")
    (True, True)
    """

    net: Network
    info: dict = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.info.get("meta", {}).get("title", "Network")

    def __repr__(self) -> str:
        return f"<Page {self.title!r}: {len(self.net.nodes)} nodes, {len(self.net.edges)} ties>"

    def html(self) -> str:
        """The whole page as text (what :meth:`save` writes)."""
        return render_html(self)

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (one self-contained HTML file) and return the path."""
        return write_page(self, path)

    def _repr_html_(self) -> str:
        return framed(self.html(), title=self.title)

    def payload(self) -> dict:
        """Everything the page script reads, as one JSON-ready dict.

        >>> import networkx as nx
        >>> sorted(build_page(nx.MultiDiGraph()).payload())[:4]
        ['edges', 'events', 'groups', 'meta']
        """
        nodes, edges, _heading, _height, _width, options = self.net.get_network_data()
        return {**self.info, "nodes": nodes, "edges": edges, "options": json.loads(options)}


def short_label(label: str, aliases: list[str] | tuple[str, ...] = (), limit: int = SHORT_LABEL) -> str:
    """The name drawn on a node: the label when short, else its shortest acronym, else the
    label cut at ``limit`` characters.

    >>> short_label("Karenni National People's Liberation Front", ["KNPLF"])
    'KNPLF'
    >>> short_label("Operation 1107")
    'Operation 1107'
    """
    if len(label) <= limit:
        return label
    acronyms = sorted((a for a in aliases if _ACRONYM.match(a)), key=lambda a: (len(a), a))
    if acronyms:
        return acronyms[0]
    return label[: limit - 1].rstrip() + "\u2026"


def _humanize(name: str | None) -> str:
    if not name:
        return "Unknown type"
    words = re.sub(r"(?<!^)([A-Z])", r" \1", name).split()
    return " ".join([words[0]] + [w.lower() for w in words[1:]]) if words else name


def _shape(attrs: dict) -> str:
    if attrs.get("kind") == "operation":
        return "diamond"
    if attrs.get("type") == "Alliance":
        return "hexagon"
    return "dot"


def _scores(graph: nx.Graph, measure: str) -> dict:

    if graph.number_of_nodes() == 0:
        return {}
    found = centrality(graph, measures=[measure])
    return {node: values[measure] for node, values in found.items()}


def _groups(network: nx.MultiDiGraph, analysis: nx.MultiDiGraph, color_by: str) -> tuple[dict, list[dict]]:
    """Node -> group index, and the groups (name, colour) in legend order."""

    if color_by == "type":
        types = sorted({attrs.get("type") or "" for _n, attrs in network.nodes(data=True)},
                       key=lambda t: (t not in _TYPE_COLOURS,
                                      list(_TYPE_COLOURS).index(t) if t in _TYPE_COLOURS else 0, t))
        spare = iter([c for c in _PALETTE if c not in _TYPE_COLOURS.values()] * 10)
        groups = [{"name": _humanize(t), "colour": _TYPE_COLOURS.get(t) or next(spare)} for t in types]
        index = {t: i for i, t in enumerate(types)}
        return {n: index[attrs.get("type") or ""] for n, attrs in network.nodes(data=True)}, groups
    if color_by == "community":

        found = communities(analysis_graph(analysis, ties="cooperative"))["communities"]
        groups, member = [], {}
        for i, members in enumerate(found):
            if i < len(_PALETTE):
                groups.append({"name": f"Community {i + 1} ({len(members)})", "colour": _PALETTE[i]})
            elif i == len(_PALETTE):
                groups.append({"name": "Smaller communities", "colour": "#79706e"})
            for node in members:
                member[node] = min(i, len(_PALETTE))
        groups.append({"name": "No cooperative tie", "colour": _NONE_COLOUR})
        return {n: member.get(n, len(groups) - 1) for n in network}, groups

    split = two_camps(analysis_graph(analysis, ties="signed"))["components"]
    groups, member = [], {}
    colours = [("#1f77b4", "#ff7f0e"), ("#aec7e8", "#ffbb78"), ("#17becf", "#bcbd22")]
    for i, component in enumerate(split):
        if i < len(colours):
            for camp, (name, colour) in enumerate(zip("AB", colours[i])):
                prefix = "" if i == 0 else f"Component {i + 1}, "
                groups.append({"name": f"{prefix}camp {name}" if prefix else f"Camp {name}", "colour": colour})
                for node in component["camps"][camp]:
                    member[node] = len(groups) - 1
        else:
            if i == len(colours):
                groups.append({"name": "Camps of smaller components", "colour": "#c7c7c7"})
            for node in component["camps"][0] + component["camps"][1]:
                member[node] = len(groups) - 1
    groups.append({"name": "No signed tie", "colour": _NONE_COLOUR})
    return {n: member.get(n, len(groups) - 1) for n in network}, groups


def _relations(network: nx.MultiDiGraph) -> list[dict]:
    found: dict[str, dict] = {}
    for _u, _v, key, data in network.edges(keys=True, data=True):
        name = data.get("relation", key)
        entry = found.setdefault(name, {"name": name, "label": data.get("label") or name,
                                        "sign": int(data.get("sign", 0) or 0),
                                        "symmetric": bool(data.get("symmetric", False)), "count": 0})
        entry["count"] += 1
    try:
        order = {r.relation: i for i, r in enumerate(load_projection())}
    except Exception:  # a custom network without the bundled projection
        order = {}
    ordered = sorted(found.values(), key=lambda r: (-r["sign"], order.get(r["name"], len(order)), r["name"]))
    used = {1: 0, -1: 0, 0: 0}
    for entry in ordered:
        sign = entry["sign"] if entry["sign"] in used else 0
        palette = _RELATION_COLOURS[sign]
        entry["colour"] = palette[used[sign] % len(palette)]
        entry["kind"] = _SIGN_WORDS[sign]
        used[sign] += 1
    return ordered


def build_page(network: nx.MultiDiGraph, *, store: Store | None = None, size_by: str = "degree", color_by: str = "type",
               ties: str = "signed", analysis_network: nx.MultiDiGraph | None = None, title: str | None = None,
               data_note: str | None = None, as_of: str | None = None, as_of_span: str = "day",
               layout_threshold: int = LAYOUT_THRESHOLD, seed: int = 0, max_edges: int = MAX_EDGES) -> Page:
    """Build the page data of a projected network.

    Parameters
    ----------
    network : networkx.MultiDiGraph
        From :func:`conflictgraph.network.projection.project` (all dates, so the slider has every tie).
    store : Store, optional
        Where the statements, sources and events behind the edges are looked up; without it
        the side panel lists their IRIs only.
    size_by : {"degree", "betweenness", "pagerank"}
    color_by : {"type", "community", "camp"}
    ties : {"signed", "cooperative", "hostile", "all"}
        Which net ties the sizes are computed on.
    analysis_network : networkx.MultiDiGraph, optional
        The network the sizes, communities and camps are computed on (e.g. the projection as of
        ``as_of``); default ``network``.
    title : str, optional
        Page title; default from the view.
    data_note : str, optional
        What data the page shows (e.g. from :func:`conflictgraph.viz.provenance.data_summary`).
    as_of : str, optional
        The date the time slider starts at (ISO day); default: all dates.
    as_of_span : {"day", "month", "year"}
        The period around ``as_of`` the page starts showing (the day itself, its month or year).
    layout_threshold : int
        Beyond this many nodes the positions are computed here (igraph) and physics starts off.
    seed : int
        Seed of the layout.
    max_edges : int
        The most ties the page draws (0: all): every tie with statements, then the heaviest
        others; sizes, communities and camps are those of the whole network.

    Returns
    -------
    Page

    Examples
    --------
    >>> import networkx as nx
    >>> build_page(nx.MultiDiGraph(), size_by="eigenvector")
    Traceback (most recent call last):
    ...
    conflictgraph.errors.UsageError: unknown node size 'eigenvector' (size by degree, betweenness or pagerank)
    """
    _check_choices(size_by, color_by, ties)
    if max_edges < 0:
        raise UsageError(f"a page draws at least 0 ties (0: all), not {max_edges}")
    analysis = analysis_network if analysis_network is not None else network
    scores, group_of, groups = _analyse(network, analysis, size_by, color_by, ties)
    whole = network
    network = _cut(network, max_edges)
    counted = set()  # the ties whose events came with the network (curated ones, or all)
    # read once for the page's evidence, counts and event dates
    table = dataset_table(store) if store is not None else None
    if store is not None:
        counted = {key for key in network.edges(keys=True) if "events" in network.edges[key]}
        add_provenance(store, network, [key for key in network.edges(keys=True) if key not in counted], table=table)
    order = sorted(network.nodes, key=str)
    index = {node: i for i, node in enumerate(order)}
    big = needs_layout(len(order), layout_threshold)
    positions = igraph_layout(network, seed=seed) if big else {}
    nodes = _page_nodes(network, order, scores, group_of, positions)
    relations = _relations(network)
    panels = _read_panels(network, store, table)
    counts = _event_counts(network, store, counted, panels, table)
    edges = _page_edges(network, index, relations, panels, counts)
    meta = _page_meta(dict(network.graph), nodes, edges, title=title, data_note=data_note, size_by=size_by,
                      color_by=color_by, ties=ties, as_of=as_of, sized_as_of=analysis_network is not None,
                      big=big)
    meta["as_of_span"] = as_of_span
    if network is not whole:
        _describe_cut(network, meta, nodes)
    _count_unlisted_events(network, order, nodes, meta, counts)
    net = _pyvis_network(meta["title"], nodes, edges, _vis_options(big, len(nodes), seed))
    page_info = {"meta": meta, "relations": relations, "groups": groups, "statements": panels.statements,
                 "sources": panels.sources, "events": panels.events}
    return Page(net=net, info=page_info)


def _cut(network: nx.MultiDiGraph, max_edges: int) -> nx.MultiDiGraph:
    """``network`` itself when it has at most ``max_edges`` ties (or ``max_edges`` is 0, or its
    ties with statements are all it has), else a copy with its ties with statements and its
    heaviest others, ``max_edges`` in all (all those with statements when they are more), the
    nodes they join and the nodes with no tie; its
    ``graph["cut_from"]`` holds the whole network's numbers of ties and nodes and its degrees."""
    import networkx as nx

    if not max_edges:
        return network
    with gc_paused():  # a million new tuples would trigger collections of the whole heap
        curated, others, weights, degree = _ties_by_kind(network)
    total = len(curated) + len(others)
    if total <= max_edges:
        return network
    kept = curated + _heaviest(others, weights, max(0, max_edges - len(curated)))
    if len(kept) == total:  # ties with statements fill the page: nothing is left out
        return network
    cut = nx.MultiDiGraph(**network.graph)
    ends = {node for u, v, _k, _d in kept for node in (u, v)}
    cut.add_nodes_from((node, attrs) for node, attrs in network.nodes(data=True) if node in ends or not degree[node])
    for u, v, key, data in kept:
        cut.add_edge(u, v, key=key, **data)
    cut.graph["cut_from"] = (total, network.number_of_nodes(), degree)
    return cut


def _ties_by_kind(network: nx.MultiDiGraph) -> tuple[list[tuple], list[tuple], list[float], dict]:
    """The ties (u, v, key, data) of ``network`` with statements, the others with their weights,
    and each node's number of ties; one pass over its own dicts (920,000 ties: a view wraps each access)."""
    adjacency = raw_adjacency(network)
    curated: list[tuple] = []
    others: list[tuple] = []
    weights: list[float] = []
    degree = dict.fromkeys(adjacency, 0)
    for u, neighbours in adjacency.items():
        for v, keyed in neighbours.items():
            degree[u] += len(keyed)
            degree[v] += len(keyed)
            for key, data in keyed.items():
                if data.get("statements"):
                    curated.append((u, v, key, data))
                else:
                    others.append((u, v, key, data))
                    weights.append(data.get("weight", 1) or 0)
    return curated, others, weights, degree


def _heaviest(ties: list[tuple], weights: list[float], room: int) -> list[tuple]:
    """The ``room`` heaviest of ``ties`` (u, v, key, data), heaviest first, equal weights in key order.

    >>> ties = [("a", "b", "fought", {}), ("b", "c", "fought", {}), ("c", "d", "fought", {}), ("a", "d", "fought", {})]
    >>> [t[:2] for t in _heaviest(ties, [5, 9, 1, 5], 2)], [t[:2] for t in _heaviest(ties, [5, 9, 1, 5], 9)][-1]
    ([('b', 'c'), ('a', 'b')], ('c', 'd'))
    """
    if not room:
        return []
    weight = np.asarray(weights, dtype=np.float64)
    if room < len(ties):
        boundary = np.partition(weight, len(weight) - room)[len(weight) - room]  # the room-th heaviest weight
        chosen = np.flatnonzero(weight >= boundary).tolist()  # a few more when the boundary weight is shared
    else:
        chosen = list(range(len(ties)))
    chosen.sort(key=lambda i: (-weight[i], str(ties[i][0]), str(ties[i][1]), str(ties[i][2])))
    return [ties[i] for i in chosen[:room]]


def _describe_cut(cut: nx.MultiDiGraph, meta: dict, nodes: list[dict]) -> None:
    """Say in ``meta`` (``cut``: counts and a sentence) and on each node (``tn``: its ties in the
    whole network) what a page cut from a larger network (:func:`_cut`) leaves out."""
    total, node_total, degree = cut.graph["cut_from"]
    meta["edge_total"], meta["node_total"] = total, node_total
    meta["cut"] = (f"{meta['edge_count']:,} of {total:,} ties drawn (every tie with statements, then the heaviest; "
                   f"{meta['node_count']:,} of {node_total:,} nodes): --max-edges 0 draws them all, "
                   "conflictgraph export writes the whole network")
    for item in nodes:
        item["tn"] = degree.get(item["iri"], 0)


def _count_unlisted_events(network: nx.MultiDiGraph, order: list, nodes: list[dict], meta: dict,
                           counts: _EventCounts) -> None:
    """When some edge lists only its first EVENTS_LISTED events, give the page and each node
    with such an edge the count and the months of all their events (the timeline strip shows
    those)."""
    if not any(len(d.get("events") or []) > EVENTS_LISTED for *_e, d in network.edges(data=True)):
        return
    meta["event_count"], meta["event_months"] = counts.total()
    for number, node in enumerate(order):
        keys = [*network.out_edges(node, keys=True), *network.in_edges(node, keys=True)]
        if any(len(network.edges[key].get("events") or []) > EVENTS_LISTED for key in keys):
            nodes[number]["evn"], nodes[number]["evm"] = counts.node(node, keys)


class _EventCounts:
    """How many events lie behind an edge, a node and the whole page, and in which months: the
    event-tie table's events counted on its columns (``table``, from
    :func:`~conflictgraph.network.projection.table_event_months`), the others (``others``: per
    edge, its curated events and those the table leaves to the queries; few) one by one from
    their dates. The two never share an event."""

    def __init__(self, table: EventMonths, others: dict[tuple, list[str]], panels: _Panels):
        self.table, self.others, self.panels = table, others, panels

    def edge(self, key: tuple) -> tuple[int, dict[str, int]]:
        count, months = self.table.edges.get(key, (0, {}))
        extra = self.others.get(key, [])
        return count + len(extra), _added(months, self.panels.months(extra))

    def node(self, node: str, keys: list[tuple]) -> tuple[int, dict[str, int]]:
        count, months = self.table.nodes.get(node, (0, {}))
        extra = {e for key in keys for e in self.others.get(key, [])}
        return count + len(extra), _added(months, self.panels.months(extra))

    def total(self) -> tuple[int, dict[str, int]]:
        count, months = self.table.total
        extra = {e for events in self.others.values() for e in events}
        return count + len(extra), _added(months, self.panels.months(extra))


def _added(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    """Two counts per month added, in month order.

    >>> _added({"2023-01": 2}, {"2023-01": 1, "2022-12": 4})
    {'2022-12': 4, '2023-01': 3}
    """
    return dict(sorted((m, a.get(m, 0) + b.get(m, 0)) for m in a.keys() | b.keys()))


def _event_counts(network: nx.MultiDiGraph, store: Store | None, counted: set, panels: _Panels,
                  tie_table: TieTable | None) -> _EventCounts:
    """The event counts of a page: the table's events of its event ties on the table's
    columns; the events of the ties in ``counted`` (whose events came with the network) that
    the table does not hold, and every event when there is no store, one by one."""
    table = (table_event_months(store, network, network.edges(keys=True), table=tie_table)
             if store is not None and tie_table is not None else EventMonths({}, {}, (0, {})))
    residual: set[str] | None = None
    others: dict[tuple, list[str]] = {}
    for u, v, key, data in network.edges(keys=True, data=True):
        events = data.get("events") or []
        if not events or (store is not None and (u, v, key) not in counted):
            continue  # from the table alone
        if store is not None and (u, v, key) in table.edges:  # its other events: those the table leaves out
            if residual is None:
                residual = set(tie_table.residual) if tie_table is not None else set()
            events = [e for e in events if e in residual]
        if events:
            others[u, v, key] = list(events)
    missing = sorted({e for events in others.values() for e in events} - set(panels.month_of))
    if store is not None and missing:
        panels.add_months(event_details(store, missing))
    return _EventCounts(table, others, panels)


def _check_choices(size_by: str, color_by: str, ties: str) -> None:
    """Raise UsageError for a measure, colouring or tie selection the page does not know."""
    if size_by not in SIZE_BY:
        raise UsageError(f"unknown node size {size_by!r} (size by {', '.join(SIZE_BY[:-1])} or {SIZE_BY[-1]})")
    if color_by not in COLOR_BY:
        raise UsageError(f"unknown node colour {color_by!r} (colour by {', '.join(COLOR_BY[:-1])} or {COLOR_BY[-1]})")
    if ties not in TIES:
        raise UsageError(f"unknown ties {ties!r} (choose from {', '.join(TIES)})")


def _analyse(network: nx.MultiDiGraph, analysis: nx.MultiDiGraph, size_by: str, color_by: str,
             ties: str) -> tuple[dict, dict, list[dict]]:
    """Node scores (``size_by`` on the ``ties`` of ``analysis``), node -> colour group, and the groups."""

    if size_by == "degree":  # networkx's degree centrality, counted without building the graph
        degree = net_degrees(analysis, ties)
        scores = ({n: d * (1.0 / (len(degree) - 1.0)) for n, d in degree.items()} if len(degree) > 1
                  else dict.fromkeys(degree, 0.0))
    else:
        scores = _scores(analysis_graph(analysis, ties=ties), size_by)
    group_of, groups = _groups(network, analysis, color_by)
    return scores, group_of, groups


def _page_nodes(network: nx.MultiDiGraph, order: list, scores: dict, group_of: dict,
                positions: dict) -> list[dict]:
    """The page's nodes, numbered in ``order``: labels, group, score and the size it gives."""
    top = max(scores.values(), default=0.0) or 1.0
    nodes = []
    for number, node in enumerate(order):
        attrs = network.nodes[node]
        label = str(attrs.get("label") or node)
        aliases = [str(a) for a in attrs.get("aliases") or []]
        score = float(scores.get(node, 0.0))
        item = {"id": number, "label": short_label(label, aliases), "name": label, "iri": str(node),
                "type": attrs.get("type"), "kind": attrs.get("kind"), "aliases": aliases,
                "group": group_of[node], "score": round(score, 6),
                "size": round(8 + 30 * math.sqrt(max(score, 0.0) / top), 2), "shape": _shape(attrs)}
        if node in positions:
            item["x"], item["y"] = positions[node]
        nodes.append(item)
    return nodes


class _Panels:
    """The statements, sources and events panels of a page; edges refer to their entries by number.

    A source is listed the first time a statement or an edge cites it.
    """

    def __init__(self, details: dict[str, dict], source_info: dict[str, dict]):
        self.details, self.source_info = details, source_info
        self.statements: list[dict] = []
        self.sources: list[dict] = []
        self.events: list[dict] = []
        self._statement_number: dict[str, int] = {}
        self._source_number: dict[str, int] = {}
        self._event_number: dict[str, int] = {}
        self.month_of: dict[str, str] = {}  # the events listed, and those counted one by one -> month

    def months(self, events: Iterable[str]) -> dict[str, int]:
        """How many of ``events`` fall in each month (those without a month are left out)."""
        counts: dict[str, int] = {}
        for event in events:
            month = self.month_of.get(event)
            if month:
                counts[month] = counts.get(month, 0) + 1
        return dict(sorted(counts.items()))

    def add_statements(self, iris: list[str]) -> None:
        for iri in iris:
            found = self.details.get(iri, {})
            source = found.get("source")
            self._statement_number[iri] = len(self.statements)
            self.statements.append({"iri": iri, "speaker": found.get("speaker"), "behalf": found.get("behalf"),
                                    "voice": found.get("voice"), "date": found.get("date"),
                                    "summary": found.get("summary"), "quote": found.get("quote"),
                                    "source": self.source(source["iri"], source) if source else None})

    def add_months(self, event_info: dict[str, dict]) -> None:
        """Keep the month of each event of ``event_info`` (from its date)."""
        for iri, found in event_info.items():
            date = str(found.get("date") or "")
            if re.match(r"\d{4}-\d{2}", date):
                self.month_of[iri] = date[:7]

    def add_events(self, iris: list[str], event_info: dict[str, dict]) -> None:
        """List ``iris`` (the events the page names); every event of ``event_info`` keeps its month."""
        self.add_months(event_info)
        for iri in iris:
            found = event_info.get(iri, {})
            self._event_number[iri] = len(self.events)
            self.events.append({"iri": iri, "label": found.get("label") or iri.rsplit("/", 1)[-1],
                                "date": found.get("date")})

    def source(self, iri: str, meta: dict | None = None) -> int:
        """The number of source ``iri``, listed if new; ``meta`` fills in what is not known yet."""
        if iri not in self._source_number:
            meta = meta or {}
            self._source_number[iri] = len(self.sources)
            self.sources.append({"iri": iri, "title": meta.get("title"), "publisher": meta.get("publisher"),
                                 "issued": meta.get("issued")})
        elif meta:
            entry = self.sources[self._source_number[iri]]
            for key in ("title", "publisher", "issued"):
                entry[key] = entry[key] or meta.get(key)
        return self._source_number[iri]

    def cited_sources(self, iris: list) -> list[int]:
        """The numbers of the sources an edge cites (listing those new, with what the store says of them)."""
        return [self.source(str(s), self.source_info.get(str(s))) for s in iris]

    def statement_numbers(self, iris: list[str]) -> list[int]:
        return [self._statement_number[s] for s in iris if s in self._statement_number]

    def event_numbers(self, iris: list[str]) -> list[int]:
        return [self._event_number[e] for e in iris if e in self._event_number]

    def self_reported(self, statements: list[str], ends: set[str]) -> bool:
        """Whether every statement (at least one) is spoken by, or for, one of ``ends``."""
        return bool(statements) and all(
            self.details.get(s) and (self.details[s].get("speaker_iri") in ends
                                     or self.details[s].get("behalf_iri") in ends)
            for s in statements)


def _imported_events(table: TieTable | None, iris: list[str]) -> dict[str, dict]:
    """Label and date of the imported events among ``iris``, from the store's event-tie table:
    "<dataset> event" and its dates (their ids trace them to the dataset's rows; ``show`` gives
    the rest). Asking the store for 80,000 labels took 8 s of a 22 s page."""
    if table is None:
        return {}
    return {iri: {"label": f"{kind} event", "date": date}
            for iri, (date, kind) in table.event_dates(iris).items()}


def _read_panels(network: nx.MultiDiGraph, store: Store | None, table: TieTable | None = None) -> _Panels:
    """The panels of the statements, sources and events behind the edges, looked up in ``store``
    (without a store, their IRIs only). The events listed are each edge's first EVENTS_LISTED;
    the others are counted (:func:`_event_counts`)."""
    statement_ids = sorted({s for *_e, d in network.edges(data=True) for s in d.get("statements") or []})
    listed = sorted({e for *_e, d in network.edges(data=True) for e in (d.get("events") or [])[:EVENTS_LISTED]})
    details: dict[str, dict] = {}
    event_info: dict[str, dict] = {}
    source_info: dict[str, dict] = {}
    if store is not None:
        details = statement_details(store, statement_ids)
        event_info = _imported_events(table, listed)
        event_info.update(event_details(store, [e for e in listed if e not in event_info]))
        # Sources an edge cites without a statement (an imported dataset, for its events).
        cited = {str(s) for *_e, d in network.edges(data=True) for s in d.get("sources") or []}
        source_info = source_details(store, cited - {d["source"]["iri"] for d in details.values() if d.get("source")})
    panels = _Panels(details, source_info)
    panels.add_statements(statement_ids)
    panels.add_events(listed, event_info)
    return panels


def _page_edges(network: nx.MultiDiGraph, index: dict, relations: list[dict], panels: _Panels,
                counts: _EventCounts) -> list[dict]:
    """The page's edges, in (from, to, relation) order; the edges of one pair are bent apart."""
    rel_index = {r["name"]: i for i, r in enumerate(relations)}
    labels = {node: str(network.nodes[node].get("label") or node) for node in network}
    edges: list[dict] = []
    bends: dict[tuple, int] = {}
    for u, v, key, data in sorted(network.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2]))):
        pair = (u, v) if str(u) <= str(v) else (v, u)
        bend = bends.get(pair, 0)
        bends[pair] = bend + 1
        stmts = list(data.get("statements") or [])
        edge = {"id": len(edges), "from": index[u], "to": index[v], "rel": rel_index[data.get("relation", key)],
                "weight": data.get("weight", 1), "start": data.get("start"), "end": data.get("end"),
                "st": panels.statement_numbers(stmts), "src": panels.cited_sources(data.get("sources") or []),
                "self": panels.self_reported(stmts, {str(u), str(v)}), "bend": bend}
        if data.get("spans"):
            edge["spans"] = [list(span) for span in data["spans"]]
        edges.append(_lean(_add_edge_details(edge, data, panels, labels, counts.edge((u, v, key)))))
    return edges


def _lean(edge: dict) -> dict:
    """``edge`` without the values most edges share (not self-reported, not bent, status claimed
    alone), which the page takes as the default: 100,000 imported events make 130,000 edges."""
    for key, default in (("self", False), ("bend", 0), ("status", ["claimed"])):
        if edge.get(key) == default:
            del edge[key]
    return edge


def _add_edge_details(edge: dict, data: dict, panels: _Panels, labels: dict,
                      counted: tuple[int, dict[str, int]]) -> dict:
    """``edge`` with what only some edges have: events (``counted``: their number and months),
    status, evidence counts, what it goes via."""
    if data.get("events"):
        events = data["events"]
        edge["ev"] = panels.event_numbers(events[:EVENTS_LISTED])
        if len(events) > EVENTS_LISTED:  # the rest are counted, per month too, not listed
            edge["evn"], edge["evm"] = len(events), counted[1]
    if data.get("status"):
        edge["status"] = list(data["status"])
    if data.get("evidence"):
        edge["evidence"] = dict(data["evidence"])
    if data.get("via"):
        edge["via"] = [labels.get(x, str(x).rsplit("/", 1)[-1]) for x in data["via"]]
    return edge


def _date_range(edges: list[dict], between: list | None, as_of: str | None) -> tuple[str | None, str | None]:
    """The first and last day the time slider offers: the edges' dates, within ``between``, reaching ``as_of``."""
    days = sorted({d for e in edges for d in (e["start"], e["end"]) if d})
    low, high = (days[0], days[-1]) if days else (None, None)
    if between and days:
        low, high = max(low, between[0]), min(high, between[1])
    if as_of and low and high:
        low, high = min(low, as_of), max(high, as_of)
    return low, high


def _facets(info: dict, view: str) -> str:
    """What the network holds, in words: view, relations, evidence, status, focus, window."""
    facets = [f"{view} view" if view != "custom" else "custom network",
              f"relations {', '.join(info['relations'])}" if info.get("relations") else "all relations",
              f"evidence {info.get('evidence') or 'all'}"]
    if info.get("status"):
        facets.append("status " + ", ".join(info["status"]))
    if info.get("focus"):
        facets.append(f"around {info['focus']}")
    if info.get("between"):
        facets.append(f"ties in force between {info['between'][0]} and {info['between'][1]}")
    return ", ".join(facets)


def _page_meta(info: dict, nodes: list[dict], edges: list[dict], *, title: str | None, data_note: str | None,
               size_by: str, color_by: str, ties: str, as_of: str | None, sized_as_of: bool, big: bool) -> dict:
    """The description of the page: title, data, facets, how it is sized and coloured, date range, counts."""
    view = info.get("view") or "custom"
    low, high = _date_range(edges, info.get("between"), as_of)
    default_title = {"actors": "Actor network", "alliance": "Alliance network"}.get(view, "Network")
    measure_words = {"degree": "degree", "betweenness": "betweenness", "pagerank": "PageRank"}[size_by]
    return {
        "title": title or default_title,
        "data": data_note or "",
        "facets": _facets(info, view),
        "sizing": f"size: {measure_words} on {ties} ties" + (f" as of {as_of}" if as_of and sized_as_of else ""),
        "colouring": f"colour: {color_by}",
        "view": view, "size_by": size_by, "color_by": color_by, "ties": ties,
        "as_of": as_of, "range": [low, high] if low else None,
        "layout": "igraph" if big else "physics",
        "node_count": len(nodes), "edge_count": len(edges),
        "undated": sum(1 for e in edges if not e["start"] and not e["end"]),
    }


def _vis_options(big: bool, node_count: int, seed: int) -> dict:
    """The vis-network options: physics and improved layout only for a network small enough."""
    return {
        "autoResize": True,
        "nodes": {"borderWidth": 1, "font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3,
                                              "strokeColor": "#ffffff"}},
        "edges": {"smooth": False, "selectionWidth": 2, "hoverWidth": 1, "arrowStrikethrough": False},
        "interaction": {"hover": True, "tooltipDelay": 200, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "navigationButtons": False, "keyboard": False, "multiselect": False},
        "physics": {"enabled": not big, "solver": "barnesHut",
                    "barnesHut": {"gravitationalConstant": -6000, "springLength": 150, "springConstant": 0.03,
                                  "avoidOverlap": 0.3, "damping": 0.3},
                    "stabilization": {"enabled": True, "iterations": 400, "fit": True}},
        "layout": {"improvedLayout": not big and node_count <= 100, "randomSeed": seed},
    }


def _pyvis_network(title: str, nodes: list[dict], edges: list[dict], options: dict) -> Network:
    """A pyvis network holding ``nodes`` and ``edges``."""
    from pyvis.network import Network

    net = Network(directed=True, heading=title, cdn_resources="in_line")
    # Filled directly: add_node/add_edge check every existing node and edge on each call.
    net.nodes = nodes
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    net.edges = edges
    net.options = options
    return net
