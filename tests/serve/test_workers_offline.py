"""The server's query workers read a local store and are cut off the network: a query that no
check looked at (sent to a worker with the check switched off) still reaches nothing."""
from __future__ import annotations

import asyncio
import os

import pytest

from conflictgraph.errors import QueryError
from conflictgraph.serve.pool import WorkerPool
from conftest import Listener

pytestmark = pytest.mark.slow  # worker processes


def test_a_worker_runs_an_unchecked_service_query_and_reaches_nothing(mini_on_disk):
    listener = Listener()

    async def run() -> tuple[str | None, Exception | None]:
        pool = WorkerPool(mini_on_disk, timeout=30, max_rows=100)
        await pool.start()
        try:
            await pool.run({"kind": "query", "check": False,
                            "text": f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"})
            return pool.network_note, None
        except QueryError as err:
            return pool.network_note, err
        finally:
            await pool.close()

    try:
        note, failed = asyncio.run(run())
        if note is not None:
            assert os.geteuid() != 0, f"root may create a network namespace: {note}"
            pytest.skip(note)
        assert failed is not None and "unreachable" in str(failed).lower(), failed
        assert listener.connections == 0
    finally:
        listener.close()
