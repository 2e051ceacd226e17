"""Stores: one contract (:class:`Store`), its backends, on-disk generations, and where a store
lives (:func:`store_location`). The only package that touches a SPARQL engine.

The names below are imported when first used: a process that reads an on-disk store only (a
server's query worker) does not load the remote store and its HTTP client.

Examples
--------
>>> from conflictgraph.store import open_store
>>> store = open_store()
>>> store.query("ASK { ?s ?p ?o }").boolean
False
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from conflictgraph.store.base import Capabilities, QueryResult, Store
    from conflictgraph.store.generations import StoreLocation
    from conflictgraph.store.location import InMemory, Location, store_location
    from conflictgraph.store.oxigraph import OxigraphStore, open_store
    from conflictgraph.store.remote import Endpoint, RemoteStore

__all__ = ["Capabilities", "QueryResult", "Store", "OxigraphStore", "RemoteStore", "open_store", "StoreLocation",
           "InMemory", "Endpoint", "Location", "store_location"]

_MODULES = {"Capabilities": "base", "QueryResult": "base", "Store": "base", "StoreLocation": "generations",
            "InMemory": "location", "Location": "location", "store_location": "location",
            "OxigraphStore": "oxigraph", "open_store": "oxigraph", "Endpoint": "remote", "RemoteStore": "remote"}


def __getattr__(name: str):
    if name in _MODULES:
        return getattr(import_module(f"conflictgraph.store.{_MODULES[name]}"), name)
    raise AttributeError(f"module 'conflictgraph.store' has no attribute {name!r}")
