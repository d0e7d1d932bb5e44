"""Printing SPARQL results in the formats a user asks for.

CSV and TSV come from the server's own writers (api/sparql/results.py), which
neutralise spreadsheet formulas (api/render/cells.py); Oxigraph's serialiser would
print a label like ``=HYPERLINK(...)`` as it is. For spreadsheets,
:func:`format_result_bytes` also gives a SELECT answer as XLSX and as CSV for Excel
(api/render/spreadsheet.py).
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from yhdyspinta.graph.store.store import to_python

_RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}
_GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "table": ox.RdfFormat.TURTLE,
    "json": ox.RdfFormat.JSON_LD if hasattr(ox.RdfFormat, "JSON_LD") else ox.RdfFormat.N_TRIPLES,
}


def format_result(result: Any, fmt: str) -> str:
    """Solutions as a table or SPARQL JSON/CSV/TSV/XML; graphs as Turtle or N-Triples; ASK as true/false."""
    if isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            from yhdyspinta.api.render.tables import rows_as_table

            names = [v.value for v in result.variables]
            rows = [{n: to_python(s[n]) for n in names} for s in result]
            return rows_as_table(f"{len(rows)} rows", names, rows)
        if fmt not in _RESULT_FORMATS:
            raise ValueError(f"format '{fmt}' does not fit a SELECT; use table, json, csv, tsv or xml")
        if fmt in ("csv", "tsv"):
            from yhdyspinta.api.sparql.results import write_solutions

            return write_solutions(result, fmt, None)[0].decode("utf-8")
        return (result.serialize(format=_RESULT_FORMATS[fmt]) or b"").decode("utf-8")
    if isinstance(result, ox.QueryBoolean):
        if fmt in _RESULT_FORMATS:
            return (result.serialize(format=_RESULT_FORMATS[fmt]) or b"").decode("utf-8")
        return "true" if bool(result) else "false"
    if fmt not in _GRAPH_FORMATS:
        raise ValueError(f"format '{fmt}' does not fit a CONSTRUCT; use turtle, ntriples or json")
    return (result.serialize(format=_GRAPH_FORMATS[fmt]) or b"").decode("utf-8")


def format_result_bytes(result: Any, fmt: str, *, excel: bool = False) -> bytes:
    """Like :func:`format_result`, as bytes to write to a file, plus the spreadsheet forms of a SELECT:
    ``xlsx`` (a workbook), and ``csv`` with ``excel`` (byte order mark, ``;``, decimal commas).
    ASK and graph results have no spreadsheet form (QueryError)."""
    from yhdyspinta.api.render.spreadsheet import sparql_to_csv, sparql_to_xlsx

    if fmt == "xlsx":
        return sparql_to_xlsx(result)
    if fmt == "csv" and excel:
        return sparql_to_csv(result, excel=True).encode("utf-8")
    return format_result(result, fmt).encode("utf-8")
