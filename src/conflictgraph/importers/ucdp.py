"""UCDP Georeferenced Event Dataset (GED) rows -> events.

Column mapping (UCDP GED codebook; other columns are kept out of the graph):

==================  =========================================================================
column              becomes
==================  =========================================================================
id                  the IRI ``event:ucdp-<id>`` (percent-encoded where needed)
relid               ``skos:altLabel`` (UCDP's readable id)
type_of_violence    the class (1 state-based, 2 non-state: ``cg:Battle``; 3 one-sided:
                    ``cg:Attack``) and ``cg:eventType``, a concept with the type in words
                    shared by the events of that type; another code: a ``cg:Event`` with a note
conflict_name,      ``skos:prefLabel`` "<dyad_name> (<date>)" and ``dct:type`` conflict name
dyad_name
side_a / side_b     ``cg:sideA`` / ``cg:sideB``, reconciled with the known actors
                    ("Civilians" is the generic civilians actor); a side naming several
                    actors with one id each in side_a_new_id (else side_a_dset_id) is split
                    into them, with a quality note
date_start,         ``cg:date``: the day when both are the same day, else the month or year
date_end,           covering both, with ``cg:start``/``cg:end`` days and a ``cg:dateDerivation``
date_prec           naming date_prec; a missing or impossible date_start rejects the row (the
                    event has no place in time); an unreadable end, an end before the start,
                    a year that differs or a date_prec outside 1..5 is kept with a note
low / best / high   ``cg:fatalitiesLow`` / ``cg:fatalitiesBest`` / ``cg:fatalitiesHigh``
                    (whole numbers; out of order or unreadable: kept, or left out, with a note)
country, adm_1,     the place hierarchy (country, state/region, district or township, named
adm_2,              location); ``where_prec`` (1..7) says how deep the event's ``cg:place``
where_coordinates,  goes and is kept as ``cg:locationPrecision`` on the geometry
where_prec
latitude,           ``geo:hasGeometry`` a geometry node with ``geo:asWKT`` "POINT(lon lat)" and
longitude           the precision; one node per distinct point and precision, shared by the
                    events there (``node:geometry-<hash>``); unreadable or out of range: no
                    point, with a note

Quality notes (``cg:qualityNote``, listed in the import's notes file) keep a row the dataset
publishes with what is odd about it; only a row with no id or no readable start date is
rejected (and one the CSV reader cannot split into the header's columns).
source_article      ``dct:source`` (the dataset's own source text)
source_headline     ``dct:description``
==================  =========================================================================

Examples
--------
>>> row = dict.fromkeys(DATASET.required, "")
>>> row.update(id="123", relid="MYA-2023-1-1", type_of_violence="1", side_a="Government of Myanmar (Burma)",
...            side_b="KNPP", dyad_name="Government of Myanmar (Burma) - KNPP", date_prec="1",
...            date_start="2023-11-07 00:00:00.000", date_end="2023-11-07 00:00:00.000",
...            best="3", low="2", high="5", where_prec="1", country="Myanmar (Burma)")
>>> record = map_row(row)
>>> record.iri.short, [a.name for a in record.actors]
('event:ucdp-123', ['Government of Myanmar (Burma)', 'KNPP'])
"""
from __future__ import annotations

import re

from datetime import date
from functools import lru_cache

from conflictgraph.importers.common import (DCT, RDF_TYPE, SKOS, ActorRef, DatasetSpec, EventRecord, PlaceLevel,
                                            RowRejected, bound_facts, covering_date, event_type, id_part, kept_point,
                                            nt_iri, nt_lang, nt_literal, nt_term, nt_text, parse_int,
                                            parse_iso_day)
from conflictgraph.rdf.namespaces import CG, ID
from conflictgraph.rdf.terms import IRI, XSD, Literal

__all__ = ["DATASET", "map_row", "side_members", "REQUIRED"]

REQUIRED = ("id", "relid", "year", "type_of_violence", "conflict_name", "dyad_name", "side_a", "side_b",
            "source_article", "where_prec", "where_coordinates", "adm_1", "adm_2", "latitude", "longitude",
            "country", "date_prec", "date_start", "date_end", "best", "high", "low")

_VIOLENCE = {"1": (CG.Battle, "state-based conflict"), "2": (CG.Battle, "non-state conflict"),
             "3": (CG.Attack, "one-sided violence")}
_DATE_PREC = {1: "exact day", 2: "within 2 to 6 days", 3: "within one month",
              4: "within more than a month but less than a year", 5: "within more than a year"}
# where_prec -> (how many place levels the event's place uses, meaning)
_WHERE_PREC = {1: (4, "exact location"), 2: (4, "within about 25 km of the named location"),
               3: (3, "second-order administrative division"), 4: (2, "first-order administrative division"),
               5: (2, "a larger area or linear feature within the first-order division"),
               6: (1, "country"), 7: (0, "international waters or airspace")}
_PLACE = CG.Place
_LOCATION_KINDS = (CG.Town, CG.Village, CG.MilitaryPosition, CG.Township, CG.Feature)

# Predicates, in N-Triples form (checked once, here).
_TYPE, _ALT, _LABEL, _DCT_TYPE = (nt_iri(i) for i in (RDF_TYPE, SKOS + "altLabel", SKOS + "prefLabel", DCT + "type"))
_DATE, _START, _END, _DERIVATION = (nt_iri(CG + name) for name in ("date", "start", "end", "dateDerivation"))
_LOW, _BEST, _HIGH = (nt_iri(CG + name) for name in ("fatalitiesLow", "fatalitiesBest", "fatalitiesHigh"))
_SOURCE, _NOTES = nt_iri(DCT + "source"), nt_iri(DCT + "description")


def _adm2_level(name: str) -> PlaceLevel:
    if name.strip().lower().endswith("township"):
        return PlaceLevel(name, (CG.Township,), CG.Township)
    return PlaceLevel(name, (CG.District, CG.Township), CG.District)


def _location_class(name: str) -> str:
    last = name.strip().lower().rsplit(" ", 1)[-1]
    return {"town": CG.Town, "city": CG.Town, "village": CG.Village,
            "township": CG.Township}.get(last, _PLACE)


def place_levels(names: tuple[str, ...]) -> list[PlaceLevel]:
    """The :class:`PlaceLevel` s of a row's (country, adm_1, adm_2, where_coordinates) names."""
    makers = (lambda n: PlaceLevel(n, (CG.Country,), CG.Country),
              lambda n: PlaceLevel(n, (CG.StateRegion,), CG.StateRegion),
              _adm2_level,
              lambda n: PlaceLevel(n, _LOCATION_KINDS, _location_class(n)))
    return [make(name) for make, name in zip(makers, names)]


@lru_cache(maxsize=8192)
def _date_facts(start: date, end: date, precision: int | None) -> tuple[str, tuple[str, ...]]:
    """(the date as the label shows it, the date facts) of a start, an end and a date_prec (None:
    unknown)."""
    covering = covering_date(start, end)
    facts = [_DATE + " " + nt_term(covering)]
    if start != end or precision != 1:
        facts += [_START + " " + nt_literal(start.isoformat(), XSD + "date"),
                  _END + " " + nt_literal(end.isoformat(), XSD + "date"),
                  _DERIVATION + " " + nt_lang(f"UCDP date_prec {precision} ({_DATE_PREC[precision]}): "
                                              f"between {start} and {end}" if precision is not None else
                                              f"UCDP date_prec unknown: between {start} and {end}")]
    return covering.value, tuple(facts)


def _count(predicate: str, number: int | None) -> str | None:
    return None if number is None else predicate + " " + nt_literal(str(number), XSD + "integer")


def side_members(names: str, ids: str) -> list[str]:
    """The actors of one side: several when UCDP lists them with one id each (a coalition such
    as the governments of an internationalised conflict), else the side's name as it is (a
    name may hold a comma).

    >>> side_members("Government of Mali, Government of France", "1015, 1006")
    ['Government of Mali', 'Government of France']
    >>> side_members("Movement for Unity and Jihad, West Africa", "1234")
    ['Movement for Unity and Jihad, West Africa']
    """
    names = names.strip()
    parts = [part.strip() for part in names.split(",")]
    codes = [code.strip() for code in ids.split(",") if code.strip()]
    if len(parts) > 1 and len(codes) == len(parts) and all(parts):
        return parts
    return [names] if names else []


def _actor_kind(name: str) -> str:
    lowered = name.lower()
    if lowered.startswith("civilians"):
        return CG.GenericActor
    return CG.StateForce if lowered.startswith("government of") else CG.ArmedGroup


def map_row(cells: dict[str, str]) -> EventRecord:
    """Map one UCDP GED row to an :class:`EventRecord`; raise RowRejected saying why not."""
    event_id = cells["id"].strip()
    if not event_id:
        raise RowRejected("id: missing event id")
    if not re.fullmatch(r"[0-9]+", event_id):  # ASCII digits (isdigit() takes any script's)
        raise RowRejected(f"id: not a numeric UCDP id: {event_id!r}")
    record = EventRecord(event_id, IRI(ID + "event/ucdp-" + id_part(event_id)), place_levels=place_levels)

    violence = _VIOLENCE.get(cells["type_of_violence"].strip())
    if violence is None:
        record.note(f"type_of_violence: unknown code {cells['type_of_violence'].strip()!r} (expected 1, 2 or 3); "
                    "kept as an event of no known type")
        violence = (CG.Event, "")

    start = parse_iso_day(cells["date_start"], "date_start")  # no date at all: nothing to place the event in time
    end = record.kept(parse_iso_day, cells["date_end"], "date_end", what="the start day taken as the end") \
        if cells["date_end"].strip() else start
    end = end or start
    if end < start:
        record.note(f"date_end {end} is before date_start {start}; kept as the span between them")
        start, end = end, start
    precision = record.kept(parse_int, cells["date_prec"], "date_prec", what="precision unknown")
    if precision is not None and precision not in _DATE_PREC:
        record.note(f"date_prec: unknown precision code {precision} (expected 1..5); precision unknown")
        precision = None
    year = record.kept(parse_int, cells["year"], "year")
    if year is not None and year != start.year:
        record.note(f"year {year} does not match date_start {start}; the dates are kept as given")

    low = record.kept(parse_int, cells["low"], "low")
    best = record.kept(parse_int, cells["best"], "best")
    high = record.kept(parse_int, cells["high"], "high")
    known = [n for n in (low, best, high) if n is not None]
    if known != sorted(known):  # UCDP publishes such rows: keep them, as an analyst's count would
        record.note(f"fatality estimates out of order (low {low}, best {best}, high {high}), kept as UCDP gives them")

    where = record.kept(parse_int, cells["where_prec"], "where_prec", what="location precision unknown")
    if where is not None and where not in _WHERE_PREC:
        record.note(f"where_prec: unknown precision code {where} (expected 1..7); location precision unknown")
        where = None
    latitude, longitude = kept_point(record, cells["latitude"], cells["longitude"])

    side_a, side_b = cells["side_a"].strip(), cells["side_b"].strip()
    if not side_a:
        record.note("side_a: missing actor; the event has no side A")

    shown_date, date_facts = _date_facts(start, end, precision)
    record.add(_TYPE, nt_iri(violence[0]))
    record.add(_ALT, nt_text(cells["relid"]))
    dyad = cells["dyad_name"].strip() or f"{side_a or '?'} - {side_b or '?'}"
    record.add(_LABEL, nt_lang(f"{dyad} ({shown_date})"))
    typed = event_type("ucdp", (violence[1],))
    if typed is not None:  # None for an unknown type_of_violence
        record.facts.append(typed[0])
        record.shared = typed[1]
    record.add(_DCT_TYPE, nt_text(cells["conflict_name"]))
    record.facts += date_facts
    record.bounds = bound_facts(date_facts)
    record.facts += filter(None, (_count(_LOW, low), _count(_BEST, best), _count(_HIGH, high)))
    record.add(_SOURCE, nt_text(cells["source_article"]))
    record.add(_NOTES, nt_text(cells.get("source_headline", "")))

    for side, side_names, role in (("a", side_a, CG.sideA), ("b", side_b, CG.sideB)):
        ids = cells.get(f"side_{side}_new_id", "") or cells.get(f"side_{side}_dset_id", "")
        members = side_members(side_names, ids)
        if len(members) > 1:
            record.note(f"side {side.upper()} names {len(members)} actors with their own UCDP ids; split into members")
        for name in members:
            record.actors.append(ActorRef(name, role, _actor_kind(name)))

    depth, meaning = _WHERE_PREC[where] if where is not None else (4, "unknown precision")
    names = (cells["country"], cells["adm_1"], cells["adm_2"], cells["where_coordinates"])[:depth]
    # The hierarchy stops at the first blank level.
    blank = next((i for i, name in enumerate(names) if not name.strip()), len(names))
    record.place_names = names[:blank]
    if latitude is not None:
        record.geometry = (f"POINT({longitude:g} {latitude:g})", f"UCDP where_prec {where}: {meaning}")
    return record


DATASET = DatasetSpec(
    key="ucdp-ged",
    title="UCDP GED",
    required=REQUIRED,
    id_column="id",
    map_row=map_row,
    metadata=(
        (RDF_TYPE, IRI(CG.Source)),
        (DCT + "title", Literal("UCDP Georeferenced Event Dataset (GED)", lang="en")),
        (DCT + "publisher", Literal("Uppsala Conflict Data Program, Department of Peace and Conflict Research, "
                                    "Uppsala University", lang="en")),
        (DCT + "license", IRI("https://creativecommons.org/licenses/by/4.0/")),
        (DCT + "bibliographicCitation", Literal(
            "Sundberg, Ralph and Erik Melander (2013). Introducing the UCDP Georeferenced Event Dataset. "
            "Journal of Peace Research 50(4): 523-532. Cite also the GED version used.", lang="en")),
        (CG.url, Literal("https://ucdp.uu.se/downloads/", XSD + "anyURI")),
        (CG.sourceKind, Literal("event dataset", XSD + "string")),
    ),
    other_formats=(("event_id_cnty", "ACLED"),),
)
