"""Benchmark: yhdyspinta's SPARQL endpoint beside Oxigraph server and Fuseki (TDB2), same data, same queries.

For each size the script builds the data (the bundled reference data and ontology, plus
bench/synthetic.py's seeded national-scale structures), starts our server, an Oxigraph server
(PyPI ``oxigraph``, launcher/oxigraph.py) and Fuseki TDB2 (Maven ``org.apache.jena:jena-fuseki-main``
5.x, launcher/fuseki.py) on loopback ports, loads the same N-Quads into the peers, and sends each
query from CONCURRENCY client processes until REQUESTS answers or SECONDS have passed. Our server is
measured twice: with ``Cache-Control: no-cache`` (the query is evaluated every time: the work) and
without (answers cached by store version, api/http/cache.py). It prints latency percentiles,
throughput, each server's memory (RSS and PSS, idle after start and peak during the run, the whole
process tree) and, over the sizes, the growth exponent of p50 (log p50 / log triples between the
smallest and the largest size). Loopback only, bounded in count and time; not a test.

    python bench/sparql_endpoint.py --per-region 100 1000 2000 --concurrency 4 --requests 200 --seconds 8

Each measurement starts after a few requests that are not counted (``load``), for every server alike.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402 - bench/synthetic.py, the shared seeded generator

PREFIXES = """PREFIX yhd: <https://w3id.org/yhdyspinta/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>
"""
REGION = "<https://w3id.org/yhdyspinta/id/region/paijat-hame>"
QUERIES = {
    "lookup": PREFIXES + """SELECT ?name WHERE { ?m skos:notation "398" ; skos:prefLabel ?name }""",
    "per-region": PREFIXES + """SELECT ?region (COUNT(?s) AS ?n) WHERE { ?s a yhd:Network ; yhd:inRegion ?region }
        GROUP BY ?region ORDER BY DESC(?n)""",
    "theme-members": PREFIXES + f"""SELECT DISTINCT ?m WHERE {{ ?s yhd:inRegion {REGION} ; yhd:theme ?t ;
        org:hasMember ?m . ?t skos:inScheme <https://w3id.org/yhdyspinta/theme/national> }}""",
    "search": PREFIXES + """SELECT ?s ?l WHERE { ?s a yhd:Network ; skos:prefLabel ?l
        FILTER(CONTAINS(LCASE(STR(?l)), "hyte")) } LIMIT 100""",
    "structures": PREFIXES + """SELECT ?s ?l ?region WHERE { ?s a yhd:Network ; skos:prefLabel ?l ;
        yhd:inRegion ?region FILTER(LANG(?l) = "fi") }""",
    "memberships": PREFIXES + """SELECT ?s ?m WHERE { ?s org:hasMember ?m }""",
}
_OUR_SERVER = """
import sys
from yhdyspinta.api.cli.serve import run
from yhdyspinta.settings import Settings
run(Settings.from_env(), host="127.0.0.1", port=int(sys.argv[1]))
"""
RESULT_LIMIT = 200_000  # above every answer here, so that each server returns every row
WARMUP, WARMUP_SECONDS = 3, 2.0  # requests before each measurement, not counted (``load``)


def build(home: Path, per_region: int, seed: int) -> tuple[Path, int]:
    """A store with the bundled reference data and the synthetic structures; and its N-Quads dump."""
    from yhdyspinta.graph.store.store import GraphWrite, SourceRecord, Store, now_iso
    from yhdyspinta.ingest import ingest
    from yhdyspinta.ingest.bundle import bundled_graph, data_dir
    from yhdyspinta.ontology.files import ONTOLOGY_FILES, ORG_FILE

    generated = home / "synthetic"
    synthetic.generate(generated, per_region=per_region, seed=seed)
    with Store(home / "store") as store:
        ingest(store, [*ONTOLOGY_FILES, ORG_FILE, data_dir() / "reference"], naming=bundled_graph)
        writes = []
        for path in sorted(generated.glob("*.ttl")):  # loaded directly: the benchmark measures queries
            graph = f"https://w3id.org/yhdyspinta/graph/synthetic/{path.stem}"
            quads = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
            data = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES) or b""
            writes.append(GraphWrite(graph, data, SourceRecord(graph, str(path), "-", data.count(b"\n"), now_iso())))
        store.replace_graphs(writes)
        triples = len(store)
        dump = home / "dataset.nq"
        dump.write_bytes(store.dump())
    (home / "built.txt").write_text(f"{triples}\n")  # for --home: the data is complete, reuse it
    return dump, triples


def reuse(home: Path) -> tuple[Path, int]:
    """The data ``build`` left in ``home`` (``--home``): its N-Quads dump and its size in triples."""
    return home / "dataset.nq", int((home / "built.txt").read_text())


def _wait(url: str, process: subprocess.Popen[bytes], limit: float = 600) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if process.poll() is not None:
            raise RuntimeError(f"server for {url} exited")
        try:
            httpx.get(url, params={"query": "ASK {}"}, timeout=5)
            return time.monotonic() - started
        except httpx.TransportError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not start")


def memory_tree(pid: int) -> tuple[float, float]:
    """Resident and proportional set size (MB) of ``pid`` and all its descendants, from /proc.

    RSS counts a page shared by several processes (our query workers share what their fork server
    imported, copy-on-write) once per process; PSS divides it among them, so the tree's PSS is what
    it really holds. For a single-process peer both are about the same.
    """
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    rss = pss = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        stack.extend(children.get(p, []))
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in rollup.splitlines()[1:]:
            key, _, rest = line.partition(":")
            if key == "Rss":
                rss += int(rest.split()[0])
            elif key == "Pss":
                pss += int(rest.split()[0])
    return rss / 1024, pss / 1024


class Peak:
    """Samples a process tree's memory every 0.2 s in a thread; ``stop`` gives the largest RSS and PSS seen."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, memory_tree(pid), threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            rss, pss = memory_tree(self.pid)
            self.peak = (max(self.peak[0], rss), max(self.peak[1], pss))

    def stop(self) -> tuple[float, float]:
        self._stop.set()
        self._thread.join()
        return self.peak


def load(url: str, query: str, *, concurrency: int, requests: int, seconds: float,
         headers: dict[str, str] | None = None, auth: tuple[str, str] | None = None,
         warmup: int = WARMUP) -> dict[str, float]:
    """Send ``query`` from ``concurrency`` client processes until ``requests`` answers or ``seconds`` pass.

    Each client is a process of its own with one keep-alive connection, sending one request after
    another. Threads in one process would wait for each other's turn at the GIL: with a server that
    answers in half a millisecond the client's own queue was most of the latency measured, and the
    ratio between two fast servers swung from 1.3x to 8x between runs (docs/benchmarks.md).
    Each client first sends ``warmup`` requests (fewer if they take over WARMUP_SECONDS), not counted,
    the same for every server: a server's first answers to a query pay for opening files and filling
    caches, which is not what the table compares."""
    wanted = {"Accept": "application/sparql-results+json", **(headers or {})}
    ctx = multiprocessing.get_context("spawn")  # a fresh interpreter: the bench's sampler thread is not forked
    sent = ctx.Value("i", 0)
    ready = ctx.Barrier(concurrency + 1)
    out = ctx.Queue()
    clients = [ctx.Process(target=_client, args=(url, query, wanted, auth, requests, seconds, warmup, sent, ready,
                                                 out)) for _ in range(concurrency)]
    for c in clients:
        c.start()
    ready.wait()  # every client connected and warm: start together
    started = time.monotonic()
    results = [out.get() for _ in clients]
    wall = time.monotonic() - started
    for c in clients:
        c.join()
    latencies = [t for lat, _errors in results for t in lat]
    errors = sum(e for _lat, e in results)
    if not latencies:
        return {"n": 0, "errors": errors, "p50": float("nan"), "p95": float("nan"), "p99": float("nan"),
                "rps": 0.0}
    q = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    return {"n": len(latencies), "errors": errors, "p50": q[49] * 1000, "p95": q[94] * 1000,
            "p99": q[98] * 1000, "rps": len(latencies) / wall}


def _client(url: str, query: str, headers: dict[str, str], auth: tuple[str, str] | None, requests: int,
            seconds: float, warmup: int, sent: Any, ready: Any, out: Any) -> None:
    """One client process of :func:`load`: warm up, wait for the others, then send until the shared count
    reaches ``requests`` or ``seconds`` pass; puts its latencies (s) and its error count on ``out``."""
    latencies: list[float] = []
    errors = 0
    with httpx.Client(timeout=max(seconds, 120), auth=auth) as c:
        warm_until = time.monotonic() + WARMUP_SECONDS
        for _ in range(warmup):
            try:
                c.post(url, data={"query": query}, headers=headers)
            except httpx.HTTPError:
                pass
            if time.monotonic() > warm_until:
                break
        ready.wait()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with sent.get_lock():
                if sent.value >= requests:
                    break
                sent.value += 1
            t0 = time.perf_counter()
            try:
                r = c.post(url, data={"query": query}, headers=headers)
                ok = r.status_code == 200
            except httpx.HTTPError:
                ok = False
            elapsed = time.perf_counter() - t0
            if ok:
                latencies.append(elapsed)
            else:
                errors += 1
    out.put((latencies, errors))


def _port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pid_of(home: Path, name: str) -> int:
    """The pid the launcher recorded in ``HOME/<name>/launcher.json``."""
    import json

    from yhdyspinta.launcher.rdfstore import store_paths

    return int(json.loads(store_paths(home, name).state_file.read_text())["pid"])


def _start_peer(kind: str, home: Path, dump: Path) -> tuple[str, int, Callable[[], None]]:
    """Start Oxigraph server or Fuseki with ``dump`` loaded; its query URL, pid and a stop function."""
    from yhdyspinta.launcher import fuseki, oxigraph

    launcher = oxigraph if kind == "oxigraph" else fuseki
    info = launcher.start(home=home, port=_port())
    with dump.open("rb") as f:
        r = httpx.post(info.gsp, content=f, headers={"Content-Type": "application/n-quads"}, timeout=3600)
    r.raise_for_status()
    return info.query, _pid_of(home, kind), lambda: bool(launcher.stop(home=home))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-region", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--servers", default="yhdyspinta,oxigraph,fuseki",
                        help="which of yhdyspinta,oxigraph,fuseki")
    parser.add_argument("--queries", default=",".join(QUERIES), help=f"which of {','.join(QUERIES)}")
    parser.add_argument("--home", type=Path, default=None,
                        help="keep each size's data in HOME/size-N and reuse it when it is there (default: a "
                             "temporary folder, built afresh and removed)")
    args = parser.parse_args()
    print(f"concurrency {args.concurrency}, at most {args.requests} requests or {args.seconds:g} s per query; "
          f"latencies in ms, memory in MB (resident, whole process tree)\n")
    p50s: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for per_region in args.per_region:
        run_size(per_region, args, p50s)
    if len(args.per_region) > 1:
        print("## Growth of p50 with size (exponent k in p50 ~ triples^k, smallest to largest size)\n")
        print("| query | server | k |")
        print("| --- | --- | ---: |")
        for (qname, server), points in p50s.items():
            (n0, t0), (n1, t1) = points[0], points[-1]
            if n1 > n0 and t0 > 0 and t1 > 0:
                print(f"| {qname} | {server} | {math.log(t1 / t0) / math.log(n1 / n0):.2f} |")


def run_size(per_region: int, args: argparse.Namespace, p50s: dict[tuple[str, str], list[tuple[int, float]]]) -> None:
    kept = args.home is not None
    home = args.home / f"size-{per_region}" if kept else Path(tempfile.mkdtemp(prefix="yhd-bench-"))
    wanted = args.servers.split(",")
    procs: list[subprocess.Popen[bytes]] = []
    stops: list[Callable[[], None]] = []
    try:
        dump, triples = reuse(home) if kept and (home / "built.txt").is_file() else build(home, per_region, args.seed)
        servers: dict[str, tuple[str, int, dict[str, str]]] = {}
        if "yhdyspinta" in wanted:
            ours = _port()
            env = {**os.environ, "YHDYSPINTA_HOME": str(home), "YHDYSPINTA_QUERY_TIMEOUT": "300",
                   "YHDYSPINTA_RESULT_LIMIT": str(RESULT_LIMIT)}
            proc = subprocess.Popen([sys.executable, "-c", _OUR_SERVER, str(ours)], env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            procs.append(proc)
            url = f"http://127.0.0.1:{ours}/sparql"
            _wait(url, proc)
            servers["yhdyspinta"] = (url, proc.pid, {"Cache-Control": "no-cache"})
            servers["yhdyspinta (cached)"] = (url, proc.pid, {})
        for kind in ("oxigraph", "fuseki"):
            if kind in wanted:
                url, pid, stop = _start_peer(kind, home / kind, dump)
                stops.append(stop)
                servers["Oxigraph server" if kind == "oxigraph" else "Fuseki"] = (url, pid, {})
        time.sleep(2)
        idle = {name: memory_tree(pid) for name, (_url, pid, _h) in servers.items()}
        peaks = {pid: Peak(pid) for _url, pid, _h in servers.values()}
        print(f"## {per_region} structures per region: {triples} triples\n")
        print("| query | server | answers | p50 | p95 | p99 | req/s | p50 / Oxigraph |")
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for qname in args.queries.split(","):
            query = QUERIES[qname]
            figures = {name: load(url, query, concurrency=args.concurrency, requests=args.requests,
                                  seconds=args.seconds, headers=h) for name, (url, _pid, h) in servers.items()}
            base = figures.get("Oxigraph server", {}).get("p50")
            for name, f in figures.items():
                errs = f" ({int(f['errors'])} errors)" if f["errors"] else ""
                ratio = f"{f['p50'] / base:.2f}x" if base else ""
                print(f"| {qname} | {name} | {int(f['n'])}{errs} | {f['p50']:.1f} | {f['p95']:.1f} | "
                      f"{f['p99']:.1f} | {f['rps']:.1f} | {ratio} |", flush=True)
                p50s.setdefault((qname, name), []).append((triples, f["p50"]))
        peak = {pid: p.stop() for pid, p in peaks.items()}
        print("\n| server | idle RSS MB | idle PSS MB | peak RSS MB | peak PSS MB |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name, (_url, pid, _h) in servers.items():
            if "cached" not in name:
                print(f"| {name} | {idle[name][0]:.0f} | {idle[name][1]:.0f} | {peak[pid][0]:.0f} | "
                      f"{peak[pid][1]:.0f} |")
        print(flush=True)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
        for stop in stops:
            stop()
        if kept:
            for peer in ("oxigraph", "fuseki"):  # the peers' stores are loaded afresh each run
                shutil.rmtree(home / peer, ignore_errors=True)
        else:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
