"""The calendar says what the seeds say: the planning cycle of 004 on the council terms, the
standing practice of 003, the law as 004 cites it.

The slide "1. Valtuustokausi: strateginen yhteistyö" (004 l. 825-924) was read by hand; the
tables below are that reading, each step with the years the calendar must give it and the seed
lines that draw it (quoted: the test holds the seed to the quotes, so a table that cites the
wrong line fails). How the slide is read is written in data/national/planning-cycle.ttl and the
rule in docs/analyses.md ("calendar"). The seed texts are read from shared/seeds/ beside the
project (or $YHDYSPINTA_SEEDS).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from http_live import served_copy
from seeds import SEED_003, SEED_004, seeds_dir

from yhdyspinta.graph.analyses.calendar import CalendarReport, due_calendar
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend
from yhdyspinta.graph.backends.protocol import Backend
from yhdyspinta.graph.regions import resolve_region
from yhdyspinta.graph.store.store import Store

#: A fixed day to judge on (the tests must not depend on the clock): in the 2025-2029 terms.
TODAY = date(2026, 11, 24)
REGIONS = ("etela-karjala", "paijat-hame", "keski-pohjanmaa", "lappi")

LAW_14 = "Laki hyvinvointialueesta (611/2021) 14 §"
LAW_HYTE = "Laki sosiaali- ja terveydenhuollon järjestämisestä (612/2021) 6 §, 7 §"

INPUTS = "Syötteet valtionohjaukseen; strategisten tavoitteiden arviointi; kunnan ja hyvinvointialueen tilinpäätös"
BUDGET = "Strategioiden konkretisointi; kunnan ja hyvinvointialueen talousarvio"
PARAGRAPH_14 = "Hyvinvointialuelain 14 §:n mukaiset neuvottelut"
WHOLE = "the whole term"



def _lines(name: str) -> list[str]:
    return (seeds_dir() / name).read_text(encoding="utf-8").splitlines()


# The first council term, `--term 2021-2025`: the municipal councils' 2021-2025 and the county
# councils' 2022-2025 (both end on 31 May 2025). (step, the years of its windows or WHOLE,
# {line of 004: its text}).
FIRST_TERM = [
    # "6-12/2021 ... Kuntastrategia": the first year of the municipal councils' term
    ("Kuntastrategia", [2021], {899: "6-12/2021", 905: "Kuntastrategia"}),
    # "6-12/2021 ... Kuntien hyvinvointi-suunnitelma"
    ("Kuntien hyvinvointisuunnitelma", [2021], {899: "6-12/2021", 901: "Kuntien", 902: "hyvinvointi-",
                                               903: "suunnitelma"}),
    # in the band under the columns, no half-year: the first year of the county councils' term
    ("Hyvinvointialuestrategia ja palvelustrategia", [2022], {907: "Hyvinvointialuestrategia",
                                                              908: "ja palvelustrategia"}),
    # "6-12/2022 ... Alueen hyvinvointi-suunnitelma"
    ("Alueen hyvinvointisuunnitelma", [2022], {837: "6-12/2022", 843: "Alueen", 844: "hyvinvointi-",
                                              845: "suunnitelma"}),
    # "2-6/2022", "1-6/2023", "1-6/2024": "Syötteet valtion-ohjaukseen ... kunta & HVA tilinpäätös"; the
    # spring of 2025, to the end of the terms (31 May), is the same yearly step: the "2025" column
    # names only the change of strategy, and the yearly steps go on every year
    (INPUTS, [2022, 2023, 2024, 2025], {826: "2-6/2022", 834: "kunta & HVA", 835: "tilinpäätös",
                                        847: "1-6/2023", 856: "tilinpäätös", 867: "1-6/2024", 876: "tilinpäätös"}),
    # "6-12/2022", "6-12/2023", "6-12/2024": "Strategioiden konkretisointi, kunta & HVA talousarvio"
    (BUDGET, [2022, 2023, 2024], {837: "6-12/2022", 841: "talousarvio", 858: "6-12/2023", 865: "talousarvio",
                                  878: "6-12/2024", 885: "talousarvio"}),
    # "6-12/2023 HYTE-neuvottelut", "6-12/2024 HYTE-neuvottelut" (none in 2022)
    ("HYTE-neuvottelut", [2023, 2024], {858: "6-12/2023", 859: "HYTE-", 860: "neuvottelut",
                                        878: "6-12/2024", 879: "HYTE-", 880: "neuvottelut"}),
    # "6-12/2024 ... Kuntien hv-kertomukset": the year before the term ends
    ("Kuntien hyvinvointikertomukset", [2024], {878: "6-12/2024", 887: "Kuntien hv-", 888: "kertomukset"}),
    # "6-12/2024 ... Alueellinen hv-kertomus"
    ("Alueellinen hyvinvointikertomus", [2024], {878: "6-12/2024", 890: "Alueellinen", 891: "hv-kertomus"}),
    # "2025 Edellisen strategian arviointi ja uuden suunnittelu": the year the term ends
    ("Edellisen strategian arviointi ja uuden suunnittelu", [2025], {893: "2025", 894: "Edellisen",
                                                                     895: "strategian arviointi", 896: "ja uuden",
                                                                     897: "suunnittelu"}),
    # in the band, no year: 611/2021 14 § asks "vähintään kerran valtuustokaudessa" (l. 782-783)
    (PARAGRAPH_14, WHOLE, {912: "Hyvinvointialuelain 14§ mukaiset", 913: "neuvottelut",
                           782: "• Laissa hyvinvointialueesta (611/2021) 14 § säädetään",
                           783: "vähintään kerran valtuustokaudessa pidettävistä kunnan ja"}),
    # in the band, no year
    ("Strategioiden väliarviointi", WHOLE, {915: "Strategioiden", 916: "väliarviointi"}),
]

# The next council term, `--term 2025-2029`: 004 draws its start in the "2025" column, after the
# first term's end: both strategies and the 14 § negotiations (l. 918-924). The other steps are
# where the same rule puts them (the same year of the term, counted from its start or its end,
# as in the first term), cited with the first term's lines.
NEXT_TERM = [
    # "2025 ... Kuntastrategia" (the first year of the new term)
    ("Kuntastrategia", [2025], {893: "2025", 921: "Kuntastrategia"}),
    # "2025 ... Hyvinvointialuestrategia ja palvelustrategia"
    ("Hyvinvointialuestrategia ja palvelustrategia", [2025], {893: "2025", 918: "Hyvinvointialuestrategia",
                                                              919: "ja palvelustrategia"}),
    # "Hyvinvointialuelain 14§ mukaiset neuvottelut" after the new strategies
    (PARAGRAPH_14, WHOLE, {923: "Hyvinvointialuelain 14§", 924: "mukaiset neuvottelut"}),
    # by the rule: the first year
    ("Kuntien hyvinvointisuunnitelma", [2025], {899: "6-12/2021", 903: "suunnitelma"}),
    ("Alueen hyvinvointisuunnitelma", [2025], {837: "6-12/2022", 845: "suunnitelma"}),
    # by the rule: every year, the first half from June 2025 when the terms begin
    (INPUTS, [2025, 2026, 2027, 2028, 2029], {847: "1-6/2023"}),
    (BUDGET, [2025, 2026, 2027, 2028], {858: "6-12/2023"}),
    ("HYTE-neuvottelut", [2025, 2026, 2027, 2028], {858: "6-12/2023", 859: "HYTE-"}),
    # by the rule: the year before the term ends, and the year it ends
    ("Kuntien hyvinvointikertomukset", [2028], {887: "Kuntien hv-"}),
    ("Alueellinen hyvinvointikertomus", [2028], {890: "Alueellinen"}),
    ("Edellisen strategian arviointi ja uuden suunnittelu", [2029], {893: "2025", 894: "Edellisen"}),
    ("Strategioiden väliarviointi", WHOLE, {916: "väliarviointi"}),
]

#: (term, its first and last day as the calendar of both kinds places steps of both)
SPANS = {"2021-2025": ("2022-03-01", "2025-05-31"), "2025-2029": ("2025-06-01", "2029-05-31")}


def _calendar(backend: Backend, slug: str, term: str | None, today: date = TODAY) -> CalendarReport:
    return due_calendar(backend, resolve_region(backend, slug), today=today, term=term)


@pytest.fixture
def embedded(bundled_store: Store) -> EmbeddedBackend:
    return EmbeddedBackend(bundled_store)


def test_the_tables_quote_the_seed() -> None:
    seed = _lines(SEED_004)
    for table in (FIRST_TERM, NEXT_TERM):
        for item, _years, quotes in table:
            for number, text in quotes.items():
                assert seed[number - 1].strip() == text, (item, number)


@pytest.mark.parametrize(("term", "table"), [("2021-2025", FIRST_TERM), ("2025-2029", NEXT_TERM)])
def test_the_years_of_the_cycle_are_those_of_004(embedded: EmbeddedBackend, term: str,
                                                 table: list[tuple[str, object, dict[int, str]]]) -> None:
    report = _calendar(embedded, "paijat-hame", term)
    assert {d.item for d in report.items} == {item for item, _y, _q in table}
    for item, years, _quotes in table:
        windows = [(d.start, d.end) for d in report.items if d.item == item]
        if years == WHOLE:
            assert windows == [SPANS[term]], item
        else:
            assert [int(start[:4]) for start, _end in windows] == years, item
            assert all(start[:4] == end[:4] for start, end in windows), item


def test_each_step_is_on_its_councils_term(embedded: EmbeddedBackend) -> None:
    report = _calendar(embedded, "paijat-hame", "2021-2025")
    term = {d.item: d.term for d in report.items}
    assert term["Kuntastrategia"] == "kunta:2021-2025"
    assert term["Hyvinvointialuestrategia ja palvelustrategia"] == "hyvinvointialue:2022-2025"
    assert term[BUDGET] == term[PARAGRAPH_14] == "kunta:2021-2025, hyvinvointialue:2022-2025"
    # the municipal strategy begins with the municipal councils' term (1.8.2021), cut to it
    assert [(d.start, d.end) for d in report.items if d.item == "Kuntastrategia"] == [("2021-08-01", "2021-12-31")]


def test_every_step_cites_its_source_lines(embedded: EmbeddedBackend) -> None:
    seed = _lines(SEED_004)
    for term in SPANS:
        for d in _calendar(embedded, "paijat-hame", term).items:
            assert d.source.startswith(f"{SEED_004} l. "), d
            cited = re.sub(r"\([^)]*\)", "", d.source.removeprefix(SEED_004))  # "(612/2021 6-7 §)" is no line
            assert re.fullmatch(r"( l\. \d+(-\d+)?(, \d+(-\d+)?)* ?;?)+", cited), d.source
            for first, last in re.findall(r"(\d+)(?:-(\d+))?", cited):
                for number in (int(first), int(last or first)):
                    assert seed[number - 1].strip(), (d.item, number)


def test_every_statutory_item_cites_its_law_as_004_does(embedded: EmbeddedBackend) -> None:
    seed = " ".join(line.strip() for line in _lines(SEED_004))
    # 004 l. 782 and l. 787-788 / 809
    assert "Laissa hyvinvointialueesta (611/2021) 14 §" in seed
    assert "(612/2021) 6 ja 7 §" in seed and "järjestämisestä (612/2021) 6 ja 7 §:t" in seed
    expected = {PARAGRAPH_14: LAW_14, "HYTE-neuvottelut": LAW_HYTE}
    for slug in REGIONS:
        for term in (None, *SPANS):
            negotiations = [d for d in _calendar(embedded, slug, term).items if d.kind == "negotiation"]
            assert negotiations
            for d in negotiations:
                assert d.law == expected[d.item], (slug, term, d)
            assert all(d.law == "" for d in _calendar(embedded, slug, term).items if d.kind == "milestone")


# 003 l. 152-157, Etelä-Karjala: "Yhteistyöneuvottelut: KUNTA-neuvottelut 1 krt vuosi (toukokuu)",
# "Hyte-neuvottelut: HYTE-neuvottelut 1 krt vuosi (syyskuu), osallistujina kuntien hyte-ryhmät, järjestöt"
EK_003 = {152: "**Yhteistyöneuvottelut:** KUNTA-", 153: "neuvottelut 1 krt vuosi (toukokuu)",
          155: "**Hyte-neuvottelut:** HYTE-neuvottelut", 156: "1 krt vuosi (syyskuu), osallistujina"}
HYTE_PRACTICE = ("standing practice on record: HYTE-neuvottelut (Etelä-Karjala): 1 krt vuosi (syyskuu) "
                 f"({SEED_003} l. 155-157)")
KUNTA_PRACTICE = ("standing practice on record: KUNTA-neuvottelut (Etelä-Karjala): 1 krt vuosi (toukokuu) "
                  f"({SEED_003} l. 152-153)")


def test_etela_karjalas_yearly_negotiations_are_held_as_003_states(embedded: EmbeddedBackend) -> None:
    seed = _lines(SEED_003)
    for number, text in EK_003.items():
        assert seed[number - 1].strip() == text
    first = _calendar(embedded, "etela-karjala", "2021-2025")
    hyte = {d.start[:4]: (d.status, d.evidence) for d in first.items if d.item == "HYTE-neuvottelut"}
    assert hyte == {"2023": ("held", f"{HYTE_PRACTICE}; 2023-09"), "2024": ("held", f"{HYTE_PRACTICE}; 2024-09")}
    # 611/2021 14 §: once per term; the yearly May negotiations, from the first May of the term
    assert [(d.status, d.evidence) for d in first.items if d.item == PARAGRAPH_14] == [
        ("held", f"{KUNTA_PRACTICE}; 2022-05")]
    assert not [d for d in first.items if d.status == "overdue"]

    nxt = _calendar(embedded, "etela-karjala", "2025-2029")
    hyte = {d.start[:4]: (d.status, d.evidence) for d in nxt.items if d.item == "HYTE-neuvottelut"}
    assert hyte == {
        "2025": ("held", f"{HYTE_PRACTICE}; 2025-09"),
        "2026": ("held", f"{HYTE_PRACTICE}; 2026-09"),
        "2027": ("upcoming", f"{HYTE_PRACTICE}; expected 2027-09"),
        "2028": ("upcoming", f"{HYTE_PRACTICE}; expected 2028-09"),
    }
    assert [(d.status, d.evidence) for d in nxt.items if d.item == PARAGRAPH_14] == [
        ("held", f"{KUNTA_PRACTICE}; 2026-05")]
    # before September, this year's is due, on the practice's word
    summer = _calendar(embedded, "etela-karjala", None, date(2026, 7, 1))
    assert [(d.status, d.evidence) for d in summer.items if d.item == "HYTE-neuvottelut" and d.start[:4] == "2026"] == [
        ("due", f"{HYTE_PRACTICE}; expected 2026-09")]


def test_without_a_record_the_yearly_negotiation_is_overdue(embedded: EmbeddedBackend) -> None:
    """Päijät-Häme: 004 records no HYTE negotiations of its own, so nothing shows them held."""
    first = _calendar(embedded, "paijat-hame", "2021-2025")
    assert {(d.item, d.start[:4], d.status, d.evidence) for d in first.items if d.kind == "negotiation"} == {
        ("HYTE-neuvottelut", "2023", "overdue", "no meeting or standing practice on record"),
        ("HYTE-neuvottelut", "2024", "overdue", "no meeting or standing practice on record"),
        (PARAGRAPH_14, "2022", "overdue", "no meeting or standing practice on record"),
    }


@pytest.fixture
def client(bundled_store_dir: Path, tmp_path: Path) -> Iterator[httpx.Client]:
    with served_copy(bundled_store_dir, tmp_path / "home", query_workers=1) as c:
        yield c


def test_over_http_with_the_law_column_and_both_kinds_of_term(client: httpx.Client) -> None:
    url = "/api/regions/etela-karjala/calendar"
    data = client.get(url, params={"term": "kunta:2021-2025", "today": "2026-11-24"}).json()
    assert [t["key"] for t in data["terms"]] == ["kunta:2021-2025"]
    assert {i["law"] for i in data["items"] if i["kind"] == "negotiation"} == {LAW_14, LAW_HYTE}
    both = client.get(url, params={"term": "2021-2025", "today": "2026-11-24", "format": "csv"})
    assert both.status_code == 200
    header = both.text.splitlines()[0]
    assert header == "start,end,item,kind,term,status,evidence,law,source"
    assert f"{LAW_14}" in both.text and "hyvinvointialue:2022-2025" in both.text
    county = client.get(url, params={"term": "hyvinvointialue:2025-2029", "today": "2026-11-24"}).json()
    assert [t["key"] for t in county["terms"]] == ["hyvinvointialue:2025-2029"]
    missing = client.get(url, params={"term": "2019-2023"})
    assert missing.status_code == 404
    assert "kunta:2021-2025, hyvinvointialue:2022-2025, hyvinvointialue:2025-2029, kunta:2025-2029" in missing.text


@pytest.mark.neo4j
def test_the_same_on_neo4j(bundled_store: Store, neo4j_clean: object) -> None:
    from yhdyspinta.graph.backends.neo4j.backend import Neo4jBackend
    from yhdyspinta.graph.backends.neo4j.connect import Target
    from yhdyspinta.graph.sync.sync import sync

    assert isinstance(neo4j_clean, Target)
    sync(bundled_store, neo4j_clean)
    embedded, neo = EmbeddedBackend(bundled_store), Neo4jBackend(neo4j_clean)
    for slug in REGIONS:
        for term in (None, "2021-2025", "2025-2029", "kunta:2021-2025", "hyvinvointialue:2022-2025"):
            a, b = _calendar(embedded, slug, term), _calendar(neo, slug, term)
            assert b == a, (slug, term)
            assert b.rows() == a.rows()
    ek = _calendar(neo, "etela-karjala", "2021-2025")
    assert [d.status for d in ek.items if d.item == "HYTE-neuvottelut"] == ["held", "held"]
    assert all(d.law for d in ek.items if d.kind == "negotiation")
