"""The page template: one self-contained, offline HTML file.

This is conflictgraph's own template, not pyvis's (pyvis's pulls Bootstrap and, in its default
mode, vis-network from a CDN, copies a lib/ folder into the working directory and writes its
heading unescaped). vis-network comes from the copy bundled in the installed pyvis package and
is inlined, with the page's own script and style; nothing is loaded from anywhere.

Safety measures:

- the data goes into the page once, as JSON inside ``<script type="application/json">``, with
  ``<``, ``>``, ``&``, U+2028 and U+2029 written as ``\\uXXXX`` escapes, so no string can close
  the element or start markup; the script reads it with ``JSON.parse``;
- the page script builds every visible string with ``textContent`` (side panel, tooltip,
  legend, search results); no node or edge carries a vis-network ``title`` (vis-network fills
  its tooltips as HTML as soon as one title contains "href");
- a Content-Security-Policy allows only the two inline scripts of the page (by their SHA-256
  hashes: an injected inline handler such as ``onerror=`` cannot run), no connection, frame,
  form, font or object, and images from ``data:`` only;
- the only text outside the JSON, the ``<title>``, is HTML-escaped.

Examples
--------
>>> html = render_html({"meta": {"title": "A </title><script>"}, "nodes": [], "edges": []})
>>> "<title>A &lt;/title&gt;&lt;script&gt;</title>" in html
True
>>> embed_json({"label": "</script><img src=x>"})
'{"label":"\\\\u003c/script\\\\u003e\\\\u003cimg src=x\\\\u003e"}'
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conflictgraph.errors import ConflictGraphError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    from conflictgraph.viz.page import Page

__all__ = ["VIS_VERSION", "embed_json", "render_html", "write_page", "vis_network_js", "content_security_policy",
           "framed"]

VIS_VERSION = "9.1.2"
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}

_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="conflictgraph viz (vis-network {vis_version} via pyvis)">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header>
<h1 id="cg-title"></h1>
<p id="cg-data"></p>
<p id="cg-cut" class="cg-note" hidden></p>
<p id="cg-state" aria-live="polite"></p>
</header>
<div id="cg-main">
<nav id="cg-controls" aria-label="Controls">
<h2>Find</h2>
<form id="cg-search-form" role="search" autocomplete="off">
<input id="cg-search" type="search" list="cg-names" placeholder="Name or alias"
 aria-label="Find a node by name or alias">
<button type="submit">Go</button>
</form>
<datalist id="cg-names"></datalist>
<div id="cg-search-msg" aria-live="polite"></div>
<h2>Time</h2>
<label><input id="cg-time-on" type="checkbox"> Only ties in force at the chosen time</label>
<input id="cg-time" type="range" list="cg-ticks" aria-label="Date">
<label>In force <select id="cg-time-span" aria-label="Period">
<option value="day">on that day</option><option value="month">in its month</option>
<option value="year">in its year</option></select></label>
<div id="cg-strip"></div>
<p class="cg-small" id="cg-strip-label"></p>
<p class="cg-small">Date: <span id="cg-time-label"></span></p>
<datalist id="cg-ticks"></datalist>
<p class="cg-small" id="cg-time-range"></p>
<p class="cg-small">Undated ties are drawn at every date.</p>
<h2>Layout</h2>
<label><input id="cg-physics" type="checkbox"> Physics (nodes move)</label>
<h2>Relations</h2>
<div class="cg-buttons"><button type="button" id="cg-rel-all">All</button><button type="button"
 id="cg-rel-none">None</button></div>
<div id="cg-relations"></div>
<p class="cg-small">Plain line: cooperation. Bar across: hostility. Circle: neutral. Arrow: directed relation.
Width grows with the weight. Dashed: self-reported (every statement comes from one of the two ends).</p>
<h2>Nodes</h2>
<div id="cg-groups"></div>
<p class="cg-small" id="cg-shapes"></p>
</nav>
<div id="cg-network" aria-label="Network drawing"></div>
<aside id="cg-panel" aria-live="polite"></aside>
</div>
<div id="cg-tooltip" role="tooltip" hidden></div>
<script type="application/json" id="cg-page-data">{data}</script>
<script>{vis}</script>
<script>{app}</script>
</body>
</html>
"""


class TemplateError(ConflictGraphError):
    """The bundled vis-network or page files cannot be read."""


@lru_cache(maxsize=1)
def vis_network_js() -> str:
    """The vis-network script bundled with pyvis (read once).

    >>> vis_network_js().lstrip().startswith("/**")
    True
    """
    try:
        root = resources.files("pyvis")
        for folder in ("templates/lib", "lib"):
            candidate = root / folder / f"vis-{VIS_VERSION}" / "vis-network.min.js"
            if candidate.is_file():
                return candidate.read_text(encoding="utf-8")
    except ModuleNotFoundError:
        raise TemplateError("pyvis is not installed (pip install pyvis)") from None
    raise TemplateError(f"vis-network {VIS_VERSION} is not in the installed pyvis package")


@lru_cache(maxsize=2)
def _asset(name: str) -> str:
    return (resources.files("conflictgraph.viz") / name).read_text(encoding="utf-8")


def embed_json(data: Any) -> str:
    """JSON text safe inside ``<script type="application/json">`` (and anywhere in HTML text).

    >>> embed_json(["a\\u2028b & c"])
    '["a\\\\u2028b \\\\u0026 c"]'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in _JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return text


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def content_security_policy(*scripts: str) -> str:
    """The page's policy: only these inline scripts, nothing fetched from anywhere.

    >>> "connect-src 'none'" in content_security_policy("1")
    True
    """
    return ("default-src 'none'; script-src " + " ".join(_hash(s) for s in scripts) +
            "; style-src 'unsafe-inline'; img-src data:; connect-src 'none'; font-src 'none'; object-src 'none'; "
            "frame-src 'none'; worker-src 'none'; media-src 'none'; manifest-src 'none'; base-uri 'none'; "
            "form-action 'none'")


def render_html(payload: dict | Page) -> str:
    """The whole page as text, from :meth:`Page.payload` (or a Page).

    >>> html = render_html({"meta": {"title": "T"}, "nodes": [], "edges": []})
    >>> html.count("</script>"), "cdn" in html.lower()
    (3, False)
    """
    if not isinstance(payload, dict):
        payload = payload.payload()
    vis = vis_network_js()
    app = _asset("page.js")
    for script in (vis, app):
        if "</script" in script.lower() or "<!--" in script:  # pragma: no cover - a guard on the bundled files
            raise TemplateError("a bundled script contains '</script' or '<!--' and cannot be inlined")
    title = str(payload.get("meta", {}).get("title") or "Network")
    return _HTML.format(csp=html.escape(content_security_policy(vis, app), quote=True), vis_version=VIS_VERSION,
                        title=html.escape(title, quote=True), css=_asset("page.css"), data=embed_json(payload),
                        vis=vis, app=app)


def write_page(page: dict | Page, path: str | Path) -> Path:
    """Write the page to ``path`` (nothing else is written) and return the path.

    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     out = write_page({"meta": {"title": "T"}, "nodes": [], "edges": []}, Path(folder) / "n.html")
    ...     os.listdir(folder)
    ['n.html']
    """
    path = Path(path)
    text = render_html(page)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise UsageError(f"cannot write {path}: {err.strerror}") from None
    return path


def framed(page_html: str, *, title: str = "Network", height: int = 640) -> str:
    """``page_html`` inside a sandboxed ``<iframe>``, as a notebook shows a page inline.

    The whole page goes into ``srcdoc``, HTML-escaped (so the outer markup is the iframe alone,
    and the page keeps its own Content-Security-Policy). The sandbox allows scripts only: the
    page runs in an opaque origin, without access to the notebook, its cookies or storage, and
    cannot submit forms, open windows or navigate the notebook.

    >>> frame = framed('<p title="x">a & b</p>', title="<T>")
    >>> frame.count("<"), 'title="&lt;T&gt;"' in frame
    (2, True)
    >>> frame.split('srcdoc="')[1]
    '&lt;p title=&quot;x&quot;&gt;a &amp; b&lt;/p&gt;"></iframe>'
    """
    return (f'<iframe sandbox="allow-scripts" referrerpolicy="no-referrer" title="{html.escape(title, quote=True)}" '
            f'style="width: 100%; height: {int(height)}px; border: 1px solid #ccc" '
            f'srcdoc="{html.escape(page_html, quote=True)}"></iframe>')
