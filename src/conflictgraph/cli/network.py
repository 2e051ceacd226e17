"""Network commands: centrality, path, communities, balance, diff, export.

They share the network options (:func:`conflictgraph.cli.options.network_options`). Each
analysis states what it used (view, window, filters, node and tie counts) on stderr for text
output and as ``analysis`` in JSON output.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from conflictgraph.cli.options import format_option, network_options, note, ties_option, with_graph
from conflictgraph.errors import UsageError
from conflictgraph.network.analyze.reduce import describe_analysis, network_meta
from conflictgraph.network.reports import DYAD_RANKS, LISTED_TRIANGLES
from conflictgraph.network.spec import NetworkSpec
from conflictgraph.query.results import Report, Table
from conflictgraph.rdf.namespaces import shorten
from conflictgraph.render.geojson import write_geojson_bytes
from conflictgraph.render.jsonld import write_jsonld
from conflictgraph.render.rows import TABLE_ROWS, report_json, write_rows

__all__ = ["centrality", "dyads", "path", "communities", "balance", "diff", "export"]

_MEASURES = ["degree", "weighted-degree", "betweenness", "eigenvector", "pagerank"]


_AS_IS = (str, int, bool, type(None))  # cells text output writes as they are


def _text_cell(value: object) -> object:
    """A cell as text output shows it: lists joined and shortened, scores to six decimals."""
    if isinstance(value, (list, tuple)):
        return "; ".join(shorten(str(v)) for v in value)
    if isinstance(value, float):
        return round(value, 6)
    return value


def _emit(report: Report, fmt: str) -> None:
    """Write JSON with the analysis metadata, or each section in ``fmt`` with the metadata on stderr
    (what was used, why those ties, why the answer is empty)."""
    if fmt == "json":
        click.echo(report_json({"analysis": report.meta, **report.data}))
        return
    _note_analysis(report.meta)
    many = len(report.sections) > 1
    for i, table in enumerate(report.sections):
        if many and fmt in ("csv", "tsv", "ndjson", "markdown"):
            if i:
                sys.stdout.write("\n")
            sys.stdout.write(f"# {table.title}\n" if fmt != "markdown" else f"### {table.title}\n\n")
        if fmt == "table" and not table.rows and many:
            sys.stdout.write(f"{table.title}: none\n")  # an empty table's frame says less than one word
            continue
        _write_section(table, fmt)


def _note_analysis(meta: dict) -> None:
    """What an analysis used, and why its ties and why it is empty when it is, on stderr."""
    note(describe_analysis(meta))
    for key in ("ties_reason", "sample_reason", "empty_reason"):
        if meta.get(key):
            note(meta[key])


def _write_section(table: Table, fmt: str) -> None:
    """One table of a report in a text format, its cells as text output shows them (a diff of a
    million events changes 483,000 ties: each list's text is made once, and no row is copied)."""
    lists: dict[tuple, object] = {}  # a list cell's text, made once (483,000 rows cite one source)

    def text(value: object) -> object:
        if type(value) in _AS_IS:
            return value
        if isinstance(value, list):
            key = tuple(value)
            if key not in lists:
                lists[key] = _text_cell(value)
            return lists[key]
        return _text_cell(value)

    write_rows(table.rows, fmt, sys.stdout, columns=table.columns, title=table.title if fmt == "table" else None,
               cell=text)


@click.command()
@click.option("--measure", type=click.Choice([*_MEASURES, "all"]), default="all", show_default=True,
              help="Which centrality.")
@click.option("--top", default=20, show_default=True, type=click.IntRange(min=0),
              help="Rows to show (0: all; a table shows 1,000 at most).")
@ties_option("the measures run on")
@click.option("--sample", "sample", type=click.IntRange(min=2), default=None, metavar="K",
              help="Sample betweenness from K source nodes (default: exact up to 5000 nodes and 500 million "
                   "nodes x ties, 256 beyond).")
@click.option("--engine", type=click.Choice(["auto", "networkx", "igraph"]), default="auto", show_default=True,
              help="Where betweenness, eigenvector and PageRank run (auto: igraph above 500 nodes).")
@click.option("--weight", type=click.Choice(["evidence", "deaths"]), default="evidence", show_default=True,
              help="What a tie weighs: its statements or events, or the deaths of its events.")
@network_options
@format_option
@with_graph
def centrality(graph, measure: str, top: int, ties: str, sample: int | None, engine: str, weight: str, fmt: str,
               spec: NetworkSpec) -> None:
    """Rank actors by degree, weighted degree, betweenness, eigenvector or PageRank."""
    _emit(graph.centrality(spec, measure=measure, top=top, ties=ties, sample=sample, engine=engine, weight=weight),
          fmt)


@click.command()
@click.option("--relation", default="fought", show_default=True, metavar="NAME",
              help="Which tie makes a dyad (fought, fought-alongside, or any relation of the view).")
@click.option("--rank-by", type=click.Choice(DYAD_RANKS), default="events",
              show_default=True, help="What the pairs are ranked by.")
@click.option("--top", default=20, show_default=True, type=click.IntRange(min=0),
              help="Rows to show (0: all; a table shows 1,000 at most).")
@network_options
@format_option
@with_graph
def dyads(graph, relation: str, rank_by: str, top: int, fmt: str, spec: NetworkSpec) -> None:
    """Pairs of actors that fought (or share another tie), ranked by events, deaths or statements."""
    _emit(graph.dyads(spec, relation=relation, rank_by=rank_by, top=top), fmt)


@click.command()
@click.argument("source_name", metavar="A")
@click.argument("target_name", metavar="B")
@click.option("--k", "k", default=1, show_default=True, type=click.IntRange(min=1), help="How many shortest paths.")
@click.option("--max-hops", type=click.IntRange(min=1), default=None, help="Longest path to accept.")
@ties_option("a path may cross", auto="cooperative ties (alliance paths), else ties of any kind")
@network_options
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default="table",
              show_default=True, help="Output format.")
@with_graph
def path(graph, source_name: str, target_name: str, k: int, max_hops: int | None, ties: str, fmt: str,
         spec: NetworkSpec) -> None:
    """Shortest paths from A to B (cooperative first), every hop with its kind of tie, relations, dates and sources."""
    report = graph.paths(source_name, target_name, spec, k=k, max_hops=max_hops, ties=ties)
    if fmt == "json":
        _emit(report, fmt)
        return
    _note_analysis(report.meta)
    for number, table in enumerate(report.sections, start=1):
        _write_section(table, fmt)
        if fmt == "markdown" and number < len(report.sections):
            sys.stdout.write("\n")


@click.command()
@click.option("--resolution", default=1.0, show_default=True, type=float, help="Louvain resolution.")
@click.option("--seed", default=42, show_default=True, type=int, help="Louvain seed.")
@ties_option("tie actors into communities (hostile: shared enemies)",
             auto="cooperative ties, or shared enemies when the view has no cooperative tie")
@click.option("--engine", type=click.Choice(["auto", "networkx", "igraph"]), default="auto", show_default=True,
              help="Whose Louvain runs (auto: igraph above 500 actors; they find partitions of about the same "
                   "modularity, not the same partition).")
@network_options
@format_option
@with_graph
def communities(graph, resolution: float, seed: int, ties: str, engine: str, fmt: str, spec: NetworkSpec) -> None:
    """Louvain communities (of allies, or of actors sharing enemies), with modularity and members by label."""
    report = graph.communities(spec, resolution=resolution, seed=seed, ties=ties, engine=engine)
    if fmt != "json":
        note(f"communities on {report.meta['affinity']}; modularity {report.meta['modularity']:.4f} "
             f"(Louvain on {report.meta['engine']}, seed {seed})")
    _emit(report, fmt)


@click.command()
@click.option("--exact-limit", default=20, show_default=True, type=click.IntRange(min=1, max=26),
              help="Largest component split exactly; beyond, a local search with restarts.")
@click.option("--restarts", default=50, show_default=True, type=click.IntRange(min=1),
              help="Restarts of the heuristic.")
@click.option("--top", default=LISTED_TRIANGLES, show_default=True, type=click.IntRange(min=0),
              help="Unbalanced triangles to list (0: all; every one is counted).")
@network_options
@format_option
@with_graph
def balance(graph, exact_limit: int, restarts: int, top: int, fmt: str, spec: NetworkSpec) -> None:
    """Balanced and unbalanced triangles, and the two camps with the fewest frustrated ties."""
    report = graph.balance(spec, exact_limit=exact_limit, restarts=restarts, listed=top or None)
    meta = report.meta
    if fmt != "json":
        note(f"{meta['balanced']} balanced and {meta['unbalanced']} unbalanced triangle(s); two camps: "
             f"{meta['frustration']} frustrated tie(s), {meta['method_description']}")
        if meta["unbalanced_listed"] < meta["unbalanced"]:
            note(f"the first {meta['unbalanced_listed']:,} unbalanced triangles are listed (--top 0 lists all)")
    _emit(report, fmt)


@click.command()
@click.option("--from", "before", metavar="PERIOD",
              help="The earlier period: a day, a month or a year (the whole of it), or START..END.")
@click.option("--to", "after", metavar="PERIOD", help="The later period (the same forms).")
@click.option("--by", type=click.Choice(["year", "month"]), default=None,
              help="Instead of two periods: a network per year or month, each against the one before "
                   "(from the first dated tie to the last, or from --from to --to).")
@click.option("--measure", type=click.Choice(_MEASURES), default="pagerank", show_default=True,
              help="Centrality whose ranks are compared.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1), help="Rank moves to show.")
@ties_option("the ranks are computed on")
@network_options
@format_option
@with_graph
def diff(graph, before: str | None, after: str | None, by: str | None, measure: str, top: int, ties: str, fmt: str,
         spec: NetworkSpec) -> None:
    """Ties that appeared or ended from one period to another, side switches and rank moves; or
    (--by) a network per year or month."""
    if spec.as_of or spec.between:
        raise UsageError("diff takes --from and --to (or --by) instead of --as-of or --between")
    if by:
        _emit(graph.periods(spec, by=by, measure=measure, ties=ties, first=before, last=after), fmt)
        return
    if not (before and after):
        raise UsageError("diff needs --from PERIOD and --to PERIOD (or --by year|month)")
    report = graph.diff(before, after, spec, measure=measure, top=top, ties=ties,
                        evidence_rows=TABLE_ROWS if fmt == "table" else None)
    meta = report.meta
    if fmt != "json":
        note(f"{measure} ranks compared on {meta['ties']} ties: {meta['nodes_before']} nodes and "
             f"{meta['edges_before']} ties in {meta['before']}, {meta['nodes']} and {meta['edges']} in "
             f"{meta['after']}; the ties listed are of any sign")
    _emit(report, fmt)


@click.command()
@click.option("--to", "to_format", type=click.Choice(["gexf", "graphml", "json", "trig", "geojson", "jsonld"]),
              required=True, help="File format (geojson: the places and events with coordinates, for a map; "
                                  "jsonld: every quad of the store, with the vocabulary's JSON-LD context).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write here instead of stdout.")
@network_options
@with_graph
def export(graph, to_format: str, output: Path | None, spec: NetworkSpec) -> None:
    """Write the projected network for Gephi, Cytoscape or a notebook, with all attributes.

    --to geojson writes instead every place and event with coordinates, for a map; --to jsonld
    the whole store (every named graph) as JSON-LD.
    """
    if to_format in ("geojson", "jsonld"):
        given = spec.changed_from_default()
        if given:
            names = ", ".join("--" + n.replace("_", "-") for n in given)
            raise UsageError(f"{names}: network options do not apply to --to {to_format} "
                             "(it writes from the store, not from a network)")
    if to_format == "jsonld":
        counts = _write(output, lambda handle: write_jsonld(graph.store, handle))
        note(f"JSON-LD: {counts['quads']} quads in {counts['graphs']} graphs" + (f"; wrote {output}" if output else ""))
        return
    if to_format == "geojson":
        counts = _write(output, lambda handle: write_geojson_bytes(graph.store, handle))
        note(f"GeoJSON: {counts['places']} places and {counts['events']} events with coordinates"
             + (f", {counts['skipped']} geometries that are not points skipped" if counts["skipped"] else "")
             + (f"; wrote {output}" if output else ""))
        return
    network = _write(output, lambda handle: graph.export(to_format, handle, spec))
    note(describe_analysis(network_meta(network)))  # (counted on the network: no analysis graph to make)
    if output is not None:
        note(f"wrote {output}")


def _write(output: Path | None, write):
    """Run ``write`` on a binary handle: standard output, or a new file beside ``output`` that
    replaces it only once ``write`` has finished (an error, an unknown option's included, leaves
    the file that was there as it was)."""
    if output is None:
        sys.stdout.flush()
        result = write(sys.stdout.buffer if hasattr(sys.stdout, "buffer") else sys.stdout)
        sys.stdout.flush()
        return result
    scratch = output.with_name(f".{output.name}.part")
    try:
        with open(scratch, "wb") as handle:
            result = write(handle)
        os.replace(scratch, output)
        return result
    except OSError as err:
        raise UsageError(f"cannot write {output}: {err.strerror}") from None
    finally:
        scratch.unlink(missing_ok=True)
