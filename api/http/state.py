"""What every route needs, built once per app: settings, store, snapshots, query workers, the write lock.

Routes reach it through ``state(request)``; it lives in a module of its own so
that the routes and the app factory do not import each other.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from fastapi import Request

from yhdyspinta.api.sparql.pool import QueryPool
from yhdyspinta.graph.backends.protocol import Backend
from yhdyspinta.graph.store.snapshots import Snapshots, is_read_only
from yhdyspinta.graph.store.store import Store
from yhdyspinta.ontology.namespaces import GRAPH
from yhdyspinta.settings import Settings

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

    @property
    def writable(self) -> bool:
        return not is_read_only(self.store)

    def close(self) -> None:
        self.pool.close()
        self.snapshots.close()


def state(request: Request) -> AppState:
    st: AppState = request.app.state.yhd
    return st
