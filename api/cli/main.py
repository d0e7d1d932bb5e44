"""The command line: parse input, call library functions, print results.

Nothing is computed here; errors of the YhdyspintaError family become a
message on stderr and their exit code (core/errors.py's EXIT_CODES), and a
mistyped command line becomes one line and exit code 2.
"""

from __future__ import annotations

import difflib
import re
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from yhdyspinta.api.cli.common import (  # noqa: F401 - the shared apps
    BackendName,
    BackendOption,
    app,
    detail,
    docs_app,
    err,
    neo4j_app,
    out,
)
from yhdyspinta.api.cli.output import ExcelOption, OutputOption, Sheets, TableOption, print_result
from yhdyspinta.errors import Neo4jError, NotFoundError, StoreBusyError, YhdyspintaError
from yhdyspinta.settings import Settings

if TYPE_CHECKING:  # the graph is imported by the commands that use it, so the CLI starts fast
    from yhdyspinta.graph.backends.protocol import Backend
    from yhdyspinta.graph.store.store import SourceRecord, Store


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


class SparqlFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"
    xml = "xml"
    turtle = "turtle"
    ntriples = "ntriples"
    xlsx = "xlsx"


class PageLang(StrEnum):
    """The languages of the pages (api/render/i18n.py): Finnish first, then Swedish, then English."""

    fi = "fi"
    sv = "sv"
    en = "en"


PageLangOption = Annotated[PageLang, typer.Option("--lang", help="Language of the page: fi, sv or en.")]


def _settings() -> Settings:
    return Settings.from_env()


def _open_store(*, writable: bool = False) -> Store:
    """The store; for reading, the latest snapshot of a server that holds it (graph/store/store.py)."""
    from yhdyspinta.graph.store.store import open_store

    path = _settings().store_path
    store = open_store(path, writable=writable)
    if store.snapshot_of is not None:
        detail(f"{path} is held by another process: reading its latest snapshot through {store.path}")
    else:
        detail(f"store: {path}")
    return store


def _write_output(output: Path, text: str) -> None:
    """Write a file the user named; a path that cannot be written is an error, not a traceback."""
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise YhdyspintaError(f"cannot write {output}: {exc.strerror or exc}") from exc


def _find_source(store: Store, source: Path) -> SourceRecord:
    """The record of a source file given on the command line (its path as recorded, or, in a server's
    snapshot, its public name)."""
    from yhdyspinta.api.render.public_paths import public_source

    wanted = str(source.resolve())
    for record in store.sources():
        if record.path == wanted or (store.snapshot_of is not None and record.path == public_source(wanted,
                                                                                                      record.graph)):
            return record
    raise NotFoundError(f"{source} is not in the store; ingest it first")


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
    target: Annotated[str, typer.Option(
        "--target", help="embedded (default), or sparql: a remote store (YHDYSPINTA_SPARQL_*, docs/scale.md).",
    )] = "embedded",
    lang: Annotated[str | None, typer.Option(
        "--lang", help="Language of a template's problems: fi or en (default: YHDYSPINTA_LANG or the locale).")] = None,
    keep: Annotated[bool, typer.Option(
        "--keep/--no-keep", help="After writing, keep what the national analyses read (`yhdyspinta keep`).")] = True,
) -> None:
    """Validate sources and write each into its named graph (all or nothing)."""
    from yhdyspinta.ingest import ingest as run_ingest
    from yhdyspinta.ingest.bundle import bundled_graph, bundled_paths

    bundled = not paths
    targets = bundled_paths() if bundled else list(paths or [])
    if target not in ("embedded", "sparql"):
        raise typer.BadParameter(f"no target '{target}'; known: embedded, sparql", param_hint="--target")
    if target == "sparql":
        from yhdyspinta.api.cli.remote import ingest_remote

        remote, url = ingest_remote(_settings(), targets, graph=graph, force=force,
                                    naming=bundled_graph if bundled else None)
        err.print(f"[bold green]ok[/bold green]: {len(remote.written)} source(s) written, "
                  f"{len(remote.outcomes) - len(remote.written)} unchanged; {escape(url)} holds "
                  f"{remote.store_triples} triples")
        return
    try:
        writable = _open_store(writable=True)
    except StoreBusyError as busy:
        from yhdyspinta.api.cli.busy import ingest_instead

        raise StoreBusyError(ingest_instead(busy, targets, graph=graph, bundled=bundled),
                             holder=busy.holder) from busy
    with writable as store, Progress(
        TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
        console=err, transient=True, disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task("ingest", total=None)

        def tick(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total or None)

        report = run_ingest(
            store, targets, graph=graph, force=force, progress=tick,
            naming=bundled_graph if bundled else None, lang=lang,
        )
        if report.written and keep:  # what the national analyses read, for this version, kept beside the store
            from yhdyspinta.graph.analyses.kept import keep_national
            from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend

            keep_national(EmbeddedBackend(store), lambda step: tick(step, 0, 0))
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
    excel: ExcelOption = False,
    output: OutputOption = None,
) -> None:
    """Run a SPARQL query on the store (the default graph is the union of all sources)."""
    from yhdyspinta.api.cli.output import print_sparql

    text = sys.stdin.read() if query == "-" else Path(query[1:]).read_text() if query.startswith("@") else query
    with _open_store() as store:
        print_sparql(store.query(text), fmt.value, Sheets(excel, None, output))


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


@contextmanager
def _backend(name: BackendName | None, as_of: datetime | None = None) -> Iterator[Backend]:
    """The back end the analyses run on (graph/backends/registry.py): ``--backend``, else YHDYSPINTA_BACKEND,
    else the embedded store; Neo4j falls back to the local launcher's server when NEO4J_URI is unset.

    The embedded store is opened here, so that a command reads a running server's snapshot (and says so
    with --verbose) rather than failing on its lock."""
    from yhdyspinta.graph.backends.registry import backend_name, open_backend

    settings = _settings()
    chosen = backend_name(settings, name.value if name else None)
    day = as_of.date() if as_of else None
    detail(f"back end: {chosen}" + (f", as of {day}" if day else ""))
    if chosen != "embedded":
        with open_backend(settings, chosen, as_of=day) as backend:
            yield backend
        return
    with _open_store() as store, open_backend(settings, chosen, store=store, as_of=day) as backend:
        yield backend


def _print(result: Any, fmt: TableFormat, sheets: Sheets | None = None, **options: Any) -> None:
    print_result(result, fmt.value, sheets or Sheets(), **options)


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
    excel: ExcelOption = False,
    table: TableOption = None,
    output: OutputOption = None,
) -> None:
    """Coverage of a region's themes: the gaps, and the same by level, mandate and municipality; or why a theme
    is covered (--explain)."""
    from yhdyspinta.api import library

    sheets = Sheets(excel, table, output)
    day = as_of.date() if as_of else None
    with _backend(backend, as_of) as b:
        if explain is not None:
            _print(library.explain(b, region, explain, scheme=scheme, as_of=day), fmt, sheets)
            return
        if view is GapView.themes:
            report = library.gaps(b, region, scheme=scheme)
            _print(report, fmt, sheets, only_gaps=not show_all)
            return
        result = library.coverage(b, region, view=view.value, scheme=scheme)
    _print(result, fmt, sheets)


RegionOption = Annotated[
    str | None, typer.Option("--region", "-r", help="Limit to one region (slug, code or name); default: all.")
]


def _region_analysis(name: str, function: str, doc: str) -> None:
    """Register a command that runs ``yhdyspinta.api.library.function(backend, region or None)`` (the
    function ``import yhdyspinta`` and the HTTP route call too) and prints its result.

    The library is imported when the command runs, so the CLI starts fast.
    """

    def command(region: RegionOption = None, fmt: FormatOption = TableFormat.table,
                backend: BackendOption = None, as_of: AsOfOption = None, excel: ExcelOption = False,
                table: TableOption = None, output: OutputOption = None) -> None:
        from yhdyspinta.api import library

        compute = getattr(library, function)
        with _backend(backend, as_of) as b:
            report = compute(b, region or None)
        _print(report, fmt, Sheets(excel, table, output))

    command.__doc__ = doc
    app.command(name)(command)


_region_analysis("bridges", "bridges",
                 "Boundary spanners, multi-theme networks, linked pairs, cut points and betweenness.")
_region_analysis("load", "load",
                 "Who carries the most memberships and roles, set against municipality size; municipalities with "
                 "nothing on record are not ranked.")
_region_analysis("quorum", "quorum",
                 "For each pilot: the decisions on record (date, body, section, record number), who has no decision "
                 "on record, and whether the quorum rule is met.")


@app.command("national")
def national_command(
    sort: Annotated[str, typer.Option("--sort", help="code (default), region, on_record, gaps, or a national "
                                      "theme's path (hyte, tyollisyys, ...).")] = "code",
    descending: Annotated[bool, typer.Option("--desc", help="Largest first.")] = False,
    fmt: FormatOption = TableFormat.table,
    backend: BackendOption = None,
    as_of: AsOfOption = None,
    excel: ExcelOption = False,
    table: TableOption = None,
    output: OutputOption = None,
) -> None:
    """Every welfare area against the national themes: how many forums and networks cover each; gaps marked."""
    from yhdyspinta.api import library

    with _backend(backend, as_of) as b:
        matrix = library.national(b, sort=sort, descending=descending)
    _print(matrix, fmt, Sheets(excel, table, output))


@app.command()
def compare(
    a: Annotated[str, typer.Argument(help="First region.")],
    b: Annotated[str, typer.Argument(help="Second region.")],
    fmt: FormatOption = TableFormat.table,
    backend: BackendOption = None,
    as_of: AsOfOption = None,
    excel: ExcelOption = False,
    table: TableOption = None,
    output: OutputOption = None,
) -> None:
    """Two regions side by side on the analyses."""
    from yhdyspinta.api import library

    with _backend(backend, as_of) as be:
        result = library.compare(be, a, b)
    _print(result, fmt, Sheets(excel, table, output))


@app.command()
def report(
    region: Annotated[str, typer.Option("--region", "-r", help="Region slug, code or name.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")],
    backend: BackendOption = None,
    as_of: AsOfOption = None,
    lang: PageLangOption = PageLang.fi,
) -> None:
    """Write a self-contained HTML situational picture of a region for a workshop."""
    from yhdyspinta.api import library
    from yhdyspinta.api.render.report import render_report

    with _backend(backend, as_of) as b:
        picture = library.report(b, region)
    _write_output(output, render_report(picture, lang.value))
    err.print(f"wrote {output} ({output.stat().st_size // 1024} KiB)")


@app.command()
def viz(
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")],
    region: Annotated[str | None, typer.Option("--region", "-r", help="Region; none = the national overview.")] = None,
    backend: BackendOption = None,
    as_of: AsOfOption = None,
    lang: PageLangOption = PageLang.fi,
) -> None:
    """Write the cooperation network as a standalone HTML page that works offline."""
    from yhdyspinta.api import library
    from yhdyspinta.api.render.viz import render_viz

    with _backend(backend, as_of) as b:
        view = library.network(b, region)
    _write_output(output, render_viz(view, lang=lang.value))
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
    excel: ExcelOption = False,
    table: TableOption = None,
    output: OutputOption = None,
) -> None:
    """Statutory negotiations and planning milestones of the council terms: held, due, overdue; law, source."""
    from yhdyspinta.api import library

    with _backend(backend) as b:
        report = library.calendar(b, region, today=today.date() if today else None, term=term)
    _print(report, fmt, Sheets(excel, table, output))


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
    excel: ExcelOption = False,
    table: TableOption = None,
    output: OutputOption = None,
) -> None:
    """What changed: in a region between two dates, or in a source between its last two versions."""
    from yhdyspinta.graph.analyses.changes import changes_in_source

    if source is not None:
        with _open_store() as store:
            report = changes_in_source(store.versions(_find_source(store, source).graph))
        _print(report, fmt, Sheets(excel, table, output))
        return
    if not region or not start:
        raise typer.BadParameter("give --region and --from (and --to), or --source")
    from yhdyspinta.api import library

    with _backend(backend) as b:
        report = library.changes(b, region, start.date(), end.date() if end else None)
    _print(report, fmt, Sheets(excel, table, output))


@app.command()
def history(
    source: Annotated[Path | None, typer.Option("--source", help="Only this source's writes.")] = None,
    fmt: FormatOption = TableFormat.table,
) -> None:
    """Every write to the store: when, which source, triples in and out."""
    import json

    from yhdyspinta.api.render.tables import rows_as_csv, rows_as_table

    with _open_store() as store:
        graph = _find_source(store, source).graph if source is not None else None
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


@app.command()
def keep() -> None:
    """Work out and keep beside the store what the national analyses read, as `ingest` does after writing.

    For a store written by other means (a server, another program): the next national analysis is quick."""
    from yhdyspinta.graph.analyses.kept import keep_national
    from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend

    started = time.perf_counter()
    with _open_store() as store, err.status("keeping", spinner="dots") as status:
        keep_national(EmbeddedBackend(store), lambda step: status.update(step))
        folder, version = store.derived_dir, store.version()
    err.print(f"[bold green]ok[/bold green]: kept for version {version} of the store in {escape(str(folder))} "
              f"({time.perf_counter() - started:.1f} s)")


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
    """Say whether the local Neo4j server runs, and how to reach it; exit code 6 when it does not run."""
    from yhdyspinta.launcher import server

    info = server.status(home=_settings().home)
    if info is None:  # a status, not an error: said even with --quiet, and the exit code tells scripts
        sys.stderr.write("not running (start one with `yhdyspinta neo4j start`)\n")
        raise typer.Exit(Neo4jError.exit_code)
    _emit(info.as_shell())


def _register_optional_commands() -> None:
    """Commands that live in their own modules (serve, neo4j sync)."""
    import yhdyspinta.api.cli.neo4j  # noqa: F401 - registers `neo4j sync` on the neo4j group
    import yhdyspinta.api.cli.template  # noqa: F401 - registers `template`
    from yhdyspinta.api.cli.serve import register as register_serve

    register_serve(app)


_register_optional_commands()


#: A usage error of click names the offending option or command; these say where its fix is.
_GLOBAL_OPTIONS = ("-q", "--quiet", "-v", "--verbose", "--version")
_problems = Console(stderr=True, highlight=False, soft_wrap=True)  # errors: printed even with --quiet


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI on ``argv`` (default: the process's arguments) and return its exit code.

    Our errors print ``error: ...`` and exit with their code; a mistyped command line prints one
    line (with "did you mean") and exits 2; Ctrl-C exits 130. Anything else is a bug: its
    traceback is shown.
    """
    started = time.perf_counter()
    try:
        code = app(args=list(argv) if argv is not None else None, prog_name="yhdyspinta", standalone_mode=False)
    except YhdyspintaError as exc:
        _problems.print(f"[bold red]error[/bold red]: {escape(str(exc))}")
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        _problems.print("aborted")
        return 130
    except typer.TyperException as exc:  # click's UsageError family (typer bundles its own click)
        if type(exc).__name__ == "NoArgsIsHelpError":  # `yhdyspinta` or a group alone: its help
            sys.stderr.write(exc.format_message().rstrip("\n") + "\n")
            return exc.exit_code
        sys.stderr.write(usage_message(exc) + "\n")
        return exc.exit_code
    detail(f"done in {time.perf_counter() - started:.2f} s")
    return code if isinstance(code, int) else 0


def usage_message(exc: typer.TyperException) -> str:
    """Click's usage error as one line: where, what, the likely fix, and where the help is."""
    ctx = getattr(exc, "ctx", None)
    where = ctx.command_path if ctx is not None else "yhdyspinta"
    text = " ".join(exc.format_message().split()).replace(": Value error, ", ": ")
    name, possible = getattr(exc, "option_name", None), getattr(exc, "possibilities", None) or []
    if isinstance(name, str) and hasattr(exc, "possibilities"):  # an unknown option
        text = f"No such option: {name}."
        if name in _GLOBAL_OPTIONS and where != "yhdyspinta":
            text += (f" It is an option of the whole CLI and goes before the command: "
                     f"yhdyspinta {name} {where.removeprefix('yhdyspinta ')} ...")
        elif close := difflib.get_close_matches(name, list(possible), n=1, cutoff=0.5):
            text += f" Did you mean {close[0]}?"
    elif (wrong := _NOT_ONE_OF.search(text)) and "Did you mean" not in text:  # a value not among the choices
        choices = re.findall(r"'([^']*)'", wrong["choices"])
        if close := difflib.get_close_matches(wrong["given"], choices, n=1, cutoff=0.5):
            text = text.rstrip(".") + f". Did you mean '{close[0]}'?"
    return f"{where}: {text} See '{where} --help'."


_NOT_ONE_OF = re.compile(r"'(?P<given>[^']*)' is not one of (?P<choices>'.*')")


def main() -> None:
    """Entry point of the ``yhdyspinta`` script."""
    code = run()
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader (`| head`) went away: not an error of ours
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(code)
