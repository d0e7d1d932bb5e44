"""Writing the tabular template as one XLSX workbook (for stewards who prefer Excel).

Every value is written as text (a string cell): a CSV value such as ``=HYPERLINK(...)`` stays the text
it was, never a formula Excel would run (and openpyxl's reader, with ``data_only``, would read as empty).
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from yhdyspinta.ingest.template import COLUMNS


def csv_folder_to_xlsx(folder: Path | None, target: Path) -> None:
    """One sheet per template sheet, with the rows of ``folder``'s CSVs (or just headers)."""
    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    for sheet, columns in COLUMNS.items():
        ws = book.create_sheet(sheet)
        path = folder / f"{sheet}.csv" if folder else None
        if path and path.is_file():
            with path.open(encoding="utf-8-sig", newline="") as fh:
                rows = list(csv.reader(fh))
        else:
            rows = [list(columns)]
        for row in rows:
            ws.append(row)
        for cells in ws.iter_rows():
            for cell in cells:
                if cell.data_type == "f":  # openpyxl makes "=..." a live formula; keep the steward's text as text
                    cell.data_type = "s"
        for cell in ws[1]:
            cell.font = Font(bold=True)
            ws.column_dimensions[cell.column_letter].width = 22
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
