"""A full disk ends a write in one line naming the path; the previous store stays as it was.

The disk is a small tmpfs mounted for the test (CI runs as root, as mounting needs).
"""
from __future__ import annotations

import json
import os
import subprocess

import pytest

from conftest import FIXTURES, MINI, copy_store, run_cli

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root (CI runs as root)")


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6M", "tmpfs", str(mount)], check=True)
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


def _fill(disk, leave_bytes: int) -> None:
    """Fill ``disk`` with a file until only ``leave_bytes`` are free."""
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with open(disk / "filler", "wb") as handle:
        handle.truncate(0)
        os.posix_fallocate(handle.fileno(), 0, max(0, free - leave_bytes))


def _count(store) -> int:
    result = run_cli("query", "--store", str(store), "--format", "json", "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")
    return json.loads(result.output)[0]["n"]


def test_a_build_on_a_full_disk_says_so_in_one_line(small_disk):
    _fill(small_disk, 64 * 1024)
    result = run_cli("build", "--store", str(small_disk / "store"), "--no-bundled", "--graph", str(MINI))
    assert result.exit_code == 1
    assert "no space is left on the disk holding" in result.output and "Traceback" not in result.output
    assert not (small_disk / "store").exists()
    assert [p.name for p in (small_disk / "store.d").iterdir()] == [".writer.lock"]


def test_an_import_on_a_full_disk_leaves_the_store_as_it_was(mini_on_disk, small_disk):
    store = copy_store(mini_on_disk, small_disk)
    before = _count(store)
    generations = sorted(p.name for p in store.with_name("store.d").iterdir() if p.is_dir())
    _fill(small_disk, 16 * 1024)
    result = run_cli("import", "ucdp", str(FIXTURES / "ucdp" / "ged.csv"), "--store", str(store),
                     "--rejects", str(small_disk.parent / "rejects.csv"))
    assert result.exit_code == 1, result.output
    assert "no space is left on the disk holding" in result.output and "Traceback" not in result.output
    os.remove(small_disk / "filler")
    assert _count(store) == before
    assert sorted(p.name for p in store.with_name("store.d").iterdir() if p.is_dir()) == generations


def test_a_rejects_file_on_a_full_disk_says_so_in_one_line(mini_on_disk, small_disk, tmp_path):
    store = copy_store(mini_on_disk, tmp_path)
    before = _count(store)
    _fill(small_disk, 0)
    result = run_cli("import", "ucdp", str(FIXTURES / "ucdp" / "ged.csv"), "--store", str(store),
                     "--rejects", str(small_disk / "rejects.csv"))
    assert result.exit_code == 1, result.output
    assert "no space is left on the disk holding" in result.output and "rejects.csv" in result.output
    assert _count(store) == before


def test_an_import_into_a_store_on_a_read_only_disk_says_so(mini_on_disk, small_disk, tmp_path):
    store = copy_store(mini_on_disk, small_disk)
    before = _count(store)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = run_cli("import", "ucdp", str(FIXTURES / "ucdp" / "ged.csv"), "--store", str(store),
                     "--rejects", str(tmp_path / "rejects.csv"))
    assert result.exit_code == 1, result.output
    assert "read-only disk" in result.output and "Traceback" not in result.output
    assert _count(store) == before
