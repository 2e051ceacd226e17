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

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from conflictgraph.build.folders import LoadedGraph
from conflictgraph.build.ontology import Ontology
from conflictgraph.build.sparql_constraints import SH, run_sparql_constraints, take_sparql_constraints
from conflictgraph.rdf.namespaces import shorten

__all__ = ["Finding", "validate_loaded"]



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
    """Run the shapes on the union of the loaded files plus the ontology; return findings.

    The same content validated again in one process (a notebook rebuilding the same folders,
    a test suite building one fixture many times) reuses the findings: pySHACL takes most of a
    small build's time, and its answer depends only on the quads, the files they came from and
    the shapes.
    """
    key = _content_key(loaded, ontology)
    if key not in _FINDINGS:
        if len(_FINDINGS) >= _REMEMBERED:
            _FINDINGS.pop(next(iter(_FINDINGS)))
        _FINDINGS[key] = tuple(_run_shapes(loaded, ontology))
    return list(_FINDINGS[key])


_REMEMBERED = 8  # validations kept per process
_FINDINGS: dict[str, tuple[Finding, ...]] = {}


def _content_key(loaded: LoadedGraph, ontology: Ontology) -> str:
    digest = hashlib.sha256(Path(ontology.shapes_path).read_bytes())
    for quad in (*ontology.quads, *loaded.quads):
        digest.update(str(quad).encode())
    digest.update(json.dumps(loaded.origin, sort_keys=True).encode())
    for file in loaded.files:  # findings name lines: an edited file is validated again
        try:
            stat = Path(file).stat()
            digest.update(f"{file} {stat.st_mtime_ns} {stat.st_size}".encode())
        except OSError:
            digest.update(file.encode())
    return digest.hexdigest()


def _run_shapes(loaded: LoadedGraph, ontology: Ontology) -> list[Finding]:
    # rdflib logs a warning with a traceback for every literal whose lexical form does not fit
    # its datatype ("2023-02-30"^^xsd:date); the shapes report those, one line each.
    quiet = logging.getLogger("rdflib.term")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        return _shape_findings(loaded, ontology)
    finally:
        quiet.setLevel(level)


def _shape_findings(loaded: LoadedGraph, ontology: Ontology) -> list[Finding]:
    import pyshacl  # imported here: only build and validate need it
    import rdflib

    data = rdflib.Dataset()
    for quad in (*ontology.quads, *loaded.quads):  # term by term: rdflib's N-Quads reader is quadratic
        graph = data.graph(_rdflib_term(quad.graph_name)) if not isinstance(quad.graph_name, ox.DefaultGraph) \
            else data.default_context
        graph.add((_rdflib_term(quad.subject), _rdflib_term(quad.predicate), _rdflib_term(quad.object)))
    shapes = rdflib.Graph().parse(str(ontology.shapes_path), format="turtle")
    constraints = take_sparql_constraints(shapes)  # asked once of the whole graph, below
    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, advanced=True, inference="none", allow_warnings=True)
    results = run_sparql_constraints(constraints, (*ontology.quads, *loaded.quads))
    for result in report.subjects(rdflib.RDF.type, rdflib.URIRef(SH + "ValidationResult")):
        path, value, message = (report.value(result, rdflib.URIRef(SH + name))
                                for name in ("resultPath", "value", "resultMessage"))
        results.append({
            "node": str(report.value(result, rdflib.URIRef(SH + "focusNode"))),
            "path": str(path) if isinstance(path, rdflib.URIRef) else None,
            "value": str(value) if value is not None else None, "message": str(message) if message else "",
            "severity": str(report.value(result, rdflib.URIRef(SH + "resultSeverity"))).rsplit("#", 1)[-1]})
    findings = []
    for result in results:
        node = result["node"]
        file = (loaded.origin.get(node) or ["(ontology)" if node.startswith("https://w3id.org/conflictgraph/ontology")
                                            else "(unknown file)"])[-1]
        findings.append(Finding(file=file, line=_find_line(file, node), node=node, path=result["path"],
                                value=result["value"], message=result["message"] or "does not conform to its shape",
                                severity=result["severity"]))
    return sorted(set(findings), key=lambda f: (f.file, f.line or 0, f.node, f.message))


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Any:
    """A pyoxigraph term as rdflib's (a long literal costs its length, not its length squared)."""
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:  # a simple literal, as rdflib reads one from text
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise ValueError(f"RDF 1.2 triple terms are not supported here: {term}")


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
