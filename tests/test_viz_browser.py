"""The network page and the national matrix in real headless Chromium at 1400 x 900: what a person sees.

Labels: every label drawn at the first view is at least LEGIBLE_PX (12) screen pixels, none overlaps
another, and the gap themes, the forums' and themes' labels are among them; the graph uses the
canvas; gaps and bridges are on and every gap node lies inside the canvas, also after toggling; the
legend lists exactly the encodings the drawn nodes use; focus dims the rest; search suggests;
filters relayout; nothing is fetched from outside; axe-core finds no WCAG 2.1 A/AA violation on the
network page or the national page in Finnish, Swedish or English. Every gap and bridge of Päijät-Häme
has its label drawn at the first view, legible, inside the canvas (issue 14: read without zooming).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import ARTIFACTS, axe_report, chromium, painted_pixels, run_axe, watch_errors
from http_live import served_copy
from playwright.sync_api import Browser, Page

from yhdyspinta.api.render.viz import LEGIBLE_PX, render_viz
from yhdyspinta.graph.analyses.viz import national_view, region_view
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend
from yhdyspinta.graph.regions import resolve_region
from yhdyspinta.graph.store.store import Store

VIEWPORT = {"width": 1400, "height": 900}
DOCS_IMG = Path(__file__).resolve().parents[1] / "docs" / "img"


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


def _offline(page: Page, attempts: list[str]) -> None:
    """Every request that is not a file or loopback is aborted and recorded."""

    def route(r):  # noqa: ANN001 - playwright's Route
        url = r.request.url
        if url.startswith(("file:", "data:", "http://127.0.0.1", "http://localhost", "http://testserver")):
            r.continue_()
        else:
            attempts.append(url)
            r.abort()

    page.route("**/*", route)


def _open(browser: Browser, path: Path) -> tuple[Page, list[str], list[str]]:
    page = browser.new_page(viewport=VIEWPORT, accept_downloads=True)
    errors = watch_errors(page)
    attempts: list[str] = []
    _offline(page, attempts)
    page.goto(path.as_uri())
    page.wait_for_function("window.__vizReady === true", timeout=20000)
    page.wait_for_timeout(200)
    return page, errors, attempts


#: Each visible node's position from the server and where the page draws it.
LAID_OUT = """() => { const ids = Array.from(window.viz.visibleIds()), server = window.viz.serverPositions();
  const pos = window.viz.network.getPositions(ids);
  return ids.sort().map(id => [server[id][0], server[id][1], pos[id].x, pos[id].y]); }"""


def _misfit(rows: list[list[float]], axis: int) -> float:
    """How far the drawn coordinate ``axis`` is from the best straight line through the server's: the
    median distance from it over the drawn spread (0: the server's positions, stretched; the median, since
    the page nudges a few nodes whose labels would overlap)."""
    xs, ys = [r[axis] for r in rows], [r[axis + 2] for r in rows]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    residuals = sorted(abs(y - my - slope * (x - mx)) for x, y in zip(xs, ys, strict=True))
    return residuals[len(residuals) // 2] / ((max(ys) - min(ys)) or 1.0)


def _visible(page: Page) -> int:
    return page.evaluate("window.viz.visibleIds().size")


#: What the person sees of each visible node: its screen box, whether its label is drawn and how large.
SEEN = """() => {
  const net = window.viz.network, s = net.getScale(), ids = Array.from(window.viz.visibleIds());
  const pos = net.getPositions(ids), rect = document.querySelector('#mynetwork canvas').getBoundingClientRect();
  return ids.map(id => { const n = net.body.nodes[id], d = net.canvasToDOM(pos[id]);
    const px = n.labelModule.fontOptions.size * s;
    const drawn = !!n.options.label && px >= n.options.scaling.label.drawThreshold - 1;
    const item = window.viz.nodes.get(id);
    return {id, type: item.type, gap: item.gap, label: item.label, x: d.x, y: d.y, w: rect.width, h: rect.height,
            px, drawn, box: drawn && n.labelModule.size ? [n.labelModule.size.left * s, n.labelModule.size.top * s,
                                                          n.labelModule.size.width * s, n.labelModule.size.height * s]
                                                       : null}; });
}"""


def _overlaps(seen: list[dict]) -> list[tuple[str, str]]:
    boxes = []
    for n in seen:
        if n["drawn"] and n["box"]:
            left, top, width, height = n["box"]
            boxes.append((n["label"], left, top, left + width, top + height))
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a[1] < b[3] - 2 and b[1] < a[3] - 2 and a[2] < b[4] - 2 and b[2] < a[4] - 2:
                out.append((a[0], b[0]))
    return out


def test_region_view_reads_at_a_glance(browser: Browser, ph_page: Path) -> None:
    page, errors, attempts = _open(browser, ph_page)
    html = ph_page.read_text()
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:|//)', html)  # everything inline
    assert painted_pixels(page) > 5000

    seen = page.evaluate(SEEN)
    drawn = [n for n in seen if n["drawn"]]
    # every label drawn at the first view is legible, and there are enough to read the picture
    assert drawn and min(n["px"] for n in drawn) >= LEGIBLE_PX - 0.01
    assert len(drawn) >= 15
    assert _overlaps(page.evaluate(SEEN)) == []
    # the gap themes are on by default, inside the canvas, and labelled
    gaps = [n for n in seen if n["gap"]]
    assert {n["label"] for n in gaps} >= {"Kulttuurihyvinvointi [aukko]"}
    for n in gaps:
        assert 0 <= n["x"] <= n["w"] and 0 <= n["y"] <= n["h"], n
        assert n["drawn"], n["label"]
    # the drawing uses the canvas: nodes reach into each quarter of it
    xs, ys = [n["x"] for n in seen], [n["y"] for n in seen]
    w, h = seen[0]["w"], seen[0]["h"]
    assert max(xs) - min(xs) > 0.75 * w and max(ys) - min(ys) > 0.75 * h
    assert page.is_checked("#toggle-gaps") and page.is_checked("#toggle-bridges")
    bridges = page.evaluate("window.viz.nodes.get().filter(n => n.bridge && !n.hidden).map(n => n.borderWidth)")
    assert bridges and set(bridges) == {4}  # bridges marked by a thick border, not by colour alone
    dashed = page.evaluate("window.viz.nodes.get().filter(n => n.gap).map(n => n.shapeProperties.borderDashes)")
    assert dashed and all(d for d in dashed)  # gaps by a dashed border and the [aukko] label

    # the legend is the encodings the nodes use, no more, no less
    used = set(page.evaluate("[].concat(...window.viz.nodes.get().map(n => n.enc))"))
    used.discard("colour:gap")  # a gap node's white fill is described by its mark
    legend = set(page.eval_on_selector_all(".legend li[data-key]", "els => els.map(e => e.dataset.key)"))
    assert legend == used
    assert len([k for k in legend if k.startswith("colour:")]) >= 5

    ARTIFACTS.mkdir(exist_ok=True)
    DOCS_IMG.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS_IMG / "viz-paijat-hame.png"))

    # toggling gaps off and on: after the refit every gap node is inside the canvas
    page.uncheck("#toggle-gaps")
    without = _visible(page)
    page.check("#toggle-gaps")
    assert _visible(page) == without + len(gaps)
    for n in page.evaluate(SEEN):
        if n["gap"]:
            assert 0 <= n["x"] <= n["w"] and 0 <= n["y"] <= n["h"], n

    # a filter relayouts: the fewer nodes again span the canvas
    total = _visible(page)
    page.select_option("#theme-filter", "Työllisyyden edistäminen")
    filtered = page.evaluate(SEEN)
    assert 0 < len(filtered) < total
    fx = [n["x"] for n in filtered]
    assert max(fx) - min(fx) > 0.75 * w
    # ... with a layout of their own, not the whole graph's positions stretched (issue 14): no line maps
    # the server's x (or y) of the visible nodes onto where they are drawn
    laid = page.evaluate(LAID_OUT)
    assert _misfit(laid, 0) > 0.05 and _misfit(laid, 1) > 0.05
    page.select_option("#theme-filter", "")
    assert _visible(page) == total
    assert _misfit(page.evaluate(LAID_OUT), 0) < 0.01  # all shown: the server's layout, as it was
    page.select_option("#theme-filter", "Työllisyyden edistäminen")
    assert page.evaluate(LAID_OUT) == laid  # the same filter, the same picture
    page.select_option("#theme-filter", "")

    # search suggests (a datalist of the labels) and focuses a match
    assert page.locator("#search-list option[value='Huumetyön verkosto']").count() == 1
    page.fill("#search", "huumetyön")
    page.press("#search", "Enter")
    assert "Huumetyön verkosto" in page.inner_text("#details h2")
    # focus dims everything outside the neighbourhood
    focused = page.evaluate("""() => { const f = window.viz.state.focus, ns = window.viz.nodes.get();
        const hood = new Set([f, ...window.viz.network.getConnectedNodes(f)]);
        return {in: ns.filter(n => hood.has(n.id)).map(n => n.opacity), out: ns.filter(n => !hood.has(n.id)).map(n => n.opacity)}; }""")
    assert set(focused["in"]) == {1} and focused["out"] and max(focused["out"]) < 0.5
    page.keyboard.press("Escape")
    assert page.evaluate("window.viz.nodes.get().every(n => n.opacity === 1)")

    # size by another metric changes the nodes' sizes
    before = page.evaluate("window.viz.nodes.get().map(n => n.value)")
    page.select_option("#size-metric", "betweenness")
    assert page.evaluate("window.viz.nodes.get().map(n => n.value)") != before

    # the text alternative: the same visible nodes as a table
    page.click("#toggle-table")
    assert page.locator("#table-view tbody tr").count() == _visible(page)
    assert "Kulttuurihyvinvointi" in page.inner_text("#table-view")
    page.click("#table-view button")

    # the keyboard reaches the controls with a visible focus ring
    page.focus("#search")
    for _ in range(12):
        page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"

    # presentation mode: the side panels go, the canvas grows
    width = page.evaluate("document.querySelector('#mynetwork').clientWidth")
    page.click("#present")
    page.wait_for_timeout(200)
    assert page.evaluate("document.querySelector('#mynetwork').clientWidth") > width + 400
    page.keyboard.press("Escape")
    page.wait_for_timeout(200)

    with page.expect_download() as download:
        page.click("#export-png")
    png = ARTIFACTS / "export-paijat-hame.png"
    download.value.save_as(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10000
    assert errors == []
    assert attempts == []


#: Each gap and bridge node of the view with its label as vis-network draws it (screen box) and as the page keeps it.
MARKED = """() => {
  const net = window.viz.network, s = net.getScale(), kept = window.viz.labels();
  const rect = document.querySelector('#mynetwork canvas').getBoundingClientRect();
  const ids = Array.from(window.viz.visibleIds()).filter(id => { const n = window.viz.nodes.get(id); return n.gap || n.bridge; });
  return ids.map(id => { const n = net.body.nodes[id], b = n.labelModule.size, tl = net.canvasToDOM({x: b.left, y: b.top});
    const px = n.labelModule.fontOptions.size * s;
    return {id, label: window.viz.nodes.get(id).label, px, w: rect.width, h: rect.height, kept: kept[id] || null,
            drawn: !!n.options.label && px >= n.options.scaling.label.drawThreshold - 1,
            box: [tl.x, tl.y, tl.x + b.width * s, tl.y + b.height * s]}; });
}"""


def test_every_gap_and_bridge_label_is_legible_at_the_first_view(browser: Browser, ph_page: Path) -> None:
    """A facilitator projects Päijät-Häme and reads every gap and bridge without zooming: at the initial fit
    each one's label is drawn, at LEGIBLE_PX or more on screen, wholly inside the canvas, over no other label."""
    page, errors, attempts = _open(browser, ph_page)
    assert page.is_checked("#toggle-gaps") and page.is_checked("#toggle-bridges")
    marked = page.evaluate(MARKED)
    gaps = page.evaluate("window.viz.nodes.get().filter(n => n.gap).length")
    bridges = page.evaluate("window.viz.nodes.get().filter(n => n.bridge).length")
    assert gaps >= 2 and bridges >= 5 and len(marked) == gaps + bridges  # all of them are shown
    for n in marked:
        assert n["drawn"] and n["kept"] is not None, f"no label: {n['label']}"
        assert n["px"] >= LEGIBLE_PX - 0.01 and n["kept"]["px"] >= LEGIBLE_PX - 0.01, n
        left, top, right, bottom = n["box"]
        assert 0 <= left and right <= n["w"] and 0 <= top and bottom <= n["h"], n
        # the page's own account of the label holds what vis-network drew
        k = n["kept"]["box"]
        assert k[0] <= left + 1 and right <= k[2] + 1 and k[1] <= top + 1 and bottom <= k[3] + 1, n
    assert _overlaps(page.evaluate(SEEN)) == []
    # zooming out and fitting again brings the same labels back
    page.evaluate("window.viz.network.moveTo({scale: 0.3, animation: false})")
    page.click("#fit")
    again = page.evaluate(MARKED)
    assert {n["id"] for n in again if n["drawn"] and n["px"] >= LEGIBLE_PX - 0.01} == {n["id"] for n in marked}
    assert errors == [] and attempts == []


@pytest.fixture(scope="module")
def served_pages(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], str]:
    """The viz page of Päijät-Häme and the national page in each language, as the app serves them."""
    pages = {}
    with served_copy(bundled_store_dir, tmp_path_factory.mktemp("served") / "home") as client:
        for lang in ("fi", "sv", "en"):
            for name, url, params in (("viz", "/viz", {"region": "paijat-hame", "lang": lang}),
                                      ("national", "/national", {"lang": lang})):
                response = client.get(url, params=params)
                assert response.status_code == 200, (name, lang, response.text[:300])
                pages[name, lang] = response.text
    return pages


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("name", ["viz", "national"])
def test_pages_pass_axe_and_fetch_nothing(browser: Browser, served_pages: dict[tuple[str, str], str],
                                          tmp_path: Path, name: str, lang: str) -> None:
    """Served by the app (in process, the page fetched through its client), opened from file: offline;
    zero WCAG 2.1 A/AA violations in every language, with the page's lang attribute saying which."""
    path = tmp_path / f"{name}-{lang}.html"
    path.write_text(served_pages[name, lang], encoding="utf-8")
    page = browser.new_page(viewport=VIEWPORT)
    errors = watch_errors(page)
    attempts: list[str] = []
    _offline(page, attempts)
    page.goto(path.as_uri())
    if name == "viz":
        page.wait_for_function("window.__vizReady === true", timeout=20000)
    assert page.evaluate("document.documentElement.lang") == lang
    violations = run_axe(page)
    assert violations == [], axe_report(violations)
    if name == "national" and lang == "fi":
        page.screenshot(path=str(DOCS_IMG / "national.png"), full_page=False)
    assert attempts == [] and errors == []
    page.close()


def test_national_overview_is_aggregated(browser: Browser, bundled_store: Store, tmp_path: Path) -> None:
    view = national_view(EmbeddedBackend(bundled_store))
    assert len(view.nodes) == 23 + 5  # regions and national themes, never every node
    path = tmp_path / "fi.html"
    path.write_text(render_viz(view), encoding="utf-8")
    page, errors, attempts = _open(browser, path)
    assert painted_pixels(page) > 1000
    node = page.evaluate("window.viz.nodes.get().find(n => n.fullLabel === 'Päijät-Häme').id")
    page.evaluate(f"window.viz.network.focus('{node}', {{scale: 1.5, animation: false}})")
    pos = page.evaluate(f"window.viz.network.canvasToDOM(window.viz.network.getPositions(['{node}'])['{node}'])")
    box = page.locator("#mynetwork canvas").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    assert "yhdyspinta viz --region paijat-hame" in page.inner_text("#details")
    assert errors == [] and attempts == []


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
        page, errors, attempts = _open(browser, path)
        assert painted_pixels(page) > 1000
        seen = page.evaluate(SEEN)
        drawn = [n for n in seen if n["drawn"]]
        assert drawn and min(n["px"] for n in drawn) >= LEGIBLE_PX - 0.01
        page.fill("#search", v.nodes[-1].label[:12])
        page.press("#search", "Enter")
        assert page.inner_text("#details h2")  # the page still answers
        assert errors == [] and attempts == []
        page.close()
