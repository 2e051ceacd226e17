"""The viz command through click's CliRunner, on the network fixture built on disk: what it
writes, its options and its errors. (The page itself: tests/viz/.)"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conflictgraph.cli.main import cli

from conftest import HOSTILE


def page_data(path: Path) -> dict:
    """The data the page carries (its application/json script)."""
    html = path.read_text(encoding="utf-8")
    [text] = re.findall(r'<script type="application/json" id="cg-page-data">(.*?)</script>', html, flags=re.S)
    return json.loads(text)


def test_viz_writes_only_the_page(network_on_disk, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["viz", "-o", "page.html", "--store", network_on_disk, "--color-by", "community",
                                      "--size-by", "pagerank"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "page.html"
    assert os.listdir(tmp_path) == ["page.html"]
    data = page_data(tmp_path / "page.html")
    assert data["meta"]["node_count"] == 8 and data["meta"]["edge_count"] == 14
    assert "8 nodes, 14 ties" in result.stderr


def test_viz_as_of_focus_and_relations(network_on_disk, tmp_path):
    out = tmp_path / "ego.html"
    result = CliRunner().invoke(cli, ["viz", "-o", str(out), "--store", network_on_disk, "--as-of", "2023-12-01",
                                      "--focus", "SF", "--depth", "1", "--relations", "aligned-with,defected-to",
                                      "--view", "alliances", "--color-by", "camp"])
    assert result.exit_code == 0, result.output
    data = page_data(out)
    assert data["meta"]["as_of"] == "2023-12-01" and data["meta"]["view"] == "alliance"
    assert {n["name"] for n in data["nodes"]} == {"Sierra Front", "Hotel Command", "Echo Force"}
    assert {r["name"] for r in data["relations"]} == {"aligned-with", "defected-to"}
    assert "around Sierra Front (depth 1)" in data["meta"]["facets"]


@pytest.mark.parametrize("args,message", [
    (["--as-of", "2023-01-01", "--between", "2020", "2021"], "not both"),
    (["--focus", "Nobody At All"], "no entity"),
    (["--relations", "loves"], "unknown relation"),
])
def test_viz_usage_errors(network_on_disk, tmp_path, args, message):
    result = CliRunner().invoke(cli, ["viz", "-o", str(tmp_path / "x.html"), "--store", network_on_disk, *args])
    assert result.exit_code in (1, 2) and message in result.stderr
    assert not (tmp_path / "x.html").exists()


def test_viz_refuses_a_missing_folder(network_on_disk, tmp_path):
    result = CliRunner().invoke(cli, ["viz", "-o", str(tmp_path / "no" / "x.html"), "--store", network_on_disk])
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_importing_the_cli_does_not_load_pyvis():
    code = "import conflictgraph.cli.main, sys; assert not {'pyvis', 'jinja2'} & set(sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


@pytest.mark.slow  # validates a graph folder (the hostile_store fixture's build validates it too)
def test_hostile_fixture_validates():
    result = CliRunner().invoke(cli, ["validate", "--no-bundled", "--graph", str(HOSTILE)])
    assert result.exit_code == 0, result.output
