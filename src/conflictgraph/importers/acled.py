"""ACLED CSV export rows -> events.

Column mapping (ACLED codebook; extra columns are allowed and left out of the graph):

==================  =========================================================================
column              becomes
==================  =========================================================================
event_id_cnty       the IRI ``event:acled-<event_id_cnty>`` (percent-encoded where needed)
event_date,         ``cg:date``: ``07 November 2023`` or ``2023-11-07``. time_precision 1: the
time_precision,     day; 2: the day, with ``cg:start``/``cg:end`` three days either side and a
year                ``cg:dateDerivation``; 3: the month. A missing or impossible date, a
                    precision outside 1..3 or a ``year`` that disagrees rejects the row
event_type,         the class (Battles: ``cg:Battle``, or ``cg:Capture`` / ``cg:Recapture`` for
sub_event_type,     territory changing hands; Explosions/Remote violence: ``cg:Airstrike``,
disorder_type       ``cg:Shelling`` or ``cg:Attack``; Violence against civilians: ``cg:Attack``;
                    Protests: ``cg:Protest``; anything else ``cg:Event``), and ``cg:eventType``
                    a concept shared by the events of that kind: label the most specific
                    word, ``dct:type`` each non-blank one
actor1              ``cg:sideA``; assoc_actor_1 (several, separated by ``;``) ``cg:associatedWith``
actor2              ``cg:sideB``; assoc_actor_2 also ``cg:sideB`` (they are on side B, and
                    ``cg:associatedWith`` means side A)
inter1, inter2      the class of an actor the graph does not know yet (1 state forces,
                    2-4 and 8 armed groups, 5-7 rioters, protesters, civilians: generic), as
                    numbers or words; an unknown code rejects the row
country, admin1,    the place hierarchy; ``geo_precision`` (1..3) says how deep the event's
admin2, admin3,     ``cg:place`` goes (1, 2: the location; 3: admin1) and is kept as
location,           ``cg:locationPrecision``
geo_precision
latitude,           ``geo:hasGeometry`` a geometry node with ``geo:asWKT`` "POINT(lon lat)" and
longitude           the precision; one node per distinct point and precision, shared by the
                    events there (``node:geometry-<hash>``)
fatalities          ``cg:fatalitiesBest`` (ACLED gives one count)
source              ``dct:source``; notes: ``dct:description``
timestamp           ``dct:modified`` (UTC); a newer timestamp updates the event, an older one
                    is not imported over a newer
==================  =========================================================================

Examples
--------
>>> row = dict.fromkeys(DATASET.required, "")
>>> row.update(event_id_cnty="MMR1", event_date="07 November 2023", year="2023", time_precision="1",
...            event_type="Battles", sub_event_type="Armed clash", actor1="KNDF: Karenni Nationalities Defence Force",
...            assoc_actor_1="KA: Karenni Army; PDF: People's Defence Force", inter1="2",
...            actor2="Military Forces of Myanmar (2021-)", inter2="1", fatalities="4", geo_precision="1")
>>> record = map_row(row)
>>> record.iri.short, len(record.actors)
('event:acled-MMR1', 4)
"""
from __future__ import annotations

import re
import time
from datetime import date, timedelta
from functools import lru_cache

from conflictgraph.importers.common import (DCT, RDF_TYPE, SKOS, ActorRef, DatasetSpec, EventRecord, PlaceLevel,
                                            RowRejected, bound_facts, event_type, id_part, nt_iri, nt_lang, nt_literal,
                                            nt_text, kept_point, parse_int)
from conflictgraph.rdf.namespaces import CG, ID
from conflictgraph.rdf.terms import IRI, XSD, Literal

__all__ = ["DATASET", "map_row", "REQUIRED", "parse_event_date"]

REQUIRED = ("event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
            "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "country", "admin1",
            "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source", "fatalities")

_MONTHS = {name: i for i, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"), start=1)}
_MONTHS.update({name[:3]: i for name, i in list(_MONTHS.items())})
_WORDY = re.compile(r"([0-9]{1,2})[ -]([A-Za-z]+)[ -]([0-9]{4})")  # ASCII digits only
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[ T]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?)?")

_GENERIC = CG.GenericActor
# inter codes, as numbers or (folded) words -> class of a new actor
_INTER = {"1": CG.StateForce, "2": CG.ArmedGroup, "3": CG.ArmedGroup, "4": CG.ArmedGroup,
          "5": _GENERIC, "6": _GENERIC, "7": _GENERIC, "8": CG.ArmedGroup}
_INTER_WORDS = {"stateforces": "1", "rebelgroup": "2", "rebelgroups": "2", "politicalmilitia": "3",
                "politicalmilitias": "3", "identitymilitia": "4", "identitymilitias": "4",
                "communalmilitia": "4", "communalmilitias": "4", "rioters": "5", "protesters": "6",
                "civilians": "7", "externalotherforces": "8", "externalforces": "8", "otherforces": "8"}
_TIME_PREC = {1: "the day", 2: "within the week around this day", 3: "within the month"}
_GEO_PREC = {1: "the named location", 2: "near the named location", 3: "only the larger region is known"}
_GEO_HOW = {geo: f"ACLED geo_precision {geo}: {how}" for geo, how in _GEO_PREC.items()}  # the point's precision note
_LOCATION_KINDS = (CG.Town, CG.Village, CG.MilitaryPosition, CG.Township, CG.Feature)
_LEVELS = ((CG.Country,), (CG.StateRegion,), (CG.District,), (CG.Township,), _LOCATION_KINDS)
_NEW_CLASSES = (CG.Country, CG.StateRegion, CG.District, CG.Township, CG.Place)

# Predicates, in N-Triples form (checked once, here).
_TYPE, _LABEL = nt_iri(RDF_TYPE), nt_iri(SKOS + "prefLabel")
_DATE, _START, _END, _DERIVATION = (nt_iri(CG + name) for name in ("date", "start", "end", "dateDerivation"))
_BEST, _SOURCE, _NOTES, _MODIFIED = nt_iri(CG.fatalitiesBest), nt_iri(DCT + "source"), \
    nt_iri(DCT + "description"), nt_iri(DCT + "modified")
_SIDE_A, _SIDE_B, _ASSOCIATED = CG.sideA, CG.sideB, CG.associatedWith
_XSD_DATE_TIME = XSD + "dateTime"
_INTEGERS = [nt_literal(str(n), XSD + "integer") for n in range(1000)]


@lru_cache(maxsize=8192)
def parse_event_date(value: str) -> date:
    """ACLED's event_date: ``07 November 2023``, ``7-Nov-2023`` or ``2023-11-07`` (cached: rows
    share few distinct dates).

    >>> parse_event_date("07 November 2023")
    datetime.date(2023, 11, 7)
    """
    value = value.strip()
    match = _ISO.fullmatch(value)
    if match:
        y, m, d = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if int(match.group(4) or 0) > 23 or int(match.group(5) or 0) > 59 or int(match.group(6) or 0) > 60:
            raise RowRejected(f"event_date: impossible time of day: {value!r}")
    else:
        match = _WORDY.fullmatch(value)
        if not match or match.group(2).lower() not in _MONTHS:
            raise RowRejected("event_date: missing date" if not value else f"event_date: not a date: {value!r}")
        y, m, d = int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1))
    try:
        return date(y, m, d)
    except ValueError:
        raise RowRejected(f"event_date: impossible date: {value!r}") from None


@lru_cache(maxsize=8192)
def _date_facts(when: date, precision: int | None) -> tuple[str, tuple[str, ...]]:
    """(the date as the label shows it, date facts) of an event date and its time_precision
    (None: unknown, the day kept as given). Rows share few distinct dates, so this is cached."""
    if precision is not None and precision == 3:
        shown = f"{when.year:04d}-{when.month:02d}"
        facts = [_DATE + " " + nt_literal(shown, XSD + "gYearMonth")]
    else:
        shown, facts = when.isoformat(), [_DATE + " " + nt_literal(when.isoformat(), XSD + "date")]
    if precision == 2:
        facts += [_START + " " + nt_literal((when - timedelta(days=3)).isoformat(), XSD + "date"),
                  _END + " " + nt_literal((when + timedelta(days=3)).isoformat(), XSD + "date")]
    if precision is None:
        facts.append(_DERIVATION + " " + nt_lang(f"ACLED time_precision unknown: the day as given ({when})"))
    elif precision > 1:
        facts.append(_DERIVATION + " " + nt_lang(f"ACLED time_precision {precision}: {_TIME_PREC[precision]} "
                                                 f"({when})"))
    return shown, tuple(facts)


@lru_cache(maxsize=1024)
def _inter(value: str, column: str, blank_actor: bool) -> str:
    """The class a new actor of this inter code gets (cached: few distinct codes)."""
    value = value.strip()
    code: str | None
    if not value:
        code = "0" if blank_actor else "2"
    else:
        code = value.split(".")[0] if value.replace(".", "", 1).isdigit() else _INTER_WORDS.get(
            re.sub(r"[^a-z]", "", value.lower()))
        if code is None or (code not in _INTER and code != "0"):
            raise RowRejected(f"{column}: unknown actor type code {value!r}")  # kept by map_row, with a note
    return _INTER.get(code, CG.ArmedGroup)


@lru_cache(maxsize=1024)
def _types(disorder: str, event_type_: str, sub_event: str) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """(the label's kind of event, the class and cg:eventType facts, the type concept's lines) of
    the three type columns."""
    facts = (_TYPE + " " + nt_iri(_class(event_type_, sub_event)),)
    typed = event_type("acled", (disorder, event_type_, sub_event))
    if typed is None:
        return "Event", facts, ()
    return sub_event.strip() or event_type_.strip() or "Event", facts + (typed[0],), typed[1]


def _class(event_type: str, sub_event: str) -> str:
    event_type, sub_event = event_type.strip().lower(), sub_event.strip().lower()
    if event_type == "battles":
        return {"government regains territory": CG.Recapture,
                "non-state actor overtakes territory": CG.Capture}.get(sub_event, CG.Battle)
    if event_type == "explosions/remote violence":
        return {"air/drone strike": CG.Airstrike,
                "shelling/artillery/missile attack": CG.Shelling}.get(sub_event, CG.Attack)
    if event_type == "violence against civilians":
        return CG.Attack
    if event_type == "protests":
        return CG.Protest
    return CG.Event


_LAST_UNIX_TIME = 253402300799  # 9999-12-31T23:59:59Z, the last moment xsd:dateTime writes in four digits


def _timestamp(value: str) -> tuple[str, str] | None:
    """(a sortable stamp, the dct:modified fact) of a Unix time, or None when blank."""
    value = value.strip()
    if not value:
        return None
    if not (value.isdigit() and value.isascii()):  # ASCII digits: isdigit() alone takes any script's digits
        raise RowRejected(f"timestamp: not a Unix time: {value!r}")
    seconds = int(value)
    if seconds > _LAST_UNIX_TIME:
        raise RowRejected(f"timestamp: {value} is after the year 9999")
    moment = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))
    return f"{seconds:015d}", _MODIFIED + " " + nt_literal(moment, _XSD_DATE_TIME)


def place_levels(names: tuple[str, ...]) -> list[PlaceLevel]:
    """The :class:`PlaceLevel` s of a row's (country, admin1, admin2, admin3, location) names."""
    return [PlaceLevel(name, kinds, new) for name, kinds, new in zip(names, _LEVELS, _NEW_CLASSES) if name.strip()]


def map_row(cells: dict[str, str]) -> EventRecord:
    """Map one ACLED row to an :class:`EventRecord`; raise RowRejected saying why not."""
    event_id = cells["event_id_cnty"].strip()
    if not event_id:
        raise RowRejected("event_id_cnty: missing event id")
    record = EventRecord(event_id, IRI(ID + "event/acled-" + id_part(event_id)), place_levels=place_levels)

    when = parse_event_date(cells["event_date"])  # no date at all: nothing to place the event in time
    precision = record.kept(parse_int, cells["time_precision"], "time_precision", what="precision unknown")
    if precision is not None and precision not in _TIME_PREC:
        record.note(f"time_precision: unknown precision code {precision} (expected 1..3); precision unknown")
        precision = None
    shown_date, date_facts = _date_facts(when, precision)
    year = record.kept(parse_int, cells["year"], "year")
    if year is not None and year != when.year:
        record.note(f"year {year} does not match event_date {when}; the date is kept as given")
    geo = record.kept(parse_int, cells["geo_precision"], "geo_precision", what="location precision unknown")
    if geo is not None and geo not in _GEO_PREC:
        record.note(f"geo_precision: unknown precision code {geo} (expected 1..3); location precision unknown")
        geo = None
    fatalities = record.kept(parse_int, cells["fatalities"], "fatalities")
    latitude, longitude = kept_point(record, cells["latitude"], cells["longitude"])
    stamp = record.kept(_timestamp, cells.get("timestamp", ""))
    actor1, actor2 = cells["actor1"].strip(), cells["actor2"].strip()
    if not actor1:
        record.note("actor1: missing actor; the event has no side A")
    kind1 = record.kept(_inter, cells["inter1"], "inter1", False, what="a new actor is an armed group") \
        or CG.ArmedGroup
    kind2 = record.kept(_inter, cells["inter2"], "inter2", not actor2, what="a new actor is an armed group") \
        or CG.ArmedGroup

    kind_of_event, type_facts, record.shared = _types(cells.get("disorder_type", ""), cells["event_type"],
                                                      cells["sub_event_type"])
    facts = record.facts
    facts += type_facts
    location = cells["location"].strip() or cells["admin1"].strip() or cells["country"].strip()
    facts.append(_LABEL + " " + nt_lang(f"{kind_of_event} in {location} ({shown_date})"))
    facts += date_facts
    record.bounds = bound_facts(date_facts)
    if fatalities is not None:
        facts.append(_BEST + " " + (_INTEGERS[fatalities] if fatalities < 1000
                                    else nt_literal(str(fatalities), XSD + "integer")))
    record.add(_SOURCE, nt_text(cells["source"]))
    record.add(_NOTES, nt_text(cells.get("notes", "")))
    if stamp:
        record.modified = stamp[0]
        facts.append(stamp[1])

    actors = record.actors
    if actor1:
        actors.append(ActorRef(actor1, _SIDE_A, kind1))
    if cells["assoc_actor_1"].strip():
        actors += [ActorRef(name, _ASSOCIATED, kind1) for name in _split(cells["assoc_actor_1"])]
    if actor2:
        actors.append(ActorRef(actor2, _SIDE_B, kind2))
    if cells["assoc_actor_2"].strip():
        actors += [ActorRef(name, _SIDE_B, kind2) for name in _split(cells["assoc_actor_2"])]

    names = (cells["country"], cells["admin1"], cells["admin2"], cells["admin3"], cells["location"])
    record.place_names = names[:2] if geo == 3 else names
    if latitude is not None:
        how = _GEO_HOW[geo] if geo is not None else "ACLED geo_precision unknown"
        record.geometry = (f"POINT({longitude:g} {latitude:g})", how)
    return record


def _split(cell: str) -> list[str]:
    return [name.strip() for name in cell.split(";") if name.strip()]


DATASET = DatasetSpec(
    key="acled",
    title="ACLED",
    required=REQUIRED,
    id_column="event_id_cnty",
    map_row=map_row,
    metadata=(
        (RDF_TYPE, IRI(CG.Source)),
        (DCT + "title", Literal("Armed Conflict Location & Event Data (ACLED)", lang="en")),
        (DCT + "publisher", Literal("ACLED (Armed Conflict Location & Event Data)", lang="en")),
        (DCT + "license", IRI("https://acleddata.com/terms-of-use/")),
        (DCT + "bibliographicCitation", Literal(
            "Raleigh, Clionadh, Andrew Linke, Havard Hegre and Joakim Karlsen (2010). Introducing ACLED: "
            "An Armed Conflict Location and Event Dataset. Journal of Peace Research 47(5): 651-660. "
            "Cite also the export date.", lang="en")),
        (CG.url, Literal("https://acleddata.com/", XSD + "anyURI")),
        (CG.sourceKind, Literal("event dataset", XSD + "string")),
    ),
    other_formats=(("type_of_violence", "UCDP GED"),),
)
