"""The ``serve`` command: a read-only SPARQL endpoint and a query page for the store.

Registered on the main group by importing this module (the last line of cli.py).
"""
from __future__ import annotations

import ipaddress
import os

import click

from conflictgraph.cli import Context, cli

__all__ = ["serve"]


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback unless you mean to share it).")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--store", "store", envvar="CONFLICTGRAPH_STORE", default=".conflictgraph/store", show_default=True,
              metavar="PATH", help="On-disk store folder (env CONFLICTGRAPH_STORE); built first if missing.")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="Allow browser pages from ORIGIN to query (repeatable; off by default).")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds a query may run before it is stopped (answered 504).")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(min=1),
              help="Rows an answer keeps; the rest is cut, signalled by X-SPARQL-Truncated: true.")
@click.option("--workers", default=max(2, min(4, os.cpu_count() or 2)), show_default=True,
              type=click.IntRange(min=1), help="Queries that can run at once (one process each).")
@click.option("--max-request-bytes", default=1 << 20, show_default=True, type=click.IntRange(min=1024),
              help="Largest request accepted (answered 413 beyond).")
@click.pass_obj
def serve(context: Context, host: str, port: int, store: str, cors: tuple[str, ...], timeout: float, max_rows: int,
          workers: int, max_request_bytes: int) -> None:
    """Serve a read-only SPARQL 1.1 endpoint at /sparql and a query page at / (Ctrl-C stops)."""
    from conflictgraph.build import open_for_reading
    from conflictgraph.errors import UsageError
    from conflictgraph.serve import ServeConfig, run_server

    if store == ":memory:":
        raise UsageError("serve needs an on-disk store (its query workers open it read-only): use --store PATH")
    open_for_reading(store, notify=context.note).close()  # builds the bundled graph when there is no store
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        context.note(f"warning: listening on {host}: anyone who can reach this address can query the graph")
    config = ServeConfig(store=store, host=host, port=port, timeout=timeout, max_rows=max_rows, workers=workers,
                         max_request_bytes=max_request_bytes, cors=cors)
    context.note(f"serving {store} at http://{host}:{port}/ (SPARQL endpoint: /sparql; {workers} workers, "
                 f"{timeout:g} s per query, {max_rows} rows per answer)")
    run_server(config)
