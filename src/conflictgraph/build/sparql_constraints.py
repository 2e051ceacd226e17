"""Run the shapes' SPARQL constraints once over the whole graph, in Oxigraph.

pySHACL evaluates a SPARQL-based constraint (``sh:sparql``) once per focus node, parsing its
query again each time with rdflib's pure-Python parser: a reference file of 25,000 villages
took minutes for the one constraint on places (no place may lie within itself). The same
constraint asks one question of the whole graph: which focus nodes have a solution. This module
takes the SPARQL constraints out of the shapes graph before pySHACL sees it
(:func:`take_sparql_constraints`) and answers each with one query to an in-memory Oxigraph
store (:func:`run_sparql_constraints`): the constraint's SELECT, with ``$this`` free, joined
with the shape's targets. The results are pySHACL's (a test validates every bad fixture both
ways): the focus node, ``?path``, ``?value`` (the focus node when the query binds none), and
``sh:message`` with ``{?var}`` / ``{$var}`` filled in from the solution.

Supported, as the shapes use them: node shapes with ``sh:targetClass`` (and subclasses),
``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, ``sh:targetNode`` and SPARQL targets
(``sh:target [ a sh:SPARQLTarget ; sh:select ... ]``), and ``sh:prefixes`` declared with
``sh:declare``. A constraint on a property shape (``$PATH``) is left to pySHACL.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from conflictgraph.rdf.namespaces import PREFIXES, RDF_TYPE

__all__ = ["SparqlConstraint", "take_sparql_constraints", "run_sparql_constraints"]

SH = PREFIXES["sh"]
_INSTANCE_OF = f"<{RDF_TYPE}>/<{PREFIXES['rdfs']}subClassOf>*"  # a class target covers its subclasses
_THIS = re.compile(r"\$this\b")
_MESSAGE_VARIABLE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class SparqlConstraint:
    """One ``sh:sparql`` constraint of a node shape, ready to run on a whole graph."""

    shape: str
    prefixes: str  # PREFIX lines
    select: str  # the constraint's SELECT, $this as written
    targets: tuple[str, ...]  # graph patterns that bind ?this to a focus node (a union of them)
    messages: tuple[str, ...]
    severity: str  # "Violation", "Warning" or "Info"

    def query(self) -> str:
        """The constraint asked once: its SELECT as a subquery over every focus node."""
        targets = " UNION ".join(f"{{ {target} }}" for target in self.targets)
        inner = _THIS.sub("?this", self.select)
        return f"{self.prefixes}SELECT * WHERE {{ {{ {targets} }} {{ {inner} }} }}"


def take_sparql_constraints(shapes: Any) -> list[SparqlConstraint]:
    """Remove from ``shapes`` (an rdflib Graph) the SPARQL constraints of node shapes, and the
    shapes left with nothing else to check; return the constraints."""
    import rdflib

    sh = rdflib.Namespace(SH)
    found = []
    for shape, constraint in list(shapes.subject_objects(sh.sparql)):
        if (shape, sh.path, None) in shapes:
            continue  # a property shape's constraint ($PATH): pySHACL's
        select = shapes.value(constraint, sh.select)
        severity = shapes.value(shape, sh.severity)
        prefix_nodes = [constraint, *shapes.objects(shape, sh.target)]  # a SPARQL target declares its own
        found.append(SparqlConstraint(
            shape=str(shape), prefixes=_prefix_lines(shapes, prefix_nodes), select=str(select),
            targets=_targets(shapes, shape),
            messages=tuple(sorted(str(m) for m in shapes.objects(constraint, sh.message))),
            severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation"))
        shapes.remove((shape, sh.sparql, constraint))
    describing = {rdflib.RDF.type, rdflib.RDFS.label, rdflib.RDFS.comment, sh.targetClass, sh.targetNode,
                  sh.targetSubjectsOf, sh.targetObjectsOf, sh.target, sh.severity, sh.message, sh.name,
                  sh.description, sh.deactivated}
    for constraint in found:  # a shape with nothing but targets and words left has nothing for pySHACL to do
        shape = rdflib.URIRef(constraint.shape)
        if all(p in describing for p in shapes.predicates(shape, None)):
            for triple in list(shapes.triples((shape, None, None))):
                shapes.remove(triple)
    return found


def _prefix_lines(shapes: Any, nodes: Iterable[Any]) -> str:
    """The PREFIX lines the ``sh:prefixes`` of ``nodes`` declare (``sh:declare``)."""
    import rdflib

    sh = rdflib.Namespace(SH)
    lines = []
    for declaring in (d for node in nodes for d in shapes.objects(node, sh.prefixes)):
        for declaration in shapes.objects(declaring, sh.declare):
            prefix, namespace = shapes.value(declaration, sh.prefix), shapes.value(declaration, sh.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>\n")
    return "".join(sorted(set(lines)))


def _targets(shapes: Any, shape: Any) -> tuple[str, ...]:
    """The graph patterns binding ?this to each kind of target the shape declares."""
    import rdflib

    sh = rdflib.Namespace(SH)
    targets = [f"?this {_INSTANCE_OF} <{c}> ." for c in shapes.objects(shape, sh.targetClass)]
    targets += [f"?this <{p}> ?target_object ." for p in shapes.objects(shape, sh.targetSubjectsOf)]
    targets += [f"?target_subject <{p}> ?this ." for p in shapes.objects(shape, sh.targetObjectsOf)]
    targets += [f"VALUES ?this {{ {node.n3()} }}" for node in shapes.objects(shape, sh.targetNode)]
    for target in shapes.objects(shape, sh.target):
        select = shapes.value(target, sh.select)
        if select is None:
            raise ValueError(f"shape <{shape}>: only SPARQL targets (sh:select) are supported as sh:target")
        targets.append(f"{{ {_strip_prefixes(str(select))} }}")
    if (shape, rdflib.RDF.type, rdflib.RDFS.Class) in shapes:  # an implicit class target
        targets.append(f"?this {_INSTANCE_OF} <{shape}> .")
    if not targets:
        raise ValueError(f"shape <{shape}> has a SPARQL constraint but no target this module knows")
    return tuple(targets)


def _strip_prefixes(select: str) -> str:
    return re.sub(r"^\s*PREFIX\s+[\w.-]*:\s*<[^>]*>\s*", "", select, flags=re.I | re.M)


def run_sparql_constraints(constraints: Iterable[SparqlConstraint], quads: Iterable[ox.Quad]) -> list[dict]:
    """Each constraint's results on ``quads`` (their union): dicts with node, path, value,
    message, severity, as pySHACL reports them."""
    store = ox.Store()
    store.extend(quads)
    results = []
    for constraint in constraints:
        solutions = store.query(constraint.query(), use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)  # a SELECT
        names = [variable.value for variable in solutions.variables]
        for solution in solutions:
            row = {name: solution[name] for name in names if solution[name] is not None}
            this = row["this"]
            value = row.get("value", this)
            bound = {name: _text(term) for name, term in row.items()} | {"value": _text(value)}
            for message in constraint.messages or ("",):
                results.append({
                    "node": _text(this), "path": _text(row["path"]) if "path" in row else None,
                    "value": _text(value),
                    "message": _filled(message, bound),
                    "severity": constraint.severity})
    return results


def _filled(message: str, bound: dict[str, str]) -> str:
    """``message`` with each ``{?var}`` / ``{$var}`` replaced by the variable's value (left as
    written when the solution does not bind it)."""
    return _MESSAGE_VARIABLE.sub(lambda m: bound.get(m.group(1), m.group(0)), message)


def _text(term: Any) -> str:
    return term.value if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)) else str(term)
