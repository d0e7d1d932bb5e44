"""The /sparql endpoint in front of a remote SPARQL 1.1 store (``serve --backend sparql``).

When the data lives in a remote store (graph/backends/sparql), a partner's read query is sent
on to that store, held to this server's own limits, and its answer given back in the format
the client negotiated with us, exactly as the local endpoint would give it:

- **the guard first**: SERVICE is refused by the same parse as locally (api/sparql/guard.py),
  so this server never makes the remote store fetch a URL for an anonymous client;
  updates are not forwarded at all (501: data reaches the remote store through
  ``yhdyspinta ingest --target sparql``, validated);
- **the time limit** (``YHDYSPINTA_QUERY_TIMEOUT``) covers the whole answer: a store silent for
  that long, or one still sending when it has passed, is cut off and the client gets a 504
  naming the store's URL (never its credentials);
- **the result cap** (``YHDYSPINTA_RESULT_LIMIT``) by a streaming count: the store's answer is
  read as SPARQL JSON results (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE) by pyoxigraph's
  streaming parsers, written out row by row by the local endpoint's writers
  (api/sparql/results.py), and the connection is closed after ``limit`` rows, with the header
  ``X-SPARQL-MaxRows`` as locally. Neither wrapping the query nor trusting the store to honour
  a LIMIT is needed;
- **no server paths**: the metadata graph records each source by the path it was ingested
  from; a literal equal to such a path is shown by its public name (api/render/public_paths.py),
  as the local endpoint's scrubbed snapshots do. (Unlike a snapshot, the remote store itself
  keeps the paths, so string functions over them reach the real text: ingest into a shared
  store from a neutral folder, docs/scale.md.)

The queries see the product's prefixes and base IRI declared, as the local endpoint does.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any, cast
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool

from yhdyspinta.api.render.public_paths import public_source
from yhdyspinta.api.sparql.execute import Answer
from yhdyspinta.api.sparql.guard import refusal
from yhdyspinta.api.sparql.negotiation import GRAPHS, RESULTS, NotAcceptable, choose, media_type
from yhdyspinta.api.sparql.protocol import Operation
from yhdyspinta.api.sparql.results import write_boolean, write_solutions
from yhdyspinta.errors import (
    RemoteAuthError,
    RemoteStoreError,
    RemoteTimeoutError,
    RemoteUnavailableError,
    YhdyspintaError,
)
from yhdyspinta.graph.store.remote_client import Endpoints, public_url
from yhdyspinta.graph.store.store import SourceRecord
from yhdyspinta.ontology.namespaces import NAMESPACES, SPARQL_PREFIXES

__all__ = ["Forwarder", "NotForwarded"]

_TEXT = "text/plain; charset=utf-8"
_RESULTS_JSON = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
#: what we ask the store for: JSON results for SELECT and ASK, N-Triples for CONSTRUCT and DESCRIBE
_ACCEPT = f"{_RESULTS_JSON}, {_NTRIPLES};q=0.9"
_RDF = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
        "rdfxml": ox.RdfFormat.RDF_XML}
_BOOLEAN = {k: v for k, v in RESULTS.items() if k in ("json", "xml")}
#: the most of a store's error message that goes into ours
_DETAIL = 300
#: seconds the list of source paths (for scrubbing) is reused
_SOURCES_TTL = 30.0


class NotForwarded(YhdyspintaError):
    """Asked of a server in front of a remote store what only the embedded store can do (501)."""

    exit_code = 2
    http_status = 501


class _Deadline(RemoteTimeoutError):
    """The time limit passed while the store was still sending."""


@dataclass(frozen=True)
class _Request:
    text: str
    accept: str | None
    format: str | None
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]


class _Stream:
    """The store's answer as a file pyoxigraph's parsers read from, lazily, until the deadline."""

    def __init__(self, chunks: Iterator[bytes], deadline: float, where: str, timeout: float) -> None:
        self._chunks = chunks
        self._deadline = deadline
        self._where = where
        self._timeout = timeout
        self._buffer = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            if time.monotonic() > self._deadline:
                raise _Deadline(f"{self._where} was still answering after {self._timeout:g} s "
                                "(YHDYSPINTA_QUERY_TIMEOUT); the answer was cut off")
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size < 0:
            out, self._buffer = self._buffer, b""
        else:
            out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


class _Solutions:
    """Solutions as api/sparql/results.py's writers read them (``variables``, rows by name), paths public."""

    def __init__(self, solutions: ox.QuerySolutions, public: Callable[[Any], Any]) -> None:
        self.variables = solutions.variables
        self._names = [v.value for v in solutions.variables]
        self._solutions = solutions
        self._public = public

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for solution in self._solutions:
            yield {n: self._public(solution[n]) for n in self._names}


class Forwarder:
    """Sends read queries to the remote store's query endpoint; one connection pool, closed with the app."""

    def __init__(self, endpoints: Endpoints, *, timeout: float, limit: int | None, base_iri: str,
                 sources: Callable[[], list[SourceRecord]]) -> None:
        self.endpoints = endpoints
        self.timeout = timeout
        self.limit = limit
        self.base_iri = base_iri
        self._sources = sources
        self._paths: tuple[float, Mapping[str, str]] | None = None
        auth = httpx.BasicAuth(endpoints.user, endpoints.password or "") if endpoints.user else None
        headers = {"User-Agent": "yhdyspinta", "Accept": _ACCEPT}
        if endpoints.token:
            headers["Authorization"] = f"Bearer {endpoints.token}"
        self._http = httpx.Client(auth=auth, headers=headers, follow_redirects=False,
                                  timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)))

    @property
    def url(self) -> str:
        """The query endpoint without credentials."""
        return public_url(self.endpoints.query)

    @property
    def where(self) -> str:
        return f"the SPARQL store at {self.url}"

    def close(self) -> None:
        self._http.close()

    async def answer(self, op: Operation, accept: str | None) -> Answer:
        """The remote store's answer to ``op`` (a query), in the client's format, within our limits."""
        if op.kind != "query":
            raise NotForwarded(
                f"this server answers from {self.where} and forwards only queries; data reaches that "
                "store through `yhdyspinta ingest --target sparql` (validated), not SPARQL Update here"
            )
        deadline = time.monotonic() + self.timeout
        try:
            why = await asyncio.wait_for(run_in_threadpool(refusal, op.text, "query"), self.timeout)
        except TimeoutError:
            return Answer(503, f"the query could not be checked within {self.timeout:g} s\n".encode(), _TEXT)
        if why is not None:
            return Answer(400, f"{why}\n".encode(), _TEXT)
        request = _Request(op.text, accept, op.format, op.default_graphs, op.named_graphs)
        remaining = max(deadline - time.monotonic(), 0.1)
        try:  # the thread stops by itself at the deadline (the stream checks it, httpx's timeouts bound a read)
            return await asyncio.wait_for(run_in_threadpool(self._forward, request, deadline), remaining + 5.0)
        except TimeoutError as exc:
            raise RemoteTimeoutError(f"{self.where} did not answer within {self.timeout:g} s "
                                     "(YHDYSPINTA_QUERY_TIMEOUT)") from exc

    # -- in a worker thread ------------------------------------------------

    def _forward(self, request: _Request, deadline: float) -> Answer:
        data = [("query", f"BASE <{self.base_iri}>\n{SPARQL_PREFIXES}{request.text}")]
        data += [("default-graph-uri", g) for g in request.default_graphs]
        data += [("named-graph-uri", g) for g in request.named_graphs]
        public = self._public_paths()
        try:
            with self._http.stream("POST", self.endpoints.query, content=_form(data),
                                   headers={"Content-Type": "application/x-www-form-urlencoded"}) as response:
                failed = self._failure(response)
                if failed is not None:
                    return failed
                stream = _Stream(response.iter_bytes(), deadline, self.where, self.timeout)
                ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
                return self._rewrite(ctype, stream, request, public)
        except httpx.TimeoutException as exc:
            raise RemoteTimeoutError(f"{self.where} did not answer within {self.timeout:g} s "
                                     f"(YHDYSPINTA_QUERY_TIMEOUT): {type(exc).__name__}") from exc
        except httpx.TransportError as exc:
            raise RemoteUnavailableError(f"{self.where} cannot be reached ({type(exc).__name__}); "
                                         "is it running?") from exc

    def _failure(self, response: httpx.Response) -> Answer | None:
        """None for a 2xx; the store's refusal of the query (its fault or the client's) otherwise."""
        status = response.status_code
        if status < 300:
            return None
        if status in (401, 403):
            raise RemoteAuthError(f"{self.where} refused this server's credentials (HTTP {status})")
        detail = " ".join(response.read()[:_DETAIL].decode("utf-8", "replace").split())
        if 400 <= status < 500 and status not in (404, 405):  # the query itself, e.g. a syntax error
            return Answer(400, f"{self.where} refused the query (HTTP {status}): {detail}\n".encode(), _TEXT)
        raise RemoteStoreError(f"{self.where} failed (HTTP {status}): {detail}")

    def _rewrite(self, ctype: str, stream: _Stream, request: _Request, public: Callable[[Any], Any]) -> Answer:
        """The store's answer in the client's format, capped at ``limit`` rows or triples."""
        try:
            if ctype in (_RESULTS_JSON, "application/json"):
                result = ox.parse_query_results(cast(IO[bytes], stream), format=ox.QueryResultsFormat.JSON)
                if isinstance(result, ox.QueryBoolean):
                    key = choose(request.format, request.accept, _BOOLEAN, default="json")
                    return Answer(200, write_boolean(bool(result), key), media_type(key, RESULTS))
                key = choose(request.format, request.accept, RESULTS, default="json")
                body, cut = write_solutions(cast(ox.QuerySolutions, _Solutions(result, public)), key, self.limit)
                return Answer(200, body, media_type(key, RESULTS), self._cap_header(cut))
            if ctype in (_NTRIPLES, "text/plain"):
                key = choose(request.format, request.accept, GRAPHS, default="turtle")
                triples: list[ox.Triple] = []
                cut = False
                for quad in ox.parse(cast(IO[bytes], stream), format=ox.RdfFormat.N_TRIPLES):
                    if self.limit is not None and len(triples) >= self.limit:
                        cut = True
                        break
                    triples.append(ox.Triple(quad.subject, quad.predicate, public(quad.object)))
                prefixes = NAMESPACES if key in ("turtle", "rdfxml") else None
                body = ox.serialize(triples, format=_RDF[key], prefixes=prefixes) or b""
                return Answer(200, body, media_type(key, GRAPHS), self._cap_header(cut))
        except NotAcceptable as exc:
            return Answer(406, f"{exc}\n".encode(), _TEXT)
        except SyntaxError as exc:
            raise RemoteStoreError(f"{self.where} sent an answer that does not parse: {exc}") from exc
        raise RemoteStoreError(f"{self.where} answered in {ctype or 'no media type'}, not SPARQL JSON results "
                               "or N-Triples")

    def _cap_header(self, cut: bool) -> tuple[tuple[str, str], ...]:
        return (("X-SPARQL-MaxRows", str(self.limit)),) if cut else ()

    def _public_paths(self) -> Callable[[Any], Any]:
        """A term with any source path of the metadata replaced by the source's public name."""
        now = time.monotonic()
        if self._paths is None or now - self._paths[0] > _SOURCES_TTL:
            self._paths = (now, {r.path: public_source(r.path, r.graph) for r in self._sources()})
        paths = self._paths[1]

        def public(term: Any) -> Any:
            if isinstance(term, ox.Literal) and term.value in paths:
                return ox.Literal(paths[term.value])
            return term

        return public


def _form(pairs: list[tuple[str, str]]) -> bytes:
    """An application/x-www-form-urlencoded body that keeps repeated keys (default-graph-uri, ...)."""
    return urlencode(pairs).encode("ascii")
