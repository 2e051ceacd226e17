"""Commands that ask the graph: ``query``, ``queries``, ``show``, ``claims`` and ``conflicts``."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from conflictgraph.cli.options import Context, format_option, note, with_graph
from conflictgraph.errors import UsageError
from conflictgraph.query.catalog import load_catalog
from conflictgraph.query.claims import readable_disagreements
from conflictgraph.query.results import Table
from conflictgraph.rdf.safety import deny_network
from conflictgraph.render.rows import write_rows, write_table
from conflictgraph.render.show import events_shown, render_show
from conflictgraph.store.oxigraph import OxigraphStore

__all__ = ["query", "queries", "show", "claims", "conflicts"]



@click.command()
@click.argument("query")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a named query's parameter (repeatable). Names are resolved, never pasted.")
@format_option
@with_graph
def query(graph, query: str, params: tuple[str, ...], fmt: str) -> None:
    """Run SPARQL text, @file.rq, or a named query (see 'queries')."""
    values = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep:
            raise UsageError(f"--param needs NAME=VALUE, got {item!r}")
        values[name.strip()] = value
    if query.startswith("@") and query not in graph.catalog:
        try:
            query = Path(query[1:]).read_text(encoding="utf-8")
        except OSError as err:
            raise UsageError(f"cannot read {query[1:]}: {err.strerror}") from None
    context = click.get_current_context().find_object(Context)
    if isinstance(graph.store, OxigraphStore) and context is not None and context.own_process:
        deny_network()  # the engine runs here, on local data: a fooled check still reaches nothing
    result, title = graph.run_query(query, values)
    if result.kind == "ask":
        click.echo("true" if result.boolean else "false")
    elif result.kind == "construct":
        rows = [{"subject": s, "predicate": p, "object": o} for s, p, o in result.triples]
        write_rows(rows, fmt, sys.stdout, columns=["subject", "predicate", "object"])
    else:
        write_rows(result.rows, fmt, sys.stdout, columns=result.variables, title=title)


@click.command()
@format_option
def queries(fmt: str) -> None:
    """List the named queries with their descriptions and parameters."""
    rows = [{"name": q.name, "title": q.title,
             "parameters": ", ".join(f"{p.name} ({p.type})" for p in q.params),
             "description": q.description} for q in load_catalog().values()]
    write_rows(rows, fmt, sys.stdout, columns=["name", "title", "parameters", "description"])


@click.command()
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table",
              show_default=True, help="Output format.")
@click.option("--events", "list_events", is_flag=True,
              help="List the events a page at a time (by default only up to 20 are listed; more are counted per year).")
@click.option("--page", default=1, show_default=True, type=click.IntRange(min=1), help="Which page of events.")
@with_graph
def show(graph, name: str, fmt: str, list_events: bool, page: int) -> None:
    """Everything about an entity: names, relationships, opponents and allies, places, events, statements, claims."""
    report = graph.show(name, detailed=None if fmt == "json" else events_shown(page if list_events else None))
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        render_show(report, sys.stdout, markdown=fmt == "markdown", events_page=page if list_events else None)


@click.command()
@click.option("--about", metavar="NAME", help="Only claims about this entity.")
@click.option("--claimant", metavar="NAME", help="Only claims made by this actor.")
@format_option
@with_graph
def claims(graph, about: str | None, claimant: str | None, fmt: str) -> None:
    """List claims with claimant, speaker, date, value, status and source."""
    table = graph.claims(about=about, claimant=claimant)
    if _said_none(table, fmt):
        return
    write_table(table, fmt, sys.stdout)


@click.command()
@format_option
@with_graph
def conflicts(graph, fmt: str) -> None:
    """List every disagreement between sources (values, dates, participants), each side sourced."""
    table = graph.disagreements()
    if _said_none(table, fmt):
        return
    if fmt == "table":
        write_table(readable_disagreements(table), fmt, sys.stdout)
    else:
        write_rows(table.rows, fmt, sys.stdout, columns=table.columns)


def _said_none(table: Table, fmt: str) -> bool:
    """For a human table with no rows, say so in a line instead of drawing an empty frame."""
    if table.rows or fmt != "table":
        return False
    click.echo(f"{table.title}: none")
    note("claims and disagreements come from statements in curated graph folders (build --graph DIR); "
         "imported event datasets carry none")
    return True
