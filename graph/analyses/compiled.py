"""The analyses' heavy graph algorithms, run by rustworkx (compiled Rust) on a networkx graph.

Why: networkx is the analyses' graph model (readable, typed, what the tests and the
Python API hand around), but its algorithms are pure Python. At national scale exact
betweenness of one region's 650-node cooperation graph took networkx 1.0 s and
rustworkx 0.03 s (with the same values to 1e-16, tests/test_compiled.py), and the
network view's spring layout of 1,800 nodes 3.6 s against 0.1 s. rustworkx is
Qiskit's graph library (Apache-2.0, wheels for every platform, no system library),
chosen over python-igraph for its networkx-like API and its parallel betweenness.

Each function takes a networkx graph, maps its nodes to rustworkx's integer indices in
the graph's own node order, and gives the answer back keyed by the networkx nodes.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TypeVar

import networkx as nx
import rustworkx as rx

N = TypeVar("N", bound=Hashable)


def _indexed(g: nx.Graph[N], weight: str | None = None) -> tuple[rx.PyGraph, list[N]]:
    """``g`` as a rustworkx graph (edge payload: ``weight``'s value, else 1.0; no self-loops), and its
    nodes by index. Unweighted, the edges come straight from the adjacency dicts (the edge view,
    one data dict per edge, took 0.4 s of the national graph's 300,000 edges)."""
    nodes = list(g)
    index = {n: i for i, n in enumerate(nodes)}
    r = rx.PyGraph(multigraph=False)
    r.add_nodes_from(range(len(nodes)))
    if weight:
        r.add_edges_from([(index[a], index[b], float(d.get(weight, 1.0)))
                          for a, b, d in g.edges(data=True) if a != b])
    else:
        r.add_edges_from_no_data([(i, j) for n, nbrs in g.adjacency() for i in (index[n],)
                                  for m in nbrs if (j := index[m]) > i])
    return r, nodes


def betweenness(g: nx.Graph[N], nodes: Iterable[N] | None = None) -> dict[N, float]:
    """Exact betweenness of ``nodes`` (a connected part; None: all of ``g``) within their
    induced subgraph, *unnormalised* as networkx counts it for an undirected graph (each
    pair of endpoints once): the caller scales it to the whole graph."""
    order = list(g) if nodes is None else list(nodes)
    if len(order) < 3:
        return dict.fromkeys(order, 0.0)
    index = {n: i for i, n in enumerate(order)}
    adjacency = g.adj  # the part's edges straight from the adjacency (a subgraph view is 10x slower)
    r = rx.PyGraph(multigraph=False)
    r.add_nodes_from(range(len(order)))
    r.add_edges_from_no_data([(i, j) for n, i in index.items() for m in adjacency[n]
                              if (j := index.get(m, -1)) > i])
    raw = rx.graph_betweenness_centrality(r, normalized=False, endpoints=False)
    return {order[i]: float(v) for i, v in raw.items()}


def articulation_points(g: nx.Graph[N]) -> set[N]:
    """The nodes whose removal splits their connected part (networkx's ``articulation_points``)."""
    r, order = _indexed(g)
    return {order[i] for i in rx.articulation_points(r)}


def bridge_edges(g: nx.Graph[N]) -> list[tuple[N, N]]:
    """The edges whose removal splits their connected part (networkx's ``bridges``)."""
    r, order = _indexed(g)
    return [(order[e[0]], order[e[1]]) for e in map(tuple, rx.bridges(r))]


def cuts(g: nx.Graph[N]) -> tuple[set[N], list[tuple[N, N]]]:
    """:func:`articulation_points` and :func:`bridge_edges` of ``g``, from one copy of it."""
    r, order = _indexed(g)
    edges = [(order[e[0]], order[e[1]]) for e in map(tuple, rx.bridges(r))]
    return {order[i] for i in rx.articulation_points(r)}, edges


def spring_positions(
    g: nx.Graph[N], *, k: float, iterations: int, seed: int, weight: str = "weight"
) -> dict[N, tuple[float, float]]:
    """Fruchterman-Reingold positions (the force model of networkx's ``spring_layout``),
    seeded, with edges pulling by their ``weight``."""
    r, order = _indexed(g, weight)
    pos = rx.spring_layout(r, k=k, num_iter=iterations, seed=seed, weight_fn=float, scale=1)
    return {order[i]: (float(p[0]), float(p[1])) for i, p in pos.items()}
