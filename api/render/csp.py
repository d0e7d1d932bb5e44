"""Data never runs as code: escaping, links, JSON for pages, and the Content-Security-Policy.

Labels, titles and IRIs come from sources anyone may submit; SHACL checks their
shape, not whether they are HTML. So every page (1) escapes text and attributes
with ``esc`` (both quotes, attributes always double-quoted), (2) links only
http(s) IRIs and our own paths (``safe_href``), (3) carries its data as inert
JSON (``json_script``), and (4) is served with a policy that runs only the inline
scripts we wrote, by their sha256 hash, so a missed escape still runs nothing.
Hashes, not nonces: the same page works served and as the file the CLI writes,
where a ``<meta http-equiv>`` carries the policy.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

if TYPE_CHECKING:
    pass

#: Where /docs takes Swagger UI's script and style from (the fastapi-offline package ships them).
DOCS_ASSETS = "/docs/assets"


# -- escaping and links -------------------------------------------------------------------------------------------

def esc(value: object) -> str:
    """``value`` as HTML text or a double-quoted attribute value: & < > " ' and ` escaped."""
    return escape("" if value is None else str(value), quote=True).replace("`", "&#96;")


_LINKABLE = re.compile(r"(?:https?://[^/\\]|/(?![/\\]))", re.IGNORECASE)
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")


def safe_href(url: str | None) -> str | None:
    """``url`` if a link to it can only open a web page: http(s) IRIs and our own ``/paths``; else None.

    Browsers drop tabs and newlines inside a URL and leading spaces and controls, so
    ``java\\tscript:`` and `` javascript:`` would run: any control or space refuses the link.
    ``//host`` and ``/\\host`` leave the site, so only a single leading slash counts as ours.
    """
    if not url or _CONTROL_OR_SPACE.search(url) or not _LINKABLE.match(url):
        return None
    return url


def link(url: str | None, text: object, *, title: str | None = None) -> str:
    """An ``<a>`` to ``url`` showing ``text``, or ``text`` alone when the URL is not safe to follow."""
    href = safe_href(url)
    extra = f' title="{esc(title)}"' if title else ""
    if href is None:
        return f"<span{extra}>{esc(text)}</span>"
    return f'<a href="{esc(href)}"{extra}>{esc(text)}</a>'


# -- data for pages -----------------------------------------------------------------------------------------------

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_UNSAFE = re.compile("[<>&\u2028\u2029]")


def json_for_script(data: Any) -> str:
    """JSON that cannot end its ``<script>`` element nor open a comment (< > & and U+2028/9 as \\u escapes)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return _JSON_UNSAFE.sub(lambda m: _JSON_ESCAPES[m.group()], text)


def json_script(element_id: str, data: Any) -> Markup:
    """The vetted way data enters a page: an inert ``application/json`` block the page's script JSON.parses."""
    return Markup(f'<script type="application/json" id="{esc(element_id)}">{json_for_script(data)}</script>')


# -- the policy ---------------------------------------------------------------------------------------------------

def normalise_script(js: str) -> str:
    """Line ends as the HTML parser delivers them, so the hash we compute is the one the browser computes."""
    return js.replace("\r\n", "\n").replace("\r", "\n")


def script_hash(js: str) -> str:
    """The CSP source that allows exactly this inline script."""
    digest = hashlib.sha256(normalise_script(js).encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def policy(scripts: Iterable[str] = (), *, self_scripts: bool = False, meta: bool = False) -> str:
    """A policy that runs only ``scripts`` (inline, by hash) and, with ``self_scripts``, our own script files.

    Styles stay inline ('unsafe-inline' for style only): vis-network and Swagger UI set style
    attributes, and CSS cannot run script. ``meta`` leaves out what a ``<meta>`` policy may not
    carry (frame-ancestors; Chromium logs an error for it).
    """
    sources = (["'self'"] if self_scripts else []) + sorted({script_hash(s) for s in scripts})
    directives = [
        "default-src 'none'",
        "script-src " + (" ".join(sources) or "'none'"),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
    if not meta:
        directives.append("frame-ancestors 'none'")
    return "; ".join(directives)


def meta_tag(scripts: Iterable[str] = ()) -> Markup:
    """The policy inside the page, first in ``<head>``: it travels with files the CLI writes."""
    return Markup(f'<meta http-equiv="Content-Security-Policy" content="{esc(policy(scripts, meta=True))}">')


#: For responses that are not HTML: they load nothing and may not be framed.
NON_HTML_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
