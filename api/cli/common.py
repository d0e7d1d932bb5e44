"""The Typer apps and consoles every command module shares, and the options of the whole CLI.

Command modules (main, neo4j, serve) import these from here, never from each
other, so the CLI has no import cycle: main registers the others.

``err`` carries progress, notes and summaries (``--quiet`` silences it; errors
are printed by ``main`` on a console of their own); ``detail()`` says more
with ``--verbose``.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console

from yhdyspinta.errors import UsageError

app = typer.Typer(
    name="yhdyspinta",
    help="Knowledge graph of the cooperation between Finnish municipalities and welfare areas.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
neo4j_app = typer.Typer(help="Run a local Neo4j server (from Maven Central artefacts).", no_args_is_help=True)
docs_app = typer.Typer(help="Generate documentation from the ontology and the CLI.", no_args_is_help=True)
app.add_typer(neo4j_app, name="neo4j")
app.add_typer(docs_app, name="docs")

err = Console(stderr=True)
out = Console(highlight=False, soft_wrap=True)


@dataclass
class Verbosity:
    """How much the CLI says on stderr besides results and errors (set once per run by the options)."""

    quiet: bool = False
    verbose: bool = False


verbosity = Verbosity()


def detail(message: str) -> None:
    """A line for ``--verbose`` only: what was opened, from where, how long it took."""
    if verbosity.verbose:
        err.print(f"[dim]{message}[/dim]", highlight=False, soft_wrap=True)


def version() -> str:
    """The installed version of the package."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("yhdyspinta")
    except PackageNotFoundError:  # run from a clone without installing
        return "unknown (not installed)"


def _print_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"yhdyspinta {version()}\n")
        raise typer.Exit()


@app.callback()
def options(
    show_version: Annotated[bool, typer.Option(
        "--version", callback=_print_version, is_eager=True, help="Print the version and exit.")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print only results and errors: no progress, notes or summaries.")] = False,
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="Also say what is opened (store, snapshot, back end) and how long it took.")] = False,
) -> None:
    """Knowledge graph of the cooperation between Finnish municipalities and welfare areas.

    Options of the whole CLI go before the command: yhdyspinta -q ingest.
    """
    if quiet and verbose:
        raise UsageError("--quiet and --verbose contradict each other; give one of them")
    verbosity.quiet, verbosity.verbose = quiet, verbose
    err.quiet = quiet
    if verbose:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
        logger = logging.getLogger("yhdyspinta")
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


class BackendName(StrEnum):
    """The back ends of graph/backends/registry.py, as ``--backend`` offers them."""

    embedded = "embedded"
    neo4j = "neo4j"
    sparql = "sparql"


BackendOption = Annotated[
    BackendName | None,
    typer.Option("--backend", "-b", help="embedded (default) or neo4j; or set YHDYSPINTA_BACKEND."),
]
