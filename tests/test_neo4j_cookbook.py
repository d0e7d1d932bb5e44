"""Every query of docs/cypher-cookbook.md runs on the real server and answers as it should.

The queries are read from the markdown's ```cypher blocks, so the doc and the test never
drift; a block without a check here fails the test.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from neo4j.time import Date
from neo4j_fixtures import copy_store

from yhdyspinta.graph.analyses.gaps import coverage_gaps
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend
from yhdyspinta.graph.backends.neo4j.connect import Target, clear
from yhdyspinta.graph.regions import resolve_region
from yhdyspinta.graph.store.store import Store
from yhdyspinta.graph.sync.sync import sync

pytestmark = pytest.mark.neo4j

COOKBOOK = Path(__file__).resolve().parents[1] / "docs" / "cypher-cookbook.md"
Rows = list[dict[str, Any]]
PAIJAT_HAME = {"Asikkala", "Hartola", "Heinola", "Hollola", "Iitti", "Kärkölä", "Lahti",
               "Orimattila", "Padasjoki", "Sysmä"}


def cookbook() -> dict[str, str]:
    """name -> query, from the ```cypher blocks (first line ``// cookbook: name``)."""
    queries: dict[str, str] = {}
    for block in re.findall(r"```cypher\n(.*?)```", COOKBOOK.read_text(encoding="utf-8"), re.S):
        match = re.match(r"// cookbook: (\S+)\n", block)
        assert match, f"a cypher block does not start with '// cookbook: NAME':\n{block}"
        assert match[1] not in queries, f"two queries named {match[1]}"
        queries[match[1]] = block
    return queries


def gaps(rows: Rows, store: Store) -> None:
    backend = EmbeddedBackend(store)
    expected = coverage_gaps(backend, resolve_region(backend, "paijat-hame")).gaps
    assert sorted(r["theme"] for r in rows) == sorted(t.label_fi for t in expected)
    culture = next(r for r in rows if r["theme"] == "Kulttuurihyvinvointi")
    assert any("Kauno" in note for note in culture["the_source_says"])


def levels(rows: Rows, store: Store) -> None:
    assert {r["level"] for r in rows} >= {"Poliittiset päättäjät", "Viranhaltijajohto", "Asiantuntijat"}
    assert rows[0]["level"] == "Asiantuntijat" and rows[0]["structures"] > 10


def outside_theme(rows: Rows, store: Store) -> None:
    names = {r["municipality"] for r in rows}
    # Lahti takes part in education and social and health services only through the integration networks,
    # which 003 counts under employment; every other municipality is in none of their structures
    assert names == PAIJAT_HAME - {"Lahti"}


def bridging(rows: Rows, store: Store) -> None:
    assert rows and all(r["theme_count"] > 1 for r in rows)
    assert rows[0]["network"] == "Hyte-työryhmä" and rows[0]["theme_count"] == 9


def actors(rows: Rows, store: Store) -> None:
    assert rows[0]["actor"] == "Lahti" and rows[0]["kind"] == ["Municipality"]
    assert all(r["structures"] >= 3 for r in rows)
    assert "Päijät-Hämeen hyvinvointialue" in {r["actor"] for r in rows}


def shared(rows: Rows, store: Store) -> None:
    assert all(r["in_common"] >= 2 and r["first"] != r["second"] for r in rows)
    pairs = {(r["first"], r["second"]): r["in_common"] for r in rows}
    council = ("Yhdyspintaneuvottelukunta", "Päijät-Hämeen kuntien yhteistyö")
    assert pairs.get(council, pairs.get(council[::-1])) == 10


def single(rows: Rows, store: Store) -> None:
    assert rows and len({r["theme"] for r in rows}) == len(rows)
    assert {"theme": "Ikääntyminen", "only_structure": "Hyte-työryhmä"} in rows


def commitments(rows: Rows, store: Store) -> None:
    assert [(r["committer"], r["date"], r["section"], r["record"]) for r in rows] == [
        ("Kemi", Date(2023, 12, 11), "409", "672/00.04.01/2023"),
        ("Ranua", Date(2023, 12, 11), "233", "948/00.01.02/2022"),
        ("Kemijärvi", None, None, None),
    ]
    assert rows[0]["responsible"] == "Kemin kaupunginjohtaja" and rows[2]["kind"] == "noted"


def quorum(rows: Rows, store: Store) -> None:
    assert rows == [{"total": 21, "municipalities_in": 3, "welfare_area_in": False,
                     "share_needed": 0.5, "quorum_reached": False}]


def compare(rows: Rows, store: Store) -> None:
    by_region = {r["region"]: r for r in rows}
    assert rows[0]["region"] == "Päijät-Häme" and rows[0]["networks"] > 80
    assert by_region["Päijät-Häme"]["member_municipalities"] == 10
    assert {"Keski-Pohjanmaa", "Etelä-Karjala", "Lappi"} <= set(by_region)


def sources(rows: Rows, store: Store) -> None:
    [row] = rows
    assert row["documents"] == ["001_584f28bd411370b3.txt"]
    assert [Path(f).as_posix().endswith("data/lappi/commitments.ttl") for f in row["files"]] == [True]


def negative(rows: Rows, store: Store) -> None:
    found = {(r["region"], r["missing"], r["about"]) for r in rows}
    assert ("Päijät-Häme", "no regional network", "Kulttuurihyvinvointi") in found
    assert ("Etelä-Karjala", "no strategic cooperation agreement", None) in found


def negotiations(rows: Rows, store: Store) -> None:
    assert rows and all(r["legal_basis"] and r["at_least"] for r in rows)
    kunta = next(r for r in rows if r["negotiation"] == "KUNTA-neuvottelut (Etelä-Karjala)")
    assert any("14 §" in law for law in kunta["legal_basis"])
    assert kunta["at_least"] == "Vähintään kerran valtuustokaudessa"


CHECKS: dict[str, Callable[[Rows, Store], None]] = {
    "gaps": gaps, "levels": levels, "municipalities-outside-theme": outside_theme,
    "bridging-networks": bridging, "actors-in-several": actors, "shared-members": shared,
    "single-structure": single, "pilot-commitments": commitments, "pilot-quorum": quorum,
    "compare-regions": compare, "sources-of-a-fact": sources, "negative-facts": negative,
    "statutory-negotiations": negotiations,
}


@pytest.fixture(scope="module")
def synced(
    bundled_store_dir: Path, neo4j_target: Target, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Target, Store]]:
    store = copy_store(bundled_store_dir, tmp_path_factory.mktemp("cookbook") / "store")
    clear(neo4j_target)
    sync(store, neo4j_target)
    yield neo4j_target, store
    store.close()


def test_every_query_has_a_check() -> None:
    assert set(cookbook()) == set(CHECKS)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_cookbook_query(name: str, synced: tuple[Target, Store]) -> None:
    target, store = synced
    rows = target.run(cookbook()[name])
    CHECKS[name](rows, store)
