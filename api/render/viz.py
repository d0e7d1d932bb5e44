"""The browser view: a laid-out VizView drawn with pyvis (vis-network), offline.

pyvis builds the nodes, edges and options; the page is our own template
(api/render/templates/viz.html) with filters, search, details, legend, highlights
and PNG export. pyvis's own template loads Bootstrap from a CDN, so it is not
used; the vis-network script and style that pyvis ships are inlined, so the
page works with no network at all.

Data never enters a script: nodes, edges and options travel in an inert
``application/json`` block (api/render/csp.py ``json_script``) that the page's script
JSON.parses, and the page's two scripts (vis-network and ours) are allowed by
their hashes in the page's Content-Security-Policy.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pyvis
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pyvis.network import Network

from yhdyspinta.api.render.csp import json_script, meta_tag, normalise_script
from yhdyspinta.graph.analyses.viz import VizView
from yhdyspinta.ontology.vocabulary import FORUM, LEVELS, NETWORK

TEMPLATES = Path(__file__).resolve().parent / "templates"
VIS_DIR = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"

TYPES = (
    ("region", "alue / region", "#6a51a3", "hexagon"),
    (FORUM, "foorumi / forum", "#1f77b4", "square"),
    (NETWORK, "verkosto / network", "#2ca02c", "dot"),
    ("actor", "toimija / actor", "#9e9e9e", "triangle"),
    ("theme", "teema / theme", "#e377c2", "diamond"),
)
#: Structures are coloured by their first national theme.
THEME_COLOURS = ("#1f77b4", "#2ca02c", "#8c564b", "#17becf", "#bcbd22", "#9467bd", "#e377c2", "#7f7f7f")

OPTIONS = {
    "physics": {"enabled": False},
    "interaction": {"hover": True, "navigationButtons": True, "keyboard": True, "multiselect": True},
    "nodes": {"font": {"size": 12}, "scaling": {"min": 8, "max": 34}},
    "edges": {"color": {"color": "#b8c2d6", "highlight": "#333"}, "smooth": False},
}


@cache
def _vis_assets() -> tuple[str, str]:
    return (normalise_script((VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8")),
            (VIS_DIR / "vis-network.css").read_text(encoding="utf-8"))


@cache
def _page_script() -> str:
    """The page's own script as the template holds it (static: Jinja copies it verbatim)."""
    source = (TEMPLATES / "viz.html").read_text(encoding="utf-8")
    found = re.findall(r"<script>(.*?)</script>", source, re.DOTALL)
    if len(found) != 1 or "{{" in found[0] or "{%" in found[0]:
        raise RuntimeError("viz.html must hold exactly one static inline <script>")
    return normalise_script(found[0])


def page_scripts() -> list[str]:
    """Every inline script a viz page runs: what its Content-Security-Policy allows by hash."""
    return [_vis_assets()[0], _page_script()]


@cache
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    env.globals["json_script"] = json_script
    return env


def _tooltip(label: str, kind: str, themes: list[str]) -> str:
    return f"{label}\n{kind}" + (f"\n{', '.join(themes)}" if themes else "")


def build_network(view: VizView) -> Network:
    """The pyvis network of a view, positions fixed, physics off."""
    net = Network(height="100%", width="100%", cdn_resources="in_line", heading=view.title)
    colours = {t: THEME_COLOURS[i % len(THEME_COLOURS)] for i, t in enumerate(view.themes)}
    style = {t: (colour, shape) for t, _l, colour, shape in TYPES}
    for n in view.nodes:
        colour, shape = style[n.type]
        if n.type in (FORUM, NETWORK) and n.themes:
            colour = colours.get(n.themes[0], colour)
        net.add_node(
            n.id, label=n.label if len(n.label) <= 40 else n.label[:38] + "…", shape=shape,
            x=round(n.x, 1), y=round(n.y, 1), physics=False, value=max(n.size, 1),
            title=_tooltip(n.label, n.type, n.themes), baseColor=colour, baseBorder="#4a5568", color=colour,
            type=n.type, themes=n.themes, levels=n.levels, details=n.details, gap=n.gap, bridge=n.bridge,
            fullLabel=n.label,
        )
    for i, e in enumerate(view.edges):
        net.add_edge(e.source, e.target, id=f"e{i}", kind=e.kind, value=e.weight,
                     dashes=e.kind == "theme", title=e.kind if e.weight == 1 else f"{e.kind}: {e.weight}")
    net.set_options(json.dumps(OPTIONS))
    return net


def render_viz(view: VizView) -> str:
    """The whole page as one self-contained HTML string."""
    net = build_network(view)
    nodes, edges, heading, _h, _w, options = net.get_network_data()
    present = {n.type for n in view.nodes}
    js, css = _vis_assets()
    html = _environment().get_template("viz.html").render(
        csp=meta_tag(page_scripts()), heading=heading,
        data={"nodes": nodes, "edges": edges, "options": json.loads(options) if isinstance(options, str) else options},
        region=view.region, aggregated=view.aggregated, regions=view.regions, themes=view.themes,
        levels=[level.label_fi for level in LEVELS], node_count=len(view.nodes), edge_count=len(view.edges),
        types=[(t, label) for t, label, _c, _s in TYPES if t in present],
        legend=[row for row in TYPES if row[0] in present],
    )
    if _page_script() not in html:
        raise RuntimeError("the rendered viz page's script differs from its hash")
    # the placeholders come before any data in the template, and data cannot spell them (escaped)
    return html.replace("<!--VIS_JS-->", f"<script>{js}</script>", 1).replace(
        "<!--VIS_CSS-->", f"<style>{css}</style>", 1
    )
