"""``yhdyspinta ingest --target sparql``: the same validation, written into a remote SPARQL 1.1 store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from yhdyspinta.graph.store.remote import RemoteStore
from yhdyspinta.ingest import IngestReport
from yhdyspinta.ingest.discover import SourceFile
from yhdyspinta.settings import Settings


def ingest_remote(
    settings: Settings, targets: list[Path], *, graph: str | None, force: bool,
    naming: Callable[[SourceFile], str | None] | None,
) -> tuple[IngestReport, str]:
    """Ingest ``targets`` into the store of ``YHDYSPINTA_SPARQL_*``; the report and the store's URL."""
    from yhdyspinta.ingest import ingest as run_ingest

    with RemoteStore.from_settings(settings) as store:
        store.check_union()
        return run_ingest(store, targets, graph=graph, force=force, naming=naming), store.url
