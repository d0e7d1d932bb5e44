"""The command line: parse input, call library functions, print results.

Nothing is computed here; errors of the YhdyspintaError family become a
message on stderr and their exit code.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from yhdyspinta.errors import YhdyspintaError
from yhdyspinta.settings import Settings

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


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class SparqlFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"
    xml = "xml"
    turtle = "turtle"
    ntriples = "ntriples"


def _settings() -> Settings:
    return Settings.from_env()


def _open_store():  # noqa: ANN202 - the Store type is imported lazily for start-up speed
    from yhdyspinta.graph.store import open_store

    return open_store(_settings().store_path)


def _emit(text: str) -> None:
    sys.stdout.write(text)
    if not text.endswith("\n"):
        sys.stdout.write("\n")


@app.command()
def ingest(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders; none = the bundled data.")] = None,
    graph: Annotated[str | None, typer.Option("--graph", help="Named graph IRI (one source only).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Rewrite sources even when unchanged.")] = False,
) -> None:
    """Validate sources and write each into its named graph (all or nothing)."""
    from yhdyspinta.ingest import ingest as run_ingest
    from yhdyspinta.ingest.bundle import bundled_graph, bundled_paths

    bundled = not paths
    targets = bundled_paths() if bundled else list(paths or [])
    with _open_store() as store, Progress(
        TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
        console=err, transient=True, disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task("ingest", total=None)

        def tick(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total or None)

        report = run_ingest(
            store, targets, graph=graph, force=force, progress=tick,
            naming=bundled_graph if bundled else None,
        )
    for o in report.outcomes:
        mark = {"new": "+", "replaced": "~", "unchanged": "="}[o.status]
        change = f"{o.triples} triples" if o.status != "replaced" else f"{o.previous_triples} -> {o.triples} triples"
        err.print(f" {mark} {o.status:<9} {o.path}  [dim]{change}[/dim]")
    err.print(
        f"[bold green]ok[/bold green]: {len(report.written)} source(s) written, "
        f"{len(report.outcomes) - len(report.written)} unchanged; the store holds {report.store_triples} triples "
        f"({_settings().store_path})"
    )


@app.command()
def sources(
    fmt: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """List the sources (named graphs) in the store."""
    from yhdyspinta.api.render import rows_as_csv, rows_as_table

    with _open_store() as store:
        records = store.sources()
    rows = [r.__dict__ for r in records]
    cols = ("graph", "path", "triples", "ingested_at", "sha256")
    if fmt is TableFormat.json:
        import json

        _emit(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt is TableFormat.csv:
        _emit(rows_as_csv(cols, rows))
    else:
        _emit(rows_as_table(f"{len(rows)} sources", cols[:4], rows))


@app.command()
def sparql(
    query: Annotated[str, typer.Argument(help="A SPARQL 1.1 query, or - to read it from stdin, or @FILE.")],
    fmt: Annotated[SparqlFormat, typer.Option("--format", "-f", help="Output format.")] = SparqlFormat.table,
) -> None:
    """Run a SPARQL query on the store (the default graph is the union of all sources)."""
    from yhdyspinta.api.sparql_output import format_result

    text = sys.stdin.read() if query == "-" else Path(query[1:]).read_text() if query.startswith("@") else query
    with _open_store() as store:
        _emit(format_result(store.query(text), fmt.value))


@app.command()
def gaps(
    region: Annotated[str, typer.Option("--region", "-r", help="Region slug, code or name, e.g. paijat-hame.")],
    scheme: Annotated[
        list[str] | None,
        typer.Option("--scheme", help="Theme scheme(s), e.g. national or paijat-hame/group; "
                     "default: the region's own and the national."),
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Show covered themes too.")] = False,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """List the region's themes that no forum or network covers."""
    from yhdyspinta.api.render import render
    from yhdyspinta.graph.embedded import EmbeddedBackend
    from yhdyspinta.graph.gaps import coverage_gaps, resolve_scheme

    with _open_store() as store:
        backend = EmbeddedBackend(store)
        schemes = [resolve_scheme(backend, s) for s in scheme] if scheme else None
        report = coverage_gaps(backend, region, schemes=schemes)
    if fmt is TableFormat.table:
        report.title = (
            f"{report.region.label_fi}: {len(report.gaps)} of {len(report.themes)} themes without a forum or network"
        )
    _emit(render(report, fmt.value, only_gaps=not show_all))


@app.command()
def regions(
    fmt: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """List the regions (welfare areas, Helsinki, Åland) and their slugs."""
    import json

    from yhdyspinta.api.render import rows_as_csv, rows_as_table
    from yhdyspinta.graph.embedded import EmbeddedBackend

    with _open_store() as store:
        rows = [r.__dict__ for r in EmbeddedBackend(store).regions()]
    cols = ("slug", "code", "label_fi", "label_en")
    if fmt is TableFormat.json:
        _emit(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt is TableFormat.csv:
        _emit(rows_as_csv(cols, rows))
    else:
        _emit(rows_as_table(f"{len(rows)} regions", cols, rows))


@app.command()
def info() -> None:
    """Where the store is and what it holds."""
    settings = _settings()
    with _open_store() as store:
        n, k = len(store), len(store.sources())
    _emit(f"store: {settings.store_path}\nsources: {k}\ntriples: {n}")


@docs_app.command("ontology")
def docs_ontology(
    output: Annotated[Path, typer.Option("--output", "-o")] = Path("docs/ontology.md"),
) -> None:
    """Write the human-readable page of the ontology (classes, properties, shapes, themes)."""
    from yhdyspinta.ontology.docgen import ontology_markdown

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(ontology_markdown(), encoding="utf-8")
    err.print(f"wrote {output}")


@neo4j_app.command("start")
def neo4j_start(
    port: Annotated[int, typer.Option("--port", help="Bolt port on 127.0.0.1.")] = 7687,
) -> None:
    """Start a local Neo4j server; prints `export NEO4J_...` lines for eval."""
    from yhdyspinta.launcher import server

    try:
        info = server.start(home=_settings().home, bolt_port=port)
    except server.LauncherError as exc:
        raise YhdyspintaError(str(exc)) from exc
    _emit(info.as_shell())


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Stop the local Neo4j server started by `neo4j start`."""
    from yhdyspinta.launcher import server

    stopped = server.stop(home=_settings().home)
    err.print("stopped" if stopped else "no server was running")


@neo4j_app.command("status")
def neo4j_status() -> None:
    """Say whether the local Neo4j server runs, and how to reach it."""
    from yhdyspinta.launcher import server

    info = server.status(home=_settings().home)
    if info is None:
        err.print("not running")
        raise typer.Exit(1)
    _emit(info.as_shell())


def main() -> None:
    """Entry point: run the app and map our errors to messages and exit codes."""
    try:
        app(standalone_mode=False)
    except YhdyspintaError as exc:
        err.print(f"[bold red]error[/bold red]: {exc}", markup=True, highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(130)
    except (typer.BadParameter, __import__("click").ClickException) as exc:
        exc.show()
        sys.exit(exc.exit_code)
