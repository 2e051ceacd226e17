"""The curated graph answers the questions the seed reports can answer, with sources."""
from __future__ import annotations

import pytest

from conflictgraph.errors import NameAmbiguous, NameNotFound

from conftest import FIXTURES

ENTITY_LINES = [line.split("|")[0].strip()
                for line in (FIXTURES / "seed_entities.txt").read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")]


def test_the_fixture_lists_about_a_hundred_entities():
    assert len(ENTITY_LINES) >= 100


@pytest.mark.parametrize("name", ENTITY_LINES)
def test_every_seed_entity_resolves(bundled, name):
    try:
        entity = bundled.resolve(name)
    except (NameNotFound, NameAmbiguous) as err:
        pytest.fail(str(err))
    report = bundled.show(str(entity.iri))
    assert report["label"] and report["types"]


def _labels(graph, sparql, **bindings):
    terms = {k: graph.resolve(v).iri for k, v in bindings.items()}
    return {str(row["label"]) for row in graph.query(sparql, terms, trusted=True).rows}


def test_who_launched_operation_1107(bundled):
    launchers = _labels(bundled, """
        SELECT DISTINCT ?label WHERE {
          ?tie a cg:Participation ; cg:operation ?op ; cg:role cg:Launched ; cg:participant ?a .
          ?a skos:prefLabel ?label . ?tie cg:source ?source }""", op="Operation 1107")
    assert {"Karenni National People's Liberation Front", "Karenni Army",
            "Karenni Nationalities Defence Force"} <= launchers


def test_three_brotherhood_members(bundled):
    members = _labels(bundled, """
        SELECT DISTINCT ?label WHERE { ?m cg:memberOf ?alliance ; skos:prefLabel ?label }""",
                      alliance="Three Brotherhood Alliance")
    assert {"Arakan Army", "Myanmar National Democratic Alliance Army",
            "Ta'ang National Liberation Army"} <= members


def test_places_in_kayah_state(bundled):
    places = _labels(bundled, """
        SELECT DISTINCT ?label WHERE { ?p cg:locatedIn+ ?state ; skos:prefLabel ?label }""",
                     state="Kayah State")
    assert {"Loikaw", "Mese Township", "Pan Tein", "Demoso Township", "Hpruso Township"} <= places


@pytest.mark.parametrize("person, organisation", [
    ("Li Kyarwen", "Myanmar National Democratic Alliance Army"),
    ("Khun Bedu", "Karenni Nationalities Defence Force"),
    ("Padoh Saw Taw Nee", "Karen National Union"),
    ("U Maung Maung Swe", "NUG Ministry of Defence"),
    ("Lawrence Soe", "Karenni National People's Liberation Front"),
    ("Duwa Lashi La", "National Unity Government"),
])
def test_spokespeople_speak_for_their_organisations(bundled, person, organisation):
    rows = bundled.query("""
        SELECT ?summary ?source WHERE {
          ?stmt cg:speaker ?person ; cg:onBehalfOf ?org ; cg:reportedIn ?source .
          OPTIONAL { ?stmt cg:summary ?summary } }""",
                         {"person": bundled.resolve(person).iri, "org": bundled.resolve(organisation).iri},
                         trusted=True).rows
    assert rows, f"no statement by {person} for {organisation}"
    assert all(row["source"] for row in rows)


def test_knplf_switched_sides_in_june_2023(bundled):
    rows = bundled.query("""
        SELECT ?start WHERE { ?tie a cg:Defection ; cg:actor ?a ; cg:start ?start }""",
                         {"a": bundled.resolve("KNPLF").iri}, trusted=True).rows
    assert "2023-06-30" in {str(r["start"]) for r in rows}


def test_knpp_founding_years_disagree_and_both_are_kept(bundled):
    rows = bundled.query("""
        SELECT DISTINCT ?value WHERE {
          ?claim cg:about ?party ; cg:quantity q:founding-date ; cg:dateValue ?value }""",
                         {"party": bundled.resolve("KNPP").iri}, trusted=True).rows
    years = {str(r["value"])[:4] for r in rows}
    assert {"1953", "1957"} <= years


def test_every_tie_has_a_source(bundled):
    rows = bundled.query("""
        SELECT ?tie WHERE { ?tie a/rdfs:subClassOf+ cg:Tie . FILTER NOT EXISTS { ?tie cg:source ?s } }""",
                         trusted=True).rows
    assert rows == []


def test_reference_facts_are_kept_apart(bundled):
    """Containment from the gazetteer lives in the reference graph, not in a report's graph."""
    rows = bundled.query("""
        SELECT ?g WHERE { GRAPH ?g { place:loikaw-township cg:locatedIn place:kayah-state } }""",
                         trusted=True).rows
    assert {str(r["g"]) for r in rows} == {"https://w3id.org/conflictgraph/graph/reference"}
