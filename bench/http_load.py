"""Benchmark: many concurrent clients on the JSON API of one `yhdyspinta serve` (loopback only).

The store is bench/common.py's synthetic national store (built once per size and cached in
``--work``; copied here, never written). The script starts our server as the CLI does, asks each
URL once (the first answer: the analysis computed), then lets ``--clients`` threads, each with
its own HTTP connection, cycle through the URLs (the coverage gaps and the bridges of several
regions) for ``--requests`` answers each, twice: plain GETs (answered from the cache by store
version, api/http/cache.py) and GETs that send back the ETag (``If-None-Match``: 304). It prints
latency percentiles, errors, throughput and the server's memory (resident and proportional
set size of the whole process tree: RSS counts the pages the query workers share with their
fork server once per process, PSS splits them). Bounded in count and time; not a test.

    python bench/http_load.py --per-region 1000 --clients 50 --requests 40
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import build_store  # noqa: E402 - bench/common.py
from sparql_endpoint import Peak, memory_tree  # noqa: E402

REGIONS = ("paijat-hame", "pirkanmaa", "lappi", "helsinki", "kainuu", "satakunta")
_OUR_SERVER = """
import sys
from yhdyspinta.api.cli.serve import run
from yhdyspinta.settings import Settings
run(Settings.from_env(), host="127.0.0.1", port=int(sys.argv[1]))
"""


def urls(base: str) -> list[str]:
    """The JSON API answers the clients ask for: each region's coverage gaps and bridges."""
    out = []
    for region in REGIONS:
        out.append(f"{base}/api/regions/{region}/gaps")
        out.append(f"{base}/api/bridges?region={region}")
    return out


def _port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def first_answers(targets: list[str]) -> dict[str, tuple[float, str]]:
    """Each URL once, in turn: seconds to the first answer (computed, not cached) and its ETag."""
    out = {}
    with httpx.Client(timeout=600) as c:
        for url in targets:
            t0 = time.monotonic()
            r = c.get(url, headers={"Accept": "application/json"})
            r.raise_for_status()
            out[url] = (time.monotonic() - t0, r.headers.get("etag", ""))
    return out


def hammer(targets: list[str], *, clients: int, requests: int, seconds: float,
           etags: dict[str, str] | None = None) -> dict[str, float]:
    """``clients`` threads, each ``requests`` GETs over ``targets``; with ``etags``, sent as If-None-Match."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    start = threading.Barrier(clients)
    deadline = time.monotonic() + seconds
    expected = 304 if etags else 200

    def client(index: int) -> None:
        mine: list[float] = []
        failed = 0
        with httpx.Client(timeout=max(seconds, 60)) as c:
            start.wait()
            for i in range(requests):
                if time.monotonic() > deadline:
                    break
                url = targets[(index + i) % len(targets)]
                headers = {"Accept": "application/json"}
                if etags:
                    headers["If-None-Match"] = etags[url]
                t0 = time.monotonic()
                try:
                    ok = c.get(url, headers=headers).status_code == expected
                except httpx.HTTPError:
                    ok = False
                if ok:
                    mine.append(time.monotonic() - t0)
                else:
                    failed += 1
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    q = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [float("nan")] * 99
    return {"n": len(latencies), "errors": errors[0], "p50": q[49] * 1000, "p95": q[94] * 1000,
            "p99": q[98] * 1000, "max": max(latencies, default=float("nan")) * 1000,
            "rps": len(latencies) / wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-region", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "yhdyspinta-bench")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=40, help="answers per client and round")
    parser.add_argument("--seconds", type=float, default=120.0, help="time limit per round")
    args = parser.parse_args()
    store, triples, _ingest = build_store(args.work, args.per_region)
    home = Path(tempfile.mkdtemp(prefix="yhd-load-"))
    shutil.copytree(store, home / "store")
    port = _port()
    env = {**os.environ, "YHDYSPINTA_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, "-c", _OUR_SERVER, str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base, proc)
        time.sleep(1)
        idle = memory_tree(proc.pid)
        peak = Peak(proc.pid)
        targets = urls(base)
        first = first_answers(targets)
        rounds = {
            "cached answers (200)": hammer(targets, clients=args.clients, requests=args.requests,
                                           seconds=args.seconds),
            "If-None-Match (304)": hammer(targets, clients=args.clients, requests=args.requests,
                                          seconds=args.seconds, etags={u: e for u, (_t, e) in first.items()}),
        }
        top = peak.stop()
        load = os.getloadavg()
        print(f"## {args.clients} concurrent clients on the JSON API: {triples} triples "
              f"({args.per_region} structures per region), load average {load[0]:.2f}\n")
        firsts = sorted(t for t, _e in first.values())
        print(f"First answer of each of the {len(targets)} URLs (computed): median "
              f"{statistics.median(firsts) * 1000:.0f} ms, slowest {firsts[-1] * 1000:.0f} ms\n")
        print("| round | answers | errors | p50 ms | p95 ms | p99 ms | max ms | req/s |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, f in rounds.items():
            print(f"| {name} | {int(f['n'])} | {int(f['errors'])} | {f['p50']:.1f} | {f['p95']:.1f} | "
                  f"{f['p99']:.1f} | {f['max']:.1f} | {f['rps']:.0f} |")
        print(f"\nServer memory (whole process tree): idle RSS {idle[0]:.0f} MB / PSS {idle[1]:.0f} MB, "
              f"peak RSS {top[0]:.0f} MB / PSS {top[1]:.0f} MB", flush=True)
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(home, ignore_errors=True)


def _wait(base: str, process: subprocess.Popen[bytes], limit: float = 300) -> None:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if process.poll() is not None:
            raise RuntimeError("the server exited")
        try:
            httpx.get(f"{base}/sparql", params={"query": "ASK {}"}, timeout=5)
            return
        except httpx.TransportError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start")


if __name__ == "__main__":
    main()
