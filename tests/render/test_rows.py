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


def test_cell_shows_the_values_of_every_format():
    rows = [{"name": "=SUM(A1)", "sources": ["src:a", "src:b"], "score": 0.1234567891, "count": 3, "none": None}]
    columns = ["name", "sources", "score", "count", "none"]

    def shown(value):
        if isinstance(value, list):
            return " + ".join(value)
        return round(value, 2) if isinstance(value, float) else value

    out = {}
    for fmt in ("csv", "tsv", "ndjson", "json", "markdown", "table"):
        text = io.StringIO()
        write_rows(rows, fmt, text, columns=columns, cell=shown)
        out[fmt] = text.getvalue()
    assert out["csv"].splitlines()[1] == "'=SUM(A1),src:a + src:b,0.12,3,"  # the string untouched, but made safe
    assert out["tsv"].splitlines()[1] == "'=SUM(A1)\tsrc:a + src:b\t0.12\t3\t"
    assert '"sources": "src:a + src:b", "score": 0.12' in out["ndjson"]
    assert '"sources": "src:a + src:b"' in out["json"] and '"score": 0.12' in out["json"]
    assert "| =SUM(A1) | src:a + src:b | 0.12 | 3 |  |" in out["markdown"]
    assert "src:a + src:b" in out["table"] and "0.12" in out["table"] and "0.1234" not in out["table"]
