"""Everything the graph knows about one entity, with the statements and sources behind it.

Examples
--------
>>> from conflictgraph.build.pipeline import build_store
>>> store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
>>> report = describe(store, IRI("https://w3id.org/conflictgraph/id/actor/mbg"))
>>> report["label"]
'Mountain Border Guard'
>>> any(r["type"] == "cg:Defection" for r in report["relationships"])
True
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from conflictgraph.query.lookup import property_terms, property_values, whole_count
from conflictgraph.query.results import merge_rows
from conflictgraph.rdf.namespaces import DATASET_GRAPHS, SPARQL_PREFIXES, expand, shorten
from conflictgraph.rdf.sparql_text import iri_ref
from conflictgraph.rdf.terms import IRI, BNode, Term, as_node, as_python
from conflictgraph.store.base import Store

__all__ = ["describe", "counterparts", "KnownCounterparts"]

_BASICS = SPARQL_PREFIXES + """
SELECT DISTINCT ?p ?o ?lang ?g WHERE {
  GRAPH ?g { ?e ?p ?o }
  VALUES ?p { skos:prefLabel skos:altLabel skos:definition rdf:type cg:generic }
  BIND(LANG(?o) AS ?lang)
}"""

# An entity's own facts, in the order shown: what an event is (imported events have no
# statements behind them, so these are all there is to trace), and the same properties on
# anything else that has them. Linked nodes show their label, geometries their point.
_FACT_NAMES = {
    "cg:date": "date", "cg:start": "start", "cg:end": "end", "cg:dateDerivation": "how dated",
    "cg:place": "place", "geo:hasGeometry": "location", "cg:sideA": "side A", "cg:associatedWith": "associated",
    "cg:sideB": "side B", "cg:fatalitiesLow": "fatalities (low)", "cg:fatalitiesBest": "fatalities (best)",
    "cg:fatalitiesHigh": "fatalities (high)", "cg:eventType": "dataset's type", "cg:source": "source",
    "dct:source": "dataset's sources", "dct:description": "notes", "cg:qualityNote": "quality note",
    "dct:modified": "changed in the dataset",
    # An interaction or interaction tally of a table import: who acted, towards whom, how many times.
    "cg:initiator": "initiator", "cg:recipient": "recipient", "cg:party": "party", "cg:eventCount": "event count",
    # A source: what it is and how to cite it (an imported dataset's Source has only these).
    "dct:title": "title", "dct:publisher": "publisher", "dct:issued": "issued", "dct:hasVersion": "version",
    "cg:sourceKind": "kind of source", "cg:url": "web address", "dct:license": "licence",
    "dct:bibliographicCitation": "how to cite",
}
_FACTS = SPARQL_PREFIXES + """
SELECT ?p ?o ?label ?wkt ?precision WHERE {
  VALUES ?p { %s }
  ?e ?p ?o .
  OPTIONAL { ?o skos:prefLabel ?prefLabel FILTER(LANG(?prefLabel) IN ("en", "")) }
  OPTIONAL { ?o dct:title ?title }
  BIND(COALESCE(?prefLabel, ?title) AS ?label)
  OPTIONAL { ?o geo:asWKT ?wkt OPTIONAL { ?o cg:locationPrecision ?precision } }
}""" % " ".join(_FACT_NAMES)

# A class pattern of the queries below, replaced by the classes it matches (:func:`_with_classes`).
_CLASS_PATTERN = re.compile(r"\?type rdfs:subClassOf([+*]) (cg:\w+) \.")
_SUBCLASSES = SPARQL_PREFIXES + "SELECT DISTINCT ?type WHERE { ?type rdfs:subClassOf+ ?class }"


def _with_classes(store: Store, text: str) -> str:
    """``text`` with each ``?type rdfs:subClassOf+ cg:C .`` (``*``: C itself too) replaced by
    ``VALUES ?type { ... }`` of the classes it matches, found by a query of their own: Virtuoso
    7.2 answers the path joined with the rest of a query with too few rows, and alone rightly."""
    def classes(match: re.Match) -> str:
        top = expand(match.group(2))
        found = {str(row["type"]) for row in store.query(_SUBCLASSES, bindings={"class": IRI(top)}).rows}
        found |= {top} if match.group(1) == "*" else set()
        return "VALUES ?type { " + " ".join(iri_ref(c) for c in sorted(found)) + " }"
    return _CLASS_PATTERN.sub(classes, text)


# Relationship nodes that name the entity in any role, with the other ends.
# The ties are found by their types first (as a subquery: the engine began with every node
# naming ?e, 1 s for an actor in 72,000 of 100,000 events, 0.14 s now), then tested for ?e.
_TIES = SPARQL_PREFIXES + """
SELECT ?tie ?type ?myRole ?prop ?other ?otherLabel ?start ?end WHERE {
  { SELECT ?tie ?type WHERE { ?tie a ?type . ?type rdfs:subClassOf+ cg:Tie . } }
  ?tie ?myRole ?e .
  OPTIONAL {
    ?tie ?prop ?other .
    FILTER(?other != ?e && ?prop NOT IN (rdf:type, cg:attestedBy, cg:source, cg:start, cg:end,
           cg:startEarliest, cg:startLatest, cg:endEarliest, cg:endLatest, cg:count, cg:contentHash))
    OPTIONAL { ?other skos:prefLabel ?ol1 } OPTIONAL { ?other rdfs:label ?ol2 }
    BIND(COALESCE(?ol1, ?ol2, STR(?other)) AS ?otherLabel)
  }
  OPTIONAL { ?tie cg:start ?start } OPTIONAL { ?tie cg:end ?end }
}"""

# Statements asserting a node (tie, claim or event) that mentions the entity: each statement
# tested (joined the other way, the engine began with every node naming ?e: 0.47 s for an actor
# in 72,000 of 100,000 events, 0.03 s now).
_EVIDENCE = SPARQL_PREFIXES + """
SELECT DISTINCT ?node ?stmt ?source ?sourceTitle ?speakerLabel ?behalfLabel ?date ?summary ?quote ?citation WHERE {
  ?stmt cg:asserts ?node ; cg:reportedIn ?source .
  FILTER EXISTS { ?node ?r ?e }
  OPTIONAL { ?source dct:title ?sourceTitle }
  OPTIONAL { ?stmt cg:speaker/skos:prefLabel ?speakerLabel }
  OPTIONAL { ?stmt cg:onBehalfOf/skos:prefLabel ?behalfLabel }
  OPTIONAL { ?stmt cg:date ?date }
  OPTIONAL { ?stmt cg:summary ?summary }
  OPTIONAL { ?stmt cg:quote ?quote }
  OPTIONAL { ?stmt cg:citation ?citation }
}"""

_STATEMENTS_BY = SPARQL_PREFIXES + """
SELECT DISTINCT ?stmt ?role ?source ?sourceTitle ?speakerLabel ?behalfLabel ?date ?summary ?quote WHERE {
  { ?stmt cg:speaker ?e . BIND("speaker" AS ?role) } UNION { ?stmt cg:onBehalfOf ?e . BIND("on behalf of" AS ?role) }
  ?stmt cg:reportedIn ?source .
  OPTIONAL { ?source dct:title ?sourceTitle }
  OPTIONAL { ?stmt cg:speaker/skos:prefLabel ?speakerLabel }
  OPTIONAL { ?stmt cg:onBehalfOf/skos:prefLabel ?behalfLabel }
  OPTIONAL { ?stmt cg:date ?date }
  OPTIONAL { ?stmt cg:summary ?summary }
  OPTIONAL { ?stmt cg:quote ?quote }
} ORDER BY ?date"""

_CLAIMS = SPARQL_PREFIXES + """
SELECT DISTINCT ?claim ?how ?quantityLabel ?value ?valueMax ?comparatorLabel ?dateValue ?proposition
       ?claimantLabel ?aboutLabel ?asOf ?statusLabel WHERE {
  { ?claim cg:claimant ?e . BIND("by" AS ?how) } UNION { ?claim cg:about ?e . BIND("about" AS ?how) }
  UNION { ?claim cg:object ?e . BIND("names" AS ?how) }
  ?claim a cg:Claim .
  OPTIONAL { ?claim cg:quantity/skos:prefLabel ?quantityLabel }
  OPTIONAL { ?claim cg:value ?value } OPTIONAL { ?claim cg:valueMax ?valueMax }
  OPTIONAL { ?claim cg:comparator/rdfs:label ?comparatorLabel }
  OPTIONAL { ?claim cg:dateValue ?dateValue } OPTIONAL { ?claim cg:proposition ?proposition }
  OPTIONAL { ?claim cg:claimant/skos:prefLabel ?claimantLabel }
  OPTIONAL { ?claim cg:about/skos:prefLabel ?aboutLabel }
  OPTIONAL { ?claim cg:asOf ?asOf }
  OPTIONAL { ?claim cg:status/rdfs:label ?statusLabel }
} ORDER BY ?asOf"""

_EVENT_TYPE = """
  ?event a ?type . ?type rdfs:subClassOf* cg:Event .
}"""
# What the list of an entity's events shows of each, read by lookups for the events listed
# (conflictgraph.query.lookup: an OPTIONAL per fact would read it for every event in the store)
_EVENT_DATE = {"date": "cg:date"}  # (every event's: they are listed by it)
_EVENT_DETAILS = {"label": "skos:prefLabel", "place": "cg:place/skos:prefLabel"}

# Events the entity took part in, happened at it or belong to it; and, in a query of its own,
# events somewhere within it. As one more UNION branch, the place path was walked from every
# event before the entity was bound (measured: 5 s on a store of 100,000 events).
_EVENTS = SPARQL_PREFIXES + """
SELECT DISTINCT ?event ?type ?how WHERE {
  { ?event cg:sideA ?e . BIND("side A" AS ?how) } UNION { ?event cg:sideB ?e . BIND("side B" AS ?how) }
  UNION { ?event cg:associatedWith ?e . BIND("associated" AS ?how) }
  UNION { ?event cg:initiator ?e . BIND("initiator" AS ?how) }
  UNION { ?event cg:recipient ?e . BIND("recipient" AS ?how) }
  UNION { ?event cg:place ?e . BIND("here" AS ?how) }
  UNION { ?event cg:partOf ?e . BIND("part of" AS ?how) }""" + _EVENT_TYPE

# ?e is projected so the engine takes it as a constant and walks the place path from it (bound
# by a VALUES block, it walked from every place: minutes for a region with 7,000 events).
_EVENTS_WITHIN = SPARQL_PREFIXES + """
SELECT DISTINCT ?e ?event ?type ?how WHERE {
  ?place cg:locatedIn+ ?e . ?event cg:place ?place . BIND("within" AS ?how)""" + _EVENT_TYPE

_HOW = ["side A", "side B", "associated", "initiator", "recipient", "here", "part of", "within"]  # as listed
_CONTAINS_PLACES = SPARQL_PREFIXES + "ASK { ?place cg:locatedIn ?e }"

# The events the entity is on a side of; their sides are then looked up and paired as the
# event-tie table pairs them (side A with the actors associated with it, against side B; any
# term, where the table leaves an event with a side that is no IRI to the store). Asked as a
# pattern per pairing with ?e bound, the engine walked the same events four times (on a million
# events, 4.3 s for an actor in 9,000 of them, against 1.4 s). The labels and what the events
# say (_COUNTERPART_FACTS) are read by lookups too.
_SIDED_EVENTS = SPARQL_PREFIXES + "SELECT DISTINCT ?event WHERE { ?event cg:sideA|cg:sideB|cg:associatedWith ?e }"
_SIDES = {"A": "cg:sideA|cg:associatedWith", "B": "cg:sideB"}
_COUNTERPART_FACTS = {"earliest": "cg:earliest", "latest": "cg:latest", "best": "cg:fatalitiesBest",
                      "low": "cg:fatalitiesLow", "high": "cg:fatalitiesHigh"}

# The runs that imported a dataset (its Source), from the import log, oldest first.
_IMPORT_RUNS = SPARQL_PREFIXES + """
SELECT ?run ?started ?file ?hash ?version ?read ?imported ?rejected ?new ?updated ?unchanged ?missing WHERE {
  ?run a cg:ImportRun ; cg:dataset ?e ; prov:startedAtTime ?started ; cg:fileName ?file ; cg:fileHash ?hash ;
       cg:rowsRead ?read ; cg:rowsImported ?imported ; cg:rowsRejected ?rejected ; cg:eventsNew ?new ;
       cg:eventsUpdated ?updated ; cg:eventsUnchanged ?unchanged ; cg:eventsMissing ?missing .
  OPTIONAL { ?run dct:hasVersion ?version }
} ORDER BY ?started ?run"""

_PLACES = SPARQL_PREFIXES + """
SELECT DISTINCT ?direction ?place ?placeLabel ?type ?graph WHERE {
  { ?e cg:locatedIn+ ?place . BIND("within" AS ?direction) }
  UNION { ?place cg:locatedIn+ ?e . BIND("contains" AS ?direction) }
  ?place skos:prefLabel ?placeLabel .
  OPTIONAL { ?place a ?type . FILTER(STRSTARTS(STR(?type), STR(cg:))) }
}"""


# A statement's columns that can hold several actors (one query row each).
_MANY_PEOPLE = ["speaker", "on_behalf_of"]

# Curators' remarks on a tie: shown as notes, not as the tie's other ends.
_NOTE_PROPERTIES = {"cg:note", "cg:startDerivation", "cg:endDerivation", "cg:dateDerivation"}


def _text(value) -> str | None:
    return None if value is None else str(value)


def describe(store: Store, iri: IRI, known: KnownCounterparts | None = None, *,
             detailed: slice | None = None) -> dict:
    """A JSON-ready report on ``iri``: labels, types, its own facts, relationships with their
    evidence, places, events, counterparts (``known``: what an event-tie table says of them;
    see :func:`counterparts`), statements by it, claims by or about it, and for an imported
    dataset's Source the runs that imported it. Events come in date order; only the
    ``detailed`` ones (a slice of it, e.g. the page a text report shows; None: all) have their
    label and place (a million events: a minute for an actor in most of them)."""
    bind = {"e": iri}
    labels, alt, types, definition, generic = [], [], [], None, False
    for row in store.query(_BASICS, bindings=bind):
        p = shorten(as_node(row["p"]))
        if p == "skos:prefLabel" and str(row["o"]) not in labels:
            labels.append(str(row["o"]))
        elif p == "skos:altLabel":  # a name an imported dataset gives it (a confirmed match) says which
            dataset = str(row["g"]).removeprefix(DATASET_GRAPHS) if str(row["g"]).startswith(DATASET_GRAPHS) else ""
            alt.append(f"{row['o']}" + (f" @{row['lang']}" if str(row["lang"] or "") not in ("", "en") else "")
                       + (f" (in {dataset})" if dataset else ""))
        elif p == "skos:definition":
            definition = str(row["o"])
        elif p == "rdf:type" and shorten(as_node(row["o"])) not in types:
            types.append(shorten(as_node(row["o"])))
        elif p == "cg:generic":
            generic = str(row["o"]) in ("true", "1")  # Virtuoso writes a boolean as 1

    evidence: dict[str, list[dict]] = defaultdict(list)
    for row in store.query(_EVIDENCE, bindings=bind):
        evidence[str(row["node"])].append(_statement(row))
    for node, statements in evidence.items():  # a statement for two actors is one statement
        evidence[node] = merge_rows(statements, _MANY_PEOPLE)

    ties: dict[str, dict] = {}
    for row in store.query(_with_classes(store, _TIES), bindings=bind):
        kind = (shorten(as_node(row["type"])), shorten(as_node(row["myRole"])))
        tie = ties.setdefault(str(row["tie"]), {
            "tie": shorten(as_node(row["tie"])), "type": kind[0], "role": kind[1],
            "start": _text(row["start"]), "end": _text(row["end"]), "with": [], "notes": [],
            "statements": evidence.get(str(row["tie"]), []),
        })
        if kind < (tie["type"], tie["role"]):  # a tie of two types, or in two roles: the first in sort order
            tie["type"], tie["role"] = kind
        if row["prop"] is not None and shorten(as_node(row["prop"])) in _NOTE_PROPERTIES:
            note = f"{shorten(as_node(row['prop'])).split(':')[1]}: {row['otherLabel']}"
            if note not in tie["notes"]:
                tie["notes"].append(note)
        elif row["prop"] is not None and row["other"] != iri:  # Virtuoso 7.2 skips the OPTIONAL's FILTER on ?e
            other = {"property": shorten(as_node(row["prop"])), "value": str(row["otherLabel"]),
                     "iri": str(row["other"]) if isinstance(row["other"], IRI) else None}
            if other not in tie["with"]:
                tie["with"].append(other)
    for tie in ties.values():
        tie["sources"] = sorted({s["source"] for s in tie["statements"]})

    facts = _facts(store, bind)
    titles = [f["value"] for f in facts if f["property"] == "dct:title"]  # a source is named by its title
    return {
        "iri": str(iri),
        "label": labels[0] if labels else titles[0] if titles else shorten(iri),
        "aliases": sorted(set(alt)),
        "types": sorted(set(types)),
        "generic": generic,
        "definition": definition,
        "facts": facts,
        "relationships": sorted(ties.values(), key=lambda t: (t["type"], t["start"] or "", t["tie"])),
        "places": [{"direction": str(r["direction"]), "place": str(r["placeLabel"]), "iri": str(r["place"]),
                    "type": shorten(as_node(r["type"])) if r["type"] else None}
                   for r in store.query(_PLACES, bindings=bind)],
        "events": _events(store, bind, evidence, detailed),
        "counterparts": counterparts(store, iri, known),
        "statements": merge_rows([dict(_statement(r), role=str(r["role"]))
                                  for r in store.query(_STATEMENTS_BY, bindings=bind)], ["role", *_MANY_PEOPLE]),
        "imports": [{k: as_python(v) for k, v in r.items() if v is not None} | {"run": shorten(as_node(r["run"]))}
                    for r in store.query(_IMPORT_RUNS, bindings=bind)],
        "claims": [dict(c, statements=evidence.get(expand(c["claim"]), [])) for c in merge_rows(
            [dict({k: as_python(v) for k, v in r.items() if k != "claim"}, claim=shorten(as_node(r["claim"])))
             for r in store.query(_CLAIMS, bindings=bind)], ["how", "claimantLabel", "aboutLabel"])],
    }


def _facts(store: Store, bind: dict) -> list[dict]:
    """The entity's own facts (see ``_FACT_NAMES``), in display order, one entry per value.

    A value with several names (two titles, say) is shown once, under the first in sort order."""
    facts: dict[tuple, dict] = {}
    for row in store.query(_FACTS, bindings=bind):
        value, iri = str(row["label"] or row["o"]), shorten(row["o"]) if isinstance(row["o"], IRI) else None
        if row["wkt"] is not None:  # a geometry node: its point says more than its IRI
            value, iri = f"{row['wkt']}" + (f" ({row['precision']})" if row["precision"] is not None else ""), None
        fact = {"property": shorten(as_node(row["p"])), "name": _FACT_NAMES[shorten(as_node(row["p"]))],
                "value": str(value), "iri": iri}
        key = (fact["property"], str(row["o"]))
        if key not in facts or fact["value"] < facts[key]["value"]:
            facts[key] = fact
    order = list(_FACT_NAMES)
    return sorted(facts.values(), key=lambda f: (order.index(f["property"]), f["value"]))


def _events(store: Store, bind: dict, evidence: dict, detailed: slice | None) -> list[dict]:
    """Events the entity took part in, happened at it or within it, or belong to it; by date.
    Only the ``detailed`` ones (a slice of that order; None: all) get their label and place.
    An event with several labels, dates or places shows the first of each in sort order."""
    rows = store.query(_with_classes(store, _EVENTS), bindings=bind).rows
    if store.query(_CONTAINS_PLACES, bindings=bind).boolean:  # the path query is slow for the rest
        rows += store.query(_with_classes(store, _EVENTS_WITHIN), bindings=bind).rows
    events: dict[str, dict] = {}
    nodes: dict[str, object] = {}  # (the terms: lookups tell blank nodes from IRIs)
    for r in rows:
        iri = str(r["event"])
        nodes[iri] = r["event"]
        event = events.setdefault(iri, {
            "event": shorten(as_node(r["event"])), "label": None, "types": [], "how": [], "date": None,
            "place": None, "statements": evidence.get(iri, [])})
        for key, value in (("types", shorten(as_node(r["type"]))), ("how", str(r["how"]))):
            if value not in event[key]:
                event[key].append(value)
    _fill(store, events, nodes, _EVENT_DATE)
    listed = sorted(events, key=lambda iri: (events[iri]["date"] or "", events[iri]["event"]))
    _fill(store, {iri: events[iri] for iri in (listed if detailed is None else listed[detailed])}, nodes,
          _EVENT_DETAILS)
    for event in events.values():
        event["types"].sort()
        event["how"].sort(key=_HOW.index)  # (in the order of _EVENTS's branches)
    return [events[iri] for iri in listed]


def _fill(store: Store, events: dict[str, dict], nodes: dict[str, object], properties: dict[str, str]) -> None:
    """Give each of ``events`` (keyed by node text; ``nodes``: their terms) the smallest value of
    each of ``properties``."""
    for node, name, value in property_values(store, [nodes[iri] for iri in events], properties):
        event = events[node]
        if event[name] is None or value < event[name]:
            event[name] = value


@dataclass(frozen=True)
class KnownCounterparts:
    """What an event-tie table (:mod:`conflictgraph.network.ties`, which the API reads and
    hands over) says of one actor's counterparts: ``rows`` as :func:`counterparts` gives them,
    without labels, for the events it holds; ``residual``, the events with sides it does not
    hold, which the store is asked about."""

    rows: list[dict]
    residual: Sequence[str]


def counterparts(store: Store, iri: IRI, known: KnownCounterparts | None = None) -> list[dict]:
    """The actors ``iri`` fought against (``opponent``) or alongside (``ally``) in events, each
    with its events, deaths (per event the largest best estimate, else low, else high; None
    when no event has a count), the first and last day they can have been on (the smallest
    ``cg:earliest``, the largest ``cg:latest``); most events first. With ``known``, the store
    is asked about its residual events only.

    >>> from conflictgraph.build.pipeline import build_store
    >>> from conflictgraph.rdf.namespaces import ID
    >>> store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
    >>> [(c["relation"], c["label"], c["events"]) for c in counterparts(store, IRI(ID + "actor/rla"))][:1]
    [('opponent', 'Nordland Armed Forces', 1)]
    """
    rows = list(_counterpart_rows(store, iri, None if known is None else known.residual))
    facts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for event, name, value in property_values(store, {row["event"] for row in rows}, _COUNTERPART_FACTS):
        facts[event][name].append(value[:10] if name in ("earliest", "latest") else value)
    found: dict[tuple[str, str], dict] = {}
    for row in rows:
        key = (str(row["relation"]), str(row["other"]))
        item = found.setdefault(key, {"relation": key[0], "iri": key[1], "events": set(), "deaths": {},
                                      "first": None, "last": None})
        event = str(row["event"])
        item["events"].add(event)
        said = facts.get(event, {})
        count = next((c for c in (_largest(said.get(k, [])) for k in ("best", "low", "high")) if c is not None), None)
        if count is not None:
            item["deaths"][event] = count
        item["first"] = _least(item["first"], min(said.get("earliest", []), default=None))
        item["last"] = _most(item["last"], max(said.get("latest", []), default=None))
    merged = {key: dict(item, events=len(item["events"]),
                        deaths=sum(item["deaths"].values()) if item["deaths"] else None)
              for key, item in found.items()}
    for row in known.rows if known is not None else []:
        key = (row["relation"], row["iri"])
        item = merged.setdefault(key, dict(row, events=0, deaths=None, first=None, last=None))
        item["events"] += row["events"]
        item["deaths"] = _plus(item["deaths"], row["deaths"])
        item["first"], item["last"] = _least(item["first"], row["first"]), _most(item["last"], row["last"])
    others = {str(row["other"]): row["other"] for row in rows}  # (terms: a side may be a blank node or a name)
    labels: dict[str, str] = {}
    for other, _name, label in property_values(store, {others.get(o) or IRI(o) for _r, o in merged},
                                               {"label": "skos:prefLabel"}):
        labels[other] = min(label, labels.get(other, label))
    shown = [dict(item, label=labels.get(item["iri"]) or shorten(item["iri"])) for item in merged.values()]
    return sorted(shown, key=lambda r: (r["relation"] != "opponent", -r["events"], r["label"], r["iri"]))


def _counterpart_rows(store: Store, iri: IRI, residual: Sequence[str] | None) -> Iterator[dict]:
    """``relation``, ``other``, ``event`` of every event tying ``iri`` to another actor, or of the
    ``residual`` events only: the events' sides looked up (:data:`_SIDES`) and paired here."""
    if residual is None:
        events = [row["event"] for row in store.query(_SIDED_EVENTS, bindings={"e": iri}).rows]
    else:
        events = [IRI(event) if ":" in event else BNode(event) for event in residual]  # a blank id has no colon
    nodes = {str(event): event for event in events}
    sides: dict[str, dict[str, set[Term]]] = defaultdict(lambda: {"A": set(), "B": set()})
    for event, side, actor in property_terms(store, events, _SIDES):
        sides[event][side].add(actor)
    for event, of in sides.items():
        for mine, theirs in ((of["A"], of["B"]), (of["B"], of["A"])):
            if iri in mine:
                for relation, others in (("opponent", theirs), ("ally", mine)):
                    for other in others - {iri}:
                        yield {"relation": relation, "other": other, "event": nodes[event]}


def _plus(a: int | None, b: int | None) -> int | None:
    """The sum of two counts, either of which may be None (none when both are)."""
    return a if b is None else b if a is None else a + b


def _least(a: str | None, b: str | None) -> str | None:
    """The earlier of two ISO days, either of which may be None."""
    return a if b is None else b if a is None else min(a, b)


def _most(a: str | None, b: str | None) -> str | None:
    """The later of two ISO days, either of which may be None."""
    return a if b is None else b if a is None else max(a, b)


def _largest(counts: list[str]) -> int | None:
    """The largest of ``counts`` that is a whole number (not below zero), None when none is."""
    return max((c for c in map(whole_count, counts) if c is not None), default=None)


def _statement(row: dict) -> dict:
    return {
        "statement": shorten(row["stmt"]),
        "source": shorten(row["source"]),
        "source_title": _text(row.get("sourceTitle")),
        "speaker": _text(row.get("speakerLabel")),
        "on_behalf_of": _text(row.get("behalfLabel")),
        "date": _text(row.get("date")),
        "summary": _text(row.get("summary")),
        "quote": _text(row.get("quote")),
        "citation": _text(row.get("citation")),
    }
