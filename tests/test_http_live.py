"""End to end: `yhdyspinta serve` in its own process, driven over TCP by real clients.

SPARQLWrapper as a partner would use it, httpx for the rest; the time limit
is proven on a query that would run for hours.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from http_live import LiveServer, live_server
from rdflib import Graph
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

PATHOLOGICAL = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?a ?f ?i"
TIMEOUT = 3.0


@pytest.fixture(scope="module")
def server(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    env = {"YHDYSPINTA_QUERY_TIMEOUT": str(TIMEOUT), "YHDYSPINTA_QUERY_WORKERS": "2"}
    with live_server(tmp_path_factory.mktemp("live"), store=bundled_store_dir, env=env) as s:
        yield s


def _wrapper(server: LiveServer) -> SPARQLWrapper:
    return SPARQLWrapper(f"{server.url}/sparql", updateEndpoint=f"{server.url}/sparql")


def test_sparqlwrapper_select_and_construct(server: LiveServer) -> None:
    sw = _wrapper(server)
    sw.setQuery("SELECT ?name WHERE { ?m a yhd:Municipality ; skos:notation '398' ; skos:prefLabel ?name "
                "FILTER(lang(?name) = 'fi') }")
    sw.setReturnFormat(JSON)
    rows = sw.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert [r["name"]["value"] for r in rows] == ["Lahti"]
    sw.setMethod(POST)
    sw.setQuery("CONSTRUCT { ?n a <https://w3id.org/yhdyspinta/ontology#Network> } WHERE { ?n a yhd:Network }")
    sw.setReturnFormat(TURTLE)
    graph = Graph().parse(data=sw.queryAndConvert(), format="turtle")  # type: ignore[arg-type]
    assert len(graph) > 90


def test_sparqlwrapper_update_needs_the_token(server: LiveServer) -> None:
    update = ("INSERT DATA { GRAPH <https://w3id.org/yhdyspinta/graph/test/live> { "
              "<https://w3id.org/yhdyspinta/id/test/a> <http://www.w3.org/2000/01/rdf-schema#label> 'a' } }")
    sw = _wrapper(server)
    sw.setMethod(POST)
    sw.setQuery(update)
    with pytest.raises(SPARQLWrapperException):
        sw.query()
    ask = httpx.get(f"{server.url}/sparql", params={"query": "ASK { <https://w3id.org/yhdyspinta/id/test/a> ?p ?o }"})
    assert ask.json()["boolean"] is False
    sw.addCustomHttpHeader("Authorization", f"Bearer {server.token}")
    sw.query()
    ask = httpx.get(f"{server.url}/sparql", params={"query": "ASK { <https://w3id.org/yhdyspinta/id/test/a> ?p ?o }"})
    assert ask.json()["boolean"] is True


def test_time_limit_stops_the_query_and_the_server_keeps_answering(server: LiveServer) -> None:
    workers_before = server.worker_pids()
    assert len(workers_before) == 2  # two general workers; the reserved lane starts when both are first busy
    outcome: dict[str, object] = {}

    def slow() -> None:
        started = time.monotonic()
        r = httpx.post(f"{server.url}/sparql", content=PATHOLOGICAL, timeout=60,
                       headers={"Content-Type": "application/sparql-query"})
        outcome.update(status=r.status_code, text=r.text, seconds=time.monotonic() - started)

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.5)
    answered = 0
    while thread.is_alive():  # other clients are served while the slow query runs
        r = httpx.get(f"{server.url}/sparql", params={"query": "ASK { ?s a yhd:Municipality }"}, timeout=10)
        assert r.status_code == 200 and r.json()["boolean"] is True
        assert httpx.get(f"{server.url}/api/regions", timeout=10).status_code == 200
        answered += 1
        time.sleep(0.2)
    thread.join()
    assert answered >= 3
    assert outcome["status"] == 503 and "time limit" in str(outcome["text"])
    assert TIMEOUT <= float(outcome["seconds"]) < TIMEOUT + 5  # type: ignore[arg-type]
    time.sleep(1)
    workers_after = server.worker_pids()
    assert len(workers_after) == 2 and workers_before - workers_after, "the busy worker was killed and replaced"
    r = httpx.get(f"{server.url}/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) > 5000


def test_concurrent_clients(server: LiveServer) -> None:
    results: list[int] = []

    def ask(i: int) -> None:
        with httpx.Client(timeout=30) as c:
            for _ in range(5):
                r = c.get(f"{server.url}/api/municipalities", params={"offset": i, "limit": 5})
                results.append(r.status_code)
                r = c.post(f"{server.url}/sparql", data={"query": f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {i + 1}"})
                results.append(r.status_code)

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200] * 80


def test_iri_and_dump_over_tcp(server: LiveServer) -> None:
    html = httpx.get(f"{server.url}/id/region/paijat-hame", headers={"Accept": "text/html"})
    assert html.status_code == 200 and "Päijät-Häme" in html.text
    rdf = httpx.get(f"{server.url}/id/region/paijat-hame", headers={"Accept": "application/rdf+xml"})
    assert len(Graph().parse(data=rdf.text, format="xml")) > 3
    with httpx.stream("GET", f"{server.url}/dump", params={"format": "trig"}) as r:
        assert r.status_code == 200 and sum(len(chunk) for chunk in r.iter_bytes()) > 100_000


def test_read_only_workers(bundled_store_dir: Path, tmp_path: Path) -> None:
    """--workers 2: both processes read a snapshot; writes are refused with a reason."""
    import os
    import shutil
    import signal
    import subprocess
    import sys

    from http_live import free_port
    shutil.copytree(bundled_store_dir, tmp_path / "store")
    port = free_port()
    env = {**os.environ, "YHDYSPINTA_HOME": str(tmp_path), "YHDYSPINTA_WRITE_TOKEN": "t",
           "YHDYSPINTA_QUERY_WORKERS": "1"}
    code = ("from yhdyspinta.api.cli.serve import run; from yhdyspinta.settings import Settings; "
            f"run(Settings.from_env(), host='127.0.0.1', port={port}, workers=2)")
    process = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                if httpx.get(f"{url}/api/regions", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        assert httpx.get(f"{url}/sparql", params={"query": "ASK { ?s a yhd:Network }"}).json()["boolean"] is True
        r = httpx.post(f"{url}/sparql", content="CLEAR ALL",
                       headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer t"})
        assert r.status_code == 503 and "snapshot" in r.text
        with __import__("yhdyspinta.graph.store.store", fromlist=["Store"]).Store(tmp_path / "store") as primary:
            assert len(primary) > 5000  # the primary store is free: the CLI can ingest meanwhile
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(20)
