"""Fixtures for the tests that need a real remote SPARQL store: Oxigraph server and Fuseki TDB2.

No mocks and no skips: each session fixture installs what is missing (the ``oxigraph`` wheel
with pip, the Fuseki jars with Maven, both cached) and starts the server in a temporary home on
a free loopback port, stopping it at the end. Fuseki runs with basic auth on, so that every
request of the tests also proves the credentials are sent.
"""

from __future__ import annotations

import secrets
import socket
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from neo4j_fixtures import free_port

from yhdyspinta.graph.store.remote import RemoteStore
from yhdyspinta.graph.store.remote_client import Endpoints
from yhdyspinta.graph.store.store import Store
from yhdyspinta.launcher import fuseki, oxigraph
from yhdyspinta.launcher.rdfstore import StoreInfo
from yhdyspinta.ontology.namespaces import META_GRAPH
from yhdyspinta.settings import Settings

#: the stores every parity test runs on
STORES = ("oxigraph", "fuseki")


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreInfo]:
    home = tmp_path_factory.mktemp("oxigraph-home")
    info = oxigraph.start(home=home, port=free_port())
    try:
        yield info
    finally:
        oxigraph.stop(home=home)


@pytest.fixture(scope="session")
def fuseki_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreInfo]:
    home = tmp_path_factory.mktemp("fuseki-home")
    info = fuseki.start(home=home, port=free_port(), password=secrets.token_urlsafe(12))
    try:
        yield info
    finally:
        fuseki.stop(home=home)


@pytest.fixture(scope="session")
def store_servers(request: pytest.FixtureRequest) -> dict[str, StoreInfo]:
    """Both servers, by name (started on first use)."""
    return {name: request.getfixturevalue(f"{name}_server") for name in STORES}


def endpoints_of(info: StoreInfo, *, timeout: float = 60.0, gsp: bool = True, update: bool = True) -> Endpoints:
    return Endpoints(info.query, info.update if update else None, info.gsp if gsp else None,
                     user=info.user, password=info.password, timeout=timeout)


def settings_of(info: StoreInfo, home: Path, **changes: Any) -> Settings:
    """Settings pointing at ``info``'s store, as ``YHDYSPINTA_SPARQL_*`` would."""
    return replace(Settings.from_env({"YHDYSPINTA_HOME": str(home), **info.env()}), **changes)


def clear_remote(info: StoreInfo) -> None:
    """Everything in the store removed (one ``DROP ALL``)."""
    with RemoteStore(endpoints_of(info)) as remote:
        remote.client.update("DROP ALL")


def copy_into(store: Store, info: StoreInfo) -> None:
    """The remote store made to hold exactly the embedded store's graphs (each source and the metadata)."""
    clear_remote(info)
    graphs = [r.graph for r in store.sources()] + [str(META_GRAPH)]
    with RemoteStore(endpoints_of(info)) as remote:
        for graph in graphs:
            remote.client.put_graph(graph, store.dump(graph))


@pytest.fixture
def silent_store() -> Iterator[str]:
    """A loopback query endpoint that accepts connections and never answers: a store stuck on a query."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/query"
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    listener.close()
