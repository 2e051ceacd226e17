"""The ``viz`` command: write an interactive network page (one offline HTML file).

The page holds the ties of every date (the time slider filters them in the browser), so the
network is projected without ``--as-of``; ``--as-of`` sets where the slider starts and the
date the sizes, communities and camps are computed for. ``--between`` keeps only the ties in
force during a period. Nothing is written except the output file.
"""
from __future__ import annotations

from pathlib import Path

import click

from conflictgraph.cli import Context, cli, with_graph

__all__ = ["viz"]

_STATUSES = ("claimed", "admitted", "disputed", "confirmed")


def _relations(values: tuple[str, ...]) -> list[str] | None:
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    return names or None


@cli.command()
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="The HTML file to write.")
@click.option("--view", type=click.Choice(["actors", "alliance", "alliances"]), default="actors", show_default=True,
              help="Actors only, or actors with alliances and operations as nodes (alliances = alliance).")
@click.option("--as-of", "as_of", metavar="DATE",
              help="Start the time slider on this day; sizes, communities and camps use the ties in force then.")
@click.option("--between", nargs=2, metavar="START END", default=None,
              help="Only ties in force at some time in this period.")
@click.option("--evidence", default="all", show_default=True, metavar="KIND",
              help="curated, the name of an imported dataset, or all.")
@click.option("--status", "statuses", multiple=True, type=click.Choice(_STATUSES),
              help="Only ties of this status (repeatable; default any).")
@click.option("--include-generic", is_flag=True, help="Keep generic actors (civilians, unidentified groups).")
@click.option("--relations", "relations", multiple=True, metavar="NAMES",
              help="Only these edge relations (comma-separated or repeated).")
@click.option("--focus", metavar="NAME", help="Only the ego network around this entity.")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(min=0), help="Ties from --focus to keep.")
@click.option("--size-by", type=click.Choice(["degree", "betweenness", "pagerank"]), default="degree",
              show_default=True, help="Node size.")
@click.option("--color-by", type=click.Choice(["type", "community", "camp"]), default="type", show_default=True,
              help="Node colour: type, Louvain community (cooperative ties) or two-camp split (signed ties).")
@click.option("--ties", type=click.Choice(["signed", "cooperative", "hostile"]), default="signed", show_default=True,
              help="Which net ties the sizes are computed on.")
@click.option("--title", metavar="TEXT", help="Page title (default: from the view).")
@click.option("--layout-threshold", default=300, show_default=True, type=click.IntRange(min=0),
              help="Beyond this many nodes, positions are computed with igraph and physics starts off.")
@with_graph
def viz(graph, output: Path, view: str, as_of: str | None, between: tuple[str, str] | None, evidence: str,
        statuses: tuple[str, ...], include_generic: bool, relations: tuple[str, ...], focus: str | None, depth: int,
        size_by: str, color_by: str, ties: str, title: str | None, layout_threshold: int) -> None:
    """Write an interactive network page: one offline HTML file with search, filters and a time slider."""
    from conflictgraph.analyze.ego import ego_network
    from conflictgraph.errors import UsageError
    from conflictgraph.project import parse_day, project
    from conflictgraph.viz.page import build_page
    from conflictgraph.viz.provenance import data_summary
    from conflictgraph.viz.template import write_page

    if as_of and between:
        raise UsageError("give --as-of or --between, not both")
    if output.parent and not output.parent.exists():
        raise UsageError(f"cannot write {output}: the folder {output.parent} does not exist")
    view = "alliance" if view == "alliances" else view
    day = parse_day(as_of) if as_of else None
    common = dict(view=view, evidence=evidence, status=statuses or None, include_generic=include_generic,
                  relations=_relations(relations))
    network = project(graph, between=between, **common)
    analysis = project(graph, as_of=day, **common) if day else None
    if focus:
        iri = graph.resolve(focus).iri
        network = ego_network(network, iri, depth)
        if analysis is not None:
            analysis = analysis.subgraph([n for n in network if n in analysis]).copy()
    page = build_page(network, store=graph.store, size_by=size_by, color_by=color_by, ties=ties,
                      analysis_network=analysis, title=title, data_note=data_summary(graph.store), as_of=day,
                      layout_threshold=layout_threshold)
    path = write_page(page, output)
    meta = page.info["meta"]
    context = click.get_current_context().find_object(Context)
    if context is not None:
        layout = "positions from igraph, physics off" if meta["layout"] == "igraph" else "physics layout"
        context.note(f"{meta['facets']}: {meta['node_count']} nodes, {meta['edge_count']} ties "
                     f"({meta['undated']} undated); {layout}; {path.stat().st_size / 1e6:.1f} MB")
    click.echo(str(path))
