"""Dereferenceable IRIs: ``<base>id/...`` (and every other IRI under the base) served here.

A browser gets an HTML page, a client RDF, by content negotiation (or
``?format=``). The route is registered last, so it only sees paths no other
route serves.
"""

from __future__ import annotations

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from yhdyspinta.api.http.routes.assets import query_page_response
from yhdyspinta.api.http.state import AppState, state
from yhdyspinta.api.render.html import entity_page
from yhdyspinta.api.render.i18n import Lang, choose_lang
from yhdyspinta.api.sparql.negotiation import GRAPHS, HTML, choose, media_type
from yhdyspinta.errors import NotFoundError
from yhdyspinta.graph.backends.embedded.browse import describe, entity_view
from yhdyspinta.ontology.namespaces import NAMESPACES

router = APIRouter(tags=["Linked data"])

_OX = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
       "rdfxml": ox.RdfFormat.RDF_XML}


@router.get("/", include_in_schema=False)
async def home(request: Request) -> HTMLResponse:
    """The SPARQL workbench, in the language of ``?lang=`` or the browser (Finnish by default)."""
    return query_page_response(request)


@router.get("/{path:path}", summary="Dereference an IRI under the base (HTML or RDF)", response_class=Response)
async def dereference(request: Request, path: str, format: str | None = None) -> Response:  # noqa: A002
    """`/id/municipality/398` is `<https://w3id.org/yhdyspinta/id/municipality/398>`: HTML for a browser,
    Turtle / N-Triples / JSON-LD / RDF/XML for a client (Accept or `?format=`)."""
    st = state(request)
    iri = f"{st.settings.base_iri}{path}"
    key = choose(format, request.headers.get("accept"), GRAPHS, HTML, default="turtle")
    lang = choose_lang(request.query_params.get("lang"), request.headers.get("accept-language"))
    return await run_in_threadpool(_answer, st, iri, key, lang)


def _answer(st: AppState, iri: str, key: str, lang: Lang) -> Response:
    headers = {"Vary": "Accept"}
    if key == "html":
        view = entity_view(st.store, iri)
        if view is None:
            raise NotFoundError(f"the graph says nothing about <{iri}>")
        headers = {"Vary": "Accept, Accept-Language", "Content-Language": lang}
        return HTMLResponse(entity_page(view, st.settings.base_iri, lang), headers=headers)
    triples = describe(st.store, iri)
    if not triples:
        raise NotFoundError(f"the graph says nothing about <{iri}>")
    prefixes = NAMESPACES if key in ("turtle", "rdfxml") else None
    body = ox.serialize(triples, format=_OX[key], prefixes=prefixes) or b""
    return Response(body, media_type=media_type(key, GRAPHS), headers=headers)
