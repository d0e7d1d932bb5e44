"""Päijät-Häme's data says what seed 004 says, and the national scheme what seed 003 says.

The network list of 004 ("Päijät-Hämeen yhdyspinnoilla toimivat verkostot
(täydentyy)", 004 l. 1429-1667) was counted by hand; the table below is that
count, heading by heading, and the test holds the data to it. The seed texts
are read from shared/seeds/ beside the project (or $YHDYSPINTA_SEEDS).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from seeds import SEED_003, SEED_004, flat, seed_text

if TYPE_CHECKING:  # the store's module is being moved; the fixture is all these tests need
    from yhdyspinta.graph.store.store import Store

ID = "https://w3id.org/yhdyspinta/id/"
GROUP = "https://w3id.org/yhdyspinta/theme/paijat-hame/group/"
NATIONAL = "https://w3id.org/yhdyspinta/theme/national"
PLANNED = "https://w3id.org/yhdyspinta/status/planned"





def _norm(text: str) -> str:
    """For comparing names: no whitespace, no hyphens or dashes (the extraction splits
    words across lines and hyphenates them differently), case folded."""
    return re.sub(r"[\s\-\u00ad\u2010-\u2015]+", "", text).casefold()


# Hand count of 004 l. 1429-1667, heading by heading, in the order of the list:
# (group theme, the heading as 004 writes it, bullets "•" under it, networks
#  (cooperation structures) those bullets name, why the two differ).
NETWORK_LIST = [
    # "Arjen turvallisuuden edistäminen" (l. 1431-1451)
    ("arjen-turvallisuus", "Arjen turvallisuuden edistäminen", 3, 2,
     "the client and patient safety contact persons' network is listed twice (l. 1435-1445)"),
    # "Ehkäisevä työ" (l. 1453-1472)
    ("ehkaiseva-tyo", "Ehkäisevä työ", 7, 9,
     "the last bullet names three: 'Mielen hyvinvoinnintoimijoiden verkosto & Päihdetoimijoiden verkosto "
     "eli ehkäisevän mielenterveys- ja päihdetyön asiantuntijaryhmä' (the expert group and its two networks)"),
    # "Osallisuuden edistäminen" (l. 1474-1495)
    ("osallisuus", "Osallisuuden edistäminen", 11, 11,
     "three of them are bodies (the regional council for older people and disability council, the youth "
     "council, the association advisory board), forums in the data"),
    # "Ikäihmisten toimintakyvyn tuki" (l. 1497-1504)
    ("ikaihmiset", "Ikäihmisten toimintakyvyn tuki", 4, 4, ""),
    # "Lapsiperheiden hyvinvoinnin tuki" (l. 1506-1538)
    ("lapsiperheet", "Lapsiperheiden hyvinvoinnin tuki", 14, 16,
     "two bullets name two structures each, separated by a comma: 'Kuntien ja kaupunkien LAPE-ryhmät, "
     "maakunnallinen LAPE-yhteistyöryhmä' and 'Lasten kulttuuriverkosto, kulttuuripalvelujen seudullinen "
     "yhteistoiminta'"),
    # "Elintapaneuvonta ja toimintakyvyn edistäminen" (l. 1540-1569)
    ("elintavat", "Elintapaneuvonta ja toimintakyvyn edistäminen", 15, 15, ""),
    # "Sote-palveluiden saavutettavuus" (l. 1571-1589)
    ("sote-saavutettavuus", "Sote-palveluiden saavutettavuus", 6, 6, ""),
    # "Palveluverkon yhteys kaavoitukseen, maankäyttöön ja asumiseen" (l. 1591-1603)
    ("palveluverkko-kaavoitus-asuminen", "Palveluverkon yhteys kaavoitukseen, maankäyttöön ja asumiseen", 5, 5,
     "one of them is the municipal managers' executive committee, a forum in the data"),
    # "Työllisyyden edistäminen" (l. 1605-1619)
    ("tyollisyys", "Työllisyyden edistäminen", 7, 6,
     "the bullet 'Lahti, Asikkala, Hollola, Kärkölä ja Orimattila' (l. 1609) names municipalities, "
     "no network"),
    # "Kotouttaminen" (l. 1621-1647)
    ("kotouttaminen", "Kotouttaminen", 8, 8, ""),
    # "HYTE yleisesti" (l. 1649-1659)
    ("hyte-yleisesti", "HYTE yleisesti", 4, 4, ""),
    # "Kulttuurihyvinvointi" (l. 1661-1667)
    ("kulttuurihyvinvointi", "Kulttuurihyvinvointi", 1, 0,
     "the only bullet says there is no regional network (a yhd:ThemeStatement in the data)"),
]

# A Päijät-Häme network or forum whose Finnish name does not occur in 004, with the reason.
# Empty: every name is the source's.
NAME_EXCEPTIONS: dict[str, str] = {}


def _list_section() -> str:
    text = flat(seed_text(SEED_004))
    start = text.index("Päijät-Hämeen yhdyspinnoilla toimivat verkostot (täydentyy)")
    end = text.index("Pohjatyö jo tehtynä", start)
    return text[start:end]


def test_the_hand_count_matches_the_bullets_of_the_list() -> None:
    section = _list_section()
    positions = []
    at = 0
    for _slug, heading, *_ in NETWORK_LIST:
        at = section.index(heading, at)
        positions.append(at)
        at += len(heading)
    positions.append(len(section))
    bullets = [section[a:b].count("•") for a, b in zip(positions, positions[1:], strict=False)]
    assert bullets == [row[2] for row in NETWORK_LIST]
    assert len(NETWORK_LIST) == 12


def _structures_with(store: Store, slug: str) -> set[str]:
    rows = store.select(
        f"""SELECT DISTINCT ?s WHERE {{
              ?s yhd:theme <{GROUP}{slug}> ; yhd:inRegion <{ID}region/paijat-hame> .
              {{ ?s a yhd:Network }} UNION {{ ?s a yhd:Forum }}
              FILTER NOT EXISTS {{ ?s yhd:status <{PLANNED}> }} }}"""
    )
    return {r["s"] for r in rows}


@pytest.mark.parametrize("slug, heading, bullets, networks, why", NETWORK_LIST, ids=[r[0] for r in NETWORK_LIST])
def test_each_group_holds_the_networks_listed_under_its_heading(
    bundled_store: Store, slug: str, heading: str, bullets: int, networks: int, why: str
) -> None:
    assert len(_structures_with(bundled_store, slug)) == networks, f"{heading}: {why}"


def test_the_group_scheme_is_the_list_headings(bundled_store: Store) -> None:
    rows = bundled_store.select(
        f"""SELECT ?t ?l WHERE {{ ?t skos:inScheme <{GROUP.rstrip('/')}> ; skos:prefLabel ?l
              FILTER(lang(?l) = "fi") }}"""
    )
    assert {r["t"].removeprefix(GROUP): r["l"] for r in rows} == {slug: heading for slug, heading, *_ in NETWORK_LIST}
    total = set().union(*(_structures_with(bundled_store, slug) for slug, *_ in NETWORK_LIST))
    # 86 entries; five networks are listed under two headings each
    assert sum(row[3] for row in NETWORK_LIST) == 86 and len(total) == 81


def test_the_municipality_names_bullet_is_not_a_network(bundled_store: Store) -> None:
    rows = bundled_store.select(
        """SELECT ?s WHERE { { ?s a yhd:Network } UNION { ?s a yhd:Forum }
              ?s skos:prefLabel|skos:altLabel ?l FILTER(CONTAINS(?l, "Asikkala")) }"""
    )
    assert rows == []
    assert bundled_store.ask(
        f"""ASK {{ <{ID}network/paijat-hame/tyokykykoordinaattoriverkosto> yhd:note ?n
              FILTER(CONTAINS(?n, "Lahti, Asikkala, Hollola, Kärkölä ja Orimattila"))
              FILTER NOT EXISTS {{ <{ID}network/paijat-hame/tyokykykoordinaattoriverkosto> org:hasMember ?m }} }}"""
    )


def test_the_national_scheme_is_the_five_themes_of_003(bundled_store: Store) -> None:
    text = seed_text(SEED_003)
    start = text.index("Projektissa priorisoitavat yhdyspinnat/ teemaryhmät")
    end = text.index("+Muut yhdyspintakysymykset", start)
    listed = dict(re.findall(r"^(\d)\. (.+?)\s*$", text[start:end], flags=re.MULTILINE))
    assert list(listed) == ["1", "2", "3", "4", "5"]
    rows = bundled_store.select(
        f"""SELECT ?t ?n ?l WHERE {{ ?t skos:inScheme <{NATIONAL}> ; skos:prefLabel ?l FILTER(lang(?l) = "fi")
              OPTIONAL {{ ?t skos:notation ?n }} }}"""
    )
    assert {r["n"]: r["l"] for r in rows} == listed
    tops = bundled_store.select(f"SELECT ?t WHERE {{ <{NATIONAL}> skos:hasTopConcept ?t }}")
    assert {r["t"] for r in tops} == {r["t"] for r in rows}
    # knowledge-based management is a focus of the Etelä-Karjala pilot, not a national theme
    assert not bundled_store.ask(
        'ASK { ?t skos:inScheme/a yhd:ThemeScheme ; skos:prefLabel "Tiedolla johtaminen"@fi }'
    )


def _names(store: Store) -> list[tuple[str, str]]:
    rows = store.select(
        f"""SELECT ?s ?l WHERE {{ ?s yhd:inRegion <{ID}region/paijat-hame> .
              {{ ?s a yhd:Network }} UNION {{ ?s a yhd:Forum }}
              ?s skos:prefLabel|skos:altLabel ?l FILTER(lang(?l) = "fi") }}"""
    )
    return [(r["s"], r["l"]) for r in rows]


def test_no_network_has_a_name_the_source_does_not_give(bundled_store: Store) -> None:
    seed = _norm(seed_text(SEED_004))
    names = _names(bundled_store)
    assert len({s for s, _ in names}) >= 85
    unknown = {label for _s, label in names if _norm(label) not in seed}
    assert unknown == set(NAME_EXCEPTIONS), {label: NAME_EXCEPTIONS.get(label, "no reason given") for label in unknown}
