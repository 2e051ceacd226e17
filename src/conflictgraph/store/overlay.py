"""A writable view of a remote store whose writes stay here until they are sent in one request.

An import into a remote store writes to a :class:`RemoteOverlay`; :mod:`conflictgraph.build.remote`
sends :meth:`RemoteOverlay.changes` so that readers see all of the import or none of it
(:meth:`~conflictgraph.store.remote.RemoteStore.apply`).

Examples
--------
>>> from conflictgraph.rdf.terms import IRI, Literal
>>> overlay = RemoteOverlay(remote=None)
>>> overlay.load_quads([(IRI("http://ex/a"), IRI("http://ex/p"), Literal("x"), "http://ex/g")], _fetch=False)
>>> print(overlay.changes().text())
INSERT DATA { GRAPH <http://ex/g> { <http://ex/a> <http://ex/p> "x" .
} }
"""
from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from conflictgraph.errors import StoreError
from conflictgraph.rdf.terms import IRI, BNode, Term
from conflictgraph.store.base import Capabilities, Dataset, Quad, QueryResult
from conflictgraph.store.oxigraph import OxigraphStore
from conflictgraph.store.changes import RemoteChanges
from conflictgraph.store.remote import RemoteStore

__all__ = ["RemoteOverlay"]


class RemoteOverlay:
    """A writable view of a remote store whose writes stay local until :meth:`changes`.

    The graphs written to are copied from the remote store on first write and changed here;
    a query whose bound values name one of those graphs is answered here, every other query by
    the live store (which does not change during an import).
    """

    capabilities = Capabilities(persistent=True)

    def __init__(self, remote: RemoteStore | None):
        self.remote = remote
        self.local = OxigraphStore.in_memory()
        self.before: dict[str, set[Quad]] = {}
        self._copying = threading.Lock()  # an import loads chunks from two threads

    def _touch(self, graph: str, fetch: bool = True) -> None:
        with self._copying:
            if graph not in self.before:
                quads = list(self.remote.quads(graph)) if fetch and self.remote is not None else []
                self.local.add_quads(quads)
                self.before[graph] = set(quads)

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None,
              dataset: Dataset | None = None) -> QueryResult:
        if bindings and any(isinstance(v, IRI) and str(v) in self.before for v in bindings.values()):
            return self.local.query(sparql, bindings=bindings, dataset=dataset)
        if self.remote is None:
            raise StoreError("this overlay has no remote store to query")
        return self.remote.query(sparql, bindings=bindings, dataset=dataset)

    def load_quads(self, quads: Iterable[Quad], *, _fetch: bool = True) -> None:
        quads = list(quads)
        for graph in {q[3] for q in quads}:
            if graph is None:  # changes are staged and sent per named graph
                raise StoreError("quads written to a remote store must name their graph")
            self._touch(graph, _fetch)
        self.local.add_quads(quads)

    add_quads = load_quads

    def load_nquads_file(self, path: Path, graphs: Iterable[str]) -> None:
        for graph in graphs:
            self._touch(graph)
        self.local.load_nquads_file(path)

    def remove_subjects(self, subjects: Iterable[str], graph: str) -> int:
        self._touch(graph)
        return self.local.remove_subjects(subjects, graph)

    def clear_graph(self, graph: str) -> None:
        self._touch(graph, fetch=False)
        self.local.clear_graph(graph)

    def named_graphs(self) -> list[str]:
        remote = set(self.remote.named_graphs()) if self.remote is not None else set()
        return sorted(remote | set(self.local.named_graphs()))

    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        if graph is not None and graph in self.before:
            yield from self.local.quads(graph)
            return
        if graph is not None:
            if self.remote is not None:
                yield from self.remote.quads(graph)
            return
        for name in self.named_graphs():
            yield from self.quads(name)

    def dump_nquads(self, path: Path) -> None:
        raise StoreError("a remote store's staged changes cannot be dumped; dump the remote store itself")

    def update(self, sparql: str) -> None:
        raise StoreError("updates to a remote store are sent whole at the end of the import, not one by one")

    def backup(self, target: Path) -> None:
        raise StoreError("a remote store cannot be backed up to a folder here")

    def compact(self) -> None:
        """Nothing to do: the server keeps its own files."""

    def close(self) -> None:
        self.local.close()

    def changes(self) -> RemoteChanges:
        """The difference between the copied graphs as they were and as they are now."""
        changes = RemoteChanges()
        for graph, before in self.before.items():
            now = set(self.local.quads(graph))
            if any(isinstance(t, BNode) for quad in before ^ now for t in quad[:3]):
                changes.drop_graph(graph)  # blank nodes cannot be deleted by value: replace the graph
                changes.insert(sorted(now, key=str))
                continue
            if before - now:
                changes.delete(sorted(before - now, key=str))
            if now - before:
                changes.insert(sorted(now - before, key=str))
        return changes
