"""Events and fatalities per period, curated and imported alike.

An event falls in the period that holds its whole date: a day-precise event in its week, month
or year; an event known only to the month, in a weekly timeline, in its month ("2023-11");
one known only to the year in its year. So no event is counted in a period it may not belong
to, and coarse dates show as coarser periods (which sort before the finer ones of that year).
An event's date is its earliest ``cg:earliest`` to its latest ``cg:latest``. Fatalities are
its best estimate (the largest whole number given), else the low one; events without a count
add none. Events and fatalities are counted in all and for curated and imported events apart
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
from conflictgraph.rdf.terms import IRI
from conflictgraph.store.base import Store, select_values

__all__ = ["COLUMNS", "KnownEvents", "timeline_rows", "period_of"]

# events and fatalities in all, then curated and imported apart
COLUMNS = ["period", "events", "fatalities", "curated", "imported", "curated_fatalities", "imported_fatalities"]

# An event's facts are read a kind at a time, for a list of events (each branch of the union is
# one pattern the engine answers by looking each event up; an OPTIONAL per fact would read every
# event of the store instead): one row per fact, and one per type the event has.
_FACTS = SPARQL_PREFIXES + """
SELECT ?event ?type ?earliest ?latest ?best ?low ?hash WHERE {
  { %(events)s ?event a ?type }
  UNION { %(events)s ?event cg:earliest ?earliest ; cg:latest ?latest }
  UNION { %(events)s ?event cg:fatalitiesBest ?best }
  UNION { %(events)s ?event cg:fatalitiesLow ?low }
  UNION { %(events)s ?event cg:contentHash ?hash }
}"""
_TYPED_IN = "SELECT DISTINCT ?event WHERE { %s GRAPH %s { ?event a ?type } }"
# an actor's events: its sides, the acts it did or received (event-coded tables), and the
# events it launched, joined, supported or was targeted by (curated participations)
_ACTOR = SPARQL_PREFIXES + """SELECT DISTINCT ?event WHERE {
  { ?event cg:sideA|cg:sideB|cg:associatedWith|cg:initiator|cg:recipient ?actor }
  UNION { ?participation cg:participant ?actor ; cg:event ?event }
}"""
_PLACE = SPARQL_PREFIXES + "SELECT DISTINCT ?event WHERE { ?event cg:place/cg:locatedIn* ?place }"
_LISTED = 2_000  # events named in one query's VALUES
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
    classes = event_classes(store)
    typed = _values("type", sorted(classes))
    periods: dict[str, dict] = {}
    if actor is not None or place is not None:
        events = _filtered_events(store, actor, place)
        if known is not None:
            held, events = _split(known, events)
            _count_known(known, held, by, periods)
    elif known is not None:
        _count_known(known, slice(None), by, periods)
        events = {str(row["event"]) for graph in store.named_graphs() if not graph.startswith(DATASET_GRAPHS)
                  for row in store.query(_TYPED_IN % (typed, iri_ref(graph))).rows} | set(known.others)
    else:
        events = {str(row["event"]) for row in store.query(f"SELECT ?event WHERE {{ {typed} ?event a ?type }}").rows}
    for bounds, imported, deaths in _fold(_fact_rows(store, sorted(events)), classes):
        _add(periods, "unknown" if bounds is None else period_of(*bounds, by), imported, deaths, 1)
    return [periods[k] for k in sorted(periods)]


def _filtered_events(store: Store, actor: IRI | None, place: IRI | None) -> set[str]:
    """The events (typed as events or not: :func:`_fold` keeps the typed ones) with ``actor``
    and at ``place``, each when given."""
    found: set[str] | None = None
    for query, name, value in ((_ACTOR, "actor", actor), (_PLACE, "place", place)):
        if value is not None:
            these = {str(row["event"]) for row in store.query(query, bindings={name: IRI(value)}).rows}
            found = these if found is None else found & these
    return found or set()


def _split(known: KnownEvents, events: Iterable[str]) -> tuple[np.ndarray, set[str]]:
    """The positions in ``known`` of the ``events`` it holds, and the other events.

    >>> known = KnownEvents(np.array(["b", "d"], dtype=object), *[np.zeros(2)] * 4)
    >>> _split(known, {"a", "b", "e"})
    (array([0]), {'a', 'e'})
    """
    wanted = np.array(sorted(events), dtype=object)
    at = np.minimum(np.searchsorted(known.iris, wanted), max(len(known.iris) - 1, 0))
    held = known.iris[at] == wanted if len(known.iris) else np.zeros(len(wanted), dtype=bool)
    return at[held], set(wanted[~held].tolist())


def _values(name: str, iris: Sequence[str]) -> str:
    """A VALUES block binding ``?name`` to each of ``iris``."""
    return f"VALUES ?{name} {{ {' '.join(map(iri_ref, iris))} }}"


def _fact_rows(store: Store, events: Sequence[str]) -> Iterator[tuple[str | None, ...]]:
    """The rows of :data:`_FACTS` for ``events`` (lexical values), :data:`_LISTED` events at a time."""
    for first in range(0, len(events), _LISTED):
        yield from select_values(store, _FACTS % {"events": _values("event", events[first:first + _LISTED])})


def _fold(rows: Iterable[tuple[str | None, ...]], classes: Collection[str]
          ) -> Iterator[tuple[tuple[date, date] | None, bool, int | None]]:
    """Per event of ``rows`` (:data:`_FACTS` rows, an event's not necessarily together) typed
    as one of ``classes``: its bounds (None without both), whether it is imported, and its
    fatalities (None: no count)."""
    events: dict[str | None, list] = {}  # event -> [typed, earliest, latest, best, low, imported]
    for event, kind, earliest, latest, best, low, digest in rows:
        entry = events.get(event)
        if entry is None:
            entry = events[event] = [False, None, None, None, None, False]
        if kind is not None:
            entry[0] = entry[0] or kind in classes
        elif earliest is not None and latest is not None:
            first, last = date.fromisoformat(earliest[:10]), date.fromisoformat(latest[:10])
            entry[1] = first if entry[1] is None else min(entry[1], first)
            entry[2] = last if entry[2] is None else max(entry[2], last)
        elif digest is not None:
            entry[5] = True
        else:
            at, count = (3, _whole(best)) if best is not None else (4, _whole(low))
            if count is not None:
                entry[at] = count if entry[at] is None else max(entry[at], count)
    for typed, first, last, best, low, imported in events.values():
        if typed:
            yield (first, last) if first is not None else None, imported, best if best is not None else low


def _whole(text: str | None) -> int | None:
    """A count as a whole number, None when there is none or it is not one."""
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        return None


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
