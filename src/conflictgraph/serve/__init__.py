"""``conflictgraph serve``: a safe, read-only SPARQL endpoint and pages to work in.

- :mod:`~conflictgraph.serve.app`: the Starlette application (routes, limits, refusals)
- :mod:`~conflictgraph.serve.pool`: worker processes that run queries, a fast lane and a slow one
- :mod:`~conflictgraph.serve.worker`: what runs in a worker process
- :mod:`~conflictgraph.serve.http`: HTTP connections with limits on request heads (408, 414, 431)
- :mod:`~conflictgraph.serve.formats`: result formats and content negotiation
- :mod:`~conflictgraph.serve.pages`: the HTML of the query and entity pages

The names below are imported when first used, so a worker process (which imports
:mod:`~conflictgraph.serve.worker` only) does not load the web application.

Examples
--------
>>> from conflictgraph.serve import ServeConfig
>>> config = ServeConfig(store=".conflictgraph/store", port=0)
>>> config.host
'127.0.0.1'
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from conflictgraph.serve.app import ServeConfig, create_app
    from conflictgraph.serve.pool import PoolBusy, QueryTimeout, WorkerPool

__all__ = ["ServeConfig", "create_app", "run_server", "WorkerPool", "QueryTimeout", "PoolBusy"]


def __getattr__(name: str):
    if name in ("ServeConfig", "create_app"):
        from conflictgraph.serve import app
        return getattr(app, name)
    if name in ("WorkerPool", "QueryTimeout", "PoolBusy"):
        from conflictgraph.serve import pool
        return getattr(pool, name)
    raise AttributeError(f"module 'conflictgraph.serve' has no attribute {name!r}")


def run_server(config: ServeConfig, *, log_level: str = "warning") -> None:
    """Serve ``config`` with uvicorn until interrupted."""
    import uvicorn

    from conflictgraph.serve.app import create_app
    from conflictgraph.serve.http import limited_protocol

    # Request heads are limited by our protocol (a request line a little over the largest
    # query string, 64 KiB of headers, 414 and 431 beyond); h11's own limit (answered with a
    # bare 400) is raised above both.
    protocol = limited_protocol(header_timeout=config.header_timeout, max_line=config.max_request_bytes + 16384,
                                max_headers=65536)
    uvicorn.run(create_app(config), host=config.host, port=config.port, log_level=log_level,
                timeout_graceful_shutdown=5, server_header=False, http=protocol,
                h11_max_incomplete_event_size=protocol.max_line + protocol.max_headers + 1024)
