"""Project the knowledge graph into a networkx network, as declared in ontology/projection.toml.

Each entry of the projection file names a SPARQL SELECT that finds one kind of relation, the
edge relation it yields, its sign (+1 cooperation, -1 hostility, 0 neutral), whether it is
symmetric, the views that use it and how its weight is counted. :func:`project` runs the
entries of one view and returns a :class:`networkx.MultiDiGraph`:

- node id = IRI string; attributes ``label``, ``type`` (the most specific cg: class, e.g.
  ``ArmedGroup``), ``kind`` (``actor`` or ``operation``), ``aliases`` (list), ``generic``;
- one edge per (pair, relation), keyed by the relation, with ``relation``, ``label``, ``sign``,
  ``weight``, ``start``/``end`` (ISO dates: the earliest start and latest end of the evidence
  in the window, None when open or unknown), ``symmetric`` (stored once, from the smaller IRI),
  ``statements``, ``sources``, ``events``, ``ties`` (the tie and event nodes behind it),
  ``via`` (the alliance or operation a derived tie goes through), ``evidence`` (counts per
  kind of evidence: ``curated`` or the name of an imported dataset, e.g.
  ``{"curated": 3, "acled": 12}``), ``status``, and on edges with events ``fatalities``.

Evidence. A piece of evidence is a statement attesting a tie or event (``cg:attestedBy``; its
source is the statement's ``cg:reportedIn``, its kind the graph the statement is in), or, for a
tie or event of an imported dataset that no statement attests (an ACLED or UCDP event), the
record itself: its kind is the dataset's name (from its graph ``<graph/dataset/NAME>``) and
its source the event's ``cg:source`` (the dataset's Source node, ``src:NAME``, when it has
none). So imported events count in ``evidence`` per dataset, ``--evidence acled`` keeps them,
and the dataset's Source is among the edge's ``sources``; the event ids are in ``events``.
Curated and imported evidence for one relation between one pair stay on the same edge.
``fatalities`` sums, over the edge's distinct events, the best estimate
(``cg:fatalitiesBest``), else the low one, else the high one; events without a count add
none, and an edge none of whose events has a count has ``fatalities`` None.

Views: ``actors`` (actors only; ties through shared operations and alliances derived
pairwise, alliances being actors themselves) and ``alliance`` (actors, alliances and
operations as nodes, so a path can read "launched", "in support of", "member of").

Time. A row of evidence holds over the intersection of the spans of its tie and event nodes:
a tie from ``cg:startEarliest`` to ``cg:endLatest`` (open when absent), an event from
``cg:earliest`` to ``cg:latest`` of its date. ``as_of=D`` keeps rows in force on D
(start <= D and (no end or end >= D)); ``between=(S, E)`` keeps rows in force on some day of
[S, E]. **Undated ties are kept in every window** (a tie with no known start or end is not
known to be out of force; dropping them would drop most reported ties). Rows whose spans do
not overlap at all (two memberships of one alliance that never coincided) are never kept.
An event-based tie is in force only on the days of its event, so ``as_of`` views hold few of
them; use ``between`` for a period.

Filters: ``evidence`` keeps statements from curated graph folders (``"curated"``), from one
imported dataset (its name: statements in the named graph ``<graph/dataset/NAME>``), or all;
``status`` keeps ties whose status (``cg:status`` on the tie, or of a claim ``cg:about`` it;
``claimed`` when none is given) is one of those named; generic actors (``cg:generic true``)
are left out unless ``include_generic``. Projection only reads the store.

Examples
--------
>>> from pathlib import Path
>>> from conflictgraph.build import build_store
>>> store, _ = build_store(":memory:", graph_dirs=(Path("tests/fixtures/mini"),), bundled=False)
>>> net = project(store, view="actors")
>>> net.edges["https://w3id.org/conflictgraph/id/actor/hdf",
...           "https://w3id.org/conflictgraph/id/actor/rla", "co-member"]["sign"]
1
>>> before = project(store, as_of="2023-01-01")
>>> before.has_edge("https://w3id.org/conflictgraph/id/actor/mbg",
...                 "https://w3id.org/conflictgraph/id/actor/nordland-army", "aligned-with")
True
"""
from __future__ import annotations

import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from conflictgraph.errors import ConflictGraphError, UsageError
from conflictgraph.gcpause import gc_paused
from conflictgraph.namespaces import CG, DATASET_GRAPHS, GRAPH_INFERRED, ID, SPARQL_PREFIXES
from conflictgraph.netcache import NetworkCache
from conflictgraph.resources import ontology_dir

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["ProjectionError", "Relation", "VIEWS", "WEIGHT_RULES", "STATUSES",
           "load_projection", "project", "describe_window", "parse_day"]

VIEWS = ("actors", "alliance")
WEIGHT_RULES = ("statements", "sources", "events", "evidence")
STATUSES = ("claimed", "admitted", "disputed", "confirmed")
_KEYS = {"name", "relation", "label", "description", "sign", "symmetric", "views", "weight", "evidence",
         "via", "query", "file"}
_REQUIRED = ("name", "relation", "sign", "views", "evidence")


class ProjectionError(ConflictGraphError):
    """The projection file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Relation:
    """One entry of the projection file: a SPARQL query and the edges it yields."""

    name: str
    relation: str
    sign: int
    symmetric: bool
    views: tuple[str, ...]
    weight: str
    evidence: tuple[str, ...]
    query: str
    label: str = ""
    via: tuple[str, ...] = ()
    description: str = ""


def _entry(raw: dict, where: str, base: Path) -> Relation:
    name = raw.get("name", "?")
    def fail(message: str) -> ProjectionError:
        return ProjectionError(f"{where}: entry {name!r}: {message}")
    unknown = set(raw) - _KEYS
    if unknown:
        raise fail(f"unknown key(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(_KEYS))})")
    for key in _REQUIRED:
        if key not in raw:
            raise fail(f"missing key {key!r}")
    sign = raw["sign"]
    if isinstance(sign, bool) or sign not in (-1, 0, 1):
        raise fail(f"sign must be 1, -1 or 0, not {sign!r}")
    views = raw["views"]
    if isinstance(views, str):
        views = [views]
    if not views or any(v not in VIEWS for v in views):
        raise fail(f"views must be a list drawn from {', '.join(VIEWS)}, not {raw['views']!r}")
    weight = raw.get("weight", "statements")
    if weight not in WEIGHT_RULES:
        raise fail(f"weight must be one of {', '.join(WEIGHT_RULES)}, not {weight!r}")
    symmetric = raw.get("symmetric", False)
    if not isinstance(symmetric, bool):
        raise fail(f"symmetric must be true or false, not {symmetric!r}")
    evidence, via = raw["evidence"], raw.get("via", [])
    for key, value in (("evidence", evidence), ("via", via)):
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise fail(f"{key} must be a list of query variable names")
    if not evidence:
        raise fail("evidence needs at least one variable")
    if ("query" in raw) == ("file" in raw):
        raise fail("give exactly one of 'query' (inline SPARQL) or 'file'")
    if "file" in raw:
        path = base / raw["file"]
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as err:
            raise fail(f"cannot read {path}: {err.strerror}") from None
    else:
        text = raw["query"]
    if not isinstance(text, str) or "SELECT" not in text.upper():
        raise fail("the query must be a SPARQL SELECT")
    for var in ("a", "b", *evidence, *via):
        if f"?{var}" not in text and f"${var}" not in text:
            raise fail(f"the query does not mention ?{var}")
    return Relation(name=name, relation=str(raw["relation"]), sign=int(sign), symmetric=symmetric,
                    views=tuple(views), weight=weight, evidence=tuple(evidence), query=text,
                    label=str(raw.get("label") or raw["relation"]), via=tuple(via),
                    description=str(raw.get("description", "")))


def load_projection(path: Path | None = None) -> list[Relation]:
    """Read and check the projection file (default: the bundled ontology/projection.toml).

    Raises :class:`ProjectionError` naming the file and entry on unknown keys, a bad sign,
    view or weight rule, a missing query, or duplicate names.

    >>> relations = load_projection()
    >>> {r.relation: r.sign for r in relations}["hostile-to"]
    -1
    """
    path = Path(path) if path else ontology_dir() / "projection.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise ProjectionError(f"{path}: cannot read: {err.strerror}") from None
    except tomllib.TOMLDecodeError as err:
        raise ProjectionError(f"{path}: {err}") from None
    extra = set(data) - {"relation"}
    if extra:
        raise ProjectionError(f"{path}: unknown top-level key(s) {', '.join(sorted(extra))}; "
                              "entries are [[relation]] tables")
    entries = data.get("relation", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ProjectionError(f"{path}: 'relation' must be an array of tables ([[relation]])")
    relations = [_entry(raw, str(path), path.parent) for raw in entries]
    seen: set[str] = set()
    for rel in relations:
        if rel.name in seen:
            raise ProjectionError(f"{path}: entry {rel.name!r}: the name is used twice")
        seen.add(rel.name)
    by_relation: dict[str, Relation] = {}
    for rel in relations:
        other = by_relation.setdefault(rel.relation, rel)
        if (other.sign, other.symmetric) != (rel.sign, rel.symmetric):
            raise ProjectionError(f"{path}: entry {rel.name!r}: relation {rel.relation!r} has another sign or "
                                  f"symmetry in entry {other.name!r}")
    return relations


def parse_day(text: str | date | None) -> str | None:
    """An ISO day from a day, month or year (a month or year means its first day).

    >>> parse_day("2023-06")
    '2023-06-01'
    """
    if text is None:
        return None
    if isinstance(text, date):
        return text.isoformat()
    from conflictgraph.queries import parse_date
    return parse_date(str(text))


def describe_window(as_of: str | None, between: Sequence[str] | None) -> str:
    """Words for a time window: 'as of D', 'between S and E' or 'all dates'.

    >>> describe_window(None, ("2023-01-01", "2023-12-31"))
    'between 2023-01-01 and 2023-12-31'
    """
    if as_of:
        return f"as of {as_of}"
    if between:
        return f"between {between[0]} and {between[1]}"
    return "all dates"


# Store look-ups ---------------------------------------------------------------------------

_DATES = SPARQL_PREFIXES + """
SELECT ?n ?p ?d WHERE {
  VALUES ?p { cg:startEarliest cg:endLatest cg:earliest cg:latest }
  ?n ?p ?d .
}"""

_ATTESTATION = SPARQL_PREFIXES + """
SELECT ?n ?stmt ?src ?g WHERE {
  ?n cg:attestedBy ?stmt .
  OPTIONAL { ?stmt cg:reportedIn ?src }
  OPTIONAL { GRAPH ?g { ?stmt a cg:Statement } }
}"""

# Every tie and event, with the graphs it is typed in and whether it is an event.
_HOME_GRAPHS = SPARQL_PREFIXES + """
SELECT DISTINCT ?n ?g ?root WHERE {
  VALUES ?root { cg:Tie cg:Event }
  GRAPH ?g { ?n a ?type }
  ?type rdfs:subClassOf* ?root .
}"""

_STATUS = SPARQL_PREFIXES + """
SELECT DISTINCT ?n ?status WHERE {
  { ?n cg:status ?status . FILTER NOT EXISTS { ?n a cg:Claim } }
  UNION { ?claim cg:about ?n ; cg:status ?status }
}"""

_NODES = SPARQL_PREFIXES + """
SELECT ?n ?kind ?type ?label ?generic WHERE {
  VALUES ?root { cg:Actor cg:Operation }
  ?n a ?type .
  ?type rdfs:subClassOf* ?root .
  BIND (IF(?root = cg:Actor, "actor", "operation") AS ?kind)
  OPTIONAL { ?n skos:prefLabel ?label . FILTER (LANG(?label) = "en" || LANG(?label) = "") }
  OPTIONAL { ?n cg:generic ?generic }
}"""

_ALIASES = SPARQL_PREFIXES + """
SELECT ?n ?alias WHERE {
  ?n skos:altLabel ?alias .
  { ?n a/rdfs:subClassOf* cg:Actor } UNION { ?n a/rdfs:subClassOf* cg:Operation }
}"""

_RECORD_SOURCES = SPARQL_PREFIXES + """
SELECT ?n ?src WHERE { ?n cg:source ?src . FILTER (isIRI(?src)) }"""

_FATALITIES = SPARQL_PREFIXES + """
SELECT ?n ?p ?v WHERE {
  VALUES ?p { cg:fatalitiesBest cg:fatalitiesLow cg:fatalitiesHigh }
  ?n ?p ?v .
}"""

_STATUS_NAMES = {CG + "Claimed": "claimed", CG + "Admitted": "admitted", CG + "Disputed": "disputed",
                 CG + "Confirmed": "confirmed"}
_GENERIC_TYPES = {"GenericActor"}
_CLAIMED = frozenset({"claimed"})  # the status of a tie no claim or status names
_EVENT_CLASS = CG + "Event"


def _evidence_kind(graph: str | None) -> str:
    if graph and graph.startswith(DATASET_GRAPHS):
        return graph[len(DATASET_GRAPHS):].split("/")[0] or "dataset"
    return "curated"


@dataclass(slots=True)
class _Node:
    start: str | None = None
    end: str | None = None
    statements: dict[str, tuple[str | None, str]] = field(default_factory=dict)  # stmt -> (source, kind)
    kind: str = "curated"
    status: set[str] = field(default_factory=set)
    source: str | None = None  # cg:source of an imported record
    fatalities: dict[str, int] = field(default_factory=dict)  # "Best"/"Low"/"High" -> count


# Evidence items: id -> (source, kind, is_statement). An item is a statement, or an imported
# tie or event no statement attests, standing for itself.
Evidence = dict[str, tuple[str | None, str, bool]]


class _Facts:
    """Dates, attestations and statuses of every tie and event, read once per projection."""

    def __init__(self, store: Any):
        self.nodes: dict[str, _Node] = defaultdict(_Node)
        bounds: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for row in store.query(_DATES):
            bounds[str(row["n"])][str(row["p"])[len(CG):]].append(str(row["d"])[:10])
        for node, values in bounds.items():
            info = self.nodes[node]
            starts = values.get("startEarliest") or values.get("earliest")
            ends = values.get("endLatest") or (values.get("latest") if not values.get("startEarliest") else None)
            info.start = min(starts) if starts else None
            info.end = max(ends) if ends else None
        self.events: set[str] = set()
        for row in store.query(_HOME_GRAPHS):
            if row["root"] == _EVENT_CLASS:
                self.events.add(str(row["n"]))
            graph = str(row["g"])
            if graph != GRAPH_INFERRED:
                self.nodes[str(row["n"])].kind = _evidence_kind(graph)
        for row in store.query(_ATTESTATION):
            graph = str(row["g"]) if row["g"] else None
            source = str(row["src"]) if row["src"] else None
            self.nodes[str(row["n"])].statements[str(row["stmt"])] = (source, _evidence_kind(graph))
        for row in store.query(_STATUS):
            name = _STATUS_NAMES.get(str(row["status"]))
            if name:
                self.nodes[str(row["n"])].status.add(name)
        for row in store.query(_RECORD_SOURCES):
            info = self.nodes.get(str(row["n"]))
            if info is not None and info.source is None:
                info.source = str(row["src"])
        for row in store.query(_FATALITIES):
            try:
                count = int(str(row["v"]))
            except ValueError:
                continue
            which = str(row["p"])[len(CG) + len("fatalities"):]
            info = self.nodes[str(row["n"])]
            info.fatalities[which] = max(count, info.fatalities.get(which, count))

    def fatalities(self, node: str) -> int | None:
        """The best estimate of deaths at an event, else the low one, else the high one."""
        info = self.nodes.get(node)
        if info is None:
            return None
        for which in ("Best", "Low", "High"):
            if which in info.fatalities:
                return info.fatalities[which]
        return None

    def admits(self, node: str, evidence: str, statuses: set[str] | None) -> Evidence | None:
        """The evidence items of ``node`` that pass the filters, or None when the node fails them."""
        info = self.nodes.get(node) or _Node()
        if statuses is not None and not ((info.status or {"claimed"}) & statuses):
            return None
        if info.statements:
            items = {s: (src, kind, True) for s, (src, kind) in info.statements.items()
                     if evidence == "all" or kind == evidence}
            return items or None
        if evidence != "all" and info.kind != evidence:
            return None
        if info.kind == "curated":
            return {}
        # An imported record no statement attests is its own evidence, from its dataset.
        return {node: (info.source or f"{ID}src/{info.kind}", info.kind, False)}


def _in_window(start: str | None, end: str | None, as_of: str | None, between: Sequence[str] | None) -> bool:
    if start is not None and end is not None and start > end:
        return False  # the evidence never held at one time
    if as_of is not None:
        return (start is None or start <= as_of) and (end is None or end >= as_of)
    if between is not None:
        low, high = between
        return (start is None or start <= high) and (end is None or end >= low)
    return True


def _node_attributes(store: Any) -> dict[str, dict]:
    nodes: dict[str, dict] = {}
    types: dict[str, set[str]] = defaultdict(set)
    for row in store.query(_NODES):
        iri = str(row["n"])
        attrs = nodes.setdefault(iri, {"label": None, "type": None, "kind": str(row["kind"]), "aliases": [],
                                       "generic": False})
        if row["label"] is not None and attrs["label"] is None:
            attrs["label"] = str(row["label"])
        if row["generic"] is not None and str(row["generic"]) in ("true", "1"):
            attrs["generic"] = True
        if str(row["type"]).startswith(CG):
            types[iri].add(str(row["type"])[len(CG):])
        if row["kind"] and str(row["kind"]) == "actor":
            attrs["kind"] = "actor"
    for row in store.query(_ALIASES):
        attrs = nodes.get(str(row["n"]))
        if attrs is not None and str(row["alias"]) not in attrs["aliases"]:
            attrs["aliases"].append(str(row["alias"]))
    for iri, attrs in nodes.items():
        specific = sorted(types[iri] - {"Actor"}) or sorted(types[iri])
        attrs["type"] = specific[0] if specific else None
        if attrs["type"] in _GENERIC_TYPES:
            attrs["generic"] = True
        if attrs["label"] is None:
            attrs["label"] = iri.rsplit("/", 1)[-1]
        attrs["aliases"].sort()
    return nodes


def _store_of(source: Any) -> Any:
    return getattr(source, "store", source)


def project(source: Any, *, view: str = "actors", as_of: str | date | None = None,
            between: Sequence[str | date] | None = None, evidence: str = "all",
            status: Iterable[str] | None = None, include_generic: bool = False,
            relations: Iterable[str] | None = None, projection: Sequence[Relation] | None = None) -> "nx.MultiDiGraph":
    """Project a store (or :class:`~conflictgraph.api.ConflictGraph`) into a network.

    Parameters
    ----------
    source : Store or ConflictGraph
        What to read; it is never changed.
    view : {"actors", "alliance"}
        Actors only, or actors with alliances and operations as nodes.
    as_of, between : date text (YYYY-MM-DD, YYYY-MM or YYYY), optional
        Keep the ties in force on that day, or on some day of the (start, end) period.
    evidence : str
        ``"all"`` (default), ``"curated"`` or the name of an imported dataset.
    status : iterable of str, optional
        Keep ties of these statuses (claimed, admitted, disputed, confirmed); default any.
    include_generic : bool
        Keep generic actors (civilians, unidentified groups).
    relations : iterable of str, optional
        Keep only these edge relations (e.g. ``["co-member", "co-launched"]``).
    projection : list of Relation, optional
        Entries to use instead of the bundled projection file.

    Returns
    -------
    networkx.MultiDiGraph
        Edges keyed by relation; ``graph.graph`` records view, window and filters.
        Projected from a published on-disk store, it is also kept beside that store
        (:mod:`conflictgraph.netcache`), and the next call with the same options reads it.

    Examples
    --------
    >>> from conflictgraph.build import build_store
    >>> store, _ = build_store(":memory:", graph_dirs=(Path("tests/fixtures/mini"),), bundled=False)
    >>> net = project(store, view="alliance")
    >>> net.edges["https://w3id.org/conflictgraph/id/actor/rla",
    ...           "https://w3id.org/conflictgraph/id/op/operation-dawn", "launched"]["sources"]
    ['https://w3id.org/conflictgraph/id/src/mini-wire-2023-11-03']
    """
    if view not in VIEWS:
        raise UsageError(f"unknown view {view!r} (views: {', '.join(VIEWS)})")
    if as_of is not None and between is not None:
        raise UsageError("give as_of or between, not both")
    day = parse_day(as_of)
    window: tuple[str, str] | None = None
    if between is not None:
        if len(between) != 2:
            raise UsageError("between needs two dates (start, end)")
        window = (parse_day(between[0]), parse_day(between[1]))  # type: ignore[assignment]
        if window[0] > window[1]:
            raise UsageError(f"between: the start {window[0]} is after the end {window[1]}")
    statuses = None
    if status:
        statuses = {s.strip().lower() for s in status}
        bad = statuses - set(STATUSES)
        if bad:
            raise UsageError(f"unknown status {', '.join(sorted(bad))} (statuses: {', '.join(STATUSES)})")
    entries = [r for r in (projection if projection is not None else load_projection()) if view in r.views]
    wanted = None
    if relations:
        wanted = {r.strip() for r in relations if r.strip()}
        known = {r.relation for r in entries}
        unknown = wanted - known
        if unknown:
            raise UsageError(f"unknown relation(s) {', '.join(sorted(unknown))} in the {view} view "
                             f"(relations: {', '.join(sorted(known))})")
        entries = [r for r in entries if r.relation in wanted]

    store = _store_of(source)
    if evidence not in ("all", "curated"):
        datasets = sorted({_evidence_kind(g) for g in store.named_graphs() if g.startswith(DATASET_GRAPHS)})
        if evidence not in datasets:
            raise UsageError(f"unknown evidence {evidence!r} (all, curated"
                             + "".join(f", {d}" for d in datasets) + " in this store)")
    options = dict(view=view, as_of=day, between=list(window) if window else None, evidence=evidence,
                   status=sorted(statuses) if statuses else None, include_generic=include_generic,
                   relations=sorted(wanted) if wanted else None)

    def build() -> "nx.MultiDiGraph":
        with gc_paused():
            return _build(store, entries, options, view=view, day=day, window=window, evidence=evidence,
                          statuses=statuses, include_generic=include_generic)

    cache = NetworkCache.for_store(store) if projection is None else None
    if cache is None:
        return build()
    cached = cache.get(options)
    if cached is None:
        with cache.building(options):
            cached = cache.get(options)  # kept by another command while this one waited
            if cached is None:
                cached = build()
                cache.put(options, cached)
    return cached


def _build(store: Any, entries: list[Relation], options: dict, *, view: str, day: str | None,
           window: tuple[str, str] | None, evidence: str, statuses: set[str] | None,
           include_generic: bool) -> "nx.MultiDiGraph":
    """The network of ``entries`` on ``store`` (what :func:`project` returns when nothing is kept)."""
    import networkx as nx

    facts = _Facts(store)
    node_attrs = _node_attributes(store)
    allowed_kinds = {"actor"} if view == "actors" else {"actor", "operation"}

    edges: dict[tuple[str, str, str], dict] = {}
    for entry in entries:
        for row in store.query(SPARQL_PREFIXES + entry.query).rows:
            a, b = row.get("a"), row.get("b")
            if a is None or b is None:
                continue
            a, b = str(a), str(b)
            if a == b:
                continue
            ends = [node_attrs.get(a), node_attrs.get(b)]
            if any(attrs is None or attrs["kind"] not in allowed_kinds for attrs in ends):
                continue
            if not include_generic and any(attrs["generic"] for attrs in ends):  # type: ignore[index]
                continue
            if entry.symmetric and b < a:
                a, b = b, a
            nodes = [str(row[v]) for v in entry.evidence if row.get(v) is not None]
            if not nodes:
                continue
            statements: Evidence = {}
            starts, finishes, admitted = [], [], True
            for node in nodes:
                kept = facts.admits(node, evidence, statuses)
                if kept is None:
                    admitted = False
                    break
                statements.update(kept)
                info = facts.nodes.get(node)
                if info is not None:
                    if info.start:
                        starts.append(info.start)
                    if info.end:
                        finishes.append(info.end)
            if not admitted:
                continue
            start = max(starts) if starts else None
            end = min(finishes) if finishes else None
            if not _in_window(start, end, day, window):
                continue
            key = (a, b, entry.relation)
            edge = edges.get(key)
            if edge is None:  # (not setdefault: that would build the empty edge for every row)
                edge = edges[key] = {
                    "relation": entry.relation, "label": entry.label, "sign": entry.sign,
                    "symmetric": entry.symmetric, "rows": set(), "statements": {}, "ties": set(), "events": set(),
                    "via": set(), "starts": [], "ends": [], "status": set(), "entries": set()}
            edge["rows"].add(tuple(nodes))
            edge["statements"].update(statements)
            edge["ties"].update(nodes)
            for node in nodes:
                if node in facts.events:
                    edge["events"].add(node)
                info = facts.nodes.get(node)
                edge["status"].update(info.status if info is not None and info.status else _CLAIMED)
            for v in entry.via:
                if row.get(v) is not None:
                    edge["via"].add(str(row[v]))
            edge["starts"].append(start)
            edge["ends"].append(end)
            edge["entries"].add(entry.weight)

    graph = nx.MultiDiGraph(**options, window=describe_window(day, window))
    for a, b, relation in sorted(edges):
        edge = edges.pop((a, b, relation))  # each working edge freed as its graph edge is made
        for node in (a, b):
            if node not in graph:
                graph.add_node(node, **{k: (list(v) if isinstance(v, list) else v) for k, v in node_attrs[node].items()})
        items = edge["statements"]
        statements = [s for s, (_src, _kind, is_statement) in items.items() if is_statement]
        sources = sorted({src for src, _kind, _is in items.values() if src})
        rule = next(iter(edge["entries"]))
        if rule == "statements":
            weight = len(items) or len(edge["rows"])
        elif rule == "sources":
            weight = len(sources) or len(edge["rows"])
        elif rule == "events":
            weight = len(edge["events"]) or len(edge["rows"])
        else:
            weight = len(edge["rows"])
        starts, ends = edge["starts"], edge["ends"]
        extra = {}
        if edge["events"]:
            counts = [facts.fatalities(e) for e in edge["events"]]
            known = [c for c in counts if c is not None]
            extra["fatalities"] = sum(known) if known else None
        graph.add_edge(a, b, key=relation, relation=relation, label=edge["label"], sign=edge["sign"],
                       weight=weight, symmetric=edge["symmetric"],
                       start=None if None in starts else min(starts),
                       end=None if None in ends else max(ends),
                       statements=sorted(statements), sources=sources, events=sorted(edge["events"]),
                       ties=sorted(edge["ties"]), via=sorted(edge["via"]),
                       evidence=dict(sorted(Counter(kind for _s, kind, _is in items.values()).items())),
                       status=sorted(edge["status"]), **extra)
    return graph
