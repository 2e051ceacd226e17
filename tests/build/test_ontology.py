"""The ontology parses, and every term it defines is labelled and explained."""
from __future__ import annotations

from conflictgraph.rdf.namespaces import CG
from conflictgraph.build.ontology import load_ontology


def test_every_term_has_a_label_and_a_comment():
    vocab = load_ontology()
    assert vocab.undocumented_terms() == []
    assert len(vocab.tie_classes) > 10


def test_core_classes_exist():
    vocab = load_ontology()
    actors = vocab.subclasses(CG + "Actor")
    for name in ("ArmedGroup", "PoliticalOrganization", "Government", "StateForce", "Alliance",
                 "Person", "GenericActor"):
        assert CG + name in actors
    for name in ("Membership", "Participation", "Alignment", "Ceasefire", "Defection", "Wing"):
        assert CG + name in vocab.tie_classes
