"""Writing node and relationship records into Neo4j in batches (the sync's write phase).

Two ways, chosen by :mod:`yhdyspinta.graph.sync.sync`: :func:`write_initial` CREATEs into a
database without our nodes (the fast path of a first or ``--full`` sync);
:func:`write_touched` rewrites each touched node whole, MERGE by ``uri``, in one transaction
per batch, so that whatever a batch reached is final even if a later one fails.

The statements are the files of ``queries/`` beside this module, read by
:mod:`yhdyspinta.graph.backends.neo4j.cypher`; every value (the rows, keys, graphs) is a
parameter. Labels and relationship types cannot be parameters (before Neo4j 5.26), so rows
are grouped by label set or type, and each group's statement is a template
(``create_nodes.cypher``, ``create_relationships.cypher``, ``merge_nodes.cypher``,
``remove_labels.cypher``, ``merge_relationships.cypher``) whose ``{{labels}}`` or ``{{type}}``
placeholder :func:`~yhdyspinta.graph.backends.neo4j.cypher.fill` fills, only with names that
:func:`~yhdyspinta.graph.backends.neo4j.cypher.identifier` accepts, quoted with backticks.
Every name is checked before anything is written (:func:`check_names`).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any

import neo4j
from neo4j import ManagedTransaction

from yhdyspinta.errors import Neo4jError
from yhdyspinta.graph.backends.neo4j.connect import Target
from yhdyspinta.graph.backends.neo4j.cypher import fill, identifier, statement, template
from yhdyspinta.graph.sync.mapping import RESOURCE, NodeRecord, RelRecord

__all__ = ["check_names", "write_initial", "write_touched"]

#: Concurrent transactions of a first sync (see :func:`_parallel`).
WORKERS = 3
#: progress(step, done, total)
Tick = Callable[[str, int, int], None]


def check_names(nodes: Iterable[NodeRecord], rels: Iterable[RelRecord]) -> None:
    """Neo4jError, before anything is written, if a label or a relationship type is not a
    name that :func:`~yhdyspinta.graph.backends.neo4j.cypher.identifier` accepts."""
    names = {label for node in nodes for label in node.labels} | {rel.type for rel in rels}
    for name in sorted(names):
        try:
            identifier(name)
        except ValueError as exc:
            raise Neo4jError(
                f"the sync cannot write {name!r} as a Neo4j label or relationship type (the local "
                "name of an IRI, with a character the sync does not put into a statement); "
                "rename the class or predicate"
            ) from exc


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


#: (query, parameters, rows it writes)
Statement = tuple[str, dict[str, Any], int]


def write_initial(
    tgt: Target, nodes: list[NodeRecord], rels: list[RelRecord], batch: int, tick: Tick
) -> None:
    """Into a Neo4j without our nodes: CREATE nodes grouped by labels, then links by type.

    What the driver must pack and the server must look up is kept small: links are sent per
    (type, start node, graphs) with the indexes of their end nodes in a per-statement list,
    and the graph lists as indexes into one table. Statements are packed into transactions of about
    ``batch`` rows, so that many small groups do not cost one round trip each.
    """
    check_names(nodes, rels)
    by_labels: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for node in nodes:
        by_labels[node.labels].append(node.props)
    node_statements: list[Statement] = []
    for labels, rows in sorted(by_labels.items()):
        query = fill(template(__name__, "create_nodes"), labels=labels)
        node_statements += [(query, {"rows": chunk}, len(chunk)) for chunk in _chunks(rows, batch)]

    table: dict[tuple[str, ...], int] = {}
    by_type: dict[str, dict[tuple[str, int], list[str]]] = defaultdict(lambda: defaultdict(list))
    for rel in rels:
        gi = table.setdefault(rel.graphs, len(table))
        by_type[rel.type][(rel.start, gi)].append(rel.end)
    graphs = [list(g) for g in table]
    rel_statements: list[Statement] = []
    for rtype, groups in sorted(by_type.items()):
        # end nodes are looked up once per statement (a region or a theme ends thousands
        # of links), then addressed by their index in the list
        query = fill(template(__name__, "create_relationships"), rel_type=rtype)
        items = list(groups.items())
        while items:
            picked: list[tuple[tuple[str, int], list[str]]] = []
            weight = 0
            while items and weight < batch:
                picked.append(items.pop())
                weight += len(picked[-1][1])
            index: dict[str, int] = {}
            links = [[start, gi, [index.setdefault(e, len(index)) for e in ends]] for (start, gi), ends in picked]
            params = {"rows": links, "ends": list(index), "graphs": graphs}
            rel_statements.append((query, params, weight))

    total, done = len(nodes) + len(rels), 0
    for part in (node_statements, rel_statements):  # links after their nodes
        for weight in _parallel(tgt, list(_packed(part, batch))):
            done += weight
            tick("writing nodes and relationships", done, total)


def _parallel(tgt: Target, groups: list[list[Statement]]) -> Iterator[int]:
    """Run the transactions on WORKERS sessions at once; yields each one's rows as it commits.

    While one transaction is packed by the (pure Python) driver, the server works on the
    others: on two cores this nearly halves the time of a first sync. Transactions that
    deadlock on a shared node are retried by the driver (they only CREATE, so a retry after
    the rollback is safe). The first failure cancels what has not started and is raised.
    """
    if not groups:
        return
    local = threading.local()
    sessions: list[neo4j.Session] = []
    lock = threading.Lock()

    def run(group: list[Statement]) -> int:
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = tgt.session()
            with lock:
                sessions.append(session)
        session.execute_write(_run_statements, group)
        return sum(weight for _q, _p, weight in group)

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        try:
            for future in as_completed([pool.submit(run, group) for group in groups]):
                yield future.result()
        finally:
            pool.shutdown(cancel_futures=True)
            for session in sessions:
                session.close()


def _packed(statements: list[Statement], batch: int) -> Iterator[list[Statement]]:
    group: list[Statement] = []
    size = 0
    for item in statements:
        if group and size + item[2] > batch:
            yield group
            group, size = [], 0
        group.append(item)
        size += item[2]
    if group:
        yield group


def _run_statements(tx: ManagedTransaction, statements: list[Statement]) -> None:
    for query, params, _weight in statements:
        tx.run(query, params).consume()


def _run_rows(tx: ManagedTransaction, query: str, rows: list[Any]) -> None:
    tx.run(query, rows=rows).consume()


def _delete_some(tx: ManagedTransaction, query: str, uris: list[str], limit: int) -> int:
    return int(tx.run(query, uris=uris, limit=limit).single(strict=True)["n"])


def write_touched(
    tgt: Target,
    nodes: list[NodeRecord],
    rels: list[RelRecord],
    gone: list[str],
    current: dict[str, frozenset[str]],
    batch: int,
    tick: Tick,
) -> None:
    """Rewrite each touched node whole (properties, labels, outgoing links) in one transaction
    per batch, so that any node a batch reached is final even if a later batch fails."""
    out: dict[str, list[RelRecord]] = defaultdict(list)
    for rel in rels:
        out[rel.start].append(rel)
    check_names(nodes, rels)
    gone = [g for g in gone if g in current]
    total, done = len(gone) + len(nodes) + len(rels), 0
    with tgt.session() as session:
        for chunk in _chunks(gone, batch):
            # their relationships in bounded transactions first (a region may have thousands)
            while session.execute_write(_delete_some, statement(__name__, "delete_relationships_of"), chunk, batch):
                pass
            session.execute_write(_run_rows, statement(__name__, "delete_nodes"), chunk)
            done += len(chunk)
            tick("deleting nodes", done, total)
        pending: list[NodeRecord] = []
        size = 0
        for node in nodes:
            pending.append(node)
            size += 1 + len(out[node.uri])
            if size >= batch:
                session.execute_write(_rewrite, pending, out, current)
                done += size
                tick("writing nodes and relationships", done, total)
                pending, size = [], 0
        if pending:
            session.execute_write(_rewrite, pending, out, current)
            tick("writing nodes and relationships", total, total)


def _rewrite(
    tx: ManagedTransaction,
    nodes: list[NodeRecord],
    out: dict[str, list[RelRecord]],
    current: dict[str, frozenset[str]],
) -> None:
    tx.run(statement(__name__, "delete_outgoing"), uris=[n.uri for n in nodes]).consume()
    groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[dict[str, Any]]] = defaultdict(list)
    for node in nodes:
        have = current.get(node.uri, frozenset())
        add = tuple(sorted(set(node.labels) - have))
        drop = tuple(sorted(have - set(node.labels) - {RESOURCE}))
        groups[(add, drop)].append(node.props)
    for (add, drop), rows in groups.items():
        tx.run(fill(template(__name__, "merge_nodes"), labels=add), rows=rows).consume()
        if drop:
            tx.run(fill(template(__name__, "remove_labels"), labels=drop), uris=[row["uri"] for row in rows]).consume()
    by_type: dict[str, list[list[Any]]] = defaultdict(list)
    for node in nodes:
        for rel in out[node.uri]:
            by_type[rel.type].append([rel.start, rel.end, list(rel.graphs)])
    for rtype, links in by_type.items():
        tx.run(fill(template(__name__, "merge_relationships"), rel_type=rtype), rows=links).consume()
