"""Random text in every named query's parameters and in the options users type: a usage error
or an answer, never a traceback (property-based, with hypothesis)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflictgraph.query.catalog import load_catalog
from conftest import run_cli

pytestmark = pytest.mark.slow  # ~15 s: in make test (CI), not in make test-fast

TEXT = st.text(min_size=0, max_size=40)
PARAMETERS = [(query.name, param.name) for query in load_catalog().values() for param in query.params]


def _no_traceback(result) -> None:
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output)
    assert "Traceback" not in result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{type(result.exception).__name__}: {result.exception}") from result.exception


@pytest.mark.parametrize("query, param", PARAMETERS)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=TEXT)
def test_named_query_parameters_take_any_text(mini_on_disk, query, param, value):
    _no_traceback(run_cli("query", query, "--store", mini_on_disk, "--format", "json", "--param", f"{param}={value}"))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(as_of=TEXT, focus=TEXT, evidence=TEXT, relations=TEXT)
def test_network_options_take_any_text(mini_on_disk, as_of, focus, evidence, relations):
    for options in (["--as-of", as_of], ["--focus", focus], ["--evidence", evidence], ["--relations", relations],
                    ["--between", as_of, focus]):
        _no_traceback(run_cli("centrality", "--store", mini_on_disk, "--format", "json", *options))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=TEXT)
def test_show_and_path_take_any_name(mini_on_disk, name):
    _no_traceback(run_cli("show", name, "--store", mini_on_disk, "--format", "json"))
    _no_traceback(run_cli("path", name, "HDF", "--store", mini_on_disk, "--format", "json"))
