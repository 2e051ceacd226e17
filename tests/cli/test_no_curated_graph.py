"""A store with no curated graph at all: `build --no-bundled`, one imported dataset of a
conflict the bundled graph knows nothing about, and every command on it. Each answers (exit 0,
or 1 where it says why), prints no traceback, and says nothing about the bundled graph's
conflict.
"""
from __future__ import annotations

import json

import pytest

from conftest import FIXTURES, run_cli

pytestmark = pytest.mark.slow  # every command, and a query worker for the server's pages

WESTLAND = FIXTURES / "ucdp" / "westland.csv"
BUNDLED_WORDS = ("Myanmar", "Karenni", "Tatmadaw", "KNPLF")  # the bundled graph's conflict


@pytest.fixture
def store(westland_on_disk) -> str:
    return westland_on_disk


def _answers(*args: str, code: int = 0) -> str:
    result = run_cli(*args)
    assert result.exit_code == code, (args, result.output)
    assert "Traceback" not in result.output, args
    for word in BUNDLED_WORDS:
        assert word not in result.output, (args, word)
    return result.output


COMMANDS = [
    ("doctor",),
    ("query", "SELECT (COUNT(?e) AS ?n) WHERE { ?e a/rdfs:subClassOf* cg:Event }"),
    ("show", "Government of Westland"),
    ("show", "Gulf Cartel", "--events"),
    ("show", "src:ucdp-ged"),
    ("claims",),
    ("conflicts",),
    ("reconcile",),
    ("reconcile", "--places"),
    ("timeline", "--by", "year"),
    ("timeline", "--actor", "River Militia"),
    ("centrality",),
    ("dyads",),
    ("path", "Gulf Cartel", "Northern Liberation Front"),
    ("communities",),
    ("balance",),
    ("diff", "--from", "2019", "--to", "2021"),
    ("diff", "--by", "year"),
    ("export", "--to", "json"),
    ("export", "--to", "geojson"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_every_command_answers(store, command):
    output = _answers(*command, "--store", store)
    assert output.strip(), command


def test_validate_and_the_query_list_need_no_store():
    assert "0 violation(s)" in _answers("validate", "--no-bundled")
    assert "fighting-in-place" in _answers("queries")


def test_every_named_query_answers(store):
    names = [row["name"] for row in json.loads(_answers("queries", "--format", "json"))]
    params = {"actor": "Government of Westland", "alliance": "Gulf Cartel", "organization": "Gulf Cartel",
              "speaker": "Gulf Cartel", "place": "Westland", "region": "Westland", "source": "src:ucdp-ged",
              "type": "cg:ArmedGroup", "date": "2020-06-01"}
    catalog = {row["name"]: row for row in json.loads(_answers("queries", "--format", "json"))}
    for name in names:
        given = [p.split(" ")[0] for p in catalog[name]["parameters"].split(", ") if p]
        if any(p == "operation" for p in given):
            continue  # no operation in event data: the query names one by its own parameter
        args = [arg for p in given for arg in ("--param", f"{p}={params[p]}")]
        _answers("query", name, *args, "--store", store)


def test_claims_and_conflicts_say_why_they_are_empty(store):
    assert "curated" in _answers("claims", "--store", store).lower()
    assert "curated" in _answers("conflicts", "--store", store).lower()


def test_the_page_and_the_server_pages(store, tmp_path):
    _answers("viz", "--store", store, "-o", str(tmp_path / "page.html"))
    html = (tmp_path / "page.html").read_text(encoding="utf-8")
    assert "Government of Westland" in html and not any(word in html for word in BUNDLED_WORDS)
    from starlette.testclient import TestClient

    from conflictgraph.serve.app import ServeConfig, create_app

    with TestClient(create_app(ServeConfig(store=store, workers=1))) as client:
        for path in ("/", "/network", "/ontology",
                     "/entity?iri=https://w3id.org/conflictgraph/id/actor/dataset-government-of-westland"):
            response = client.get(path)
            assert response.status_code == 200, path
            assert not any(word in response.text for word in BUNDLED_WORDS if path != "/ontology"), path
