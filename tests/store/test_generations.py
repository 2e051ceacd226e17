"""Leftovers of killed writers are found and removed; nothing a live process writes is touched."""
from __future__ import annotations

import subprocess
import sys

from conflictgraph.store.generations import StoreLocation
from conftest import MINI, copy_store, run_cli


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_the_next_write_removes_what_a_killed_writer_left(mini_on_disk, tmp_path):
    store = copy_store(mini_on_disk, tmp_path)
    place = StoreLocation(store)
    abandoned = place.generations / f"g-1-{_dead_pid()}"
    (abandoned / "oxigraph").mkdir(parents=True)
    (abandoned / "oxigraph" / "000001.sst").write_bytes(b"x" * 1000)
    assert [g.state for g in place.survey() if g.folder.name == abandoned.name] == ["abandoned"]
    result = run_cli("build", "--store", str(store), "--no-bundled", "--graph", str(MINI))
    assert result.exit_code == 0, result.output
    assert not abandoned.exists()


def test_a_generation_a_live_process_writes_is_left_alone(mini_on_disk, tmp_path):
    store = copy_store(mini_on_disk, tmp_path)
    place = StoreLocation(store)
    writer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live = place.generations / f"g-2-{writer.pid}"
        live.mkdir()
        assert {g.folder.name: g.state for g in place.survey()}[live.name] == "being written"
        assert place.prune() == []
        assert live.exists()
    finally:
        writer.kill()
        writer.wait()


def test_doctor_reports_and_repairs(mini_on_disk, tmp_path):
    store = copy_store(mini_on_disk, tmp_path)
    abandoned = StoreLocation(store).generations / f"g-3-{_dead_pid()}"
    abandoned.mkdir()
    report = run_cli("doctor", "--store", str(store), "--format", "csv")
    assert report.exit_code == 0, report.output
    assert f"{abandoned.name},abandoned," in report.output
    assert ",current," in report.output
    assert abandoned.exists()  # reporting changes nothing
    repaired = run_cli("doctor", "--store", str(store), "--repair", "--format", "csv")
    assert repaired.exit_code == 0, repaired.output
    assert not abandoned.exists() and abandoned.name not in repaired.output
    missing = run_cli("doctor", "--store", str(tmp_path / "nothing"))
    assert missing.exit_code == 1 and "no store" in missing.output
