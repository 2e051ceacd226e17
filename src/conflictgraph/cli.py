"""The command line: one verb per task, a thin layer over the library.

Results go to stdout, progress and notes to stderr. Exit codes: 0 ok, 1 bad data or a failed
check, 2 usage error. User errors print a message, never a traceback.
"""
from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path

import click

from conflictgraph.errors import ConflictGraphError, ValidationFailed
from conflictgraph.output import FORMATS, write_rows

__all__ = ["main", "cli"]


class Context:
    """Settings shared by every command (from global options)."""

    def __init__(self, quiet: bool):
        self.quiet = quiet

    def note(self, message: str) -> None:
        if not self.quiet:
            from rich.console import Console
            from rich.text import Text
            Console(stderr=True).print(Text(message, style="dim"))


class Group(click.Group):
    """Turns every ConflictGraphError into a one-line message and its exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ValidationFailed as err:
            for finding in err.findings:
                click.echo(finding.render(), err=True)
            click.echo(f"error: {err}", err=True)
            sys.exit(err.exit_code)
        except ConflictGraphError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(err.exit_code)

    def list_commands(self, ctx):  # keep the order in which commands are added
        return list(self.commands)


# Shared options -------------------------------------------------------------------------

def store_option(func):
    """--store PATH, or --endpoint URL (with --update-endpoint, --gsp-endpoint) for a remote SPARQL
    store; the command receives ``store`` as a path or a :class:`~conflictgraph.store.remote.Endpoint`."""
    @functools.wraps(func)
    def wrapper(*args, store: str, endpoint: str | None, update_endpoint: str | None,
                gsp_endpoint: str | None, **kwargs):
        if endpoint:
            from conflictgraph.store.remote import Endpoint
            store = Endpoint.from_urls(endpoint, update_endpoint, gsp_endpoint)
        elif update_endpoint or gsp_endpoint:
            raise click.UsageError("--update-endpoint and --gsp-endpoint need --endpoint")
        return func(*args, store=store, **kwargs)
    for name, envvar, text in (
            ("gsp-endpoint", "CONFLICTGRAPH_GSP_ENDPOINT", "Graph Store Protocol URL of the remote store (optional)."),
            ("update-endpoint", "CONFLICTGRAPH_UPDATE_ENDPOINT", "SPARQL Update URL (default: the --endpoint "
                                                                 "URL with /query replaced by /update)."),
            ("endpoint", "CONFLICTGRAPH_ENDPOINT", "Use the remote SPARQL 1.1 store at this query URL instead "
                                                   "of --store (env CONFLICTGRAPH_ENDPOINT).")):
        wrapper = click.option(f"--{name}", envvar=envvar, metavar="URL", help=text)(wrapper)
    return click.option("--store", "store", envvar="CONFLICTGRAPH_STORE", default=".conflictgraph/store",
                        show_default=True, metavar="PATH",
                        help="Store folder, or :memory: (env CONFLICTGRAPH_STORE).")(wrapper)


def format_option(func):
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                        help="Output format.")(func)


def graph_options(func):
    func = click.option("--no-bundled", is_flag=True, help="Leave the bundled graph out.")(func)
    return click.option("--graph", "graph_dirs", multiple=True, type=click.Path(exists=True, file_okay=False,
                        path_type=Path), metavar="DIR", help="Add a graph folder (repeatable).")(func)


def with_graph(func):
    """Open the store read-only (building it if needed) and pass it as ``graph``."""
    @functools.wraps(func)
    def wrapper(*args, store: str, **kwargs):
        from conflictgraph.api import open_graph
        context = click.get_current_context().find_object(Context)
        return func(*args, graph=open_graph(store, notify=context.note), **kwargs)
    return store_option(wrapper)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--quiet", "-q", is_flag=True, help="No progress or notes on stderr.")
@click.version_option(package_name="conflictgraph")
@click.pass_context
def cli(ctx: click.Context, quiet: bool) -> None:
    """conflictgraph: a knowledge graph of armed conflict, traced to its sources."""
    ctx.obj = Context(quiet)


# Commands -------------------------------------------------------------------------------

@cli.command()
@store_option
@graph_options
@click.pass_obj
def build(context: Context, store: str, graph_dirs: tuple[Path, ...], no_bundled: bool) -> None:
    """Build the store from the bundled graph and any --graph folders (atomic)."""
    from conflictgraph.build import build_store
    _store, report = build_store(store, graph_dirs=graph_dirs, bundled=not no_bundled, notify=context.note)
    for finding in report.warnings:
        context.note("warning: " + finding.render())
    click.echo(f"built {store}: {report.sources} sources, {report.asserted} asserted and "
               f"{report.inferred} inferred triples in {report.seconds:.1f} s")


@cli.command()
@store_option
@click.pass_obj
def compact(context: Context, store) -> None:
    """Compact the on-disk store now, or wait for the background compaction of a large import."""
    from conflictgraph.compaction import compact_store
    if not isinstance(store, (str, Path)) or str(store) == ":memory:":
        raise click.UsageError("compact works on an on-disk store (--store PATH)")
    done = compact_store(store, notify=context.note)
    click.echo(f"compacted {store}" if done else f"{store} is compacted")


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@graph_options
@format_option
@click.pass_obj
def validate(context: Context, files: tuple[Path, ...], graph_dirs: tuple[Path, ...], no_bundled: bool,
             fmt: str) -> None:
    """Parse and check graph files against the shapes; list every finding (exit 1 if any)."""
    from conflictgraph.graphfolder import load_files, load_folders
    from conflictgraph.ontology import load_ontology
    from conflictgraph.resources import bundled_graph_dir
    from conflictgraph.validate import validate_loaded

    ontology = load_ontology()
    folders = ([] if no_bundled else [bundled_graph_dir()]) + list(graph_dirs)
    loaded = load_folders(folders, ontology)
    if files:
        load_files(list(files), ontology, loaded)
    findings = validate_loaded(loaded, ontology)
    if fmt == "table":
        for finding in findings:
            click.echo(finding.render())
    else:
        write_rows([f.__dict__ for f in findings], fmt, sys.stdout,
                   columns=["file", "line", "node", "path", "value", "message", "severity"])
    violations = sum(f.severity == "Violation" for f in findings)
    context.note(f"{len(loaded.files)} file(s), {len(loaded.quads)} triples: "
                 f"{violations} violation(s), {len(findings) - violations} other finding(s)")
    if violations:
        sys.exit(1)


@cli.command()
@click.argument("query")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a named query's parameter (repeatable). Names are resolved, never pasted.")
@format_option
@with_graph
def query(graph, query: str, params: tuple[str, ...], fmt: str) -> None:
    """Run SPARQL text, @file.rq, or a named query (see 'queries')."""
    from conflictgraph.errors import UsageError
    values = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep:
            raise UsageError(f"--param needs NAME=VALUE, got {item!r}")
        values[name.strip()] = value
    if query in graph.catalog:
        named = graph.catalog[query]
        result = graph.store.query(named.text, bindings=graph.bind_params(named, values))
        title = named.title
    else:
        if query.startswith("@"):
            try:
                query = Path(query[1:]).read_text(encoding="utf-8")
            except OSError as err:
                raise UsageError(f"cannot read {query[1:]}: {err.strerror}") from None
        elif values and " " not in query.strip():  # a word, not SPARQL: a misspelt query name
            raise UsageError(f"no named query {query!r}; 'conflictgraph queries' lists them")
        elif values:
            raise UsageError("--param works with named queries only; use VALUES in your own SPARQL")
        elif not any(word in query.upper() for word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "INSERT",
                                                        "DELETE", "LOAD", "CLEAR", "DROP")):
            raise UsageError(f"{query!r} is neither SPARQL nor a named query; 'conflictgraph queries' lists them")
        result = graph.query(query)
        title = None
    if result.kind == "ask":
        click.echo("true" if result.boolean else "false")
    elif result.kind == "construct":
        rows = [{"subject": s, "predicate": p, "object": o} for s, p, o in result.triples]
        write_rows(rows, fmt, sys.stdout, columns=["subject", "predicate", "object"])
    else:
        write_rows(result.rows, fmt, sys.stdout, columns=result.variables, title=title)


@cli.command()
@format_option
def queries(fmt: str) -> None:
    """List the named queries with their descriptions and parameters."""
    from conflictgraph.queries import load_catalog
    rows = [{"name": q.name, "title": q.title,
             "parameters": ", ".join(f"{p.name} ({p.type})" for p in q.params),
             "description": q.description} for q in load_catalog().values()]
    write_rows(rows, fmt, sys.stdout, columns=["name", "title", "parameters", "description"])


@cli.command()
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table",
              show_default=True, help="Output format.")
@with_graph
def show(graph, name: str, fmt: str) -> None:
    """Everything about an entity: names, relationships, places, events, statements, claims."""
    from conflictgraph.render_show import render_show
    report = graph.show(name)
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        render_show(report, sys.stdout, markdown=fmt == "markdown")


@cli.command()
@click.option("--about", metavar="NAME", help="Only claims about this entity.")
@click.option("--claimant", metavar="NAME", help="Only claims made by this actor.")
@format_option
@with_graph
def claims(graph, about: str | None, claimant: str | None, fmt: str) -> None:
    """List claims with claimant, speaker, date, value, status and source."""
    from conflictgraph.output import merge_rows
    result = graph.store.query(graph.catalog["claims"].text)
    rows = result.rows
    for name, column, kind in ((about, "about", None), (claimant, "claimant", "actor")):
        if name:
            wanted = graph.resolve(name, kind).iri
            kept = {str(r["claim"]) for r in rows if r[column] == wanted}
            rows = [r for r in rows if str(r["claim"]) in kept]
    # one row per claim and statement, however many actors it is about, by or spoken for
    rows = merge_rows(rows, ["about", "aboutLabel", "claimant", "claimantLabel", "speakerLabel", "onBehalfOfLabel"])
    write_rows(rows, fmt, sys.stdout, columns=result.variables, title="Claims")


@cli.command()
@format_option
@with_graph
def conflicts(graph, fmt: str) -> None:
    """List every disagreement between sources (values, dates, participants), each side sourced."""
    result = graph.store.query(graph.catalog["disagreements"].text)
    if fmt != "table":
        write_rows(result.rows, fmt, sys.stdout, columns=result.variables)
        return
    rows = [{"what": f"{_cell(r, 'subjectLabel')}: {_cell(r, 'quantityLabel') or _cell(r, 'kind')}",
             "one side": _side(r, ""), "other side": _side(r, "other")} for r in result.rows]
    write_rows(rows, "table", sys.stdout, columns=["what", "one side", "other side"],
               title="Disagreements between sources")


def _cell(row: dict, key: str) -> str:
    from conflictgraph.output import cell_text
    return cell_text(row.get(key))


def _side(row: dict, prefix: str) -> str:
    """One side of a disagreement in a line: value, as-of date, claimant, source."""
    def key(name: str) -> str:
        return prefix + name[0].upper() + name[1:] if prefix else name
    comparator = re.sub(r"(?<!^)([A-Z])", r" \1", _cell(row, key("comparator")).removeprefix("cg:")).lower()
    value = " ".join(x for x in (comparator, _cell(row, key("value"))) if x)
    parts = [value or "?"]
    if _cell(row, key("asOf")):
        parts.append(f"as of {_cell(row, key('asOf'))}")
    if _cell(row, key("claimantLabel")):
        parts.append(f"by {_cell(row, key('claimantLabel'))}")
    parts.append(f"in {_cell(row, key('source'))} ({_cell(row, key('statement'))})")
    return ", ".join(parts)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="conflictgraph")


# Commands of the other stages live in their own modules and register themselves on `cli`.
from conflictgraph import cli_import, cli_network, cli_serve, cli_viz  # noqa: E402,F401
