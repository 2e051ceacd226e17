"""Projected networks are kept beside their store generation and read back unchanged."""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

import conflictgraph.network.projection as project_module
from conflictgraph.build.pipeline import open_for_reading, update_store
from conflictgraph.importers import import_events
from conflictgraph.network.projection import project
from conflictgraph.network.spec import load_projection

from conftest import FIXTURES, copy_store


def as_json(network) -> str:
    return json.dumps(nx.node_link_data(network, edges="edges"), sort_keys=True)


@pytest.fixture()
def store_path(mini_on_disk, tmp_path):
    """The mini fixture on disk, for this test alone (no network kept beside it yet)."""
    return copy_store(mini_on_disk, tmp_path)


def networks_folder(store_path: Path) -> Path:
    return store_path.resolve() / "networks"


def test_the_second_projection_is_read_back_unchanged(store_path, monkeypatch):
    store = open_for_reading(store_path)
    first = project(store, view="alliance", as_of="2023-11-20")
    assert len(list(networks_folder(store_path).glob("*.json"))) == 1

    def no_projecting(*_args):
        raise AssertionError("projected again instead of reading the kept network")

    monkeypatch.setattr(project_module, "_Facts", no_projecting)
    again = project(store, view="alliance", as_of="2023-11-20")
    assert as_json(again) == as_json(first) and again.graph == first.graph
    assert first.number_of_edges() > 0
    with pytest.raises(AssertionError, match="projected again"):
        project(store, view="actors")  # other options: not the kept network


def test_custom_projections_and_writable_copies_are_not_kept(store_path):
    store = open_for_reading(store_path)
    project(store, projection=load_projection())
    assert not networks_folder(store_path).exists()
    with update_store(store_path) as writer:
        project(writer)
    assert not list(store_path.parent.glob("store.d/*/networks/*.json"))


def test_a_new_generation_projects_afresh(store_path):
    before = project(open_for_reading(store_path))
    with update_store(store_path) as writer:
        import_events(writer, "acled", FIXTURES / "acled" / "acled.csv")
    after = project(open_for_reading(store_path))
    assert as_json(after) != as_json(before)
    assert any(data.get("events") for _a, _b, data in after.edges(data=True))


def test_an_unreadable_kept_network_is_projected_again(store_path):
    store = open_for_reading(store_path)
    first = project(store)
    (kept,) = networks_folder(store_path).glob("*.json")
    kept.write_text("{ not json", encoding="utf-8")
    assert as_json(project(store)) == as_json(first)


def test_a_network_being_projected_is_waited_for_not_projected_twice(store_path, monkeypatch):
    """Two commands asking for the same network at once: the second waits for the first's lock,
    then reads what the first kept."""
    import threading
    import time

    store = open_for_reading(store_path)
    builds, started, release = [], threading.Event(), threading.Event()
    original = project_module._build

    def slow_build(*args, **kwargs):
        builds.append(1)
        started.set()
        release.wait(20)
        return original(*args, **kwargs)

    monkeypatch.setattr(project_module, "_build", slow_build)
    results = {}
    first = threading.Thread(target=lambda: results.__setitem__("first", project(store)))
    first.start()
    assert started.wait(20)
    second = threading.Thread(target=lambda: results.__setitem__("second", project(store)))
    second.start()
    time.sleep(0.5)
    assert second.is_alive(), "the second command should wait for the network being projected"
    release.set()
    first.join(30)
    second.join(30)
    assert len(builds) == 1
    assert as_json(results["second"]) == as_json(results["first"]) and results["first"].number_of_edges() > 0


def test_networks_of_the_store_before_compaction_are_waited_for_and_taken_over(tmp_path):
    """The warm-up after a compaction takes over what a command projects meanwhile on the
    uncompacted store (same triples) instead of projecting it a second time beside it."""
    import fcntl
    import threading
    import time

    from conflictgraph.network.cache import NetworkCache

    older, newer = NetworkCache(tmp_path / "old" / "networks"), NetworkCache(tmp_path / "new" / "networks")
    older.folder.mkdir(parents=True)
    newer.folder.parent.mkdir()  # the new generation
    (older.folder / "ab12.json").write_text("{}", encoding="utf-8")
    taken = {}
    with open(older.folder / "cd34.lock", "a") as lock:  # a command still projecting cd34 there
        fcntl.flock(lock, fcntl.LOCK_EX)
        waiter = threading.Thread(target=lambda: taken.__setitem__("n", newer.adopt(older, wait=True)))
        waiter.start()
        time.sleep(0.5)
        assert waiter.is_alive(), "adopt(wait=True) should wait for the network being projected"
        (older.folder / "cd34.json").write_text('{"kept": 1}', encoding="utf-8")
    waiter.join(10)
    assert taken["n"] == 2 and (newer.folder / "cd34.json").read_text() == '{"kept": 1}'
    assert newer.adopt(older, wait=False) == 0  # there already
