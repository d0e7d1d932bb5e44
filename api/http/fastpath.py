"""A short way in for SPARQL queries: /sparql answered without FastAPI's routing and exception layers.

A small query costs the engine a tenth of a millisecond, and the framework around it
(route matching, dependency solving, three exception layers, each wrapping ``send``)
cost more than the rest of the request together (bench/sparql_endpoint.py, ``lookup``).
This plain ASGI middleware sits inside the app's own middlewares (CORS, the body
limit, the security headers still apply to every answer) and hands ``GET`` and
``POST /sparql`` straight to the route's handler; our errors are mapped by the
same function the app registers for them. Everything else, and every request when
the app has route dependencies (``serve --backend sparql``), goes the usual way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from yhdyspinta.errors import YhdyspintaError

Handler = Callable[[Request], Awaitable[Response]]
ErrorMapper = Callable[[Request, YhdyspintaError], Awaitable[Response]]


class SparqlShortcut:
    """ASGI middleware: ``GET``/``POST`` on ``path`` go to ``handler``, our errors through ``on_error``."""

    def __init__(self, app: ASGIApp, *, handler: Handler, on_error: ErrorMapper, path: str = "/sparql",
                 enabled: Callable[[], bool] = lambda: True) -> None:
        self.app = app
        self.handler = handler
        self.on_error = on_error
        self.path = path
        self.enabled = enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path or scope["method"] not in ("GET", "POST") \
                or not self.enabled():
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive, send)
        try:
            response = await self.handler(request)
        except YhdyspintaError as exc:
            response = await self.on_error(request, exc)
        await response(scope, receive, send)
