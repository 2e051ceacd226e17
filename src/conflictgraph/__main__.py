"""``python -m conflictgraph ...`` runs the command line, as the ``conflictgraph`` script does."""
from conflictgraph.cli.main import main

main()
