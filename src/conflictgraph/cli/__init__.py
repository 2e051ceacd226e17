"""The command line: a thin layer of click commands over the library.

``main`` (the console script) and the command group ``cli`` live in :mod:`.main`; each family of
commands has its own module, and the options they share are in :mod:`.options`.
"""
from conflictgraph.cli.main import cli, main

__all__ = ["cli", "main"]
