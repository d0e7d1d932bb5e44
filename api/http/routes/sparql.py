"""The SPARQL endpoint at /sparql: queries for everyone, updates for data stewards.

The route only wires things: api/sparql/protocol.py reads the request, a
query worker evaluates it (api/sparql/pool.py, with the time limit and the
result cap), api/http/writes.py validates and writes what an update changed.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from yhdyspinta.api.http.state import AppState, state
from yhdyspinta.api.http.writes import NewContent, apply_graphs, check_token, ntriples_graph
from yhdyspinta.api.render.html import query_page
from yhdyspinta.api.sparql.execute import Answer, QueryJob, UpdateJob
from yhdyspinta.api.sparql.negotiation import GRAPHS, choose, media_type, prefers_html
from yhdyspinta.api.sparql.protocol import Operation, read_operation
from yhdyspinta.api.sparql.service_description import service_description
from yhdyspinta.api.sparql.text import MAX_NESTING, add_using, nesting_depth
from yhdyspinta.errors import ProtocolError, StoreError
from yhdyspinta.graph.store.snapshots import discard
from yhdyspinta.ontology.namespaces import META_GRAPH

router = APIRouter(tags=["SPARQL"])

_DOC = """The SPARQL 1.1 Protocol endpoint.

* **query** by GET (`?query=`), by POST form (`query=`) or by POST with `Content-Type: application/sparql-query`;
  `default-graph-uri` / `named-graph-uri` override the query's FROM. Without them the default graph is the union
  of all named graphs. SELECT/ASK answer in SPARQL JSON, XML, CSV or TSV, CONSTRUCT/DESCRIBE in Turtle,
  N-Triples, JSON-LD or RDF/XML, chosen by `Accept` (or `?format=`).
* **update** by POST form (`update=`) or `Content-Type: application/sparql-update`, with
  `Authorization: Bearer <token>`; validated like an ingest, all or nothing.
* **GET without a query**: the service description (RDF), or the query page for a browser.

Queries stop after the server's time limit (503) and answers stop at the result cap (header `X-SPARQL-MaxRows`).
"""


def answer_response(answer: Answer) -> Response:
    return Response(answer.body, status_code=answer.status, media_type=answer.media_type,
                    headers=dict(answer.headers))


async def sparql(request: Request) -> Response:
    st = state(request)
    op = await read_operation(request)
    if op.kind == "service":
        accept = request.headers.get("accept")
        if not op.format and prefers_html(accept):
            return HTMLResponse(query_page())
        return await run_in_threadpool(_service_description, st, request, op)
    depth = nesting_depth(op.text) if op.kind in ("query", "update") else 0
    if depth > MAX_NESTING:
        raise ProtocolError(
            f"the {op.kind} nests groups {depth} deep; at most {MAX_NESTING} levels are accepted"
        )
    if op.kind == "query":
        job = QueryJob(
            op.text, accept=request.headers.get("accept"), format=op.format,
            default_graphs=op.default_graphs if op.has_dataset else None,
            named_graphs=op.named_graphs if op.has_dataset else None,
            base_iri=st.settings.base_iri, limit=st.settings.result_limit,
        )
        return answer_response(await st.pool.run(job))
    return await _update(st, request, op)


def _service_description(st: AppState, request: Request, op: Operation) -> Response:
    """The service description; ``sd:endpoint`` from YHDYSPINTA_PUBLIC_URL or the socket, never the Host header."""
    from yhdyspinta.api.render.public_paths import endpoint_iri

    key = choose(op.format, request.headers.get("accept"), GRAPHS, default="turtle")
    endpoint = endpoint_iri(st.settings.public_url, request.scope, "sparql")
    graph = service_description(endpoint, st.store.sources(), writable=st.writable and bool(st.settings.write_token),
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
