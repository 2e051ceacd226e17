"""Defaults and environment variables, defined once for the library, the CLI and the server.

Every option that a user can also set through the environment names its variable here.

Examples
--------
>>> str(DEFAULT_STORE)
'.conflictgraph/store'
>>> ENV_STORE
'CONFLICTGRAPH_STORE'
"""
from __future__ import annotations

from pathlib import Path

__all__ = ["DEFAULT_STORE", "MEMORY", "ENV_STORE", "ENV_ENDPOINT", "ENV_UPDATE_ENDPOINT", "ENV_GSP_ENDPOINT",
           "ENV_ENDPOINT_USER", "ENV_ENDPOINT_PASSWORD",
           "SERVE_HOST", "SERVE_PORT", "SERVE_TIMEOUT", "SERVE_MAX_ROWS", "SERVE_MAX_REQUEST_BYTES",
           "ENV_CACHE", "serve_workers", "cache_dir"]

DEFAULT_STORE = Path(".conflictgraph") / "store"  # under the working directory
MEMORY = ":memory:"  # the store location that means a fresh in-memory store

ENV_STORE = "CONFLICTGRAPH_STORE"
ENV_ENDPOINT = "CONFLICTGRAPH_ENDPOINT"
ENV_UPDATE_ENDPOINT = "CONFLICTGRAPH_UPDATE_ENDPOINT"
ENV_GSP_ENDPOINT = "CONFLICTGRAPH_GSP_ENDPOINT"
ENV_ENDPOINT_USER = "CONFLICTGRAPH_ENDPOINT_USER"
ENV_ENDPOINT_PASSWORD = "CONFLICTGRAPH_ENDPOINT_PASSWORD"
ENV_CACHE = "CONFLICTGRAPH_CACHE"  # where files derived from remote stores are kept

SERVE_HOST = "127.0.0.1"
SERVE_PORT = 7878
SERVE_TIMEOUT = 30.0  # seconds a query may run
SERVE_MAX_ROWS = 10_000  # rows an answer keeps
SERVE_MAX_REQUEST_BYTES = 1 << 20


def serve_workers() -> int:
    """Query worker processes by default: one per core, at least two, at most four."""
    import os

    return max(2, min(4, os.cpu_count() or 2))


def cache_dir() -> Path:
    """Where files derived from remote stores are kept: ``$CONFLICTGRAPH_CACHE``, else
    ``$XDG_CACHE_HOME/conflictgraph``, else ``~/.cache/conflictgraph``.

    >>> import os
    >>> before = os.environ.get(ENV_CACHE)
    >>> os.environ[ENV_CACHE] = "/tmp/cg-cache"
    >>> str(cache_dir())
    '/tmp/cg-cache'
    >>> _ = os.environ.pop(ENV_CACHE) if before is None else os.environ.update({ENV_CACHE: before})
    """
    import os

    if os.environ.get(ENV_CACHE):
        return Path(os.environ[ENV_CACHE])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "conflictgraph"
