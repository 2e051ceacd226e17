"""Build and import into a remote SPARQL store without ever leaving it half-written.

The strategy (see :mod:`conflictgraph.store.remote`): stage on the client, then replace in one
SPARQL Update request, which the server applies atomically.

- **build**: the curated layer (ontology, bundled and ``--graph`` folders) is parsed, validated
  and loaded into an in-memory store here; one request then drops the live curated graphs
  (every graph except the imported datasets and the import log, which a build keeps), inserts
  the new ones, drops the inferred graph and runs every rule as ``INSERT ... WHERE``.
- **import**: the importer writes to a :class:`RemoteOverlay`: the graphs it changes (its
  dataset graph, the import log) are copied here on first write and changed locally, while
  every other read goes to the live store; one request then sends the difference
  (``DELETE DATA`` / ``INSERT DATA``) and re-runs the rules.

Examples
--------
>>> from conflictgraph.terms import IRI, Literal
>>> overlay = RemoteOverlay(remote=None)
>>> overlay.load_quads([(IRI("http://ex/a"), IRI("http://ex/p"), Literal("x"), "http://ex/g")], _fetch=False)
>>> print(overlay.changes().text())
INSERT DATA { GRAPH <http://ex/g> { <http://ex/a> <http://ex/p> "x" .
} }
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from conflictgraph.errors import StoreMissing
from conflictgraph.infer import rule_inputs
from conflictgraph.namespaces import DATASET_INFERRED_GRAPHS, GRAPH_INFERRED
from conflictgraph.ontology import Ontology, load_ontology
from conflictgraph.store import open_store
from conflictgraph.store.base import Quad, QueryResult
from conflictgraph.store.remote import Endpoint, RemoteChanges, RemoteStore
from conflictgraph.terms import BNode, IRI, Term

__all__ = ["build_remote", "update_remote", "open_remote", "RemoteOverlay", "add_rules"]

Notify = Callable[[str], None]


def open_remote(endpoint: Endpoint) -> RemoteStore:
    """The remote store at ``endpoint``; :class:`StoreMissing` when it holds no graph yet."""
    store = RemoteStore(endpoint)
    if store.is_empty():
        store.close()
        raise StoreMissing(f"the SPARQL store at {endpoint} holds no graph: run "
                           f"'conflictgraph build --endpoint {endpoint}' first")
    return store


def add_rules(changes: RemoteChanges, store: RemoteStore, ontology: Ontology, graphs: Iterable[str]) -> None:
    """Append to ``changes``: clear the inferred graph, then each rule in order, reading the
    curated graphs among ``graphs`` (:func:`conflictgraph.infer.rule_inputs`), named with USING
    unless the server's default graph is already the union of every graph: then the date-bound
    rule also covers imported events, and those copies of what the importer wrote are deleted."""
    using = None if store.union_default_graph() else sorted(set(rule_inputs(list(graphs))))
    changes.drop_graph(GRAPH_INFERRED)
    for path in ontology.rule_paths:
        changes.rule(path.read_text(encoding="utf-8"), GRAPH_INFERRED, using)
    if using is None:
        changes.drop_copies(GRAPH_INFERRED, DATASET_INFERRED_GRAPHS)


def _count(store: RemoteStore, graph: str) -> int:
    rows = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", bindings={"g": IRI(graph)}).rows
    return int(rows[0]["n"].value)


def build_remote(endpoint: Endpoint, ontology: Ontology, loaded, report, *, kept: tuple[str, ...],
                 notify: Notify, started: float):
    """Replace the curated layer of the remote store in one request; return (store, report)."""
    local = open_store(":memory:")
    local.add_ox_quads(ontology.quads)
    local.add_ox_quads(loaded.quads)
    store = RemoteStore(endpoint)
    live = store.named_graphs()
    keep = [g for g in live if g.startswith(kept)]
    changes = RemoteChanges()
    for graph in live:
        if graph not in keep:
            changes.drop_graph(graph)
    changes.insert(local.quads())
    add_rules(changes, store, ontology, keep + local.named_graphs())
    notify(f"replacing the curated graphs of {endpoint} and applying rules (one update request)")
    store.apply(changes)
    report.asserted = len(ontology.quads) + len(loaded.quads)
    report.inferred = _count(store, GRAPH_INFERRED)
    report.rules = {"all rules": report.inferred}
    report.seconds = time.perf_counter() - started
    return store, report


class RemoteOverlay:
    """A writable view of a remote store whose writes stay local until :meth:`changes`.

    The graphs written to are copied from the remote store on first write and changed here;
    a query whose bound values name one of those graphs is answered here, every other query by
    the live store (which does not change during an import).
    """

    def __init__(self, remote: RemoteStore | None):
        self.remote = remote
        self.local = open_store(":memory:")
        self.before: dict[str, set[Quad]] = {}
        self._copying = threading.Lock()  # an import loads chunks from two threads

    def _touch(self, graph: str, fetch: bool = True) -> None:
        with self._copying:
            if graph not in self.before:
                quads = list(self.remote.quads(graph)) if fetch and self.remote is not None else []
                self.local.add_quads(quads)
                self.before[graph] = set(quads)

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None) -> QueryResult:
        if bindings and any(isinstance(v, IRI) and str(v) in self.before for v in bindings.values()):
            return self.local.query(sparql, bindings=bindings)
        return self.remote.query(sparql, bindings=bindings)

    def load_quads(self, quads: Iterable[Quad], *, _fetch: bool = True) -> None:
        quads = list(quads)
        for graph in {q[3] for q in quads}:
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


@contextmanager
def update_remote(endpoint: Endpoint, *, notify: Notify) -> Iterator[RemoteOverlay]:
    """Yield a :class:`RemoteOverlay`; when the block ends without error, send its changes and
    the rules as one update request. An error leaves the remote store untouched."""
    store = open_remote(endpoint)
    try:
        overlay = RemoteOverlay(store)
        yield overlay
        changes = overlay.changes()
        graphs = set(store.named_graphs()) | set(overlay.before)
        add_rules(changes, store, load_ontology(), graphs)
        notify(f"sending the changes to {endpoint} and applying rules (one update request)")
        store.apply(changes)
    finally:
        store.close()
