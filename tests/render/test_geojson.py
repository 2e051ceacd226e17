"""GeoJSON output (render.geojson): every place and event with coordinates, imported events included."""
from __future__ import annotations

import io
import json

from conflictgraph.importers import import_events
from conflictgraph.render.geojson import write_geojson

from conftest import FIXTURES


def test_geojson_has_events_and_places(bundled_copy):
    store = bundled_copy()
    import_events(store, "acled", FIXTURES / "acled" / "acled.csv")
    out = io.StringIO()
    counts = write_geojson(store, out)
    data = json.loads(out.getvalue())
    assert data["type"] == "FeatureCollection" and len(data["features"]) == counts["events"] + counts["places"]
    by_id = {f["properties"]["id"]: f for f in data["features"]}
    event = by_id["https://w3id.org/conflictgraph/id/event/acled-MMR1002"]
    assert event["geometry"] == {"type": "Point", "coordinates": [97.2094, 19.6742]}
    assert event["properties"]["located"] == "event" and event["properties"]["fatalities"] == 3
    assert by_id["https://w3id.org/conflictgraph/id/place/loikaw"]["properties"]["kind"] == "place"
