"""What the browser view of the cooperation network shows, computed on the server.

Positions are computed here (a spring layout: networkx's, rustworkx's above 500 nodes) and sent with the nodes, and the
page's physics is off: pyvis's physics layout takes minutes at about 1,500
nodes (pyvis issue 204). A region view holds its forums, networks, their
members and the themes they work on; the national view never sends every
node: it aggregates to regions and national themes, linked by how many
structures of the region cover the theme, and a region opens on click.

Highlights (on by default in the page): the region's gap themes (no covering
structure, see graph/analyses/gaps.py) are added as isolated theme nodes; the bridge
nodes are the articulation points of the cooperation graph (graph/analyses/bridges.py),
computed here alone: the view does not run the other bridge measures. Node sizes
come from a metric the page chooses: memberships (degree) or betweenness.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from yhdyspinta.graph.analyses import compiled
from yhdyspinta.graph.analyses.bridges import betweenness
from yhdyspinta.graph.analyses.gaps import coverage_gaps
from yhdyspinta.graph.backends.protocol import Backend, batched
from yhdyspinta.graph.regions import Region
from yhdyspinta.ontology.vocabulary import FORUM, LEVEL_LABELS, NATIONAL_SCHEME, NETWORK


@dataclass
class VizNode:
    id: str
    label: str
    type: str  # forum, network, actor, theme, region
    x: float
    y: float
    themes: list[str] = field(default_factory=list)  # national theme labels
    levels: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    gap: bool = False
    bridge: bool = False
    size: int = 1  # memberships: the node's edges in the view
    betweenness: float = 0.0  # in the cooperation graph of the view (structures, members, themes)
    cluster: str = ""  # the theme whose cluster the layout keeps it in


@dataclass
class VizEdge:
    source: str
    target: str
    kind: str  # member, coordinator, convener, theme, coverage
    weight: int = 1


@dataclass
class VizView:
    title: str
    region: str | None  # slug
    nodes: list[VizNode]
    edges: list[VizEdge]
    themes: list[str]  # the national theme labels, for the filter
    regions: list[tuple[str, str]]  # (slug, label), for the region selector
    aggregated: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title, "region": self.region, "aggregated": self.aggregated,
            "themes": self.themes, "regions": self.regions,
            "nodes": [asdict(n) for n in self.nodes], "edges": [asdict(e) for e in self.edges],
        }


#: Up to this many nodes networkx's own spring layout (dense, a fraction of a second);
#: above, networkx turns to an energy minimisation (3.6 s at 1,800 nodes) and rustworkx's
#: compiled Fruchterman-Reingold (0.1 s) takes over.
DENSE_LAYOUT_UP_TO = 500


def _layout(g: nx.Graph[str], clusters: dict[str, str] | None = None, seed: int = 42) -> dict[str, tuple[float, float]]:
    """Positions filling the square [-1, 1] x [-1, 1] (the page stretches it to its canvas).

    Each node's cluster (its theme) gets a hidden hub that pulls its members together, and every
    hub is tied to a hidden centre, so clusters stay together and no part of the graph drifts
    off to a corner (a spring layout pushes unconnected parts far apart). Each axis is then
    scaled to the box, so the drawing uses the whole canvas.
    """
    if not g:
        return {}
    h: nx.Graph[str] = nx.Graph()
    h.add_nodes_from(g)
    h.add_edges_from(g.edges, weight=1.0)
    centre = "\x00centre"
    for node, cluster in (clusters or {}).items():
        hub = f"\x00hub\x00{cluster}"
        if hub not in h:
            h.add_edge(hub, centre, weight=0.3)
        h.add_edge(node, hub, weight=0.6)
    for component in list(nx.connected_components(h)):
        if centre not in component:  # not in any cluster: tie it loosely to the middle
            h.add_edge(next(iter(sorted(component))), centre, weight=0.3)
    k = 2.5 / max(len(h), 1) ** 0.5
    pos: dict[str, tuple[float, float]]
    if len(h) < DENSE_LAYOUT_UP_TO:
        dense = nx.spring_layout(h, seed=seed, k=k, iterations=100, weight="weight")
        pos = {n: (float(p[0]), float(p[1])) for n, p in dense.items()}
    else:
        pos = compiled.spring_positions(h, seed=seed, k=k, iterations=100)
    real = {n: p for n, p in pos.items() if n in g}
    out: dict[str, tuple[float, float]] = {}
    spans = []
    for axis in (0, 1):
        values = sorted(float(p[axis]) for p in real.values())
        lo, hi = values[0], values[-1]
        spans.append((lo, hi - lo or 1.0))
    for n, p in real.items():
        out[n] = (2 * (float(p[0]) - spans[0][0]) / spans[0][1] - 1, 2 * (float(p[1]) - spans[1][0]) / spans[1][1] - 1)
    return out


def _national_themes_of(backend: Backend, region: str) -> tuple[dict[str, list[str]], list[str]]:
    """Structure -> the national themes it covers (their Finnish labels)."""
    themes = {t.theme: t.label_fi for t in backend.themes([NATIONAL_SCHEME])}
    out: dict[str, list[str]] = {}
    for c in backend.coverers([NATIONAL_SCHEME], region):
        out.setdefault(c.structure, []).append(themes[c.theme])
    return {k: sorted(set(v)) for k, v in out.items()}, sorted(themes.values())


def region_view(backend: Backend, region: Region) -> VizView:
    """The cooperation network of one region, laid out."""
    regions = backend.regions()
    national, theme_labels = _national_themes_of(backend, region.iri)
    structures = {s.iri: s for s in backend.structures(region.iri) if not s.planned}
    levels: dict[str, list[str]] = {}
    for tag in backend.structure_levels(region.iri):
        levels.setdefault(tag.structure, []).append(LEVEL_LABELS.get(tag.concept, tag.label))
    own_themes: dict[str, list[tuple[str, str]]] = {}
    for tag in backend.structure_themes(region.iri):
        own_themes.setdefault(tag.structure, []).append((tag.concept, tag.label))
    gaps = coverage_gaps(backend, region)

    g: nx.Graph[str] = nx.Graph()
    nodes: dict[str, VizNode] = {}
    edges: list[VizEdge] = []
    members: dict[str, list[str]] = {}
    cooperation: nx.Graph[str] = nx.Graph()  # structures and members only: the graph of bridges.py
    for s in structures.values():
        nodes[s.iri] = VizNode(s.iri, s.label, s.kind, 0, 0, themes=national.get(s.iri, []),
                               levels=sorted(set(levels.get(s.iri, []))))
        g.add_node(s.iri)
    for m in backend.memberships(region.iri):
        if m.structure not in structures:
            continue
        if m.member not in nodes:
            nodes[m.member] = VizNode(m.member, m.label, "actor", 0, 0, details={"kind": m.kind})
        edges.append(VizEdge(m.structure, m.member, m.role))
        g.add_edge(m.structure, m.member)
        cooperation.add_edge(m.structure, m.member)
        members.setdefault(m.structure, []).append(m.label)
    for structure, tags in own_themes.items():
        if structure not in structures:
            continue
        for theme, label in tags:
            if theme not in nodes:
                nodes[theme] = VizNode(theme, label, "theme", 0, 0, details={"scheme": theme.rsplit("/", 1)[0]})
            edges.append(VizEdge(structure, theme, "theme"))
            g.add_edge(structure, theme)
    for t in gaps.gaps:
        if t.theme not in nodes:
            nodes[t.theme] = VizNode(t.theme, t.label_fi, "theme", 0, 0, gap=True,
                                     details={"scheme": t.scheme_label, "stated": t.statement or ""})
            g.add_node(t.theme)
        else:
            nodes[t.theme].gap = True
    # only what the view shows of graph/analyses/bridges.py: the cut points of the cooperation graph
    cut = compiled.articulation_points(cooperation)
    between, _sampled = betweenness(g)
    clusters = _clusters(nodes, g)
    for n in nodes.values():
        n.bridge = n.id in cut
        n.betweenness = round(between.get(n.id, 0.0), 6)
        n.cluster = clusters.get(n.id, "")
        if n.type in (FORUM, NETWORK):
            n.details = {
                "themes": sorted({label for _t, label in own_themes.get(n.id, [])}),
                "members": sorted(set(members.get(n.id, []))),
            }
        n.size = g.degree(n.id) if n.id in g else 0
    pos = _layout(g, clusters)
    for n in nodes.values():
        n.x, n.y = pos.get(n.id, (0.0, 0.0))
    return VizView(
        title=f"{region.label_fi}: yhteistyöverkosto", region=region.slug,
        nodes=sorted(nodes.values(), key=lambda n: n.id), edges=edges, themes=theme_labels,
        regions=[(r.slug, r.label_fi) for r in regions], aggregated=False,
    )


def _clusters(nodes: dict[str, VizNode], g: nx.Graph[str]) -> dict[str, str]:
    """Each node's cluster: a theme node its own; a structure its first theme (own scheme, else national);
    an actor the cluster most of its structures are in."""
    out: dict[str, str] = {}
    for n in nodes.values():
        if n.type == "theme":
            out[n.id] = n.id
    for n in nodes.values():
        if n.type in (FORUM, NETWORK):
            own = sorted(m for m in g.neighbors(n.id) if nodes[m].type == "theme") if n.id in g else []
            out[n.id] = own[0] if own else (n.themes[0] if n.themes else "")
    for n in nodes.values():
        if n.type == "actor" and n.id in g:
            votes: dict[str, int] = {}
            for m in g.neighbors(n.id):
                if out.get(m):
                    votes[out[m]] = votes.get(out[m], 0) + 1
            if votes:
                out[n.id] = max(sorted(votes), key=lambda c: votes[c])
    return {k: v for k, v in out.items() if v}


def national_view(backend: Backend) -> VizView:
    """Regions and national themes, never every node: a region node opens its own view."""
    regions = backend.regions()
    theme_rows = backend.themes([NATIONAL_SCHEME])
    labels = {t.theme: t.label_fi for t in theme_rows}
    nodes: dict[str, VizNode] = {}
    edges: list[VizEdge] = []
    g: nx.Graph[str] = nx.Graph()
    for t in theme_rows:
        nodes[t.theme] = VizNode(t.theme, t.label_fi, "theme", 0, 0, themes=[t.label_fi])
        g.add_node(t.theme)
    with batched(backend, every_region=True):  # each scan once for all regions, not 23 times
        for r in regions:
            _region_node(backend, r, labels, nodes, edges, g)
    pos = _layout(g)
    for n in nodes.values():
        n.x, n.y = pos.get(n.id, (0.0, 0.0))
    return VizView(
        title="Suomi: alueet ja kansalliset yhdyspintateemat", region=None,
        nodes=sorted(nodes.values(), key=lambda n: n.id), edges=edges,
        themes=sorted(labels.values()), regions=[(r.slug, r.label_fi) for r in regions], aggregated=True,
    )


def _region_node(backend: Backend, r: Region, labels: dict[str, str], nodes: dict[str, VizNode],
                 edges: list[VizEdge], g: nx.Graph[str]) -> None:
    """A region's node in the national view, and its edges to the national themes it covers."""
    count: dict[str, int] = {}
    for c in backend.coverers([NATIONAL_SCHEME], r.iri):
        count[c.theme] = count.get(c.theme, 0) + 1
    structures = [s for s in backend.structures(r.iri) if not s.planned]
    nodes[r.iri] = VizNode(r.iri, r.label_fi, "region", 0, 0, themes=sorted(labels[t] for t in count),
                           details={"slug": r.slug, "structures": len(structures)}, size=len(structures))
    g.add_node(r.iri)
    for theme, structures_covering in count.items():
        edges.append(VizEdge(r.iri, theme, "coverage", structures_covering))
        g.add_edge(r.iri, theme)
