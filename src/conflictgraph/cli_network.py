"""Network commands: centrality, path, communities, balance, diff, export.

They share the network options (view, window, evidence and status filters, generic actors,
relations, ego focus) and import networkx and igraph only when they run, so other commands
start without them. Each analysis states what it used (view, window, filters, node and tie
counts) on stderr for text output and as ``analysis`` in JSON output.
"""
from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from conflictgraph.cli import Context, cli, format_option, with_graph
from conflictgraph.output import write_rows

__all__ = ["network_options", "centrality", "path", "communities", "balance", "diff", "export"]

_STATUSES = ("claimed", "admitted", "disputed", "confirmed")


def network_options(func):
    """The options every network command shares (view, window, filters, focus)."""
    options = [
        click.option("--view", type=click.Choice(["actors", "alliance"]), default="actors", show_default=True,
                     help="Actors only, or actors with alliances and operations as nodes."),
        click.option("--as-of", "as_of", metavar="DATE", help="Only ties in force on this day (YYYY[-MM[-DD]])."),
        click.option("--between", nargs=2, metavar="START END", default=None,
                     help="Only ties in force at some time in this period."),
        click.option("--evidence", default="all", show_default=True, metavar="KIND",
                     help="curated, the name of an imported dataset, or all."),
        click.option("--status", "statuses", multiple=True, type=click.Choice(_STATUSES),
                     help="Only ties of this status (repeatable; default any)."),
        click.option("--include-generic", is_flag=True, help="Keep generic actors (civilians, unidentified groups)."),
        click.option("--relations", "relations", multiple=True, metavar="NAMES",
                     help="Only these edge relations (comma-separated or repeated)."),
        click.option("--focus", metavar="NAME", help="Only the ego network around this entity."),
        click.option("--depth", default=1, show_default=True, type=click.IntRange(min=0),
                     help="Ties from --focus to keep."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _relations(values: tuple[str, ...]) -> list[str] | None:
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    return names or None


def _note(message: str) -> None:
    context = click.get_current_context().find_object(Context)
    if context is not None:
        context.note(message)


def _network(graph, *, view, as_of, between, evidence, statuses, include_generic, relations, focus, depth,
             window_override: dict | None = None):
    from conflictgraph.analyze.ego import ego_network
    from conflictgraph.project import project

    window = window_override if window_override is not None else {"as_of": as_of, "between": between}
    network = project(graph, view=view, evidence=evidence, status=statuses or None,
                      include_generic=include_generic, relations=_relations(relations), **window)
    if focus:
        network = ego_network(network, graph.resolve(focus).iri, depth)
    return network


def _emit(meta: dict, fmt: str, sections: list[tuple[str, list[dict], list[str]]], payload: dict) -> None:
    """Write JSON with the analysis metadata, or each section in ``fmt`` with the metadata on stderr."""
    from conflictgraph.analyze.reduce import describe_analysis

    if fmt == "json":
        click.echo(json.dumps({"analysis": meta, **payload}, ensure_ascii=False, indent=2, default=str))
        return
    _note(describe_analysis(meta))
    for i, (title, rows, columns) in enumerate(sections):
        if len(sections) > 1 and fmt in ("csv", "tsv", "ndjson", "markdown"):
            if i:
                sys.stdout.write("\n")
            sys.stdout.write(f"# {title}\n" if fmt != "markdown" else f"### {title}\n\n")
        if fmt == "table" and not rows and len(sections) > 1:
            sys.stdout.write(f"{title}: none\n")  # an empty table's frame says less than one word
            continue
        write_rows(rows, fmt, sys.stdout, columns=columns, title=title if fmt == "table" else None)


def span_text(start: str | None, end: str | None) -> str:
    """A tie's dates in words.

    >>> span_text(None, None), span_text("2023-11-07", None), span_text("2023-11-09", "2023-11-09")
    ('undated', 'from 2023-11-07', '2023-11-09')
    >>> span_text(None, "2021-02-01"), span_text("2009", "2023-06-30")
    ('until 2021-02-01', '2009 .. 2023-06-30')
    """
    if start and end:
        return start if start == end else f"{start} .. {end}"
    if start:
        return f"from {start}"
    return f"until {end}" if end else "undated"


def _labels(network, nodes) -> str:
    return ", ".join(str(network.nodes[n].get("label", n)) if n in network else str(n) for n in nodes)


def _via_text(graph, via) -> str:
    if not via:
        return ""
    from conflictgraph.terms import IRI
    names = []
    for iri in via:
        entity = graph.names.entities.get(IRI(iri))
        names.append(entity.label if entity else str(iri))
    return " (via " + ", ".join(names) + ")"


def _short(values) -> str:
    from conflictgraph.namespaces import shorten
    return "; ".join(shorten(str(v)) for v in values)


@cli.command()
@click.option("--measure", type=click.Choice(["degree", "weighted-degree", "betweenness", "eigenvector", "pagerank",
                                              "all"]), default="all", show_default=True, help="Which centrality.")
@click.option("--top", default=20, show_default=True, type=click.IntRange(min=0), help="Rows to show (0: all).")
@click.option("--ties", type=click.Choice(["cooperative", "hostile", "signed"]), default="cooperative",
              show_default=True, help="Which net ties the measures run on.")
@click.option("--sample", "sample", type=click.IntRange(min=2), default=None, metavar="K",
              help="Sample betweenness from K source nodes (default: exact up to 5000 nodes, 256 beyond).")
@click.option("--engine", type=click.Choice(["auto", "networkx", "igraph"]), default="auto", show_default=True,
              help="Where betweenness, eigenvector and PageRank run (auto: igraph above 500 nodes).")
@network_options
@format_option
@with_graph
def centrality(graph, measure: str, top: int, ties: str, sample: int | None, engine: str, fmt: str,
               **network_args) -> None:
    """Rank actors by degree, weighted degree, betweenness, eigenvector or PageRank."""
    from conflictgraph.analyze.centrality import MEASURES, SAMPLE_THRESHOLD, centrality as compute
    from conflictgraph.analyze.reduce import analysis_graph

    network = _network(graph, **network_args)
    reduced = analysis_graph(network, ties=ties)
    measures = list(MEASURES) if measure == "all" else [measure]
    scores = compute(reduced, measures=measures, k=sample, engine=engine)
    key = "pagerank" if measure == "all" else measure
    ordered = sorted(scores, key=lambda n: (-scores[n][key], str(reduced.nodes[n].get("label", n))))
    rows = []
    for rank, node in enumerate(ordered[:top] if top else ordered, start=1):
        attrs = reduced.nodes[node]
        row = {"rank": rank, "actor": attrs.get("label", node), "type": attrs.get("type"), "iri": node}
        for m in measures:
            value = scores[node][m]
            row[m] = round(value, 6) if isinstance(value, float) and fmt != "json" else value
        rows.append(row)
    meta = dict(reduced.graph["analysis"], measures=measures, sorted_by=key,
                betweenness_sample=sample if sample else ("exact" if reduced.number_of_nodes() <= SAMPLE_THRESHOLD else 256))
    _emit(meta, fmt, [("Centrality", rows, ["rank", "actor", "type", *measures, "iri"])], {"rows": rows})


@cli.command()
@click.argument("source_name", metavar="A")
@click.argument("target_name", metavar="B")
@click.option("--k", "k", default=1, show_default=True, type=click.IntRange(min=1), help="How many shortest paths.")
@click.option("--max-hops", type=click.IntRange(min=1), default=None, help="Longest path to accept.")
@network_options
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table",
              show_default=True, help="Output format.")
@with_graph
def path(graph, source_name: str, target_name: str, k: int, max_hops: int | None, fmt: str, **network_args) -> None:
    """Shortest cooperative paths from A to B, every hop with its relations, dates and sources."""
    from conflictgraph.analyze.paths import alliance_paths
    from conflictgraph.analyze.reduce import analysis_graph

    a, b = graph.resolve(source_name).iri, graph.resolve(target_name).iri
    network = _network(graph, **network_args)
    relations = _relations(network_args["relations"])
    paths = alliance_paths(network, a, b, k=k, max_hops=max_hops, relations=relations)
    meta = analysis_graph(network, relations=relations).graph["analysis"]
    meta = dict(meta, source=str(a), target=str(b), k=k, max_hops=max_hops)
    if fmt == "json":
        click.echo(json.dumps({"analysis": meta, "paths": paths}, ensure_ascii=False, indent=2, default=str))
        return
    from conflictgraph.analyze.reduce import describe_analysis
    _note(describe_analysis(meta))
    for number, hops in enumerate(paths, start=1):
        rows = []
        for i, hop in enumerate(hops, start=1):
            explained = "; ".join(
                f"{network.nodes[e['from']].get('label', e['from'])} {e['label']} "
                f"{network.nodes[e['to']].get('label', e['to'])}" + _via_text(graph, e["via"])
                for e in hop["edges"])
            rows.append({"hop": i, "from": hop["from_label"], "to": hop["to_label"], "relations": explained,
                         "dates": span_text(hop["start"], hop["end"]),
                         "sources": _short(hop["sources"]), "statements": _short(hop["statements"]),
                         "events": _short(hop["events"])})
        columns = ["hop", "from", "to", "relations", "dates", "sources", "statements"]
        if any(hop["events"] for hop in hops):
            columns.append("events")
        write_rows(rows, fmt, sys.stdout, columns=columns,
                   title=f"Path {number}: {len(hops)} hop(s)" if fmt == "table" else None)
        if fmt == "markdown" and number < len(paths):
            sys.stdout.write("\n")


@cli.command()
@click.option("--resolution", default=1.0, show_default=True, type=float, help="Louvain resolution.")
@click.option("--seed", default=42, show_default=True, type=int, help="Louvain seed.")
@network_options
@format_option
@with_graph
def communities(graph, resolution: float, seed: int, fmt: str, **network_args) -> None:
    """Louvain communities on cooperative ties, with modularity and members by label."""
    from conflictgraph.analyze.communities import communities as louvain
    from conflictgraph.analyze.reduce import analysis_graph

    network = _network(graph, **network_args)
    reduced = analysis_graph(network, ties="cooperative")
    found = louvain(reduced, seed=seed, resolution=resolution)
    rows = [{"community": i, "size": len(members),
             "members": sorted(str(reduced.nodes[n].get("label", n)) for n in members),
             "iris": [str(n) for n in members]} for i, members in enumerate(found["communities"], start=1)]
    meta = dict(reduced.graph["analysis"], modularity=found["modularity"], seed=seed, resolution=resolution)
    if fmt != "json":
        _note(f"modularity {found['modularity']:.4f} (Louvain, seed {seed})")
    _emit(meta, fmt, [("Communities", rows, ["community", "size", "members"])],
          {"modularity": found["modularity"], "communities": rows})


@cli.command()
@click.option("--exact-limit", default=20, show_default=True, type=click.IntRange(min=1, max=26),
              help="Largest component split exactly; beyond, a local search with restarts.")
@click.option("--restarts", default=50, show_default=True, type=click.IntRange(min=1),
              help="Restarts of the heuristic.")
@network_options
@format_option
@with_graph
def balance(graph, exact_limit: int, restarts: int, fmt: str, **network_args) -> None:
    """Balanced and unbalanced triangles, and the two camps with the fewest frustrated ties."""
    from conflictgraph.analyze.balance import balance as compute
    from conflictgraph.analyze.reduce import analysis_graph

    network = _network(graph, **network_args)
    signed = analysis_graph(network, ties="signed")
    result = compute(signed, exact_limit=exact_limit, restarts=restarts)

    def label(n) -> str:
        return str(signed.nodes[n].get("label", n))

    def tie_sources(u, v) -> list[str]:
        return sorted({s for x, y, key in signed[u][v]["edges"] for s in network.edges[x, y, key].get("sources", [])})

    def sign_word(s: int) -> str:
        return "+" if s > 0 else "-"

    triangles = []
    for a, b, c, product in result["unbalanced_triangles"]:
        sources = sorted(set(tie_sources(a, b)) | set(tie_sources(b, c)) | set(tie_sources(a, c)))
        triangles.append({"nodes": [label(a), label(b), label(c)],
                          "signs": f"{label(a)}{sign_word(signed[a][b]['sign'])}{label(b)}, "
                                   f"{label(b)}{sign_word(signed[b][c]['sign'])}{label(c)}, "
                                   f"{label(a)}{sign_word(signed[a][c]['sign'])}{label(c)}",
                          "iris": [str(a), str(b), str(c)], "sources": sources})
    camps, frustrated = [], []
    for number, component in enumerate(result["components"], start=1):
        for name, members in zip("AB", component["camps"]):
            if not members and fmt != "json":  # a component with no hostile tie is all one camp
                continue
            camps.append({"component": number, "camp": name, "size": len(members),
                          "members": sorted(label(n) for n in members), "iris": [str(n) for n in members],
                          "method": component["method"]})
        for u, v, s in component["frustrated"]:
            frustrated.append({"component": number, "from": label(u), "to": label(v),
                               "tie": "cooperative" if s > 0 else "hostile",
                               "relations": signed[u][v]["relations"], "sources": tie_sources(u, v)})
    method = result["method"]
    how = (f"exact (every partition of each component of at most {exact_limit} nodes)" if method == "exact" else
           f"heuristic (local search, {restarts} restarts, seed {result['seed']}; components over "
           f"{exact_limit} nodes may not be optimal)")
    meta = dict(signed.graph["analysis"], balanced=result["balanced"], unbalanced=result["unbalanced"],
                frustration=result["frustration"], method=method, method_description=how)
    if fmt != "json":
        _note(f"{result['balanced']} balanced and {result['unbalanced']} unbalanced triangle(s); two camps: "
              f"{result['frustration']} frustrated tie(s), {how}")
    _emit(meta, fmt, [
        ("Unbalanced triangles", [dict(t, nodes=", ".join(t["nodes"]), sources=_short(t["sources"]))
                                  for t in triangles] if fmt != "json" else triangles, ["nodes", "signs", "sources"]),
        ("Two camps", [dict(c, members=", ".join(c["members"])) for c in camps], ["component", "camp", "size",
                                                                                   "members", "method"]),
        ("Frustrated ties", [dict(f, relations=", ".join(f["relations"]), sources=_short(f["sources"]))
                             for f in frustrated], ["component", "from", "to", "tie", "relations", "sources"]),
    ], {"balanced": result["balanced"], "unbalanced": result["unbalanced"], "unbalanced_triangles": triangles,
        "camps": camps, "frustrated": frustrated, "frustration": result["frustration"], "method": method})


@cli.command()
@click.option("--from", "date_from", required=True, metavar="DATE", help="The earlier date.")
@click.option("--to", "date_to", required=True, metavar="DATE", help="The later date.")
@click.option("--measure", type=click.Choice(["degree", "weighted-degree", "betweenness", "eigenvector", "pagerank"]),
              default="pagerank", show_default=True, help="Centrality whose ranks are compared.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1), help="Rank moves to show.")
@network_options
@format_option
@with_graph
def diff(graph, date_from: str, date_to: str, measure: str, top: int, fmt: str, **network_args) -> None:
    """Ties that appeared or ended between two dates, side switches, and centrality rank moves."""
    from conflictgraph.analyze.diff import network_diff
    from conflictgraph.analyze.reduce import analysis_graph
    from conflictgraph.errors import UsageError
    from conflictgraph.project import parse_day

    if network_args.get("as_of") or network_args.get("between"):
        raise UsageError("diff takes --from and --to instead of --as-of or --between")
    start, end = parse_day(date_from), parse_day(date_to)
    if start > end:
        raise UsageError(f"--from {start} is after --to {end}")
    before = _network(graph, **network_args, window_override={"as_of": start})
    after = _network(graph, **network_args, window_override={"as_of": end})
    result = network_diff(before, after, measure=measure, top=top)
    meta_before = analysis_graph(before).graph["analysis"]
    meta_after = analysis_graph(after).graph["analysis"]
    meta = dict(meta_after, window=f"from {start} to {end}", nodes_before=meta_before["nodes"],
                edges_before=meta_before["edges"], measure=measure)
    if fmt != "json":
        _note(f"{measure} ranks compared on cooperative ties: {meta_before['nodes']} nodes and "
              f"{meta_before['edges']} ties at {start}, {meta_after['nodes']} and {meta_after['edges']} at {end}; "
              "the ties listed are of any sign")
    ties = [{"change": t["change"], "from": t["from_label"], "relation": t["relation"], "to": t["to_label"],
             "sign": t["sign"], "start": t["start"], "end": t["end"],
             "sources": t["sources"] if fmt == "json" else _short(t["sources"]),
             "events": t["events"] if fmt == "json" else _short(t["events"])} for t in result["ties"]]
    switched = [{"actor": s["actor_label"], "other": s["other_label"], "before": s["before"], "after": s["after"],
                 "relations": s["relations"] if fmt == "json" else ", ".join(s["relations"]),
                 "sources": s["sources"] if fmt == "json" else _short(s["sources"])} for s in result["switched"]]
    moves = [{"actor": m["label"], "rank_before": m["rank_before"], "rank_after": m["rank_after"],
              "change": m["change"], "sources": m["sources"] if fmt == "json" else _short(m["sources"])}
             for m in result["moves"]]
    _emit(meta, fmt, [
        ("Ties that appeared or ended", ties, ["change", "from", "relation", "to", "sign", "start", "end", "sources"]),
        ("Switched sides", switched, ["actor", "other", "before", "after", "relations", "sources"]),
        (f"Biggest moves in {measure} rank", moves, ["actor", "rank_before", "rank_after", "change", "sources"]),
    ], {"ties": ties, "switched": switched, "moves": moves})


@cli.command()
@click.option("--to", "to_format", type=click.Choice(["gexf", "graphml", "json", "trig", "geojson"]),
              required=True, help="File format (geojson: the places and events with coordinates, for a map).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here instead of stdout.")
@network_options
@with_graph
def export(graph, to_format: str, output: Path | None, **network_args) -> None:
    """Write the projected network for Gephi, Cytoscape or a notebook, with all attributes.

    --to geojson writes instead every place and event with coordinates, for a map.
    """
    from conflictgraph.analyze.reduce import analysis_graph, describe_analysis
    from conflictgraph.errors import UsageError
    from conflictgraph.export import write_geojson, write_network

    if to_format == "geojson":
        defaults = {"view": "actors", "as_of": None, "between": None, "evidence": "all", "statuses": (),
                    "include_generic": False, "relations": (), "focus": None, "depth": 1}
        given = [name for name, default in defaults.items()
                 if (bool(network_args.get(name)) if default in (None, ()) else
                     network_args.get(name, default) != default)]
        if given:
            names = ", ".join("--" + {"statuses": "status"}.get(n, n).replace("_", "-") for n in given)
            raise UsageError(f"{names}: network options do not apply to --to geojson "
                             "(it writes every place and event with coordinates)")
        try:
            if output is None:
                sys.stdout.flush()
                if hasattr(sys.stdout, "buffer"):
                    counts = write_geojson(graph.store, sys.stdout.buffer)
                else:
                    from conflictgraph.geojson import write_geojson as write_text
                    counts = write_text(graph.store, sys.stdout)
                sys.stdout.flush()
            else:
                with open(output, "wb") as handle:
                    counts = write_geojson(graph.store, handle)
        except OSError as err:
            raise UsageError(f"cannot write {output}: {err.strerror}") from None
        _note(f"GeoJSON: {counts['places']} places and {counts['events']} events with coordinates"
              + (f", {counts['skipped']} geometries that are not points skipped" if counts["skipped"] else "")
              + (f"; wrote {output}" if output else ""))
        return

    network = _network(graph, **network_args)
    meta = dict(analysis_graph(network, ties="signed").graph["analysis"], ties="all",
                edges=network.number_of_edges())
    _note(describe_analysis(meta))
    if output is None:
        write_network(network, to_format, sys.stdout.buffer if hasattr(sys.stdout, "buffer") else sys.stdout)
        sys.stdout.flush()
    else:
        try:
            with open(output, "wb") as handle:
                write_network(network, to_format, handle)
        except OSError as err:
            raise UsageError(f"cannot write {output}: {err.strerror}") from None
        _note(f"wrote {output}")
