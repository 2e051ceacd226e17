"""Build and import into a remote SPARQL store without ever leaving it half-written.

The strategy (see :mod:`conflictgraph.store.remote`): stage on the client, then send the
change as one SPARQL Update request, which the server applies atomically, or, when it is too
large for one, in pieces on staging graphs switched in by one small request
(:meth:`~conflictgraph.store.remote.RemoteStore.apply`).

- **build**: the curated layer (ontology, bundled and ``--graph`` folders) is parsed, validated
  and loaded into an in-memory store here; the change then drops the live curated graphs
  (the graphs conflictgraph owns, except the imported datasets and the import log, which a
  build keeps), inserts the new ones, drops the inferred graph and runs every rule as
  ``INSERT ... WHERE``.
- **import**: the importer writes to a :class:`~conflictgraph.store.overlay.RemoteOverlay`:
  the graphs it changes (its dataset graph, the import log) are copied here on first write and
  changed locally, while every other read goes to the live store; the change then sends the
  difference (``DELETE DATA`` / ``INSERT DATA``) and re-runs the rules.

A shared store holds other people's graphs too: a build or import changes only the graphs
conflictgraph owns (:func:`owned_graphs`): those under its own namespace (ontology, reference,
inferred, datasets, import log) and the curated graphs, whose names come from the graph
folders and can be anything, so each build lists them in ``GRAPH_BUILD``
(``<GRAPH_BUILD> dct:hasPart <graph>``) for the next one to find.

Every build and import also gives the store a new version (``<GRAPH_BUILD> dct:identifier``, a
random id, :func:`store_version`): what a long-running reader (``serve --endpoint``) checks to
know it must forget what it kept of the store, as it reopens an on-disk store's new generation.
"""
from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from conflictgraph.build.infer import rule_inputs
from conflictgraph.build.matches import check_matches, dataset_graphs_of, merge_updates, read_matches
from conflictgraph.build.ontology import Ontology, load_ontology
from conflictgraph.errors import StoreMissing
from conflictgraph.rdf.namespaces import DATASET_INFERRED_GRAPHS, GRAPH_BUILD, GRAPH_INFERRED, GRAPHS, PREFIXES
from conflictgraph.rdf.terms import IRI, Literal, lexical
from conflictgraph.store.overlay import RemoteOverlay
from conflictgraph.store.oxigraph import OxigraphStore
from conflictgraph.store.remote import Endpoint, RemoteChanges, RemoteStore

__all__ = ["build_remote", "update_remote", "open_remote", "add_rules", "owned_graphs", "store_version"]

Notify = Callable[[str], None]


def open_remote(endpoint: Endpoint, *, timeout: float = 300.0) -> RemoteStore:
    """The remote store at ``endpoint`` (``timeout``: seconds to wait for any one answer);
    :class:`StoreMissing` when it holds no graph of conflictgraph's yet (a server may hold
    graphs of its own: Virtuoso does)."""
    store = RemoteStore(endpoint, timeout=timeout)
    if not any(g.startswith(GRAPHS) for g in store.named_graphs()):
        store.close()
        raise StoreMissing(f"the SPARQL store at {endpoint} holds no graph: run "
                           f"'conflictgraph build --endpoint {endpoint}' first")
    return store


_HAS_PART = PREFIXES["dct"] + "hasPart"
_VERSION = PREFIXES["dct"] + "identifier"
_VERSION_QUERY = (f"SELECT ?v FROM NAMED <{GRAPH_BUILD}> WHERE {{ GRAPH <{GRAPH_BUILD}> "
                  f"{{ <{GRAPH_BUILD}> <{_VERSION}> ?v }} }}")


def store_version(store: RemoteStore) -> str | None:
    """The version the last build or import gave ``store`` (None: none recorded). The query
    names its graph with FROM NAMED, so it needs no list of the store's graphs."""
    rows = store.query(_VERSION_QUERY).rows
    return str(lexical(rows[0]["v"])) if rows and rows[0]["v"] is not None else None


def _new_version(changes: RemoteChanges) -> None:
    """Append to ``changes``: replace the store's version with a new one."""
    build, version = IRI(GRAPH_BUILD), IRI(_VERSION)
    changes.delete_where(build, version, GRAPH_BUILD)
    changes.insert([(build, version, Literal(uuid.uuid4().hex), GRAPH_BUILD)])


def owned_graphs(store: RemoteStore) -> set[str]:
    """The graphs of ``store`` that conflictgraph owns: those under its namespace, and the
    curated graphs the last build listed in ``GRAPH_BUILD``. Every other graph is someone else's."""
    rows = store.query("SELECT ?g WHERE { GRAPH ?build { ?build ?part ?g } }",
                       bindings={"build": IRI(GRAPH_BUILD), "part": IRI(_HAS_PART)}).rows
    recorded = {str(row["g"]) for row in rows}
    return {g for g in store.named_graphs() if g.startswith(GRAPHS) or g in recorded}


def add_rules(changes: RemoteChanges, store: RemoteStore, ontology: Ontology, graphs: Iterable[str]) -> None:
    """Append to ``changes``: clear the inferred graph, then each rule in order, reading the
    curated graphs among ``graphs`` (:func:`conflictgraph.build.infer.rule_inputs`), named with USING
    unless the server's default graph is already the union of every graph: then the date-bound
    rule also covers imported events, and those copies of what the importer wrote are deleted."""
    union = store.union_default_graph()
    inputs = sorted(set(rule_inputs(list(graphs))))
    changes.drop_graph(GRAPH_INFERRED)
    for path in ontology.rule_paths:
        changes.rule(path.read_text(encoding="utf-8"), GRAPH_INFERRED, inputs, union=union)
    if union:
        changes.drop_copies(GRAPH_INFERRED, DATASET_INFERRED_GRAPHS)


def _how(store: RemoteStore, changes: RemoteChanges) -> str:
    if changes.triples() <= store.piece:
        return "one update request"
    return f"in pieces of {store.piece} triples on staging graphs, switched in by one request"


def _count(store: RemoteStore, graph: str) -> int:
    rows = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", bindings={"g": IRI(graph)}).rows
    return int(lexical(rows[0]["n"]))


def build_remote(endpoint: Endpoint, ontology: Ontology, loaded, report, *, kept: tuple[str, ...],
                 notify: Notify, started: float):
    """Replace the curated layer of the remote store in one request; return (store, report)."""
    local = OxigraphStore.in_memory()
    local.add_ox_quads(ontology.quads)
    local.add_ox_quads(loaded.quads)
    curated = local.named_graphs()
    local.add_quads([(IRI(GRAPH_BUILD), IRI(_HAS_PART), IRI(g), GRAPH_BUILD) for g in curated])
    store = RemoteStore(endpoint)
    owned = owned_graphs(store)
    keep = sorted(g for g in owned if g.startswith(kept))
    changes = RemoteChanges()
    # the graphs this build writes are replaced too, whoever wrote them before
    for graph in sorted((owned | (set(curated) & set(store.named_graphs()))) - set(keep)):
        changes.drop_graph(graph)
    changes.insert(local.quads())
    matches = read_matches(local)
    check_matches(matches, local, store)
    for template in merge_updates(matches):
        for graph in dataset_graphs_of(keep):
            changes.update_graph(graph, template)
    add_rules(changes, store, ontology, keep + curated)
    _new_version(changes)
    notify(f"replacing the curated graphs of {endpoint} and applying rules ({_how(store, changes)})")
    store.drop_graphs(store.staging_graphs())  # left by a writer that failed or was killed
    store.apply(changes)
    report.asserted = len(ontology.quads) + len(loaded.quads)
    report.inferred = _count(store, GRAPH_INFERRED)
    report.rules = {"all rules": report.inferred}
    report.seconds = time.perf_counter() - started
    return store, report


@contextmanager
def update_remote(endpoint: Endpoint, *, notify: Notify) -> Iterator[RemoteOverlay]:
    """Yield a :class:`RemoteOverlay`; when the block ends without error, send its changes and
    the rules as one update request. An error leaves the remote store untouched."""
    store = open_remote(endpoint)
    try:
        overlay = RemoteOverlay(store)
        yield overlay
        changes = overlay.changes()
        graphs = owned_graphs(store) | set(overlay.before)
        add_rules(changes, store, load_ontology(), graphs)
        _new_version(changes)
        notify(f"sending the changes to {endpoint} and applying rules ({_how(store, changes)})")
        store.drop_graphs(store.staging_graphs())  # left by a writer that failed or was killed
        store.apply(changes)
    finally:
        store.close()
