"""Where a store lives, decided in one place: in memory, a folder on disk, or a SPARQL endpoint.

Every command's ``--store PATH`` / ``--endpoint URL`` pair, and every library call given a
path, goes through :func:`store_location`; the rest of the code asks the location object what
it is, never compares paths with ``":memory:"``.

Examples
--------
>>> store_location(":memory:")
InMemory()
>>> store_location(".conflictgraph/store")
StoreLocation('.conflictgraph/store')
>>> store_location(endpoint="http://127.0.0.1:7878/query").update
'http://127.0.0.1:7878/update'
"""
from __future__ import annotations

from pathlib import Path

from conflictgraph.errors import UsageError
from conflictgraph.settings import DEFAULT_STORE, MEMORY
from conflictgraph.store.generations import StoreLocation
from conflictgraph.store.oxigraph import OxigraphStore
from conflictgraph.store.remote import Endpoint

__all__ = ["InMemory", "Location", "store_location"]


class InMemory:
    """A fresh in-memory store: gone when the process ends."""

    def open(self) -> OxigraphStore:
        return OxigraphStore.in_memory()

    def __str__(self) -> str:
        return MEMORY

    def __repr__(self) -> str:
        return "InMemory()"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, InMemory)

    def __hash__(self) -> int:
        return hash(MEMORY)


Location = InMemory | StoreLocation | Endpoint


def store_location(store: str | Path | Location | None = None, *, endpoint: str | None = None,
                   update_endpoint: str | None = None, gsp_endpoint: str | None = None,
                   user: str | None = None, password: str | None = None) -> Location:
    """The location named by a ``--store`` value or an ``--endpoint`` URL (with its optional
    update and Graph Store Protocol URLs and credentials); a location object is returned as it is."""
    if isinstance(store, (InMemory, StoreLocation, Endpoint)):
        return store
    if endpoint:
        return Endpoint.from_urls(endpoint, update_endpoint, gsp_endpoint, user=user, password=password)
    if user or password:
        raise UsageError("credentials (--endpoint-user, --endpoint-password) need the query URL (--endpoint) too")
    if update_endpoint or gsp_endpoint:
        raise UsageError("an update or Graph Store Protocol URL (--update-endpoint, --gsp-endpoint) needs the query "
                         "URL (--endpoint) too")
    if store is None:
        return StoreLocation(DEFAULT_STORE)
    if str(store) == MEMORY:
        return InMemory()
    return StoreLocation(store)
