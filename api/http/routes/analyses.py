"""The JSON API: the analyses and entity lists, as JSON, CSV or XLSX.

Routes parse parameters, call a graph/ function and render its typed result
with api/render/tables.py and api/render/spreadsheet.py (the CLI's renderers),
choosing JSON, CSV or XLSX by ``?format=`` or Accept, and a result's table by
``?table=`` (api/http/respond.py). They compute nothing themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from yhdyspinta.api import library
from yhdyspinta.api.http.cache import cached, request_parts
from yhdyspinta.api.http.respond import TABLE_PARAMS, AsOf, Format, respond
from yhdyspinta.api.http.state import AppState, state
from yhdyspinta.api.render.public_paths import public_link, public_source
from yhdyspinta.api.render.tables import Tabular
from yhdyspinta.graph.backends.embedded.browse import KINDS, MAX_OFFSET, Filters, list_entities
from yhdyspinta.graph.backends.protocol import Backend

router = APIRouter(prefix="/api", tags=["API"])

Schemes = Annotated[list[str] | None, Query(description="theme scheme(s), e.g. national or paijat-hame/group; "
                                                        "default: the region's own and the national")]


async def _run(request: Request, fn: Callable[[AppState], Tabular], fmt: str | None, **options: Any) -> Response:
    """Compute in a thread and respond; the answer is cached by the store's version (api/http/cache.py)
    and today's date (an analysis without ``as_of`` answers for today)."""
    st = state(request)

    async def make() -> Response:
        result = await run_in_threadpool(fn, st)
        return respond(request, result, fmt, **options)

    parts = [*request_parts(request), date.today().isoformat()]
    return await cached(request, st.answers, st.analyses_version, parts, make)


@router.get("/regions/{region}/gaps", summary="Themes of a region that no forum or network covers",
            dependencies=TABLE_PARAMS)
async def gaps(request: Request, region: str, scheme: Schemes = None,
               all: Annotated[bool, Query(description="list covered themes too")] = False,  # noqa: A002
               explain: Annotated[str | None, Query(
                   description="a theme (its path, e.g. paijat-hame/group/hyte-yleisesti, or its Finnish label): "
                               "instead of the gaps, each structure that covers it with the path that made it "
                               "count, those that do not count and why, and the themes only related to it")] = None,
               format: Format = None, as_of: AsOf = None) -> Response:  # noqa: A002
    """The coverage-gap analysis (graph/analyses/gaps.py): each theme with the structures that cover it;
    with ``explain``, why a theme is covered (graph/analyses/record.py). The same library functions as
    the CLI's ``gaps`` and ``yhdyspinta.gaps``."""
    def run(st: AppState) -> Tabular:
        backend = st.backend.at(as_of)
        if explain is not None:
            return library.explain(backend, region, explain, scheme=scheme, as_of=as_of)
        return library.gaps(backend, region, scheme=scheme)

    return await _run(request, run, format, only_gaps=not all)


@router.get("/regions/{region}/coverage", summary="Coverage of each theme by level of interaction",
            dependencies=TABLE_PARAMS)
async def coverage(request: Request, region: str, scheme: Schemes = None, format: Format = None,  # noqa: A002
                   as_of: AsOf = None) -> Response:
    def run(st: AppState) -> Tabular:
        return library.coverage(st.backend.at(as_of), region, scheme=scheme)

    return await _run(request, run, format)


RegionParam = Annotated[str | None, Query(description="a region's slug, code or name; default: all regions")]


def _whole_or_region(analysis: Callable[[Backend, str | None], Tabular], region: str | None,
                     as_of: date | None) -> Callable[[AppState], Tabular]:
    """Run ``analysis`` (a library function) on the region the user named (none or empty: every region)."""
    def run(st: AppState) -> Tabular:
        return analysis(st.backend.at(as_of), region or None)

    return run


@router.get("/bridges", summary="Boundary spanners: actors and structures that bridge themes or regions",
            dependencies=TABLE_PARAMS)
async def bridges_route(request: Request, region: RegionParam = None, format: Format = None,  # noqa: A002
                        as_of: AsOf = None) -> Response:
    return await _run(request, _whole_or_region(library.bridges, region, as_of), format)


@router.get("/load", summary="Where everything hangs on one actor: memberships and roles by actor",
            dependencies=TABLE_PARAMS)
async def load_route(request: Request, region: RegionParam = None, format: Format = None,  # noqa: A002
                     as_of: AsOf = None) -> Response:
    return await _run(request, _whole_or_region(library.load, region, as_of), format)


@router.get("/quorum", summary="Has each pilot reached its quorum?", dependencies=TABLE_PARAMS)
async def quorum_route(request: Request, region: RegionParam = None, format: Format = None,  # noqa: A002
                       as_of: AsOf = None) -> Response:
    return await _run(request, _whole_or_region(library.quorum, region, as_of), format)


@router.get("/compare", summary="Compare two regions", dependencies=TABLE_PARAMS)
async def compare_route(request: Request, a: str, b: str, format: Format = None,  # noqa: A002
                        as_of: AsOf = None) -> Response:
    def run(st: AppState) -> Tabular:
        return library.compare(st.backend.at(as_of), a, b)

    return await _run(request, run, format)


#: the formats of one graph's download, in /graph-store's and /sparql's ``format=`` names (api/sparql/negotiation.py)
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")
#: why a server in front of a remote store lists no dataset dump
REMOTE_NOTE = ("This server answers from a remote SPARQL store: the whole-dataset dump (N-Quads, TriG) needs the "
               "embedded store, so `dataset` is empty; each graph downloads through this server's /sparql as a "
               "CONSTRUCT of that graph, within its result cap (YHDYSPINTA_RESULT_LIMIT; the header "
               "X-SPARQL-MaxRows says when a download was cut).")


def graph_construct(graph: str) -> str:
    """A CONSTRUCT of every triple of the named graph ``graph`` (an IRI as the store records it)."""
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"


@router.get("/graphs", summary="The named graphs (sources) with their download links")
async def graphs(request: Request) -> dict[str, Any]:
    """Each source with its public name (no server path) and links.

    With the embedded store, ``dataset`` links the whole-dataset dump (``/dump``) and each graph's
    ``download`` links the Graph Store (``/graph-store?graph=...``). In front of a remote store
    (``serve --backend sparql``), where those routes answer 501, each graph's ``download`` links
    this server's ``/sparql`` with a CONSTRUCT of the graph (forwarded to the store, within the
    result cap), ``dataset`` is empty and ``note`` says why.

    Links are absolute under YHDYSPINTA_PUBLIC_URL, else relative (``/dump?...``); never built from
    the Host header, which a client can forge.
    """
    st = state(request)
    records = await run_in_threadpool(st.records.sources)
    root = str(request.scope.get("root_path") or "")
    remote = st.remote is not None

    def link(path: str) -> str:
        return public_link(st.settings.public_url, root, path)

    def download(graph: str, fmt: str) -> str:
        if remote:
            return link(f"sparql?{urlencode({'query': graph_construct(graph), 'format': fmt})}")
        return link(f"graph-store?{urlencode({'graph': graph, 'format': fmt})}")

    listing: dict[str, Any] = {
        "dataset": {} if remote else {f: link(f"dump?format={f}") for f in ("nquads", "trig")},
        "graphs": [
            {**r.__dict__, "path": public_source(r.path, r.graph),
             "download": {f: download(r.graph, f) for f in GRAPH_FORMATS}}
            for r in records
        ],
    }
    if remote:
        listing["note"] = REMOTE_NOTE
    return listing


def _list_route(kind: str) -> Callable[..., Any]:
    async def route(
        request: Request,
        q: Annotated[str | None, Query(description="search labels, alternative labels and codes")] = None,
        region: RegionParam = None,
        theme: Annotated[str | None, Query(description="a theme IRI or its path under theme/, "
                                                       "e.g. national/hyte (narrower themes included)")] = None,
        scheme: Annotated[str | None, Query(description="themes only: a scheme, e.g. national")] = None,
        type: Annotated[str | None, Query(description="a class, e.g. Municipality or Unit")] = None,  # noqa: A002
        level: Annotated[str | None, Query(description="e.g. asiantuntijat")] = None,
        scope: Annotated[str | None, Query(description="e.g. regional")] = None,
        status: Annotated[str | None, Query(description="e.g. active or planned")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 50,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
        format: Format = None,  # noqa: A002
    ) -> Response:
        filters = Filters(q, region, theme, scheme, type, level, scope, status)
        return await _run(request, lambda st: list_entities(st.store, kind, filters, limit=limit, offset=offset),
                          format)

    route.__name__ = f"list_{kind}"
    route.__doc__ = (f"A page of {kind}, ordered by Finnish label; `total` counts all matches. "
                     "Each item's `iri` dereferences to its page and RDF.")
    return route


for _kind in KINDS:
    router.add_api_route(f"/{_kind}", _list_route(_kind), methods=["GET"], summary=f"List {_kind}",
                         response_class=Response, dependencies=TABLE_PARAMS)
