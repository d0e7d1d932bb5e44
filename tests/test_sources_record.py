"""What is on record, held to the seed documents: the answers an analyst must be able to defend.

- Lappi's pilot quorum (000-002): three municipal decisions on record (Kemi and Ranua dated, with
  section and record number; Kemijärvi's without a date), eleven needed, eighteen municipalities
  with no decision on record: never "not committed".
- Päijät-Häme (004): every municipality present on "Ehkäisevä työ" and "Arjen turvallisuuden
  edistäminen", where the list names each municipality's own networks of a kind.
- ``gaps --explain`` for "HYTE yleisesti" lists the four networks under that heading in 004, each with
  its reason; a national theme covered through a regional heading shows the mapping.
- Load: a municipality with nothing on record is not ranked; the ranking says what is on record.

The seed texts are read from shared/seeds/ beside the project (or $YHDYSPINTA_SEEDS). The same
answers on Neo4j: the test marked ``neo4j`` at the end.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from seeds import flat, seed_text
from typer.testing import CliRunner

from yhdyspinta.graph.analyses.coverage import coverage_detail
from yhdyspinta.graph.analyses.gaps import coverage_gaps
from yhdyspinta.graph.analyses.load import load
from yhdyspinta.graph.analyses.quorum import quorum
from yhdyspinta.graph.analyses.record import (
    ThemeExplanation,
    ThemeGraph,
    default_schemes,
    explain,
    resolve_theme,
    short,
)
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend
from yhdyspinta.graph.backends.protocol import Backend
from yhdyspinta.graph.regions import resolve_region
from yhdyspinta.graph.store.store import Store

ID = "https://w3id.org/yhdyspinta/id/"
GROUP = "https://w3id.org/yhdyspinta/theme/paijat-hame/group/"
NATIONAL = "https://w3id.org/yhdyspinta/theme/national/"
#: The day the 004 network list was presented (28.9.2022, 004 l. 1423): the list as it stood.
LIST_DAY = date(2022, 9, 28)


# -- the seeds ---------------------------------------------------------------------------------





def _norm(text: str) -> str:
    """For comparing names: no whitespace, hyphens or dashes (the extraction splits words), case folded."""
    return re.sub(r"[\s\-\u00ad\u2010-\u2015]+", "", text).casefold()


def _bullets(heading: str, next_heading: str) -> list[str]:
    """The bullets under ``heading`` of 004's network list, up to ``next_heading``."""
    text = flat(seed_text("004_664281610daadb27.txt"))
    start = text.index("Päijät-Hämeen yhdyspinnoilla toimivat verkostot (täydentyy)")
    section = text[text.index(heading, start) + len(heading):]
    section = section[:section.index(next_heading)]
    return [b.strip() for b in section.split("•") if b.strip()]


# -- the stores --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def store(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path = tmp_path_factory.mktemp("record") / "store"
    shutil.copytree(bundled_store_dir, path)
    opened = Store(path)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def backend(store: Store) -> EmbeddedBackend:
    return EmbeddedBackend(store)


def _explain(backend: Backend, slug: str, theme: str, day: date | None = None) -> ThemeExplanation:
    region = resolve_region(backend, slug)
    at = backend.at(day)
    return explain(at, region, resolve_theme(at, theme, prefer=default_schemes(at, region)), day=day)


# -- Lappi: the pilot quorum --------------------------------------------------------------------


def check_lappi_quorum(backend: Backend) -> None:
    """The answer the seeds give: 3 decisions on record of 21 municipalities, 11 needed."""
    [pilot] = quorum(backend, resolve_region(backend, "lappi")).pilots
    assert pilot.on_record == "3 of 21 on record, 11 needed"
    assert (pilot.municipalities, pilot.needed, pilot.municipal_commitments) == (21, 11, 3)
    decisions = [(c.committer_label, c.date, c.section, c.record, c.kind) for c in pilot.committed]
    assert decisions == [
        ("Kemi", "2023-12-11", "409", "672/00.04.01/2023", "decision"),
        ("Ranua", "2023-12-11", "233", "948/00.01.02/2022", "decision"),
        ("Kemijärvi", None, None, None, "noted"),
    ]
    assert len(pilot.missing) == 18 and not {"Kemi", "Ranua", "Kemijärvi"} & {m.label for m in pilot.missing}
    assert pilot.met is False and not pilot.welfare_area_committed  # 000: the welfare area collects, no decision
    [row] = quorum(backend, resolve_region(backend, "lappi")).rows()
    assert row["municipal_decisions"] == "3 of 21 on record, 11 needed"
    assert row["welfare_area"] == "no decision on record" and row["no decision on record"] == 18
    text = json.dumps(quorum(backend).to_json(), ensure_ascii=False) + str(quorum(backend).extra_tables())
    assert "not committed" not in text and "no commitment" not in text


def test_lappi_quorum_is_what_000_002_record(backend: EmbeddedBackend) -> None:
    kemi, ranua, kemijarvi = (flat(seed_text(n)) for n in (
        "001_584f28bd411370b3.txt", "002_f71aceb115e93be4.txt", "000_b71e738b8837c70d.txt"))
    assert "Kaupunginhallitus 11.12.2023 § 409 672/00.04.01/2023" in kemi
    assert "Kunnanhallitus 11.12.2023 § 233 948/00.01.02/2022" in ranua
    # 000: the city board took note of the commitment; the excerpt has no meeting date, section or record
    assert "merkitsee tiedoksi Kemijärven kaupungin sitoutumisen" in kemijarvi
    assert "§" not in kemijarvi and not re.search(r"\d+/\d{2}\.\d{2}\.\d{2}/\d{4}", kemijarvi)
    assert "vähintään puolet Lapin kunnista" in kemijarvi  # the rule: half of the municipalities
    check_lappi_quorum(backend)


def test_quorum_table_says_what_a_decision_lacks(backend: EmbeddedBackend) -> None:
    tables = dict((title.split(": ", 1)[1], rows) for title, _c, rows in
                  quorum(backend, resolve_region(backend, "lappi")).extra_tables())
    kemijarvi = next(r for r in tables["decisions on record"] if r["committer_label"] == "Kemijärvi")
    assert (kemijarvi["date"], kemijarvi["section"], kemijarvi["record"]) == ("not on record",) * 3
    assert len(tables["no decision on record (18)"]) == 18


# -- Päijät-Häme: each municipality's own networks ------------------------------------------------


def check_paijat_hame_presence(backend: Backend) -> None:
    detail = coverage_detail(backend, resolve_region(backend, "paijat-hame"))
    for heading in ("ehkaiseva-tyo", "arjen-turvallisuus"):
        presence = detail.presence[GROUP + heading]
        assert len(presence.present) == 10, heading
        assert not presence.absent_stated and not presence.not_on_record, heading
        assert all(any(v.startswith("own ") and v.endswith("(one per municipality)") for v in via)
                   for via in presence.present.values()), heading


def test_paijat_hame_municipalities_have_their_own_networks(backend: EmbeddedBackend) -> None:
    # 004 names them under both headings: each municipality's own networks of a kind
    assert any(_norm(b) == _norm("Kuntien ja kaupunkien ehkäisevän työn verkostot")
               for b in _bullets("Ehkäisevä työ", "Osallisuuden edistäminen"))
    assert any(_norm(b) == _norm("Kunnalliset liikenneturvallisuustyöryhmät")
               for b in _bullets("Arjen turvallisuuden edistäminen", "Ehkäisevä työ"))
    check_paijat_hame_presence(backend)


def test_municipalities_view_keeps_not_on_record_apart(backend: EmbeddedBackend) -> None:
    """A theme whose networks list no members: every municipality 'not on record', none 'absent'."""
    detail = coverage_detail(backend, resolve_region(backend, "paijat-hame"))
    hyte = detail.presence[GROUP + "hyte-yleisesti"]
    assert not hyte.present and not hyte.absent_stated and len(hyte.not_on_record) == 10
    rows = {r["theme"]: r for r in detail.municipality_rows()}
    assert rows["paijat-hame/group/ehkaiseva-tyo"]["present"] == "10 of 10"
    assert rows["paijat-hame/group/ehkaiseva-tyo"]["not on record"] == ""


# -- explain ------------------------------------------------------------------------------------


HYTE_YLEISESTI = ("HYTE yleisesti", "Kulttuurihyvinvointi")


def check_hyte_yleisesti(backend: Backend, listed: list[str]) -> None:
    """On the day of the list, exactly the four networks under the heading count, each tagged directly;
    today the 2022 preparation group does not (ended), and says so."""
    then = _explain(backend, "paijat-hame", "paijat-hame/group/hyte-yleisesti", LIST_DAY)
    assert not then.disagreements
    assert sorted(_norm(s.label) for s in then.counted) == sorted(_norm(n) for n in listed)
    assert {s.reason for s in then.counted} == {"tagged directly"}
    assert [(s.label, s.reason) for s in then.structures if not s.counted] == [
        ("Monialainen hyte-ryhmä", "not counted: planned only (yhd:status planned), covers nothing yet")]
    now = _explain(backend, "paijat-hame", "HYTE yleisesti", date(2026, 1, 1))
    assert not now.disagreements and len(now.counted) == 3
    ended = {s.label: s.reason for s in now.structures if not s.counted}
    assert ended["HYTE-valmistelutyöryhmä"] == "not counted: ended 2022-12-31 (yhd:validUntil), before 2026-01-01"
    assert now.record == "present" and not now.related


def test_explain_hyte_yleisesti_lists_the_four_networks_of_004(backend: EmbeddedBackend) -> None:
    listed = _bullets(*HYTE_YLEISESTI)
    assert len(listed) == 4
    check_hyte_yleisesti(backend, listed)


def check_national_via_mapping(backend: Backend) -> None:
    """National theme 5 is covered in Päijät-Häme through the list heading 'Työllisyyden edistäminen':
    exactMatch the priority 'Työllisyys', which is broadMatch the national theme (themes.ttl, 004 l. 1605)."""
    found = _explain(backend, "paijat-hame", "national/tyollisyys")
    assert not found.disagreements
    typ = next(s for s in found.counted if s.label == "Työllistymistä edistävä monialainen yhteispalvelu (TYP-johtoryhmä)")
    assert typ.reason == (
        "via mapping Työllisyyden edistäminen (paijat-hame/group/tyollisyys) (exactMatch) to Työllisyys, "
        "then (broadMatch) to Työllisyyden edistäminen (national/tyollisyys)")
    # the integration networks reach it through 'Maahanmuutto ja kotoutuminen' (003 l. 29)
    ely = next(s for s in found.counted if s.label == "ELY:n seudullinen maahanmuuttotyöryhmä")
    assert "(broadMatch) to Maahanmuutto ja kotoutuminen, then (broadMatch) to Työllisyyden edistäminen" in ely.reason
    # national theme 2 through the list heading "HYTE yleisesti", broadMatch the priority (004 l. 1649)
    hyte = _explain(backend, "paijat-hame", "national/hyte")
    coordinators = next(s for s in hyte.counted if s.label == "HYTE-koordinaattoriverkosto")
    assert ("via mapping HYTE yleisesti (broadMatch) to Hyvinvoinnin ja terveyden edistäminen "
            "(paijat-hame/priority/hyte), then (exactMatch) to Hyvinvoinnin ja terveyden edistäminen "
            "(national/hyte)") in coordinators.paths
    assert len(coordinators.paths) == 2  # also listed under "Elintapaneuvonta ...": both paths are given
    # relatedMatch and closeMatch: shown, never counted
    safety = _explain(backend, "paijat-hame", "national/varautuminen-ja-turvallisuus")
    everyday = next(r for r in safety.related if r.theme == GROUP + "arjen-turvallisuus")
    assert everyday.link == "Arjen turvallisuuden edistäminen relatedMatch Varautuminen ja turvallisuus"
    assert "Kunnalliset liikenneturvallisuustyöryhmät" in everyday.structures
    assert "Kunnalliset liikenneturvallisuustyöryhmät" not in {s.label for s in safety.structures}


def test_explain_national_theme_shows_the_mapping(backend: EmbeddedBackend) -> None:
    check_national_via_mapping(backend)


def test_explain_agrees_with_the_store_for_every_theme(backend: EmbeddedBackend) -> None:
    """The Python walk of the theme links and the store's coverage path give the same coverers,
    for every theme of every scheme in every regional region."""
    schemes = [s for s, _r in backend.theme_schemes()]
    for slug in ("paijat-hame", "keski-pohjanmaa", "etela-karjala", "lappi"):
        region = resolve_region(backend, slug)
        report = coverage_gaps(backend, region, schemes=schemes)
        for theme in backend.themes(schemes):
            found = explain(backend, region, theme)
            assert not found.disagreements, (slug, short(theme.theme), found.disagreements)
            coverage = next(t for t in report.themes if t.theme == theme.theme)
            assert {(s.structure, s.kind) for s in found.counted} == {(c.iri, c.kind) for c in coverage.covered_by}


def test_the_walk_never_goes_down_or_along_related_links(backend: EmbeddedBackend) -> None:
    graph = ThemeGraph(backend.theme_links())
    reach = graph.paths_to(NATIONAL + "hyte")
    assert GROUP + "hyte-yleisesti" in reach  # up: broadMatch, then exactMatch
    assert all(step.relation in ("broader", "broadMatch", "narrowMatch", "exactMatch")
               for steps in reach.values() for step in steps)
    siblings = graph.paths_to(GROUP + "hyte-yleisesti")
    assert set(siblings) == {GROUP + "hyte-yleisesti"}  # no sibling heading, nothing from above


# -- load -----------------------------------------------------------------------------------------


def check_load(backend: Backend) -> None:
    ph = load(backend, resolve_region(backend, "paijat-hame"))
    hartola = next(m for m in ph.municipalities if m.label == "Hartola")
    # the figure: 2 seats on record (the interface advisory board and the municipalities' cooperation
    # on older people, both with every municipality), 0 roles, 2 574 inhabitants: 2 / 2574 x 10 000
    assert (hartola.memberships, hartola.roles, hartola.region_wide, hartola.own) == (2, 0, 2, 3)
    assert hartola.per_10k == round(2 / 2574 * 10000, 2)
    assert all(m.region_wide == 2 and m.own == 3 for m in ph.municipalities)  # the same for all ten
    assert (ph.structures, ph.with_members) == (84, 12)
    lappi = load(backend, resolve_region(backend, "lappi"))
    assert not lappi.municipalities and len(lappi.not_on_record) == 21  # none ranked first, none last
    assert all(m.rank is None and m.per_10k is None for m in lappi.not_on_record)


def test_load_ranks_only_what_is_on_record(backend: EmbeddedBackend) -> None:
    check_load(backend)


# -- the CLI and HTTP -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_home(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("record-home")
    shutil.copytree(bundled_store_dir, home / "store")
    return home


def _cli(home: Path, *args: str) -> str:
    from yhdyspinta.api.cli.main import app

    result = CliRunner().invoke(app, list(args), env={"YHDYSPINTA_HOME": str(home), "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_cli_explain_quorum_and_views(cli_home: Path) -> None:
    data = json.loads(_cli(cli_home, "gaps", "-r", "paijat-hame", "--explain", "paijat-hame/group/hyte-yleisesti",
                           "--as-of", "2022-09-28", "-f", "json"))
    assert len(data["covered_by"]) == 4 and {c["explain"] for c in data["covered_by"]} == {"tagged directly"}
    assert data["theme"]["path"] == "paijat-hame/group/hyte-yleisesti" and data["record"] == "present"
    table = _cli(cli_home, "gaps", "-r", "paijat-hame", "--explain", "HYTE yleisesti")
    assert "ended 2022-12-31" in table and "planned only" in table
    assert "3 of 21 on record, 11 needed" in _cli(cli_home, "quorum", "-r", "lappi")
    municipalities = json.loads(_cli(cli_home, "gaps", "-r", "paijat-hame", "--view", "municipalities", "-f", "json"))
    prevention = next(t for t in municipalities if t["theme"] == GROUP + "ehkaiseva-tyo")
    assert len(prevention["present"]) == 10 and prevention["not_on_record"] == prevention["absent_stated"] == []
    blocks = _cli(cli_home, "gaps", "-r", "etela-karjala", "--view", "blocks", "-f", "csv")
    assert "Strateginen yhteistyösopimus,absent (stated)" in blocks


def test_http_explain(bundled_store_dir: Path, tmp_path: Path) -> None:
    from http_live import served_copy

    with served_copy(bundled_store_dir, tmp_path / "home") as client:
        r = client.get("/api/regions/paijat-hame/gaps", params={"explain": "HYTE yleisesti", "as_of": "2022-09-28"})
        assert r.status_code == 200, r.text
        assert len(r.json()["covered_by"]) == 4
        ambiguous = client.get("/api/regions/paijat-hame/gaps", params={"explain": "Työllisyyden edistäminen"})
        assert ambiguous.status_code == 404 and "national/tyollisyys" in ambiguous.json()["message"]
        csv = client.get("/api/regions/paijat-hame/gaps", params={"explain": "national/tyollisyys", "format": "csv"})
        assert csv.status_code == 200 and csv.text.startswith("structure,kind,counts,why")


# -- the same on Neo4j ----------------------------------------------------------------------------


@pytest.mark.neo4j
def test_the_same_answers_on_neo4j(store: Store, neo4j_target: object) -> None:
    from yhdyspinta.graph.backends.neo4j.backend import Neo4jBackend
    from yhdyspinta.graph.backends.neo4j.connect import Target, clear
    from yhdyspinta.graph.sync.sync import sync

    assert isinstance(neo4j_target, Target)
    clear(neo4j_target)
    sync(store, neo4j_target)
    neo, embedded = Neo4jBackend(neo4j_target), EmbeddedBackend(store)
    check_lappi_quorum(neo)
    check_paijat_hame_presence(neo)
    check_hyte_yleisesti(neo, _bullets(*HYTE_YLEISESTI))
    check_national_via_mapping(neo)
    check_load(neo)
    for slug in ("paijat-hame", "keski-pohjanmaa", "etela-karjala", "lappi"):
        for theme in ("national/hyte", "national/tyollisyys", "national/varautuminen-ja-turvallisuus"):
            assert _explain(neo, slug, theme).to_json() == _explain(embedded, slug, theme).to_json(), (slug, theme)
