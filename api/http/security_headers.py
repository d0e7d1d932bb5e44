"""Security headers on every response, and the API docs served offline under them.

The policies themselves are built by api/render/csp.py; this module applies
them: a Content-Security-Policy on every response that lacks one (the pages'
inline-script hashes for HTML, nothing at all for the rest), nosniff and
Referrer-Policy, and Swagger UI from the ``fastapi-offline`` package rather
than a CDN, its init script allowed by hash.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from yhdyspinta.api.render.csp import DOCS_ASSETS, NON_HTML_POLICY, policy


@cache
def page_policy() -> str:
    """The header of every HTML page: the hashes of all inline scripts our pages have, computed once.

    Each page also carries its own, narrower ``<meta>`` policy; the browser enforces both. The page
    renderers are imported here, at the first HTML answer, not when the server starts.
    """
    from yhdyspinta.api.render.html import page_scripts as query_scripts
    from yhdyspinta.api.render.viz import page_scripts as viz_scripts

    return policy([*viz_scripts(), *query_scripts()])


class SecurityHeaders:
    """ASGI middleware: CSP on every response that lacks one, nosniff and Referrer-Policy on all."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                kind = headers.get("content-type", "").split(";", 1)[0].strip().lower()
                if "content-security-policy" not in headers:
                    html = kind in ("text/html", "application/xhtml+xml")
                    headers["Content-Security-Policy"] = page_policy() if html else NON_HTML_POLICY
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
            await send(message)

        await self.app(scope, receive, send_with_headers)


# -- /docs offline ------------------------------------------------------------------------------------------------

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _swagger_static() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).resolve().parent / "static"


def install_security(app: FastAPI) -> None:
    """Add the headers middleware and an offline /docs (Swagger UI from a package, its init script hashed).

    Call before the catch-all routes are included, so /docs is matched first.
    """
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles

    app.add_middleware(SecurityHeaders)
    app.mount(DOCS_ASSETS, StaticFiles(directory=_swagger_static()), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}", title=f"{app.title} · API",
            swagger_js_url=f"{root}{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png",
            swagger_ui_parameters=app.swagger_ui_parameters,
        )
        from yhdyspinta.api.render.html import accessible_docs

        html = accessible_docs(bytes(page.body).decode("utf-8"))  # lang, contrast, no nested controls (WCAG 2.1)
        # FastAPI's own init script (no data in it): allowed by its hash, the bundle by 'self'
        csp = policy(_INLINE_SCRIPT.findall(html), self_scripts=True)
        return HTMLResponse(html, headers={"Content-Security-Policy": csp})
