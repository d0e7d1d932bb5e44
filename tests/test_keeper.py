"""After a write through the server, the national rows and results of the new version are kept by a
process of their own (api/http/keeper.py), so that the next national analysis reads them.

A real server (tests/http_live.py), real writes over HTTP, the real `yhdyspinta` CLI reading the
server's snapshot afterwards."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from http_live import TOKEN, live_server
from test_scans import CORNERS

from yhdyspinta.graph.store.store import open_store

CORNER = "https://w3id.org/yhdyspinta/id/network/corners/two-regions"
GRAPH = "https://w3id.org/yhdyspinta/graph/corners"


def _served_version(home: Path) -> str:
    """The version of the store as the server last published it (a reader's snapshot)."""
    with open_store(home / "store") as store:
        return store.version()


def _kept(home: Path, version: str) -> set[str]:
    folder = home / "derived"  # files are named by the store's version, then by the code's (derived.code_digest)
    return {f.name for f in folder.glob(f"{version}*.json")} if folder.is_dir() else set()


def _wait_for_results(home: Path, version: str, seconds: float = 120) -> set[str]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        kept = _kept(home, version)
        if sum("-result-" in f for f in kept) >= 2 and any("membership-rows" in f for f in kept):
            return kept
        time.sleep(0.25)
    raise AssertionError(f"nothing kept for {version} within {seconds} s: {sorted(_kept(home, version))}")


def test_a_write_through_the_server_keeps_the_new_versions_results(bundled_store_dir: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    headers = {"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"}
    with live_server(home, store=bundled_store_dir) as server:
        before = _served_version(home)
        r = httpx.put(f"{server.url}/graph-store", params={"graph": GRAPH}, content=CORNERS, headers=headers,
                      timeout=60)
        assert r.status_code == 201, r.text
        after = _served_version(home)
        assert after != before
        kept = _wait_for_results(home, after)
        assert not _kept(home, before)  # nothing was kept for the version before the write

        # a national analysis now reads what was kept (nothing new is worked out) and sees the write
        env = {**os.environ, "YHDYSPINTA_HOME": str(home), "NO_COLOR": "1"}
        run = subprocess.run([sys.executable, "-m", "yhdyspinta", "bridges", "--format", "json"], env=env,
                             capture_output=True, text=True, timeout=300, check=False)
        assert run.returncode == 0, run.stderr
        assert CORNER in run.stdout
        assert _kept(home, after) == kept

        # two writes in a row: the newest version ends up kept
        assert "Kahden kunnan verkosto" in CORNERS
        for label in ("Kahden kunnan verkosto 2", "Kahden kunnan verkosto 3"):
            body = CORNERS.replace('"Kahden kunnan verkosto"@fi', f'"{label}"@fi')
            r = httpx.put(f"{server.url}/graph-store", params={"graph": GRAPH}, content=body, headers=headers,
                          timeout=60)
            assert r.status_code == 204, r.text
        _wait_for_results(home, _served_version(home))
