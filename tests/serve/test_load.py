"""`conflictgraph serve` under load and abuse, as a real process over real HTTP: fast answers
stay fast beside slow queries, answers stop at the row limit without the server growing, and
request heads that are too slow or too large are refused."""
from __future__ import annotations

import json
import select
import socket
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from oxigraph_server import start_serve, stop_process

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from bench_serve import resident_kb  # noqa: E402  (memory of a process and its children)

pytestmark = pytest.mark.slow  # real server processes

CARTESIAN_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CARTESIAN_ROWS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
PROBE = "SELECT ?label WHERE { actor:knplf skos:prefLabel ?label }"
TIMEOUT = 8.0


@pytest.fixture(scope="module")
def server(bundled_on_disk):
    process, url = start_serve(Path(bundled_on_disk), "--timeout", str(TIMEOUT), "--max-rows", "100")
    yield url, process.pid
    stop_process(process)


def _query(url: str, query: str, timeout: float = 60):
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(url + "/sparql", data=data, headers={
        "Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def test_a_probe_is_answered_at_once_while_slow_queries_run(server):
    url, _pid = server
    with ThreadPoolExecutor(3) as pool:
        slow = [pool.submit(_query, url, CARTESIAN_COUNT) for _ in range(3)]  # more than the slow lane holds
        time.sleep(1.5)  # each has passed its first second
        took = []
        for _ in range(10):
            began = time.monotonic()
            status, _h, body = _query(url, PROBE)
            took.append(time.monotonic() - began)
            assert status == 200
            assert json.loads(body)["results"]["bindings"][0]["label"]["value"].startswith("Karenni")
        answers = [future.result()[0] for future in slow]
    assert statistics.median(took) < 0.3, took
    assert answers == [504, 504, 504]
    assert [_query(url, PROBE)[0] for _ in range(5)] == [200] * 5  # the killed workers were replaced


def test_an_answer_stops_at_max_rows_at_once_and_the_server_stays_small(server):
    url, pid = server
    peak = 0.0
    done = threading.Event()

    def watch():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, resident_kb(pid) / 1024)
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        began = time.monotonic()
        status, headers, body = _query(url, CARTESIAN_ROWS)  # billions of rows match
        took = time.monotonic() - began
    finally:
        done.set()
        watcher.join()
    assert status == 200 and headers["X-SPARQL-Truncated"] == "true"
    assert len(json.loads(body)["results"]["bindings"]) == 100
    assert took < TIMEOUT / 2, took
    assert peak < 300, peak


def _raw(url: str, head: bytes, *, pause: float = 0.0, chunk: int = 1 << 16, wait: float = 30) -> bytes:
    """Send ``head`` over a raw connection (``chunk`` bytes at a time, ``pause`` s apart, until the
    server answers or closes); what the server answered."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=wait) as sock:
        try:
            for start in range(0, len(head), chunk):
                if select.select([sock], [], [], 0)[0]:
                    break  # the server answered already
                sock.sendall(head[start:start + chunk])
                time.sleep(pause)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading: what it answered is still to be read
        answer = b""
        while data := sock.recv(65536):
            answer += data
        return answer


def test_a_client_sending_headers_slowly_is_dropped(server):
    url, _pid = server
    began = time.monotonic()
    answer = _raw(url, b"GET /sparql HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: " + b"a" * 30, pause=0.5, chunk=1)
    took = time.monotonic() - began
    assert answer.startswith(b"HTTP/1.1 408 "), answer
    assert 4 < took < 9, took
    assert _query(url, PROBE)[0] == 200


def test_an_oversized_url_gets_414_and_oversized_headers_431(server):
    url, _pid = server
    long_url = b"GET /sparql?query=" + b"x" * (2 << 20) + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    answer = _raw(url, long_url)
    assert answer.startswith(b"HTTP/1.1 414 ") and b"POST" in answer, answer[:200]
    big_header = b"GET /sparql HTTP/1.1\r\nHost: x\r\nX-Big: " + b"y" * (1 << 20) + b"\r\n\r\n"
    answer = _raw(url, big_header)
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]
    assert _query(url, PROBE)[0] == 200
