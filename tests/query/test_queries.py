"""Named queries: every one runs and cites a source; on the curated graph they give the
answers the reports support."""
from __future__ import annotations

import pytest

from conflictgraph.query.catalog import load_catalog
from conftest import named_query_params

CATALOG = load_catalog()
A = "https://w3id.org/conflictgraph/id/actor/"


def labels(rows, column):
    return {str(r[column]) for r in rows if r.get(column) is not None}


def test_at_least_a_dozen_named_queries_with_headers():
    assert len(CATALOG) >= 12
    for query in CATALOG.values():
        assert query.title and query.description, query.name


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_every_named_query_runs_and_cites_sources(bundled, name):
    params = named_query_params(CATALOG[name])
    rows = bundled.query_named(name, **params)
    assert rows, f"{name} returned nothing for {params}"
    source_columns = [c for c in rows[0] if c in ("source", "sources")]
    assert source_columns, f"{name} has no source column"
    assert all(any(r.get(c) is not None for c in source_columns) for r in rows), name


def test_alliance_members(bundled):
    rows = bundled.query_named("alliance-members", alliance="Brotherhood Alliance")
    assert {"Arakan Army", "Myanmar National Democratic Alliance Army",
            "Ta'ang National Liberation Army"} <= labels(rows, "memberLabel")


def test_launchers_of_operation_1107_name_their_sources(bundled):
    rows = bundled.query_named("launchers-of-operation", operation="1107")
    by_launcher = {str(r["launcherLabel"]): str(r["sources"]) for r in rows}
    assert "src/irrawaddy-2023-11-09" in by_launcher["Karenni National People's Liberation Front"]
    assert "src/operation-1107-article" in by_launcher["Karenni Army"]


def test_the_earliest_launch_date_given_stands_when_another_statement_gives_none(bundled):
    """Ties saying the Three Brotherhood launched Operation 1027 give 27 October 2023, and one
    gives no date: the earliest start given is that day (a MIN over all of them would be no
    value on Oxigraph and the day on Virtuoso)."""
    rows = bundled.query_named("launchers-of-operation", operation="Operation 1027")
    starts = {str(r["launcherLabel"]): r.get("earliestStart") for r in rows}
    assert str(starts["Three Brotherhood Alliance"]) == "2023-10-27"


def test_lists_in_one_cell_are_in_alphabetical_order(bundled):
    """Values a query joins into one cell come sorted, so every engine gives the same text."""
    rows = bundled.query_named("fighting-in-place", place="Kayah State")
    sides = [str(r[side]).split("; ") for r in rows for side in ("sideA", "sideB") if r.get(side) is not None]
    assert any(len(names) > 2 for names in sides) and all(names == sorted(names) for names in sides)
    aliases = [str(r["aliases"]).split("; ") for r in bundled.query_named("actors-of-type", type="cg:ArmedGroup")
               if r.get("aliases") is not None]
    assert aliases and all(names == sorted(names) for names in aliases)


def test_side_of_the_knplf_before_and_after_its_defection(bundled):
    before = bundled.query_named("side-as-of", actor="KNPLF", date="2023-01-01")
    after = bundled.query_named("side-as-of", actor="KNPLF", date="2023-12-01")
    assert "Myanmar Armed Forces" in labels(before, "sideLabel")
    assert "Myanmar Armed Forces" not in labels(after, "sideLabel")
    assert "National Unity Government" in labels(after, "sideLabel")


def test_defection_and_operation_links(bundled):
    defections = bundled.query_named("defections", actor="KNPLF")
    assert {str(r["start"]) for r in defections} == {"2023-06-30"}
    links = bundled.query_named("operation-links", operation="Operation 1107")
    pairs = {(str(r["fromLabel"]), str(r["toLabel"])) for r in links}
    assert ("Operation 1107", "Operation 1027") in pairs
    assert ("Operation 1107", "Operation 1111") in pairs


def test_places_and_fighting_in_kayah_state(bundled):
    places = labels(bundled.query_named("places-within", region="Kayah State"), "placeLabel")
    assert {"Loikaw", "Mese Township", "Pan Tein"} <= places
    fighting = bundled.query_named("fighting-in-place", place="Kayah State")
    assert "https://w3id.org/conflictgraph/id/event/pan-tein-capture-2023-11-07" in {str(r["event"]) for r in fighting}


def test_spokespeople_and_what_they_said(bundled):
    people = labels(bundled.query_named("spokespeople", organization="KNPLF"), "personLabel")
    assert "Lawrence Soe" in people
    said = bundled.query_named("statements-by-speaker", speaker="Li Kyarwen")
    assert {str(r["source"]) for r in said} == {"https://w3id.org/conflictgraph/id/src/irrawaddy-2023-11-03"}
    assert labels(said, "onBehalfOfLabel") == {"Myanmar National Democratic Alliance Army"}


def test_arakan_army_informal_ceasefire(bundled):
    rows = bundled.query_named("ceasefires", actor="Arakan Army")
    assert any("Rakhine" in str(r.get("areaLabel")) and "nformal" in str(r.get("formality")) for r in rows), rows


def test_disagreements_keep_both_knpp_founding_dates(bundled):
    rows = bundled.query_named("disagreements")
    knpp = [r for r in rows if str(r.get("subject")) == A + "knpp"]
    values = {str(r["value"])[:4] for r in knpp} | {str(r["otherValue"])[:4] for r in knpp}
    assert {"1953", "1957"} <= values


def test_source_contents_lists_every_speaker_of_the_first_report(bundled):
    rows = bundled.query_named("source-contents", source="src:irrawaddy-2023-11-03")
    assert {"Li Kyarwen", "Khun Bedu", "Padoh Saw Taw Nee", "U Maung Maung Swe"} <= labels(rows, "speakerLabel")
