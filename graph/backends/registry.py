"""The back ends by name, and opening one: the only place that chooses where the analyses run.

The CLI commands, ``yhdyspinta serve`` and the HTTP app all call
:func:`open_backend`, so that they cannot drift apart on the default back end,
on its name in ``YHDYSPINTA_BACKEND`` or on how Neo4j is found. A new back
end is one more entry in ``_OPENERS`` (``sparql``: a remote SPARQL 1.1 store).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from yhdyspinta.errors import ConfigError
from yhdyspinta.graph.backends.protocol import Backend
from yhdyspinta.settings import Settings

if TYPE_CHECKING:  # the concrete back ends are imported when one is opened: the CLI starts fast
    from yhdyspinta.graph.store.store import Store

#: Opens a back end: (settings, an already open store or None, the day to read as of).
Opener = Callable[[Settings, "Store | None", "date | None"], AbstractContextManager[Backend]]


@contextmanager
def _open_embedded(settings: Settings, store: Store | None, as_of: date | None) -> Iterator[Backend]:
    """The embedded store: the one given (the server's, left open), or the one of ``settings`` (closed after)."""
    from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend

    if store is not None:
        yield EmbeddedBackend(store, as_of=as_of)
        return
    from yhdyspinta.graph.store.store import open_store

    with open_store(settings.store_path) as opened:
        yield EmbeddedBackend(opened, as_of=as_of)


@contextmanager
def _open_neo4j(settings: Settings, store: Store | None, as_of: date | None) -> Iterator[Backend]:
    """Neo4j at ``NEO4J_URI``, or the local launcher's server; its driver is closed after."""
    from yhdyspinta.graph.backends.neo4j.backend import Neo4jBackend

    with Neo4jBackend.from_settings(with_local_neo4j(settings), as_of=as_of) as backend:
        yield backend


@contextmanager
def _open_sparql(settings: Settings, store: Store | None, as_of: date | None) -> Iterator[Backend]:
    """The remote SPARQL 1.1 store at ``YHDYSPINTA_SPARQL_QUERY``; its connections are closed after."""
    from yhdyspinta.graph.backends.sparql.backend import SparqlBackend

    with SparqlBackend.from_settings(settings, as_of=as_of) as backend:
        yield backend


_OPENERS: dict[str, Opener] = {"embedded": _open_embedded, "neo4j": _open_neo4j, "sparql": _open_sparql}
#: The names a user may give (``--backend``, ``YHDYSPINTA_BACKEND``).
BACKEND_NAMES: tuple[str, ...] = tuple(_OPENERS)


def backend_name(settings: Settings, name: str | None = None) -> str:
    """The back end asked for: ``name``, else the settings' (``YHDYSPINTA_BACKEND``); ConfigError if unknown."""
    chosen = name or settings.backend
    if chosen not in _OPENERS:
        raise ConfigError(f"no back end '{chosen}'; known: {', '.join(BACKEND_NAMES)}")
    return chosen


def open_backend(
    settings: Settings, name: str | None = None, *, store: Store | None = None, as_of: date | None = None
) -> AbstractContextManager[Backend]:
    """The back end ``name`` (default: the settings'), as a context manager that closes what it opened.

    ``store``: an open embedded store to answer from (the server's); without it the
    embedded back end opens the store of ``settings``. ``as_of``: read the graph as it
    stood on that day (default: today, each time asked).
    """
    return _OPENERS[backend_name(settings, name)](settings, store, as_of)


def with_local_neo4j(settings: Settings) -> Settings:
    """The settings, with the local launcher's server filled in when ``NEO4J_URI`` is unset.

    So that ``yhdyspinta neo4j start`` followed by ``neo4j sync`` or ``--backend neo4j``
    works without ``eval``; an explicit ``NEO4J_URI`` always wins. With no server
    running the settings are returned as they are, and connecting says what to do.
    """
    if settings.neo4j_uri:
        return settings
    from yhdyspinta.launcher import server

    info = server.status(home=settings.home)
    if info is None:
        return settings
    return replace(
        settings, neo4j_uri=info.uri, neo4j_user=info.user,
        neo4j_password=info.password, neo4j_database=info.database,
    )
