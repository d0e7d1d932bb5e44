"""Concurrent misses on one answer are computed once (api/http/cache.py): the others wait for it.

50 clients that open the same region just after a write should cost one analysis, not 50 competing
for two cores. Unit level with real Starlette requests, plus a live server under concurrent clients.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from http_live import live_server
from starlette.requests import Request
from starlette.responses import Response

from yhdyspinta.api.http.cache import AnswerCache, cached


def _request(headers: dict[str, str] | None = None) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    return Request({"type": "http", "method": "GET", "path": "/api/x", "query_string": b"", "headers": raw})


def _run_many(cache: AnswerCache, n: int, headers: dict[str, str] | None = None) -> tuple[list[Response], int]:
    """``n`` concurrent requests for one key; the responses and how many computations ran."""
    calls = [0]

    async def main() -> list[Response]:
        release = asyncio.Event()

        async def make() -> Response:
            calls[0] += 1
            await release.wait()  # held until every request has arrived
            return Response(f"answer {calls[0]}".encode(), media_type="text/plain")

        tasks = [asyncio.create_task(cached(_request(headers), cache, "v1", ["k"], make)) for _ in range(n)]
        for _ in range(5):
            await asyncio.sleep(0)  # each task runs up to its first wait: make()'s, or another's answer
        release.set()
        return await asyncio.gather(*tasks)

    return asyncio.run(main()), calls[0]


def test_concurrent_misses_compute_once() -> None:
    cache = AnswerCache()
    responses, calls = _run_many(cache, 20)
    assert calls == 1
    assert {r.body for r in responses} == {b"answer 1"}
    assert len({r.headers["etag"] for r in responses}) == 1
    assert cache.shared == 19 and not cache.inflight


def test_no_cache_requests_compute_each_time() -> None:
    cache = AnswerCache()
    responses, calls = _run_many(cache, 5, {"Cache-Control": "no-cache"})
    assert calls == 5
    assert cache.shared == 0 and not cache.inflight


def test_a_failed_computation_is_not_shared() -> None:
    """Waiters of an answer that failed compute their own (here: fail again), nothing is kept."""
    cache = AnswerCache()

    async def main() -> list[int]:
        async def make() -> Response:
            await asyncio.sleep(0)
            return Response(b"no", status_code=500)

        rs = await asyncio.gather(*(cached(_request(), cache, "v1", ["k"], make) for _ in range(4)))
        return [r.status_code for r in rs]

    assert asyncio.run(main()) == [500] * 4
    assert len(cache) == 0 and not cache.inflight


def test_a_live_server_answers_50_concurrent_clients(bundled_store_dir: Path, tmp_path: Path) -> None:
    """50 clients at once on the JSON API of a real server: every answer 200 and the same."""
    home = tmp_path / "home"
    home.mkdir()
    with live_server(home, store=bundled_store_dir) as server:
        url = f"{server.url}/api/regions/paijat-hame/gaps"

        def get(_: int) -> tuple[int, bytes, str]:
            with httpx.Client(timeout=120) as c:
                r = c.get(url, headers={"Accept": "application/json"})
                return r.status_code, r.content, r.headers.get("etag", "")

        with ThreadPoolExecutor(50) as pool:
            answers = list(pool.map(get, range(50)))
    assert {a[0] for a in answers} == {200}
    assert len({a[1] for a in answers}) == 1
    assert len({a[2] for a in answers}) == 1 and answers[0][2]
