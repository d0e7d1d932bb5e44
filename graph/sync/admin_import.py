"""A first load of the launcher's own Neo4j by ``neo4j-admin database import``, then kept by the sync.

Why: a first sync through the driver is bound by the server's transactional writes (and the
driver's pure-Python packing); the offline import writes the store files directly. But it
needs the server stopped and on this machine (Community has no ``STOP DATABASE``), a fixed
cost of tens of seconds that the national synthetic store does not earn back
(docs/benchmarks.md): it is for very large stores, on the launcher's server only; a remote
``NEO4J_URI`` gets the driver's first sync (CREATE into an empty database),
:func:`~yhdyspinta.graph.sync.sync.sync`.

The files hold exactly what a first sync writes: the same records from
:class:`~yhdyspinta.graph.sync.mapping.GraphBuilder`, and the sync's bookkeeping
(``SyncedSource`` per source graph, ``SyncState`` with the class hierarchy's digest), so that
the next ``yhdyspinta neo4j sync`` is incremental from there. The uniqueness constraints are
created once the server is back (``neo4j-admin`` in Community imports no schema).
"""

from __future__ import annotations

import csv
import math
import re
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from yhdyspinta.errors import Neo4jError
from yhdyspinta.graph.backends.neo4j.connect import connect, translate
from yhdyspinta.graph.backends.neo4j.cypher import statement
from yhdyspinta.graph.store.store import SourceRecord, Store, now_iso
from yhdyspinta.graph.sync.mapping import (
    RESOURCE,
    GraphBuilder,
    NodeRecord,
    RelRecord,
    schema_fingerprint,
    superclass_closure,
)
from yhdyspinta.graph.sync.sync import (
    STATE_NAME,
    Progress,
    SyncReport,
    ensure_schema,
    gc_paused,
    read_graphs,
    subclass_pairs,
)
from yhdyspinta.graph.sync.write import check_names
from yhdyspinta.launcher import server
from yhdyspinta.ontology.namespaces import META_GRAPH
from yhdyspinta.settings import Settings

__all__ = ["ImportFiles", "first_load", "write_import_files"]

#: Between the elements of a list value: a control character no label or text of ours holds.
ARRAY_DELIMITER = "\x1f"
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass
class ImportFiles:
    """The CSV files of one import, in ``neo4j-admin``'s (labels or type, file) form."""

    nodes: list[tuple[str, Path]] = field(default_factory=list)
    relationships: list[tuple[str, Path]] = field(default_factory=list)
    node_count: int = 0
    relationship_count: int = 0


def _kind(value: Any) -> str:
    """The ``neo4j-admin`` column type that gives back what the driver would have written."""
    if isinstance(value, list):
        return _kind(value[0]) + "[]"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, datetime):  # before date: a datetime is a date
        return "datetime" if value.tzinfo is not None else "localdatetime"
    if isinstance(value, date):
        return "date"
    return "string"


def _cell(value: Any, where: str) -> str:
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(_cell(v, where) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if ARRAY_DELIMITER in text:
        raise Neo4jError(
            f"{where}: a value holds the control character U+001F, which the import uses "
            "between list elements; load with `yhdyspinta neo4j sync` instead"
        )
    return text


def _writer(path: Path, header: Sequence[str]) -> tuple[Any, Any]:
    out = path.open("w", encoding="utf-8", newline="")
    # every field quoted: an empty string stays an empty string, not a missing property
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(header)
    return out, writer


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _node_files(nodes: list[NodeRecord]) -> list[tuple[list[tuple[str, str]], list[NodeRecord]]]:
    """The nodes in as few files as the types allow: one key has one type per file.

    ``neo4j-admin`` pays a fixed cost per input file (~0.1 s measured), so not one file per
    shape: a node goes into the first file where its keys have the types they have there.
    """
    files: list[tuple[dict[str, str], list[NodeRecord]]] = []
    for node in nodes:
        kinds = {k: _kind(v) for k, v in node.props.items() if k != "uri"}
        for columns, members in files:
            if all(columns.get(k, t) == t for k, t in kinds.items()):
                columns.update(kinds)
                members.append(node)
                break
        else:
            files.append((kinds, [node]))
    return [(sorted(columns.items()), members) for columns, members in files]


def write_import_files(
    folder: Path,
    nodes: Iterable[NodeRecord],
    rels: Iterable[RelRecord],
    sources: Sequence[SourceRecord],
    schema: str,
) -> ImportFiles:
    """Write the records as ``neo4j-admin`` CSV files into ``folder``.

    Nodes go to as few files as their property types allow (labels are a column, a property
    a node lacks an unquoted empty field, every value quoted so that ``""`` stays a text),
    relationships to one file with a ``:TYPE`` column. Raises Neo4jError, before anything
    is imported, for a name the import's header could not carry.
    """
    nodes, rels = list(nodes), list(rels)
    check_names(nodes, rels)
    files = ImportFiles(node_count=len(nodes), relationship_count=len(rels))
    for i, (columns, members) in enumerate(_node_files(nodes)):
        for key, _kind_name in columns:
            if not _PLAIN_KEY.match(key):
                holder = next(n.uri for n in members if key in n.props)
                raise Neo4jError(
                    f"{holder}: the property {key!r} is not a name the import's CSV "
                    "header can carry; load with `yhdyspinta neo4j sync` instead"
                )
        path = folder / f"nodes-{i:04d}.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            out.write(",".join(["uri:ID", ":LABEL", *(f"{k}:{t}" for k, t in columns)]) + "\n")
            for node in members:
                props = node.props
                cells = [_quoted(_cell(node.uri, node.uri)), _quoted(ARRAY_DELIMITER.join((RESOURCE, *node.labels)))]
                cells += ["" if k not in props else _quoted(_cell(props[k], node.uri)) for k, _t in columns]
                out.write(",".join(cells) + "\n")
        files.nodes.append(("", path))
    path = folder / "relationships.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(":START_ID,:TYPE,:END_ID,graphs:string[]\n")
        lists: dict[tuple[str, ...], str] = {}
        for rel in rels:
            graphs = lists.get(rel.graphs)
            if graphs is None:
                graphs = lists[rel.graphs] = _quoted(_cell(list(rel.graphs), rel.start))
            out.write(f"{_quoted(rel.start)},{rel.type},{_quoted(rel.end)},{graphs}\n")
    files.relationships.append(("", path))
    # the sync's bookkeeping, as _record in sync.py writes it (own ID spaces: keys may repeat)
    path = folder / "synced-sources.csv"
    out, writer = _writer(path, ["graph:ID(SyncedSource)", "path:string", "sha256:string",
                                 "triples:long", "ingested_at:string", "synced_at:string"])
    with out:
        at = now_iso()
        writer.writerows([r.graph, r.path, r.sha256, r.triples, r.ingested_at, at] for r in sources)
    files.nodes.append(("SyncedSource", path))
    path = folder / "sync-state.csv"
    out, writer = _writer(path, ["name:ID(SyncState)", "schema:string"])
    with out:
        writer.writerow([STATE_NAME, schema])
    files.nodes.append(("SyncState", path))
    return files


def first_load(
    store: Store,
    settings: Settings,
    *,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> SyncReport:
    """Load ``store`` into the launcher's running server (of ``settings.home``) by offline import.

    Refuses (Neo4jError) when ``NEO4J_URI`` names another server, when the launcher's server
    is not running, and, unless ``overwrite``, when its database holds any node: the import
    replaces the whole database. The server is stopped for the import and started again.
    """
    began = time.monotonic()
    tick = progress or (lambda step, done, total: None)
    info = server.status(home=settings.home)
    if info is None:
        raise Neo4jError(
            f"no local Neo4j server runs for {settings.home}: the import loads the launcher's own "
            "server; start it with `yhdyspinta neo4j start`, or use `yhdyspinta neo4j sync`"
        )
    if settings.neo4j_uri and settings.neo4j_uri != info.uri:
        raise Neo4jError(
            f"NEO4J_URI names {settings.neo4j_uri}, not the launcher's server ({info.uri}): an "
            "offline import needs the server on this machine and stopped; `yhdyspinta neo4j sync` "
            "loads any server (into an empty database it only CREATEs)"
        )
    database = settings.neo4j_database or info.database
    local = Settings(home=settings.home, neo4j_uri=info.uri, neo4j_user=info.user,
                     neo4j_password=info.password, neo4j_database=database)
    tgt = connect(local)
    try:
        with translate(tgt, "checking that the database is empty"):
            occupied = bool(tgt.run(statement(__name__, "any_node")))
    finally:
        tgt.driver.close()
    if occupied and not overwrite:
        raise Neo4jError(
            f"the database {database!r} at {info.uri} is not empty, and the import would replace "
            "all of it; `yhdyspinta neo4j sync` keeps it current, `neo4j import --overwrite` replaces it"
        )
    sources = [r for r in store.sources() if r.graph != str(META_GRAPH)]
    closure = superclass_closure(subclass_pairs(store))
    builder = GraphBuilder(closure)
    report = SyncReport(info.uri, database, "import", added=sorted(r.graph for r in sources))
    with tempfile.TemporaryDirectory(prefix="yhdyspinta-import-") as tmp:
        with gc_paused():
            report.triples = read_graphs(store, [r.graph for r in sources], builder, tick)
            nodes, rels, _gone, report.conflicts = builder.records()
            tick("writing the import files", 0, 1)
            files = write_import_files(Path(tmp), nodes, rels, sources, schema_fingerprint(closure))
            del nodes, rels, builder
        tick("importing (the server restarts)", 0, 1)
        try:
            server.import_database(home=settings.home, nodes=files.nodes,
                                   relationships=files.relationships, database=database,
                                   report_file=Path(tmp) / "import.report")
        except server.LauncherError as exc:
            raise Neo4jError(f"the offline import into {info.uri} failed: {exc}") from exc
    tgt = connect(local)
    try:
        with translate(tgt, "creating the constraints"):
            ensure_schema(tgt)
    finally:
        tgt.driver.close()
    report.nodes_written, report.relationships_written = files.node_count, files.relationship_count
    report.seconds = time.monotonic() - began
    return report

