"""Benchmark: every analysis on the embedded store, on Oxigraph server and on Fuseki (TDB2), same data.

The synthetic national data (bench/synthetic.py; ``--sizes 1000`` is the national setting,
about 486,000 quads) is built once into an embedded store (bench/common.py), then every named
graph of it (the sources and the metadata graph) is PUT into an Oxigraph server and a Fuseki
TDB2 server started by the repository's launchers on free loopback ports. Each analysis then
runs once per back end in a child process of its own, through the same analysis code: the
embedded back end over the store, the sparql back end (graph/backends/sparql) over HTTP. A case
that passes ``--limit`` seconds is stopped and reported as "over N s" (Fuseki is slow at
national scale). Never a test; the figures go to docs/benchmarks.md ("Back ends").

    python bench/backends.py --sizes 100,1000 --limit 300 [--json]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import secrets
import shutil
import socket
import time
from pathlib import Path
from typing import Any

from common import build_store

BACKENDS = ("embedded", "oxigraph", "fuseki")
ANALYSES = ("gaps", "matrix", "bridges", "bridges (all regions)", "load", "load (all regions)", "quorum",
            "compare", "calendar", "report", "viz payload", "viz national", "national matrix")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _endpoints(info: dict[str, Any], timeout: float) -> Any:
    from yhdyspinta.graph.store.remote_client import Endpoints

    return Endpoints(info["query"], info["update"], info["gsp"], user=info["user"], password=info["password"],
                     timeout=timeout)


def _analysis(backend: Any, analysis: str) -> None:
    """Run one analysis as the CLI would (the region resolved by the user's text)."""
    from yhdyspinta.graph.analyses.bridges import bridges
    from yhdyspinta.graph.analyses.calendar import due_calendar
    from yhdyspinta.graph.analyses.compare import compare
    from yhdyspinta.graph.analyses.coverage import coverage_detail
    from yhdyspinta.graph.analyses.gaps import coverage_gaps
    from yhdyspinta.graph.analyses.load import load
    from yhdyspinta.graph.analyses.national import national_matrix
    from yhdyspinta.graph.analyses.quorum import quorum
    from yhdyspinta.graph.analyses.report import situational_picture
    from yhdyspinta.graph.analyses.viz import national_view, region_view
    from yhdyspinta.graph.regions import resolve_region

    region = resolve_region(backend, "paijat-hame")
    cases = {
        "gaps": lambda: coverage_gaps(backend, region),
        "matrix": lambda: coverage_detail(backend, region),
        "bridges": lambda: bridges(backend, region),
        "bridges (all regions)": lambda: bridges(backend),
        "load": lambda: load(backend, region),
        "load (all regions)": lambda: load(backend),
        "quorum": lambda: quorum(backend),
        "compare": lambda: compare(backend, region, resolve_region(backend, "pirkanmaa")),
        "calendar": lambda: due_calendar(backend, region),
        "report": lambda: situational_picture(backend, region),
        "viz payload": lambda: region_view(backend, region),
        "viz national": lambda: national_view(backend),
        "national matrix": lambda: national_matrix(backend),
    }
    cases[analysis]()


def _run(kind: str, store_path: str, remote: dict[str, Any] | None, analysis: str, limit: float,
         queue: mp.Queue) -> None:
    from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend
    from yhdyspinta.graph.backends.sparql.backend import SparqlBackend
    from yhdyspinta.graph.store.remote import RemoteStore
    from yhdyspinta.graph.store.store import Store

    if kind == "embedded":
        store = Store(Path(store_path))
        backend: Any = EmbeddedBackend(store)
    else:
        assert remote is not None
        backend = SparqlBackend(RemoteStore(_endpoints(remote, limit)))
    t0, c0 = time.perf_counter(), time.process_time()
    _analysis(backend, analysis)
    queue.put({"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0})


def measure(kind: str, store_path: Path, remote: dict[str, Any] | None, analysis: str,
            limit: float) -> dict[str, Any]:
    """One case in a fresh (spawned) child process, stopped after ``limit`` seconds."""
    ctx = mp.get_context("spawn")  # never fork a process that has held RocksDB or HTTP threads
    queue: mp.Queue = ctx.Queue()
    proc = ctx.Process(target=_run, args=(kind, str(store_path), remote, analysis, limit, queue))
    proc.start()
    proc.join(limit)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return {"seconds": None, "note": f"over {limit:.0f} s"}
    if queue.empty():
        return {"seconds": None, "note": "failed"}
    result: dict[str, Any] = queue.get()
    return result


def _copy(store_path: Path, remote: dict[str, Any], limit: float) -> float:
    """Every graph of the embedded store PUT into the remote one (emptied first); the seconds it took."""
    from yhdyspinta.graph.store.remote import RemoteStore
    from yhdyspinta.graph.store.store import Store
    from yhdyspinta.ontology.namespaces import META_GRAPH

    with Store(store_path) as store, RemoteStore(_endpoints(remote, limit)) as target:
        graphs = [r.graph for r in store.sources()] + [str(META_GRAPH)]
        target.client.update("DROP ALL")
        t0 = time.perf_counter()
        for graph in graphs:
            target.client.put_graph(graph, store.dump(graph))
        return time.perf_counter() - t0


def _start(kind: str, home: Path) -> dict[str, Any]:
    from yhdyspinta.launcher import fuseki, oxigraph

    if kind == "oxigraph":
        info = oxigraph.start(home=home, port=_free_port())
    else:
        info = fuseki.start(home=home, port=_free_port(), password=secrets.token_urlsafe(12), heap="2g")
    return {"query": info.query, "update": info.update, "gsp": info.gsp, "user": info.user,
            "password": info.password}


def _stop(kind: str, home: Path) -> None:
    from yhdyspinta.launcher import fuseki, oxigraph

    (oxigraph if kind == "oxigraph" else fuseki).stop(home=home)


def cell(result: dict[str, Any]) -> str:
    return f"{result['seconds']:.2f}" if result.get("seconds") is not None else str(result.get("note", "-"))


def print_table(rows: list[dict[str, Any]]) -> None:
    """One row per (case, size): seconds on each back end."""
    header = ("case", "size", "quads", *BACKENDS)
    lines = [header] + [(r["case"], str(r["size"]), str(r["quads"]), *(r[b] for b in BACKENDS)) for r in rows]
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    for i, line in enumerate(lines):
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)) + " |")
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000", help="structures per region, comma-separated (1000: national)")
    parser.add_argument("--limit", type=float, default=300, help="seconds before a case is stopped")
    parser.add_argument("--work", type=Path, default=Path("/tmp/yhdyspinta-bench"))
    parser.add_argument("--backends", default=",".join(BACKENDS), help="which of embedded,oxigraph,fuseki")
    parser.add_argument("--cases", default=",".join(ANALYSES), help="which analyses (comma-separated)")
    parser.add_argument("--json", action="store_true", help="print JSON lines as cases finish, then the table")
    args = parser.parse_args()
    cases = [c for c in ANALYSES if c in args.cases.split(",")]
    chosen = [b for b in BACKENDS if b in args.backends.split(",")]
    rows: list[dict[str, Any]] = []
    homes = {kind: args.work / f"backends-{kind}" for kind in chosen if kind != "embedded"}
    remotes: dict[str, dict[str, Any]] = {}
    sizes = [int(s) for s in args.sizes.split(",")]
    built = {size: build_store(args.work, size) for size in sizes}  # first: its child is forked
    try:
        for kind, home in homes.items():
            shutil.rmtree(home, ignore_errors=True)
            remotes[kind] = _start(kind, home)
        for size in sizes:
            store_path, triples, _ingest = built[size]
            load = {"case": "load (PUT every graph)", "size": size, "quads": triples, "embedded": "-"}
            for kind, remote in remotes.items():
                try:
                    load[kind] = f"{_copy(store_path, remote, args.limit):.2f}"
                except Exception as exc:  # noqa: BLE001 - a benchmark reports what failed and goes on
                    load[kind] = f"failed: {type(exc).__name__}"
            rows.append(load)
            if args.json:
                print(json.dumps(load), flush=True)
            for analysis in cases:
                row: dict[str, Any] = {"case": analysis, "size": size, "quads": triples}
                for kind in chosen:
                    if kind != "embedded" and str(load.get(kind, "")).startswith("failed"):
                        row[kind] = "not loaded"
                        continue
                    row[kind] = cell(measure(kind, store_path, remotes.get(kind), analysis, args.limit))
                rows.append(row)
                if args.json:
                    print(json.dumps(row), flush=True)
    finally:
        for kind, home in homes.items():
            _stop(kind, home)
    for kind in BACKENDS:
        for r in rows:
            r.setdefault(kind, "not run")
    print_table(rows)


if __name__ == "__main__":
    main()
