"""The SPARQL workbench page and the vendored browser code it loads (``/static/...``), offline.

Vendored files are addressed with a digest of their content (``?v=``, from
api/render/html.py ``asset_url``): with the right digest the answer may be cached for a
year (``immutable``); without it, for a minute. Only files under api/render/static are
served; a path that leaves it is a 404.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from yhdyspinta.api.http.state import state
from yhdyspinta.api.render.html import STATIC, asset_digest, query_page, query_policy
from yhdyspinta.api.render.i18n import choose_lang
from yhdyspinta.errors import NotFoundError

router = APIRouter(tags=["Pages"])

YEAR = "public, max-age=31536000, immutable"
MINUTE = "public, max-age=60"
_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".md": "text/markdown; charset=utf-8", "": "text/plain; charset=utf-8"}


def query_page_response(request: Request) -> HTMLResponse:
    """The workbench in the language of ``?lang=`` or Accept-Language, under its own policy.

    The policy allows our own script files ('self', for the vendored YASGUI) on this page only;
    every other HTML page keeps the stricter default of api/http/security_headers.py.
    """
    lang = choose_lang(request.query_params.get("lang"), request.headers.get("accept-language"))
    return HTMLResponse(query_page(lang, state(request).settings.base_iri), headers={
        "Content-Security-Policy": query_policy(), "Content-Language": lang, "Vary": "Accept, Accept-Language"})


@router.get("/static/{name:path}", include_in_schema=False)
async def static_file(name: str, v: str | None = None) -> Response:
    """A vendored file (YASGUI's JS and CSS, their licences)."""
    try:
        digest = await run_in_threadpool(asset_digest, name)
    except (FileNotFoundError, OSError, ValueError):
        raise NotFoundError(f"no static file {name!r}") from None
    path = STATIC / name
    media = _TYPES.get(path.suffix, "application/octet-stream")
    body = await run_in_threadpool(path.read_bytes)
    return Response(body, media_type=media, headers={"Cache-Control": YEAR if v == digest else MINUTE,
                                                     "ETag": f'"{digest}"'})
