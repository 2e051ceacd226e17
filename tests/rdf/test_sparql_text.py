"""Writing a bound IRI into query text (rdf.sparql_text.substitute, bound_union): the rows are
those the engine gives for the same binding, on the projection's own queries and the bundled
graph's curated events; where a constant cannot stand, nothing is written."""
from __future__ import annotations

import pytest

from conflictgraph.network.spec import load_projection
from conflictgraph.rdf.namespaces import SPARQL_PREFIXES
from conflictgraph.rdf.sparql_text import bound_union, substitute
from conflictgraph.rdf.terms import IRI

EVENTS_WITH_SIDES = SPARQL_PREFIXES + """
SELECT DISTINCT ?event WHERE { ?event cg:sideA|cg:sideB|cg:associatedWith ?actor } ORDER BY ?event"""


def _rows(result) -> list[tuple]:
    return sorted(tuple(sorted((k, str(v)) for k, v in row.items() if v is not None)) for row in result.rows)


@pytest.mark.parametrize("relation", [r for r in load_projection() if "?event" in r.query], ids=lambda r: r.name)
def test_written_in_the_rows_are_the_engines_own(bundled, relation):
    store = bundled.store
    events = [str(row["event"]) for row in store.query(EVENTS_WITH_SIDES).rows]
    assert len(events) > 10  # the bundled graph's curated events
    query = SPARQL_PREFIXES + relation.query
    bound = []
    for event in events:
        bound += store.query(query, bindings={"event": IRI(event)}).rows
    text = bound_union(query, "event", events)
    assert text is not None
    written = store.query(text)
    assert _rows(written) == sorted(tuple(sorted((k, str(v)) for k, v in row.items() if v is not None))
                                    for row in bound)
    if relation.relation in ("fought", "fought-alongside"):
        assert written.rows  # curated battles: something to compare


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?e <u:p> ?a }",
    "SELECT ?a WHERE { VALUES ?e { <u:y> } ?e <u:p> ?a }",
    "SELECT ?e WHERE { ?x <u:p> ?a BIND (?x AS ?e) }",
    "SELECT ?a (COUNT(*) AS ?n) WHERE { ?e <u:p> ?a } GROUP BY ?a ?e",
    "SELECT ?a WHERE { { SELECT ?e WHERE { ?e <u:p> ?a } } }",
])
def test_nothing_is_written_where_a_constant_cannot_stand(query):
    assert substitute(query, "e", "u:x") is None
    assert bound_union(query, "e", ["u:x"]) is None


def test_a_variable_with_a_longer_name_is_left_alone():
    assert substitute("SELECT ?e ?events WHERE { ?e <u:p> ?events }", "e", "u:x") == (
        "SELECT (<u:x> AS ?e) ?events WHERE { <u:x> <u:p> ?events }")
