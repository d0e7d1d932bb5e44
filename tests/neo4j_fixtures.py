"""Fixtures for the tests that need a real Neo4j server (no mocks, no skips).

``NEO4J_URI`` set (CI starts the server with the launcher and exports it): use that server.
Unset: start one with the launcher in a temporary home on a free port, stop it at the end.
Each test that writes gets the database cleaned first (``neo4j``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from yhdyspinta.graph.backends.neo4j.connect import Target, clear, connect
from yhdyspinta.graph.store.store import Store
from yhdyspinta.launcher.layout import default_lib_dir, is_installed
from yhdyspinta.launcher.server import ConnectionInfo, start, stop
from yhdyspinta.settings import Settings


def free_port() -> int:
    """A TCP port nobody listens on now (the launcher refuses a busy one)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def require_jars() -> None:
    assert is_installed(default_lib_dir()), (
        f"Neo4j jars missing in {default_lib_dir()}: run `bash launcher/install.sh`"
    )


@pytest.fixture(scope="session")
def neo4j_info(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConnectionInfo]:
    """How to reach the test server: ``NEO4J_*`` from the environment, or one we start."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield ConnectionInfo(
            uri=uri,
            user=os.environ.get("NEO4J_USER", "neo4j"),
            password=os.environ.get("NEO4J_PASSWORD") or None,
            database=os.environ.get("NEO4J_DATABASE", "neo4j"),
        )
        return
    require_jars()
    home = tmp_path_factory.mktemp("neo4j-home")
    info = start(home=home, bolt_port=free_port())
    try:
        yield info
    finally:
        stop(home=home, timeout=30)


def settings_for(info: ConnectionInfo, home: Path) -> Settings:
    """Settings pointing at ``info``'s server, as ``NEO4J_*`` would."""
    return Settings(
        home=home, neo4j_uri=info.uri, neo4j_user=info.user,
        neo4j_password=info.password, neo4j_database=info.database,
    )


@pytest.fixture(scope="session")
def neo4j_settings(neo4j_info: ConnectionInfo, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return settings_for(neo4j_info, tmp_path_factory.mktemp("neo4j-settings-home"))


@pytest.fixture(scope="session")
def neo4j_target(neo4j_settings: Settings) -> Iterator[Target]:
    """One driver for the session's tests."""
    target = connect(neo4j_settings)
    yield target
    target.driver.close()


@pytest.fixture
def neo4j_clean(neo4j_target: Target) -> Target:
    """The session's server with the synced data deleted: each test starts from empty."""
    clear(neo4j_target)
    return neo4j_target


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``yhdyspinta ARGS`` in a real process, with ``neo4j sync`` registered, ``NEO4J_*`` from ``env`` only."""
    code = "import yhdyspinta.api.cli.neo4j; from yhdyspinta.api.cli.main import main; main()"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    return subprocess.run(
        [sys.executable, "-c", code, *args], env={**clean, "NO_COLOR": "1", **env},
        capture_output=True, text=True, timeout=300, cwd=Path(__file__).resolve().parents[1],
    )


def copy_store(src: Path, dst: Path) -> Store:
    """A private, writable copy of a session-built store."""
    shutil.copytree(src, dst)
    return Store(dst)
