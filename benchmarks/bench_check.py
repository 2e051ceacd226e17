"""The per-request query check (`conflictgraph.rdf.safety.check_query`) on texts it has not
seen: every named query of the catalog as the server sends it (BASE, the usual prefixes, the
query), the memo cleared before each check, beside rdflib's SPARQL parser on the same texts
(what the check used before). Prints per query and the median and maximum of each.

Run: ``.venv/bin/python benchmarks/bench_check.py [--runs 5]`` (each figure is the median of
``--runs`` checks of that text).
"""
from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from conflictgraph.query.catalog import load_catalog
from conflictgraph.rdf import safety
from conflictgraph.rdf.namespaces import SPARQL_PREFIXES


def _median_ms(work: Callable[[str], object], text: str, runs: int) -> float:
    took = []
    for _ in range(runs):
        safety._checked.cache_clear()
        began = time.perf_counter()
        work(text)
        took.append(time.perf_counter() - began)
    return statistics.median(took) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from rdflib.plugins.sparql.parser import parseQuery

    rows = []
    for named in load_catalog().values():
        text = "BASE <http://127.0.0.1:7878/sparql>\n" + SPARQL_PREFIXES + named.text
        rows.append((named.name, _median_ms(safety.check_query, text, args.runs),
                     _median_ms(parseQuery, text, args.runs)))
    print(f"{'named query':28} {'check_query':>12} {'rdflib parse':>13}")
    for name, check, rdflib in sorted(rows, key=lambda row: row[1]):
        print(f"{name:28} {check:9.2f} ms {rdflib:10.1f} ms")
    for label, pick in (("median", statistics.median), ("max", max)):
        check, rdflib = pick(r[1] for r in rows), pick(r[2] for r in rows)
        print(f"{label:28} {check:9.2f} ms {rdflib:10.1f} ms  ({rdflib / check:.0f}x)")


if __name__ == "__main__":
    main()
