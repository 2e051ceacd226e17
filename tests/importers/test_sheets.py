"""Parquet files and Excel workbooks import as their CSV twins do: the same triples, the same
rejects with the sheet's own row numbers, and clear messages for what cannot be read.

The Parquet and Excel files are written here by pandas from the CSV fixtures, with pandas' own
column types (numbers as numbers, as a data provider's file has them).
"""
from __future__ import annotations

import csv

import pandas as pd
import pytest

from conftest import FIXTURES, run_cli

DATASET_TRIPLES = "SELECT ?s ?p ?o WHERE {{ GRAPH <https://w3id.org/conflictgraph/graph/dataset/{key}> {{ ?s ?p ?o }} }}"
CASES = [("ucdp", "ucdp-ged", FIXTURES / "ucdp" / "westland.csv"), ("acled", "acled", FIXTURES / "acled" / "westland.csv"),
         ("table", "edge-list", FIXTURES / "table" / "edges.csv")]


def _imported(tmp_path, command: str, key: str, path) -> list[str]:
    """The dataset graph's triples, sorted, after importing ``path`` into a fresh store."""
    store = str(tmp_path / f"store-{path.suffix[1:]}")
    assert run_cli("build", "--no-bundled", "--store", store).exit_code == 0
    extra = ["--mapping", "edge-list"] if command == "table" else []
    result = run_cli("import", command, str(path), *extra, "--store", store, "--rejects", str(tmp_path / "rejects.csv"))
    assert result.exit_code == 0, result.output
    listed = run_cli("query", DATASET_TRIPLES.format(key=key), "--store", store, "--format", "csv")
    assert listed.exit_code == 0, listed.output
    return sorted(listed.output.splitlines()[1:])


@pytest.mark.parametrize("command, key, source", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("suffix", [".parquet", ".xlsx"])
def test_a_sheet_imports_as_its_csv_twin(tmp_path, command, key, source, suffix):
    frame = pd.read_csv(source)
    sheet = tmp_path / (source.stem + suffix)
    frame.to_parquet(sheet) if suffix == ".parquet" else frame.to_excel(sheet, index=False)
    twin = _imported(tmp_path, command, key, source)
    assert len(twin) > 20
    assert _imported(tmp_path, command, key, sheet) == twin


def test_excel_rejects_carry_the_sheets_row_numbers(tmp_path):
    frame = pd.read_csv(FIXTURES / "acled" / "westland.csv")
    frame.loc[3, "event_id_cnty"] = None  # sheet row 5 (the header is row 1)
    sheet = tmp_path / "acled.xlsx"
    frame.to_excel(sheet, index=False)
    assert run_cli("build", "--no-bundled", "--store", str(tmp_path / "s")).exit_code == 0
    result = run_cli("import", "acled", str(sheet), "--store", str(tmp_path / "s"),
                     "--rejects", str(tmp_path / "rejects.csv"))
    assert result.exit_code == 1
    assert f"{len(frame)} rows read = {len(frame) - 1} imported + 1 rejected" in result.output
    with open(tmp_path / "rejects.csv", encoding="utf-8") as handle:
        rejected = list(csv.DictReader(handle))
    assert [row["row"] for row in rejected] == ["5"]
    assert "event_id_cnty" in rejected[0]["reason"]


def test_unreadable_and_wrong_sheets_get_one_line(tmp_path):
    assert run_cli("build", "--no-bundled", "--store", str(tmp_path / "s")).exit_code == 0
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1 not really parquet")
    result = run_cli("import", "ucdp", str(broken), "--store", str(tmp_path / "s"))
    assert result.exit_code == 1 and "not readable as Parquet" in result.output
    assert "Traceback" not in result.output
    other = tmp_path / "acled.xlsx"
    pd.read_csv(FIXTURES / "acled" / "westland.csv").to_excel(other, index=False)
    result = run_cli("import", "ucdp", str(other), "--store", str(tmp_path / "s"))
    assert result.exit_code == 1
    assert "not in the UCDP GED format: missing column(s)" in result.output
    assert "it looks like ACLED data" in result.output
    inspected = run_cli("import", "inspect", str(other))
    assert inspected.exit_code == 0
    assert inspected.output.strip().endswith("Excel workbook; an event export: conflictgraph import acled acled.xlsx")


def test_a_missing_number_is_an_empty_cell_as_in_csv(tmp_path):
    """pandas, Polars and R write a missing number to Parquet as NaN; a CSV export leaves the cell empty."""
    frame = pd.read_csv(FIXTURES / "acled" / "westland.csv")
    frame.loc[2, "fatalities"] = float("nan")
    frame.to_csv(tmp_path / "westland.csv", index=False)
    frame.to_parquet(tmp_path / "westland.parquet")
    twin = _imported(tmp_path, "acled", "acled", tmp_path / "westland.csv")
    assert _imported(tmp_path, "acled", "acled", tmp_path / "westland.parquet") == twin


def test_a_damaged_parquet_file_is_one_line_not_a_traceback(tmp_path):
    frame = pd.concat([pd.read_csv(FIXTURES / "ucdp" / "westland.csv")] * 50, ignore_index=True)
    frame["id"] = range(len(frame))
    whole = tmp_path / "whole.parquet"
    frame.to_parquet(whole, row_group_size=100)
    data = bytearray(whole.read_bytes())
    for at in range(len(data) // 3, len(data) // 2, 7):  # damage the middle row groups, keep the footer
        data[at] ^= 0xFF
    damaged = tmp_path / "damaged.parquet"
    damaged.write_bytes(bytes(data))
    assert run_cli("build", "--no-bundled", "--store", str(tmp_path / "s")).exit_code == 0
    result = run_cli("import", "ucdp", str(damaged), "--store", str(tmp_path / "s"), "--rejects", str(tmp_path / "r.csv"))
    assert result.exit_code == 1, result.output
    assert "damaged.parquet" in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
