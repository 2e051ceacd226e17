"""Benchmark (not a test): `conflictgraph import acled` into shared stores, against the embedded store.

Generates an ACLED-shaped CSV (``bench_import.generate``, default 100,000 rows), then times
`build` and `import` through the CLI, in this process, into: the embedded store on disk (the
baseline), `oxigraph serve` (updates as INSERT DATA pieces, then again with its Graph Store
Protocol endpoint), and Debian's Virtuoso (with its Graph Store Protocol endpoint). Each server
is started on loopback with a fresh database by the test suite's helpers
(tests/oxigraph_server.py, tests/virtuoso_server.py); one that is not installed is left out.
Prints each time and its ratio to the embedded import of the same run.

Run:

    .venv/bin/python benchmarks/bench_remote_import.py [--rows N]
"""
from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "tests")]

from bench_import import generate  # noqa: E402

__all__ = ["main"]


def _timed(label: str, *args: str) -> float:
    """Run the CLI with ``args`` in this process; print and return the seconds it took."""
    from click.testing import CliRunner

    from conflictgraph.cli.main import cli

    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["-q", *args])
    seconds = time.perf_counter() - started
    if result.exit_code > 1:  # 1: some rows rejected, as the generator means some to be
        raise SystemExit(f"{label} failed: {result.output}")
    print(f"{label:<44} {seconds:8.1f} s", flush=True)
    return seconds


@contextlib.contextmanager
def _server(start: Callable[[Path], contextlib.AbstractContextManager], folder: Path) -> Iterator[object | None]:
    """The server ``start`` runs on ``folder``, or None when it is not installed."""
    try:
        with start(folder) as server:
            yield server
    except BaseException as err:  # pytest.skip raises outside pytest too: the server is missing
        if type(err).__name__ != "Skipped":
            raise
        print(f"(left out: {err})")
        yield None


def main(argv: list[str] | None = None) -> None:
    from oxigraph_server import running_oxigraph
    from virtuoso_server import running_virtuoso

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-remote-"))
    data = work / "acled.csv"
    generate(data, args.rows)
    rejects = ["--rejects", str(work / "rejects.csv")]
    print(f"{args.rows:,} ACLED-shaped rows")
    _timed("embedded: build", "build", "--store", str(work / "embedded"))
    base = _timed("embedded: import", "import", "acled", str(data), "--store", str(work / "embedded"), *rejects)
    timings: dict[str, float] = {}
    with _server(running_oxigraph, work / "oxigraph") as url:
        if url is not None:
            where = ["--endpoint", f"{url}/query"]
            _timed("oxigraph serve: build", "build", *where)
            timings["oxigraph serve: import (INSERT DATA)"] = _timed(
                "oxigraph serve: import (INSERT DATA)", "import", "acled", str(data), *where, *rejects)
    with _server(running_oxigraph, work / "oxigraph-gsp") as url:
        if url is not None:
            where = ["--endpoint", f"{url}/query", "--gsp-endpoint", f"{url}/store"]
            _timed("oxigraph serve: build (GSP)", "build", *where)
            timings["oxigraph serve: import (GSP)"] = _timed(
                "oxigraph serve: import (GSP)", "import", "acled", str(data), *where, *rejects)
    (work / "virtuoso").mkdir()
    with _server(running_virtuoso, work / "virtuoso") as server:
        if server is not None:
            where = server.cli_options()
            _timed("virtuoso: build (GSP)", "build", *where)
            timings["virtuoso: import (GSP)"] = _timed(
                "virtuoso: import (GSP)", "import", "acled", str(data), *where, *rejects)
    for label, seconds in timings.items():
        print(f"{label:<44} {seconds / base:8.1f} x the embedded import")


if __name__ == "__main__":
    main()
