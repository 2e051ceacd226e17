"""Cells a spreadsheet would run as a formula are neutralised in every CSV/TSV we write."""
from __future__ import annotations

import csv
import io

import pytest

from conflictgraph.render.rows import spreadsheet_safe, write_rows
from conftest import FIXTURES, copy_store, run_cli

FORMULAS = ["=cmd|' /C calc'!A0", "+SUM(A1:A2)", "-2+3", "@SUM(1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("cell", FORMULAS)
def test_formula_cells_get_a_leading_quote(cell):
    assert spreadsheet_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-5", "+3.5", "-1e3", "KNDF", "", "2023-11-07"])
def test_numbers_and_text_are_unchanged(cell):
    assert spreadsheet_safe(cell) == cell


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_format_csv_and_tsv_neutralise_formulas(fmt):
    out = io.StringIO()
    write_rows([{"name": "=HYPERLINK(\"http://x\")", "n": -1}], fmt, out)
    rows = list(csv.reader(io.StringIO(out.getvalue()), delimiter="," if fmt == "csv" else "\t"))
    assert rows[1] == ["'=HYPERLINK(\"http://x\")", "-1"]


def test_the_rejects_file_neutralises_formulas(mini_on_disk, tmp_path):
    header = (FIXTURES / "acled" / "acled.csv").read_text(encoding="utf-8").splitlines()[0]
    columns = next(csv.reader([header]))
    bad = dict.fromkeys(columns, "@x")
    bad.update(event_id_cnty="=cmd|' /C calc'!A0", event_date="=not a date")  # rejected: no date
    path = tmp_path / "acled.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerow(bad)
    store = copy_store(mini_on_disk, tmp_path)
    rejects = tmp_path / "rejects.csv"
    result = run_cli("import", "acled", str(path), "--store", str(store), "--rejects", str(rejects))
    assert result.exit_code == 1, result.output
    rows = list(csv.reader(rejects.open(encoding="utf-8")))
    cells = rows[1][2:]
    assert cells[columns.index("event_id_cnty")] == "'=cmd|' /C calc'!A0"
    assert all(not cell.startswith(("=", "+", "@")) for cell in rows[1])
