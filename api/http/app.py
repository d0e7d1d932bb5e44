"""The HTTP application: ``create_app(settings, store)`` and nothing global.

The app holds its state (settings, store, snapshots, query workers, the
write lock) on ``app.state.yhd``; routes reach it through the request.
Errors of the YhdyspintaError family are mapped to HTTP here, once.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator
from contextlib import ExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse, Response

import yhdyspinta
from yhdyspinta.api.http.fastpath import SparqlShortcut
from yhdyspinta.api.http.keeper import Keeper
from yhdyspinta.api.http.limits import BodyLimit
from yhdyspinta.api.http.public_meta import scrub_checkpoint
from yhdyspinta.api.http.routes import analyses, assets, graph_store, ids, pages, sparql
from yhdyspinta.api.http.security_headers import install_security
from yhdyspinta.api.http.state import AppState, state
from yhdyspinta.api.http.writes import token_problem
from yhdyspinta.api.sparql import sandbox
from yhdyspinta.api.sparql.pool import QueryPool
from yhdyspinta.errors import AuthError, ConfigError, ProtocolError, ValidationError, YhdyspintaError
from yhdyspinta.graph.backends.protocol import Backend
from yhdyspinta.graph.backends.registry import open_backend
from yhdyspinta.graph.store.snapshots import Snapshots, is_read_only, remove_stale
from yhdyspinta.graph.store.store import Store
from yhdyspinta.settings import Settings

log = logging.getLogger("yhdyspinta.server")

def check_settings(settings: Settings) -> None:
    """Refuse at start what would make the server lie or fail later (ConfigError with the reason)."""
    if (problem := token_problem(settings.write_token)) is not None:
        raise ConfigError(problem)


def create_app(settings: Settings, store: Store, *, backend: Backend | None = None,
               workdir: Path | None = None, keep_after_write: bool = False) -> FastAPI:
    """The FastAPI app over ``store``; the caller opens and closes the store.

    ``backend`` answers the analyses (default: ``settings.backend`` opened through the
    back-end registry, the embedded one over ``store``, and closed when the app stops).
    ``workdir`` holds the snapshots the query workers read (default: ``settings.home/serve``).
    ``keep_after_write``: after each write, run ``yhdyspinta keep`` for ``settings.home``'s store
    (api/http/keeper.py); for a server that holds that store and has announced itself (``serve``),
    since the keep reads the snapshot the holder publishes.
    """
    check_settings(settings)
    if not sandbox.supported():
        log.warning("the query workers cannot be cut off from the network on this platform; SERVICE and LOAD "
                    "are still refused by the query grammar")
    opened = ExitStack()  # what the app opened itself, closed when it stops
    answers = backend if backend is not None else opened.enter_context(open_backend(settings, store=store))
    remove_stale(workdir or settings.home / "serve")
    snapshots = Snapshots(store, workdir or settings.home / "serve", prepare=scrub_checkpoint)
    pool = QueryPool(size=settings.query_workers, timeout=settings.query_timeout,
                     snapshot=lambda: str(snapshots.current), on_idle=snapshots.collect)
    remote = None
    if settings.backend == "sparql" or "yhdyspinta.graph.backends.sparql.backend" in sys.modules:
        # the remote store's modules (and httpx) only when one can be there: an idle server holds 6 MB less
        from yhdyspinta.api.sparql.forward import Forwarder
        from yhdyspinta.graph.backends.sparql.backend import SparqlBackend

        remote = answers.remote if isinstance(answers, SparqlBackend) else None
    forwarder = None if remote is None else Forwarder(
        remote.endpoints, timeout=settings.query_timeout, limit=settings.result_limit,
        base_iri=settings.base_iri, sources=remote.sources)
    keeper = Keeper(settings.home) if (keep_after_write and remote is None and store.path == settings.store_path
                                       and not is_read_only(store)) else None
    st = AppState(settings, store, snapshots, pool, answers, remote=remote, forwarder=forwarder, keeper=keeper)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if remote is None:  # in front of a remote store no query runs here: no workers to start
            pool.start()
        try:
            yield
        finally:
            st.close()
            opened.close()

    app = FastAPI(
        title="yhdyspinta",
        version=yhdyspinta.__version__,
        summary="Cooperation between Finnish municipalities and welfare areas, as a knowledge graph.",
        description=(
            "JSON API for the analyses and for browsing the graph; a SPARQL 1.1 endpoint at `/sparql` "
            "(Protocol, Update for data stewards, service description); the Graph Store Protocol at "
            "`/graph-store` and `/graph/...`; dumps at `/dump`; entity IRIs dereference under `/id/...`. "
            "See docs/http.md."
        ),
        lifespan=lifespan,
        docs_url=None, redoc_url=None,  # /docs is served offline under the CSP by api/render/csp.py
        dependencies=[Depends(_local_only)] if remote is not None else None,
    )
    app.state.yhd = st
    # innermost of the middlewares: /sparql's queries skip the routing, not CORS, limits or headers
    app.add_middleware(SparqlShortcut, handler=sparql.sparql, on_error=_error_response,
                       enabled=lambda: remote is None)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"],
        allow_headers=["Accept", "Authorization", "Content-Type"],
        expose_headers=["Location", "X-SPARQL-MaxRows", "Content-Disposition"],
        max_age=600,
    )
    app.add_exception_handler(YhdyspintaError, _error_response)  # type: ignore[arg-type]
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, idle_seconds=settings.request_timeout)
    install_security(app)  # security headers on every response, offline /docs (before the catch-all route)

    app.include_router(analyses.router)
    app.include_router(pages.api)
    app.include_router(pages.pages)
    app.include_router(sparql.router)
    app.include_router(graph_store.router)
    app.include_router(assets.router)
    app.include_router(ids.router)
    return app


def _needs_local_store(endpoint: object) -> str | None:
    """What a route serves, when it serves it from the embedded store only (None: any back end)."""
    module, name = getattr(endpoint, "__module__", ""), getattr(endpoint, "__name__", "")
    if module == graph_store.__name__:
        return "the Graph Store Protocol and the dumps"
    if endpoint is ids.dereference:
        return "entity pages and their RDF (/id/...)"
    if module == analyses.__name__ and name.startswith("list_"):
        return "the entity lists"
    return None


async def _local_only(request: Request) -> None:
    """In front of a remote store: refuse (501, naming the store) what only the embedded store serves."""
    st = state(request)
    what = _needs_local_store(request.scope.get("endpoint"))
    if st.remote is not None and what is not None:
        from yhdyspinta.api.sparql.forward import NotForwarded

        raise NotForwarded(
            f"{what} need the embedded store; this server answers from the SPARQL store at {st.remote.url}: "
            "ask it through /sparql (e.g. DESCRIBE <iri> or CONSTRUCT), or serve with --backend embedded"
        )


async def _error_response(request: Request, exc: YhdyspintaError) -> Response:
    """One mapping of our errors to HTTP: JSON under /api, plain text elsewhere (SPARQL clients read it)."""
    status = exc.http_status
    headers: dict[str, str] = {}
    if isinstance(exc, ProtocolError) and exc.allow:
        headers["Allow"] = exc.allow
    if isinstance(exc, AuthError) and status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="yhdyspinta"'
    if request.url.path.startswith("/api/"):
        body: dict[str, Any] = {"error": type(exc).__name__, "message": str(exc)}
        if isinstance(exc, ValidationError):
            body["violations"] = [
                {"where": str(v.location), "rule": v.rule, "message": v.message, "path": v.path, "value": v.value}
                for v in exc.violations
            ]
        return JSONResponse(body, status_code=status, headers=headers)
    return PlainTextResponse(f"{exc}\n", status_code=status, headers=headers)
