"""``Backend.per_municipality``: the "one per municipality" structures load and coverage need,
exactly those that ``structure_record`` marks, without building its rows for every region."""

from __future__ import annotations

from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend, QueryBackend
from yhdyspinta.graph.store.store import Store


def test_per_municipality_is_what_structure_record_marks(bundled_store: Store) -> None:
    for backend in (EmbeddedBackend(bundled_store), QueryBackend(bundled_store)):
        regions = [None, *(r.iri for r in backend.regions())]
        found = 0
        for region in regions:
            expected = sorted({r.structure for r in backend.structure_record(region) if r.per_municipality})
            assert backend.per_municipality(region) == expected, (type(backend).__name__, region)
            found += len(expected)
        assert found > 0  # the bundled data has such structures (Päijät-Häme, Keski-Pohjanmaa)
