"""Timelines (conflictgraph.query.timeline): the events the event-tie table holds, counted from
it (KnownEvents), give the same rows as the store's own facts, odd events included; see also
tests/network/test_ties.py, which compares both on the fixture stores with every filter."""
from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conflictgraph.build.pipeline import build_store
from conflictgraph.importers.dataset import import_events
from conflictgraph.network.ties import extract_ties
from conflictgraph.query.timeline import KnownEvents, period_of, timeline_rows
from conflictgraph.rdf.namespaces import CG, DATASET_GRAPHS, DATASET_INFERRED_GRAPHS, GRAPHS, ID, RDF_TYPE
from conflictgraph.rdf.terms import IRI, XSD, BNode, Literal
from conflictgraph.store.oxigraph import OxigraphStore

from conftest import FIXTURES, MINI

EPOCH = date(1970, 1, 1)
FIRST_DAY, LAST_DAY = (date(1, 1, 1) - EPOCH).days, (date(9999, 12, 31) - EPOCH).days
EVENT = st.tuples(st.integers(FIRST_DAY, LAST_DAY - 800), st.integers(0, 800), st.integers(-1, 50), st.booleans())


def _day(text: str) -> Literal:
    return Literal(text, XSD + "date")


def _count(text: str) -> Literal:
    return Literal(text, XSD + "integer")


@settings(max_examples=60, deadline=None)
@given(st.lists(EVENT, max_size=40), st.sampled_from(["week", "month", "year"]))
@example([(-1, 0, 3, True), (-400, 800, -1, True), (FIRST_DAY, 0, 0, True), (LAST_DAY - 800, 800, 9, False)], "week")
def test_known_events_count_in_the_period_of_their_bounds(events, by):
    """Days before 1970, spans across years, from year 1 to 9999, undated ones: as period_of
    puts each event."""
    iris = np.array([f"https://example.org/e{n:03d}" for n in range(len(events))], dtype=object)
    earliest = np.array([start for start, _span, _deaths, _dated in events], dtype=np.int32)
    latest = np.array([start + span for start, span, _deaths, _dated in events], dtype=np.int32)
    known = KnownEvents(iris, earliest, latest, np.array([dated for *_rest, dated in events], dtype=bool),
                        np.array([deaths for _start, _span, deaths, _dated in events], dtype=np.int64))
    expected: dict[str, list[int]] = {}
    for start, span, deaths, dated in events:
        label = period_of(EPOCH + timedelta(days=start), EPOCH + timedelta(days=start + span), by) if dated else "unknown"
        totals = expected.setdefault(label, [0, 0])
        totals[0], totals[1] = totals[0] + 1, totals[1] + max(deaths, 0)
    rows = timeline_rows(OxigraphStore.in_memory(), by=by, known=known)
    assert {r["period"]: [r["imported"], r["imported_fatalities"]] for r in rows} == expected
    assert all(r["events"] == r["imported"] and r["curated"] == 0 for r in rows)


def test_odd_events_fold_the_same_from_the_table_and_from_the_store():
    """Two latest dates and two best counts (the widest bounds, the largest count); a best count
    that is no whole number beside a whole one; a negative best count (none: the low one
    counts); an event without sides; bounds in the dataset graph itself, and a type and a later
    bound in an inferred graph of no dataset (where the table does not read them: left to the
    store); a blank-node event on a side of an actor."""
    store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
    import_events(store, "acled", FIXTURES / "acled" / "acled.csv")
    table = extract_ties(store)
    first, second, odd, orphaned = table.events.strings[:4]
    actor = table.actors.strings[int(table.a[table.event == table.events.encode([first])[0]][0])]
    data, inferred = IRI(DATASET_GRAPHS + "acled"), IRI(DATASET_INFERRED_GRAPHS + "acled")
    nobody, curated = IRI(DATASET_INFERRED_GRAPHS + "gone"), IRI(GRAPHS + "review")
    sideless, blank = IRI(ID + "event/acled-no-sides"), BNode("reported")
    store.add_quads([(IRI(first), IRI(CG.latest), _day("2031-02-10"), inferred),
                     (IRI(first), IRI(CG.fatalitiesBest), _count("40"), data),
                     (IRI(first), IRI(CG.fatalitiesBest), _count("7"), data),
                     (IRI(second), IRI(CG.fatalitiesBest), Literal("many"), data),
                     (sideless, IRI(RDF_TYPE), IRI(CG.Event), data),
                     (sideless, IRI(CG.contentHash), Literal("0" * 40), data),
                     (sideless, IRI(CG.earliest), _day("2031-03-01"), inferred),
                     (sideless, IRI(CG.latest), _day("2031-03-01"), inferred),
                     (sideless, IRI(CG.fatalitiesBest), _count("-30"), data),
                     (sideless, IRI(CG.fatalitiesLow), _count("2"), data),
                     (IRI(odd), IRI(CG.earliest), _day("2031-04-01"), data),
                     (IRI(odd), IRI(CG.latest), _day("2031-04-01"), data),
                     (IRI(orphaned), IRI(RDF_TYPE), IRI(CG.Event), nobody),
                     (IRI(orphaned), IRI(CG.latest), _day("2031-05-01"), nobody),
                     (blank, IRI(RDF_TYPE), IRI(CG.Battle), curated),
                     (blank, IRI(CG.sideA), IRI(actor), curated),
                     (blank, IRI(CG.earliest), _day("2031-06-02"), curated),
                     (blank, IRI(CG.latest), _day("2031-06-02"), curated),
                     (blank, IRI(CG.fatalitiesBest), _count("6"), curated)])
    table = extract_ties(store)
    assert {first, second} <= set(table.events.strings) and not {odd, orphaned} & set(table.events.strings)
    assert {str(sideless), odd} <= set(table.other_events)
    for by in ("week", "month", "year"):
        for filters in ({}, {"actor": IRI(actor)}):
            assert timeline_rows(store, by=by, known=table.known_events(), **filters) == \
                timeline_rows(store, by=by, **filters), (by, filters)
    rows = {r["period"]: r for r in timeline_rows(store, by="month", known=table.known_events())}
    assert (rows["2031-03"]["events"], rows["2031-03"]["imported_fatalities"]) == (1, 2)
    assert (rows["2031-06"]["curated"], rows["2031-06"]["curated_fatalities"]) == (1, 6)  # the blank node
    assert sum(r["events"] for period, r in rows.items() if period.endswith("/2031")) == 3  # first, odd, orphaned
    assert table.known_events().fatalities[table.events.encode([first])].tolist() == [40]
    mine = {r["period"]: r for r in timeline_rows(store, by="month", known=table.known_events(), actor=IRI(actor))}
    assert mine["2031-06"]["curated"] == 1
    stale = table.known_events()  # a remote store's cached table, say, while someone else adds a graph
    store.add_quads([(IRI(second), IRI(RDF_TYPE), IRI(CG.Event), curated)])
    assert timeline_rows(store, by="month", known=stale) == timeline_rows(store, by="month")  # counted once
