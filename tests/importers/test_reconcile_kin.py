"""reconcile proposes factions and acronyms among names no curated actor matches."""
from __future__ import annotations

import csv
import json

from conftest import FIXTURES, run_cli


def test_factions_and_acronyms_of_a_conflict_without_a_curated_graph(tmp_path):
    rows = list(csv.reader((FIXTURES / "ucdp" / "ged.csv").open(encoding="utf-8")))
    header, template = rows[0], dict(zip(rows[0], rows[1]))
    pairs = [("Sinaloa Cartel", "Gulf Cartel"), ("Sinaloa Cartel - Los Chapitos", "Cartel de Jalisco Nueva Generacion"),
             ("CJNG", "Gulf Cartel")]
    path = tmp_path / "ged.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for number, (side_a, side_b) in enumerate(pairs):
            writer.writerow([dict(template, id=str(800001 + number), side_a=side_a, side_b=side_b)[c] for c in header])
    store = str(tmp_path / "store")
    assert run_cli("build", "--no-bundled", "--store", store).exit_code == 0
    assert run_cli("import", "ucdp", str(path), "--store", store, "--rejects", str(tmp_path / "r.csv")).exit_code == 0
    rows = json.loads(run_cli("reconcile", "--store", store, "--format", "json").output)
    likely = {row["name"]: " | ".join(row["likely"]) for row in rows}
    assert "(faction of Sinaloa Cartel)" in likely["Sinaloa Cartel - Los Chapitos"]
    assert "(acronym of Cartel de Jalisco Nueva Generacion)" in likely["CJNG"]
    assert "(has the faction Sinaloa Cartel - Los Chapitos)" in likely["Sinaloa Cartel"]
