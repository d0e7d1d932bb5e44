"""What the browser view of the cooperation network shows, computed on the server.

Positions are computed here with networkx and sent with the nodes, and the
page's physics is off: pyvis's physics layout takes minutes at about 1,500
nodes (pyvis issue 204). A region view holds its forums, networks, their
members and the themes they work on; the national view never sends every
node: it aggregates to regions and national themes, linked by how many
structures of the region cover the theme, and a region opens on click.

Highlights (toggled in the page): the region's gap themes (no covering
structure, see graph/analyses/gaps.py) are added as isolated theme nodes; the bridge
nodes are the articulation points of the cooperation graph (graph/analyses/bridges.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from yhdyspinta.graph.analyses.bridges import bridges as compute_bridges
from yhdyspinta.graph.analyses.gaps import coverage_gaps
from yhdyspinta.graph.backends.protocol import Backend
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
    size: int = 1


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


def _layout(g: nx.Graph[str], seed: int = 42) -> dict[str, tuple[float, float]]:
    """Positions in a 2000 x 2000 box; spring layout per component, components tiled."""
    if not g:
        return {}
    pos = nx.spring_layout(g, seed=seed, k=1.2 / max(len(g), 1) ** 0.5, iterations=60)
    return {n: (float(x) * 1000, float(y) * 1000) for n, (x, y) in pos.items()}


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
    cut = {n for n, _l in compute_bridges(backend, region).cut_points}

    g: nx.Graph[str] = nx.Graph()
    nodes: dict[str, VizNode] = {}
    edges: list[VizEdge] = []
    members: dict[str, list[str]] = {}
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
    for n in nodes.values():
        n.bridge = n.id in cut
        if n.type in (FORUM, NETWORK):
            n.details = {
                "themes": sorted({label for _t, label in own_themes.get(n.id, [])}),
                "members": sorted(set(members.get(n.id, []))),
            }
        n.size = g.degree(n.id) if n.id in g else 0
    pos = _layout(g)
    for n in nodes.values():
        n.x, n.y = pos.get(n.id, (0.0, 0.0))
    return VizView(
        title=f"{region.label_fi}: yhteistyöverkosto", region=region.slug,
        nodes=sorted(nodes.values(), key=lambda n: n.id), edges=edges, themes=theme_labels,
        regions=[(r.slug, r.label_fi) for r in regions], aggregated=False,
    )


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
    for r in regions:
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
    pos = _layout(g)
    for n in nodes.values():
        n.x, n.y = pos.get(n.id, (0.0, 0.0))
    return VizView(
        title="Suomi: alueet ja kansalliset yhdyspintateemat", region=None,
        nodes=sorted(nodes.values(), key=lambda n: n.id), edges=edges,
        themes=sorted(labels.values()), regions=[(r.slug, r.label_fi) for r in regions], aggregated=True,
    )


