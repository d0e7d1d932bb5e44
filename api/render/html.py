"""HTML for people: the query page and an entity's page. Offline: no CDN, styles inline.

Everything from the graph is escaped with api/render/csp.py ``esc`` into text or
double-quoted attributes, and becomes a link only through ``link`` (http(s)
IRIs and our own paths): a ``javascript:`` IRI is shown, never followed.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path, PurePosixPath

from rdflib import OWL, RDF, URIRef

from yhdyspinta.api.render.csp import esc, json_script, link, meta_tag, normalise_script, policy
from yhdyspinta.api.render.i18n import (
    DEFAULT_LANG,
    LANG_NAMES,
    LANGS,
    MESSAGES,
    Lang,
    intl_locale,
    message,
    with_lang,
)
from yhdyspinta.graph.backends.embedded.browse import EntityView, Fact
from yhdyspinta.ontology.files import load_ontology
from yhdyspinta.ontology.namespaces import BASE, NAMESPACES

PAGES = Path(__file__).parent / "pages"
#: Vendored browser code (api/render/static/*/LICENSE), served by api/http/routes/assets.py.
STATIC = Path(__file__).parent / "static"
#: The SPARQL workbench: @zazuko/yasgui (the maintained YASGUI), see static/yasgui/THIRD-PARTY.md.
YASGUI_VERSION = "4.6.2"

_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1d2733;background:#f7f8fa}
.skip{position:absolute;left:-999em}.skip:focus{left:1em;top:.5em;background:#fff;color:#1d2733;padding:.4em .8em}
header{background:#1d4f7a;color:#fff;padding:.6em 1.2em;display:flex;flex-wrap:wrap;gap:1em;
justify-content:space-between}header a{color:#fff}
header ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:1em}header [aria-current]{font-weight:700}
main{max-width:70em;margin:1em auto;padding:0 1.2em}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #d6dbe1;padding:.3em .5em;
text-align:left;vertical-align:top}th{background:#eef1f5}code,.iri{font-family:ui-monospace,monospace;font-size:.9em}
.muted{color:#4a5663}a{color:#05507a}:focus-visible{outline:3px solid #c25100;outline-offset:2px}
"""


@cache
def asset_digest(name: str) -> str:
    """A short hash of a vendored file: its URL changes when the file does, so it may be cached for a year."""
    parts = PurePosixPath(name).parts
    path = STATIC.joinpath(*parts)
    # by name, not by resolving: installed in editable mode, the files are links out of the package folder
    if not parts or name.startswith("/") or any(p.startswith(".") or "\\" in p for p in parts) or not path.is_file():
        raise FileNotFoundError(f"no vendored asset {name!r} under {STATIC}")
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def asset_url(name: str) -> str:
    """Where the page loads a vendored file from (``/static/<name>?v=<digest>``)."""
    return f"/static/{name}?v={asset_digest(name)}"


def accessible_docs(html: str) -> str:
    """Swagger UI's page (/docs) with its language stated and our contrast and structure fixes loaded.

    The fixes (static/docs/a11y.css, a11y.js) are our files, allowed by 'self' like Swagger UI's bundle.
    """
    html = re.sub(r"<html(?![^>]*\blang=)", '<html lang="en"', html, count=1)
    html = html.replace("</head>", f'<link rel="stylesheet" href="{esc(asset_url("docs/a11y.css"))}"></head>', 1)
    return html.replace("</body>", f'<script src="{esc(asset_url("docs/a11y.js"))}"></script></body>', 1)


@cache
def _query_source() -> str:
    return (PAGES / "query.html").read_text(encoding="utf-8")


def page_scripts() -> list[str]:
    """The query page's one inline script: what its Content-Security-Policy allows by hash."""
    found = re.findall(r"<script>(.*?)</script>", _query_source(), re.DOTALL)
    if len(found) != 1:
        raise RuntimeError("query.html must hold exactly one inline <script>")
    return [normalise_script(found[0])]


def query_policy(*, meta: bool = False) -> str:
    """The query page's policy: its inline script by hash, and our own files (the vendored YASGUI) by 'self'."""
    return policy(page_scripts(), self_scripts=True, meta=meta)


def lang_nav(path: str, lang: Lang) -> str:
    """The language switcher's items: each language named in itself, marked with its own ``lang``."""
    current = ' aria-current="true"'
    return "".join(
        f'<li><a href="{esc(with_lang(path, other))}" hreflang="{other}" lang="{other}"'
        f'{current if other == lang else ""}>{esc(LANG_NAMES[other])}</a></li>'
        for other in LANGS
    )


def _display_prefixes(base: str) -> dict[str, str]:
    """Prefixes the result table shortens IRIs with: the vocabularies, then our own IRI families."""
    ours = {"id": f"{base}id/", "theme": f"{base}theme/", "source": f"{base}source/", "graph": f"{base}graph/"}
    return {**NAMESPACES, **ours}


@cache
def _ontology_terms() -> dict[str, list[str]]:
    """Our classes and properties, for the editor's completion (instead of the LOV service on the Internet)."""
    g = load_ontology()
    classes = {str(s) for s in g.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}
    properties = {str(s) for t in (OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property)
                  for s in g.subjects(RDF.type, t) if isinstance(s, URIRef)}
    return {"classes": sorted(classes), "properties": sorted(properties)}


def query_page(lang: Lang = DEFAULT_LANG, base: str = BASE) -> str:
    """The SPARQL workbench (api/render/pages/query.html) in ``lang``: texts, data block and policy filled in."""
    texts = {k: v[lang] for k, v in MESSAGES.items() if k.startswith("q.js.")}
    config = {"lang": lang, "locale": intl_locale(lang), "base": base, "messages": texts,
              "prefixes": NAMESPACES, "display_prefixes": _display_prefixes(base), "terms": _ontology_terms()}
    page = _query_source()
    page = page.replace("<!--CSP-->", f'<meta http-equiv="Content-Security-Policy" '
                                      f'content="{esc(query_policy(meta=True))}">', 1)
    page = page.replace("<!--CONFIG-->", str(json_script("workbench-config", config)), 1)
    page = page.replace("<!--LANGS-->", lang_nav("/", lang), 1)
    page = re.sub(r"\{\{asset:([\w./-]+)\}\}", lambda m: esc(asset_url(m.group(1))), page)
    page = re.sub(r"\{\{t:([\w.]+)\}\}", lambda m: esc(message(m.group(1), lang)), page)
    return page.replace("{{lang}}", lang)


def local_href(iri: str, base: str) -> str:
    """Where an IRI is served here: IRIs under the base map to this server's paths."""
    return "/" + iri[len(base):] if iri.startswith(base) else iri


def _value(f: Fact, base: str) -> str:
    if f.value_kind == "iri":
        return link(local_href(f.value, base), f.value_label or f.value, title=f.value)
    if f.value_kind == "bnode":
        return f'<span class="muted">_:{esc(f.value)}</span>'
    if f.language:  # the value's own language, so a screen reader reads "Lahti" as Finnish on an English page
        return f'<span lang="{esc(f.language)}">{esc(f.value)}</span> <span class="muted">@{esc(f.language)}</span>'
    return esc(f.value)


def _title(view: EntityView, lang: Lang) -> tuple[str, str | None]:
    """The entity's name in the page's language when the graph has one, else its Finnish (or first) name."""
    for f in view.facts:
        if f.predicate.endswith("core#prefLabel") and f.language == lang:
            return f.value, lang
    named = next((f for f in view.facts if f.predicate.endswith("core#prefLabel") and f.value == view.label), None)
    return view.label, named.language if named else None


def entity_page(view: EntityView, base: str, lang: Lang = DEFAULT_LANG) -> str:
    """An entity's facts and what points at it, each linking on; RDF links at the top; headings in ``lang``."""
    def t(key: str) -> str:
        return esc(message(key, lang))

    here = local_href(view.iri, base)
    title, title_lang = _title(view, lang)
    h1_lang = f' lang="{esc(title_lang)}"' if title_lang and title_lang != lang else ""
    types = ", ".join(esc(x.rsplit("#", 1)[-1]) for x in view.types)
    rows = "".join(
        f'<tr><td title="{esc(f.predicate)}">{esc(f.predicate_label)}</td><td>{_value(f, base)}</td>'
        f'<td class="muted">{link(local_href(f.graph, base), message("source", lang)) if f.graph else ""}</td></tr>'
        for f in view.facts
    )
    incoming = "".join(
        f'<tr><td>{_value(f, base)}</td><td title="{esc(f.predicate)}">{esc(f.predicate_label)}</td></tr>'
        for f in view.incoming
    )
    formats = " ".join(link(f"{here}?format={k}", k) for k in ("turtle", "ntriples", "jsonld", "rdfxml"))
    nothing = f'<tr><td colspan="2" class="muted">{t("nothing")}</td></tr>'
    return f"""<!doctype html><html lang="{lang}"><head><meta charset="utf-8">{meta_tag()}
<meta name="viewport" content="width=device-width,initial-scale=1"><title>{esc(title)} · yhdyspinta</title>
<style>{_STYLE}</style></head><body><a class="skip" href="#main">{t("skip")}</a>
<header><nav aria-label="{t("nav")}"><ul><li><a href="/?lang={lang}">yhdyspinta</a></li>
<li><a href="/sparql?lang={lang}">{t("nav.query")}</a></li><li><a href="/docs">{t("nav.api")}</a></li></ul></nav>
<nav aria-label="{t("nav.lang")}"><ul>{lang_nav(here, lang)}</ul></nav></header>
<main id="main"><h1{h1_lang}>{esc(title)}</h1>
<p class="iri">{esc(view.iri)}</p><p class="muted">{t("entity.types")}: {types}</p>
<p>{t("entity.rdf")}: {formats}</p>
<h2 id="facts">{t("entity.facts")}</h2><table aria-labelledby="facts"><thead><tr>
<th scope="col">{t("entity.property")}</th><th scope="col">{t("entity.value")}</th><th scope="col">{t("source")}</th>
</tr></thead><tbody>{rows}</tbody></table>
<h2 id="incoming">{t("entity.incoming")}</h2><table aria-labelledby="incoming"><thead><tr>
<th scope="col">{t("entity.from")}</th><th scope="col">{t("entity.property")}</th></tr></thead>
<tbody>{incoming or nothing}</tbody></table>
</main></body></html>"""
