"""The W3C SPARQL 1.1 Protocol test suite, run against a live server.

The manifests in tests/data/w3c (copied from the W3C rdf-tests, see its
PROVENANCE.txt) describe HTTP requests and the responses they must get. This
module reads them with rdflib and replays every request over TCP with httpx
against `yhdyspinta serve` on an empty store: the 34 protocol tests, the
13 Graph Store Protocol tests and the 3 service description tests.

Each test starts from the graphs its manifest entry names (ut:graphData),
loaded with the Graph Store Protocol after a DROP ALL. Every request carries
the stewards' token, so that a bad request is refused for the protocol
reason, not for a missing credential. Paths are mapped as the manifests
allow: /sparql/ is served as is, /gsp?graph= is /graph-store?graph= and
/gsp/<path> is the direct graph /graph/<path>.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from http_live import LiveServer, live_server
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

W3C = Path(__file__).parent / "data" / "w3c"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

STATUS = {"OK": {200}, "Created": {201}, "NoContent": {204}, "NotFound": {404}}
RESULT_TYPES = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values")
RDF_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
             "application/ld+json": "json-ld"}


def _entries(manifest: Path) -> list[tuple[Graph, URIRef]]:
    g = Graph().parse(manifest, format="turtle")
    found = []
    for m in g.subjects(RDF.type, MF.Manifest):
        for lst in g.objects(m, MF.entries):
            found += [(g, URIRef(e)) for e in Collection(g, lst)]
    return found


PROTOCOL = _entries(W3C / "manifest.ttl")
GSP = _entries(W3C / "graph-store-protocol" / "manifest-direct.ttl") + _entries(
    W3C / "graph-store-protocol" / "manifest-indirect.ttl")


def _name(entry: tuple[Graph, URIRef]) -> str:
    return str(entry[1]).rsplit("#", 1)[-1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("w3c")) as s:
        yield s


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=60) as c:
        yield c


def _reset(server: LiveServer, client: httpx.Client, g: Graph, test: URIRef) -> None:
    r = client.post(f"{server.url}/sparql", content="DROP ALL",
                    headers={"Content-Type": "application/sparql-update", **server.auth})
    assert r.status_code == 200, r.text
    for data in g.objects(test, UT.graphData):
        path = W3C / str(g.value(data, UT.graph)).rsplit("/", 1)[-1]
        name = str(g.value(data, RDFS.label))
        r = client.put(f"{server.url}/graph-store", params={"graph": name}, content=path.read_bytes(),
                       headers={"Content-Type": "application/n-triples", **server.auth})
        assert r.status_code in (201, 204), r.text


def _path(path: str) -> str:
    if path.startswith("/gsp/"):
        return "/graph/" + path[len("/gsp/"):]
    if path.startswith("/gsp"):
        return "/graph-store" + path[len("/gsp"):]
    return path


def _headers(g: Graph, node: object) -> dict[str, str]:
    out = {}
    for lst in g.objects(node, HT.headers):  # type: ignore[arg-type]
        for h in Collection(g, lst):
            out[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
    return out


def _body(g: Graph, node: object) -> tuple[bytes, str] | None:
    body = g.value(node, HT.body)  # type: ignore[arg-type]
    if body is None:
        return None
    encoding = str(g.value(body, CNT.characterEncoding) or "UTF-8")
    text = str(g.value(body, CNT.chars))
    data = text.encode("utf-16" if encoding.upper() == "UTF-16" else encoding)
    return data, text


def _boolean(response: httpx.Response) -> bool:
    ctype = response.headers.get("content-type", "").split(";")[0]
    if ctype == "application/sparql-results+json":
        return bool(json.loads(response.text)["boolean"])
    assert ctype == "application/sparql-results+xml", ctype
    root = ET.fromstring(response.content)
    return root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"  # type: ignore[union-attr]


def _check(g: Graph, resp: object, response: httpx.Response, label: str) -> None:
    expected: set[int] = set()
    for s in g.objects(resp, MF.expectedStatus):  # type: ignore[arg-type]
        name = str(s).rsplit("#", 1)[-1]
        if name.startswith("StatusCode"):
            digit = int(name[len("StatusCode")])
            expected |= set(range(digit * 100, digit * 100 + 100))
        else:
            expected |= STATUS[name]
    assert response.status_code in expected, f"{label}: got {response.status_code}: {response.text[:500]}"
    ctype = response.headers.get("content-type", "").split(";")[0].strip()
    fmt = g.value(resp, MF.expectedFormat)  # type: ignore[arg-type]
    if fmt is not None and str(fmt) == "tabular":
        assert ctype in RESULT_TYPES, f"{label}: {ctype}"
    elif fmt is not None and str(fmt) == "RDF":
        assert ctype in RDF_TYPES, f"{label}: {ctype}"
        Graph().parse(data=response.text, format=RDF_TYPES[ctype])
    expected_bool = g.value(resp, MF.expectedBoolean)  # type: ignore[arg-type]
    if expected_bool is not None or (fmt is not None and str(fmt) == "boolean"):
        value = _boolean(response)
        if expected_bool is not None:
            assert value is expected_bool.toPython(), f"{label}: ASK gave {value}"
    for name, value in _headers(g, resp).items():
        got = response.headers.get(name, "")
        assert got.replace(" ", "").lower() == value.replace(" ", "").lower(), f"{label}: {name}: {got}"
    body = _body(g, resp)
    if body is not None:
        want = Graph().parse(data=body[1], format="turtle")
        have = Graph().parse(data=response.text, format=RDF_TYPES[ctype])
        assert isomorphic(want, have), f"{label}: the graph differs:\n{response.text}"


def _run(server: LiveServer, client: httpx.Client, g: Graph, test: URIRef) -> None:
    _reset(server, client, g, test)
    action = g.value(test, MF.action)
    location = ""
    for i, request in enumerate(Collection(g, g.value(action, HT.requests)), start=1):
        method = str(g.value(request, HT.methodName))
        path = _path(str(g.value(request, HT.absolutePath)).replace("$LOCATION$", location))
        headers = {**_headers(g, request), **server.auth}
        body = _body(g, request)
        content = body[0].replace(b"$LOCATION$", location.encode()) if body else None
        response = client.request(method, server.url + path, content=content, headers=headers)
        resp = g.value(request, HT.resp)
        _check(g, resp, response, f"request {i} ({method} {path})")
        if g.value(resp, MF.expectedLocation) is not None:
            location = response.headers["location"]


@pytest.mark.parametrize("entry", PROTOCOL, ids=_name)
def test_protocol(server: LiveServer, client: httpx.Client, entry: tuple[Graph, URIRef]) -> None:
    _run(server, client, *entry)


@pytest.mark.parametrize("entry", GSP, ids=_name)
def test_graph_store_protocol(server: LiveServer, client: httpx.Client, entry: tuple[Graph, URIRef]) -> None:
    _run(server, client, *entry)


def test_suite_is_complete() -> None:
    assert len(PROTOCOL) == 34 and len(GSP) == 13


# -- service description (the manifest names the tests; the checks are the tests' names) --

def _description(server: LiveServer, client: httpx.Client) -> Graph:
    r = client.get(f"{server.url}/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    return Graph().parse(data=r.text, format="turtle")


def test_service_description_returns_rdf(server: LiveServer, client: httpx.Client) -> None:
    for accept, fmt in (("application/rdf+xml", "xml"), ("application/ld+json", "json-ld"),
                        ("application/n-triples", "nt")):
        r = client.get(f"{server.url}/sparql", headers={"Accept": accept})
        assert r.headers["content-type"].startswith(accept)
        assert len(Graph().parse(data=r.text, format=fmt)) > 5


def test_service_description_has_endpoint_triple(server: LiveServer, client: httpx.Client) -> None:
    g = _description(server, client)
    assert (None, SD.endpoint, URIRef(f"{server.url}/sparql")) in g


def test_service_description_conforms_to_schema(server: LiveServer, client: httpx.Client) -> None:
    g = _description(server, client)
    service = g.value(predicate=SD.endpoint, object=URIRef(f"{server.url}/sparql"))
    assert (service, RDF.type, SD.Service) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) in g
    dataset = g.value(service, SD.defaultDataset)
    assert (dataset, RDF.type, SD.Dataset) in g
    assert (g.value(dataset, SD.defaultGraph), RDF.type, SD.Graph) in g
    for prop in g.predicates(service, None):
        assert str(prop).startswith(str(SD)) or prop in (RDF.type, URIRef("http://purl.org/dc/terms/title"))
