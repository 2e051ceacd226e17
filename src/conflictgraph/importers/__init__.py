"""Import event datasets (UCDP GED, ACLED) and dyadic tables (through a TOML mapping:
:mod:`conflictgraph.importers.table`) into the graph, reconciled with the known actors.

``import_events`` streams one CSV file into its dataset's named graph; ``update_store`` in
:mod:`conflictgraph.build.pipeline` wraps it so an on-disk store is changed atomically.

Examples
--------
>>> sorted(DATASETS)
['acled', 'ucdp']
"""
from conflictgraph.importers.dataset import DATASETS, GRAPH_IMPORT_LOG, ImportReport, dataset_graph, import_events
from conflictgraph.importers.reconcile import unreconciled_actors

__all__ = ["DATASETS", "GRAPH_IMPORT_LOG", "ImportReport", "dataset_graph", "import_events", "unreconciled_actors"]
