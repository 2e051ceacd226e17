"""The event-tie table (conflictgraph.network.ties): its file, where it is kept, and networks
from project() identical with and without it, on the fixture datasets imported into the bundled
and the mini graph (in memory and on disk), and through a remote store."""
from __future__ import annotations

import os

import numpy as np
import pytest

from conflictgraph.api import ConflictGraph
from conflictgraph.build.pipeline import open_for_reading
from conflictgraph.importers.dataset import import_events
from conflictgraph.network.analyze.ego import ego_network
from conflictgraph.network.projection import project
from conflictgraph.network.reports import centrality_report, communities_report
from conflictgraph.network.spec import NetworkSpec, load_projection
from conflictgraph.network.tie_edges import aggregate, table_counterparts
from conflictgraph.network.ties import (RELATIONS, TABLE_FILE, TieTable, event_relations, extract_ties, kept_table,
                                        known_events, table_key)
from conflictgraph.query.describe import KnownCounterparts, counterparts
from conflictgraph.query.timeline import timeline_rows
from conflictgraph.rdf.terms import IRI
from conflictgraph.store.generations import DATABASE, StoreLocation

from conftest import FIXTURES, MINI, copy_store, run_cli

A = "https://w3id.org/conflictgraph/id/actor/"
OPTIONS = [{}, {"as_of": "2023-11-07"}, {"between": ("2023-11-01", "2023-11-30")},
           {"between": ("2021-01-01", "2022-12-31")}, {"evidence": "acled"}, {"evidence": "ucdp-ged"},
           {"evidence": "curated"}, {"include_generic": True}, {"view": "alliance"},
           {"status": ["claimed"]}, {"status": ["confirmed"]},
           {"evidence": "acled", "between": ("2023-01-01", "2023-12-31")},
           {"relations": ["fought", "co-member"]}]
TABLE_OPTIONS = [{"evidence": "icews-dyad-year"}, {"evidence": "cameo-events", "between": ("2023-11-01", "2023-11-10")},
                 {"relations": ["cooperates-with", "hostile-to", "acted-against", "interacted-with"],
                  "as_of": "2023-06-01"}]  # on the mini graph, where the table fixtures are imported too
TABLES = (("icews-dyad-year", "icews.tsv"), ("cameo-events", "cameo.csv"), ("edge-list", "edges.csv"))


def _name(options: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in options.items()) or "none"


def _network(graph):
    """All a network is: graph attributes, nodes and edges in order, with every attribute."""
    return graph.graph, list(graph.nodes(data=True)), list(graph.edges(keys=True, data=True))


def _import_fixtures(store) -> None:
    for dataset, path in (("ucdp", FIXTURES / "ucdp" / "ged.csv"), ("acled", FIXTURES / "acled" / "acled.csv")):
        import_events(store, dataset, path)


@pytest.fixture(scope="module")
def bundled_in_memory(bundled_copy):
    """The bundled graph with the UCDP and ACLED fixtures imported, in memory."""
    store = bundled_copy()
    _import_fixtures(store)
    return store


@pytest.fixture(scope="module")
def mini_on_disk_imported(mini_on_disk, tmp_path_factory) -> str:
    """The mini graph on disk with the UCDP and ACLED fixtures, and the table fixtures (ties and
    interactions, which the event-tie table leaves to the queries), imported through the CLI (this
    module's copy: project() keeps the table in it)."""
    folder = tmp_path_factory.mktemp("ties-mini")
    location = str(copy_store(mini_on_disk, folder))
    for dataset, path in (("ucdp", FIXTURES / "ucdp" / "ged.csv"), ("acled", FIXTURES / "acled" / "acled.csv")):
        result = run_cli("import", dataset, str(path), "--store", location, "--rejects", str(folder / f"{dataset}.csv"))
        assert result.exit_code in (0, 1), result.output  # 1: rows were rejected (the rest is imported)
    for mapping, name in TABLES:
        result = run_cli("import", "table", str(FIXTURES / "table" / name), "--mapping", mapping, "--store", location,
                         "--rejects", str(folder / f"{mapping}.csv"))
        assert result.exit_code in (0, 1), result.output
    return location


@pytest.fixture(scope="module")
def on_disk(imported_on_disk, tmp_path_factory) -> str:
    """The bundled graph on disk with the UCDP and ACLED fixtures imported (this module's copy)."""
    return str(copy_store(imported_on_disk, tmp_path_factory.mktemp("ties")))


def _same_with_and_without(store, options: dict) -> None:
    with_table = project(store, **options)  # the bundled projection: event relations from the table
    without = project(store, projection=load_projection(), **options)  # every relation through its query
    assert _network(with_table) == _network(without)
    if not options:
        assert any(d["relation"] in RELATIONS and "acled" in d["evidence"] for *_e, d in without.edges(data=True))
    evidence = {kind for *_e, d in without.edges(data=True) for kind in d["evidence"]}
    if not options and "icews-dyad-year" in str(store.named_graphs()):  # table imports are there, both ways
        assert {"icews-dyad-year", "cameo-events", "edge-list"} <= evidence
    if options.get("evidence") == "icews-dyad-year":
        assert evidence == {"icews-dyad-year"}


@pytest.mark.parametrize("options", OPTIONS + TABLE_OPTIONS, ids=_name)
def test_project_gives_the_same_network_with_and_without_the_table(mini_on_disk_imported, options):
    _same_with_and_without(open_for_reading(mini_on_disk_imported), options)


@pytest.mark.parametrize("options", [{}, {"between": ("2023-11-01", "2023-11-30")}, {"view": "alliance"},
                                     {"evidence": "curated"}], ids=_name)
def test_the_same_on_the_bundled_graph_in_memory(bundled_in_memory, options):
    _same_with_and_without(bundled_in_memory, options)


@pytest.mark.slow  # the bundled graph built on disk, with imports through the CLI
@pytest.mark.parametrize("options", OPTIONS, ids=_name)
def test_the_same_on_the_bundled_graph_on_disk(on_disk, options):
    _same_with_and_without(open_for_reading(on_disk), options)


PROVENANCE = {"events", "ties", "sources", "statements", "via", "evidence", "status", "spans"}


@pytest.mark.parametrize("options", OPTIONS, ids=_name)
def test_a_network_without_provenance_has_the_same_edges_and_weights(mini_on_disk_imported, options):
    store = open_for_reading(mini_on_disk_imported)
    whole, counted = project(store, **options), project(store, provenance=False, **options)
    assert list(counted.nodes(data=True)) == list(whole.nodes(data=True))
    assert list(counted.edges(keys=True)) == list(whole.edges(keys=True))
    light = 0
    for u, v, key, attrs in counted.edges(keys=True, data=True):
        full = whole.edges[u, v, key]
        assert attrs == {name: full[name] for name in attrs}  # what it keeps is the same
        if "events" not in attrs:
            light += 1
            assert set(full) - set(attrs) <= PROVENANCE and attrs["weight"] == len(full["events"])
    if not options or options.get("evidence") == "acled":
        assert light  # the imported events' edges are among them


def test_an_edge_without_provenance_counts_the_events_a_residual_tie_adds():
    """A curated node with sides but no event class on an imported pair adds a row, not an
    event: the whole edge's weight (its events) stays, and so does the counted edge's."""
    from conflictgraph.build.pipeline import build_store
    from conflictgraph.rdf.namespaces import CG, GRAPHS, ID
    from conflictgraph.rdf.terms import IRI

    store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
    import_events(store, "acled", FIXTURES / "acled" / "acled.csv")
    u, v = next((u, v) for u, v, key, attrs in project(store).edges(keys=True, data=True)
                if key == "fought" and attrs["evidence"].get("acled"))
    node, graph = IRI(ID + "event/untyped-report"), IRI(GRAPHS + "review")
    store.add_quads([(node, IRI(CG.sideA), IRI(u), graph), (node, IRI(CG.sideB), IRI(v), graph)])
    whole = project(store).edges[u, v, "fought"]
    assert node in whole["ties"] and node not in whole["events"]
    assert project(store, provenance=False).edges[u, v, "fought"]["weight"] == whole["weight"] == len(whole["events"])


def test_centrality_and_communities_rank_as_on_the_whole_network(bundled_in_memory):
    graph = ConflictGraph(bundled_in_memory)
    whole = project(bundled_in_memory)
    assert graph.centrality().data == centrality_report(whole).data
    assert graph.communities().data == communities_report(whole).data


@pytest.mark.parametrize(("options", "depth"), [({}, 1), ({"between": ("2023-11-01", "2023-11-30")}, 2),
                                                ({"evidence": "acled"}, 1)], ids=["none", "between-depth-2", "acled"])
def test_an_ego_network_is_the_same_with_and_without_the_table(bundled_in_memory, options, depth):
    graph = ConflictGraph(bundled_in_memory)
    fast = graph.network(NetworkSpec(focus="KNDF", depth=depth, **options))
    slow = ego_network(project(graph.store, projection=load_projection(), **options), A + "kndf", depth)
    assert _network(fast) == _network(slow)


def test_curated_events_are_residual_and_merged_with_imported_ones(bundled_in_memory):
    store = bundled_in_memory
    table = kept_table(store)
    assert table.residual and not any("/event/acled-" in e or "/event/ucdp-" in e for e in table.residual)
    assert set(table.kinds.strings) == {"acled", "ucdp-ged"}
    edge = project(store).edges[A + "kndf", A + "tatmadaw", "fought"]  # curated and imported evidence
    assert edge["evidence"]["curated"] >= 1 and edge["evidence"]["acled"] == 1


def test_the_table_is_kept_in_the_generation_and_rebuilt_when_missing(mini_on_disk_imported, monkeypatch):
    store = open_for_reading(mini_on_disk_imported)
    path = StoreLocation(mini_on_disk_imported).current() / TABLE_FILE
    table = kept_table(store)
    assert path.is_file() and TieTable.load(path, key=table_key()) == table == extract_ties(store)
    with monkeypatch.context() as patch:
        patch.setattr("conflictgraph.network.ties.extract_ties", _no_extracting)
        assert kept_table(store) == table  # read from the file
    path.unlink()
    assert kept_table(store) == table and path.is_file()  # extracted again, and kept
    TieTable.from_events([]).save(path, key="other code")
    assert kept_table(store) == table and TieTable.load(path, key=table_key()) == table  # a stale file: replaced


def _kept_without_extracting(location, monkeypatch) -> TieTable:
    """The table the current generation keeps, read as a network command reads it (no extracting)."""
    with monkeypatch.context() as patch:
        patch.setattr("conflictgraph.network.ties.extract_ties", _no_extracting)
        return kept_table(open_for_reading(location))


def test_build_and_import_write_the_table_before_publishing(mini_on_disk, tmp_path, monkeypatch):
    """Each generation that build and import publish has its table, equal to one extracted from
    its triples: the import's own rows (new, unchanged, updated events) and, when the graph
    holds events the file did not give, the store's."""
    location = str(tmp_path / "store")
    ged, acled = FIXTURES / "ucdp" / "ged.csv", FIXTURES / "acled" / "acled.csv"
    fewer = tmp_path / "acled-fewer.csv"  # the ACLED file without its last rows: those events stay, "missing"
    lines = acled.read_text(encoding="utf-8").splitlines(keepends=True)
    fewer.write_text("".join(lines[:-3]), encoding="utf-8")
    steps = [("build", "--no-bundled", "--graph", str(MINI)), ("import", "ucdp", str(ged)), ("import", "acled", str(acled)),
             ("import", "acled", str(acled)), ("import", "acled", str(fewer)),
             ("import", "table", str(FIXTURES / "table" / "edges.csv"), "--mapping", "edge-list")]
    sizes = []
    for step in steps:
        rejects = ("--rejects", str(tmp_path / "rejects.csv")) if step[0] == "import" else ()
        result = run_cli(*step, "--store", location, *rejects)
        assert result.exit_code in (0, 1), result.output  # 1: the fixtures' bad rows are rejected
        assert "writing the event-tie table" in result.output
        table = _kept_without_extracting(location, monkeypatch)
        assert table == extract_ties(open_for_reading(location)), step
        sizes.append(len(table.events))
    assert sizes[0] == 0 < sizes[1] < sizes[2] == sizes[3] == sizes[4]  # "fewer" keeps the missing events


def test_a_table_that_cannot_be_written_leaves_the_store_as_it_was(mini_on_disk, tmp_path, monkeypatch):
    location = copy_store(mini_on_disk, tmp_path)
    place = StoreLocation(location)
    before = place.current()

    def disk_full(*_args, **_options):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(TieTable, "save", disk_full)
    result = run_cli("import", "acled", str(FIXTURES / "acled" / "acled.csv"), "--store", str(location),
                     "--rejects", str(tmp_path / "rejects.csv"))
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "disk is full" in result.output.lower() or "no space" in result.output.lower(), result.output
    assert place.current() == before and [p.name for p in place.generations.glob("g-*")] == [before.name]


def _no_extracting(_store):
    raise AssertionError("extracted the table instead of reading the kept one")


def test_a_store_folder_that_cannot_be_written_means_a_table_per_call(mini_on_disk_imported, tmp_path, monkeypatch):
    location = copy_store(mini_on_disk_imported, tmp_path)
    (StoreLocation(location).current() / TABLE_FILE).unlink(missing_ok=True)
    store = open_for_reading(location)

    def refused(*_args):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(os, "replace", refused)  # how the file would be put in place
    table = kept_table(store)
    assert len(table) > 0 and table == extract_ties(store)
    assert sorted(p.name for p in StoreLocation(location).current().iterdir()) == ["build.json", DATABASE]


def test_save_and_load_round_trip(bundled_in_memory, tmp_path):
    table = extract_ties(bundled_in_memory)
    table.save(tmp_path / "ties.npz", key="k")
    loaded = TieTable.load(tmp_path / "ties.npz", key="k")
    assert loaded == table and len(loaded) > 0
    entries = event_relations()
    assert aggregate(loaded, entries) == aggregate(table, entries)
    with pytest.raises(ValueError, match="other code"):
        TieTable.load(tmp_path / "ties.npz", key="another")


def test_a_failed_write_leaves_the_old_file_and_no_partial_one(tmp_path, monkeypatch):
    path = tmp_path / "ties.npz"
    old = TieTable.from_events([{"event": "e1", "kind": "acled", "sideA": ["x"], "sideB": ["y"]}])
    old.save(path)

    def failing(handle, **_arrays):
        handle.write(b"PK\x03\x04 half a file")
        raise OSError("no space left on device")

    new = TieTable.from_events([{"event": "e2", "kind": "acled", "sideA": ["x"], "sideB": ["z"]}])
    with monkeypatch.context() as patch, pytest.raises(OSError, match="no space"):
        patch.setattr(np, "savez", failing)
        new.save(path)
    assert [p.name for p in tmp_path.iterdir()] == ["ties.npz"]
    assert TieTable.load(path) == old


def test_a_file_of_another_format_is_refused(tmp_path):
    path = tmp_path / "ties.npz"
    np.savez(path, meta=np.frombuffer(b'{"format": 0}', dtype=np.uint8))
    with pytest.raises(ValueError, match="another format"):
        TieTable.load(path)


def test_pairs_follow_the_queries():
    table = TieTable.from_events([
        # x twice on side A (as sideA and associated), y and z on side B, x also on side B
        {"event": "e1", "kind": "acled", "sideA": ["x"], "associatedWith": ["x", "w"], "sideB": ["y", "z", "x"]},
    ])
    rows = {(table.actors.strings[a], table.actors.strings[b], RELATIONS[r])
            for a, b, r in zip(table.a, table.b, table.relation)}
    assert rows == {("w", "x", "fought-alongside"), ("w", "y", "fought"), ("w", "z", "fought"),
                    ("x", "y", "fought"), ("x", "z", "fought"), ("w", "x", "fought"),
                    ("x", "y", "fought-alongside"), ("x", "z", "fought-alongside"), ("y", "z", "fought-alongside")}
    assert len(table) == len(rows)  # no duplicate rows


@pytest.mark.slow  # a real `oxigraph serve-read-only` process
def test_a_remote_store_gives_the_same_table_and_networks(on_disk):
    from conflictgraph.store.remote import Endpoint, RemoteStore
    from oxigraph_server import running_oxigraph
    embedded = open_for_reading(on_disk)
    with running_oxigraph(StoreLocation(on_disk).current() / DATABASE, read_only=True) as url:
        remote = RemoteStore(Endpoint.from_urls(url + "/query"))
        assert extract_ties(remote) == extract_ties(embedded)
        for options in ({}, {"between": ("2023-11-01", "2023-11-30")}, {"view": "alliance"}, {"evidence": "acled"}):
            with_table = _network(project(remote, **options))
            assert with_table == _network(project(remote, projection=load_projection(), **options)), options
            assert with_table == _network(project(embedded, projection=load_projection(), **options)), options


def test_a_remote_store_s_table_is_cached_per_store_version(tmp_path, monkeypatch):
    """A build or import through --endpoint keeps the remote store's table in this machine's
    cache, named by the store's new version (the import with the rows it passed); network
    commands read it; a missing file is extracted and kept by the first command."""
    from conflictgraph.network.ties import remote_table_path
    from conflictgraph.store.remote import Endpoint, RemoteStore
    from oxigraph_server import running_oxigraph
    monkeypatch.setenv("CONFLICTGRAPH_CACHE", str(tmp_path / "cache"))
    (tmp_path / "db").mkdir()
    with running_oxigraph(tmp_path / "db") as url:
        endpoint = ["--endpoint", url + "/query"]
        built = run_cli("build", "--no-bundled", "--graph", str(MINI), *endpoint)
        assert built.exit_code == 0 and "keeping the event-tie table" in built.output, built.output
        remote = RemoteStore(Endpoint.from_urls(url + "/query"))
        assert remote_table_path(remote).is_file()  # (no dataset yet: an empty table)
        result = run_cli("import", "ucdp", str(FIXTURES / "ucdp" / "ged.csv"), *endpoint,
                         "--rejects", str(tmp_path / "rejects.csv"))
        assert result.exit_code in (0, 1), result.output
        first = remote_table_path(remote)
        assert first is not None and first.parent == tmp_path / "cache" / "ties" and first.is_file()
        assert len(list(first.parent.iterdir())) == 1  # the build's version: removed
        with monkeypatch.context() as patch:
            patch.setattr("conflictgraph.network.ties.extract_ties", _no_extracting)
            table = kept_table(remote)  # read from the cache the import filled
        assert len(table.events) > 0 and table == extract_ties(remote)
        first.unlink()
        assert kept_table(remote) == table and first.is_file()  # extracted by a command, and kept
        result = run_cli("import", "acled", str(FIXTURES / "acled" / "acled.csv"), *endpoint,
                         "--rejects", str(tmp_path / "rejects.csv"))
        assert result.exit_code in (0, 1), result.output
        second = remote_table_path(remote)
        assert second is not None and second != first and second.is_file() and not first.exists()
        second.unlink()  # so a command extracts it with this store object,
        newer = kept_table(remote)  # which had listed the graphs before the import
        assert newer == extract_ties(RemoteStore(Endpoint.from_urls(url + "/query")))
        assert newer.kinds.strings == ["acled", "ucdp-ged"], newer.kinds.strings


def _table_of(rows_by_graph: dict[str, list[tuple[str, list[str]]]]) -> TieTable:
    """A table from grouped-query rows per dataset graph (what extraction reads)."""
    from conflictgraph.network.ties import _Raw, _read_grouped, _table_from
    raw = _Raw()
    for graph, rows in rows_by_graph.items():
        _read_grouped(rows, graph, raw)
    return _table_from(raw, {EVENT}, set())


EVENT, ACLED, UCDP = ("https://w3id.org/conflictgraph/ontology#Event", "https://w3id.org/conflictgraph/graph/dataset/acled",
                      "https://w3id.org/conflictgraph/graph/dataset/ucdp-ged")


def test_an_event_odd_in_another_dataset_graph_is_left_to_the_queries():
    """Sides in one dataset's graph, a type in another's inferred graph: residual, as the queries see it."""
    plain = ("e2", [f"t<{EVENT}", "A<p", "B<q", "e-2023-01-01", "n-2023-01-01"])
    table = _table_of({ACLED: [("e1", [f"t<{EVENT}", "A<p", "B<q", "e-2023-01-01", "n-2023-01-01"]), plain],
                       UCDP: [("e1", [f"x<{EVENT}", "N-2030-01-01"])]})
    assert table.events.strings == ["e2"] and table.residual == ["e1"]


def test_a_date_no_calendar_has_leaves_its_event_to_the_queries():
    table = _table_of({ACLED: [("e1", [f"t<{EVENT}", "A<p", "B<q", "e-2023-02-30", "n-2023-02-30"]),
                               ("e2", [f"t<{EVENT}", "A<p", "B<q", "e-2023-02-28", "n-2023-02-28"]),
                               ("place", ["e-2023-02-31"])]})  # not an event: no matter
    assert table.events.strings == ["e2"] and table.residual == ["e1"]


def test_a_damaged_table_file_is_extracted_again(mini_on_disk_imported, tmp_path):
    location = copy_store(mini_on_disk_imported, tmp_path)
    path = StoreLocation(location).current() / TABLE_FILE
    store = open_for_reading(location)
    expected = extract_ties(store)
    for damage in (b"", b"PK\x03\x04 cut short"):
        path.write_bytes(damage)
        assert kept_table(store) == expected and TieTable.load(path, key=table_key()) == expected


# The timeline reads the table's events (query/timeline.py's KnownEvents) -------------------------

FILTERS = ([{"actor": A + "hdf"}],  # the mini graph (the table imports' actor), the bundled one
           [{"actor": A + "kndf"}, {"actor": A + "tatmadaw"}, {"place": "https://w3id.org/conflictgraph/id/place/kayah-state"},
            {"actor": A + "tatmadaw", "place": "https://w3id.org/conflictgraph/id/place/kayah-state"}])


@pytest.mark.parametrize("by", ["week", "month", "year"])
def test_a_timeline_counts_the_same_with_and_without_the_table(mini_on_disk_imported, on_disk, by):
    """Datasets with and without sides (the table imports' interactions are left to the store),
    curated events beside them; the API reads the kept table."""
    for location in (mini_on_disk_imported, on_disk):
        store = open_for_reading(location)
        known = known_events(store)
        assert known is not None and known.dated.sum() > 0
        fast = timeline_rows(store, by=by, known=known)
        assert fast == timeline_rows(store, by=by) == ConflictGraph(store).timeline(by=by).rows
        assert sum(r["curated"] for r in fast) > 0 and sum(r["imported_fatalities"] for r in fast) > 0
        if location == mini_on_disk_imported:  # the table imports' events are counted from the store
            assert sum(r["imported"] for r in fast) > len(known.earliest)
        table = kept_table(store)
        busiest = table.actors.strings[int(np.bincount(np.r_[table.a, table.b]).argmax())]
        for filters in [{"actor": busiest}, *FILTERS[location == on_disk]]:
            fast = timeline_rows(store, by=by, known=known, **filters)
            assert fast == timeline_rows(store, by=by, **filters) and sum(r["imported"] for r in fast) > 0, filters


def test_a_store_in_memory_keeps_no_table_for_a_timeline(bundled_in_memory):
    assert known_events(bundled_in_memory) is None  # (its timeline asks the store about every event)


def test_the_table_counts_the_low_fatalities_when_the_best_is_no_whole_number():
    table = _table_of({ACLED: [("e1", [f"t<{EVENT}", "A<p", "B<q", "e-2023-01-01", "n-2023-01-02", "b-many", "l-5"])]})
    known = table.known_events()
    assert known.fatalities.tolist() == [5] and known.dated.tolist() == [True] and known.others == []


# show's counterparts read the table's rows of the actor (query/describe.py's KnownCounterparts) --

def test_counterparts_are_the_same_with_and_without_the_table(mini_on_disk_imported, on_disk):
    """Opponents and allies with their events, deaths and days: from the table for the events it
    holds and from the store for the rest (curated events beside imported ones), as the store
    alone gives them; the API and the server read the kept table."""
    for location in (mini_on_disk_imported, on_disk):
        store = open_for_reading(location)
        table = kept_table(store)
        busiest = table.actors.strings[int(np.bincount(np.r_[table.a, table.b]).argmax())]
        actors = [busiest] + ([A + "tatmadaw", A + "kndf", A + "kia"] if location == on_disk else [A + "rla"])
        for actor in actors:
            known = table_counterparts(store, actor)
            assert known is not None and known.residual == table.residual
            fast = counterparts(store, IRI(actor), known)
            assert fast == counterparts(store, IRI(actor)) and fast, actor
        whole = counterparts(store, IRI(busiest))
        assert any(row["deaths"] for row in whole) and all(row["first"] and row["last"] for row in whole)
        mixed = A + "tatmadaw" if location == on_disk else A + "rla"  # both: table rows and curated events
        assert table_counterparts(store, mixed).rows or location != on_disk
        assert counterparts(store, IRI(mixed), KnownCounterparts([], table.residual))
        label = ConflictGraph(store).label(busiest)
        assert ConflictGraph(store).show(label)["counterparts"] == counterparts(store, IRI(busiest))


def test_counterparts_of_listed_events_pair_their_sides_as_the_queries_do(monkeypatch):
    """With no table rows and every event with sides listed as residual (blank nodes too, and an
    actor on both sides of one), the sides looked up and paired give the queries' answer, however
    many lists the names take."""
    from conflictgraph.build.pipeline import build_store
    from conflictgraph.query import lookup
    from conflictgraph.rdf.namespaces import CG, GRAPHS, SPARQL_PREFIXES
    from conflictgraph.rdf.terms import XSD, BNode, Literal

    store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
    import_events(store, "acled", FIXTURES / "acled" / "acled.csv")
    blank, graph = BNode("clash"), IRI(GRAPHS + "review")
    store.add_quads([(blank, IRI(CG.sideA), IRI(A + "hdf"), graph), (blank, IRI(CG.sideB), IRI(A + "rla"), graph),
                     (blank, IRI(CG.associatedWith), IRI(A + "rla"), graph),
                     (blank, IRI(CG.associatedWith), IRI(A + "mbg"), graph),
                     (blank, IRI(CG.sideB), BNode("gunmen"), graph),  # an actor known by a label only
                     (BNode("gunmen"), IRI("http://www.w3.org/2004/02/skos/core#prefLabel"), Literal("unknown gunmen"), graph),
                     (blank, IRI(CG.sideB), Literal("some militia"), graph),  # a name, not a node
                     (blank, IRI(CG.earliest), Literal("2031-06-02", XSD + "date"), graph),
                     (blank, IRI(CG.fatalitiesBest), Literal("4", XSD + "integer"), graph)])
    sided = [str(row["event"]) for row in store.query(
        SPARQL_PREFIXES + "SELECT DISTINCT ?event WHERE { ?event cg:sideA|cg:sideB|cg:associatedWith ?x }").rows]
    assert "clash" in sided and len(sided) > 5
    monkeypatch.setattr(lookup, "LISTED", 2)
    for actor in (A + "hdf", A + "rla", A + "mbg"):
        whole = counterparts(store, IRI(actor))
        assert counterparts(store, IRI(actor), KnownCounterparts([], sided)) == whole
        assert counterparts(store, IRI(actor), KnownCounterparts([], [e for e in sided if e != "clash"])) != whole
    opponents = {(row["label"], row["iri"]) for row in counterparts(store, IRI(A + "hdf")) if row["relation"] == "opponent"}
    assert {("unknown gunmen", "gunmen"), ("some militia", "some militia")} <= opponents
    assert any(row["last"] == "2031-06-02" or row["first"] == "2031-06-02" for row in counterparts(store, IRI(A + "hdf")))
