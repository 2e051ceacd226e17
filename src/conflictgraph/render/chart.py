"""The timeline as a chart: events and fatalities per period, curated and imported apart, as SVG.

Drawn by this module's own few lines (no plotting library): two panels sharing the periods,
events above and fatalities below, each bar stacked from curated (bottom) and imported (top)
counts, on an axis from 0 to a round number. Every bar is a ``<rect>`` with a class naming
its panel and kind (``bar events curated``), its period and value as ``data-`` attributes and
a ``<title>`` for the tooltip, so the chart can be read back by a program as well as by eye.

Safety: every piece of text (the title, period labels) is XML-escaped, and the SVG holds no
script, link, style sheet or anything fetched from elsewhere.

Examples
--------
>>> rows = [{"period": "2023-10", "curated": 2, "imported": 1, "curated_fatalities": 5, "imported_fatalities": 0},
...         {"period": "2023-11", "curated": 0, "imported": 4, "curated_fatalities": 0, "imported_fatalities": 9}]
>>> svg = timeline_svg(rows, title="Events <by> month")
>>> svg.count('class="bar events imported"'), svg.count('class="bar fatalities curated"')
(2, 1)
>>> "Events &lt;by&gt; month" in svg, "<script" in svg
(True, False)
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr
from xml.sax.saxutils import escape as _escape

from conflictgraph.errors import UsageError
from conflictgraph.query.results import Table

__all__ = ["Chart", "Timeline", "timeline_svg", "axis_top", "PANEL_HEIGHT"]

PANEL_HEIGHT = 160  # pixels from an axis' 0 to its top value
_KINDS = (("curated", "#4e79a7"), ("imported", "#f28e2b"))
_PANELS = (("events", "Events", ""), ("fatalities", "Fatalities", "_fatalities"))
_LEFT, _RIGHT, _TOP, _GAP, _LABELS = 56, 16, 70, 44, 70
_FONT = 'font-family="sans-serif" font-size="11"'


def _text(value: object) -> str:
    """Text as SVG element content: ``&``, ``<`` and ``>`` escaped."""
    return _escape(str(value))


def axis_top(largest: int) -> tuple[int, int]:
    """The axis' top value (a whole number of round steps at or above ``largest``) and its step.

    >>> axis_top(0), axis_top(7), axis_top(79), axis_top(1200)
    ((1, 1), (8, 2), (80, 20), (1500, 500))
    """
    if largest <= 0:
        return 1, 1
    rough = largest / 4
    magnitude = 10 ** max(0, math.floor(math.log10(rough))) if rough >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    return step * math.ceil(largest / step), step


def timeline_svg(rows: Sequence[dict], *, title: str | None = None) -> str:
    """The SVG text of a timeline chart of ``rows`` (those of :func:`conflictgraph.query.timeline.timeline_rows`).

    >>> "No events" in timeline_svg([])
    True
    """
    count = len(rows)
    slot = max(6.0, min(36.0, 960 / max(count, 1)))
    width = round(_LEFT + slot * max(count, 8) + _RIGHT)
    height = _TOP + 2 * PANEL_HEIGHT + _GAP + _LABELS
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" {_FONT}>',
             f'<rect width="{width}" height="{height}" fill="#ffffff"/>']
    if title:
        parts.append(f'<text x="{_LEFT}" y="18" font-size="14" font-weight="bold">{_text(title)}</text>')
    x = _LEFT
    for kind, colour in _KINDS:
        parts.append(f'<rect x="{x}" y="28" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{x + 14}" y="37">{kind}</text>')
        x += 80
    if not rows:
        parts.append(f'<text x="{_LEFT}" y="{_TOP + PANEL_HEIGHT // 2}">No events</text></svg>')
        return "".join(parts)
    for index, (panel, heading, suffix) in enumerate(_PANELS):
        base = _TOP + PANEL_HEIGHT + index * (PANEL_HEIGHT + _GAP)
        parts.extend(_panel(rows, panel, heading, suffix, base=base, slot=slot, right=width - _RIGHT))
    label_every = math.ceil(count / 40)
    baseline = _TOP + 2 * PANEL_HEIGHT + _GAP
    for position, row in enumerate(rows):
        if position % label_every:
            continue
        cx = _LEFT + slot * (position + 0.5)
        parts.append(f'<text class="period" x="{cx:.1f}" y="{baseline + 12}" text-anchor="end" '
                     f'transform="rotate(-45 {cx:.1f} {baseline + 12})">{_text(row["period"])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _panel(rows: Sequence[dict], panel: str, heading: str, suffix: str, *, base: float, slot: float,
           right: float) -> list[str]:
    """One panel: its axis, grid lines and stacked bars, with its 0 at ``base``."""
    top, step = axis_top(max((sum(int(row.get(kind + suffix) or 0) for kind, _ in _KINDS) for row in rows),
                             default=0))
    scale = PANEL_HEIGHT / top
    parts = [f'<text x="{_LEFT}" y="{base - PANEL_HEIGHT - 8}" font-weight="bold">{heading}</text>']
    for value in range(0, top + 1, step):
        y = base - value * scale
        parts.append(f'<line x1="{_LEFT}" x2="{right}" y1="{y:.2f}" y2="{y:.2f}" stroke="#dddddd"/>'
                     f'<text class="tick {panel}" x="{_LEFT - 4}" y="{y + 4:.2f}" text-anchor="end">{value}</text>')
    for position, row in enumerate(rows):
        y = float(base)
        for kind, colour in _KINDS:
            value = int(row.get(kind + suffix) or 0)
            if value <= 0:
                continue
            tall = value * scale
            y -= tall
            words = f"{row['period']}: {value} {kind} {panel}"
            parts.append(f'<rect class="bar {panel} {kind}" data-period={quoteattr(str(row["period"]))} '
                         f'data-value="{value}" x="{_LEFT + slot * (position + 0.15):.2f}" y="{y:.2f}" '
                         f'width="{slot * 0.7:.2f}" height="{tall:.2f}" fill="{colour}">'
                         f'<title>{_text(words)}</title></rect>')
    parts.append(f'<line x1="{_LEFT}" x2="{right}" y1="{base}" y2="{base}" stroke="#333333"/>')
    return parts


@dataclass(frozen=True)
class Chart:
    """An SVG chart: shown by a notebook (``_repr_svg_``), written by :meth:`save`.

    >>> Chart("<svg/>")._repr_svg_()
    '<svg/>'
    """

    svg: str

    def __repr__(self) -> str:
        return f"<Chart: {len(self.svg)} characters of SVG>"

    def _repr_svg_(self) -> str:
        return self.svg

    def save(self, path: str | Path) -> Path:
        """Write the SVG to ``path`` (a ``.svg`` file) and return the path."""
        path = Path(path)
        if path.suffix.lower() != ".svg":
            raise UsageError(f"a chart is written as SVG: name the file .svg, not {path.name!r}")
        try:
            path.write_text(self.svg, encoding="utf-8")
        except OSError as err:
            raise UsageError(f"cannot write {path}: {err.strerror}") from None
        return path


class Timeline(Table):
    """The rows of a timeline (a :class:`~conflictgraph.query.results.Table`) that can draw themselves.

    >>> Timeline([{"period": "2023", "curated": 1}], title="Events per year").chart().svg.count("bar events")
    1
    """

    def chart(self, title: str | None = None) -> Chart:
        """The chart of these rows: events and fatalities per period, curated and imported apart."""
        return Chart(timeline_svg(self.rows, title=title if title is not None else self.title))
