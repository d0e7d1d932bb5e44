"""The fast first load (CREATE, parallel transactions) against the incremental writer (MERGE).

A sync into an empty database takes a path of its own (``write_initial``); these tests hold
it to the slow, obviously right one (``sync(create=False)``: every node through the
incremental writer) on a real server, compared as full exports (:func:`snapshot`), and
check that the incremental sync carries on from a fast first load as from any other.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from yhdyspinta.graph.backends.neo4j.connect import Snapshot, Target, clear, snapshot
from yhdyspinta.graph.store.store import Store
from yhdyspinta.graph.sync.sync import sync
from yhdyspinta.ingest import ingest

pytestmark = pytest.mark.neo4j

PREFIXES = """
@prefix yhd: <https://w3id.org/yhdyspinta/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix src: <https://w3id.org/yhdyspinta/source/> .
@prefix n: <https://w3id.org/yhdyspinta/id/network/firstload/> .
@prefix mun: <https://w3id.org/yhdyspinta/id/municipality/> .
@prefix region: <https://w3id.org/yhdyspinta/id/region/> .
@prefix thn: <https://w3id.org/yhdyspinta/theme/national/> .
"""
NETWORK = """n:{slug} a yhd:Network ; skos:prefLabel "{label}"@fi ; yhd:inRegion region:paijat-hame ;
    yhd:theme thn:{theme} ; org:hasMember {members} ; dcterms:source src:004_664281610daadb27 .
"""
#: Two sources that say things about the same nodes (Lahti, the region, the themes), so
#: that nodes and relationships carry several graphs, with a blank node and a note.
FIRST = PREFIXES + NETWORK.format(slug="a", label="Verkosto A", theme="hyte", members="mun:398, mun:016") + \
    NETWORK.format(slug="b", label='Verkosto \\"B\\"\\nrivi 2', theme="tyollisyys", members="mun:398") + """
[] a org:Membership ; org:member mun:398 ; org:organization n:a ; dcterms:source src:004_664281610daadb27 .
"""
SECOND = PREFIXES + NETWORK.format(slug="a", label="Verkosto A", theme="hyte", members="mun:398") + \
    NETWORK.format(slug="c", label="Verkosto C", theme="hyte", members="mun:111, mun:398")
SECOND_CHANGED = PREFIXES + NETWORK.format(slug="c", label="Verkosto C (uusi)", theme="tyollisyys",
                                           members="mun:016")


def write_source(path: Path, text: str, store: Store) -> str:
    """(Re)write a Turtle source and ingest it; returns its graph."""
    path.write_text(text, encoding="utf-8")
    return ingest(store, [path], force=True).outcomes[0].graph


def reference(store: Store, target: Target) -> Snapshot:
    """What the incremental writer alone makes of ``store`` in an empty database."""
    clear(target)
    report = sync(store, target, create=False)
    assert report.mode == "initial"
    return snapshot(target)


def test_the_fast_first_load_writes_what_the_incremental_writer_does(
    bundled_store: Store, neo4j_clean: Target
) -> None:
    fast = sync(bundled_store, neo4j_clean)
    assert fast.mode == "initial" and fast.nodes_written > 1000 and fast.relationships_written > 1000
    loaded = snapshot(neo4j_clean)
    assert len(loaded.nodes) == fast.nodes_written
    assert loaded == reference(bundled_store, neo4j_clean)


def test_small_batches_on_parallel_sessions_write_the_same(base_store: Store, neo4j_clean: Target,
                                                           tmp_path: Path) -> None:
    write_source(tmp_path / "first.ttl", FIRST, base_store)
    write_source(tmp_path / "second.ttl", SECOND, base_store)
    # batches of 7 rows: hundreds of transactions on the parallel sessions, links to the
    # same region and themes from many of them at once
    sync(base_store, neo4j_clean, batch_size=7)
    assert snapshot(neo4j_clean) == reference(base_store, neo4j_clean)


def test_an_incremental_sync_after_a_fast_first_load_equals_a_plain_sync(
    base_store: Store, neo4j_clean: Target, tmp_path: Path
) -> None:
    first = write_source(tmp_path / "first.ttl", FIRST, base_store)
    second_path = tmp_path / "second.ttl"
    second = write_source(second_path, SECOND, base_store)
    assert sync(base_store, neo4j_clean).mode == "initial"

    write_source(second_path, SECOND_CHANGED, base_store)  # changed: a node gone, labels, links
    base_store.remove_graphs([first])  # removed: its nodes and its part of shared ones
    report = sync(base_store, neo4j_clean)
    assert report.mode == "incremental" and report.changed == [second] and report.removed == [first]
    assert report.nodes_deleted == 3  # n:a, n:b and the blank node
    after = snapshot(neo4j_clean)
    assert after == reference(base_store, neo4j_clean)
    networks = {uri.rsplit("/", 1)[1] for uri in after.nodes if "/firstload/" in uri}
    assert networks == {"c"}
    # and the next sync finds nothing to do
    clear(neo4j_clean)
    sync(base_store, neo4j_clean)
    again = sync(base_store, neo4j_clean)
    assert again.mode == "incremental" and not again.changed_anything
