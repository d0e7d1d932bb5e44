"""National analysis results kept beside the store (ScanQueries.kept_result, graph/analyses/kept.py).

The national ``bridges`` and ``load`` are kept by the store's version and by what the day
changes in the rows (the nodes that do not exist on it, the dated memberships that do not hold
on it). A kept result must be the computed one, field for field, on every day; a day that
changes a membership must not read another day's result; a write must not read an older
store's; and a day with the same validity as a kept one reads it rather than computing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_scans import CORNERS

from yhdyspinta.graph.analyses import bridges as bridges_module
from yhdyspinta.graph.analyses import load as load_module
from yhdyspinta.graph.analyses.bridges import BETWEENNESS_BUDGET, bridges
from yhdyspinta.graph.analyses.kept import keep_national
from yhdyspinta.graph.analyses.load import load
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend, QueryBackend
from yhdyspinta.graph.store.store import Store
from yhdyspinta.ingest import ingest

CORNER = "https://w3id.org/yhdyspinta/id/network/corners/two-regions"


def _results(store: Store) -> set[Path]:
    folder = store.derived_dir
    assert folder is not None
    return set(folder.glob("*-result-*.json")) if folder.is_dir() else set()


def _with_corners(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "corners.ttl"
    source.write_text(CORNERS, encoding="utf-8")
    ingest(store, [source])


def _computed_bridges(store: Store, day: date) -> bridges_module.BridgeReport:
    """The national bridges worked out by the one-query back end, which keeps nothing."""
    return bridges(QueryBackend(store).at(day))


@pytest.mark.parametrize("day", [date(2024, 1, 1), date(2024, 7, 1), date(2025, 6, 1)], ids=str)
def test_kept_results_are_the_computed_ones(bundled_store: Store, tmp_path: Path, day: date) -> None:
    _with_corners(bundled_store, tmp_path)
    backend = EmbeddedBackend(bundled_store).at(day)
    first = bridges(backend), load(backend)  # computed and kept
    assert len(_results(bundled_store)) == 2
    again = bridges(backend), load(backend)  # read back
    assert len(_results(bundled_store)) == 2
    reference = _computed_bridges(bundled_store, day), load(QueryBackend(bundled_store).at(day))
    for got in (first, again):
        assert got == reference
        assert [r.to_json() for r in got] == [r.to_json() for r in reference]
        assert got[0].labels == reference[0].labels and got[0].betweenness  # nothing left out of the file


def test_a_kept_result_is_read_not_computed(bundled_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    backend = EmbeddedBackend(bundled_store).at(date(2025, 6, 1))
    expected = bridges(backend), load(backend)
    calls: list[str] = []
    real_bridges, real_load = bridges_module._bridges, load_module._load
    monkeypatch.setattr(bridges_module, "_bridges", lambda *a: calls.append("bridges") or real_bridges(*a))
    monkeypatch.setattr(load_module, "_load", lambda *a: calls.append("load") or real_load(*a))
    fresh = EmbeddedBackend(bundled_store).at(date(2025, 6, 2))  # another process, another day, same validity
    assert (bridges(fresh), load(fresh)) == expected
    assert calls == []
    bridges(fresh, budget=BETWEENNESS_BUDGET // 2)  # another option: another result
    assert calls == ["bridges"]


def test_a_day_that_changes_a_membership_is_worked_out_anew(bundled_store: Store, tmp_path: Path) -> None:
    _with_corners(bundled_store, tmp_path)
    before = bridges(EmbeddedBackend(bundled_store).at(date(2024, 3, 1)))
    after = bridges(EmbeddedBackend(bundled_store).at(date(2024, 7, 1)))
    assert before != after  # m:016 joins CORNER on 2024-06-01
    assert before == _computed_bridges(bundled_store, date(2024, 3, 1))
    assert after == _computed_bridges(bundled_store, date(2024, 7, 1))
    assert len(_results(bundled_store)) == 2  # one a validity, not one a day


def test_a_write_is_seen_though_results_were_kept(bundled_store: Store, tmp_path: Path) -> None:
    backend = EmbeddedBackend(bundled_store).at(date(2025, 6, 1))
    before = bridges(backend)
    assert CORNER not in before.labels
    _with_corners(bundled_store, tmp_path)
    after = bridges(backend)  # the same back end object, a new version of the store
    assert CORNER in after.labels
    assert after == _computed_bridges(bundled_store, date(2025, 6, 1))


def test_ingest_keeps_the_national_results(bundled_store: Store) -> None:
    backend = EmbeddedBackend(bundled_store)
    steps: list[str] = []
    keep_national(backend, steps.append)
    assert steps == ["keeping the rows of the national analyses", "keeping the national bridges",
                     "keeping the national load"]
    assert any("membership" in f.name for f in (bundled_store.derived_dir or Path()).glob("*.json"))
    assert len(_results(bundled_store)) == 2


def test_another_back_end_computes_every_time(bundled_store: Store) -> None:
    backend = QueryBackend(bundled_store)  # the one-query back end has no kept results
    assert bridges(backend) == bridges(backend)
    assert _results(bundled_store) == set()


def test_keep_command_reads_a_running_servers_store(bundled_store_dir: Path, tmp_path: Path) -> None:
    """After a write through the server, `yhdyspinta keep` (another process: the server holds the store)
    keeps the national rows and results of the new version beside the served store, and a national
    analysis run after it reads them rather than working them out."""
    import os
    import subprocess
    import sys

    import httpx
    from http_live import TOKEN, live_server

    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "YHDYSPINTA_HOME": str(home), "NO_COLOR": "1"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "yhdyspinta", *args], env=env, capture_output=True, text=True,
                              timeout=300, check=False)

    with live_server(home, store=bundled_store_dir) as server:
        r = httpx.put(f"{server.url}/graph-store", params={"graph": "https://w3id.org/yhdyspinta/graph/corners"},
                      content=CORNERS, headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"},
                      timeout=60)
        assert r.status_code in (200, 201, 204), r.text
        kept = cli("keep")
        assert kept.returncode == 0, kept.stderr
        version = kept.stderr.split("kept for version ", 1)[1].split()[0]
        files = {f.name for f in (home / "derived").glob("*.json")}
        assert any(f.startswith(version) and "-result-" in f for f in files)
        assert any(f.startswith(version) and "-membership-rows" in f for f in files)
        with Store(bundled_store_dir, read_only=True) as before:
            assert before.version() != version  # the files are those of the store as written by the server
        analysis = cli("bridges", "--format", "json")
        assert analysis.returncode == 0, analysis.stderr
        assert CORNER in analysis.stdout  # the corner network, written through the server, is in the kept result
        assert {f.name for f in (home / "derived").glob("*.json")} == files  # read, nothing new worked out


def test_what_other_code_kept_is_not_read(bundled_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files are named by the store's version and by a digest of the code that made them: after an
    upgrade (other code, the same store) the rows and results are worked out again, not read."""
    from yhdyspinta.graph.backends.embedded import scans

    folder = bundled_store.derived_dir
    assert folder is not None
    bridges(EmbeddedBackend(bundled_store))
    before = {f.name for f in folder.glob("*.json")}
    assert before and all(f.startswith(bundled_store.version()) for f in before)
    monkeypatch.setattr(scans, "code_digest", lambda *places: "othercode123")
    assert bridges(EmbeddedBackend(bundled_store)) == _computed_bridges(bundled_store, date.today())
    made = {f.name for f in folder.glob("*.json")} - before
    assert any("othercode123-result-" in f for f in made) and any("othercode123--membership-rows" in f for f in made)


def test_ingest_keeps_unless_told_not_to(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "YHDYSPINTA_HOME": str(tmp_path), "NO_COLOR": "1"}

    def ingest_cli(*args: str) -> None:
        run = subprocess.run([sys.executable, "-m", "yhdyspinta", "ingest", *args], env=env, capture_output=True,
                             text=True, timeout=600, check=False)
        assert run.returncode == 0, run.stderr

    ingest_cli("--no-keep")
    assert not list((tmp_path / "derived").glob("*.json"))
    ingest_cli("--force")  # written again: this time what the national analyses read is kept
    with Store(tmp_path / "store") as store:
        version = store.version()
    kept = [f.name for f in (tmp_path / "derived").glob("*.json")]
    assert sum(f.startswith(version) and "-result-" in f for f in kept) == 2
    assert any(f.startswith(version) and "-membership-rows" in f for f in kept)
