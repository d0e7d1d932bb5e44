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
