"""The library face of conflictgraph: the same code paths as the CLI, for notebooks.

Examples
--------
>>> graph = open_graph(":memory:")
>>> graph.resolve("Pantein").label
'Pan Tein'
>>> rows = graph.query_named("operation-participants", operation="Operation 1107")
>>> "Karenni Army" in {str(r["participantLabel"]) for r in rows}
True
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Mapping

from conflictgraph.build import DEFAULT_STORE, open_for_reading
from conflictgraph.errors import UsageError
from conflictgraph.namespaces import CG, SPARQL_PREFIXES, expand, shorten
from conflictgraph.ontology import load_ontology
from conflictgraph.queries import ENTITY_PARAM_TYPES, NamedQuery, load_catalog, parse_date
from conflictgraph.resolve import Entity, NameIndex
from conflictgraph.show import describe
from conflictgraph.sparql_safety import check_query
from conflictgraph.store.base import QueryResult, Store
from conflictgraph.terms import IRI, Literal, Term, XSD

__all__ = ["ConflictGraph", "open_graph"]

_KIND_ROOTS = {"actor": "Actor", "place": "Place", "operation": "Operation", "source": "Source"}


class ConflictGraph:
    """A store plus the named queries and the name index."""

    def __init__(self, store: Store):
        self.store = store
        self._names: NameIndex | None = None
        self._catalog: dict[str, NamedQuery] | None = None

    @property
    def names(self) -> NameIndex:
        if self._names is None:
            self._names = NameIndex(self.store)
        return self._names

    @property
    def catalog(self) -> dict[str, NamedQuery]:
        if self._catalog is None:
            self._catalog = load_catalog()
        return self._catalog

    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None, *, trusted: bool = False) -> QueryResult:
        """Run SPARQL with bound values. Text from outside (``trusted=False``) is parsed first and
        refused if it is an update or uses SERVICE.

        The usual prefixes (cg:, actor:, place:, op:, src:, skos:, dct:, ...) are declared for
        you; a query may still declare its own.
        """
        text = SPARQL_PREFIXES + sparql
        if not trusted:
            check_query(text, line_offset=SPARQL_PREFIXES.count("\n"))
        return self.store.query(text, bindings=bindings)

    def resolve(self, name: str, kind: str | None = None) -> Entity:
        """The entity called ``name`` (label, acronym, alias); ``kind`` narrows ties: actor,
        place, operation or source."""
        kinds = None
        if kind in _KIND_ROOTS:
            kinds = {shorten(c) for c in load_ontology().subclasses(CG + _KIND_ROOTS[kind])}
        return self.names.resolve(name, kinds=kinds)

    def bind_params(self, query: NamedQuery, params: Mapping[str, str]) -> dict[str, Term]:
        """Turn text values into terms by each parameter's declared type (all required ones given)."""
        query.check_required(params)
        bound: dict[str, Term] = {}
        for name, text in params.items():
            param = query.param(name)
            if param.type in ENTITY_PARAM_TYPES:
                bound[name] = self.resolve(text, param.type).iri
            elif param.type == "date":
                bound[name] = Literal(parse_date(text), datatype=XSD + "date")
            elif param.type == "integer":
                if not text.strip().lstrip("-").isdigit():
                    raise UsageError(f"parameter {name!r} needs a whole number, not {text!r}")
                bound[name] = Literal(text.strip(), datatype=XSD + "integer")
            elif param.type == "iri":
                bound[name] = IRI(expand(text.strip()))
            else:
                bound[name] = Literal(text)
        return bound

    def query_named(self, name: str, **params: str) -> list[dict]:
        """Run the named query ``name`` with parameters given as text (names, dates)."""
        if name not in self.catalog:
            raise UsageError(f"no named query {name!r}; 'conflictgraph queries' lists them")
        query = self.catalog[name]
        return self.store.query(query.text, bindings=self.bind_params(query, params)).rows

    def show(self, name: str) -> dict:
        """Everything about the entity called ``name`` (see :func:`conflictgraph.show.describe`)."""
        return describe(self.store, self.resolve(name).iri)

    def project(self, **options):
        """The graph as a :class:`networkx.MultiDiGraph`: ``project(self.store, **options)``.

        Options are those of :func:`conflictgraph.project.project`: ``view`` ("actors" or
        "alliance"), ``as_of`` or ``between``, ``evidence``, ``status``, ``include_generic``,
        ``relations``. The analyses of :mod:`conflictgraph.analyze` take the result.

        >>> graph = open_graph(":memory:")
        >>> net = graph.project(view="actors", as_of="2023-12-01")
        >>> from conflictgraph.analyze import alliance_paths
        >>> hops = alliance_paths(net, graph.resolve("KNDF").iri, graph.resolve("Karenni Army").iri)[0]
        >>> all(hop["sources"] for hop in hops)
        True
        """
        from conflictgraph.project import project
        return project(self.store, **options)


def open_graph(location: str | Path = DEFAULT_STORE, *, notify: Callable[[str], None] | None = None) -> ConflictGraph:
    """Open the store at ``location`` read-only (building the bundled graph if none exists)."""
    return ConflictGraph(open_for_reading(location, notify=notify or (lambda _m: None)))
