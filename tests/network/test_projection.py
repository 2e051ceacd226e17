"""The projection: entries as data, views, windows, filters, provenance; the store unchanged."""
from __future__ import annotations

from pathlib import Path

import pytest

from conflictgraph.network.projection import project
from conflictgraph.network.spec import ProjectionError, load_projection

A = "https://w3id.org/conflictgraph/id/actor/"
OP = "https://w3id.org/conflictgraph/id/op/"


def test_bundled_projection_loads_with_both_views():
    relations = load_projection()
    assert {"actors", "alliance"} <= {v for r in relations for v in r.views}
    signs = {r.relation: r.sign for r in relations}
    assert signs["co-member"] == 1 and signs["fought"] == -1 and signs["ceasefire-with"] == 0


@pytest.mark.parametrize("body, message", [
    ('name = "x"\nrelation = "r"\nsign = 2\nviews = ["actors"]\nevidence = ["t"]\nquery = "SELECT ?a ?b ?t {}"',
     "entry 'x': sign must be 1, -1 or 0"),
    ('name = "y"\nrelation = "r"\nsign = 1\nviews = ["actors"]\nevidence = ["t"]\ncolour = "red"\n'
     'query = "SELECT ?a ?b ?t {}"', "entry 'y': unknown key(s) colour"),
    ('name = "z"\nrelation = "r"\nsign = 1\nviews = ["people"]\nevidence = ["t"]\nquery = "SELECT ?a ?b ?t {}"',
     "entry 'z': views must be"),
    ('name = "w"\nrelation = "r"\nsign = 1\nviews = ["actors"]\nevidence = ["t"]\nweight = "vibes"\n'
     'query = "SELECT ?a ?b ?t {}"', "entry 'w': weight must be"),
    ('name = "v"\nrelation = "r"\nsign = 1\nviews = ["actors"]\nevidence = ["t"]\nquery = "SELECT ?a ?b {}"',
     "entry 'v': the query does not mention ?t"),
])
def test_bad_projection_entries_are_named(tmp_path: Path, body: str, message: str):
    path = tmp_path / "projection.toml"
    path.write_text("[[relation]]\n" + body + "\n", encoding="utf-8")
    with pytest.raises(ProjectionError, match=message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
        load_projection(path)


def test_actor_view_derives_ties_through_alliances_and_operations(mini):
    net = project(mini, view="actors")
    edge = net.edges[A + "hdf", A + "rla", "co-member"]
    assert edge["sign"] == 1 and edge["symmetric"] and edge["via"] == [A + "nfa"]
    assert edge["start"] == "2019-01-01" and edge["end"] is None
    assert edge["sources"] == ["https://w3id.org/conflictgraph/id/src/mini-wire-2023-11-03"]
    # CLF joined the alliance in October 2023: co-membership only from then (intersection of spans)
    assert net.edges[A + "clf", A + "rla", "co-member"]["start"] == "2023-10-01"
    assert net.edges[A + "rla", A + "nordland-army", "operated-against"]["sign"] == -1
    assert all(net.nodes[n]["kind"] == "actor" for n in net)
    assert net.nodes[A + "nfa"]["label"] == "Northern Freedom Alliance" and net.nodes[A + "nfa"]["aliases"] == ["NFA"]


def test_alliance_view_has_operations_and_typed_edges(mini):
    net = project(mini, view="alliance")
    assert net.nodes[OP + "operation-dawn"]["kind"] == "operation"
    assert net.has_edge(A + "rla", OP + "operation-dawn", "launched")
    assert net.has_edge(OP + "operation-dusk", OP + "operation-dawn", "in-support-of")
    assert net.edges[OP + "operation-dawn", A + "nordland-army", "targeted"]["sign"] == -1
    assert not any(k == "co-member" for _u, _v, k in net.edges(keys=True))


def test_every_edge_carries_statements_and_sources(mini):
    for view in ("actors", "alliance"):
        for u, v, key, data in project(mini, view=view).edges(keys=True, data=True):
            assert data["statements"] and data["sources"], (u, v, key)
            assert data["weight"] >= 1 and data["evidence"] == {"curated": len(data["statements"])}


def test_as_of_drops_and_restores_ties(network_store):
    before = project(network_store, as_of="2023-01-01")
    during = project(network_store, as_of="2023-06-30")
    after = project(network_store, as_of="2023-12-01")
    s, h, e = A + "sierra", A + "hotel", A + "echo"
    assert before.has_edge(s, h, "aligned-with") and not before.has_edge(s, h, "defected-from")
    assert during.has_edge(s, h, "aligned-with") and during.has_edge(s, h, "defected-from")
    assert not after.has_edge(s, h, "aligned-with") and after.has_edge(s, h, "defected-from")
    assert not before.has_edge(e, s, "cooperates-with") and after.has_edge(e, s, "cooperates-with")
    # a period overlapping both sides keeps both
    both = project(network_store, between=("2023-01-01", "2023-12-31"))
    assert both.has_edge(s, h, "aligned-with") and both.has_edge(e, s, "cooperates-with")
    # the event-based tie holds on its day only
    assert not project(network_store, as_of="2023-11-30", include_generic=True).has_node(A + "net-civilians")


def test_generic_actors_only_when_asked(network_store):
    assert A + "net-civilians" not in project(network_store)
    with_generic = project(network_store, include_generic=True)
    edge = with_generic.edges[A + "hotel", A + "net-civilians", "fought"]
    assert edge["events"] == ["https://w3id.org/conflictgraph/id/event/net-airstrike-2023-12-01"]
    assert with_generic.nodes[A + "net-civilians"]["generic"] is True


def test_weights_count_distinct_statements(network_store):
    net = project(network_store)
    assert net.edges[A + "charlie", A + "delta", "cooperates-with"]["weight"] == 2
    assert len(net.edges[A + "charlie", A + "delta", "cooperates-with"]["sources"]) == 2


def test_evidence_and_status_filters(network_store):
    assert project(network_store, evidence="curated").number_of_edges() == project(network_store).number_of_edges()
    from conflictgraph.errors import UsageError
    with pytest.raises(UsageError, match="unknown evidence 'acled'"):
        project(network_store, evidence="acled")  # no ACLED import in this store
    assert project(network_store, status=["claimed"]).number_of_edges() == project(network_store).number_of_edges()
    assert project(network_store, status=["confirmed"]).number_of_edges() == 0


def test_relations_filter_and_errors(network_store):
    net = project(network_store, relations=["hostile-to"])
    assert {k for _u, _v, k in net.edges(keys=True)} == {"hostile-to"}
    from conflictgraph.errors import UsageError
    with pytest.raises(UsageError, match="unknown relation"):
        project(network_store, relations=["friends"])
    with pytest.raises(UsageError, match="not a date"):
        project(network_store, as_of="last week")


def test_projection_never_changes_the_store(network_store):
    before = sorted(map(str, network_store.quads()))
    project(network_store, view="alliance", as_of="2023-12-01")
    project(network_store, view="actors")
    assert sorted(map(str, network_store.quads())) == before


# The curated graph ----------------------------------------------------------------------

def _component(graph, node):
    import networkx as nx
    return nx.node_connected_component(graph, node)


def test_curated_coalition_is_connected_as_of_december_2023(bundled):
    from conflictgraph.network.analyze import analysis_graph
    net = project(bundled, as_of="2023-12-15")
    coop = analysis_graph(net)
    names = ["TNLA", "MNDAA", "AA", "KNPLF", "KA", "KNDF", "PDF", "NUG"]
    iris = [bundled.resolve(n).iri for n in names]
    component = _component(coop, iris[0])
    missing = [n for n, iri in zip(names, iris) if iri not in component]
    assert not missing, f"not in the coalition with the TNLA: {missing}"


def test_curated_knplf_was_on_the_junta_side_before_its_defection(bundled):
    from conflictgraph.network.analyze import analysis_graph
    knplf, junta = bundled.resolve("KNPLF").iri, bundled.resolve("Tatmadaw").iri
    kndf = bundled.resolve("KNDF").iri
    before = analysis_graph(project(bundled, as_of="2023-01-01"), ties="signed")
    after = analysis_graph(project(bundled, as_of="2023-12-15"), ties="signed")
    assert before.has_edge(knplf, junta) and before[knplf][junta]["sign"] == 1
    assert after.has_edge(knplf, junta) and after[knplf][junta]["sign"] == -1
    assert after.has_edge(knplf, kndf) and after[knplf][kndf]["sign"] == 1
