"""The published vocabulary (render.vocabulary, render.jsonld): the HTML documentation and the
JSON-LD context come from the ontology itself, are committed up to date, escape everything, and
the JSON-LD export reads back to the store's quads."""
from __future__ import annotations

import importlib.util
import io
import json
from html.parser import HTMLParser

import pyoxigraph as ox
import pytest
import rdflib

from conflictgraph.importers import import_events
from conflictgraph.rdf.namespaces import CG, PREFIXES
from conflictgraph.rdf.terms import XSD, to_rdflib
from conflictgraph.render.jsonld import write_jsonld
from conflictgraph.render.vocabulary import jsonld_context, load_vocabulary, vocabulary_html

from conftest import FIXTURES, ROOT, run_cli as run

OWL = "http://www.w3.org/2002/07/owl#"
KINDS = {OWL + "Class": "class", OWL + "ObjectProperty": "object property", OWL + "DatatypeProperty": "datatype property"}


def _script():
    spec = importlib.util.spec_from_file_location("vocabulary_docs", ROOT / "scripts" / "vocabulary_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ontology_terms() -> dict[str, str]:
    """cg: terms and their kinds, read from conflict.ttl by pyoxigraph (not the code under test)."""
    with open(ROOT / "ontology" / "conflict.ttl", "rb") as handle:
        return {q.subject.value[len(CG):]: KINDS[q.object.value] for q in ox.parse(handle, format=ox.RdfFormat.TURTLE)
                if q.predicate.value.endswith("#type") and q.object.value in KINDS and q.subject.value.startswith(CG)}


class Sections(HTMLParser):
    """The text of each term's section (by its anchor), and every link target."""

    def __init__(self):
        super().__init__()
        self.text: dict[str, str] = {}
        self.links: list[str] = []
        self.tags: set[str] = set()
        self._current: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        if tag == "a":
            self.links.append(attrs["href"])
        if tag in ("h2", "h3") and "id" in attrs:
            self._current = attrs["id"]
            self.text[self._current] = ""

    def handle_data(self, data):
        if self._current:
            self.text[self._current] += data


def sections(html: str) -> Sections:
    parser = Sections()
    parser.feed(html)
    return parser


def test_committed_vocabulary_files_are_up_to_date():
    for path, text in _script().outputs().items():
        assert path.is_file() and path.read_text(encoding="utf-8") == text, (
            f"{path.relative_to(ROOT)} is stale: run `.venv/bin/python scripts/vocabulary_docs.py` and commit it")


def test_the_page_documents_every_term_with_its_shapes():
    terms = ontology_terms()
    assert len(terms) > 150
    page = sections(vocabulary_html(load_vocabulary()))
    assert set(terms) <= set(page.text)
    for name, kind in terms.items():
        assert kind in page.text[name], name
    assert "script" not in page.tags
    located = page.text["locatedIn"]
    assert "The place lies in the larger place." in located  # its comment
    assert "domaincg:Place" in located and "rangecg:Place" in located and "characteristicstransitive" in located
    armed = page.text["ArmedGroup"]  # shapes of cg:Actor apply to its subclasses
    assert "cgsh:ActorShape" in armed and "cgsh:PrefLabelEnShape" in armed and "cgsh:EventShape" not in armed
    assert "cgsh:StartShape" in page.text["start"]
    assert "a known cg:Place" in page.text["shape-ActorShape"]  # a shape's constraints in its own words
    assert all(link.startswith(("#", "https://", "http://")) for link in page.links)


def test_hostile_text_in_an_ontology_is_escaped(tmp_path):
    (tmp_path / "conflict.ttl").write_text("""
        @prefix cg: <https://w3id.org/conflictgraph/ontology#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://w3id.org/conflictgraph/ontology> a owl:Ontology ; rdfs:label "<script>alert(0)</script>" .
        cg:Thing a owl:Class ; rdfs:label "<img src=x onerror=alert(1)>" ;
            rdfs:comment "[x](javascript:alert(2)) </section><script>alert(3)</script>" .
        cg:link a owl:ObjectProperty ; rdfs:label "link" ; rdfs:comment "c" ; rdfs:range <javascript:alert(4)> .
        """, encoding="utf-8")
    (tmp_path / "shapes.ttl").write_text("""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix cg: <https://w3id.org/conflictgraph/ontology#> .
        <https://w3id.org/conflictgraph/shapes#Bad> a sh:NodeShape ; sh:targetClass cg:Thing ;
            sh:property [ sh:path cg:link ; sh:message "<iframe src=x>" ] .
        """, encoding="utf-8")
    html = vocabulary_html(load_vocabulary(tmp_path))
    page = sections(html)
    assert page.tags.isdisjoint({"script", "img", "iframe"})
    assert not [link for link in page.links if "javascript" in link]
    assert "<img src=x onerror=alert(1)>" in page.text["Thing"] and "<iframe src=x>" in page.text["shape-Bad"]


def test_the_context_maps_every_term_and_shadows_no_prefix():
    context = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    terms = ontology_terms()
    for name, kind in terms.items():
        entry = context[name]
        iri = entry if isinstance(entry, str) else entry["@id"]
        assert iri == f"cg:{name}"
        assert (kind == "object property") == (isinstance(entry, dict) and entry.get("@type") == "@id"), name
    assert context["fatalitiesBest"]["@type"] == "xsd:integer"
    prefixes = {p for p, v in context.items() if isinstance(v, str) and v.startswith("http")}
    assert prefixes == set(PREFIXES) - set(terms) and {"actor", "place", "event"} & prefixes == set()
    # plain keys read back as the ontology's IRIs
    knplf = PREFIXES["actor"] + "knplf"
    doc = {"@context": context, "@id": knplf, "@type": "ArmedGroup", "launched": "op:operation-1107", "generic": False}
    graph = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    assert set(graph) == {
        (rdflib.URIRef(knplf), rdflib.RDF.type, rdflib.URIRef(CG + "ArmedGroup")),
        (rdflib.URIRef(knplf), rdflib.URIRef(CG + "launched"), rdflib.URIRef(PREFIXES["op"] + "operation-1107")),
        (rdflib.URIRef(knplf), rdflib.URIRef(CG + "generic"), rdflib.Literal(False))}
    assert context == jsonld_context(load_vocabulary())["@context"]


def _store_quads(store) -> set:
    return {(to_rdflib(s), to_rdflib(p), to_rdflib(o), rdflib.URIRef(g) if g else None) for s, p, o, g in store.quads()}


def test_the_jsonld_export_reads_back_to_the_stores_quads(bundled_copy):
    store = bundled_copy()
    import_events(store, "acled", FIXTURES / "acled" / "acled.csv")
    out = io.BytesIO()
    counts = write_jsonld(store, out)
    expected = _store_quads(store)
    assert counts["quads"] == len(expected) and counts["graphs"] >= 6
    back = rdflib.Dataset()
    back.parse(data=out.getvalue(), format="json-ld")
    assert {(s, p, o, g if g != rdflib.graph.DATASET_DEFAULT_GRAPH_ID else None) for s, p, o, g in back.quads()} == expected
    parsed = {(to_rdflib_ox(q.subject), to_rdflib_ox(q.predicate), to_rdflib_ox(q.object),
               rdflib.URIRef(q.graph_name.value) if isinstance(q.graph_name, ox.NamedNode) else None)
              for q in ox.parse(out.getvalue(), format=ox.RdfFormat.JSON_LD)}
    assert parsed == expected
    data = json.loads(out.getvalue())
    event = [n for g in data["@graph"] for n in g["@graph"] if n["@id"].endswith("event/acled-MMR1002")
             and "fatalitiesBest" in n]
    assert event and event[0]["fatalitiesBest"] == "3"  # a plain key; its type comes from the context


def to_rdflib_ox(term):
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if term.language or datatype == "http://www.w3.org/2001/XMLSchema#string":
            return rdflib.Literal(term.value, lang=term.language)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    return rdflib.URIRef(term.value)


def test_export_to_jsonld_from_the_cli(mini_on_disk, tmp_path):
    out = tmp_path / "store.jsonld"
    result = run("export", "--to", "jsonld", "--store", mini_on_disk, "-o", str(out))
    assert result.exit_code == 0, result.output
    count = run("query", "--store", mini_on_disk, "--format", "json",
                "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert len(list(ox.parse(out.read_bytes(), format=ox.RdfFormat.JSON_LD))) == json.loads(count.output)[0]["n"]
    refused = run("export", "--to", "jsonld", "--as-of", "2023-11-01", "--store", mini_on_disk)
    assert refused.exit_code == 2 and "do not apply to --to jsonld" in refused.output


def test_the_servers_jsonld_answers_use_the_context():
    from conflictgraph.rdf.terms import IRI, Literal
    from conflictgraph.serve.formats import graph_bytes

    knplf, alliance = IRI(PREFIXES["actor"] + "knplf"), IRI(PREFIXES["actor"] + "three-brotherhood")
    triples = [(knplf, IRI(CG + "memberOf"), alliance), (knplf, IRI(CG + "generic"), Literal("false", XSD + "boolean"))]
    body = graph_bytes(triples, "json-ld")
    data = json.loads(body)
    assert data["memberOf"] == alliance and "generic" in data and data["@context"]["memberOf"]["@type"] == "@id"
    assert set(rdflib.Graph().parse(data=body, format="json-ld")) == {tuple(map(to_rdflib, t)) for t in triples}


@pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")
@pytest.mark.parametrize("path", ["/ontology", "/ontology/context.jsonld"])
def test_serve_answers_with_the_vocabulary(mini_on_disk, path):
    from starlette.testclient import TestClient

    from conflictgraph.serve.app import ServeConfig, create_app

    with TestClient(create_app(ServeConfig(store=mini_on_disk, workers=1))) as client:  # the page asks a worker
        response = client.get(path)
    assert response.status_code == 200
    if path == "/ontology":
        # the published page's terms, with examples from the served store (the mini fixture)
        published = (ROOT / "docs" / "ontology" / "index.html").read_text(encoding="utf-8")
        assert response.text.count('<section class="term">') == published.count('<section class="term">')
        assert "actor:clf (Coastal Liberation Front) cg:memberOf actor:nfa" in response.text
        assert "Coastal Liberation Front" not in published
        assert "script-src" not in response.headers["content-security-policy"]
        assert "default-src 'none'" in response.headers["content-security-policy"]
    else:
        assert response.headers["content-type"].startswith("application/ld+json")
        assert response.json() == json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))
