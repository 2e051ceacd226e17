"""docs/tour.ipynb runs from top to bottom on the current code (a real Jupyter kernel), and
shows what it promises: DataFrames, the inline network page and the timeline chart."""
from __future__ import annotations

import nbclient
import nbformat
import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow  # starts a kernel and builds the bundled graph


def test_the_tour_notebook_runs_without_errors(tmp_path):
    notebook = nbformat.read(ROOT / "docs" / "tour.ipynb", as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(not cell.outputs for cell in code), "commit the tour without outputs"
    # raises CellExecutionError naming the cell when any cell fails
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    shown = {cell.source.splitlines()[-1]: [o.get("data", {}) for o in cell.outputs] for cell in code}
    assert shown["page"][0]["text/html"].startswith('<iframe sandbox="allow-scripts"')
    assert shown["timeline.chart()"][0]["image/svg+xml"].count('class="bar events curated"') > 5
    ranks = shown['ranks.to_pandas()[["rank", "actor", "type", "pagerank"]]'][0]["text/html"]
    assert "<th>pagerank</th>" in ranks and "Karenni" in ranks
    assert "Arakan Army" in shown['members[["memberLabel", "member", "sourceTitle"]].drop_duplicates("member")'][0]["text/plain"]
    assert list(tmp_path.iterdir()) == []  # the tour writes nothing
