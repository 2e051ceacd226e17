"""Benchmark (not a test): importing synthetic ACLED-shaped files, against a plain rdflib baseline.

Generates an ACLED-shaped CSV (default 100,000 rows) with realistic spreads: about 900 actors
(curated names in about a third of the rows, ACLED's "ACRONYM: Full name" forms, local units,
generic civilians), associated actors in about 40% of rows (1-3 each), 14 states/regions, about
70 districts, 330 townships and 6,000 locations, all three time precisions, long notes. Then,
each phase in its own process so peak memory (max RSS) is its own:

1. ``import``: build the bundled graph on disk, then run ``conflictgraph import acled FILE`` and
   time the process from start to exit (copy of the store, streamed import, rules, atomic swap;
   compaction too for files under 8 MB), with its peak memory; then ``conflictgraph compact``,
   which waits for the background compaction a large file's import leaves, to time when the
   store is compacted (the compacting process reports its own peak memory), and the log of
   that background process until it has kept the event-tie table (so nothing runs beside the
   next phases);
2. ``rdflib``: a hand-written plain rdflib ``Graph`` pipeline on the same rows (the same kind of
   triples, no reconciliation, no store) as the baseline;
3. ``network``: ``project`` of the imported store (actors view) through the projection's
   queries alone, then from the event-tie table the background process kept, and
   ``centrality --measure all``.

Run:

    .venv/bin/python benchmarks/bench_import.py [--rows N] [--keep DIR]
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["generate", "main"]

COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
           "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
           "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
           "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp"]
CURATED = ["Military Forces of Myanmar (2021-)", "PDF: People's Defence Force",
           "KNDF: Karenni Nationalities Defence Force", "KA: Karenni Army", "AA: Arakan Army",
           "TNLA: Ta'ang National Liberation Army", "MNDAA: Myanmar National Democratic Alliance Army",
           "KIA: Kachin Independence Army", "KNLA: Karen National Liberation Army",
           "BPLA: Bamar People's Liberation Army",
           "KNPLF: Karenni Nationalities People's Liberation Front", "MDY-PDF: Mandalay People's Defence Force"]
STATES = ["Kayah", "Shan-North", "Shan-South", "Sagaing", "Magway", "Mandalay", "Rakhine", "Kachin", "Kayin",
          "Chin", "Bago-East", "Tanintharyi", "Mon", "Yangon"]
EVENTS = [("Battles", "Armed clash"), ("Battles", "Non-state actor overtakes territory"),
          ("Explosions/Remote violence", "Air/drone strike"),
          ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
          ("Violence against civilians", "Attack"), ("Protests", "Peaceful protest"),
          ("Strategic developments", "Arrests")]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """Write an ACLED-shaped CSV of ``rows`` rows to ``path`` (deterministic for a seed)."""
    rng = random.Random(seed)
    local = [f"PDF: {rng.choice(['Yinmabin', 'Kani', 'Salingyi', 'Monywa', 'Pale', 'Gangaw', 'Tabayin'])}"
             f" People's Defence Force {i}" for i in range(700)]
    militias = [f"Pyu Saw Htee Militia {i}" for i in range(150)] + ["Unidentified Armed Group (Myanmar)"]
    actors = CURATED * 10 + local + militias
    districts = [(s, f"{s}-D{d}") for s in STATES for d in range(5)]
    townships = [(s, d, f"{d}-T{t}") for s, d in districts for t in range(rng.randint(3, 6))]
    locations = [(s, d, t, f"Village {i}", 16 + rng.random() * 10, 92 + rng.random() * 9)
                 for i in range(6000) for s, d, t in [rng.choice(townships)]]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i in range(rows):
            event_type, sub = rng.choice(EVENTS)
            a1 = rng.choice(actors)
            a2 = "Civilians (Myanmar)" if event_type == "Violence against civilians" else (
                "" if event_type == "Protests" else "Military Forces of Myanmar (2021-)"
                if a1 != "Military Forces of Myanmar (2021-)" else rng.choice(actors))
            assoc = "; ".join(rng.sample(actors, rng.randint(1, 3))) if rng.random() < 0.4 else ""
            s, d, t, loc, lat, lon = rng.choice(locations)
            day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.choice([2021, 2022, 2023, 2024])
            writer.writerow([
                f"MMR{i + 1}", f"{day:02d} {MONTHS[month - 1]} {year}", year, rng.choice("1112113"),
                "Political violence", event_type, sub, a1, assoc, 2, a2, "", 1 if a2 else "", 12, "", 104,
                "Southeast Asia", "Myanmar", s, d, t, loc, f"{lat:.4f}", f"{lon:.4f}", rng.choice("1112"),
                rng.choice(["Irrawaddy", "Myanmar Now", "Mizzima", "RFA"]), "National",
                f"On {day} {MONTHS[month - 1]} {year}, fighting was reported near {loc}; " + "x" * rng.randint(40, 200),
                rng.choice([0, 0, 0, 1, 2, 3, 5, 10]), "", 1_700_000_000 + i, ])


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds(usage: resource.struct_rusage) -> float:
    """Processor time, user and system: steadier than wall time on a shared machine."""
    return usage.ru_utime + usage.ru_stime


def _cli(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("conflictgraph")), *args]


def _wait_for_table(log: Path, timeout: float = 600) -> str:
    """The background process's log once it has kept the event-tie table (or said it did not)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8") if log.is_file() else ""
        if "kept the event-tie table" in text or "did not keep" in text or "failed" in text:
            return text
        time.sleep(0.2)
    print(f"warning: no word from the background process in {timeout:.0f} s", file=sys.stderr)
    return log.read_text(encoding="utf-8") if log.is_file() else ""


def _import_cli(csv_path: Path, store: Path) -> dict:
    """Build the bundled graph, then time ``conflictgraph import acled FILE`` as a user runs it:
    one process, from start to exit (copy of the store, streamed import, rules, swap), and the
    moment ``conflictgraph compact`` finds the store compacted. The moments the import's stderr
    notes appear split its time into phases."""
    subprocess.run(_cli("--quiet", "build", "--store", str(store)), check=True, capture_output=True)
    started = time.perf_counter()
    process = subprocess.Popen(_cli("import", "acled", str(csv_path), "--store", str(store),
                                    "--rejects", str(store.parent / "rejects.csv")),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    moments = {}
    for line in process.stderr:  # notes arrive as they happen; the progress bar is not a TTY's
        for note in ("applying rules", "compacting the store", "in the background"):
            if note in line:
                moments[note] = time.perf_counter() - started
    summary = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"import failed:\n{summary}")
    plain = summary.replace(",", "")  # counts are printed as 100,000
    rows = re.search(r"(\d+) rows read = (\d+) imported \+ (\d+) rejected", plain)
    attached = re.search(r"actors: (\d+) of", plain)
    names = re.search(r"names: (.*?)(?: \(see|$)", summary, re.M)
    subprocess.run(_cli("--quiet", "compact", "--store", str(store)), check=True, capture_output=True)
    compacted = time.perf_counter() - started
    log = store.with_name(store.name + ".d") / "compaction.log"
    # A large file's background process then keeps the event-tie table: wait for it before
    # anything else runs (it takes a core). A small file is compacted in the import itself.
    text = _wait_for_table(log) if "in the background" in moments else ""
    kept_seconds = time.perf_counter() - started
    compactor_mb = re.search(r"compacted \(peak memory (\d+) MB", text)
    warmup = re.search(r"events; ([\d.]+) s, peak memory (\d+) MB", text)
    rules, compacting = moments.get("applying rules", seconds), moments.get("compacting the store", seconds)
    return {"seconds": seconds, "compacted_seconds": compacted, "kept_seconds": kept_seconds,
            "warmup_seconds": float(warmup[1]) if warmup else None, "warmup_mb": int(warmup[2]) if warmup else None,
            "compactor_mb": int(compactor_mb[1]) if compactor_mb else None, "import_seconds": rules,
            "rules_seconds": compacting - rules,
            "compact_and_swap_seconds": seconds - compacting, "rows": int(rows[1]), "imported": int(rows[2]),
            "rejected": int(rows[3]), "attached": int(attached[1]), "names": names[1] if names else "",
            "peak_mb": usage.ru_maxrss / 1024, "cpu_seconds": _cpu_seconds(usage)}


def _phase_rdflib(csv_path: Path) -> dict:
    """The baseline: the same rows into a plain rdflib Graph, by hand."""
    from rdflib import Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF, SKOS, XSD
    cg = Namespace("https://w3id.org/conflictgraph/ontology#")
    ev, ac, pl = (Namespace(f"https://w3id.org/conflictgraph/id/{k}/") for k in ("event", "actor", "place"))
    started = time.perf_counter()
    graph = Graph()
    with open(csv_path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            e = ev["acled-" + row["event_id_cnty"]]
            graph.add((e, RDF.type, cg.Battle))
            graph.add((e, cg.date, Literal(row["event_date"])))
            graph.add((e, SKOS.prefLabel, Literal(row["sub_event_type"] + " in " + row["location"], lang="en")))
            graph.add((e, cg.fatalitiesBest, Literal(int(row["fatalities"]), datatype=XSD.integer)))
            graph.add((e, cg.place, pl[row["location"].replace(" ", "-")]))
            graph.add((e, URIRef("http://purl.org/dc/terms/description"), Literal(row["notes"])))
            for prop, name in (("sideA", row["actor1"]), ("sideB", row["actor2"])):
                if name:
                    graph.add((e, cg[prop], ac[name.replace(" ", "-").replace(":", "")]))
            for name in filter(None, row["assoc_actor_1"].split("; ")):
                graph.add((e, cg.associatedWith, ac[name.replace(" ", "-").replace(":", "")]))
    loaded = time.perf_counter()
    pairs = graph.query("""PREFIX cg: <https://w3id.org/conflictgraph/ontology#>
        SELECT ?a ?b (COUNT(?e) AS ?n) WHERE { ?e cg:sideA ?a ; cg:sideB ?b } GROUP BY ?a ?b""")
    count = len(list(pairs))
    done = time.perf_counter()
    return {"seconds": done - started, "import_seconds": loaded - started, "query_seconds": done - loaded,
            "triples": len(graph), "pairs": count, "peak_mb": _peak_mb(),
            "cpu_seconds": _cpu_seconds(resource.getrusage(resource.RUSAGE_SELF))}


def _phase_network(store: Path) -> dict:
    """A projection through the queries alone (a projection file given, so no event-tie table is
    read), then one from the table the import's background process kept, then ``centrality
    --measure all`` as a command."""
    from click.testing import CliRunner

    from conflictgraph.build.pipeline import open_for_reading
    from conflictgraph.cli.main import cli
    from conflictgraph.network.projection import load_projection, project
    reader = open_for_reading(store)
    started = time.perf_counter()
    net = project(reader, view="actors", projection=load_projection())
    projected = time.perf_counter()
    project(reader, view="actors")
    read_back = time.perf_counter()
    result = CliRunner().invoke(cli, ["--quiet", "centrality", "--measure", "all", "--store", str(store),
                                      "--format", "csv"])
    done = time.perf_counter()
    return {"project_seconds": projected - started, "nodes": net.number_of_nodes(), "edges": net.number_of_edges(),
            "read_back_seconds": read_back - projected, "centrality_seconds": done - read_back,
            "centrality_exit": result.exit_code, "peak_mb": _peak_mb()}


def _child(phase: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--phase", phase, *args], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"phase {phase} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="Work in this folder and keep it (default: a temporary one).")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.phase:
        result = {"rdflib": lambda: _phase_rdflib(Path(options.args[0])),
                  "network": lambda: _phase_network(Path(options.args[0]))}[options.phase]()
        print(json.dumps(result))
        return
    folder = options.keep or Path(tempfile.mkdtemp(prefix="bench-import-"))
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, store = folder / "acled-synthetic.csv", folder / "store"
    started = time.perf_counter()
    generate(csv_path, options.rows)
    print(f"generated {options.rows:,} rows ({csv_path.stat().st_size / 1e6:.1f} MB) in "
          f"{time.perf_counter() - started:.1f} s")
    ours = _import_cli(csv_path, store)
    base = _child("rdflib", str(csv_path))
    print(f"\n{'':34}{'conflictgraph':>15}{'rdflib Graph':>15}{'ratio':>8}")
    print(f"{'import (start -> rows stored), s':34}{ours['import_seconds']:>15.1f}{base['import_seconds']:>15.1f}"
          f"{base['import_seconds'] / ours['import_seconds']:>7.1f}x")
    print(f"{'total (process start to exit), s':34}{ours['seconds']:>15.1f}{base['seconds']:>15.1f}"
          f"{base['seconds'] / ours['seconds']:>7.1f}x")
    print(f"{'processor time (user + system), s':34}{ours['cpu_seconds']:>15.1f}{base['cpu_seconds']:>15.1f}"
          f"{base['cpu_seconds'] / ours['cpu_seconds']:>7.1f}x")
    print(f"{'peak memory (max RSS), MB':34}{ours['peak_mb']:>15.0f}{base['peak_mb']:>15.0f}"
          f"{base['peak_mb'] / ours['peak_mb']:>7.1f}x")
    print(f"\nconflictgraph: {ours['rows']:,} rows read = {ours['imported']:,} imported + {ours['rejected']:,} "
          f"rejected; {ours['attached']:,} rows with only known or generic actors; names {ours['names']}; "
          f"rules {ours['rules_seconds']:.1f} s, then {ours['compact_and_swap_seconds']:.1f} s to exit; "
          f"store compacted {ours['compacted_seconds']:.1f} s after the start"
          + (f" (in the background, peak {ours['compactor_mb']} MB)" if ours["compactor_mb"] else "")
          + (f"; event-tie table kept {ours['kept_seconds']:.1f} s after the start (extracted in "
             f"{ours['warmup_seconds']:.1f} s, peak {ours['warmup_mb']} MB)" if ours["warmup_seconds"] else ""))
    print(f"rdflib baseline: {base['triples']:,} triples (simpler mapping, no reconciliation), "
          f"side-pair query {base['query_seconds']:.1f} s")
    verdict = "OK" if ours["seconds"] < 20 and ours["peak_mb"] < 1024 else "OVER BUDGET"
    print(f"budget (100,000 rows: < 20 s, < 1 GB): {verdict} for {options.rows:,} rows")
    try:
        net = _child("network", str(store))
    except SystemExit as err:
        print(f"\nnetwork phase skipped: {err}")
    else:
        print(f"\nprojection (actors view) through the queries alone: {net['project_seconds']:.1f} s, "
              f"{net['nodes']:,} nodes, {net['edges']:,} edges; from the event-tie table: "
              f"{net['read_back_seconds']:.1f} s; "
              f"centrality --measure all: {net['centrality_seconds']:.1f} s (exit {net['centrality_exit']}); "
              f"peak {net['peak_mb']:.0f} MB")
    if not options.keep:
        import shutil
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
