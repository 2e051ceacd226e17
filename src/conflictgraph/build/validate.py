"""Check curated graphs against ontology/shapes.ttl and map each finding to its file.

pySHACL reports nodes, not files; the loader remembers which file describes each node, and a
best-effort search finds the line where a named node is written.

Examples
--------
>>> from conflictgraph.build.ontology import load_ontology
>>> from conflictgraph.build.folders import load_folders
>>> vocab = load_ontology()
>>> findings = validate_loaded(load_folders([MINI], vocab), vocab)
>>> [f for f in findings if f.severity == "Violation"]
[]
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from conflictgraph.build.folders import LoadedGraph
from conflictgraph.build.ontology import Ontology
from conflictgraph.rdf.namespaces import shorten

__all__ = ["Finding", "validate_loaded"]

SH = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True)
class Finding:
    """One problem: where (file, line when known, node), what (property, value) and why."""

    file: str
    line: int | None
    node: str
    path: str | None
    value: str | None
    message: str
    severity: str

    def render(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        prop = f" {shorten(self.path)}" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{where}: {shorten(self.node)}{prop}: {self.message}{value}"


def validate_loaded(loaded: LoadedGraph, ontology: Ontology) -> list[Finding]:
    """Run the shapes on the union of the loaded files plus the ontology; return findings."""
    import pyshacl  # imported here: only build and validate need it
    import rdflib

    data = rdflib.Dataset()
    nquads = ox.serialize(list(ontology.quads) + list(loaded.quads), format=ox.RdfFormat.N_QUADS)
    data.parse(data=nquads, format="nquads")
    shapes = rdflib.Graph().parse(str(ontology.shapes_path), format="turtle")
    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, advanced=True, inference="none", allow_warnings=True)
    findings = []
    for result in report.subjects(rdflib.RDF.type, rdflib.URIRef(SH + "ValidationResult")):
        node = str(report.value(result, rdflib.URIRef(SH + "focusNode")))
        path = report.value(result, rdflib.URIRef(SH + "resultPath"))
        value = report.value(result, rdflib.URIRef(SH + "value"))
        message = report.value(result, rdflib.URIRef(SH + "resultMessage"))
        severity = str(report.value(result, rdflib.URIRef(SH + "resultSeverity"))).rsplit("#", 1)[-1]
        file = (loaded.origin.get(node) or ["(ontology)" if node.startswith("https://w3id.org/conflictgraph/ontology")
                                            else "(unknown file)"])[-1]
        findings.append(Finding(
            file=file, line=_find_line(file, node), node=node,
            path=str(path) if isinstance(path, rdflib.URIRef) else None,
            value=str(value) if value is not None else None,
            message=str(message) if message else "does not conform to its shape",
            severity=severity))
    return sorted(set(findings), key=lambda f: (f.file, f.line or 0, f.node, f.message))


@lru_cache(maxsize=64)
def _file_lines(file: str) -> tuple[str, ...]:
    try:
        return tuple(Path(file).read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return ()


def _find_line(file: str, node: str) -> int | None:
    """The first line where ``node`` is written as a subject (full IRI or prefixed name)."""
    local = re.split(r"[/#]", node)[-1]
    if not local or "/id/stmt/" in node or "/id/tie/" in node or "/id/claim/" in node:
        return None
    pattern = re.compile(r"^\s*(<" + re.escape(node) + r">|[A-Za-z][\w-]*:" + re.escape(local) + r")(\s|$)")
    for number, line in enumerate(_file_lines(file), start=1):
        if pattern.match(line):
            return number
    return None
