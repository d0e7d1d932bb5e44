"""Renderers: one registry that turns a typed result into a table, JSON or CSV.

A result offers ``title``, ``columns``, ``rows()`` and ``to_json()``; the CLI
and the HTTP API choose a renderer by ``--format`` or by content negotiation.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any, Protocol

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from yhdyspinta.api.render.cells import cell, safe_row


class Tabular(Protocol):
    """What the renderers read of an analysis' result (read-only: a result may compute its columns)."""

    @property
    def title(self) -> str: ...

    @property
    def columns(self) -> tuple[str, ...]: ...

    def rows(self, **options: Any) -> list[dict[str, Any]]: ...

    def to_json(self, **options: Any) -> dict[str, Any]: ...


def render_table(result: Tabular, **options: Any) -> str:
    """The main table, then any further tables the result offers (``extra_tables()``)."""
    parts = [rows_as_table(result.title, result.columns, result.rows(**options))]
    for title, columns, rows in getattr(result, "extra_tables", list)():
        parts.append(rows_as_table(title, columns, rows))
    return "".join(parts)


def rows_as_table(title: str | None, columns: tuple[str, ...] | list[str], rows: list[dict[str, Any]]) -> str:
    """A text table for people: numbers right-aligned, with digits grouped by ``table_number``.

    Only this renderer formats numbers; CSV, JSON and XLSX carry the raw values for programs.
    Time linear in the cells printed: rich lays out the frame (title, header, rules) from the
    column widths alone, the rows are written here; only a table too wide for the page
    (whose cells rich must fold) or with multi-line cells is laid out by rich whole, at ~1 ms a row.
    """
    texts = [[table_cell(r.get(c)) for c in columns] for r in rows]
    right = [
        any(_is_number(r.get(c)) for r in rows) and all(_is_number(r.get(c)) or r.get(c) in (None, "") for r in rows)
        for c in columns
    ]
    widths = [max([cell_len(c), *(cell_len(t[i]) for t in texts)]) for i, c in enumerate(columns)]
    fits = sum(w + 3 for w in widths) + 1 <= TABLE_WIDTH
    if not fits or any("\n" in t or "\r" in t or "\t" in t or "[" in t for row in texts for t in row):
        return _rich_table(title, columns, texts, right, None)
    frame = _rich_table(title, columns, [], right, widths).splitlines(keepends=True)
    body = []
    for row in texts:
        cells = (t.rjust(w) if r else t.ljust(w) for t, w, r in zip(row, widths, right, strict=True))
        body.append("│ " + " │ ".join(cells) + " │\n")
    return "".join(frame[:-1]) + "".join(body) + frame[-1]


#: The width of text tables (a terminal of 160 columns, whatever the real one is).
TABLE_WIDTH = 160


def _rich_table(title: str | None, columns: tuple[str, ...] | list[str], texts: list[list[str]],
                right: list[bool], widths: list[int] | None) -> str:
    """A rich table of ``texts``; with ``widths``, the frame of rows of those widths (no rows)."""
    table = Table(title=title, show_lines=False, header_style="bold")
    for i, c in enumerate(columns):
        width = None if widths is None else widths[i]
        table.add_column(c, overflow="fold", justify="right" if right[i] else "left", min_width=width)
    for row in texts:
        table.add_row(*row)
    console = Console(width=TABLE_WIDTH, record=True, file=io.StringIO(), force_terminal=False)
    console.print(table)
    return console.export_text()


#: Between groups of three digits in text tables: U+202F NARROW NO-BREAK SPACE, the grouping of
#: Finnish and Swedish (CLDR, SFS 4175) and of SI; read the same in English, unlike a comma (a
#: decimal sign in Finnish) or a point. Not the user's locale: output must not vary by machine.
DIGIT_GROUP = "\u202f"


def table_number(value: int | float) -> str:
    """``120175`` -> ``120 175`` (narrow no-break spaces); a float keeps its decimals: ``12345.5`` -> ``12 345.5``."""
    if isinstance(value, int):
        return f"{value:,}".replace(",", DIGIT_GROUP)
    whole, dot, decimals = repr(value).partition(".")
    if not whole.lstrip("-").isdigit():  # 1e+20, inf, nan: as Python writes them
        return repr(value)
    return f"{int(whole):,}".replace(",", DIGIT_GROUP) + dot + decimals if whole != "-0" else repr(value)


def table_cell(value: Any) -> str:
    """One cell of a text table: empty for None, grouped digits for numbers, else the value's text."""
    if value is None:
        return ""
    return table_number(value) if _is_number(value) else str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def render_json(result: Tabular, **options: Any) -> str:
    return json.dumps(result.to_json(**options), ensure_ascii=False, indent=2) + "\n"


def render_csv(result: Tabular, **options: Any) -> str:
    return rows_as_csv(result.columns, result.rows(**options))


def rows_as_csv(columns: tuple[str, ...] | list[str], rows: list[dict[str, Any]], *, excel: bool = False) -> str:
    """CSV for spreadsheets: each cell neutralised by api/render/cells.py, so no label runs as a formula.

    Lines end in ``\n``. The writer is told ``\r\n`` (then each row's terminator is cut back), because
    Python's csv quotes a field only for the characters of its own line terminator: with ``\n`` alone a
    value holding a carriage return would go out unquoted and split its row.

    ``excel``: for Excel in a Finnish locale (api/render/spreadsheet.py adds the byte order mark):
    ``;`` between cells, lines ending in ``\r\n``, and a decimal comma in floats (``0,25``).
    """
    out, buf = io.StringIO(), io.StringIO()
    writer = csv.writer(buf, delimiter=";" if excel else ",", lineterminator="\r\n")
    for values in (list(columns), *(_csv_values(columns, r, excel) for r in rows)):
        writer.writerow(values)
        out.write(buf.getvalue() if excel else buf.getvalue()[:-2] + "\n")
        buf.seek(0)
        buf.truncate()
    return out.getvalue()


def _csv_values(columns: tuple[str, ...] | list[str], row: dict[str, Any], excel: bool) -> list[str]:
    """A row's safe cells; for Excel, floats with a decimal comma (Finnish Excel reads ``1.5`` as a date)."""
    if not excel:
        return list(safe_row(columns, row).values())
    return [repr(v).replace(".", ",") if isinstance(v, float) else cell(v) for v in (row.get(c) for c in columns)]


RENDERERS: dict[str, Callable[..., str]] = {
    "table": render_table,
    "json": render_json,
    "csv": render_csv,
}

MEDIA_TYPES = {"table": "text/plain", "json": "application/json", "csv": "text/csv"}


def render(result: Tabular, fmt: str, **options: Any) -> str:
    try:
        renderer = RENDERERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format '{fmt}'; choose one of {', '.join(RENDERERS)}") from None
    return renderer(result, **options)
