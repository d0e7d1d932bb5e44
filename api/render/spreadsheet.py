"""Spreadsheets both ways, the output side: every table of a result as XLSX or as CSV that Excel opens right.

Analysts live in Excel, so each analysis result and each SPARQL SELECT answer can be had

* as **XLSX** (:func:`to_xlsx`, :func:`sparql_to_xlsx`): one sheet per table, typed cells (numbers,
  dates, booleans), the header row frozen, filters on;
* as **CSV** (:func:`to_csv`, :func:`sparql_to_csv`), one table at a time: plain (RFC 4180: UTF-8
  without BOM, commas; what scripts and other tools read), or with ``excel=True`` for Excel in a
  Finnish (or any European) locale: a UTF-8 byte order mark, so that Excel reads ``ä`` as ``ä``, and
  semicolons, the list separator of those locales, so that a double-click opens columns; decimals
  get a decimal comma, or Finnish Excel would read ``1.5`` as the first of May.

Every table of a result is reachable by name (:func:`result_tables`; names as in
graph/analyses/result.py: ``main``, then each further table's slug). Plain CSV without a ``table``
gives the main table, as it always has, so scripts keep working; :func:`csv_files` gives every
table at once. A string that a spreadsheet could run as a formula is neutralised in both formats
(:func:`neutralise`, the rule of api/render/cells.py); a number stays a number, also a negative one.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from yhdyspinta.api.render import cells
from yhdyspinta.api.render.tables import rows_as_csv
from yhdyspinta.errors import QueryError, YhdyspintaError
from yhdyspinta.graph.analyses.result import NamedTable, named_tables, slug

#: The control characters XML 1.0 forbids in a cell (openpyxl's ILLEGAL_CHARACTERS_RE; openpyxl itself is
#: imported when a workbook is written: 15 MB the server need not hold for the answers that are not XLSX).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

__all__ = [
    "BOM", "XLSX_MEDIA_TYPE", "QueryAnswer", "TableChoiceError", "TableData", "choose_table", "csv_files",
    "neutralise", "result_tables", "sheet_name", "sparql_table", "sparql_to_csv", "sparql_to_xlsx",
    "table_to_csv", "tables_to_xlsx", "to_csv", "to_xlsx",
]

#: One table of a result: ``name`` (a slug: a file, sheet and ``--table`` name), ``title``, ``columns``, ``rows``.
TableData = NamedTable

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Excel's limits: characters in a cell, characters in a sheet name, rows in a sheet
MAX_CELL = 32767
MAX_SHEET_NAME = 31
MAX_ROWS = 1_048_576
BOM = "\ufeff"

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {f"{_XSD}{t}" for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
_DECIMALS = {f"{_XSD}{t}" for t in ("decimal", "double", "float")}

#: what a SPARQL query gives (Oxigraph's result of any query form, or a parsed SPARQL JSON answer)
QueryAnswer = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | Mapping[str, Any]


class TableChoiceError(YhdyspintaError):
    """A table was asked for by a name the result does not have; the message lists the names it has."""

    exit_code = 2
    http_status = 400


def neutralise(value: Any) -> Any:
    """``value`` as a spreadsheet shows it, never runs it: a string with a formula-like start
    (``= + - @``, tab, carriage return) gets a leading ``'``; numbers, dates and booleans pass as they are."""
    return cells.neutralise(value) if isinstance(value, str) else value


# -- which tables --------------------------------------------------------------------------------

def result_tables(result: Any, **options: Any) -> list[TableData]:
    """Every table of an analysis result: the main one (``main``), then its extra tables by name.

    ``options`` go to the result's ``rows()`` (e.g. ``only_gaps=False``). A result with the
    ``ResultTables`` mixin names its own tables; any other tabular result is named the same way.
    """
    tables = getattr(result, "tables", None)
    if callable(tables):
        return list(tables(**options))
    return named_tables(result, **options)


def choose_table(tables: Sequence[TableData], name: str | None) -> TableData:
    """The table called ``name`` (None: the main, i.e. first, table).

    A name may be shortened: to a prefix only one table has (``betw``), or to words that only one
    table's name holds all of (``lapin decisions``). TableChoiceError names the tables when none or
    several fit.
    """
    if name is None or not name.strip():
        return tables[0]
    wanted = slug(name)
    words = set(wanted.split("-"))
    chosen = ([t for t in tables if t.name == wanted] or [t for t in tables if t.name.startswith(wanted)]
              or [t for t in tables if words <= set(t.name.split("-"))])
    if len(chosen) != 1:
        why = "fits several tables" if chosen else "is not a table"
        raise TableChoiceError(f"'{name}' {why} of this result; its tables: {', '.join(t.name for t in tables)}")
    return chosen[0]


# -- CSV -----------------------------------------------------------------------------------------

def to_csv(result: Any, *, excel: bool = False, table: str | None = None, **options: Any) -> str:
    """One table of ``result`` as CSV: ``table`` by name (see :func:`result_tables`), default the main one.

    ``excel``: with a byte order mark, ``;`` between cells, CRLF line ends and decimal commas, for
    Excel in a Finnish locale; without it, plain CSV (UTF-8, ``,``, LF), as before.
    """
    chosen = choose_table(result_tables(result, **options), table)
    return table_to_csv(chosen, excel=excel)


def table_to_csv(table: TableData, *, excel: bool = False) -> str:
    """One table as CSV (see :func:`to_csv` for ``excel``)."""
    text = rows_as_csv(table.columns, table.rows, excel=excel)
    return BOM + text if excel else text


def csv_files(result: Any, *, excel: bool = False, **options: Any) -> list[tuple[str, str]]:
    """Every table of ``result`` as ``(name, csv text)``, for one file per table (``NAME.csv``)."""
    return [(t.name, table_to_csv(t, excel=excel)) for t in result_tables(result, **options)]


# -- XLSX ----------------------------------------------------------------------------------------

def to_xlsx(result: Any, *, table: str | None = None, **options: Any) -> bytes:
    """Every table of ``result`` (or only ``table``) as an XLSX workbook: one sheet per table."""
    tables = result_tables(result, **options)
    if table is not None:
        tables = [choose_table(tables, table)]
    return tables_to_xlsx(tables, title=str(result.title))


def tables_to_xlsx(tables: Sequence[TableData], *, title: str = "") -> bytes:
    """The workbook: a sheet per table named after it, the header row frozen and filtered, typed cells.

    Sheets are written streaming (openpyxl's write-only mode), so a large answer is not held as cell
    objects. The table's full title is the sheet's print header and the workbook's title.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    wb.properties.title = title[:255] or None
    wb.properties.creator = "yhdyspinta"
    used: set[str] = set()
    for t in tables:
        if len(t.rows) + 1 > MAX_ROWS:
            raise TableChoiceError(f"the table '{t.name}' has {len(t.rows)} rows, more than an Excel sheet holds "
                                   f"({MAX_ROWS - 1}); use CSV")
        ws = wb.create_sheet(sheet_name(t.name, used))
        columns = list(t.columns)
        values = [[typed(row.get(c)) for c in columns] for row in t.rows]
        for i, c in enumerate(columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = _width(c, (v[i - 1] for v in values))
        ws.freeze_panes = "A2"
        if columns:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(values) + 1}"
        ws.oddHeader.center.text = _text(t.title)[:250]
        ws.append([_text(c) for c in columns])
        for row in values:
            ws.append([_cell(v) for v in row])
    if not tables:
        wb.create_sheet("empty")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def sheet_name(name: str, used: set[str]) -> str:
    """A sheet name of at most 31 characters, unique in ``used`` (which it joins). A long name keeps its
    last words, which say what the table is, and as much of its start as fits
    (``lapin…no-decision-on-record``)."""
    base = name or "table"
    if len(base) > MAX_SHEET_NAME:
        words = base.split("-")
        tail: list[str] = []
        while len(words) > 1 and len("-".join([words[-1], *tail])) <= 21:
            tail.insert(0, words.pop())
        tail_text = "-".join(tail) or base[-21:]
        room = MAX_SHEET_NAME - 1 - len(tail_text)
        head = ""
        for w in words:
            if len(head) + len(w) + (1 if head else 0) > room:
                break
            head = f"{head}-{w}" if head else w
        base = (head or words[0][:room]) + "…" + tail_text
    candidate, n = base, 1
    while candidate.lower() in used:
        n += 1
        suffix = f"-{n}"
        candidate = base[:MAX_SHEET_NAME - len(suffix)] + suffix
    used.add(candidate.lower())
    return candidate


def typed(value: Any) -> Any:
    """A value as a typed cell: bool, int and float stay (NaN and infinities become text), a date
    (or a string that is exactly an ISO date, ``2023-12-11``) becomes a date, a Decimal a float,
    anything else text."""
    if value is None or isinstance(value, bool | int | date):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else str(value)
    text = value if isinstance(value, str) else str(value)
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    return text


def _text(value: str) -> str:
    """Text as a cell can hold it: neutralised, line breaks as ``\n`` (an XML reader would turn a
    carriage return into one anyway), without the control characters XML 1.0 forbids (each becomes
    U+FFFD), cut to Excel's 32767 characters."""
    text = cells.neutralise(value).replace("\r\n", "\n").replace("\r", "\n")
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)
    return text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + "…"


def _cell(value: Any) -> Any:
    """A typed value as written: text made safe (empty text: an empty cell), numbers, dates and booleans
    as they are."""
    return (_text(value) or None) if isinstance(value, str) else value


def _width(header: str, values: Iterable[Any]) -> float:
    """A column width that shows the header and most values (at most 60 characters)."""
    longest = len(header)
    for v in values:
        longest = max(longest, 10 if isinstance(v, date) else len(str(v)) if v is not None else 0)
        if longest >= 60:
            break
    return min(60, longest + 2)


# -- SPARQL SELECT answers -------------------------------------------------------------------------

def sparql_table(solutions: QueryAnswer, *, name: str = "results") -> TableData:
    """A SELECT answer as a table of typed values: Oxigraph's solutions, or a SPARQL JSON result
    (already parsed). Literals of XSD numeric, boolean and date types become numbers, booleans and
    dates; IRIs and other literals their text; a blank node ``_:label``. ASK and graph results have
    no table: QueryError."""
    if isinstance(solutions, ox.QuerySolutions):
        names = [v.value for v in solutions.variables]
        rows = [{n: _ox_value(s[n]) for n in names} for s in solutions]
    elif isinstance(solutions, Mapping) and "results" in solutions:
        names = list(solutions.get("head", {}).get("vars", []))
        rows = [{n: _json_value(b[n]) if n in b else None for n in names}
                for b in solutions["results"].get("bindings", [])]
    else:
        raise QueryError("a spreadsheet holds the answer of a SELECT query; ASK, CONSTRUCT and DESCRIBE "
                         "answers have no table (use json, xml or an RDF format)")
    return TableData(name, f"SPARQL: {len(rows)} rows", tuple(names), rows)


def sparql_to_xlsx(solutions: QueryAnswer) -> bytes:
    """A SELECT answer as a one-sheet workbook (see :func:`sparql_table` for the cell types)."""
    table = sparql_table(solutions)
    return tables_to_xlsx([table], title=table.title)


def sparql_to_csv(solutions: QueryAnswer, *, excel: bool = False) -> str:
    """A SELECT answer as CSV of plain values (``excel``: for Excel, see :func:`to_csv`).

    The W3C SPARQL CSV format stays with api/sparql/results.py; this is the spreadsheet form.
    """
    return table_to_csv(sparql_table(solutions), excel=excel)


def _literal(value: str, datatype: str | None) -> Any:
    try:
        if datatype in _INTEGERS:
            return int(value)
        if datatype in _DECIMALS:
            number = float(value)
            return number if math.isfinite(number) else value
        if datatype == f"{_XSD}boolean":
            return value.strip() in ("true", "1")
        if datatype == f"{_XSD}date" and _ISO_DATE.fullmatch(value):
            return date.fromisoformat(value)
        if datatype == f"{_XSD}dateTime" and not re.search(r"(Z|[+-][0-9]{2}:[0-9]{2})$", value):
            return datetime.fromisoformat(value)  # a time zone would be lost in Excel: such stay text
    except ValueError:
        return value
    return value


def _ox_value(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return _literal(term.value, term.datatype.value if term.datatype else None)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _json_value(binding: Mapping[str, Any]) -> Any:
    kind, value = binding.get("type"), binding.get("value")
    if kind in ("literal", "typed-literal"):
        return _literal(str(value), binding.get("datatype"))
    if kind == "bnode":
        return f"_:{value}"
    if kind == "triple" and isinstance(value, Mapping):
        parts = [value.get(k, {}) for k in ("subject", "predicate", "object")]
        return "<< " + " ".join(str(p.get("value", "")) for p in parts) + " >>"
    return "" if value is None else str(value)
