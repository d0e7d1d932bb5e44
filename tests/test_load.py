"""Load: concurrent clients on loopback, bounded in count and time; the error rate stays
at zero and the latency percentiles are reported (tests/artifacts/load.json)."""

from __future__ import annotations

import json
import statistics
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from browser import ARTIFACTS
from http_live import LiveServer, live_server

REQUESTS = (
    ("GET", "/api/regions/paijat-hame/gaps", None),
    ("GET", "/api/quorum", None),
    ("GET", "/api/networks", {"region": "paijat-hame", "limit": 20}),
    ("POST", "/sparql", {"query": "SELECT ?n (COUNT(?m) AS ?k) WHERE { ?n a <https://w3id.org/yhdyspinta/ontology#Network> ; "
                                  "<http://www.w3.org/ns/org#hasMember> ?m } GROUP BY ?n ORDER BY DESC(?k) LIMIT 10"}),
    ("GET", "/sparql", {"query": "ASK { ?s ?p ?o }"}),
)


@pytest.fixture(scope="module")
def server(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("load"), store=bundled_store_dir) as s:
        yield s


def test_concurrent_load_has_no_errors(server: LiveServer, long_run: bool) -> None:
    clients, per_client, budget = (16, 60, 120.0) if long_run else (8, 15, 60.0)
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    deadline = time.monotonic() + budget

    def client(k: int) -> None:
        with httpx.Client(base_url=server.url, timeout=30) as c:
            for i in range(per_client):
                if time.monotonic() > deadline:
                    return
                method, path, params = REQUESTS[(k + i) % len(REQUESTS)]
                t0 = time.perf_counter()
                if method == "GET":
                    r = c.get(path, params=params, headers={"Accept": "application/json"})
                else:
                    r = c.post(path, data=params, headers={"Accept": "application/sparql-results+json"})
                elapsed = time.perf_counter() - t0
                with lock:
                    statuses.append(r.status_code)
                    latencies.append(elapsed)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    errors = [s for s in statuses if s != 200]
    q = statistics.quantiles(latencies, n=100)
    report = {"clients": clients, "requests": len(statuses), "errors": len(errors), "seconds": round(wall, 2),
              "throughput_rps": round(len(statuses) / wall, 1), "p50_ms": round(q[49] * 1000, 1),
              "p95_ms": round(q[94] * 1000, 1), "p99_ms": round(q[98] * 1000, 1)}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "load.json").write_text(json.dumps(report, indent=2))
    print("load:", report)
    assert len(statuses) >= clients * min(per_client, 5)
    assert errors == [], errors[:10]
