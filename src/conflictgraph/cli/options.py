"""What every command shares: the context (``--quiet``), and the option decorators for the
store, the output format, graph folders and the network options, each defined once.
"""
from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from pathlib import Path

import click

from conflictgraph.api import open_graph
from conflictgraph.network.analyze.reduce import TIE_CHOICES
from conflictgraph.network.spec import VIEWS, NetworkSpec
from conflictgraph.rdf.namespaces import STATUSES
from conflictgraph.render.rows import FORMATS
from conflictgraph.settings import (DEFAULT_STORE, ENV_ENDPOINT, ENV_ENDPOINT_PASSWORD, ENV_ENDPOINT_USER,
                                   ENV_GSP_ENDPOINT, ENV_STORE, ENV_UPDATE_ENDPOINT)
from conflictgraph.store.location import Location, store_location

__all__ = ["Context", "note", "store_option", "disk_store_option", "format_option", "graph_options", "with_graph",
           "network_options", "ties_option"]


class Context:
    """Settings shared by every command (from global options). ``own_process``: the command runs
    in a process of its own (the ``conflictgraph`` program), not inside a caller's."""

    def __init__(self, quiet: bool, *, own_process: bool = False):
        self.quiet = quiet
        self.own_process = own_process

    def note(self, message: str) -> None:
        """A progress line or note on stderr, unless ``--quiet``; never read as markup."""
        if not self.quiet:
            from rich.console import Console
            from rich.text import Text
            Console(stderr=True).print(Text(message, style="dim"))


def note(message: str) -> None:
    """:meth:`Context.note` of the running command (silent outside one)."""
    context = click.get_current_context(silent=True)
    found = context.find_object(Context) if context is not None else None
    if found is not None:
        found.note(message)


def _own_process() -> bool:
    """Whether the running command is the ``conflictgraph`` program's (not a caller's)."""
    context = click.get_current_context(silent=True)
    found = context.find_object(Context) if context is not None else None
    return found is not None and found.own_process


def _store_path(func: Callable, help_text: str) -> Callable:
    return click.option("--store", "store", envvar=ENV_STORE, default=str(DEFAULT_STORE), show_default=True,
                        metavar="PATH", help=help_text)(func)


def disk_store_option(func: Callable) -> Callable:
    """``--store PATH`` alone, for commands that need the store's folder (``compact``, ``doctor``)."""
    return _store_path(func, f"On-disk store folder (env {ENV_STORE}).")


def store_option(func: Callable) -> Callable:
    """``--store PATH``, or ``--endpoint URL`` (with ``--update-endpoint``, ``--gsp-endpoint``) for a
    remote SPARQL store; the command receives ``store`` as a location
    (:func:`conflictgraph.store.store_location`)."""
    @functools.wraps(func)
    def wrapper(*args, store: str, endpoint: str | None, update_endpoint: str | None, gsp_endpoint: str | None,
                endpoint_user: str | None, endpoint_password: str | None, **kwargs):
        location = store_location(store, endpoint=endpoint, update_endpoint=update_endpoint, gsp_endpoint=gsp_endpoint,
                                  user=endpoint_user, password=endpoint_password)
        return func(*args, store=location, **kwargs)
    for name, envvar, metavar, text in (
            ("endpoint-password", ENV_ENDPOINT_PASSWORD, "TEXT",
             f"Password for the remote store (HTTP Basic or Digest; env {ENV_ENDPOINT_PASSWORD}; never printed)."),
            ("endpoint-user", ENV_ENDPOINT_USER, "NAME", f"User for the remote store (env {ENV_ENDPOINT_USER}; "
                                                         "default: a user:password@ in the URL, else ~/.netrc)."),
    ):
        wrapper = click.option(f"--{name}", envvar=envvar, metavar=metavar, help=text)(wrapper)
    for name, envvar, text in (
            ("gsp-endpoint", ENV_GSP_ENDPOINT, "Graph Store Protocol URL of the remote store (optional)."),
            ("update-endpoint", ENV_UPDATE_ENDPOINT, "SPARQL Update URL (default: the --endpoint URL with /query "
                                                     "replaced by /update)."),
            ("endpoint", ENV_ENDPOINT, f"Use the remote SPARQL 1.1 store at this query URL instead of --store "
                                       f"(env {ENV_ENDPOINT}).")):
        wrapper = click.option(f"--{name}", envvar=envvar, metavar="URL", help=text)(wrapper)
    return _store_path(wrapper, f"Store folder, or :memory: (env {ENV_STORE}).")


def format_option(func: Callable) -> Callable:
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                        help="Output format.")(func)


def graph_options(func: Callable) -> Callable:
    func = click.option("--no-bundled", is_flag=True, help="Leave the bundled graph out.")(func)
    return click.option("--graph", "graph_dirs", multiple=True, type=click.Path(exists=True, file_okay=False,
                        path_type=Path), metavar="DIR", help="Add a graph folder (repeatable).")(func)


def with_graph(func: Callable) -> Callable:
    """Open the store read-only (building it if needed) and pass it as ``graph``."""
    @functools.wraps(func)
    def wrapper(*args, store: Location, **kwargs):
        return func(*args, graph=open_graph(store, notify=note), **kwargs)
    return store_option(wrapper)


def network_options(func: Callable) -> Callable:
    """The options every network command shares (view, window, filters, focus), passed to the
    command as one :class:`~conflictgraph.network.spec.NetworkSpec` named ``spec``."""
    @functools.wraps(func)
    def wrapper(*args, view: str, as_of: str | None, between: tuple[str, str] | None, evidence: str,
                statuses: tuple[str, ...], include_generic: bool, relations: tuple[str, ...], focus: str | None,
                depth: int, **kwargs):
        spec = NetworkSpec(view=view, as_of=as_of, between=between, evidence=evidence, status=statuses,
                           include_generic=include_generic, relations=relations, focus=focus, depth=depth)
        if _own_process():
            # A network command in its own process: no cycle collection until it exits. A network
            # is millions of small acyclic objects that reference counting frees; each collection
            # walks all of them again (100,000 events: 0.4-1.4 s of a centrality run, and 0.3 s
            # more for the one that turning collection back on at the end would start).
            gc.disable()
        return func(*args, spec=spec, **kwargs)
    options = [
        click.option("--view", type=click.Choice([*VIEWS, "alliances"]), default="actors", show_default=True,
                     help="Actors only, or actors with alliances and operations as nodes (alliances = alliance)."),
        click.option("--as-of", "as_of", metavar="DATE",
                     help="Only ties in force on this day (YYYY-MM-DD), or at some time in this month or year "
                          "(YYYY-MM, YYYY)."),
        click.option("--between", nargs=2, metavar="START END", default=None,
                     help="Only ties in force at some time from START to END (a month or year: from its first "
                          "or to its last day)."),
        click.option("--evidence", default="all", show_default=True, metavar="KIND",
                     help="curated, the name of an imported dataset, or all."),
        click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES),
                     help="Only ties of this status (repeatable; default any)."),
        click.option("--include-generic", is_flag=True, help="Keep generic actors (civilians, unidentified groups)."),
        click.option("--relations", "relations", multiple=True, metavar="NAMES",
                     help="Only these edge relations (comma-separated or repeated)."),
        click.option("--focus", metavar="NAME", help="Only the ego network around this entity."),
        click.option("--depth", default=1, show_default=True, type=click.IntRange(min=0),
                     help="Ties from --focus to keep."),
    ]
    for option in reversed(options):
        wrapper = option(wrapper)
    return wrapper


def ties_option(what: str, *, auto: str = "cooperative ties, or hostile ones when the view has no cooperative tie"
                ) -> Callable[[Callable], Callable]:
    """``--ties auto|cooperative|hostile|signed|all``: which ties ``what`` runs on; ``auto``
    says what the command picks from the data."""
    return click.option("--ties", type=click.Choice(TIE_CHOICES), default="auto", show_default=True,
                        help=f"Which net ties {what} (signed: both kinds; all: any tie, neutral too; auto: {auto}).")
