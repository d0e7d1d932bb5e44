"""The launcher starts a real Neo4j Community server that answers Cypher, and stops it.

Needs the jars (``bash launcher/install.sh``, once) and Java 17; no test here downloads.
Each test uses its own home under ``tmp_path`` and a free port, and stops its server.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ServiceUnavailable

from yhdyspinta.launcher.layout import default_lib_dir, is_installed
from yhdyspinta.launcher.server import ConnectionInfo, LauncherError, start, status, stop

pytestmark = pytest.mark.neo4j


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module", autouse=True)
def jars() -> None:
    assert is_installed(default_lib_dir()), "Neo4j jars missing: run `bash launcher/install.sh`"


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    stop(home=tmp_path, timeout=30)  # whatever a failing test left running


def test_start_query_status_stop(home: Path) -> None:
    port = free_port()
    info = start(home=home, bolt_port=port)

    assert info == ConnectionInfo(uri=f"bolt://127.0.0.1:{port}", password=None)
    assert info.as_shell().splitlines() == [
        f"export NEO4J_URI=bolt://127.0.0.1:{port}",
        "export NEO4J_USER=neo4j",
        "export NEO4J_DATABASE=neo4j",
    ]
    with GraphDatabase.driver(info.uri, auth=info.auth) as driver:
        driver.execute_query(
            "CREATE (:Kunta {nimi: $kunta})-[:JASEN]->(:Verkosto {nimi: $verkosto})",
            kunta="Lahti",
            verkosto="HYTE-verkosto",
            database_=info.database,
        )
        records, _, _ = driver.execute_query(
            "MATCH (k:Kunta)-[:JASEN]->(v:Verkosto) RETURN k.nimi AS kunta, v.nimi AS verkosto",
            database_=info.database,
        )
    assert [r.data() for r in records] == [{"kunta": "Lahti", "verkosto": "HYTE-verkosto"}]
    assert status(home=home) == info
    assert start(home=home, bolt_port=port) == info  # the running server, not a second one
    with pytest.raises(LauncherError, match="already running"):
        start(home=home, bolt_port=free_port())

    assert stop(home=home) is True
    assert status(home=home) is None
    assert not (home / "neo4j" / "run" / "neo4j.pid").exists()
    with GraphDatabase.driver(info.uri, auth=info.auth, connection_timeout=2) as driver:
        with pytest.raises(ServiceUnavailable):
            driver.verify_connectivity()
    assert stop(home=home) is False


def test_password_turns_auth_on_and_data_survives_a_restart(home: Path) -> None:
    port = free_port()
    info = start(home=home, bolt_port=port, password="salasana-123")
    assert info.auth == ("neo4j", "salasana-123")
    assert "export NEO4J_PASSWORD=salasana-123" in info.as_shell().splitlines()
    with GraphDatabase.driver(info.uri, auth=info.auth) as driver:
        driver.execute_query("CREATE (:Foorumi {nimi: 'Alueneuvottelukunta'})")
    with GraphDatabase.driver(info.uri, auth=("neo4j", "wrong-password")) as driver:
        with pytest.raises(AuthError):
            driver.verify_connectivity()
    assert stop(home=home) is True

    with pytest.raises(LauncherError, match="created with another password"):
        start(home=home, bolt_port=port, password="another-password")
    again = start(home=home, bolt_port=port, password="salasana-123")
    with GraphDatabase.driver(again.uri, auth=again.auth) as driver:
        records, _, _ = driver.execute_query("MATCH (f:Foorumi) RETURN f.nimi AS nimi")
    assert [r["nimi"] for r in records] == ["Alueneuvottelukunta"]


def test_a_busy_port_is_refused_before_java_starts(home: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(LauncherError, match=f"port {port} .* already in use"):
            start(home=home, bolt_port=port)


def test_a_failed_start_reports_the_log_tail(home: Path) -> None:
    with pytest.raises(LauncherError, match="(?s)exited during start-up.*Invalid initial heap"):
        start(home=home, bolt_port=free_port(), heap="lots")
    assert status(home=home) is None
