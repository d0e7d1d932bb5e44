"""The sync into a real Neo4j: the mapping, idempotence, incremental changes and removals.

The yardstick of every incremental case: after it, Neo4j holds exactly what a clean sync of
the same store writes (compared as a full export, :func:`snapshot`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j.time import Date
from neo4j_fixtures import run_cli

from yhdyspinta.graph.backends.neo4j.connect import Snapshot, Target, clear, snapshot
from yhdyspinta.graph.store.store import Store
from yhdyspinta.graph.sync.sync import SyncReport, sync
from yhdyspinta.ingest import ingest
from yhdyspinta.launcher.server import ConnectionInfo

pytestmark = pytest.mark.neo4j

ID = "https://w3id.org/yhdyspinta/id/"
GRAPH = "https://w3id.org/yhdyspinta/graph/"
LAHTI = f"{ID}municipality/398"
MUNICIPALITIES = f"{GRAPH}bundled/reference/municipalities.ttl"
PREFIXES = """
@prefix yhd: <https://w3id.org/yhdyspinta/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix src: <https://w3id.org/yhdyspinta/source/> .
@prefix n: <https://w3id.org/yhdyspinta/id/network/synctest/> .
@prefix mun: <https://w3id.org/yhdyspinta/id/municipality/> .
@prefix region: <https://w3id.org/yhdyspinta/id/region/> .
@prefix thn: <https://w3id.org/yhdyspinta/theme/national/> .
"""
NETWORK = """n:{slug} a yhd:Network ; skos:prefLabel "{label}"@fi ; yhd:inRegion region:paijat-hame ;
    yhd:theme thn:{theme} ; org:hasMember {members} ; dcterms:source src:004_664281610daadb27 .
"""
VERSION_1 = PREFIXES + NETWORK.format(slug="a", label="Verkosto A", theme="hyte", members="mun:398, mun:016") + \
    NETWORK.format(slug="b", label="Verkosto B", theme="tyollisyys", members="mun:398")
VERSION_2 = PREFIXES + NETWORK.format(slug="a", label="Verkosto A (uusi nimi)", theme="hyte", members="mun:016") + \
    NETWORK.format(slug="c", label="Verkosto C", theme="hyte", members="mun:111")


def clean_snapshot(store: Store, target: Target) -> Snapshot:
    """What a sync of ``store`` into an empty database writes (leaves that in Neo4j)."""
    clear(target)
    sync(store, target)
    return snapshot(target)


def write_source(path: Path, text: str, store: Store) -> str:
    """(Re)write a Turtle source and ingest it; returns its graph."""
    path.write_text(text, encoding="utf-8")
    report = ingest(store, [path], force=True)
    return report.outcomes[0].graph


def test_bundled_data_maps_as_documented(bundled_store: Store, neo4j_clean: Target) -> None:
    report = sync(bundled_store, neo4j_clean)
    assert report.mode == "initial"
    assert sorted(report.added) == sorted(r.graph for r in bundled_store.sources())
    assert report.nodes_written == len(neo4j_clean.run("MATCH (n:Resource) RETURN n.uri"))
    constraints = neo4j_clean.run("SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties")
    assert {"name": "n10s_unique_uri", "labelsOrTypes": ["Resource"], "properties": ["uri"]} in constraints

    [lahti] = neo4j_clean.run("MATCH (n:Resource {uri: $u}) RETURN n {.*} AS n, labels(n) AS l", u=LAHTI)
    # labels: the asserted class and every superclass, by local name
    assert {"Resource", "Municipality", "Organisation", "FormalOrganization", "Organization", "Actor"} <= set(lahti["l"])
    props = lahti["n"]
    assert props["prefLabel_fi"] == "Lahti" and props["prefLabel_sv"] == "Lahtis"
    assert props["notation"] == "398" and isinstance(props["population"], int)
    assert props["types"] == ["https://w3id.org/yhdyspinta/ontology#Municipality"]
    assert MUNICIPALITIES in props["graphs"] and len(props["graphs"]) > 1  # other sources name Lahti
    [rel] = neo4j_clean.run(
        "MATCH (:Resource {uri: $u})-[r:inRegion]->(g) RETURN g.uri AS region, r.graphs AS graphs", u=LAHTI
    )
    assert rel == {"region": f"{ID}region/paijat-hame", "graphs": [MUNICIPALITIES]}

    [kemi] = neo4j_clean.run(
        "MATCH (c:Commitment)-[:committer]->(:Municipality {notation: '240'}) "
        "RETURN c.decisionDate AS date, c.section AS section, c.comment_en AS comment"
    )
    assert kemi["date"] == Date(2023, 12, 11) and kemi["section"] == "409"
    assert isinstance(kemi["comment"], list)  # rdfs:comment is multi-valued by nature: always a list

    blanks = neo4j_clean.run(
        "MATCH (b:Resource) WHERE b.uri STARTS WITH 'bnode://' RETURN b.graphs AS g, COUNT { (b)--() } AS links"
    )
    assert blanks and all(b["g"] == [f"{GRAPH}ontology/org.ttl"] and b["links"] for b in blanks)
    sources = neo4j_clean.run("MATCH (s:SyncedSource) RETURN s.graph AS g, s.sha256 AS sha, s.pending AS p")
    assert sorted((s["g"], s["sha"], s["p"]) for s in sources) == sorted(
        (r.graph, r.sha256, None) for r in bundled_store.sources()
    )


def test_a_second_sync_changes_nothing(bundled_store: Store, neo4j_clean: Target) -> None:
    sync(bundled_store, neo4j_clean)
    first = snapshot(neo4j_clean)
    again = sync(bundled_store, neo4j_clean)
    assert again.mode == "incremental" and not again.changed_anything
    assert not (again.added or again.changed or again.removed)
    assert snapshot(neo4j_clean) == first
    full = sync(bundled_store, neo4j_clean, full=True)
    assert full.mode == "full" and full.nodes_written == len(first.nodes)
    assert snapshot(neo4j_clean) == first


def test_a_changed_source_changes_only_its_part(base_store: Store, neo4j_clean: Target, tmp_path: Path) -> None:
    source = tmp_path / "synctest.ttl"
    graph = write_source(source, VERSION_1, base_store)
    sync(base_store, neo4j_clean)
    lahti_before = neo4j_clean.run("MATCH (n:Resource {uri: $u}) RETURN n.graphs AS g", u=LAHTI)[0]["g"]
    assert graph in lahti_before

    write_source(source, VERSION_2, base_store)
    report = sync(base_store, neo4j_clean, batch_size=7)  # small batches: several transactions
    assert report.mode == "incremental" and report.changed == [graph]
    assert not (report.added or report.removed)
    # the three networks and the members they name (Lahti, Asikkala, Hollola), the region,
    # the theme(s) and the source document: never the rest of the reference data
    assert report.nodes_written < 15 and report.nodes_deleted == 1
    networks = neo4j_clean.run(
        "MATCH (n:Network) RETURN n.uri AS uri, n.prefLabel_fi AS label, "
        "[(n)-[:hasMember]->(m) | m.notation] AS members ORDER BY uri"
    )
    assert [(r["label"], sorted(r["members"])) for r in networks] == [
        ("Verkosto A (uusi nimi)", ["016"]), ("Verkosto C", ["111"])
    ]
    lahti = neo4j_clean.run("MATCH (n:Resource {uri: $u}) RETURN n.graphs AS g", u=LAHTI)[0]["g"]
    assert lahti == [g for g in lahti_before if g != graph]  # no longer named by the source
    assert snapshot(neo4j_clean) == clean_snapshot(base_store, neo4j_clean)


def test_a_removed_source_leaves_nothing_behind(base_store: Store, neo4j_clean: Target, tmp_path: Path) -> None:
    before = clean_snapshot(base_store, neo4j_clean)
    graph = write_source(tmp_path / "synctest.ttl", VERSION_1, base_store)
    sync(base_store, neo4j_clean)
    base_store.remove_graphs([graph])
    report = sync(base_store, neo4j_clean)
    assert report.removed == [graph] and report.nodes_deleted == 2  # the two networks
    assert snapshot(neo4j_clean) == before


def test_a_new_superclass_relabels_and_its_removal_unlabels(
    base_store: Store, neo4j_clean: Target, tmp_path: Path
) -> None:
    sync(base_store, neo4j_clean)
    schema = tmp_path / "schema.ttl"
    graph = write_source(
        schema,
        PREFIXES + "yhd:Municipality rdfs:subClassOf <https://example.org/Kuntatoimija> .\n",
        base_store,
    )
    report = sync(base_store, neo4j_clean)
    assert report.mode == "relabel" and report.added == [graph]
    tagged = neo4j_clean.run("MATCH (m:Kuntatoimija) RETURN count(m) AS n")[0]["n"]
    assert tagged == len(neo4j_clean.run("MATCH (m:Municipality) RETURN m.uri")) > 300
    # only the relabelled nodes and the two classes are rewritten, not the whole graph
    assert report.nodes_written <= tagged + 3
    assert snapshot(neo4j_clean) == clean_snapshot(base_store, neo4j_clean)

    base_store.remove_graphs([graph])
    assert sync(base_store, neo4j_clean).mode == "relabel"
    assert neo4j_clean.run("MATCH (m:Kuntatoimija) RETURN count(m) AS n")[0]["n"] == 0
    assert snapshot(neo4j_clean) == clean_snapshot(base_store, neo4j_clean)


def test_blank_nodes_keep_their_keys_when_re_ingested(
    base_store: Store, neo4j_clean: Target, tmp_path: Path
) -> None:
    text = PREFIXES + NETWORK.format(slug="a", label="Verkosto A", theme="hyte", members="mun:398") + """
[] a org:Membership ; org:member mun:398 ; org:organization n:a ; dcterms:source src:004_664281610daadb27 .
[] a org:Membership ; org:member mun:016 ; org:organization n:a ; dcterms:source src:004_664281610daadb27 .
"""
    source = tmp_path / "blank.ttl"
    write_source(source, text, base_store)
    sync(base_store, neo4j_clean)
    before = snapshot(neo4j_clean)
    memberships = neo4j_clean.run(
        "MATCH (b:Membership)-[:member]->(m) RETURN b.uri AS uri, m.notation AS who ORDER BY who"
    )
    assert [m["who"] for m in memberships] == ["016", "398"]
    assert all(m["uri"].startswith("bnode://") for m in memberships)

    # re-ingested with another label: the store renumbers its blank nodes, the keys stay
    write_source(source, text.replace('"Verkosto A"', '"Verkosto Aa"'), base_store)
    report: SyncReport = sync(base_store, neo4j_clean)
    assert report.mode == "incremental" and len(report.changed) == 1
    after = snapshot(neo4j_clean)
    changed = {uri for uri in before.nodes if before.nodes[uri] != after.nodes.get(uri)}
    assert changed == {"https://w3id.org/yhdyspinta/id/network/synctest/a"}
    assert after.relationships == before.relationships


def test_the_cli_syncs_and_then_finds_nothing_to_do(
    neo4j_clean: Target, neo4j_info: ConnectionInfo, tmp_path: Path
) -> None:
    env = {"YHDYSPINTA_HOME": str(tmp_path), "NEO4J_URI": neo4j_info.uri,
           "NEO4J_DATABASE": neo4j_info.database, **({"NEO4J_PASSWORD": neo4j_info.password}
                                                     if neo4j_info.password else {})}
    assert run_cli("ingest", env=env).returncode == 0
    first = run_cli("neo4j", "sync", env=env)
    assert first.returncode == 0, first.stderr
    assert "ok: initial sync" in first.stderr and " + https://w3id.org/yhdyspinta/graph/" in first.stderr
    again = run_cli("neo4j", "sync", env=env)
    assert again.returncode == 0 and "up to date: incremental sync" in again.stderr
    assert "0 nodes and 0 relationships written" in again.stderr
