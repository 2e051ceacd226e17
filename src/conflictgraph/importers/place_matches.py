"""Propose which places of the imported datasets are one place (``conflictgraph reconcile --places``).

Two datasets name one district differently ("Alder district" in UCDP, "Alder" in ACLED), and
the importer makes a node for each hierarchy it does not know, so a district can end as two
nodes. Two places are proposed as one when

- their names are the same after folding case, accents and punctuation, and dropping a trailing
  level word ("district", "province", "town" ...);
- they sit at the same level (country; state or region; district or township; a town, village
  or other location);
- their parents are the same place, or are themselves proposed as one (so a district is proposed
  with its province); and
- the events recorded at each (and at the places within it) lie near each other: within a
  distance that fits the level (10 km for a location, 60 km for a township, 150 km for a
  district, 500 km for a state or region), when both have coordinates.

Each proposal comes with its evidence in words and the ``owl:sameAs`` line that confirms it (see
:mod:`conflictgraph.build.matches`): the node with more events stays, a curated node always.

Examples
--------
>>> place_key("Alder District"), place_key("alder")
('alder', 'alder')
>>> round(distance_km((10.5, -20.25), (10.52, -20.27)), 1)
3.1
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from conflictgraph.build.matches import made_by_imports
from conflictgraph.importers.reconcile import PLACE_SUFFIXES
from conflictgraph.query.resolve import fold
from conflictgraph.rdf.namespaces import CG, DATASET_GRAPHS, SPARQL_PREFIXES, shorten
from conflictgraph.rdf.terms import lexical
from conflictgraph.store.base import Store

__all__ = ["place_key", "distance_km", "place_proposals", "LEVEL_WORDS"]

# Trailing words that name a place's level rather than the place.
LEVEL_WORDS = PLACE_SUFFIXES + ("province", "county")  # the importer's, and two more a proposal may drop

# The level of each place class (a district and a township compare with each other: UCDP's adm_2
# is either), and how far apart the events of two places of that level may lie.
_LEVELS = {CG.Country: 0, CG.StateRegion: 1, CG.District: 2, CG.Township: 2}
_LOCATION = 3
_NEAR_KM = {0: math.inf, 1: 500.0, 2: 150.0, _LOCATION: 10.0}
_LEVEL_NAMES = {0: "country", 1: "state or region", 2: "district or township", _LOCATION: "location"}

_PLACES = SPARQL_PREFIXES + """
SELECT ?place ?name ?kind ?parent ?g WHERE {
  GRAPH ?g { ?place skos:prefLabel ?name }
  ?place a ?kind . ?kind rdfs:subClassOf* cg:Place .
  OPTIONAL { ?place cg:locatedIn ?parent }
}"""

_POINTS = SPARQL_PREFIXES + """
SELECT ?place ?wkt (COUNT(?event) AS ?events) WHERE {
  GRAPH ?g { ?event cg:place ?place }
  OPTIONAL { ?event geo:hasGeometry/geo:asWKT ?wkt }
} GROUP BY ?place ?wkt"""

_POINT = re.compile(r"POINT\s*\(\s*(-?[0-9.]+)\s+(-?[0-9.]+)\s*\)", re.I)


def place_key(name: str) -> str:
    """A place name's comparison key: folded, a trailing level word dropped."""
    words = name.split()
    if len(words) > 1 and words[-1].lower() in LEVEL_WORDS:
        words = words[:-1]
    return fold(" ".join(words))


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The great-circle distance between two (latitude, longitude) points, in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


@dataclass
class _Place:
    iri: str
    name: str
    level: int
    dataset: str  # the dataset key, or "curated"
    parents: set[str] = field(default_factory=set)
    events: int = 0
    points: list[tuple[float, float, int]] = field(default_factory=list)  # (lat, lon, events)

    def centre(self) -> tuple[float, float] | None:
        weight = sum(n for _lat, _lon, n in self.points)
        if not weight:
            return None
        return (sum(lat * n for lat, _lon, n in self.points) / weight,
                sum(lon * n for _lat, lon, n in self.points) / weight)


def _read_places(store: Store) -> dict[str, _Place]:
    places: dict[str, _Place] = {}
    for row in store.query(_PLACES).rows:
        iri, graph = str(row["place"]), str(row["g"])
        level = _LEVELS.get(str(row["kind"]), _LOCATION)
        place = places.setdefault(iri, _Place(iri, str(row["name"]), level, "curated"))
        place.level = min(place.level, level)  # a place typed cg:Place and cg:District is a district
        if graph.startswith(DATASET_GRAPHS) and place.dataset == "curated" and made_by_imports(iri):
            place.dataset = graph.removeprefix(DATASET_GRAPHS)
        if row["parent"] is not None:
            place.parents.add(str(row["parent"]))
    for row in store.query(_POINTS).rows:
        at = places.get(str(row["place"]))
        if at is None:
            continue
        events = int(lexical(row["events"]))
        at.events += events
        point = _POINT.match(lexical(row["wkt"])) if row["wkt"] is not None else None
        if point:
            at.points.append((float(point.group(2)), float(point.group(1)), events))
    _roll_up(places)
    return places


def _roll_up(places: dict[str, _Place]) -> None:
    """Count each place's events and points for every place that holds it too."""
    direct = {iri: (place.events, list(place.points)) for iri, place in places.items()}
    for iri, (events, points) in direct.items():
        seen, todo = {iri}, list(places[iri].parents)
        while todo:
            above = todo.pop()
            if above in seen or above not in places:
                continue
            seen.add(above)
            places[above].events += events
            places[above].points += points
            todo += places[above].parents


def place_proposals(store: Store) -> list[dict]:
    """Pairs of places that are likely one, top level first, each with its evidence and the
    ``owl:sameAs`` line that confirms it (keys: place, name, dataset, events, same_as,
    same_as_name, same_as_dataset, evidence, line)."""
    places = _read_places(store)
    names = {iri: place.name for iri, place in places.items()}
    groups: dict[tuple[int, str], list[_Place]] = {}
    for place in places.values():
        groups.setdefault((place.level, place_key(place.name)), []).append(place)
    same: dict[tuple[str, str], list[str]] = {}  # proposed pairs (sorted IRIs) -> evidence
    for (level, _key), group in sorted(groups.items(), key=lambda item: item[0]):
        group.sort(key=lambda p: p.iri)
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                evidence = _evidence(a, b, level, same, names)
                if evidence is not None:
                    same[(a.iri, b.iri)] = evidence
    return [_proposal(places[a], places[b], evidence) for (a, b), evidence in same.items()]


def _evidence(a: _Place, b: _Place, level: int, same: dict[tuple[str, str], list[str]],
              names: dict[str, str]) -> list[str] | None:
    """Why ``a`` and ``b`` (same level, same name key) are likely one place, or None."""
    if not (made_by_imports(a.iri) or made_by_imports(b.iri)):
        return None  # two curated places: the graph folder decides
    name = "same name" if a.name == b.name else f"same name after normalisation ({a.name} = {b.name})"
    evidence = [name, f"both a {_LEVEL_NAMES[level]}"]
    if a.parents or b.parents:
        shared = a.parents & b.parents
        proposed = [(p, q) for p in a.parents for q in b.parents if tuple(sorted((p, q))) in same]
        if shared:
            parent = sorted(shared)[0]
            evidence.append(f"same parent ({names.get(parent, shorten(parent))})")
        elif proposed:
            first, second = (names.get(x, shorten(x)) for x in proposed[0])
            evidence.append(f"parents proposed as one ({first} = {second})")
        else:
            return None
    centres = a.centre(), b.centre()
    if centres[0] is not None and centres[1] is not None:
        km = distance_km(centres[0], centres[1])
        if km > _NEAR_KM[level]:
            return None
        evidence.append(f"their events lie {km:.1f} km apart")
    return evidence


def _proposal(a: _Place, b: _Place, evidence: list[str]) -> dict:
    goes, stays = sorted((a, b), key=lambda p: (not made_by_imports(p.iri), p.events, p.iri))
    return {"place": goes.iri, "name": goes.name, "dataset": goes.dataset, "events": goes.events,
            "same_as": stays.iri, "same_as_name": stays.name, "same_as_dataset": stays.dataset,
            "evidence": "; ".join(evidence),
            "line": f"{shorten(goes.iri)} owl:sameAs {shorten(stays.iri)} ."}
