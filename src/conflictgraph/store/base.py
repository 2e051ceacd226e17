"""The small interface every store backend implements (a Protocol), and its result type.

Examples
--------
>>> result = QueryResult(kind="select", variables=["x"], rows=[{"x": None}])
>>> len(result)
1
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from conflictgraph.rdf.frames import html_table, to_frame
from conflictgraph.rdf.terms import Term

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["Capabilities", "Dataset", "Quad", "QueryResult", "ResultStream", "Store", "select_values"]

# A quad as plain terms: (subject, predicate, object, graph IRI or None for the default graph).
Quad = tuple[Term, Term, Term, "str | None"]


@dataclass
class QueryResult:
    """What a query returns, whatever the engine.

    ``kind`` is "select", "ask" or "construct"; ``rows`` holds SELECT solutions (a dict per row,
    unbound variables as None), ``boolean`` the ASK answer, ``triples`` CONSTRUCT output.
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Term | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Term, Term, Term]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples)

    def __iter__(self) -> Iterator[dict[str, Term | None]]:
        return iter(self.rows)

    def _columns(self) -> tuple[list[dict], list[str]]:
        if self.kind == "ask":
            return [{"boolean": self.boolean}], ["boolean"]
        if self.kind == "construct":
            return [{"subject": s, "predicate": p, "object": o} for s, p, o in self.triples], [
                "subject", "predicate", "object"]
        return self.rows, self.variables

    def to_pandas(self) -> pd.DataFrame:
        """The result as a typed DataFrame (see :mod:`conflictgraph.rdf.frames`); needs pandas."""
        return to_frame(*self._columns())

    def _repr_html_(self) -> str:
        return html_table(*self._columns())


@dataclass
class ResultStream:
    """A query's answer as the engine produces it: ``items`` yields SELECT rows (dicts, as in
    :class:`QueryResult`) or CONSTRUCT triples one at a time, so a reader that keeps only the
    first ones never holds the rest.

    >>> stream = ResultStream.of(QueryResult(kind="select", variables=["x"], rows=[{"x": None}]))
    >>> stream.collect().rows
    [{'x': None}]
    """

    kind: str
    variables: list[str] = field(default_factory=list)
    boolean: bool | None = None
    items: Iterator = field(default_factory=lambda: iter(()))

    @classmethod
    def of(cls, result: QueryResult) -> ResultStream:
        """The stream of an answer already read whole."""
        items = result.rows if result.kind == "select" else result.triples
        return cls(kind=result.kind, variables=result.variables, boolean=result.boolean, items=iter(items))

    def collect(self) -> QueryResult:
        """The whole answer."""
        if self.kind == "select":
            return QueryResult(kind="select", variables=self.variables, rows=list(self.items))
        if self.kind == "construct":
            return QueryResult(kind="construct", triples=list(self.items))
        return QueryResult(kind="ask", boolean=self.boolean)


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset a query runs over, given from outside its text (the SPARQL Protocol's
    ``default-graph-uri`` and ``named-graph-uri``): the default graph is the merge of the graphs
    ``default`` names (empty when it names none), and ``GRAPH`` sees only the graphs of ``named``.

    It overrides the query's own FROM and FROM NAMED, as the Protocol says. Without one, a query
    that has FROM or FROM NAMED runs over the dataset it names, and any other over the union
    of all named graphs.

    >>> Dataset.from_lists(["http://ex/a"], []).default
    ('http://ex/a',)
    """

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()

    @classmethod
    def from_lists(cls, default: Iterable[str] | None, named: Iterable[str] | None) -> Dataset | None:
        """The dataset of the Protocol's two lists; None when both are empty (then the query decides)."""
        default, named = tuple(default or ()), tuple(named or ())
        return cls(default, named) if default or named else None


@dataclass(frozen=True)
class Capabilities:
    """What a backend can do beyond the common contract.

    ``persistent``: the data outlives the process; ``backup``: :meth:`Store.backup` copies the
    whole store to a folder; ``compact``: :meth:`Store.compact` does something; ``local_files``:
    :meth:`Store.load_nquads_file` reads a file on this machine directly (else the file is
    read here and sent).
    """

    persistent: bool = False
    backup: bool = False
    compact: bool = False
    local_files: bool = False


class Store(Protocol):
    """What the rest of conflictgraph may ask of a store, whatever the engine behind it.

    Queries see the union of all named graphs as their default graph, unless they name their
    dataset with FROM / FROM NAMED or are given a :class:`Dataset`. ``bindings`` maps a
    variable name (without '?') to a term and is applied by the engine, never by formatting.
    Writing methods raise :class:`~conflictgraph.errors.StoreError` on a store opened
    read-only. Every backend (embedded Oxigraph, a remote SPARQL endpoint, the staging overlay
    of a remote write) implements all of it; ``capabilities`` says where a method is a no-op.
    """

    capabilities: Capabilities

    # -- reading --
    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None,
              dataset: Dataset | None = None) -> QueryResult: ...

    def named_graphs(self) -> list[str]: ...

    def quads(self, graph: str | None = None) -> Iterator[Quad]: ...

    def dump_nquads(self, path: Path) -> None: ...

    # -- writing --
    def add_quads(self, quads: Iterable[Quad]) -> None:
        """Add quads in one transaction."""
        ...

    def load_quads(self, quads: Iterable[Quad]) -> None:
        """Bulk-load many quads (fast; for a store being written, not one being read)."""
        ...

    def load_nquads_file(self, path: Path, graphs: Iterable[str]) -> None:
        """Bulk-load an N-Quads file written by trusted code; ``graphs`` names the graphs it writes."""
        ...

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update. Trusted, internal text only (the inference rules); text from
        outside the code is never passed here (see docs/architecture.md)."""
        ...

    def remove_subjects(self, subjects: Iterable[str], graph: str) -> int:
        """Remove every quad of ``graph`` whose subject is one of ``subjects``; how many went."""
        ...

    def clear_graph(self, graph: str) -> None: ...

    # -- keeping --
    def backup(self, target: Path) -> None:
        """Copy the whole store into the folder ``target`` (needs ``capabilities.backup``)."""
        ...

    def compact(self) -> None:
        """Merge what bulk loads left behind so reads are fast (a no-op where not needed)."""
        ...

    def close(self) -> None: ...


def select_values(store: Store, sparql: str) -> Iterator[tuple[str | None, ...]]:
    """The rows of the SELECT ``sparql`` as tuples of lexical values in the order of its
    variables (None when unbound): the store's own ``select_values`` where it has one (embedded
    and remote stores: no term objects made, for reading many rows), else from :meth:`Store.query`.

    >>> from conflictgraph.store.oxigraph import OxigraphStore
    >>> list(select_values(OxigraphStore.in_memory(), "SELECT ?x ?y WHERE { BIND (1 AS ?x) }"))
    [('1', None)]
    """
    own = getattr(store, "select_values", None)
    if own is not None:
        yield from own(sparql)
        return
    result = store.query(sparql)
    for row in result.rows:
        yield tuple(None if row.get(v) is None else str(row[v]) for v in result.variables)
