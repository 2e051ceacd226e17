"""Parsing: errors carry file, line and column; unsafe inputs are refused quickly."""
from __future__ import annotations

import time

import pytest

from conflictgraph.errors import ParseError
from conflictgraph.build.ontology import load_ontology
from conflictgraph.build.parse import parse_file, skolemize


def test_turtle_error_names_line_and_column(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <http://x/> .\nx:a x:b x:c .\nx:d x:e \n")
    with pytest.raises(ParseError) as caught:
        parse_file(bad)
    assert caught.value.path == str(bad)
    assert caught.value.line == 4 or caught.value.line == 3
    assert caught.value.column is not None
    assert str(caught.value).startswith(f"{bad}:{caught.value.line}:")


def test_unknown_extension_is_refused(tmp_path):
    odd = tmp_path / "data.xyz"
    odd.write_text("hello")
    with pytest.raises(ParseError, match="unknown file type"):
        parse_file(odd)


def test_billion_laughs_rdfxml_is_refused_quickly(tmp_path):
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)]
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(entities) + "\n]>\n"
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:x="http://x/">\n'
        '<rdf:Description rdf:about="http://x/a"><x:p>&lol9;</x:p></rdf:Description>\n</rdf:RDF>\n')
    started = time.perf_counter()
    with pytest.raises(ParseError, match="DOCTYPE"):
        parse_file(bomb)
    assert time.perf_counter() - started < 1.0


def test_jsonld_remote_context_is_refused(tmp_path):
    doc = tmp_path / "remote.jsonld"
    doc.write_text('{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://x/a", "name": "A"}')
    with pytest.raises(ParseError, match="remote @context"):
        parse_file(doc)


def test_skolemize_is_stable_and_typed(tmp_path):
    data = tmp_path / "s.trig"
    data.write_text("""
@prefix cg: <https://w3id.org/conflictgraph/ontology#> .
<http://x/g> {
  [] a cg:Statement ; cg:summary "one" ;
     cg:asserts [ a cg:Membership ; cg:member <http://x/a> ; cg:organization <http://x/b> ] .
}""")
    vocab = load_ontology()
    first = skolemize(parse_file(data), tie_classes=vocab.tie_classes, event_classes=vocab.event_classes)
    second = skolemize(parse_file(data), tie_classes=vocab.tie_classes, event_classes=vocab.event_classes)
    names = sorted({q.subject.value for q in first})
    assert names == sorted({q.subject.value for q in second})
    assert any("/id/stmt/" in n for n in names)
    assert any("/id/tie/" in n for n in names)
