"""Events and places with coordinates as a GeoJSON FeatureCollection, for a map.

Every place with a ``geo:hasGeometry/geo:asWKT`` point becomes a feature (``kind`` "place");
every event with a point of its own, or else at a place with one, becomes a feature (``kind``
"event", ``located`` "event" or "place" saying where the point comes from). Only WKT points
are written (GeoJSON wants [longitude, latitude], as WKT writes them); other shapes are skipped.
Labels and other text are JSON strings, never markup.

Examples
--------
>>> import io, json
>>> from conflictgraph.build import build_store
>>> store, _ = build_store(":memory:")
>>> out = io.StringIO()
>>> counts = write_geojson(store, out)
>>> data = json.loads(out.getvalue())
>>> data["type"], counts["places"] > 0
('FeatureCollection', True)
"""
from __future__ import annotations

import json
import re
from typing import IO

from conflictgraph.namespaces import SPARQL_PREFIXES, shorten
from conflictgraph.store.base import Store
from conflictgraph.terms import as_python

__all__ = ["write_geojson", "wkt_point"]

_POINT = re.compile(r"^\s*(?:<[^>]*>\s*)?POINT\s*\(\s*(-?[\d.]+(?:[eE]-?\d+)?)\s+(-?[\d.]+(?:[eE]-?\d+)?)\s*\)\s*$",
                    re.IGNORECASE)

_PLACES = SPARQL_PREFIXES + """
SELECT ?place ?label ?type ?wkt WHERE {
  ?place geo:hasGeometry/geo:asWKT ?wkt ; a ?type . ?type rdfs:subClassOf* cg:Place .
  OPTIONAL { ?place skos:prefLabel ?label }
} ORDER BY ?place"""

_EVENTS = SPARQL_PREFIXES + """
SELECT ?event ?label ?type ?date ?best ?place ?placeLabel ?ownWkt ?placeWkt ?precision ?source WHERE {
  ?event a ?type . ?type rdfs:subClassOf* cg:Event .
  OPTIONAL { ?event geo:hasGeometry ?g . ?g geo:asWKT ?ownWkt OPTIONAL { ?g cg:locationPrecision ?precision } }
  OPTIONAL { ?event cg:place ?place . OPTIONAL { ?place skos:prefLabel ?placeLabel }
             OPTIONAL { ?place geo:hasGeometry/geo:asWKT ?placeWkt } }
  FILTER (BOUND(?ownWkt) || BOUND(?placeWkt))
  OPTIONAL { ?event skos:prefLabel ?label }
  OPTIONAL { ?event cg:date ?date }
  OPTIONAL { ?event cg:fatalitiesBest ?best }
  OPTIONAL { ?event cg:source ?source }
} ORDER BY ?event"""


def wkt_point(wkt: str) -> tuple[float, float] | None:
    """(longitude, latitude) of a WKT point, or None for other shapes.

    >>> wkt_point("POINT(97.2094 19.6742)")
    (97.2094, 19.6742)
    """
    match = _POINT.match(wkt)
    if not match:
        return None
    return float(match.group(1)), float(match.group(2))


def _text(term) -> object:
    return None if term is None else as_python(term)


def write_geojson(store: Store, out: IO[str]) -> dict[str, int]:
    """Write a FeatureCollection of places and events with points to ``out``; return the counts.

    Features are written one at a time; returns ``{"places": n, "events": m, "skipped": k}``
    (k: geometries that are not WKT points).
    """
    counts = {"places": 0, "events": 0, "skipped": 0}
    out.write('{"type": "FeatureCollection", "features": [')
    first = True

    def feature(point: tuple[float, float], properties: dict) -> None:
        nonlocal first
        out.write(("\n" if first else ",\n") + json.dumps(
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": list(point)},
             "properties": properties}, ensure_ascii=False))
        first = False

    seen: set[str] = set()
    for row in store.query(_PLACES):
        if str(row["place"]) in seen:
            continue
        point = wkt_point(row["wkt"].value)
        if point is None:
            counts["skipped"] += 1
            continue
        seen.add(str(row["place"]))
        feature(point, {"id": str(row["place"]), "kind": "place", "label": _text(row["label"]),
                        "type": shorten(str(row["type"]))})
        counts["places"] += 1
    for row in store.query(_EVENTS):
        if str(row["event"]) in seen:
            continue
        own = wkt_point(row["ownWkt"].value) if row["ownWkt"] is not None else None
        point = own or (wkt_point(row["placeWkt"].value) if row["placeWkt"] is not None else None)
        if point is None:
            counts["skipped"] += 1
            continue
        seen.add(str(row["event"]))
        feature(point, {"id": str(row["event"]), "kind": "event", "label": _text(row["label"]),
                        "type": shorten(str(row["type"])), "date": _text(row["date"]),
                        "fatalities": _text(row["best"]), "place": _text(row["place"]),
                        "place_label": _text(row["placeLabel"]), "located": "event" if own else "place",
                        "precision": _text(row["precision"]) if own else None,
                        "source": _text(row["source"])})
        counts["events"] += 1
    out.write("\n]}\n")
    return counts
