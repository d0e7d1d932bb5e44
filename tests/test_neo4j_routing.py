"""`neo4j://` routing URIs and NEO4J_DATABASE, as a cluster or Aura is reached.

A server of our own, started by the launcher on port 7715, is reached with the routing scheme
(the driver asks it for a routing table and follows the addresses it advertises, so a wrong
advertised address would fail here). The sync, the back end and the CLI then work through it,
with the same answers as the embedded store. Community Edition cannot create a database, so
the other half is that a NEO4J_DATABASE the server does not have gives a clear error naming it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from neo4j_fixtures import copy_store, require_jars, run_cli

from yhdyspinta.errors import Neo4jError
from yhdyspinta.graph.analyses.bridges import bridges
from yhdyspinta.graph.analyses.gaps import coverage_gaps
from yhdyspinta.graph.analyses.quorum import quorum
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend
from yhdyspinta.graph.backends.registry import open_backend
from yhdyspinta.graph.regions import resolve_region
from yhdyspinta.graph.store.store import Store
from yhdyspinta.graph.sync.sync import sync
from yhdyspinta.launcher.server import start, stop
from yhdyspinta.settings import Settings

pytestmark = pytest.mark.neo4j

PORT = 7715
ROUTING = f"neo4j://127.0.0.1:{PORT}"
MISSING = "kuntaliitto-analyysi"


@pytest.fixture(scope="module")
def routed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Settings that reach the launcher's server on 7715 by the routing scheme."""
    require_jars()
    home = tmp_path_factory.mktemp("neo4j-routing")
    info = start(home=home, bolt_port=PORT)
    assert info.uri.startswith("bolt://")  # the launcher speaks of the direct scheme; we route
    try:
        yield Settings(home=tmp_path_factory.mktemp("routing-home"), neo4j_uri=ROUTING, neo4j_user=info.user,
                       neo4j_password=info.password, neo4j_database=info.database)
    finally:
        stop(home=home, timeout=30)


@pytest.fixture(scope="module")
def store(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    s = copy_store(bundled_store_dir, tmp_path_factory.mktemp("routing-store") / "store")
    yield s
    s.close()


def test_sync_and_analyses_over_the_routing_scheme(routed: Settings, store: Store) -> None:
    report = sync(store, routed, full=True)
    assert report.nodes_written > 300
    embedded = EmbeddedBackend(store)
    with open_backend(routed, "neo4j") as neo4j:
        for text in ("paijat-hame", "lappi"):
            a, b = resolve_region(embedded, text), resolve_region(neo4j, text)
            assert coverage_gaps(neo4j, b).to_json() == coverage_gaps(embedded, a).to_json()
            assert bridges(neo4j, b).to_json() == bridges(embedded, a).to_json()
        assert quorum(neo4j).to_json() == quorum(embedded).to_json()


def _cli_env(routed: Settings, home: Path, **extra: str) -> dict[str, str]:
    return {"YHDYSPINTA_HOME": str(home), "NEO4J_URI": ROUTING, "NEO4J_USER": routed.neo4j_user,
            "NEO4J_PASSWORD": routed.neo4j_password or "", **extra}


def test_the_cli_over_the_routing_scheme(routed: Settings, bundled_store_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(bundled_store_dir, tmp_path / "store")
    env = _cli_env(routed, tmp_path)
    synced = run_cli("neo4j", "sync", env=env)
    assert synced.returncode == 0, synced.stderr
    on_neo4j = run_cli("quorum", "--backend", "neo4j", "--format", "json", env=env)
    embedded = run_cli("quorum", "--format", "json", env=env)
    assert on_neo4j.returncode == 0, on_neo4j.stderr
    assert embedded.returncode == 0, embedded.stderr
    assert on_neo4j.stdout == embedded.stdout and on_neo4j.stdout.strip()


def test_a_database_the_server_lacks_is_named(routed: Settings, store: Store, bundled_store_dir: Path,
                                              tmp_path: Path) -> None:
    wrong = replace(routed, neo4j_database=MISSING)
    with pytest.raises(Neo4jError, match=f"no database '{MISSING}'.*NEO4J_DATABASE"):
        sync(store, wrong)
    with pytest.raises(Neo4jError, match=f"no database '{MISSING}'"), open_backend(wrong, "neo4j"):
        pass
    shutil.copytree(bundled_store_dir, tmp_path / "store")
    done = run_cli("neo4j", "sync", env=_cli_env(routed, tmp_path, NEO4J_DATABASE=MISSING))
    assert done.returncode == 6, done.stderr
    assert MISSING in done.stderr and "NEO4J_DATABASE" in done.stderr
