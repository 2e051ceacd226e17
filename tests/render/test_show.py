"""show lists the events of an actor with few; with many, counts them per year and lists a page
on request; it sums up the actors it fought against and alongside."""
from __future__ import annotations

import io

import pytest

from conflictgraph.errors import UsageError
from conflictgraph.render.show import EVENTS_PER_PAGE, render_show


def _report(events: int, counterparts: list[dict] | None = None) -> dict:
    return {"label": "Actor", "iri": "https://w3id.org/conflictgraph/id/actor/x", "types": [], "aliases": [],
            "definition": None, "relationships": [], "places": [], "statements": [], "claims": [],
            "counterparts": counterparts or [],
            "events": sorted(({"date": f"{2020 + i % 3}-01-0{1 + i % 9}", "label": f"event {i}", "event": f"e{i}",
                               "types": ["cg:Battle"], "how": ["side A"], "place": None, "statements": []}
                              for i in range(events)), key=lambda e: e["date"])}


def _text(report: dict, page: int | None = None) -> str:
    out = io.StringIO()
    render_show(report, out, markdown=True, events_page=page)
    return out.getvalue()


def test_many_events_are_counted_per_year_and_listed_only_on_request():
    text = _text(_report(250))
    assert "250 events, first 2020-01-01, last 2022-01-09; per year: 2020 84, 2021 83, 2022 83" in text
    assert text.count("(Battle; side A)") == 0 and "--page N of 3" in text
    page_three = _text(_report(250), page=3)
    assert page_three.count("(Battle; side A)") == 250 - 2 * EVENTS_PER_PAGE
    assert "page 3 of 3: events 201 to 250" in page_three and "--page 4" not in page_three
    assert "--page 2 for the next" in _text(_report(250), page=1)
    with pytest.raises(UsageError, match="past the last page"):
        _text(_report(250), page=4)


def test_few_events_are_listed():
    assert _text(_report(12)).count("(Battle; side A)") == 12


def test_opponents_and_allies_with_counts_deaths_and_dates():
    text = _text(_report(0, [
        {"relation": "opponent", "label": "Army", "iri": "a", "events": 12, "deaths": 1034, "first": "2019-03-13",
         "last": "2021-07-05"},
        {"relation": "ally", "label": "Militia", "iri": "m", "events": 1, "deaths": None, "first": "2020-01-01",
         "last": "2020-01-01"}]))
    assert "## Fought against\n\n- Army: 12 events, 1,034 deaths, 2019-03-13 .. 2021-07-05" in text
    assert "## Fought alongside\n\n- Militia: 1 event, deaths unknown, 2020-01-01\n" in text
