"""The command line: parse input, call library functions, print results.

Nothing is computed here; errors of the YhdyspintaError family become a
message on stderr and their exit code.
"""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from yhdyspinta.api.cli.common import (  # noqa: F401 - the shared apps
    BackendName,
    BackendOption,
    app,
    docs_app,
    err,
    neo4j_app,
    out,
)
from yhdyspinta.errors import YhdyspintaError
from yhdyspinta.settings import Settings

if TYPE_CHECKING:  # the graph is imported by the commands that use it, so the CLI starts fast
    from yhdyspinta.graph.backends.protocol import Backend
    from yhdyspinta.graph.store.store import Store


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


def _open_store() -> Store:
    from yhdyspinta.graph.store.store import open_store

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
    neo4j: Annotated[bool, typer.Option("--neo4j", help="Then sync the store into Neo4j (NEO4J_URI...).")] = False,
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
        err.print(f" {mark} {o.status:<9} {escape(str(o.path))}  [dim]{change}[/dim]")
    err.print(
        f"[bold green]ok[/bold green]: {len(report.written)} source(s) written, "
        f"{len(report.outcomes) - len(report.written)} unchanged; the store holds {report.store_triples} triples "
        f"({escape(str(_settings().store_path))})"
    )
    if neo4j:
        from yhdyspinta.api.cli.neo4j import neo4j_settings, sync_with_progress

        with _open_store() as store:
            sync_with_progress(store, neo4j_settings())


@app.command()
def sources(
    fmt: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """List the sources (named graphs) in the store."""
    from yhdyspinta.api.render.tables import rows_as_csv, rows_as_table

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
    from yhdyspinta.api.sparql.output import format_result

    text = sys.stdin.read() if query == "-" else Path(query[1:]).read_text() if query.startswith("@") else query
    with _open_store() as store:
        _emit(format_result(store.query(text), fmt.value))


class GapView(StrEnum):
    themes = "themes"
    matrix = "matrix"
    mandate = "mandate"
    municipalities = "municipalities"
    blocks = "blocks"
    negotiations = "negotiations"


FormatOption = Annotated[TableFormat, typer.Option("--format", "-f")]


AsOfOption = Annotated[
    datetime | None,
    typer.Option("--as-of", formats=["%Y-%m-%d"], help="Answer as the graph stood on this day (default: today)."),
]


def _backend(name: BackendName | None, as_of: datetime | None = None) -> AbstractContextManager[Backend]:
    """The back end the analyses run on (graph/backends/registry.py): ``--backend``, else YHDYSPINTA_BACKEND,
    else the embedded store; Neo4j falls back to the local launcher's server when NEO4J_URI is unset."""
    from yhdyspinta.graph.backends.registry import open_backend

    return open_backend(_settings(), name.value if name else None, as_of=as_of.date() if as_of else None)


def _print(result: Any, fmt: TableFormat, **options: Any) -> None:
    from yhdyspinta.api.render.tables import render

    _emit(render(result, fmt.value, **options))


@app.command()
def gaps(
    region: Annotated[str, typer.Option("--region", "-r", help="Region slug, code or name, e.g. paijat-hame.")],
    scheme: Annotated[
        list[str] | None,
        typer.Option("--scheme", help="Theme scheme(s), e.g. national or paijat-hame/group; "
                     "default: the region's own and the national."),
    ] = None,
    view: Annotated[GapView, typer.Option("--view", help="themes (gaps), matrix (theme x level), mandate "
                                          "(themes with networks but no forum), municipalities (present, absent "
                                          "as stated, not on record), blocks, negotiations.")] = GapView.themes,
    explain: Annotated[
        str | None,
        typer.Option("--explain", help="A theme (its path, e.g. paijat-hame/group/hyte-yleisesti, or its Finnish "
                     "label): each structure that covers it and the path that made it count, those on the path "
                     "that do not count and why, and the themes only related to it (not counted)."),
    ] = None,
    show_all: Annotated[bool, typer.Option("--all", help="With --view themes: show covered themes too.")] = False,
    fmt: FormatOption = TableFormat.table,
    backend: BackendOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Coverage of a region's themes: the gaps, and the same by level, mandate and municipality; or why a theme
    is covered (--explain)."""
    from yhdyspinta.api.render.tables import rows_as_csv, rows_as_table
    from yhdyspinta.graph.analyses.coverage import coverage_detail
    from yhdyspinta.graph.analyses.gaps import resolve_scheme
    from yhdyspinta.graph.analyses.record import default_schemes, resolve_theme
    from yhdyspinta.graph.analyses.record import explain as explain_theme
    from yhdyspinta.graph.regions import resolve_region

    with _backend(backend, as_of) as b:
        found = resolve_region(b, region)
        schemes = [resolve_scheme(b, s) for s in scheme] if scheme else None
        if explain is not None:
            theme = resolve_theme(b, explain, prefer=schemes or default_schemes(b, found))
            _print(explain_theme(b, found, theme, day=as_of.date() if as_of else None), fmt)
            return
        detail = coverage_detail(b, found, schemes=schemes)
    report = detail.gaps
    if view is GapView.themes:
        stated = sum(1 for t in report.gaps if t.stated_absent)
        report.title = (
            f"{report.region.label_fi}: {len(report.gaps)} of {len(report.themes)} themes without a forum or network"
            f" ({stated} of them stated by a source, the rest not on record)"
        )
        if fmt is TableFormat.table:
            _emit(rows_as_table(report.title, (*report.columns, "record"), report.rows(only_gaps=not show_all)))
        else:
            _print(report, fmt, only_gaps=not show_all)
        return
    if view is GapView.matrix:
        detail.title = f"{report.region.label_fi}: forums and networks per theme and level"
        _print(detail, fmt)
        return
    cols: tuple[str, ...]
    rows: list[dict[str, Any]]
    if view is GapView.mandate:
        cols = ("theme", "label_fi")
        rows = [{"theme": t, "label_fi": detail.theme_label(t)} for t in detail.without_mandate]
    elif view is GapView.municipalities:
        cols = ("theme", "label_fi", "present", "absent (stated)", "not on record")
        rows = detail.municipality_rows()
    elif view is GapView.blocks:
        cols, rows = ("block", "state", "basis"), [*detail.block_status(), *detail.agreement_status()]
    else:
        cols = ("requirement", "frequency", "on_record")
        rows = [{"requirement": n.label, "frequency": n.frequency, "on_record": n.forum_label or ""}
                for n in detail.negotiations]
    if fmt is TableFormat.json:
        import json

        data = detail.to_json()
        chosen = {"mandate": data["themes_without_forum"], "municipalities": data["municipalities_by_theme"],
                  "blocks": rows, "negotiations": data["statutory_negotiations"]}[view.value]
        _emit(json.dumps(chosen, ensure_ascii=False, indent=2))
        return
    title = f"{report.region.label_fi}: {view.value}"
    _emit(rows_as_csv(cols, rows) if fmt is TableFormat.csv else rows_as_table(title, cols, rows))


RegionOption = Annotated[
    str | None, typer.Option("--region", "-r", help="Limit to one region (slug, code or name); default: all.")
]


def _region_analysis(name: str, module: str, function: str, doc: str) -> None:
    """Register a command that runs ``module.function(backend, region or None)`` and prints its result.

    The analysis is imported when the command runs, so the CLI starts fast.
    """

    def command(region: RegionOption = None, fmt: FormatOption = TableFormat.table,
                backend: BackendOption = None, as_of: AsOfOption = None) -> None:
        import importlib

        from yhdyspinta.graph.regions import resolve_region

        compute = getattr(importlib.import_module(f"yhdyspinta.graph.analyses.{module}"), function)
        with _backend(backend, as_of) as b:
            report = compute(b, resolve_region(b, region or None))
        _print(report, fmt)

    command.__doc__ = doc
    app.command(name)(command)


_region_analysis("bridges", "bridges", "bridges",
                 "Boundary spanners, multi-theme networks, linked pairs, cut points and betweenness.")
_region_analysis("load", "load", "load",
                 "Who carries the most memberships and roles, set against municipality size; municipalities with "
                 "nothing on record are not ranked.")
_region_analysis("quorum", "quorum", "quorum",
                 "For each pilot: the decisions on record (date, body, section, record number), who has no decision "
                 "on record, and whether the quorum rule is met.")


@app.command()
def compare(
    a: Annotated[str, typer.Argument(help="First region.")],
    b: Annotated[str, typer.Argument(help="Second region.")],
    fmt: FormatOption = TableFormat.table,
    backend: BackendOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Two regions side by side on the analyses."""
    from yhdyspinta.graph.analyses.compare import compare as compute
    from yhdyspinta.graph.regions import resolve_region

    with _backend(backend, as_of) as be:
        result = compute(be, resolve_region(be, a), resolve_region(be, b))
    _print(result, fmt)


@app.command()
def report(
    region: Annotated[str, typer.Option("--region", "-r", help="Region slug, code or name.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")],
    backend: BackendOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Write a self-contained HTML situational picture of a region for a workshop."""
    from yhdyspinta.api.render.report import render_report
    from yhdyspinta.graph.analyses.report import situational_picture
    from yhdyspinta.graph.regions import resolve_region

    with _backend(backend, as_of) as b:
        picture = situational_picture(b, resolve_region(b, region))
    output.write_text(render_report(picture), encoding="utf-8")
    err.print(f"wrote {output} ({output.stat().st_size // 1024} KiB)")


@app.command()
def viz(
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")],
    region: Annotated[str | None, typer.Option("--region", "-r", help="Region; none = the national overview.")] = None,
    backend: BackendOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Write the cooperation network as a standalone HTML page that works offline."""
    from yhdyspinta.api.render.viz import render_viz
    from yhdyspinta.graph.analyses.viz import national_view, region_view
    from yhdyspinta.graph.regions import resolve_region

    with _backend(backend, as_of) as b:
        view = region_view(b, resolve_region(b, region)) if region else national_view(b)
    output.write_text(render_viz(view), encoding="utf-8")
    err.print(f"wrote {output}: {len(view.nodes)} nodes, {len(view.edges)} edges")


@app.command("calendar")
def calendar_command(
    region: Annotated[str, typer.Option("--region", "-r", help="Region slug, code or name.")],
    today: Annotated[datetime | None, typer.Option("--today", formats=["%Y-%m-%d"],
                                                   help="Judge due and overdue as of this day.")] = None,
    term: Annotated[
        str | None,
        typer.Option("--term", help="A council term: kunta:2021-2025, hyvinvointialue:2022-2025, its IRI or "
                     "label; or the years alone (2021-2025: the terms of both kinds that end with it). "
                     "Default: the terms running today."),
    ] = None,
    fmt: FormatOption = TableFormat.table,
    backend: BackendOption = None,
) -> None:
    """Statutory negotiations and planning milestones of the council terms: held, due, overdue; law, source."""
    from yhdyspinta.graph.analyses.calendar import due_calendar
    from yhdyspinta.graph.regions import resolve_region

    with _backend(backend) as b:
        report = due_calendar(b, resolve_region(b, region), today=today.date() if today else None, term=term)
    _print(report, fmt)


@app.command()
def diff(
    region: Annotated[str | None, typer.Option("--region", "-r", help="Region to compare between two dates.")] = None,
    start: Annotated[datetime | None, typer.Option("--from", formats=["%Y-%m-%d"], help="First day.")] = None,
    end: Annotated[
        datetime | None, typer.Option("--to", formats=["%Y-%m-%d"], help="Second day (default today).")
    ] = None,
    source: Annotated[
        Path | None, typer.Option("--source", help="Compare the last two versions of this source.")
    ] = None,
    fmt: FormatOption = TableFormat.table,
    backend: BackendOption = None,
) -> None:
    """What changed: in a region between two dates, or in a source between its last two versions."""
    from yhdyspinta.graph.analyses.changes import changes_between, changes_in_source

    if source is not None:
        with _open_store() as store:
            record = next((r for r in store.sources() if r.path == str(source.resolve())), None)
            if record is None:
                raise YhdyspintaError(f"{source} is not in the store; ingest it first")
            report = changes_in_source(store.versions(record.graph))
        _print(report, fmt)
        return
    if not region or not start:
        raise typer.BadParameter("give --region and --from (and --to), or --source")
    from datetime import date

    from yhdyspinta.graph.regions import resolve_region

    with _backend(backend) as b:
        report = changes_between(b.at, resolve_region(b, region), start.date(), end.date() if end else date.today())
    _print(report, fmt)


@app.command()
def history(
    source: Annotated[Path | None, typer.Option("--source", help="Only this source's writes.")] = None,
    fmt: FormatOption = TableFormat.table,
) -> None:
    """Every write to the store: when, which source, triples in and out."""
    import json

    from yhdyspinta.api.render.tables import rows_as_csv, rows_as_table

    with _open_store() as store:
        graph = None
        if source is not None:
            graph = next((r.graph for r in store.sources() if r.path == str(source.resolve())), None)
            if graph is None:
                raise YhdyspintaError(f"{source} is not in the store")
        rows = [e.__dict__ for e in store.history(graph)]
    cols = ("at", "path", "triples", "added", "removed")
    if fmt is TableFormat.json:
        _emit(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt is TableFormat.csv:
        _emit(rows_as_csv(("at", "graph", "path", "sha256", "triples", "added", "removed"), rows))
    else:
        _emit(rows_as_table(f"{len(rows)} writes", cols, rows))


@app.command()
def regions(
    fmt: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """List the regions (welfare areas, Helsinki, Åland) and their slugs."""
    import json

    from yhdyspinta.api.render.tables import rows_as_csv, rows_as_table

    with _backend(None) as b:
        rows = [r.__dict__ for r in b.regions()]
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


@docs_app.command("cli")
def docs_cli(output: Annotated[Path, typer.Option("--output", "-o")] = Path("docs/cli.md")) -> None:
    """Write the command-line reference, generated from the commands."""
    from yhdyspinta.api.cli.docs import cli_markdown

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(cli_markdown(app), encoding="utf-8")
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


def _register_optional_commands() -> None:
    """Commands that live in their own modules (serve, neo4j sync)."""
    import yhdyspinta.api.cli.neo4j  # noqa: F401 - registers `neo4j sync` on the neo4j group
    from yhdyspinta.api.cli.serve import register as register_serve

    register_serve(app)


_register_optional_commands()


def main() -> None:
    """Entry point: run the app and map our errors to messages and exit codes."""
    try:
        app(standalone_mode=False)
    except YhdyspintaError as exc:
        err.print(f"[bold red]error[/bold red]: {escape(str(exc))}", markup=True, highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        sys.exit(130)
    except (typer.BadParameter, __import__("click").ClickException) as exc:
        exc.show()
        sys.exit(exc.exit_code)
