"""The network view, the report, time and history over HTTP; the served /viz in real Chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from browser import ARTIFACTS, chromium, painted_pixels, watch_errors
from http_live import live_server, served_copy


@pytest.fixture(scope="module")
def client(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    with served_copy(bundled_store_dir, tmp_path_factory.mktemp("http-pages"), query_workers=1) as c:
        yield c


def test_viz_page_and_json(client: httpx.Client) -> None:
    page = client.get("/viz", params={"region": "paijat-hame"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert 'data-region="paijat-hame"' in page.text and "<script src" not in page.text
    data = client.get("/api/viz", params={"region": "paijat-hame"}).json()
    assert data["region"] == "paijat-hame" and not data["aggregated"]
    assert sum(1 for n in data["nodes"] if n["gap"]) == 2
    assert all(isinstance(n["x"], float) for n in data["nodes"])
    national = client.get("/api/viz").json()
    assert national["aggregated"] and {n["type"] for n in national["nodes"]} == {"region", "theme"}
    assert client.get("/viz", params={"region": "nowhere"}).status_code == 404


def test_report_page(client: httpx.Client) -> None:
    r = client.get("/report/keski-pohjanmaa")
    assert r.status_code == 200
    assert "Yhdyspintojen tilannekuva: Keski-Pohjanmaa" in r.text and "<svg" in r.text and "<script" not in r.text


def test_calendar_changes_history_and_as_of(client: httpx.Client) -> None:
    cal = client.get("/api/regions/etela-karjala/calendar", params={"today": "2024-10-01"}).json()
    assert [t["key"] for t in cal["terms"]] == ["kunta:2021-2025", "hyvinvointialue:2022-2025"]
    statuses = {i["status"] for i in cal["items"]}
    # the yearly negotiations the source states as standing practice count as held: nothing is overdue
    assert {"held", "due", "upcoming"} <= statuses and "overdue" not in statuses
    other = client.get("/api/regions/paijat-hame/calendar", params={"today": "2024-10-01"}).json()
    assert "overdue" in {i["status"] for i in other["items"]}  # nothing on record there
    changes = client.get("/api/regions/paijat-hame/changes", params={"from": "2016-01-01", "to": "2024-01-01"})
    assert changes.status_code == 200 and "changes" in changes.json()
    history = client.get("/api/history").json()
    assert len(history) >= 20 and {"at", "graph", "added", "removed"} <= set(history[0])
    now = client.get("/api/regions/paijat-hame/gaps", params={"as_of": "2024-01-01"})
    assert now.status_code == 200
    bad = client.get("/api/regions/paijat-hame/gaps", params={"as_of": "not-a-date"})
    assert bad.status_code == 422


def test_served_viz_in_chromium(bundled_store_dir: Path, tmp_path: Path) -> None:
    """From the national overview to a region, and a filter, on a live server."""
    with live_server(tmp_path / "home", store=bundled_store_dir) as server, chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        errors = watch_errors(page)
        page.goto(f"{server.url}/viz")
        page.wait_for_function("window.__vizReady === true", timeout=30000)
        assert painted_pixels(page) > 1000
        page.select_option("#region-filter", "paijat-hame")
        page.wait_for_url("**/viz?region=paijat-hame", timeout=30000)
        page.wait_for_function("window.__vizReady === true", timeout=30000)
        total = page.evaluate("window.viz.visibleIds().size")
        page.select_option("#level-filter", "asiantuntijat")
        assert 0 < page.evaluate("window.viz.visibleIds().size") < total
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "served-viz.png"))
        assert errors == []


def test_report_in_three_languages(client: httpx.Client) -> None:
    """The language from ?lang= or Accept-Language; numbers in the locale's form; one chart per theme scheme."""
    fi = client.get("/report/paijat-hame")
    assert fi.headers["content-language"] == "fi" and '<html lang="fi">' in fi.text
    sv = client.get("/report/paijat-hame", headers={"Accept-Language": "sv-FI,sv;q=0.9,en;q=0.5"})
    en = client.get("/report/paijat-hame", params={"lang": "en"}, headers={"Accept-Language": "sv"})
    assert '<html lang="sv">' in sv.text and "Luckor i täckningen" in sv.text
    assert '<html lang="en">' in en.text and "Coverage gaps" in en.text
    # Lahti's population as each locale writes it (a no-break space groups digits in fi and sv)
    assert "<td class=\"n\">120\u00a0175</td>" in fi.text and "<td class=\"n\">120,175</td>" in en.text
    assert "120175" not in fi.text and "120175" not in en.text
    # the coverage chart: one figure per theme scheme, each under its own heading
    schemes = re.findall(r"<h3>([^<]+)</h3>\s*<figure>", fi.text)
    assert len(schemes) >= 2 and len(set(schemes)) == len(schemes)
    # a gap is said in words, not by colour alone
    assert fi.text.count('<span class="tag">aukko</span>') >= 1 and "lucka" in sv.text
    assert "@media print" in fi.text and "table-header-group" in fi.text
    # links to the same report in the other languages
    assert 'href="/report/paijat-hame?lang=sv" hreflang="sv"' in fi.text


def test_entity_page_languages(client: httpx.Client) -> None:
    page = client.get("/id/municipality/398", params={"lang": "sv"}, headers={"Accept": "text/html"})
    assert page.status_code == 200 and '<html lang="sv">' in page.text and "Uppgifter" in page.text
    assert page.headers["content-language"] == "sv"
    default = client.get("/id/municipality/398", headers={"Accept": "text/html"})
    assert '<html lang="fi">' in default.text and "Tiedot" in default.text
    # the Swedish page shows the Swedish name where the graph has one
    assert "<h1>Lahtis</h1>" in page.text or '<h1 lang="fi">Lahti</h1>' in page.text
