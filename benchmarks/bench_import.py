"""Benchmark (not a test): event data at scale, end to end, beside what an analyst would write by hand.

Generates an ACLED-shaped CSV (default 100,000 rows; ``--rows 1000000`` for a million) with
realistic spreads: about ``--actors`` actors (default 2,000: curated names in about a third of
the rows, ACLED's "ACRONYM: Full name" forms, local units, generic civilians), associated actors
in about 40% of rows (1-3 each), 14 states/regions, about 70 districts, 330 townships and
6,000 locations, all three time precisions, long notes. Then, in one run, each step in its own
process (its peak memory is the process's max RSS, from ``wait4``):

1. **conflictgraph**: build the bundled graph on disk (not counted), then ``conflictgraph import
   acled FILE`` from start to exit (copy of the store, streamed import, rules, the event-tie
   table, atomic swap), and from the moment it exits the network commands of
   :data:`COMMANDS` and ``timeline``, one after the other, each from start to exit (a large file's compaction
   runs in the background meanwhile, as it does for a user); then ``conflictgraph compact``
   waits for that compaction before the baselines run.
2. **rdflib**: a hand-written plain rdflib ``Graph`` pipeline on the same rows (the same kind of
   triples, no reconciliation, no store), SPARQL for the pairs of actors on opposite sides and
   on one side, a networkx graph of them and the same centralities.
3. **csv + networkx**: the script an analyst writes: ``csv.DictReader``, the same pairs counted
   in a dict, a networkx graph, the same centralities.

The baselines' centralities are networkx's degree, weighted degree, PageRank, eigenvector and
betweenness sampled from 256 sources (exact betweenness takes networkx minutes at this size);
``conflictgraph centrality`` computes them all, betweenness exact up to 5,000 actors and 500
million actors x ties (sampled from 256 sources beyond: the dense 1,000,000-row network).

``--runs N`` repeats the whole run (each with its own store) and prints medians. The issue-16
targets are printed with OK or MISSED.

Run:

    .venv/bin/python benchmarks/bench_import.py [--rows N] [--actors N] [--runs N] [--keep DIR]
    .venv/bin/python benchmarks/bench_import.py --rows N --generate-only FILE
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
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


def generate(path: Path, rows: int, seed: int = 7, actors: int = 900) -> None:
    """Write an ACLED-shaped CSV of ``rows`` rows with about ``actors`` actor names to ``path``
    (deterministic for a seed)."""
    rng = random.Random(seed)
    local = [f"PDF: {rng.choice(['Yinmabin', 'Kani', 'Salingyi', 'Monywa', 'Pale', 'Gangaw', 'Tabayin'])}"
             f" People's Defence Force {i}" for i in range(max(actors - 200, 10) * 7 // 9)]
    militias = [f"Pyu Saw Htee Militia {i}" for i in range(max(actors - 200, 10) * 2 // 9)] + [
        "Unidentified Armed Group (Myanmar)"]
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


# The commands run the moment the import exits: (what the table calls it, arguments).
COMMANDS = [
    ("centrality (first command)", ["centrality"]),
    ("centrality --as-of 2023-06-30", ["centrality", "--as-of", "2023-06-30"]),
    ("centrality --between 2023", ["centrality", "--between", "2023-01-01", "2023-12-31"]),
    ("centrality --evidence acled", ["centrality", "--evidence", "acled"]),
    ("path KIA AA --between 2022", ["path", "KIA", "AA", "--between", "2022-01-01", "2022-12-31"]),
    ("diff --from 2022 --to 2023", ["diff", "--from", "2022", "--to", "2023"]),
    ("viz", ["viz"]),
    ("timeline (events per month)", ["timeline"]),
]


def _cli(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("conflictgraph")), *args]


def _timed(command: list[str]) -> dict:
    """Run ``command`` to its end: wall and processor seconds, peak memory (MB), exit code, output."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    return {"seconds": time.perf_counter() - started, "cpu": usage.ru_utime + usage.ru_stime,
            "mb": usage.ru_maxrss / 1024, "exit": os.waitstatus_to_exitcode(status), "output": output}


def _conflictgraph(csv_path: Path, folder: Path) -> dict[str, dict]:
    """Build, import, then the commands at once; then wait for the background compaction."""
    store = folder / "store"
    subprocess.run(_cli("--quiet", "build", "--store", str(store)), check=True, capture_output=True)
    steps = {"import": _timed(_cli("--quiet", "import", "acled", str(csv_path), "--store", str(store),
                                   "--rejects", str(folder / "rejects.csv")))}
    if steps["import"]["exit"] not in (0, 1):
        raise SystemExit(f"import failed:\n{steps['import']['output']}")
    for name, args in COMMANDS:
        extra = {"viz": ["--output", str(folder / "network.html")], "path": ["--format", "json"]}.get(
            args[0], ["--format", "csv"])
        steps[name] = _timed(_cli("--quiet", *args, "--store", str(store), *extra))
        if steps[name]["exit"] != 0:
            raise SystemExit(f"{name} failed:\n{steps[name]['output']}")
    steps["compaction done (after the commands)"] = _timed(_cli("--quiet", "compact", "--store", str(store)))
    return steps


def _sides(row: dict) -> tuple[list[str], list[str]]:
    """The actors of side A (actor1 and its associates) and side B of an ACLED row."""
    def side(actor: str, associated: str) -> list[str]:
        return [name for name in [actor, *associated.split("; ")] if name]
    return side(row["actor1"], row["assoc_actor_1"]), side(row["actor2"], row["assoc_actor_2"])


def _count_pairs(side_a: list, side_b: list, weights: Counter) -> None:
    """Count the event's pairs of actors: on opposite sides (fought) and on one side (alongside)."""
    pairs = [(x, y) for x in side_a for y in side_b]
    for side in (side_a, side_b):
        pairs += [(x, y) for i, x in enumerate(side) for y in side[i + 1:]]
    for x, y in pairs:
        if x != y:
            weights[min(x, y), max(x, y)] += 1


def _centralities(graph) -> None:
    """The centralities the baselines compute (what ``conflictgraph centrality`` gives; betweenness sampled)."""
    import networkx as nx
    nx.degree_centrality(graph)
    dict(graph.degree(weight="weight"))
    nx.pagerank(graph, weight="weight")
    nx.eigenvector_centrality_numpy(graph, weight="weight")
    nx.betweenness_centrality(graph, k=min(256, graph.number_of_nodes()), seed=0)


def _phase_networkx(csv_path: Path) -> dict:
    """The script an analyst writes: the file's pairs of actors counted, a networkx graph, centralities."""
    import networkx as nx
    started = time.perf_counter()
    weights: Counter = Counter()
    with open(csv_path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            _count_pairs(*_sides(row), weights)
    graph = nx.Graph()
    graph.add_weighted_edges_from((x, y, w) for (x, y), w in weights.items())
    built = time.perf_counter()
    _centralities(graph)
    return {"graph_seconds": built - started, "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}


def _phase_rdflib(csv_path: Path) -> dict:
    """A plain rdflib pipeline: the rows as triples in a Graph, SPARQL for the pairs, networkx, centralities."""
    import networkx as nx
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
            side_a, side_b = _sides(row)
            for prop, side in (("sideA", side_a), ("sideB", side_b)):
                for name in side:
                    graph.add((e, cg[prop], ac[name.replace(" ", "-").replace(":", "")]))
    loaded = time.perf_counter()
    sides: dict = {}  # event -> (side A, side B), from one SPARQL query (pairing in SPARQL is far slower in rdflib)
    for e, p, a in graph.query("PREFIX cg: <https://w3id.org/conflictgraph/ontology#> "
                               "SELECT ?e ?p ?a WHERE { VALUES ?p { cg:sideA cg:sideB } ?e ?p ?a }"):
        sides.setdefault(e, ([], []))[p == cg.sideB].append(a)
    weights: Counter = Counter()
    for side_a, side_b in sides.values():
        _count_pairs(side_a, side_b, weights)
    network = nx.Graph()
    network.add_weighted_edges_from((x, y, w) for (x, y), w in weights.items())
    queried = time.perf_counter()
    _centralities(network)
    return {"load_seconds": loaded - started, "query_seconds": queried - loaded, "triples": len(graph),
            "nodes": network.number_of_nodes(), "edges": network.number_of_edges()}


def _baseline(phase: str, csv_path: Path) -> dict:
    """A baseline phase in its own process, timed like the commands."""
    step = _timed([sys.executable, __file__, "--phase", phase, str(csv_path)])
    if step["exit"] != 0:
        raise SystemExit(f"phase {phase} failed:\n{step['output']}")
    step.update(json.loads(step.pop("output").strip().splitlines()[-1]))
    return step


def _one_run(csv_path: Path, folder: Path, *, baselines: bool = True) -> dict[str, dict]:
    steps = _conflictgraph(csv_path, folder)
    if baselines:
        steps["rdflib pipeline"] = _baseline("rdflib", csv_path)
        steps["csv + networkx script"] = _baseline("networkx", csv_path)
    first = COMMANDS[0][0]
    steps["conflictgraph: import + first centrality"] = {
        key: steps["import"][key] + steps[first][key] for key in ("seconds", "cpu")} | {
        "mb": max(steps["import"]["mb"], steps[first]["mb"])}
    return steps


def _targets(rows: int, medians: dict[str, dict]) -> list[tuple[str, float, float]]:
    """(what, measured, target) for issue 16's targets at this size."""
    seconds = {name: step["seconds"] for name, step in medians.items()}
    if rows >= 1_000_000:
        found = [("import, s", seconds["import"], 180), ("import peak memory, MB", medians["import"]["mb"], 2048)]
        found += [(f"{name}, s", seconds[name], 15) for name, _args in COMMANDS]
    else:
        found = [("import, s", seconds["import"], 15), ("import peak memory, MB", medians["import"]["mb"], 1024)]
        for name, args in COMMANDS:
            limit = 5 if name == COMMANDS[0][0] or args[0] == "diff" else 8 if args[0] == "viz" else 3
            found.append((f"{name}, s", seconds[name], limit))
    if "rdflib pipeline" in seconds:
        pipeline = seconds["rdflib pipeline"] / seconds["conflictgraph: import + first centrality"]
        found.append(("import + first centrality: times faster than the rdflib pipeline", pipeline, 2))
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--actors", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="Work in this folder and keep it (default: a temporary one).")
    parser.add_argument("--generate-only", type=Path, metavar="FILE", help="Only write the CSV to FILE.")
    parser.add_argument("--no-baselines", action="store_true",
                        help="Time conflictgraph alone (no rdflib pipeline, no csv + networkx script, no ratio).")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.phase:
        result = {"rdflib": _phase_rdflib, "networkx": _phase_networkx}[options.phase](Path(options.args[0]))
        print(json.dumps(result))
        return
    if options.generate_only:
        generate(options.generate_only, options.rows, actors=options.actors)
        return
    folder = options.keep or Path(tempfile.mkdtemp(prefix="bench-import-"))
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / "acled-synthetic.csv"
    started = time.perf_counter()
    generate(csv_path, options.rows, actors=options.actors)
    print(f"generated {options.rows:,} rows ({csv_path.stat().st_size / 1e6:.1f} MB) in "
          f"{time.perf_counter() - started:.1f} s; load average {os.getloadavg()[0]:.1f}")
    runs = []
    for number in range(options.runs):
        run_folder = folder / f"run-{number + 1}"
        run_folder.mkdir(exist_ok=True)
        runs.append(_one_run(csv_path, run_folder, baselines=not options.no_baselines))
        print(f"run {number + 1}: " + ", ".join(f"{name} {step['seconds']:.1f} s" for name, step in runs[-1].items()),
              flush=True)
    medians = {name: {key: statistics.median(run[name][key] for run in runs) for key in ("seconds", "cpu", "mb")}
               for name in runs[0]}
    print(f"\n{options.rows:,} rows, {options.runs} run(s), medians; load average {os.getloadavg()[0]:.1f} at the end")
    print(f"{'':52}{'wall s':>8}{'CPU s':>8}{'peak MB':>9}")
    for name, step in medians.items():
        print(f"{name:52}{step['seconds']:>8.1f}{step['cpu']:>8.1f}{step['mb']:>9.0f}")
    last = runs[-1]
    if not options.no_baselines:
        print(f"\nnetworks: csv + networkx {last['csv + networkx script']['nodes']:,} actors, "
              f"{last['csv + networkx script']['edges']:,} pairs; rdflib {last['rdflib pipeline']['triples']:,} "
              f"triples, {last['rdflib pipeline']['edges']:,} pairs")
    print("\ntargets (issue 16):")
    for what, measured, target in _targets(options.rows, medians):
        met = measured >= target if "faster" in what else measured <= target
        print(f"  {what:70}{measured:>9.1f}  target {'>=' if 'faster' in what else '<='} {target:<6} "
              f"{'OK' if met else 'MISSED'}")
    if not options.keep:
        import shutil
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
