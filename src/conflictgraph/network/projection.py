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
  ``{"curated": 3, "acled": 12}``), ``status``, on edges with events ``fatalities`` (and
  ``fatalities_low`` / ``fatalities_high``, the sums of the low and high estimates), on edges
  with aggregated records (interaction tallies of a table import) ``interactions`` (the sum of
  their ``cg:eventCount``), and on
  edges whose evidence leaves gaps between ``start`` and ``end`` ``spans`` (the merged
  [start, end] spans in force: :func:`~conflictgraph.network.spec.merge_spans`).

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
>>> from conflictgraph.build.pipeline import build_store
>>> store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
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

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from conflictgraph.errors import UsageError
from conflictgraph.gcpause import gc_paused
from conflictgraph.network.analyze.reduce import raw_adjacency
from conflictgraph.network.spec import VIEWS, Relation, describe_window, load_projection, merge_spans, resolve_window
from conflictgraph.network.tie_edges import (EventMonths, aggregate, dated_span, event_count, event_months,
                                             fill_provenance, merge_edges)
from conflictgraph.network.ties import RELATIONS, TieTable, days, kept_table
from conflictgraph.rdf.namespaces import (CG, DATASET_GRAPHS, DATASET_INFERRED_GRAPHS, GRAPH_INFERRED, ID,
                                          SPARQL_PREFIXES, STATUSES)
from conflictgraph.rdf.sparql_text import bound_union, inject_values, iri_ref
from conflictgraph.rdf.terms import IRI
from conflictgraph.store.base import Store, select_values
from conflictgraph.store.oxigraph import OxigraphStore

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["project", "Projector", "add_provenance", "listed_events", "network_span", "dataset_table",
           "table_event_months"]

# Store look-ups ---------------------------------------------------------------------------

def _in_graph(pattern: str, graph: str | None) -> str:
    """``pattern`` over the union of the graphs, or inside ``graph`` only."""
    return pattern if graph is None else f"GRAPH {iri_ref(graph)} {{ {pattern} }}"


def _dates(graph: str | None = None) -> str:
    return SPARQL_PREFIXES + f"""
SELECT ?n ?p ?d WHERE {{
  VALUES ?p {{ cg:startEarliest cg:endLatest cg:earliest cg:latest }}
  {_in_graph("?n ?p ?d .", graph)}
}}"""


def _attestation(graph: str | None = None) -> str:
    return SPARQL_PREFIXES + f"""
SELECT ?n ?stmt ?src ?g WHERE {{
  {_in_graph("?n cg:attestedBy ?stmt .", graph)}
  OPTIONAL {{ ?stmt cg:reportedIn ?src }}
  OPTIONAL {{ GRAPH ?g {{ ?stmt a cg:Statement }} }}
}}"""


def _home_graphs(graph: str | None = None) -> str:
    """Every tie and event, with the graphs it is typed in and whether it is an event."""
    typed = ("GRAPH ?g { ?n a ?type }" if graph is None
             else f"GRAPH {iri_ref(graph)} {{ ?n a ?type }} BIND ({iri_ref(graph)} AS ?g)")
    return SPARQL_PREFIXES + f"""
SELECT DISTINCT ?n ?g ?root WHERE {{
  VALUES ?root {{ cg:Tie cg:Event }}
  {typed}
  ?type rdfs:subClassOf* ?root .
}}"""


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

def _record_sources(graph: str | None = None) -> str:
    return SPARQL_PREFIXES + f"""
SELECT ?n ?src WHERE {{ {_in_graph("?n cg:source ?src .", graph)} FILTER (isIRI(?src)) }}"""


def _event_counts(graph: str | None = None) -> str:
    return SPARQL_PREFIXES + f"""
SELECT ?n ?v WHERE {{ {_in_graph("?n cg:eventCount ?v .", graph)} }}"""


def _fatality_counts(graph: str | None = None) -> str:
    return SPARQL_PREFIXES + f"""
SELECT ?n ?p ?v WHERE {{
  VALUES ?p {{ cg:fatalitiesBest cg:fatalitiesLow cg:fatalitiesHigh }}
  {_in_graph("?n ?p ?v .", graph)}
}}"""


def _has_ties(graph: str) -> str:
    """One row when ``graph`` holds a tie or an interaction (evidence of relations other than
    the event-tie table's)."""
    return SPARQL_PREFIXES + f"""
SELECT ?n WHERE {{
  VALUES ?type {{ cg:Cooperation cg:Hostility cg:InteractionTally cg:Interaction cg:CooperativeInteraction
                 cg:HostileInteraction }}
  GRAPH {iri_ref(graph)} {{ ?n a ?type }}
}} LIMIT 1"""


_STATUS_NAMES = {CG.Claimed: "claimed", CG.Admitted: "admitted", CG.Disputed: "disputed",
                 CG.Confirmed: "confirmed"}
_GENERIC_TYPES = {"GenericActor"}
_CLAIMED = frozenset({"claimed"})  # the status of a tie no claim or status names
_EVENT_CLASS = CG.Event
_VIEW_KINDS = {"actors": {"actor"}, "alliance": {"actor", "operation"}}  # the node kinds a view's edges join


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
    interactions: int | None = None  # cg:eventCount of an aggregated record (an interaction tally)


# Evidence items: id -> (source, kind, is_statement). An item is a statement, or an imported
# tie or event no statement attests, standing for itself.
Evidence = dict[str, tuple[str | None, str, bool]]


class _Facts:
    """Dates, attestations and statuses of the ties and events, read once per projection.

    All of them by default; with ``graphs``, those the named graphs hold (attestations: the
    ``cg:attestedBy`` triples these graphs hold; statuses are read everywhere); with ``nodes``,
    those of these nodes only.
    """

    def __init__(self, store: Store, *, graphs: Sequence[str] | None = None, nodes: Sequence[str] | None = None):
        self.nodes: dict[str, _Node] = defaultdict(_Node)

        def rows(query: Callable[[str | None], str], *, per_graph: bool = True) -> Iterator[dict]:
            if nodes is not None:
                yield from _bound_rows(store, query(None), "n", nodes)
            elif graphs is not None and per_graph:
                for graph in graphs:
                    yield from store.query(query(graph)).rows
            else:
                yield from store.query(query(None)).rows

        bounds: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for row in rows(_dates):
            bounds[str(row["n"])][str(row["p"])[len(CG):]].append(str(row["d"])[:10])
        for node, values in bounds.items():
            info = self.nodes[node]
            starts = values.get("startEarliest") or values.get("earliest")
            ends = values.get("endLatest") or (values.get("latest") if not values.get("startEarliest") else None)
            info.start = min(starts) if starts else None
            info.end = max(ends) if ends else None
        self.events: set[str] = set()
        for row in rows(_home_graphs):
            if row["root"] == _EVENT_CLASS:
                self.events.add(str(row["n"]))
            graph = str(row["g"])
            if graph != GRAPH_INFERRED:
                self.nodes[str(row["n"])].kind = _evidence_kind(graph)
        for row in rows(_attestation):
            attesting = str(row["g"]) if row["g"] else None
            source = str(row["src"]) if row["src"] else None
            self.nodes[str(row["n"])].statements[str(row["stmt"])] = (source, _evidence_kind(attesting))
        for row in rows(lambda _graph: _STATUS, per_graph=False):
            name = _STATUS_NAMES.get(str(row["status"]))
            if name:
                self.nodes[str(row["n"])].status.add(name)
        for row in rows(_record_sources):
            record = self.nodes.get(str(row["n"]))
            if record is not None and record.source is None:
                record.source = str(row["src"])
        for row in rows(_event_counts):
            try:
                self.nodes[str(row["n"])].interactions = int(str(row["v"]))
            except ValueError:
                continue
        for row in rows(_fatality_counts):
            try:
                count = int(str(row["v"]))
            except ValueError:
                continue
            which = str(row["p"])[len(CG) + len("fatalities"):]
            info = self.nodes[str(row["n"])]
            info.fatalities[which] = max(count, info.fatalities.get(which, count))

    def fatalities(self, node: str, estimates: tuple[str, ...] = ("Best", "Low", "High")) -> int | None:
        """The first of ``estimates`` of deaths at an event that it has (by default the best
        estimate, else the low one, else the high one)."""
        info = self.nodes.get(node)
        if info is None:
            return None
        for which in estimates:
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


def _bound_rows(store: Store, query: str, variable: str, terms: Sequence[str]) -> list[dict]:
    """The rows of ``query`` with ``?variable`` bound to each IRI of ``terms`` in turn.

    On an embedded store, one query per term: the engine substitutes the term before evaluating
    (a VALUES block of a few dozen terms is joined late, after a scan of every event: 1-2 s a
    query on 100,000 events). On a remote store, the same substitution in the text, a UNION of
    one copy per term, :data:`_BOUND_PER_REQUEST` terms a request (a VALUES block, even first in
    every group, was joined as late by ``oxigraph serve``: 6 s for 28 events among 100,000); a
    VALUES block only for a query where the term cannot be written in (``rdf.sparql_text.substitute``).
    """
    if not terms:
        return []
    if isinstance(store, OxigraphStore):
        found: list[dict] = []
        for term in terms:
            found += store.query(query, bindings={variable: IRI(term)}).rows
        return found
    found = []
    for first in range(0, len(terms), _BOUND_PER_REQUEST):
        chunk = list(terms[first:first + _BOUND_PER_REQUEST])
        text = bound_union(query, variable, chunk)
        if text is None:
            block = f"VALUES ?{variable} {{ " + " ".join(iri_ref(term) for term in chunk) + " }"
            text = inject_values(query, block, everywhere=True)
        found += store.query(text).rows
    return found


_BOUND_PER_REQUEST = 50


def _in_window(start: str | None, end: str | None, as_of: str | None, between: Sequence[str] | None) -> bool:
    if start is not None and end is not None and start > end:
        return False  # the evidence never held at one time
    if as_of is not None:
        return (start is None or start <= as_of) and (end is None or end >= as_of)
    if between is not None:
        low, high = between
        return (start is None or start <= high) and (end is None or end >= low)
    return True


def _node_attributes(store: Store) -> dict[str, dict]:
    nodes: dict[str, dict] = {}
    types: dict[str, set[str]] = defaultdict(set)
    for iri, kind, type_, label, generic in select_values(store, _NODES):  # lexical values: no terms made
        if iri is None or kind is None:
            continue  # (the pattern binds both)
        attrs = nodes.setdefault(iri, {"label": None, "type": None, "kind": kind, "aliases": [], "generic": False})
        if label is not None and attrs["label"] is None:
            attrs["label"] = label
        if generic is not None and generic in ("true", "1"):
            attrs["generic"] = True
        if type_ is not None and type_.startswith(CG):
            types[iri].add(type_[len(CG):])
        if kind == "actor":
            attrs["kind"] = "actor"
    for iri, alias in select_values(store, _ALIASES):
        aliased = nodes.get(iri) if iri is not None else None
        if aliased is not None and alias is not None and alias not in aliased["aliases"]:
            aliased["aliases"].append(alias)
    for iri, attrs in nodes.items():
        specific = sorted(types[iri] - {"Actor"}) or sorted(types[iri])
        attrs["type"] = specific[0] if specific else None
        if attrs["type"] in _GENERIC_TYPES:
            attrs["generic"] = True
        if attrs["label"] is None:
            attrs["label"] = iri.rsplit("/", 1)[-1]
        attrs["aliases"].sort()
    return nodes


@runtime_checkable
class _HasStore(Protocol):
    """What holds a store: a :class:`~conflictgraph.api.ConflictGraph` (a layer above this one)."""

    @property
    def store(self) -> Store: ...


def _store_of(source: Store | _HasStore) -> Store:
    return source.store if isinstance(source, _HasStore) else source


def project(source: Store | _HasStore, *, view: str = "actors", as_of: str | date | None = None,
            between: Sequence[str | date] | None = None, evidence: str = "all",
            status: Iterable[str] | None = None, include_generic: bool = False,
            relations: Iterable[str] | None = None, projection: Sequence[Relation] | None = None,
            provenance: bool = True) -> nx.MultiDiGraph:
    """Project a store (or :class:`~conflictgraph.api.ConflictGraph`) into a network.

    Parameters
    ----------
    source : Store or ConflictGraph
        What to read; it is never changed.
    view : {"actors", "alliance"}
        Actors only, or actors with alliances and operations as nodes.
    as_of, between : date text (YYYY-MM-DD, YYYY-MM or YYYY), optional
        Keep the ties in force on that day, or on some day of the (start, end) period. A month
        or year is the whole period (:func:`~conflictgraph.network.spec.resolve_window`).
    evidence : str
        ``"all"`` (default), ``"curated"`` or the name of an imported dataset.
    status : iterable of str, optional
        Keep ties of these statuses (claimed, admitted, disputed, confirmed); default any.
    include_generic : bool
        Keep generic actors (civilians, unidentified groups).
    relations : iterable of str, optional
        Keep only these edge relations (e.g. ``["co-member", "co-launched"]``).
    projection : list of Relation, optional
        Entries to use instead of the bundled projection file. Then every relation is projected
        through its query, and no event-tie table is read.
    provenance : bool
        False leaves out what lies behind the edges read from the event-tie table (their
        ``events``, ``ties``, ``sources``, ``statements``, ``evidence``, ``status``, ``spans``,
        unless curated events share the edge): they keep relation, sign, weight (their number
        of events), dates and fatalities, all an analysis weighs (``centrality`` and
        ``communities`` use it: on a dense million-event network half the time and memory).
        Every other edge is unchanged; ``graph.graph["provenance"]`` records the choice, and
        :func:`add_provenance` gives chosen edges theirs afterwards.

    Returns
    -------
    networkx.MultiDiGraph
        Edges keyed by relation; ``graph.graph`` records view, window and filters.

    Notes
    -----
    With the bundled projection, on a store with imported datasets, the ``fought`` and
    ``fought-alongside`` edges of the imported events come from the store's event-tie table
    (:mod:`conflictgraph.network.ties`; kept in the generation folder of an on-disk store),
    the rest from the queries: the same network, in a fraction of the time (100,000 imported
    events: 1.6 s from a kept table against 22 s).

    Examples
    --------
    >>> from conflictgraph.build.pipeline import build_store
    >>> store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
    >>> net = project(store, view="alliance")
    >>> net.edges["https://w3id.org/conflictgraph/id/actor/rla",
    ...           "https://w3id.org/conflictgraph/id/op/operation-dawn", "launched"]["sources"]
    ['https://w3id.org/conflictgraph/id/src/mini-wire-2023-11-03']
    """
    return Projector(source, view=view, evidence=evidence, status=status, include_generic=include_generic,
                     relations=relations, projection=projection).network(as_of=as_of, between=between,
                                                                         provenance=provenance)


class Projector:
    """What the projection of one view with one set of filters reads from a store, read once;
    :meth:`network` projects it for any window (what :func:`project` returns for the same
    options). The store must not change meanwhile. ``table``: the event-tie table it read (None
    when the view has no imported events to read), for :func:`add_provenance`.

    A command that compares periods (``diff --by month``: 924 of them on the bundled graph
    with 100,000 imported events) reads the store and tests the filters once, not once a
    period; each period then costs its window's test and the network it makes.

    >>> from conflictgraph.build.pipeline import build_store
    >>> store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
    >>> projector = Projector(store)
    >>> [projector.network(as_of=year).number_of_edges() for year in ("2021", "2024")]
    [6, 23]
    >>> list(projector.network(as_of="2024").edges(data=True)) == list(project(store, as_of="2024").edges(data=True))
    True
    """

    def __init__(self, source: Store | _HasStore, *, view: str = "actors", evidence: str = "all",
                 status: Iterable[str] | None = None, include_generic: bool = False,
                 relations: Iterable[str] | None = None, projection: Sequence[Relation] | None = None):
        if view not in VIEWS:
            raise UsageError(f"unknown view {view!r} (views: {', '.join(VIEWS)})")
        self.store = store = _store_of(source)
        entries, wanted = _view_entries(view, projection, relations)
        _check_evidence(store, evidence)
        self._filters = _Options(view=view, day=None, window=None, evidence=evidence,
                                 statuses=_check_statuses(status), include_generic=include_generic, relations=wanted)
        # the event-tie table stands for the bundled projection's queries of event relations
        with_table = projection is None and any(g.startswith(DATASET_GRAPHS) for g in store.named_graphs())
        self._events = [e for e in entries if e.relation in RELATIONS] if with_table else []
        rest = [e for e in entries if e.relation not in RELATIONS] if with_table else entries
        with gc_paused():
            self._node_attrs = _node_attributes(store)
            self._rest_facts = _rest_facts(store, with_table=with_table) if rest else _Facts(store, nodes=[])
            self._rest = _admitted(_rows(store, rest), self._rest_facts, self._node_attrs, self._filters)
            self.table: TieTable | None = None
            self._residual: list[_Admitted] = []
            self._residual_facts = self._rest_facts
            if self._events:
                self.table = kept_table(store)
                residual = [(e, _bound_rows(store, SPARQL_PREFIXES + e.query, "event", self.table.residual))
                            for e in self._events]
                named = sorted({str(row[v]) for e, rows in residual for row in rows for v in e.evidence
                                if row.get(v) is not None})
                self._residual_facts = _Facts(store, nodes=named)
                self._residual = _admitted(residual, self._residual_facts, self._node_attrs, self._filters)
                kinds = _VIEW_KINDS[view]
                self._generic = [n for n, a in self._node_attrs.items() if a["generic"]]
                self._ends = [n for n, a in self._node_attrs.items() if a["kind"] in kinds]  # of the view's edges
        self._bounds: tuple[_Bounds, _Bounds | None] | None = None  # (see _tie_bounds)

    def network(self, *, as_of: str | date | None = None, between: Sequence[str | date] | None = None,
                provenance: bool = True) -> nx.MultiDiGraph:
        """The network in this window (``as_of`` and ``between`` as for :func:`project`),
        with or without ``provenance``."""
        day, window = resolve_window(as_of, between)
        options = replace(self._filters, day=day, window=window, provenance=provenance)
        with gc_paused():
            edges = _edges(self._rest, self._rest_facts, options)
            if self.table is not None:
                edges.update(self._table_edges(options))
            return _assemble(((key, edges.pop(key)) for key in sorted(edges)), self._node_attrs, options)

    def dated_span(self) -> tuple[str, str] | None:
        """The first and the last date of the ties of every date (those of :meth:`network`
        without a window), found without making the network; None when no tie is dated.

        >>> from conflictgraph.build.pipeline import build_store
        >>> store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
        >>> Projector(store).dated_span()
        ('2011-01-01', '2024-06-30')
        """
        options = replace(self._filters, day=None, window=None, provenance=False)
        with gc_paused():
            spans = [_dated(_edges(self._rest, self._rest_facts, options).values())]
            if self.table is not None:  # the table's edges (many) by its columns, with the residual's
                residual = _edges(self._residual, self._residual_facts, options)
                spans.append(dated_span(self.table, self._events, residual, evidence=options.evidence,
                                        statuses=options.statuses, include_generic=options.include_generic,
                                        generic=self._generic, nodes=self._ends))
        found = [day for span in spans if span for day in span]
        return (min(found), max(found)) if found else None

    def same_ties(self, before: Sequence[str], after: Sequence[str]) -> bool:
        """Whether the window ``after`` (first day, last day) holds the same ties as ``before``,
        which neither starts nor ends later: nothing the projector read starts after ``before``
        ends and by the end of ``after``, or ends on or after the start of ``before`` and before
        that of ``after``. (Most months of a ``diff --by month`` over the bundled graph's 78
        years change nothing.)

        >>> from conflictgraph.build.pipeline import build_store
        >>> store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
        >>> projector = Projector(store)
        >>> projector.same_ties(("1990-01-01", "1990-01-31"), ("1990-02-01", "1990-02-28"))
        True
        >>> projector.same_ties(("2023-10-01", "2023-10-31"), ("2023-11-01", "2023-11-30"))
        False
        """
        if after[0] < before[0] or after[1] < before[1]:
            return False  # (only a later window is answered)
        rows, events = self._tie_bounds()
        return not (rows.change(before, after)
                    or events is not None and events.change(days(before), days(after)))

    def _tie_bounds(self) -> tuple[_Bounds, _Bounds | None]:
        """The start and end days of the admitted rows (ISO text) and of the table's events (day
        numbers; open ends are sentinels beyond every day), sorted when first asked for."""
        if self._bounds is None:
            rows = [*self._rest, *self._residual]
            self._bounds = (_Bounds(sorted(r.start for r in rows if r.start is not None),
                                    sorted(r.end for r in rows if r.end is not None)),
                            None if self.table is None else
                            _Bounds(np.sort(self.table.event_start), np.sort(self.table.event_end)))
        return self._bounds

    def add_provenance(self, network: nx.MultiDiGraph,
                       keys: Iterable[tuple[str, str, str]] | Mapping[tuple[str, str, str], dict]) -> int:
        """:func:`add_provenance` for a network this projector made, from the table it read."""
        return add_provenance(self.store, network, keys, table=self.table)

    def event_count(self, network: nx.MultiDiGraph) -> int:
        """How many events lie behind the edges of ``network`` (made by :meth:`network`, with or
        without provenance, or a subgraph of it that its nodes induce: an ego network), each
        event once."""
        info = network.graph
        listed = self._listed_events(info["as_of"], info["between"], network)
        if self.table is None:
            return len(listed)
        in_table = event_count(self.table, network, as_of=info["as_of"], between=info["between"],
                               evidence=info["evidence"], statuses=info["status"], relations=info["relations"])
        if not listed:
            return in_table
        # A residual event is not in the table; an event listed on an edge and in the table is
        # counted through its rows, the table having all of an event's ties. (The table's event
        # ids are sorted: a few listed ids are looked up there, not through a million-entry dict.)
        table_events = self.table.events.strings
        return in_table + sum(1 for e in listed if not _in_sorted(table_events, e))

    def _listed_events(self, day: str | None, window: Sequence[str] | None, nodes: Container[str]) -> set[str]:
        """The events that the curated relations' and residual events' edges between ``nodes``
        list in the network of this window (an ``as_of`` day or a ``between`` window), each
        once: what the network's edges list besides the table's events, gathered again from the
        admitted rows (a thousand, where the network has a million events' edges)."""
        options = replace(self._filters, day=day, window=(window[0], window[1]) if window else None)
        return {event for rows, facts in ((self._rest, self._rest_facts), (self._residual, self._residual_facts))
                for (a, b, _relation), edge in _collect_edges(rows, facts, options).items()
                if a in nodes and b in nodes for event in edge.events}

    def _table_edges(self, options: _Options) -> dict[tuple[str, str, str], dict]:
        """The edges of the event relations: the table's rows aggregated, with the edges of the
        residual (curated) events merged onto the same keys."""
        assert self.table is not None
        extra = _edges(self._residual, self._residual_facts, options)
        # Without provenance, an edge the residual (curated) events share still gets it, so the
        # two merge exactly and the edges with statements say so.
        found = aggregate(self.table, self._events, as_of=options.day, between=options.window,
                          evidence=options.evidence, statuses=options.statuses,
                          include_generic=options.include_generic, generic=self._generic, nodes=self._ends,
                          provenance=options.provenance or set(extra))
        return merge_edges(found, extra.items())


@dataclass(slots=True)
class _Bounds:
    """The start and end days of some ties, each sorted (ISO text, or day numbers)."""

    starts: Sequence | np.ndarray
    ends: Sequence | np.ndarray

    def change(self, before: Sequence | np.ndarray, after: Sequence | np.ndarray) -> bool:
        """Whether a tie comes into or goes out of force from the window ``before`` to the later
        window ``after`` (each (first day, last day)): one starts in (end of ``before``, end of
        ``after``], or ends in [start of ``before``, start of ``after``).

        >>> _Bounds(["2020-01-05"], ["2020-03-01"]).change(("2020-01-01", "2020-01-31"), ("2020-02-01", "2020-02-29"))
        False
        """
        (low, high), (next_low, next_high) = before, after
        return (bisect_right(self.starts, next_high) > bisect_right(self.starts, high)
                or bisect_left(self.ends, next_low) > bisect_left(self.ends, low))


# Checking the options ----------------------------------------------------------------------

@dataclass(slots=True)
class _Options:
    """The checked options of one projection."""

    view: str
    day: str | None  # as_of
    window: tuple[str, str] | None  # between
    evidence: str
    statuses: set[str] | None
    include_generic: bool
    relations: set[str] | None
    provenance: bool = True  # the table's edges with what lies behind them

    def record(self) -> dict:
        """The options as ``graph.graph`` records them."""
        return dict(view=self.view, as_of=self.day, between=list(self.window) if self.window else None,
                    evidence=self.evidence, status=sorted(self.statuses) if self.statuses else None,
                    include_generic=self.include_generic,
                    relations=sorted(self.relations) if self.relations else None, provenance=self.provenance)


def _check_statuses(status: Iterable[str] | None) -> set[str] | None:
    """The statuses asked for, lower case; None for any."""
    if not status:
        return None
    statuses = {s.strip().lower() for s in status}
    bad = statuses - set(STATUSES)
    if bad:
        raise UsageError(f"unknown status {', '.join(sorted(bad))} (statuses: {', '.join(STATUSES)})")
    return statuses


def _view_entries(view: str, projection: Sequence[Relation] | None,
                  relations: Iterable[str] | None) -> tuple[list[Relation], set[str] | None]:
    """The projection entries of ``view`` (only those of ``relations`` when given), and the relations asked for."""
    entries = [r for r in (projection if projection is not None else load_projection()) if view in r.views]
    if not relations:
        return entries, None
    wanted = {r.strip() for r in relations if r.strip()}
    known = {r.relation for r in entries}
    unknown = wanted - known
    if unknown:
        raise UsageError(f"unknown relation(s) {', '.join(sorted(unknown))} in the {view} view "
                         f"(relations: {', '.join(sorted(known))})")
    return [r for r in entries if r.relation in wanted], wanted


def _check_evidence(store: Store, evidence: str) -> None:
    """Raise UsageError unless ``evidence`` is all, curated or a dataset imported into ``store``."""
    if evidence in ("all", "curated"):
        return
    datasets = sorted({_evidence_kind(g) for g in store.named_graphs() if g.startswith(DATASET_GRAPHS)})
    if evidence not in datasets:
        raise UsageError(f"unknown evidence {evidence!r} (all, curated"
                         + "".join(f", {d}" for d in datasets) + " in this store)")


# Reading the store ------------------------------------------------------------------------

def _rest_facts(store: Store, *, with_table: bool) -> _Facts:
    """The facts of the ties and events behind the relations read by their queries.

    Beside the event-tie table (``with_table``), they are read from the graphs that are not
    imported datasets, and from the datasets of ties and interactions (a table import), whose
    records are evidence of those relations too: reading the facts of every imported event was
    most of those relations' time (100,000 events: 6.3 s against 0.3 s). Else from every graph.
    """
    if not with_table:
        return _Facts(store)
    graphs = store.named_graphs()
    curated = [g for g in graphs if not g.startswith((DATASET_GRAPHS, DATASET_INFERRED_GRAPHS))]
    tallied = [g for g in graphs if g.startswith(DATASET_GRAPHS) and store.query(_has_ties(g)).rows]
    inferred = [DATASET_INFERRED_GRAPHS + g[len(DATASET_GRAPHS):] for g in tallied]
    return _Facts(store, graphs=curated + tallied + [g for g in inferred if g in graphs])


def add_provenance(store: Store | _HasStore, network: nx.MultiDiGraph,
                   keys: Iterable[tuple[str, str, str]] | Mapping[tuple[str, str, str], dict], *,
                   table: TieTable | None = None) -> int:
    """Give the edges ``keys`` (u, v, relation) of a network projected without provenance what
    lies behind them (``events``, ``sources``, ``statements``, ``evidence``, ``spans`` ...),
    in place, from the store's event-tie table and with the network's own options; return how
    many edges gained it. ``keys`` may map each key to a copy of the edge's attributes: the
    copies gain it, and the network is left as it is (an export writes a batch at a time).

    The result is what a projection with provenance gives those edges: a command chooses its
    edges on counts (a diff's changed ties, a page's heaviest ties) and fetches the evidence of
    those alone. Keys not in ``network``, and edges that have it already, are left as they are.
    ``table``: the store's table when the caller has read it already (:func:`kept_table`).

    >>> from conflictgraph.build.pipeline import build_store
    >>> from conflictgraph.importers.dataset import import_events
    >>> store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
    >>> _ = import_events(store, "acled", MINI.parent / "acled" / "acled.csv")
    >>> light = project(store, provenance=False)
    >>> key = next(k for k in light.edges(keys=True) if "events" not in light.edges[k])
    >>> add_provenance(store, light, [key]), light.edges[key] == project(store).edges[key]
    (1, True)
    """
    given = keys.items() if isinstance(keys, Mapping) else ((key, network.get_edge_data(*key)) for key in keys)
    wanted = {key: data for key, data in given  # filled in place
              if key[2] in RELATIONS and data is not None and "events" not in data}
    if not wanted:
        return 0
    info = network.graph
    return fill_provenance(table if table is not None else kept_table(_store_of(store)), wanted,
                           as_of=info.get("as_of"), between=info.get("between"),
                           evidence=info.get("evidence") or "all", statuses=info.get("status"))


def listed_events(network: nx.MultiDiGraph) -> set[str]:
    """The events the edges of ``network`` list (those with provenance), each once."""
    return {e for neighbours in raw_adjacency(network).values() for keyed in neighbours.values()
            for attrs in keyed.values() for e in attrs.get("events", ())}


def dataset_table(store: Store | _HasStore) -> TieTable | None:
    """The store's event-tie table (:func:`~conflictgraph.network.ties.kept_table`) when it holds
    imported datasets, else None (nothing to read or extract)."""
    store = _store_of(store)
    if not any(g.startswith(DATASET_GRAPHS) for g in store.named_graphs()):
        return None
    return kept_table(store)


def table_event_months(store: Store | _HasStore, network: nx.MultiDiGraph, keys: Iterable[tuple[str, str, str]],
                       *, table: TieTable | None = None) -> EventMonths:
    """The events of the store's event-tie table behind the edges ``keys`` of ``network`` (as
    its projection options keep them), counted per edge, per node and in all, per month
    (:func:`~conflictgraph.network.tie_edges.event_months`); nothing on a store without
    imported datasets. ``table``: as for :func:`add_provenance` (the store's graphs are then not
    listed again: a table of a store without datasets has no rows)."""
    if table is None:
        table = dataset_table(store)
        if table is None:
            return EventMonths({}, {}, (0, {}))
    info = network.graph
    return event_months(table, [key for key in keys if key[2] in RELATIONS],
                        as_of=info.get("as_of"), between=info.get("between"),
                        evidence=info.get("evidence") or "all", statuses=info.get("status"))


def _rows(store: Store, entries: list[Relation]) -> Iterator[tuple[Relation, list[dict]]]:
    """Each entry with the rows of its query (run as the entry's turn comes)."""
    for entry in entries:
        yield entry, store.query(SPARQL_PREFIXES + entry.query).rows


@dataclass(slots=True)
class _EdgeRows:
    """What the rows found so far say of one (pair, relation) edge."""

    relation: str
    label: str
    sign: int
    symmetric: bool
    rows: set[tuple[str, ...]] = field(default_factory=set)  # the tie and event nodes of each row
    statements: Evidence = field(default_factory=dict)
    ties: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    via: set[str] = field(default_factory=set)
    starts: list[str | None] = field(default_factory=list)
    ends: list[str | None] = field(default_factory=list)
    status: set[str] = field(default_factory=set)
    weight_rules: set[str] = field(default_factory=set)

    def add(self, entry: Relation, row: dict, nodes: list[str], items: Evidence, start: str | None,
            end: str | None, facts: _Facts) -> None:
        """Add one row of ``entry``: its tie and event ``nodes``, their evidence ``items`` and span."""
        self.rows.add(tuple(nodes))
        self.statements.update(items)
        self.ties.update(nodes)
        for node in nodes:
            if node in facts.events:
                self.events.add(node)
            info = facts.nodes.get(node)
            self.status.update(info.status if info is not None and info.status else _CLAIMED)
        for v in entry.via:
            if row.get(v) is not None:
                self.via.add(str(row[v]))
        self.starts.append(start)
        self.ends.append(end)
        self.weight_rules.add(entry.weight)


@dataclass(slots=True)
class _Admitted:
    """A row of a relation's query that draws an edge and passes the evidence and status
    filters: its edge, its tie and event nodes, their evidence and the span they share (the
    window is tested per projection)."""

    entry: Relation
    row: dict
    key: tuple[str, str, str]
    nodes: list[str]
    items: Evidence
    start: str | None
    end: str | None


def _admitted(rows: Iterable[tuple[Relation, list[dict]]], facts: _Facts, node_attrs: dict[str, dict],
              filters: _Options) -> list[_Admitted]:
    """The ``rows`` of each entry's query that draw an edge of the view and pass the filters."""
    allowed_kinds = _VIEW_KINDS[filters.view]
    admitted = []
    for entry, found in rows:
        for row in found:
            pair = _row_ends(row, entry, node_attrs, allowed_kinds, filters.include_generic)
            if pair is None:
                continue
            nodes = [str(row[v]) for v in entry.evidence if row.get(v) is not None]
            if not nodes:
                continue
            evidence = _row_evidence(nodes, facts, filters)
            if evidence is not None:
                admitted.append(_Admitted(entry, row, (*pair, entry.relation), nodes, *evidence))
    return admitted


def _collect_edges(rows: Iterable[_Admitted], facts: _Facts, options: _Options
                   ) -> dict[tuple[str, str, str], _EdgeRows]:
    """The admitted ``rows`` in force in the window of ``options``, gathered per (a, b, relation)."""
    edges: dict[tuple[str, str, str], _EdgeRows] = {}
    for found in rows:
        if not _in_window(found.start, found.end, options.day, options.window):
            continue
        edge = edges.get(found.key)
        if edge is None:  # (not setdefault: that would build the empty edge for every row)
            entry = found.entry
            edge = edges[found.key] = _EdgeRows(entry.relation, entry.label, entry.sign, entry.symmetric)
        edge.add(found.entry, found.row, found.nodes, found.items, found.start, found.end, facts)
    return edges


def _row_ends(row: dict, entry: Relation, node_attrs: dict[str, dict], allowed_kinds: set[str],
              include_generic: bool) -> tuple[str, str] | None:
    """The two ends of a row's edge (the smaller IRI first when symmetric), or None when the row
    draws no edge (an end missing, a loop, an end not a node of the view, a generic end)."""
    a, b = row.get("a"), row.get("b")
    if a is None or b is None:
        return None
    a, b = str(a), str(b)
    if a == b:
        return None
    ends = [node_attrs.get(a), node_attrs.get(b)]
    if any(attrs is None or attrs["kind"] not in allowed_kinds for attrs in ends):
        return None
    if not include_generic and any(attrs["generic"] for attrs in ends):  # type: ignore[index]
        return None
    if entry.symmetric and b < a:
        a, b = b, a
    return a, b


def _row_evidence(nodes: list[str], facts: _Facts,
                  options: _Options) -> tuple[Evidence, str | None, str | None] | None:
    """The evidence items of a row's tie and event ``nodes`` and the span they share, or None when
    a node fails the evidence or status filter."""
    items: Evidence = {}
    starts, finishes = [], []
    for node in nodes:
        kept = facts.admits(node, options.evidence, options.statuses)
        if kept is None:
            return None
        items.update(kept)
        info = facts.nodes.get(node)
        if info is not None:
            if info.start:
                starts.append(info.start)
            if info.end:
                finishes.append(info.end)
    return items, max(starts) if starts else None, min(finishes) if finishes else None


# Assembling the graph ----------------------------------------------------------------------

def _attributes(edges: dict[tuple[str, str, str], _EdgeRows], facts: _Facts
                ) -> Iterator[tuple[tuple[str, str, str], dict]]:
    """The gathered ``edges`` in key order with their network attributes; each working edge is
    freed (popped) as its attributes are made."""
    for key in sorted(edges):
        yield key, _edge_attributes(edges.pop(key), facts)


def _edges(rows: Iterable[_Admitted], facts: _Facts, options: _Options) -> dict[tuple[str, str, str], dict]:
    """The edges of the admitted ``rows`` in the window of ``options``, with their attributes, by key."""
    return dict(_attributes(_collect_edges(rows, facts, options), facts))


def network_span(network: nx.MultiDiGraph) -> tuple[str, str] | None:
    """The first and the last date of the edges of ``network``, None when none is dated."""
    return _dated(attrs for neighbours in raw_adjacency(network).values() for keyed in neighbours.values()
                  for attrs in keyed.values())


def _in_sorted(values: Sequence[str], value: str) -> bool:
    """Whether ``value`` is among the sorted ``values``.

    >>> _in_sorted(["a", "c"], "c"), _in_sorted(["a", "c"], "b")
    (True, False)
    """
    at = bisect_left(values, value)
    return at < len(values) and values[at] == value


def _dated(edges: Iterable[dict]) -> tuple[str, str] | None:
    """The first and the last date of ``edges`` (attributes), None when none is dated."""
    found = [day for attrs in edges for day in (attrs.get("start"), attrs.get("end")) if day]
    return (min(found), max(found)) if found else None


def _assemble(edges: Iterable[tuple[tuple[str, str, str], dict]], node_attrs: dict[str, dict],
              options: _Options) -> nx.MultiDiGraph:
    """The network of ``edges`` ((a, b, relation) and attributes, in key order) and their end nodes."""
    import networkx as nx

    graph = nx.MultiDiGraph(**options.record(), window=describe_window(options.day, options.window))
    # networkx's own layout of a MultiDiGraph (what add_node and add_edge build), filled
    # directly: each attribute dict is placed as it is, not copied key by key (100,000 events:
    # add_edge was 1.7 s of a 3.8 s projection)
    nodes, succ, pred = graph._node, graph._succ, graph._pred
    for (a, b, relation), attrs in edges:
        for node in (a, b):
            if node not in nodes:
                nodes[node] = {k: (list(v) if isinstance(v, list) else v) for k, v in node_attrs[node].items()}
                succ[node], pred[node] = {}, {}
        keyed = succ[a].get(b)
        if keyed is None:
            keyed = succ[a][b] = pred[b][a] = {}
        keyed[relation] = attrs
    return graph


def _edge_attributes(edge: _EdgeRows, facts: _Facts) -> dict:
    """The attributes of a network edge: weight, dates, statements, sources, evidence counts, ..."""
    items = edge.statements
    statements = [s for s, (_src, _kind, is_statement) in items.items() if is_statement]
    sources = sorted({src for src, _kind, _is in items.values() if src})
    attrs = dict(relation=edge.relation, label=edge.label, sign=edge.sign, weight=_weight(edge, sources),
                 symmetric=edge.symmetric,
                 start=None if None in edge.starts else min(edge.starts),  # type: ignore[type-var]
                 end=None if None in edge.ends else max(edge.ends),  # type: ignore[type-var]
                 statements=sorted(statements), sources=sources, events=sorted(edge.events),
                 ties=sorted(edge.ties), via=sorted(edge.via),
                 evidence=dict(sorted(Counter(kind for _s, kind, _is in items.values()).items())),
                 status=sorted(edge.status))
    if edge.events:
        attrs["fatalities"] = _fatalities(edge.events, facts)
        attrs["fatalities_low"] = _fatalities(edge.events, facts, ("Low",))
        attrs["fatalities_high"] = _fatalities(edge.events, facts, ("High",))
    tallied = [info.interactions for info in map(facts.nodes.get, edge.ties)
               if info is not None and info.interactions is not None]
    if tallied:
        attrs["interactions"] = sum(tallied)
    spans = merge_spans(zip(edge.starts, edge.ends))
    if len(spans) > 1:
        attrs["spans"] = spans
    return attrs


def _weight(edge: _EdgeRows, sources: list[str]) -> int:
    """The weight by the relation's rule: distinct evidence items, sources or events; rows when none."""
    rule = next(iter(edge.weight_rules))
    if rule == "statements":
        return len(edge.statements) or len(edge.rows)
    if rule == "sources":
        return len(sources) or len(edge.rows)
    if rule == "events":
        return len(edge.events) or len(edge.rows)
    return len(edge.rows)


def _fatalities(events: set[str], facts: _Facts, estimates: tuple[str, ...] = ("Best", "Low", "High")) -> int | None:
    """The deaths counted at ``events`` (those without a count add none); None when none has one."""
    known = [c for c in (facts.fatalities(e, estimates) for e in events) if c is not None]
    return sum(known) if known else None
