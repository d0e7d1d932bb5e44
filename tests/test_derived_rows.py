"""Rows kept beside the store by its version (graph/backends/embedded/derived.py).

The national scans are kept on disk under the store's version (a digest of the source
records); a write changes the version, so kept rows of an older store are never read. The
rows read back give the one-query versions' answers on every day (the day's filter is applied
on reading), and a damaged, missing or unwritable file only costs the time to make them again."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from test_neo4j_parity import assert_methods_same, scheme_choices
from test_scans import CORNERS

from yhdyspinta.graph.backends.embedded import derived
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend, QueryBackend
from yhdyspinta.graph.store.store import Store
from yhdyspinta.ingest import ingest

CORNER = "https://w3id.org/yhdyspinta/id/network/corners/two-regions"


def _files(store: Store) -> list[Path]:
    folder = store.derived_dir
    assert folder is not None
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def test_the_version_changes_on_every_write_and_on_no_read(bundled_store: Store, tmp_path: Path) -> None:
    first = bundled_store.version()
    EmbeddedBackend(bundled_store).memberships()
    assert bundled_store.version() == first
    source = tmp_path / "corners.ttl"
    source.write_text(CORNERS, encoding="utf-8")
    ingest(bundled_store, [source])
    second = bundled_store.version()
    assert second != first
    graph = next(r.graph for r in bundled_store.sources() if r.path.endswith("corners.ttl"))
    bundled_store.remove_graphs([graph])
    # the records are those of the first store again, and so is the data: the version names content
    assert bundled_store.version() == first


@pytest.mark.parametrize("day", [date(2024, 1, 1), date(2024, 7, 1), date(2025, 6, 1)], ids=str)
def test_kept_rows_answer_as_the_queries_on_every_day(bundled_store: Store, tmp_path: Path, day: date) -> None:
    source = tmp_path / "corners.ttl"
    source.write_text(CORNERS, encoding="utf-8")
    ingest(bundled_store, [source])
    EmbeddedBackend(bundled_store).at(date(2030, 1, 1)).memberships()  # kept on another day
    kept = _files(bundled_store)
    assert any("membership" in f.name for f in kept)
    fast, reference = EmbeddedBackend(bundled_store).at(day), QueryBackend(bundled_store).at(day)
    assert assert_methods_same(reference, fast, reference.regions(), scheme_choices(reference))
    assert _files(bundled_store) == kept or set(kept) <= set(_files(bundled_store))


def test_a_write_is_seen_though_rows_were_kept(bundled_store: Store, tmp_path: Path) -> None:
    backend = EmbeddedBackend(bundled_store)
    before = backend.memberships()
    assert CORNER not in {m.structure for m in before}
    source = tmp_path / "corners.ttl"
    source.write_text(CORNERS, encoding="utf-8")
    ingest(bundled_store, [source])
    after = backend.memberships()  # the same back end object, a new version of the store
    assert CORNER in {m.structure for m in after}
    assert after == QueryBackend(bundled_store).memberships()


def test_a_damaged_file_is_made_again(bundled_store: Store) -> None:
    backend = EmbeddedBackend(bundled_store)
    expected = backend.memberships()
    for f in _files(bundled_store):
        f.write_text('{"not": "rows"' if "membership" in f.name else "", encoding="utf-8")
    assert backend.memberships() == expected
    rows = json.loads(next(f for f in _files(bundled_store) if "membership" in f.name).read_text())
    assert isinstance(rows, list) and len(rows) >= len(expected)


def test_a_file_that_cannot_be_written_costs_only_time(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("", encoding="utf-8")
    assert derived.kept_rows(blocked, "v1", "rows", lambda: [[1, "a"]]) == [[1, "a"]]
    assert derived.kept_rows(None, "v1", "rows", lambda: [[2]]) == [[2]]


def test_only_the_newest_versions_are_kept(tmp_path: Path) -> None:
    for i in range(derived.KEEP + 2):
        for key in ("a", "b"):
            derived.kept_rows(tmp_path, f"version{i}", key, lambda: [])
        for f in tmp_path.glob(f"version{i}-*"):
            os.utime(f, ns=(i * 10**9, i * 10**9))
    derived.kept_rows(tmp_path, f"version{derived.KEEP + 1}", "c", lambda: [])
    versions = {f.name.split("-", 1)[0] for f in tmp_path.glob("*.json")}
    assert versions == {f"version{i}" for i in range(2, derived.KEEP + 2)}
    assert not list(tmp_path.glob(".derived-*"))  # no temporary file left


def test_a_kept_file_is_read_not_made(tmp_path: Path) -> None:
    calls: list[int] = []
    def make() -> list[list[str]]:
        calls.append(1)
        return [["s", "m"]]
    assert derived.kept_rows(tmp_path, "v", "k", make) == [["s", "m"]]
    assert derived.kept_rows(tmp_path, "v", "k", make) == [["s", "m"]]
    assert derived.kept_rows(tmp_path, "w", "k", make) == [["s", "m"]]
    assert len(calls) == 2  # once per version
