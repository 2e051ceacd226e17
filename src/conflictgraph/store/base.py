"""The small interface every store backend implements (a Protocol), and its result type.

Examples
--------
>>> result = QueryResult(kind="select", variables=["x"], rows=[{"x": None}])
>>> len(result)
1
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Protocol

from conflictgraph.terms import Term

__all__ = ["Quad", "QueryResult", "Store"]

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


class Store(Protocol):
    """What the rest of conflictgraph may ask of a store.

    Queries see the union of all named graphs as their default graph. ``bindings`` maps a
    variable name (without '?') to a term and is applied by the engine, never by formatting.
    """

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None) -> QueryResult: ...

    def add_quads(self, quads: Iterable[Quad]) -> None: ...

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update. Trusted, internal text only (the inference rules); text from
        outside the code is never passed here (see DESIGN section 5)."""
        ...

    def clear_graph(self, graph: str) -> None: ...

    def named_graphs(self) -> list[str]: ...

    def quads(self, graph: str | None = None) -> Iterator[Quad]: ...

    def dump_nquads(self, path: Path) -> None: ...

    def close(self) -> None: ...
