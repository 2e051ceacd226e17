"""The ``viz`` command: write an interactive network page (one offline HTML file).

The page holds the ties of every date (the time slider filters them in the browser), so the
network is projected without ``--as-of``; ``--as-of`` sets where the slider starts and the
date the sizes, communities and camps are computed for. ``--between`` keeps only the ties in
force during a period. ``--max-edges`` caps the ties drawn (every tie with statements, then the
heaviest), saying so on the page and on stderr. Nothing is written except the output file.
"""
from __future__ import annotations

from pathlib import Path

import click

from conflictgraph.cli.options import network_options, note, with_graph
from conflictgraph.errors import UsageError
from conflictgraph.network.spec import NetworkSpec
from conflictgraph.viz import MAX_EDGES, write_page

__all__ = ["viz"]


@click.command()
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="The HTML file to write.")
@network_options
@click.option("--size-by", type=click.Choice(["degree", "betweenness", "pagerank"]), default="degree",
              show_default=True, help="Node size.")
@click.option("--color-by", type=click.Choice(["type", "community", "camp"]), default="type", show_default=True,
              help="Node colour: type, Louvain community (cooperative ties) or two-camp split (signed ties).")
@click.option("--ties", type=click.Choice(["signed", "cooperative", "hostile", "all"]), default="signed",
              show_default=True, help="Which net ties the sizes are computed on (all: any tie, neutral too).")
@click.option("--title", metavar="TEXT", help="Page title (default: from the view).")
@click.option("--layout-threshold", default=300, show_default=True, type=click.IntRange(min=0),
              help="Beyond this many nodes, positions are computed with igraph and physics starts off.")
@click.option("--max-edges", default=MAX_EDGES, show_default=True, type=click.IntRange(min=0), metavar="N",
              help="Draw at most N ties: every tie with statements, then the heaviest (0: all). Sizes and "
                   "colours are those of the whole network.")
@with_graph
def viz(graph, output: Path, spec: NetworkSpec, size_by: str, color_by: str, ties: str, title: str | None,
        layout_threshold: int, max_edges: int) -> None:
    """Write an interactive network page: one offline HTML file with search, filters and a time slider."""
    if output.parent and not output.parent.exists():
        raise UsageError(f"cannot write {output}: the folder {output.parent} does not exist")
    page = graph.viz(spec, size_by=size_by, color_by=color_by, ties=ties, title=title,
                     layout_threshold=layout_threshold, max_edges=max_edges)
    write_page(page, output)
    meta = page.info["meta"]
    layout = "positions from igraph, physics off" if meta["layout"] == "igraph" else "physics layout"
    note(f"{meta['facets']}: {meta['node_count']} nodes, {meta['edge_count']} ties ({meta['undated']} undated); "
         f"{layout}; {output.stat().st_size / 1e6:.1f} MB")
    if meta.get("cut"):
        note(meta["cut"])
    click.echo(str(output))
