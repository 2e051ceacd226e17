"""A small fuzz corpus (benchmarks/fuzz_inputs.py, a fixed seed): every damaged or hostile CSV
file and graph folder gets a clean answer in time from the importers and `validate` - exit 0, 1
or 2, no traceback, an import summary that adds up. The script runs larger corpora."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from conftest import run_cli

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from fuzz_inputs import cases, command_for, problem  # noqa: E402

pytestmark = pytest.mark.slow  # about 50 commands

CASES = list(cases(seed=7, per_kind=1))
LIMIT = 60.0  # seconds a case may take on a loaded CI machine (each takes under 3 s here)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """One store every import case writes to, as a user's would."""
    location = tmp_path_factory.mktemp("fuzz") / "store"
    assert run_cli("build", "--no-bundled", "--store", str(location)).exit_code == 0
    return location


def test_the_corpus_covers_every_mutation():
    kinds = {case.kind for case in CASES}
    assert kinds == {"ucdp", "acled", "table", "graph"} and len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_every_case_gets_a_clean_answer(case, store, tmp_path):
    command = command_for(case, tmp_path / "case", store)
    started = time.perf_counter()
    result = run_cli(*command)
    found = problem(case, result.exit_code, result.output, result.exception, time.perf_counter() - started, LIMIT)
    assert found is None, f"{case.name}: {found}\n{result.output[-2000:]}"
