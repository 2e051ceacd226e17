"""One Projector, many windows: the store read once (conflictgraph.network.projection.Projector)
gives each window the network project() gives it, and the per-period networks of
``diff --by`` count their events and rank their actors as full networks with provenance do."""
from __future__ import annotations

from datetime import date

import networkx as nx
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conflictgraph.api import ConflictGraph
from conflictgraph.build.pipeline import open_for_reading
from conflictgraph.importers.dataset import import_events
from conflictgraph.network.analyze.ego import ego_network
from conflictgraph.network.projection import Projector, _Bounds, _in_window, project
from conflictgraph.network.reports import periods_report
from conflictgraph.network.spec import NetworkSpec, periods_between

from conftest import FIXTURES, copy_store

A = "https://w3id.org/conflictgraph/id/actor/"
FILTERS = [{}, {"evidence": "acled"}, {"evidence": "curated"}, {"include_generic": True}, {"view": "alliance"},
           {"status": ["confirmed"]}, {"relations": ["fought", "co-member"]}]
WINDOWS = [{}, {"as_of": "2023-11-07"}, {"between": ("2023-11-01", "2023-11-30")},
           {"between": ("2021-01-01", "2022-12-31")}, {"as_of": "1990"}]


def _name(options: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in options.items()) or "none"


def _network(graph):
    """All a network is: graph attributes, nodes and edges in order, with every attribute."""
    return graph.graph, list(graph.nodes(data=True)), list(graph.edges(keys=True, data=True))


@pytest.fixture(scope="module")
def bundled_imported(bundled_copy):
    """The bundled graph with the UCDP and ACLED fixtures imported, in memory."""
    store = bundled_copy()
    for dataset, path in (("ucdp", FIXTURES / "ucdp" / "ged.csv"), ("acled", FIXTURES / "acled" / "acled.csv")):
        import_events(store, dataset, path)
    return store


@pytest.fixture(scope="module")
def on_disk(imported_on_disk, tmp_path_factory) -> str:
    """The bundled graph on disk with the fixtures imported (this module's copy)."""
    return str(copy_store(imported_on_disk, tmp_path_factory.mktemp("projector")))


@pytest.mark.parametrize("filters", FILTERS, ids=_name)
def test_one_projector_gives_every_window_what_project_gives(bundled_imported, filters):
    projector = Projector(bundled_imported, **filters)
    for window in WINDOWS:
        for provenance in (True, False):
            got = projector.network(**window, provenance=provenance)
            assert _network(got) == _network(project(bundled_imported, **filters, **window, provenance=provenance))


def test_a_projector_of_an_on_disk_store_reads_its_kept_table(on_disk):
    store = open_for_reading(on_disk)
    projector = Projector(store)
    networks = [projector.network(**window) for window in WINDOWS]
    assert [_network(n) for n in networks] == [_network(project(store, **window)) for window in WINDOWS]
    assert any("acled" in d["evidence"] for *_e, d in networks[2].edges(data=True))


def _listed(network) -> int:
    return len({e for *_e, d in network.edges(data=True) for e in d.get("events", [])})


@pytest.mark.parametrize("filters", [{}, {"evidence": "acled"}, {"relations": ["fought"]}, {"view": "alliance"}],
                         ids=_name)
def test_event_count_of_a_network_without_provenance_is_that_of_the_full_one(bundled_imported, filters):
    projector = Projector(bundled_imported, **filters)
    counts = []
    for window in WINDOWS:
        light, full = projector.network(**window, provenance=False), projector.network(**window)
        assert projector.event_count(light) == _listed(full)
        counts.append(_listed(full))
        focus = max(full, key=full.degree) if len(full) else None
        if focus is not None:  # an ego network: the events of its edges only
            ego_light = ego_network(light, focus, 1)
            assert projector.event_count(ego_light) == _listed(ego_network(full, focus, 1))
    if filters.get("evidence") != "acled":
        assert counts[2] > 0  # November 2023 has events of both datasets and curated ones
    assert max(counts) > 0


def test_event_count_without_a_table_is_that_of_the_listed_events(bundled_copy):
    projector = Projector(bundled_copy())  # the curated graph alone: every event from the queries
    assert projector.table is None
    for window in WINDOWS:
        full = projector.network(**window)
        assert projector.event_count(full) == _listed(full)
        if len(full):
            focus = max(full, key=full.degree)
            assert projector.event_count(ego_network(full, focus, 1)) == _listed(ego_network(full, focus, 1))
    assert projector.event_count(projector.network(as_of="2023-11-07")) > 0


def _span(network) -> tuple[str, str] | None:
    days = [d for *_e, data in network.edges(data=True) for d in (data["start"], data["end"]) if d]
    return (min(days), max(days)) if days else None


@pytest.mark.parametrize("filters", [*FILTERS, {"evidence": "ucdp-ged"}, {"view": "alliance", "evidence": "acled"}],
                         ids=_name)
def test_the_dated_span_is_that_of_the_network_of_every_date(bundled_imported, filters):
    projector = Projector(bundled_imported, **filters)
    assert projector.dated_span() == _span(projector.network(provenance=False)) == _span(projector.network())


def test_the_dated_span_of_a_kept_table_and_of_no_dated_tie(on_disk):
    projector = Projector(open_for_reading(on_disk))
    assert projector.table is not None and projector.dated_span() == _span(projector.network())
    assert Projector(open_for_reading(on_disk), status=["admitted"], evidence="acled").dated_span() is None


def test_periods_are_those_of_full_networks_projected_one_by_one(bundled_imported):
    graph = ConflictGraph(bundled_imported)
    for spec, by, first, last in [(NetworkSpec(), "month", "2023-09", "2024-01"),
                                  (NetworkSpec(evidence="acled"), "month", "2023-10", "2023-12"),
                                  (NetworkSpec(focus="Arakan Army", depth=2), "year", "2020", "2024")]:
        got = graph.periods(spec, by=by, first=first, last=last).data["periods"]
        networks = [(name, graph.network(spec.window(between=(low, high))))
                    for name, low, high in periods_between(f"{first}-01"[:10], _last_day(last), by)]
        assert got == periods_report(networks, by=by).data["periods"]  # events listed by the full networks
        assert any(row["events"] for row in got)


def test_periods_in_which_nothing_changes_reuse_the_network_before_them(bundled_imported, monkeypatch):
    graph = ConflictGraph(bundled_imported)
    made = []
    network = Projector.network
    monkeypatch.setattr(Projector, "network", lambda self, **window: made.append(window) or network(self, **window))
    got = graph.periods(NetworkSpec(), by="month", first="2019-01", last="2024-06").data["periods"]
    assert len(got) == 66 and 0 < len(made) < len(got) / 2  # most months change nothing
    networks = [(name, graph.network(NetworkSpec(between=(low, high))))
                for name, low, high in periods_between("2019-01-01", "2024-06-30", "month")]
    assert got == periods_report(networks, by="month").data["periods"]
    assert any(row["appeared"] for row in got) and any(row["appeared"] == 0 and row["ties"] for row in got)


_DAY = st.dates(date(2019, 1, 1), date(2021, 12, 31)).map(date.isoformat)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.none() | _DAY, st.none() | _DAY), max_size=8), st.lists(_DAY, min_size=4, max_size=4),
       st.booleans())
def test_two_windows_hold_the_same_ties_when_no_bound_lies_between_them(spans, days, overlapping):
    # two windows, the second later in both days: overlapping, or one after the other
    low, second, third, next_high = sorted(days)
    next_low, high = (second, third) if overlapping else (third, second)
    bounds = _Bounds(sorted(s for s, _e in spans if s is not None), sorted(e for _s, e in spans if e is not None))
    before = [_in_window(s, e, None, (low, high)) for s, e in spans]
    after = [_in_window(s, e, None, (next_low, next_high)) for s, e in spans]
    if not bounds.change((low, high), (next_low, next_high)):
        assert before == after


def _last_day(period: str) -> str:
    from conflictgraph.network.spec import parse_period
    return parse_period(period)[1]


def _net(edges: list[tuple[str, str, str, int]]) -> nx.MultiDiGraph:
    network = nx.MultiDiGraph()
    for u, v, relation, sign in edges:
        network.add_edge(u, v, key=relation, relation=relation, sign=sign, weight=1)
    return network


def test_periods_report_reads_networks_one_at_a_time_and_settles_auto_ties_after_them():
    hostile_first = [("2020", _net([("a", "b", "fought", -1)])),
                     ("2021", _net([("a", "b", "fought", -1), ("a", "c", "allied", 1)]))]
    report = periods_report(iter(hostile_first))  # a generator: read once
    rows = report.data["periods"]
    assert report.meta["ties"] == "cooperative" and "ties_reason" not in report.meta
    assert [(r["ties"], r["first_iri"]) for r in rows] == [(0, None), (1, rows[1]["first_iri"])]
    assert rows[1]["first_iri"] in ("a", "c") and rows[1]["appeared"] == 1
    only_hostile = [("2020", _net([("a", "b", "fought", -1)])), ("2021", _net([("b", "c", "fought", -1)]))]
    report = periods_report(iter(only_hostile))
    assert report.meta["ties"] == "hostile" and "no cooperative tie" in report.meta["ties_reason"]
    assert [(r["ties"], r["appeared"], r["ended"]) for r in report.data["periods"]] == [(1, None, None), (1, 1, 1)]


_OPEN_DAY = st.none() | _DAY
_EVENT = st.fixed_dictionaries({"sideA": st.lists(st.sampled_from("abc"), min_size=1, max_size=2, unique=True),
                                "sideB": st.lists(st.sampled_from("bcd"), min_size=1, max_size=2, unique=True),
                                "start": _OPEN_DAY, "end": _OPEN_DAY})
_EXTRA = st.dictionaries(st.tuples(st.sampled_from("ab"), st.sampled_from("bc"),
                                   st.sampled_from(["fought", "fought-alongside", "allied"])),
                         st.fixed_dictionaries({"start": _OPEN_DAY, "end": _OPEN_DAY, "weight": st.just(1),
                                                "events": st.just(["curated-event"])}), max_size=4)


@settings(max_examples=300, deadline=None)
@given(st.lists(_EVENT, max_size=8), _EXTRA, st.sampled_from([None, ["fought"], ["fought-alongside"]]))
@example([{"sideA": ["a"], "sideB": ["b"], "start": "2019-01-01", "end": "2019-01-01"}],  # merged: open
         {("a", "b", "fought"): {"start": None, "end": None, "weight": 1, "events": ["curated-event"]}}, None)
def test_the_dated_span_of_table_edges_is_that_of_the_edges_made(events, extra, relations):
    from conflictgraph.network.tie_edges import aggregate, dated_span, event_relations, merge_edges
    from conflictgraph.network.ties import TieTable

    table = TieTable.from_events([{"event": f"e{n}", "kind": "acled", **{k: v for k, v in event.items() if v}}
                                  for n, event in enumerate(events)])
    entries = [e for e in event_relations() if relations is None or e.relation in relations]
    made = merge_edges(aggregate(table, entries, provenance=False), {k: dict(v) for k, v in extra.items()}.items())
    days = [d for attrs in made.values() for d in (attrs["start"], attrs["end"]) if d]
    assert dated_span(table, entries, extra) == ((min(days), max(days)) if days else None)
