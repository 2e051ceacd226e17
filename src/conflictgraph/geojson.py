"""Moved: GeoJSON output is :mod:`conflictgraph.render.geojson` (this name goes in a later release)."""
import warnings

from conflictgraph.render.geojson import wkt_point, write_geojson

warnings.warn("conflictgraph.geojson moved to conflictgraph.render.geojson", DeprecationWarning, stacklevel=2)

__all__ = ["write_geojson", "wkt_point"]
