"""A UCDP side that lists several actors, each with its own id, is split into them; a name
with a comma and one id stays one actor."""
from __future__ import annotations

import csv
import json

from conftest import FIXTURES, run_cli

COALITION = FIXTURES / "ucdp" / "coalition.csv"


def test_a_coalition_side_is_split_into_its_members(tmp_path):
    store = str(tmp_path / "store")
    assert run_cli("build", "--no-bundled", "--store", store).exit_code == 0
    result = run_cli("import", "ucdp", str(COALITION), "--store", store, "--rejects", str(tmp_path / "rejects.csv"))
    assert result.exit_code == 0, result.output
    dyads = json.loads(run_cli("dyads", "--store", store, "--format", "json", "--top", "0").stdout)["dyads"]
    pairs = {tuple(sorted((d["a"], d["b"]))) for d in dyads}
    assert pairs == {("Government of Westland", "Northern Liberation Front"),
                     ("Government of Eastland", "Northern Liberation Front"),
                     ("Government of Westland", "Movement for Unity, Justice and Peace")}
    with open(tmp_path / "rejects.notes.csv", newline="", encoding="utf-8") as handle:
        notes = list(csv.DictReader(handle))
    assert [n["note"] for n in notes if "split into members" in n["note"]] == [
        "side A names 2 actors with their own UCDP ids; split into members"]
    assert "Government of Eastland" in run_cli("show", "--store", store, "Northern Liberation Front").stdout
