"""Real headless Chromium (Debian's package) driven by Playwright, for page tests.

Playwright cannot download its own browser here; it drives /usr/bin/chromium.
The flags keep Chromium from reaching for the network it does not have.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("YHDYSPINTA_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).parent / "artifacts"


@contextmanager
def chromium() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install chromium (the CI script installs it)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def watch_errors(page: Page) -> list[str]:
    """Collect console errors and uncaught exceptions of a page."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def painted_pixels(page: Page) -> int:
    """How many pixels of the network canvas are drawn on."""
    return page.evaluate(
        """() => { const c = document.querySelector('#mynetwork canvas');
                   const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                   let k = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) k++; } return k; }"""
    )


#: axe-core, vendored (tests/vendor/axe-core/README.md): the accessibility tests need no network.
AXE_JS = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
#: The rule sets of WCAG 2.1 levels A and AA, which Act 306/2019 requires of public-sector services.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def run_axe(page: Page, *, tags: list[str] | None = None, exclude: list[str] | None = None) -> list[dict]:
    """axe-core's violations of WCAG 2.1 A/AA on the page as it is now (a list of axe's violation dicts).

    Injected through Playwright's evaluate, which the page's Content-Security-Policy does not
    govern, so pages are checked under their real policy. ``exclude`` takes CSS selectors of
    parts that are not ours to fix (say, a vendored widget's inner frame); say why where it is used.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    context = {"exclude": [[s] for s in exclude]} if exclude else None
    result = page.evaluate(
        """async ([context, tags]) => {
             const opts = {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']};
             const r = context ? await axe.run(context.exclude.length ? {include: [document], exclude: context.exclude}
                                                                      : document, opts)
                               : await axe.run(document, opts);
             return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                                            tags: v.tags,
                                            nodes: v.nodes.map(n => ({target: n.target, html: n.html,
                                                                      summary: n.failureSummary}))}));
           }""",
        [context, tags or WCAG_21_AA],
    )
    return list(result)


def axe_report(violations: list[dict]) -> str:
    """Violations as lines a failing assertion can show: rule, impact, and the first few offending nodes."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for n in v["nodes"][:5]:
            lines.append(f"    {n['target']}: {n['html'][:160]}")
    return "\n".join(lines)
