"""Every benchmark of docs/benchmarks.md in one run: the tables it shows, from one command.

Sizes are mean structures per region in the synthetic national data (bench/synthetic.py:
every real municipality and welfare area); 200, 1000 and 2000 give about 104,000, 486,000
and 963,000 triples. In order, each in processes of its own:

1. ingest (bench/ingest.py): ours beside `oxigraph load`, pyoxigraph's bulk loader and
   pyshacl alone, with peak memory and the growth exponent;
2. the analyses (bench/analyses.py) beside one full scan of the store, their limit;
3. the error of the sampled betweenness (bench/betweenness.py), the fallback for graphs
   whose parts do not fit the exact budget;
   and the CLI commands an analyst types, end to end, on the middle size;
4. the SPARQL endpoint (bench/sparql_endpoint.py) beside Oxigraph server and Fuseki TDB2;
5. the JSON API under 50 concurrent clients (bench/http_load.py);
6. the Neo4j first load and sync (bench/neo4j_sync.py) beside rdflib-neo4j.

"growth" is k in time ~ triples^k between the smallest and the largest size. The load
average is printed before each part: the machine has 2 cores and timings carry its noise.

    python bench/run_all.py --sizes 200,1000,2000 > bench/results.md
    python bench/run_all.py --only ingest,analyses      # some parts
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PARTS = ("ingest", "analyses", "cli", "betweenness", "endpoint", "http", "neo4j")
#: What an analyst types, timed end to end (process start, imports, the store opened, the answer printed).
CLI_COMMANDS = (
    "gaps --region paijat-hame", "gaps --region paijat-hame --view matrix", "bridges --region paijat-hame",
    "bridges", "load --region paijat-hame", "load", "quorum", "compare paijat-hame pirkanmaa",
    "calendar --region paijat-hame", "national", "--version",
)


def _run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """A benchmark script's run; its stderr passes through (progress), its stdout is returned."""
    return subprocess.run([sys.executable, str(HERE / script), *args], cwd=HERE, text=True,
                          stdout=subprocess.PIPE, check=False)


def _json_rows(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def growth(points: list[tuple[float, float]]) -> float | None:
    """k in y ~ x^k between the smallest and the largest x of ``points`` (x, y); None if undefined."""
    points = sorted((x, y) for x, y in points if x and y)
    if len(points) < 2 or points[0][0] == points[-1][0]:
        return None
    (x0, y0), (x1, y1) = points[0], points[-1]
    return math.log(y1 / y0) / math.log(x1 / x0)


def _g(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def ingest(sizes: str, work: Path) -> str:
    out = subprocess.run([sys.executable, str(HERE / "ingest.py"), "--sizes", sizes, "--pyshacl-up-to", "200"],
                         cwd=HERE, text=True, capture_output=True, check=False)
    rows = _json_rows(out.stderr)
    ours = growth([(r["ours"]["triples"], r["ours"]["seconds"]) for r in rows])
    peer = growth([(r["ours"]["triples"], (r["oxigraph_load"] or {}).get("seconds")) for r in rows])
    return (out.stdout.rstrip() + f"\n\nGrowth (time ~ triples^k): ours {_g(ours)}, `oxigraph load` {_g(peer)}.\n"
            + ("" if out.returncode == 0 else f"\n(bench/ingest.py exited {out.returncode}: {out.stderr[-500:]})\n"))


def analyses(sizes: str, work: Path) -> str:
    out = _run("analyses.py", "--sizes", sizes, "--work", str(work), "--no-peer", "--json", "--limit", "120")
    rows = _json_rows(out.stdout)
    size_list = [int(s) for s in sizes.split(",")]
    by_case: dict[str, dict[int, dict[str, Any]]] = {}
    triples: dict[int, int] = {}
    for r in rows:
        by_case.setdefault(r["case"], {})[r["size"]] = r
        triples[r["size"]] = r["triples"]
    head = ["case", *(f"{triples.get(s, s):,} triples: wall s / CPU s / MB" for s in size_list),
            "growth", "largest: x full scan (n-quads)"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" + " ---: |" * (len(head) - 1)]
    scan = by_case.get("full scan: n-quads", {})
    for case, per_size in by_case.items():
        cells = []
        for s in size_list:
            r = per_size.get(s, {})
            cells.append("-" if r.get("ours_s") is None else
                         f"{r['ours_s']:.2f} / {r['ours_cpu_s']:.2f} / {r['ours_peak_mb']:.0f}")
        k = growth([(triples[s], per_size[s].get("ours_s")) for s in size_list if s in per_size])
        last, limit = per_size.get(size_list[-1], {}), scan.get(size_list[-1], {})
        ratio = (f"{last['ours_s'] / limit['ours_s']:.2f}x" if last.get("ours_s") and limit.get("ours_s")
                 and not case.startswith("full scan") else "")
        lines.append(f"| {case} | " + " | ".join(cells) + f" | {_g(k)} | {ratio} |")
    return "\n".join(lines) + "\n"


def cli(sizes: str, work: Path) -> str:
    """Each command, best of three, on a copy of the middle size's store, with what ``yhdyspinta ingest``
    keeps beside it (the national rows and results)."""
    import shutil
    import tempfile

    from common import build_store

    size = int(sizes.split(",")[len(sizes.split(",")) // 2])
    store, triples, _s = build_store(work, size)
    lines = [f"On {triples:,} triples (`YHDYSPINTA_HOME` holding a copy of the store), best of 3, seconds:\n",
             "| command | wall s | peak MB |", "| --- | ---: | ---: |"]
    with tempfile.TemporaryDirectory() as home:
        shutil.copytree(store, Path(home) / "store")
        env = {**os.environ, "YHDYSPINTA_HOME": home}
        keep = ("from pathlib import Path; from yhdyspinta.graph.store.store import Store; "
                "from yhdyspinta.graph.analyses.kept import keep_national; "
                "from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend; "
                "s = Store(Path(__import__('sys').argv[1])); keep_national(EmbeddedBackend(s)); s.close()")
        # what `yhdyspinta ingest` keeps after writing: the national rows and results of this version
        subprocess.run([sys.executable, "-c", keep, str(Path(home) / "store")], env=env, check=True)
        for command in CLI_COMMANDS:
            best, peak, failed = math.inf, 0.0, 0
            for _ in range(3):
                t0 = time.perf_counter()
                run = subprocess.run(["/usr/bin/time", "-f", "%M", "yhdyspinta", *command.split()], env=env,
                                     capture_output=True, text=True, check=False)
                best = min(best, time.perf_counter() - t0)
                peak = max(peak, float(run.stderr.strip().splitlines()[-1] or 0) / 1024)
                failed = failed or run.returncode
            shown = f"exit {failed}" if failed else f"{best:.2f}"
            lines.append(f"| `yhdyspinta {command}` | {shown} | {peak:.0f} |")
    return "\n".join(lines) + "\n"


def betweenness(sizes: str, work: Path) -> str:
    return _run("betweenness.py", "--size", "1000", "--work", str(work)).stdout


def endpoint(sizes: str, work: Path) -> str:
    return _run("sparql_endpoint.py", "--per-region", *sizes.split(","), "--seconds", "8", "--requests", "200").stdout


def http(sizes: str, work: Path) -> str:
    script = HERE / "http_load.py"
    if not script.is_file():
        return "(bench/http_load.py is missing)\n"
    return _run("http_load.py", "--per-region", sizes.split(",")[1] if "," in sizes else sizes).stdout


def neo4j(sizes: str, work: Path) -> str:
    small = ",".join(sizes.split(",")[:2])  # the largest size's first load takes minutes per tool
    return _run("neo4j_sync.py", "--sizes", small, "--work", str(work), "--runs", "2").stdout


RUNNERS: dict[str, Callable[[str, Path], str]] = {
    "ingest": ingest, "analyses": analyses, "cli": cli, "betweenness": betweenness, "endpoint": endpoint, "http": http,
    "neo4j": neo4j,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,1000,2000")
    parser.add_argument("--work", type=Path, default=Path("/tmp/yhdyspinta-bench"))
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated parts of {', '.join(PARTS)}")
    args = parser.parse_args()
    print(f"# Benchmarks, {time.strftime('%Y-%m-%d %H:%M %Z')}\n")
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
          f"Python {platform.python_version()}, {platform.platform()}. Sizes: {args.sizes} per region.\n", flush=True)
    for part in args.only.split(","):
        if part not in RUNNERS:
            raise SystemExit(f"unknown part '{part}'; known: {', '.join(PARTS)}")
        load = os.getloadavg()
        t0 = time.perf_counter()
        print(f"## {part}\n\nLoad average at the start: {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f}.\n", flush=True)
        print(RUNNERS[part](args.sizes, args.work), flush=True)
        print(f"({part}: {time.perf_counter() - t0:.0f} s)\n", flush=True)


if __name__ == "__main__":
    main()
