"""The situational picture as one self-contained HTML page (no network, no scripts), in fi, sv or en.

Plots are inline SVG drawn here, so the page opens offline in any browser, and prints:
a print stylesheet keeps headings with their tables and repeats table headers.
Every label goes through api/render/csp.py ``esc`` (attributes double-quoted), and the
page's policy allows no script at all. Colour never carries meaning alone: a gap is red
*and* says so in words (and its bar is hatched).

The page's texts are in ``lang``; the data's labels stay as the sources give them (Finnish
first) and carry their own ``lang`` where it differs from the page's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from yhdyspinta.api.render.csp import esc, meta_tag
from yhdyspinta.api.render.i18n import DEFAULT_LANG, LANG_NAMES, LANGS, Lang, format_date, format_number, with_lang
from yhdyspinta.graph.analyses.coverage import MATRIX_COLUMNS
from yhdyspinta.graph.analyses.report import SituationalPicture

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1d2330;
line-height: 1.45 }
h1 { margin-bottom: .2rem } h2 { margin-top: 2.2rem; border-bottom: 2px solid #dde3ee } h3 { margin: 1.2rem 0 .3rem }
table { border-collapse: collapse; margin: .8rem 0; font-size: .9rem } th, td { padding: .25rem .6rem;
border-bottom: 1px solid #e4e8f0; text-align: left; vertical-align: top } th { background: #f3f6fb }
td.n { text-align: right; font-variant-numeric: tabular-nums }
td.gap { background: #fde2e1 } td.ok { background: #e2f4e6 }
.tag { font-size: .78rem; border: 1px solid currentColor; border-radius: 3px; padding: 0 .3em; margin-left: .4em }
.muted { color: #4d5566 } figure { margin: 1rem 0 } .note { font-size: .9rem }
nav ul { list-style: none; padding: 0; display: flex; gap: 1rem } a { color: #05507a }
:focus-visible { outline: 3px solid #c25100; outline-offset: 2px }
@media print {
  @page { margin: 15mm 12mm }
  body { margin: 0; max-width: none; font-size: 10pt; color: #000 }
  nav { display: none }
  h2 { break-after: avoid; page-break-after: avoid; border-color: #999 }
  h3, figcaption { break-after: avoid; page-break-after: avoid }
  table { width: 100%; break-inside: auto } thead { display: table-header-group }
  tr, figure, svg { break-inside: avoid; page-break-inside: avoid }
  td.gap, td.ok, th, rect { print-color-adjust: exact; -webkit-print-color-adjust: exact }
  .muted { color: #333 }
}
"""

#: The report's own texts. Placeholders in {braces} are filled by ``str.format``.
TEXT: dict[str, dict[Lang, str]] = {
    "title": {"fi": "Tilannekuva: {region}", "sv": "Lägesbild: {region}", "en": "Situational picture: {region}"},
    "h1": {"fi": "Yhdyspintojen tilannekuva: {region}", "sv": "Lägesbild över gränsytorna: {region}",
           "en": "Situational picture of the interfaces: {region}"},
    "lead": {"fi": "Kuntien ja hyvinvointialueen yhdyspintojen tilannekuva yhdyspinta-tietoverkosta, {day}.",
             "sv": "Lägesbild över gränsytorna mellan kommunerna och välfärdsområdet, ur kunskapsgrafen "
                   "yhdyspinta, {day}.",
             "en": "Situational picture of the interfaces between the municipalities and the wellbeing services "
                   "county, from the yhdyspinta knowledge graph, {day}."},
    "lang": {"fi": "Kieli", "sv": "Språk", "en": "Language"},
    "gaps": {"fi": "Kattavuuden aukot", "sv": "Luckor i täckningen", "en": "Coverage gaps"},
    "gaps.count": {"fi": "{gaps}/{themes} teemalla ei ole alueella foorumia eikä verkostoa.",
                   "sv": "{gaps} av {themes} teman har inget forum eller nätverk i området.",
                   "en": "{gaps} of {themes} themes have no forum or network in the region."},
    "scheme": {"fi": "teemajako", "sv": "temaindelning", "en": "scheme"},
    "theme": {"fi": "teema", "sv": "tema", "en": "theme"},
    "stated": {"fi": "lähteen toteamus", "sv": "uppgift i källan", "en": "stated in the source"},
    "chart": {"fi": "Teemaa kattavat foorumit ja verkostot: {scheme}",
              "sv": "Forum och nätverk som täcker varje tema: {scheme}",
              "en": "Forums and networks covering each theme: {scheme}"},
    "chart.note": {"fi": "Aukko (0) on merkitty punaisella, vinoviivoin ja sanalla ”aukko”.",
                   "sv": "En lucka (0) är märkt med rött, snedstreck och ordet ”lucka”.",
                   "en": "A gap (0) is marked in red, hatched and with the word “gap”."},
    "gap": {"fi": "aukko", "sv": "lucka", "en": "gap"},
    "covered": {"fi": "katettu", "sv": "täckt", "en": "covered"},
    "levels": {"fi": "Teemat vuorovaikutuksen tasoittain", "sv": "Teman per interaktionsnivå",
               "en": "Themes by level of interaction"},
    "no_mandate": {"fi": "Teemat, joilla on verkostoja mutta ei valtuutettua foorumia",
                   "sv": "Teman med nätverk men utan forum med mandat",
                   "en": "Themes with networks but no forum with a mandate"},
    "municipalities": {"fi": "Kunnat teemojen rakenteissa", "sv": "Kommunerna i temanas strukturer",
                       "en": "Municipalities in a theme's structures"},
    "municipalities.note": {
        "fi": "Mukana: osallistuu teemaa kattavaan foorumiin tai verkostoon (itse, viran tai yksikön kautta), tai "
              "teemalla on jokaisen kunnan oma verkosto. Poissa (todettu): lähde sanoo niin. Ei tietoa: lähteet "
              "eivät kerro kumpaankaan suuntaan; se ei ole havainto poissaolosta.",
        "sv": "Med: deltar i ett forum eller nätverk som täcker temat (själv eller genom en tjänst eller enhet), "
              "eller temat har varje kommuns eget nätverk. Frånvarande (uppgett): en källa säger det. Inga "
              "uppgifter: källorna säger inget; det är inte ett fynd om frånvaro.",
        "en": "Present: takes part in a covering forum or network (itself, or through a post or unit), or the "
              "theme has each municipality's own network of a kind. Absent (stated): a source says so. Not on "
              "record: the sources say nothing either way; it is not a finding of absence."},
    "present": {"fi": "mukana", "sv": "med", "en": "present"},
    "of": {"fi": "{n}/{total}", "sv": "{n} av {total}", "en": "{n} of {total}"},
    "blocks": {"fi": "Yhteistyön johtamisen rakennuspalikat", "sv": "Byggstenarna i ledningen av samarbetet",
               "en": "Building blocks of cooperation leadership"},
    "block": {"fi": "rakennuspalikka", "sv": "byggsten", "en": "building block"},
    "state": {"fi": "tila", "sv": "läge", "en": "state"},
    "basis": {"fi": "peruste", "sv": "grund", "en": "basis"},
    "negotiations": {"fi": "Lakisääteiset neuvottelut", "sv": "Lagstadgade förhandlingar",
                     "en": "Statutory negotiations"},
    "requirement": {"fi": "vaatimus", "sv": "krav", "en": "requirement"},
    "frequency": {"fi": "tiheys", "sv": "frekvens", "en": "frequency"},
    "on_record": {"fi": "tiedoissa", "sv": "i uppgifterna", "en": "on record"},
    "bridges": {"fi": "Sillanrakentajat", "sv": "Brobyggare", "en": "Bridges"},
    "actor": {"fi": "toimija", "sv": "aktör", "en": "actor"},
    "structures": {"fi": "rakenteet", "sv": "strukturer", "en": "structures"},
    "themes": {"fi": "teemat", "sv": "teman", "en": "themes"},
    "role": {"fi": "rooli", "sv": "roll", "en": "role"},
    "cut": {"fi": "nivelkohta (sen poistaminen katkaisee verkon)", "sv": "ledpunkt (utan den faller nätet isär)",
            "en": "articulation point (without it the network falls apart)"},
    "load": {"fi": "Kuormitus", "sv": "Belastning", "en": "Load"},
    "load.chart": {"fi": "Jäsenyydet ja roolit toimijoittain (15 suurinta)",
                   "sv": "Medlemskap och roller per aktör (de 15 största)",
                   "en": "Memberships and roles per actor (top 15)"},
    "load.title": {"fi": "Kuormitus kunnittain: jäsenyydet ja roolit 10 000 asukasta kohden (jäsenet ovat tiedoissa "
                         "{with_members}/{structures} toimivasta rakenteesta)",
                   "sv": "Belastning per kommun: medlemskap och roller per 10 000 invånare (medlemmarna finns i "
                         "uppgifterna för {with_members} av {structures} aktiva strukturer)",
                   "en": "Load per municipality: memberships and roles on record per 10 000 inhabitants (members "
                         "are on record for {with_members} of the {structures} active structures)"},
    "load.note": {"fi": "Kuntakohtaiset omat rakenteet (oma) eivät ole luvussa; kuntia, joista ei ole tietoja, "
                        "ei ole järjestetty.",
                  "sv": "Varje kommuns egna strukturer (egna) ingår inte i talet; kommuner utan uppgifter "
                        "rangordnas inte.",
                  "en": "One-per-municipality entries (own) are not in the figure; municipalities with nothing on "
                        "record are not ranked."},
    "rank": {"fi": "sija", "sv": "plats", "en": "rank"},
    "municipality": {"fi": "kunta", "sv": "kommun", "en": "municipality"},
    "population": {"fi": "asukkaita", "sv": "invånare", "en": "population"},
    "region_wide": {"fi": "koko alueen", "sv": "hela områdets", "en": "region-wide"},
    "own": {"fi": "oma", "sv": "egna", "en": "own"},
    "per_10k": {"fi": "10 000 asukasta kohden", "sv": "per 10 000 invånare", "en": "per 10 000 inhabitants"},
    "memberships_roles": {"fi": "{m} jäsenyyttä, {r} roolia", "sv": "{m} medlemskap, {r} roller",
                          "en": "{m} membership(s), {r} role(s)"},
    "unranked": {"fi": "Ei tietoja, ei järjestetty: {names}", "sv": "Inga uppgifter, inte rangordnade: {names}",
                 "en": "Not on record, not ranked: {names}"},
    "quorum": {"fi": "Pilottien osallistumiskynnys", "sv": "Pilotprojektens kvorum", "en": "Pilot quorum"},
    "no_pilot": {"fi": "Alueelta ei ole pilottia tiedoissa.", "sv": "Inget pilotprojekt i uppgifterna för området.",
                 "en": "No pilot on record for this region."},
    "sources": {"fi": "Lähteet", "sv": "Källor", "en": "Sources"},
    "sources.note": {"fi": "Jokainen verkon tieto viittaa lähteeseensä (dcterms:source). Analyysien määritelmät: "
                           "docs/analyses.md.",
                     "sv": "Varje uppgift i grafen anger sin källa (dcterms:source). Analysernas definitioner: "
                           "docs/analyses.md.",
                     "en": "Every fact in the graph cites its source with dcterms:source. Definitions of the "
                           "analyses: docs/analyses.md."},
}

#: Fixed values the analyses return in English, in the page's language (anything else is shown as it is).
VALUES: dict[str, dict[Lang, str]] = {
    "present": {"fi": "mukana", "sv": "med", "en": "present"},
    "absent (stated)": {"fi": "poissa (todettu)", "sv": "frånvarande (uppgett)", "en": "absent (stated)"},
    "not on record": {"fi": "ei tietoa", "sv": "inga uppgifter", "en": "not on record"},
    "nothing on record": {"fi": "ei tiedoissa", "sv": "inget i uppgifterna", "en": "nothing on record"},
    "level not recorded": {"fi": "taso ei tiedossa", "sv": "nivå okänd", "en": "level not recorded"},
    "liaison": {"fi": "yhdyshenkilö alueiden välillä", "sv": "förbindelselänk mellan områden", "en": "liaison"},
    "cross-theme broker": {"fi": "teemojen välittäjä", "sv": "mäklare mellan teman", "en": "cross-theme broker"},
    "not ranked": {"fi": "ei järjestetty", "sv": "inte rangordnad", "en": "not ranked"},
    "only its own structures on record": {"fi": "vain omat rakenteet tiedoissa",
                                          "sv": "endast egna strukturer i uppgifterna",
                                          "en": "only its own structures on record"},
    "no population on record": {"fi": "asukasluku ei tiedossa", "sv": "invånarantal okänt",
                                "en": "no population on record"},
    "no decision on record": {"fi": "ei päätöstä tiedoissa", "sv": "inget beslut i uppgifterna",
                              "en": "no decision on record"},
    "decision on record": {"fi": "päätös tiedoissa", "sv": "beslut i uppgifterna", "en": "decision on record"},
    "met on record": {"fi": "täyttyy tietojen mukaan", "sv": "uppfyllt enligt uppgifterna", "en": "met on record"},
    "unknown: no quorum rule on record": {"fi": "ei tiedossa: kynnyssääntö ei tiedoissa",
                                          "sv": "okänt: ingen kvorumregel i uppgifterna",
                                          "en": "unknown: no quorum rule on record"},
}


#: The quorum table's columns (graph/analyses/quorum.py ``QuorumReport.columns``).
QUORUM_COLUMNS: dict[str, dict[Lang, str]] = {
    "pilot": {"fi": "pilotti", "sv": "pilotprojekt", "en": "pilot"},
    "municipal_decisions": {"fi": "kuntien päätökset", "sv": "kommunernas beslut", "en": "municipal decisions"},
    "welfare_area": {"fi": "hyvinvointialue", "sv": "välfärdsområdet", "en": "wellbeing services county"},
    "met": {"fi": "täyttyykö", "sv": "uppfyllt", "en": "met"},
    "no decision on record": {"fi": "ei päätöstä tiedoissa", "sv": "inget beslut i uppgifterna",
                              "en": "no decision on record"},
    "stated_in_source": {"fi": "lähteen toteamus", "sv": "uppgift i källan", "en": "stated in the source"},
}


class Cell:
    """A table cell: text (or a number, formatted for the locale), a class, and the language of data labels."""

    __slots__ = ("text", "cls", "lang", "tag")

    def __init__(self, text: object, cls: str = "", *, lang: str | None = None, tag: str | None = None) -> None:
        self.text, self.cls, self.lang, self.tag = text, cls, lang, tag


def _words(lang: Lang) -> Callable[..., str]:
    def t(key: str, **values: object) -> str:
        text = TEXT[key][lang]
        return text.format(**values) if values else text
    return t


def value_text(value: object, lang: Lang) -> str:
    """A cell's value as the page shows it: numbers in the locale's form, known fixed phrases translated."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int | float):
        return format_number(value, lang, digits=1 if isinstance(value, float) else None)
    text = str(value)
    return VALUES[text][lang] if text in VALUES else text


def _td(cell: object, lang: Lang) -> str:
    c = cell if isinstance(cell, Cell) else Cell(cell)
    cls = c.cls or ("n" if isinstance(c.text, int | float) and not isinstance(c.text, bool) else "")
    attrs = (f' class="{cls}"' if cls else "") + (f' lang="{esc(c.lang)}"' if c.lang and c.lang != lang else "")
    tag = f'<span class="tag">{esc(c.tag)}</span>' if c.tag else ""
    return f"<td{attrs}>{esc(value_text(c.text, lang))}{tag}</td>"


def _table(header: list[str], rows: list[list[object]], lang: Lang, *, caption: str | None = None) -> str:
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in header)
    body = "".join("<tr>" + "".join(_td(v, lang) for v in row) + "</tr>" for row in rows)
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _short(label: str, limit: int = 46) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(items: list[tuple[str, int]], *, title: str, lang: Lang = DEFAULT_LANG, gap_word: str | None = None,
              label_lang: str | None = None, width: int = 760) -> str:
    """A horizontal bar chart as inline SVG; zero bars hatched and labelled ``gap_word`` when given."""
    if not items:
        return ""
    bar, gap, label_w = 16, 6, 330
    top = max(v for _l, v in items) or 1
    height = len(items) * (bar + gap) + 30
    lang_attr = f' lang="{esc(label_lang)}"' if label_lang and label_lang != lang else ""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'viewBox="0 0 {width} {height}" style="max-width:100%;height:auto" aria-label="{esc(title)}">'
             f"<title>{esc(title)}</title>"
             '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
             'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fde2e1"/>'
             '<line x1="0" y1="0" x2="0" y2="6" stroke="#b52a26" stroke-width="3"/></pattern></defs>']
    for i, (label, value) in enumerate(items):
        y = 20 + i * (bar + gap)
        w = max(int((width - label_w - 90) * value / top), 2)
        fill = "url(#hatch)" if value == 0 else "#2f66a8"
        word = f" {gap_word}" if value == 0 and gap_word else ""
        parts.append(f'<text x="{label_w - 6}" y="{y + 12}" font-size="12" text-anchor="end"{lang_attr}>'
                     f"{esc(_short(label))}</text>")
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w if value else 14}" height="{bar}" fill="{fill}" '
                     f'stroke="{"#b52a26" if value == 0 else "none"}"/>')
        parts.append(f'<text x="{label_w + (w if value else 14) + 4}" y="{y + 12}" font-size="12">'
                     f"{esc(format_number(value, lang))}{esc(word)}</text>")
    parts.append("</svg>")
    return f'<figure>{"".join(parts)}<figcaption class="muted">{esc(title)}</figcaption></figure>'


def _theme_label(label_fi: str, label_en: str, lang: Lang) -> tuple[str, str]:
    """A theme's label for the page and its language: English on the English page when there is one."""
    return (label_en, "en") if lang == "en" and label_en else (label_fi, "fi")


def render_report(pic: SituationalPicture, lang: Lang = DEFAULT_LANG, *, today: date | None = None,
                  switcher_path: str | None = None) -> str:
    """The whole page in ``lang``. ``switcher_path`` (the served page's path) adds links to the other languages."""
    t = _words(lang)
    cov, region = pic.coverage, pic.coverage.region
    levels = list(MATRIX_COLUMNS)
    themes = cov.gaps.themes

    def theme_cell(label_fi: str, label_en: str, **kw: object) -> Cell:
        text, text_lang = _theme_label(label_fi, label_en, lang)
        return Cell(text, lang=text_lang, **kw)  # type: ignore[arg-type]

    charts = []
    for scheme in dict.fromkeys(th.scheme_label for th in themes):
        in_scheme = [th for th in themes if th.scheme_label == scheme]
        items = [(_theme_label(th.label_fi, th.label_en, lang)[0], len(th.covered_by)) for th in in_scheme]
        charts.append(f"<h3>{esc(scheme)}</h3>")
        charts.append(bar_chart(items, title=t("chart", scheme=scheme), lang=lang, gap_word=t("gap"),
                                label_lang="en" if lang == "en" else "fi"))
    matrix = [
        [th.scheme_label,
         theme_cell(th.label_fi, th.label_en, cls="gap" if th.is_gap else "ok", tag=t("gap") if th.is_gap else None),
         *[len(cov.matrix.get(th.theme, {}).get(lbl, [])) for lbl in levels]]
        for th in themes
    ]
    load_rows = [
        [m.rank if m.rank is not None else "not ranked", Cell(m.label, lang="fi"),
         m.population if m.population is not None else "", t("memberships_roles", m=m.memberships, r=m.roles),
         m.region_wide, m.own,
         m.per_10k if m.per_10k is not None else row["per_10k"]]
        for m, row in zip(pic.load.municipalities, pic.load.municipality_rows(), strict=True)
    ]
    switcher = ""
    if switcher_path:
        current = ' aria-current="true"'
        links = "".join(f'<li><a href="{esc(with_lang(switcher_path, o))}" hreflang="{o}" lang="{o}"'
                        f'{current if o == lang else ""}>{esc(LANG_NAMES[o])}</a></li>' for o in LANGS)
        switcher = f'<nav aria-label="{esc(t("lang"))}"><ul>{links}</ul></nav>'
    name = region.label_en if lang == "en" and region.label_en else region.label_fi
    out = [
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">{meta_tag()}',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{esc(t('title', region=name))}</title><style>{STYLE}</style></head><body>",
        switcher, "<main>",
        f"<h1>{esc(t('h1', region=name))}</h1>",
        f'<p class="muted">{esc(t("lead", day=format_date(today or date.today(), lang)))}</p>',
        f"<h2>{esc(t('gaps'))}</h2>",
        f"<p>{esc(t('gaps.count', gaps=len(cov.gaps.gaps), themes=len(themes)))}</p>",
        _table([t("scheme"), t("theme"), t("stated")],
               [[g.scheme_label, theme_cell(g.label_fi, g.label_en), Cell(g.statement or "")]
                for g in cov.gaps.gaps], lang),
        f'<p class="note">{esc(t("chart.note"))}</p>',
        *charts,
        f"<h2>{esc(t('levels'))}</h2>",
        _table([t("scheme"), t("theme"), *[value_text(lbl, lang) for lbl in levels]], matrix, lang),
        f"<h2>{esc(t('no_mandate'))}</h2>",
        _table([t("theme")], [[Cell(cov.theme_label(x), lang="fi")] for x in cov.without_mandate], lang),
        f"<h2>{esc(t('municipalities'))}</h2>",
        f'<p class="note">{esc(t("municipalities.note"))}</p>',
        _table([t("theme"), t("present"), value_text("absent (stated)", lang), value_text("not on record", lang)],
               [[Cell(r["label_fi"], lang="fi"),
                 t("of", n=len(p.present), total=len(p.municipalities)),
                 Cell(r["absent (stated)"], lang="fi"), Cell(r["not on record"], lang="fi")]
                for r, p in zip(cov.municipality_rows(), cov.presence.values(), strict=True)], lang),
        f"<h2>{esc(t('blocks'))}</h2>",
        _table([t("block"), t("state"), t("basis")],
               [[b["block"], b["state"], b["basis"]] for b in [*cov.block_status(), *cov.agreement_status()]],
               lang),
        f"<h2>{esc(t('negotiations'))}</h2>",
        _table([t("requirement"), t("frequency"), t("on_record")],
               [[n.label, n.frequency, n.forum_label or "nothing on record"] for n in cov.negotiations], lang),
        f"<h2>{esc(t('bridges'))}</h2>",
        _table([t("actor"), t("structures"), t("themes"), t("role")],
               [[Cell(s.label, lang="fi"), s.structures, s.themes, s.role] for s in pic.bridges.spanners[:20]], lang),
        _table([t("cut")], [[Cell(label, lang="fi")] for _n, label in pic.bridges.cut_points[:20]], lang),
        f"<h2>{esc(t('load'))}</h2>",
        bar_chart([(a.label, a.memberships + a.roles) for a in pic.load.actors[:15]], title=t("load.chart"),
                  lang=lang, label_lang="fi"),
        f'<p class="note">{esc(t("load.title", with_members=pic.load.with_members, structures=pic.load.structures))}'
        f". {esc(t('load.note'))}</p>",
        _table([t("rank"), t("municipality"), t("population"), t("on_record"), t("region_wide"), t("own"),
                t("per_10k")], load_rows, lang),
        (f'<p class="muted">{esc(t("unranked", names=", ".join(m.label for m in pic.load.not_on_record)))}</p>'
         if pic.load.not_on_record else ""),
        f"<h2>{esc(t('quorum'))}</h2>",
        _table([QUORUM_COLUMNS.get(c, {}).get(lang, c) for c in pic.quorum.columns],
               [list(r.values()) for r in pic.quorum.rows()], lang) if pic.quorum.pilots
        else f'<p class="muted">{esc(t("no_pilot"))}</p>',
        f"<h2>{esc(t('sources'))}</h2><ul>",
        *[f'<li>{esc(title)} <span class="muted">({esc(iri)})</span></li>' for iri, title in pic.sources],
        f'</ul><p class="note muted">{esc(t("sources.note"))}</p></main></body></html>',
    ]
    return "\n".join(out)
