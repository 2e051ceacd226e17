"""Stores: one contract (:class:`Store`), its backends, on-disk generations, and where a store
lives (:func:`store_location`). The only package that touches a SPARQL engine.

Examples
--------
>>> store = open_store()
>>> store.query("ASK { ?s ?p ?o }").boolean
False
"""
from conflictgraph.store.base import Capabilities, QueryResult, Store
from conflictgraph.store.generations import StoreLocation
from conflictgraph.store.location import InMemory, Location, store_location
from conflictgraph.store.oxigraph import OxigraphStore, open_store
from conflictgraph.store.remote import Endpoint, RemoteStore

__all__ = ["Capabilities", "QueryResult", "Store", "OxigraphStore", "RemoteStore", "open_store", "StoreLocation",
           "InMemory", "Endpoint", "Location", "store_location"]
