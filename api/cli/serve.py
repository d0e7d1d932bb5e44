"""`yhdyspinta serve`: the HTTP server under uvicorn.

``register(app)`` adds the command to the CLI's Typer app. The command only
parses options, opens the store, builds the app with ``create_app`` and hands
it to uvicorn; a store that cannot be opened becomes a clean CLI error.

One process holds the RocksDB store read-write. With ``--workers N > 1``
the server first takes a snapshot (a checkpoint) of the store, releases it,
and every uvicorn worker opens the snapshot read-only: reads scale over the
processes, writes over HTTP are refused, and data ingested later is seen
after a restart.

With ``--backend sparql`` the data is in a remote SPARQL store: the local store is not
opened at all (an empty scratch store stands in, so no route can answer from stale local
data), the analyses and pages read the remote store and /sparql forwards queries to it
(api/sparql/forward.py).

With one worker the server says who it is beside the store (graph/store/store.py:
pid, command, the URL from ``local_url``) and publishes each new snapshot, so
that CLI commands run meanwhile read that snapshot, and a CLI write is told
exactly how to reach the server instead (api/cli/busy.py).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from yhdyspinta.api.cli.common import BackendName
from yhdyspinta.errors import ConfigError
from yhdyspinta.settings import Settings

if TYPE_CHECKING:  # FastAPI is imported when the server starts, not for every CLI command
    from fastapi import FastAPI

SNAPSHOT_ENV = "YHDYSPINTA_SERVE_SNAPSHOT"


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to ``app``."""

    @app.command()
    def serve(
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
        workers: Annotated[int, typer.Option(help="Server processes; more than 1 serves a read-only snapshot.")] = 1,
        query_timeout: Annotated[float | None, typer.Option(
            help="Seconds a SPARQL query may run (default 30, or YHDYSPINTA_QUERY_TIMEOUT).")] = None,
        result_limit: Annotated[int | None, typer.Option(
            help="Most rows in one SPARQL answer (default 10000, or YHDYSPINTA_RESULT_LIMIT).")] = None,
        backend: Annotated[BackendName | None, typer.Option(
            help="Where the analyses run: embedded (default), neo4j (NEO4J_URI...; SPARQL uses the store) or "
                 "sparql (a remote store, YHDYSPINTA_SPARQL_*: /sparql forwards queries to it), or set "
                 "YHDYSPINTA_BACKEND.")
        ] = None,
    ) -> None:
        """Start the HTTP server: JSON API, SPARQL endpoint, Graph Store, dumps, entity pages."""
        from dataclasses import replace

        from yhdyspinta.graph.backends.registry import backend_name

        settings = Settings.from_env()
        if query_timeout is not None:
            settings = replace(settings, query_timeout=query_timeout)
        if result_limit is not None:
            settings = replace(settings, result_limit=result_limit)
        settings = replace(settings, backend=backend_name(settings, backend.value if backend else None))
        if settings.backend != "embedded" and workers > 1:
            raise typer.BadParameter(f"--backend {settings.backend} serves with one worker")
        run(settings, host=host, port=port, workers=workers)


def run(settings: Settings, *, host: str, port: int, workers: int = 1) -> None:
    """Serve until interrupted (the library entry point behind the command).

    The analyses run on ``settings.backend`` (the app opens it through the back-end registry).
    """
    import uvicorn

    from yhdyspinta.api.http.app import check_settings, create_app
    from yhdyspinta.api.http.connection import HeaderTimeout
    from yhdyspinta.graph.store.snapshots import remove_stale
    from yhdyspinta.graph.store.store import Store

    check_settings(settings)
    if workers > 1 and settings.backend != "embedded":
        raise ConfigError(f"the {settings.backend} back end serves with one worker")
    remove_stale(settings.home / "serve")

    if settings.backend == "sparql":  # the data is remote: an empty scratch store stands in for the local one
        with tempfile.TemporaryDirectory(prefix="yhdyspinta-serve-") as scratch, \
                Store(Path(scratch) / "store") as store:
            app = create_app(settings, store, workdir=Path(scratch) / "serve")
            uvicorn.run(app, host=host, port=port, log_level="info", http=HeaderTimeout)
        return
    if workers <= 1:
        with Store(settings.store_path) as store:
            store.announce(command="yhdyspinta serve", url=local_url(host, port))  # named to a refused CLI
            app = create_app(settings, store, keep_after_write=settings.keep_after_write)
            uvicorn.run(app, host=host, port=port, log_level="info", http=HeaderTimeout)
        return
    from yhdyspinta.api.http.public_meta import scrub_checkpoint
    from yhdyspinta.graph.store.snapshots import checkpoint

    shared = settings.home / "serve" / f"shared-{os.getpid()}-{int(time.time())}"
    with Store(settings.store_path) as store:
        checkpoint(store, shared)
    scrub_checkpoint(shared)  # the uvicorn workers serve it to anonymous clients: no file paths
    os.environ[SNAPSHOT_ENV] = str(shared)
    try:
        uvicorn.run("yhdyspinta.api.cli.serve:snapshot_app", factory=True, host=host, port=port,
                    workers=workers, log_level="info", http=HeaderTimeout)
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def local_url(host: str, port: int) -> str:
    """The server's address as a client on this machine reaches it (a wildcard host becomes the loopback)."""
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def snapshot_app() -> FastAPI:
    """The app of one uvicorn worker in ``--workers N`` mode: the shared snapshot, read-only."""
    from yhdyspinta.api.http.app import create_app
    from yhdyspinta.graph.store.snapshots import open_read_only

    settings = Settings.from_env()
    return create_app(settings, open_read_only(Path(os.environ[SNAPSHOT_ENV])))
