"""Betweenness per connected part (graph/analyses/bridges.py): exact where it fits the budget,
estimated from pivots drawn per part otherwise; and the spanners alone, as compare counts them."""

from __future__ import annotations

import networkx as nx

from yhdyspinta.graph.analyses.bridges import betweenness, boundary_spanners, bridges
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend
from yhdyspinta.graph.regions import resolve_region
from yhdyspinta.graph.store.store import Store


def parts_graph() -> nx.Graph[str]:
    """Three connected parts of different sizes, one of them a path of two nodes."""
    g = nx.disjoint_union_all([nx.barabasi_albert_graph(80, 2, seed=1), nx.barabasi_albert_graph(30, 3, seed=2),
                               nx.path_graph(2)])
    return nx.relabel_nodes(g, {i: f"n{i:03d}" for i in g})


def test_per_part_betweenness_is_exact_where_it_fits() -> None:
    g = parts_graph()
    exact = nx.betweenness_centrality(g, normalized=True)
    found, sampled = betweenness(g, sample_above=0, budget=10**9)
    assert not sampled and set(found) == set(g)
    assert max(abs(found[n] - exact[n]) for n in g) < 1e-12


def test_sampled_betweenness_draws_pivots_in_every_part() -> None:
    g = parts_graph()
    exact = nx.betweenness_centrality(g, normalized=True)
    # a budget too small for the large part: it is sampled, the small one still exact
    found, sampled = betweenness(g, sample_above=0, budget=10_000)
    assert sampled and set(found) == set(g)
    small = [n for n in g if n.startswith("n0") and 80 <= int(n[1:]) < 110]
    assert max(abs(found[n] - exact[n]) for n in small) < 1e-12
    top = max(exact, key=lambda n: exact[n])
    assert found[top] > 0 and abs(found[top] - exact[top]) < exact[top]
    assert betweenness(g, sample_above=0, budget=10_000, seed=3) != betweenness(g, sample_above=0, budget=10_000)


def test_boundary_spanners_are_those_of_bridges(bundled_store: Store) -> None:
    backend = EmbeddedBackend(bundled_store)
    for text in ("paijat-hame", "keski-pohjanmaa"):
        region = resolve_region(backend, text)
        assert boundary_spanners(backend, region) == bridges(backend, region).spanners
    assert boundary_spanners(backend) == bridges(backend).spanners
