"""Worker processes that answer the server's queries, in a fast lane and a slow one.

pyoxigraph cannot cancel a running query, so queries run in worker processes
(:mod:`conflictgraph.serve.worker`) that can be killed. Each worker answers many jobs at once,
one thread each: the engine runs outside Python's lock, so they share the cores as the threads
of Oxigraph's own server do, and a short query never waits for a long one to finish. (Before,
each of two workers ran one query at a time: with 16 clients a small query waited 0.8 s
behind the queue, 3.3 s with a pathological query in flight.)

The lanes. New jobs go to the *fast* worker. When one of its jobs is still running after
``slow_after`` seconds (1 s), the worker leaves the fast lane: a *spare* worker, started ahead
and idle, takes new jobs at once (another spare is started if a slow place is left), while the
old worker, now *slow*, finishes what it has at a lower priority (nice 10; a job in the fast
lane drops to nice 5 after 0.2 s, see :mod:`~conflictgraph.serve.worker`). A job that passes
its time limit has its worker killed (:class:`QueryTimeout`, 504); the other jobs that worker
still had are sent again to the fast worker (a query only reads, so running it again is safe),
so a kill stops only what was too slow. A slow worker whose jobs are done becomes the spare
again, or ends.

At most ``max_slow`` workers are slow at once, and no spare is started while they are all
taken (the first to finish becomes the spare): so at most ``max_slow`` + 1 workers run, each a
process of 50-90 MB, which bounds the server's memory (with one spare more, bench_serve.py saw
354 MB). When they are all taken, a job that passes its first second stays in the fast lane
until one is free: it shares the cores meanwhile, and if it reaches its time limit
there, the fast worker is killed and its other jobs run again on the next one. Refusing such a
query at once (503) was the other choice; waiting keeps legitimate slow queries (a big
named query under load) answering, and the time limit still bounds them.

Over a remote store (``serve --endpoint``) the workers speak to the SPARQL endpoint and check
its version before each job (see :mod:`conflictgraph.serve.worker`).

A long answer comes from its worker in pieces: :meth:`WorkerPool.run` then returns the first
with ``rest``, a :class:`_Rest` that yields the others as they arrive and must be closed; the
job keeps its place among ``max_jobs`` until then. The server tells the worker when it has
passed a piece on, and the worker stays at most two pieces ahead, so a client that reads
slowly holds up its own query, not the server's memory. Worker answers are read from their
sockets as their bytes arrive (:class:`_Inbox`), never waiting on the event loop.

Examples
--------
>>> import asyncio, tempfile, pathlib
>>> from conflictgraph.build.pipeline import build_store
>>> place = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> _ = build_store(place, graph_dirs=(MINI,), bundled=False)
>>> async def ask():
...     pool = WorkerPool(place, timeout=30, max_rows=10)
...     await pool.start()
...     try:
...         return await pool.run({"kind": "query", "text": "ASK { ?s ?p ?o }", "format": "csv"})
...     finally:
...         await pool.close()
>>> asyncio.run(ask())["body"]
b'boolean\\r\\ntrue\\r\\n'
"""
from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import pickle
import socket
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from conflictgraph import errors as _errors
from conflictgraph.errors import ConflictGraphError, StoreError
from conflictgraph.serve.formats import NotAcceptable
from conflictgraph.serve.worker import THREADS, EntityNotFound
from conflictgraph.store.remote import Endpoint

__all__ = ["WorkerPool", "QueryTimeout", "PoolBusy", "WorkerFailed", "EntityNotFound"]


class QueryTimeout(ConflictGraphError):
    """A job ran past the time limit; its worker was killed."""


class PoolBusy(ConflictGraphError):
    """No worker could take the job within the time limit."""


class WorkerFailed(ConflictGraphError):
    """A worker died while answering (out of memory, a crash); it was replaced."""


@dataclass(eq=False)
class _Job:
    id: int
    job: dict
    future: asyncio.Future
    limit: float  # seconds
    deadline: float  # event loop time
    started: float = 0.0
    pieces: asyncio.Queue | None = None  # the rest of an answer sent in pieces: bytes, then None or an error

    def take(self, status: str, detail) -> None:
        """A piece of an answer sent in pieces: the first ("head") answers the job, the others queue up."""
        if status == "head":
            self.pieces = asyncio.Queue()
            if not self.future.done():
                self.future.set_result(("ok", detail))
        elif self.pieces is not None:
            self.pieces.put_nowait(detail)

    def end(self, status: str, detail) -> None:
        """The job's last word, its answer or its error: after an answer sent in pieces, the end of them."""
        if self.pieces is not None:
            self.pieces.put_nowait(None if status == "ok" else detail)
        elif not self.future.done():
            self.future.set_result((status, detail))

    def time_out(self) -> None:
        """End this job with :class:`QueryTimeout`."""
        self.end("error", ("QueryTimeout", f"the query ran longer than the limit of {self.limit:g} s and was stopped"))


class _Rest:
    """The pieces of an answer after its first, as its worker sends them (an async iterator of
    bytes). Read them before ``deadline`` (event loop time: the job's time limit), then
    :meth:`close`: it gives the job's place back, and stops the job in its worker when the
    answer was not read to its end (by killing the worker once the time limit is passed)."""

    def __init__(self, pool: WorkerPool, entry: _Job, release: Callable[[], None]):
        self.pool, self.entry, self.release = pool, entry, release
        self.deadline = entry.deadline
        self.closed = False

    def __aiter__(self) -> _Rest:
        return self

    async def __anext__(self) -> bytes:
        assert self.entry.pieces is not None  # a _Rest is made for an answer in pieces
        self.pool._taken(self.entry)  # the piece before went out: the worker may send one more
        piece = await self.entry.pieces.get()
        if piece is None:
            raise StopAsyncIteration
        if isinstance(piece, tuple):
            raise _error(*piece)
        return piece

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.pool._forget(self.entry)
            self.release()


class _Inbox:
    """The messages arriving on a worker's socket, taken as its bytes come: one read never waits
    for the rest of a message, so a worker slow to write a large answer (in the slow lane, at a
    lower priority) does not stop the event loop. The framing is multiprocessing's: a 4-byte
    big-endian length (-1, then 8 bytes, from 2 GiB), then the pickled message.

    >>> ours, theirs = socket.socketpair()
    >>> Connection(theirs.detach()).send((7, "ok", {"body": b"x" * 100_000}))
    >>> inbox, messages = _Inbox(ours.fileno()), []
    >>> while not messages:
    ...     messages = inbox.read()
    >>> messages[0][:2], len(messages[0][2]["body"])
    ((7, 'ok'), 100000)
    """

    def __init__(self, fd: int):
        self.fd = fd
        self.data = bytearray()

    def read(self) -> list | None:
        """The messages completed by one read of what has arrived (call it when the socket is
        readable: it does not block then); None when the worker closed its end."""
        chunk = os.read(self.fd, 1 << 20)
        if not chunk:
            return None
        self.data += chunk
        messages = []
        while len(self.data) >= 4:
            (size,), start = struct.unpack_from("!i", self.data), 4
            if size == -1:
                if len(self.data) < 12:
                    break
                (size,), start = struct.unpack_from("!Q", self.data, 4), 12
            if len(self.data) < start + size:
                break
            messages.append(pickle.loads(memoryview(self.data)[start:start + size]))
            del self.data[:start + size]
        return messages


@dataclass(eq=False)
class _Worker:
    process: subprocess.Popen
    conn: Connection
    inbox: _Inbox
    role: str = "starting"  # starting, spare, fast, slow, ended
    jobs: dict[int, _Job] = field(default_factory=dict)
    yields: bool = False  # its threads run at a lower priority (see _yield_cores)


def _yield_cores(pid: int) -> bool:
    """Give every thread of process ``pid`` a lower scheduling priority (Linux: nice 10), so its
    queries get the cores only as far as the fast lane leaves them; False where it cannot."""
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            os.setpriority(os.PRIO_PROCESS, int(task.name), 10)
        return True
    except (OSError, AttributeError, ValueError):
        return False


_WORKER = "import sys; from conflictgraph.serve.worker import main; main(int(sys.argv[1]))"
_PLAIN = {"StoreError", "StoreMissing", "QueryRefused", "UpdateRefused", "QueryError", "UsageError"}
_DIED = "the query worker died while answering (out of memory?); it was replaced"
_STOPPED = "the answer was cut short: another query in its worker passed the time limit and the worker was stopped"


def _error(name: str, message: str) -> ConflictGraphError:
    """The error a worker (or the pool for it) reported by class name and message, as the server raises it."""
    if name in ("NameNotFound", "EntityNotFound"):  # the caller's fault
        return EntityNotFound(message)
    if name == "NameAmbiguous":
        return _errors.UsageError(message)
    own = {"NotAcceptable": NotAcceptable, "QueryTimeout": QueryTimeout, "WorkerFailed": WorkerFailed}
    if name in own:
        return own[name](message)
    return getattr(_errors, name if name in _PLAIN else "QueryError")(message)


class WorkerPool:
    """Worker processes on the store at ``location`` (see the module's description).

    Parameters
    ----------
    location : Path or Endpoint
        The user-facing store path (the link to the current generation), or a remote store.
    timeout : float
        Seconds a job may take, waiting for a worker included.
    max_rows : int
        Rows (or triples) a query answer keeps; the rest is cut and the answer marked truncated.
    max_slow : int
        Workers that may run slow jobs at once, besides the fast one and the spare.
    max_jobs : int
        Jobs that may run at once; more wait (:class:`PoolBusy` when none ends in time).
    slow_after : float
        Seconds after which a running job moves its worker out of the fast lane.
    """

    def __init__(self, location: Path | str | Endpoint, *, timeout: float, max_rows: int, max_slow: int = 2,
                 max_jobs: int = 32, slow_after: float = 1.0):
        self.location = location if isinstance(location, Endpoint) else str(location)
        self.timeout, self.max_rows, self.max_slow = timeout, max_rows, max(1, max_slow)
        self.max_jobs, self.slow_after = min(max(1, max_jobs), THREADS), slow_after
        self._workers: set[_Worker] = set()
        self._pending: list[_Job] = []  # jobs waiting for a fast worker
        self._ids = itertools.count()
        self._slots: asyncio.Semaphore | None = None
        self._monitor: asyncio.Task | None = None
        self._spawning = 0
        self._closing = False
        self._tasks: set[asyncio.Task] = set()  # spares starting
        self.network_note: str | None = None  # why the workers could not be cut off the network

    # -- life ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Start the fast worker and a spare; wait until both have opened the store."""
        self._slots = asyncio.Semaphore(self.max_jobs)
        for worker in await asyncio.gather(self._spawn(), self._spawn()):
            self._place(worker)
        self._monitor = asyncio.get_running_loop().create_task(self._watch())

    async def close(self) -> None:
        """Stop every worker."""
        self._closing = True
        if self._monitor:
            self._monitor.cancel()
        for worker in list(self._workers):
            self._kill(worker)

    def _role(self, role: str) -> list[_Worker]:
        return [w for w in self._workers if w.role == role]

    async def _spawn(self) -> _Worker:
        """A new worker, once it has opened the store (its error raised if it could not).

        A plain new interpreter that imports the worker module alone, not multiprocessing's
        spawn, which would import the server's own main module (the whole command line) again
        and start a resource tracker: 80 MB a worker instead of 51.
        """
        ours, theirs = socket.socketpair()
        self._spawning += 1
        try:
            with theirs:
                process = await asyncio.to_thread(
                    subprocess.Popen, [sys.executable, "-c", _WORKER, str(theirs.fileno())],
                    pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL)
            conn = Connection(ours.detach())
            worker = _Worker(process, conn, _Inbox(conn.fileno()))
            self._workers.add(worker)
            worker.conn.send((self.location, self.timeout))
            status, detail = await asyncio.to_thread(self._receive, worker)
        finally:
            self._spawning -= 1
        if status != "ready":
            self._kill(worker)
            raise _error(*detail) if status == "error" else WorkerFailed("a query worker died as it started")
        self.network_note = (None if detail is None else
                             f"query workers keep network access ({detail}); only the query checks refuse SERVICE")
        asyncio.get_running_loop().add_reader(worker.conn.fileno(), self._read, worker)
        return worker

    @staticmethod
    def _receive(worker: _Worker):
        try:
            return worker.conn.recv()
        except (EOFError, OSError):
            return ("died", None)

    def _read(self, worker: _Worker) -> None:
        """Take what ``worker`` sent (the event loop calls this when its socket has bytes to read)."""
        try:
            messages = worker.inbox.read()
        except OSError:
            messages = None
        if messages is None:
            self._died(worker)
            return
        for message in messages:
            self._answered(worker, message)

    def _place(self, worker: _Worker) -> None:
        """A ready worker becomes the fast one when there is none, else the spare, else ends."""
        if self._closing:
            self._kill(worker)
        elif not self._role("fast"):
            worker.role = "fast"
            pending, self._pending = self._pending, []
            for entry in pending:
                self._send(worker, entry)
        elif not self._role("spare"):
            worker.role = "spare"
        else:
            self._kill(worker)  # not needed: let it go

    def _ensure_spare(self) -> None:
        """Start a worker in the background unless a spare is ready or starting, or every slow
        place is taken (a slow worker becomes the spare once it is done), while a fast one runs."""
        if self._closing or self._role("spare") or self._spawning:
            return
        if self._role("fast") and len(self._role("slow")) >= self.max_slow:
            return

        async def spawn():
            while not self._closing:
                try:
                    self._place(await self._spawn())
                    return
                except Exception:  # the store vanished mid-swap: try again shortly
                    await asyncio.sleep(0.5)

        task = asyncio.get_running_loop().create_task(spawn())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- jobs ------------------------------------------------------------------------------

    async def run(self, job: dict, *, timeout: float | None = None) -> dict:
        """Run ``job`` (see :func:`conflictgraph.serve.worker.handle_job`); return its answer or
        raise its error.

        Raises :class:`PoolBusy` when too many jobs ran for the whole time limit,
        :class:`QueryTimeout` when the job takes too long (its worker is killed and replaced),
        :class:`WorkerFailed` when the worker died.
        """
        if self._slots is None or self._closing:
            raise StoreError("the query workers are not running")
        limit = self.timeout if timeout is None else timeout
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        try:
            await asyncio.wait_for(self._slots.acquire(), timeout=limit)
        except TimeoutError:
            raise PoolBusy(f"{self.max_jobs} queries kept running for {limit:g} s; try again later") from None
        reply: dict | None = None
        try:
            reply = await self._run(self._prepared(job), limit, deadline)
            return reply
        finally:
            if reply is None or "rest" not in reply:  # else the answer's rest gives the place back
                self._slots.release()

    def _prepared(self, job: dict) -> dict:
        job = dict(job)
        if job.get("kind") in ("query", "named", "triples"):
            job.setdefault("max_rows", self.max_rows)
        return job

    async def _run(self, job: dict, limit: float, deadline: float) -> dict:
        loop = asyncio.get_running_loop()
        entry = _Job(next(self._ids), job, loop.create_future(), limit, deadline)
        self._dispatch(entry)
        try:
            await asyncio.wait_for(asyncio.shield(entry.future), timeout=max(0.01, deadline - loop.time()))
        except TimeoutError:
            self._stop(entry)
            entry.time_out()
        status, detail = entry.future.result()
        if status == "error":
            raise _error(*detail)
        if entry.pieces is not None:
            assert self._slots is not None  # running
            detail = {**detail, "rest": _Rest(self, entry, self._slots.release)}
        return detail

    def _dispatch(self, entry: _Job) -> None:
        fast = self._role("fast")
        if fast:
            self._send(fast[0], entry)
        else:
            self._pending.append(entry)
            self._ensure_spare()

    def _send(self, worker: _Worker, entry: _Job) -> None:
        entry.started = asyncio.get_running_loop().time()
        worker.jobs[entry.id] = entry
        self._tell(worker, (entry.id, entry.job))

    def _answered(self, worker: _Worker, message: tuple) -> None:
        job_id, status, detail = message
        if status in ("head", "more"):
            if job_id in worker.jobs:
                worker.jobs[job_id].take(status, detail)
            return
        entry = worker.jobs.pop(job_id, None)
        if entry is not None:
            entry.end(status, detail)
        self._drained(worker)

    def _holder(self, entry: _Job) -> _Worker | None:
        """The worker running ``entry``, if any does."""
        return next((w for w in self._workers if entry.id in w.jobs), None)

    def _taken(self, entry: _Job) -> None:
        """Tell the worker of an answer in pieces that one more went out."""
        worker = self._holder(entry)
        if worker is not None:
            self._tell(worker, (entry.id, "taken"))

    def _forget(self, entry: _Job) -> None:
        """Stop a job whose answer in pieces is no longer read (its client left, or the time
        limit passed): the worker is told to stop it, and is killed if the job still runs at
        its time limit (the engine cannot stop a query midway)."""
        worker = self._holder(entry)
        if worker is None:
            return
        loop = asyncio.get_running_loop()
        if loop.time() >= entry.deadline:
            self._stop(entry)
        else:
            self._tell(worker, (entry.id, "stop"))
            loop.call_at(entry.deadline, self._stop, entry)  # nothing left to do if it ended by then

    def _tell(self, worker: _Worker, message: tuple) -> None:
        try:
            worker.conn.send(message)
        except (EOFError, OSError):
            self._died(worker)

    def _drained(self, worker: _Worker) -> None:
        """A slow worker whose jobs are all done becomes the spare again, or ends."""
        if worker.role == "slow" and not worker.jobs:
            if worker.yields:  # a process may not raise its own priority again
                self._kill(worker)
                self._ensure_spare()
            else:
                worker.role = "starting"
                self._place(worker)

    def _died(self, worker: _Worker) -> None:
        """A worker we did not kill is gone: its jobs fail; another takes its place."""
        if worker.role == "ended" or self._closing:
            return
        for entry in worker.jobs.values():
            entry.end("error", ("WorkerFailed", _DIED))
        worker.jobs.clear()
        self._kill(worker)
        self._promote_spare()

    def _stop(self, entry: _Job) -> None:
        """Stop a job past its time limit: kill its worker and send its other jobs to the fast
        one (those with less than ``slow_after`` left are past hope: they time out too; those
        midway through sending an answer in pieces cannot start again: they fail)."""
        if entry in self._pending:
            self._pending.remove(entry)
        worker = self._holder(entry)
        if worker is None:
            return
        del worker.jobs[entry.id]
        others = list(worker.jobs.values())
        worker.jobs.clear()
        self._kill(worker)
        self._promote_spare()
        now = asyncio.get_running_loop().time()
        for other in others:
            if other.pieces is not None:
                other.end("error", ("WorkerFailed", _STOPPED))
            elif other.deadline - now < self.slow_after:
                other.time_out()
            elif not other.future.done():
                self._dispatch(other)

    def _promote_spare(self) -> None:
        """Make the spare the fast worker when there is none; start another spare."""
        if not self._role("fast"):
            spare = self._role("spare")
            if spare:
                spare[0].role = "starting"
                self._place(spare[0])
        self._ensure_spare()

    async def _watch(self) -> None:
        """Every tenth of a second, move a fast worker with a slow job out of the fast lane."""
        loop = asyncio.get_running_loop()
        while not self._closing:
            await asyncio.sleep(0.1)
            fast, spare = self._role("fast"), self._role("spare")
            if not fast or not spare or len(self._role("slow")) >= self.max_slow:
                continue
            if any(loop.time() - e.started >= self.slow_after for e in fast[0].jobs.values()):
                fast[0].role, fast[0].yields = "slow", _yield_cores(fast[0].process.pid)
                self._promote_spare()

    def _kill(self, worker: _Worker) -> None:
        worker.role = "ended"
        self._workers.discard(worker)
        with contextlib.suppress(ProcessLookupError):
            worker.process.kill()
        if not worker.conn.closed:
            with contextlib.suppress(RuntimeError):  # the loop has closed: the server stopped
                asyncio.get_running_loop().remove_reader(worker.conn.fileno())
            worker.conn.close()
        threading.Thread(target=worker.process.wait, daemon=True).start()
