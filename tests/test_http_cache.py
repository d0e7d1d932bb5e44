"""Answers cached by the store's version (api/http/cache.py), and SELECT results written by Oxigraph's
own writers under the row cap (api/sparql/results.py): ETags change after a write, If-None-Match gives
304, the cap shows in the header and the body, and every format answers what the old writers did."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from http_live import TOKEN, asgi_client, live_server

from yhdyspinta.api.http.app import create_app
from yhdyspinta.api.http.cache import AnswerCache, Cached
from yhdyspinta.api.http.state import AppState
from yhdyspinta.api.sparql.results import row_capped, write_solutions
from yhdyspinta.graph.store.store import Store
from yhdyspinta.settings import Settings

CAP = 7
MEMBERS = "SELECT ?s ?t WHERE { ?s a ?t } ORDER BY ?s ?t"
LABELS = ("SELECT ?s ?l WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } ORDER BY ?s ?l")
ACCEPT = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
OX_FORMAT = {
    "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
}


class Served:
    """An in-process client of an app whose state (and so its cache) the test can see."""

    def __init__(self, client: httpx.Client, st: AppState, store_dir: Path) -> None:
        self.client, self.st, self.store_dir = client, st, store_dir


def _serve(store_dir: Path, home: Path, **settings: Any) -> Iterator[Served]:
    home.mkdir(parents=True, exist_ok=True)
    shutil.copytree(store_dir, home / "store")
    config = Settings(home=home, write_token=TOKEN, **settings)
    store = Store(config.store_path)
    app = create_app(config, store)
    try:
        with asgi_client(app) as client:
            yield Served(client, app.state.yhd, home / "store")
    finally:
        store.close()


@pytest.fixture
def served(base_store_dir: Path, tmp_path: Path) -> Iterator[Served]:
    yield from _serve(base_store_dir, tmp_path / "home", result_limit=CAP)


@pytest.fixture
def uncapped(base_store_dir: Path, tmp_path: Path) -> Iterator[Served]:
    yield from _serve(base_store_dir, tmp_path / "home", result_limit=1_000_000)


def _ask(client: httpx.Client, query: str, fmt: str, **headers: str) -> httpx.Response:
    return client.get("/sparql", params={"query": query}, headers={"Accept": ACCEPT[fmt], **headers})


def _solutions(body: bytes, fmt: str) -> list[tuple[str | None, ...]]:
    if fmt == "csv":  # lossy by design: Oxigraph does not parse it back; compare the cells
        return [tuple(row) for row in csv.reader(io.StringIO(body.decode("utf-8"), newline=""))][1:]
    parsed = ox.parse_query_results(body, format=OX_FORMAT[fmt])
    assert isinstance(parsed, ox.QuerySolutions)
    names = [v.value for v in parsed.variables]
    return [tuple(None if s[n] is None else str(s[n]) for n in names) for s in parsed]


def _expected(store_dir: Path, query: str, fmt: str, limit: int | None) -> tuple[bytes, bool]:
    """The answer of the old writers (row by row in Python), from a copy of the same store."""
    store = ox.Store.read_only(str(store_dir))
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    return write_solutions(solutions, fmt, limit)


# -- the row cap: rewriting ------------------------------------------------

@pytest.mark.parametrize(("query", "expected"), [
    ("SELECT * { ?s ?p ?o }", "SELECT * { ?s ?p ?o }\nLIMIT 11\n"),
    ("SELECT * { ?s ?p ?o } LIMIT 5", "SELECT * { ?s ?p ?o } LIMIT 5"),
    ("SELECT * { ?s ?p ?o } LIMIT 10", "SELECT * { ?s ?p ?o } LIMIT 10"),
    ("SELECT * { ?s ?p ?o } limit 500 OFFSET 3", "SELECT * { ?s ?p ?o } limit 11 OFFSET 3"),
    ("SELECT * { { SELECT ?s { ?s ?p ?o } LIMIT 999 } } # end", "SELECT * { { SELECT ?s { ?s ?p ?o } LIMIT 999 } } # end\nLIMIT 11\n"),
    ("SELECT * { ?s ?p ?o } VALUES ?s { <a> }", "SELECT * { ?s ?p ?o } \nLIMIT 11\nVALUES ?s { <a> }"),
    ('SELECT * { ?s ?p "LIMIT 3" }', 'SELECT * { ?s ?p "LIMIT 3" }\nLIMIT 11\n'),
    ("PREFIX limit: <x:> SELECT * { ?s limit:x ?o }", "PREFIX limit: <x:> SELECT * { ?s limit:x ?o }\nLIMIT 11\n"),
    ("ASK { ?s ?p ?o }", None),
    ("CONSTRUCT WHERE { ?s ?p ?o }", None),
    ("SELECT * { ?s ?p ?o }} LIMIT 3", None),
])
def test_row_capped_rewrites_only_the_top_level_limit(query: str, expected: str | None) -> None:
    assert row_capped(query, 10) == expected


def test_rewritten_queries_evaluate_like_the_originals(base_store_dir: Path) -> None:
    store = ox.Store.read_only(str(base_store_dir))
    for query in (MEMBERS, LABELS, MEMBERS + " LIMIT 3", "SELECT ?x { } VALUES ?x { 1 2 3 }"):
        capped = row_capped(query, 2)
        assert capped is not None
        full = [str(s) for s in store.query(query, use_default_graph_as_union=True)]  # type: ignore[union-attr]
        cut = [str(s) for s in store.query(capped, use_default_graph_as_union=True)]  # type: ignore[union-attr]
        assert cut == full[:3]


# -- every format answers as before ----------------------------------------

@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_every_format_answers_what_the_old_writers_did(uncapped: Served, fmt: str) -> None:
    for query in (MEMBERS, LABELS, "SELECT ?x ?y { } VALUES (?x ?y) { (1 UNDEF) (\"a\\tb\\nc\"@fi <x:y>) }"):
        r = _ask(uncapped.client, query, fmt)
        assert r.status_code == 200, r.text
        assert "x-sparql-maxrows" not in r.headers
        old, truncated = _expected(uncapped.store_dir, query, fmt, None)
        assert not truncated
        assert _solutions(r.content, fmt) == _solutions(old, fmt)
        if fmt in ("csv", "tsv"):  # still our writers: spreadsheet formulas neutralised, byte for byte
            assert r.content == old
    assert len(_solutions(_ask(uncapped.client, LABELS, "json").content, "json")) > 100


def test_ask_and_construct_answer_as_before(uncapped: Served) -> None:
    r = uncapped.client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": ACCEPT["json"]})
    assert r.json() == {"head": {}, "boolean": True}
    r = uncapped.client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s a ?t }"},
                            headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    assert len(list(ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES))) > 10


# -- the cap, in the header and the body -----------------------------------

@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_the_cap_shows_in_header_and_body(served: Served, fmt: str) -> None:
    r = _ask(served.client, MEMBERS, fmt)
    assert r.status_code == 200
    assert r.headers["x-sparql-maxrows"] == str(CAP)
    rows = _solutions(r.content, fmt)
    old, truncated = _expected(served.store_dir, MEMBERS, fmt, CAP)
    assert truncated and rows == _solutions(old, fmt)
    assert len(rows) == CAP
    if fmt == "json":
        body = json.loads(r.content)
        assert body["truncated"] is True and body["maxRows"] == CAP
        assert len(body["results"]["bindings"]) == CAP
    if fmt == "xml":
        assert f"result cap of {CAP} rows" in r.text


def test_exactly_the_cap_is_not_cut(served: Served) -> None:
    values = " ".join(str(i) for i in range(CAP))
    for query in (f"SELECT ?x {{ }} VALUES ?x {{ {values} }}", f"{MEMBERS} LIMIT {CAP}"):
        r = _ask(served.client, query, "json")
        assert "x-sparql-maxrows" not in r.headers
        body = r.json()
        assert "truncated" not in body and len(body["results"]["bindings"]) == CAP
    r = _ask(served.client, f"SELECT ?x {{ }} VALUES ?x {{ {values} 99 }}", "json")
    assert r.headers["x-sparql-maxrows"] == str(CAP) and r.json()["truncated"] is True


def test_a_cut_construct_says_so_in_turtle(served: Served) -> None:
    r = served.client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                          headers={"Accept": "text/turtle"})
    assert r.headers["x-sparql-maxrows"] == str(CAP)
    assert r.text.startswith(f"# truncated: the server's result cap of {CAP} triples")
    assert len(list(ox.parse(r.content, format=ox.RdfFormat.TURTLE))) == CAP


# -- ETags by store version ------------------------------------------------

def _put(client: httpx.Client, n: int) -> None:
    data = f"<https://example.org/s> <http://www.w3.org/2004/02/skos/core#prefLabel> \"uusi {n}\"@fi ."
    r = client.put("/graph-store", params={"graph": "https://example.org/graph/cache-test"}, content=data,
                   headers={"Content-Type": "application/n-triples", "Authorization": f"Bearer {TOKEN}"})
    assert r.status_code in (201, 204), r.text


def test_sparql_etag_304_and_change_after_a_write(served: Served) -> None:
    query = 'SELECT ?l { <https://example.org/s> ?p ?l }'
    first = _ask(served.client, query, "json")
    tag = first.headers["etag"]
    assert tag.startswith('W/"') and first.headers["cache-control"] == "no-cache"
    again = _ask(served.client, query, "json", **{"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    other = _ask(served.client, query, "xml", **{"If-None-Match": tag})
    assert other.status_code == 200 and other.headers["etag"] != tag  # another format, another answer

    _put(served.client, 1)
    after = _ask(served.client, query, "json", **{"If-None-Match": tag})
    assert after.status_code == 200 and after.headers["etag"] != tag
    assert [b["l"]["value"] for b in after.json()["results"]["bindings"]] == ["uusi 1"]
    assert first.json()["results"]["bindings"] == []


def test_cached_answers_are_served_from_the_cache_until_a_write(served: Served) -> None:
    st = served.st
    r1 = _ask(served.client, MEMBERS, "json")
    hits = st.answers.hits
    r2 = _ask(served.client, MEMBERS, "json")
    assert st.answers.hits == hits + 1
    assert r2.content == r1.content and r2.headers["x-sparql-maxrows"] == str(CAP)
    assert r2.headers["content-type"] == r1.headers["content-type"]
    r3 = _ask(served.client, MEMBERS, "json", **{"Cache-Control": "no-cache"})  # computed afresh
    assert st.answers.hits == hits + 1 and r3.content == r1.content
    version = st.version
    _put(served.client, 2)
    assert st.version != version


def test_post_with_a_matching_etag_is_412(served: Served) -> None:
    tag = _ask(served.client, MEMBERS, "json").headers["etag"]
    r = served.client.post("/sparql", data={"query": MEMBERS}, headers={"Accept": ACCEPT["json"], "If-None-Match": tag})
    assert r.status_code == 412
    r = served.client.post("/sparql", data={"query": MEMBERS}, headers={"Accept": ACCEPT["json"]})
    assert r.status_code == 200 and r.headers["etag"] == tag


def test_errors_are_not_cached_and_have_no_etag(served: Served) -> None:
    r = _ask(served.client, "SELECT * { ?s ?p }", "json")
    assert r.status_code == 400 and "etag" not in r.headers


def test_json_api_etag_304_and_change_after_a_write(served: Served) -> None:
    first = served.client.get("/api/quorum", headers={"Accept": "application/json"})
    assert first.status_code == 200
    tag = first.headers["etag"]
    r = served.client.get("/api/quorum", headers={"Accept": "application/json", "If-None-Match": f'"x", {tag}'})
    assert r.status_code == 304
    csv = served.client.get("/api/quorum", params={"format": "csv"}, headers={"If-None-Match": tag})
    assert csv.status_code == 200 and csv.headers["etag"] != tag
    cached = served.client.get("/api/quorum", headers={"Accept": "application/json"})
    assert cached.content == first.content and cached.headers["etag"] == tag
    _put(served.client, 3)
    after = served.client.get("/api/quorum", headers={"Accept": "application/json", "If-None-Match": tag})
    assert after.status_code == 200 and after.headers["etag"] != tag


def test_the_cache_is_bounded_in_bytes() -> None:
    cache = AnswerCache(max_bytes=100, max_entry=60)
    cache.put("a", Cached(200, b"x" * 50, ()))
    cache.put("b", Cached(200, b"y" * 40, ()))
    cache.put("big", Cached(200, b"z" * 61, ()))  # over the entry limit: not kept
    assert cache.get("big") is None and cache.size == 90
    assert cache.get("a") is not None  # a is now the most recent
    cache.put("c", Cached(200, b"w" * 30, ()))  # b goes
    assert cache.get("b") is None and cache.get("a") is not None and cache.get("c") is not None
    assert cache.size == 80 and len(cache) == 2


def test_etag_over_a_real_server(bundled_store_dir: Path, tmp_path: Path) -> None:
    """A real uvicorn process, a real client over TCP: 304 on a GET with the ETag, a new one after a write."""
    with live_server(tmp_path / "live", store=bundled_store_dir) as server, \
            httpx.Client(base_url=server.url, timeout=60) as c:
        r = c.get("/api/regions/paijat-hame/gaps", headers={"Accept": "application/json"})
        assert r.status_code == 200
        tag = r.headers["etag"]
        again = c.get("/api/regions/paijat-hame/gaps", headers={"Accept": "application/json", "If-None-Match": tag})
        assert again.status_code == 304
        s = _ask(c, LABELS, "json")
        assert _ask(c, LABELS, "json", **{"If-None-Match": s.headers["etag"]}).status_code == 304
        _put(c, 4)
        after = c.get("/api/regions/paijat-hame/gaps", headers={"Accept": "application/json", "If-None-Match": tag})
        assert after.status_code == 200
        assert _ask(c, LABELS, "json", **{"If-None-Match": s.headers["etag"]}).status_code == 200
