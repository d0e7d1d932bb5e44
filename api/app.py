"""The HTTP application: ``create_app(settings, store)`` and nothing global.

The app holds its state (settings, store, snapshots, query workers, the
write lock) on ``app.state.yhd``; routes reach it through the request.
Errors of the YhdyspintaError family are mapped to HTTP here, once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from yhdyspinta.api import sandbox
from yhdyspinta.api.limits import BodyLimit
from yhdyspinta.api.query_pool import QueryPool
from yhdyspinta.api.snapshots import Snapshots, is_read_only, remove_stale
from yhdyspinta.api.writes import token_problem
from yhdyspinta.graph.backend import Backend
from yhdyspinta.graph.embedded import EmbeddedBackend
from yhdyspinta.graph.store import Store
from yhdyspinta.ontology.namespaces import GRAPH

import yhdyspinta
from yhdyspinta.errors import AuthError, ConfigError, ProtocolError, ValidationError, YhdyspintaError
from yhdyspinta.settings import Settings

log = logging.getLogger("yhdyspinta.server")

#: Where SPARQL's "default graph" is stored for writes (GSP ?default, updates without GRAPH).
DEFAULT_GRAPH = f"{GRAPH}default"


@dataclass
class AppState:
    """Everything a route needs, built once per app."""

    settings: Settings
    store: Store
    snapshots: Snapshots
    pool: QueryPool
    backend: Backend
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    default_graph: str = DEFAULT_GRAPH

    @property
    def writable(self) -> bool:
        return not is_read_only(self.store)

    def close(self) -> None:
        self.pool.close()
        self.snapshots.close()


def state(request: Request) -> AppState:
    st: AppState = request.app.state.yhd
    return st


def check_settings(settings: Settings) -> None:
    """Refuse at start what would make the server lie or fail later (ConfigError with the reason)."""
    if (problem := token_problem(settings.write_token)) is not None:
        raise ConfigError(problem)


def create_app(settings: Settings, store: Store, *, backend: Backend | None = None,
               workdir: Path | None = None) -> FastAPI:
    """The FastAPI app over ``store``; the caller opens and closes the store.

    ``backend`` answers the analyses (default: the embedded store; pass a
    Neo4j back end to run them there). ``workdir`` holds the snapshots the
    query workers read (default: ``settings.home/serve``).
    """
    check_settings(settings)
    if not sandbox.supported():
        log.warning("the query workers cannot be cut off from the network on this platform; SERVICE and LOAD "
                    "are still refused by the query grammar")
    remove_stale(workdir or settings.home / "serve")
    snapshots = Snapshots(store, workdir or settings.home / "serve")
    pool = QueryPool(size=settings.query_workers, timeout=settings.query_timeout,
                     snapshot=lambda: str(snapshots.current), on_idle=snapshots.collect)
    st = AppState(settings, store, snapshots, pool, backend or EmbeddedBackend(store))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        pool.start()
        try:
            yield
        finally:
            st.close()

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
        docs_url=None, redoc_url=None,  # /docs is served offline under the CSP by api/csp.py
    )
    app.state.yhd = st
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
    from yhdyspinta.api import csp

    csp.install(app)  # security headers on every response, offline /docs (before the catch-all route)

    from yhdyspinta.api import graph_store, routes_api, routes_ids, routes_pages, routes_sparql

    app.include_router(routes_api.router)
    app.include_router(routes_pages.api)
    app.include_router(routes_pages.pages)
    app.include_router(routes_sparql.router)
    app.include_router(graph_store.router)
    app.include_router(routes_ids.router)
    return app


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
