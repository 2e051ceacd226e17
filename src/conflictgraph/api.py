"""The library face of conflictgraph: everything the CLI and the server do, for notebooks.

Each command of the CLI is a few lines over one method here, and the server's workers call
the same methods.

Examples
--------
>>> graph = ConflictGraph(build_store(":memory:", graph_dirs=(MINI,), bundled=False)[0])
>>> graph.resolve("Highland Defence Force").iri.short
'actor:hdf'
>>> report = graph.centrality(measure="degree", top=1)
>>> report.sections[0].rows[0]["rank"]
1
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import IO, TYPE_CHECKING

from conflictgraph.build.ontology import load_ontology
from conflictgraph.build.pipeline import build_store, open_for_reading
from conflictgraph.errors import UsageError
from conflictgraph.importers.place_matches import place_proposals
from conflictgraph.importers.reconcile import unreconciled_actors
from conflictgraph.network.analyze.ego import ego_network
from conflictgraph.network.export import write_network
from conflictgraph.network.projection import Projector, network_span, project
from conflictgraph.network.reports import (LISTED_TRIANGLES, balance_report, centrality_report, communities_report,
                                           diff_report, dyads_report, paths_report, periods_report)
from conflictgraph.network.spec import NetworkSpec, parse_period, periods_between
from conflictgraph.network.tie_edges import table_counterparts
from conflictgraph.network.ties import known_events
from conflictgraph.query.catalog import ENTITY_PARAM_TYPES, NamedQuery, load_catalog, parse_date
from conflictgraph.query.claims import claims, disagreements
from conflictgraph.query.describe import describe
from conflictgraph.query.resolve import Entity, NameIndex
from conflictgraph.query.results import Report, Table
from conflictgraph.query.timeline import COLUMNS as TIMELINE_COLUMNS
from conflictgraph.query.timeline import timeline_rows
from conflictgraph.rdf.namespaces import CG, SPARQL_PREFIXES, expand, shorten
from conflictgraph.rdf.safety import check_query
from conflictgraph.rdf.terms import IRI, XSD, Literal, Term
from conflictgraph.render.chart import Timeline
from conflictgraph.settings import DEFAULT_STORE
from conflictgraph.store.base import Dataset, QueryResult, Store
from conflictgraph.store.location import Location
from conflictgraph.viz import MAX_EDGES, Page, build_page, data_summary

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx

__all__ = ["ConflictGraph", "NetworkSpec", "build_store", "open_graph"]

_KIND_ROOTS = {"actor": "Actor", "place": "Place", "operation": "Operation", "source": "Source"}
_SPARQL_WORDS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "INSERT", "DELETE", "LOAD", "CLEAR", "DROP")


class ConflictGraph:
    """A store plus the named queries and the name index."""

    def __init__(self, store: Store):
        self.store = store
        self._names: NameIndex | None = None
        self._catalog: dict[str, NamedQuery] | None = None

    @property
    def names(self) -> NameIndex:
        if self._names is None:
            self._names = NameIndex(self.store)
        return self._names

    @property
    def catalog(self) -> dict[str, NamedQuery]:
        if self._catalog is None:
            self._catalog = load_catalog()
        return self._catalog

    # -- queries --------------------------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None, *, trusted: bool = False,
              dataset: Dataset | None = None) -> QueryResult:
        """Run SPARQL with bound values. Text from outside (``trusted=False``) is parsed first and
        refused if it is an update or uses SERVICE. The query runs over ``dataset`` when given,
        else over the graphs its FROM clauses name, else over the union of all graphs.

        The usual prefixes (cg:, actor:, place:, op:, src:, skos:, dct:, ...) are declared for
        you; a query may still declare its own.
        """
        text = SPARQL_PREFIXES + sparql
        if not trusted:
            check_query(text, line_offset=SPARQL_PREFIXES.count("\n"))
        return self.store.query(text, bindings=bindings, dataset=dataset)

    def named_query(self, name: str) -> NamedQuery:
        """The named query ``name``; a usage error naming where the list is when there is none."""
        if name not in self.catalog:
            raise UsageError(f"no named query {name!r}; 'conflictgraph queries' lists them")
        return self.catalog[name]

    def run_named(self, name: str, params: Mapping[str, str] | None = None) -> QueryResult:
        """Run the named query ``name`` with its parameters given as text (names, dates)."""
        named = self.named_query(name)
        return self.store.query(named.text, bindings=self.bind_params(named, params or {}))

    def run_query(self, text: str, params: Mapping[str, str] | None = None) -> tuple[QueryResult, str | None]:
        """Run a named query (with its parameters given as text) or SPARQL text; return the
        result and the query's title (None for SPARQL text)."""
        if text in self.catalog:
            return self.run_named(text, params), self.catalog[text].title
        if params and " " not in text.strip():  # a word, not SPARQL: a misspelt query name
            self.named_query(text)
        if params:
            raise UsageError("parameters work with named queries only; use VALUES in your own SPARQL")
        if not any(word in text.upper() for word in _SPARQL_WORDS):
            raise UsageError(f"{text!r} is neither SPARQL nor a named query; 'conflictgraph queries' lists them")
        return self.query(text), None

    def query_named(self, name: str, **params: str) -> list[dict]:
        """Run the named query ``name`` with parameters given as text (names, dates)."""
        return self.run_named(name, params).rows

    def bind_params(self, query: NamedQuery, params: Mapping[str, str]) -> dict[str, Term]:
        """Turn text values into terms by each parameter's declared type (all required ones given)."""
        query.check_required(params)
        bound: dict[str, Term] = {}
        for name, text in params.items():
            param = query.param(name)
            if param.type in ENTITY_PARAM_TYPES:
                bound[name] = self.resolve(text, param.type).iri
            elif param.type == "date":
                bound[name] = Literal(parse_date(text), datatype=XSD + "date")
            elif param.type == "integer":
                if not text.strip().lstrip("-").isdigit():
                    raise UsageError(f"parameter {name!r} needs a whole number, not {text!r}")
                bound[name] = Literal(text.strip(), datatype=XSD + "integer")
            elif param.type == "iri":
                bound[name] = IRI(expand(text.strip()))
            else:
                bound[name] = Literal(text)
        return bound

    # -- entities -------------------------------------------------------------------------

    def resolve(self, name: str, kind: str | None = None) -> Entity:
        """The entity called ``name`` (label, acronym, alias); ``kind`` narrows ties: actor,
        place, operation or source."""
        kinds = None
        if kind in _KIND_ROOTS:
            kinds = {shorten(c) for c in load_ontology().subclasses(CG.term(_KIND_ROOTS[kind]))}
        return self.names.resolve(name, kinds=kinds)

    def label(self, iri: str) -> str:
        """The label of a known entity, else the IRI itself."""
        entity = self.names.entities.get(IRI(iri))
        return entity.label if entity else str(iri)

    def show(self, name: str, *, detailed: slice | None = None) -> dict:
        """Everything about the entity called ``name`` (see :func:`conflictgraph.query.describe.describe`;
        ``detailed``: which of its events, in date order, get their label and place; None: all)."""
        iri = self.resolve(name).iri
        return describe(self.store, iri, table_counterparts(self.store, iri), detailed=detailed)

    def entity(self, name: str) -> Report:
        """What :meth:`show` holds about ``name``, as tables (facts, relationships, opponents and
        allies, events, claims) for a notebook: ``graph.entity("KNPLF").to_pandas("Facts")``."""
        report = self.show(name)
        facts = [{"name": f["name"], "value": f["value"], "iri": f["iri"], "property": f["property"]}
                 for f in report.get("facts", [])]
        relationships = [{"type": r["type"], "role": r["role"], "with": "; ".join(w["value"] for w in r["with"]),
                          "start": r["start"], "end": r["end"], "sources": r["sources"], "tie": r["tie"]}
                         for r in report["relationships"]]
        counterparts = [{k: c[k] for k in ("relation", "label", "events", "deaths", "first", "last", "iri")}
                        for c in report.get("counterparts", [])]
        events = [{"date": e["date"], "event": e["event"], "label": e["label"], "types": e["types"], "how": e["how"],
                   "place": e["place"]} for e in report["events"]]
        claims = [{k: v for k, v in c.items() if k != "statements"} for c in report["claims"]]
        meta = {"iri": report["iri"], "label": report["label"], "types": report["types"],
                "aliases": report["aliases"]}
        return Report(meta, [Table(facts, columns=["name", "value", "iri", "property"], title="Facts"),
                             Table(relationships, columns=["type", "role", "with", "start", "end", "sources", "tie"],
                                   title="Relationships"),
                             Table(counterparts, columns=["relation", "label", "events", "deaths", "first", "last",
                                                          "iri"], title="Opponents and allies"),
                             Table(events, columns=["date", "event", "label", "types", "how", "place"],
                                   title="Events"),
                             Table(claims, title="Claims")], report)

    def reconcile(self, *, places: bool = False) -> Table:
        """Imported actor names that match no known actor, with event counts, likely matches and
        the ``owl:sameAs`` line that confirms the likeliest; with ``places``, the places of the
        imported datasets that are likely one place, with the evidence and the line."""
        if places:
            return Table(place_proposals(self.store),
                         columns=["name", "place", "dataset", "events", "same_as_name", "same_as", "same_as_dataset",
                                  "evidence", "line"], title="Places that are likely one")
        return Table(unreconciled_actors(self.store),
                     columns=["name", "actor", "dataset", "events", "likely", "line"], title="Unreconciled actors")

    def claims(self, *, about: str | None = None, claimant: str | None = None) -> Table:
        """Claims with claimant, speaker, date, value, status and source; ``about`` and
        ``claimant`` are entity names."""
        return claims(self.store, about=self.resolve(about).iri if about else None,
                      claimant=self.resolve(claimant, "actor").iri if claimant else None)

    def disagreements(self) -> Table:
        """Every disagreement between sources, each side with its source."""
        return disagreements(self.store)

    def timeline(self, *, actor: str | None = None, place: str | None = None, by: str = "month") -> Timeline:
        """Events and fatalities per period (``by``: week, month or year), curated and imported;
        ``.chart()`` draws them (SVG)."""
        rows = timeline_rows(self.store, actor=self.resolve(actor, "actor").iri if actor else None,
                             place=self.resolve(place, "place").iri if place else None, by=by,
                             known=known_events(self.store))
        return Timeline(rows, columns=list(TIMELINE_COLUMNS), title=f"Events per {by}")

    # -- networks -------------------------------------------------------------------------

    def network(self, spec: NetworkSpec | None = None, **options) -> nx.MultiDiGraph:
        """The projected network (a :class:`networkx.MultiDiGraph`) for ``spec`` or the same
        options as keywords (see :class:`~conflictgraph.network.spec.NetworkSpec`); with a
        ``focus``, only the ego network around that entity."""
        return self._network(spec or NetworkSpec(**options))

    def _network(self, spec: NetworkSpec, *, provenance: bool = True,
                 projector: Projector | None = None) -> nx.MultiDiGraph:
        """The network of :meth:`network`; without ``provenance`` the edges of imported events
        carry their counts, not the events and sources behind them (what a ranking needs).
        ``projector``: what the store holds for ``spec``'s view, read already (several windows
        of one view)."""
        projector = projector or Projector(self.store, **spec.projector_options())
        network = projector.network(**spec.window_options(), provenance=provenance)
        if spec.focus:
            network = ego_network(network, self.resolve(spec.focus).iri, spec.depth, copy=False)
        return network

    def network_tables(self, spec: NetworkSpec | None = None, **options) -> Report:
        """The network of :meth:`network` as two tables, ``Nodes`` and ``Edges`` (one row per
        node and per typed edge, every attribute a column): ``.to_pandas("Edges")``."""
        network = self.network(spec, **options)
        nodes = [{"iri": IRI(node), **attrs} for node, attrs in network.nodes(data=True)]
        edges = [{"from": IRI(u), "to": IRI(v), "relation": key,
                  **{k: val for k, val in attrs.items() if k != "relation"}}
                 for u, v, key, attrs in network.edges(keys=True, data=True)]
        node_columns = ["iri", *sorted({k for row in nodes for k in row} - {"iri"})]
        edge_columns = ["from", "to", "relation",
                        *sorted({k for row in edges for k in row} - {"from", "to", "relation"})]
        return Report(dict(network.graph), [Table(nodes, columns=node_columns, title="Nodes"),
                                            Table(edges, columns=edge_columns, title="Edges")],
                      {"nodes": nodes, "edges": edges})

    def export(self, fmt: str, out: IO[bytes], spec: NetworkSpec | None = None) -> nx.MultiDiGraph:
        """Write the network of ``spec`` to the binary stream ``out`` as gexf, graphml, json or
        trig (:func:`~conflictgraph.network.export.write_network`), every edge with what lies
        behind it; return the network (without it).

        The network is projected without provenance and each batch of edges gets its evidence
        from the event-tie table as it is written: a million events are never held with every
        event id of every edge at once."""
        spec = spec or NetworkSpec()
        projector = Projector(self.store, **spec.projector_options())
        lacking = projector.table is not None  # without a table, no edge of the view lacks its evidence
        network = self._network(spec, provenance=not lacking, projector=projector)
        write_network(network, fmt, out, fetch=projector.add_provenance if lacking else None)
        return network

    def project(self, **options) -> nx.MultiDiGraph:
        """The graph as a :class:`networkx.MultiDiGraph`, without an ego focus.

        Options are those of :func:`conflictgraph.network.projection.project`: ``view``
        ("actors" or "alliance"), ``as_of`` or ``between``, ``evidence``, ``status``,
        ``include_generic``, ``relations``. The analyses of :mod:`conflictgraph.network.analyze`
        take the result.
        """
        return project(self.store, **options)

    def centrality(self, spec: NetworkSpec | None = None, *, measure: str = "all", top: int = 20,
                   ties: str = "auto", sample: int | None = None, engine: str = "auto",
                   weight: str = "evidence") -> Report:
        """Actors ranked by degree, weighted degree, betweenness, eigenvector or PageRank; ties
        weigh their evidence or (``weight="deaths"``) the deaths of their events."""
        return centrality_report(self._network(spec or NetworkSpec(), provenance=False), measure=measure, top=top,
                                 ties=ties, sample=sample, engine=engine, weight=weight)

    def paths(self, source: str, target: str, spec: NetworkSpec | None = None, *, k: int = 1,
              max_hops: int | None = None, ties: str = "auto") -> Report:
        """Shortest paths between two entities (by name) over ``ties``, hop by hop with the kind
        of tie and its evidence (auto: cooperative paths, else paths over any tie, saying so)."""
        spec = spec or NetworkSpec()
        a, b = self.resolve(source).iri, self.resolve(target).iri
        projector = Projector(self.store, **spec.projector_options())
        return paths_report(self._network(spec, provenance=False, projector=projector), a, b, k=k, max_hops=max_hops,
                            relations=spec.relation_names(), label_of=self.label, ties=ties,
                            fetch=projector.add_provenance)

    def dyads(self, spec: NetworkSpec | None = None, *, relation: str = "fought", rank_by: str = "events",
              top: int = 20) -> Report:
        """Pairs of actors tied by ``relation`` ranked by events, deaths or statements, with sources."""
        spec = spec or NetworkSpec()
        projector = Projector(self.store, **spec.projector_options())
        return dyads_report(self._network(spec, provenance=False, projector=projector), relation=relation,
                            rank_by=rank_by, top=top, fetch=projector.add_provenance)

    def communities(self, spec: NetworkSpec | None = None, *, resolution: float = 1.0, seed: int = 42,
                    ties: str = "auto", engine: str = "auto") -> Report:
        """Louvain communities on cooperative ties, shared enemies (hostile), both (signed) or any
        tie; ``engine`` networkx or igraph (auto: igraph above 500 actors)."""
        return communities_report(self._network(spec or NetworkSpec(), provenance=False), resolution=resolution,
                                  seed=seed, ties=ties, engine=engine)

    def balance(self, spec: NetworkSpec | None = None, *, exact_limit: int = 20, restarts: int = 50,
                listed: int | None = LISTED_TRIANGLES) -> Report:
        """Structural balance on signed ties: balanced and unbalanced triangles (counted; the
        first ``listed`` unbalanced ones listed, None: all) and two camps. The evidence is read
        for the ties the rows name only."""
        spec = spec or NetworkSpec()
        projector = Projector(self.store, **spec.projector_options())
        network = self._network(spec, provenance=False, projector=projector)
        return balance_report(network, exact_limit=exact_limit, restarts=restarts, listed=listed,
                              fetch=projector.add_provenance)

    def diff(self, before: str, after: str, spec: NetworkSpec | None = None, *, measure: str = "pagerank",
             top: int = 10, ties: str = "auto", evidence_rows: int | None = None) -> Report:
        """What changed from the period ``before`` to the period ``after`` (each a day, a month, a
        year or START..END): ties that appeared or ended, side switches, rank moves on ``ties``.

        Each changed tie has its event count; its sources, statements and events are read for
        every changed tie, or for the first ``evidence_rows`` only (what a table for reading draws)."""
        spec = spec or NetworkSpec()
        if spec.as_of or spec.between:
            raise UsageError("a diff compares two periods of its own: give no as-of date or period besides them")
        first, second = parse_period(before), parse_period(after)
        if first[0] > second[0]:
            raise UsageError(f"the earlier period {before} starts after the later one {after}")
        # Changes found on counts; the evidence of the ties the answer names fetched afterwards
        # (a million events: 483,000 changed ties of 594,000, each window's provenance 2-3 s).
        projector = Projector(self.store, **spec.projector_options())
        networks = [self._network(spec.window(between=period), provenance=False, projector=projector)
                    for period in (first, second)]
        return diff_report(*networks, start=_period_text(first), end=_period_text(second), measure=measure,
                           top=top, ties=ties, fetch=projector.add_provenance, evidence_rows=evidence_rows)

    def periods(self, spec: NetworkSpec | None = None, *, by: str = "year", measure: str = "pagerank",
                ties: str = "auto", first: str | None = None, last: str | None = None) -> Report:
        """A network per year or month (``by``) from the first to the last dated tie (or from the
        period ``first`` to the period ``last``: a day, a month or a year): its size, the ties
        that appeared and ended since the period before, and its most central actor."""
        spec = spec or NetworkSpec()
        if spec.as_of or spec.between:
            raise UsageError("periods run over every date: give no as-of date or period besides them")
        start, end = parse_period(first)[0] if first else None, parse_period(last)[1] if last else None
        projector = None
        if start is None or end is None:
            projector = Projector(self.store, **spec.projector_options())
            first_day, last_day = self._dated_span(spec, projector)
            start, end = start or first_day, end or last_day
        if start > end:  # (checked before the store is read when both are given)
            raise UsageError(f"the periods would start at {start}, after their end {end}")
        projector = projector or Projector(self.store, **spec.projector_options())  # read once for every period
        networks = self._period_networks(spec, projector, periods_between(start, end, by))
        return periods_report(networks, by=by, measure=measure, ties=ties, event_count=projector.event_count)

    def _period_networks(self, spec: NetworkSpec, projector: Projector, periods: Iterable[tuple[str, str, str]]
                         ) -> Iterator[tuple[str, nx.MultiDiGraph]]:
        """Each period's name and network (without provenance), made when asked for; a period
        in which nothing comes into or goes out of force (:meth:`Projector.same_ties`) gets the
        same network again (whose ``graph`` names the window it was made for, the first of
        those periods). Each network is emptied when the next is made: a networkx graph
        whose views were used is in a reference cycle, and a network command runs without cycle
        collection (:func:`conflictgraph.cli.options.network_options`), so each period's network
        would stay in memory to the end (a million events, 78 years: 2.1 GB at the peak against
        1.2)."""
        network, window = None, None
        for name, low, high in periods:
            if network is None or window is None or not projector.same_ties(window, (low, high)):
                if network is not None:
                    network.clear()
                network = self._network(spec.window(between=(low, high)), provenance=False, projector=projector)
            window = (low, high)
            yield name, network
        if network is not None:
            network.clear()

    def _dated_span(self, spec: NetworkSpec, projector: Projector) -> tuple[str, str]:
        """The first and the last date of the ties of ``spec``'s network of every date (around
        its focus, when it has one)."""
        if spec.focus:
            whole = self._network(spec, provenance=False, projector=projector)
            span = network_span(whole)
            whole.clear()  # freed now (see _period_networks)
        else:
            span = projector.dated_span()
        if span is None:
            raise UsageError("no dated tie in this view, so there are no periods to compare")
        return span

    def viz(self, spec: NetworkSpec | None = None, *, size_by: str = "degree", color_by: str = "type",
            ties: str = "signed", title: str | None = None, layout_threshold: int = 300,
            max_edges: int = MAX_EDGES) -> Page:
        """The interactive network page (:func:`conflictgraph.viz.write_page` writes it).

        The page holds the ties of every date, for its time slider; an as-of date in ``spec``
        sets where the slider starts and the day sizes, communities and camps are computed for.
        It draws at most ``max_edges`` ties (0: all): those with statements, then the heaviest;
        sizes and colours are those of the whole network, and the evidence is read for the ties
        drawn only.
        """
        spec = spec or NetworkSpec()
        day, span = None, "day"
        if spec.as_of:
            if ".." in str(spec.as_of):
                raise UsageError("the page starts at a day, a month or a year; give a longer period with between")
            day, last = parse_period(spec.as_of)
            span = "day" if day == last else ("month" if day[:7] == last[:7] else "year")
        projector = Projector(self.store, **spec.projector_options())
        network = self._network(replace(spec, as_of=None, focus=None), provenance=False, projector=projector)
        analysis = self._network(replace(spec, focus=None), provenance=False, projector=projector) if day else None
        if spec.focus:
            network = ego_network(network, self.resolve(spec.focus).iri, spec.depth, copy=False)
            if analysis is not None:
                analysis = analysis.subgraph([n for n in network if n in analysis]).copy()
        return build_page(network, store=self.store, size_by=size_by, color_by=color_by, ties=ties,
                          analysis_network=analysis, title=title, data_note=data_summary(self.store), as_of=day,
                          as_of_span=span, layout_threshold=layout_threshold, max_edges=max_edges)




def _period_text(period: tuple[str, str]) -> str:
    return period[0] if period[0] == period[1] else f"{period[0]}..{period[1]}"


def open_graph(location: str | Path | Location = DEFAULT_STORE, *,
               notify: Callable[[str], None] | None = None) -> ConflictGraph:
    """Open the store at ``location`` read-only (building the bundled graph if none exists)."""
    return ConflictGraph(open_for_reading(location, notify=notify or (lambda _m: None)))

