"""Names every doctest of the package may use: ``MINI`` and ``FIXTURE_NETWORK``, small fixture
graph folders (the second has ties of every kind, for the network page).

Examples in docstrings build small stores from it instead of the whole bundled graph, so the
doctests stay in the fast test tier and do not depend on the working directory.
"""
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "tests" / "fixtures"
MINI = FIXTURES / "mini"
FIXTURE_NETWORK = FIXTURES / "network"


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace: dict) -> None:
    doctest_namespace["MINI"] = MINI
    doctest_namespace["FIXTURE_NETWORK"] = FIXTURE_NETWORK
