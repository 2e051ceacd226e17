"""Where the bundled ontology and graph live: inside the wheel, or in the source checkout.

Examples
--------
>>> (ontology_dir() / "conflict.ttl").is_file()
True
"""
from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

__all__ = ["ontology_dir", "bundled_graph_dir", "bundled_hash"]


def _data_root() -> Path:
    """The folder holding ``ontology/`` and ``graph/``.

    An installed wheel carries them as ``conflictgraph/data``; an editable install of the
    repository finds them at the repository root.
    """
    packaged = Path(str(resources.files("conflictgraph"))) / "data"
    if (packaged / "ontology").is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "ontology").is_dir():
        return checkout
    raise FileNotFoundError("the bundled ontology is missing from this installation")


def ontology_dir() -> Path:
    """The folder with conflict.ttl, shapes.ttl, rules/ and queries/."""
    return _data_root() / "ontology"


def bundled_graph_dir() -> Path:
    """The bundled graph folder (the Myanmar 2023 dataset)."""
    return _data_root() / "graph"


def bundled_hash(extra_dirs: tuple[Path, ...] = ()) -> str:
    """A short hash of every file under ontology/ and graph/ (and ``extra_dirs``).

    A store cached under this key is rebuilt whenever any of those files changes.
    """
    digest = hashlib.sha256()
    for root in (ontology_dir(), bundled_graph_dir(), *extra_dirs):
        for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
