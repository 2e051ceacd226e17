"""The HTML of the server's pages: the query page shell and the entity page.

Every piece of data is escaped (``html.escape``); the query page fills its tables with DOM text
nodes from its own script (``static/app.js``), so no label or literal is ever parsed as HTML.

Examples
--------
>>> html = entity_page({"iri": "http://ex/a", "label": "<img src=x onerror=alert(1)>", "aliases": [],
...                     "types": [], "generic": False, "definition": None, "relationships": [],
...                     "places": [], "events": [], "statements": [], "claims": []})
>>> "<img" in html, "&lt;img" in html
(False, True)
"""
from __future__ import annotations

from html import escape
from urllib.parse import quote

from conflictgraph.rdf.namespaces import ID, expand
from conflictgraph.render.show import import_line

__all__ = ["index_page", "entity_page", "network_placeholder", "error_page", "entity_href", "PAGE_CSP"]

# The query and entity pages load only their own script and style; nothing from elsewhere.
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'self'")


def entity_href(iri: str) -> str:
    """The link to the entity page of ``iri`` (prefixed names are expanded)."""
    return "/entity?iri=" + quote(expand(iri), safe="")


def _head(title: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{escape(title)}</title><link rel="icon" href="data:,">'
            f'<link rel="stylesheet" href="/static/app.css"></head>\n<body>\n'
            f'<header><a class="brand" href="/">conflictgraph</a> <nav><a href="/">Query</a> '
            f'<a href="/network">Network</a> <a href="/ontology">Vocabulary</a> '
            f'<a href="/sparql">Service description</a></nav></header>\n<main>\n')


_TAIL = "</main>\n</body></html>\n"


def index_page(*, max_rows: int, timeout: float) -> str:
    """The query page: editor, named-query examples with their parameters, results table."""
    return _head("conflictgraph: query the graph") + f"""
<h1>Query the graph</h1>
<p class="note">Read-only SPARQL 1.1 over the whole graph (the default graph is the union of all named graphs).
Answers are cut after {max_rows} rows and queries stopped after {timeout:g} s.</p>
<section id="examples">
  <label for="example">Ready examples (named queries)</label>
  <select id="example"><option value="">(your own SPARQL)</option></select>
  <p id="example-description" class="note"></p>
  <form id="params"></form>
</section>
<form id="query-form" action="/sparql" method="post">
  <label for="query">SPARQL</label>
  <textarea id="query" name="query" rows="14" spellcheck="false">SELECT ?actor ?label WHERE {{
  ?actor a/rdfs:subClassOf* cg:Actor ; skos:prefLabel ?label .
}} ORDER BY ?label LIMIT 50</textarea>
  <button id="run" type="submit">Run</button> <span id="status" role="status"></span>
</form>
<section id="results">
  <p id="truncated" class="warning" hidden></p>
  <p id="error" class="error" hidden></p>
  <p id="downloads" hidden></p>
  <div id="table-wrap"></div>
</section>
<script src="/static/app.js"></script>
""" + _TAIL


def _link(iri: str | None, text: str) -> str:
    if iri and iri.startswith(("http://", "https://", "urn:")):
        return f'<a href="{escape(entity_href(iri))}">{escape(text)}</a>'
    return escape(text)


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>" if items else "<p class=\"note\">none</p>"


def _statements(statements: list[dict]) -> str:
    lines = []
    for s in statements:
        who = s.get("speaker") or s.get("on_behalf_of") or "the report"
        text = s.get("summary") or ""
        if s.get("quote"):
            text += f" \u201c{s['quote']}\u201d"
        source = s.get("source_title") or s.get("source") or ""
        lines.append(f"{escape(who)}, {escape(s.get('date') or 'date unknown')}, in "
                     f"{_link(s.get('source'), source)}: {escape(text)}")
    return "<ul class=\"evidence\">" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>" if lines else ""


def entity_page(report: dict) -> str:
    """What `conflictgraph show` shows about an entity, as a page (every value escaped)."""
    parts = [_head(report["label"]), f"<h1>{escape(report['label'])}</h1>",
             f'<p class="iri">{escape(report["iri"])}</p>']
    if report.get("types"):
        parts.append("<p>Types: " + ", ".join(_link(t, t) for t in report["types"]) + "</p>")
    if report.get("generic"):
        parts.append('<p class="note">A generic actor: left out of centrality and paths unless asked for.</p>')
    if report.get("aliases"):
        parts.append("<p>Also called: " + escape("; ".join(report["aliases"])) + "</p>")
    if report.get("definition"):
        parts.append(f"<p>{escape(report['definition'])}</p>")
    if report.get("facts"):
        # One line per property, its values joined (as `show` prints them). An entity of the graph
        # links to its page; another IRI (a licence's web page) is shown as text.
        facts: dict[str, list[str]] = {}
        for fact in report["facts"]:
            iri = expand(fact["iri"]) if fact.get("iri") else None
            facts.setdefault(fact["name"], []).append(_link(iri if iri and iri.startswith(ID) else None,
                                                            fact["value"]))
        parts.append("<h2>Facts</h2><dl class=\"facts\">" + "".join(
            f"<dt>{escape(name)}</dt><dd>{', '.join(values)}</dd>" for name, values in facts.items()) + "</dl>")
    rels = []
    for rel in report.get("relationships", []):
        others = "; ".join(f"{escape(o['property'].split(':')[-1])} {_link(o.get('iri'), o['value'])}"
                           for o in rel["with"])
        when = (f" [{escape(rel.get('start') or '?')} .. {escape(rel.get('end') or '')}]"
                if rel.get("start") or rel.get("end") else "")
        notes = "".join(f'<p class="note">{escape(n)}</p>' for n in rel.get("notes", []))
        rels.append(f"<b>{escape(rel['type'].split(':')[-1])}</b> (as {escape(rel['role'].split(':')[-1])}): "
                    f"{others}{when}{notes}{_statements(rel.get('statements', []))}")
    parts.append(f"<h2>Relationships ({len(rels)})</h2>" + _list(rels))
    places = [f"{escape(p['direction'])} {_link(p.get('iri'), p['place'])}" for p in report.get("places", [])]
    if places:
        parts.append(f"<h2>Places ({len(places)})</h2>" + _list(places))
    events = [f"{escape(e.get('date') or 'date unknown')}: {_link(e['event'], e.get('label') or e['event'])} "
              f"({escape(', '.join(e.get('how', [])))}{', at ' + escape(e['place']) if e.get('place') else ''})"
              f"{_statements(e.get('statements', []))}" for e in report.get("events", [])]
    if events:
        parts.append(f"<h2>Events ({len(events)})</h2>" + _list(events))
    if report.get("statements"):
        parts.append(f"<h2>Statements by it ({len(report['statements'])})</h2>" + _statements(report["statements"]))
    claims = []
    for c in report.get("claims", []):
        value = c.get("value")
        if value is not None and c.get("valueMax") is not None:
            value = f"{value}-{c['valueMax']}"
        what = " ".join(str(x) for x in (c.get("comparatorLabel"), value, c.get("quantityLabel")) if x is not None)
        what = what or c.get("proposition") or c.get("dateValue") or "(claim)"
        extra = ", ".join(f"{k} {c[v]}" for k, v in (("about", "aboutLabel"), ("claimed by", "claimantLabel"),
                                                   ("as of", "asOf"), ("status:", "statusLabel")) if c.get(v))
        claims.append(f"{escape(str(what))}{' (' + escape(extra) + ')' if extra else ''}"
                      f"{_statements(c.get('statements', []))}")
    if claims:
        parts.append(f"<h2>Claims ({len(claims)})</h2>" + _list(claims))
    if report.get("imports"):
        parts.append(f"<h2>Imports ({len(report['imports'])})</h2>"
                     + _list([escape(import_line(run)) for run in report["imports"]]))
    return "\n".join(parts) + _TAIL


def network_placeholder(reason: str) -> str:
    return _head("conflictgraph: network") + f"<h1>Network</h1><p>{escape(reason)}</p>" + _TAIL


def error_page(status: int, message: str) -> str:
    return _head(f"{status}") + f'<h1>{status}</h1><p class="error">{escape(message)}</p>' + _TAIL
