"""The streaming CSV reader and the row mappings: encodings, headers, bad rows, golden triples."""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from conflictgraph.errors import ImportFailed
from conflictgraph.importers import acled, ucdp
from conflictgraph.importers.common import DCT, RDF_TYPE, SKOS, RowRejected, covering_date
from conflictgraph.importers.csvread import CsvReader
from conflictgraph.rdf.namespaces import CG, ID

from conftest import FIXTURES
UCDP = FIXTURES / "ucdp" / "ged.csv"
ACLED = FIXTURES / "acled" / "acled.csv"


def rows_of(path: Path, spec) -> list:
    return list(CsvReader(path, required=spec.required, format_name=spec.title, hints=spec.other_formats))


def test_utf8_with_and_without_bom_read_the_same(tmp_path):
    plain = rows_of(ACLED, acled.DATASET)
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + ACLED.read_bytes())
    with_bom = rows_of(bom, acled.DATASET)
    assert [r.cells for r in with_bom] == [r.cells for r in plain]
    assert plain[0].cells["event_id_cnty"] == "MMR1001" and plain[0].number == 2


def test_other_encodings_are_refused_with_the_row(tmp_path):
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes(ACLED.read_text(encoding="utf-8").encode("utf-16"))
    with pytest.raises(ImportFailed, match="UTF-16"):
        rows_of(utf16, acled.DATASET)
    latin1 = tmp_path / "latin1.csv"
    text = ACLED.read_text(encoding="utf-8").replace("Myanmar Now", "Myanmar Now").splitlines()
    text[3] = text[3].replace("Irrawaddy", "Irrawaddy caf\u00e9")
    latin1.write_bytes("\n".join(text).encode("latin-1"))
    with pytest.raises(ImportFailed) as err:
        rows_of(latin1, acled.DATASET)
    assert "not UTF-8" in str(err.value) and str(latin1) in str(err.value) and err.value.row == 4


def test_empty_file_and_wrong_format_name_what_is_missing(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(ImportFailed, match="empty"):
        rows_of(empty, acled.DATASET)
    with pytest.raises(ImportFailed) as err:
        rows_of(UCDP, acled.DATASET)
    message = str(err.value)
    assert "missing column(s) event_id_cnty, event_date" in message and "looks like UCDP GED data" in message
    not_csv = tmp_path / "notes.csv"
    not_csv.write_text('{"json": true}\n')
    with pytest.raises(ImportFailed, match="not in the ACLED format"):
        rows_of(not_csv, acled.DATASET)


def test_bad_rows_carry_their_problem_and_number():
    rows = rows_of(UCDP, ucdp.DATASET)
    problems = {r.number: r.problem for r in rows if r.problem}
    assert problems == {12: "wrong number of cells: expected 49, found 6", 13: "NUL byte in the row"}
    assert len(rows) == 14


UCDP_ROW = dict.fromkeys(ucdp.REQUIRED, "") | {
    "id": "42", "relid": "MYA-2023-1-42", "year": "2023", "type_of_violence": "3", "side_a": "KNDF",
    "side_b": "Civilians", "dyad_name": "KNDF - Civilians", "date_prec": "3", "date_start": "2023-11-01 00:00:00.000",
    "date_end": "2023-11-30 00:00:00.000", "low": "1", "best": "2", "high": "4", "where_prec": "3",
    "country": "Myanmar (Burma)", "adm_1": "Kayah state", "adm_2": "Loikaw district", "where_coordinates": "Loikaw town",
    "latitude": "19.67", "longitude": "97.21", "source_article": "Irrawaddy"}


def test_ucdp_row_golden():
    record = ucdp.map_row(UCDP_ROW)
    facts = {(p.short if hasattr(p, "short") else p, o.value if hasattr(o, "value") else o.short)
             for p, o in record.triples}
    assert facts == {
        ("rdf:type", "cg:Attack"), ("skos:altLabel", "MYA-2023-1-42"),
        ("skos:prefLabel", "KNDF - Civilians (2023-11)"),
        ("cg:eventType", "node:event-type-ucdp-one-sided-violence-19bca1f9"),
        ("cg:date", "2023-11"), ("cg:start", "2023-11-01"), ("cg:end", "2023-11-30"),
        ("cg:dateDerivation", "UCDP date_prec 3 (within one month): between 2023-11-01 and 2023-11-30"),
        ("cg:fatalitiesLow", "1"), ("cg:fatalitiesBest", "2"), ("cg:fatalitiesHigh", "4"), ("dct:source", "Irrawaddy")}
    assert record.iri == ID + "event/ucdp-42"
    concept = f"<{ID}node/event-type-ucdp-one-sided-violence-19bca1f9>"
    assert record.shared == (f"{concept} <{RDF_TYPE}> <{CG}EventType>",
                             f'{concept} <{SKOS}prefLabel> "one-sided violence"@en',
                             f'{concept} <{DCT}type> "one-sided violence"')
    assert [(a.name, a.role) for a in record.actors] == [("KNDF", CG + "sideA"), ("Civilians", CG + "sideB")]
    assert [lv.name for lv in record.places] == ["Myanmar (Burma)", "Kayah state", "Loikaw district"]  # where_prec 3
    assert record.geometry == ("POINT(97.21 19.67)", "UCDP where_prec 3: second-order administrative division")


def test_ucdp_keeps_fatalities_out_of_order_with_a_quality_note():
    """UCDP publishes such rows (low 0, best 3, high 0): an analyst's count keeps them, so do we."""
    record = ucdp.map_row(UCDP_ROW | {"low": "5"})
    assert record.notes == ["fatality estimates out of order (low 5, best 2, high 4), kept as UCDP gives them"]
    values = {p.short: getattr(o, "value", o) for p, o in record.triples}
    assert values["cg:fatalitiesLow"] == "5" and values["cg:fatalitiesBest"] == "2"
    assert values["cg:qualityNote"] == record.notes[0]


@pytest.mark.parametrize("change, reason", [
    ({"date_start": "2023-02-30"}, "date_start: impossible date: '2023-02-30'"),
    ({"date_start": ""}, "date_start: missing date"),
    ({"id": ""}, "id: missing event id"),
])
def test_ucdp_rejects_only_rows_it_cannot_place(change, reason):
    with pytest.raises(RowRejected) as err:
        ucdp.map_row(UCDP_ROW | change)
    assert str(err.value) == reason


@pytest.mark.parametrize("change, note, kept", [
    ({"date_end": "2023-10-01"}, "date_end 2023-10-01 is before date_start 2023-11-01; kept as the span between them",
     {"cg:start": "2023-10-01", "cg:end": "2023-11-01"}),
    ({"date_prec": "0"}, "date_prec: unknown precision code 0 (expected 1..5); precision unknown", {}),
    ({"where_prec": "8"}, "where_prec: unknown precision code 8 (expected 1..7); location precision unknown", {}),
    ({"best": "2.5"}, "best: not a whole number: '2.5'; left out", {"cg:fatalitiesLow": "1"}),
    ({"type_of_violence": "4"},
     "type_of_violence: unknown code '4' (expected 1, 2 or 3); kept as an event of no known type",
     {"rdf:type": CG + "Event"}),
    ({"latitude": "91"}, "latitude: '91' is outside -90..90; no point kept", {}),
    ({"year": "2022"}, "year 2022 does not match date_start 2023-11-01; the dates are kept as given",
     {"cg:date": "2023-11"}),
    ({"side_a": ""}, "side_a: missing actor; the event has no side A", {}),
])
def test_ucdp_keeps_odd_rows_with_a_quality_note(change, note, kept):
    """A row UCDP publishes is data: what is odd about it becomes a note, and the rest is kept."""
    record = ucdp.map_row(UCDP_ROW | change)
    assert record.notes == [note]
    values = {p.short: getattr(o, "value", o) for p, o in record.triples}
    assert values["cg:qualityNote"] == note
    for key, value in kept.items():
        assert values[key] == value
    if "latitude" in change:
        assert record.geometry is None
    if "best" in change:
        assert "cg:fatalitiesBest" not in values


def test_acled_dates_and_precision():
    assert acled.parse_event_date("07 November 2023") == date(2023, 11, 7)
    assert acled.parse_event_date("7-Nov-2023") == date(2023, 11, 7)
    assert acled.parse_event_date("2023-11-07") == date(2023, 11, 7)
    rows = {r.cells["event_id_cnty"]: r.cells for r in rows_of(ACLED, acled.DATASET) if not r.problem}
    week = acled.map_row(rows["MMR1003"])
    values = {p.short: getattr(o, "value", o) for p, o in week.triples if p.short.startswith("cg:")}
    assert values["cg:date"] == "2023-11-09" and values["cg:start"] == "2023-11-06" and values["cg:end"] == "2023-11-12"
    month = acled.map_row(rows["MMR1004"])
    assert {p.short: getattr(o, "value", o) for p, o in month.triples}["cg:date"] == "2023-11"
    assert [lv.name for lv in month.places] == ["Myanmar", "Sagaing"]  # geo_precision 3
    assert covering_date(date(2023, 6, 1), date(2023, 9, 30)).value == "2023"


def test_acled_row_golden():
    rows = {r.cells["event_id_cnty"]: r.cells for r in rows_of(ACLED, acled.DATASET) if not r.problem}
    record = acled.map_row(rows["MMR1001"])
    assert record.iri == ID + "event/acled-MMR1001" and record.modified == "000001700000000"
    assert [(a.name, a.role.rsplit("#")[1], a.kind.rsplit("#")[1]) for a in record.actors] == [
        ("KNDF: Karenni Nationalities Defence Force", "sideA", "ArmedGroup"),
        ("KA: Karenni Army", "associatedWith", "ArmedGroup"),
        ("PDF: People's Defence Force", "associatedWith", "ArmedGroup"),
        ("KNPLF: Karenni Nationalities People's Liberation Front", "associatedWith", "ArmedGroup"),
        ("Military Forces of Myanmar (2021-)", "sideB", "StateForce")]
    values = {(p.short, getattr(o, "value", None) or o.short) for p, o in record.triples}
    assert ("rdf:type", "cg:Battle") in values and ("cg:fatalitiesBest", "6") in values
    assert ("dct:modified", "2023-11-14T22:13:20Z") in values
    assert ("skos:prefLabel", "Armed clash in Mese (2023-11-07)") in values
    # The three type columns are words of one concept the events of that kind share.
    concept = next(o for p, o in values if p == "cg:eventType")
    assert concept.startswith("node:event-type-acled-armed-clash-") and not any(p == "dct:type" for p, _ in values)
    assert [line.split(" ", 2)[2] for line in record.shared] == [
        f"<{CG}EventType>", '"Armed clash"@en', '"Political violence"', '"Battles"', '"Armed clash"']


def test_acled_row_with_only_its_disorder_type_is_an_event_of_that_disorder():
    rows = {r.cells["event_id_cnty"]: r.cells for r in rows_of(ACLED, acled.DATASET) if not r.problem}
    record = acled.map_row(rows["MMR1001"] | {"event_type": "", "sub_event_type": ""})
    values = {(p.short, getattr(o, "value", None) or o.short) for p, o in record.triples}
    assert ("skos:prefLabel", "Event in Mese (2023-11-07)") in values and ("rdf:type", "cg:Event") in values
    assert [line.split(" ", 2)[2] for line in record.shared][1:] == ['"Political violence"@en', '"Political violence"']


def test_acled_rejects_only_a_row_it_cannot_place():
    row = {r.cells["event_id_cnty"]: r.cells for r in rows_of(ACLED, acled.DATASET) if not r.problem}["MMR1001"]
    for change, reason in (({"event_date": "31 February 2024", "year": "2024"},
                            "event_date: impossible date: '31 February 2024'"),
                           ({"event_id_cnty": ""}, "event_id_cnty: missing event id")):
        with pytest.raises(RowRejected) as err:
            acled.map_row(row | change)
        assert str(err.value) == reason


@pytest.mark.parametrize("change, note", [
    ({"time_precision": "4"}, "time_precision: unknown precision code 4 (expected 1..3); precision unknown"),
    ({"geo_precision": "x"}, "geo_precision: not a whole number: 'x'; location precision unknown"),
    ({"inter2": "Aliens"}, "inter2: unknown actor type code 'Aliens'; a new actor is an armed group"),
    ({"fatalities": "-1"}, "fatalities: negative number: '-1'; left out"),
    ({"timestamp": "yesterday"}, "timestamp: not a Unix time: 'yesterday'; left out"),
    ({"actor1": ""}, "actor1: missing actor; the event has no side A"),
    ({"year": "2020"}, "year 2020 does not match event_date 2023-11-07; the date is kept as given"),
    ({"longitude": ""}, "latitude and longitude: only one of them is given; no point kept"),
])
def test_acled_keeps_odd_rows_with_a_quality_note(change, note):
    """A row ACLED publishes is data: what is odd about it becomes a note, and the rest is kept."""
    row = {r.cells["event_id_cnty"]: r.cells for r in rows_of(ACLED, acled.DATASET) if not r.problem}["MMR1001"]
    record = acled.map_row(row | change)
    assert record.notes == [note]
    values = {p.short: getattr(o, "value", o) for p, o in record.triples}
    assert values["cg:qualityNote"] == note and values["cg:date"] == "2023-11-07"
    if "actor1" in change:
        assert all(a.role != CG + "sideA" for a in record.actors)
    if "longitude" in change:
        assert record.geometry is None


def test_fixture_files_are_plain_csv():
    for path in (UCDP, ACLED):
        with open(path, encoding="utf-8", newline="") as handle:
            assert len(list(csv.reader(handle))) == 15
