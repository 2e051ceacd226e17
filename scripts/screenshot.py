"""Make the README's screenshot: the real alliance network page of the bundled graph, in headless
Chromium, saved as a small PNG (default docs/network.png).

The page is written with the same code as ``conflictgraph viz --view alliance --color-by camp``
into a scratch folder, opened offline (every request to another host is aborted), left to
settle, clicked on the KNPLF so the side panel shows its statements, and captured.

Run::

    .venv/bin/python scripts/screenshot.py [--output docs/network.png] [--store PATH]
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

__all__ = ["main"]

CHROMIUM = "/usr/bin/chromium"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path("docs/network.png"))
    parser.add_argument("--store", default=":memory:",
                        help="Store to read (default: build the bundled graph in memory).")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=760)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from conflictgraph.api import open_graph
    from conflictgraph.network.projection import project
    from conflictgraph.viz import build_page, data_summary, write_page

    graph = open_graph(args.store)
    network = project(graph, view="alliance")
    page_data = build_page(network, store=graph.store, color_by="camp", data_note=data_summary(graph.store))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        path = write_page(page_data, Path(scratch) / "alliances.html")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM,
                                        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            context = browser.new_context(viewport={"width": args.width, "height": args.height})
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
            page = context.new_page()
            page.goto(path.as_uri())
            page.wait_for_function("() => window.cgPage && window.cgPage.stable", timeout=60_000)
            page.fill("#cg-search", "KNPLF")
            page.press("#cg-search", "Enter")
            page.wait_for_timeout(800)
            page.evaluate("() => cgPage.network.fit({animation: false})")
            page.wait_for_timeout(300)
            page.screenshot(path=str(args.output))
            browser.close()
    print(args.output)


if __name__ == "__main__":
    main()
