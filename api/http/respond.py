"""One way to answer with an analysis' result: JSON or CSV by ``?format=`` or Accept.

Shared by every route module that returns tables, with the query parameters they have in common.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response

from yhdyspinta.api.render.tables import Tabular, render
from yhdyspinta.api.sparql.negotiation import TABLES, choose, media_type

Format = Annotated[str | None, Query(description="json or csv; overrides the Accept header")]
AsOf = Annotated[date | None, Query(description="answer as the graph stood on this day (YYYY-MM-DD); default today")]


def respond(request: Request, result: Tabular, fmt: str | None, **options: Any) -> Response:
    """The result in the negotiated table format."""
    key = choose(fmt, request.headers.get("accept"), TABLES, default="json")
    return Response(render(result, key, **options), media_type=media_type(key, TABLES), headers={"Vary": "Accept"})
