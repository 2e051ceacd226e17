"""Commands for event data: ``import``, ``reconcile`` and ``timeline``."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from conflictgraph.build.pipeline import update_store
from conflictgraph.cli.build import cache_tie_table, derived_files
from conflictgraph.cli.options import Context, format_option, note, store_option, with_graph
from conflictgraph.errors import UsageError
from conflictgraph.importers import import_events
from conflictgraph.importers.dataset import DATASETS, dataset_graph
from conflictgraph.importers.table import inspect_table, load_mapping, table_spec
from conflictgraph.network.ties import ImportedTies
from conflictgraph.render.rows import write_table
from conflictgraph.store.compaction import start_background
from conflictgraph.store.generations import StoreLocation
from conflictgraph.store.location import Location
from conflictgraph.store.remote import Endpoint
from conflictgraph.store.oxigraph import OxigraphStore

if TYPE_CHECKING:
    from rich.progress import Progress

__all__ = ["import_command", "reconcile", "timeline"]

_PROGRESS_MIN_BYTES = 1 << 20  # files smaller than this import too fast to need a bar
# Files from this size (about 15,000 ACLED rows) leave the store's compaction, seconds of work
# that readers do not need to wait for, to a background process (conflictgraph.store.compaction).
BACKGROUND_COMPACTION_BYTES = 8 << 20


@click.command(name="import")
@click.argument("dataset", type=click.Choice(["ucdp", "acled", "table", "inspect"]))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--mapping", metavar="NAME|PATH",
              help="For 'table': a shipped mapping (icews-dyad-year, cameo-events, edge-list) or a TOML mapping file.")
@click.option("--rejects", "rejects", type=click.Path(dir_okay=False, path_type=Path), metavar="PATH",
              help="Where to write rejected rows (default: <FILE name>.rejects.csv in the current folder).")
@click.option("--dataset-version", "version", metavar="TEXT", help="The dataset's version, e.g. 23.1 (recorded).")
@click.option("--dataset", "dataset_key", metavar="KEY",
              help="For 'table': import as this dataset (its own graph and source) instead of the mapping's.")
@store_option
@click.pass_obj
def import_command(context: Context, dataset: str, file: Path, mapping: str | None, rejects: Path | None,
                   version: str | None, dataset_key: str | None, store: Location) -> None:
    """Import a UCDP GED or ACLED CSV file, or any table with --mapping, into an existing store
    (atomic; re-runs the rules). 'import inspect FILE' names the file's columns and the shipped
    mapping that fits it."""
    if dataset == "inspect":
        click.echo(inspect_table(file).line())
        return
    if (dataset == "table") != (mapping is not None):
        raise UsageError("'import table FILE' needs --mapping NAME|PATH" if mapping is None
                         else "--mapping is for 'import table FILE --mapping ...' only")
    if dataset_key is not None and mapping is None:
        raise UsageError("--dataset is for 'import table FILE --mapping ...' only")
    if mapping is not None:
        chosen = load_mapping(mapping)
        spec = table_spec(chosen.as_dataset(dataset_key) if dataset_key else chosen, file)
    else:
        spec = DATASETS[dataset]
    rejects = rejects or Path.cwd() / (file.stem + ".rejects.csv")
    large = file.stat().st_size >= BACKGROUND_COMPACTION_BYTES
    ties = ImportedTies(dataset_graph(spec.key))
    with update_store(store, notify=context.note, compact=not large, derive=derived_files(context, ties)) as writer, \
            _progress(context, file) as progress:
        # the copy's folder
        generation = writer.path.parent if isinstance(writer, OxigraphStore) and writer.path is not None else None
        report = import_events(writer, spec, file, rejects_path=rejects, version=version, progress=progress,
                               scratch=generation, observe=ties.add)
        if report.older or report.missing:  # the graph holds events this file did not give
            ties.discard()
    if isinstance(store, Endpoint):
        cache_tie_table(context, store, ties)
    if large and generation is not None:
        assert isinstance(store, StoreLocation)  # only an on-disk store is written through an on-disk copy
        start_background(store.path, generation)
        context.note("compacting the store in the background: queries are slower until it is done "
                     "('conflictgraph compact' waits for it)")
    for line in report.summary():
        click.echo(line)
    if report.rejected:
        context.note(f"{report.rejected} row(s) rejected; the other rows were imported")
        sys.exit(1)


class _progress:
    """A rich progress bar on stderr for files large enough to need one (else no-op)."""

    def __init__(self, context: Context, file: Path):
        self.enabled = not context.quiet and file.stat().st_size >= _PROGRESS_MIN_BYTES
        self.bar: Progress | None = None

    def __enter__(self):
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn
        bar = self.bar = Progress("reading", BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                                  console=Console(stderr=True), transient=True)
        bar.start()
        task = bar.add_task("rows", total=None)
        return lambda done, total: bar.update(task, completed=done, total=total)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


@click.command()
@click.option("--places", is_flag=True,
              help="List the places of the imported datasets that are likely one place instead of the actor names.")
@format_option
@with_graph
def reconcile(graph, places: bool, fmt: str) -> None:
    """List imported actor names that match no known actor, with event counts, likely matches
    and the line that confirms one; --places: places that are likely one."""
    table = graph.reconcile(places=places)
    write_table(table, fmt, sys.stdout)
    lines = list(dict.fromkeys(row["line"] for row in table.rows if row["line"]))  # once each, in order
    if lines and fmt == "table":
        click.echo(_CONFIRM.format(lines="\n".join("  " + line for line in lines)), err=True)
    if not table.rows and fmt == "table":
        note("no imported place is likely another one" if places
             else "every imported actor name matches a known actor (or a generic one)")


_CONFIRM = """To confirm a match, add its line (below, one per row) to a reference file of your graph folder,
for example graph/reference/matches.ttl, under these prefixes:
  @prefix actor: <https://w3id.org/conflictgraph/id/actor/> .
  @prefix place: <https://w3id.org/conflictgraph/id/place/> .
  @prefix owl:   <http://www.w3.org/2002/07/owl#> .
{lines}
then run 'conflictgraph build' (with --graph FOLDER for a folder of your own): the two nodes become one in
every query, network and page, and later imports use it. (An actor the curated graph knows can also
take the name as one skos:altLabel line in graph/reference/dataset-names.ttl.)"""


@click.command()
@click.option("--actor", metavar="NAME",
              help="Only events with this actor (any side, initiator or recipient, participant).")
@click.option("--place", metavar="NAME", help="Only events at this place or within it.")
@click.option("--by", "period", type=click.Choice(["month", "week", "year"]), default="month", show_default=True,
              help="Period length.")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Also draw the table as a chart into this SVG file: events and fatalities per period, "
                   "curated and imported apart.")
@format_option
@with_graph
def timeline(graph, actor: str | None, place: str | None, period: str, plot: Path | None, fmt: str) -> None:
    """Events and fatalities per period, curated and imported alike."""
    table = graph.timeline(actor=actor, place=place, by=period)
    if plot is not None:  # first, so a bad file name stops the command before it prints anything
        note(f"wrote the chart to {table.chart().save(plot)}")
    write_table(table, fmt, sys.stdout)
