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
from dataclasses import asdict, dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape

from yhdyspinta.api.render.csp import json_script, meta_tag, normalise_script
from yhdyspinta.api.render.i18n import DEFAULT_LANG, LANG_NAMES, LANGS, Lang, message
from yhdyspinta.graph.analyses.national import NationalMatrix
from yhdyspinta.graph.analyses.viz import VizView
from yhdyspinta.ontology.vocabulary import FORUM, LEVELS, NETWORK

TEMPLATES = Path(__file__).resolve().parent / "templates"
if TYPE_CHECKING:
    from pyvis.network import Network

#: vis-network as pyvis ships it, found without importing pyvis (36 MB with IPython, imported when a view is drawn)
VIS_DIR = Path(str(getattr(find_spec("pyvis"), "origin", ""))).resolve().parent / "templates" / "lib" / "vis-9.1.2"

#: Node type -> shape. Shape carries the type, so colour is free for the national theme.
SHAPES = {"region": "hexagon", FORUM: "square", NETWORK: "dot", "actor": "triangle", "theme": "diamond"}
#: Okabe & Ito's palette (distinguishable with the common colour-vision deficiencies), one per national theme.
THEME_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
SEVERAL_COLOUR = "#6a3d9a"  # a structure with two or more national themes
NONE_COLOUR = "#b8bcc4"  # a structure with no national theme
ACTOR_COLOUR = "#9e9e9e"
THEME_NODE_COLOUR = "#f4c2de"
REGION_COLOUR = "#6a51a3"
GAP_BORDER = "#7a1f00"
BRIDGE_BORDER = "#111111"
#: The smallest label drawn, in screen pixels: vis-network draws a label when size x zoom >= drawThreshold - 1.
LEGIBLE_PX = 12

OPTIONS = {
    "physics": {"enabled": False},
    "interaction": {"hover": True, "navigationButtons": False, "keyboard": {"enabled": True, "bindToWindow": False},
                    "multiselect": True, "tooltipDelay": 150},
    "nodes": {"font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
              "scaling": {"min": 6, "max": 28, "label": {"enabled": False, "drawThreshold": LEGIBLE_PX + 1,
                                                         "maxVisible": 26}}},
    "edges": {"color": {"color": "#b8c2d6", "highlight": "#1d2330", "hover": "#4f5668"}, "smooth": False,
              "width": 1},
}

#: The texts of the network page (api/render/i18n.py's catalogue shape); the script's own go in as data.
VIZ_MESSAGES: dict[str, dict[Lang, str]] = {
    "title.region": {"fi": "{region}: yhteistyöverkosto", "sv": "{region}: samarbetsnätverket",
                     "en": "{region}: the cooperation network"},
    "title.national": {"fi": "Suomi: alueet ja kansalliset yhdyspintateemat",
                       "sv": "Finland: områden och nationella gränsytetema",
                       "en": "Finland: regions and the national interface themes"},
    "counts": {"fi": "{nodes} solmua, {edges} yhteyttä", "sv": "{nodes} noder, {edges} kopplingar",
               "en": "{nodes} nodes, {edges} links"},
    "region": {"fi": "Alue", "sv": "Område", "en": "Region"},
    "whole": {"fi": "Koko Suomi (kootusti)", "sv": "Hela Finland (sammanställt)", "en": "All of Finland (aggregated)"},
    "search": {"fi": "Haku", "sv": "Sök", "en": "Search"},
    "search.hint": {"fi": "verkosto, toimija, teema…", "sv": "nätverk, aktör, tema…", "en": "network, actor, theme…"},
    "theme": {"fi": "Kansallinen teema", "sv": "Nationellt tema", "en": "National theme"},
    "theme.all": {"fi": "kaikki teemat", "sv": "alla teman", "en": "all themes"},
    "level": {"fi": "Taso", "sv": "Nivå", "en": "Level"},
    "level.all": {"fi": "kaikki tasot", "sv": "alla nivåer", "en": "all levels"},
    "types": {"fi": "Näytä", "sv": "Visa", "en": "Show"},
    "size": {"fi": "Solmun koko", "sv": "Nodens storlek", "en": "Node size"},
    "size.memberships": {"fi": "jäsenyydet ja yhteydet", "sv": "medlemskap och kopplingar",
                         "en": "memberships and links"},
    "size.betweenness": {"fi": "välittävyys (betweenness)", "sv": "förmedlande (betweenness)",
                         "en": "betweenness"},
    "highlight": {"fi": "Korostus", "sv": "Markering", "en": "Highlight"},
    "gaps": {"fi": "aukot: teemat ilman foorumia tai verkostoa", "sv": "luckor: teman utan forum eller nätverk",
             "en": "gaps: themes with no forum or network"},
    "bridges": {"fi": "sillat: solmut, joiden poisto jakaa verkon", "sv": "broar: noder vars bortfall delar nätet",
                "en": "bridges: nodes whose removal splits the network"},
    "png": {"fi": "Vie PNG-kuvana", "sv": "Exportera som PNG", "en": "Export as PNG"},
    "present": {"fi": "Esitystila", "sv": "Presentationsläge", "en": "Presentation mode"},
    "table": {"fi": "Näytä taulukkona", "sv": "Visa som tabell", "en": "Show as a table"},
    "fit": {"fi": "Sovita näkymään", "sv": "Anpassa vyn", "en": "Fit to view"},
    "national": {"fi": "Kattavuus alueittain", "sv": "Täckning per område", "en": "Coverage by region"},
    "legend": {"fi": "Selite", "sv": "Förklaring", "en": "Legend"},
    "legend.shape": {"fi": "Muoto: solmun tyyppi", "sv": "Form: nodens typ", "en": "Shape: the kind of node"},
    "legend.colour": {"fi": "Väri: foorumin tai verkoston kansallinen teema",
                      "sv": "Färg: forumets eller nätverkets nationella tema",
                      "en": "Colour: the national theme of a forum or network"},
    "legend.marks": {"fi": "Korostukset", "sv": "Markeringar", "en": "Highlights"},
    "type.region": {"fi": "alue", "sv": "område", "en": "region"},
    "type.forum": {"fi": "foorumi", "sv": "forum", "en": "forum"},
    "type.network": {"fi": "verkosto", "sv": "nätverk", "en": "network"},
    "type.actor": {"fi": "toimija", "sv": "aktör", "en": "actor"},
    "type.theme": {"fi": "teema", "sv": "tema", "en": "theme"},
    "colour.several": {"fi": "useita kansallisia teemoja", "sv": "flera nationella teman",
                       "en": "several national themes"},
    "colour.none": {"fi": "ei kansallista teemaa", "sv": "inget nationellt tema", "en": "no national theme"},
    "colour.actor": {"fi": "toimija (harmaa)", "sv": "aktör (grå)", "en": "actor (grey)"},
    "colour.theme": {"fi": "alueen oma teema", "sv": "områdets eget tema", "en": "the region's own theme"},
    "colour.region": {"fi": "alue", "sv": "område", "en": "region"},
    "mark.gap": {"fi": "aukko: katkoviivareuna ja merkintä [aukko]", "sv": "lucka: streckad kant och [lucka]",
                 "en": "gap: dashed border and [gap]"},
    "mark.bridge": {"fi": "silta: paksu musta reuna ja varjo", "sv": "bro: tjock svart kant och skugga",
                    "en": "bridge: thick black border and shadow"},
    "gap.tag": {"fi": "aukko", "sv": "lucka", "en": "gap"},
    "canvas": {"fi": "Verkostokuva; sama tieto taulukkona painikkeesta 'Näytä taulukkona'. Nuolinäppäimet "
                     "siirtävät ja +/- zoomaa.",
               "sv": "Nätverksbild; samma uppgifter som tabell med knappen 'Visa som tabell'. Piltangenter flyttar, "
                     "+/- zoomar.",
               "en": "Network picture; the same facts as a table with 'Show as a table'. Arrow keys pan, "
                     "+/- zoom."},
    "details.hint": {"fi": "Valitse solmu nähdäksesi tiedot ja naapuruston (Esc poistaa valinnan).",
                     "sv": "Välj en nod för uppgifter och grannskap (Esc tar bort valet).",
                     "en": "Choose a node for its details and neighbourhood (Esc clears)."},
    "lang": {"fi": "Kieli", "sv": "Språk", "en": "Language"},
}
#: Strings the page's script shows, sent as data (the script stays static for its hash).
SCRIPT_MESSAGES: dict[str, dict[Lang, str]] = {
    "visible": {"fi": "näkyvissä", "sv": "synliga", "en": "visible"},
    "nomatch": {"fi": "ei osumia", "sv": "inga träffar", "en": "no match"},
    "matches": {"fi": "osumaa", "sv": "träffar", "en": "matches"},
    "national_themes": {"fi": "Kansalliset teemat", "sv": "Nationella teman", "en": "National themes"},
    "levels": {"fi": "Tasot", "sv": "Nivåer", "en": "Levels"},
    "themes": {"fi": "Teemat", "sv": "Teman", "en": "Themes"},
    "members": {"fi": "Jäsenet", "sv": "Medlemmar", "en": "Members"},
    "stated": {"fi": "Lähde toteaa", "sv": "Källan anger", "en": "The source states"},
    "structures": {"fi": "foorumia ja verkostoa", "sv": "forum och nätverk", "en": "forums and networks"},
    "neighbours": {"fi": "Naapurit", "sv": "Grannar", "en": "Neighbourhood"},
    "open_region": {"fi": "Avaa alueen verkosto", "sv": "Öppna områdets nätverk", "en": "Open the region"},
    "gap": {"fi": "aukko", "sv": "lucka", "en": "gap"},
    "bridge": {"fi": "silta", "sv": "bro", "en": "bridge"},
    "name": {"fi": "Nimi", "sv": "Namn", "en": "Name"},
    "type": {"fi": "Tyyppi", "sv": "Typ", "en": "Type"},
    "links": {"fi": "Yhteyksiä", "sv": "Kopplingar", "en": "Links"},
    "highlight": {"fi": "Korostus", "sv": "Markering", "en": "Highlight"},
    "table_caption": {"fi": "Näkyvät solmut taulukkona", "sv": "Synliga noder som tabell",
                      "en": "The visible nodes as a table"},
    "show_network": {"fi": "Näytä verkostokuva", "sv": "Visa nätverksbilden", "en": "Show the network"},
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


@dataclass(frozen=True)
class Encoding:
    """One visual encoding a node of the view uses; the legend lists exactly these."""

    key: str  # shape:<type>, colour:<category>, mark:gap, mark:bridge
    group: str  # shape, colour, mark
    label: str
    shape: str
    colour: str
    dashed: bool = False


def encode(view: VizView, lang: Lang = DEFAULT_LANG) -> tuple[dict[str, list[str]], list[Encoding]]:
    """Each node's encodings (by node id) and the legend: the encodings used, in a fixed order."""
    theme_colour = {t: THEME_COLOURS[i % len(THEME_COLOURS)] for i, t in enumerate(view.themes)}
    catalogue: dict[str, Encoding] = {}
    of_node: dict[str, list[str]] = {}
    for n in view.nodes:
        keys = [f"shape:{n.type}"]
        catalogue.setdefault(keys[0], Encoding(keys[0], "shape", _v(f"type.{n.type}", lang), SHAPES[n.type],
                                               "#ffffff"))
        if n.gap:
            colour_key, label, colour = "colour:gap", _v("colour.theme", lang), "#ffffff"
        elif n.type in (FORUM, NETWORK):
            if len(n.themes) == 1:
                colour_key, label, colour = f"colour:{n.themes[0]}", n.themes[0], theme_colour[n.themes[0]]
            elif n.themes:
                colour_key, label, colour = "colour:several", _v("colour.several", lang), SEVERAL_COLOUR
            else:
                colour_key, label, colour = "colour:none", _v("colour.none", lang), NONE_COLOUR
        else:
            colour = {"actor": ACTOR_COLOUR, "theme": THEME_NODE_COLOUR, "region": REGION_COLOUR}[n.type]
            colour_key, label = f"colour:{n.type}", _v(f"colour.{n.type}", lang)
        keys.append(colour_key)
        if colour_key != "colour:gap":
            catalogue.setdefault(colour_key, Encoding(colour_key, "colour", label, "square", colour))
        if n.gap:
            keys.append("mark:gap")
            catalogue.setdefault("mark:gap", Encoding("mark:gap", "mark", _v("mark.gap", lang), SHAPES["theme"],
                                                      "#ffffff", dashed=True))
        if n.bridge:
            keys.append("mark:bridge")
            catalogue.setdefault("mark:bridge", Encoding("mark:bridge", "mark", _v("mark.bridge", lang), "square",
                                                         "#ffffff"))
        of_node[n.id] = keys
    order = {"shape": 0, "colour": 1, "mark": 2}
    colours_first = {f"colour:{t}": i for i, t in enumerate(view.themes)}
    legend = sorted(catalogue.values(), key=lambda e: (order[e.group], colours_first.get(e.key, 99), e.key))
    return of_node, legend


def _v(key: str, lang: Lang, **values: object) -> str:
    return message(key, lang, VIZ_MESSAGES, **values)


def build_network(view: VizView, lang: Lang = DEFAULT_LANG) -> tuple[Network, list[Encoding]]:
    """The pyvis network of a view (positions fixed, physics off) and the legend of its encodings."""
    from pyvis.network import Network

    net = Network(height="100%", width="100%", cdn_resources="in_line", heading=view.title)
    of_node, legend = encode(view, lang)
    colours = {e.key: e.colour for e in legend}
    colours["colour:gap"] = "#ffffff"
    gap_tag = _v("gap.tag", lang)
    for n in view.nodes:
        enc = of_node[n.id]
        colour = colours[enc[1]]
        label = n.label if len(n.label) <= 40 else n.label[:38] + "…"
        if n.gap:
            label = f"{label} [{gap_tag}]"
        net.add_node(
            n.id, label=label, shape=SHAPES[n.type],
            x=round(n.x, 4), y=round(n.y, 4), physics=False, value=max(n.size, 1),
            title=_tooltip(n.label, _v(f"type.{n.type}", lang), n.themes), baseColor=colour,
            baseBorder="#4a5568", color=colour, type=n.type, themes=n.themes, levels=n.levels, details=n.details,
            gap=n.gap, bridge=n.bridge, fullLabel=n.label, enc=enc,
            metrics={"memberships": n.size, "betweenness": n.betweenness}, cluster=n.cluster,
        )
    for i, e in enumerate(view.edges):
        net.add_edge(e.source, e.target, id=f"e{i}", kind=e.kind, value=e.weight,
                     dashes=e.kind == "theme", title=e.kind if e.weight == 1 else f"{e.kind}: {e.weight}")
    net.set_options(json.dumps(OPTIONS))
    return net, legend


def render_viz(view: VizView, *, lang: Lang = DEFAULT_LANG, theme: str | None = None) -> str:
    """The whole page as one self-contained HTML string; ``theme`` preselects the theme filter."""
    net, legend = build_network(view, lang)
    nodes, edges, _heading, _h, _w, options = net.get_network_data()
    region_label = next((label for slug, label in view.regions if slug == view.region), view.region or "")
    heading = _v("title.region", lang, region=region_label) if view.region else _v("title.national", lang)
    present = {n.type for n in view.nodes}
    js, css = _vis_assets()
    data = {
        "nodes": nodes, "edges": edges, "options": json.loads(options) if isinstance(options, str) else options,
        "legend": [asdict(e) for e in legend], "legible_px": LEGIBLE_PX,
        "colours": {"gap_border": GAP_BORDER, "bridge_border": BRIDGE_BORDER},
        "initial": {"theme": theme if theme in view.themes else ""},
        "text": {k: v[lang] for k, v in SCRIPT_MESSAGES.items()},
    }
    html = _environment().get_template("viz.html").render(
        csp=meta_tag(page_scripts()), heading=heading, lang=lang, v={k: t[lang] for k, t in VIZ_MESSAGES.items()},
        counts=_v("counts", lang, nodes=len(view.nodes), edges=len(view.edges)),
        data=data, region=view.region, aggregated=view.aggregated, regions=view.regions, themes=view.themes,
        selected_theme=data["initial"]["theme"],
        levels=[level.label_fi for level in LEVELS],
        types=[(t, _v(f"type.{t}", lang)) for t in SHAPES if t in present],
        legend=legend, languages=[(code, LANG_NAMES[code]) for code in LANGS],
    )
    if _page_script() not in html:
        raise RuntimeError("the rendered viz page's script differs from its hash")
    # the placeholders come before any data in the template, and data cannot spell them (escaped)
    return html.replace("<!--VIS_JS-->", f"<script>{js}</script>", 1).replace(
        "<!--VIS_CSS-->", f"<style>{css}</style>", 1
    )


# -- the national coverage matrix (graph/analyses/national.py) ----------------------------------------------------

#: The texts of the network and national pages (the shape of api/render/i18n.py's catalogue).
PAGE_MESSAGES: dict[str, dict[Lang, str]] = {
    "national.title": {"fi": "Yhdyspintateemat alueittain", "sv": "Gränsytetema per område",
                       "en": "Interface themes by welfare area"},
    "national.subtitle": {"fi": "hyvinvointialueet ja kansalliset yhdyspintateemat",
                          "sv": "välfärdsområden och nationella gränsytetema",
                          "en": "wellbeing services counties and the national interface themes"},
    "national.definition": {
        "fi": "Solu kertoo, montako alueen foorumia ja verkostoa kattaa kansallisen teeman (sama määritelmä kuin "
              "aukkoanalyysissä). 0 on aukko; viiva tarkoittaa, ettei alueelta ole tietoja lainkaan.",
        "sv": "Cellen anger hur många av områdets forum och nätverk som täcker det nationella temat (samma "
              "definition som i luckanalysen). 0 är en lucka; ett streck betyder att området saknar uppgifter.",
        "en": "A cell counts the region's forums and networks that cover the national theme (the definition of "
              "the gap analysis). 0 is a gap; a dash means nothing is on record for the region at all."},
    "national.caption": {"fi": "Kattavuus: alueet (rivit) ja kansalliset teemat (sarakkeet); järjestä "
                               "napsauttamalla otsikkoa",
                         "sv": "Täckning: områden (rader) och nationella teman (kolumner); sortera med rubrikerna",
                         "en": "Coverage: regions (rows) by national themes (columns); sort by a heading"},
    "national.region": {"fi": "Alue", "sv": "Område", "en": "Region"},
    "national.code": {"fi": "Koodi", "sv": "Kod", "en": "Code"},
    "national.on_record": {"fi": "Foorumeita ja verkostoja", "sv": "Forum och nätverk",
                           "en": "Forums and networks"},
    "national.gaps": {"fi": "Aukkoja", "sv": "Luckor", "en": "Gaps"},
    "national.gap": {"fi": "aukko", "sv": "lucka", "en": "gap"},
    "national.nodata": {"fi": "ei tietoja", "sv": "inga uppgifter", "en": "no data"},
    "national.why": {"fi": "mitkä?", "sv": "vilka?", "en": "which?"},
    "national.stated": {"fi": "lähde toteaa", "sv": "källan anger", "en": "stated in source"},
    "national.cell": {"fi": "{region}, {theme}: {count} foorumia ja verkostoa",
                      "sv": "{region}, {theme}: {count} forum och nätverk",
                      "en": "{region}, {theme}: {count} forums and networks"},
    "national.legend": {"fi": "Selite", "sv": "Förklaring", "en": "Legend"},
    "national.legend_covered": {"fi": "katettu (luku = foorumit ja verkostot)",
                                "sv": "täckt (antal forum och nätverk)",
                                "en": "covered (number of forums and networks)"},
    "national.legend_gap": {"fi": "ei yhtään kattavaa foorumia tai verkostoa",
                            "sv": "inget täckande forum eller nätverk", "en": "no covering forum or network"},
    "national.legend_nodata": {"fi": "alueelta ei ole tietoja", "sv": "inga uppgifter om området",
                               "en": "nothing on record for the region"},
    "national.network": {"fi": "Verkostonäkymä", "sv": "Nätverksvy", "en": "Network view"},
    "national.lang_nav": {"fi": "Kieli", "sv": "Språk", "en": "Language"},
    "national.footer": {"fi": "Laskentasääntö: docs/analyses.md, \"National coverage matrix\".",
                        "sv": "Beräkningsregel: docs/analyses.md, \"National coverage matrix\".",
                        "en": "How a cell is computed: docs/analyses.md, \"National coverage matrix\"."},
}


def _t(key: str, lang: Lang, **values: object) -> str:
    return message(key, lang, PAGE_MESSAGES, **values)


def render_national(matrix: NationalMatrix, *, lang: Lang = DEFAULT_LANG, sort: str = "code",
                    descending: bool = False) -> str:
    """The coverage matrix as a page with no script: sorting and language are links (server-side)."""

    def here(**query: str) -> str:
        q = {"sort": sort, "order": "desc" if descending else "asc", "lang": lang, **query}
        return "/national?" + urlencode(q)

    regions = matrix.sorted_by(sort, descending=descending)
    keys = [("region", _t("national.region", lang)), ("code", _t("national.code", lang)),
            ("on_record", _t("national.on_record", lang)),
            *((th.path.removeprefix("national/"), th.label_fi if lang == "fi" else th.label_en or th.label_fi)
              for th in matrix.themes),
            ("gaps", _t("national.gaps", lang))]
    columns = []
    for key, label in keys:
        active = key == sort
        columns.append({"label": label, "sorted": ("descending" if descending else "ascending") if active else "",
                        "href": here(sort=key, order="asc" if active and descending else
                                     "desc" if active or key not in ("region", "code") else "asc")})
    rows = []
    for r in regions:
        cells = []
        for th, c in zip(matrix.themes, r.cells, strict=True):
            theme_label = th.label_fi if lang == "fi" else th.label_en or th.label_fi
            cells.append({
                "theme": th.path, "count": c.count, "state": c.state, "stated": c.record == "absent (stated)",
                "css": {"covered": "covered many" if c.count >= 5 else "covered", "gap": "gap"}.get(c.state, "nodata"),
                "href": "/viz?" + urlencode({"region": r.slug, "theme": th.label_fi, "lang": lang}),
                "why": f"/api/regions/{quote(r.slug)}/gaps?" + urlencode({"explain": th.path}),
                "aria": _t("national.cell", lang, region=r.label_fi, theme=theme_label, count=c.count),
            })
        rows.append({"slug": r.slug, "label": r.label_fi, "code": r.code, "on_record": r.on_record,
                     "gaps": r.gaps, "cells": cells, "href": "/viz?" + urlencode({"region": r.slug, "lang": lang})})
    texts = {k.removeprefix("national."): _t(k, lang) for k in PAGE_MESSAGES if k.startswith("national.")
             and k != "national.cell"}
    return _environment().get_template("national.html").render(
        csp=meta_tag([]), lang=lang, t=texts, columns=columns, rows=rows,
        languages=[(code, LANG_NAMES[code], here(lang=code)) for code in LANGS],
        json_href="/api/national", csv_href="/api/national?format=csv", viz_href=f"/viz?lang={lang}",
    )
