"""What every route needs, built once per app: settings, store, snapshots, query workers, the write lock.

Routes reach it through ``state(request)``; it lives in a module of its own so
that the routes and the app factory do not import each other.

With ``serve --backend sparql`` the data is in a remote store: ``remote`` is that store,
``forwarder`` sends /sparql's queries to it (api/sparql/forward.py), and ``records`` (the
sources and the history of writes) reads it; ``store`` is then an empty scratch store, so
that nothing can answer from stale local data, and the routes that need the embedded store
answer 501 (api/http/app.py).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fastapi import Request

from yhdyspinta.api.http.cache import AnswerCache
from yhdyspinta.api.http.keeper import Keeper
from yhdyspinta.api.sparql.pool import QueryPool
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend
from yhdyspinta.graph.backends.protocol import Backend
from yhdyspinta.graph.store.snapshots import Snapshots, is_read_only
from yhdyspinta.graph.store.store import Store
from yhdyspinta.ontology.namespaces import GRAPH
from yhdyspinta.settings import Settings

if TYPE_CHECKING:  # only in front of a remote store (serve --backend sparql): httpx is not loaded otherwise
    from yhdyspinta.api.sparql.forward import Forwarder
    from yhdyspinta.graph.store.remote import RemoteStore

#: Where SPARQL's "default graph" is stored for writes (GSP ?default, updates without GRAPH).
DEFAULT_GRAPH = f"{GRAPH}default"


@dataclass
class AppState:
    """Everything a route needs, built once per app."""

    settings: Settings
    store: Store
    snapshots: Snapshots
    pool: QueryPool
    backend: Backend
    write_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    default_graph: str = DEFAULT_GRAPH
    remote: RemoteStore | None = None  # the remote SPARQL store (--backend sparql)
    forwarder: Forwarder | None = None  # /sparql's queries, sent on to ``remote``
    answers: AnswerCache = field(default_factory=AnswerCache)  # answers by store version (api/http/cache.py)
    keeper: Keeper | None = None  # keeps the national analyses' rows after a write (api/http/keeper.py)

    def written(self) -> None:
        """After a write (the new snapshot taken): the idle query workers open it ahead of the next query,
        and the new version's national rows and results are kept."""
        self.pool.warm()
        if self.keeper is not None:
            self.keeper.after_write()

    @property
    def version(self) -> str:
        """The store's version: it changes exactly on a write, which ends by taking a new snapshot (a new,
        random name). A read-only store is never written here: its folder's name and time stand for it."""
        current = self.snapshots.current
        if not is_read_only(self.store):
            return current.name
        return f"{current.name}-{current.stat().st_mtime_ns}"

    @property
    def sparql_version(self) -> str | None:
        """What /sparql's answers are keyed by; None when they come from a remote store (not cached)."""
        return None if self.forwarder is not None or self.remote is not None else self.version

    @property
    def analyses_version(self) -> str | None:
        """What the analyses' answers are keyed by; None when their back end (Neo4j, a remote store) can
        change without this server writing, so that their answers are not cached."""
        if self.remote is not None or not isinstance(self.backend, EmbeddedBackend):
            return None
        return self.version

    @property
    def writable(self) -> bool:
        return self.remote is None and not is_read_only(self.store)

    @property
    def records(self) -> Store | RemoteStore:
        """Where the sources and the history of writes are read: the remote store when there is one."""
        return self.remote if self.remote is not None else self.store

    def close(self) -> None:
        if self.keeper is not None:
            self.keeper.close()
        self.pool.close()
        self.snapshots.close()
        if self.forwarder is not None:
            self.forwarder.close()


def state(request: Request) -> AppState:
    st: AppState = request.app.state.yhd
    return st
