"""The vocabulary as data: load conflict.ttl and answer questions about its classes.

Examples
--------
>>> vocab = load_ontology()
>>> CG.Membership in vocab.tie_classes
True
>>> CG.Capture in vocab.event_classes
True
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from conflictgraph.build.parse import parse_file
from conflictgraph.bundled import ontology_dir
from conflictgraph.rdf.namespaces import CG, GRAPH_ONTOLOGY

__all__ = ["Ontology", "load_ontology"]

_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SUBCLASS = _RDFS + "subClassOf"


@dataclass
class Ontology:
    """The parsed ontology: its quads (in the ontology graph) and class hierarchy."""

    quads: list[ox.Quad]
    folder: Path

    def subclasses(self, root: str) -> set[str]:
        """``root`` and every class below it."""
        children: dict[str, set[str]] = {}
        for q in self.quads:
            if q.predicate.value == _SUBCLASS and isinstance(q.object, ox.NamedNode):
                # pyoxigraph's stubs allow a triple as subject; RDF 1.2, and pyoxigraph itself, do not
                children.setdefault(q.object.value, set()).add(q.subject.value)  # type: ignore[union-attr]
        found, todo = {root}, [root]
        while todo:
            for child in children.get(todo.pop(), ()):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found

    @cached_property
    def tie_classes(self) -> set[str]:
        return self.subclasses(CG.Tie)

    @cached_property
    def event_classes(self) -> set[str]:
        return self.subclasses(CG.Event)

    def undocumented_terms(self) -> list[str]:
        """Terms of the cg: namespace that lack an rdfs:label or an rdfs:comment."""
        label, comment = _RDFS + "label", _RDFS + "comment"
        defined: dict[str, set[str]] = {}
        for q in self.quads:
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(CG):
                defined.setdefault(q.subject.value, set()).add(q.predicate.value)
        return sorted(term for term, predicates in defined.items()
                      if label not in predicates or comment not in predicates)

    @property
    def shapes_path(self) -> Path:
        return self.folder / "shapes.ttl"

    @property
    def rule_paths(self) -> list[Path]:
        return sorted((self.folder / "rules").glob("*.rq"))

    @property
    def query_dir(self) -> Path:
        return self.folder / "queries"


def load_ontology(folder: Path | None = None) -> Ontology:
    """Parse ``folder``/conflict.ttl (default: the bundled ontology) into the ontology graph."""
    folder = folder or ontology_dir()
    return Ontology(parse_file(folder / "conflict.ttl", graph=GRAPH_ONTOLOGY), folder)
