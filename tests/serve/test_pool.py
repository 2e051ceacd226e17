"""The worker pool in-process, on a real store with real worker processes: a worker that is slow
to send a large answer does not stop the server's event loop."""
from __future__ import annotations

import asyncio
import os
import select
import signal
import threading
import time

import pytest

from conflictgraph.serve.pool import WorkerPool

pytestmark = pytest.mark.slow  # worker processes

ROWS, WIDTH = 200, 20_000  # an answer of about 4 MB (written whole: a graph), far more than a socket buffer holds
LARGE = ("CONSTRUCT { ?s <urn:long> ?x } WHERE { VALUES ?n { " + " ".join(map(str, range(ROWS))) + " } "
         f'BIND(IRI(CONCAT("urn:n:", STR(?n))) AS ?s) BIND(CONCAT(STR(?n), "{"x" * WIDTH}") AS ?x) }}')


def test_a_worker_stopped_halfway_through_a_large_answer_does_not_stall_the_event_loop(mini_on_disk):
    """The fast worker starts sending a 4 MB answer and is stopped (SIGSTOP, as a starved
    process at a low priority would be) for a second: meanwhile the event loop keeps turning;
    once the worker goes on, the whole answer arrives."""
    async def run() -> tuple[float, dict]:
        pool = WorkerPool(mini_on_disk, timeout=30, max_rows=ROWS)
        await pool.start()
        loop = asyncio.get_running_loop()
        try:
            worker = pool._role("fast")[0]
            fd = worker.conn.fileno()
            loop.remove_reader(fd)  # until the worker is stopped mid-answer
            answer = loop.create_task(pool.run({"kind": "query", "check": False, "text": LARGE, "format": "nt"}))
            await asyncio.to_thread(select.select, [fd], [], [], 30)
            await asyncio.sleep(0.3)  # the socket's buffer fills; the worker waits to write the rest
            os.kill(worker.process.pid, signal.SIGSTOP)
            threading.Timer(1.0, os.kill, (worker.process.pid, signal.SIGCONT)).start()
            loop.add_reader(fd, pool._read, worker)
            longest, last = 0.0, time.monotonic()
            while not answer.done():
                await asyncio.sleep(0.01)
                longest, last = max(longest, time.monotonic() - last), time.monotonic()
            return longest, await answer
        finally:
            await pool.close()

    longest, reply = asyncio.run(run())
    lines = reply["body"].decode().splitlines()
    assert len(lines) == ROWS and all(f'{"x" * WIDTH}"' in line for line in lines)
    assert longest < 0.3, f"the event loop stood still for {longest:.2f} s"
