"""Spreadsheets, the output side: every table of a result as XLSX and as CSV that Excel opens right.

A store gets labels a spreadsheet would run as formulas, through a real ingest of a small Turtle
file; the analyses' tables then go out as XLSX (opened again with openpyxl: sheets, typed cells,
frozen header, filters) and as CSV for Excel (byte order mark, ``;``, decimal commas; parsed back
with csv), in process, over the in-process app and over a real server with httpx.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from hostile import HOSTILE, hostile_home, hostile_turtle
from http_live import LiveServer, asgi_client, live_server
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from yhdyspinta.api.http.app import create_app
from yhdyspinta.api.render.cells import is_formula_like
from yhdyspinta.api.render.spreadsheet import (
    BOM,
    MAX_SHEET_NAME,
    XLSX_MEDIA_TYPE,
    TableChoiceError,
    csv_files,
    neutralise,
    result_tables,
    sheet_name,
    sparql_to_csv,
    sparql_to_xlsx,
    to_csv,
    to_xlsx,
)
from yhdyspinta.api.sparql.negotiation import RESULTS, SPREADSHEETS, TABLES, choose, media_type, negotiate
from yhdyspinta.api.sparql.output import format_result_bytes
from yhdyspinta.errors import QueryError, YhdyspintaError
from yhdyspinta.graph.analyses.bridges import BridgeReport, bridges
from yhdyspinta.graph.analyses.quorum import QuorumReport, quorum
from yhdyspinta.graph.analyses.result import ResultTable
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend
from yhdyspinta.graph.regions import resolve_region
from yhdyspinta.graph.store.store import Store
from yhdyspinta.settings import Settings

THEMES = ["paijat-hame/group/kulttuurihyvinvointi", "paijat-hame/group/hyte-yleisesti"]
NETWORK = "https://w3id.org/yhdyspinta/id/network/xlsx-test/"
#: how openpyxl reports a text cell (shared or inline string)
TEXT = {"s", "inlineStr"}


@pytest.fixture(scope="module")
def hostile_store_dir(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data and the hostile labels, ingested from a Turtle file like any source."""
    home = tmp_path_factory.mktemp("xlsx-hostile")
    assert hostile_home(bundled_store_dir, home, hostile_turtle("xlsx-test", THEMES)).status == "new"
    return home / "store"


@pytest.fixture(scope="module")
def results(hostile_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        tuple[BridgeReport, QuorumReport]]:
    """Bridges in Päijät-Häme (hostile labels in five of its six tables) and every pilot's quorum."""
    own = tmp_path_factory.mktemp("xlsx-results") / "store"
    shutil.copytree(hostile_store_dir, own)
    store = Store(own)
    try:
        backend = EmbeddedBackend(store)
        yield bridges(backend, resolve_region(backend, "paijat-hame")), quorum(backend)
    finally:
        store.close()


def _workbook(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def _in_xlsx(text: str) -> str:
    """A string as an XLSX cell holds it: neutralised, line breaks as LF."""
    return str(neutralise(text)).replace("\r\n", "\n").replace("\r", "\n")


def _csv_rows(text: str, *, excel: bool) -> list[list[str]]:
    if excel:
        assert text.startswith(BOM)
        text = text[1:]
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if excel else ","))


# -- every table, both formats ---------------------------------------------------------------------

def test_bridges_has_six_tables_and_quorum_every_pilots_tables(results: tuple[BridgeReport, QuorumReport]) -> None:
    b, q = results
    names = [t.name for t in result_tables(b)]
    assert names == ["main", "forums-and-networks-with-several-themes", "most-strongly-linked-pairs",
                     "articulation-points", "bridges", "betweenness"]
    assert len(result_tables(b)[4].rows) == len(b.cut_edges) and len(result_tables(b)[5].rows) == len(b.betweenness)
    q_names = [t.name for t in result_tables(q)]
    # each pilot's decisions table, and its table of who has no decision when someone has none
    assert len(q.pilots) >= 2
    assert sum(n.endswith("-decisions-on-record") for n in q_names) == len(q.pilots)
    assert sum(n.endswith("-no-decision-on-record") for n in q_names) == sum(1 for p in q.pilots if p.missing)


@pytest.mark.parametrize("excel", [False, True])
def test_every_table_reaches_csv(results: tuple[BridgeReport, QuorumReport], excel: bool) -> None:
    for result in results:
        tables = result_tables(result)
        files = dict(csv_files(result, excel=excel))
        assert list(files) == [t.name for t in tables]
        for t in tables:
            text = to_csv(result, excel=excel, table=t.name)
            assert text == files[t.name]
            rows = _csv_rows(text, excel=excel)
            assert rows[0] == list(t.columns) and len(rows) == len(t.rows) + 1
    # no table named: the main one, as plain CSV always gave
    assert _csv_rows(to_csv(results[1]), excel=False)[0] == list(results[1].columns)


def test_a_table_by_prefix_or_words_and_a_clear_error(results: tuple[BridgeReport, QuorumReport]) -> None:
    b, q = results
    assert _csv_rows(to_csv(b, table="betw"), excel=False)[0] == ["label", "value"]
    lapin = [t for t in result_tables(q) if t.name.startswith("lapin") and t.name.endswith("-decisions-on-record")]
    assert _csv_rows(to_csv(q, table="lapin decisions"), excel=False)[0] == list(lapin[0].columns)
    for wrong, why in (("nothing-like-it", "is not a table"), ("lapin", "fits several tables")):
        with pytest.raises(TableChoiceError) as caught:
            to_csv(q, table=wrong)
        assert why in str(caught.value)
        assert all(t.name in str(caught.value) for t in result_tables(q))
    assert issubclass(TableChoiceError, YhdyspintaError) and TableChoiceError.exit_code == 2


def test_xlsx_one_sheet_per_table_frozen_filtered_typed(results: tuple[BridgeReport, QuorumReport]) -> None:
    for result in results:
        tables = result_tables(result)
        wb = _workbook(to_xlsx(result))
        assert len(wb.worksheets) == len(tables)
        for ws, t in zip(wb.worksheets, tables, strict=True):
            assert len(ws.title) <= MAX_SHEET_NAME
            assert ws.freeze_panes == "A2"
            assert ws.auto_filter.ref == f"A1:{get_column_letter(len(t.columns))}{len(t.rows) + 1}"
            assert [c.value for c in ws[1]] == list(t.columns)
            assert ws.max_row == len(t.rows) + 1
            for row, cells in zip(t.rows, ws.iter_rows(min_row=2), strict=True):
                for col, c in zip(t.columns, cells, strict=True):
                    value = row.get(col)
                    if isinstance(value, bool):
                        assert c.data_type == "b" and c.value is value
                    elif isinstance(value, int | float):
                        assert c.data_type == "n" and c.value == value, (t.name, col, value, c.value)
                    elif isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
                        assert c.is_date and c.value.date() == date.fromisoformat(value)
                    elif isinstance(value, str):
                        assert c.value == (_in_xlsx(value) or None) and (c.data_type in TEXT or not value)
    # a table alone, by name
    wb = _workbook(to_xlsx(results[0], table="betweenness"))
    assert [ws.title for ws in wb.worksheets] == ["betweenness"]


def test_quorum_decision_dates_are_dates_and_codes_stay_text(results: tuple[BridgeReport, QuorumReport]) -> None:
    q = results[1]
    wb = _workbook(to_xlsx(q))
    dates, codes = [], []
    for ws in wb.worksheets:
        header = [h.value for h in ws[1]]
        for name, found in (("date", dates), ("code", codes)):
            if name in header:
                col = header.index(name) + 1
                found += [c for (c,) in ws.iter_rows(min_row=2, min_col=col, max_col=col)]
    on_record = [c.date for p in q.pilots for c in p.committed if c.date]
    assert on_record and [c.value.date().isoformat() for c in dates if c.is_date] == on_record
    assert all(c.data_type in TEXT for c in dates if not c.is_date)  # "not on record" stays text
    assert codes and all(c.data_type in TEXT and c.value.isdigit() for c in codes)
    assert any(c.value.startswith("0") for c in codes)  # Enontekiö is 047, not 47


# -- formula injection ------------------------------------------------------------------------------

def _all_strings(wb: Workbook) -> list[str]:
    return [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def test_hostile_labels_are_text_in_xlsx(results: tuple[BridgeReport, QuorumReport]) -> None:
    data = to_xlsx(results[0])
    strings = _all_strings(_workbook(data))
    assert {_in_xlsx(h) for h in HOSTILE} <= set(strings) and "'\n=1" in strings
    assert not any(is_formula_like(s) for s in strings)
    with zipfile.ZipFile(io.BytesIO(data)) as z:  # no formula anywhere in the sheets' XML
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)


@pytest.mark.parametrize("excel", [False, True])
def test_hostile_labels_are_text_in_csv(results: tuple[BridgeReport, QuorumReport], excel: bool) -> None:
    cells = [v for name, text in csv_files(results[0], excel=excel) for row in _csv_rows(text, excel=excel)
             for v in row]
    assert {"'" + h for h in HOSTILE} <= set(cells)
    assert not any(is_formula_like(v) for v in cells)


def test_numbers_stay_numbers_also_negative_ones() -> None:
    """Only text is neutralised: -3 in a numeric cell is a number, '-2+3' in a text cell is not run."""
    t = ResultTable("Signs", ("n", "x", "label", "plain", "day", "flag"),
                    [{"n": -3, "x": -1.5, "label": "-2+3", "plain": "-3", "day": date(2024, 5, 1), "flag": True}])
    ws = _workbook(to_xlsx(t)).active
    assert ws is not None
    n, x, label, plain, day, flag = (c for c in next(ws.iter_rows(min_row=2)))
    assert (n.value, n.data_type, x.value, x.data_type) == (-3, "n", -1.5, "n")
    assert label.value == "'-2+3" and label.data_type in TEXT
    assert plain.value == "-3" and plain.data_type in TEXT  # text stays text; a plain number is not a formula
    assert day.is_date and day.value.date() == date(2024, 5, 1)
    assert (flag.value, flag.data_type) == (True, "b")
    [header, row] = _csv_rows(to_csv(t, excel=True), excel=True)
    assert row == ["-3", "-1,5", "'-2+3", "-3", "2024-05-01", "True"]
    assert to_csv(t).splitlines()[1] == "-3,-1.5,'-2+3,-3,2024-05-01,True"


def test_excel_csv_bom_semicolons_crlf_decimal_comma(results: tuple[BridgeReport, QuorumReport]) -> None:
    b = results[0]
    text = to_csv(b, excel=True, table="betweenness")
    assert text.startswith(BOM) and "\r\n" in text and text.encode("utf-8")[:3] == b"\xef\xbb\xbf"
    rows = _csv_rows(text, excel=True)
    assert rows[0] == ["label", "value"] and len(rows) == len(b.betweenness) + 1 > 1
    assert [float(v.replace(",", ".")) for _label, v in rows[1:]] == [round(v, 6) for _n, _l, v in b.betweenness]
    assert all("." not in v for _label, v in rows[1:])
    plain = to_csv(b, table="betweenness")
    assert not plain.startswith(BOM) and "\r\n" not in plain and plain.splitlines()[0] == "label,value"


def test_sheet_names_fit_excel_and_stay_apart() -> None:
    used: set[str] = set()
    long_a = "lapin-hyvinvointialueen-ja-kuntien-yhteistyon-aluepilotti-2023-2025-decisions-on-record"
    long_b = "lapin-hyvinvointialueen-ja-kuntien-yhteistyon-aluepilotti-2023-2025-no-decision-on-record"
    names = [sheet_name(n, used) for n in (long_a, long_b, long_a, "main")]
    assert all(len(n) <= MAX_SHEET_NAME for n in names) and len({n.lower() for n in names}) == 4
    assert names[0].endswith("decisions-on-record") and names[1].endswith("no-decision-on-record")


# -- SPARQL SELECT answers ------------------------------------------------------------------------

SELECT = f"""PREFIX yhd: <https://w3id.org/yhdyspinta/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT ?n ?label ?neg ?dec ?day ?yes WHERE {{
  ?n a yhd:Network ; skos:prefLabel ?label . FILTER(STRSTARTS(STR(?n), "{NETWORK}"))
  BIND(-3 AS ?neg) BIND(-1.5 AS ?dec) BIND("2024-05-01"^^xsd:date AS ?day) BIND(true AS ?yes)
}} ORDER BY ?n"""


def _check_select_sheet(wb: Workbook) -> None:
    ws = wb.active
    assert ws is not None and ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:F{len(HOSTILE) + 1}"
    assert [c.value for c in ws[1]] == ["n", "label", "neg", "dec", "day", "yes"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [f"{NETWORK}n{i}" for i in range(len(HOSTILE))]
    assert {r[1] for r in rows} == {_in_xlsx(h) for h in HOSTILE}
    assert all(r[2:] == (-3, -1.5, datetime(2024, 5, 1), True) for r in rows)


def test_sparql_select_to_xlsx_and_csv(hostile_store_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(hostile_store_dir, tmp_path / "store")
    store = ox.Store.read_only(str(tmp_path / "store"))

    def select() -> ox.QuerySolutions:
        result = store.query(SELECT, use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions)
        return result

    _check_select_sheet(_workbook(sparql_to_xlsx(select())))
    _check_select_sheet(_workbook(format_result_bytes(select(), "xlsx")))
    rows = _csv_rows(sparql_to_csv(select(), excel=True), excel=True)
    assert rows[1][2:] == ["-3", "-1,5", "2024-05-01", "True"] and rows[1][1] in {"'" + h for h in HOSTILE}
    assert format_result_bytes(select(), "csv", excel=True).startswith(BOM.encode("utf-8"))
    with pytest.raises(QueryError, match="SELECT"):
        sparql_to_xlsx(store.query("ASK { ?s ?p ?o }"))


# -- negotiation ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("fmt", "accept", "expected"), [
    (None, XLSX_MEDIA_TYPE, "xlsx"),
    (None, f"{XLSX_MEDIA_TYPE};q=0.5, text/csv", "csv"),
    (None, "*/*", "json"),
    (None, "application/*", "json"),
    ("xlsx", "application/json", "xlsx"),
    (XLSX_MEDIA_TYPE, None, "xlsx"),
])
def test_tables_negotiate_xlsx(fmt: str | None, accept: str | None, expected: str) -> None:
    assert choose(fmt, accept, TABLES, default="json") == expected


def test_xlsx_media_type_has_no_charset_and_results_stay_apart() -> None:
    assert media_type("xlsx", TABLES) == XLSX_MEDIA_TYPE and media_type("csv", TABLES).endswith("charset=utf-8")
    assert "xlsx" not in RESULTS  # the query workers never write a workbook; the server turns JSON into one
    assert negotiate(XLSX_MEDIA_TYPE, RESULTS, default="json", extra=[SPREADSHEETS]) == "xlsx"


# -- HTTP -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def client(hostile_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    home = tmp_path_factory.mktemp("xlsx-app")
    shutil.copytree(hostile_store_dir, home / "store")
    config = Settings(home=home, query_workers=1)
    store = Store(config.store_path)
    try:
        with asgi_client(create_app(config, store)) as c:
            yield c
    finally:
        store.close()


def _links(response: httpx.Response) -> list[str]:
    return re.findall(r"<([^>]+)>", response.headers.get("link", ""))


def test_http_xlsx_by_format_and_by_accept(client: httpx.Client, results: tuple[BridgeReport, QuorumReport]) -> None:
    names = [t.name for t in result_tables(results[0])]
    by_param = client.get("/api/bridges", params={"region": "paijat-hame", "format": "xlsx"})
    by_accept = client.get("/api/bridges", params={"region": "paijat-hame"}, headers={"Accept": XLSX_MEDIA_TYPE})
    for r in (by_param, by_accept):
        assert r.status_code == 200 and r.headers["content-type"] == XLSX_MEDIA_TYPE
        assert r.headers["content-disposition"] == 'attachment; filename="bridges.xlsx"'
        wb = _workbook(r.content)
        assert [ws.title for ws in wb.worksheets] == [sheet_name(n, set()) for n in names]
        assert all(ws.freeze_panes == "A2" and ws.auto_filter.ref for ws in wb.worksheets)
        assert not any(is_formula_like(s) for s in _all_strings(wb))
    wrong = client.get("/api/bridges", params={"region": "paijat-hame", "format": "xlsx", "table": "pears"})
    assert wrong.status_code == 400 and "most-strongly-linked-pairs" in wrong.json()["message"]
    for name in ("pairs", "most-strongly", "most-strongly-linked-pairs"):
        one = client.get("/api/bridges", params={"region": "paijat-hame", "format": "xlsx", "table": name})
        assert [ws.title for ws in _workbook(one.content).worksheets] == ["most-strongly-linked-pairs"]


def test_http_csv_of_every_table(client: httpx.Client, results: tuple[BridgeReport, QuorumReport]) -> None:
    expected = dict(csv_files(results[0]))
    main = client.get("/api/bridges", params={"region": "paijat-hame", "format": "csv"})
    assert main.status_code == 200 and main.text == expected["main"]
    links = _links(main)
    assert len(links) == len(expected) - 1
    got = {"main": main.text}
    for link in links:
        r = client.get(link)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        got[re.search(r"table=([a-z0-9-]+)", link).group(1)] = r.text  # type: ignore[union-attr]
    assert got == expected
    excel = client.get("/api/quorum", params={"format": "csv", "excel": "true", "table": "lapin decisions"})
    assert excel.status_code == 200 and excel.text.startswith(BOM)
    assert excel.headers["content-disposition"].startswith('attachment; filename="quorum-lapin-')
    assert _csv_rows(excel.text, excel=True)[0][:3] == ["committer_label", "kind", "date"]


def test_http_table_errors(client: httpx.Client) -> None:
    r = client.get("/api/quorum", params={"format": "csv", "table": "nothing-like-it"})
    assert r.status_code == 400 and "main" in r.json()["message"]
    assert client.get("/api/quorum", params={"table": "main"}).status_code == 400  # JSON holds every table
    assert client.get("/api/quorum", params={"format": "csv", "excel": "maybe"}).status_code == 422  # FastAPI checks it
    params = client.get("/openapi.json").json()["paths"]["/api/quorum"]["get"]["parameters"]
    assert {"table", "excel"} <= {p["name"] for p in params}


def test_http_sparql_xlsx_and_excel_csv(client: httpx.Client) -> None:
    r = client.get("/sparql", params={"query": SELECT, "format": "xlsx"})
    assert r.status_code == 200 and r.headers["content-type"] == XLSX_MEDIA_TYPE
    _check_select_sheet(_workbook(r.content))
    r = client.post("/sparql", content=SELECT, headers={"Content-Type": "application/sparql-query",
                                                        "Accept": XLSX_MEDIA_TYPE})
    assert r.status_code == 200
    _check_select_sheet(_workbook(r.content))
    r = client.get("/sparql", params={"query": SELECT, "format": "csv", "excel": "true"})
    assert r.status_code == 200 and r.text.startswith(BOM)
    assert _csv_rows(r.text, excel=True)[1][2:] == ["-3", "-1,5", "2024-05-01", "True"]
    plain = client.get("/sparql", params={"query": SELECT, "format": "csv"})
    assert not plain.text.startswith(BOM) and plain.text.startswith("n,label,neg,dec,day,yes\r\n")
    ask = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }", "format": "xlsx"})
    assert ask.status_code == 406
    construct = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"},
                           headers={"Accept": f"{XLSX_MEDIA_TYPE}, text/turtle;q=0.5"})
    assert construct.status_code == 200 and construct.headers["content-type"].startswith("text/turtle")


@pytest.fixture(scope="module")
def server(hostile_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(tmp_path_factory.mktemp("xlsx-live"), store=hostile_store_dir) as live:
        yield live


def test_live_server_every_table_and_xlsx(server: LiveServer) -> None:
    """Over TCP: the XLSX by Accept, and each table's CSV for Excel by following the Link headers."""
    with httpx.Client(base_url=server.url, timeout=60) as http:
        wb = _workbook(http.get("/api/quorum", headers={"Accept": XLSX_MEDIA_TYPE}).content)
        first = http.get("/api/quorum", params={"format": "csv", "excel": "true"})
        assert first.status_code == 200 and first.text.startswith(BOM)
        texts = [first.text, *(http.get(link).text for link in _links(first))]
        assert len(texts) == len(wb.worksheets) > 2
        for text, ws in zip(texts, wb.worksheets, strict=True):
            rows = _csv_rows(text, excel=True)
            assert rows[0] == [c.value for c in ws[1]] and len(rows) == ws.max_row
        sheet = http.get("/sparql", params={"query": SELECT}, headers={"Accept": XLSX_MEDIA_TYPE})
        assert sheet.status_code == 200
        _check_select_sheet(_workbook(sheet.content))
