"""Commands that make and check stores: ``build``, ``compact`` and ``validate``."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from conflictgraph.build.pipeline import Derive, build_store, check_graph
from conflictgraph.cli.options import Context, disk_store_option, format_option, graph_options, store_option
from conflictgraph.errors import ConflictGraphError, StoreMissing, UsageError
from conflictgraph.network.ties import ImportedTies, cache_remote_table, write_table as write_tie_table
from conflictgraph.render.rows import write_rows
from conflictgraph.store.base import Store
from conflictgraph.store.compaction import compact_store
from conflictgraph.store.generations import StoreLocation
from conflictgraph.store.location import Location, store_location
from conflictgraph.store.remote import Endpoint

__all__ = ["build", "compact", "validate", "doctor", "derived_files", "cache_tie_table"]


@click.command()
@store_option
@graph_options
@click.pass_obj
def build(context: Context, store: Location, graph_dirs: tuple[Path, ...], no_bundled: bool) -> None:
    """Build the store from the bundled graph and any --graph folders (atomic)."""
    _store, report = build_store(store, graph_dirs=graph_dirs, bundled=not no_bundled, notify=context.note,
                                 derive=derived_files(context))
    if isinstance(store, Endpoint):
        cache_tie_table(context, store)
    for finding in report.warnings:
        context.note("warning: " + finding.render())
    click.echo(f"built {store}: {report.sources} sources, {report.asserted} asserted and "
               f"{report.inferred} inferred triples in {report.seconds:.1f} s")


def derived_files(context: Context, imported: ImportedTies | None = None) -> Derive:
    """What build and import write beside the triples of the generation they make: the
    network's event-tie table (with an import's own rows, ``imported``)."""
    def derive(store: Store, folder: Path) -> None:
        context.note("writing the event-tie table for the network commands")
        write_tie_table(store, folder, imported=imported)
    return derive


def cache_tie_table(context: Context, endpoint: Endpoint, imported: ImportedTies | None = None) -> None:
    """After a build or import through ``--endpoint``: keep the remote store's event-tie table in
    this machine's cache for its new version, so the network commands after it read it."""
    from conflictgraph.build.remote import open_remote

    context.note("keeping the event-tie table in this machine's cache for the network commands")
    try:
        cache_remote_table(open_remote(endpoint), imported=imported)
    except ConflictGraphError as err:  # the change is in; a network command will extract the table
        context.note(f"could not keep the event-tie table ({err}); network commands will read it from the store")


@click.command()
@disk_store_option
@click.pass_obj
def compact(context: Context, store: str) -> None:
    """Compact the on-disk store now, or wait for the background compaction of a large import."""
    place = store_location(store)
    if not isinstance(place, StoreLocation):
        raise UsageError("compact works on an on-disk store (--store PATH)")
    done = compact_store(place, notify=context.note)
    click.echo(f"compacted {store}" if done else f"{store} is compacted")


@click.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@graph_options
@format_option
@click.pass_obj
def validate(context: Context, files: tuple[Path, ...], graph_dirs: tuple[Path, ...], no_bundled: bool,
             fmt: str) -> None:
    """Parse and check graph files against the shapes; list every finding (exit 1 if any)."""
    loaded = check_graph(graph_dirs=graph_dirs, files=files, bundled=not no_bundled)
    findings = loaded.findings
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


@click.command()
@disk_store_option
@click.option("--repair", is_flag=True, help="Remove old and abandoned generations (never the current one, "
              "the kept ones, or one a live process is writing).")
@format_option
@click.pass_obj
def doctor(context: Context, store: str, repair: bool, fmt: str) -> None:
    """Report the store's generations, their state and disk use; --repair removes what is left over."""
    place = store_location(store)
    if not isinstance(place, StoreLocation):
        raise UsageError("doctor looks at an on-disk store (--store PATH)")
    if place.current() is None:
        raise StoreMissing(f"no store at {store}: run 'conflictgraph build' first")
    if repair:
        with place.writing(context.note):
            freed = sum(g.bytes for g in place.survey() if g.left_over)  # measured before they go
            removed = place.prune()
        context.note(f"removed {len(removed)} generation(s), {freed / 1e6:.1f} MB")
    found = place.survey()
    rows = [{"generation": g.folder.name, "state": g.state, "megabytes": round(g.bytes / 1e6, 1)} for g in found]
    write_rows(rows, fmt, sys.stdout, columns=["generation", "state", "megabytes"], title=f"Generations of {store}")
    stray = [g for g in found if g.left_over]
    if stray:
        context.note(f"{len(stray)} generation(s) left over ({sum(g.bytes for g in stray) / 1e6:.1f} MB): "
                     "'conflictgraph doctor --repair' removes them")
