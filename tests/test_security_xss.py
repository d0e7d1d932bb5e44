"""Data never runs as code: hostile labels and IRIs go in through a real ingest, and every page
(network view, report, entity page, query page, /docs) is loaded from a real server in real
Chromium: nothing the data says runs, no dialog opens, the text is shown as text, only http(s)
and our own paths are links, and the Content-Security-Policy blocks an injected inline script.
The escaping, link and JSON helpers are checked over adversarial strings on their own."""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from browser import chromium, watch_errors
from http_live import LiveServer, live_server
from hypothesis import given
from hypothesis import strategies as st
from playwright.sync_api import Browser, Page

from yhdyspinta.api.render import csp
from yhdyspinta.api.render.csp import esc, json_for_script, json_script, link, meta_tag, policy, safe_href, script_hash
from yhdyspinta.api.render.report import render_report
from yhdyspinta.api.render.viz import page_scripts, render_viz
from yhdyspinta.graph.analyses.report import situational_picture
from yhdyspinta.graph.analyses.viz import national_view, region_view
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend
from yhdyspinta.graph.regions import resolve_region
from yhdyspinta.graph.store.store import Store
from yhdyspinta.ingest import ingest

API = Path(__file__).resolve().parents[1] / "api" / "render"

# -- the payloads ------------------------------------------------------------------------------------------------
SCRIPT = "</script><script>window.__pwned='script';document.title='pwned'</script>"
IMG = "\"><img src=x onerror=\"window.__pwned='img'\">"
SVG = "'><svg onload=window.__pwned='svg'>"
TEMPLATE = "{{7*7}} ${7*7} #{7*7} <%= 7*7 %>"
THEME_FI = "\"><img src=x onerror=window.__pwned='theme'>"
SOURCE_TITLE = "</title></style></script><img src=x onerror=window.__pwned='source'>"
JS_LINK = "javascript:alert(1)"
JS_MIXED = "JaVaScRiPt:alert(4)"
JS_HOMEPAGE = "javascript:alert(5)"
JS_NODE = "javascript:alert(2)"  # an actor whose IRI is a javascript: URL: the viz details show its IRI
DATA_LINK = "data:text/html,%3Cscript%3Ealert(3)%3C/script%3E"

BASE = "https://w3id.org/yhdyspinta/"
NETWORK = f"{BASE}id/network/paijat-hame/xss-verkosto"
TEMPLATE_NETWORK = f"{BASE}id/network/paijat-hame/xss-template"
ACTOR = f"{BASE}id/org/paijat-hame/xss-actor"
THEME = f"{BASE}theme/national/xss"


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


HOSTILE_TTL = f"""@prefix yhd: <https://w3id.org/yhdyspinta/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .

<{BASE}source/xss-probe> a yhd:SourceDocument ;
    dcterms:title {_lit(SOURCE_TITLE)} .

<{ACTOR}> a yhd:CivilSocietyOrganisation ;
    skos:prefLabel {_lit(SVG)}@fi ;
    foaf:homepage <{JS_HOMEPAGE}> ;
    dcterms:source <{BASE}source/xss-probe> .

<{JS_NODE}> a yhd:CivilSocietyOrganisation ;
    skos:prefLabel "Javascript-toimija"@fi ;
    dcterms:source <{BASE}source/xss-probe> .

<{NETWORK}> a yhd:Network ;
    skos:prefLabel {_lit(SCRIPT)}@fi, {_lit(IMG)}@en ;
    yhd:inRegion <{BASE}id/region/paijat-hame> ;
    yhd:theme <{BASE}theme/paijat-hame/group/kulttuurihyvinvointi> ;
    yhd:level <{BASE}level/asiantuntijat> ;
    org:hasMember <{BASE}id/municipality/398>, <{ACTOR}>, <{JS_NODE}> ;
    rdfs:seeAlso <{JS_LINK}>, <{JS_MIXED}>, <{DATA_LINK}> ;
    dcterms:source <{BASE}source/xss-probe> .

<{TEMPLATE_NETWORK}> a yhd:Network ;
    skos:prefLabel {_lit(TEMPLATE)}@fi ;
    yhd:inRegion <{BASE}id/region/paijat-hame> ;
    yhd:theme <{BASE}theme/paijat-hame/group/kulttuurihyvinvointi> ;
    org:hasMember <{ACTOR}> ;
    dcterms:source <{BASE}source/xss-probe> .

<{THEME}> a yhd:Theme ;
    skos:inScheme <{BASE}theme/national> ;
    skos:broader <{BASE}theme/national/hyte> ;
    skos:prefLabel {_lit(THEME_FI)}@fi, {_lit(SVG)}@sv, {_lit(SCRIPT)}@en ;
    dcterms:source <{BASE}source/xss-probe> .
"""

#: What a link may never point at, and what it may (the Python and the JS rule must agree on all).
BAD_URLS = [
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)",
    "java\nscript:alert(1)", "java\rscript:alert(1)", "\x01javascript:alert(1)", "ja\x00vascript:alert(1)",
    "javascript\x7f:alert(1)", "\u00a0javascript:alert(1)", "javascript&colon;alert(1)", "&#106;avascript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "DATA:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)",
    "file:///etc/passwd", "//evil.example/x", "/\\evil.example/x", "\\\\evil.example", "https:evil.example",
    "http:/evil.example", "http:// evil.example", "https:///x", "ftp://example.org/", "mailto:a@example.org",
    "urn:isbn:0451450523", "id/municipality/398", "?region=x", "#top", "", " ", "http://example.org/ x",
]
GOOD_URLS = [
    "http://example.org/", "https://w3id.org/yhdyspinta/id/municipality/398", "HTTPS://EXAMPLE.ORG/a?b=c#d",
    "/id/municipality/398", "/viz?region=paijat-hame", "/", "https://example.org/\"onmouseover=alert(1)",
    "https://example.org/'><script>alert(1)</script>", "https://fi.wikipedia.org/wiki/Päijät-Häme",
]


# -- unit tests of the helpers -----------------------------------------------------------------------------------

PAYLOADS = [SCRIPT, IMG, SVG, TEMPLATE, THEME_FI, SOURCE_TITLE, "`${alert(1)}`", "&lt;script&gt;", "\u2028\u2029"]


@pytest.mark.parametrize("text", PAYLOADS)
def test_esc_leaves_no_markup_and_round_trips(text: str) -> None:
    out = esc(text)
    assert not set(out) & set("<>\"'`")
    assert html.unescape(out) == text


@given(st.text())
def test_esc_any_text(text: str) -> None:
    out = esc(text)
    assert not set(out) & set("<>\"'`") and html.unescape(out) == text


def test_esc_of_none_and_numbers() -> None:
    assert esc(None) == "" and esc(49) == "49"


@pytest.mark.parametrize("url", BAD_URLS)
def test_no_link_to_anything_but_http_and_our_paths(url: str) -> None:
    assert safe_href(url) is None
    out = link(url, url)
    assert "<a" not in out and "href" not in out
    assert html.unescape(re.sub(r"</?span>", "", out)) == url  # still shown, as text


@pytest.mark.parametrize("url", GOOD_URLS)
def test_links_to_http_and_our_paths(url: str) -> None:
    assert safe_href(url) == url
    out = link(url, "text", title=url)
    found = re.fullmatch(r'<a href="([^"]*)" title="([^"]*)">text</a>', out)
    assert found and html.unescape(found.group(1)) == url and html.unescape(found.group(2)) == url


@given(st.text())
def test_any_accepted_link_is_http_or_a_path(url: str) -> None:
    href = safe_href(url)
    if href is not None:
        assert re.match(r"(?i)https?://[^/\\]|/[^/\\]|/$", href) and not re.search(r"[\x00-\x20\x7f]", href)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@given(json_values)
def test_json_for_script_cannot_end_its_element(data: object) -> None:
    out = json_for_script(data)
    assert not re.search("[<>&\u2028\u2029]", out)
    assert json.loads(out) == data


def test_json_script_block_is_inert_and_parses_back() -> None:
    data = {"label": SCRIPT, "x": ["<!--", "-->", "]]>", "</SCRIPT >", "\u2028"]}
    block = str(json_script('viz"data', data))
    assert block.startswith('<script type="application/json" id="viz&quot;data">')
    body = block[block.index(">") + 1: -len("</script>")]
    assert "<" not in body and json.loads(body) == data


def test_script_hash_is_the_browsers() -> None:
    # the example of the CSP specification's users (MDN): <script>alert('Hello, world.');</script>
    assert script_hash("alert('Hello, world.');") == "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
    assert script_hash("a\r\nb") == script_hash("a\nb")  # the parser normalises line ends before hashing


def _directives(value: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in value.split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = words[1:]
    return out


def test_policy_runs_only_hashed_scripts() -> None:
    d = _directives(policy(["alert(1)"]))
    assert d["script-src"] == [script_hash("alert(1)")]
    assert d["object-src"] == ["'none'"] and d["base-uri"] == ["'none'"] and d["frame-ancestors"] == ["'none'"]
    assert d["default-src"] == ["'none'"]
    assert _directives(policy())["script-src"] == ["'none'"]
    meta = _directives(html.unescape(re.search(r'content="([^"]*)"', str(meta_tag(["x"]))).group(1)))
    assert "frame-ancestors" not in meta and meta["script-src"] == [script_hash("x")]  # not allowed in <meta>


def test_templates_do_not_bypass_autoescape() -> None:
    for page in [*API.glob("templates/*.html"), *API.glob("pages/*.html")]:
        text = page.read_text(encoding="utf-8")
        assert "|safe" not in text.replace(" ", "") and "autoescape false" not in text, page


class _Scripts(HTMLParser):
    """The script elements of a page: (attributes, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.meta_policy: str | None = None
        self._open: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            self._open = a
            self.scripts.append((a, ""))
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy":
            self.meta_policy = a.get("content")

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._open = None


def _scripts(page: str) -> _Scripts:
    parser = _Scripts()
    parser.feed(page)
    return parser


# -- the hostile store, a live server, a browser -----------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_store_dir(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data plus one source full of payloads, through the real ingest (it passes SHACL)."""
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(bundled_store_dir, root / "store")
    source = root / "hostile.ttl"
    source.write_text(HOSTILE_TTL, encoding="utf-8")
    with Store(root / "store") as store:
        report = ingest(store, [source])
    assert report.outcomes[0].status == "new"
    return root / "store"


@pytest.fixture(scope="module")
def server(hostile_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("home"), store=hostile_store_dir) as s:
        yield s


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


class Visit:
    """A page with what it must not do recorded: dialogs, errors, requests leaving the server."""

    def __init__(self, browser: Browser, origin: str) -> None:
        self.page: Page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.errors = watch_errors(self.page)
        self.dialogs: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

        def only_ours(route) -> None:  # noqa: ANN001 - playwright's Route
            url = route.request.url
            if url.startswith(origin) or url.startswith("data:"):
                route.continue_()
            else:
                self.errors.append(f"request outside the server: {url}")
                route.abort()

        self.page.route("**/*", only_ours)

    def assert_nothing_ran(self) -> None:
        page = self.page
        assert page.evaluate("window.__pwned") is None
        assert page.title() != "pwned"
        assert self.dialogs == []
        assert self.errors == []
        bad = page.eval_on_selector_all("a[href]", "as => as.filter(a => !['http:', 'https:'].includes(a.protocol))"
                                                    ".map(a => a.getAttribute('href'))")
        assert bad == []


def _injection_blocked(page: Page) -> dict[str, object]:
    """Put an inline script and an inline event handler into the live page, as a missed escape would."""
    return page.evaluate("""async () => {
        const seen = [];
        document.addEventListener("securitypolicyviolation", (e) => seen.push(e.effectiveDirective));
        const s = document.createElement("script");
        s.textContent = "window.__injected = 1";
        document.body.appendChild(s);
        const d = document.createElement("div");
        d.innerHTML = '<img src="data:," onerror="window.__handler = 1">';
        document.body.appendChild(d);
        await new Promise((r) => setTimeout(r, 300));
        return {script: window.__injected === 1, handler: window.__handler === 1, seen: seen};
    }""")


def _assert_blocked(result: dict[str, object]) -> None:
    assert result["script"] is False and result["handler"] is False
    seen = result["seen"]
    assert isinstance(seen, list) and any(str(d).startswith("script-src") for d in seen)


# -- pages in Chromium -------------------------------------------------------------------------------------------

def test_injection_probe_works_without_a_policy(browser: Browser) -> None:
    """The control: on a page without a policy the same injection runs, so the probe can fail."""
    page = browser.new_page()
    page.set_content("<!doctype html><html><body><p>no policy</p></body></html>")
    result = _injection_blocked(page)
    assert result["script"] is True and result["handler"] is True
    page.close()


def test_region_viz_runs_no_data(browser: Browser, server: LiveServer) -> None:
    v = Visit(browser, server.url)
    page = v.page
    page.goto(f"{server.url}/viz?region=paijat-hame")
    page.wait_for_function("window.__vizReady === true", timeout=30000)
    ids = page.evaluate("window.viz.nodes.get().map(n => n.id)")
    assert {NETWORK, TEMPLATE_NETWORK, ACTOR, JS_NODE, THEME} <= set(ids)
    # every node's details, each checked for links that are not http(s)
    bad = page.evaluate("""() => { const bad = [];
        for (const n of window.viz.nodes.get()) { window.viz.showDetails(n.id);
          for (const a of document.querySelectorAll('#details a[href]'))
            if (!['http:', 'https:'].includes(a.protocol)) bad.push(a.getAttribute('href')); }
        return bad; }""")
    assert bad == []
    for iri, label in ((NETWORK, SCRIPT), (ACTOR, SVG), (TEMPLATE_NETWORK, TEMPLATE), (THEME, THEME_FI)):
        page.evaluate("id => window.viz.showDetails(id)", iri)
        assert page.inner_text("#details h2") == label  # shown, as text
    page.evaluate("id => window.viz.showDetails(id)", NETWORK)
    members = page.inner_text("#details")
    assert SVG in members and "Javascript-toimija" in members
    page.evaluate("id => window.viz.showDetails(id)", JS_NODE)
    assert page.locator("#details a").count() == 0
    page.get_by_text(JS_NODE, exact=True).click()  # plain text: clicking it opens nothing
    page.wait_for_timeout(300)
    assert page.url == f"{server.url}/viz?region=paijat-hame"
    page.fill("#search", "svg onload")  # search and focus a hostile label
    page.press("#search", "Enter")
    assert page.inner_text("#details h2") == SVG
    v.assert_nothing_ran()
    _assert_blocked(_injection_blocked(page))
    page.close()


def test_national_viz_runs_no_data(browser: Browser, server: LiveServer) -> None:
    v = Visit(browser, server.url)
    page = v.page
    page.goto(f"{server.url}/viz")
    page.wait_for_function("window.__vizReady === true", timeout=30000)
    page.evaluate("id => window.viz.showDetails(id)", THEME)
    assert page.inner_text("#details h2") == THEME_FI
    page.select_option("#theme-filter", THEME_FI)  # the label as an <option> value, escaped by Jinja
    assert page.evaluate("window.viz.state.theme") == THEME_FI
    v.assert_nothing_ran()
    _assert_blocked(_injection_blocked(page))
    page.close()


def test_report_runs_no_data(browser: Browser, server: LiveServer) -> None:
    v = Visit(browser, server.url)
    page = v.page
    page.goto(f"{server.url}/report/paijat-hame?lang=fi")  # the Finnish labels carry the payloads
    body = page.inner_text("body")
    assert THEME_FI in body and SOURCE_TITLE in body
    assert page.locator("svg text", has_text="onerror").count() >= 1  # the bar chart's label, as SVG text
    v.assert_nothing_ran()
    _assert_blocked(_injection_blocked(page))
    page.close()


def test_entity_pages_link_only_http(browser: Browser, server: LiveServer) -> None:
    v = Visit(browser, server.url)
    page = v.page
    page.goto(f"{server.url}/id/network/paijat-hame/xss-verkosto?lang=fi")  # the Finnish label is the h1
    assert page.inner_text("h1") == SCRIPT
    body = page.inner_text("body")
    for text in (IMG, SVG, JS_LINK, JS_MIXED, DATA_LINK, "Javascript-toimija"):
        assert text in body
    member = page.locator(f'[title="{JS_NODE}"]')  # a member shown by its label, its javascript: IRI not a link
    assert member.evaluate("e => e.tagName") == "SPAN" and member.inner_text() == "Javascript-toimija"
    member.click()
    for text in (JS_LINK, JS_MIXED, DATA_LINK):
        page.get_by_text(text, exact=True).click()  # shown as text: clicking runs and opens nothing
    page.wait_for_timeout(300)
    assert page.url == f"{server.url}/id/network/paijat-hame/xss-verkosto?lang=fi"
    assert page.locator("a", has_text="Lahti").count() >= 1  # links to our own pages still work
    v.assert_nothing_ran()
    page.goto(f"{server.url}/id/org/paijat-hame/xss-actor?lang=fi")
    assert page.inner_text("h1") == SVG
    page.get_by_text(JS_HOMEPAGE, exact=True).click()
    page.wait_for_timeout(300)
    v.assert_nothing_ran()
    _assert_blocked(_injection_blocked(page))
    page.close()


def test_query_page_results_link_only_http(browser: Browser, server: LiveServer) -> None:
    query = f"""PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT ?x ?l WHERE {{
  {{ <{NETWORK}> skos:prefLabel ?l }} UNION {{ <{NETWORK}> rdfs:seeAlso ?x }} UNION {{ <{NETWORK}> org:hasMember ?x }}
  UNION {{ <{ACTOR}> foaf:homepage ?x }} UNION {{ <{TEMPLATE_NETWORK}> skos:prefLabel ?l }}
  UNION {{ <{ACTOR}> skos:prefLabel ?l }}
}}"""
    v = Visit(browser, server.url)
    page = v.page
    page.goto(f"{server.url}/?query={quote(query)}")
    page.click("#run")
    page.wait_for_selector("#result table", timeout=30000)
    # the workbench's table shows literals as "text"@lang and full IRIs as <iri>: compare inside the marks
    cells = page.eval_on_selector_all("#result td", "tds => tds.map(td => td.textContent.replace(/^[\"<]/, ''))")
    for text in (SCRIPT, IMG, SVG, TEMPLATE, JS_LINK, JS_MIXED, DATA_LINK, JS_HOMEPAGE, JS_NODE):
        assert any(c.startswith(text) for c in cells), text
    assert page.locator('#result a[href="/id/municipality/398"]').count() == 1  # prefixed, to our own page
    page.get_by_text(JS_LINK, exact=True).click()
    page.wait_for_timeout(300)
    v.assert_nothing_ran()
    _assert_blocked(_injection_blocked(page))
    page.close()


def test_docs_work_offline_under_the_policy(browser: Browser, server: LiveServer) -> None:
    v = Visit(browser, server.url)
    page = v.page
    page.goto(f"{server.url}/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=30000)
    assert "yhdyspinta" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-summary-path", timeout=30000)
    assert "/api/regions" in page.inner_text(".swagger-ui")
    v.assert_nothing_ran()
    _assert_blocked(_injection_blocked(page))
    page.close()


def test_js_rules_match_python(browser: Browser, server: LiveServer) -> None:
    """The pages' safeHref and esc give what api/render/csp.py gives, over the same adversarial strings."""
    urls = BAD_URLS + GOOD_URLS
    expected = [safe_href(u) for u in urls]
    page = browser.new_page()
    page.goto(f"{server.url}/viz?region=paijat-hame")
    page.wait_for_function("window.__vizReady === true", timeout=30000)
    assert page.evaluate("us => us.map(u => window.viz.safeHref(u))", urls) == expected
    assert page.evaluate("ts => ts.map(t => window.viz.esc(t))", PAYLOADS) == [esc(t) for t in PAYLOADS]
    page.goto(f"{server.url}/")
    assert page.evaluate("us => us.map(u => safeHref(u))", urls) == expected
    page.close()


# -- headers, and the files the CLI writes -----------------------------------------------------------------------

HTML_PAGES = ["/", "/viz", "/viz?region=paijat-hame", "/report/paijat-hame", "/id/network/paijat-hame/xss-verkosto",
              "/docs"]


@pytest.mark.parametrize("path", HTML_PAGES)
def test_every_html_page_has_the_headers(server: LiveServer, path: str) -> None:
    r = httpx.get(f"{server.url}{path}", headers={"Accept": "text/html"}, timeout=60)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    d = _directives(r.headers["content-security-policy"])
    assert "'unsafe-inline'" not in d["script-src"] and "'unsafe-eval'" not in d["script-src"]
    assert not any(s.startswith(("http", "*", "data:")) or s == "https:" for s in d["script-src"])
    assert d["object-src"] == ["'none'"] and d["base-uri"] == ["'none'"] and d["frame-ancestors"] == ["'none'"]
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["referrer-policy"] == "no-referrer"
    scripts = _scripts(r.text)
    allowed = set(d["script-src"])
    for attrs, text in scripts.scripts:  # every inline script that runs is one the policy names
        if "src" not in attrs and attrs.get("type") != "application/json":
            assert script_hash(text) in allowed
    # script files from our origin: Swagger UI's bundle on /docs, the vendored YASGUI on the query page
    assert "'self'" not in allowed or path in ("/docs", "/")


def test_sparql_page_and_api_headers(server: LiveServer) -> None:
    page = httpx.get(f"{server.url}/sparql", headers={"Accept": "text/html"}, timeout=60)
    assert page.headers["content-type"].startswith("text/html") and "content-security-policy" in page.headers
    api = httpx.get(f"{server.url}/api/viz", params={"region": "paijat-hame"}, timeout=60)
    assert api.headers["content-security-policy"] == csp.NON_HTML_POLICY
    assert api.headers["x-content-type-options"] == "nosniff"
    js = httpx.get(f"{server.url}{csp.DOCS_ASSETS}/swagger-ui-bundle.js", timeout=60)
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert httpx.get(f"{server.url}/openapi.json", timeout=60).json()["paths"]
    assert "/docs" not in httpx.get(f"{server.url}/openapi.json", timeout=60).json()["paths"]


def _open_file(browser: Browser, path: Path) -> tuple[Page, list[str], list[str]]:
    page = browser.new_page()
    errors = watch_errors(page)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    return page, errors, dialogs


def test_cli_files_carry_their_policy(browser: Browser, hostile_store_dir: Path, tmp_path: Path) -> None:
    """`viz -o` and `report -o` files: the policy in a <meta>, data inert, nothing runs from file://."""
    store_copy = tmp_path / "store"
    shutil.copytree(hostile_store_dir, store_copy)
    with Store(store_copy) as store:
        backend = EmbeddedBackend(store)
        region = resolve_region(backend, "paijat-hame")
        viz = render_viz(region_view(backend, region))
        national = render_viz(national_view(backend))
        report = render_report(situational_picture(backend, region))
    for page_html in (viz, national):
        parsed = _scripts(page_html)
        assert parsed.meta_policy is not None
        allowed = set(_directives(parsed.meta_policy)["script-src"])
        assert allowed == {script_hash(s) for s in page_scripts()}
        running = [t for a, t in parsed.scripts if a.get("type") != "application/json"]
        assert len(running) == 2 and {script_hash(t) for t in running} == allowed
        data = [t for a, t in parsed.scripts if a.get("type") == "application/json"]
        assert len(data) == 1 and "<" not in data[0]
        assert page_html.index("Content-Security-Policy") < page_html.index("<script")
    nodes = next(json.loads(t) for a, t in _scripts(viz).scripts if a.get("type") == "application/json")["nodes"]
    assert {SCRIPT, SVG, TEMPLATE, THEME_FI} <= {n["fullLabel"] for n in nodes}  # the data is intact
    rep = _scripts(report)
    assert rep.scripts == [] and rep.meta_policy is not None
    assert _directives(rep.meta_policy)["script-src"] == ["'none'"]

    for name, page_html in (("viz.html", viz), ("report.html", report)):
        path = tmp_path / name
        path.write_text(page_html, encoding="utf-8")
        page, errors, dialogs = _open_file(browser, path)
        if name == "viz.html":
            page.wait_for_function("window.__vizReady === true", timeout=30000)
            page.evaluate("id => window.viz.showDetails(id)", NETWORK)
            assert page.inner_text("#details h2") == SCRIPT
        assert page.evaluate("window.__pwned") is None and page.title() != "pwned"
        assert dialogs == [] and errors == []
        _assert_blocked(_injection_blocked(page))
        page.close()
