"""show lists the first events of an actor with many, after a count per year; --events lists all."""
from __future__ import annotations

import io

from conflictgraph.render.show import render_show


def _report(events: int) -> dict:
    return {"label": "Actor", "iri": "https://w3id.org/conflictgraph/id/actor/x", "types": [], "aliases": [],
            "definition": None, "relationships": [], "places": [], "statements": [], "claims": [],
            "events": [{"date": f"{2020 + i % 3}-01-0{1 + i % 9}", "label": f"event {i}", "event": f"e{i}",
                        "types": ["cg:Battle"], "how": ["side A"], "place": None, "statements": []}
                       for i in range(events)]}


def test_many_events_are_counted_per_year_and_the_first_listed():
    out = io.StringIO()
    render_show(_report(30), out, markdown=True, events_shown=20)
    text = out.getvalue()
    assert "30 events; per year: 2020 10, 2021 10, 2022 10" in text
    assert text.count("(Battle; side A)") == 20
    assert "... and 10 more (--events lists them all)" in text


def test_all_events_when_asked_or_when_few():
    for events, shown in ((30, None), (12, 20)):
        out = io.StringIO()
        render_show(_report(events), out, markdown=True, events_shown=shown)
        assert out.getvalue().count("(Battle; side A)") == events and "more (--events" not in out.getvalue()
