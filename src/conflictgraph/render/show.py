"""Render the report of :func:`conflictgraph.query.describe.describe` as readable text or Markdown.

All text from the graph is printed as plain text (rich markup in labels is never interpreted).

Examples
--------
>>> import io
>>> out = io.StringIO()
>>> render_show({"iri": "x", "label": "[b]X[/b]", "aliases": [], "types": ["cg:Actor"], "generic": False,
...              "definition": None, "relationships": [], "places": [], "events": [],
...              "statements": [], "claims": []}, out, markdown=True)
>>> out.getvalue().splitlines()[0]
'# [b]X[/b]'
"""
from __future__ import annotations

from typing import IO

from conflictgraph.errors import UsageError

__all__ = ["render_show", "import_line", "events_shown", "FEW_EVENTS", "EVENTS_PER_PAGE"]

FEW_EVENTS = 20  # events listed without asking; beyond, a count per year and pages on request
EVENTS_PER_PAGE = 100


def _evidence_lines(statements: list[dict]) -> list[str]:
    lines = []
    for s in statements:
        who = s.get("speaker") or ""
        if s.get("on_behalf_of") and s.get("on_behalf_of") != who:
            who = f"{who} for {s['on_behalf_of']}" if who else s["on_behalf_of"]
        who = who or "the report"
        text = s.get("summary") or ""
        if s.get("quote"):
            text += f' "{s["quote"]}"'
        cite = f" {s['citation']}" if s.get("citation") else ""
        lines.append(f"{who}, {s.get('date') or 'date unknown'}, in {s['source']}{cite}: {text}".rstrip(": "))
    return lines


def _relationship_line(rel: dict) -> str:
    others = "; ".join(f"{o['property'].split(':')[-1]} {o['value']}" for o in rel["with"])
    when = ""
    if rel.get("start") or rel.get("end"):
        when = f" [{rel.get('start') or '?'} .. {rel.get('end') or ''}]"
    return f"{rel['type'].split(':')[-1]} (as {rel['role'].split(':')[-1]}): {others}{when}"


def _claim_line(c: dict) -> str:
    value = c.get("value")
    if value is not None and c.get("valueMax") is not None:
        value = f"{value}-{c['valueMax']}"
    what = " ".join(str(x) for x in (c.get("comparatorLabel"), value, c.get("quantityLabel")) if x is not None)
    if c.get("dateValue"):
        what = f"{c.get('quantityLabel') or 'date'}: {c['dateValue']}"
    if c.get("proposition") and not what:
        what = c["proposition"]
    parts = [what or "(claim)"]
    if c.get("aboutLabel"):
        parts.append(f"about {c['aboutLabel']}")
    if c.get("claimantLabel"):
        parts.append(f"claimed by {c['claimantLabel']}")
    if c.get("asOf"):
        parts.append(f"as of {c['asOf']}")
    if c.get("statusLabel"):
        parts.append(f"({c['statusLabel']})")
    return " ".join(parts)


def import_line(run: dict) -> str:
    """One import run of a dataset: when, which file (its hash cut to 12 digits; JSON has it whole),
    what it did.

    >>> import_line({"started": "2026-11-29T05:00:28Z", "file": "acled.csv", "hash": "sha256:6ccd98d9f6c6ac91",
    ...              "read": 14, "imported": 8, "rejected": 6, "new": 8, "updated": 0, "unchanged": 0,
    ...              "missing": 0})  # doctest: +NORMALIZE_WHITESPACE
    '2026-11-29T05:00:28Z acled.csv (sha256:6ccd98d9f6c6): 14 rows read = 8 imported + 6 rejected;
     events 8 new, 0 updated, 0 unchanged, 0 missing'
    """
    version = f", version {run['version']}" if run.get("version") else ""
    return (f"{run['started']} {run['file']} ({run['hash'][:len('sha256:') + 12]}{version}): {run['read']:,} rows "
            f"read = {run['imported']:,} imported + {run['rejected']:,} rejected; events {run['new']:,} new, "
            f"{run['updated']:,} updated, {run['unchanged']:,} unchanged, {run['missing']:,} missing")


def _fact_lines(facts: list[dict]) -> list[str]:
    """One line per property, its values joined: "side B: Military, Police"."""
    lines: dict[str, list[str]] = {}
    for fact in facts:
        shown = fact["value"] + (f" ({fact['iri']})" if fact["iri"] and fact["iri"] != fact["value"] else "")
        lines.setdefault(fact["name"], []).append(shown)
    return [f"{name}: {', '.join(values)}" for name, values in lines.items()]


def _sections(report: dict, events_page: int | None = None) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """(heading, [(line, [sub-lines])]) in display order."""
    sections = []
    facts: list[tuple[str, list[str]]] = [(f"IRI: {report['iri']}", []), (f"type: {', '.join(report['types'])}", [])]
    if report["aliases"]:
        facts.append((f"also called: {', '.join(report['aliases'])}", []))
    if report.get("definition"):
        facts.append((report["definition"], []))
    if report.get("generic"):
        facts.append(("generic actor (left out of network analyses unless asked for)", []))
    sections.append(("About", facts))
    if report.get("facts"):
        sections.append(("Facts", [(line, []) for line in _fact_lines(report["facts"])]))
    if report["relationships"]:
        sections.append(("Relationships", [(_relationship_line(r),
                                            [f"note {n}" for n in r.get("notes", [])]
                                            + _evidence_lines(r["statements"]))
                                           for r in report["relationships"]]))
    for relation, heading in (("opponent", "Fought against"), ("ally", "Fought alongside")):
        rows = [c for c in report.get("counterparts", []) if c["relation"] == relation]
        if rows:
            sections.append((heading, [(_counterpart_line(c), []) for c in rows]))
    if report["places"]:
        sections.append(("Places", [(f"{p['direction']} {p['place']}" + (f" ({p['type']})" if p["type"] else ""), [])
                                    for p in report["places"]]))
    if report["events"]:
        sections.append(("Events", _event_lines(report["events"], events_page)))
    if report["statements"]:
        sections.append(("Statements by it", [(line, []) for line in _evidence_lines(report["statements"])]))
    if report["claims"]:
        sections.append(("Claims", [(_claim_line(c), _evidence_lines(c["statements"])) for c in report["claims"]]))
    if report.get("imports"):
        sections.append(("Imports", [(import_line(run), []) for run in report["imports"]]))
    return sections


def _counterpart_line(c: dict) -> str:
    """'Name: 12 events, 30 deaths, 2019-03-13 .. 2021-07-05'."""
    deaths = f", {c['deaths']:,} deaths" if c["deaths"] is not None else ", deaths unknown"
    span = "" if not c["first"] else f", {c['first']}" + (f" .. {c['last']}" if c["last"] != c["first"] else "")
    return f"{c['label']}: {c['events']:,} event{'s' if c['events'] != 1 else ''}{deaths}{span}"


def events_shown(page: int | None) -> slice:
    """Which events, in date order, a report shows one by one: the first :data:`FEW_EVENTS`
    (all of them, when there are no more), or ``page`` (1, 2, ...) of :data:`EVENTS_PER_PAGE`.

    >>> events_shown(None), events_shown(2)
    (slice(0, 20, None), slice(100, 200, None))
    """
    if page is None:
        return slice(0, FEW_EVENTS)
    return slice((page - 1) * EVENTS_PER_PAGE, page * EVENTS_PER_PAGE)


def _event_lines(events: list[dict], page: int | None) -> list[tuple[str, list[str]]]:
    """The events: all when few (at most FEW_EVENTS), else a count per year, and with ``page``
    (1, 2, ...) that page of EVENTS_PER_PAGE events."""
    if page is None and len(events) <= FEW_EVENTS:
        return [_event_line(e) for e in events]
    years: dict[str, int] = {}
    for event in events:
        year = (event["date"] or "undated")[:4]
        years[year] = years.get(year, 0) + 1
    per_year = ", ".join(f"{year} {count:,}" for year, count in sorted(years.items()))
    first, last = events[0]["date"] or "undated", events[-1]["date"] or "undated"
    summary = f"{len(events):,} events, first {first}, last {last}; per year: {per_year}"
    lines: list[tuple[str, list[str]]] = [(summary, [])]
    pages = max(1, -(-len(events) // EVENTS_PER_PAGE))
    if page is None:
        return lines + [(f"--events lists them, {EVENTS_PER_PAGE} a page (--page N of {pages})", [])]
    if not 1 <= page <= pages:
        raise UsageError(f"page {page} is past the last page of events ({pages})")
    chosen = events_shown(page)
    offset, shown = chosen.start, events[chosen]
    lines.append((f"page {page} of {pages}: events {offset + 1:,} to {offset + len(shown):,}", []))
    lines += [_event_line(e) for e in shown]
    if page < pages:
        lines.append((f"--page {page + 1} for the next", []))
    return lines


def _event_line(e: dict) -> tuple[str, list[str]]:
    return (f"{e['date'] or 'undated'} {e['label'] or e['event']} "
            f"({', '.join(t.split(':')[-1] for t in e['types'])}; {', '.join(e['how'])})"
            + (f" at {e['place']}" if e["place"] else ""), _evidence_lines(e["statements"]))


def render_show(report: dict, out: IO[str], *, markdown: bool = False, events_page: int | None = None) -> None:
    """Write the report; Markdown with ``markdown=True``, else text styled by rich. More than
    FEW_EVENTS events are counted per year and listed a page at a time when ``events_page`` (1, 2,
    ...) asks for one."""
    if markdown:
        out.write(f"# {report['label']}\n")
        for heading, items in _sections(report, events_page):
            out.write(f"\n## {heading}\n\n")
            for line, subs in items:
                out.write(f"- {line}\n")
                for sub in subs:
                    out.write(f"  - {sub}\n")
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, width=max(100, Console().width), highlight=False)
    console.print(Text(report["label"], style="bold underline"))
    for heading, items in _sections(report, events_page):
        console.print(Text("\n" + heading, style="bold"))
        for line, subs in items:
            console.print(Text("  " + line))
            for sub in subs:
                console.print(Text("      - " + sub, style="dim"))
