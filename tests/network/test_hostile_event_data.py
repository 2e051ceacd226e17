"""Event data of fighting alone, for a conflict the bundled graph does not know: every network
command gives a non-empty answer that says which ties it used and why, and the per-period
networks agree with a plain pandas count of the file.

The fixture (tests/fixtures/ucdp/westland.csv) is a made-up UCDP-shaped conflict over three
years: state-based, non-state and one-sided events, no cooperative tie at all.
"""
from __future__ import annotations

import json

import pandas as pd
import pytest

from conftest import FIXTURES, run_cli

WESTLAND = FIXTURES / "ucdp" / "westland.csv"


@pytest.fixture
def store(westland_on_disk) -> str:
    return westland_on_disk


def _json(*args: str) -> dict:
    result = run_cli(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _frame() -> pd.DataFrame:
    """The file as an analyst reads it: one row per event, civilians (a generic actor) left out."""
    frame = pd.read_csv(WESTLAND, dtype=str)
    frame = frame[frame["side_b"] != "Civilians"].copy()
    frame["pair"] = [tuple(sorted(p)) for p in zip(frame["side_a"], frame["side_b"])]
    frame["day"] = frame["date_start"].str[:10]
    return frame


def test_centrality_ranks_on_hostile_ties_and_says_why(store):
    payload = _json("centrality", "--store", store)
    assert payload["analysis"]["ties"] == "hostile"
    assert "no cooperative tie" in payload["analysis"]["ties_reason"]
    assert payload["rows"][0]["actor"] == "Government of Westland"  # it fights the most enemies
    text = run_cli("centrality", "--store", store)
    assert "no cooperative tie in this view, so the hostile ties are used" in text.stderr


def test_communities_are_blocs_of_common_enemies(store):
    payload = _json("communities", "--store", store)
    assert payload["analysis"]["ties"] == "hostile" and "shared enemies" in payload["analysis"]["affinity"]
    members = [set(c["members"]) for c in payload["communities"]]
    assert members, "an all-hostile view still has communities of actors sharing enemies"
    # actors that fought each other are never tied by shared enemies, so the state and its enemies part
    assert not any({"Government of Westland", "Northern Liberation Front"} <= group for group in members)
    cooperative = _json("communities", "--store", store, "--ties", "cooperative")
    assert cooperative["communities"] == []
    assert "no cooperative tie in this view" in cooperative["analysis"]["empty_reason"]


def test_path_crosses_hostile_ties_and_names_their_kind(store):
    payload = _json("path", "--store", store, "Northern Liberation Front", "Coastal Brigades")
    assert payload["analysis"]["ties"] == "all" and "no cooperative path" in payload["analysis"]["ties_reason"]
    hops = payload["paths"][0]
    assert [hop["to_label"] for hop in hops] == ["Government of Westland", "Coastal Brigades"]
    assert {kind for hop in hops for kind in hop["kinds"]} == {"hostile"}
    hostile = _json("path", "--store", store, "--ties", "hostile", "Northern Liberation Front", "Coastal Brigades")
    assert len(hostile["paths"][0]) == 2


def test_balance_dyads_and_export_answer(store):
    balance = _json("balance", "--store", store)
    assert balance["camps"] and balance["analysis"]["ties"] == "signed"
    dyads = _json("dyads", "--store", store, "--top", "0")
    assert len(dyads["dyads"]) == _frame()["pair"].nunique()


def test_diff_compares_whole_years_as_pandas_does(store):
    payload = _json("diff", "--store", store, "--from", "2019", "--to", "2021")
    assert payload["analysis"]["ties"] == "hostile"
    assert (payload["analysis"]["before"], payload["analysis"]["after"]) == ("2019-01-01..2019-12-31",
                                                                             "2021-01-01..2021-12-31")
    frame = _frame()
    pairs = {year: set(frame[frame["year"] == year]["pair"]) for year in ("2019", "2021")}
    label_pairs = {(change["change"], tuple(sorted((change["from"], change["to"])))) for change in payload["ties"]}
    expected = ({("ended", p) for p in pairs["2019"] - pairs["2021"]} |
                {("appeared", p) for p in pairs["2021"] - pairs["2019"]})
    assert label_pairs == expected and expected  # a pair fighting in both years did not "end"


def test_diff_by_year_equals_a_pandas_groupby(store):
    payload = _json("diff", "--store", store, "--by", "year", "--include-generic")
    frame = pd.read_csv(WESTLAND, dtype=str)
    frame["pair"] = [tuple(sorted(p)) for p in zip(frame["side_a"], frame["side_b"])]
    per_year = frame.groupby("year").agg(events=("id", "size"), ties=("pair", "nunique"))
    actors = frame.melt(id_vars="year", value_vars=["side_a", "side_b"]).groupby("year")["value"].nunique()
    got = {row["period"]: (row["events"], row["ties"], row["nodes"]) for row in payload["periods"]}
    assert got == {year: (row.events, row.ties, actors[year]) for year, row in per_year.iterrows()}
    years = sorted(per_year.index)
    for before, after, row in zip(years, years[1:], payload["periods"][1:]):
        old, new = set(frame[frame["year"] == before]["pair"]), set(frame[frame["year"] == after]["pair"])
        assert (row["appeared"], row["ended"]) == (len(new - old), len(old - new))
    assert payload["analysis"]["ties"] == "hostile" and payload["periods"][0]["appeared"] is None


def test_diff_by_year_from_to_bounds_the_periods(store):
    every = _json("diff", "--store", store, "--by", "year", "--include-generic")["periods"]
    years = [row["period"] for row in every]
    assert len(years) >= 3
    bounded = _json("diff", "--store", store, "--by", "year", "--include-generic", "--from", years[1],
                    "--to", f"{years[2]}-06")["periods"]
    assert [row["period"] for row in bounded] == years[1:3]
    first, second = bounded  # the same networks; the first bounded period has none before it
    assert {k: v for k, v in first.items() if k not in ("appeared", "ended")} == {
        k: v for k, v in every[1].items() if k not in ("appeared", "ended")}
    assert first["appeared"] is None and second == every[2]
    backwards = run_cli("diff", "--store", store, "--by", "year", "--from", years[2], "--to", years[1])
    assert backwards.exit_code != 0 and "after their end" in backwards.stderr


def test_a_bare_year_as_of_is_the_whole_year(store):
    whole = _json("centrality", "--store", store, "--as-of", "2020")
    spelled = _json("centrality", "--store", store, "--between", "2020-01-01", "2020-12-31")
    assert [(r["actor"], r["degree"]) for r in whole["rows"]] == [(r["actor"], r["degree"]) for r in spelled["rows"]]
    assert whole["analysis"]["window"] == "between 2020-01-01 and 2020-12-31" and whole["analysis"]["edges"] > 0
    first_day = _json("centrality", "--store", store, "--as-of", "2020-01-01")
    assert first_day["analysis"]["edges"] < whole["analysis"]["edges"]


def test_show_sums_up_opponents_as_pandas_counts_them(store):
    result = run_cli("show", "--store", store, "--format", "json", "Government of Westland")
    assert result.exit_code == 0, result.output
    got = {c["label"]: (c["events"], c["deaths"], c["first"], c["last"])
           for c in json.loads(result.stdout)["counterparts"] if c["relation"] == "opponent"}
    frame = pd.read_csv(WESTLAND, dtype=str)
    mine = frame[(frame["side_a"] == "Government of Westland") | (frame["side_b"] == "Government of Westland")].copy()
    mine["other"] = mine["side_b"].where(mine["side_a"] == "Government of Westland", mine["side_a"])
    mine["best"], mine["day"] = mine["best"].astype(int), mine["date_start"].str[:10]
    expected = mine.groupby("other").agg(events=("id", "size"), deaths=("best", "sum"), first=("day", "min"),
                                         last=("day", "max"))
    assert got == {other: tuple(row) for other, row in expected.iterrows()}
    text = run_cli("show", "--store", store, "Government of Westland")
    assert "Fought against" in text.stdout and "per year: 2019" in text.stdout
    assert "--events lists them" in text.stdout
    listed = run_cli("show", "--store", store, "Government of Westland", "--events")
    assert f"page 1 of 1: events 1 to {len(mine)}" in listed.stdout
    past = run_cli("show", "--store", store, "Government of Westland", "--events", "--page", "2")
    assert past.exit_code == 2 and "past the last page of events (1)" in past.output


def test_reconcile_proposes_names_in_another_language_and_factions(store):
    result = run_cli("reconcile", "--store", store, "--format", "json")
    assert result.exit_code == 0, result.output
    likely = {row["name"]: row["likely"] for row in json.loads(result.stdout)}
    assert any("same words in another language: golfo = gulf (Gulf Cartel)" in why
               for why in likely["Cartel del Golfo"])
    assert any("same words in another language: golfo = gulf (Cartel del Golfo)" in why
               for why in likely["Gulf Cartel"])
    assert any("faction of River Militia" in why for why in likely["River Militia - Eastern Command"])
