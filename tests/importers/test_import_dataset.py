"""Importing the fixture files into a store: golden summaries, update in place, reconciliation."""
from __future__ import annotations

import csv
import sys
import threading

import pytest

from conflictgraph.importers import GRAPH_IMPORT_LOG, dataset_graph, import_events, unreconciled_actors
from conflictgraph.importers import dataset as dataset_module
from conflictgraph.importers.dataset import dataset_inferred_graph, notes_path_for
from conflictgraph.importers.common import ActorRef
from conflictgraph.importers.reconcile import Reconciler, name_forms
from conflictgraph.build.infer import run_rules
from conflictgraph.rdf.namespaces import CG, ID, SPARQL_PREFIXES
from conflictgraph.build.ontology import load_ontology
from conflictgraph.query.timeline import timeline_rows
from conflictgraph.rdf.terms import IRI

from conftest import FIXTURES, ROOT

ACTOR = ID + "actor/"


@pytest.fixture(scope="module")
def store(bundled_copy):
    """A copy of the bundled graph in memory, which the tests below import into in turn."""
    return bundled_copy()


def graph_quads(store, key: str) -> set:
    return set(store.quads(dataset_graph(key)))


def values(store, event: str, prop: str) -> set[str]:
    rows = store.query(SPARQL_PREFIXES + "SELECT ?o WHERE { ?e ?p ?o }",
                       bindings={"e": IRI(ID + "event/" + event), "p": IRI(prop)}).rows
    return {str(r["o"]) for r in rows}


@pytest.mark.parametrize("name, expected", [
    ("Government of Myanmar (Burma)", "tatmadaw"), ("Military Forces of Myanmar (2021-)", "tatmadaw"),
    ("KNDF", "kndf"), ("KNDF: Karenni Nationalities Defence Force", "kndf"), ("Karenni Army", "ka"),
    ("KNPP", "knpp"), ("PDF: People's Defence Force", "pdf"), ("Civilians (Myanmar)", "civilians"),
    ("Civilians", "civilians"), ("MDY-PDF: Mandalay People's Defence Force", "mandalay-pdf"),
    ("TNLA: Ta'ang National Liberation Army", "tnla"), ("Karenni Nationalities Defense Force", "kndf"),
])
def test_known_names_reconcile(store, name, expected):
    match = Reconciler(store).actor(ActorRef(name, CG + "sideA"))
    assert (match.status, match.iri) == ("known", ACTOR + expected)


def test_unknown_and_generic_names(store):
    reconciler = Reconciler(store)
    police = reconciler.actor(ActorRef("Police Forces of Myanmar (2021-)", CG + "sideA", CG + "StateForce"))
    assert police.status == "unreconciled" and police.iri == ACTOR + "dataset-police-forces-of-myanmar-2021"
    assert (police.iri, IRI(CG + "unreconciled"), ) == police.triples[2][:2]
    unknown = reconciler.actor(ActorRef("Unidentified Armed Group (Myanmar)", CG + "sideB"))
    assert unknown.status == "generic" and any(o == CG + "GenericActor" for _s, _p, o in unknown.triples)
    # A bare acronym prefix never decides: a local PDF unit is not the PDF collective.
    local = reconciler.actor(ActorRef("PDF: Yinmabin People's Defence Force", CG + "sideA"))
    assert local.status == "unreconciled"
    assert name_forms("PDF: Yinmabin PDF (Sagaing)") == ["PDF: Yinmabin PDF (Sagaing)", "Yinmabin PDF (Sagaing)",
                                                         "PDF: Yinmabin PDF", "Yinmabin PDF"]


def test_first_import_golden(store, tmp_path):
    rejects = tmp_path / "ged.rejects.csv"
    report = import_events(store, "ucdp", FIXTURES / "ucdp" / "ged.csv", rejects_path=rejects, version="23.1")
    assert (report.rows_read, report.imported, report.rejected) == (14, 10, 4)
    assert (report.new, report.updated, report.unchanged, report.missing) == (10, 0, 0, 0)
    assert (report.rows_all_known, report.rows_some_known) == (9, 10)
    assert report.names == {"known": 8, "generic": 0, "unreconciled": 1}
    # only what cannot be placed or split is rejected: an unknown date_prec or an unreadable
    # count (rows 10 and 11) are kept, with a quality note each
    assert report.rejects == [
        (9, "date_start: impossible date: '2023-02-30 00:00:00.000'"),
        (12, "wrong number of cells: expected 49, found 6"),
        (13, "NUL byte in the row"),
        (14, "duplicate event id '500001' (first in row 2)")]
    with open(rejects, encoding="utf-8", newline="") as handle:
        written = list(csv.reader(handle))
    assert written[0][:3] == ["row", "reason", "id"] and [r[0] for r in written[1:]] == ["9", "12", "13", "14"]
    summary = report.summary()
    assert summary[0] == "ged.csv: 14 rows read = 10 imported + 4 rejected; 2 imported with quality notes"
    assert summary[1] == "events: 10 new, 0 updated, 0 unchanged, 0 missing from this file (kept)"
    with open(notes_path_for(rejects), encoding="utf-8", newline="") as handle:
        notes = {row["row"]: row["note"] for row in csv.DictReader(handle)}
    assert notes == {"10": "date_prec: unknown precision code 9 (expected 1..5); precision unknown",
                     "11": "best: not a whole number: 'many'; left out"}


def test_ucdp_event_triples_golden(store):
    assert values(store, "ucdp-500001", CG + "sideA") == {ACTOR + "tatmadaw"}
    assert values(store, "ucdp-500001", CG + "sideB") == {ACTOR + "knpp"}
    assert values(store, "ucdp-500001", CG + "place") == {ID + "place/loikaw"}
    assert values(store, "ucdp-500001", CG + "fatalitiesBest") == {"12"}
    assert values(store, "ucdp-500001", CG + "source") == {ID + "src/ucdp-ged"}
    assert values(store, "ucdp-500003", CG + "sideB") == {ACTOR + "ka"}
    assert values(store, "ucdp-500003", CG + "place") == {ID + "place/pan-tein"}
    assert values(store, "ucdp-500003", CG + "date") == {"2023-11"}
    assert values(store, "ucdp-500004", CG + "sideB") == {ACTOR + "civilians"}
    assert values(store, "ucdp-500004", CG + "place") == {ID + "place/demoso-township"}
    assert values(store, "ucdp-500007", CG + "date") == {"2023"}
    assert values(store, "ucdp-500007", CG + "place") == {ID + "place/myanmar"}
    # the rows' district is unknown, but their town and village are: no empty district node beside them
    districts = store.query(SPARQL_PREFIXES + 'ASK { ?p skos:prefLabel "Bawlake district"@en }')
    assert not districts.boolean
    source = store.query(SPARQL_PREFIXES + "SELECT ?v WHERE { src:ucdp-ged dct:hasVersion ?v }").rows
    assert [r["v"].value for r in source] == ["23.1"]


def test_repeat_import_changes_no_event_triple(store):
    before = graph_quads(store, "ucdp-ged")
    report = import_events(store, "ucdp", FIXTURES / "ucdp" / "ged.csv")
    assert (report.new, report.updated, report.unchanged, report.missing) == (0, 0, 10, 0)
    after = graph_quads(store, "ucdp-ged")
    version = {q for q in before ^ after if "hasVersion" in str(q[1])}
    assert before ^ after == version  # only the version, given the first time, is not repeated
    runs = store.query(SPARQL_PREFIXES + "SELECT ?run WHERE { GRAPH ?g { ?run a cg:ImportRun } }",
                       bindings={"g": IRI(GRAPH_IMPORT_LOG)}).rows
    assert len(runs) == 2


def test_newer_export_updates_and_reports_missing(store):
    report = import_events(store, "ucdp", FIXTURES / "ucdp" / "ged-v2.csv")
    assert (report.new, report.updated, report.unchanged, report.missing) == (1, 1, 6, 3)
    assert report.missing_ids == ["500003", "500009", "500010"]  # the last two: kept with notes in the first file
    assert values(store, "ucdp-500001", CG + "fatalitiesBest") == {"14"}  # updated in place
    assert values(store, "ucdp-500001", CG + "fatalitiesHigh") == {"18"}
    assert values(store, "ucdp-500003", CG + "sideB") == {ACTOR + "ka"}  # missing, kept


def test_acled_import_and_older_export(store):
    first = import_events(store, "acled", FIXTURES / "acled" / "acled.csv")
    assert (first.rows_read, first.imported, first.rejected, first.new) == (14, 11, 3, 11)  # 3 odd rows kept, noted
    assert first.names == {"known": 10, "generic": 2, "unreconciled": 1}
    assert values(store, "acled-MMR1001", CG + "associatedWith") == {ACTOR + "ka", ACTOR + "pdf", ACTOR + "knplf"}
    assert values(store, "acled-MMR1001", CG + "place") == {ID + "place/mese"}
    assert values(store, "acled-MMR1005", CG + "sideB") == {ACTOR + "civilians"}
    notes = values(store, "acled-MMR1008", "http://purl.org/dc/terms/description")
    assert notes == {'Cell text is only text: " . <x> <y> <z> . } ; DROP ALL'}
    second = import_events(store, "acled", FIXTURES / "acled" / "acled-v2.csv")
    assert (second.new, second.updated, second.unchanged, second.older, second.missing) == (1, 1, 5, 1, 4)
    assert values(store, "acled-MMR1001", CG + "fatalitiesBest") == {"8"}
    assert values(store, "acled-MMR1003", CG + "fatalitiesBest") == {"2"}  # the older copy did not overwrite
    assert values(store, "acled-MMR1004", CG + "sideA") == {ACTOR + "dataset-police-forces-of-myanmar-2021"}


def test_reconcile_listing(store):
    rows = {r["name"]: r for r in unreconciled_actors(store)}
    assert set(rows) == {"Police Forces of Myanmar (2021-)", "SSPP"}
    police = rows["Police Forces of Myanmar (2021-)"]
    assert (police["dataset"], police["events"]) == ("acled", 1)
    assert any("actor:tatmadaw" in m for m in police["likely"])


def test_rules_give_imported_events_bounds_and_timeline(store):
    run_rules(store, load_ontology())
    assert values(store, "ucdp-500003", CG + "earliest") == {"2023-11-01"}
    assert values(store, "ucdp-500003", CG + "startEarliest") == {"2023-11-05"}
    rows = {r["period"]: r for r in timeline_rows(store, actor=IRI(ACTOR + "knpp"), by="month")}
    # 500003 (14 deaths), 500009 (1) and 500010 (best unreadable, left out with a note: its low, 1)
    assert rows["2023-11"]["imported"] == 3 and rows["2023-11"]["fatalities"] == 16
    assert rows["2023"]["imported"] == 1 and rows["2023"]["fatalities"] == 30   # 500007: June..September
    weeks = timeline_rows(store, place=IRI(ID + "place/kayah-state"), by="week")
    assert sum(r["imported"] for r in weeks) == 11 and any(r["period"] == "2023-W45" for r in weeks)


def test_an_updated_events_date_bounds_replace_the_old_ones(bundled_copy, tmp_path):
    """The importer writes the date-bound rule's output itself; a changed date leaves no stale bound."""
    built = bundled_copy()
    with open(FIXTURES / "acled" / "acled.csv", encoding="utf-8", newline="") as handle:
        header, row = list(csv.reader(handle))[:2]
    dated = dict(zip(header, row))
    for version, (when, precision, stamp) in enumerate([("07 November 2023", "1", "1700000000"),
                                                         ("20 December 2023", "3", "1700000100")]):
        dated.update(event_date=when, time_precision=precision, timestamp=stamp)
        path = tmp_path / f"v{version}.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([header, [dated[c] for c in header]])
        import_events(built, "acled", path)
    event = "acled-" + dated["event_id_cnty"]
    assert values(built, event, CG + "earliest") == {"2023-12-01"}
    assert values(built, event, CG + "latest") == {"2023-12-31"}
    rule = (load_ontology().rule_paths[0]).read_text(encoding="utf-8")
    assert "date-bounds" in load_ontology().rule_paths[0].name
    by_rule = {t for t in built.query(rule).triples if str(t[0]).startswith(ID + "event/acled-")}
    written = {q[:3] for q in built.quads(dataset_inferred_graph("acled"))}
    assert written == by_rule and len(written) == 2


def test_event_types_are_shared_concepts_and_unused_ones_go(bundled_copy, tmp_path):
    """ACLED's three type columns become one cg:EventType concept per combination, stored once
    and shared; a re-export that changes an event's type leaves no unused concept behind."""
    built = bundled_copy()
    import_events(built, "acled", FIXTURES / "acled" / "acled.csv")
    types_of = SPARQL_PREFIXES + """SELECT ?type (COUNT(DISTINCT ?event) AS ?events) (COUNT(?word) AS ?words)
      WHERE { GRAPH ?g { ?type a cg:EventType . OPTIONAL { ?event cg:eventType ?type }
                         OPTIONAL { ?type dct:type ?word } } } GROUP BY ?type"""
    rows = built.query(types_of, bindings={"g": IRI(dataset_graph("acled"))}).rows
    events = built.query(SPARQL_PREFIXES + "SELECT ?e ?label WHERE { ?e cg:eventType/skos:prefLabel ?label }").rows
    assert len(events) == 11 and sum(int(r["events"].value) for r in rows) == 11
    assert len(rows) == len({r["label"].value for r in events}) < 11  # shared by the events of a kind
    clash = {str(r["e"]) for r in events if r["label"].value == "Armed clash"}
    assert ID + "event/acled-MMR1001" in clash

    with open(FIXTURES / "acled" / "acled.csv", encoding="utf-8", newline="") as handle:
        header, *lines = list(csv.reader(handle))
    retyped = []
    for line in lines[:8]:
        cells = dict(zip(header, line))
        if cells["event_id_cnty"] == "MMR1001" or cells["event_id_cnty"] not in {e.rsplit("-", 1)[1] for e in clash}:
            cells.update(disorder_type="Strategic developments", event_type="Strategic developments",
                         sub_event_type="Looting/property destruction",
                         timestamp=str(int(cells["timestamp"] or "0") + 1))
        retyped.append([cells[c] for c in header])
    path = tmp_path / "retyped.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *retyped])
    import_events(built, "acled", path)
    after = built.query(types_of, bindings={"g": IRI(dataset_graph("acled"))}).rows
    labels = {r["type"]: int(r["events"].value) for r in after}
    assert all(count > 0 for count in labels.values())  # no concept left without events
    assert len(after) < len(rows) and sum(labels.values()) == 11  # the 3 rows not in the new file: kept


def test_reconcile_suggests_known_actors_on_the_same_side(bundled_copy, tmp_path):
    built = bundled_copy()
    with open(FIXTURES / "acled" / "acled.csv", encoding="utf-8", newline="") as handle:
        header, row = list(csv.reader(handle))[:2]
    cells = dict(zip(header, row))
    rows = []
    for number, ally in enumerate(["KNDF: Karenni Nationalities Defence Force", "KNDF", "KA: Karenni Army"]):
        cells.update(event_id_cnty=f"MMR90{number}", actor1="Zeya Thuriya Column", assoc_actor_1=ally)
        rows.append([cells[c] for c in header])
    path = tmp_path / "allies.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    import_events(built, "acled", path)
    (column,) = [r for r in unreconciled_actors(built) if r["name"] == "Zeya Thuriya Column"]
    assert column["events"] == 3
    hints = [h for h in column["likely"] if "same side" in h]
    assert hints[0].startswith("Karenni Nationalities Defence Force <actor:kndf> (same side in 2 event(s))")
    assert any(h.startswith("Karenni Army <actor:ka> (same side in 1 event(s))") for h in hints)


def _dataset_state(store, key: str) -> tuple[set, set]:
    return graph_quads(store, key), set(store.quads(dataset_inferred_graph(key)))


def test_chunks_loading_side_by_side_give_the_same_graph(bundled_copy, tmp_path):
    """Two rows per chunk, two chunks loading at once (the 100,000-row path on the fixtures):
    the same quads as one chunk, on the first import and on the re-export that updates events."""
    one, many = bundled_copy(), bundled_copy()
    for name in ("acled.csv", "acled-v2.csv"):
        whole = import_events(one, "acled", FIXTURES / "acled" / name)
        chunked = import_events(many, "acled", FIXTURES / "acled" / name, chunk_rows=2, chunk_parallel=2,
                                scratch=tmp_path)
        assert (chunked.new, chunked.updated, chunked.unchanged, chunked.older, chunked.rejected) == \
            (whole.new, whole.updated, whole.unchanged, whole.older, whole.rejected)
        assert _dataset_state(many, "acled") == _dataset_state(one, "acled")
    assert list(tmp_path.iterdir()) == []  # the chunk files and their folder are gone


class _CountingStore:
    """A store that counts its bulk loads (the chunks of an import)."""

    def __init__(self, inner):
        self.inner, self.loads = inner, 0

    def query(self, sparql, *, bindings=None, dataset=None):
        return self.inner.query(sparql, bindings=bindings, dataset=dataset)

    def named_graphs(self):
        return self.inner.named_graphs()

    def load_quads(self, quads):
        self.inner.load_quads(quads)

    def remove_subjects(self, subjects, graph):
        return self.inner.remove_subjects(subjects, graph)

    def load_nquads_file(self, path, graphs):
        self.loads += 1
        self.inner.load_nquads_file(path, graphs)


def test_a_large_file_is_cut_into_at_most_about_most_chunks(bundled_copy, tmp_path, monkeypatch):
    """Past MOST_CHUNKS chunks the engine stalls the import's last write (one unmerged file per
    chunk and index): after the first chunk, the chunk size grows to fit the file's estimated
    rows into about that many; the graph is the one a single chunk gives."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_import import generate
    monkeypatch.setattr(dataset_module, "MOST_CHUNKS", 8)
    rows = tmp_path / "acled-2000.csv"  # about 1 MB: the estimate sees the file 64 KiB at a time
    generate(rows, 2000, actors=60)
    counting = _CountingStore(bundled_copy())
    report = import_events(counting, "acled", rows, chunk_rows=50, scratch=tmp_path)
    assert report.new == 2000
    assert 8 <= counting.loads <= 14  # 50 rows, then about 2000 / 8 (without the rule: 40 chunks)
    whole = bundled_copy()
    import_events(whole, "acled", rows, chunk_rows=5000)
    assert _dataset_state(counting.inner, "acled") == _dataset_state(whole, "acled")


def test_the_first_chunks_are_small_and_double_up_to_chunk_rows(bundled_copy, tmp_path, monkeypatch):
    """The engine loads a chunk while the next one is mapped: the first chunk is small, so the
    loading starts at once, and each next one twice the last, up to ``chunk_rows``."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_import import generate
    monkeypatch.setattr(dataset_module, "FIRST_CHUNK_ROWS", 5)
    rows = tmp_path / "acled-200.csv"
    generate(rows, 200, actors=30)
    events_per_chunk = {}  # chunk file name (numbered in order) -> its events

    class Sizing(_CountingStore):
        def load_nquads_file(self, path, graphs):  # two threads load: in either order
            subjects = {line.split(" ", 1)[0] for line in path.read_text(encoding="utf-8").splitlines()}
            events_per_chunk[path.name] = sum("/id/event/acled-" in subject for subject in subjects)
            super().load_nquads_file(path, graphs)

    report = import_events(Sizing(bundled_copy()), "acled", rows, chunk_rows=40, scratch=tmp_path)
    assert report.new == 200
    assert [events_per_chunk[name] for name in sorted(events_per_chunk)] == [5, 10, 20, 40, 40, 40, 40, 5]


class _FailingStore(_CountingStore):
    """A store whose bulk loads fail, to see a loader thread's error reach the caller."""

    def load_nquads_file(self, path, graphs):
        self.loads += 1
        raise OSError(f"disk full while loading {path.name}")


def test_a_failed_chunk_load_is_raised_and_leaves_no_files(bundled_copy, tmp_path):
    built = bundled_copy()
    failing = _FailingStore(built)
    with pytest.raises(OSError, match="disk full while loading chunk-00001.nq"):
        import_events(failing, "acled", FIXTURES / "acled" / "acled.csv", chunk_rows=2, scratch=tmp_path)
    assert 1 <= failing.loads <= 3  # the import stopped at the first failed chunk, not at the end
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_import_waits_for_its_loads_and_leaves_no_files(bundled_copy, tmp_path):
    """Ctrl-C while rows are mapped: the chunks already loading finish (their files are not
    removed under them), no loader thread outlives the call, and the scratch folder is gone."""
    built = bundled_copy()
    before = threading.active_count()

    def interrupt(_done, _total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_events(built, "acled", FIXTURES / "acled" / "acled.csv", chunk_rows=2, progress=interrupt,
                      scratch=tmp_path)
    assert threading.active_count() == before
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="at least 1"):
        import_events(built, "acled", FIXTURES / "acled" / "acled.csv", chunk_parallel=0)


def test_odd_ucdp_rows_are_imported_whole_with_quality_notes(tmp_path, mini_on_disk):
    """UCDP's own rows with fatality estimates out of order: imported, noted, totals as pandas counts them."""
    import csv

    import pandas as pd

    from conftest import FIXTURES, copy_store, run_cli

    rows = list(csv.reader((FIXTURES / "ucdp" / "ged.csv").open(encoding="utf-8")))
    header, first = rows[0], rows[1]
    odd = []
    for number, (low, best, high) in enumerate([("0", "3", "0"), ("46", "37", "31")]):
        row = dict(zip(header, first))
        row.update(id=str(900001 + number), low=low, best=best, high=high)
        odd.append([row[c] for c in header])
    path = tmp_path / "ged-odd.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, first, *odd])
    store = copy_store(mini_on_disk, tmp_path)
    result = run_cli("import", "ucdp", str(path), "--store", str(store), "--rejects", str(tmp_path / "ged.rejects.csv"))
    assert result.exit_code == 0, result.output
    assert "3 rows read = 3 imported + 0 rejected; 2 imported with quality notes" in result.output
    notes = list(csv.reader((tmp_path / "ged.notes.csv").open(encoding="utf-8")))
    assert notes[0] == ["row", "event", "note"] and [n[1] for n in notes[1:]] == ["900001", "900002"]
    frame = pd.read_csv(path)
    deaths = run_cli("query", "--store", str(store), "--format", "json",
                     "SELECT (COUNT(?e) AS ?events) (SUM(?best) AS ?deaths) WHERE { "
                     "GRAPH <https://w3id.org/conflictgraph/graph/dataset/ucdp-ged> "
                     "{ ?e cg:fatalitiesBest ?best } }")
    import json
    assert json.loads(deaths.output) == [{"events": len(frame), "deaths": int(frame["best"].sum())}]
    shown = run_cli("show", "event:ucdp-900001", "--store", str(store))
    assert "fatality estimates out of order (low 0, best 3, high 0)" in shown.output
