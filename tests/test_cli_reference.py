"""docs/cli.md is what scripts/cli_reference.py writes from the commands' own help."""
from __future__ import annotations

import importlib.util

from conflictgraph.cli.main import cli

from conftest import ROOT

SCRIPT = ROOT / "scripts" / "cli_reference.py"
REFERENCE = ROOT / "docs" / "cli.md"


def _script():
    spec = importlib.util.spec_from_file_location("cli_reference", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_cli_md_is_up_to_date():
    expected = _script().render()
    current = REFERENCE.read_text(encoding="utf-8") if REFERENCE.is_file() else ""
    assert current == expected, (
        "docs/cli.md is stale (a command, option or help text changed): "
        "run `.venv/bin/python scripts/cli_reference.py` and commit docs/cli.md")


def test_the_reference_has_every_command_with_its_help():
    text = _script().render()
    for name, command in cli.commands.items():
        assert f"## `conflictgraph {name}`" in text
        assert f"Usage: conflictgraph {name} " in text
        for param in command.params:
            for opt in param.opts if param.param_type_name == "option" and not param.hidden else ():
                assert opt in text, (name, opt)


def test_the_reference_does_not_depend_on_the_terminal(monkeypatch):
    script = _script()
    monkeypatch.setenv("COLUMNS", "40")
    narrow = script.render()
    monkeypatch.setenv("COLUMNS", "250")
    assert script.render() == narrow
