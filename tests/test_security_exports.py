"""Safe exports and responses: no spreadsheet formulas, no server paths, no reflected Host header.

A store gets labels a spreadsheet would run as formulas, through a real
ingest; every CSV/TSV the project writes (the JSON API, the SPARQL endpoint
over TCP, the CLI, the XLSX template) must hand them over as text. The same
store, ingested from a temporary folder, shows whether any response reveals
where the server keeps its files, and requests with a forged Host header
whether any link or IRI is built from it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from hostile import HOSTILE, hostile_turtle
from hostile import hostile_home as ingest_hostile
from http_live import LiveServer, asgi_client, live_server
from openpyxl import load_workbook
from rdflib import Graph, URIRef

from yhdyspinta.api.http.app import create_app
from yhdyspinta.api.render.cells import cell, is_formula_like, neutralise
from yhdyspinta.api.render.public_paths import endpoint_iri, public_link, public_source
from yhdyspinta.graph.store.store import Store
from yhdyspinta.ingest import ingest
from yhdyspinta.ingest.bundle import data_dir
from yhdyspinta.ingest.template_xlsx import csv_folder_to_xlsx
from yhdyspinta.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
TOKEN = "security-exports-token"
SD_ENDPOINT = URIRef("http://www.w3.org/ns/sparql-service-description#endpoint")

NETWORK = "https://w3id.org/yhdyspinta/id/network/sec/"
KULTTUURI = "paijat-hame/group/kulttuurihyvinvointi"
EVIL = "evil.example"


@pytest.fixture(scope="module")
def hostile_home(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A YHDYSPINTA_HOME whose store holds the bundled data and the hostile labels, ingested from a tmp folder."""
    home = tmp_path_factory.mktemp("hostile-home")
    outcome = ingest_hostile(bundled_store_dir, home, hostile_turtle("sec", [KULTTUURI]))
    assert outcome.status == "new" and outcome.triples > 6 * 5
    return home


def _app_client(home: Path, tmp_path_factory: pytest.TempPathFactory, **settings: object) -> Iterator[httpx.Client]:
    own = tmp_path_factory.mktemp("hostile-app")
    shutil.copytree(home / "store", own / "store")
    config = Settings(home=own, write_token=TOKEN, query_workers=1, **settings)  # type: ignore[arg-type]
    store = Store(config.store_path)
    try:
        with asgi_client(create_app(config, store)) as client:
            yield client
    finally:
        store.close()


@pytest.fixture(scope="module")
def client(hostile_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """The app in-process over a copy of the hostile store, without a public URL."""
    yield from _app_client(hostile_home, tmp_path_factory)


@pytest.fixture(scope="module")
def server(hostile_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A real `yhdyspinta serve` on a loopback port over a copy of the hostile store."""
    with live_server(tmp_path_factory.mktemp("hostile-live"), store=hostile_home / "store") as live:
        yield live


def _quoted(label: str) -> str:
    return "'" + label


# -- the rule ----------------------------------------------------------------

@pytest.mark.parametrize("text", [*HOSTILE, "=1+2", "+", "-", "@", "-3-3", "-1e", "--1", "-0x1", "+-1",
                                  "-١٢", "-1,5", "\t-3", "=-3"])
def test_formula_like_cells_get_a_quote(text: str) -> None:
    assert is_formula_like(text) and neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["-3", "-1.5", "+2", "-.5", "-3.", "-2e10", "+1.5E-3", "0", "42", "Lahti", "",
                                  "'=already quoted", " =1", "a=b", "https://w3id.org/x", '"-1"'])
def test_numbers_and_plain_text_stay(text: str) -> None:
    assert not is_formula_like(text) and neutralise(text) == text


def test_cell_converts_values() -> None:
    assert cell(None) == "" and cell(-3) == "-3" and cell(-1.5) == "-1.5" and cell(True) == "True"
    assert cell(float("-inf")) == "'-inf" and cell(["=x"]) == "['=x']"


# -- the JSON API's CSV ------------------------------------------------------

def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_api_csv_neutralises_labels(client: httpx.Client) -> None:
    r = client.get("/api/networks", params={"region": "paijat-hame", "format": "csv", "limit": 1000})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    ours = {row["iri"]: row for row in _rows(r.text) if row["iri"].startswith(NETWORK)}
    assert {ours[f"{NETWORK}n{i}"]["label_fi"] for i in range(len(HOSTILE))} == {_quoted(h) for h in HOSTILE}
    assert ',"\'=HYPERLINK(""http://127.0.0.1/x"",""click"")"' in r.text
    for row in _rows(r.text):
        assert not any(is_formula_like(v) for v in row.values()), row
    # the JSON is data, not a spreadsheet: it keeps the labels as they are
    data = client.get("/api/networks", params={"region": "paijat-hame", "limit": 1000}).json()
    assert {i["label_fi"] for i in data["items"] if i["iri"].startswith(NETWORK)} == set(HOSTILE)


def test_api_analysis_csv_keeps_numbers(client: httpx.Client) -> None:
    r = client.get("/api/load", params={"region": "paijat-hame"}, headers={"Accept": "text/csv"})
    rows = _rows(r.text)
    labels = {row["label"] for row in rows}
    assert {_quoted(h) for h in HOSTILE} <= labels and not set(HOSTILE) & labels
    assert all(re.fullmatch(r"[0-9]+", row["memberships"]) for row in rows)
    assert any(row["population"].isdigit() for row in rows)


# -- SPARQL over HTTP (a real server) ----------------------------------------

SPARQL_HOSTILE = f"""PREFIX yhd: <https://w3id.org/yhdyspinta/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?n ?label ?neg ?dec WHERE {{
  ?n a yhd:Network ; skos:prefLabel ?label . FILTER(STRSTARTS(STR(?n), "{NETWORK}"))
  BIND(-3 AS ?neg) BIND(-1.5 AS ?dec)
}} ORDER BY ?n"""


def test_sparql_csv_over_http(server: LiveServer) -> None:
    r = httpx.get(f"{server.url}/sparql", params={"query": SPARQL_HOSTILE}, headers={"Accept": "text/csv"},
                  timeout=30)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = _rows(r.text)
    assert [row["label"] for row in rows] == [_quoted(h) for h in HOSTILE]
    assert {(row["neg"], row["dec"]) for row in rows} == {("-3", "-1.5")}
    assert "'=HYPERLINK(\"\"http://127.0.0.1/x\"\",\"\"click\"\")" in r.text


def test_sparql_tsv_over_http_is_turtle_terms(server: LiveServer) -> None:
    r = httpx.get(f"{server.url}/sparql", params={"query": SPARQL_HOSTILE},
                  headers={"Accept": "text/tab-separated-values"}, timeout=30)
    assert r.status_code == 200
    lines = r.text.rstrip("\n").split("\n")
    assert lines[0] == "?n\t?label\t?neg\t?dec" and len(lines) == len(HOSTILE) + 1
    for line in lines[1:]:
        for value in line.split("\t"):
            assert value[:1] in ('"', "<", "_"), value  # Turtle terms: nothing a spreadsheet runs
    solutions = list(ox.parse_query_results(r.content, ox.QueryResultsFormat.TSV))
    assert [s["label"].value for s in solutions] == HOSTILE  # and lossless


def _has_evil(response: httpx.Response) -> bool:
    return EVIL in response.text or any(EVIL in v for v in response.headers.values())


def test_service_description_ignores_forged_host_on_a_real_server(server: LiveServer) -> None:
    r = httpx.get(f"{server.url}/sparql", headers={"Accept": "text/turtle", "Host": EVIL}, timeout=30)
    assert r.status_code == 200 and not _has_evil(r)
    g = Graph().parse(data=r.text, format="turtle")
    assert set(g.objects(None, SD_ENDPOINT)) == {URIRef(f"{server.url}/sparql")}
    assert not _leaks(r.text, server.home)


# -- the CLI -----------------------------------------------------------------

def _cli(home: Path, *args: str) -> str:
    """The command's stdout as written: bytes decoded, no newline translation (a CR in a cell stays a CR)."""
    env = {**os.environ, "YHDYSPINTA_HOME": str(home), "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "yhdyspinta", *args], env=env, capture_output=True, timeout=300,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode("utf-8")


def test_cli_sparql_csv_and_tsv(hostile_home: Path) -> None:
    as_csv = _cli(hostile_home, "sparql", SPARQL_HOSTILE, "-f", "csv")
    rows = _rows(as_csv)
    assert [row["label"] for row in rows] == [_quoted(h) for h in HOSTILE]
    assert {(row["neg"], row["dec"]) for row in rows} == {("-3", "-1.5")}
    as_tsv = _cli(hostile_home, "sparql", SPARQL_HOSTILE, "-f", "tsv")
    solutions = list(ox.parse_query_results(as_tsv.encode(), ox.QueryResultsFormat.TSV))
    assert [s["label"].value for s in solutions] == HOSTILE
    assert all(v[:1] in ('"', "<", "_") for line in as_tsv.split("\n")[1:-1] for v in line.split("\t"))


def test_cli_analysis_csv(hostile_home: Path) -> None:
    rows = _rows(_cli(hostile_home, "load", "-r", "paijat-hame", "-f", "csv"))
    labels = {row["label"] for row in rows}
    assert {_quoted(h) for h in HOSTILE} <= labels and not set(HOSTILE) & labels
    assert all(row["memberships"].isdigit() for row in rows)


# -- the XLSX template -------------------------------------------------------

def test_xlsx_template_writes_formulas_as_text(base_store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "template"
    shutil.copytree(DATA / "template", folder)
    actors = folder / "actors.csv"
    with actors.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[1][rows[0].index("label_fi")] = HOSTILE[0]
    rows[2][rows[0].index("label_fi")] = "-2+3"
    with actors.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    xlsx = tmp_path / "template.xlsx"
    csv_folder_to_xlsx(folder, xlsx)
    with zipfile.ZipFile(xlsx) as z:
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    sheet = load_workbook(xlsx)["actors"]
    assert sheet.cell(2, rows[0].index("label_fi") + 1).data_type == "s"
    assert sheet.cell(2, rows[0].index("label_fi") + 1).value == HOSTILE[0]
    [outcome] = ingest(base_store, [xlsx]).outcomes  # and the text comes back as it was
    labels = {r["l"] for r in base_store.select(
        f"SELECT ?l WHERE {{ GRAPH <{outcome.graph}> {{ ?s skos:prefLabel ?l }} }}")}
    assert {HOSTILE[0], "-2+3"} <= labels


# -- no server paths ---------------------------------------------------------

_PATHLIKE = re.compile(r"""(?:^|(?<=[\s"'<>(\[,=]))(/[^\s"'<>()\[\],\\]+)""")


def _leaks(body: str, *private: Path) -> list[str]:
    """Absolute paths of this machine in ``body``: its homes, temp, repo and data folders, or any that exists."""
    found = [m for m in _PATHLIKE.findall(body) if len(m) > 1 and os.path.exists(m.split("?")[0])]
    for p in (*private, Path.home(), Path(tempfile.gettempdir()), ROOT, data_dir()):
        for form in {str(p), str(p.resolve())}:
            if len(form) > 1 and form in body:
                found.append(form)
    return found


def test_no_paths_in_graphs_history_or_service_description(client: httpx.Client, hostile_home: Path) -> None:
    graphs = client.get("/api/graphs")
    history = client.get("/api/history")
    assert graphs.status_code == history.status_code == 200
    for r in (graphs, history):
        assert not _leaks(r.text, hostile_home), _leaks(r.text, hostile_home)
    paths = {g["graph"]: g["path"] for g in graphs.json()["graphs"]}
    bundled = "https://w3id.org/yhdyspinta/graph/"
    assert paths[f"{bundled}bundled/paijat-hame/networks.ttl"] == "paijat-hame/networks.ttl"
    assert paths[f"{bundled}ontology/yhdyspinta.ttl"] == "ontology/yhdyspinta.ttl"
    assert paths[f"{bundled}source/hostile.ttl"] == "hostile.ttl"
    assert "hostile.ttl" in {e["path"] for e in history.json()}
    assert not any(Path(e["path"]).is_absolute() for e in history.json())
    for accept, fmt in (("text/turtle", "turtle"), ("application/n-triples", "nt"),
                        ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")):
        sd = client.get("/sparql", headers={"Accept": accept})
        assert sd.status_code == 200 and not _leaks(sd.text, hostile_home), (accept, _leaks(sd.text, hostile_home))
        sources = {str(o) for o in Graph().parse(data=sd.text, format=fmt).objects(
            None, URIRef("http://purl.org/dc/terms/source"))}
        assert {"hostile.ttl", "paijat-hame/networks.ttl"} <= sources


def test_no_paths_in_dump_or_sparql(client: httpx.Client, hostile_home: Path) -> None:
    """The metadata graph keeps the real paths in the store; what clients read has public names."""
    query = "SELECT ?p WHERE { GRAPH ?g { ?s <https://w3id.org/yhdyspinta/ontology#sourcePath> ?p } }"
    meta = client.get("/graph-store", params={"graph": "https://w3id.org/yhdyspinta/graph/meta"})
    answer = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    for r in (client.get("/dump"), client.get("/dump", params={"format": "trig"}), answer, meta):
        assert r.status_code == 200
        assert not _leaks(r.text, hostile_home)
    names = {b["p"]["value"] for b in answer.json()["results"]["bindings"]}
    assert {"hostile.ttl", "paijat-hame/networks.ttl"} <= names
    assert "hostile.ttl" in meta.text


def test_public_source_rule() -> None:
    assert public_source("/srv/x/incoming/hostile.ttl") == "hostile.ttl"
    assert public_source(str(data_dir() / "paijat-hame" / "networks.ttl")) == "paijat-hame/networks.ttl"
    assert public_source("/elsewhere/data/lappi/x.ttl", "https://w3id.org/yhdyspinta/graph/bundled/lappi/x.ttl") \
        == "lappi/x.ttl"
    assert public_source("C:\\Users\\someone\\a.ttl") == "a.ttl"
    assert public_source("~/secret/a.ttl") == "a.ttl"
    assert public_source("/home/someone/template") == "template"
    assert public_source("http:sparql-update:https://w3id.org/yhdyspinta/graph/x") \
        == "http:sparql-update:https://w3id.org/yhdyspinta/graph/x"


# -- no Host header in links -------------------------------------------------

def test_forged_host_reaches_no_response(client: httpx.Client) -> None:
    forged = {"Host": EVIL}
    checks = [
        client.get("/api/graphs", headers=forged),
        client.get("/api/history", headers=forged),
        client.get("/api/networks", params={"region": "paijat-hame"}, headers=forged),
        client.get("/api/networks", params={"region": "paijat-hame", "format": "csv"}, headers=forged),
        client.get("/viz", params={"region": "paijat-hame"}, headers=forged),
        client.get("/report/paijat-hame", headers=forged),
        client.get("/id/municipality/398", headers={**forged, "Accept": "text/html"}),
        client.get("/sparql", headers={**forged, "Accept": "text/html"}),
        client.get("/dump", headers=forged),
    ]
    checks += [client.get("/sparql", headers={**forged, "Accept": a}) for a in
               ("text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml")]
    for r in checks:
        assert r.status_code == 200, (r.request.url, r.status_code)
        assert not _has_evil(r), r.request.url
    links = client.get("/api/graphs", headers=forged).json()
    every = [*links["dataset"].values(), *(u for g in links["graphs"] for u in g["download"].values())]
    assert every and all(u.startswith("/") and not u.startswith("//") for u in every)
    r = client.get(every[0].replace("format=nquads", "format=trig"))
    assert r.status_code == 200
    sd = Graph().parse(data=client.get("/sparql", headers={**forged, "Accept": "text/turtle"}).text,
                       format="turtle")
    assert set(sd.objects(None, SD_ENDPOINT)) == {URIRef("http://testserver/sparql")}  # the socket's own address


def test_public_url_makes_absolute_links(hostile_home: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    base = "https://yhdyspinta.example.fi/"
    for c in _app_client(hostile_home, tmp_path_factory, public_url=base):
        links = c.get("/api/graphs", headers={"Host": EVIL}).json()
        first = links["graphs"][0]["download"]["turtle"]
        assert links["dataset"]["nquads"] == f"{base}dump?format=nquads" and first.startswith(f"{base}graph-store?")
        assert c.get(first.removeprefix(base.rstrip("/"))).status_code == 200
        sd = Graph().parse(data=c.get("/sparql", headers={"Host": EVIL, "Accept": "text/turtle"}).text,
                           format="turtle")
        assert set(sd.objects(None, SD_ENDPOINT)) == {URIRef(f"{base}sparql")}


def test_public_url_setting_and_link_helpers() -> None:
    assert Settings.from_env({"YHDYSPINTA_PUBLIC_URL": "https://y.example.fi/app"}).public_url \
        == "https://y.example.fi/app/"
    assert Settings.from_env({"YHDYSPINTA_PUBLIC_URL": "  "}).public_url is None
    assert Settings.from_env({}).public_url is None
    assert public_link(None, "", "dump?format=trig") == "/dump?format=trig"
    assert public_link(None, "/yhd/", "/sparql") == "/yhd/sparql"
    assert public_link("https://y.example.fi/app", "/ignored", "sparql") == "https://y.example.fi/app/sparql"
    scope: dict[str, object] = {"server": ("::1", 8000), "scheme": "http", "root_path": "", "headers": [
        (b"host", EVIL.encode())]}
    assert endpoint_iri(None, scope, "sparql") == "http://[::1]:8000/sparql"
    assert endpoint_iri(None, {**scope, "server": ("10.0.0.5", 443), "scheme": "https"}, "sparql") \
        == "https://10.0.0.5/sparql"
    assert endpoint_iri(None, {**scope, "server": ("/run/yhd.sock", None), "root_path": "/y"}, "sparql") == "/y/sparql"
    assert json.dumps(endpoint_iri("https://y.example.fi/", scope, "sparql")) == '"https://y.example.fi/sparql"'
