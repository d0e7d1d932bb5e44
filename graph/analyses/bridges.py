"""Bridges between networks: who and what holds the cooperation graph together.

The *cooperation graph* is bipartite: forums and networks on one side, their
members (organisations, units, posts) on the other, an edge for each
membership, coordination or convening role. Planned structures are left out.

- *Multi-theme structures*: forums and networks with two or more themes.
- *Boundary spanners*: actors in two or more structures that together span
  two or more themes or regions.
  Their *brokerage role*: "liaison" when their structures lie in different
  regions, "cross-theme broker" when in one region but different themes.
- *Linked pairs*: two structures sharing members, weighted by the number of
  shared members and by the Jaccard overlap of their member sets.
- *Cut points*: nodes whose removal splits their connected part of the graph
  (articulation points), and single edges whose removal does (bridges).
- *Betweenness*: normalised betweenness centrality of every node; above
  ``sample_above`` nodes it is estimated from a seeded sample of k sources.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import networkx as nx

from yhdyspinta.graph.backends.protocol import Backend
from yhdyspinta.graph.regions import Region


@dataclass(frozen=True)
class Spanner:
    actor: str
    label: str
    structures: int
    themes: int
    regions: int
    role: str


@dataclass(frozen=True)
class LinkedPair:
    a: str
    a_label: str
    b: str
    b_label: str
    shared: int
    jaccard: float


@dataclass
class BridgeReport:
    region: str | None  # the region's IRI; None: every region
    multi_theme: list[tuple[str, str, int]]  # (structure, label, theme count)
    spanners: list[Spanner]
    pairs: list[LinkedPair]
    cut_points: list[tuple[str, str]]  # (node, label)
    cut_edges: list[tuple[str, str]]  # (label, label)
    betweenness: list[tuple[str, str, float]]
    sampled: bool
    title: str = "Boundary spanners"
    columns: tuple[str, ...] = ("label", "structures", "themes", "regions", "role")
    labels: dict[str, str] = field(default_factory=dict)

    def rows(self, **_: Any) -> list[dict[str, Any]]:
        return [s.__dict__ for s in self.spanners]

    def extra_tables(self) -> list[tuple[str, tuple[str, ...], list[dict[str, Any]]]]:
        """The other measures, for a table view."""
        return [
            ("Forums and networks with several themes", ("label", "themes"),
             [{"label": lbl, "themes": n} for _s, lbl, n in self.multi_theme]),
            ("Most strongly linked pairs (shared members)", ("a_label", "b_label", "shared", "jaccard"),
             [p.__dict__ for p in self.pairs[:15]]),
            ("Articulation points (removal splits the graph)", ("label",),
             [{"label": lbl} for _n, lbl in self.cut_points]),
        ]

    def to_json(self, **_: Any) -> dict[str, Any]:
        return {
            "region": self.region,
            "multi_theme_structures": [{"structure": s, "label": lbl, "themes": n} for s, lbl, n in self.multi_theme],
            "boundary_spanners": [s.__dict__ for s in self.spanners],
            "linked_pairs": [p.__dict__ for p in self.pairs],
            "articulation_points": [{"node": n, "label": lbl} for n, lbl in self.cut_points],
            "bridges": [{"from": a, "to": b} for a, b in self.cut_edges],
            "betweenness": [{"node": n, "label": lbl, "value": round(v, 6)} for n, lbl, v in self.betweenness],
            "betweenness_sampled": self.sampled,
        }


def cooperation_graph(backend: Backend, region: str | None = None) -> tuple[nx.Graph[str], dict[str, str]]:
    """The bipartite graph of structures and members of the region ``region`` (an IRI; None: all), and labels."""
    g: nx.Graph[str] = nx.Graph()
    labels: dict[str, str] = {}
    active = {s.iri: s for s in backend.structures(region) if not s.planned}
    for s in active.values():
        g.add_node(s.iri, side="structure", kind=s.kind, region=s.region)
        labels[s.iri] = s.label
    for m in backend.memberships(region):
        if m.structure not in active:
            continue
        if m.member not in g:
            g.add_node(m.member, side="actor", kind=m.kind)
        g.add_edge(m.structure, m.member)
        labels[m.member] = m.label
    return g, labels


def bridges(
    backend: Backend, region: Region | None = None, *, sample_above: int = 2000, seed: int = 7
) -> BridgeReport:
    """Every bridge measure for one region, or for the whole graph."""
    iri = region.iri if region else None
    g, labels = cooperation_graph(backend, iri)
    themes: dict[str, set[str]] = {}
    for tag in backend.structure_themes(iri):
        if tag.structure in g:
            themes.setdefault(tag.structure, set()).add(tag.concept)
    multi = sorted(
        ((s, labels[s], len(t)) for s, t in themes.items() if len(t) >= 2), key=lambda x: (-x[2], x[1])
    )
    spanners: list[Spanner] = []
    for node, data in g.nodes(data=True):
        if data["side"] != "actor":
            continue
        structures = list(g.neighbors(node))
        t: set[str] = set().union(*(themes.get(s, set()) for s in structures))
        regions = {g.nodes[s].get("region") for s in structures} - {None}
        if len(structures) < 2 or (len(t) < 2 and len(regions) < 2):
            continue
        role = "liaison" if len(regions) >= 2 else "cross-theme broker"
        spanners.append(Spanner(node, labels[node], len(structures), len(t), len(regions), role))
    spanners.sort(key=lambda s: (-s.regions, -s.themes, -s.structures, s.label))

    members = {s: set(g.neighbors(s)) for s, d in g.nodes(data=True) if d["side"] == "structure"}
    by_actor: dict[str, list[str]] = {}
    for s, ms in members.items():
        for m in ms:
            by_actor.setdefault(m, []).append(s)
    shared: dict[tuple[str, str], int] = {}
    for ss in by_actor.values():
        for a, b in itertools.combinations(sorted(ss), 2):
            shared[(a, b)] = shared.get((a, b), 0) + 1
    pairs = sorted(
        (LinkedPair(a, labels[a], b, labels[b], n, round(n / len(members[a] | members[b]), 4))
         for (a, b), n in shared.items()),
        key=lambda p: (-p.shared, -p.jaccard, p.a_label, p.b_label),
    )
    cut_points = sorted(((n, labels[n]) for n in nx.articulation_points(g)), key=lambda x: x[1])
    # types-networkx says bridges() yields nodes; it yields edges
    edges = cast("Iterator[tuple[str, str]]", nx.bridges(g)) if g.number_of_edges() else iter(())
    cut_edges = sorted(_pair(labels[a], labels[b]) for a, b in edges)
    sampled = g.number_of_nodes() > sample_above
    k = min(g.number_of_nodes(), 500) if sampled else None
    central = nx.betweenness_centrality(g, k=k, seed=seed, normalized=True) if g.number_of_nodes() else {}
    top = sorted(((n, labels[n], v) for n, v in central.items() if v > 0), key=lambda x: (-x[2], x[1]))[:50]
    return BridgeReport(iri, multi, spanners, pairs, cut_points, cut_edges, top, sampled, labels=labels)


def _pair(a: str, b: str) -> tuple[str, str]:
    """The two labels of an edge in a fixed order."""
    return (a, b) if a <= b else (b, a)
