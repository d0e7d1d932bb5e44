"""Shared by the benchmarks: building a store of a given size once, and printing."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import generate  # noqa: E402

from yhdyspinta.graph.store.store import Store  # noqa: E402
from yhdyspinta.ingest import ingest  # noqa: E402
from yhdyspinta.ingest.bundle import bundled_graph, bundled_paths  # noqa: E402


def _build(store_path: Path, synthetic: Path, done: Path) -> None:
    """In a child process, so that its peak memory is the ingest's own."""
    import resource

    with Store(store_path) as store:
        ingest(store, bundled_paths(), naming=bundled_graph)
        t0 = time.perf_counter()
        ingest(store, [synthetic])
        seconds = time.perf_counter() - t0
        triples = len(store)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    done.write_text(json.dumps({"triples": triples, "ingest_s": seconds, "ingest_peak_mb": peak}))


def build_store(work: Path, per_region: int, seed: int = 1) -> tuple[Path, int, float]:
    """A store with the bundled data plus synthetic regions; built once per size and cached.

    Returns the store's path, its triple count and the seconds the synthetic ingest took
    (parse, SHACL validation and the write, as ``yhdyspinta ingest`` does them).
    """
    import multiprocessing as mp

    folder = work / f"size-{per_region}"
    store_path = folder / "store"
    done = folder / "built.json"
    if not done.is_file():
        synthetic = folder / "synthetic"
        generate(synthetic, per_region=per_region, seed=seed)
        proc = mp.Process(target=_build, args=(store_path, synthetic, done))
        proc.start()
        proc.join()
        if proc.exitcode != 0:
            raise RuntimeError(f"building the size-{per_region} store failed")
    info = json.loads(done.read_text())
    return store_path, info["triples"], info["ingest_s"]


def build_info(work: Path, per_region: int) -> dict[str, Any]:
    return json.loads((work / f"size-{per_region}" / "built.json").read_text())


def fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def print_table(rows: list[dict[str, Any]]) -> None:
    """One row per (case, size): ours beside the peer, and the ratio."""
    header = ("bench", "case", "size", "triples", "ours s", "peer", "peer s", "speed-up", "ours MB", "peer MB")
    lines = [header]
    for r in rows:
        ratio = r["peer_s"] / r["ours_s"] if r.get("peer_s") and r.get("ours_s") else None
        lines.append((r["bench"], r["case"], str(r["size"]), str(r["triples"]), fmt(r["ours_s"]), r["peer"],
                      fmt(r["peer_s"]) if r.get("peer_s") is not None else r.get("peer_note") or "-",
                      f"{ratio:.1f}x" if ratio else "-", fmt(r.get("ours_peak_mb"), 0), fmt(r.get("peer_peak_mb"), 0)))
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    for i, line in enumerate(lines):
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)) + " |")
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
