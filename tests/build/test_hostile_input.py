"""Graph files shaped to exhaust the parser: linear work, clear limits, never a hang or a traceback."""
from __future__ import annotations

import os
import time

import pyoxigraph as ox
import pytest

from conflictgraph.build.ontology import load_ontology
from conflictgraph.build.parse import MAX_NESTING, parse_file, skolemize
from conflictgraph.errors import ParseError
from conftest import run_cli

HEADER = "@prefix ex: <http://ex/> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"


def _skolemize(path):
    vocab = load_ontology()
    return skolemize(parse_file(path, graph="http://g"), tie_classes=vocab.tie_classes,
                     event_classes=vocab.event_classes)


def test_a_long_list_is_named_without_recursion(tmp_path):
    path = tmp_path / "list.ttl"
    path.write_text(HEADER + "ex:a skos:related (" + " ".join(f'"{i}"' for i in range(5000)) + ") .\n")
    named = _skolemize(path)
    assert len(named) == 10001 and not any(isinstance(q.subject, ox.BlankNode) for q in named)


def test_shared_sub_structures_are_named_once(tmp_path):
    """A 'diamond' of 30 levels (each node reaching the next twice: 2**30 paths) took exponential time."""
    path = tmp_path / "diamond.ttl"
    lines = [HEADER] + [f"_:b{i} ex:l _:b{i + 1} ; ex:r _:b{i + 1} .\n" for i in range(30)]
    path.write_text("".join(lines) + '_:b30 ex:v "end" .\nex:a ex:p _:b0 .\n')
    started = time.perf_counter()
    named = _skolemize(path)
    assert time.perf_counter() - started < 2
    assert len({q.subject for q in named}) == 32


def test_blank_nodes_referring_to_each_other_keep_stable_names(tmp_path):
    path = tmp_path / "cycle.ttl"
    path.write_text(HEADER + "_:a ex:p _:b . _:b ex:p _:a . ex:s ex:r _:a .\n")
    assert _skolemize(path) == _skolemize(path)


def test_nesting_beyond_the_limit_is_refused_with_the_file(tmp_path):
    folder = tmp_path / "graph"
    (folder / "reference").mkdir(parents=True)
    depth = MAX_NESTING + 5
    (folder / "reference" / "deep.ttl").write_text(
        HEADER + "ex:a skos:related " + "[ skos:related " * depth + '"x"' + " ]" * depth + " .\n")
    (folder / "sources.ttl").write_text(
        "@prefix cg: <https://w3id.org/conflictgraph/ontology#> .\n"
        "@prefix dct: <http://purl.org/dc/terms/> .\n"
        "<https://w3id.org/conflictgraph/id/src/deep> a cg:Source, cg:ReferenceSource ; dct:title \"deep\"@en ;\n"
        "  cg:sourceKind \"reference\" ; cg:file \"reference/deep.ttl\" .\n")
    result = run_cli("validate", "--no-bundled", "--graph", str(folder))
    assert result.exit_code == 1, result.output
    assert f"nested more than {MAX_NESTING} levels" in result.output and "deep.ttl" in result.output


def test_a_long_literal_validates_in_seconds(tmp_path):
    folder = tmp_path / "graph"
    (folder / "reference").mkdir(parents=True)
    (folder / "reference" / "long.ttl").write_text(
        HEADER + '<https://w3id.org/conflictgraph/id/place/x> skos:altLabel "' + "x" * 3_000_000 + '"@en .\n')
    (folder / "sources.ttl").write_text(
        "@prefix cg: <https://w3id.org/conflictgraph/ontology#> .\n"
        "@prefix dct: <http://purl.org/dc/terms/> .\n"
        "<https://w3id.org/conflictgraph/id/src/long> a cg:Source, cg:ReferenceSource ; dct:title \"long\"@en ;\n"
        "  cg:sourceKind \"reference\" ; cg:file \"reference/long.ttl\" .\n")
    started = time.perf_counter()
    run_cli("validate", "--no-bundled", "--graph", str(folder))
    assert time.perf_counter() - started < 15


@pytest.mark.parametrize("suffix", [".ttl", ".csv"])
def test_a_pipe_given_as_a_file_is_refused_at_once(tmp_path, suffix):
    fifo = tmp_path / f"input{suffix}"
    os.mkfifo(fifo)
    started = time.perf_counter()
    if suffix == ".ttl":
        with pytest.raises(ParseError, match="not a regular file"):
            parse_file(fifo)
    else:
        store = tmp_path / "store"
        assert run_cli("build", "--no-bundled", "--store", str(store)).exit_code == 0
        result = run_cli("import", "acled", str(fifo), "--store", str(store), "--rejects", str(tmp_path / "r.csv"))
        assert result.exit_code == 1 and "not a regular file" in result.output
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("where", ["subject", "object"])
def test_an_rdf_1_2_triple_term_is_refused_with_the_file(tmp_path, where):
    folder = tmp_path / "graph"
    (folder / "reference").mkdir(parents=True)
    term = "<< ex:a ex:b ex:c >>"
    triple = f"{term} skos:note \"x\" .\n" if where == "subject" else f"ex:a skos:note {term} .\n"
    (folder / "reference" / "terms.ttl").write_text(HEADER + triple)
    (folder / "sources.ttl").write_text(
        "@prefix cg: <https://w3id.org/conflictgraph/ontology#> .\n"
        "@prefix dct: <http://purl.org/dc/terms/> .\n"
        "<https://w3id.org/conflictgraph/id/src/terms> a cg:Source, cg:ReferenceSource ; dct:title \"t\"@en ;\n"
        "  cg:sourceKind \"reference\" ; cg:file \"reference/terms.ttl\" .\n")
    for command in (["validate", "--no-bundled"], ["build", "--no-bundled", "--store", str(tmp_path / "s")]):
        result = run_cli(*command, "--graph", str(folder))
        assert result.exit_code == 1, result.output
        assert "terms.ttl: an RDF 1.2 triple term" in result.output and "cg:Statement" in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
