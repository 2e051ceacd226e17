"""Interactive network pages: one offline HTML file per network, built with pyvis.

- :mod:`~conflictgraph.viz.page`: the page data (a pyvis ``Network`` and the tables behind it)
  from a projected network and its analyses
- :mod:`~conflictgraph.viz.provenance`: statements, sources and events behind the edges, read
  from the store
- :mod:`~conflictgraph.viz.layout`: igraph positions for pages beyond a few hundred nodes
- :mod:`~conflictgraph.viz.template`: the self-contained HTML (vis-network inlined, data as
  escaped JSON, a Content-Security-Policy, text-only tooltips and panels)

Examples
--------
>>> import tempfile, os
>>> from pathlib import Path
>>> from conflictgraph.build.pipeline import build_store
>>> from conflictgraph.network.projection import project
>>> store, _ = build_store(":memory:", graph_dirs=(FIXTURE_NETWORK,), bundled=False)
>>> page = build_page(project(store), store=store, color_by="camp")
>>> with tempfile.TemporaryDirectory() as folder:
...     path = write_page(page, Path(folder) / "network.html")
...     os.listdir(folder), path.stat().st_size > 400_000
(['network.html'], True)
"""
from conflictgraph.viz.layout import LAYOUT_THRESHOLD, igraph_layout, needs_layout
from conflictgraph.viz.page import COLOR_BY, MAX_EDGES, SIZE_BY, TIES, Page, build_page, short_label
from conflictgraph.viz.provenance import data_summary, event_details, statement_details
from conflictgraph.viz.template import embed_json, render_html, write_page

__all__ = ["Page", "build_page", "MAX_EDGES", "render_html", "write_page", "embed_json", "short_label", "SIZE_BY",
           "COLOR_BY", "TIES", "LAYOUT_THRESHOLD", "igraph_layout", "needs_layout", "statement_details",
           "event_details",
           "data_summary"]
