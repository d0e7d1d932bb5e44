"""`yhdyspinta serve --backend sparql`: the JSON API, the pages and /sparql answered from a remote store.

A real server process (tests/http_live.py) in front of the Oxigraph server of the session (and of
Fuseki for one parity check), holding the bundled data; its answers are compared with those of
the embedded server over the same data. /sparql forwards read queries (SPARQLWrapper), within
our result cap, refusing SERVICE and updates; the routes that need the embedded store say so
(501, naming the store). A store that does not answer in time, and one that is down, give
504 and 503 naming the endpoint without its credentials.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from http_live import LiveServer, asgi_client, live_server, served_copy
from neo4j_fixtures import copy_store, free_port
from rdflib import BNode, Graph
from rdflib.compare import isomorphic
from sparql_fixtures import copy_into, endpoints_of
from SPARQLWrapper import JSON, SPARQLWrapper

from yhdyspinta.api.http.app import create_app
from yhdyspinta.graph.backends.sparql.backend import SparqlBackend
from yhdyspinta.graph.store.remote import RemoteStore
from yhdyspinta.graph.store.remote_client import Endpoints
from yhdyspinta.graph.store.store import Store
from yhdyspinta.launcher import oxigraph
from yhdyspinta.launcher.rdfstore import StoreInfo
from yhdyspinta.settings import Settings

CAP = 40  # the result cap of the remote-backed server (YHDYSPINTA_RESULT_LIMIT)
DAY = "2025-03-01"
API = [
    f"/api/regions/paijat-hame/gaps?as_of={DAY}",
    f"/api/regions/paijat-hame/gaps?all=true&as_of={DAY}",
    f"/api/regions/paijat-hame/coverage?as_of={DAY}",
    f"/api/bridges?region=paijat-hame&as_of={DAY}",
    f"/api/load?as_of={DAY}",
    f"/api/quorum?as_of={DAY}",
    f"/api/compare?a=paijat-hame&b=lappi&as_of={DAY}",
    f"/api/national?as_of={DAY}",
    f"/api/regions/paijat-hame/calendar?today={DAY}",
    f"/api/viz?region=paijat-hame&as_of={DAY}",
    "/api/history",
]  # /api/graphs lists the same graphs with other links: test_graph_links_work_through_sparql
MUNICIPALITIES = """PREFIX yhd: <https://w3id.org/yhdyspinta/ontology#>
SELECT ?m ?label WHERE { ?m a yhd:Municipality ; skos:prefLabel ?label FILTER(lang(?label) = "fi") }
ORDER BY ?m"""


def _remote_env(info: StoreInfo, **extra: str) -> dict[str, str]:
    return {**info.env(), "YHDYSPINTA_BACKEND": "sparql", **extra}


@pytest.fixture(scope="module")
def bundled_copy(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = copy_store(bundled_store_dir, tmp_path_factory.mktemp("serve-remote") / "store")
    yield store
    store.close()


@pytest.fixture(scope="module")
def embedded(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """The embedded server over the same data, in-process: the reference answers."""
    with served_copy(bundled_store_dir, tmp_path_factory.mktemp("serve-embedded")) as client:
        yield client


@pytest.fixture(scope="module")
def on_oxigraph(oxigraph_server: StoreInfo, bundled_copy: Store,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    copy_into(bundled_copy, oxigraph_server)
    home = tmp_path_factory.mktemp("serve-oxigraph")
    with live_server(home, env=_remote_env(oxigraph_server, YHDYSPINTA_RESULT_LIMIT=str(CAP))) as server:
        yield server


def _json(response: httpx.Response) -> object:
    assert response.status_code == 200, response.text
    return response.json()


# -- the JSON API and the pages --------------------------------------------------


def test_json_api_answers_as_the_embedded_server(on_oxigraph: LiveServer, embedded: httpx.Client) -> None:
    for path in API:
        remote = _json(httpx.get(on_oxigraph.url + path, timeout=120))
        assert remote == _json(embedded.get(path)), path
    assert _json(embedded.get("/api/history"))  # not two empty answers


def _strip_nonces(html: str) -> str:
    return re.sub(r'nonce-[A-Za-z0-9+/=_-]+|nonce="[^"]*"', "", html)


def test_pages_render_from_the_remote_store(on_oxigraph: LiveServer, embedded: httpx.Client) -> None:
    for path in (f"/report/paijat-hame?as_of={DAY}", f"/viz?region=paijat-hame&as_of={DAY}", f"/national?as_of={DAY}"):
        page = httpx.get(on_oxigraph.url + path, timeout=120)
        assert page.status_code == 200, page.text
        assert page.headers["content-type"].startswith("text/html")
        assert "Päijät-Häme" in page.text
        assert _strip_nonces(page.text) == _strip_nonces(embedded.get(path).text), path


def test_the_local_store_is_not_read(on_oxigraph: LiveServer) -> None:
    """The server's own home holds no store: the answers above came from the remote one."""
    assert not (on_oxigraph.home / "store").exists()


def test_graph_links_work_through_sparql(on_oxigraph: LiveServer, embedded: httpx.Client) -> None:
    """/dump and /graph-store answer 501 here: /api/graphs links each graph through /sparql (a CONSTRUCT),
    and lists no dataset dump, saying why; the records are those of the embedded server."""
    listing = _json(httpx.get(on_oxigraph.url + "/api/graphs", timeout=60))
    local = _json(embedded.get("/api/graphs"))
    assert isinstance(listing, dict) and isinstance(local, dict)
    assert listing["dataset"] == {} and "embedded store" in listing["note"] and "/sparql" in listing["note"]
    assert local["dataset"] and "note" not in local
    assert ([{k: v for k, v in g.items() if k != "download"} for g in listing["graphs"]]
            == [{k: v for k, v in g.items() if k != "download"} for g in local["graphs"]] != [])
    for record in listing["graphs"]:
        assert set(record["download"]) == {"turtle", "ntriples", "jsonld", "rdfxml"}
        assert all(u.startswith("/sparql?") for u in record["download"].values()), record["download"]

    small = min((g for g in listing["graphs"] if g["triples"] <= CAP), key=lambda g: g["triples"])
    reference = Graph().parse(data=embedded.get(next(g for g in local["graphs"] if g["graph"] == small["graph"])
                                                ["download"]["ntriples"]).text, format="nt")
    assert len(reference) == small["triples"]
    known = next(t for t in reference if not any(isinstance(x, BNode) for x in t))
    for fmt, parser in (("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld"), ("rdfxml", "xml")):
        answer = httpx.get(on_oxigraph.url + small["download"][fmt], timeout=60)
        assert answer.status_code == 200, (fmt, answer.text)
        assert "X-SPARQL-MaxRows" not in answer.headers
        graph = Graph().parse(data=answer.text, format=parser)
        assert known in graph, fmt
        assert isomorphic(graph, reference), fmt

    big = next(g for g in listing["graphs"] if g["triples"] > CAP)  # a graph over the cap says it was cut
    cut = httpx.get(on_oxigraph.url + big["download"]["turtle"], timeout=60)
    assert cut.status_code == 200 and cut.headers["X-SPARQL-MaxRows"] == str(CAP)
    assert len(Graph().parse(data=cut.text, format="turtle")) == CAP


# -- /sparql forwards ------------------------------------------------------------


def test_sparql_forwards_a_select(on_oxigraph: LiveServer, embedded: httpx.Client) -> None:
    client = SPARQLWrapper(f"{on_oxigraph.url}/sparql")
    client.setQuery(MUNICIPALITIES)
    client.setReturnFormat(JSON)
    client.setMethod("POST")
    remote = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index, call-overload]
    local = embedded.post("/sparql", data={"query": MUNICIPALITIES},
                          headers={"Accept": "application/sparql-results+json"})
    assert local.status_code == 200
    assert len(local.json()["results"]["bindings"]) > CAP  # so that the cap shows
    assert remote == local.json()["results"]["bindings"][:CAP]


def test_sparql_forwards_within_the_result_cap(on_oxigraph: LiveServer) -> None:
    everything = "SELECT * WHERE { ?s ?p ?o }"
    for fmt, parse in (("json", lambda r: len(r.json()["results"]["bindings"])),
                       ("csv", lambda r: len(r.text.strip().splitlines()) - 1),
                       ("xml", lambda r: r.text.count("<result>"))):
        answer = httpx.get(f"{on_oxigraph.url}/sparql", params={"query": everything, "format": fmt}, timeout=60)
        assert answer.status_code == 200, answer.text
        assert parse(answer) == CAP, fmt
        assert answer.headers["X-SPARQL-MaxRows"] == str(CAP)
    small = httpx.get(f"{on_oxigraph.url}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"})
    assert len(small.json()["results"]["bindings"]) == 3
    assert "X-SPARQL-MaxRows" not in small.headers


def test_sparql_forwards_construct_and_ask(on_oxigraph: LiveServer) -> None:
    construct = httpx.get(f"{on_oxigraph.url}/sparql", headers={"Accept": "text/turtle"},
                          params={"query": "CONSTRUCT { ?s a ?t } WHERE { ?s a yhd:Municipality ; a ?t }"})
    assert construct.status_code == 200, construct.text
    assert construct.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=construct.text, format="turtle")) == CAP
    ask = httpx.get(f"{on_oxigraph.url}/sparql", params={"query": "ASK { ?m a yhd:Municipality }"},
                    headers={"Accept": "application/sparql-results+xml"})
    assert ask.status_code == 200 and "<boolean>true</boolean>" in ask.text


def test_sparql_shows_no_server_paths(on_oxigraph: LiveServer, oxigraph_server: StoreInfo) -> None:
    query = "SELECT ?path WHERE { ?s yhd:sourcePath ?path }"
    with RemoteStore(endpoints_of(oxigraph_server)) as remote:
        stored = {r["path"] for r in remote.select(query)}
    assert any(p.startswith("/") for p in stored)  # the remote store keeps the ingest's real paths
    shown = httpx.get(f"{on_oxigraph.url}/sparql", params={"query": query}).json()["results"]["bindings"]
    assert shown and not any(b["path"]["value"].startswith("/") for b in shown)


def test_sparql_refuses_service_and_updates(on_oxigraph: LiveServer, oxigraph_server: StoreInfo) -> None:
    service = httpx.get(f"{on_oxigraph.url}/sparql",
                        params={"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"})
    assert service.status_code == 400 and "SERVICE" in service.text
    update = httpx.post(f"{on_oxigraph.url}/sparql", data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"},
                        headers=on_oxigraph.auth)
    assert update.status_code == 501 and oxigraph_server.query in update.text
    broken = httpx.get(f"{on_oxigraph.url}/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert broken.status_code == 400 and oxigraph_server.query in broken.text


def test_routes_that_need_the_embedded_store_say_so(on_oxigraph: LiveServer, oxigraph_server: StoreInfo) -> None:
    for method, path in (("GET", "/graph-store?default"), ("GET", "/dump?format=nquads"),
                         ("PUT", "/graph/default"), ("GET", "/api/networks"), ("GET", "/id/municipality/398")):
        answer = httpx.request(method, on_oxigraph.url + path, headers=on_oxigraph.auth, content=b"")
        assert answer.status_code == 501, (path, answer.text)
        assert oxigraph_server.query in answer.text, path
    assert httpx.get(on_oxigraph.url + "/").status_code == 200  # the query page still opens


# -- Fuseki: one parity check -----------------------------------------------------


def test_fuseki_serves_the_same(fuseki_server: StoreInfo, bundled_copy: Store, embedded: httpx.Client,
                                tmp_path: Path) -> None:
    copy_into(bundled_copy, fuseki_server)
    with live_server(tmp_path, env=_remote_env(fuseki_server)) as server:
        path = API[1]
        assert _json(httpx.get(server.url + path, timeout=300)) == _json(embedded.get(path))
        forwarded = httpx.post(f"{server.url}/sparql", data={"query": MUNICIPALITIES},
                               headers={"Accept": "application/sparql-results+json"}, timeout=60)
        local = embedded.post("/sparql", data={"query": MUNICIPALITIES},
                              headers={"Accept": "application/sparql-results+json"})
        assert forwarded.status_code == 200, forwarded.text
        assert forwarded.json()["results"]["bindings"] == local.json()["results"]["bindings"]


# -- failures ---------------------------------------------------------------------


def test_a_store_past_the_time_limit_gives_504(silent_store: str, tmp_path: Path) -> None:
    secret_url = silent_store.replace("http://", "http://steward:url-secret@")
    endpoints = Endpoints(secret_url, user="steward", password="pw-secret", timeout=1.5)
    settings = Settings(home=tmp_path, query_timeout=1.5)
    with Store(tmp_path / "store") as store, RemoteStore(endpoints) as remote:
        app = create_app(settings, store, backend=SparqlBackend(remote))
        with asgi_client(app) as client:
            for answer in (client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}),
                           client.get("/api/quorum")):
                assert answer.status_code == 504, answer.text
                assert silent_store.removeprefix("http://") in answer.text
                assert "secret" not in answer.text


def test_a_store_that_is_down_gives_503_naming_it(bundled_copy: Store, tmp_path: Path) -> None:
    info = oxigraph.start(home=tmp_path / "oxigraph", port=free_port())
    try:
        copy_into(bundled_copy, info)
        (tmp_path / "serve").mkdir()
        with live_server(tmp_path / "serve", env=_remote_env(info)) as server:
            assert httpx.get(server.url + "/api/quorum", timeout=60).status_code == 200
            oxigraph.stop(home=tmp_path / "oxigraph")
            for answer in (httpx.get(server.url + "/api/quorum", timeout=60),
                           httpx.get(server.url + "/sparql", params={"query": "ASK {}"}, timeout=60)):
                assert answer.status_code == 503, answer.text
                assert info.query in answer.text
                assert "is it running" in answer.text
    finally:
        oxigraph.stop(home=tmp_path / "oxigraph")


def test_serve_refuses_to_start_without_the_store(tmp_path: Path) -> None:
    """No data in the remote store: the server does not start pretending (the CLI shows why)."""
    import subprocess
    import sys

    port = free_port()
    env = {"YHDYSPINTA_HOME": str(tmp_path), "YHDYSPINTA_BACKEND": "sparql",
           "YHDYSPINTA_SPARQL_QUERY": f"http://127.0.0.1:{free_port()}/query", "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "yhdyspinta", "serve", "--port", str(port)], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 7, done.stderr
    assert "cannot be reached" in done.stderr and "/query" in done.stderr
