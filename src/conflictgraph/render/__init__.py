"""Writing results for people and other tools: rows as tables, CSV, JSON (``rows``), an entity
description as text (``show``), places and events as GeoJSON (``geojson``).
"""
