"""The compiled graph algorithms (graph/analyses/compiled.py) give networkx's answers.

rustworkx replaced networkx's pure-Python betweenness, cut points and (above 500 nodes) spring
layout for speed; these tests hold it to networkx on random graphs of several shapes, with
parts, isolated nodes, trees (every edge a bridge) and string node names as the analyses use."""

from __future__ import annotations

import math

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yhdyspinta.graph.analyses import compiled
from yhdyspinta.graph.analyses.bridges import betweenness


def named(g: nx.Graph[int]) -> nx.Graph[str]:
    return nx.relabel_nodes(g, {i: f"https://example.org/n{i}" for i in g})


@st.composite
def graphs(draw: st.DrawFn) -> nx.Graph[str]:
    """A union of a few random parts (Erdős–Rényi, trees, stars) and isolated nodes."""
    parts: list[nx.Graph[int]] = []
    for _ in range(draw(st.integers(1, 4))):
        n = draw(st.integers(1, 30))
        kind = draw(st.sampled_from(["gnp", "tree", "star"]))
        seed = draw(st.integers(0, 10_000))
        if kind == "gnp":
            parts.append(nx.gnp_random_graph(n, draw(st.floats(0.05, 0.6)), seed=seed))
        elif kind == "tree":
            parts.append(nx.random_labeled_tree(n, seed=seed) if n > 1 else nx.empty_graph(1))
        else:
            parts.append(nx.star_graph(max(0, n - 1)))
    return named(nx.disjoint_union_all(parts))


@settings(max_examples=60, deadline=None)
@given(graphs())
def test_betweenness_equals_networkx(g: nx.Graph[str]) -> None:
    exact = nx.betweenness_centrality(g, normalized=False)
    found = compiled.betweenness(g)
    assert set(found) == set(g)
    assert all(math.isclose(found[n], exact[n], rel_tol=1e-9, abs_tol=1e-9) for n in g)
    normalised = nx.betweenness_centrality(g, normalized=True)
    for sample_above in (0, 10**6):  # per part, and the whole graph at once
        ours, sampled = betweenness(g, sample_above=sample_above, budget=10**12)
        assert not sampled
        assert all(math.isclose(ours[n], normalised[n], rel_tol=1e-9, abs_tol=1e-12) for n in g)


@settings(max_examples=60, deadline=None)
@given(graphs())
def test_cut_points_and_bridges_equal_networkx(g: nx.Graph[str]) -> None:
    assert compiled.articulation_points(g) == set(nx.articulation_points(g))
    assert {frozenset(e) for e in compiled.bridge_edges(g)} == {frozenset(e) for e in nx.bridges(g)}


def test_spring_positions_are_seeded_and_pull_linked_nodes_together() -> None:
    g = named(nx.connected_caveman_graph(6, 8))
    nx.set_edge_attributes(g, 1.0, "weight")
    a = compiled.spring_positions(g, k=0.1, iterations=100, seed=42)
    assert a == compiled.spring_positions(g, k=0.1, iterations=100, seed=42)
    assert a != compiled.spring_positions(g, k=0.1, iterations=100, seed=43)
    assert set(a) == set(g) and all(math.isfinite(c) for p in a.values() for c in p)
    # nodes of one cave lie closer to each other than to the nodes of the other caves
    def mean_distance(pairs: list[tuple[str, str]]) -> float:
        return sum(math.dist(a[u], a[v]) for u, v in pairs) / len(pairs)
    caves = [sorted(c) for c in nx.community.label_propagation_communities(g)]
    inside = [(u, v) for c in caves for u in c for v in c if u < v]
    across = [(u, v) for i, c in enumerate(caves) for d in caves[i + 1:] for u in c for v in d]
    assert mean_distance(inside) < 0.5 * mean_distance(across)


@pytest.mark.parametrize("n", [0, 1, 2])
def test_tiny_graphs(n: int) -> None:
    g = named(nx.path_graph(n))
    assert compiled.betweenness(g) == dict.fromkeys(g, 0.0)
    assert compiled.articulation_points(g) == set()
