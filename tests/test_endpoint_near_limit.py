"""The SPARQL endpoint near its limits (issue 17): large answers cross from the worker in pieces and
stay whole and exact, the result cap is still marked in the body, the time limit still kills, the
reserved lane starts when first needed, snapshots are compacted without touching the live store,
and /sparql's short way in keeps every header the middlewares add."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from http_live import live_server, served_copy
from test_scans import CORNERS

from yhdyspinta.api.sparql.execute import CHUNK, Answer, QueryJob
from yhdyspinta.api.sparql.pool import KEEP_WHOLE, AnswerCut, QueryPool, whole_body
from yhdyspinta.api.sparql.results import _Blocks
from yhdyspinta.errors import QueryTimeoutError
from yhdyspinta.graph.store.snapshots import Snapshots
from yhdyspinta.graph.store.store import GraphWrite, SourceRecord, Store, now_iso, snapshot_pointer

P = "http://example.org/p"
ROWS = 40_000
SELECT = f"SELECT ?s ?o WHERE {{ ?s <{P}> ?o }}"
JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store whose SELECT answer is about 14 MB of JSON: past the pipe's piece and the cache's entry."""
    path = tmp_path_factory.mktemp("big") / "store"
    store = ox.Store(str(path))
    filler = "x" * 250
    data = "".join(f'<http://example.org/s{i}> <{P}> "row {i} {filler}" <http://example.org/g> .\n'
                   for i in range(ROWS))
    store.bulk_load(data.encode(), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    return path


def _run(snapshot: Path, job: QueryJob) -> tuple[Answer, bytes, bool]:
    """The job's answer from a real pool over ``snapshot``, its whole body, and whether it was streamed."""
    async def main() -> tuple[Answer, bytes, bool]:
        pool = QueryPool(size=1, timeout=60, snapshot=lambda: str(snapshot))
        pool.start()
        try:
            answer = await pool.run(job)
            return answer, await whole_body(answer), answer.stream is not None
        finally:
            pool.close()
    return asyncio.run(main())


def _expected(snapshot: Path) -> set[tuple[str, str]]:
    store = ox.Store.read_only(str(snapshot))
    return {(s["s"].value, s["o"].value) for s in store.query(SELECT, use_default_graph_as_union=True)}


def test_a_large_answer_is_streamed_exact(snapshot: Path) -> None:
    answer, body, streamed = _run(snapshot, QueryJob(SELECT, accept=JSON, limit=ROWS + 10))
    assert answer.status == 200 and len(body) > KEEP_WHOLE
    assert streamed and not answer.body  # handed on as it came: never joined on the server
    data = json.loads(body)
    got = {(b["s"]["value"], b["o"]["value"]) for b in data["results"]["bindings"]}
    assert got == _expected(snapshot)
    assert "truncated" not in data and not dict(answer.headers).get("X-SPARQL-MaxRows")


def test_a_middle_sized_answer_is_joined(snapshot: Path) -> None:
    query = SELECT + " LIMIT 6000"  # about 2 MB: in pieces through the pipe, whole for the cache
    answer, body, streamed = _run(snapshot, QueryJob(query, accept=JSON, limit=ROWS))
    assert CHUNK < len(answer.body) <= KEEP_WHOLE and not streamed and body == answer.body
    assert len(json.loads(answer.body)["results"]["bindings"]) == 6000


@pytest.mark.parametrize("accept", [JSON, XML])
def test_the_cap_is_marked_in_a_streamed_body(snapshot: Path, accept: str) -> None:
    cap = 30_000
    answer, body, _streamed = _run(snapshot, QueryJob(SELECT, accept=accept, limit=cap))
    assert dict(answer.headers)["X-SPARQL-MaxRows"] == str(cap)
    fmt = ox.QueryResultsFormat.JSON if accept == JSON else ox.QueryResultsFormat.XML
    rows = list(ox.parse_query_results(body, format=fmt))  # type: ignore[arg-type]
    assert len(rows) == cap
    if accept == JSON:
        data = json.loads(body)
        assert data["truncated"] is True and data["maxRows"] == cap
    else:
        assert b"<!-- truncated: the server's result cap of 30000 rows was reached -->" in body[:200]


def test_a_streamed_answer_not_taken_in_time_is_cut_and_its_worker_killed(snapshot: Path) -> None:
    async def main() -> tuple[BaseException | None, int, BaseException | None, int]:
        pool = QueryPool(size=1, timeout=1.5, snapshot=lambda: str(snapshot))
        pool.start()
        try:
            slow_reader = await pool.run(QueryJob(SELECT, accept=JSON, limit=ROWS + 10))
            await asyncio.sleep(2.5)  # the client does not take the answer: the limit passes
            cut = None
            try:
                await whole_body(slow_reader)
            except AnswerCut as exc:
                cut = exc
            killed_by_limit = pool.killed
            gone = await pool.run(QueryJob(SELECT, accept=JSON, limit=ROWS + 10))
            gone.stream.close()  # the client went away: its worker is stopped at once
            for _ in range(100):
                if pool.killed > killed_by_limit:
                    break
                await asyncio.sleep(0.05)
            return cut, killed_by_limit, None, pool.killed
        finally:
            pool.close()

    cut, killed_by_limit, _none, killed = asyncio.run(main())
    assert isinstance(cut, AnswerCut) and "time limit" in str(cut)
    assert killed_by_limit == 1 and killed == 2


@pytest.mark.parametrize("keep", [None, 0, 1, 2, 3, 7, 10, 11, 50])
def test_the_tsv_is_kept_up_to_the_cut_first_in_memory_then_in_a_file(keep: int | None) -> None:
    """native_solutions' buffer: lines counted all, bytes kept only up to ``keep`` lines, the first
    ``spill`` bytes in memory and the rest in a temporary file, read back exact from the start."""
    lines = [f"row {i} {'x' * i}\n".encode() for i in range(10)]
    data = b"".join(lines)
    blocks = _Blocks(keep=keep, spill=40)
    for at in range(0, len(data), 13):  # blocks that end mid-line, as Oxigraph's may
        assert blocks.write(memoryview(data[at:at + 13])) == len(data[at:at + 13])
    assert blocks.lines == 10
    wanted = b"".join(lines if keep is None else lines[:keep])
    blocks.seek(0)
    assert blocks.read() == wanted
    assert (blocks.file is not None) == (len(wanted) > 40)
    blocks.seek(0)
    assert blocks.read() == wanted  # and again
    blocks.close()


def test_the_time_limit_kills_and_the_lane_starts_when_needed(snapshot: Path) -> None:
    slow = QueryJob(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{P}> ?b . ?c <{P}> ?d . ?e <{P}> ?f }}", accept=JSON,
                    limit=10)
    quick = QueryJob("ASK { ?s ?p ?o }", accept=JSON, limit=10)

    async def main() -> tuple[int, list[object], int, int, object]:
        # quick=0: every query goes to a worker, so that the last one shows the fresh worker answering
        pool = QueryPool(size=1, timeout=3, snapshot=lambda: str(snapshot), lane_timeout=1, quick=0)
        pool.start()
        try:
            at_start = len(pool._workers)
            slow_run = asyncio.ensure_future(pool.run(slow))
            await asyncio.sleep(0.3)  # the general worker is busy now
            answers = await asyncio.gather(pool.run(quick), slow_run, return_exceptions=True)
            for _ in range(200):  # the killed worker is replaced in a thread, off the event loop
                if pool.killed:
                    break
                await asyncio.sleep(0.05)
            after = await pool.run(quick)  # a fresh worker took the killed one's place
            return at_start, answers, len(pool._workers), pool.killed, after
        finally:
            pool.close()

    at_start, (lane_answer, slow_outcome), workers, killed, after = asyncio.run(main())
    assert at_start == 1  # the lane is not started with the pool
    assert not isinstance(lane_answer, BaseException) and lane_answer.body.strip().endswith(b"true}")
    assert isinstance(slow_outcome, QueryTimeoutError) and "time limit of 3 s" in str(slow_outcome)
    assert workers == 2 and killed == 1
    assert not isinstance(after, BaseException) and after.status == 200


def test_a_large_answer_on_the_reserved_lane_is_refused_before_its_first_byte(snapshot: Path) -> None:
    """The lane's short limit would cut a large answer off mid-body once the client had its first bytes
    (a broken 200); such an answer is refused whole with 503, and the lane's worker is replaced."""
    slow = QueryJob(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{P}> ?b . ?c <{P}> ?d . ?e <{P}> ?f }}", accept=JSON,
                    limit=10)

    async def main() -> tuple[object, int]:
        pool = QueryPool(size=1, timeout=60, snapshot=lambda: str(snapshot), lane_timeout=30, quick=0)
        pool.start()
        try:
            slow_run = asyncio.ensure_future(pool.run(slow))
            await asyncio.sleep(0.3)  # the general worker is busy now: the next job goes to the lane
            (large,) = await asyncio.gather(pool.run(QueryJob(SELECT, accept=JSON, limit=ROWS + 10)),
                                            return_exceptions=True)
            for _ in range(200):  # the lane's worker is replaced in a thread
                if pool.killed:
                    break
                await asyncio.sleep(0.05)
            slow_run.cancel()
            return large, pool.killed
        finally:
            pool.close()

    large, killed = asyncio.run(main())
    assert isinstance(large, QueryTimeoutError), large
    assert "the reserved lane answers up to 8 MiB; this answer is larger" in str(large)
    assert killed == 1


def test_a_query_a_worker_showed_quick_is_answered_by_the_server_itself(snapshot: Path, tmp_path: Path) -> None:
    """api/sparql/quick.py: asked again on the same snapshot, a job a worker answered quickly is evaluated in
    the server's process, to the same answer; a job not seen yet, a slower one, or one on another snapshot
    goes to a worker, and holding the new snapshot forgets the old one's jobs."""
    lookup = QueryJob(f"SELECT ?o WHERE {{ <http://example.org/s7> <{P}> ?o }}", accept=JSON, limit=10)
    other = QueryJob(f"SELECT ?o WHERE {{ <http://example.org/s8> <{P}> ?o }}", accept=JSON, limit=10)
    moved = tmp_path / "moved"
    shutil.copytree(snapshot, moved)

    async def held(pool: QueryPool, path: Path) -> None:
        for _ in range(200):  # opened in a thread, then held
            if pool.quick.snapshot == str(path):
                return
            await asyncio.sleep(0.05)

    async def main() -> dict[str, object]:
        pool = QueryPool(size=1, timeout=30, snapshot=lambda: str(snapshot), quick=5.0)  # generous: a busy CI
        pool.start()
        seen: dict[str, object] = {}
        try:
            seen["first"] = await pool.run(lookup)
            await held(pool, snapshot)
            seen["second"] = await pool.run(lookup)
            seen["after second"] = pool.quick.answered
            seen["other"] = await pool.run(other)  # not seen yet: a worker
            seen["after other"] = pool.quick.answered
            seen["moved"] = await pool.run(replace(lookup, snapshot=str(moved)))  # another snapshot: a worker
            await held(pool, moved)
            seen["old again"] = await pool.run(lookup)  # the old snapshot's jobs are forgotten: a worker
            seen["at end"] = pool.quick.answered
        finally:
            pool.close()
        slow = QueryPool(size=1, timeout=30, snapshot=lambda: str(snapshot), quick=1e-9)  # nothing is that quick
        slow.start()
        try:
            for _ in range(3):
                await slow.run(lookup)
            seen["never"] = slow.quick.answered
        finally:
            slow.close()
        return seen

    seen = asyncio.run(main())
    first, second = seen["first"], seen["second"]
    assert isinstance(first, Answer) and isinstance(second, Answer)
    assert first.status == second.status == 200 and b"row 7 " in second.body
    assert (second.body, second.headers, second.media_type) == (first.body, first.headers, first.media_type)
    assert first.seconds > 0  # measured by the worker
    assert seen["after second"] == 1 and seen["after other"] == 1 and seen["at end"] == 1
    other_answer, moved_answer = seen["other"], seen["moved"]
    assert isinstance(other_answer, Answer) and b"row 8 " in other_answer.body
    assert isinstance(moved_answer, Answer) and moved_answer.body == first.body
    assert seen["never"] == 0


def test_a_compacted_snapshot_reads_like_the_store(tmp_path: Path) -> None:
    with Store(tmp_path / "store") as store:
        for i in range(12):  # many small writes: many small files
            graph = f"https://example.org/g{i}"
            data = "".join(f"<http://example.org/s{i}-{j}> <{P}> \"{j}\" .\n" for j in range(50)).encode()
            store.replace_graphs([GraphWrite(graph, data, SourceRecord(graph, f"g{i}.nt", "-", 50, now_iso()))])
        snapshots = Snapshots(store, tmp_path / "serve")
        try:
            query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{P}> ?o }}"
            view = ox.Store.read_only(str(snapshots.current))
            assert int(next(iter(view.query(query, use_default_graph_as_union=True)))["n"].value) == 600
            del view
            graph = "https://example.org/after"  # the live store is untouched by the compaction: it still writes
            store.replace_graphs([GraphWrite(graph, f"<http://example.org/x> <{P}> \"y\" .\n".encode(),
                                             SourceRecord(graph, "after.nt", "-", 1, now_iso()))])
            fresh = ox.Store.read_only(str(snapshots.renew()))
            assert int(next(iter(fresh.query(query, use_default_graph_as_union=True)))["n"].value) == 601
        finally:
            snapshots.close()


@pytest.fixture
def client(bundled_store_dir: Path, tmp_path: Path) -> Iterator[httpx.Client]:
    with served_copy(bundled_store_dir, tmp_path / "home", max_body_bytes=4096) as c:
        yield c


def test_the_short_way_in_keeps_every_header_and_error(client: httpx.Client) -> None:
    origin = {"Origin": "https://partner.example.org"}
    ok = client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": JSON, **origin})
    bad = client.get("/sparql", params={"query": "SELECT WHERE {"}, headers=origin)
    big = client.post("/sparql", content=b"ASK {}" + b" " * 5000,
                      headers={"Content-Type": "application/sparql-query", **origin})
    assert ok.status_code == 200 and ok.json()["boolean"] is True and ok.headers["ETag"]
    assert bad.status_code == 400 and bad.headers["content-type"].startswith("text/plain")
    assert "syntax" in bad.text.lower() or "pars" in bad.text.lower()
    assert big.status_code == 413
    for r in (ok, bad, big):
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"] == "no-referrer"
        assert "Content-Security-Policy" in r.headers
    for r in (ok, bad):  # (the body limit answers before CORS, as it always did)
        assert r.headers["Access-Control-Allow-Origin"] == "*"
    # other methods still go through the router
    assert client.request("DELETE", "/sparql").status_code in (400, 405)


def test_a_large_answer_goes_out_as_it_comes(bundled_store_dir: Path, tmp_path: Path) -> None:
    query = "SELECT * WHERE { ?s ?p ?o . ?a ?b ?c } LIMIT 60000"  # some 30 MB of JSON
    with served_copy(bundled_store_dir, tmp_path / "home", result_limit=100_000) as c:
        r = c.post("/sparql", data={"query": query}, headers={"Accept": JSON})
        small = c.post("/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"}, headers={"Accept": JSON})
    assert r.status_code == 200 and len(r.content) > KEEP_WHOLE
    assert "etag" not in r.headers  # streamed as it came: not kept by the answer cache
    assert len(r.json()["results"]["bindings"]) == 60000
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert small.headers["etag"]


def test_a_live_server_sends_a_large_answer_chunked(bundled_store_dir: Path, tmp_path: Path) -> None:
    """Through uvicorn (httptools) and a real client: chunked transfer, the whole answer, the headers."""
    query = "SELECT * WHERE { ?s ?p ?o . ?a ?b ?c } LIMIT 60000"
    with live_server(tmp_path / "live", store=bundled_store_dir, env={"YHDYSPINTA_RESULT_LIMIT": "100000"}) as server:
        r = httpx.post(f"{server.url}/sparql", data={"query": query}, headers={"Accept": JSON}, timeout=120)
    assert r.status_code == 200 and r.headers.get("transfer-encoding") == "chunked"
    assert len(r.json()["results"]["bindings"]) == 60000
    assert r.headers["Content-Security-Policy"] and r.headers["X-Content-Type-Options"] == "nosniff"


CORNER_GRAPH = "https://w3id.org/yhdyspinta/graph/corners"


def _snapshots_open(pid: int, serve: Path) -> set[str]:
    """The snapshot folders (under ``serve``) whose files the process ``pid`` holds open, from /proc."""
    held = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = Path(os.readlink(fd))
        except OSError:
            continue
        if serve in target.parents:
            held.add(str(target.parent))
    return held


def test_after_a_write_the_idle_worker_opens_the_new_snapshot_before_the_next_query(
        bundled_store_dir: Path, tmp_path: Path) -> None:
    """api/sparql/pool.py ``warm``: a worker that answered before opens the new version's snapshot when
    the write is done, not at the next query; one that never answered opens nothing (memory)."""
    home = tmp_path / "home"
    home.mkdir()
    serve = home / "serve"
    with live_server(home, store=bundled_store_dir, env={"YHDYSPINTA_KEEP_AFTER_WRITE": "0"}) as server:
        r = httpx.post(f"{server.url}/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"},
                       headers={"Accept": JSON}, timeout=60)
        assert r.status_code == 200
        before = json.loads(snapshot_pointer(home / "store").read_text())["path"]
        held = {pid: _snapshots_open(pid, serve) for pid in server.worker_pids()}
        answered = [pid for pid, folders in held.items() if folders]
        assert len(answered) == 1 and held[answered[0]] == {before}, held

        r = httpx.put(f"{server.url}/graph-store", params={"graph": CORNER_GRAPH}, content=CORNERS,
                      headers={"Content-Type": "text/turtle", **server.auth}, timeout=60)
        assert r.status_code == 201, r.text
        after = json.loads(snapshot_pointer(home / "store").read_text())["path"]
        assert after != before
        deadline = time.monotonic() + 20
        while _snapshots_open(answered[0], serve) != {after} and time.monotonic() < deadline:
            time.sleep(0.1)
        state = Path(f"/proc/{answered[0]}/status").read_text().splitlines()[2]  # the worker is still running
        log = (home / "server.log").read_text()[-3000:]
        assert _snapshots_open(answered[0], serve) == {after}, (state, log)
        assert all(not _snapshots_open(pid, serve) for pid in server.worker_pids() if pid != answered[0])


def test_a_quick_query_sees_a_write_at_once(bundled_store_dir: Path, tmp_path: Path) -> None:
    """A query the server answers itself (api/sparql/quick.py) is the current snapshot's: after a write its next
    answer, asked afresh, holds the new data; and the server process then holds the new snapshot, not the old."""
    home = tmp_path / "home"
    home.mkdir()
    serve = home / "serve"
    query = ('SELECT ?s WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> '
             '"Kahden kunnan verkosto"@fi }')
    fresh = {"Accept": JSON, "Cache-Control": "no-cache"}  # evaluated every time, not from the answer cache
    with live_server(home, store=bundled_store_dir, env={"YHDYSPINTA_KEEP_AFTER_WRITE": "0"}) as server:
        def ask() -> list[str]:
            r = httpx.post(f"{server.url}/sparql", data={"query": query}, headers=fresh, timeout=60)
            assert r.status_code == 200, r.text
            return [b["s"]["value"] for b in r.json()["results"]["bindings"]]

        before = json.loads(snapshot_pointer(home / "store").read_text())["path"]
        deadline = time.monotonic() + 20  # until a worker has answered it quickly (the first parse is not
        while _snapshots_open(server.process.pid, serve) != {before} and time.monotonic() < deadline:
            assert ask() == []  # quick) and the server has opened the snapshot, in a thread
            time.sleep(0.1)
        assert _snapshots_open(server.process.pid, serve) == {before}
        assert ask() == []  # answered by the server itself now

        r = httpx.put(f"{server.url}/graph-store", params={"graph": CORNER_GRAPH}, content=CORNERS,
                      headers={"Content-Type": "text/turtle", **server.auth}, timeout=60)
        assert r.status_code == 201, r.text
        after = json.loads(snapshot_pointer(home / "store").read_text())["path"]
        assert after != before
        assert ask() == ["https://w3id.org/yhdyspinta/id/network/corners/two-regions"]
        deadline = time.monotonic() + 20
        while _snapshots_open(server.process.pid, serve) != {after} and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _snapshots_open(server.process.pid, serve) == {after}
