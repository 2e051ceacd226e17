"""The store interface and its backends; the only package that touches a SPARQL engine.

Examples
--------
>>> store = open_store(":memory:")
>>> store.query("ASK { ?s ?p ?o }").boolean
False
"""
from conflictgraph.store.base import QueryResult, Store
from conflictgraph.store.oxigraph import OxigraphStore, open_store

__all__ = ["QueryResult", "Store", "OxigraphStore", "open_store"]
