"""Benchmark: the network view, ours (server-side layout, physics off) beside pyvis defaults.

For synthetic regions of growing size, both pages show the same nodes and
edges in headless Chromium. Ours: the server lays the graph out (networkx) and
the page draws at once. pyvis defaults: physics on, the browser lays it out;
we time until vis-network reports the stabilisation done (pyvis issue 204:
minutes at about 1,500 nodes), stopping at ``--limit`` seconds. Never a test.

    python bench/viz.py --sizes 50,200,800 [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from common import build_store, print_table
from pyvis.network import Network

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from browser import chromium  # noqa: E402

from yhdyspinta.api.render.viz import render_viz  # noqa: E402
from yhdyspinta.graph.analyses.viz import national_view, region_view  # noqa: E402
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend  # noqa: E402
from yhdyspinta.graph.regions import resolve_region  # noqa: E402
from yhdyspinta.graph.store.store import Store  # noqa: E402


def pyvis_default_page(view) -> str:  # noqa: ANN001 - a VizView
    """The same nodes and edges as pyvis renders them by default (physics on), scripts inlined."""
    net = Network(height="900px", width="100%", cdn_resources="in_line")
    for n in view.nodes:
        net.add_node(n.id, label=n.label[:40])
    for e in view.edges:
        net.add_edge(e.source, e.target)
    html = net.generate_html()
    hook = ("network.once('stabilizationIterationsDone', function () { window.__stable = performance.now(); });"
            "window.__start = performance.now();")
    return html.replace("return network;", hook + "return network;", 1)


def time_page(browser, path: Path, ready: str, limit: float) -> float | None:  # noqa: ANN001
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    t0 = time.perf_counter()
    page.goto(path.as_uri())
    try:
        page.wait_for_function(ready, timeout=limit * 1000)
    except Exception:  # noqa: BLE001 - playwright's timeout: the page did not settle within the limit
        page.close()
        return None
    seconds = time.perf_counter() - t0
    page.close()
    return seconds


LABELS = """() => { const net = window.viz.network, s = net.getScale(), ids = Array.from(window.viz.visibleIds());
  const px = ids.map(id => net.body.nodes[id]).filter(n => n.options.label)
                .map(n => n.labelModule.fontOptions.size * s).filter(v => v >= n_threshold());
  function n_threshold() { return window.viz.legible; }
  return {scale: s, visible: ids.length, labels: px.length, min_px: px.length ? Math.min(...px) : null}; }"""


def label_stats(browser, path: Path) -> dict:  # noqa: ANN001
    """What a person sees at the first view of our page: the zoom, how many labels are drawn, the smallest."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto(path.as_uri())
    page.wait_for_function("window.__vizReady === true", timeout=120000)
    page.wait_for_timeout(300)
    stats = page.evaluate(LABELS)
    page.close()
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200,800", help="structures per region, comma-separated")
    parser.add_argument("--region", default="pirkanmaa")
    parser.add_argument("--limit", type=float, default=120)
    parser.add_argument("--work", type=Path, default=Path("/tmp/yhdyspinta-bench"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = []
    with chromium() as browser:
        for size in (int(s) for s in args.sizes.split(",")):
            store_path, triples, _ = build_store(args.work, size)
            with Store(store_path) as store:
                backend = EmbeddedBackend(store)
                t0 = time.perf_counter()
                view = region_view(backend, resolve_region(backend, args.region))
                ours_page = render_viz(view)
                server_s = time.perf_counter() - t0
                t0 = time.perf_counter()
                national = national_view(backend)
                national_s = time.perf_counter() - t0
            folder = args.work / f"size-{size}"
            (folder / "ours.html").write_text(ours_page, encoding="utf-8")
            (folder / "pyvis.html").write_text(pyvis_default_page(view), encoding="utf-8")
            ours = time_page(browser, folder / "ours.html", "window.__vizReady === true", args.limit)
            theirs = time_page(browser, folder / "pyvis.html", "window.__stable !== undefined", args.limit)
            seen = label_stats(browser, folder / "ours.html")
            row = {"bench": "viz", "case": f"{args.region}: {len(view.nodes)} nodes, {len(view.edges)} edges",
                   "size": size, "triples": triples,
                   "ours_s": (ours + server_s) if ours is not None else None, "ours_server_s": server_s,
                   "ours_page_bytes": len(ours_page), "national_nodes": len(national.nodes), "national_s": national_s,
                   "initial_zoom": round(seen["scale"], 2), "labels_drawn": seen["labels"],
                   "smallest_label_px": round(seen["min_px"], 1) if seen["min_px"] else None,
                   "peer": "pyvis defaults (physics)", "peer_s": theirs,
                   "peer_note": "" if theirs is not None else f"> {args.limit:.0f} s (stopped)"}
            rows.append(row)
            if args.json:
                print(json.dumps(row), flush=True)
    if not args.json:
        print_table(rows)
        for r in rows:
            print(f"size {r['size']}: server {r['ours_server_s']:.2f} s, page {r['ours_page_bytes'] // 1024} KiB; "
                  f"national overview {r['national_nodes']} nodes in {r['national_s']:.2f} s; first view at zoom "
                  f"{r['initial_zoom']}, {r['labels_drawn']} labels drawn, smallest {r['smallest_label_px']} px")


if __name__ == "__main__":
    main()
