"""The ``serve`` command: a read-only SPARQL endpoint and a query page for the store (on disk,
or a remote SPARQL store with ``--endpoint``)."""
from __future__ import annotations

import ipaddress

import click

from conflictgraph.build.pipeline import open_for_reading
from conflictgraph.cli.options import Context, store_option
from conflictgraph.errors import UsageError
from conflictgraph.settings import (SERVE_HOST, SERVE_MAX_REQUEST_BYTES, SERVE_MAX_ROWS, SERVE_PORT, SERVE_TIMEOUT,
                                    serve_workers)
from conflictgraph.store.location import InMemory, Location
from conflictgraph.store.remote import Endpoint

__all__ = ["serve"]


@click.command()
@click.option("--host", default=SERVE_HOST, show_default=True,
              help="Address to listen on (loopback unless you mean to share it).")
@click.option("--port", default=SERVE_PORT, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@store_option
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="Allow browser pages from ORIGIN to query (repeatable; off by default).")
@click.option("--timeout", default=SERVE_TIMEOUT, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a query may run before it is stopped (answered 504).")
@click.option("--max-rows", default=SERVE_MAX_ROWS, show_default=True, type=click.IntRange(min=1),
              help="Rows an answer keeps; the rest is cut, signalled by X-SPARQL-Truncated: true "
                   "(an answer sent in pieces: by holding exactly this many rows).")
@click.option("--workers", default=serve_workers, show_default="one per core, at least 2, at most 4",
              type=click.IntRange(min=1),
              help="Query worker processes: one answers new queries (many at once), the others (at least one) "
                   "take over queries still running after a second; an idle spare stands by.")
@click.option("--max-request-bytes", default=SERVE_MAX_REQUEST_BYTES, show_default=True, type=click.IntRange(min=1024),
              help="Largest request accepted (answered 413 beyond).")
@click.pass_obj
def serve(context: Context, host: str, port: int, store: Location, cors: tuple[str, ...], timeout: float,
          max_rows: int, workers: int, max_request_bytes: int) -> None:
    """Serve a read-only SPARQL 1.1 endpoint at /sparql and a query page at / (Ctrl-C stops).

    With --endpoint, the pages and the endpoint answer from that remote SPARQL store, with the
    same limits; this server never writes to it.
    """
    if isinstance(store, InMemory):
        raise UsageError("serve needs an on-disk store (its query workers open it read-only) or a remote one: "
                         "use --store PATH or --endpoint URL")
    # builds the bundled graph when there is no store on disk; a remote one must hold a graph
    open_for_reading(store, notify=context.note).close()
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        context.note(f"warning: listening on {host}: anyone who can reach this address can query the graph")
    from conflictgraph.serve import ServeConfig, run_server  # here: the web stack costs every other command 0.2 s

    config = ServeConfig(store=store if isinstance(store, Endpoint) else str(store), host=host, port=port,
                         timeout=timeout, max_rows=max_rows, workers=workers, max_request_bytes=max_request_bytes,
                         cors=cors)
    context.note(f"serving {store} at http://{host}:{port}/ (SPARQL endpoint: /sparql; {workers} workers, "
                 f"{timeout:g} s per query, {max_rows} rows per answer)")
    run_server(config)
