"""The vocabulary published: an HTML page documenting ``ontology/conflict.ttl`` and its JSON-LD context.

Both are generated from the ontology files themselves (``conflict.ttl`` and ``shapes.ttl``),
so they cannot say what the ontology does not. ``scripts/vocabulary_docs.py`` writes them to
``docs/ontology/index.html`` and ``ontology/context.jsonld`` (a test fails when either is
stale), and ``conflictgraph serve`` answers ``/ontology`` with the page.

The page lists every class and property with its label, comment, super- and subclasses,
domain, range and characteristics, examples from a graph (:func:`term_examples`: the
bundled graph for the published page, the served store for ``/ontology``), and the SHACL
shapes that apply: to a class, the shapes targeting it or a class above it; to a property,
the shapes that constrain it (``sh:path``) or target the subjects using it. Each shape is
listed with its targets and its constraints in the plain words of their ``sh:message``.
Every piece of text is HTML-escaped; links go to the page's own anchors or to ``http(s)``
IRIs; the page has no script (its Content-Security-Policy forbids any).

The context maps each ``cg:`` term's local name to its IRI (object properties with
``"@type": "@id"``, datatype properties with one XSD range coerced to it), plus the prefixes of
the instance IRIs and the vocabularies used, except a prefix whose name is also a term
(``place`` is the property ``cg:place``, so place IRIs are written in full; so are ``actor``
and ``event``).

Why our own generator: pyLODE was measured here (December 2026) on ``conflict.ttl``. Its
newest release on PyPI, 3.4.1, fails on import (it reads a ``pyproject.toml`` its wheel does
not ship); 3.2.1 ran in 1.5 s (64 MB) to a 280 KB page, but renders ``rdfs:comment`` as
Markdown with raw HTML passed through (a comment's ``<script>`` and a ``javascript:`` link
reached the page) and shows no SHACL shapes. This module takes 0.6 s to a 130 KB page.

Examples
--------
>>> vocab = load_vocabulary()
>>> located = vocab.term("locatedIn")
>>> located.kind, located.domain, located.characteristics
('object property', ['https://w3id.org/conflictgraph/ontology#Place'], ['transitive'])
>>> context = jsonld_context(vocab)["@context"]
>>> context["memberOf"], context["Actor"]
({'@id': 'cg:memberOf', '@type': '@id'}, 'cg:Actor')
>>> "<h2 id=\\"Actor\\">" in vocabulary_html(vocab)
True
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from rdflib import BNode, Graph, Namespace, URIRef
from rdflib import Literal as RLiteral
from rdflib.collection import Collection
from rdflib.term import Node

from conflictgraph.bundled import ontology_dir
from conflictgraph.rdf.namespaces import CG, PREFIXES, SPARQL_PREFIXES, shorten
from conflictgraph.rdf.sparql_text import iri_ref
from conflictgraph.rdf.terms import IRI, XSD, Term, cell_text
from conflictgraph.store.base import Store

__all__ = ["Vocabulary", "VocabularyTerm", "ShapeInfo", "load_vocabulary", "vocabulary_html", "jsonld_context",
           "context_text", "term_examples", "VOCABULARY_CSP"]

# plain namespaces (rdflib's closed ones raise on unknown attributes, which doctest collection looks up)
OWL, RDF, RDFS, SH = (Namespace(PREFIXES[p]) for p in ("owl", "rdf", "rdfs", "sh"))
_SHAPES = "https://w3id.org/conflictgraph/shapes#"
# The page is static: no script, no fetch; inline style only.
VOCABULARY_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
                  "form-action 'none'; frame-ancestors 'self'")
_KINDS = ((OWL.Class, "class"), (OWL.ObjectProperty, "object property"), (OWL.DatatypeProperty, "datatype property"))
_CHARACTERISTICS = {OWL.SymmetricProperty: "symmetric", OWL.TransitiveProperty: "transitive",
                    OWL.FunctionalProperty: "functional"}
# Constraint parameters worth showing beside a constraint's message, in this order.
_PARAMETERS = ("minCount", "maxCount", "datatype", "class", "nodeKind", "hasValue", "pattern", "qualifiedMinCount",
               "qualifiedMaxCount")


@dataclass
class ShapeInfo:
    """A SHACL node shape: its targets and its constraints as (path, message, parameters)."""

    name: str
    target_classes: list[str] = field(default_factory=list)
    target_properties: list[str] = field(default_factory=list)  # sh:targetSubjectsOf / sh:targetObjectsOf
    other_targets: list[str] = field(default_factory=list)      # SPARQL targets, described in words
    constraints: list[tuple[str | None, str, list[str]]] = field(default_factory=list)

    @property
    def paths(self) -> set[str]:
        return {path for path, _message, _parameters in self.constraints if path}


@dataclass
class VocabularyTerm:
    """One class or property of the ontology, as documented."""

    iri: str
    kind: str
    label: str
    comment: str
    parents: list[str] = field(default_factory=list)    # rdfs:subClassOf / rdfs:subPropertyOf
    children: list[str] = field(default_factory=list)
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    characteristics: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.iri[len(CG):]


@dataclass
class Vocabulary:
    """The ontology's header, terms and shapes, read from ``conflict.ttl`` and ``shapes.ttl``."""

    iri: str
    label: str
    comment: str
    version: str
    license: str
    terms: list[VocabularyTerm]
    shapes: list[ShapeInfo]

    def term(self, name: str) -> VocabularyTerm:
        """The term ``cg:name``; KeyError when the ontology has none."""
        found = [t for t in self.terms if t.name == name]
        if not found:
            raise KeyError(f"cg:{name} is not a term of the ontology")
        return found[0]

    def ancestors(self, iri: str) -> list[str]:
        """``iri`` and every class above it in the ontology, nearest first."""
        parents = {t.iri: t.parents for t in self.terms}
        found, todo = [iri], [iri]
        while todo:
            for parent in parents.get(todo.pop(0), []):
                if parent not in found:
                    found.append(parent)
                    todo.append(parent)
        return found

    def shapes_for(self, term: VocabularyTerm) -> list[tuple[ShapeInfo, str]]:
        """The shapes that apply to ``term``, each with how (the class it targets, or the role of the property)."""
        found = []
        for shape in self.shapes:
            if term.kind == "class":
                via = [c for c in self.ancestors(term.iri) if c in shape.target_classes]
                if via:
                    above = "" if via[0] == term.iri else ", a class above"
                    found.append((shape, f"targets {shorten(via[0])}{above}"))
            elif term.iri in shape.paths:
                found.append((shape, "constrains its values"))
            elif term.iri in shape.target_properties:
                found.append((shape, "targets the nodes that use it"))
        return found


def _text(graph: Graph, subject: Node, predicate: URIRef) -> str:
    """The English (or untagged) value of ``predicate``, else any, else ''."""
    values = [v for v in graph.objects(subject, predicate) if isinstance(v, RLiteral)]
    chosen = [v for v in values if v.language in (None, "en")] or values
    return str(sorted(chosen)[0]) if chosen else ""


def _classes(graph: Graph, node) -> list[str]:
    """A domain or range: an IRI, or the members of an ``owl:unionOf``."""
    if isinstance(node, URIRef):
        return [str(node)]
    union = graph.value(node, OWL.unionOf)
    return [str(member) for member in Collection(graph, union)] if union is not None else []


def _shape(graph: Graph, node: URIRef | BNode) -> ShapeInfo:
    shape = ShapeInfo(str(node).replace(_SHAPES, "cgsh:"),
                      target_classes=sorted(str(c) for c in graph.objects(node, SH.targetClass)),
                      target_properties=sorted(str(p) for p in (*graph.objects(node, SH.targetSubjectsOf),
                                                                 *graph.objects(node, SH.targetObjectsOf))),
                      other_targets=["the nodes a SPARQL query selects" for _ in graph.objects(node, SH.target)])
    for constraint in [*graph.objects(node, SH.property), *graph.objects(node, SH.sparql), node]:
        message = _text(graph, constraint, SH.message)
        if not message:
            continue
        path = graph.value(constraint, SH.path)
        parameters = [f"{name} {shorten(str(value))}" for name in _PARAMETERS
                      for value in graph.objects(constraint, SH[name])]
        shape.constraints.append((str(path) if isinstance(path, URIRef) else None, message, parameters))
    return shape


def load_vocabulary(folder: Path | None = None) -> Vocabulary:
    """Read the ontology and shapes of ``folder`` (default: the bundled ``ontology/``)."""
    folder = folder or ontology_dir()
    graph = Graph().parse(folder / "conflict.ttl", format="turtle")
    shapes = Graph().parse(folder / "shapes.ttl", format="turtle")
    terms = []
    for kind_class, kind in _KINDS:
        for subject in sorted((s for s in graph.subjects(RDF.type, kind_class) if str(s).startswith(CG)), key=str):
            parent = RDFS.subClassOf if kind == "class" else RDFS.subPropertyOf
            terms.append(VocabularyTerm(
                str(subject), kind, _text(graph, subject, RDFS.label), _text(graph, subject, RDFS.comment),
                parents=sorted(str(p) for p in graph.objects(subject, parent) if isinstance(p, URIRef)),
                children=sorted(str(c) for c in graph.subjects(parent, subject)),
                domain=[c for d in graph.objects(subject, RDFS.domain) for c in _classes(graph, d)],
                range=[c for r in graph.objects(subject, RDFS.range) for c in _classes(graph, r)],
                characteristics=sorted(word for owl_type, word in _CHARACTERISTICS.items()
                                       if (subject, RDF.type, owl_type) in graph)))
    ontology = next(graph.subjects(RDF.type, OWL.Ontology))
    return Vocabulary(str(ontology), _text(graph, ontology, RDFS.label), _text(graph, ontology, RDFS.comment),
                      _text(graph, ontology, OWL.versionInfo),
                      str(graph.value(ontology, URIRef("http://purl.org/dc/terms/license")) or ""),
                      terms, [_shape(shapes, s) for s in sorted(shapes.subjects(RDF.type, SH.NodeShape),
                                                                  key=str) if isinstance(s, URIRef)])


# The page --------------------------------------------------------------------------------------

def _link(iri: str) -> str:
    """A term as a link: to its section when it is ours, to itself when it is http(s), else as text."""
    shown = escape(shorten(iri))
    if iri.startswith(CG):
        return f'<a href="#{escape(iri[len(CG):], quote=True)}"><code>{shown}</code></a>'
    if iri.startswith(("https://", "http://")):
        return f'<a href="{escape(iri, quote=True)}"><code>{shown}</code></a>'
    return f"<code>{shown}</code>"


def _links(iris: list[str]) -> str:
    return ", ".join(_link(i) for i in iris)


def _shape_anchor(shape: ShapeInfo) -> str:
    return "shape-" + shape.name.split(":")[-1]


_EXAMPLES_SHOWN = 2


def term_examples(store: Store, vocab: Vocabulary) -> dict[str, list[str]]:
    """Up to two uses of each term in ``store``, as short Turtle-like lines: for a class, an
    instance and its label; for a property, a subject, the property and an object (labels in
    parentheses). The first in IRI order, so the page is the same for the same graph.

    >>> from conflictgraph.build.pipeline import build_store
    >>> store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
    >>> term_examples(store, load_vocabulary())[CG.memberOf][0]
    'actor:clf (Coastal Liberation Front) cg:memberOf actor:nfa (Northern Freedom Alliance)'
    """
    def named(term: Term | None, label: Term | None) -> str:
        text = shorten(str(term)) if isinstance(term, IRI) else cell_text(term)
        return text + (f" ({cell_text(label)})" if label is not None else "")

    found: dict[str, list[str]] = {}
    for term in vocab.terms:
        if term.kind == "class":
            rows = store.query(_CLASS_EXAMPLES % (iri_ref(term.iri), _EXAMPLES_SHOWN))
            lines = [f"{named(r['s'], r['label'])} a cg:{term.name}" for r in rows]
        else:
            rows = store.query(_PROPERTY_EXAMPLES % (iri_ref(term.iri), _EXAMPLES_SHOWN))
            lines = [f"{named(r['s'], r['sLabel'])} cg:{term.name} {named(r['o'], r['oLabel'])}" for r in rows]
        if lines:
            found[term.iri] = lines
    return found


_CLASS_EXAMPLES = SPARQL_PREFIXES + """
SELECT ?s (SAMPLE(?l) AS ?label) WHERE { ?s a %s . FILTER(isIRI(?s)) OPTIONAL { ?s skos:prefLabel ?l } }
GROUP BY ?s ORDER BY STR(?s) LIMIT %d"""
_PROPERTY_EXAMPLES = SPARQL_PREFIXES + """
SELECT ?s ?o (SAMPLE(?sl) AS ?sLabel) (SAMPLE(?ol) AS ?oLabel) WHERE {
  ?s %s ?o . FILTER(isIRI(?s))
  OPTIONAL { ?s skos:prefLabel ?sl } OPTIONAL { ?o skos:prefLabel ?ol }
} GROUP BY ?s ?o ORDER BY STR(?s) STR(?o) LIMIT %d"""


def _term_section(vocab: Vocabulary, term: VocabularyTerm, examples: list[str]) -> str:
    rows = [("IRI", f"<code>{escape(term.iri)}</code>"), ("kind", escape(term.kind))]
    if term.kind == "class":
        rows += [("subclass of", _links(term.parents)), ("subclasses", _links(term.children))]
    else:
        rows += [("subproperty of", _links(term.parents)), ("domain", " or ".join(_link(c) for c in term.domain)),
                 ("range", " or ".join(_link(c) for c in term.range)),
                 ("characteristics", escape(", ".join(term.characteristics)))]
    if examples:
        rows.append(("examples", "<br>".join(f"<code>{escape(line)}</code>" for line in examples)))
    shapes = vocab.shapes_for(term)
    if shapes:
        rows.append(("SHACL shapes", "<br>".join(f'<a href="#{escape(_shape_anchor(s), quote=True)}">'
                                                  f"<code>{escape(s.name)}</code></a> ({escape(how)})"
                                                  for s, how in shapes)))
    table = "".join(f"<tr><th>{name}</th><td>{value}</td></tr>" for name, value in rows if value)
    return (f'<section class="term"><h2 id="{escape(term.name, quote=True)}">{escape(term.label or term.name)} '
            f"<small>cg:{escape(term.name)}</small></h2>\n<p>{escape(term.comment)}</p>\n<table>{table}</table>"
            f"</section>\n")


def _shape_section(shape: ShapeInfo) -> str:
    targets = [*(f"instances of {_link(c)}" for c in shape.target_classes),
               *(f"nodes using {_link(p)}" for p in shape.target_properties), *map(escape, shape.other_targets)]
    items = "".join(f"<li>{_link(path) + ': ' if path else ''}{escape(message)}"
                    f"{' <small>(' + escape('; '.join(parameters)) + ')</small>' if parameters else ''}</li>"
                    for path, message, parameters in shape.constraints)
    return (f'<section class="shape"><h3 id="{escape(_shape_anchor(shape), quote=True)}"><code>{escape(shape.name)}'
            f"</code></h3>\n<p>Applies to {', '.join(targets) or 'no node'}.</p>\n<ul>{items}</ul></section>\n")


_STYLE = """body{font-family:sans-serif;max-width:60rem;margin:0 auto;padding:1rem;line-height:1.45;color:#222}
table{border-collapse:collapse;margin:.3rem 0 1rem;width:100%}
th,td{text-align:left;vertical-align:top;padding:.2rem .6rem;border-bottom:1px solid #e4e4e4}
th{width:9rem;color:#555;font-weight:normal}h2{margin:2rem 0 .2rem;font-size:1.2rem}
h2 small{color:#777;font-weight:normal}code{font-size:.92em}section.shape h3{margin-bottom:.2rem}
nav ul{display:flex;flex-wrap:wrap;gap:.2rem .8rem;padding:0;list-style:none}"""


def vocabulary_html(vocab: Vocabulary, examples: dict[str, list[str]] | None = None) -> str:
    """The documentation page of ``vocab`` (one HTML file, no script, everything escaped), with
    ``examples`` per term IRI (see :func:`term_examples`)."""
    examples = examples or {}
    groups = [("Classes", "class"), ("Object properties", "object property"),
              ("Datatype properties", "datatype property")]
    toc, body = [], []
    for title, kind in groups:
        terms = [t for t in vocab.terms if t.kind == kind]
        anchor = kind.replace(" ", "-") + "-index"
        toc.append(f'<li><a href="#{anchor}">{title}</a> ({len(terms)})</li>')
        body.append(f'<h1 id="{anchor}">{title}</h1>\n<nav><ul>'
                    + "".join(f"<li>{_link(t.iri)}</li>" for t in terms) + "</ul></nav>\n"
                    + "".join(_term_section(vocab, t, examples.get(t.iri, [])) for t in terms))
    toc.append(f'<li><a href="#shapes">SHACL shapes</a> ({len(vocab.shapes)})</li>')
    body.append('<h1 id="shapes">SHACL shapes</h1>\n<p>What a valid graph folder looks like '
                "(<code>ontology/shapes.ttl</code>; <code>conflictgraph validate</code> checks them).</p>\n"
                + "".join(_shape_section(s) for s in vocab.shapes))
    prefixes = "".join(f"<tr><th>{escape(prefix)}:</th><td><code>{escape(namespace)}</code></td></tr>"
                       for prefix, namespace in PREFIXES.items())
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{escape(VOCABULARY_CSP, quote=True)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="conflictgraph (conflictgraph.render.vocabulary)">
<title>{escape(vocab.label)}</title>
<style>{_STYLE}</style>
</head>
<body>
<header>
<h1>{escape(vocab.label)}</h1>
<p>{escape(vocab.comment)}</p>
<table><tr><th>IRI</th><td><code>{escape(vocab.iri)}</code></td></tr>
<tr><th>namespace</th><td><code>{escape(str(CG))}</code> (prefix <code>cg:</code>)</td></tr>
<tr><th>version</th><td>{escape(vocab.version)}</td></tr>
<tr><th>licence</th><td>{_link(vocab.license) if vocab.license else ""}</td></tr>
<tr><th>JSON-LD context</th><td><code>ontology/context.jsonld</code></td></tr></table>
<nav><ul>{"".join(toc)}<li><a href="#prefixes">Prefixes</a></li></ul></nav>
</header>
<main>
{"".join(body)}
<h1 id="prefixes">Prefixes</h1>
<table>{prefixes}</table>
</main>
</body>
</html>
"""


# The JSON-LD context -----------------------------------------------------------------------------

def jsonld_context(vocab: Vocabulary) -> dict:
    """The JSON-LD context of ``vocab``: prefixes, then every term by its local name."""
    names = {t.name for t in vocab.terms}
    context: dict[str, object] = {prefix: namespace for prefix, namespace in PREFIXES.items() if prefix not in names}
    for term in vocab.terms:
        if term.kind == "class":
            context[term.name] = f"cg:{term.name}"
        elif term.kind == "object property":
            context[term.name] = {"@id": f"cg:{term.name}", "@type": "@id"}
        elif len(term.range) == 1 and term.range[0].startswith(XSD) and term.range[0] != XSD + "string":
            context[term.name] = {"@id": f"cg:{term.name}", "@type": shorten(term.range[0])}
        else:
            context[term.name] = {"@id": f"cg:{term.name}"}
    return {"@context": context}


def context_text(vocab: Vocabulary) -> str:
    """The context as the text of ``ontology/context.jsonld``."""
    return json.dumps(jsonld_context(vocab), indent=2, ensure_ascii=False) + "\n"
