"""Write the published vocabulary: docs/ontology/index.html and ontology/context.jsonld.

Both come from ontology/conflict.ttl and ontology/shapes.ttl through
:mod:`conflictgraph.render.vocabulary`; the page's examples from the graph in
graph/. ``tests/render/test_vocabulary.py`` fails when either
committed file differs from what this script writes, so run it after changing the ontology
or the shapes.

Run::

    .venv/bin/python scripts/vocabulary_docs.py
"""
from __future__ import annotations

from pathlib import Path

from conflictgraph.build.pipeline import build_store
from conflictgraph.render.vocabulary import context_text, load_vocabulary, term_examples, vocabulary_html

__all__ = ["outputs", "main"]

ROOT = Path(__file__).resolve().parents[1]


def outputs() -> dict[Path, str]:
    """Each file this script writes, with its text (from the repository's own ontology/)."""
    vocab = load_vocabulary(ROOT / "ontology")
    store, _report = build_store(":memory:", graph_dirs=(ROOT / "graph",), bundled=False)
    return {ROOT / "docs" / "ontology" / "index.html": vocabulary_html(vocab, term_examples(store, vocab)),
            ROOT / "ontology" / "context.jsonld": context_text(vocab)}


def main() -> None:
    for path, text in outputs().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
