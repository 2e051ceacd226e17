"""Dyads agree with a plain pandas count of the imported rows."""
from __future__ import annotations

import json

import pandas as pd

from conftest import FIXTURES, run_cli


def test_dyads_equal_a_pandas_groupby_of_the_imported_rows(tmp_path):
    store = str(tmp_path / "store")
    assert run_cli("build", "--no-bundled", "--store", store).exit_code == 0
    run_cli("import", "ucdp", str(FIXTURES / "ucdp" / "ged.csv"), "--store", store, "--rejects", str(tmp_path / "r.csv"))
    events = json.loads(run_cli("query", "--store", store, "--format", "json",
                                "SELECT ?e WHERE { ?e a/rdfs:subClassOf* cg:Event }").output)
    imported = {row["e"].rsplit("/ucdp-", 1)[1] for row in events}
    frame = pd.read_csv(FIXTURES / "ucdp" / "ged.csv", dtype=str, on_bad_lines="skip")
    frame = frame[frame["id"].isin(imported)].drop_duplicates("id")  # a repeated id is a rejected row
    frame["pair"] = [tuple(sorted(p)) for p in zip(frame["side_a"], frame["side_b"])]
    # an unreadable count ("many") is left out, as pandas' coerce does; deaths: best, else low, else high
    counts = {k: pd.to_numeric(frame[k], errors="coerce") for k in ("low", "best", "high")}
    counts["deaths"] = counts["best"].fillna(counts["low"]).fillna(counts["high"])
    expected = frame.assign(**counts).groupby("pair").agg(events=("id", "size"), deaths=("deaths", "sum"),
                                                          low=("low", "sum"), high=("high", "sum"))
    result = run_cli("dyads", "--store", store, "--format", "json", "--top", "0", "--include-generic")
    got = {tuple(sorted((d["a"], d["b"]))): (d["events"], d["deaths"], d["deaths_low"], d["deaths_high"])
           for d in json.loads(result.output)["dyads"]}
    assert got == {pair: (row.events, int(row.deaths), int(row.low), int(row.high)) for pair, row in expected.iterrows()}
    by_deaths = json.loads(run_cli("dyads", "--store", store, "--format", "json", "--rank-by", "deaths",
                                   "--include-generic").output)["dyads"]
    assert [d["deaths"] for d in by_deaths] == sorted((d["deaths"] for d in by_deaths), reverse=True)
