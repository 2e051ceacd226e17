"""`conflictgraph serve` under load and abuse, as a real process over real HTTP: fast answers
stay fast beside slow queries, answers stop at the row limit without the server growing, long
answers go out as they are read, and request heads that are too slow or too large are refused."""
from __future__ import annotations

import contextlib
import csv
import http.client
import io
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
import xml.etree.ElementTree as ET
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
# 57 million rows of 10 KB each (a roomy server keeps 20,000 of them: 200 MB)
LONG_ROWS = f'SELECT ?a (CONCAT(STR(?c), "{"x" * 10_000}") AS ?long) WHERE {{ ?a ?b ?c . ?d ?e ?f }}'


@pytest.fixture(scope="module")
def server(bundled_on_disk):
    process, url = start_serve(Path(bundled_on_disk), "--timeout", str(TIMEOUT), "--max-rows", "100")
    yield url, process.pid
    stop_process(process)


@pytest.fixture(scope="module")
def roomy(bundled_on_disk):
    """A server that keeps long answers: up to 20,000 rows."""
    process, url = start_serve(Path(bundled_on_disk), "--timeout", "30", "--max-rows", "20000")
    yield url, process.pid
    stop_process(process)


def _request(url: str, query: str, accept: str = "application/sparql-results+json") -> urllib.request.Request:
    return urllib.request.Request(url + "/sparql", data=urllib.parse.urlencode({"query": query}).encode(),
                                  headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})


def _query(url: str, query: str, timeout: float = 60, accept: str = "application/sparql-results+json"):
    try:
        with urllib.request.urlopen(_request(url, query, accept), timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


@contextlib.contextmanager
def _peak_memory(pid: int):
    """Watch the resident memory of process ``pid`` and its children; yields a list that holds
    the peak in MB (read it after the block)."""
    peak = [0.0]
    done = threading.Event()

    def watch():
        while not done.is_set():
            peak[0] = max(peak[0], resident_kb(pid) / 1024)
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        yield peak
    finally:
        done.set()
        watcher.join()


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
    with _peak_memory(pid) as peak:
        began = time.monotonic()
        status, headers, body = _query(url, CARTESIAN_ROWS)  # billions of rows match
        took = time.monotonic() - began
    assert status == 200 and headers["X-SPARQL-Truncated"] == "true"
    assert len(json.loads(body)["results"]["bindings"]) == 100
    assert took < TIMEOUT / 2, took
    assert peak[0] < 300, peak


def test_a_long_answer_goes_out_as_it_is_read_and_the_server_stays_small(roomy):
    """200 MB of rows go out in pieces as the engine reads them, never held whole; a client
    that stops reading for a while holds up its query, not the server's memory."""
    url, pid = roomy
    before = resident_kb(pid) / 1024
    with _peak_memory(pid) as peak, urllib.request.urlopen(_request(url, LONG_ROWS), timeout=60) as response:
        body = bytearray(response.read(10 << 20))
        time.sleep(2)  # the rest waits in the worker meanwhile, a piece or two ahead
        body += response.read()
    rows = json.loads(body)["results"]["bindings"]
    assert response.headers["Content-Length"] is None and response.headers["X-SPARQL-Max-Rows"] == "20000"
    assert len(rows) == 20_000 and all(row["long"]["value"].endswith("x" * 10_000) for row in rows)
    assert peak[0] - before < 120, (before, peak[0])


def test_an_answer_in_pieces_reads_the_same_in_every_results_format(roomy):
    url, _pid = roomy
    query = ('SELECT ?s ?long WHERE { ?s ?p ?o BIND(CONCAT(STR(?o), "' + "y" * 1000 + '") AS ?long) } '
             "ORDER BY ?s ?p ?o LIMIT 2000")  # 2 MB: in pieces
    answers = {accept: _query(url, query, accept=accept) for accept in (
        "application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values")}
    assert all(status == 200 and headers["Content-Length"] is None for status, headers, _ in answers.values())
    values = [row["long"]["value"] for row in json.loads(answers["application/sparql-results+json"][2])
              ["results"]["bindings"]]
    xml = ET.fromstring(answers["application/sparql-results+xml"][2])
    namespace = "{http://www.w3.org/2005/sparql-results#}"
    assert [e.text for e in xml.iter(f"{namespace}literal")] == values
    assert [row[1] for row in list(csv.reader(io.StringIO(answers["text/csv"][2].decode())))[1:]] == values
    tsv = answers["text/tab-separated-values"][2].decode().splitlines()
    assert len(values) == 2000 and len(tsv) == 2001 and all(line.endswith("y" * 1000 + '"') for line in tsv[1:])


def test_clients_that_leave_midway_give_their_place_back(roomy):
    """More clients than the server runs queries at once (32) each read a little of a long
    answer and leave: their queries stop, and the next query is answered at once."""
    url, _pid = roomy
    for _ in range(40):
        with urllib.request.urlopen(_request(url, LONG_ROWS), timeout=60) as response:
            assert len(response.read(1000)) == 1000
    began = time.monotonic()
    assert _query(url, PROBE)[0] == 200 and time.monotonic() - began < 2


def test_an_answer_not_sent_within_the_time_limit_is_cut_short(server):
    """A client that stops reading a long answer (100 rows of 200 KB) past the time limit gets
    it cut short, never an answer that looks complete; the server goes on answering."""
    url, _pid = server
    block = "z" * 50_000
    query = f'SELECT (CONCAT("{block}", "{block}", "{block}", "{block}", STR(?o)) AS ?long) WHERE {{ ?s ?p ?o }}'
    with urllib.request.urlopen(_request(url, query), timeout=60) as response:
        response.read(100_000)
        time.sleep(TIMEOUT + 1)
        with pytest.raises(http.client.IncompleteRead):
            response.read()
    assert _query(url, PROBE)[0] == 200


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
