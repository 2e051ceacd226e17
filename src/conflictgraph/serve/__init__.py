"""``conflictgraph serve``: a safe, read-only SPARQL endpoint and pages to work in.

- :mod:`~conflictgraph.serve.app`: the Starlette application (routes, limits, refusals)
- :mod:`~conflictgraph.serve.pool`: worker processes that run queries and are killed on timeout
- :mod:`~conflictgraph.serve.formats`: result formats and content negotiation
- :mod:`~conflictgraph.serve.pages`: the HTML of the query and entity pages

Examples
--------
>>> config = ServeConfig(store=".conflictgraph/store", port=0)
>>> config.host
'127.0.0.1'
"""
from conflictgraph.serve.app import ServeConfig, create_app
from conflictgraph.serve.pool import PoolBusy, QueryTimeout, WorkerPool

__all__ = ["ServeConfig", "create_app", "run_server", "WorkerPool", "QueryTimeout", "PoolBusy"]


def run_server(config: ServeConfig, *, log_level: str = "warning") -> None:
    """Serve ``config`` with uvicorn until interrupted."""
    import uvicorn

    # The HTTP parser's own limit on a request line and headers (16 KiB by default, answered with
    # a bare 400) is raised above the server's limit, so the app answers a long GET itself (414).
    uvicorn.run(create_app(config), host=config.host, port=config.port, log_level=log_level,
                timeout_graceful_shutdown=5, server_header=False,
                h11_max_incomplete_event_size=config.max_request_bytes + 65536)
