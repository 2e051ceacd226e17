"""A pool of worker processes that answer queries and can be killed when they take too long.

pyoxigraph cannot cancel a running query, so every query of the server runs in a worker
process. Each worker opens the on-disk store read-only (through the Store interface), answers
one job at a time and re-resolves the store link before each job, so a build or import that
swaps a new generation in is seen by the next query. Over a remote store (``serve --endpoint``)
a worker speaks to the SPARQL endpoint instead, and asks before each job for the version the
last build or import gave the store (:func:`conflictgraph.build.remote.store_version`): a new
one is opened afresh, as a new generation is, so nothing kept of the old store (its list of
graphs, the name index) outlives it. A job that is not answered within the
time limit gets its worker killed and replaced; the caller gets :class:`QueryTimeout`. When
every worker is busy a job waits for one, within the same limit (:class:`PoolBusy`), so one slow
query holds one worker and the others go on answering.

Examples
--------
>>> import asyncio, tempfile, pathlib
>>> from conflictgraph.build.pipeline import build_store
>>> place = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> _ = build_store(place, graph_dirs=(MINI,), bundled=False)
>>> async def ask():
...     pool = WorkerPool(place, size=1, timeout=30, max_rows=10)
...     await pool.start()
...     try:
...         return await pool.run({"kind": "query", "text": "ASK { ?s ?p ?o }"})
...     finally:
...         await pool.close()
>>> asyncio.run(ask())["result"].boolean
True
"""
from __future__ import annotations

import asyncio
import contextlib
import functools
import multiprocessing
import os
import signal
from dataclasses import replace
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from conflictgraph import errors as _errors
from conflictgraph.api import ConflictGraph
from conflictgraph.build.remote import open_remote, store_version
from conflictgraph.errors import ConflictGraphError, StoreError
from conflictgraph.query.describe import describe
from conflictgraph.rdf.safety import check_query, deny_network
from conflictgraph.rdf.terms import IRI
from conflictgraph.render.vocabulary import load_vocabulary, term_examples, vocabulary_html
from conflictgraph.store.base import Store
from conflictgraph.store.generations import DATABASE, StoreLocation
from conflictgraph.store.oxigraph import OxigraphStore
from conflictgraph.store.remote import Endpoint, RemoteStore
from conflictgraph.viz import render_html

__all__ = ["WorkerPool", "QueryTimeout", "PoolBusy", "WorkerFailed", "EntityNotFound", "handle_job"]


class QueryTimeout(ConflictGraphError):
    """A job ran past the time limit; its worker was killed."""


class PoolBusy(ConflictGraphError):
    """No worker became free within the time limit."""


class WorkerFailed(ConflictGraphError):
    """A worker died while answering (out of memory, a crash); it was replaced."""


class _Worker:
    def __init__(self, process, conn):
        self.process, self.conn = process, conn


class _State:
    """What a worker process keeps between jobs: the open generation (or remote store version)
    and its graph. ``timeout`` bounds each HTTP answer of a remote store."""

    def __init__(self, location: str | Endpoint, timeout: float = 300.0):
        self.location, self.timeout = location, timeout
        self.generation: str | None = None
        self.graph: ConflictGraph | None = None

    def current(self) -> ConflictGraph:
        """The graph of the store's current generation, reopened when a writer swapped in a new one."""
        if isinstance(self.location, Endpoint):
            return self._current_remote(self.location)
        generation = StoreLocation(self.location).current()
        if generation is None:
            raise _errors.StoreMissing(f"no store at {self.location}: run 'conflictgraph build' first")
        if generation.name != self.generation or self.graph is None:
            self._open(OxigraphStore.open_dir(generation / DATABASE, read_only=True), generation.name)
        assert self.graph is not None  # opened above whenever the generation changed
        return self.graph

    def _current_remote(self, endpoint: Endpoint) -> ConflictGraph:
        """The remote store, opened afresh when its version changed (or when it records none)."""
        if self.graph is not None and isinstance(self.graph.store, RemoteStore):
            version = store_version(self.graph.store)
            if version is not None and version == self.generation:
                return self.graph
        store = open_remote(endpoint, timeout=self.timeout)
        self._open(store, store_version(store))
        assert self.graph is not None
        return self.graph

    def _open(self, store: Store, generation: str | None) -> None:
        if self.graph is not None:
            self.graph.store.close()
        self.graph, self.generation = ConflictGraph(store), generation


def _truncate(result, max_rows: int | None) -> bool:
    if max_rows is None:
        return False
    if result.kind == "select" and len(result.rows) > max_rows:
        del result.rows[max_rows:]
        return True
    if result.kind == "construct" and len(result.triples) > max_rows:
        del result.triples[max_rows:]
        return True
    return False


@functools.lru_cache(maxsize=512)
def _check(text: str, line_offset: int) -> str:
    """:func:`conflictgraph.rdf.safety.check_query`, remembered for texts seen before (the
    parse costs tens of milliseconds; a refusal is an exception and is not remembered)."""
    return check_query(text, line_offset=line_offset)


# An entity's own triples first, then those naming it (the first are kept when the answer is cut at max rows)
_ENTITY_TRIPLES = ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT { ?x ?q ?s } WHERE { ?x ?q ?s }")


def handle_job(state: _State, job: dict) -> dict:
    """Answer one job in a worker: ``query``, ``named``, ``describe``, ``triples`` (of one entity),
    ``resolve``, ``network`` or ``ping``.

    A ``query`` job's text is checked (:func:`conflictgraph.rdf.safety.check_query`: no update,
    no SERVICE) here, before it runs, within the job's time limit and in parallel across workers.
    """

    graph = state.current()
    kind = job["kind"]
    answer: dict[str, Any] = {"generation": state.generation}
    if kind in ("query", "named"):
        if kind == "query":
            if job.get("check", True):
                _check(job["text"], job.get("line_offset", 0))
            result = graph.store.query(job["text"], dataset=job.get("dataset"))
        else:
            result = graph.run_named(job["name"], job.get("params", {}))
        answer["truncated"] = _truncate(result, job.get("max_rows"))
        answer["result"] = result
    elif kind in ("describe", "triples"):
        # A page for anything the store describes or any graph it holds (a query row's source may
        # be a graph); anything else has no page.
        if not graph.store.query("ASK { { ?s ?p ?o } UNION { GRAPH ?s { ?a ?b ?c } } }",
                                 bindings={"s": IRI(job["iri"])}).boolean:
            raise EntityNotFound(f"the store says nothing about <{job['iri']}>")
        if kind == "describe":
            answer["report"] = describe(graph.store, IRI(job["iri"]))
        else:  # the triples the entity is the subject or object of, for RDF answers
            own, naming = (graph.store.query(text, bindings={"s": IRI(job["iri"])}) for text in _ENTITY_TRIPLES)
            seen = set(own.triples)
            result = replace(own, triples=own.triples + [t for t in naming.triples if t not in seen])
            answer["truncated"] = _truncate(result, job.get("max_rows"))
            answer["result"] = result
    elif kind == "resolve":
        answer["iri"] = str(graph.resolve(job["name"]).iri)
    elif kind == "network":
        answer["html"] = render_html(graph.viz())
    elif kind == "vocabulary":  # the vocabulary's page, its examples from this store
        vocab = load_vocabulary()
        answer["html"] = vocabulary_html(vocab, term_examples(graph.store, vocab))
    elif kind != "ping":
        raise _errors.UsageError(f"unknown job {kind!r}")
    return answer


def _worker_main(conn, location: str | Endpoint, timeout: float) -> None:
    """The loop of a worker process: one job in, one answer out, until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    # a worker on a local store needs no network: no query it runs may reach any (see deny_network);
    # one on a shared store talks to it, and the checks alone refuse SERVICE
    offline = None if isinstance(location, Endpoint) else deny_network()
    state = _State(location, timeout)
    try:
        state.current()
        conn.send(("ready", offline))
    except ConflictGraphError as err:
        conn.send(("error", (type(err).__name__, str(err))))
        return
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        reply: tuple[str, object]
        try:
            reply = ("ok", handle_job(state, job))
        except ConflictGraphError as err:
            reply = ("error", (type(err).__name__, str(err)))
        except Exception as err:  # a bug or an engine failure: report it, keep serving
            reply = ("error", ("QueryError", f"the query failed: {err}"))
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return


_PLAIN = {"StoreError", "StoreMissing", "QueryRefused", "QueryError", "UsageError"}


class EntityNotFound(_errors.UsageError):
    """A name or IRI that names nothing in the store (the server answers 404 for an entity page)."""


def _raise(name: str, message: str):
    """Raise again, in the server, an error a worker reported by class name and message."""
    if name in ("NameNotFound", "EntityNotFound"):  # the caller's fault
        raise EntityNotFound(message)
    if name == "NameAmbiguous":
        raise _errors.UsageError(message)
    raise getattr(_errors, name if name in _PLAIN else "QueryError")(message)


class WorkerPool:
    """``size`` worker processes on the store at ``location``, with a per-job time limit.

    Parameters
    ----------
    location : Path or Endpoint
        The user-facing store path (the link to the current generation), or a remote store.
    size : int
        How many queries can run at once.
    timeout : float
        Seconds a job may take, waiting for a free worker included.
    max_rows : int
        Rows (or triples) a query answer keeps; the rest is cut and the answer marked truncated.
    """

    def __init__(self, location: Path | str | Endpoint, *, size: int, timeout: float, max_rows: int):
        self.location = location if isinstance(location, Endpoint) else str(location)
        self.size, self.timeout, self.max_rows = max(1, size), timeout, max_rows
        self._context = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._threads = ThreadPoolExecutor(max_workers=self.size * 2 + 2, thread_name_prefix="cg-pool")
        self._all: set[_Worker] = set()
        self._closing = False
        self.replaced = 0
        self.network_note: str | None = None  # why the workers could not be cut off the network

    async def start(self) -> None:
        """Start the workers and wait until each has opened the store."""
        self._idle = asyncio.Queue()
        workers = await asyncio.gather(*(self._spawn() for _ in range(self.size)))
        for worker in workers:
            self._idle.put_nowait(worker)

    async def _spawn(self) -> _Worker:
        loop = asyncio.get_running_loop()
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(child, self.location, self.timeout),
                                        daemon=True, name="conflictgraph-query-worker")
        await loop.run_in_executor(self._threads, process.start)
        child.close()
        worker = _Worker(process, parent)
        self._all.add(worker)
        status, detail = await loop.run_in_executor(self._threads, self._recv, worker)
        if status != "ready":
            self._kill(worker)
            _raise(*detail)
        self.network_note = (None if detail is None else
                             f"query workers keep network access ({detail}); only the query checks refuse SERVICE")
        return worker

    @staticmethod
    def _recv(worker: _Worker):
        try:
            return worker.conn.recv()
        except (EOFError, OSError):
            return ("died", None)

    async def run(self, job: dict, *, timeout: float | None = None) -> dict:
        """Run ``job`` on a free worker; return its answer or raise its error.

        Raises :class:`PoolBusy` when no worker is free in time, :class:`QueryTimeout` when the
        job takes too long (its worker is killed and replaced), :class:`WorkerFailed` when the
        worker died.
        """
        if self._idle is None or self._closing:
            raise StoreError("the query workers are not running")
        limit = self.timeout if timeout is None else timeout
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout=limit)
        except TimeoutError:
            raise PoolBusy(f"all {self.size} query workers stayed busy for {limit:g} s; try again later") from None
        job = dict(job)
        if job.get("kind") in ("query", "named", "triples"):
            job.setdefault("max_rows", self.max_rows)
        healthy = False
        try:
            worker.conn.send(job)
            reply = await asyncio.wait_for(loop.run_in_executor(self._threads, self._recv, worker),
                                           timeout=max(0.01, deadline - loop.time()))
            status, detail = reply
            if status == "died":
                raise WorkerFailed("the query worker died while answering (out of memory?); it was replaced")
            healthy = True
        except TimeoutError:
            raise QueryTimeout(f"the query ran longer than the limit of {limit:g} s and was stopped") from None
        except (EOFError, OSError, BrokenPipeError):
            raise WorkerFailed("the query worker could not be reached; it was replaced") from None
        finally:
            if healthy:
                self._idle.put_nowait(worker)
            else:
                self._replace(worker)
        if status == "error":
            _raise(*detail)
        return detail

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and start another in its place (in the background)."""
        self._kill(worker)
        self.replaced += 1
        if self._closing:
            return

        async def respawn():
            assert self._idle is not None  # started: run() took the replaced worker from it
            while not self._closing:
                try:
                    self._idle.put_nowait(await self._spawn())
                    return
                except Exception:  # the store vanished mid-swap: try again shortly
                    await asyncio.sleep(0.5)

        asyncio.get_running_loop().create_task(respawn())

    def _kill(self, worker: _Worker) -> None:
        self._all.discard(worker)
        if worker.process.is_alive():
            with contextlib.suppress(ProcessLookupError, TypeError):
                os.kill(worker.process.pid, signal.SIGKILL)
        worker.conn.close()
        self._threads.submit(worker.process.join, 5)

    async def close(self) -> None:
        """Stop every worker."""
        self._closing = True
        for worker in list(self._all):
            self._kill(worker)
        self._threads.shutdown(wait=False, cancel_futures=True)
