"""Benchmark: yhdyspinta's SPARQL endpoint against rdflib-endpoint, same data, same queries, one run.

For each size the script builds the data (the bundled reference data and
ontology, plus bench/synthetic.py's seeded national-scale structures),
starts both servers on loopback ports in their own processes, and sends
each query from CONCURRENCY client threads until REQUESTS answers or
SECONDS have passed, whichever comes first. It prints latency percentiles
and throughput per server and query, and the speed-up. Loopback only,
bounded in count and time; not a test.

    python bench/sparql_endpoint.py --per-region 50 500 --concurrency 8 --requests 200 --seconds 20
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

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
}
_RDFLIB_SERVER = """
import sys, uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint
ds = Dataset(default_union=True)
ds.parse(sys.argv[1], format="nquads")
uvicorn.run(SparqlEndpoint(graph=ds), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""
_OUR_SERVER = """
import sys
from yhdyspinta.api.cli.serve import run
from yhdyspinta.settings import Settings
run(Settings.from_env(), host="127.0.0.1", port=int(sys.argv[1]))
"""


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
    return dump, triples


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


def load(url: str, query: str, *, concurrency: int, requests: int, seconds: float) -> dict[str, float]:
    """Send ``query`` from ``concurrency`` threads until ``requests`` answers or ``seconds`` pass."""
    latencies: list[float] = []
    errors = [0]
    sent = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        with httpx.Client(timeout=max(seconds, 60)) as c:
            while time.monotonic() < deadline:
                with lock:
                    if sent[0] >= requests:
                        return
                    sent[0] += 1
                t0 = time.monotonic()
                r = c.post(url, data={"query": query}, headers={"Accept": "application/sparql-results+json"})
                elapsed = time.monotonic() - t0
                with lock:
                    if r.status_code == 200:
                        latencies.append(elapsed)
                    else:
                        errors[0] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    if not latencies:
        return {"n": 0, "errors": errors[0], "p50": float("nan"), "p95": float("nan"), "p99": float("nan"),
                "rps": 0.0}
    q = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    return {"n": len(latencies), "errors": errors[0], "p50": q[49] * 1000, "p95": q[94] * 1000,
            "p99": q[98] * 1000, "rps": len(latencies) / wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-region", type=int, nargs="+", default=[50, 500])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    print(f"concurrency {args.concurrency}, at most {args.requests} requests or {args.seconds:g} s per query; "
          f"latencies in ms\n")
    for per_region in args.per_region:
        run_size(per_region, args)


def _port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_size(per_region: int, args: argparse.Namespace) -> None:
    home = Path(tempfile.mkdtemp(prefix="yhd-bench-"))
    procs: list[subprocess.Popen[bytes]] = []
    try:
        dump, triples = build(home, per_region, args.seed)
        ours, theirs = _port(), _port()
        env = {**os.environ, "YHDYSPINTA_HOME": str(home), "YHDYSPINTA_QUERY_TIMEOUT": "120",
               "YHDYSPINTA_RESULT_LIMIT": "100000"}
        procs.append(subprocess.Popen([sys.executable, "-c", _OUR_SERVER, str(ours)], env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        procs.append(subprocess.Popen([sys.executable, "-c", _RDFLIB_SERVER, str(dump), str(theirs)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        servers = {"yhdyspinta": f"http://127.0.0.1:{ours}/sparql", "rdflib-endpoint": f"http://127.0.0.1:{theirs}/"}
        ready = {name: _wait(url, p) for (name, url), p in zip(servers.items(), procs, strict=True)}
        print(f"## {per_region} structures per region: {triples} triples "
              f"(start-up: yhdyspinta {ready['yhdyspinta']:.1f} s, rdflib-endpoint {ready['rdflib-endpoint']:.1f} s)\n")
        print("| query | server | answers | p50 | p95 | p99 | req/s | speed-up (p50) |")
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for qname, query in QUERIES.items():
            figures = {name: load(url, query, concurrency=args.concurrency, requests=args.requests,
                                  seconds=args.seconds) for name, url in servers.items()}
            ratio = figures["rdflib-endpoint"]["p50"] / figures["yhdyspinta"]["p50"]
            for name, f in figures.items():
                errs = f" ({int(f['errors'])} errors)" if f["errors"] else ""
                speed = f"{ratio:.0f}x" if name == "yhdyspinta" else ""
                print(f"| {qname} | {name} | {int(f['n'])}{errs} | {f['p50']:.1f} | {f['p95']:.1f} | "
                      f"{f['p99']:.1f} | {f['rps']:.1f} | {speed} |", flush=True)
        print()
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
