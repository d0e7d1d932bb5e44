"""Time: validity dates, as-of answers, changes between dates and versions,
the ingest history, and what is due in the council term."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from yhdyspinta.graph.analyses.calendar import due_calendar
from yhdyspinta.graph.analyses.changes import changes_between, changes_in_source
from yhdyspinta.graph.analyses.gaps import NATIONAL_SCHEME, coverage_gaps
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend
from yhdyspinta.graph.regions import Region, resolve_region
from yhdyspinta.graph.store.store import Store
from yhdyspinta.ingest import ingest

from yhdyspinta.errors import ValidationError

DATA = Path(__file__).parent / "data"
ID = "https://w3id.org/yhdyspinta/id/"
TH = "https://w3id.org/yhdyspinta/theme/national/"


def _timeland(store: Store) -> Region:
    return resolve_region(EmbeddedBackend(store), "timeland")


@pytest.fixture
def timeland(bundled_store: Store) -> Store:
    """The bundled data (for the law and the planning cycle) and the hand-made history."""
    ingest(bundled_store, [DATA / "history_handmade.ttl"])
    return bundled_store


def _structures(store: Store, day: date) -> set[str]:
    return {s.label for s in EmbeddedBackend(store, as_of=day).structures(ID + "region/timeland")}


def test_as_of_answers_as_the_graph_stood(timeland: Store) -> None:
    assert _structures(timeland, date(2022, 6, 1)) == {"Vanha verkosto", "Foorumi", "HYTE-neuvottelut (Aikamaa)"}
    assert _structures(timeland, date(2024, 6, 1)) == {"Uusi verkosto", "Foorumi", "HYTE-neuvottelut (Aikamaa)"}
    members = lambda d: {m.label for m in EmbeddedBackend(timeland, as_of=d).memberships(ID + "region/timeland")}  # noqa: E731
    assert members(date(2023, 1, 1)) == {"Eka"}
    assert members(date(2024, 6, 1)) == {"Toka"}
    municipalities = lambda d: [m.label for m in EmbeddedBackend(timeland, as_of=d).municipalities(ID + "region/timeland")]  # noqa: E731
    assert sorted(municipalities(date(2023, 6, 1))) == ["Eka", "Kolmas", "Toka"]
    assert sorted(municipalities(date(2024, 6, 1))) == ["Eka", "Toka"]
    gaps_2022 = {t.theme for t in coverage_gaps(EmbeddedBackend(timeland, as_of=date(2022, 6, 1)), _timeland(timeland),
                                                schemes=[NATIONAL_SCHEME]).gaps}
    gaps_2024 = {t.theme for t in coverage_gaps(EmbeddedBackend(timeland, as_of=date(2024, 6, 1)), _timeland(timeland),
                                                schemes=[NATIONAL_SCHEME]).gaps}
    assert TH + "tyollisyys" not in gaps_2022 and TH + "tyollisyys" in gaps_2024


def test_changes_between_two_dates(timeland: Store) -> None:
    report = changes_between(lambda d: EmbeddedBackend(timeland, as_of=d), _timeland(timeland), date(2023, 1, 1), date(2024, 6, 1))
    got = {(c.kind, c.label, c.detail) for c in report.changes}
    assert ("structure-appeared", "Uusi verkosto", "network") in got
    assert ("structure-ended", "Vanha verkosto", "network") in got
    assert ("member-joined", "Toka", "Foorumi") in got
    assert ("member-left", "Eka", "Foorumi") in got
    lost = {c.subject for c in report.changes if c.kind == "theme-lost-coverage"}
    assert TH + "tyollisyys" in lost
    assert TH + "hyte" not in lost


def test_the_municipal_merger_of_the_reference_data(bundled_store: Store) -> None:
    def etela_savo(day: date) -> set[str]:
        return {m.label for m in EmbeddedBackend(bundled_store, as_of=day).municipalities(ID + "region/etela-savo")}

    assert "Pertunmaa" in etela_savo(date(2024, 6, 1))
    assert "Pertunmaa" not in etela_savo(date(2025, 1, 1))


def test_validity_dates_are_validated(bundled_store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text((DATA / "history_handmade.ttl").read_text().replace(
        'yhd:validFrom "2024-05-01"^^xsd:date', 'yhd:validFrom "2024-05-01"^^xsd:date ; yhd:validUntil "2020-01-01"^^xsd:date'))
    with pytest.raises(ValidationError, match="not after yhd:validUntil"):
        ingest(bundled_store, [bad])


def test_history_records_every_write_and_versions_diff(bundled_store: Store, tmp_path: Path) -> None:
    base_store = bundled_store
    src = tmp_path / "timeland.ttl"
    shutil.copy(DATA / "history_handmade.ttl", src)
    ingest(base_store, [src])
    src.write_text(src.read_text().replace('"Uusi verkosto"@fi', '"Uudistettu verkosto"@fi')
                   .replace("org:hasMember mun:951, mun:952", "org:hasMember mun:952"))
    ingest(base_store, [src])
    graph = next(r.graph for r in base_store.sources() if r.path == str(src.resolve()))
    events = base_store.history(graph)
    assert [(e.added, e.removed) for e in events] == [(63, 0), (1, 2)]
    assert events[0].at < events[1].at
    versions = base_store.versions(graph)
    assert len(versions) == 2
    report = changes_in_source(versions)
    changed = {c.label: c.detail for c in report.changes if c.kind == "entity-changed"}
    assert "Uudistettu verkosto" in changed and "prefLabel" in changed["Uudistettu verkosto"]
    assert "Foorumi" in changed and "hasMember" in changed["Foorumi"]
    base_store.remove_graphs([graph])
    assert base_store.history(graph)[-1].removed == 62


def test_calendar_held_due_and_overdue(timeland: Store) -> None:
    report = due_calendar(EmbeddedBackend(timeland), _timeland(timeland), today=date(2024, 10, 1))
    assert report.term.label == "Aluevaltuustojen toimikausi 2022–2025"
    hyte = {d.start[:4]: d for d in report.items if d.item == "HYTE-neuvottelut"}
    assert hyte["2023"].status == "held" and hyte["2023"].evidence == "2023-09-15"
    assert hyte["2022"].status == "overdue"
    assert hyte["2024"].status == "due"
    assert "2025" not in hyte  # the term ends in May, before the yearly window opens
    paragraph14 = [d for d in report.items if "14 §" in d.item]
    assert [d.status for d in paragraph14] == ["due"]
    later = due_calendar(EmbeddedBackend(timeland), _timeland(timeland), today=date(2025, 7, 1),
                         term="Aluevaltuustojen toimikausi 2022–2025")
    assert [d.status for d in later.items if "14 §" in d.item] == ["overdue"]
    assert {d.status for d in later.items if d.kind == "milestone"} == {"past"}
