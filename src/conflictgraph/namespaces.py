"""IRIs the package knows: the vocabulary, instance prefixes and named graphs.

Examples
--------
>>> CG + "Actor"
'https://w3id.org/conflictgraph/ontology#Actor'
>>> shorten("https://w3id.org/conflictgraph/id/actor/knplf")
'actor:knplf'
"""
from __future__ import annotations

__all__ = ["CG", "ID", "PREFIXES", "GRAPH_ONTOLOGY", "GRAPH_REFERENCE", "GRAPH_INFERRED",
           "DATASET_GRAPHS", "DATASET_INFERRED_GRAPHS",
           "SPARQL_PREFIXES", "shorten", "expand"]

CG = "https://w3id.org/conflictgraph/ontology#"
ID = "https://w3id.org/conflictgraph/id/"
GRAPHS = "https://w3id.org/conflictgraph/graph/"
GRAPH_ONTOLOGY = GRAPHS + "ontology"
GRAPH_REFERENCE = GRAPHS + "reference"
GRAPH_INFERRED = GRAPHS + "inferred"
# An imported dataset's events live in DATASET_GRAPHS + key; their inferred date bounds, written
# by the importer, in DATASET_INFERRED_GRAPHS + key (rules never read either: see infer.py).
DATASET_GRAPHS = GRAPHS + "dataset/"
DATASET_INFERRED_GRAPHS = GRAPH_INFERRED + "/dataset/"

PREFIXES: dict[str, str] = {
    "cg": CG,
    "actor": ID + "actor/",
    "place": ID + "place/",
    "op": ID + "op/",
    "event": ID + "event/",
    "src": ID + "src/",
    "stmt": ID + "stmt/",
    "claim": ID + "claim/",
    "tie": ID + "tie/",
    "q": ID + "quantity/",
    "node": ID + "node/",
    "cgg": GRAPHS,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}

SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

# Longest namespace first, so "cgg:" is not shadowed by a shorter match.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def shorten(iri: str) -> str:
    """Write ``iri`` as prefix:local when a known prefix covers it, else return it unchanged."""
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def expand(curie: str) -> str:
    """Inverse of :func:`shorten`; leaves full IRIs and unknown prefixes unchanged.

    >>> expand("op:operation-1107")
    'https://w3id.org/conflictgraph/id/op/operation-1107'
    """
    prefix, sep, local = curie.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return curie
