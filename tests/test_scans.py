"""The embedded back end's scans (graph/backends/embedded/scans.py) answer as its one-query versions.

``EmbeddedBackend`` answers the questions of many rows from plain pattern scans joined in
Python; ``QueryBackend`` asks each in one SPARQL query (the reference). Every method of the
protocol, with every argument list, on several days, must give the same rows: on the bundled
data, on the hand-made coverage-path graph of the parity test, and on a graph made for the
corners a scan could get wrong (dated memberships, posts in units, ended members, two classes).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_neo4j_parity import DAYS, assert_methods_same, handmade_turtle, scheme_choices

from yhdyspinta.graph.analyses.bridges import bridges
from yhdyspinta.graph.analyses.coverage import coverage_detail
from yhdyspinta.graph.analyses.load import load
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend, QueryBackend
from yhdyspinta.graph.backends.embedded.scans import closure
from yhdyspinta.graph.regions import resolve_region
from yhdyspinta.graph.store.store import Store
from yhdyspinta.ingest import ingest

CORNERS = """
@prefix yhd: <https://w3id.org/yhdyspinta/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix s: <https://w3id.org/yhdyspinta/id/network/corners/> .
@prefix u: <https://w3id.org/yhdyspinta/id/org/corners/> .
@prefix r: <https://w3id.org/yhdyspinta/id/region/> .
@prefix m: <https://w3id.org/yhdyspinta/id/municipality/> .
@prefix t: <https://w3id.org/yhdyspinta/theme/national/> .
@prefix src: <https://w3id.org/yhdyspinta/source/> .

src:corners a yhd:SourceDocument ; dcterms:title "tests/test_scans.py" .
u:unit a yhd:Unit ; skos:prefLabel "Hyvinvointiyksikkö"@fi ; org:unitOf m:398 ; dcterms:source src:corners .
u:post a yhd:Post ; skos:prefLabel "Koordinaattori"@fi ; org:postIn u:unit ; dcterms:source src:corners .
u:gone a yhd:CivilSocietyOrganisation ; yhd:inRegion r:paijat-hame ; skos:prefLabel "Lakannut yhdistys"@fi ;
    yhd:validUntil "2023-12-31"^^xsd:date ; dcterms:source src:corners .
s:two-regions a yhd:Network ; skos:prefLabel "Kahden kunnan verkosto"@fi, "Två kommuners nätverk"@sv ;
    yhd:inRegion r:paijat-hame ; yhd:theme t:hyte ;
    org:hasMember m:398, u:post, u:gone, m:016 ; yhd:coordinator u:post ; dcterms:source src:corners .
s:later a yhd:Network, yhd:Forum ; skos:prefLabel "Myöhemmin alkava"@fi ; yhd:inRegion r:paijat-hame ;
    yhd:validFrom "2025-01-01"^^xsd:date ; yhd:theme t:hyte ; yhd:level <https://w3id.org/yhdyspinta/level/asiantuntijat> ;
    org:hasMember m:398 ; yhd:convener m:398 ; dcterms:source src:corners .
s:planned a yhd:Network ; skos:prefLabel "Suunniteltu"@fi ; yhd:inRegion r:paijat-hame ; yhd:theme t:hyte ;
    yhd:status <https://w3id.org/yhdyspinta/status/planned> ; org:hasMember m:016 ; dcterms:source src:corners .
s:dated-membership a org:Membership ; org:organization s:two-regions ; org:member m:016 ;
    yhd:validFrom "2024-06-01"^^xsd:date ; dcterms:source src:corners .
"""


def _same_everywhere(store: Store) -> int:
    """Every protocol method on each day: the scans against the one-query versions; returns the calls."""
    calls = 0
    for day in (*DAYS, date(2024, 1, 1)):
        fast, reference = EmbeddedBackend(store).at(day), QueryBackend(store).at(day)
        calls += assert_methods_same(reference, fast, reference.regions(), scheme_choices(reference))
    return calls


def test_bundled_data_answers_as_the_queries(bundled_store: Store) -> None:
    assert _same_everywhere(bundled_store) > 100
    fast = EmbeddedBackend(bundled_store)
    assert fast.memberships() and fast.structure_themes() and fast.structure_record()  # not all empty
    region = resolve_region(fast, "paijat-hame")
    assert coverage_detail(fast, region) == coverage_detail(QueryBackend(bundled_store), region)


def test_coverage_paths_answer_as_the_queries(base_store: Store, tmp_path: Path) -> None:
    source = tmp_path / "parity.ttl"
    source.write_text(handmade_turtle(), encoding="utf-8")
    ingest(base_store, [source])
    assert _same_everywhere(base_store) > 20
    assert EmbeddedBackend(base_store).coverers(
        ["https://w3id.org/yhdyspinta/theme/paritymaa"], "https://w3id.org/yhdyspinta/id/region/paritymaa")


@pytest.mark.parametrize("day", [date(2024, 1, 1), date(2024, 7, 1), date(2025, 6, 1)], ids=str)
def test_the_corners_answer_as_the_queries(base_store: Store, tmp_path: Path, day: date) -> None:
    source = tmp_path / "corners.ttl"
    source.write_text(CORNERS, encoding="utf-8")
    ingest(base_store, [source])
    fast, reference = EmbeddedBackend(base_store).at(day), QueryBackend(base_store).at(day)
    assert assert_methods_same(reference, fast, reference.regions(), scheme_choices(reference))
    rows = {(m.structure.rsplit("/", 1)[1], m.member.rsplit("/", 1)[1], m.municipality, m.role)
            for m in fast.memberships() if "/corners/" in m.structure}
    # the post counts for its unit's municipality; the dated membership and the ended member drop out in time
    assert ("two-regions", "post", "https://w3id.org/yhdyspinta/id/municipality/398", "coordinator") in rows
    assert (("two-regions", "016") in {r[:2] for r in rows}) == (day >= date(2024, 6, 1))
    assert any(r[1] == "gone" for r in rows) == (day <= date(2023, 12, 31))
    assert any(r[0] == "later" for r in rows) == (day >= date(2025, 1, 1))
    ph = resolve_region(fast, "paijat-hame")
    for analysis in (bridges, load):
        assert analysis(fast, ph).to_json() == analysis(reference, ph).to_json()


def test_closure_follows_steps_zero_or_more_times() -> None:
    steps = {"a": ["b"], "b": ["c", "a"], "d": ["a"]}
    assert closure("a", steps) == {"a", "b", "c"}
    assert closure("x", steps) == {"x"}
    assert closure("d", steps) == {"a", "b", "c", "d"}


def test_csv_rows_read_blank_nodes_and_unbound_values_as_select_does(tmp_path: Path) -> None:
    """Large scans read Oxigraph's CSV (scans.csv_rows): a blank node comes back as Store.select gives it
    (its id, no ``_:``), an unbound value as None, the rest as written; with and without a blank node in
    the answer (without one, rows are taken as they come)."""
    from yhdyspinta.graph.backends.embedded.scans import csv_rows
    from yhdyspinta.graph.store.store import GraphWrite, SourceRecord, now_iso

    data = b"""<https://example.org/s1> <https://example.org/member> _:b1 .
<https://example.org/s1> <https://example.org/label> "Eka, \\"lainattu\\"" .
<https://example.org/s2> <https://example.org/member> <https://example.org/m2> .
"""
    graph = "https://example.org/g"
    with Store(tmp_path / "store") as store:
        store.replace_graphs([GraphWrite(graph, data, SourceRecord(graph, "test", "-", 3, now_iso()))])
        text = """SELECT ?s ?m ?label WHERE { ?s <https://example.org/member> ?m
                  OPTIONAL { ?s <https://example.org/label> ?label } } ORDER BY ?s"""
        expected = [(r["s"], r["m"], r["label"]) for r in store.select(text)]
        assert list(csv_rows(store, text, ("s", "m", "label"))) == expected
        assert expected[0][1] and not expected[0][1].startswith("_:") and expected[1][2] is None
        plain = "SELECT ?s WHERE { ?s <https://example.org/member> ?m } ORDER BY ?s"
        assert list(csv_rows(store, plain, ("s",))) == [(r["s"],) for r in store.select(plain)]
