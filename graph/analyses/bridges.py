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
  shared members and by the Jaccard overlap of their member sets; the ``PAIRS_KEPT``
  strongest are kept (counted as a sparse product, ranked without sorting every pair:
  at national scale there are 2.8 million).
- *Cut points*: nodes whose removal splits their connected part of the graph
  (articulation points), and single edges whose removal does (bridges).
- *Betweenness*: normalised betweenness centrality of every node, exact (rustworkx,
  graph/analyses/compiled.py); above ``sample_above`` nodes each connected part is taken on its
  own, exactly where it fits ``BETWEENNESS_BUDGET`` (sources x edges), else estimated from
  seeded sources drawn in that part (:func:`betweenness`); the estimate's error, measured
  against the exact values by bench/betweenness.py, is in docs/benchmarks.md. On the national
  synthetic data (486,000 quads) every part fits: the whole graph's betweenness is exact.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from yhdyspinta.graph.analyses import compiled
from yhdyspinta.graph.analyses.result import ResultTables
from yhdyspinta.graph.backends.protocol import Backend, kept_result
from yhdyspinta.graph.regions import Region

#: The strongest linked pairs kept (the table shows 15 of them, JSON all kept).
PAIRS_KEPT = 50
#: Sources x edges an exact betweenness may visit (rustworkx: about 1e8 a second on 2 cores; the
#: national synthetic graph of 486,000 quads, 23 parts, needs 2.9e8: exact).
BETWEENNESS_BUDGET = 400_000_000
#: Decimals betweenness is given to: rustworkx sums the sources' shares in parallel, in an order that
#: varies from run to run, so the last bits of a value vary (1e-16); rounded, one graph always gives
#: the same values and the same ranking, on every back end.
DIGITS = 12
#: Sources x edges the pivots of the parts too large for the budget may visit, all together
#: (pure Python: about a second).
SAMPLE_BUDGET = 2_000_000


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
class BridgeReport(ResultTables):
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
            ("Bridges (single links whose removal splits the graph)", ("from", "to"),
             [{"from": a, "to": b} for a, b in self.cut_edges]),
            ("Betweenness (normalised; estimated from a sample)" if self.sampled else "Betweenness (normalised)",
             ("label", "value"), [{"label": lbl, "value": round(v, 6)} for _n, lbl, v in self.betweenness]),
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
    active = {s.iri: s for s in backend.structures(region) if not s.planned}
    g.add_nodes_from((s.iri, {"side": "structure", "kind": s.kind, "region": s.region}) for s in active.values())
    labels = {s.iri: s.label for s in active.values()}
    actors: dict[str, str] = {}  # member -> the kind of its first row, in the order first met
    edges: list[tuple[str, str]] = []
    for m in backend.memberships(region):
        if m.structure not in active:
            continue
        if m.member not in active:
            actors.setdefault(m.member, m.kind)
        edges.append((m.structure, m.member))
        labels[m.member] = m.label
    # added in bulk, in the order one at a time would add them (the order ties are listed in)
    g.add_nodes_from((a, {"side": "actor", "kind": kind}) for a, kind in actors.items())
    g.add_edges_from(edges)
    return g, labels


def bridges(
    backend: Backend, region: Region | None = None, *, sample_above: int = 2000, seed: int = 7,
    budget: int = BETWEENNESS_BUDGET,
) -> BridgeReport:
    """Every bridge measure for one region, or for the whole graph (``sample_above``, ``seed``
    and ``budget``: see :func:`betweenness`). The whole graph's is kept by the back end where it
    can (:func:`~yhdyspinta.graph.backends.protocol.kept_result`): its exact betweenness alone takes
    2 s at national scale, and it changes only with the data or the day's memberships."""
    if region is None:
        return kept_result(backend, f"bridges {sample_above} {seed} {budget}",
                           lambda: _bridges(backend, None, sample_above, seed, budget), _encoded, _decoded)
    return _bridges(backend, region, sample_above, seed, budget)


def _encoded(r: BridgeReport) -> dict[str, Any]:
    """Every field of ``r`` as JSON values (floats in full: JSON writes their shortest exact form)."""
    return {"region": r.region, "multi_theme": r.multi_theme,
            "spanners": [list(s.__dict__.values()) for s in r.spanners],
            "pairs": [list(p.__dict__.values()) for p in r.pairs], "cut_points": r.cut_points,
            "cut_edges": r.cut_edges, "betweenness": r.betweenness, "sampled": r.sampled, "labels": r.labels}


def _decoded(d: dict[str, Any]) -> BridgeReport:
    return BridgeReport(
        d["region"], [tuple(x) for x in d["multi_theme"]], [Spanner(*x) for x in d["spanners"]],
        [LinkedPair(*x) for x in d["pairs"]], [tuple(x) for x in d["cut_points"]],
        [tuple(x) for x in d["cut_edges"]], [tuple(x) for x in d["betweenness"]],
        d["sampled"], labels=d["labels"],
    )


def _bridges(backend: Backend, region: Region | None, sample_above: int, seed: int, budget: int) -> BridgeReport:
    iri = region.iri if region else None
    g, labels = cooperation_graph(backend, iri)
    themes = _themes(backend, iri, g)
    multi = sorted(
        ((s, labels[s], len(t)) for s, t in themes.items() if len(t) >= 2), key=lambda x: (-x[2], x[1])
    )
    spanners = _spanners(g, labels, themes)

    members = {s: set(g.neighbors(s)) for s, d in g.nodes(data=True) if d["side"] == "structure"}
    pairs = linked_pairs(members, labels)
    points, edges = compiled.cuts(g)
    cut_points = sorted(((n, labels[n]) for n in points), key=lambda x: x[1])
    cut_edges = sorted(_pair(labels[a], labels[b]) for a, b in edges)
    central, sampled = betweenness(g, sample_above=sample_above, seed=seed, budget=budget)
    top = sorted(((n, labels[n], v) for n, v in central.items() if v > 0), key=lambda x: (-x[2], x[1]))[:50]
    return BridgeReport(iri, multi, spanners, pairs, cut_points, cut_edges, top, sampled, labels=labels)


def _themes(backend: Backend, region: str | None, g: nx.Graph[str]) -> dict[str, set[str]]:
    themes: dict[str, set[str]] = {}
    for tag in backend.structure_themes(region):
        if tag.structure in g:
            themes.setdefault(tag.structure, set()).add(tag.concept)
    return themes


def _spanners(g: nx.Graph[str], labels: dict[str, str], themes: dict[str, set[str]]) -> list[Spanner]:
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
    return spanners


def boundary_spanners(backend: Backend, region: Region | None = None) -> list[Spanner]:
    """The boundary spanners of ``region`` (None: all), as ``bridges`` gives them, without the
    other measures (linked pairs, cut points, betweenness): what ``compare`` counts."""
    iri = region.iri if region else None
    g, labels = cooperation_graph(backend, iri)
    return _spanners(g, labels, _themes(backend, iri, g))


def cut_points(backend: Backend, region: Region | None = None) -> list[tuple[str, str]]:
    """The articulation points of the cooperation graph of ``region`` (None: all), with their
    labels, sorted by label: what the network view highlights, without the other bridge measures."""
    g, labels = cooperation_graph(backend, region.iri if region else None)
    return sorted(((n, labels[n]) for n in compiled.articulation_points(g)), key=lambda x: x[1])


def betweenness(
    g: nx.Graph[str], *, sample_above: int = 2000, seed: int = 7, budget: int = BETWEENNESS_BUDGET
) -> tuple[dict[str, float], bool]:
    """Normalised betweenness of every node of ``g``, and whether any of it is an estimate.

    Up to ``sample_above`` nodes: exact (rustworkx). Above, each connected part on its own (no
    shortest path leaves its part; rustworkx sets up arrays of the whole graph's size for every
    source, and one call over the whole national graph was slower than one per part, 5.0-5.2 s
    against 4.1-4.6 s side by side): exact where (its nodes x its edges) fits its share of ``budget``,
    smallest parts first, what they leave over going to the larger ones; else estimated from
    k seeded sources of that part (its share of ``SAMPLE_BUDGET``), scaled by its nodes / k
    (Brandes and Pich's pivots, drawn per part: a sample over the whole graph left small parts
    with no source at all, all their values 0). Its error against the exact values:
    docs/benchmarks.md (bench/betweenness.py).
    """
    n = g.number_of_nodes()
    if n < 3:  # no node lies between two others
        return dict.fromkeys(g, 0.0), False
    if n <= sample_above:
        # networkx normalises an undirected graph's pair counts, each pair counted both ways
        scale = 2.0 / ((n - 1) * (n - 2))
        return {v: round(x * scale, DIGITS) for v, x in compiled.betweenness(g).items()}, False
    rng = random.Random(seed)
    out = dict.fromkeys(g, 0.0)
    adjacency = {v: list(g[v]) for v in g}
    scale = 1.0 / ((n - 1) * (n - 2))  # networkx's normalisation of an undirected graph
    parts = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (len(c), c[0]))
    left_budget, left_edges = budget, max(1, g.number_of_edges())
    total_edges = left_edges
    sampled = False
    for nodes in parts:
        edges = sum(len(adjacency[v]) for v in nodes) // 2
        share = left_budget * edges // left_edges
        left_edges = max(1, left_edges - edges)
        if len(nodes) < 3:
            continue
        if len(nodes) * edges <= share:
            left_budget = max(0, left_budget - len(nodes) * edges)
            for v, x in compiled.betweenness(g, nodes).items():
                out[v] = 2.0 * x * scale  # each pair once there, both ways here
            continue
        k = min(len(nodes), max(2, min(share, SAMPLE_BUDGET * edges // total_edges) // max(1, edges)))
        left_budget = max(0, left_budget - k * edges)
        sampled = sampled or k < len(nodes)
        _accumulate(adjacency, nodes if k == len(nodes) else rng.sample(nodes, k), out, scale * len(nodes) / k)
    return {v: round(x, DIGITS) for v, x in out.items()}, sampled


def _accumulate(adjacency: dict[str, list[str]], pivots: list[str], out: dict[str, float], factor: float) -> None:
    """Brandes's dependencies from each of ``pivots`` (a breadth-first search stays in its
    part), times ``factor``, added to ``out``: networkx's own algorithm, over plain lists
    rather than graph views, so that no part is copied out of the graph."""
    for s in pivots:
        order: list[str] = []
        preds: dict[str, list[str]] = {s: []}
        sigma: dict[str, float] = {s: 1.0}
        dist: dict[str, int] = {s: 0}
        queue = deque([s])
        while queue:
            v = queue.popleft()
            order.append(v)
            dv, sv = dist[v] + 1, sigma[v]
            for w in adjacency[v]:
                if w not in dist:
                    dist[w] = dv
                    sigma[w] = 0.0
                    preds[w] = []
                    queue.append(w)
                if dist[w] == dv:
                    sigma[w] += sv
                    preds[w].append(v)
        delta = dict.fromkeys(order, 0.0)
        while order:
            w = order.pop()
            coeff = (1.0 + delta[w]) / sigma[w]
            for v in preds[w]:
                delta[v] += sigma[v] * coeff
            if w != s:
                out[w] += delta[w] * factor


def sources(g: nx.Graph[str]) -> int:
    """How many sources a sampled betweenness of ``g`` uses: within SAMPLE_BUDGET, 8 to 500."""
    return min(g.number_of_nodes(), 500, max(8, SAMPLE_BUDGET // max(1, g.number_of_edges())))


def linked_pairs(members: dict[str, set[str]], labels: dict[str, str], keep: int = PAIRS_KEPT) -> list[LinkedPair]:
    """The ``keep`` structure pairs sharing the most members (then the highest Jaccard overlap,
    then by label, then by IRI), as a full sort of every pair would rank them. The shared counts are one
    sparse product (incidence x its transpose); only the pairs that can reach the top are
    turned into rows."""
    import numpy as np  # here, not at the top: numpy and scipy are 40 MB a server need not hold until asked
    from scipy import sparse  # type: ignore[import-untyped]  # scipy ships no stubs

    order = sorted(members)
    actors = {a: i for i, a in enumerate(sorted({m for ms in members.values() for m in ms}))}
    rows = [i for i, s in enumerate(order) for _m in members[s]]
    cols = [actors[m] for s in order for m in sorted(members[s])]
    incidence = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)),
                                  shape=(len(order), len(actors)))
    shared = sparse.triu(incidence @ incidence.T, k=1).tocoo()  # a < b in IRI order, as combinations(sorted)
    if not shared.nnz:
        return []
    size = np.array([len(members[s]) for s in order], dtype=np.int64)
    union = size[shared.row] + size[shared.col] - shared.data
    # the best first: most shared, then smallest union (the highest Jaccard for that count)
    ranked = np.lexsort((union, -shared.data))
    if len(ranked) > keep:
        last = ranked[keep - 1]
        at_least = (shared.data > shared.data[last]) | ((shared.data == shared.data[last]) & (union <= union[last]))
        ranked = np.flatnonzero(at_least)
    found = []
    for i in ranked.tolist():
        a, b, n = order[int(shared.row[i])], order[int(shared.col[i])], int(shared.data[i])
        found.append(LinkedPair(a, labels[a], b, labels[b], n, round(n / len(members[a] | members[b]), 4)))
    found.sort(key=lambda p: (-p.shared, -p.jaccard, p.a_label, p.b_label, p.a, p.b))
    return found[:keep]


def _pair(a: str, b: str) -> tuple[str, str]:
    """The two labels of an edge in a fixed order."""
    return (a, b) if a <= b else (b, a)
