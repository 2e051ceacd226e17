"""Moved: the projection is :mod:`conflictgraph.network.projection` (this name goes in a later release)."""
import warnings

from conflictgraph.network.projection import project
from conflictgraph.network.spec import ProjectionError, Relation, describe_window, load_projection, parse_day

warnings.warn("conflictgraph.project moved to conflictgraph.network.projection", DeprecationWarning, stacklevel=2)

__all__ = ["project", "ProjectionError", "Relation", "describe_window", "load_projection", "parse_day"]
