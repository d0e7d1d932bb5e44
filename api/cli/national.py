"""`yhdyspinta national`: every welfare area against the national themes (the coverage matrix).

Registered on the shared ``app`` by importing this module (api/cli/main.py,
``_register_optional_commands``). Parses options, calls
graph/analyses/national.py, prints through the table renderers.
"""

from __future__ import annotations

import sys
from datetime import datetime
from enum import StrEnum
from typing import Annotated

import typer

from yhdyspinta.api.cli.common import BackendOption, app
from yhdyspinta.settings import Settings


class MatrixFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@app.command("national")
def national(
    fmt: Annotated[MatrixFormat, typer.Option("--format", "-f")] = MatrixFormat.table,
    sort: Annotated[str, typer.Option("--sort", help="code (default), region, on_record, gaps, or a national "
                                      "theme's path (hyte, tyollisyys, ...).")] = "code",
    descending: Annotated[bool, typer.Option("--desc", help="Largest first.")] = False,
    backend: BackendOption = None,
    as_of: Annotated[datetime | None, typer.Option("--as-of", formats=["%Y-%m-%d"],
                                                   help="Answer as the graph stood on this day.")] = None,
) -> None:
    """Every welfare area against the national themes: how many forums and networks cover each; gaps marked."""
    from yhdyspinta.api.render.tables import render
    from yhdyspinta.graph.analyses.national import national_matrix
    from yhdyspinta.graph.backends.registry import open_backend

    with open_backend(Settings.from_env(), backend.value if backend else None,
                      as_of=as_of.date() if as_of else None) as b:
        matrix = national_matrix(b)
    matrix.regions = matrix.sorted_by(sort, descending=descending)
    text = render(matrix, fmt.value)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
