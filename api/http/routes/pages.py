"""Time and pages over HTTP: the calendar, changes, history, the network view and the report.

``/viz?region=paijat-hame`` opens a region's network directly (a view can be
shared as a link); ``/viz`` is the national overview whose region nodes open
their region. Pages are the same self-contained HTML the CLI writes.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from yhdyspinta.api import library
from yhdyspinta.api.http.respond import AsOf, Format, respond
from yhdyspinta.api.http.state import AppState, state
from yhdyspinta.api.render.i18n import choose_lang
from yhdyspinta.api.render.public_paths import public_source
from yhdyspinta.graph.backends.protocol import Backend
from yhdyspinta.graph.regions import resolve_region

if TYPE_CHECKING:  # the analyses and page renderers (networkx, rustworkx, jinja2: ~30 MB) load at a page's first visit
    from yhdyspinta.graph.analyses.viz import VizView

api = APIRouter(prefix="/api", tags=["API"])
pages = APIRouter(tags=["Pages"])

Day = Annotated[date | None, Query(description="YYYY-MM-DD")]


@api.get("/regions/{region}/calendar", summary="Statutory negotiations and planning milestones: held, due, overdue")
async def calendar_route(
    request: Request, region: str, today: Day = None,
    term: Annotated[str | None, Query(description="kunta:2021-2025, hyvinvointialue:2022-2025, or the years alone "
                                                  "(both kinds); default: the terms running today")] = None,
    format: Format = None,  # noqa: A002
) -> Response:
    from yhdyspinta.graph.analyses.calendar import due_calendar

    backend = state(request).backend
    result = await run_in_threadpool(
        lambda: due_calendar(backend, resolve_region(backend, region), today=today, term=term)
    )
    return respond(request, result, format)


@api.get("/regions/{region}/changes", summary="What changed in a region between two dates")
async def changes_route(request: Request, region: str,
                        start: Annotated[date, Query(alias="from", description="first day, YYYY-MM-DD")],
                        end: Annotated[date | None, Query(alias="to", description="second day; default today")] = None,
                        format: Format = None) -> Response:  # noqa: A002
    from yhdyspinta.graph.analyses.changes import changes_between

    backend = state(request).backend
    result = await run_in_threadpool(
        lambda: changes_between(backend.at, resolve_region(backend, region), start, end or date.today())
    )
    return respond(request, result, format)


@api.get("/history", summary="Every write to the store: when, which source, triples in and out")
async def history_route(request: Request) -> JSONResponse:
    """Each event names its source as api/render/public_paths.py shows it: no absolute server path."""
    events = await run_in_threadpool(state(request).records.history)
    return JSONResponse([{**e.__dict__, "path": public_source(e.path, e.graph)} for e in events])


def _view(backend: Backend, region: str | None) -> VizView:
    """The region's network when one is named, else the national overview (``yhdyspinta.network``)."""
    return library.network(backend, region or None)


@api.get("/viz", summary="The laid-out network view as JSON (nodes with positions, edges)")
async def viz_json(request: Request, region: str | None = None, as_of: AsOf = None) -> JSONResponse:
    def run(st: AppState) -> dict[str, Any]:
        return _view(st.backend.at(as_of), region).to_json()

    return JSONResponse(await run_in_threadpool(run, state(request)))


@pages.get("/viz", response_class=HTMLResponse, summary="The cooperation network in the browser")
async def viz_page(
    request: Request, region: str | None = None, as_of: AsOf = None,
    theme: Annotated[str | None, Query(description="a national theme's Finnish label: preselects the filter")] = None,
    lang: Annotated[str | None, Query(description="fi (default), sv or en")] = None,
) -> HTMLResponse:
    chosen = choose_lang(lang, request.headers.get("accept-language"))

    from yhdyspinta.api.render.viz import render_viz

    def run(st: AppState) -> str:
        return render_viz(_view(st.backend.at(as_of), region), lang=chosen, theme=theme)

    return HTMLResponse(await run_in_threadpool(run, state(request)), headers={"Content-Language": chosen})


@pages.get("/report/{region}", response_class=HTMLResponse, summary="The situational picture of a region")
async def report_page(
    request: Request, region: str, as_of: AsOf = None,
    lang: Annotated[str | None, Query(description="fi (default), sv or en")] = None,
) -> HTMLResponse:
    chosen = choose_lang(lang, request.headers.get("accept-language"))

    from yhdyspinta.api.render.report import render_report
    from yhdyspinta.graph.analyses.report import situational_picture

    def run(st: AppState) -> str:
        backend = st.backend.at(as_of)
        return render_report(situational_picture(backend, resolve_region(backend, region)), chosen,
                             switcher_path=request.url.path)

    return HTMLResponse(await run_in_threadpool(run, state(request)),
                        headers={"Content-Language": chosen, "Vary": "Accept-Language"})


@api.get("/national", summary="Every welfare area against the national themes: covering forums and networks, gaps")
async def national_route(request: Request, as_of: AsOf = None, format: Format = None) -> Response:  # noqa: A002
    """The coverage matrix (graph/analyses/national.py); each cell lists the structures behind its count."""
    backend = state(request).backend
    return respond(request, await run_in_threadpool(lambda: library.national(backend.at(as_of))), format)


@pages.get("/national", response_class=HTMLResponse, summary="The national coverage matrix in the browser")
async def national_page(
    request: Request, as_of: AsOf = None,
    sort: Annotated[str, Query(description="code, region, on_record, gaps or a national theme's path")] = "code",
    order: Annotated[str, Query(pattern="^(asc|desc)$")] = "asc",
    lang: Annotated[str | None, Query(description="fi (default), sv or en")] = None,
) -> HTMLResponse:
    chosen = choose_lang(lang, request.headers.get("accept-language"))

    from yhdyspinta.api.render.viz import render_national

    def run(st: AppState) -> str:
        matrix = library.national(st.backend.at(as_of))
        return render_national(matrix, lang=chosen, sort=sort, descending=order == "desc")

    return HTMLResponse(await run_in_threadpool(run, state(request)), headers={"Content-Language": chosen})
