"""WCAG 2.1 A and AA on the pages people use, in all three languages, checked by axe-core in real Chromium.

The Act on the Provision of Digital Services (306/2019) requires WCAG 2.1 AA of
public-sector services. axe-core (vendored, tests/vendor/axe-core) finds what a machine
can; the keyboard tests walk the pages with Tab as a person without a mouse would and
check that every stop is visible. The network view and the national view have their own
tests (tests/test_viz_browser.py, tests/test_national.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import axe_report, chromium, run_axe, watch_errors
from http_live import LiveServer, live_server
from playwright.sync_api import Browser, Page

LANGS = ["fi", "sv", "en"]
ENTITY = "/id/municipality/398"


@pytest.fixture(scope="module")
def server(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("a11y") / "home", store=bundled_store_dir) as s:
        yield s


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


def _open(browser: Browser, url: str, lang: str) -> Page:
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale={"fi": "fi-FI", "sv": "sv-FI",
                                                                           "en": "en-GB"}[lang])
    page.goto(url)
    return page


def _workbench_with_results(page: Page) -> None:
    page.wait_for_function("() => !!(window.workbench && window.workbench.yasqe)", timeout=30000)
    page.click("#run")
    page.wait_for_selector("#result table.dataTable tbody tr", timeout=30000)


@pytest.mark.parametrize("lang", LANGS)
def test_report_has_no_violations(browser: Browser, server: LiveServer, lang: str) -> None:
    page = _open(browser, f"{server.url}/report/paijat-hame?lang={lang}", lang)
    assert page.get_attribute("html", "lang") == lang
    violations = run_axe(page)
    assert violations == [], axe_report(violations)
    page.close()


@pytest.mark.parametrize("lang", LANGS)
def test_query_page_has_no_violations(browser: Browser, server: LiveServer, lang: str) -> None:
    """The workbench with an answer on screen: editor, examples, the results table and its controls."""
    page = _open(browser, f"{server.url}/?lang={lang}", lang)
    errors = watch_errors(page)
    _workbench_with_results(page)
    assert page.get_attribute("html", "lang") == lang
    violations = run_axe(page)
    assert violations == [], axe_report(violations)
    assert errors == []
    page.close()


@pytest.mark.parametrize("lang", LANGS)
def test_entity_page_has_no_violations(browser: Browser, server: LiveServer, lang: str) -> None:
    page = _open(browser, f"{server.url}{ENTITY}?lang={lang}", lang)
    assert page.get_attribute("html", "lang") == lang
    violations = run_axe(page)
    assert violations == [], axe_report(violations)
    page.close()


@pytest.mark.parametrize("lang", LANGS)
def test_docs_have_no_violations(browser: Browser, server: LiveServer, lang: str) -> None:
    """Swagger UI (English only: it has no translations) with an operation opened."""
    page = _open(browser, f"{server.url}/docs", lang)
    page.wait_for_selector(".opblock-summary-path", timeout=30000)
    page.locator(".opblock-summary").first.click()
    page.wait_for_selector(".opblock-body", timeout=30000)
    violations = run_axe(page)
    assert violations == [], axe_report(violations)
    page.close()


_FOCUS_VISIBLE = """() => { const e = document.activeElement; if (!e || e === document.body) return null;
  const s = getComputedStyle(e), r = e.getBoundingClientRect();
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1) || s.boxShadow !== 'none';
  return {tag: e.tagName, text: (e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 40),
          ring: ring, shown: r.width > 0 && r.height > 0}; }"""


def _tab_walk(page: Page, stops: int) -> list[dict]:
    seen = []
    for _ in range(stops):
        page.keyboard.press("Tab")
        found = page.evaluate(_FOCUS_VISIBLE)
        if found is not None:
            seen.append(found)
    return seen


def test_query_page_by_keyboard(browser: Browser, server: LiveServer) -> None:
    """Tab reaches the examples, the editor (and leaves it: no trap), Run, the downloads; every stop shows focus."""
    page = _open(browser, f"{server.url}/?lang=en", "en")
    _workbench_with_results(page)
    page.focus("body")
    seen = _tab_walk(page, 40)
    texts = [s["text"] for s in seen]
    for wanted in ("Skip to content", "Gaps in a region", "Run", "Download CSV", "Download JSON"):
        assert any(t.startswith(wanted) for t in texts), (wanted, texts)
    assert any(s["tag"] == "TEXTAREA" for s in seen)  # the editor's input
    after = [s["tag"] for s in seen][[s["tag"] for s in seen].index("TEXTAREA") + 1]
    assert after != "TEXTAREA"  # Tab left the editor
    hidden = [s for s in seen if not (s["ring"] and s["shown"])]
    assert hidden == [], hidden
    # Enter on a focused example loads it; Ctrl+Enter in the editor runs it
    page.get_by_role("button", name="Compare regions").focus()
    page.keyboard.press("Enter")
    assert "forums" in page.evaluate("window.workbench.yasqe.getValue()")
    page.evaluate("window.workbench.yasqe.focus()")
    page.keyboard.press("Control+Enter")
    page.wait_for_function("() => /\\d/.test(document.querySelector('#status').textContent)", timeout=30000)
    page.close()


def test_report_and_entity_by_keyboard(browser: Browser, server: LiveServer) -> None:
    for path in ("/report/paijat-hame?lang=sv", f"{ENTITY}?lang=sv"):
        page = _open(browser, server.url + path, "sv")
        seen = _tab_walk(page, 12)
        assert seen and all(s["ring"] and s["shown"] for s in seen), (path, seen)
        page.close()
