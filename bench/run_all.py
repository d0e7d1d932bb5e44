"""Every benchmark in one run: one table with the peer tools side by side, and how costs grow.

Sizes are mean structures per region in the synthetic national data
(bench/synthetic.py: every real municipality and welfare area). For each size:

- ingest: `yhdyspinta ingest` of the synthetic files (parse, SHACL validation,
  one transaction) beside rdflib parsing the same files into memory (no
  validation, no persistence: the floor any rdflib-based loader pays);
- each analysis on the embedded store beside rdflib's SPARQL engine (bench/analyses.py);
- the network view beside pyvis defaults in Chromium (bench/viz.py);
- then the SPARQL endpoint under load beside rdflib-endpoint (bench/sparql_endpoint.py)
  and the Neo4j sync beside rdflib-neo4j (bench/neo4j_sync.py), whose own tables follow.

"growth" is k in time ~ triples^k between the smallest and the largest size.

    python bench/run_all.py --sizes 20,100,400 > bench/results.md
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing as mp
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import build_info, build_store, fmt

HERE = Path(__file__).resolve().parent


def _rdflib_parse(folder: str, queue: mp.Queue) -> None:
    from rdflib import Dataset

    t0 = time.perf_counter()
    ds = Dataset()
    for f in sorted(Path(folder).glob("*.ttl")):
        ds.graph(f.as_uri()).parse(f, format="turtle")
    queue.put({"seconds": time.perf_counter() - t0,
               "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


def ingest_rows(work: Path, sizes: list[int]) -> list[dict[str, Any]]:
    rows = []
    for size in sizes:
        _path, triples, seconds = build_store(work, size)
        info = build_info(work, size)
        queue: mp.Queue = mp.Queue()
        proc = mp.Process(target=_rdflib_parse, args=(str(work / f"size-{size}" / "synthetic"), queue))
        proc.start()
        proc.join()
        peer = queue.get()
        rows.append({"bench": "ingest", "case": "synthetic regions", "size": size, "triples": triples,
                     "ours_s": seconds, "ours_peak_mb": info.get("ingest_peak_mb"),
                     "peer": "rdflib parse only", "peer_s": peer["seconds"], "peer_peak_mb": peer["peak_mb"]})
    return rows


def _json_lines(script: str, *args: str) -> list[dict[str, Any]]:
    out = subprocess.run([sys.executable, str(HERE / script), *args, "--json"], capture_output=True, text=True,
                         cwd=HERE, check=True)
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def growth(rows: list[dict[str, Any]], key: str) -> dict[tuple[str, str], float]:
    out = {}
    by_case: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows:
        by_case.setdefault((r["bench"], r["case"] if r["bench"] != "viz" else "region view"), []).append(r)
    for case, rs in by_case.items():
        rs = [r for r in rs if r.get(key)]
        if len(rs) >= 2 and rs[-1]["triples"] != rs[0]["triples"]:
            out[case] = math.log(rs[-1][key] / rs[0][key]) / math.log(rs[-1]["triples"] / rs[0]["triples"])
    return out


def table(rows: list[dict[str, Any]]) -> str:
    g_ours, g_peer = growth(rows, "ours_s"), growth(rows, "peer_s")
    lines = ["| bench | case | size | triples | ours (s) | peer | peer (s) | ours faster | ours peak MB | "
             "peer peak MB | growth ours / peer |", "|" + " --- |" * 11]
    for r in rows:
        case = (r["bench"], r["case"] if r["bench"] != "viz" else "region view")
        ratio = r["peer_s"] / r["ours_s"] if r.get("peer_s") and r.get("ours_s") else None
        peer_s = fmt(r.get("peer_s")) if r.get("peer_s") is not None else (r.get("peer_note") or "-")
        grow = f"{g_ours[case]:.2f} / {g_peer[case]:.2f}" if case in g_ours and case in g_peer else "-"
        lines.append(f"| {r['bench']} | {r['case']} | {r['size']} | {r['triples']} | {fmt(r.get('ours_s'))} | "
                     f"{r['peer']} | {peer_s} | {f'{ratio:.1f}x' if ratio else '-'} | "
                     f"{fmt(r.get('ours_peak_mb'), 0)} | {fmt(r.get('peer_peak_mb'), 0)} | {grow} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,100,400")
    parser.add_argument("--work", type=Path, default=Path("/tmp/yhdyspinta-bench"))
    parser.add_argument("--skip-servers", action="store_true", help="skip the SPARQL endpoint and Neo4j benchmarks")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"# Benchmarks, {time.strftime('%Y-%m-%d')}\n")
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
          f"Python {platform.python_version()}, {platform.platform()}.\n")
    rows = ingest_rows(args.work, sizes)
    rows += _json_lines("analyses.py", "--sizes", args.sizes, "--work", str(args.work), "--limit", "120")
    rows += _json_lines("viz.py", "--sizes", args.sizes, "--work", str(args.work), "--limit", "120")
    print(table(rows))
    print()
    if args.skip_servers:
        return
    for script, extra in (("sparql_endpoint.py", ["--per-region", *map(str, sizes[:2])]),
                          ("neo4j_sync.py", ["--sizes", ",".join(map(str, sizes)), "--work", str(args.work)])):
        print(f"\n## {script}\n", flush=True)
        subprocess.run([sys.executable, str(HERE / script), *extra], cwd=HERE, check=False)


if __name__ == "__main__":
    main()
