"""The network page in real headless Chromium: it loads without errors, draws,
filters, searches, shows details, highlights, and exports a PNG."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import ARTIFACTS, chromium, painted_pixels, watch_errors
from playwright.sync_api import Browser, Page

from yhdyspinta.api.render.viz import render_viz
from yhdyspinta.graph.analyses.viz import national_view, region_view
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend
from yhdyspinta.graph.regions import resolve_region
from yhdyspinta.graph.store.store import Store


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@pytest.fixture
def ph_page(bundled_store: Store, tmp_path: Path) -> Path:
    path = tmp_path / "paijat-hame.html"
    backend = EmbeddedBackend(bundled_store)
    path.write_text(render_viz(region_view(backend, resolve_region(backend, "paijat-hame"))), encoding="utf-8")
    return path


def _open(browser: Browser, path: Path) -> tuple[Page, list[str]]:
    page = browser.new_page(viewport={"width": 1500, "height": 900}, accept_downloads=True)
    errors = watch_errors(page)

    def offline(route):  # noqa: ANN001 - playwright's Route
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            errors.append(f"network request: {route.request.url}")
            route.abort()

    page.route("**/*", offline)
    page.goto(path.as_uri())
    page.wait_for_function("window.__vizReady === true", timeout=20000)
    return page, errors


def _visible(page: Page) -> int:
    return page.evaluate("window.viz.visibleIds().size")


def test_region_page_draws_filters_searches_and_details(browser: Browser, ph_page: Path) -> None:
    page, errors = _open(browser, ph_page)
    html = ph_page.read_text()
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:|//)', html)  # everything inline
    assert painted_pixels(page) > 5000
    total = _visible(page)
    assert total > 100

    page.select_option("#theme-filter", "Työllisyyden edistäminen")
    filtered = _visible(page)
    assert 0 < filtered < total
    page.uncheck("input.type-filter[value=actor]")
    assert _visible(page) < filtered
    page.check("input.type-filter[value=actor]")
    page.select_option("#theme-filter", "")
    assert _visible(page) == total

    page.fill("#search", "huumetyön")
    page.press("#search", "Enter")
    assert "Huumetyön verkosto" in page.inner_text("#details h2")
    assert page.evaluate("window.viz.network.getSelectedNodes().length") >= 1

    node = page.evaluate(
        "window.viz.nodes.get().find(n => n.fullLabel === 'Yhdyspintaneuvottelukunta').id"
    )
    page.evaluate(f"window.viz.network.focus('{node}', {{scale: 1.5, animation: false}})")
    pos = page.evaluate(f"window.viz.network.canvasToDOM(window.viz.network.getPositions(['{node}'])['{node}'])")
    box = page.locator("#mynetwork canvas").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    details = page.inner_text("#details")
    assert "Yhdyspintaneuvottelukunta" in details and "Naapurit" in details

    before = _visible(page)
    page.check("#toggle-gaps")
    assert _visible(page) == before + 2  # cultural wellbeing and knowledge-based management
    page.check("#toggle-bridges")
    red = page.evaluate("window.viz.nodes.get().filter(n => n.color && n.color.border === '#d62728').length")
    assert red == 2

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viz-paijat-hame-details.png"))
    page.evaluate("window.viz.network.fit({animation: false})")
    page.screenshot(path=str(ARTIFACTS / "viz-paijat-hame.png"))
    with page.expect_download() as download:
        page.click("#export-png")
    png = ARTIFACTS / "export-paijat-hame.png"
    download.value.save_as(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10000
    assert errors == []


def test_national_overview_is_aggregated(browser: Browser, bundled_store: Store, tmp_path: Path) -> None:
    view = national_view(EmbeddedBackend(bundled_store))
    assert len(view.nodes) == 23 + 5  # regions and national themes, never every node
    path = tmp_path / "fi.html"
    path.write_text(render_viz(view), encoding="utf-8")
    page, errors = _open(browser, path)
    assert painted_pixels(page) > 1000
    node = page.evaluate("window.viz.nodes.get().find(n => n.fullLabel === 'Päijät-Häme').id")
    page.evaluate(f"window.viz.network.focus('{node}', {{scale: 1.5, animation: false}})")
    pos = page.evaluate(f"window.viz.network.canvasToDOM(window.viz.network.getPositions(['{node}'])['{node}'])")
    box = page.locator("#mynetwork canvas").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    assert "yhdyspinta viz --region paijat-hame" in page.inner_text("#details")
    assert errors == []


def test_national_scale_view_opens_without_freezing(browser: Browser, tmp_path: Path, long_run: bool) -> None:
    """Synthetic structures in every region of Finland: the overview stays aggregated, a large
    region view is laid out on the server and draws at once, and the page answers."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from synthetic import generate

    from yhdyspinta.ingest import ingest
    from yhdyspinta.ingest.bundle import bundled_graph, bundled_paths

    per_region = 200 if long_run else 40
    generate(tmp_path / "synthetic", per_region=per_region, seed=3)
    store = Store(tmp_path / "store")
    ingest(store, bundled_paths(), naming=bundled_graph)
    ingest(store, [tmp_path / "synthetic"])
    backend = EmbeddedBackend(store)
    structures = len(backend.structures())
    assert structures > 20 * per_region
    overview = national_view(backend)
    assert len(overview.nodes) == 23 + 5
    big = max((r.slug for r in backend.regions()), key=lambda s: len(backend.structures(
        next(r.iri for r in backend.regions() if r.slug == s))))
    view = region_view(backend, resolve_region(backend, big))
    store.close()
    for name, v in (("overview", overview), ("region", view)):
        path = tmp_path / f"{name}.html"
        path.write_text(render_viz(v), encoding="utf-8")
        page, errors = _open(browser, path)
        assert painted_pixels(page) > 1000
        page.fill("#search", v.nodes[-1].label[:12])
        page.press("#search", "Enter")
        assert page.inner_text("#details h2")  # the page still answers
        assert errors == []
        page.close()
