"""Answers cached by the store's version, with ETags: a repeated question costs a dictionary look-up.

The store changes only on a write, and every write through the server ends by
taking a new snapshot (api/http/state.py ``AppState.version``). So an answer
(an analysis' table, a SPARQL result) is keyed by that version and the request
(path, parameters, the Accept header, the query and its dataset), and its ETag is
a digest of the same key: the server can answer ``If-None-Match`` with ``304``
without computing anything, and a write changes every ETag at once.

- ``Cache-Control: no-cache``: clients may keep an answer but must ask again
  (a write can come at any time); the ETag makes asking cheap.
- A request with ``Cache-Control: no-cache`` (or ``no-store``) is computed afresh
  (benchmarks use it to measure the work, not the cache).
- ``If-None-Match`` on a POST (a SPARQL query sent as a form) that matches gives
  ``412``, as RFC 9110 13.1.2 asks for methods other than GET and HEAD.
- The cache holds bodies up to :data:`MAX_ENTRY` bytes, :data:`MAX_BYTES` in all,
  least recently used first out; only 200 answers are kept.
- Concurrent misses on one key are computed once: the first request computes, the
  others wait for its answer (50 clients opening the same region after a write
  cost one analysis, not 50 analyses competing for two cores). A request with
  ``Cache-Control: no-cache`` neither waits for nor serves the others.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

MAX_BYTES = 64 * 1024 * 1024
MAX_ENTRY = 8 * 1024 * 1024
#: What a client is told: keep the answer, but ask (cheaply, with If-None-Match) before using it again.
CACHE_CONTROL = "no-cache"
#: Response headers that a cached answer keeps (others are added by middleware on the way out).
_KEPT = ("content-type", "content-disposition", "link", "vary", "x-sparql-maxrows")


@dataclass(frozen=True)
class Cached:
    """One stored answer: its status, body and headers."""

    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...]


class AnswerCache:
    """A least-recently-used map from a request key to its answer's bytes, bounded in bytes."""

    def __init__(self, *, max_bytes: int = MAX_BYTES, max_entry: int = MAX_ENTRY) -> None:
        self.max_bytes = max_bytes
        self.max_entry = min(max_entry, max_bytes)
        self._entries: OrderedDict[str, Cached] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.shared = 0  # misses answered by another request's computation
        #: answers being computed, by key; their waiters get the answer (None: compute it yourself)
        self.inflight: dict[str, asyncio.Future[Cached | None]] = {}

    def get(self, key: str) -> Cached | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: str, entry: Cached) -> None:
        if len(entry.body) > self.max_entry:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old.body)
            self._entries[key] = entry
            self._size += len(entry.body)
            while self._size > self.max_bytes:
                _, gone = self._entries.popitem(last=False)
                self._size -= len(gone.body)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0

    @property
    def size(self) -> int:
        """The bytes held."""
        return self._size

    def __len__(self) -> int:
        return len(self._entries)


def answer_key(version: str, parts: Iterable[str]) -> str:
    """The digest of the store's version and what identifies the answer (also the ETag's value)."""
    h = hashlib.sha256(version.encode())
    for p in parts:
        h.update(b"\x00" + p.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:32]


def request_parts(request: Request) -> list[str]:
    """What identifies a GET answer of the JSON API: the path, the sorted parameters and the Accept header."""
    params = sorted(request.query_params.multi_items())
    return [request.url.path, repr(params), request.headers.get("accept", "")]


def etag_of(key: str) -> str:
    """A weak ETag: the same answer, not necessarily the same bytes once recomputed."""
    return f'W/"{key}"'


def _matches(header: str | None, etag: str) -> bool:
    """Whether ``If-None-Match`` names ``etag`` (weak comparison) or is ``*``."""
    if not header:
        return False
    wanted = etag.removeprefix("W/")
    for tag in header.split(","):
        tag = tag.strip()
        if tag == "*" or tag.removeprefix("W/") == wanted:
            return True
    return False


def _wants_fresh(request: Request) -> bool:
    directives = request.headers.get("cache-control", "").lower()
    return "no-cache" in directives or "no-store" in directives


async def cached(request: Request, cache: AnswerCache, version: str | None, parts: Iterable[str],
                 make: Callable[[], Awaitable[Response]]) -> Response:
    """The answer for ``parts`` at store ``version``: 304 when the client has it, else from the cache, else
    made by ``make`` (and kept when 200). ``version`` None: made every time, no ETag."""
    if version is None:
        return await make()
    key = answer_key(version, parts)
    etag = etag_of(key)
    tags = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if _matches(request.headers.get("if-none-match"), etag):
        if request.method in ("GET", "HEAD"):
            return Response(status_code=304, headers={**tags, "Vary": "Accept"})
        return Response(b"the answer has not changed since the ETag in If-None-Match\n", status_code=412,
                        media_type="text/plain; charset=utf-8")
    fresh = _wants_fresh(request)
    hit = None if fresh else cache.get(key)
    if hit is None and not fresh and (pending := cache.inflight.get(key)) is not None:
        hit = await asyncio.shield(pending)  # another request computes this answer: share it
        if hit is not None:
            cache.shared += 1
    if hit is not None:
        response = Response(hit.body, status_code=hit.status, headers=dict(hit.headers))
    else:
        response = await _make_shared(cache, key, None if fresh else asyncio.get_running_loop().create_future(),
                                      make)
        if response.status_code != 200 or not isinstance(getattr(response, "body", None), bytes):
            return response  # an error, or a streamed answer: not kept, no ETag
    response.headers.update(tags)
    return response


async def _make_shared(cache: AnswerCache, key: str, future: asyncio.Future[Cached | None] | None,
                       make: Callable[[], Awaitable[Response]]) -> Response:
    """Compute the answer, keep it when it is a 200 with a body, and hand it to the requests waiting on
    ``future`` (None: a fresh computation nobody waits for)."""
    if future is not None:
        cache.inflight.setdefault(key, future)
    entry: Cached | None = None
    try:
        response = await make()
        if response.status_code == 200 and isinstance(getattr(response, "body", None), bytes):
            kept = tuple((k, v) for k, v in response.headers.items() if k.lower() in _KEPT)
            entry = Cached(response.status_code, bytes(response.body), kept)
            cache.put(key, entry)
        return response
    finally:
        if future is not None:
            if cache.inflight.get(key) is future:
                del cache.inflight[key]
            if not future.done():
                future.set_result(entry)
