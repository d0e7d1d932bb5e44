"""``yhdyspinta neo4j sync``: registered on the CLI's ``neo4j`` group when this module is imported.

Only parsing and printing live here; the work is :func:`yhdyspinta.graph.sync.sync.sync`.
Its errors (:class:`~yhdyspinta.errors.Neo4jError`) reach ``api/cli/main.py``'s ``main``, which
prints them and exits with their code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from yhdyspinta.api.cli.common import err, neo4j_app
from yhdyspinta.settings import Settings

if TYPE_CHECKING:
    from yhdyspinta.graph.store.store import Store
    from yhdyspinta.graph.sync.sync import SyncReport

__all__ = ["neo4j_import", "neo4j_settings", "neo4j_sync", "sync_with_progress"]


def neo4j_settings(settings: Settings | None = None) -> Settings:
    """The settings, with the local launcher's server filled in when ``NEO4J_URI`` is unset.

    So that ``yhdyspinta neo4j start`` followed by ``yhdyspinta neo4j sync`` works without
    ``eval``; an explicit ``NEO4J_URI`` always wins. The rule lives in the back-end registry
    (:func:`~yhdyspinta.graph.backends.registry.with_local_neo4j`), which ``--backend neo4j`` uses too.
    """
    from yhdyspinta.graph.backends.registry import with_local_neo4j

    return with_local_neo4j(settings or Settings.from_env())


def sync_with_progress(store: Store, settings: Settings, *, full: bool = False) -> SyncReport:
    """Sync with a progress bar on stderr and a summary after; what ``ingest --neo4j`` calls."""
    from yhdyspinta.graph.sync.sync import sync

    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=True, disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task("connecting to Neo4j", total=None)

        def tick(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total or None)

        report = sync(store, settings, full=full, progress=tick)
    print_report(report)
    return report


def print_report(report: SyncReport) -> None:
    """The summary line, and the sources and conflicts worth a look."""
    for mark, graphs in (("+", report.added), ("~", report.changed), ("-", report.removed)):
        for graph in graphs:
            err.print(f" {mark} {graph}", highlight=False)
    if report.conflicts:
        err.print(
            f"[yellow]note[/yellow]: {len(report.conflicts)} single-valued properties have several "
            f"values and became lists, e.g. {report.conflicts[0]}",
            highlight=False,
        )
    status = "[bold green]ok[/bold green]" if report.changed_anything else "[green]up to date[/green]"
    err.print(f"{status}: {report.summary()}", highlight=False)


@neo4j_app.command("sync")
def neo4j_sync(
    full: Annotated[
        bool, typer.Option("--full", help="Delete the synced graph and write it all again.")
    ] = False,
) -> None:
    """Write the store into Neo4j (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE).

    Only sources changed since the last sync are rewritten; a second sync writes nothing.
    Without NEO4J_URI, the local server of `yhdyspinta neo4j start` is used if it runs.
    """
    from yhdyspinta.graph.store.store import open_store

    settings = neo4j_settings()
    with open_store(settings.store_path) as store:
        sync_with_progress(store, settings, full=full)


@neo4j_app.command("import")
def neo4j_import(
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace a database that holds nodes already.")
    ] = False,
) -> None:
    """First load of the local server (`yhdyspinta neo4j start`) by neo4j-admin's offline import.

    The server is stopped for the import and started again, a fixed cost of tens of seconds:
    it pays only for a very large store (docs/benchmarks.md). Later changes go in with
    `yhdyspinta neo4j sync`, incrementally.
    """
    from yhdyspinta.graph.store.store import open_store
    from yhdyspinta.graph.sync.admin_import import first_load

    settings = Settings.from_env()
    with open_store(settings.store_path) as store, Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err, transient=True, disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task("reading the store", total=None)

        def tick(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total or None)

        report = first_load(store, settings, overwrite=overwrite, progress=tick)
    print_report(report)
