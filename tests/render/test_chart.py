"""The timeline chart (render.chart): one bar per period, kind and panel, as tall as its count."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import defaultdict

import pytest

from conflictgraph.api import ConflictGraph
from conflictgraph.errors import UsageError
from conflictgraph.importers import import_events
from conflictgraph.render.chart import PANEL_HEIGHT, Timeline

from conftest import FIXTURES, run_cli as run

SVG = "{http://www.w3.org/2000/svg}"


def bars(svg: str) -> dict[tuple[str, str], dict[str, ET.Element]]:
    """The chart's bars by (panel, kind), then by period."""
    found: dict[tuple[str, str], dict[str, ET.Element]] = defaultdict(dict)
    for rect in ET.fromstring(svg).iter(SVG + "rect"):
        classes = rect.get("class", "").split()
        if classes[:1] == ["bar"]:
            found[classes[1], classes[2]][rect.get("data-period")] = rect
    return found


def assert_chart_matches(svg: str, rows: list[dict]) -> None:
    """Every non-zero count of the table is one bar; heights are proportional, stacked, on the axis."""
    drawn = bars(svg)
    for panel, suffix in (("events", ""), ("fatalities", "_fatalities")):
        scales = set()
        for kind in ("curated", "imported"):
            expected = {r["period"]: r[kind + suffix] for r in rows if r[kind + suffix] > 0}
            assert {p: int(b.get("data-value")) for p, b in drawn[panel, kind].items()} == expected
            scales |= {round(float(drawn[panel, kind][p].get("height")) / v, 2) for p, v in expected.items()}
        assert len(scales) == 1, f"{panel}: bar heights are not proportional to the counts: {scales}"
        tallest = max(r["curated" + suffix] + r["imported" + suffix] for r in rows)
        assert PANEL_HEIGHT / 2 < tallest * scales.pop() <= PANEL_HEIGHT + 0.01
        for period, upper in drawn[panel, "imported"].items():  # imported sits on top of curated
            lower = drawn[panel, "curated"].get(period)
            if lower is not None:
                assert float(upper.get("y")) + float(upper.get("height")) == pytest.approx(float(lower.get("y")))


def test_the_chart_draws_the_timeline_of_curated_and_imported_events(bundled_copy):
    store = bundled_copy()
    import_events(store, "acled", FIXTURES / "acled" / "acled.csv")
    timeline = ConflictGraph(store).timeline(by="month")
    rows = timeline.rows
    assert any(r["curated"] for r in rows) and any(r["imported"] for r in rows)
    assert all(r["fatalities"] == r["curated_fatalities"] + r["imported_fatalities"] for r in rows)
    assert all(r["events"] == r["curated"] + r["imported"] for r in rows)
    chart = timeline.chart()
    assert chart._repr_svg_() == chart.svg
    assert_chart_matches(chart.svg, rows)
    labels = [t.text for t in ET.fromstring(chart.svg).iter(SVG + "text") if t.get("class") == "period"]
    assert labels == [r["period"] for r in rows]


def test_text_in_a_chart_is_escaped():
    hostile = '</text><script>alert(1)</script><a href="javascript:alert(2)">'
    svg = Timeline([{"period": hostile, "curated": 1, "curated_fatalities": 2}], title=hostile).chart().svg
    root = ET.fromstring(svg)  # still well-formed
    assert not [e for e in root.iter() if e.tag in (SVG + "script", SVG + "a", "script", "a")]
    assert [t.text for t in root.iter(SVG + "text")].count(hostile) == 2
    assert bars(svg)["events", "curated"][hostile].get("data-value") == "1"


def test_a_chart_is_written_as_svg_only(tmp_path):
    chart = Timeline([], title="none").chart()
    assert "No events" in chart.save(tmp_path / "t.svg").read_text()
    with pytest.raises(UsageError, match="SVG"):
        chart.save(tmp_path / "t.png")


def test_timeline_plot_writes_the_chart_of_the_table_it_prints(tmp_path):
    store = str(tmp_path / "store")
    assert run("build", "--no-bundled", "--store", store).exit_code == 0
    imported = run("import", "ucdp", str(FIXTURES / "ucdp" / "ged.csv"), "--store", store,
                   "--rejects", str(tmp_path / "rejects.csv"))
    assert "10 imported" in imported.output  # and rows rejected on purpose
    plot = tmp_path / "timeline.svg"
    result = run("timeline", "--store", store, "--by", "week", "--format", "json", "--plot", str(plot))
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert sum(r["imported"] for r in rows) == 10 and sum(r["imported_fatalities"] for r in rows) == 81
    assert_chart_matches(plot.read_text(), rows)
    refused = run("timeline", "--store", store, "--plot", str(tmp_path / "t.png"))
    assert refused.exit_code == 2 and "SVG" in refused.output
