"""HTML for people: the query page and an entity's page. Offline: no CDN, styles inline.

Everything from the graph is escaped with api/render/csp.py ``esc`` into text or
double-quoted attributes, and becomes a link only through ``link`` (http(s)
IRIs and our own paths): a ``javascript:`` IRI is shown, never followed.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from yhdyspinta.api.render.csp import esc, link, meta_tag, normalise_script
from yhdyspinta.graph.backends.embedded.browse import EntityView, Fact

PAGES = Path(__file__).parent / "pages"

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d2733;background:#f7f8fa}
header{background:#1d4f7a;color:#fff;padding:.7em 1.2em}header a{color:#fff}
main{max-width:70em;margin:1em auto;padding:0 1.2em}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #d6dbe1;padding:.3em .5em;
text-align:left;vertical-align:top}th{background:#eef1f5}code,.iri{font-family:ui-monospace,monospace;font-size:.9em}
.muted{color:#5b6875}nav a{margin-right:1em}
"""


@cache
def _query_source() -> str:
    return (PAGES / "query.html").read_text(encoding="utf-8")


def page_scripts() -> list[str]:
    """The query page's inline script: what its Content-Security-Policy allows by hash."""
    found = re.findall(r"<script>(.*?)</script>", _query_source(), re.DOTALL)
    if len(found) != 1:
        raise RuntimeError("query.html must hold exactly one inline <script>")
    return [normalise_script(found[0])]


@cache
def query_page() -> str:
    """The SPARQL query page (api/render/pages/query.html), with its example queries and its policy."""
    return _query_source().replace("<!--CSP-->", str(meta_tag(page_scripts())), 1)


def local_href(iri: str, base: str) -> str:
    """Where an IRI is served here: IRIs under the base map to this server's paths."""
    return "/" + iri[len(base):] if iri.startswith(base) else iri


def _value(f: Fact, base: str) -> str:
    if f.value_kind == "iri":
        return link(local_href(f.value, base), f.value_label or f.value, title=f.value)
    if f.value_kind == "bnode":
        return f'<span class="muted">_:{esc(f.value)}</span>'
    lang = f' <span class="muted">@{esc(f.language)}</span>' if f.language else ""
    return esc(f.value) + lang


def entity_page(view: EntityView, base: str) -> str:
    """An entity's facts and what points at it, each linking on; RDF links at the top."""
    here = local_href(view.iri, base)
    types = ", ".join(esc(t.rsplit("#", 1)[-1]) for t in view.types)
    rows = "".join(
        f'<tr><td title="{esc(f.predicate)}">{esc(f.predicate_label)}</td><td>{_value(f, base)}</td>'
        f'<td class="muted">{link(local_href(f.graph, base), "source") if f.graph else ""}</td></tr>'
        for f in view.facts
    )
    incoming = "".join(
        f'<tr><td>{_value(f, base)}</td><td title="{esc(f.predicate)}">{esc(f.predicate_label)}</td></tr>'
        for f in view.incoming
    )
    formats = " ".join(link(f"{here}?format={k}", k) for k in ("turtle", "ntriples", "jsonld", "rdfxml"))
    return f"""<!doctype html><html lang="fi"><head><meta charset="utf-8">{meta_tag()}
<meta name="viewport" content="width=device-width,initial-scale=1"><title>{esc(view.label)} · yhdyspinta</title>
<style>{_STYLE}</style></head><body>
<header><nav><a href="/">yhdyspinta</a><a href="/sparql">SPARQL</a><a href="/docs">API</a></nav></header>
<main><h1>{esc(view.label)}</h1>
<p class="iri">{esc(view.iri)}</p><p class="muted">{types}</p>
<p>RDF: {formats}</p>
<h2>Facts</h2><table><tr><th>property</th><th>value</th><th></th></tr>{rows}</table>
<h2>Pointing here</h2><table><tr><th>from</th><th>property</th></tr>{incoming or
 '<tr><td colspan="2" class="muted">nothing</td></tr>'}</table>
</main></body></html>"""
