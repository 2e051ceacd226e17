"""The server's HTML pages as functions, without a server (the server itself: test_serve.py)."""
from __future__ import annotations

from conflictgraph.serve import pages


def test_entity_page_lists_import_runs_escaped():
    run = {"started": "2026-11-29T05:00:28Z", "file": "<b>export</b>.csv", "hash": "sha256:" + "a" * 64, "read": 3,
           "imported": 2, "rejected": 1, "new": 2, "updated": 0, "unchanged": 0, "missing": 0}
    page = pages.entity_page({"iri": "https://w3id.org/conflictgraph/id/src/acled", "label": "ACLED", "aliases": [],
                              "types": [], "generic": False, "definition": None, "relationships": [], "places": [],
                              "events": [], "statements": [], "claims": [], "imports": [run]})
    assert "<h2>Imports (1)</h2>" in page and "&lt;b&gt;export&lt;/b&gt;.csv" in page and "<b>export" not in page
    assert "3 rows read = 2 imported + 1 rejected" in page
