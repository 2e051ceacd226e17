"""Find an entity by label, acronym or alias, forgiving case, punctuation and spelling.

Names are compared after folding: case and accents dropped, punctuation and spaces removed,
and common spelling variants mapped to one form (Defense/Defence, Organization/Organisation),
so "Pantein" finds "Pan Tein" and "Karenni Nationalities Defense Force" finds the KNDF.

Examples
--------
>>> fold("Karenni Nationalities Defense Force") == fold("karenni nationalities defence force")
True
>>> fold("Pan Tein") == fold("Pantein")
True
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from conflictgraph.errors import NameAmbiguous, NameNotFound
from conflictgraph.rdf.namespaces import DATASET_GRAPHS, SPARQL_PREFIXES, expand, shorten
from conflictgraph.rdf.sparql_text import iri_ref
from conflictgraph.rdf.terms import IRI, as_node
from conflictgraph.store.base import Store

__all__ = ["fold", "Entity", "NameIndex", "event_classes"]

# Word-level spelling variants of English, mapped to one spelling before comparison. Names of
# particular places or groups are not here: their other spellings are skos:altLabel data in
# graph/ (e.g. "Magwe" for Magway Region in graph/reference/places.ttl).
_VARIANTS = {
    "defense": "defence", "organization": "organisation", "organizations": "organisations",
    "center": "centre", "armored": "armoured", "labor": "labour",
}
_LEADING = ("the ",)


def fold(name: str) -> str:
    """The comparison key of a name: lowercase ASCII letters and digits, variants unified."""
    text = unicodedata.normalize("NFKD", name).replace("\u2019", "'")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().strip()
    for prefix in _LEADING:
        if text.startswith(prefix):
            text = text[len(prefix):]
    words = re.findall(r"[^\W_]+", text)
    return "".join(_VARIANTS.get(w, w) for w in words)


@dataclass(frozen=True)
class Entity:
    """A named thing in the graph."""

    iri: IRI
    label: str
    kind: str


# Imported events are left out: there may be millions, they are named by their dataset id
# (event:acled-MMR1), and their labels are descriptions ("Armed clash in Mese (2023-11-07)"),
# not names. Curated events, and the actors and places an import created, stay in. So in the
# dataset graphs only entities typed there with a class that is not an event are read, by class
# (a test of each label's IRI read every event's: 12 s of 12.5 on a million events). A label in a
# dataset graph of an entity typed only elsewhere, or not at all, is therefore not a name (the
# importers type every node they label; finding such labels reads every event's: 15 s).
_NAMES = SPARQL_PREFIXES + """
SELECT ?entity ?name ?label ?kind ?preferred WHERE {
  {
    { SELECT ?entity ?label WHERE { %s } }
    { ?entity skos:prefLabel ?name BIND(true AS ?preferred) } UNION { ?entity skos:altLabel ?name }
  } UNION {
    ?entity a cg:Source ; dct:title ?label .
    { ?entity dct:title ?name } UNION { ?entity dct:identifier ?name }  # never outranks an entity
  }
  OPTIONAL { ?entity a ?kind . FILTER(STRSTARTS(STR(?kind), STR(cg:))) }
}"""

_CLASSES_IN = "SELECT DISTINCT ?type WHERE { GRAPH %s { ?entity a ?type } FILTER (isIRI(?type)) }"  # a graph named
_EVENT_CLASSES = SPARQL_PREFIXES + "SELECT ?type WHERE { ?type rdfs:subClassOf* cg:Event }"


def event_classes(store: Store) -> set[str]:
    """The IRIs of cg:Event and its subclasses in ``store`` (the ontology's and any a graph adds)."""
    return {str(row["type"]) for row in store.query(_EVENT_CLASSES).rows}


def _names_query(store: Store) -> str:
    """The query of every name :class:`NameIndex` reads: labels in any graph but the dataset
    graphs, and in those the labels of entities of a class that is not an event."""
    datasets = [iri_ref(g) for g in store.named_graphs() if g.startswith(DATASET_GRAPHS)]
    if not datasets:
        return _NAMES % "GRAPH ?labelled { ?entity skos:prefLabel ?label }"
    graphs = ", ".join(datasets)
    found = {iri_ref(str(row["type"])) for graph in datasets for row in store.query(_CLASSES_IN % graph).rows}
    found -= {iri_ref(event) for event in event_classes(store)}
    classes = " ".join(sorted(found))
    labelled = f"{{ GRAPH ?labelled {{ ?entity skos:prefLabel ?label }} FILTER (?labelled NOT IN ({graphs})) }}"
    if classes:
        labelled += (f" UNION {{ VALUES ?class {{ {classes} }} GRAPH ?labelled {{ ?entity a ?class ; "
                     f"skos:prefLabel ?label }} FILTER (?labelled IN ({graphs})) }}")
    return _NAMES % labelled


_WITHIN = SPARQL_PREFIXES + "ASK { ?inner cg:locatedIn+ ?outer }"


class NameIndex:
    """Every labelled entity of a store, indexed by folded name."""

    def __init__(self, store: Store):
        self.store = store
        self.by_key: dict[str, set[IRI]] = {}
        self.preferred: dict[str, set[IRI]] = {}  # keys of preferred labels only
        self.entities: dict[IRI, Entity] = {}
        for row in store.query(_names_query(store)):
            iri = IRI(row["entity"])
            kind = shorten(as_node(row["kind"])) if row["kind"] else "thing"
            if iri not in self.entities or self.entities[iri].kind == "thing":
                self.entities[iri] = Entity(iri, str(row["label"]), kind)
            key = fold(str(row["name"]))
            if key:
                self.by_key.setdefault(key, set()).add(iri)
                if row["preferred"] is not None:
                    self.preferred.setdefault(key, set()).add(iri)

    def resolve(self, name: str, *, kinds: set[str] | None = None) -> Entity:
        """The one entity called ``name``; IRIs and prefixed names are accepted as they are.

        ``kinds`` (prefixed class names such as "cg:Operation") narrows the candidates; when
        a name is one entity's preferred label and only an alias of others, that entity wins;
        when it names several places of which one holds all the others (a township and its
        town of the same name, as an event dataset gives them), the holding place wins, since
        whatever is asked of the area includes the town. Raises :class:`NameAmbiguous` listing
        the candidates, or :class:`NameNotFound` with close matches.
        """
        iri = IRI(expand(name.strip()))
        if iri in self.entities:
            return self.entities[iri]
        if iri.startswith(("http://", "https://", "urn:")) and self.store.query(
                "ASK { ?s ?p ?o }", bindings={"s": iri}).boolean:
            return Entity(iri, shorten(iri), "thing")
        found = {self.entities[i] for i in self.by_key.get(fold(name), set())}
        narrowed = {e for e in found if e.kind in kinds} if kinds else found
        found = narrowed or found
        if len(found) > 1:
            preferred = {e for e in found if e.iri in self.preferred.get(fold(name), set())}
            found = preferred if len(preferred) == 1 else found
        if len(found) > 1 and narrowed:  # (not when asked for an actor and finding only places)
            found = self._holding_place(found) or found
        if len(found) == 1:
            return found.pop()
        if found:
            raise NameAmbiguous(name, sorted((e.label, str(e.iri), e.kind) for e in found))
        raise NameNotFound(name, self.suggest(name))

    def _holding_place(self, candidates: set[Entity]) -> set[Entity] | None:
        """The one candidate every other candidate lies within (``cg:locatedIn+``), as a set."""
        for outer in candidates:
            if all(self.store.query(_WITHIN, bindings={"inner": inner.iri, "outer": outer.iri}).boolean
                   for inner in candidates if inner != outer):
                return {outer}
        return None

    def suggest(self, name: str, limit: int = 5) -> list[tuple[str, str]]:
        """Close matches for an unknown name: similar spellings, then names containing it."""
        key = fold(name)
        close = difflib.get_close_matches(key, list(self.by_key), n=limit, cutoff=0.6)
        if key and len(close) < limit:
            close += [k for k in self.by_key if key in k and k not in close][: limit - len(close)]
        seen, out = set(), []
        for match in close:
            for iri in sorted(self.by_key[match]):
                if iri not in seen:
                    seen.add(iri)
                    out.append((self.entities[iri].label, str(iri)))
        return out[:limit]
