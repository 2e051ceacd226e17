"""Start a real `oxigraph serve` or `conflictgraph serve` process on a free loopback port for the
tests (helper module)."""
from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from collections.abc import Iterator

__all__ = ["free_port", "oxigraph_binary", "running_oxigraph", "start_serve", "stop_process", "wait_for_http"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> str | None:
    """The `oxigraph` executable of the PyPI package (next to this Python), if installed."""
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def wait_for_http(url: str, process: subprocess.Popen, seconds: float = 30.0) -> None:
    """Poll ``url`` until it answers (any status), failing when the process dies or time is up."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@contextlib.contextmanager
def running_oxigraph(location: Path, *, read_only: bool = False, union: bool = False,
                     timeout_s: int | None = None) -> Iterator[str]:
    """Run `oxigraph serve` (or `serve-read-only`) on ``location``; yield its base URL.
    ``timeout_s``: the server stops any request after that many seconds."""
    import pytest

    binary = oxigraph_binary()
    if binary is None:
        pytest.skip("the oxigraph server (pip install oxigraph) is not installed")
    port = free_port()
    args = [binary, "serve-read-only" if read_only else "serve", "--location", str(location),
            "--bind", f"127.0.0.1:{port}"] + (["--union-default-graph"] if union else []) \
        + (["--timeout-s", str(timeout_s)] if timeout_s else [])
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(url + "/query?query=ASK%7B%7D", process)
        yield url
    finally:
        stop_process(process)


def start_serve(store: Path | None, *extra: str) -> tuple[subprocess.Popen, str]:
    """Start `conflictgraph serve` on ``store`` (None: ``extra`` names it, e.g. ``--endpoint URL``)
    with the options ``extra``; (process, base URL). Stop it with :func:`stop_process`."""
    port = free_port()
    where = ["--store", str(store)] if store is not None else []
    args = [str(Path(sys.executable).with_name("conflictgraph")), "-q", "serve", *where, "--port", str(port), *extra]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(url + "/sparql", process, seconds=60)
    except Exception as err:
        process.kill()
        raise RuntimeError(process.stderr.read().decode()) from err
    return process, url


def stop_process(process: subprocess.Popen) -> None:
    """Ask a server process to stop; kill it if it has not stopped within 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
