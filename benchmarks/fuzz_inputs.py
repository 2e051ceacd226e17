"""Fuzz the importers and `validate` with mutated CSV files and graph folders.

Each case is a real input (the UCDP, ACLED and edge-list fixtures, the mini graph's Turtle files)
damaged in one of the ways real files are damaged, or hostile ones: cut short, bytes flipped,
a NUL, a lone quote, a column gone, a cell of 200,000 characters, numbers and dates no codebook
allows, formula cells, another encoding, nesting and lists far too deep, an RDF 1.2 triple term.
Every case must end in a clean answer within the time limit: exit 0 (imported, or valid), 1 (rows
rejected, or a clear error) or 2 (usage), never a traceback, and for an import the summary's
"rows read = imported + rejected" must add up.

The suite runs a small corpus (tests/test_fuzz_inputs.py: ``cases(seed=7, per_kind=2)``); this
script runs a larger one and prints what failed:

    .venv/bin/python benchmarks/fuzz_inputs.py [--per-kind 10] [--seed 1] [--limit 30] [--keep DIR]

The cases are made from a seeded random generator, so a failing case is reproduced by its
seed and name (``--keep DIR`` writes every case's file there too).
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
CSV_SOURCES = {"ucdp": FIXTURES / "ucdp" / "ged.csv", "acled": FIXTURES / "acled" / "acled.csv",
               "table": FIXTURES / "table" / "edges.csv"}
TURTLE_SOURCES = sorted((FIXTURES / "mini" / "reference").glob("*.ttl"))

_NUMBERS = ["1e309", "-0", "\u0663", "\uff13", "1_000", "99999999999999999999999999.0", "NaN", "inf", "0x1F",
            " 7 ", "+-3", "", "3.", "١٢"]
_DATES = ["2023-02-30", "0000-01-01", "2023-11-07T25:99:00", "31 Febtember 2023", "99999-01-01", "2023-1-7",
          "", "\u0662\u0660\u0662\u0663-01-01", "1700000000000000000000000000000"]
_FORMULAS = ["=cmd|' /C calc'!A0", "+SUM(1,2)", "-2+3", "@HYPERLINK(\"http://x\")", "\t=1+1"]


@dataclass(frozen=True)
class Case:
    """One input: ``kind`` is "ucdp", "acled", "table" (a CSV to import) or "graph" (a Turtle
    file for a graph folder's reference data)."""

    kind: str
    name: str
    data: bytes


# CSV mutations: each takes the file's text (and a random generator) and returns bytes ----------

def _cut_short(text: str, rng: random.Random) -> bytes:
    return text.encode()[: rng.randrange(1, len(text.encode()))]


def _flip_bytes(text: str, rng: random.Random) -> bytes:
    data = bytearray(text.encode())
    for _ in range(8):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def _nul_byte(text: str, rng: random.Random) -> bytes:
    at = rng.randrange(len(text))
    return (text[:at] + "\x00" + text[at:]).encode()


def _lone_quote(text: str, rng: random.Random) -> bytes:
    lines = text.splitlines(keepends=True)
    at = rng.randrange(1, len(lines))
    lines[at] = lines[at].replace(",", ',"', 1)
    return "".join(lines).encode()


def _column_gone(text: str, rng: random.Random) -> bytes:
    lines = text.splitlines(keepends=True)
    header = lines[0].rstrip("\r\n").split(",")
    del header[rng.randrange(len(header))]
    return (",".join(header) + "\n" + "".join(lines[1:])).encode()


def _huge_cell(text: str, rng: random.Random) -> bytes:
    lines = text.splitlines(keepends=True)
    at = rng.randrange(1, len(lines))
    lines[at] = lines[at].replace(",", ',"' + "x" * 200_000 + '",', 1)
    return "".join(lines).encode()


def _replace_cells(values: list[str]) -> Callable[[str, random.Random], bytes]:
    def mutate(text: str, rng: random.Random) -> bytes:
        lines = text.splitlines(keepends=True)
        for _ in range(4):
            at = rng.randrange(1, len(lines))
            cells = lines[at].rstrip("\r\n").split(",")
            cells[rng.randrange(len(cells))] = rng.choice(values)
            lines[at] = ",".join(cells) + "\n"
        return "".join(lines).encode()
    return mutate


def _other_encoding(text: str, rng: random.Random) -> bytes:
    return rng.choice([text.encode("utf-16"), text.encode("latin-1", "replace") + b"\xe9\xff", b"\xef\xbb\xbf" +
                       text.replace("\n", "\r").encode()])


def _header_only(text: str, rng: random.Random) -> bytes:
    return rng.choice([text.splitlines(keepends=True)[0].encode(), b"", b"\n\n\n", b",,,\n,,,\n"])


def _shuffled_lines(text: str, rng: random.Random) -> bytes:
    lines = text.splitlines(keepends=True)
    body = lines[1:] + rng.sample(lines[1:], min(3, len(lines) - 1))  # repeated ids too
    rng.shuffle(body)
    return (lines[0] + "".join(body)).encode()


CSV_MUTATIONS: dict[str, Callable[[str, random.Random], bytes]] = {
    "cut-short": _cut_short, "flipped-bytes": _flip_bytes, "nul-byte": _nul_byte, "lone-quote": _lone_quote,
    "column-gone": _column_gone, "huge-cell": _huge_cell, "odd-numbers": _replace_cells(_NUMBERS),
    "odd-dates": _replace_cells(_DATES), "formula-cells": _replace_cells(_FORMULAS),
    "other-encoding": _other_encoding, "header-only": _header_only, "shuffled-repeated": _shuffled_lines,
}


# Turtle mutations ------------------------------------------------------------------------------

_PREFIXES = ("@prefix ex: <http://example.org/> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
             "@prefix cg: <https://w3id.org/conflictgraph/ontology#> .\n")


def _deep(_text: str, rng: random.Random) -> bytes:
    depth = rng.choice([40, 200, 2000])
    return (_PREFIXES + "ex:a skos:related " + "[ skos:related " * depth + '"x"' + " ]" * depth + " .\n").encode()


def _long_list(_text: str, rng: random.Random) -> bytes:
    items = " ".join(f'"{i}"' for i in range(rng.choice([1000, 20000])))
    return (_PREFIXES + f"ex:a skos:note ( {items} ) .\n").encode()


def _triple_term(_text: str, rng: random.Random) -> bytes:
    return (_PREFIXES + rng.choice(["ex:a skos:note << ex:a ex:b ex:c >> .\n",
                                    "<< ex:a ex:b ex:c >> skos:note \"x\" .\n"])).encode()


def _bad_literals(_text: str, rng: random.Random) -> bytes:
    return (_PREFIXES + "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
            + "".join(f'ex:p{i} a cg:Village ; skos:prefLabel "{value}"@en ; cg:date "{value}"^^xsd:date .\n'
                      for i, value in enumerate(rng.sample(_DATES + _NUMBERS, 6)))).encode()


def _diamonds(_text: str, rng: random.Random) -> bytes:
    lines = [_PREFIXES, "ex:a skos:related _:n0 .\n"]
    for level in range(rng.choice([24, 60])):
        lines.append(f"_:n{level} skos:related _:n{level + 1}a , _:n{level + 1}b .\n"
                     f"_:n{level + 1}a skos:related _:n{level + 1} .\n_:n{level + 1}b skos:related _:n{level + 1} .\n")
    return "".join(lines).encode()


def _unknown_terms(text: str, rng: random.Random) -> bytes:
    return re.sub(r"skos:prefLabel", lambda _m: rng.choice(["skos:prefLabell", "cg:labell", "ex:label"]),
                  text, count=5).encode()


TURTLE_MUTATIONS: dict[str, Callable[[str, random.Random], bytes]] = {
    "cut-short": _cut_short, "flipped-bytes": _flip_bytes, "nul-byte": _nul_byte, "deep-nesting": _deep,
    "long-list": _long_list, "triple-term": _triple_term, "bad-literals": _bad_literals, "diamonds": _diamonds,
    "unknown-terms": _unknown_terms, "other-encoding": _other_encoding,
}


def cases(seed: int, per_kind: int) -> Iterator[Case]:
    """``per_kind`` cases of every mutation for every CSV format and for Turtle, from ``seed``."""
    rng = random.Random(seed)
    for kind, path in CSV_SOURCES.items():
        text = path.read_text(encoding="utf-8")
        for mutation, mutate in CSV_MUTATIONS.items():
            for n in range(per_kind):
                yield Case(kind, f"{kind}-{mutation}-{n}.csv", mutate(text, rng))
    for mutation, mutate in TURTLE_MUTATIONS.items():
        for n in range(per_kind):
            source = rng.choice(TURTLE_SOURCES).read_text(encoding="utf-8")
            yield Case("graph", f"graph-{mutation}-{n}.ttl", mutate(source, rng))


_SOURCES_TTL = """@prefix cg: <https://w3id.org/conflictgraph/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://w3id.org/conflictgraph/id/src/fuzz> a cg:Source, cg:ReferenceSource ; dct:title "fuzz"@en ;
  cg:sourceKind "reference" ; cg:file "reference/fuzz.ttl" .
"""
_SUMMARY = re.compile(r"(\d+) rows? read = (\d+) imported \+ (\d+) rejected")


def command_for(case: Case, folder: Path, store: Path) -> list[str]:
    """Write the case under ``folder`` and return the command line (without the program) to run it."""
    if case.kind == "graph":
        (folder / "reference").mkdir(parents=True)
        (folder / "sources.ttl").write_text(_SOURCES_TTL, encoding="utf-8")
        (folder / "reference" / "fuzz.ttl").write_bytes(case.data)
        return ["validate", "--no-bundled", "--graph", str(folder)]
    folder.mkdir(parents=True)
    path = folder / case.name
    path.write_bytes(case.data)
    mapping = ["--mapping", "edge-list"] if case.kind == "table" else []
    return ["import", case.kind, str(path), *mapping, "--store", str(store), "--rejects", str(folder / "rejects.csv")]


def problem(case: Case, exit_code: int, output: str, crashed: BaseException | None, seconds: float,
            limit: float) -> str | None:
    """What is wrong with how the command answered the case, or None."""
    if crashed is not None and not isinstance(crashed, SystemExit):
        return f"crashed: {type(crashed).__name__}: {crashed}"
    if "Traceback" in output:
        return "printed a traceback"
    if exit_code not in (0, 1, 2):
        return f"exit {exit_code}"
    if seconds > limit:
        return f"took {seconds:.1f} s (limit {limit:.0f} s)"
    summary = _SUMMARY.search(output)
    if summary and int(summary.group(1)) != int(summary.group(2)) + int(summary.group(3)):
        return f"the summary does not add up: {summary.group(0)}"
    if case.kind != "graph" and exit_code == 0 and not summary:
        return "exit 0 without an import summary"
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-kind", type=int, default=10, help="cases per mutation and format")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=float, default=30.0, help="seconds allowed per case")
    parser.add_argument("--keep", type=Path, help="write every case's file under this folder too")
    args = parser.parse_args()

    from click.testing import CliRunner

    from conflictgraph.cli.main import cli

    work = Path(tempfile.mkdtemp(prefix="fuzz-"))
    store = work / "store"  # every import goes to this one store, as a user's would
    assert CliRunner().invoke(cli, ["build", "--no-bundled", "--store", str(store)]).exit_code == 0
    failures, total, started = [], 0, time.perf_counter()
    for n, case in enumerate(cases(args.seed, args.per_kind)):
        folder = (args.keep or work) / f"case-{n}"
        command = command_for(case, folder, store)
        began = time.perf_counter()
        result = CliRunner().invoke(cli, command)
        seconds = time.perf_counter() - began
        total += 1
        found = problem(case, result.exit_code, result.output, result.exception, seconds, args.limit)
        if found:
            failures.append(f"{case.name}: {found}")
    print(f"{total} cases (seed {args.seed}) in {time.perf_counter() - started:.0f} s: {len(failures)} failed")
    for line in failures:
        print("  " + line)
    shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
