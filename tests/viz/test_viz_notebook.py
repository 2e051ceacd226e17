"""The network page in a notebook: ``graph.viz()`` shows inline (a sandboxed iframe holding the
same offline page) and saves itself. (In a real browser: test_viz_browser.py.)"""
from __future__ import annotations

from conflictgraph.api import ConflictGraph

from viz.test_viz_page import parse


def test_the_inline_page_is_the_saved_page_in_a_sandboxed_frame(hostile_store, tmp_path):
    page = ConflictGraph(hostile_store).viz(title="<img src=x onerror=alert(1)>")
    inline = page._repr_html_()
    tags = parse(inline).tags
    assert [tag for tag, _ in tags] == ["iframe"]  # every label, script and tag of the page is escaped inside srcdoc
    attrs = tags[0][1]
    assert attrs["sandbox"] == "allow-scripts"  # no same origin, forms, popups or top navigation
    assert attrs["title"] == "<img src=x onerror=alert(1)>"
    saved = page.save(tmp_path / "page.html").read_text(encoding="utf-8")
    assert attrs["srcdoc"] == saved == page.html()
    inside = parse(attrs["srcdoc"])
    policy = [a["content"] for tag, a in inside.tags if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert len(policy) == 1 and "default-src 'none'" in policy[0] and "connect-src 'none'" in policy[0]
    assert len(inside.scripts) == 3 and "<img" not in inline
