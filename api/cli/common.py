"""The Typer apps and consoles every command module shares.

Command modules (main, neo4j, serve) import these from here, never from each
other, so the CLI has no import cycle: main registers the others.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(
    name="yhdyspinta",
    help="Knowledge graph of the cooperation between Finnish municipalities and welfare areas.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
neo4j_app = typer.Typer(help="Run a local Neo4j server (from Maven Central artefacts).", no_args_is_help=True)
docs_app = typer.Typer(help="Generate documentation from the ontology and the CLI.", no_args_is_help=True)
app.add_typer(neo4j_app, name="neo4j")
app.add_typer(docs_app, name="docs")

err = Console(stderr=True)
out = Console(highlight=False, soft_wrap=True)


class BackendName(StrEnum):
    """The back ends of graph/backends/registry.py, as ``--backend`` offers them."""

    embedded = "embedded"
    neo4j = "neo4j"


BackendOption = Annotated[
    BackendName | None,
    typer.Option("--backend", "-b", help="embedded (default) or neo4j; or set YHDYSPINTA_BACKEND."),
]
