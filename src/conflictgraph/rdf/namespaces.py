"""IRIs the package knows: the vocabulary, instance prefixes and named graphs.

``CG`` is the ontology's namespace as a closed vocabulary: ``CG.Actor`` is the IRI of a term
that ``ontology/conflict.ttl`` defines, and a misspelt term fails at once instead of
producing an IRI nothing in the graph uses (``CG`` is still the namespace string, so
``iri.startswith(CG)`` works).

Examples
--------
>>> CG.Actor
'https://w3id.org/conflictgraph/ontology#Actor'
>>> CG.Actress
Traceback (most recent call last):
...
AttributeError: cg:Actress is not a term of the ontology (ontology/conflict.ttl)
>>> shorten("https://w3id.org/conflictgraph/id/actor/knplf")
'actor:knplf'
"""
from __future__ import annotations

from functools import cache

import pyoxigraph as ox

from conflictgraph.bundled import ontology_dir

__all__ = ["CG", "Vocabulary", "ID", "PREFIXES", "GRAPHS", "GRAPH_ONTOLOGY", "GRAPH_REFERENCE", "GRAPH_INFERRED",
           "GRAPH_IMPORT_LOG", "GRAPH_BUILD", "DATASET_GRAPHS", "DATASET_INFERRED_GRAPHS", "RDF_TYPE", "STATUSES",
           "SPARQL_PREFIXES", "shorten", "expand"]


class Vocabulary(str):
    """A namespace IRI whose attributes are the terms the ontology defines (checked on first use).

    ``term(name)`` looks a name up the same way (for names held in variables, and for the one
    term that shares its name with a ``str`` method, ``title``).
    """

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        return self.term(name)

    def term(self, name: str) -> str:
        """The IRI of the term ``name``; :class:`AttributeError` when the ontology lacks it."""
        if name not in _ontology_terms(str(self)):
            raise AttributeError(f"cg:{name} is not a term of the ontology (ontology/conflict.ttl)")
        return str(self) + name


@cache
def _ontology_terms(namespace: str) -> frozenset[str]:
    """Local names of the subjects in ``namespace`` that the bundled ontology file describes."""
    with open(ontology_dir() / "conflict.ttl", "rb") as handle:
        return frozenset(q.subject.value[len(namespace):] for q in ox.parse(handle, format=ox.RdfFormat.TURTLE)
                         if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(namespace))


CG = Vocabulary("https://w3id.org/conflictgraph/ontology#")
ID = "https://w3id.org/conflictgraph/id/"
GRAPHS = "https://w3id.org/conflictgraph/graph/"
GRAPH_ONTOLOGY = GRAPHS + "ontology"
GRAPH_REFERENCE = GRAPHS + "reference"
GRAPH_INFERRED = GRAPHS + "inferred"
GRAPH_IMPORT_LOG = GRAPHS + "import-log"  # one record per import run (see importers.dataset)
# On a remote (shared) store, the curated graphs the last build wrote (see build.remote).
GRAPH_BUILD = GRAPHS + "build"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# The status of a tie or claim (cg:Claimed ...), by the name options and filters use.
STATUSES = ("claimed", "admitted", "disputed", "confirmed")
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
