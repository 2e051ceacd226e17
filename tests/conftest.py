"""Shared fixtures and helpers for every test folder (tests/<layer>/ mirrors src/conflictgraph/<layer>/).

- Stores built once per session, read-only by convention: ``bundled``, ``mini``,
  ``network_store``, ``hostile_store`` in memory; ``mini_on_disk``, ``network_on_disk``,
  ``bundled_on_disk`` and ``imported_on_disk`` on disk, as paths. A test that changes a store
  works on a copy: ``bundled_copy()`` in memory, ``copy_store(location, tmp_path)`` on disk.
- Every test runs in a fresh, empty working directory, and so does the setup of every fixture:
  nothing a test writes by default (a rejects CSV, the default store ``.conflictgraph/store``, a
  page) lands in the repository, and no test depends on where pytest was started. The variables
  that choose a store are unset for the run.
- At the end of the session, the repository must hold no file it did not hold at the start
  (the doctests under src/ included: they run later in the same session).
- ``slow`` (see pyproject.toml) marks the tests ``make test-fast`` leaves out: real servers, a
  real browser, subprocesses, the whole bundled graph through the CLI.

Test modules import the helpers below with ``from conftest import ...``.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import tempfile
import threading
from pathlib import Path
from collections.abc import Callable

import pytest
from click.testing import CliRunner
from hypothesis import settings as hypothesis_settings

from conflictgraph.api import ConflictGraph
from conflictgraph.build.pipeline import build_store
from conflictgraph.cli.main import cli
from conflictgraph.settings import ENV_CACHE, ENV_ENDPOINT, ENV_GSP_ENDPOINT, ENV_STORE, ENV_UPDATE_ENDPOINT
from conflictgraph.store import open_store

# Property-based tests keep nothing between runs and write nothing into the repository:
# no example database, and hypothesis's own cache in a temporary folder.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", tempfile.mkdtemp(prefix="conflictgraph-hypothesis-"))
hypothesis_settings.register_profile("conflictgraph", database=None)
hypothesis_settings.load_profile("conflictgraph")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini"
NETWORK = FIXTURES / "network"
HOSTILE = FIXTURES / "hostile"
COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def run_cli(*args: str):
    """The command line, run in this process."""
    return CliRunner().invoke(cli, list(args))


# Parameters for every named query that give rows on the bundled graph (by type, then by name).
_SAMPLE_PARAMS = {
    "actor": "KNPLF", "place": "Kayah State", "operation": "Operation 1107",
    "source": "src:irrawaddy-2023-11-03", "date": "2023-12-01", "iri": "cg:ArmedGroup", "string": "x",
    "integer": "1", "entity": "KNPLF",
}
_SAMPLE_BY_QUERY = {"alliance-members": {"alliance": "Three Brotherhood Alliance"},
                    "spokespeople": {"organization": "KNPLF"}, "statements-by-speaker": {"speaker": "Lawrence Soe"},
                    "wings": {"organization": "KNPP"}}


def named_query_params(query) -> dict[str, str]:
    """Values for the parameters of the named query ``query`` that give rows on the bundled graph."""
    return {p.name: _SAMPLE_PARAMS[p.type] for p in query.params} | _SAMPLE_BY_QUERY.get(query.name, {})


def count_quads(store: Path | str) -> int:
    """How many quads the store's named graphs hold, asked through the CLI."""
    result = run_cli("query", "--store", str(store), "--format", "json", COUNT_QUADS)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)[0]["n"]


def copy_store(location: Path | str, into: Path) -> Path:
    """A copy of the on-disk store at ``location`` as ``into``/store, for a test that changes it.

    Only the current generation is copied (the link to it stays relative, as the build makes
    it), without networks kept beside it: the same store a build would make, in milliseconds
    instead of the seconds a build spends validating.
    """
    generation = Path(location).resolve()
    target = Path(into) / "store"
    copied = target.with_name(target.name + ".d") / generation.name
    shutil.copytree(generation, copied, ignore=shutil.ignore_patterns("networks", "*.lock"))
    os.symlink(os.path.relpath(copied, target.parent), target)
    return target


# The working directory and the repository ----------------------------------------------------

_NOT_WATCHED = {".git", ".venv", "__pycache__", ".pytest_cache", ".import_linter_cache", ".mypy_cache", ".ruff_cache"}
# Files people may be writing while the suite runs (code, docs, settings): not a test's doing.
_EDITED_BY_HAND = (".py", ".md", ".rst", ".toml", ".ini", ".cfg", ".yml", ".yaml", "~", ".swp", ".orig", ".rej")


def repository_files() -> set[str]:
    """Every path under the repository folder, relative to it (the venv, git's and caches left out)."""
    found = set()
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in _NOT_WATCHED and not d.endswith(".egg-info")]
        relative = Path(folder).relative_to(ROOT)
        found.update(str(relative / name) for name in (*dirs, *files))
    return found


@pytest.fixture(scope="session", autouse=True)
def _repository_stays_clean():
    """Fails the session (an error at the last test's teardown) when a test or doctest left a
    new file or folder in the repository."""
    before = repository_files()
    yield
    new = sorted(p for p in repository_files() - before if not p.endswith(_EDITED_BY_HAND))
    assert not new, f"the tests wrote into the repository folder {ROOT}: {new}"


@pytest.fixture(scope="session", autouse=True)
def _session_working_directory(_repository_stays_clean, tmp_path_factory):
    """Module and session fixtures, and the doctests under src/, run in an empty folder too, with
    a cache folder of their own (remote stores' tables are kept there, not in the user's)."""
    before = Path.cwd()
    os.chdir(tmp_path_factory.mktemp("cwd-session"))
    saved = {name: os.environ.pop(name) for name in (ENV_STORE, ENV_ENDPOINT, ENV_UPDATE_ENDPOINT, ENV_GSP_ENDPOINT,
                                                      ENV_CACHE)
             if name in os.environ}
    os.environ[ENV_CACHE] = str(tmp_path_factory.mktemp("cache"))
    yield
    del os.environ[ENV_CACHE]
    os.environ.update(saved)
    os.chdir(before)


@pytest.fixture(autouse=True)
def _working_directory(tmp_path_factory, monkeypatch):
    """Each test in its own empty working directory (not ``tmp_path``, which stays the test's own)."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


# Stores shared by the session ----------------------------------------------------------------

@pytest.fixture(scope="session")
def bundled() -> ConflictGraph:
    """The bundled curated graph, built in memory once for the whole run."""
    store, _report = build_store(":memory:")
    return ConflictGraph(store)


@pytest.fixture(scope="session")
def mini() -> ConflictGraph:
    """The small hand-made fixture graph (tests/fixtures/mini), without the bundled graph."""
    store, _report = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
    return ConflictGraph(store)


@pytest.fixture(scope="session")
def bundled_copy(bundled) -> Callable[[], object]:
    """Makes writable in-memory copies of the bundled graph, for tests that import into it or
    change it: a copy takes milliseconds, a build seconds."""
    graphs = bundled.store.named_graphs()

    def copy():
        store = open_store()
        store.copy_graphs_from(bundled.store, graphs)
        return store

    return copy


@pytest.fixture(scope="session")
def network_store():
    """The network fixture (tests/fixtures/network: ties of every kind, worked out by hand) in memory."""
    store, _report = build_store(":memory:", graph_dirs=(NETWORK,), bundled=False)
    return store


@pytest.fixture(scope="session")
def hostile_store():
    """The hostile fixture (labels made to break pages) in memory."""
    store, _report = build_store(":memory:", graph_dirs=(HOSTILE,), bundled=False)
    return store


def _built_on_disk(tmp_path_factory, folder: Path) -> str:
    """The graph folder ``folder`` alone, built on disk through the CLI; the store's path."""
    location = tmp_path_factory.mktemp(f"{folder.name}-on-disk") / "store"
    result = run_cli("build", "--store", str(location), "--no-bundled", "--graph", str(folder))
    assert result.exit_code == 0, result.output
    return str(location)


@pytest.fixture(scope="session")
def mini_on_disk(tmp_path_factory) -> str:
    """The mini fixture built on disk through the CLI; its path (copy it with ``copy_store``
    to change it)."""
    return _built_on_disk(tmp_path_factory, MINI)


@pytest.fixture(scope="session")
def network_on_disk(tmp_path_factory) -> str:
    """The network fixture built on disk through the CLI; its path."""
    return _built_on_disk(tmp_path_factory, NETWORK)


@pytest.fixture(scope="session")
def bundled_on_disk(tmp_path_factory) -> str:
    """The bundled graph built on disk; its path."""
    location = tmp_path_factory.mktemp("bundled-on-disk") / "store"
    store, _report = build_store(location)
    store.close()
    return str(location)


@pytest.fixture(scope="session")
def westland_on_disk(tmp_path_factory) -> str:
    """A store with no curated graph and the made-up all-hostile UCDP-shaped fixture
    (``ucdp/westland.csv``, three years of a conflict the bundled graph does not know) imported
    through the CLI; its path. Tests only read it."""
    folder = tmp_path_factory.mktemp("westland")
    location = str(folder / "store")
    assert run_cli("build", "--no-bundled", "--store", location).exit_code == 0
    imported = run_cli("import", "ucdp", str(FIXTURES / "ucdp" / "westland.csv"), "--store", location,
                       "--rejects", str(folder / "rejects.csv"))
    assert imported.exit_code == 0, imported.output
    return location


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """Debian's Virtuoso on loopback, one per session (it takes some seconds to start); tests
    that need it empty drop the graphs they find (see tests/virtuoso_server.py)."""
    from virtuoso_server import running_virtuoso

    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture(scope="session")
def synthetic_on_disk(bundled_on_disk, tmp_path_factory) -> str:
    """The bundled graph on disk with 4,000 synthetic ACLED rows imported through the CLI
    (``benchmarks/bench_import.generate``: ties with dozens of events, curated events on some of
    the same ties, thousands of ties changing from year to year); its path. Tests only read it."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_import import generate
    folder = tmp_path_factory.mktemp("synthetic")
    rows = folder / "acled.csv"
    generate(rows, 4_000)
    location = str(copy_store(bundled_on_disk, folder))
    imported = run_cli("import", "acled", str(rows), "--store", location, "--rejects", str(folder / "rejects.csv"))
    assert imported.exit_code in (0, 1), imported.output
    return location


@pytest.fixture(scope="session")
def imported_on_disk(bundled_on_disk, tmp_path_factory) -> str:
    """The bundled graph on disk with the UCDP and ACLED fixture files imported through the CLI;
    its path. Some fixture rows are rejected on purpose (their CSV goes to a temporary folder)."""
    location = str(copy_store(bundled_on_disk, tmp_path_factory.mktemp("imported-on-disk")))
    rejects = tmp_path_factory.mktemp("rejects")
    for dataset, path in (("ucdp", FIXTURES / "ucdp" / "ged.csv"), ("acled", FIXTURES / "acled" / "acled.csv")):
        result = run_cli("import", dataset, str(path), "--store", location, "--rejects", str(rejects / f"{dataset}.csv"))
        assert result.exit_code in (0, 1), result.output  # 1: rows were rejected (the rest is imported)
    return location


class Listener:
    """A loopback TCP listener that counts the connections it is offered (a stand-in for a
    remote endpoint a query must never reach). ``close()`` stops it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                pass

    def close(self) -> None:
        self._stop = True
        self._thread.join(2)
        self.sock.close()
