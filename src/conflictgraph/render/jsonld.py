"""The store as JSON-LD: every named graph, compacted with the vocabulary's own context.

The context is ``ontology/context.jsonld`` (see :mod:`conflictgraph.render.vocabulary`),
written inline at the top of the file, so a reader needs nothing from the network (and a
remote context is never fetched). Terms read as plain JSON keys (``"memberOf"``,
``"fatalitiesBest"``); each named graph of the store is one ``{"@id": graph, "@graph": [...]}``
entry. rdflib and pyoxigraph both read the file back to the store's quads.

Examples
--------
>>> import io, json
>>> from conflictgraph.build.pipeline import build_store
>>> store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
>>> out = io.BytesIO()
>>> write_jsonld(store, out)["quads"] == len(list(store.quads()))
True
>>> data = json.loads(out.getvalue())
>>> data["@context"]["memberOf"]
{'@id': 'cg:memberOf', '@type': '@id'}
"""
from __future__ import annotations

import json
from functools import cache
from typing import IO

from conflictgraph.bundled import ontology_dir
from conflictgraph.rdf.terms import to_rdflib
from conflictgraph.store.base import Store

__all__ = ["context", "write_jsonld"]


@cache
def context() -> dict:
    """The vocabulary's JSON-LD context (the value of ``@context`` in ``ontology/context.jsonld``)."""
    return json.loads((ontology_dir() / "context.jsonld").read_text(encoding="utf-8"))["@context"]


def write_jsonld(store: Store, out: IO[bytes]) -> dict[str, int]:
    """Write every quad of ``store`` to the binary stream ``out`` as JSON-LD; return the counts
    of quads and named graphs."""
    from rdflib import Dataset, URIRef

    data = Dataset()
    graphs: set[str] = set()
    count = 0
    for subject, predicate, obj, graph in store.quads():
        # rdflib takes a graph name for the fourth item, though its type hints ask for a Graph
        data.add((to_rdflib(subject), to_rdflib(predicate), to_rdflib(obj),
                  URIRef(graph) if graph else None))  # type: ignore[arg-type]
        graphs.add(graph or "")
        count += 1
    text = data.serialize(format="json-ld", context=context(), indent=1, ensure_ascii=False)
    out.write(text.encode("utf-8"))
    out.write(b"\n")
    return {"quads": count, "graphs": len(graphs)}
