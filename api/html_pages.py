"""HTML for people: the query page and an entity's page. Offline: no CDN, styles inline."""

from __future__ import annotations

from functools import cache
from html import escape
from pathlib import Path

from yhdyspinta.graph.browse import EntityView, Fact

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
def query_page() -> str:
    """The SPARQL query page (api/pages/query.html), with its example queries."""
    return (PAGES / "query.html").read_text(encoding="utf-8")


def local_href(iri: str, base: str) -> str:
    """Where an IRI is served here: IRIs under the base map to this server's paths."""
    return "/" + iri[len(base):] if iri.startswith(base) else iri


def _value(f: Fact, base: str) -> str:
    if f.value_kind == "iri":
        text = escape(f.value_label or f.value)
        return f'<a href="{escape(local_href(f.value, base))}">{text}</a>'
    if f.value_kind == "bnode":
        return f"<span class='muted'>_:{escape(f.value)}</span>"
    lang = f" <span class='muted'>@{escape(f.language)}</span>" if f.language else ""
    return escape(f.value) + lang


def entity_page(view: EntityView, base: str) -> str:
    """An entity's facts and what points at it, each linking on; RDF links at the top."""
    here = escape(local_href(view.iri, base))
    types = ", ".join(escape(t.rsplit("#", 1)[-1]) for t in view.types)
    rows = "".join(
        f"<tr><td title='{escape(f.predicate)}'>{escape(f.predicate_label)}</td><td>{_value(f, base)}</td>"
        f"<td class='muted'><a href='{escape(local_href(f.graph or '', base))}'>source</a></td></tr>"
        for f in view.facts
    )
    incoming = "".join(
        f"<tr><td>{_value(f, base)}</td><td title='{escape(f.predicate)}'>{escape(f.predicate_label)}</td></tr>"
        for f in view.incoming
    )
    formats = " ".join(f"<a href='{here}?format={k}'>{k}</a>" for k in ("turtle", "ntriples", "jsonld", "rdfxml"))
    return f"""<!doctype html><html lang="fi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>{escape(view.label)} · yhdyspinta</title>
<style>{_STYLE}</style></head><body>
<header><nav><a href="/">yhdyspinta</a><a href="/sparql">SPARQL</a><a href="/docs">API</a></nav></header>
<main><h1>{escape(view.label)}</h1>
<p class="iri">{escape(view.iri)}</p><p class="muted">{types}</p>
<p>RDF: {formats}</p>
<h2>Facts</h2><table><tr><th>property</th><th>value</th><th></th></tr>{rows}</table>
<h2>Pointing here</h2><table><tr><th>from</th><th>property</th></tr>{incoming or
 "<tr><td colspan=2 class='muted'>nothing</td></tr>"}</table>
</main></body></html>"""
