"""Sync the RDF dataset into Neo4j as a property graph: batched, idempotent, incremental.

The store is the source of truth and Neo4j a derived view (DESIGN.md), so the sync never
patches Neo4j by diffing it: it recomputes, from the store, the full Neo4j form of every
node a change touches (see :mod:`yhdyspinta.graph.sync.mapping` for the mapping) and
writes that. Which nodes a change touches is known from both sides: the nodes of the
changed graphs in the store, and the nodes in Neo4j whose ``graphs`` list names them.

State lives in Neo4j beside the data: one ``(:SyncedSource {graph, sha256, ingested_at,
path, triples, synced_at})`` per source graph and one ``(:SyncState {name, schema})``
holding the digest of the class hierarchy that labels derive from. A graph is re-synced
when its ``sha256`` or time of ingest differs from its record; a recorded graph gone from
the store is removed; a changed class hierarchy rewrites the nodes whose labels change.

Crash safety: before writing, the graphs to sync are marked ``pending``; each batch writes
the final form of its nodes (their properties, labels and outgoing relationships) in one
transaction; the records are written last. A sync cut off half-way leaves ``pending``
graphs, which the next sync treats as changed, and recomputes, repairing every node.

The Cypher statements are the files of ``queries/`` beside this module (those of the
writes, beside :mod:`yhdyspinta.graph.sync.write`), read by
:mod:`yhdyspinta.graph.backends.neo4j.cypher`; every value is a parameter.
"""

from __future__ import annotations

import gc
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from neo4j import Driver, ManagedTransaction

from yhdyspinta.errors import Neo4jError
from yhdyspinta.graph.backends.neo4j.connect import Target, clear, connect, translate, verify
from yhdyspinta.graph.backends.neo4j.cypher import statement
from yhdyspinta.graph.store.sparql import fill, iri, load_query
from yhdyspinta.graph.store.store import SourceRecord, Store, now_iso
from yhdyspinta.graph.sync.mapping import (
    BNODE_SCHEME,
    RESOURCE,
    GraphBuilder,
    NodeRecord,
    RelRecord,
    blank_keys,
    schema_fingerprint,
    superclass_closure,
)
from yhdyspinta.graph.sync.write import write_initial, write_touched
from yhdyspinta.ontology.namespaces import META_GRAPH
from yhdyspinta.settings import Settings

__all__ = [
    "STATE_NAME", "Progress", "SyncReport", "ensure_schema", "gc_paused", "read_graphs", "subclass_pairs", "sync",
]

#: progress(step, done, total), as ingest's.
Progress = Callable[[str, int, int], None]
DEFAULT_BATCH = 5000
#: Above this many touched IRIs, scanning the store beats asking for each node.
_SCAN_ABOVE = 5000
#: graphs written out ahead of the one being mapped (``graph_triples``; a few MB each at national scale)
_AHEAD = 4
#: threads writing graphs out at once (the scan is RocksDB in Rust: two cores read about twice as fast)
_READERS = 2
_CHUNK = 400
STATE_NAME = "yhdyspinta"


@dataclass
class SyncReport:
    """What one sync did."""

    uri: str
    database: str
    mode: str  # "initial" (empty Neo4j), "incremental", "relabel" (class hierarchy changed), "full"
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    triples: int = 0  # triples read from the store
    nodes_written: int = 0
    nodes_deleted: int = 0
    relationships_written: int = 0
    conflicts: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def changed_anything(self) -> bool:
        return bool(self.nodes_written or self.nodes_deleted or self.relationships_written)

    def summary(self) -> str:
        """One line for the terminal."""
        return (
            f"{self.mode} sync to {self.uri} ({self.database}): {len(self.added)} source(s) "
            f"added, {len(self.changed)} changed, {len(self.removed)} removed, "
            f"{len(self.unchanged)} unchanged; {self.nodes_written} nodes and "
            f"{self.relationships_written} relationships written, {self.nodes_deleted} nodes "
            f"deleted, {self.triples} triples read in {self.seconds:.1f} s"
        )


def sync(
    store: Store,
    target: Settings | Driver | Target,
    *,
    database: str | None = None,
    batch_size: int = DEFAULT_BATCH,
    full: bool = False,
    progress: Progress | None = None,
    create: bool = True,
) -> SyncReport:
    """Bring Neo4j up to date with ``store``; with ``full``, rebuild it from scratch.

    ``target`` is the Settings (``NEO4J_*``), a driver, or a Target. Raises Neo4jError when
    the server cannot be reached or fails; what was written by then is repaired by the
    next sync. Into a database without our nodes, the sync ``CREATE``s in parallel
    transactions (:func:`~yhdyspinta.graph.sync.write.write_initial`); ``create=False``
    writes it through the incremental writer instead (``MERGE``, one transaction at a
    time): slower, it is the reference the fast path is tested against.
    """
    began = time.monotonic()
    tick = progress or (lambda step, done, total: None)
    owned = isinstance(target, Settings)
    if isinstance(target, Settings):
        tgt = connect(target)
        if database:
            tgt = Target(tgt.driver, database, tgt.uri)
    elif isinstance(target, Target):
        tgt = target
    else:
        tgt = Target(target, database or "neo4j")
        verify(tgt)
    try:
        with gc_paused():
            report = _run(store, tgt, batch_size=batch_size, full=full, tick=tick, create=create)
    finally:
        if owned:
            tgt.driver.close()
    report.seconds = time.monotonic() - began
    return report


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while the sync builds millions of small,
    acyclic objects (refcounting frees them): its repeated passes otherwise cost more than
    the mapping itself (measured: a first sync of 480 000 triples, 7.4 s -> 3.2 s to read)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _run(
    store: Store, tgt: Target, *, batch_size: int, full: bool, tick: Progress, create: bool = True
) -> SyncReport:
    """Plan from both sides' state, mark the sources pending, write, record."""
    sources = {r.graph: r for r in store.sources() if r.graph != str(META_GRAPH)}
    closure = superclass_closure(subclass_pairs(store))
    schema = schema_fingerprint(closure)
    with translate(tgt, "reading the sync state"):
        ensure_schema(tgt)
        if full:
            tick("clearing Neo4j", 0, 1)
            clear(tgt)
        synced, old_schema, has_nodes = _read_state(tgt)
    mode = "full" if full else "initial" if not has_nodes else "relabel" if old_schema != schema else "incremental"
    report = SyncReport(
        tgt.uri, tgt.database, mode,
        added=sorted(g for g in sources if g not in synced),
        changed=sorted(g for g in sources if g in synced and synced[g] != _fingerprint(sources[g])),
        removed=sorted(g for g in synced if g not in sources),
    )
    report.unchanged = sorted(set(sources) - set(report.added) - set(report.changed))
    if mode in ("initial", "full"):  # everything is (re)written, so everything is pending
        report.added, report.unchanged = sorted(set(report.added) | set(report.unchanged)), []
    todo = report.added + report.changed + report.removed
    if mode == "incremental" and not todo:
        return report  # nothing changed: nothing is written, not even a timestamp
    with translate(tgt, "marking the sources to sync"):
        _mark_pending(tgt, todo)
    builder = GraphBuilder(closure)
    if mode in ("initial", "full"):
        report.triples = read_graphs(store, list(sources), builder, tick)
        nodes, rels, _gone, report.conflicts = builder.records()
        if create:
            _guarded(tgt, lambda: write_initial(tgt, nodes, rels, batch_size, tick))
        else:
            _guarded(tgt, lambda: write_touched(tgt, nodes, rels, [], {}, batch_size, tick))
        report.nodes_written, report.relationships_written = len(nodes), len(rels)
    else:
        _update(store, tgt, report, builder, todo, batch_size, tick)
    with translate(tgt, "recording the synced sources"):
        _record(tgt, [sources[g] for g in report.added + report.changed], report.removed, schema)
    return report


def _update(
    store: Store, tgt: Target, report: SyncReport, builder: GraphBuilder, todo: list[str],
    batch_size: int, tick: Progress,
) -> None:
    """Rewrite the nodes the sources in ``todo`` touch (or, in a relabel, whose labels change)."""
    with translate(tgt, "finding the nodes to update"):
        current = _current_labels(tgt, None if report.mode == "relabel" else todo)
    if report.mode == "relabel":
        report.triples = read_graphs(store, sorted({r.graph for r in store.sources()} - {str(META_GRAPH)}),
                                      builder, tick)
        with translate(tgt, "finding the nodes to update"):
            by_change = set(_current_labels(tgt, todo)) | builder.keys_in(set(todo))
        nodes, rels, gone, report.conflicts = _relabelled(builder, current, by_change)
    else:
        report.triples = read_graphs(store, report.added + report.changed, builder, tick)
        touched = set(current) | builder.keys()
        _read_touched(store, set(todo), touched, builder, tick)
        nodes, rels, gone, report.conflicts = builder.records(touched)
    _guarded(tgt, lambda: write_touched(tgt, nodes, rels, gone, current, batch_size, tick))
    report.nodes_written, report.relationships_written = len(nodes), len(rels)
    report.nodes_deleted = len([g for g in gone if g in current])


def _relabelled(
    builder: GraphBuilder, current: dict[str, frozenset[str]], by_change: set[str]
) -> tuple[list[NodeRecord], list[RelRecord], list[str], list[str]]:
    """The class hierarchy changed: rewrite the nodes whose labels differ, besides those
    the changed sources touch; every other node is already right."""
    nodes, rels, gone, conflicts = builder.records(set(current) | builder.keys())
    keep = {
        n.uri for n in nodes
        if n.uri in by_change or n.uri not in current or set(n.labels) != current[n.uri] - {RESOURCE}
    }
    return [n for n in nodes if n.uri in keep], [r for r in rels if r.start in keep], gone, conflicts


# --- reading the store ---------------------------------------------------------------------


def _fingerprint(record: SourceRecord) -> tuple[str, str]:
    return (record.sha256, record.ingested_at)


def subclass_pairs(store: Store) -> Iterator[tuple[str, str]]:
    result = store.query(load_query(__name__, "subclass_pairs"))
    for sol in result:
        yield sol["c"].value, sol["d"].value


def graph_triples(store: Store, graphs: list[str]) -> Iterator[tuple[str, list[tuple[Any, Any, Any]]]]:
    """Each graph's triples as Oxigraph terms, in order.

    Two threads have Oxigraph write the next graphs as N-Triples meanwhile (in Rust, without the GIL)
    and this one parses each back: iterating ``quads_for_pattern`` holds the GIL for the whole scan, so
    the mapping waited for it (reading and mapping 486k triples: 3.8 s that way, 2.3 s this way).
    """
    if not graphs:
        return
    with ThreadPoolExecutor(_READERS, thread_name_prefix="yhdyspinta-read") as pool:
        pending = deque(pool.submit(store.dump, g, ox.RdfFormat.N_TRIPLES) for g in graphs[:_AHEAD])
        for i, graph in enumerate(graphs):
            data = pending.popleft().result()
            if i + _AHEAD < len(graphs):
                pending.append(pool.submit(store.dump, graphs[i + _AHEAD], ox.RdfFormat.N_TRIPLES))
            yield graph, [(q.subject, q.predicate, q.object) for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]


def read_graphs(store: Store, graphs: list[str], builder: GraphBuilder, tick: Progress) -> int:
    """Feed whole graphs to the builder; returns the triples read."""
    count = 0
    for i, (graph, triples) in enumerate(graph_triples(store, graphs), start=1):
        tick("reading the store", i, len(graphs))
        count += builder.add(graph, triples, blank_keys(graph, triples))
    return count


def _read_touched(
    store: Store, skip: set[str], touched: set[str], builder: GraphBuilder, tick: Progress
) -> None:
    """Feed what the graphs not in ``skip`` say about the touched nodes."""
    skip = skip | {str(META_GRAPH)}
    iris = sorted(k for k in touched if not k.startswith(BNODE_SCHEME))
    others = [r.graph for r in store.sources() if r.graph not in skip]
    if len(iris) > _SCAN_ABOVE:  # many nodes: one pass over the other graphs is cheaper
        for i, (graph, triples) in enumerate(graph_triples(store, others), start=1):
            tick("reading the store", i, len(others))
            builder.add(graph, triples, blank_keys(graph, triples), only=touched)
        return
    keys: dict[str, dict[str, str]] = {}

    def bnodes(graph: str) -> dict[str, str]:
        if graph not in keys:
            keys[graph] = blank_keys(graph, store.graph_ntriples(graph))
        return keys[graph]

    for start in range(0, len(iris), _CHUNK):
        tick("reading the store", start, len(iris))
        nodes = [iri(i) for i in iris[start:start + _CHUNK]]
        by_graph: dict[str, list[tuple[Any, Any, Any]]] = defaultdict(list)
        for sol in store.query(fill(load_query(__name__, "facts_about"), nodes=nodes)):
            if sol["g"].value not in skip:
                by_graph[sol["g"].value].append((sol["s"], sol["p"], sol["o"]))
        for graph, triples in by_graph.items():
            blank = any(isinstance(o, ox.BlankNode) for _s, _p, o in triples)
            builder.add(graph, triples, bnodes(graph) if blank else {}, only=touched)
        for sol in store.query(fill(load_query(__name__, "mentions_of"), nodes=nodes)):
            if sol["g"].value not in skip:
                builder.mention(sol["g"].value, sol["o"].value)


# --- writing Neo4j -------------------------------------------------------------------------


def ensure_schema(tgt: Target) -> None:
    """The uniqueness constraints: n10s's name on ``Resource.uri``, so n10s tools see it."""
    with tgt.session() as session:
        session.run(statement(__name__, "constraint_resource_uri")).consume()
        session.run(statement(__name__, "constraint_synced_source")).consume()


def _read_state(tgt: Target) -> tuple[dict[str, tuple[str, str] | None], str | None, bool]:
    """(graph -> fingerprint, None while pending), the schema digest, whether nodes exist."""
    rows = tgt.run(statement(__name__, "read_synced_sources"))
    synced = {
        r["graph"]: None if r["pending"] else (r["sha"], r["at"]) for r in rows
    }
    state = tgt.run(statement(__name__, "read_sync_state"), name=STATE_NAME)
    exists = tgt.run(statement(__name__, "any_synced_node"))
    return synced, (state[0]["schema"] if state else None), bool(exists)


def _mark_pending(tgt: Target, graphs: list[str]) -> None:
    query = statement(__name__, "mark_pending")
    with tgt.session() as session:
        session.execute_write(lambda tx: tx.run(query, graphs=graphs).consume())


def _current_labels(tgt: Target, graphs: list[str] | None) -> dict[str, frozenset[str]]:
    """uri -> labels of the nodes that ``graphs`` contributed to (all nodes for None)."""
    rows = tgt.run(statement(__name__, "current_labels"), graphs=graphs)
    return {r["uri"]: frozenset(r["labels"]) for r in rows}


def _guarded(tgt: Target, write: Callable[[], None]) -> None:
    """Run a write phase; a failure says that Neo4j holds a partial copy the next sync repairs."""
    try:
        with translate(tgt, "the sync"):
            write()
    except Neo4jError as exc:
        raise Neo4jError(
            f"{exc}\nThe sync stopped half-way: Neo4j holds a partial copy. Run "
            "`yhdyspinta neo4j sync` again once the server answers; it repairs it."
        ) from exc.__cause__


def _record(tgt: Target, synced: list[SourceRecord], removed: list[str], schema: str) -> None:
    """The records of what is now in Neo4j, written last: their presence means 'done'."""
    rows = [
        {"graph": r.graph, "path": r.path, "sha256": r.sha256, "triples": r.triples,
         "ingested_at": r.ingested_at, "synced_at": now_iso()}
        for r in synced
    ]

    def work(tx: ManagedTransaction) -> None:
        tx.run(statement(__name__, "record_sources"), rows=rows).consume()
        tx.run(statement(__name__, "delete_source_records"), graphs=removed).consume()
        tx.run(statement(__name__, "record_sync_state"), name=STATE_NAME, schema=schema).consume()

    with tgt.session() as session:
        session.execute_write(work)
