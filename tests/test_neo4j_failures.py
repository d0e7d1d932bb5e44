"""Neo4j down, wrong credentials, stopped mid-sync: clear errors, bounded retries, non-zero
exits, and a half-done sync that the next one repairs.

These tests start their own server (with a password) through the launcher: they stop it on
purpose, which the shared session server must not suffer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from neo4j_fixtures import free_port, require_jars, run_cli, settings_for

from yhdyspinta.errors import Neo4jError
from yhdyspinta.graph.backends.neo4j.connect import Target, clear, connect, snapshot
from yhdyspinta.graph.store.store import Store
from yhdyspinta.graph.sync.sync import SyncReport, sync
from yhdyspinta.launcher.server import ConnectionInfo, start, stop
from yhdyspinta.settings import Settings

pytestmark = pytest.mark.neo4j

PASSWORD = "salasana-sync-1"
MUNICIPALITIES = "https://w3id.org/yhdyspinta/graph/bundled/reference/municipalities.ttl"


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ConnectionInfo]]:
    """A second server, with authentication on, that the tests may stop and restart."""
    require_jars()
    home = tmp_path_factory.mktemp("neo4j-auth")
    info = start(home=home, bolt_port=free_port(), password=PASSWORD)
    try:
        yield home, info
    finally:
        stop(home=home, timeout=30)


@pytest.fixture
def auth_settings(auth_server: tuple[Path, ConnectionInfo], tmp_path: Path) -> Iterator[Settings]:
    home, info = auth_server
    start(home=home, bolt_port=int(info.uri.rsplit(":", 1)[1]), password=PASSWORD)  # if a test left it down
    settings = settings_for(info, tmp_path)
    target = connect(settings)
    clear(target)
    target.driver.close()
    yield settings


def test_unreachable_server_is_a_clear_error(base_store: Store, tmp_path: Path) -> None:
    port = free_port()
    settings = Settings(home=tmp_path, neo4j_uri=f"bolt://127.0.0.1:{port}")
    with pytest.raises(Neo4jError, match=rf"127\.0\.0\.1:{port} is unreachable.*attempt 3 of 3"):
        sync(base_store, settings)

    home = str(tmp_path / "home")  # not the test's store, which this process holds open
    done = run_cli("neo4j", "sync", env={"YHDYSPINTA_HOME": home, "NEO4J_URI": settings.neo4j_uri or ""})
    assert done.returncode == Neo4jError.exit_code == 6
    assert "is unreachable" in done.stderr and "Traceback" not in done.stderr

    unset = run_cli("neo4j", "sync", env={"YHDYSPINTA_HOME": home})
    assert unset.returncode == 6 and "NEO4J_URI is not set" in unset.stderr


def test_wrong_credentials_are_refused_without_retrying(
    base_store: Store, auth_settings: Settings, tmp_path: Path
) -> None:
    wrong = replace(auth_settings, neo4j_password="not-the-password")
    with pytest.raises(Neo4jError, match="rejected the credentials.*NEO4J_PASSWORD"):
        sync(base_store, wrong)
    done = run_cli("neo4j", "sync", env={
        "YHDYSPINTA_HOME": str(tmp_path / "home"), "NEO4J_URI": wrong.neo4j_uri or "",
        "NEO4J_PASSWORD": "not-the-password",
    })
    assert done.returncode == 6 and "rejected the credentials" in done.stderr
    assert sync(base_store, auth_settings).nodes_written > 300  # the right password works


def cut_off_sync(store: Store, settings: Settings, home: Path, port: int) -> None:
    """Sync in small batches and stop the server a third of the way; then start it again."""
    stopped: list[bool] = []

    def progress(step: str, done: int, total: int) -> None:
        if step.startswith(("writing", "deleting")) and total // 3 <= done < total and not stopped:
            stopped.append(stop(home=home, timeout=30))

    with pytest.raises(Neo4jError, match="(?s)unreachable.*stopped half-way.*sync` again"):
        sync(store, settings, batch_size=50, progress=progress)
    assert stopped == [True]
    start(home=home, bolt_port=port, password=PASSWORD)


def test_a_sync_cut_off_half_way_is_repaired_by_the_next(
    bundled_store: Store, auth_server: tuple[Path, ConnectionInfo], auth_settings: Settings
) -> None:
    home, info = auth_server
    port = int(info.uri.rsplit(":", 1)[1])
    target = connect(auth_settings)
    try:
        # 1. the first sync into an empty database, cut off
        cut_off_sync(bundled_store, auth_settings, home, port)
        partial = snapshot(target)
        assert 0 < len(partial.nodes) and any(("pending", True) in s for s in partial.sources)
        repaired: SyncReport = sync(bundled_store, target)
        assert repaired.changed_anything
        after_repair = snapshot(target)
        clear(target)
        sync(bundled_store, target)
        assert after_repair == snapshot(target)

        # 2. an incremental sync that deletes (a source removed), cut off
        bundled_store.remove_graphs([MUNICIPALITIES])
        cut_off_sync(bundled_store, auth_settings, home, port)
        assert sync(bundled_store, target).removed == [MUNICIPALITIES]
        after_repair = snapshot(target)
        assert not [n for n in after_repair.nodes.values() if MUNICIPALITIES in dict(n[1])["graphs"]]
        clear(target)
        sync(bundled_store, target)
        assert after_repair == snapshot(target)
    finally:
        target.driver.close()


def test_a_driver_target_names_the_database(neo4j_target: Target) -> None:
    wrong = Target(neo4j_target.driver, "no-such-database", neo4j_target.uri)
    with pytest.raises(Neo4jError, match="no database 'no-such-database'.*NEO4J_DATABASE"):
        wrong.run("RETURN 1 AS one")
