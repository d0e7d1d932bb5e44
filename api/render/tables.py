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

from rich.console import Console
from rich.table import Table

from yhdyspinta.api.render.cells import safe_row


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
    table = Table(title=title, show_lines=False, header_style="bold")
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*("" if r.get(c) is None else str(r.get(c)) for c in columns))
    console = Console(width=160, record=True, file=io.StringIO(), force_terminal=False)
    console.print(table)
    return console.export_text()


def render_json(result: Tabular, **options: Any) -> str:
    return json.dumps(result.to_json(**options), ensure_ascii=False, indent=2) + "\n"


def render_csv(result: Tabular, **options: Any) -> str:
    return rows_as_csv(result.columns, result.rows(**options))


def rows_as_csv(columns: tuple[str, ...] | list[str], rows: list[dict[str, Any]]) -> str:
    """CSV for spreadsheets: each cell neutralised by api/render/cells.py, so no label runs as a formula.

    Lines end in ``\n``. The writer is told ``\r\n`` (then each row's terminator is cut back), because
    Python's csv quotes a field only for the characters of its own line terminator: with ``\n`` alone a
    value holding a carriage return would go out unquoted and split its row.
    """
    out, buf = io.StringIO(), io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for values in (list(columns), *(list(safe_row(columns, r).values()) for r in rows)):
        writer.writerow(values)
        out.write(buf.getvalue()[:-2] + "\n")
        buf.seek(0)
        buf.truncate()
    return out.getvalue()


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
