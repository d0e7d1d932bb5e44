"""The SPARQL endpoint at /sparql: queries for everyone, updates for data stewards.

The route only wires things: api/sparql/protocol.py reads the request, a
query worker evaluates it (api/sparql/pool.py, with the time limit and the
result cap), api/http/writes.py validates and writes what an update changed.
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import lru_cache

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.types import Receive, Scope, Send

from yhdyspinta.api.http.cache import cached
from yhdyspinta.api.http.routes.assets import query_page_response
from yhdyspinta.api.http.state import AppState, state
from yhdyspinta.api.http.writes import NewContent, apply_graphs, check_token, ntriples_graph
from yhdyspinta.api.render.spreadsheet import sparql_to_csv, sparql_to_xlsx
from yhdyspinta.api.sparql.execute import Answer, QueryJob, UpdateJob
from yhdyspinta.api.sparql.negotiation import (
    GRAPHS,
    RESULTS,
    SPREADSHEETS,
    NotAcceptable,
    choose,
    from_format_param,
    media_type,
    negotiate,
    prefers_html,
)
from yhdyspinta.api.sparql.pool import AnswerStream, whole_body
from yhdyspinta.api.sparql.protocol import Operation, read_operation
from yhdyspinta.api.sparql.service_description import service_description
from yhdyspinta.api.sparql.text import MAX_NESTING, add_using, keywords, nesting_depth
from yhdyspinta.errors import ProtocolError, StoreError
from yhdyspinta.graph.store.snapshots import discard
from yhdyspinta.ontology.namespaces import META_GRAPH

router = APIRouter(tags=["SPARQL"])

_DOC = """The SPARQL 1.1 Protocol endpoint.

* **query** by GET (`?query=`), by POST form (`query=`) or by POST with `Content-Type: application/sparql-query`;
  `default-graph-uri` / `named-graph-uri` override the query's FROM. Without them the default graph is the union
  of all named graphs. SELECT/ASK answer in SPARQL JSON, XML, CSV or TSV, CONSTRUCT/DESCRIBE in Turtle,
  N-Triples, JSON-LD or RDF/XML, chosen by `Accept` (or `?format=`). A SELECT answer also comes as an XLSX
  workbook (`?format=xlsx` or the XLSX media type in `Accept`), and as CSV for Excel with `?excel=true`
  (byte order mark, semicolons, decimal commas; docs/excel.md).
* **update** by POST form (`update=`) or `Content-Type: application/sparql-update`, with
  `Authorization: Bearer <token>`; validated like an ingest, all or nothing.
* **GET without a query**: the service description (RDF), or the query page for a browser.

Queries stop after the server's time limit (503) and answers stop at the result cap (header `X-SPARQL-MaxRows`;
in a JSON answer also `"truncated": true` and `"maxRows"`, in XML, Turtle and N-Triples a comment).
A query's answer carries an `ETag` (it changes when the store is written): send it back in `If-None-Match`
to get `304 Not Modified`.
"""


def answer_response(answer: Answer) -> Response:
    """The worker's answer as a response; a large one is sent on as it comes from the worker."""
    if answer.stream is not None:
        return StreamedResponse(answer.stream, status_code=answer.status, media_type=answer.media_type,
                                headers=dict(answer.headers))
    return Response(answer.body, status_code=answer.status, media_type=answer.media_type,
                    headers=dict(answer.headers))


class StreamedResponse(Response):
    """A large answer sent piece by piece as the worker writes it (chunked), never held whole; the answer
    cache does not keep it (it has no ``body``). If the worker stops early (the time limit), the
    connection is cut off, so the client cannot take a partial answer for a whole one."""

    def __init__(self, stream: AnswerStream, *, status_code: int, media_type: str, headers: dict[str, str]) -> None:
        self.stream = stream
        super().__init__(None, status_code=status_code, media_type=media_type, headers=headers)
        if "content-length" in self.headers:
            del self.headers["content-length"]
        del self.body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
            if scope["method"] != "HEAD":
                async for piece in self.stream:
                    await send({"type": "http.response.body", "body": piece, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        finally:
            self.stream.close()


async def sparql(request: Request) -> Response:
    st = state(request)
    op = await read_operation(request)
    if op.kind == "service":
        accept = request.headers.get("accept")
        if not op.format and prefers_html(accept):
            return query_page_response(request)
        return await run_in_threadpool(_service_description, st, request, op)
    depth = _nesting(op.text) if op.kind in ("query", "update") else 0
    if depth > MAX_NESTING:
        raise ProtocolError(
            f"the {op.kind} nests groups {depth} deep; at most {MAX_NESTING} levels are accepted"
        )
    if st.forwarder is not None:  # serve --backend sparql: the remote store answers (api/sparql/forward.py)
        return answer_response(await st.forwarder.answer(op, request.headers.get("accept")))
    if op.kind == "query":
        return await cached(request, st.answers, st.sparql_version, _query_parts(request, op),
                            lambda: _query(st, request, op))
    return await _update(st, request, op)


def _query_parts(request: Request, op: Operation) -> list[str]:
    """What identifies a query's answer besides the store's version (api/http/cache.py)."""
    return ["sparql", op.text, repr(op.default_graphs), repr(op.named_graphs), op.format or "",
            request.headers.get("accept", ""), request.query_params.get("excel", "")]


async def _query(st: AppState, request: Request, op: Operation) -> Response:
    sheet = _spreadsheet_wish(request, op)
    job = QueryJob(
        op.text, accept=request.headers.get("accept"), format="json" if sheet else op.format,
        default_graphs=op.default_graphs if op.has_dataset else None,
        named_graphs=op.named_graphs if op.has_dataset else None,
        base_iri=st.settings.base_iri, limit=st.settings.result_limit,
    )
    answer = await st.pool.run(job)
    if sheet and answer.status == 200:
        whole = replace(answer, body=await whole_body(answer), stream=None)
        return await run_in_threadpool(_spreadsheet_response, whole, sheet)
    return answer_response(answer)


def _spreadsheet_wish(request: Request, op: Operation) -> str | None:
    """"xlsx" or "excel-csv" when a SELECT's answer goes to a spreadsheet, else None (the worker's formats).

    XLSX by ``?format=xlsx`` or by Accept (for a SELECT only: another query form negotiates its own
    formats); CSV for Excel by ``?excel=true`` where the answer would be CSV. The worker then answers in
    SPARQL JSON, which keeps each value's datatype, and the server turns that into the spreadsheet.
    """
    select = _query_form(op.text) == "SELECT"
    excel = request.query_params.get("excel", "").strip().lower() in ("1", "true", "yes", "on")
    if op.format:
        try:
            from_format_param(op.format, SPREADSHEETS)
        except NotAcceptable:
            pass
        else:
            if not select:
                raise NotAcceptable("xlsx holds the answer of a SELECT query; ask another format for this query")
            return "xlsx"
        try:
            key = from_format_param(op.format, RESULTS)
        except NotAcceptable:
            return None  # the worker says what it offers
    elif select:
        try:
            key = negotiate(request.headers.get("accept"), RESULTS, default="json", extra=[SPREADSHEETS])
        except NotAcceptable:
            return None  # the worker says what it offers
        if key == "xlsx":
            return "xlsx"
    else:
        return None
    return "excel-csv" if select and excel and key == "csv" else None


def _query_form(text: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the query's first such keyword outside braces."""
    return _remembered_form(text) if len(text) <= _REMEMBERED_TEXT else _form(text)


def _form(text: str) -> str | None:
    forms = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
    return next((k.word for k in keywords(text) if k.depth == 0 and k.word in forms), None)


#: texts up to this size have their scans remembered: clients repeat their queries, a scan costs ~20 us
_REMEMBERED_TEXT = 16_384
_remembered_form = lru_cache(maxsize=512)(_form)
_remembered_depth = lru_cache(maxsize=512)(nesting_depth)


def _nesting(text: str) -> int:
    return _remembered_depth(text) if len(text) <= _REMEMBERED_TEXT else nesting_depth(text)


def _spreadsheet_response(answer: Answer, sheet: str) -> Response:
    """The worker's SPARQL JSON answer as XLSX or as CSV for Excel; the result cap's header kept."""
    data = json.loads(answer.body)
    headers = {**dict(answer.headers), "Vary": "Accept"}
    if sheet == "xlsx":
        headers["Content-Disposition"] = 'attachment; filename="sparql.xlsx"'
        return Response(sparql_to_xlsx(data), media_type=media_type("xlsx", SPREADSHEETS), headers=headers)
    headers["Content-Disposition"] = 'attachment; filename="sparql.csv"'
    return Response(sparql_to_csv(data, excel=True), media_type=media_type("csv", RESULTS), headers=headers)


def _service_description(st: AppState, request: Request, op: Operation) -> Response:
    """The service description; ``sd:endpoint`` from YHDYSPINTA_PUBLIC_URL or the socket, never the Host header."""
    from yhdyspinta.api.render.public_paths import endpoint_iri

    key = choose(op.format, request.headers.get("accept"), GRAPHS, default="turtle")
    endpoint = endpoint_iri(st.settings.public_url, request.scope, "sparql")
    graph = service_description(endpoint, st.records.sources(), writable=st.writable and bool(st.settings.write_token),
                                default_graph=st.default_graph)
    body = graph.serialize(format={"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld",
                                   "rdfxml": "xml"}[key], encoding="utf-8")
    return Response(body, media_type=media_type(key, GRAPHS))


async def _update(st: AppState, request: Request, op: Operation) -> Response:
    check_token(st.settings, request.headers.get("authorization"))
    if not st.writable:
        raise StoreError("this server reads a snapshot (serve --workers > 1); updates need a single worker")
    text = add_using(op.text, list(op.default_graphs), list(op.named_graphs)) if op.has_dataset else op.text
    async with st.write_lock:
        scratch = await run_in_threadpool(st.snapshots.scratch)
        try:
            job = UpdateJob(text, str(scratch), st.default_graph, st.settings.base_iri, protected=(str(META_GRAPH),))
            answer = await st.pool.run(job)
        finally:
            await run_in_threadpool(discard, scratch)
        if answer.status != 200:
            return answer_response(answer)
        contents = [NewContent(c.graph, ntriples_graph(c.ntriples)) for c in answer.changes]
        outcomes = await run_in_threadpool(apply_graphs, st.store, contents, "sparql-update")
        if contents:
            await run_in_threadpool(st.snapshots.renew)
            st.written()
    removed = [c.graph for c in contents if c.rdf is None]
    return JSONResponse({
        "changed": [{"graph": o.graph, "status": o.status, "triples": o.triples} for o in outcomes
                    if o.graph not in removed],
        "removed": removed,
    })


for _method in ("GET", "POST"):
    router.add_api_route("/sparql", sparql, methods=[_method], operation_id=f"sparql_{_method.lower()}",
                         summary=f"SPARQL 1.1 {'query' if _method == 'GET' else 'query or update'} ({_method})",
                         description=_DOC, response_class=Response)
router.add_api_route("/sparql", sparql, methods=["HEAD", "PUT", "DELETE", "PATCH"], include_in_schema=False)
router.add_api_route("/sparql/", sparql, methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"],
                     include_in_schema=False)
