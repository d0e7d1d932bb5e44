"""Reaching Neo4j: drivers from Settings, bounded retries, and the driver's errors as ours.

Shared by the sync, the Neo4j back end and the tests. Every failure of the server (down,
wrong credentials, lost mid-way) becomes a :class:`~yhdyspinta.errors.Neo4jError` that
names the server and says what to do, so that the CLI prints one clear line and exits
non-zero instead of a driver traceback.

Its statements (the ping, :func:`clear`, :func:`snapshot`) are the files of ``queries/``
beside this module, read by :mod:`yhdyspinta.graph.backends.neo4j.cypher`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import neo4j
from neo4j import Driver, GraphDatabase
from neo4j import exceptions as nx

from yhdyspinta.errors import Neo4jError
from yhdyspinta.graph.backends.neo4j.cypher import statement
from yhdyspinta.settings import Settings

#: How long the driver retries one transaction on a lost connection or a transient error.
RETRY_SECONDS = 10.0
#: Attempts (with 0.5 s, 1 s, 2 s... pauses) to reach a server before giving up.
CONNECT_ATTEMPTS = 3
CONNECT_TIMEOUT = 5.0


@dataclass(frozen=True)
class Target:
    """A driver and the database to work in (Community Edition has only ``neo4j``)."""

    driver: Driver
    database: str = "neo4j"
    uri: str = "Neo4j"  # where the driver points, for messages

    def session(self, **config: Any) -> neo4j.Session:
        """A session with bounded retries and without the server's notifications."""
        return self.driver.session(
            database=self.database,
            max_transaction_retry_time=RETRY_SECONDS,
            notifications_min_severity="OFF",
            **config,
        )

    def run(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        """Run a read query in a managed transaction; rows as dicts."""
        with translate(self, "a query"), self.session() as session:
            return session.execute_read(lambda tx: [r.data() for r in tx.run(cypher, params)])


def driver_for(settings: Settings) -> Driver:
    """A driver for ``NEO4J_URI`` with the user and password of ``settings`` (not yet used)."""
    if not settings.neo4j_uri:
        raise Neo4jError(
            "NEO4J_URI is not set: start a local server with "
            '`eval "$(yhdyspinta neo4j start)"` or point NEO4J_URI at yours'
        )
    auth = (settings.neo4j_user, settings.neo4j_password) if settings.neo4j_password else None
    try:
        driver = GraphDatabase.driver(
            settings.neo4j_uri, auth=auth, connection_timeout=CONNECT_TIMEOUT,
            notifications_min_severity="OFF",
        )
    except (ValueError, nx.ConfigurationError) as exc:
        raise Neo4jError(f"NEO4J_URI {settings.neo4j_uri!r} is not a Neo4j URI: {exc}") from exc
    return driver


def connect(settings: Settings, *, attempts: int = CONNECT_ATTEMPTS) -> Target:
    """A verified connection to the server and database of ``settings``."""
    target = Target(driver_for(settings), settings.neo4j_database, settings.neo4j_uri or "Neo4j")
    try:
        verify(target, attempts=attempts)
    except Neo4jError:
        target.driver.close()
        raise
    return target


def verify(target: Target, *, attempts: int = CONNECT_ATTEMPTS) -> None:
    """Reach the server, retrying a few times with growing pauses; fail fast on bad credentials."""
    pause = 0.5
    for attempt in range(1, attempts + 1):
        try:
            with translate(target, "connecting", retried=f"attempt {attempt} of {attempts}"):
                target.driver.verify_connectivity()
                target.driver.execute_query(statement(__name__, "ping"), database_=target.database)
            return
        except Neo4jError as exc:
            if attempt == attempts or not isinstance(exc.__cause__, nx.ServiceUnavailable | OSError):
                raise
        time.sleep(pause)
        pause *= 2


@contextmanager
def translate(target: Target, during: str, *, retried: str | None = None) -> Iterator[None]:
    """Turn the driver's exceptions into a Neo4jError that names the server and the cure."""
    uri = target.uri
    retried = retried or f"retried for up to {RETRY_SECONDS:g} s"
    try:
        yield
    except nx.AuthError as exc:
        raise Neo4jError(
            f"Neo4j at {uri} rejected the credentials ({exc.message}); "
            "check NEO4J_USER and NEO4J_PASSWORD"
        ) from exc
    except (nx.ServiceUnavailable, nx.SessionExpired, OSError) as exc:
        raise Neo4jError(
            f"Neo4j at {uri} is unreachable ({during}; {retried}): "
            f"{exc}. Is the server running? `yhdyspinta neo4j status` tells for the local one"
        ) from exc
    except nx.ClientError as exc:
        if exc.code and "DatabaseNotFound" in exc.code:
            raise Neo4jError(
                f"Neo4j at {uri} has no database {target.database!r}; check NEO4J_DATABASE"
            ) from exc
        raise Neo4jError(f"Neo4j at {uri} refused {during}: {exc.message}") from exc
    except nx.Neo4jError as exc:
        raise Neo4jError(f"Neo4j at {uri} failed during {during}: {exc.message}") from exc
    except nx.DriverError as exc:
        raise Neo4jError(f"the Neo4j driver failed during {during} ({uri}): {exc}") from exc


def clear(target: Target, *, batch: int = 10_000) -> None:
    """Delete what the sync wrote (``Resource`` nodes, sync records), in bounded batches."""
    with translate(target, "clearing the database"), target.session() as session:
        # relationships first: DETACH DELETE of a node with thousands of them (a region)
        # could outgrow the server's transaction memory
        for query in (statement(__name__, "clear_relationships"), statement(__name__, "clear_nodes")):
            while session.execute_write(_count, query, batch):
                pass
        session.execute_write(_consume, statement(__name__, "clear_sync_records"))


def _count(tx: neo4j.ManagedTransaction, query: str, batch: int) -> int:
    return int(tx.run(query, batch=batch).single(strict=True)["n"])


def _consume(tx: neo4j.ManagedTransaction, query: str) -> None:
    tx.run(query).consume()


@dataclass(frozen=True)
class Snapshot:
    """Everything the sync wrote, in a comparable form: two syncs agree iff snapshots are equal."""

    nodes: dict[str, tuple[tuple[str, ...], tuple[tuple[str, Any], ...]]]
    relationships: list[tuple[str, str, str, tuple[tuple[str, Any], ...]]]
    sources: list[tuple[tuple[str, Any], ...]]

    @property
    def counts(self) -> tuple[int, int]:
        return len(self.nodes), len(self.relationships)


def _frozen(props: dict[str, Any], drop: tuple[str, ...] = ()) -> tuple[tuple[str, Any], ...]:
    return tuple(
        sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in props.items() if k not in drop)
    )


def snapshot(target: Target) -> Snapshot:
    """Export the synced graph: every node, relationship and source record (sync times aside)."""
    nodes = target.run(statement(__name__, "snapshot_nodes"))
    rels = target.run(statement(__name__, "snapshot_relationships"))
    sources = target.run(statement(__name__, "snapshot_sources"))
    return Snapshot(
        nodes={r["uri"]: (tuple(sorted(r["l"])), _frozen(r["p"])) for r in nodes},
        relationships=sorted((r["s"], r["t"], r["o"], _frozen(r["p"])) for r in rels),
        sources=sorted(_frozen(r["p"], drop=("synced_at",)) for r in sources),
    )
