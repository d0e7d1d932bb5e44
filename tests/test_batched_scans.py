"""A national analysis' batched block (ScanQueries.batched, graph/backends/embedded/scans.py).

Inside the block each scan is taken once for every region and a region's rows are picked from it
in Python; the answers must be the one-query versions' to the row, for every protocol method,
region and day, on the bundled data with the corners of tests/test_scans.py (dated members,
posts in units, ended members, two classes). The shapes give a structure one region at most.
Outside the block nothing is kept: a write is seen by the next call."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_neo4j_parity import DAYS, assert_methods_same, scheme_choices
from test_scans import CORNERS

from yhdyspinta.graph.analyses.national import national_matrix
from yhdyspinta.graph.analyses.viz import national_view
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend, QueryBackend
from yhdyspinta.graph.backends.protocol import batched
from yhdyspinta.graph.store.store import Store
from yhdyspinta.ingest import ingest


def _same_in_a_block(store: Store) -> int:
    calls = 0
    for day in (*DAYS, date(2024, 1, 1)):
        fast, reference = EmbeddedBackend(store).at(day), QueryBackend(store).at(day)
        with fast.batched():
            calls += assert_methods_same(reference, fast, reference.regions(), scheme_choices(reference))
            # asked twice in the block: the kept scans answer the same
            calls += assert_methods_same(reference, fast, reference.regions()[:3], scheme_choices(reference))
    return calls


def test_a_block_answers_as_the_queries(bundled_store: Store, tmp_path: Path) -> None:
    source = tmp_path / "corners.ttl"
    source.write_text(CORNERS, encoding="utf-8")
    ingest(bundled_store, [source])
    assert _same_in_a_block(bundled_store) > 100


def test_national_analyses_are_the_same_with_and_without_the_block(bundled_store: Store) -> None:
    fast = EmbeddedBackend(bundled_store)
    plain = QueryBackend(bundled_store)  # has no block: batched() is no block at all
    assert national_matrix(fast).to_json() == national_matrix(plain).to_json()
    assert national_view(fast).to_json() == national_view(plain).to_json()
    with batched(plain):
        assert national_matrix(plain).to_json() == national_matrix(fast).to_json()


def test_nothing_is_kept_outside_the_block(bundled_store: Store, tmp_path: Path) -> None:
    fast = EmbeddedBackend(bundled_store)
    ph = "https://w3id.org/yhdyspinta/id/region/paijat-hame"
    with fast.batched():
        before = {s.iri for s in fast.structures(ph)}
    source = tmp_path / "corners.ttl"
    source.write_text(CORNERS, encoding="utf-8")
    ingest(bundled_store, [source])
    after = {s.iri for s in fast.structures(ph)}
    assert "https://w3id.org/yhdyspinta/id/network/corners/two-regions" in after - before
    with fast.batched():
        assert {s.iri for s in fast.structures(ph)} == after


def test_the_national_matrix_reads_what_every_region_shares_once(bundled_store: Store,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Theme links, theme schemes and themes do not depend on the region: one read each for the
    whole matrix, not one per region (they were a quarter of its time at 486,000 quads)."""
    from yhdyspinta.graph.backends.embedded import backend as module
    from yhdyspinta.graph.store.sparql import load_query

    shared = {name: load_query(module.__name__, name) for name in ("theme_links", "theme_schemes")}
    seen: list[str] = []
    select = Store.select

    def counting(self: Store, sparql: str, *args: object, **kwargs: object) -> list[dict[str, object]]:
        seen.extend(name for name, text in shared.items() if sparql == text)
        return select(self, sparql, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "select", counting)
    matrix = national_matrix(EmbeddedBackend(bundled_store))
    assert len(matrix.regions) > 1
    assert sorted(seen) == ["theme_links", "theme_schemes"]
