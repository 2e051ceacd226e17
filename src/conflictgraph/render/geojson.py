"""Events and places with coordinates as a GeoJSON FeatureCollection, for a map.

Every place with a ``geo:hasGeometry/geo:asWKT`` point becomes a feature (``kind`` "place");
every event with a point of its own, or else at a place with one, becomes a feature (``kind``
"event", ``located`` "event" or "place" saying where the point comes from). Only WKT points
are written (GeoJSON wants [longitude, latitude], as WKT writes them); other shapes are skipped.
Labels and other text are JSON strings, never markup.

Examples
--------
>>> import io, json
>>> from conflictgraph.build.pipeline import build_store
>>> store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
>>> out = io.StringIO()
>>> counts = write_geojson(store, out)
>>> data = json.loads(out.getvalue())
>>> data["type"], sorted(counts)
('FeatureCollection', ['events', 'places', 'skipped'])
"""
from __future__ import annotations

import io
import json
import re
from typing import IO

from conflictgraph.rdf.namespaces import SPARQL_PREFIXES, shorten
from conflictgraph.rdf.terms import as_python, lexical
from conflictgraph.store.base import Store

__all__ = ["write_geojson", "write_geojson_bytes", "wkt_point"]

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
        point = wkt_point(lexical(row["wkt"]))
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
        own = wkt_point(lexical(row["ownWkt"])) if row["ownWkt"] is not None else None
        point = own or (wkt_point(lexical(row["placeWkt"])) if row["placeWkt"] is not None else None)
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


def write_geojson_bytes(store: Store, out: IO[bytes]) -> dict[str, int]:
    """Write the store's places and events with points as a GeoJSON FeatureCollection (UTF-8)
    to the binary stream ``out``; return the counts (see :func:`conflictgraph.render.geojson.write_geojson`).

    >>> import io, json
    >>> from conflictgraph.build.pipeline import build_store
    >>> store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
    >>> buf = io.BytesIO(); counts = write_geojson_bytes(store, buf)
    >>> len(json.loads(buf.getvalue())["features"]) == counts["places"] + counts["events"]
    True
    """
    text = io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=True)
    try:
        return write_geojson(store, text)
    finally:
        text.flush()
        text.detach()  # leave ``out`` open for the caller
