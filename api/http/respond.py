"""One way to answer with an analysis' result: JSON, CSV or XLSX by ``?format=`` or Accept.

Shared by every route module that returns tables, with the query parameters they have in common.
A result may hold several tables (api/render/spreadsheet.py names them): XLSX gives each its sheet;
CSV gives one, ``?table=NAME`` (default: the main one), and lists the others in ``Link`` headers;
``?excel=true`` makes the CSV one that Excel in a Finnish locale opens right (docs/excel.md).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Query, Request
from fastapi.responses import Response

from yhdyspinta.api.render.spreadsheet import choose_table, result_tables, table_to_csv, tables_to_xlsx
from yhdyspinta.api.render.tables import Tabular, render
from yhdyspinta.api.sparql.negotiation import TABLES, choose, media_type
from yhdyspinta.errors import ProtocolError
from yhdyspinta.graph.analyses.result import slug

Format = Annotated[str | None, Query(description="json, csv or xlsx; overrides the Accept header")]
AsOf = Annotated[date | None, Query(description="answer as the graph stood on this day (YYYY-MM-DD); default today")]

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


def table_params(
    table: Annotated[str | None, Query(
        description="CSV: the table to give, by its name (or a prefix, or words of it); default the main table, "
                    "the others are in the Link headers. XLSX: only this table's sheet")] = None,
    excel: Annotated[bool, Query(
        description="CSV for Excel in a Finnish locale: byte order mark, semicolons, decimal commas")] = False,
) -> None:
    """Declares ``table`` and ``excel`` for the OpenAPI page and checks them; :func:`respond` reads them."""


#: ``dependencies=`` of a route that answers with :func:`respond`
TABLE_PARAMS = [Depends(table_params)]


def respond(request: Request, result: Tabular, fmt: str | None, **options: Any) -> Response:
    """The result in the negotiated table format (``options`` go to the result's ``rows()``)."""
    key = choose(fmt, request.headers.get("accept"), TABLES, default="json")
    table = request.query_params.get("table")
    excel = _flag(request.query_params.get("excel"), "excel")
    headers = {"Vary": "Accept"}
    if key == "json":
        if table:
            raise ProtocolError("?table= chooses a table of CSV or XLSX output; the JSON holds every table")
        return Response(render(result, key, **options), media_type=media_type(key, TABLES), headers=headers)
    tables = result_tables(result, **options)
    stem = slug(request.url.path.removeprefix("/api/"))
    if key == "xlsx":
        chosen = [choose_table(tables, table)] if table else tables
        headers["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
        return Response(tables_to_xlsx(chosen, title=str(result.title)), media_type=media_type(key, TABLES),
                        headers=headers)
    one = choose_table(tables, table)
    links = [f'<{_with_table(request, t.name)}>; rel="alternate"; type="text/csv"; title="{t.name}"'
             for t in tables if t is not one]
    if links:
        headers["Link"] = ", ".join(links)
    if excel:
        headers["Content-Disposition"] = f'attachment; filename="{stem}-{one.name}.csv"'
    return Response(table_to_csv(one, excel=excel), media_type=media_type(key, TABLES), headers=headers)


def _with_table(request: Request, name: str) -> str:
    """This request's path and query (relative: never built from the Host header), naming ``name``."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("table", "format")]
    return f"{request.url.path}?{urlencode([*params, ('format', 'csv'), ('table', name)])}"


def _flag(value: str | None, name: str) -> bool:
    if value is None:
        return False
    text = value.strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise ProtocolError(f"?{name}= takes true or false, not '{value}'")
