"""Rules run in the engine (CONSTRUCT turned into INSERT), together with the date bounds importers
write for their events: the same inferred triples as every rule's CONSTRUCT over every graph."""
from __future__ import annotations

import pytest

from conflictgraph.importers import import_events
from conflictgraph.build.infer import rule_to_insert, run_rules
from conflictgraph.rdf.namespaces import DATASET_INFERRED_GRAPHS, GRAPH_INFERRED
from conflictgraph.build.ontology import load_ontology

from conftest import FIXTURES


def construct_path(store, ontology) -> dict[str, int]:
    """The former way: each rule's CONSTRUCT output through Python into the inferred graph."""
    store.clear_graph(GRAPH_INFERRED)
    counts = {}
    for path in ontology.rule_paths:
        result = store.query(path.read_text(encoding="utf-8"))
        store.add_quads((s, p, o, GRAPH_INFERRED) for s, p, o in result.triples)
        counts[path.stem] = len(set(result.triples))
    return counts


def inferred(store, graphs=(GRAPH_INFERRED,)) -> set:
    return {q[:3] for graph in graphs for q in store.quads(graph)}


def test_rules_in_the_engine_and_importer_bounds_infer_what_every_rule_over_every_graph_does(bundled_copy):
    ontology = load_ontology()
    store = bundled_copy()
    import_events(store, "ucdp", FIXTURES / "ucdp" / "ged.csv")
    import_events(store, "acled", FIXTURES / "acled" / "acled.csv")
    datasets = [g for g in store.named_graphs() if g.startswith(DATASET_INFERRED_GRAPHS)]
    imported_bounds = inferred(store, datasets)
    assert len(datasets) == 2 and any(p.endswith("#earliest") and "event/acled-" in s for s, p, _o in imported_bounds)
    construct_path(store, ontology)  # reads the union of every graph, the imported events included
    expected = inferred(store)
    counts = run_rules(store, ontology)  # reads the curated graphs only
    in_engine = inferred(store)
    assert in_engine | imported_bounds == expected
    assert not in_engine & imported_bounds  # each bound is inferred once, in one place
    assert len(expected) > 1000 and sum(counts.values()) == len(in_engine)


@pytest.mark.parametrize("rule, insert", [
    ("CONSTRUCT { ?s a ?c } WHERE { ?s a ?c }",
     "INSERT { GRAPH <http://ex/inf> { ?s a ?c } } WHERE { ?s a ?c }"),
    # braces inside strings, IRIs with '#', comments and keywords in comments do not count
    ('PREFIX cg: <http://ex/o#>\n# CONSTRUCT { in a comment }\nCONSTRUCT { ?s cg:p "}{" , \'{\' . } '
     'WHERE { ?s cg:q ?o FILTER(?o != """ } """) }',
     'PREFIX cg: <http://ex/o#>\n# CONSTRUCT { in a comment }\nINSERT { GRAPH <http://ex/inf> '
     '{ ?s cg:p "}{" , \'{\' . } } WHERE { ?s cg:q ?o FILTER(?o != """ } """) }'),
    ("CONSTRUCT { ?s ?p ?o . ?o ?p ?s } WHERE { { ?s ?p ?o } UNION { ?o ?p ?s } }",
     "INSERT { GRAPH <http://ex/inf> { ?s ?p ?o . ?o ?p ?s } } WHERE { { ?s ?p ?o } UNION { ?o ?p ?s } }"),
])
def test_rule_to_insert(rule, insert):
    assert rule_to_insert(rule, "http://ex/inf") == insert


def test_rule_to_insert_reads_the_named_graphs():
    text = rule_to_insert("CONSTRUCT { ?s a ?c } WHERE { ?s a ?c }", "http://ex/inf", ["http://ex/a", "http://ex/b"])
    assert text == ("INSERT { GRAPH <http://ex/inf> { ?s a ?c } }\nUSING <http://ex/a>\nUSING <http://ex/b> "
                    "WHERE { ?s a ?c }")


def test_every_bundled_rule_converts():
    for path in load_ontology().rule_paths:
        text = rule_to_insert(path.read_text(encoding="utf-8"), GRAPH_INFERRED)
        assert "CONSTRUCT {" not in text and f"INSERT {{ GRAPH <{GRAPH_INFERRED}> {{" in text
