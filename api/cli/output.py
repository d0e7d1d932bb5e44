"""Where a command's result goes, and in which form: text, JSON, CSV (plain or for Excel), XLSX.

The commands only say what they computed; this module picks the renderer (api/render/tables.py,
api/render/spreadsheet.py) and the destination (stdout, a file, a folder of CSV files). A binary
workbook is never written to a terminal; a result with several tables gives its main table as CSV
(as the HTTP API does, so scripts keep working), names the others on stderr, and writes them all
as one file each into ``-o DIR/``.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from yhdyspinta.api.cli.common import err
from yhdyspinta.errors import UsageError, YhdyspintaError

__all__ = ["ExcelOption", "OutputOption", "Sheets", "TableOption", "print_result", "print_rows"]

ExcelOption = Annotated[bool, typer.Option(
    "--excel", help="With --format csv: for Excel (byte order mark, semicolons, decimal commas).")]
TableOption = Annotated[str | None, typer.Option(
    "--table", "-t", help="Which table of the result (csv, xlsx): its name or a prefix; default: the main one "
                          "(xlsx: every table, a sheet each).")]
OutputOption = Annotated[str | None, typer.Option(
    "--output", "-o", help="Write here instead of stdout; xlsx to a terminal needs it; csv with DIR/ writes "
                           "one file per table.")]


@dataclass(frozen=True)
class Sheets:
    """The spreadsheet options of a command line."""

    excel: bool = False
    table: str | None = None
    output: str | None = None  # as typed: a trailing / says "a folder" (a Path would drop it)

    @property
    def path(self) -> Path | None:
        return Path(self.output) if self.output else None

    @property
    def folder(self) -> Path | None:
        """The folder for one CSV file per table, when ``--output`` names one (``DIR/`` or an existing folder)."""
        path = self.path
        if path is None:
            return None
        return path if (self.output or "").endswith(("/", os.sep)) or path.is_dir() else None


def print_result(result: Any, fmt: str, sheets: Sheets, **options: Any) -> None:
    """Render an analysis result (``title``, ``columns``, ``rows()``, ...) as ``fmt`` to where ``sheets`` says."""
    from yhdyspinta.api.render import spreadsheet
    from yhdyspinta.api.render.tables import render

    if sheets.excel and fmt != "csv":
        raise UsageError("--excel shapes CSV: give it with --format csv")
    if fmt == "xlsx":
        _write_binary(spreadsheet.to_xlsx(result, table=sheets.table, **options), sheets.path)
        return
    if fmt != "csv":
        if sheets.table is not None:
            raise UsageError("--table picks a table for --format csv or xlsx")
        _write_text(render(result, fmt, **options), sheets.path)
        return
    tables = spreadsheet.result_tables(result, **options)
    folder = sheets.folder
    if folder is not None and sheets.table is None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise YhdyspintaError(f"cannot write into {folder}: {exc.strerror or exc}") from exc
        for name, text in spreadsheet.csv_files(result, excel=sheets.excel, **options):
            _write_text(text, folder / f"{name}.csv", quiet=True)
        err.print(f"wrote {len(tables)} CSV file(s) into {folder}: "
                  + ", ".join(f"{t.name}.csv" for t in tables), highlight=False, soft_wrap=True)
        return
    if sheets.table is None and len(tables) > 1:
        err.print(f"note: the main table only; this result has {len(tables)} tables ("
                  + ", ".join(t.name for t in tables) + "): pick one with --table NAME, or write each into "
                  "a folder with -o DIR/", highlight=False, soft_wrap=True)
    _write_text(spreadsheet.to_csv(result, excel=sheets.excel, table=sheets.table, **options), sheets.path)


def print_rows(title: str, columns: tuple[str, ...], rows: list[dict[str, Any]], fmt: str, sheets: Sheets) -> None:
    """Rows a command assembled itself, as one table named ``main``."""
    from yhdyspinta.api.render import spreadsheet
    from yhdyspinta.api.render.tables import rows_as_table

    table = spreadsheet.TableData("main", title, columns, rows)
    if sheets.excel and fmt != "csv":
        raise UsageError("--excel shapes CSV: give it with --format csv")
    if fmt == "xlsx":
        _write_binary(spreadsheet.tables_to_xlsx([table], title=title), sheets.path)
    elif fmt == "csv":
        _write_text(spreadsheet.table_to_csv(table, excel=sheets.excel), sheets.path)
    else:
        _write_text(rows_as_table(title, columns, rows), sheets.path)


def print_sparql(result: Any, fmt: str, sheets: Sheets) -> None:
    """A SPARQL answer: the spreadsheet forms of a SELECT, or the result formats of api/sparql/output.py."""
    from yhdyspinta.api.render import spreadsheet
    from yhdyspinta.api.sparql.output import format_result

    if sheets.excel and fmt != "csv":
        raise UsageError("--excel shapes CSV: give it with --format csv")
    if fmt == "xlsx":
        _write_binary(spreadsheet.sparql_to_xlsx(result), sheets.path)
    elif fmt == "csv" and sheets.excel:
        _write_text(spreadsheet.sparql_to_csv(result, excel=True), sheets.path)
    else:
        _write_text(format_result(result, fmt), sheets.path)


def _write_text(text: str, output: Path | None, *, quiet: bool = False) -> None:
    if not text.endswith("\n"):
        text += "\n"
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise YhdyspintaError(f"cannot write {output}: {exc.strerror or exc}") from exc
    if not quiet:
        err.print(f"wrote {output}", highlight=False)


def _write_binary(data: bytes, output: Path | None) -> None:
    """A workbook into ``output``, or down a pipe; never onto a terminal, where it would be noise."""
    if output is None:
        if sys.stdout.isatty():
            raise UsageError("XLSX is binary and would go to the terminal: give --output FILE.xlsx, "
                             "or redirect it (> FILE.xlsx)")
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise YhdyspintaError(f"cannot write {output}: {exc.strerror or exc}") from exc
    err.print(f"wrote {output} ({len(data) // 1024} KiB)", highlight=False)
