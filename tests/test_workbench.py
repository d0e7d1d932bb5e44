"""The SPARQL workbench (YASGUI, vendored) as a partner uses it: offline, in real Chromium, on a live server.

A partner opens the query page, picks an example, runs it, sorts and pages the table,
follows a prefixed IRI to our entity page and downloads the answer as CSV and JSON; a
syntax error names its line and column. Every request the page makes stays on the server:
anything else is aborted and counted.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pytest
from browser import ARTIFACTS, chromium, watch_errors
from http_live import LiveServer, live_server
from playwright.sync_api import Browser, Page, Route

from yhdyspinta.api.render.html import asset_url

LAHTI = "https://w3id.org/yhdyspinta/id/municipality/398"


@pytest.fixture(scope="module")
def server(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("workbench") / "home", store=bundled_store_dir) as s:
        yield s


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


class Offline:
    """A page whose every request off the server is aborted and recorded."""

    def __init__(self, browser: Browser, server: LiveServer, **context: object) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True,
                                           **context)  # type: ignore[arg-type]
        self.outside: list[str] = []
        origin = urlsplit(server.url).netloc
        self.context.route("**/*", self._route(origin))
        self.page = self.context.new_page()
        self.errors = watch_errors(self.page)

    def _route(self, origin: str):  # type: ignore[no-untyped-def]
        def handle(route: Route) -> None:
            url = urlsplit(route.request.url)
            if url.scheme in ("http", "https") and url.netloc != origin:
                self.outside.append(route.request.url)
                route.abort()
            else:
                route.continue_()
        return handle

    def close(self) -> None:
        self.context.close()


def _ready(page: Page) -> None:
    page.wait_for_function("() => !!(window.workbench && window.workbench.yasqe)", timeout=30000)


def _run(page: Page) -> None:
    page.click("#run")
    page.wait_for_function("() => /\\d/.test(document.querySelector('#status').textContent)", timeout=30000)


def test_partner_writes_runs_and_downloads(browser: Browser, server: LiveServer, tmp_path: Path) -> None:
    v = Offline(browser, server, locale="en-GB")
    page = v.page
    page.goto(f"{server.url}/?lang=en")
    _ready(page)
    assert page.get_attribute("html", "lang") == "en"
    # highlighting and line numbers come from the editor, not a textarea
    assert page.locator(".yasqe .CodeMirror-linenumber").count() > 3
    assert page.locator(".yasqe .cm-keyword").count() > 0
    # the partner types a query of their own (prefixes known to the server, undeclared)
    page.evaluate("""() => window.workbench.yasqe.setValue(
        'SELECT ?m ?name WHERE { ?m a yhd:Municipality ; skos:prefLabel ?name FILTER(lang(?name) = \"fi\") }')""")
    _run(page)
    status = page.inner_text("#status")
    rows = int(status.split()[0].replace(",", ""))
    assert rows > 100  # every Finnish municipality on record
    # paged: one page of the table shows fewer rows than the answer has
    shown = page.locator("#result table.dataTable tbody tr").count()
    assert 0 < shown < rows
    # sortable: ordering by name descending puts a later name first
    header = page.locator("#result table.dataTable thead th", has_text="name")
    first = "() => document.querySelector('#result table.dataTable tbody tr').textContent"
    orders = []
    for _ in range(2):
        before = page.evaluate(first)
        header.click()
        page.wait_for_function(f"(before) => ({first})() !== before", arg=before, timeout=10000)
        orders.append(header.get_attribute("aria-sort"))
    assert set(orders) == {"ascending", "descending"}
    # IRIs shown prefixed, linked to our own entity page
    lahti = page.locator('#result a[href="/id/municipality/398"]')
    page.locator("#result input.tableFilter").press_sequentially("Lahti")  # the table's own filter
    lahti.first.wait_for(timeout=10000)
    assert lahti.first.inner_text() == "id:municipality/398" and lahti.first.get_attribute("title") == LAHTI
    # downloads: CSV and JSON of the same answer
    with page.expect_download() as d:
        page.click("#download-csv")
    table = list(csv.reader(io.StringIO(Path(d.value.path()).read_text(encoding="utf-8"))))
    assert table[0] == ["m", "name"] and len(table) == rows + 1
    with page.expect_download() as d:
        page.click("#download-json")
    data = json.loads(Path(d.value.path()).read_text(encoding="utf-8"))
    assert data["head"]["vars"] == ["m", "name"] and len(data["results"]["bindings"]) == rows
    # follow the link: the entity page opens, in the same tab
    lahti.first.click()
    page.wait_for_url(f"{server.url}/id/municipality/398", timeout=30000)
    assert "Lahti" in page.inner_text("h1")
    ARTIFACTS.mkdir(exist_ok=True)
    assert v.outside == [] and v.errors == []
    v.close()


def test_examples_run_in_the_page(browser: Browser, server: LiveServer) -> None:
    v = Offline(browser, server)
    page = v.page
    page.goto(f"{server.url}/?lang=fi")
    _ready(page)
    buttons = page.locator("#examples button")
    assert buttons.count() >= 6 and buttons.first.inner_text() == "Aukot alueella"
    buttons.nth(2).click()
    assert buttons.nth(2).get_attribute("aria-pressed") == "true"
    query = page.evaluate("window.workbench.yasqe.getValue()")
    assert query.startswith("PREFIX ") and "PREFIX yhd: <https://w3id.org/yhdyspinta/ontology#>" in query
    _run(page)
    assert page.locator("#result table.dataTable tbody tr").count() > 0
    assert "riviä" in page.inner_text("#status")
    page.screenshot(path=str(ARTIFACTS / "workbench.png"))
    assert v.outside == [] and v.errors == []
    v.close()


def test_syntax_error_names_line_and_column(browser: Browser, server: LiveServer) -> None:
    v = Offline(browser, server)
    page = v.page
    bad = "SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(?s = }"
    said = httpx.post(f"{server.url}/sparql", data={"query": bad})
    assert said.status_code == 400
    line, column = re.search(r"error at (\d+):(\d+)", said.text).groups()  # type: ignore[union-attr]
    assert line == "3"
    page.goto(f"{server.url}/?lang=en&query={quote(bad)}")
    _ready(page)
    page.click("#run")
    page.wait_for_selector("#error:not([hidden])", timeout=30000)
    assert page.inner_text("#error strong") == f"Syntax error on line 3, column {column}"
    assert page.locator(".CodeMirror .error-line").count() == 1  # the line is marked in the editor
    assert page.evaluate("window.workbench.yasqe.getCursor().line") == 2
    page.goto(f"{server.url}/?lang=sv&query={quote(bad)}")
    _ready(page)
    page.click("#run")
    page.wait_for_selector("#error:not([hidden])", timeout=30000)
    assert page.inner_text("#error strong") == f"Syntaxfel på rad 3, kolumn {column}"
    # the layout holds: the error box is no wider than the page
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert v.outside == []
    v.close()


def test_vendored_assets_cached_and_licensed(server: LiveServer) -> None:
    url = asset_url("yasgui/yasgui.min.js")
    r = httpx.get(server.url + url)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    assert "immutable" in r.headers["cache-control"] and len(r.content) > 500_000
    stale = httpx.get(server.url + "/static/yasgui/yasgui.min.js?v=old")
    assert stale.status_code == 200 and "immutable" not in stale.headers["cache-control"]
    assert "MIT" in httpx.get(server.url + "/static/yasgui/LICENSE").text
    for path in ("/static/../html.py", "/static/yasgui/../../html.py", "/static/%2e%2e/html.py", "/static/nothing"):
        assert httpx.get(server.url + path).status_code == 404, path
    page = httpx.get(server.url + "/", headers={"Accept-Language": "sv-FI,sv;q=0.9"})
    assert page.headers["content-language"] == "sv" and '<html lang="sv">' in page.text
    policy = page.headers["content-security-policy"]
    assert "'unsafe-eval'" not in policy and "script-src 'self' 'sha256-" in policy
    # the policy that allows our own script files is the query page's alone
    entity = httpx.get(server.url + "/id/municipality/398", headers={"Accept": "text/html"})
    assert "'self'" not in entity.headers["content-security-policy"].split("script-src")[1].split(";")[0]
