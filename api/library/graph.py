"""An open knowledge graph for Python code: the back end the analyses read, and the embedded store.

``yhdyspinta.open()`` gives a :class:`Graph`; the analysis functions of
``yhdyspinta.api.library.analyses`` take it (or a bare ``Backend``, as the CLI and the
HTTP routes pass). The back end is chosen and opened by
``graph/backends/registry.py``, as for the CLI and the server.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from yhdyspinta.errors import StoreError
from yhdyspinta.graph.backends.registry import backend_name, open_backend
from yhdyspinta.settings import Settings

if TYPE_CHECKING:
    from yhdyspinta.graph.backends.protocol import Backend
    from yhdyspinta.graph.store.store import Store


class Graph:
    """The knowledge graph, open: ``backend`` answers the analyses, ``store`` holds the sources.

    With the embedded back end both are the store on disk; with Neo4j the analyses run
    there (connected on first use), while sources, history, SPARQL and ingest use the
    store (opened when first needed). A context manager: ``with yhdyspinta.open() as g: ...`` closes what it opened.
    """

    def __init__(self, settings: Settings, backend: str, *, store_path: Path, as_of: date | None = None) -> None:
        self.settings = settings
        self.backend_name = backend
        self.store_path = store_path
        self.as_of = as_of
        self._stack = ExitStack()
        self._store: Store | None = None
        self._backend: Backend | None = None
        self._closed = False

    def _open(self) -> Graph:
        """Open the embedded store now (so that a missing or locked store fails here); a Neo4j back end is
        connected when first asked, so that ``sync_neo4j`` can fill an empty server first."""
        try:
            if self.backend_name == "embedded":
                self._connect()
        except BaseException:
            self.close()
            raise
        return self

    def _connect(self) -> Backend:
        shared = self.store if self.backend_name == "embedded" else None
        self._backend = self._stack.enter_context(
            open_backend(self.settings, self.backend_name, store=shared, as_of=self.as_of))
        return self._backend

    @property
    def backend(self) -> Backend:
        """The back end the analyses run on, reading as of ``as_of`` (None: today)."""
        if self._closed:
            raise StoreError("this graph is closed; open it again with yhdyspinta.open()")
        return self._connect() if self._backend is None else self._backend

    @property
    def store(self) -> Store:
        """The embedded store (opened on first use with the Neo4j back end)."""
        if self._closed:
            raise StoreError("this graph is closed; open it again with yhdyspinta.open()")
        if self._store is None:
            from yhdyspinta.graph.store.store import open_store

            self._store = self._stack.enter_context(open_store(self.store_path))
        return self._store

    def at(self, day: date | None) -> Backend:
        """The back end read as of ``day``; None: as this graph was opened."""
        return self.backend if day is None else self.backend.at(day)

    def close(self) -> None:
        """Close the back end (a Neo4j driver) and the store; the graph cannot be used after."""
        self._closed = True
        self._backend = None
        self._store = None
        self._stack.close()

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        day = f", as_of={self.as_of.isoformat()}" if self.as_of else ""
        return f"<yhdyspinta.Graph {self.backend_name} store={self.store_path}{day} ({state})>"


def open(  # noqa: A001 - yhdyspinta.open() reads like the builtin it mirrors
    store: str | Path | None = None,
    *,
    backend: str = "embedded",
    as_of: date | None = None,
    settings: Settings | None = None,
    neo4j_uri: str | None = None,
    neo4j_user: str | None = None,
    neo4j_password: str | None = None,
    neo4j_database: str | None = None,
) -> Graph:
    """Open the knowledge graph.

    ``store``: the store's folder (default: ``YHDYSPINTA_HOME``'s, else the user's data
    directory, as for the CLI). ``backend``: ``"embedded"`` (default) or ``"neo4j"``; Neo4j
    is found by the ``neo4j_*`` arguments, else ``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD``/
    ``NEO4J_DATABASE``, else the local server of ``yhdyspinta neo4j start``. ``as_of``: read
    the graph as it stood on that day (default: today). ``settings``: instead of the environment.

    >>> with yhdyspinta.open() as g:
    ...     yhdyspinta.gaps(g, "paijat-hame").to_pandas()
    """
    base = settings or Settings.from_env()
    base = replace(
        base, neo4j_uri=neo4j_uri or base.neo4j_uri, neo4j_user=neo4j_user or base.neo4j_user,
        neo4j_password=neo4j_password or base.neo4j_password, neo4j_database=neo4j_database or base.neo4j_database,
    )
    name = backend_name(base, backend)
    path = Path(store).expanduser() if store is not None else base.store_path
    return Graph(base, name, store_path=path, as_of=as_of)._open()
