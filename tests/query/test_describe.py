"""What show reports (describe) and how names resolve: one entry per fact, claim and statement,
however many names and actors they have. The claims command: tests/cli/test_cli.py."""
from __future__ import annotations

import pytest

from conflictgraph.rdf.namespaces import SPARQL_PREFIXES
from conflictgraph.query.describe import describe
from conflictgraph.store import open_store
from conflictgraph.rdf.terms import IRI


def test_show_lists_a_fact_once_whatever_names_its_value_has():
    """A value with an English and a Burmese label and a title is one fact, named in English."""
    store = open_store()
    store.update(SPARQL_PREFIXES + """
    INSERT DATA { GRAPH <urn:test> {
      <urn:e> a cg:Event ; cg:source <urn:s> ; cg:place <urn:p> .
      <urn:s> dct:title "Zeta title", "Alpha title" .
      <urn:p> skos:prefLabel "Mese"@en, "မဲစဲ"@my ; dct:title "Mese township" .
    } }""")
    facts = [(f["name"], f["value"]) for f in describe(store, IRI("urn:e"))["facts"]]
    assert facts == [("place", "Mese"), ("source", "Alpha title")]


def test_show_lists_a_claim_and_a_statement_once_whatever_actors_they_name():
    """A claim about two actors, by two claimants, in a statement made for both, is one claim with
    one statement, and the actors are all named."""
    store = open_store()
    store.update(SPARQL_PREFIXES + """
    INSERT DATA { GRAPH <urn:test> {
      <urn:a> skos:prefLabel "Alpha"@en . <urn:b> skos:prefLabel "Beta"@en .
      <urn:c> a cg:Claim ; cg:about <urn:a>, <urn:b> ; cg:claimant <urn:a>, <urn:b> ; cg:proposition "No losses." .
      <urn:st> cg:asserts <urn:c> ; cg:reportedIn <urn:src> ; cg:onBehalfOf <urn:a>, <urn:b> ;
               cg:speaker <urn:a> ; cg:summary "They said so." .
    } }""")
    report = describe(store, IRI("urn:a"))
    assert len(report["claims"]) == 1
    claim = report["claims"][0]
    assert claim["aboutLabel"] == "Alpha; Beta" and claim["claimantLabel"] == "Alpha; Beta"
    assert claim["how"] == "about; by"
    assert [s["on_behalf_of"] for s in claim["statements"]] == ["Alpha; Beta"]
    assert len(report["statements"]) == 1 and set(report["statements"][0]["role"].split("; ")) == {
        "speaker", "on behalf of"}


def test_a_name_of_a_place_and_the_place_holding_it_means_the_holder():
    """An event dataset gives a township and its town one name; the name means the township, and
    two unrelated places of one name stay ambiguous."""
    from conflictgraph.errors import NameAmbiguous
    from conflictgraph.query.resolve import NameIndex

    store = open_store()
    store.update(SPARQL_PREFIXES + """
    INSERT DATA { GRAPH <urn:test> {
      cg:Township rdfs:subClassOf cg:Place . cg:Town rdfs:subClassOf cg:Place .
      place:x-township a cg:Township ; skos:prefLabel "Xanadu"@en .
      place:x-town a cg:Town ; skos:prefLabel "Xanadu"@en ; cg:locatedIn place:x-township .
      place:y-one a cg:Town ; skos:prefLabel "Yonder"@en .
      place:y-two a cg:Town ; skos:prefLabel "Yonder"@en .
    } }""")
    names = NameIndex(store)
    assert names.resolve("Xanadu").iri.endswith("/place/x-township")
    with pytest.raises(NameAmbiguous):  # asked for an actor: the places are not silently taken
        names.resolve("Xanadu", kinds={"cg:ArmedGroup"})
    with pytest.raises(NameAmbiguous) as err:
        names.resolve("Yonder")
    assert {iri.rsplit("/", 1)[-1] for _label, iri, _kind in err.value.candidates} == {"y-one", "y-two"}


def test_names_leave_out_imported_events_and_keep_what_an_import_named():
    """Every labelled entity is a name but the imported events (found by class in the dataset
    graphs, not by reading each event's label): the actors and places an import made, curated
    events and the sources stay."""
    from conflictgraph.build.pipeline import build_store
    from conflictgraph.importers.dataset import import_events
    from conflictgraph.query.resolve import NameIndex
    from conflictgraph.rdf.namespaces import DATASET_GRAPHS, ID

    from conftest import FIXTURES, MINI

    store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
    import_events(store, "acled", FIXTURES / "acled" / "acled.csv")
    labelled = store.query(SPARQL_PREFIXES + """
        SELECT ?entity ?g WHERE { { GRAPH ?g { ?entity skos:prefLabel ?label } }
                                  UNION { ?entity a cg:Source ; dct:title ?title } }""").rows
    imported_events = {str(r["entity"]) for r in labelled
                       if str(r.get("g") or "").startswith(DATASET_GRAPHS) and str(r["entity"]).startswith(ID + "event/")}
    expected = {str(r["entity"]) for r in labelled} - imported_events
    names = NameIndex(store)
    assert imported_events and any(iri.startswith(ID + "actor/dataset-") for iri in expected)
    assert set(names.entities) == expected


def test_a_type_that_is_not_an_iri_in_a_dataset_graph_does_not_stop_names():
    from conflictgraph.build.pipeline import build_store
    from conflictgraph.query.resolve import NameIndex
    from conflictgraph.rdf.namespaces import GRAPHS, ID, RDF_TYPE
    from conflictgraph.rdf.terms import BNode, Literal

    from conftest import MINI

    store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
    dataset = IRI(GRAPHS + "dataset/odd")
    store.add_quads([(IRI(ID + "node/x"), IRI(RDF_TYPE), BNode("b1"), dataset),
                     (IRI(ID + "node/y"), IRI(RDF_TYPE), Literal("a class"), dataset)])
    assert NameIndex(store).resolve("RLA").iri.endswith("/actor/rla")


def _many_events(count: int):
    """A store of ``count`` events of one actor, each with a date, a label and a place (the
    dates repeat, so the order falls back on the events' names)."""
    store = open_store()
    events = "\n".join(
        f'<urn:ev{i}> a cg:Event ; cg:sideA <urn:a> ; cg:date "2023-0{1 + i % 9}-1{i % 10}" ; '
        f'skos:prefLabel "Battle {i}" ; cg:place <urn:p{i % 7}> .' for i in range(count))
    places = "\n".join(f'<urn:p{i}> skos:prefLabel "Place {i}" .' for i in range(7))
    store.update(SPARQL_PREFIXES + f"INSERT DATA {{ GRAPH <urn:test> {{ <urn:a> skos:prefLabel 'Alpha' .\n"
                 f"{events}\n{places} }} }}")
    return store


@pytest.mark.parametrize("page", [None, 1, 2, 3])
def test_events_a_report_shows_are_detailed_as_in_the_whole_report(page):
    """Only the events shown one by one get their label and place; the report reads the same."""
    import io

    from conflictgraph.render.show import events_shown, render_show

    store = _many_events(250)
    whole = describe(store, IRI("urn:a"))
    shown = describe(store, IRI("urn:a"), detailed=events_shown(page))
    assert len(whole["events"]) == len(shown["events"]) == 250
    assert all(e["label"] and e["place"] for e in whole["events"])
    chosen = events_shown(page)
    for i, (full, part) in enumerate(zip(whole["events"], shown["events"])):
        assert {k: v for k, v in part.items() if k not in ("label", "place")} == {
            k: v for k, v in full.items() if k not in ("label", "place")}
        if chosen.start <= i < chosen.stop:
            assert (part["label"], part["place"]) == (full["label"], full["place"])
        else:
            assert (part["label"], part["place"]) == (None, None)
    texts = []
    for report in (whole, shown):
        out = io.StringIO()
        render_show(report, out, events_page=page)
        texts.append(out.getvalue())
    assert texts[0] == texts[1] and (page is None or "Battle" in texts[0])
