"""Match the actor and place names of event data with the actors and places the graph knows.

Actors. A name is compared after :func:`conflictgraph.query.resolve.fold` (case, punctuation,
spacing and Defence/Defense-style variants ignored) with the preferred and alternative labels
of every actor outside the dataset graphs (curated and reference data, including the dataset
name forms of ``graph/reference/dataset-names.ttl``). The first of these forms that names
exactly one actor wins:

1. the name as written ("Karenni Army", "Civilians (Myanmar)");
2. the descriptive part of ACLED's "ACRONYM: Full name" form ("KNDF: Karenni Nationalities
   Defence Force" -> "Karenni Nationalities Defence Force");
3. either of those without trailing parentheses ("Military Forces of Myanmar (2021-)" ->
   "Military Forces of Myanmar").

A bare acronym prefix alone never decides ("PDF: Mandalay PDF" is not the PDF collective), and
a name that several actors share is not guessed. Civilians, unidentified or unknown groups,
protesters and rioters that match no known actor become generic actors (``cg:GenericActor``,
``cg:generic true``). Any other name becomes a new actor ``actor:dataset-<slug>`` in the dataset
graph, flagged ``cg:unreconciled true``; ``conflictgraph reconcile`` lists those with their event
counts and likely matches, and one ``skos:altLabel`` triple in the reference data maps the name
to a known actor on the next import.

Places. Each level of a row's hierarchy (country, state/region, district, township, location)
matches a known place of a fitting class by label, also with a trailing "state", "region",
"district", "township", "town" or "village" dropped or "Township" added; among several, the one
inside the narrowest level matched above it wins. The levels below the narrowest known place
that match nothing become new places ``place:dataset-<slug>-<hash of the hierarchy>``, each
located in the one above; unknown levels above a known place are left out (a district the
graph does not hold, above a known town, would be an empty node beside the town's own
township).

Examples
--------
>>> name_forms("KNDF: Karenni Nationalities Defence Force")
['KNDF: Karenni Nationalities Defence Force', 'Karenni Nationalities Defence Force']
>>> name_forms("Military Forces of Myanmar (2021-)")
['Military Forces of Myanmar (2021-)', 'Military Forces of Myanmar']
"""
from __future__ import annotations

import difflib
import hashlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from conflictgraph.build.matches import DATASET_ACTORS, DATASET_PLACES, made_by_imports, read_matches
from conflictgraph.importers.common import RDF_TYPE, SKOS, ActorRef, PlaceLevel, slug
from conflictgraph.query.resolve import fold
from conflictgraph.rdf.namespaces import CG, DATASET_GRAPHS, SPARQL_PREFIXES
from conflictgraph.rdf.terms import IRI, XSD, Literal, Term, lexical
from conflictgraph.store.base import Dataset, Store

__all__ = ["PLACE_SUFFIXES", "name_forms", "name_words", "ActorMatch", "Reconciler", "unreconciled_actors"]

_TRUE = Literal("true", XSD + "boolean")
_GENERIC_WORDS = ("civilians", "civilian", "unidentified", "unknown", "protesters", "rioters")
PLACE_SUFFIXES = ("state", "region", "division", "district", "township", "town", "city", "village")

# Names in the curated and reference graphs: the query runs over a dataset whose named graphs
# leave the imported datasets out (:func:`_curated`). Neither a FILTER on the graph's name nor
# the path skos:prefLabel|skos:altLabel: Virtuoso 7.2 answers no row when either meets a
# transitive path (subClassOf*) in one query.
_ACTORS = SPARQL_PREFIXES + """
SELECT ?actor ?name ?preferred ?kind WHERE {
  GRAPH ?g { { ?actor skos:prefLabel ?name } UNION { ?actor skos:altLabel ?name } }
  ?actor a ?kind . ?kind rdfs:subClassOf* cg:Actor .
  BIND (EXISTS { ?actor skos:prefLabel ?name } AS ?preferred)
}"""

_PLACES = SPARQL_PREFIXES + """
SELECT ?place ?name ?kind ?parent WHERE {
  GRAPH ?g { { ?place skos:prefLabel ?name } UNION { ?place skos:altLabel ?name } }
  ?place a ?kind . ?kind rdfs:subClassOf* cg:Place .
  OPTIONAL { ?place cg:locatedIn ?parent }
}"""


def _curated(store: Store) -> Dataset:
    """Every graph as the default graph; as named graphs, all but the imported datasets'."""
    graphs = store.named_graphs()
    return Dataset(tuple(graphs), tuple(g for g in graphs if not g.startswith(DATASET_GRAPHS)))


def name_forms(name: str) -> list[str]:
    """The forms of a dataset's actor name tried in turn (see the module docstring)."""
    name = " ".join(name.split())
    forms = [name]
    prefix, sep, rest = name.partition(": ")
    if sep and rest.strip():
        forms.append(rest.strip())
    for form in list(forms):
        bare = re.sub(r"(\s*\([^()]*\))+$", "", form).strip()
        if bare and bare not in forms:
            forms.append(bare)
    return forms


@dataclass(frozen=True)
class ActorMatch:
    """How a name was attached: ``status`` is "known", "generic" or "unreconciled"."""

    iri: IRI
    status: str
    triples: tuple[tuple[IRI, IRI, Term], ...] = ()


@lru_cache(maxsize=1)
def _glossary() -> tuple[frozenset[str], dict[str, str]]:
    """The minor words and the word translations of ``glossary.toml`` (beside this module)."""
    data = tomllib.loads(Path(__file__).with_name("glossary.toml").read_text(encoding="utf-8"))
    return frozenset(data["minor"]), dict(data["words"])


@lru_cache(maxsize=65536)
def name_words(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A name's significant words in their English forms (``glossary.toml``), sorted, and the
    translations used: two names with the same words are likely one actor written in two
    languages or word orders.

    >>> name_words("Cartel del Golfo")
    (('cartel', 'gulf'), ('golfo = gulf',))
    >>> name_words("Frente de Liberación Nacional")[0] == name_words("National Liberation Front")[0]
    True
    """
    minor, words = _glossary()
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    found, translated = [], []
    for word in re.findall(r"[^\W_]+", text):
        if word in minor:
            continue
        english = words.get(word, word)
        if english != word:
            translated.append(f"{word} = {english}")
        found.append(english)
    return tuple(sorted(found)), tuple(translated)


def _variant_reason(name: str, other: str) -> str | None:
    """Why ``name`` may be ``other`` written in another language or word order, or None."""
    words, translated = name_words(name)
    other_words, other_translated = name_words(other)
    if len(words) < 2 or words != other_words or _fold(name) == _fold(other):
        return None
    used = sorted(set(translated) | set(other_translated))
    return f"same words in another language: {', '.join(used)}" if used else "same words in another order"


@lru_cache(maxsize=65536)
def _fold(name: str) -> str:
    """:func:`conflictgraph.query.resolve.fold`, cached: event data repeats the same names."""
    return fold(name)


@dataclass
class _Index:
    by_key: dict[str, set[IRI]] = field(default_factory=dict)
    preferred: dict[str, set[IRI]] = field(default_factory=dict)
    kinds: dict[IRI, set[str]] = field(default_factory=dict)
    by_words: dict[tuple[str, ...], dict[IRI, str]] = field(default_factory=dict)  # name_words -> iri -> name

    def add(self, iri: IRI, name: str, kind: str, preferred: bool) -> None:
        key = _fold(name)
        if key:
            self.by_key.setdefault(key, set()).add(iri)
            if preferred:
                self.preferred.setdefault(key, set()).add(iri)
        self.kinds.setdefault(iri, set()).add(kind)

    def add_words(self, iri: IRI, name: str) -> None:
        """Index ``name`` by its words (for proposing names written in another language)."""
        self.by_words.setdefault(name_words(name)[0], {}).setdefault(iri, name)

    def lookup(self, name: str, kinds: tuple[str, ...] | None = None) -> set[IRI]:
        key = _fold(name)
        found = self.by_key.get(key, set())
        if kinds:
            found = {i for i in found if self.kinds.get(i, set()) & set(kinds)}
        if len(found) > 1:
            preferred = found & self.preferred.get(key, set())
            if len(preferred) == 1:
                return preferred
        return found


class Reconciler:
    """Attach actor and place names to the graph's actors and places, caching every answer.

    Built once per import from the store (curated and reference data only; earlier imports do
    not reconcile with themselves).
    """

    def __init__(self, store: Store):
        self.actors = _Index()
        curated = _curated(store)
        for row in store.query(_ACTORS, dataset=curated):  # a boolean, or 1/0 from Virtuoso
            self.actors.add(IRI(row["actor"]), str(row["name"]), str(row["kind"]),
                            row["preferred"] is not None and lexical(row["preferred"]) in ("true", "1"))
            self.actors.add_words(IRI(row["actor"]), str(row["name"]))
        self.places = _Index()
        self.parents: dict[IRI, set[IRI]] = {}
        for row in store.query(_PLACES, dataset=curated):
            iri = IRI(row["place"])
            self.places.add(iri, str(row["name"]), str(row["kind"]), False)
            if row["parent"] is not None:
                self.parents.setdefault(iri, set()).add(IRI(row["parent"]))
        self.merged = read_matches(store)  # confirmed owl:sameAs lines: node that goes -> node that stays
        self._actor_cache: dict[tuple[str, str], ActorMatch] = {}
        self._place_cache: dict[tuple[str, ...], tuple[IRI, list[tuple[IRI, IRI, Term]]]] = {}
        self._known_cache: dict[tuple, IRI | None] = {}  # (name, kinds, parent) -> known place

    # Actors ------------------------------------------------------------------------------

    def actor(self, ref: ActorRef) -> ActorMatch:
        """The actor a name refers to (cached per name and kind)."""
        cache_key = (ref.name, ref.kind)
        match = self._actor_cache.get(cache_key)
        if match is None:
            match = self._actor_cache[cache_key] = self._match_actor(ref)
        return match

    def _match_actor(self, ref: ActorRef) -> ActorMatch:
        for form in name_forms(ref.name):
            found = self.actors.lookup(form)
            if len(found) == 1:
                return ActorMatch(next(iter(found)), "known")
            if len(found) > 1:
                break  # several actors share the name: do not guess
        iri = IRI(DATASET_ACTORS + slug(ref.name))
        name = Literal(" ".join(ref.name.split()), lang="en")
        stays = self.merged.get(iri)
        if stays is not None:  # a confirmed match: this dataset's name goes to the node that stays
            return ActorMatch(IRI(stays), "unreconciled" if made_by_imports(stays) else "known",
                              ((IRI(stays), IRI(SKOS + "altLabel"), name),))
        label = (iri, IRI(SKOS + "prefLabel"), name)
        words = fold(ref.name.split(" ", 1)[0])
        if ref.kind == CG.GenericActor or words in _GENERIC_WORDS:
            return ActorMatch(iri, "generic", (label, (iri, RDF_TYPE, IRI(CG.GenericActor)),
                                               (iri, IRI(CG.generic), _TRUE)))
        return ActorMatch(iri, "unreconciled", (label, (iri, RDF_TYPE, IRI(ref.kind)),
                                                (iri, IRI(CG.unreconciled), _TRUE)))

    def name_counts(self) -> dict[str, int]:
        """How many distinct names were attached so far, by status (known, generic, unreconciled)."""
        counts = {"known": 0, "generic": 0, "unreconciled": 0}
        statuses: dict[str, str] = {}
        for (name, _kind), match in self._actor_cache.items():
            statuses.setdefault(name, match.status)
        for status in statuses.values():
            counts[status] += 1
        return counts

    # Places ------------------------------------------------------------------------------

    def place(self, levels: list[PlaceLevel]) -> tuple[IRI, list[tuple[IRI, IRI, Term]]] | None:
        """The place of the narrowest level, and triples for any levels the graph lacks."""
        if not levels:
            return None
        key = tuple(f"{lv.new_class}|{lv.name.strip()}" for lv in levels)
        cached = self._place_cache.get(key)
        if cached is None:
            cached = self._place_cache[key] = self._match_places(levels)
        return cached

    def _ancestors(self, iri: IRI) -> set[IRI]:
        seen, todo = set(), [iri]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen

    def _match_places(self, levels: list[PlaceLevel]) -> tuple[IRI, list[tuple[IRI, IRI, Term]]]:
        known: IRI | None = None  # the narrowest level matched so far
        unknown: list[tuple[str, str, str]] = []  # levels below it that match nothing: (name, path, class)
        path: list[str] = []
        for level in levels:
            name = " ".join(level.name.split())
            path.append(_fold(name))
            key = (name, level.kinds, known)
            found = self._known_cache[key] if key in self._known_cache else \
                self._known_cache.setdefault(key, self._known_place(name, level.kinds, known))
            if found is None:
                unknown.append((name, "/".join(path), level.new_class))
            else:  # a known place's own hierarchy stands: unknown levels above it are left out
                known, unknown = found, []
        parent = known
        triples: list[tuple[IRI, IRI, Term]] = []
        for name, where, new_class in unknown:
            digest = hashlib.sha1(where.encode()).hexdigest()[:6]
            found = IRI(DATASET_PLACES + slug(name) + "-" + digest)
            stays = self.merged.get(found)
            if stays is not None:  # a confirmed match: the node that stays keeps its class and its parent
                triples.append((IRI(stays), IRI(SKOS + "altLabel"), Literal(name, lang="en")))
                parent = IRI(stays)
                continue
            triples += [(found, RDF_TYPE, IRI(new_class)), (found, IRI(SKOS + "prefLabel"), Literal(name, lang="en"))]
            if parent is not None:
                triples.append((found, IRI(CG.locatedIn), parent))
            parent = found
        assert parent is not None  # levels is not empty
        return parent, triples

    def _known_place(self, name: str, kinds: tuple[str, ...], parent: IRI | None) -> IRI | None:
        forms = [name]
        words = name.rsplit(" ", 1)
        if len(words) == 2 and words[1].lower() in PLACE_SUFFIXES:
            forms.append(words[0])
        if CG.Township in kinds:
            forms += [f + " Township" for f in list(forms)]
        for form in forms:
            found = self.places.lookup(form, kinds)
            if len(found) > 1 and parent is not None:
                inside = {f for f in found if parent in self._ancestors(f)}
                found = inside or found
            if len(found) == 1:
                return next(iter(found))
        return None

    # Suggestions -------------------------------------------------------------------------

    def likely(self, name: str, limit: int = 5) -> list[tuple[IRI, str]]:
        """Known actors a new name may be: acronym, the same words in another language or order,
        close spelling, name containment."""
        out: list[tuple[IRI, str]] = []
        forms = name_forms(name)
        for form in forms:
            for iri, known in sorted(self.actors.by_words.get(name_words(form)[0], {}).items()):
                why = _variant_reason(form, known)
                if why:
                    out.append((iri, f"{why} ({known})"))
        prefix, sep, _rest = name.partition(": ")
        if sep:
            for iri in sorted(self.actors.lookup(prefix)):
                out.append((iri, f"acronym {prefix}"))
        keys = list(self.actors.by_key)
        for form in forms:
            for key in difflib.get_close_matches(fold(form), keys, n=3, cutoff=0.75):
                for iri in sorted(self.actors.by_key[key]):
                    out.append((iri, "similar spelling"))
        folded = fold(forms[-1])
        if len(folded) >= 4:
            for key in keys:
                if len(key) >= 4 and key != folded and (key in folded or folded in key):
                    for iri in sorted(self.actors.by_key[key]):
                        out.append((iri, "name contains" if key in folded else "name contained in"))
        seen, unique = set(), []
        for iri, why in out:
            if iri not in seen:
                seen.add(iri)
                unique.append((iri, why))
        return unique[:limit]


def _initials(name: str) -> str:
    """The initials of a name's significant words: 'Cartel de Jalisco Nueva Generacion' -> 'CJNG'."""
    words = [w for w in re.split(r"[\s\-–]+", name) if w and w.lower() not in _glossary()[0]]
    return "".join(w[0] for w in words).upper() if len(words) > 1 else ""


def _dropped(name: str, form: str) -> str:
    """What :func:`name_forms` dropped from ``name`` to get ``form``: 'NLF:', '(2016-)' or both."""
    if name.endswith(form):
        return name[:-len(form)].strip()
    if name.startswith(form):
        return name[len(form):].strip()
    return "the acronym and the parentheses"


def _kin_among(names: dict[IRI, str]) -> dict[IRI, list[tuple[IRI, str]]]:
    """Proposals between names no curated actor matched: the same words in another language
    or order, a faction or splinter written "X - Y" of an actor named X, and an acronym of
    another name (with the evidence, as words).

    >>> a, b, c = (IRI(f"https://w3id.org/conflictgraph/id/actor/{x}") for x in "abc")
    >>> kin = _kin_among({a: "Sinaloa Cartel", b: "Sinaloa Cartel - Los Chapitos", c: "SC"})
    >>> [why for _iri, why in kin[b]], [why for _iri, why in kin[c]]
    (['faction of Sinaloa Cartel'], ['acronym of Sinaloa Cartel'])
    >>> [why for _iri, why in kin[a]]
    ['has the faction Sinaloa Cartel - Los Chapitos', 'its acronym SC']
    >>> d = IRI("https://w3id.org/conflictgraph/id/actor/d")
    >>> _kin_among({a: "Gulf Cartel", d: "Cartel del Golfo"})[d]
    [(IRI('https://w3id.org/conflictgraph/id/actor/a'), 'same words in another language: golfo = gulf (Gulf Cartel)')]
    """
    by_name = {fold(name): iri for iri, name in names.items()}
    by_initials: dict[str, list[IRI]] = {}
    for iri, name in names.items():
        if _initials(name):
            by_initials.setdefault(_initials(name), []).append(iri)
    by_words: dict[tuple[str, ...], list[IRI]] = {}
    for iri, name in names.items():
        by_words.setdefault(name_words(name)[0], []).append(iri)
    kin: dict[IRI, list[tuple[IRI, str]]] = {}
    for iri, name in names.items():
        for form in name_forms(name)[1:]:  # "NLF: Northern Liberation Front" -> "Northern Liberation Front"
            other = by_name.get(fold(form))
            if other is not None and other != iri:
                kin.setdefault(iri, []).append((other, f"same name without {_dropped(name, form)!r}"))
                kin.setdefault(other, []).append((iri, f"same name as {name}"))
        for other in by_words.get(name_words(name)[0], []):
            why = _variant_reason(name, names[other]) if other != iri else None
            if why:
                kin.setdefault(iri, []).append((other, f"{why} ({names[other]})"))
        head, sep, _tail = name.partition(" - ")
        parent = by_name.get(fold(head)) if sep else None
        if parent is not None and parent != iri:
            kin.setdefault(iri, []).append((parent, f"faction of {names[parent]}"))
            kin.setdefault(parent, []).append((iri, f"has the faction {name}"))
        for other in by_initials.get(re.sub(r"[^A-Za-z]", "", name).upper(), []):
            if other != iri:
                kin.setdefault(iri, []).append((other, f"acronym of {names[other]}"))
                kin.setdefault(other, []).append((iri, f"its acronym {name}"))
    return kin


_UNRECONCILED = SPARQL_PREFIXES + """
SELECT ?actor ?name ?g (COUNT(DISTINCT ?event) AS ?events) WHERE {
  GRAPH ?g { ?actor cg:unreconciled true ; skos:prefLabel ?name .
             OPTIONAL { ?event cg:sideA|cg:sideB|cg:associatedWith|cg:initiator|cg:recipient|cg:party ?actor } }
} GROUP BY ?actor ?name ?g ORDER BY DESC(?events) ?name"""

_WINGS = SPARQL_PREFIXES + """
SELECT ?a ?how ?b ?bLabel WHERE {
  VALUES ?a { %s }
  { ?a cg:armedWingOf ?b BIND("armed wing of" AS ?how) } UNION { ?b cg:armedWingOf ?a BIND("has armed wing" AS ?how) }
  UNION { ?a cg:politicalWingOf ?b BIND("political wing of" AS ?how) }
  UNION { ?b cg:politicalWingOf ?a BIND("has political wing" AS ?how) }
  ?b skos:prefLabel ?bLabel .
}"""

# Known actors on the same side as each unreconciled actor, for all of them in one query: one
# bound query per actor took seconds each on a store of 100,000 events (the engine evaluated
# the join before the binding), and an import can leave hundreds of names unreconciled.
_SHARED = SPARQL_PREFIXES + """
SELECT ?actor ?other ?label (COUNT(DISTINCT ?event) AS ?n) WHERE {
  ?actor cg:unreconciled true .
  { VALUES ?side { cg:sideA cg:sideB } ?event ?side ?actor . ?event ?side ?other }
  UNION { ?event cg:sideA ?actor ; cg:associatedWith ?other }
  FILTER (?other != ?actor)
  FILTER NOT EXISTS { ?other cg:unreconciled true }
  FILTER NOT EXISTS { ?other cg:generic true }
  ?other skos:prefLabel ?label .
} GROUP BY ?actor ?other ?label"""

_SHARED_SHOWN = 3  # known actors on the same side listed per unreconciled actor


def _same_side(store: Store) -> dict[IRI, list[tuple[IRI, int]]]:
    """For each unreconciled actor, the known actors most often on its side: (actor, events)."""
    found: dict[IRI, list[tuple[int, str, IRI]]] = {}
    for row in store.query(_SHARED).rows:
        found.setdefault(IRI(row["actor"]), []).append((int(lexical(row["n"])), str(row["label"]), IRI(row["other"])))
    return {actor: [(other, n) for n, _label, other in sorted(rows, key=lambda r: (-r[0], r[1]))[:_SHARED_SHOWN]]
            for actor, rows in found.items()}


def unreconciled_actors(store: Store, *, limit_matches: int = 4) -> list[dict]:
    """Actors the imports could not attach, with event counts and likely known matches.

    Each row: ``actor`` (IRI), ``name``, ``dataset`` (graph key), ``events``, ``likely`` (a
    list of "Label <actor:x> (why)" strings): acronyms, close spellings and names contained in
    each other, the wings and parents of those candidates, and known actors on the same side
    in the same events.

    Examples
    --------
    >>> from conflictgraph.store import open_store
    >>> unreconciled_actors(open_store())
    []
    """
    rows = store.query(_UNRECONCILED).rows
    if not rows:
        return []
    reconciler = Reconciler(store)
    label_rows = store.query(SPARQL_PREFIXES + "SELECT ?a ?l WHERE { ?a skos:prefLabel ?l . ?a a ?k . "
                                               "?k rdfs:subClassOf* cg:Actor }").rows
    labels = {IRI(r["a"]): str(r["l"]) for r in label_rows}
    same_side = _same_side(store)
    kin = _kin_among({IRI(row["actor"]): str(row["name"]) for row in rows})
    event_counts: dict[IRI, int] = {}  # over every dataset
    for row in rows:
        event_counts[IRI(row["actor"])] = event_counts.get(IRI(row["actor"]), 0) + int(lexical(row["events"]))
    out = []
    for row in rows:
        actor, name = IRI(row["actor"]), str(row["name"])
        likely = reconciler.likely(name) + kin.get(actor, [])
        if likely:
            values = " ".join(f"<{iri}>" for iri, _ in likely)
            for wing in store.query(_WINGS % values).rows:
                likely.append((IRI(wing["b"]), f"{wing['how']} {labels.get(IRI(wing['a']), wing['a'])}"))
        for other, events in same_side.get(actor, []):
            likely.append((other, f"same side in {events} event(s)"))
        same = [iri for iri, why in likely if not why.startswith(("faction of", "has the faction"))]
        seen, described = set(), []
        for iri, why in likely:
            if iri not in seen:
                seen.add(iri)
                described.append(f"{labels.get(iri, iri.short)} <{iri.short}> ({why})")
        out.append({"name": name, "actor": actor, "dataset": str(row["g"]).removeprefix(DATASET_GRAPHS),
                    "events": int(lexical(row["events"])), "likely": described[: limit_matches + 3],
                    "line": _same_as_line(actor, same[0], event_counts) if same else ""})
    return out


def _same_as_line(actor: IRI, other: IRI, events: dict[IRI, int]) -> str:
    """The ``owl:sameAs`` line that would merge ``actor`` into ``other`` (see
    :mod:`conflictgraph.build.matches`); into ``actor`` when ``other`` is another unreconciled
    name with fewer events."""
    goes, stays = actor, other
    if other in events and (events[other], str(actor)) < (events[actor], str(other)):
        goes, stays = other, actor
    return f"{goes.short} owl:sameAs {stays.short} ."
