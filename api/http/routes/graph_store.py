"""The SPARQL 1.1 Graph Store HTTP Protocol, and the dataset dumps.

Two ways to name a graph, as the protocol defines them:

* indirect: ``/graph-store?graph=<IRI>`` (any graph) or ``/graph-store?default``;
* direct: ``/graph/<path>`` is the graph ``<base>graph/<path>``, so the
  product's own graph IRIs dereference to their content.

GET and HEAD are public; PUT, POST and DELETE need the stewards' token and
go through api/http/writes.py (validation, one transaction). The stored default
graph is the named graph ``<base>graph/default`` (queries see the union).
"""

from __future__ import annotations

import os
import uuid

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response
from rdflib import Graph
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from yhdyspinta.api.http.public_meta import public_quads
from yhdyspinta.api.http.state import AppState, state
from yhdyspinta.api.http.writes import NewContent, apply_graphs, check_token, check_writable, ntriples_graph
from yhdyspinta.api.sparql.negotiation import DATASETS, GRAPHS, choose, media_type
from yhdyspinta.api.sparql.uploads import ParseJob, check_media_type, raise_for
from yhdyspinta.errors import NotFoundError, ProtocolError, StoreError
from yhdyspinta.ontology.namespaces import META_GRAPH

router = APIRouter(tags=["Graph Store and dumps"])

_OX = {
    "turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML, "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG,
}
_METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE"]
ALLOW = ", ".join([*_METHODS, "OPTIONS"])


def _checked(iri: str) -> str:
    try:
        return ox.NamedNode(iri).value
    except ValueError as exc:
        raise ProtocolError(f"'{iri}' is not an absolute IRI: {exc}") from exc


async def indirect(request: Request) -> Response:
    """`?graph=<IRI>` names a graph, `?default` the stored default graph; POST without either creates a graph."""
    st = state(request)
    params = request.query_params
    graphs = params.getlist("graph")
    if len(graphs) > 1 or (graphs and "default" in params):
        raise ProtocolError("name one graph: either ?graph=<IRI> or ?default")
    if graphs:
        return await _handle(st, request, _checked(graphs[0]))
    if "default" in params:
        return await _handle(st, request, st.default_graph)
    if request.method == "POST":
        iri = f"{st.settings.base_iri}graph/upload/{uuid.uuid4().hex}"
        response = await _handle(st, request, iri)
        response.headers["Location"] = iri
        return response
    raise ProtocolError("say which graph: ?graph=<IRI> or ?default (or POST without either to create one)")


async def direct(request: Request, path: str) -> Response:
    """The graph `<base>graph/{path}` itself: its content by GET, replaced by PUT, added to by POST."""
    st = state(request)
    if not path:
        raise ProtocolError("name a graph under /graph/, e.g. /graph/default")
    return await _handle(st, request, _checked(f"{st.settings.base_iri}graph/{path}"))


async def _handle(st: AppState, request: Request, graph: str) -> Response:
    if request.method in ("GET", "HEAD"):
        return await run_in_threadpool(_read, st, request, graph)
    check_token(st.settings, request.headers.get("authorization"))
    if not st.writable:
        raise StoreError("this server reads a snapshot (serve --workers > 1); writes need a single worker")
    check_writable(graph)
    body = await request.body()
    if request.method != "DELETE":
        rdf = await _parse_upload(st, body, request.headers.get("content-type"), graph)
    async with st.write_lock:
        existed = await run_in_threadpool(_exists, st, graph)
        if request.method == "DELETE":
            if not existed:
                raise NotFoundError(f"there is no graph <{graph}>")
            await run_in_threadpool(apply_graphs, st.store, [NewContent(graph, None)], "graph-store")
        else:
            if request.method == "POST" and existed:
                rdf = await run_in_threadpool(_merged, st, graph, rdf)
            await run_in_threadpool(apply_graphs, st.store, [NewContent(graph, rdf)], f"graph-store {request.method}")
        await run_in_threadpool(st.snapshots.renew)
        st.written()
    return Response(status_code=201 if request.method != "DELETE" and not existed else 204)


async def _parse_upload(st: AppState, body: bytes, content_type: str | None, graph: str) -> Graph:
    """Parse the body in a query worker (time limit, no network), then build the graph in a thread.

    Relative IRIs in the body resolve against the graph's IRI, as the Graph Store Protocol reads them.
    """
    what = "the request body"
    check_media_type(content_type, what)
    answer = await st.pool.run(ParseJob(body, content_type, what, base_iri=graph))
    if answer.status != 200:
        raise_for(answer.status, answer.body.decode("utf-8", "replace").strip())
    parsed = await run_in_threadpool(ntriples_graph, answer.body)
    assert parsed is not None
    return parsed


def _exists(st: AppState, graph: str) -> bool:
    return any(True for _ in st.store.quads(graph))


def _merged(st: AppState, graph: str, new: Graph) -> Graph:
    merged = Graph()
    merged.parse(data=st.store.dump(graph, ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    for triple in new:
        merged.add(triple)
    return merged


def _read(st: AppState, request: Request, graph: str) -> Response:
    key = choose(request.query_params.get("format"), request.headers.get("accept"), GRAPHS, default="turtle")
    if not _exists(st, graph):
        raise NotFoundError(f"there is no graph <{graph}>")
    if graph == str(META_GRAPH):  # the bookkeeping graph, with public names for the sources' file paths
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in public_quads(st.store.quads(graph))]
        body = ox.serialize(triples, format=_OX[key]) or b""
    else:
        body = st.store.dump(graph, _OX[key])
    return Response(body, media_type=media_type(key, GRAPHS), headers={"Vary": "Accept"})


for _method in _METHODS:
    for _path, _fn, _how in (("/graph-store", indirect, "indirect"), ("/graph/{path:path}", direct, "direct")):
        router.add_api_route(_path, _fn, methods=[_method], operation_id=f"graph_store_{_how}_{_method.lower()}",
                             summary=f"Graph Store Protocol {_method} ({_how} identification)",
                             include_in_schema=_method != "HEAD", response_class=Response)


@router.get("/dump", summary="The whole dataset (every named graph)", response_class=Response)
async def dump(request: Request, format: str | None = None) -> Response:  # noqa: A002 - the query parameter's name
    """N-Quads (default) or TriG, by `?format=` or Accept; each graph alone is at /graph-store?graph=<IRI>.

    The dataset is written to a temporary file in a thread and streamed from
    there, so neither the event loop nor the memory carries the whole dump.
    """
    st = state(request)
    key = choose(format, request.headers.get("accept"), DATASETS, default="nquads")
    spool = st.settings.home / "serve" / f"{os.getpid()}-dumps"  # removed at start if this process dies
    spool.mkdir(parents=True, exist_ok=True)
    path = spool / f"{uuid.uuid4().hex}.{DATASETS[key][2]}"
    try:
        await run_in_threadpool(lambda: st.store.dump_to(path, _OX[key], rewrite={str(META_GRAPH): public_quads}))
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    filename = f"yhdyspinta.{DATASETS[key][2]}"
    return FileResponse(path, media_type=media_type(key, DATASETS), filename=filename,
                        headers={"Vary": "Accept"}, background=BackgroundTask(path.unlink, missing_ok=True))
