"""The query worker process: it opens the store read-only and answers the server's jobs, many
at once, each in a thread of its own.

pyoxigraph evaluates a query outside Python's global lock, so the threads share the cores as
the threads of Oxigraph's own server do: a short query is answered while a long one runs; and a
job that has run 0.2 s goes on at a lower priority (:class:`_Running`), so new ones come first. A
query's answer is read lazily and only up to ``max_rows`` + 1 rows (or triples): the one more
says whether the answer was cut, and no query makes the worker hold more than that many rows,
whatever it matches. The answer is written in the negotiated format here, and the server gets
the bytes to send: whole when they fit in ``PIECE`` bytes, else (a SELECT in JSON, XML, CSV or
TSV) in pieces of that size as the rows are read, at most ``WINDOW`` of them on their way at once.

This module imports little (the store, the query checks, the formats); what only the pages need
(named queries by name, entity descriptions, the network and vocabulary pages) is imported by
the first job that needs it, so a worker that answers SPARQL stays small.

Messages, over a socket the server passes at start: the server sends ``(store, time limit)``,
then ``(job id, job)`` per job; the worker answers once ``("ready", note)`` (note: why it keeps
network access, or None) or ``("error", (class name, message))``, then ``(job id, "ok", answer)``
or ``(job id, "error", (class name, message))`` per job, in the order they end. An answer sent
in pieces comes first as ``(job id, "head", {"media": ..., "body": first piece})``, then
``(job id, "more", piece)`` each, then its ``"ok"`` (or ``"error"``); the server sends
``(job id, "taken")`` for each piece it passed on, and ``(job id, "stop")`` when the client left.
"""
from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from itertools import islice
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from conflictgraph import errors as _errors
from conflictgraph.errors import ConflictGraphError
from conflictgraph.rdf.safety import check_query, deny_network
from conflictgraph.rdf.sparql_text import capped
from conflictgraph.rdf.terms import IRI
from conflictgraph.serve.formats import Pieces, negotiate, pieces_of
from conflictgraph.store.base import QueryResult, ResultStream, Store
from conflictgraph.store.generations import DATABASE, StoreLocation
from conflictgraph.store.oxigraph import OxigraphStore

if TYPE_CHECKING:  # pragma: no cover
    from conflictgraph.api import ConflictGraph
    from conflictgraph.store.remote import Endpoint

__all__ = ["main", "handle_job", "first_rows", "EntityNotFound", "THREADS"]

THREADS = 64  # jobs one worker runs at once (the server never sends it more)
PIECE = 1 << 20  # bytes of an answer written whole; a longer one is sent in pieces of about this size
WINDOW = 2  # pieces of one answer sent but not yet taken by the server
_BATCH = 64  # rows written at a time
# An entity's own triples first, then those naming it (the first are kept when the answer is cut)
_ENTITY_TRIPLES = ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT { ?x ?q ?s } WHERE { ?x ?q ?s }")


class EntityNotFound(_errors.UsageError):
    """A name or IRI that names nothing in the store (the server answers 404 for an entity page)."""


class _State:
    """What a worker keeps between jobs: the open generation (or remote store version) and its
    store. ``timeout`` bounds each HTTP answer of a remote store. Safe to use from many threads."""

    def __init__(self, location: str | Endpoint, timeout: float = 300.0):
        self.location, self.timeout = location, timeout
        self.generation: str | None = None
        self.store: Store | None = None
        self._graph: ConflictGraph | None = None
        self._lock = threading.Lock()

    def current(self) -> Store:
        """The store's current generation, reopened when a writer swapped in a new one."""
        with self._lock:
            if not isinstance(self.location, str):  # an Endpoint
                return self._current_remote(self.location)
            generation = StoreLocation(self.location).current()
            if generation is None:
                raise _errors.StoreMissing(f"no store at {self.location}: run 'conflictgraph build' first")
            if generation.name != self.generation or self.store is None:
                # the old store is dropped, not closed: a thread may still be reading it
                self.store = OxigraphStore.open_dir(generation / DATABASE, read_only=True)
                self.generation, self._graph = generation.name, None
            return self.store

    def _current_remote(self, endpoint: Endpoint) -> Store:
        """The remote store, opened afresh when its version changed (or when it records none)."""
        from conflictgraph.build.remote import open_remote, store_version
        from conflictgraph.store.remote import RemoteStore

        if isinstance(self.store, RemoteStore):
            version = store_version(self.store)
            if version is not None and version == self.generation:
                return self.store
        store = open_remote(endpoint, timeout=self.timeout)
        self.store, self.generation, self._graph = store, store_version(store), None
        return store

    def graph(self) -> ConflictGraph:
        """The :class:`~conflictgraph.api.ConflictGraph` of the current store (for named queries
        and pages)."""
        from conflictgraph.api import ConflictGraph

        store = self.current()
        with self._lock:
            if self._graph is None or self._graph.store is not store:
                self._graph = ConflictGraph(store)
            return self._graph


def first_rows(stream: ResultStream, max_rows: int | None) -> tuple[QueryResult, bool]:
    """The first ``max_rows`` rows (or triples) of ``stream``, read lazily, and whether it had
    more (None: every row).

    >>> stream = ResultStream(kind="select", variables=["n"], items=iter([{"n": 1}, {"n": 2}, {"n": 3}]))
    >>> result, cut = first_rows(stream, 2)
    >>> len(result.rows), cut
    (2, True)
    """
    if stream.kind == "ask":
        return QueryResult(kind="ask", boolean=stream.boolean), False
    items = list(stream.items if max_rows is None else islice(stream.items, max_rows + 1))
    truncated = max_rows is not None and len(items) > max_rows
    if truncated:
        del items[max_rows:]
    if stream.kind == "select":
        return QueryResult(kind="select", variables=stream.variables, rows=items), truncated
    return QueryResult(kind="construct", triples=items), truncated


def _stream(store: Store, text: str, max_rows: int | None = None, **options) -> ResultStream:
    """The answer to ``text``: read lazily from the embedded store. A remote store's arrives
    whole, so it is asked for no more than the ``max_rows`` + 1 rows kept where the query allows
    (:func:`~conflictgraph.rdf.sparql_text.capped`)."""
    if isinstance(store, OxigraphStore):
        return store.iter_query(text, **options)
    return ResultStream.of(store.query(text if max_rows is None else capped(text, max_rows + 1), **options))


class _Flow:
    """The pieces of one answer on their way to the server: :meth:`send` waits while ``WINDOW``
    of them are not yet taken, so a client that reads slowly holds up the query, not the
    server's memory; and raises :class:`_Stopped` once the server said the client left."""

    def __init__(self, send: Callable[[str, object], None]):
        self._send = send
        self._window = threading.Semaphore(WINDOW)
        self.stopped = False

    def send(self, status: str, detail: object) -> None:
        self._window.acquire()
        if self.stopped:
            raise _Stopped("the client went away")
        self._send(status, detail)

    def taken(self) -> None:
        self._window.release()

    def stop(self) -> None:
        self.stopped = True
        self._window.release()


class _Stopped(ConflictGraphError):
    """The client of an answer sent in pieces went away."""


def _written(stream: ResultStream, job: dict, flow: _Flow | None = None) -> dict:
    """The answer to a query job: its first rows written in the format the client accepts;
    sent in pieces through ``flow`` when it is longer than ``PIECE`` bytes and can be."""
    media, write = negotiate(job.get("accept"), stream.kind, job.get("format"))
    pieces = pieces_of(media) if stream.kind == "select" else None
    if flow is None or pieces is None:
        result, truncated = first_rows(stream, job.get("max_rows"))
        return {"media": media, "body": write(result), "truncated": truncated}
    return _in_pieces(stream, job.get("max_rows"), media, pieces, flow)


def _in_pieces(stream: ResultStream, max_rows: int | None, media: str, pieces: Pieces, flow: _Flow) -> dict:
    """Write the rows of ``stream`` (the first ``max_rows``) as they are read; the answer when it
    fits in one piece, else ``{"streamed": True}`` once all its pieces went through ``flow``."""
    items = stream.items if max_rows is None else islice(stream.items, max_rows + 1)
    body, count, truncated, streaming = bytearray(pieces.head(stream.variables)), 0, False, False
    while batch := list(islice(items, _BATCH)):
        if max_rows is not None and count + len(batch) > max_rows:
            batch, truncated = batch[:max_rows - count], True
        body += pieces.rows(stream.variables, batch, count == 0)
        count += len(batch)
        if len(body) >= PIECE:
            if streaming:
                flow.send("more", bytes(body))
            else:
                flow.send("head", {"media": media, "body": bytes(body)})
                streaming = True
            body.clear()
    body += pieces.tail
    if not streaming:
        return {"media": media, "body": bytes(body), "truncated": truncated}
    flow.send("more", bytes(body))
    return {"streamed": True}


def _entity_triples(store: Store, iri: str) -> ResultStream:
    """The triples ``iri`` is the subject of, then those naming it, each once."""
    bound = {"s": IRI(iri)}

    def triples():
        seen = set()
        for triple in _stream(store, _ENTITY_TRIPLES[0], bindings=bound).items:
            seen.add(triple)
            yield triple
        yield from (t for t in _stream(store, _ENTITY_TRIPLES[1], bindings=bound).items if t not in seen)

    return ResultStream(kind="construct", items=triples())


def _described(store: Store, iri: str) -> None:
    """Raise :class:`EntityNotFound` unless the store describes ``iri`` or holds a graph of that
    name (a query row's source may be a graph)."""
    if not store.query("ASK { { ?s ?p ?o } UNION { GRAPH ?s { ?a ?b ?c } } }", bindings={"s": IRI(iri)}).boolean:
        raise EntityNotFound(f"the store says nothing about <{iri}>")


def handle_job(state: _State, job: dict, flow: _Flow | None = None) -> dict:
    """Answer one job: ``query`` (SPARQL text, checked first: no update, no SERVICE), ``named``,
    ``triples`` (of one entity), ``describe``, ``resolve``, ``network``, ``vocabulary`` or
    ``ping``. A long answer to ``query`` or ``named`` goes through ``flow`` in pieces when given."""
    store = state.current()
    kind = job["kind"]
    answer: dict[str, Any] = {"generation": state.generation}
    if kind == "query":
        if job.get("check", True):
            check_query(job["text"], line_offset=job.get("line_offset", 0))
        answer.update(_written(_stream(store, job["text"], job.get("max_rows"), dataset=job.get("dataset")), job, flow))
    elif kind == "named":
        graph = state.graph()
        named = graph.named_query(job["name"])
        bindings = graph.bind_params(named, job.get("params", {}))
        answer.update(_written(_stream(store, named.text, job.get("max_rows"), bindings=bindings), job, flow))
    elif kind == "triples":
        _described(store, job["iri"])
        answer.update(_written(_entity_triples(store, job["iri"]), job))
    elif kind == "describe":
        from conflictgraph.network.tie_edges import table_counterparts
        from conflictgraph.query.describe import describe

        _described(store, job["iri"])
        answer["report"] = describe(store, IRI(job["iri"]), table_counterparts(store, job["iri"]))
    elif kind == "resolve":
        answer["iri"] = str(state.graph().resolve(job["name"]).iri)
    elif kind == "network":
        from conflictgraph.viz import render_html

        answer["html"] = render_html(state.graph().viz())
    elif kind == "vocabulary":  # the vocabulary's page, its examples from this store
        from conflictgraph.render.vocabulary import load_vocabulary, term_examples, vocabulary_html

        vocab = load_vocabulary()
        answer["html"] = vocabulary_html(vocab, term_examples(store, vocab))
    elif kind != "ping":
        raise _errors.UsageError(f"unknown job {kind!r}")
    return answer


def _reply(state: _State, job: dict, flow: _Flow) -> tuple[str, object]:
    try:
        return "ok", handle_job(state, job, flow)
    except ConflictGraphError as err:
        return "error", (type(err).__name__, str(err))
    except Exception as err:  # a bug or an engine failure: report it, keep serving
        return "error", ("QueryError", f"the query failed: {err}")


class _Running:
    """The jobs running in this worker, each in a thread of its own, and their ageing: a job
    that has run ``AGED`` seconds goes on at a lower scheduling priority (Linux: nice 5), so a
    query that has just come in gets the cores first and short answers stay short beside long
    ones (the threads end with their jobs, so no later job inherits the priority)."""

    AGED = 0.2

    def __init__(self) -> None:
        self._threads: dict[int, tuple[float, int]] = {}  # job id: (started, thread id)
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def job(self, job_id: int):
        with self._lock:
            self._threads[job_id] = (time.monotonic(), threading.get_native_id())
        try:
            yield
        finally:
            with self._lock:
                del self._threads[job_id]

    def age(self) -> None:
        """Lower the priority of each job that has run ``AGED`` seconds (a thread of its own)."""
        aged: set[int] = set()
        while True:
            time.sleep(0.05)
            with self._lock:  # a job's thread cannot end (and its id be reused) meanwhile
                for job_id, (started, thread) in self._threads.items():
                    if job_id not in aged and time.monotonic() - started >= self.AGED:
                        aged.add(job_id)
                        with contextlib.suppress(OSError, AttributeError):  # never raised again
                            os.setpriority(os.PRIO_PROCESS, thread, max(5, os.getpriority(os.PRIO_PROCESS, thread)))
                aged &= set(self._threads)


def main(fd: int) -> None:
    """The worker process, on the socket ``fd`` to the server: read jobs until it closes, each
    answered in a thread. The first message names the store (a path or an
    :class:`~conflictgraph.store.remote.Endpoint`, whose password stays off the command line)
    and the time limit of a remote store's answers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    # Threads hand Python's lock over every millisecond instead of every 5: a short query's few
    # steps in Python wait less behind long answers being written (measured under the mixed
    # load of bench_serve.py: probe p50 halved, throughput up 10-20 %)
    sys.setswitchinterval(0.001)
    conn = Connection(fd)
    try:
        location, timeout = conn.recv()
    except (EOFError, OSError):
        return
    # a worker on a local store needs no network: no query it runs may reach any (see deny_network);
    # one on a shared store talks to it, and the checks alone refuse SERVICE
    offline = deny_network() if isinstance(location, str) else None
    state = _State(location, timeout)
    try:
        state.current()
        conn.send(("ready", offline))
    except ConflictGraphError as err:
        conn.send(("error", (type(err).__name__, str(err))))
        return
    sending = threading.Lock()
    running = _Running()
    flows: dict[int, _Flow] = {}

    def send(job_id: int, status: str, detail: object) -> None:
        with sending, contextlib.suppress(EOFError, OSError):  # the server is gone
            conn.send((job_id, status, detail))

    def answer(job_id: int, job: dict) -> None:
        with running.job(job_id):
            status, detail = _reply(state, job, flows[job_id])
        del flows[job_id]
        send(job_id, status, detail)

    threading.Thread(target=running.age, daemon=True).start()
    while True:
        try:
            job_id, job = conn.recv()
        except (EOFError, OSError):
            os._exit(0)  # the server let us go: nothing of ours is worth waiting for
        if isinstance(job, dict):
            flows[job_id] = _Flow(functools.partial(send, job_id))
            threading.Thread(target=answer, args=(job_id, job), daemon=True).start()
        elif (flow := flows.get(job_id)) is not None and job == "taken":  # for an answer in pieces
            flow.taken()
        elif flow is not None:  # "stop": its client went away
            flow.stop()
