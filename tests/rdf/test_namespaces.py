"""The cg: vocabulary used in code is the ontology's: every CG.term exists in conflict.ttl."""
import re
from pathlib import Path

import pytest

from conflictgraph.rdf.namespaces import CG, _ontology_terms

SOURCE = Path(__file__).parents[2] / "src" / "conflictgraph"


def test_every_cg_term_in_the_code_is_defined_by_the_ontology():
    code = [line for path in SOURCE.rglob("*.py") for line in path.read_text(encoding="utf-8").splitlines()
            if not line.lstrip().startswith((">>>", "..."))]  # doctests show a misspelt term on purpose
    used = {name for line in code for name in re.findall(r"\bCG\.(?!term\b)([A-Za-z_]\w*)", line)}
    assert used, "the code names no cg: term at all?"
    assert used - _ontology_terms(str(CG)) == set()


def test_no_cg_iri_is_built_by_string_concatenation():
    concatenated = [f"{path.relative_to(SOURCE)}: {match}" for path in SOURCE.rglob("*.py")
                    for match in re.findall(r'CG \+ ["\'][A-Za-z]+["\']', path.read_text(encoding="utf-8"))]
    assert concatenated == []


def test_a_misspelt_term_fails_at_once():
    assert CG.Actor == "https://w3id.org/conflictgraph/ontology#Actor"
    with pytest.raises(AttributeError, match="cg:Actr is not a term"):
        _ = CG.Actr
    with pytest.raises(AttributeError):
        CG.term("Actr")
