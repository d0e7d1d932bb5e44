"""Time: validity dates, as-of answers, changes between dates and versions,
the ingest history, and what is due in the council term."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from yhdyspinta.errors import NotFoundError, ValidationError
from yhdyspinta.graph.analyses.calendar import due_calendar, term_key
from yhdyspinta.graph.analyses.changes import changes_between, changes_in_source
from yhdyspinta.graph.analyses.gaps import NATIONAL_SCHEME, coverage_gaps
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend
from yhdyspinta.graph.regions import Region, resolve_region
from yhdyspinta.graph.store.store import Store
from yhdyspinta.ingest import ingest

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
    assert [t.label for t in report.terms] == ["Kuntien valtuustokausi 2021–2025", "Aluevaltuustojen toimikausi 2022–2025"]
    hyte = {d.start[:4]: d for d in report.items if d.item == "HYTE-neuvottelut"}
    # none in 2022: the yearly HYTE negotiations apply from 2023 (yhd:validFrom); none in 2025:
    # the terms end in May, before the yearly window opens
    assert set(hyte) == {"2023", "2024"}
    assert hyte["2023"].status == "held" and hyte["2023"].evidence == "meeting on record: 2023-09-15"
    assert hyte["2024"].status == "due" and hyte["2024"].evidence == "no meeting or standing practice on record"
    assert {d.law for d in hyte.values()} == {"Laki sosiaali- ja terveydenhuollon järjestämisestä (612/2021) 6 §, 7 §"}
    paragraph14 = [d for d in report.items if "14 §" in d.item]
    assert [(d.start, d.end, d.status) for d in paragraph14] == [("2022-03-01", "2025-05-31", "due")]
    assert paragraph14[0].law == "Laki hyvinvointialueesta (611/2021) 14 §"
    assert paragraph14[0].term == "kunta:2021-2025, hyvinvointialue:2022-2025"
    later = due_calendar(EmbeddedBackend(timeland), _timeland(timeland), today=date(2025, 7, 1),
                         term="Aluevaltuustojen toimikausi 2022–2025")
    assert [t.label for t in later.terms] == ["Aluevaltuustojen toimikausi 2022–2025"]
    assert [d.status for d in later.items if "14 §" in d.item] == ["overdue"]
    assert [d.status for d in later.items if d.item == "HYTE-neuvottelut"] == ["held", "overdue"]
    assert {d.status for d in later.items if d.kind == "milestone"} == {"past"}
    assert {d.term for d in later.items} == {"hyvinvointialue:2022-2025"}
    assert "Kuntastrategia" not in {d.item for d in later.items}  # the municipal councils' term is not asked


def test_calendar_terms_of_both_kinds(timeland: Store) -> None:
    backend, region = EmbeddedBackend(timeland), _timeland(timeland)

    def keys(term: str | None, today: date = date(2024, 10, 1)) -> list[str]:
        return [term_key(t) for t in due_calendar(backend, region, today=today, term=term).terms]

    assert keys(None) == ["kunta:2021-2025", "hyvinvointialue:2022-2025"]
    assert keys(None, date(2022, 1, 15)) == ["kunta:2021-2025"]  # before the county councils sat
    assert keys(None, date(2026, 1, 1)) == ["hyvinvointialue:2025-2029", "kunta:2025-2029"]
    assert keys("2021-2025") == keys("2022–2025") == ["kunta:2021-2025", "hyvinvointialue:2022-2025"]
    assert keys("2025-2029") == ["hyvinvointialue:2025-2029", "kunta:2025-2029"]
    assert keys("kunta:2021-2025") == ["kunta:2021-2025"]
    assert keys("hyvinvointialue:2025-2029") == ["hyvinvointialue:2025-2029"]
    assert keys("Kuntien valtuustokausi 2025–2029") == ["kunta:2025-2029"]
    with pytest.raises(NotFoundError, match="known terms: kunta:2021-2025, hyvinvointialue:2022-2025, "
                                            "hyvinvointialue:2025-2029, kunta:2025-2029"):
        keys("2020-2024")
    with pytest.raises(NotFoundError, match="no council term runs on 2020-01-01"):
        keys(None, date(2020, 1, 1))
    # on the municipal term alone, the steps of both kinds fall in that term, from August 2021
    municipal = due_calendar(backend, region, today=date(2024, 10, 1), term="kunta:2021-2025")
    budgets = [d.start for d in municipal.items if "talousarvio" in d.item]
    assert budgets == ["2021-08-01", "2022-06-01", "2023-06-01", "2024-06-01"]
    assert "Hyvinvointialuestrategia ja palvelustrategia" not in {d.item for d in municipal.items}


PRACTICES = """
@prefix yhd: <https://w3id.org/yhdyspinta/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix src: <https://w3id.org/yhdyspinta/source/> .
@prefix reg: <https://w3id.org/yhdyspinta/id/region/> .
@prefix neg: <https://w3id.org/yhdyspinta/id/negotiation/fi/> .
@prefix p: <https://w3id.org/yhdyspinta/id/negotiation/praxis/> .

src:test-practice a yhd:SourceDocument ; dcterms:title "tests/test_time.py" .
reg:praxis a yhd:Region ; yhd:slug "praxis" ; skos:notation "97" ; skos:prefLabel "Käytäntömaa"@fi ;
    dcterms:source src:test-practice .
# yearly in September, until the end of June 2024 (a dated record: the practice ended)
p:hyte a yhd:StatutoryNegotiation ; skos:prefLabel "HYTE (Käytäntömaa)"@fi ; yhd:inRegion reg:praxis ;
    yhd:negotiationType neg:hyte-neuvottelu ; yhd:permanence <https://w3id.org/yhdyspinta/permanence/standing> ;
    yhd:frequency <https://w3id.org/yhdyspinta/frequency/yearly> ; yhd:frequencyNote "syyskuussa"@fi ;
    yhd:practiceMonth 9 ; yhd:validUntil "2024-06-30"^^xsd:date ; yhd:sourceLines "l. 1" ;
    dcterms:source src:test-practice .
<https://w3id.org/yhdyspinta/id/meeting/praxis/hyte-2024> a yhd:Meeting ; skos:prefLabel "HYTE 2024"@fi ;
    yhd:meetingOf p:hyte ; dcterms:date "2024-11-20"^^xsd:date ; dcterms:source src:test-practice .
# yearly, month not stated, from 2023
p:kunta a yhd:StatutoryNegotiation ; skos:prefLabel "KUNTA (Käytäntömaa)"@fi ; yhd:inRegion reg:praxis ;
    yhd:negotiationType neg:kunta-hyvinvointialue-neuvottelu ;
    yhd:permanence <https://w3id.org/yhdyspinta/permanence/standing> ;
    yhd:frequency <https://w3id.org/yhdyspinta/frequency/yearly> ; yhd:validFrom "2023-01-01"^^xsd:date ;
    dcterms:source src:test-practice .
# planned only: no practice
p:planned a yhd:StatutoryNegotiation ; skos:prefLabel "Suunniteltu (Käytäntömaa)"@fi ; yhd:inRegion reg:praxis ;
    yhd:negotiationType neg:hyte-neuvottelu ; yhd:permanence <https://w3id.org/yhdyspinta/permanence/standing> ;
    yhd:frequency <https://w3id.org/yhdyspinta/frequency/yearly> ; yhd:practiceMonth 3 ;
    yhd:status <https://w3id.org/yhdyspinta/status/planned> ; dcterms:source src:test-practice .
"""


def test_a_standing_practice_counts_as_held_unless_a_dated_record_says_otherwise(
    bundled_store: Store, tmp_path: Path
) -> None:
    source = tmp_path / "praxis.ttl"
    source.write_text(PRACTICES, encoding="utf-8")
    ingest(bundled_store, [source])
    backend = EmbeddedBackend(bundled_store)
    region = resolve_region(backend, "praxis")

    def statuses(today: date) -> dict[tuple[str, str], tuple[str, str]]:
        report = due_calendar(backend, region, today=today, term="2021-2025")
        return {(d.item[:4], d.start[:4]): (d.status, d.evidence) for d in report.items if d.kind == "negotiation"}

    autumn = statuses(date(2024, 10, 1))
    practice = "standing practice on record: HYTE (Käytäntömaa): syyskuussa (tests/test_time.py l. 1)"
    assert autumn[("HYTE", "2023")] == ("held", f"{practice}; 2023-09")
    # the practice ended in June 2024: September 2024 does not count; the meeting is still to come
    assert autumn[("HYTE", "2024")] == ("due", "meeting scheduled: 2024-11-20")
    # no month: a whole calendar year of the practice within the term, ended
    kunta = "standing practice on record: KUNTA (Käytäntömaa): yearly (tests/test_time.py)"
    assert autumn[("Hyvi", "2022")] == ("held", f"{kunta}; 2023")
    assert statuses(date(2024, 12, 1))[("HYTE", "2024")] == ("held", "meeting on record: 2024-11-20")
    early = statuses(date(2023, 10, 1))
    assert early[("Hyvi", "2022")] == ("due", f"{kunta}; expected 2023")
    assert early[("HYTE", "2024")] == ("upcoming", "meeting scheduled: 2024-11-20")
