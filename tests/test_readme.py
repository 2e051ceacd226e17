"""The README: it starts with the two commands a newcomer runs, documents every command, and
shows the screenshot it links. (docs/cli.md: test_cli_reference.py.)"""
from __future__ import annotations

import re

from conflictgraph.cli.main import cli

from conftest import ROOT

README = ROOT / "README.md"


def test_every_command_is_documented_in_the_readme():
    readme = README.read_text(encoding="utf-8")
    documented = set(re.findall(r"^### `conflictgraph (\w[\w-]*)", readme, flags=re.M))
    assert documented == set(cli.commands), (
        f"missing from README: {set(cli.commands) - documented}; not a command: {documented - set(cli.commands)}")


def test_readme_starts_with_demo_and_test():
    readme = README.read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    assert "make demo" in first_block and "make test" in first_block


def test_readme_shows_the_screenshot():
    readme = README.read_text(encoding="utf-8")
    assert "![The alliance network page](docs/network.png)" in readme
    assert (ROOT / "docs" / "network.png").is_file()
