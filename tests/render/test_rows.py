"""Tables for reading stop at TABLE_ROWS rows and say how to get the rest; the other formats
write every row."""
import io

from conflictgraph.render.rows import TABLE_ROWS, write_rows


def _rows(n: int) -> list[dict]:
    return [{"row": f"r{i:05d}"} for i in range(n)]


def test_a_long_table_shows_its_first_rows_and_says_so():
    out = io.StringIO()
    write_rows(_rows(TABLE_ROWS + 5), "table", out)
    text = out.getvalue()
    assert f"r{TABLE_ROWS - 1:05d}" in text and f"r{TABLE_ROWS:05d}" not in text
    assert f"the first {TABLE_ROWS:,} of {TABLE_ROWS + 5:,} rows" in text and "--format csv" in text


def test_a_short_table_and_csv_have_every_row():
    out = io.StringIO()
    write_rows(_rows(3), "table", out)
    assert "r00002" in out.getvalue() and "rows;" not in out.getvalue()
    out = io.StringIO()
    write_rows(_rows(TABLE_ROWS + 5), "csv", out)
    assert out.getvalue().count("\n") == TABLE_ROWS + 6
