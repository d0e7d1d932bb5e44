"""`yhdyspinta template`: write the data steward's template, generated from the ontology.

The command only parses its options and calls ``ingest.template_build``: an ``.xlsx``
target gets the workbook (instructions, drop-downs, lookup lists), any other target a
folder of CSV files. The files in templates/ are made by this command.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from yhdyspinta.api.cli.common import app, err


class TemplateLang(StrEnum):
    """The languages of the template's headers, sheet names and lists."""

    fi = "fi"
    sv = "sv"
    en = "en"


@app.command()
def template(
    output: Annotated[Path, typer.Option("--output", "-o", help="FILE.xlsx for a workbook; a folder for CSV files.")],
    lang: Annotated[TemplateLang, typer.Option("--lang", help="Headers and lists in fi, sv or en.")] = TemplateLang.fi,
) -> None:
    """Write the template a data steward fills: Finnish, Swedish or English headers, drop-downs from the ontology."""
    from yhdyspinta.ingest.template_build import build_csv_folder, build_workbook

    if output.suffix.lower() == ".xlsx":
        build_workbook(output, lang.value)
    else:
        build_csv_folder(output, lang.value)
    err.print(f"[bold green]ok[/bold green]: template ({lang.value}) written to {escape(str(output))}")
