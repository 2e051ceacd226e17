"""Events and fatalities per period, curated and imported alike.

An event falls in the period that holds its whole date: a day-precise event in its week, month
or year; an event known only to the month, in a weekly timeline, in its month ("2023-11");
one known only to the year in its year. So no event is counted in a period it may not belong
to, and coarse dates show as coarser periods (which sort before the finer ones of that year).
An event's date is its earliest ``cg:earliest`` to its latest ``cg:latest``. Fatalities are
its best estimate (the largest whole number given; a negative one is none), else the low
one; events without a count add none. Events and fatalities are counted in all and for curated and imported events apart
(an imported event is one with a ``cg:contentHash``). Events with no date bounds
(cg:dateUnknown) are counted in the period "unknown".

On event data the store is not asked about every event: the caller passes what the store's
event-tie table already holds (:class:`KnownEvents`: the plain events of the datasets, a
million of them counted in well under a second), and only the events of the other graphs
are read from the store.

Examples
--------
>>> from conflictgraph.build.pipeline import build_store
>>> store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
>>> rows = timeline_rows(store, by="month")
>>> sum(r["events"] for r in rows) > 0 and all(r["imported"] == 0 for r in rows)
True
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from conflictgraph.query.resolve import event_classes
from conflictgraph.rdf.namespaces import DATASET_GRAPHS, SPARQL_PREFIXES
from conflictgraph.rdf.sparql_text import iri_ref
from conflictgraph.rdf.terms import IRI, BNode
from conflictgraph.query.lookup import property_values, whole_count
from conflictgraph.store.base import Store

__all__ = ["COLUMNS", "KnownEvents", "timeline_rows", "period_of"]

# events and fatalities in all, then curated and imported apart
COLUMNS = ["period", "events", "fatalities", "curated", "imported", "curated_fatalities", "imported_fatalities"]

# What a timeline reads of an event (read by lookups for the events listed, see
# conflictgraph.query.lookup: an OPTIONAL per fact would read that fact of every event in the store)
_FACTS = {"type": "rdf:type", "earliest": "cg:earliest", "latest": "cg:latest", "best": "cg:fatalitiesBest",
          "low": "cg:fatalitiesLow", "hash": "cg:contentHash"}
_EVENTS = SPARQL_PREFIXES + "SELECT DISTINCT ?event WHERE { ?event a ?type . ?type rdfs:subClassOf* cg:Event }"
_EVENTS_IN = SPARQL_PREFIXES + """SELECT DISTINCT ?event WHERE {
  GRAPH %s { ?event a ?type } ?type rdfs:subClassOf* cg:Event
}"""
# an actor's events: its sides, the acts it did or received (event-coded tables), and the
# events it launched, joined, supported or was targeted by (curated participations)
_ACTOR = SPARQL_PREFIXES + """SELECT DISTINCT ?event WHERE {
  { ?event cg:sideA|cg:sideB|cg:associatedWith|cg:initiator|cg:recipient ?actor }
  UNION { ?participation cg:participant ?actor ; cg:event ?event }
}"""
_PLACE = SPARQL_PREFIXES + "SELECT DISTINCT ?event WHERE { ?event cg:place/cg:locatedIn* ?place }"
_EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class KnownEvents:
    """Imported events whose date bounds and fatalities the caller already holds (one entry
    per event; the store's event-tie table keeps them for the plain events of its datasets):
    :func:`timeline_rows` counts them without asking the store.

    ``iris``: the events' IRIs, sorted (an object array); ``earliest`` / ``latest``: the
    event's smallest ``cg:earliest`` and largest ``cg:latest`` as days since 1970-01-01, where
    ``dated`` (it has both); ``fatalities``: best, else low (-1: none). ``others``: the events
    typed in a dataset graph that are not among them. The store is asked about those and
    about the events typed in its other graphs: every event is counted once.

    >>> from conflictgraph.store.oxigraph import OxigraphStore
    >>> days = np.array([19358, 19360])  # 2023-01-01, 2023-01-03
    >>> known = KnownEvents(np.array(["e1", "e2"], dtype=object), days, days, np.array([True, True]), np.array([3, -1]))
    >>> timeline_rows(OxigraphStore.in_memory(), known=known)
    [{'period': '2023-01', 'events': 2, 'fatalities': 3, 'curated': 0, 'imported': 2, \
'curated_fatalities': 0, 'imported_fatalities': 3}]
    """

    iris: np.ndarray
    earliest: np.ndarray
    latest: np.ndarray
    dated: np.ndarray
    fatalities: np.ndarray
    others: Sequence[str] = field(default_factory=list)


def period_of(earliest: date, latest: date, by: str) -> str:
    """The period label holding both bounds, at ``by`` precision or coarser.

    >>> from datetime import date
    >>> period_of(date(2023, 11, 7), date(2023, 11, 7), "week")
    '2023-W45'
    >>> period_of(date(2023, 11, 1), date(2023, 11, 30), "week")
    '2023-11'
    >>> period_of(date(2023, 1, 1), date(2023, 12, 31), "month")
    '2023'
    """
    if by == "week":
        a, b = earliest.isocalendar(), latest.isocalendar()
        if (a.year, a.week) == (b.year, b.week):
            return f"{a.year}-W{a.week:02d}"
    if by in ("week", "month") and (earliest.year, earliest.month) == (latest.year, latest.month):
        return f"{earliest.year}-{earliest.month:02d}"
    if earliest.year == latest.year:
        return f"{earliest.year}"
    return f"{earliest.year}/{latest.year}"


def timeline_rows(store: Store, *, actor: IRI | None = None, place: IRI | None = None,
                  by: str = "month", known: KnownEvents | None = None) -> list[dict]:
    """Rows of :data:`COLUMNS` (period, events and fatalities, and both again for curated and
    imported events apart), in period order.

    ``actor`` keeps events with that actor on any side; ``place`` keeps events at that place
    or at a place inside it (``cg:locatedIn*``); both are bound by the engine. ``known``: the
    events the caller holds (see :class:`KnownEvents`): they are counted from it, and the
    store is asked for the facts of the others only.
    """
    if by not in ("week", "month", "year"):
        raise ValueError(f"by must be week, month or year, not {by!r}")
    periods: dict[str, dict] = {}
    filters = {"actor": actor, "place": place}
    if known is not None:
        counted, events = _known_and_asked(store, known, filters)
        _count_known(known, counted, by, periods)
    elif actor is not None or place is not None:
        events = _filtered_events(store, filters)
    else:
        events = _nodes(store.query(_EVENTS).rows)
    for bounds, imported, deaths in _fold(property_values(store, events, _FACTS), event_classes(store)):
        _add(periods, "unknown" if bounds is None else period_of(*bounds, by), imported, deaths, 1)
    return [periods[k] for k in sorted(periods)]


def _nodes(rows: Iterable[dict]) -> set[str]:
    """The ``?event`` of ``rows``: IRIs and blank nodes (the terms, both ``str``)."""
    return {row["event"] for row in rows if isinstance(row["event"], (IRI, BNode))}


def _filtered_events(store: Store, filters: dict[str, IRI | None]) -> set[str]:
    """The nodes (events or not: :func:`_fold` keeps the events) that pass every filter given
    (``actor``, ``place``: their IRIs, or None)."""
    found: set[str] | None = None
    for name, value in filters.items():
        if value is not None:
            query = _ACTOR if name == "actor" else _PLACE
            these = _nodes(store.query(query, bindings={name: IRI(value)}).rows)
            found = these if found is None else found & these
    return found if found is not None else set()


def _known_and_asked(store: Store, known: KnownEvents, filters: dict[str, IRI | None]
                     ) -> tuple[np.ndarray | slice, set[str]]:
    """Which events of ``known`` a timeline with ``filters`` counts, and the events the store
    is asked about: without filters, all of ``known`` and the events beyond it; with them,
    the events that pass them, from ``known`` where it holds them."""
    if all(value is None for value in filters.values()):
        return slice(None), _split(known, _events_beyond(store, known))[1]
    return _split(known, _filtered_events(store, filters))


def _events_beyond(store: Store, known: KnownEvents) -> set[str]:
    """The events ``known`` may not hold: those typed in a graph that is not a dataset's, and
    the dataset events it lists as ``others`` (:func:`_split` drops any it holds after all)."""
    events: set[str] = {IRI(iri) for iri in known.others}
    for graph in store.named_graphs():
        if not graph.startswith(DATASET_GRAPHS):
            events |= _nodes(store.query(_EVENTS_IN % iri_ref(graph)).rows)
    return events


def _split(known: KnownEvents, events: set[str]) -> tuple[np.ndarray, set[str]]:
    """The positions in ``known`` of the ``events`` it holds, and the other events.

    >>> known = KnownEvents(np.array(["b", "d"], dtype=object), *[np.zeros(2)] * 4)
    >>> held, others = _split(known, {IRI("a"), IRI("b"), IRI("e")})
    >>> held, sorted(others)
    (array([0]), [IRI('a'), IRI('e')])
    """
    named = sorted(event for event in events if isinstance(event, IRI))
    wanted = np.array(named, dtype=object)
    at = np.minimum(np.searchsorted(known.iris, wanted), max(len(known.iris) - 1, 0))
    held = known.iris[at] == wanted if len(known.iris) else np.zeros(len(wanted), dtype=bool)
    return at[held], events - set(wanted[held].tolist())


@dataclass(slots=True)
class _Facts:
    """What the store says of one event, folded (see :func:`_fold`)."""

    typed: bool = False
    first: date | None = None
    last: date | None = None
    best: int | None = None
    low: int | None = None
    imported: bool = False


def _fold(rows: Iterable[tuple[str, str, str]], classes: Collection[str]
          ) -> Iterator[tuple[tuple[date, date] | None, bool, int | None]]:
    """Per event of ``rows`` ((event, fact, value) of :data:`_FACTS`, an event's not
    necessarily together) typed as one of ``classes``: its bounds (its smallest earliest and
    largest latest day; None without both), whether it is imported, and its fatalities (the
    largest best count, else the largest low one; None without either).

    >>> rows = [("e1", "type", "Battle"), ("e1", "earliest", "2023-01-05"), ("e1", "earliest", "2023-01-02"),
    ...         ("e1", "latest", "2023-01-06"), ("e1", "low", "4"), ("e1", "best", "many"), ("e2", "best", "7")]
    >>> list(_fold(rows, {"Battle"}))  # e2 is not typed as an event
    [((datetime.date(2023, 1, 2), datetime.date(2023, 1, 6)), False, 4)]
    """
    folded: dict[str, _Facts] = {}
    for event, fact, value in rows:
        facts = folded.get(event)
        if facts is None:
            facts = folded[event] = _Facts()
        if fact == "type":
            facts.typed = facts.typed or value in classes
        elif fact == "earliest":
            first = date.fromisoformat(value[:10])
            facts.first = first if facts.first is None else min(facts.first, first)
        elif fact == "latest":
            last = date.fromisoformat(value[:10])
            facts.last = last if facts.last is None else max(facts.last, last)
        elif fact == "hash":
            facts.imported = True
        elif fact == "best":
            facts.best = _larger(facts.best, whole_count(value))
        else:
            facts.low = _larger(facts.low, whole_count(value))
    for facts in folded.values():
        if facts.typed:
            bounds = (facts.first, facts.last) if facts.first is not None and facts.last is not None else None
            yield bounds, facts.imported, facts.best if facts.best is not None else facts.low


def _larger(known: int | None, count: int | None) -> int | None:
    """The larger of two counts, either of which may be None."""
    return count if known is None else known if count is None else max(known, count)


def _count_known(known: KnownEvents, which: np.ndarray | slice, by: str, periods: dict[str, dict]) -> None:
    """Add the events of ``known`` at ``which`` (all imported) to ``periods``: a period label
    per distinct pair of bounds, events and fatalities summed per label with ``bincount``."""
    dated = np.asarray(known.dated[which], dtype=bool)
    deaths = np.maximum(np.asarray(known.fatalities[which], dtype=np.int64), 0)
    if (~dated).any():
        _add(periods, "unknown", True, int(deaths[~dated].sum()), int((~dated).sum()))
    if not dated.any():
        return
    earliest = np.asarray(known.earliest[which], dtype=np.int64)[dated]
    latest = np.asarray(known.latest[which], dtype=np.int64)[dated]
    first_latest, span = int(latest.min()), int(latest.max() - latest.min()) + 1
    distinct, inverse = np.unique(earliest * span + (latest - first_latest), return_inverse=True)  # a code per pair
    labels = [period_of(_EPOCH + timedelta(days=start), _EPOCH + timedelta(days=first_latest + end), by)
              for start, end in zip((distinct // span).tolist(), (distinct % span).tolist())]
    names = sorted(set(labels))
    number = {name: n for n, name in enumerate(names)}
    of_event = np.array([number[label] for label in labels], dtype=np.int64)[inverse.reshape(-1)]
    counts = np.bincount(of_event, minlength=len(names))
    sums = np.bincount(of_event, weights=deaths[dated], minlength=len(names))
    for name, count, total in zip(names, counts.tolist(), sums.tolist()):
        _add(periods, name, True, int(total), count)


def _add(periods: dict[str, dict], label: str, imported: bool, deaths: int | None, events: int) -> None:
    """Count ``events`` events with ``deaths`` fatalities in all (None: no count) into the
    period ``label``, as imported or curated."""
    entry = periods.get(label)
    if entry is None:
        entry = periods[label] = dict.fromkeys(COLUMNS, 0) | {"period": label}
    kind = "imported" if imported else "curated"
    entry["events"] += events
    entry[kind] += events
    if deaths:
        entry["fatalities"] += deaths
        entry[kind + "_fatalities"] += deaths
