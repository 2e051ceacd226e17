"""Events and fatalities per period, curated and imported alike.

An event falls in the period that holds its whole date: a day-precise event in its week, month
or year; an event known only to the month, in a weekly timeline, in its month ("2023-11");
one known only to the year in its year. So no event is counted in a period it may not belong
to, and coarse dates show as coarser periods (which sort before the finer ones of that year).
Fatalities are the best estimate, else the low one; events without a count add none. Events
and fatalities are counted in all and for curated and imported events apart (an imported event
is one with a ``cg:contentHash``). Events
with no date bounds (cg:dateUnknown) are counted in the period "unknown".

Examples
--------
>>> from conflictgraph.build.pipeline import build_store
>>> store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
>>> rows = timeline_rows(store, by="month")
>>> sum(r["events"] for r in rows) > 0 and all(r["imported"] == 0 for r in rows)
True
"""
from __future__ import annotations

import contextlib
from datetime import date

from conflictgraph.rdf.namespaces import SPARQL_PREFIXES
from conflictgraph.rdf.terms import IRI, as_node, lexical
from conflictgraph.store.base import Store

__all__ = ["COLUMNS", "timeline_rows", "period_of"]

# events and fatalities in all, then curated and imported apart
COLUMNS = ["period", "events", "fatalities", "curated", "imported", "curated_fatalities", "imported_fatalities"]

# No aggregation: bound parameters are applied by the engine before anything else, and an event
# reached through several paths is counted once in Python.
_QUERY = SPARQL_PREFIXES + """
SELECT ?event ?earliest ?latest ?best ?low ?hash WHERE {
  ?event a ?type . ?type rdfs:subClassOf* cg:Event .
  %s
  OPTIONAL { ?event cg:earliest ?earliest ; cg:latest ?latest }
  OPTIONAL { ?event cg:fatalitiesBest ?best }
  OPTIONAL { ?event cg:fatalitiesLow ?low }
  OPTIONAL { ?event cg:contentHash ?hash }
}"""
# an actor's events: its sides, the acts it did or received (event-coded tables), and the
# events it launched, joined, supported or was targeted by (curated participations)
_ACTOR = ("{ ?event cg:sideA|cg:sideB|cg:associatedWith|cg:initiator|cg:recipient ?actor } "
          "UNION { ?participation cg:participant ?actor ; cg:event ?event }")
_PLACE = "?event cg:place/cg:locatedIn* ?place ."


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
                  by: str = "month") -> list[dict]:
    """Rows of :data:`COLUMNS` (period, events and fatalities, and both again for curated and
    imported events apart), in period order.

    ``actor`` keeps events with that actor on any side; ``place`` keeps events at that place
    or at a place inside it (``cg:locatedIn*``). Both are bound by the engine.
    """
    if by not in ("week", "month", "year"):
        raise ValueError(f"by must be week, month or year, not {by!r}")
    patterns, bindings = [], {}
    if actor is not None:
        patterns.append(_ACTOR)
        bindings["actor"] = IRI(actor)
    if place is not None:
        patterns.append(_PLACE)
        bindings["place"] = IRI(place)
    periods: dict[str, dict] = {}
    counted: set[str] = set()
    for row in store.query(_QUERY % "\n  ".join(patterns), bindings=bindings or None):
        if row["event"] in counted:
            continue
        counted.add(as_node(row["event"]))
        if row["earliest"] is None or row["latest"] is None:
            label = "unknown"
        else:
            label = period_of(date.fromisoformat(lexical(row["earliest"])[:10]),
                              date.fromisoformat(lexical(row["latest"])[:10]), by)
        entry = periods.setdefault(label, dict.fromkeys(COLUMNS, 0) | {"period": label})
        kind = "imported" if row["hash"] is not None else "curated"
        entry["events"] += 1
        entry[kind] += 1
        count = row["best"] if row["best"] is not None else row["low"]
        if count is not None:
            with contextlib.suppress(ValueError):
                deaths = int(lexical(count))
                entry["fatalities"] += deaths
                entry[kind + "_fatalities"] += deaths
    return [periods[k] for k in sorted(periods)]
