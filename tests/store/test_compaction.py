"""Compaction after large imports: in a background process, through the writers' lock."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

import conflictgraph.network.ties as ties_module
from conflictgraph.cli import events as cli_import
from conflictgraph.build.pipeline import open_for_reading
from conflictgraph.store.compaction import LOG_NAME, compact_store
from conflictgraph.network.projection import project
from conflictgraph.network.ties import TABLE_FILE
from conflictgraph.store.generations import BUILD_INFO, StoreLocation

from conftest import FIXTURES, copy_store, count_quads as count, run_cli as run


@pytest.fixture
def built(mini_on_disk, tmp_path) -> Path:
    """The mini fixture on disk, as `build --no-bundled --graph MINI` makes it, for this test to change."""
    return copy_store(mini_on_disk, tmp_path)


def mark_uncompacted(location: Path) -> None:
    """Say in build.json that the current generation still needs compacting."""
    info_path = StoreLocation(location).current() / BUILD_INFO
    info_path.write_text(json.dumps(dict(json.loads(info_path.read_text()), compacted=False)), encoding="utf-8")


def wait_for_compactor(location: Path, timeout: float = 120, words: tuple[str, ...] = ("compacted", "nothing to do")) -> str:
    """The background process's last line, once its log holds one of ``words``."""
    log = StoreLocation(location).generations / LOG_NAME
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8") if log.is_file() else ""
        if any(word in text for word in words):
            return text.strip().splitlines()[-1]
        time.sleep(0.2)
    raise AssertionError(f"no word from the background compactor in {timeout} s: {log.read_text()!r}")


@pytest.mark.slow  # a background process compacts
def test_a_large_import_is_published_at_once_and_compacted_in_the_background(built, mini_on_disk, tmp_path,
                                                                              monkeypatch):
    location = built
    monkeypatch.setattr(cli_import, "BACKGROUND_COMPACTION_BYTES", 0)  # the fixture counts as large
    result = run("import", "acled", str(FIXTURES / "acled" / "acled.csv"), "--store", str(location),
                 "--rejects", str(tmp_path / "rejects.csv"))
    assert result.exit_code == 1, result.output  # the fixture's bad rows; the rest is in
    assert "compacting the store in the background" in result.output
    place = StoreLocation(location)
    published = place.current()
    assert (published / TABLE_FILE).is_file()  # the import wrote the event-tie table before publishing
    imported = count(location)  # readable at once, compacted or not
    waited = run("compact", "--store", str(location))
    assert waited.exit_code == 0, waited.output
    wait_for_compactor(location)  # ("nothing to do" when `compact` got the lock first and compacted it)
    assert place.info()["compacted"] is True and place.current() != published
    assert count(location) == imported and imported > count(mini_on_disk)
    assert (place.current() / TABLE_FILE).is_file()  # linked over: the same triples

    def no_extracting(*_args, **_options):
        raise AssertionError("extracted the event-tie table again instead of reading the kept one")

    monkeypatch.setattr(ties_module, "extract_ties", no_extracting)
    network = project(open_for_reading(location))
    assert network.number_of_edges() > 0 and any(d.get("events") for *_e, d in network.edges(data=True))


def test_compaction_leaves_a_store_published_after_its_start_alone(built, mini_on_disk):
    location = built
    place = StoreLocation(location)
    assert compact_store(location) is False  # a built store is compacted already
    mark_uncompacted(location)
    before = place.current()
    (before / "ties.npz").write_bytes(b"table")  # derived files, kept beside the database
    (before / ".ties.npz.123.tmp").touch()  # and what is not one: a file being written
    assert compact_store(location, generation="g-0-0") is False  # another writer published since
    assert place.current() == before
    assert compact_store(location, generation=before.name) is True
    assert place.current() != before and place.info()["compacted"] is True
    assert (place.current() / "ties.npz").read_bytes() == b"table"  # same triples: still valid
    assert not (place.current() / ".ties.npz.123.tmp").exists()
    assert count(location) == count(mini_on_disk)


@pytest.mark.slow  # a second process, kept waiting for 3 s
def test_writers_take_turns_across_processes(built):
    """A compaction started while another writer holds the store waits for it, then runs."""
    location = built
    mark_uncompacted(location)
    place = StoreLocation(location)
    with place.writing():
        waiting = subprocess.Popen([sys.executable, "-m", "conflictgraph", "compact", "--store", str(location)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert waiting.poll() is None, waiting.communicate()  # still waiting for the lock
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert "waiting for another build, import or compaction" in err and f"compacted {location}" in out
    assert place.info()["compacted"] is True


def test_compact_refuses_what_it_cannot_compact(tmp_path):
    missing = run("compact", "--store", str(tmp_path / "none"))
    assert missing.exit_code == 1 and "run 'conflictgraph build' first" in missing.output
    assert not (tmp_path / "none.d").exists()  # nothing created for a mistyped path
    memory = run("compact", "--store", ":memory:")
    assert memory.exit_code == 2 and "on-disk store" in memory.output
