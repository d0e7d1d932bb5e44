"""The store's side of the Python API: its sources, their history, SPARQL, ingest and the Neo4j sync.

These read or write the embedded store (also when the analyses run on Neo4j: the RDF
store is the source of truth, SPARQL always runs there), so they take a :class:`Graph`
or a ``Store``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from yhdyspinta.api.library.graph import Graph
from yhdyspinta.errors import NotFoundError
from yhdyspinta.graph.analyses.changes import ChangeReport, changes_in_source
from yhdyspinta.graph.analyses.result import ResultTable
from yhdyspinta.graph.store.store import SourceRecord, Store, to_python

if TYPE_CHECKING:  # the ingest and the Neo4j driver are imported when used
    from yhdyspinta.graph.sync.sync import SyncReport
    from yhdyspinta.ingest import IngestReport

#: A graph opened with ``yhdyspinta.open()``, or a store as the CLI and the server hold it.
StoreSource = Graph | Store


def store_of(source: StoreSource) -> Store:
    return source.store if isinstance(source, Graph) else source


def sources(source: StoreSource) -> ResultTable:
    """The sources (named graphs) in the store: graph IRI, file, triples, when ingested, SHA-256."""
    rows = [r.__dict__ for r in store_of(source).sources()]
    return ResultTable(f"{len(rows)} sources", ("graph", "path", "triples", "ingested_at", "sha256"), rows)


def source_record(source: StoreSource, path: str | Path) -> SourceRecord:
    """The store's record of the source file ``path``; NotFoundError when it was never ingested."""
    wanted = str(Path(path).resolve())
    found = next((r for r in store_of(source).sources() if r.path == wanted), None)
    if found is None:
        raise NotFoundError(f"{path} is not in the store; ingest it first")
    return found


def history(source: StoreSource, path: str | Path | None = None) -> ResultTable:
    """Every write to the store (when, which source, triples in and out); ``path``: that source's only."""
    store = store_of(source)
    graph = source_record(store, path).graph if path is not None else None
    rows = [e.__dict__ for e in store.history(graph)]
    return ResultTable(f"{len(rows)} writes", ("at", "graph", "path", "sha256", "triples", "added", "removed"), rows)


def source_changes(source: StoreSource, path: str | Path) -> ChangeReport:
    """What changed between the last two versions of the source file ``path``."""
    store = store_of(source)
    return changes_in_source(store.versions(source_record(store, path).graph))


def sparql(source: StoreSource, query: str) -> ResultTable | bool:
    """Run a read-only SPARQL 1.1 query on the store (default graph: the union of every source).

    SELECT: a table, one column per variable, IRIs as strings and literals as Python values;
    CONSTRUCT and DESCRIBE: a table of subject, predicate, object; ASK: a bool. QueryError for a
    broken query (and for an update: this is no way to write the store).
    """
    result = store_of(source).query(query)
    if isinstance(result, ox.QuerySolutions):
        names = tuple(v.value for v in result.variables)
        rows = [{n: to_python(s[n]) for n in names} for s in result]
        return ResultTable(f"{len(rows)} rows", names, rows)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    triples = [{"subject": to_python(t.subject), "predicate": to_python(t.predicate), "object": to_python(t.object)}
               for t in result]
    return ResultTable(f"{len(triples)} triples", ("subject", "predicate", "object"), triples)


def ingest_sources(source: StoreSource, paths: Sequence[str | Path] | None = None, *, graph: str | None = None,
                   force: bool = False) -> IngestReport:
    """Validate source files (none: the bundled data) and write each into its named graph, all or nothing;
    an invalid source raises ValidationError naming file and line, and leaves the store as it was. After a
    write, what the national analyses read is kept beside the store, as ``yhdyspinta ingest`` does."""
    from yhdyspinta.graph.analyses.kept import keep_national
    from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend
    from yhdyspinta.ingest import ingest
    from yhdyspinta.ingest.bundle import bundled_graph, bundled_paths

    bundled = not paths
    targets = bundled_paths() if bundled else [Path(p) for p in paths or ()]
    store = store_of(source)
    report = ingest(store, targets, graph=graph, force=force, naming=bundled_graph if bundled else None)
    if report.written:
        keep_national(EmbeddedBackend(store))
    return report


def sync_neo4j(g: Graph, *, full: bool = False) -> SyncReport:
    """Bring Neo4j (the graph's ``neo4j_*`` settings, else the local server) up to date with the store;
    ``full``: rebuild it. Only sources changed since the last sync are rewritten."""
    from yhdyspinta.graph.backends.registry import with_local_neo4j
    from yhdyspinta.graph.sync.sync import sync

    return sync(g.store, with_local_neo4j(g.settings), full=full)
