"""Credentials for a remote store: Basic and Digest from options, environment, the URL or
~/.netrc, against a real HTTP server that asks for them; a password is never printed."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from conflictgraph.cli.main import cli
from conflictgraph.rdf.namespaces import GRAPH_REFERENCE
from conflictgraph.rdf.terms import IRI, Literal
from conflictgraph.store.remote import Endpoint, RemoteStore
from sparql_http import running_sparql_http

USER, PASSWORD = "analyst", "s3cret-Pa55"
ASK = "ASK { ?s <http://ex/p> ?o }"


def _ask(url: str, *options: str, env: dict | None = None):
    return CliRunner().invoke(cli, ["query", ASK, "--endpoint", url, *options], env=env)


@pytest.fixture(params=["basic", "digest"])
def guarded(request):
    """A store that answers only USER with PASSWORD, by the scheme of the param; holds one quad."""
    with running_sparql_http("xml", auth=(request.param, USER, PASSWORD)) as url:
        store = RemoteStore(Endpoint.from_urls(url, user=USER, password=PASSWORD), timeout=10)
        store.add_quads([(IRI("http://ex/a"), IRI("http://ex/p"), Literal("x"), GRAPH_REFERENCE)])  # a built store
        store.close()
        yield url


def test_without_credentials_the_server_says_401(guarded):
    result = _ask(guarded)
    assert result.exit_code == 1 and "answered 401" in result.output


def test_credentials_from_options_and_environment(guarded):
    assert _ask(guarded, "--endpoint-user", USER, "--endpoint-password", PASSWORD).output.strip() == "true"
    env = {"CONFLICTGRAPH_ENDPOINT_USER": USER, "CONFLICTGRAPH_ENDPOINT_PASSWORD": PASSWORD}
    assert _ask(guarded, env=env).output.strip() == "true"


def test_credentials_from_the_url_and_netrc(guarded, tmp_path, monkeypatch):
    with_password = guarded.replace("http://", f"http://{USER}:{PASSWORD}@")
    assert _ask(with_password).output.strip() == "true"
    home = tmp_path / "home"
    home.mkdir()
    (home / ".netrc").write_text(f"machine 127.0.0.1 login {USER} password {PASSWORD}\n")
    (home / ".netrc").chmod(0o600)
    monkeypatch.setenv("HOME", str(home))
    assert _ask(guarded).output.strip() == "true"


def test_a_password_is_never_printed(guarded):
    wrong = guarded.replace("http://", f"http://{USER}:{PASSWORD}-wrong@")
    result = _ask(wrong)
    assert result.exit_code == 1 and "answered 401" in result.output and PASSWORD not in result.output
    result = _ask(guarded, "--endpoint-user", USER, "--endpoint-password", PASSWORD + "-wrong")
    assert result.exit_code == 1 and PASSWORD not in result.output
    result = CliRunner().invoke(cli, ["claims", "--endpoint", f"ftp://{USER}:{PASSWORD}@127.0.0.1/x"])
    assert result.exit_code == 1 and PASSWORD not in result.output and "***" in result.output
    unreachable = CliRunner().invoke(cli, ["claims", "--endpoint", f"http://{USER}:{PASSWORD}@127.0.0.1:9/sparql"])
    assert unreachable.exit_code == 1 and PASSWORD not in unreachable.output
    assert PASSWORD not in repr(Endpoint.from_urls(wrong))
