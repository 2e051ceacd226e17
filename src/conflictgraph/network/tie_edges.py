"""Fold the event-tie table's rows into the projection's edges (:mod:`conflictgraph.network.ties`
keeps the table; :func:`conflictgraph.network.projection.project` uses these for the ``fought``
and ``fought-alongside`` relations of imported events).

- :func:`select`: the rows kept by the projection's options (window with the projection's
  semantics, evidence kind, status, generic actors, allowed end nodes), as row numbers;
- :func:`aggregate`: those rows folded per (a, b, relation) into the edge attributes the
  projection gives (weight, start, end, sources, events, evidence, status, fatalities ...),
  for every edge or only the edges named (what lies behind an edge can be fetched for the few
  edges a command shows, after it has chosen them on counts alone);
- :func:`merge_edges`: adds the edges of the residual events (those the table leaves to the
  queries) onto the same keys;
- :func:`dated_span`: the first and last date of those edges, without making them;
- :func:`event_count`: how many events lie behind chosen edges, each once;
- :func:`event_months`: how many events lie behind chosen edges, per month, per edge, per node
  and in all, counted on the table's columns (a page of the heaviest ties of a million events
  counts 1.3 million event-edge rows: seconds as Python sets of event ids);
- :func:`counterparts`: whom one actor fought against and alongside in the table's events, with
  their counts, deaths and days (what ``show`` sums up; :func:`table_counterparts` hands it over
  with the events the store is still asked about).

Apart from the table's module so that changing how rows are folded does not make every kept
table stale (a kept file records the version of the code that extracted it).

Examples
--------
>>> from conflictgraph.build.pipeline import build_store
>>> from conflictgraph.importers.dataset import import_events
>>> from conflictgraph.network.ties import extract_ties
>>> store, _ = build_store(":memory:", graph_dirs=(MINI,), bundled=False)
>>> _ = import_events(store, "acled", MINI.parent / "acled" / "acled.csv")
>>> edges = aggregate(extract_ties(store), event_relations(), between=("2023-11-01", "2023-11-30"))
>>> all(attrs["evidence"] == {"acled": attrs["weight"]} for attrs in edges.values())
True
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from conflictgraph.gcpause import gc_paused
from conflictgraph.network.spec import Relation, merge_spans
from conflictgraph.network.ties import (FOUGHT, NO_END, NO_START, RELATIONS, TieTable, days, event_relations,
                                       iso_days, sorted_distinct, table_if_kept)
from conflictgraph.query.describe import KnownCounterparts
from conflictgraph.store.base import Store

__all__ = ["select", "aggregate", "fill_provenance", "merge_edges", "dated_span", "event_count", "event_months",
           "EventMonths", "event_relations", "counterparts", "table_counterparts"]

EdgeKey = tuple[str, str, str]  # (a, b, relation), as the projection keys its edges


def select(table: TieTable, *, as_of: str | None = None, between: Sequence[str] | None = None,
           evidence: str = "all", statuses: Iterable[str] | None = None, include_generic: bool = False,
           generic: Iterable[str] = (), nodes: Iterable[str] | None = None,
           relations: Iterable[str] | None = None, keys: Iterable[EdgeKey] | None = None) -> np.ndarray:
    """The rows :func:`aggregate` keeps for these options, as ascending row numbers (same
    parameters).

    >>> table = TieTable.from_events([{"event": "e1", "kind": "acled", "sideA": ["x"], "sideB": ["y"],
    ...                                "start": "2023-01-05", "end": "2023-01-05"}])
    >>> select(table, as_of="2023-01-05").tolist(), select(table, as_of="2023-01-06").tolist()
    ([0], [])
    >>> select(table, keys=[("x", "y", "fought-alongside")]).tolist()
    []
    """
    # What depends on the event (its dates and dataset) is tested per event, then looked up
    # per row: a million events, 3 ms and 6 ms against 25 ms to look up each row's dates first;
    # and a period without an event in force costs no look-up at all. The other tests look at
    # the rows left only (a month of a million events: 50,000 of 2.9 million rows).
    kept = _kept_events(table, as_of=as_of, between=between, evidence=evidence, statuses=statuses)
    if not kept.any():
        return np.zeros(0, dtype=np.intp)
    if keys is not None:
        rows = _rows_of(table, keys)
        rows = rows[kept[table.event[rows]]]
    else:
        rows = np.flatnonzero(kept[table.event]) if not kept.all() else np.arange(len(table))
    if relations is not None:
        wanted = [RELATIONS.index(r) for r in relations if r in RELATIONS]
        if len(set(wanted)) < len(RELATIONS):
            rows = rows[np.isin(table.relation[rows], wanted)]
    allowed = np.ones(len(table.actors), dtype=bool)
    if nodes is not None:
        allowed &= table.actors.mask(nodes)
    if not include_generic:
        allowed &= ~table.actors.mask(generic)
    if not allowed.all():
        rows = rows[allowed[table.a[rows]] & allowed[table.b[rows]]]
    return rows


def _kept_events(table: TieTable, *, as_of: str | None, between: Sequence[str] | None, evidence: str,
                 statuses: Iterable[str] | None) -> np.ndarray:
    """Per event of the table, whether :func:`select`'s window, evidence and statuses keep it."""
    start, end = table.event_start, table.event_end
    kept = start <= end  # evidence that never held at one time (sentinels never trip this)
    if statuses is not None and "claimed" not in {s.strip().lower() for s in statuses}:
        kept[:] = False  # no event of the table has a status: each is "claimed"
    if evidence != "all":
        codes = table.kinds.index()
        kept &= (table.event_kind == codes[evidence]) if evidence in codes else False
    if as_of is not None:
        day = days([as_of])[0]
        kept &= (start <= day) & (end >= day)
    elif between is not None:
        low, high = days(list(between))
        kept &= (start <= high) & (end >= low)
    return kept


def _rows_of(table: TieTable, keys: Iterable[EdgeKey]) -> np.ndarray:
    """The rows of the edges ``keys``, ascending (the table is sorted by edge: each edge's rows
    are one run of the rows' codes, found by bisection).

    >>> table = TieTable.from_events([{"event": "e1", "kind": "acled", "sideA": ["x"], "sideB": ["y", "z"]}])
    >>> _rows_of(table, [("x", "z", "fought"), ("y", "z", "fought-alongside")]).tolist()  # (x-y fought first)
    [1, 2]
    """
    codes, wanted = _row_codes(table), _key_codes(table, keys)
    first = np.searchsorted(codes, wanted, "left")
    lengths = np.searchsorted(codes, wanted, "right") - first
    offsets = np.repeat(first - np.r_[0, np.cumsum(lengths)[:-1]], lengths)
    return offsets + np.arange(len(offsets))


def _row_codes(table: TieTable, rows: np.ndarray | None = None) -> np.ndarray:
    """One int64 per row (of ``rows``, else of all) for its (a, b, relation): ascending, as the
    table's rows are sorted."""
    a, b, rel = ((table.a, table.b, table.relation) if rows is None
                 else (table.a[rows], table.b[rows], table.relation[rows]))
    return (a.astype(np.int64) * len(table.actors) + b) * len(RELATIONS) + rel


def _key_codes(table: TieTable, keys: Iterable[EdgeKey]) -> np.ndarray:
    """The codes (:func:`_row_codes`) of the edge ``keys`` whose ends and relation the table knows.

    >>> table = TieTable.from_events([{"event": "e1", "kind": "acled", "sideA": ["x"], "sideB": ["y"]}])
    >>> _key_codes(table, [("x", "y", "fought"), ("x", "z", "fought"), ("x", "y", "co-member")]).tolist()
    [2]
    """
    actors = table.actors.index()
    codes = [code for code in (_key_code(table, actors, key) for key in keys) if code is not None]
    return np.array(sorted(codes), dtype=np.int64)


def _key_code(table: TieTable, actors: Mapping[str, int], key: EdgeKey) -> int | None:
    """The code (:func:`_row_codes`) of the edge ``key``, None when the table does not know its
    ends or relation (``actors``: the table's actor codes, ``table.actors.index()``)."""
    a, b, relation = key
    if a not in actors or b not in actors or relation not in RELATIONS:
        return None
    return (actors[a] * len(table.actors) + actors[b]) * len(RELATIONS) + RELATIONS.index(relation)


def aggregate(table: TieTable, entries: Sequence[Relation], *, as_of: str | None = None,
              between: Sequence[str] | None = None, evidence: str = "all", statuses: Iterable[str] | None = None,
              include_generic: bool = False, generic: Iterable[str] = (),
              nodes: Iterable[str] | None = None, provenance: bool | Collection[EdgeKey] = True,
              keys: Iterable[EdgeKey] | None = None) -> dict[EdgeKey, dict]:
    """Fold the table's rows into edges, as the projection does for the event relations.

    Parameters
    ----------
    table : TieTable
    entries : list of Relation
        The relations to fold (those of :data:`RELATIONS` among them; their labels and signs).
    as_of : str, optional
        An ISO day: keep the events in force on it (start <= day <= end; open bounds hold).
    between : (str, str), optional
        ISO days: keep the events in force on some day of the period.
    evidence : str
        ``"all"``, ``"curated"`` (no table event is curated: nothing) or a dataset name.
    statuses : iterable of str, optional
        Keep ties of these statuses; the table's events have none, so are ``claimed``.
    include_generic : bool
        Keep edges with a generic actor at one end.
    generic : iterable of str
        The IRIs of the generic actors (``cg:generic true`` or a cg:GenericActor).
    nodes : iterable of str, optional
        The IRIs that may be edge ends (the view's node kinds).
    provenance : bool or collection of (a, b, relation)
        Give each edge what lies behind it (``events``, ``ties``, ``sources``, ``statements``,
        ``via``, ``evidence``, ``status``, ``spans``); or only the edges of these keys. Without
        it an edge has only what an analysis weighs: relation, label, sign, weight (its number
        of events), symmetric, start, end and the fatality sums (a dense million-event network:
        923,000 edges, half the time and memory).
    keys : iterable of (a, b, relation), optional
        Fold only the rows of these edges (the others are not made at all).

    Returns
    -------
    dict
        ``(a, b, relation) -> attributes``, the attributes the projection gives such an edge.

    Examples
    --------
    >>> table = TieTable.from_events([
    ...     {"event": "e1", "kind": "acled", "sideA": ["x"], "sideB": ["y"], "start": "2023-01-05",
    ...      "end": "2023-01-05", "best": 2},
    ...     {"event": "e2", "kind": "ucdp-ged", "sideA": ["y"], "sideB": ["x"], "start": "2023-03-01",
    ...      "end": "2023-03-31", "low": 1, "high": 9}])
    >>> edge = aggregate(table, event_relations())["x", "y", "fought"]
    >>> edge["weight"], edge["start"], edge["end"], edge["fatalities"], edge["evidence"]
    (2, '2023-01-05', '2023-03-31', 3, {'acled': 1, 'ucdp-ged': 1})
    >>> aggregate(table, event_relations(), as_of="2023-03-15")["x", "y", "fought"]["events"]
    ['e2']
    >>> counted = aggregate(table, event_relations(), provenance=False)["x", "y", "fought"]
    >>> counted["weight"], "events" in counted
    (2, False)
    >>> aggregate(table, event_relations(), provenance=[("x", "y", "fought")])["x", "y", "fought"]["events"]
    ['e1', 'e2']
    >>> aggregate(table, event_relations(), keys=[("x", "y", "fought-alongside")])
    {}
    >>> aggregate(table, event_relations(), evidence="curated")
    {}
    """
    meta = {r.relation: (r.label, r.sign) for r in entries if r.relation in RELATIONS}
    rows = select(table, as_of=as_of, between=between, evidence=evidence, statuses=statuses,
                  include_generic=include_generic, generic=generic, nodes=nodes, relations=meta, keys=keys)
    if len(rows) == 0:
        return {}
    a, b, rel, ev, first, weight = _groups(table, rows)
    starts = iso_days(np.minimum.reduceat(table.event_start[ev], first))
    ends = iso_days(np.maximum.reduceat(table.event_end[ev], first))
    fatalities, low_sums, high_sums = (_summed_counts(counts[ev], first)
                                       for counts in (table.fatalities(), table.event_low, table.event_high))
    names = table.actors.strings
    constant = [(relation, *meta.get(relation, ("", 0))) for relation in RELATIONS]
    out: dict[tuple[str, str, str], dict] = {}
    with gc_paused():  # collections triggered by the many new dicts would cost more than the loop
        for x, y, r, w, start, end, fat, low, high in zip(
                a[first].tolist(), b[first].tolist(), rel[first].tolist(), weight.tolist(), starts, ends,
                fatalities, low_sums, high_sums):
            relation, label, sign = constant[r]
            out[names[x], names[y], relation] = {
                "relation": relation, "label": label, "sign": sign, "weight": w, "symmetric": True,
                "start": start, "end": end, "fatalities": fat, "fatalities_low": low, "fatalities_high": high}
        if provenance is True:
            _add_provenance(list(out.values()), table, ev, first, weight)
        elif provenance:
            _add_some_provenance(out, table, rows, ev, first, weight, provenance)
    return out


def fill_provenance(table: TieTable, edges: Mapping[EdgeKey, dict], *, as_of: str | None = None,
                    between: Sequence[str] | None = None, evidence: str = "all",
                    statuses: Iterable[str] | None = None) -> int:
    """Give each edge of ``edges`` (attribute dicts by key, made by :func:`aggregate` without
    provenance with the same options) what lies behind it, in place: what ``aggregate`` with
    provenance adds (``events``, ``sources``, ``evidence``, ``spans`` ...); return how many
    edges the table has rows for. The counts and dates the edges have are left as they are.

    >>> table = TieTable.from_events([{"event": "e1", "kind": "acled", "sideA": ["x"], "sideB": ["y"],
    ...                                "start": "2023-01-05", "end": "2023-01-05"}])
    >>> edges = aggregate(table, event_relations(), provenance=False)
    >>> fill_provenance(table, edges), edges["x", "y", "fought"]["events"]
    (1, ['e1'])
    """
    rows = select(table, as_of=as_of, between=between, evidence=evidence, statuses=statuses, include_generic=True,
                  keys=edges)
    if len(rows) == 0:
        return 0
    a, b, rel, ev, first, weight = _groups(table, rows)
    names = table.actors.strings
    with gc_paused():
        targets = [edges[names[x], names[y], RELATIONS[r]]
                   for x, y, r in zip(a[first].tolist(), b[first].tolist(), rel[first].tolist())]
        _add_provenance(targets, table, ev, first, weight)
    return len(targets)


def _groups(table: TieTable, rows: np.ndarray) -> tuple[np.ndarray, ...]:
    """The ends, relation and event of ``rows`` (sorted by edge, as the table is) and the
    groups they make, one per edge: (a, b, relation, event, first row of each group, its rows)."""
    a, b, rel, ev = table.a[rows], table.b[rows], table.relation[rows], table.event[rows]
    change = np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1]) | (rel[1:] != rel[:-1])]
    first = np.flatnonzero(change)
    return a, b, rel, ev, first, np.diff(np.r_[first, len(rows)])


def _add_some_provenance(out: dict[EdgeKey, dict], table: TieTable, rows: np.ndarray, ev: np.ndarray,
                         first: np.ndarray, weight: np.ndarray, keys: Collection[EdgeKey]) -> None:
    """:func:`_add_provenance` for the edges of ``out`` (one per group of ``rows``, in order)
    whose key is among ``keys``."""
    chosen = np.isin(_row_codes(table, rows[first]), _key_codes(table, keys))
    if not chosen.any():
        return
    edges = list(out.values())
    picked = [edges[g] for g in np.flatnonzero(chosen).tolist()]
    sizes = weight[chosen]
    _add_provenance(picked, table, ev[np.repeat(chosen, weight)], np.r_[0, np.cumsum(sizes)[:-1]], sizes)


def _add_provenance(edges: list[dict], table: TieTable, ev: np.ndarray, first: np.ndarray,
                    weight: np.ndarray) -> None:
    """Give each edge of ``edges`` (one per group of rows: the group's events ``ev`` from its
    ``first`` row, ``weight`` rows long) its events, sources, evidence counts and spans."""
    n_groups = len(first)
    group = np.repeat(np.arange(n_groups), weight)
    n_kinds, n_sources = len(table.kinds), len(table.sources)
    per_kind = np.bincount(group * n_kinds + table.event_kind[ev], minlength=n_groups * n_kinds
                           ).reshape(n_groups, n_kinds)
    pair_group, pair_source = _distinct_pairs(group, table.event_source[ev], n_groups, n_sources)
    source_first = np.searchsorted(pair_group, np.arange(n_groups + 1))
    source_names = table.sources.objects[pair_source].tolist()
    ids = table.events.objects[ev].tolist()
    bounds = np.r_[first, len(ev)].tolist()
    evidence_of: list[dict[str, int]] = [{} for _ in range(n_groups)]
    for k, name in enumerate(table.kinds.strings):  # in code order: sorted kind names
        column = per_kind[:, k]
        present = np.flatnonzero(column)
        for g, count in zip(present.tolist(), column[present].tolist()):
            evidence_of[g][name] = count
    for attrs, begin, stop, low, high, evid in zip(edges, bounds, bounds[1:], source_first.tolist(),
                                                   source_first[1:].tolist(), evidence_of):
        attrs["statements"] = []  # (a key at a time: update(**keywords) would build a dict per edge)
        attrs["sources"] = source_names[low:high]
        attrs["events"] = ids[begin:stop]
        attrs["ties"] = ids[begin:stop]
        attrs["via"] = []
        attrs["evidence"] = evid
        attrs["status"] = ["claimed"]
    for g, spans in _gapped_spans(group, table.event_start[ev], table.event_end[ev]).items():
        edges[g]["spans"] = spans


def _distinct_pairs(group: np.ndarray, value: np.ndarray, n_groups: int, n_values: int
                    ) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (group, value) pairs of two columns, sorted by group then value: by counting
    when groups x values is small (a few datasets' sources), else by sorting.

    >>> _distinct_pairs(np.array([0, 0, 1, 1]), np.array([1, 1, 0, 1]), 2, 2)
    (array([0, 1, 1]), array([1, 0, 1]))
    """
    codes = group.astype(np.int64) * n_values + value
    if n_groups * n_values <= 4 * len(codes):
        pairs = np.flatnonzero(np.bincount(codes, minlength=n_groups * n_values))
    else:
        pairs = sorted_distinct(codes)
    return pairs // n_values, pairs % n_values


def _summed_counts(counts: np.ndarray, first: np.ndarray) -> list[int | None]:
    """Per group (rows from each ``first`` index to the next), the sum of the known counts
    (>= 0); None for a group with none known.

    >>> _summed_counts(np.array([2, -1, -1, 5]), np.array([0, 1, 3]))
    [2, None, 5]
    """
    known = counts >= 0
    sums = np.add.reduceat(np.where(known, counts, 0).astype(np.int64), first)
    any_known = np.add.reduceat(known.astype(np.int64), first)
    return [total if n else None for total, n in zip(sums.tolist(), any_known.tolist())]


def _gapped_spans(group: np.ndarray, start: np.ndarray, end: np.ndarray) -> dict[int, list[list[str | None]]]:
    """For each group (ascending ids, one per row) whose rows' [start, end] days leave a gap,
    its merged spans in ISO days (as :func:`~conflictgraph.network.spec.merge_spans` gives them).

    >>> _gapped_spans(np.array([0, 0, 1, 1]), np.array([10, 20, 5, 6], dtype=np.int32),
    ...               np.array([10, 20, 5, 6], dtype=np.int32))
    {0: [['1970-01-11', '1970-01-11'], ['1970-01-21', '1970-01-21']]}
    """
    order = np.lexsort((start, group))
    g = group[order].astype(np.int64)
    s, e = start[order].astype(np.int64), end[order].astype(np.int64)
    offset = g << 33  # above every int32 day: a running maximum never carries into the next group
    reach = np.maximum.accumulate(e + offset) - offset  # the latest end so far within the group
    opens = np.ones(len(g), dtype=bool)
    opens[1:] = (g[1:] != g[:-1]) | (s[1:] > reach[:-1] + 1)
    span_group = g[opens]
    gapped = np.flatnonzero(np.r_[span_group[1:] == span_group[:-1], False] |
                            np.r_[False, span_group[1:] == span_group[:-1]])  # spans of groups with two or more
    if not len(gapped):
        return {}
    begins = np.flatnonzero(opens)
    stops = np.maximum.reduceat(e, begins)
    found: dict[int, list[list[str | None]]] = {}
    for g, day_from, day_to in zip(span_group[gapped].tolist(), iso_days(s[begins[gapped]]), iso_days(stops[gapped])):
        spans = found.get(g)
        if spans is None:
            found[g] = [[day_from, day_to]]
        else:
            spans.append([day_from, day_to])
    return found


def event_count(table: TieTable, nodes: Iterable[str], *, as_of: str | None = None,
                between: Sequence[str] | None = None, evidence: str = "all",
                statuses: Iterable[str] | None = None, relations: Iterable[str] | None = None) -> int:
    """How many events of the table lie behind the edges between ``nodes`` (those
    :func:`aggregate` folds with the same options), each event once: the events of a network
    made with these options, or of a subgraph of it that ``nodes`` induce (an ego network).

    >>> table = TieTable.from_events([
    ...     {"event": "e1", "kind": "acled", "sideA": ["x"], "sideB": ["y", "z"], "start": "2023-01-05"},
    ...     {"event": "e2", "kind": "acled", "sideA": ["x"], "sideB": ["y"], "start": "2023-03-01"}])
    >>> event_count(table, ["x", "y", "z"]), event_count(table, ["x", "z"])
    (2, 1)
    """
    rows = select(table, as_of=as_of, between=between, evidence=evidence, statuses=statuses, include_generic=True,
                  nodes=nodes, relations=relations)
    return len(sorted_distinct(table.event[rows]))


Months = tuple[int, dict[str, int]]  # events, and how many of them in each month ("YYYY-MM")


@dataclass
class EventMonths:
    """The table's events behind some edges: per edge, per node (each event once, whichever
    of the node's edges it is behind) and over all the edges (each event once), the number of
    events and how many of them started in each month (an event with an open start counts in
    the number, in no month)."""

    edges: dict[EdgeKey, Months]
    nodes: dict[str, Months]
    total: Months


def event_months(table: TieTable, keys: Iterable[EdgeKey], *, as_of: str | None = None,
                 between: Sequence[str] | None = None, evidence: str = "all",
                 statuses: Iterable[str] | None = None) -> EventMonths:
    """Count the events of the table behind the edges ``keys`` (those :func:`aggregate` folds
    into them with the same options), per month.

    >>> table = TieTable.from_events([
    ...     {"event": "e1", "kind": "acled", "sideA": ["x"], "sideB": ["y", "z"], "start": "2023-01-05",
    ...      "end": "2023-01-05"},
    ...     {"event": "e2", "kind": "acled", "sideA": ["x"], "sideB": ["y"], "start": "2023-03-01",
    ...      "end": "2023-03-02"}])
    >>> found = event_months(table, [("x", "y", "fought"), ("x", "z", "fought")])
    >>> found.edges["x", "y", "fought"], found.nodes["x"], found.total
    ((2, {'2023-01': 1, '2023-03': 1}), (2, {'2023-01': 1, '2023-03': 1}), (2, {'2023-01': 1, '2023-03': 1}))
    >>> found.nodes["z"]
    (1, {'2023-01': 1})
    """
    rows = select(table, as_of=as_of, between=between, evidence=evidence, statuses=statuses, include_generic=True,
                  keys=keys)
    if not len(rows):
        return EventMonths({}, {}, (0, {}))
    a, b, rel, ev, first, weight = _groups(table, rows)
    month = _event_month(table)
    group = np.repeat(np.arange(len(first)), weight)
    names = table.actors.strings
    edge_keys = [(names[x], names[y], RELATIONS[r]) for x, y, r in
                 zip(a[first].tolist(), b[first].tolist(), rel[first].tolist())]
    edges = dict(zip(edge_keys, _grouped_months(group, month[ev], len(first))))
    n_events = len(table.events)
    pairs = sorted_distinct(np.r_[a, b].astype(np.int64) * n_events + np.r_[ev, ev])  # each (node, event) once
    node, node_event = pairs // n_events, pairs % n_events
    starts = np.flatnonzero(np.r_[True, node[1:] != node[:-1]])  # pairs are sorted by node
    node_group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(node)]))
    nodes = dict(zip([names[n] for n in node[starts].tolist()],
                     _grouped_months(node_group, month[node_event], len(starts))))
    distinct = sorted_distinct(ev)
    [total] = _grouped_months(np.zeros(len(distinct), dtype=np.int64), month[distinct], 1)
    return EventMonths(edges, nodes, total)


def _event_month(table: TieTable) -> np.ndarray:
    """Per event of the table, the month it starts in (months since 1970-01), -1 when open."""
    start = table.event_start
    month = start.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return np.where(start == NO_START, -1, month)


def _grouped_months(group: np.ndarray, month: np.ndarray, n_groups: int) -> list[Months]:
    """Per group 0..n_groups-1 (one group id and one month per row, -1: none): its number of
    rows and its rows per month, as "YYYY-MM" text, in month order.

    >>> _grouped_months(np.array([0, 0, 1]), np.array([636, -1, 637]), 2)
    [(2, {'2023-01': 1}), (1, {'2023-02': 1})]
    """
    counts = np.bincount(group, minlength=n_groups).tolist()
    dated = month >= 0
    low = int(month[dated].min()) if dated.any() else 0
    span = int(month[dated].max()) - low + 1 if dated.any() else 1
    codes = np.sort(group[dated].astype(np.int64) * span + (month[dated] - low))
    bounds = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else np.array([], dtype=np.int64)
    per = np.diff(np.r_[bounds, len(codes)])
    codes = codes[bounds]
    found: list[dict[str, int]] = [{} for _ in range(n_groups)]
    text = np.datetime_as_string(np.arange(low, low + span).astype("datetime64[M]"), unit="M").tolist()
    for code, count in zip(codes.tolist(), per.tolist()):
        found[code // span][text[code % span]] = count
    return list(zip(counts, found))


def merge_edges(base: dict[tuple[str, str, str], dict], extra: Iterable[tuple[tuple[str, str, str], dict]]
                ) -> dict[tuple[str, str, str], dict]:
    """Add the edges ``extra`` (pairs of key and attributes; the residual events') to ``base``,
    in place.

    For a key in both: events, ties, statements, sources, via and status are united (sorted),
    evidence counts added, start is the earlier (None wins: open), end the later, fatalities
    summed over the counts known, weight the number of events (the ``events`` rule of both
    relations). The two sides hold different events (each event is in the table or residual).
    An edge of ``base`` made without provenance (:func:`aggregate`) stays without it: its
    weight gains the other's events (not its weight, which counts rows when it has no event,
    as a full edge's union of events would not).

    >>> one = {("x", "y", "fought"): {"weight": 1, "start": "2023-01-01", "end": "2023-01-01",
    ...        "statements": [], "sources": ["s1"], "events": ["e1"], "ties": ["e1"], "via": [],
    ...        "evidence": {"acled": 1}, "status": ["claimed"], "fatalities": None}}
    >>> two = {"weight": 1, "start": None, "end": "2024-01-01", "statements": ["st"], "sources": ["s2"],
    ...        "events": ["e0"], "ties": ["e0"], "via": [], "evidence": {"curated": 1}, "status": ["claimed"],
    ...        "fatalities": 4}
    >>> edge = merge_edges(one, [(("x", "y", "fought"), two)])["x", "y", "fought"]
    >>> edge["weight"], edge["start"], edge["end"], edge["events"], edge["fatalities"]
    (2, None, '2024-01-01', ['e0', 'e1'], 4)
    """
    for key, other in extra:
        edge = base.get(key)
        if edge is None:
            base[key] = other
            continue
        if "events" in edge:
            _merge_provenance(edge, other)
        edge["start"] = None if edge["start"] is None or other["start"] is None else min(edge["start"], other["start"])
        edge["end"] = None if edge["end"] is None or other["end"] is None else max(edge["end"], other["end"])
        for name in ("fatalities", "fatalities_low", "fatalities_high"):
            counts = [c for c in (edge.get(name), other.get(name)) if c is not None]
            edge[name] = sum(counts) if counts else None
        if "events" in edge:
            edge["weight"] = len(edge["events"]) or edge["weight"] + other["weight"]
        else:
            edge["weight"] += len(other["events"])
    return base


def dated_span(table: TieTable, entries: Sequence[Relation], extra: Mapping[EdgeKey, dict], *,
               evidence: str = "all", statuses: Iterable[str] | None = None, include_generic: bool = False,
               generic: Iterable[str] = (), nodes: Iterable[str] | None = None) -> tuple[str, str] | None:
    """The first and the last date of the edges :func:`aggregate` makes of every date with
    these options (same parameters) once the edges ``extra`` are merged onto them
    (:func:`merge_edges`), found without making them; None when no edge is dated. An edge's
    start is that of its earliest event, none (open) when one of them has none, and the same
    for its end.

    >>> table = TieTable.from_events([
    ...     {"event": "e1", "kind": "acled", "sideA": ["x"], "sideB": ["y"], "start": "2023-01-05",
    ...      "end": "2023-01-05"},
    ...     {"event": "e2", "kind": "acled", "sideA": ["x"], "sideB": ["z"], "end": "2023-03-01"}])
    >>> dated_span(table, event_relations(), {})
    ('2023-01-05', '2023-03-01')
    >>> dated_span(table, event_relations(), {("x", "y", "fought"): {"start": None, "end": "2024-02-01"}})
    ('2023-03-01', '2024-02-01')
    """
    relations = {r.relation for r in entries if r.relation in RELATIONS}
    rows = select(table, evidence=evidence, statuses=statuses, include_generic=include_generic, generic=generic,
                  nodes=nodes, relations=relations)
    starts = ends = codes = np.zeros(0, dtype=np.int32)
    if len(rows):
        _a, _b, _rel, ev, first, _weight = _groups(table, rows)
        starts = np.minimum.reduceat(table.event_start[ev], first)
        ends = np.maximum.reduceat(table.event_end[ev], first)
        codes = _row_codes(table, rows[first])
    actors = table.actors.index()
    found: list[str] = []  # the dates of the extra edges, merged with the table's of the same key
    for key, attrs in extra.items():
        start, end = attrs["start"], attrs["end"]
        code = _key_code(table, actors, key)
        if code is not None:
            g = int(np.searchsorted(codes, code))
            if g < len(codes) and codes[g] == code:
                table_start, table_end = iso_days(np.array([starts[g], ends[g]], dtype=np.int32))
                start = None if start is None or table_start is None else min(start, table_start)
                end = None if end is None or table_end is None else max(end, table_end)
                starts[g], ends[g] = NO_START, NO_END  # (counted here)
        found += [day for day in (start, end) if day]
    dated = np.r_[starts, ends]
    dated = dated[(dated != NO_START) & (dated != NO_END)]
    if len(dated):
        found += [day for day in iso_days(np.array([dated.min(), dated.max()], dtype=np.int32)) if day]
    return (min(found), max(found)) if found else None


def _merge_provenance(edge: dict, other: dict) -> None:
    """Unite the provenance of ``other`` into ``edge`` (see :func:`merge_edges`)."""
    for name in ("events", "ties", "statements", "sources", "via", "status"):
        edge[name] = sorted(set(edge[name]) | set(other[name]))
    edge["evidence"] = dict(sorted((k, edge["evidence"].get(k, 0) + other["evidence"].get(k, 0))
                                   for k in set(edge["evidence"]) | set(other["evidence"])))
    spans = merge_spans([*edge.get("spans", [[edge["start"], edge["end"]]]),
                         *other.get("spans", [[other["start"], other["end"]]])])
    edge.pop("spans", None)
    if len(spans) > 1:
        edge["spans"] = spans


def counterparts(table: TieTable, actor: str) -> list[dict]:
    """Per other actor and relation of ``actor``'s rows in ``table``: ``relation`` (``opponent``
    for ``fought``, ``ally`` for ``fought-alongside``), ``iri``, ``events``, ``deaths`` (the sum
    over those events of each one's best count, else low, else high; None when none has one),
    ``first`` and ``last`` (the earliest and latest day the events can have been on, ISO; None
    when unknown); in no particular order.

    >>> table = TieTable.from_events([
    ...     {"event": "e1", "kind": "acled", "sideA": ["x"], "sideB": ["y"], "best": 3,
    ...      "earliest": "2023-01-05", "latest": "2023-01-05"},
    ...     {"event": "e2", "kind": "acled", "sideA": ["x", "z"], "sideB": ["y"], "low": 1,
    ...      "earliest": "2023-02-01", "latest": "2023-02-28"}])
    >>> [(c["relation"], c["iri"], c["events"], c["deaths"], c["first"], c["last"]) for c in counterparts(table, "x")]
    [('opponent', 'y', 2, 4, '2023-01-05', '2023-02-28'), ('ally', 'z', 1, 1, '2023-02-01', '2023-02-28')]
    """
    code = table.actors.index().get(actor)
    if code is None:
        return []
    rows = np.flatnonzero((table.a == code) | (table.b == code))
    other = np.where(table.a[rows] == code, table.b[rows], table.a[rows]).astype(np.int64)
    group_key = other * 2 + table.relation[rows]
    order = np.argsort(group_key, kind="stable")
    group_key, ev = group_key[order], table.event[rows][order]  # (rows are distinct: an event once a group)
    if not len(ev):
        return []
    first = np.flatnonzero(np.r_[True, group_key[1:] != group_key[:-1]])
    earliest, latest = table.event_earliest[ev], table.event_latest[ev]
    firsts = iso_days(np.minimum.reduceat(np.where(earliest == NO_START, NO_END, earliest), first))
    lasts = iso_days(np.maximum.reduceat(np.where(latest == NO_END, NO_START, latest), first))
    keys, sizes = group_key[first], np.diff(np.r_[first, len(ev)])
    others = table.actors.objects[keys // 2].tolist()
    return [{"relation": "opponent" if relation == FOUGHT else "ally", "iri": iri, "events": size, "deaths": deaths,
             "first": day_first, "last": day_last}
            for iri, relation, size, deaths, day_first, day_last in zip(
                others, (keys % 2).tolist(), sizes.tolist(), _summed_counts(table.fatalities()[ev], first), firsts,
                lasts)]


def table_counterparts(store: Store, actor: str) -> KnownCounterparts | None:
    """What the kept table of ``store`` says of ``actor``'s counterparts (:func:`counterparts`),
    with the events it leaves to the store's queries; None for a store that keeps no table."""
    table = table_if_kept(store)
    return None if table is None else KnownCounterparts(counterparts(table, actor), table.residual)
