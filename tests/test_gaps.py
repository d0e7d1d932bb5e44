"""The gap analysis: its definition pinned on a hand-made graph, and the bundled data."""

from __future__ import annotations

from pathlib import Path

import pytest

from yhdyspinta.errors import NotFoundError
from yhdyspinta.graph.analyses.gaps import coverage_gaps, resolve_scheme
from yhdyspinta.graph.analyses.record import default_schemes, explain, resolve_theme
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend
from yhdyspinta.graph.regions import resolve_region
from yhdyspinta.graph.store.store import Store
from yhdyspinta.ingest import ingest

DATA = Path(__file__).parent / "data"
T = "https://w3id.org/yhdyspinta/theme/testland/"


@pytest.fixture
def handmade(base_store: Store) -> EmbeddedBackend:
    """The ontology and reference data plus the hand-made graph."""
    ingest(base_store, [DATA / "gaps_handmade.ttl"])
    return EmbeddedBackend(base_store)


def test_coverage_flows_up_and_across_but_not_down_or_related(handmade: EmbeddedBackend) -> None:
    report = coverage_gaps(handmade, resolve_region(handmade, "testland"))
    assert report.schemes == ["https://w3id.org/yhdyspinta/theme/testland",
                              "https://w3id.org/yhdyspinta/theme/national"]
    testland = {t.theme.removeprefix(T): t for t in report.themes if t.theme.startswith(T)}
    covered = {k for k, t in testland.items() if not t.is_gap}
    # leaf covers itself and, upwards, child and top; broadMatch and exactMatch cover across
    assert covered == {"leaf", "child", "top", "close", "alone", "hub"}
    # never downwards (sibling), not along relatedMatch or closeMatch (near, and spoke, a closeMatch of the
    # covered hub), not by a planned network, not by a network of another region
    assert {k for k, t in testland.items() if t.is_gap} == {"sibling", "related", "planned-only", "stated", "near",
                                                             "spoke"}
    other = {t.theme.rsplit("/", 1)[1]: t for t in coverage_gaps(
        handmade, resolve_region(handmade, "testland"),
        schemes=[resolve_scheme(handmade, "testland-other")]).themes}
    # up to hub and back down to its other narrow match: never
    assert not other["up"].is_gap and other["down"].is_gap
    assert [c.label for c in testland["top"].covered_by] == ["Lehtiverkosto"]
    assert [c.kind for c in testland["alone"].covered_by] == ["forum"]


def test_gaps_show_what_the_sources_state(handmade: EmbeddedBackend) -> None:
    report = coverage_gaps(handmade, resolve_region(handmade, "Testimaa"))
    stated = next(t for t in report.themes if t.theme == T + "stated")
    assert stated.is_gap
    assert stated.statement == "Lähteen mukaan teemalla ei ole verkostoa."


def test_national_scheme_is_all_gaps_without_structures(handmade: EmbeddedBackend) -> None:
    report = coverage_gaps(handmade, resolve_region(handmade, "testland"), schemes=[resolve_scheme(handmade, "national")])
    assert report.themes and all(t.is_gap for t in report.themes)


def test_unknown_region_and_scheme_are_clear_errors(handmade: EmbeddedBackend) -> None:
    with pytest.raises(NotFoundError, match="Did you mean testland"):
        resolve_region(handmade, "testlnd")
    with pytest.raises(NotFoundError, match="known: .*testland"):
        resolve_scheme(handmade, "nowhere")


def test_report_renders_rows_and_json(handmade: EmbeddedBackend) -> None:
    report = coverage_gaps(handmade, resolve_region(handmade, "testland"))
    rows = report.rows()
    assert {r["theme"] for r in rows} >= {"testland/sibling", "testland/related"}
    data = report.to_json(only_gaps=False)
    assert data["gap_count"] == len(report.gaps)
    assert data["themes_considered"] == len(report.themes)


def test_paijat_hame_gaps_name_cultural_wellbeing(bundled_store: Store) -> None:
    backend = EmbeddedBackend(bundled_store)
    report = coverage_gaps(backend, resolve_region(backend, "paijat-hame"))
    gaps = {t.label_fi for t in report.gaps}
    assert "Kulttuurihyvinvointi" in gaps
    culture = next(t for t in report.gaps if t.label_fi == "Kulttuurihyvinvointi")
    assert culture.statement and "Kauno" in culture.statement
    # groups that the network list fills are not gaps
    covered = {t.label_fi for t in report.themes if not t.is_gap}
    assert {"Ehkäisevä työ", "Kotouttaminen", "Työllisyyden edistäminen"} <= covered


def test_gaps_keep_the_three_states_apart(handmade: EmbeddedBackend) -> None:
    report = coverage_gaps(handmade, resolve_region(handmade, "testland"))
    states = {t.theme.removeprefix(T): t.record for t in report.themes if t.theme.startswith(T)}
    assert states["stated"] == "absent (stated)"  # yhd:hasRegionalNetwork false
    assert states["sibling"] == states["related"] == "not on record"
    assert states["leaf"] == states["top"] == "present"
    assert next(t for t in report.to_json()["themes"] if t["theme"] == T + "stated")["record"] == "absent (stated)"


def _why(backend: EmbeddedBackend, theme: str) -> dict[str, str]:
    region = resolve_region(backend, "testland")
    found = explain(backend, region, resolve_theme(backend, theme, prefer=default_schemes(backend, region)))
    assert not found.disagreements
    return {s.label: s.reason for s in found.structures}


def test_explain_writes_out_each_path(handmade: EmbeddedBackend) -> None:
    """Each coverer with the steps that made it count; the store's coverers and the explanation agree."""
    assert _why(handmade, "testland/leaf") == {"Lehtiverkosto": "tagged directly"}
    assert _why(handmade, "testland/top") == {
        "Lehtiverkosto": "via narrower theme Lehti (skos:broader) to Lapsi, then (skos:broader) to Ylä"}
    assert _why(handmade, "Lähellä") == {"Läheisverkosto": "via mapping Tarkka (exactMatch) to Lähellä"}
    assert _why(handmade, "testland/alone") == {"Foorumi": "via mapping Kapea (broadMatch) to Yksin"}
    # planned: on the path, not counted, and says why
    assert _why(handmade, "testland/planned-only") == {
        "Suunniteltu verkosto": "not counted: planned only (yhd:status planned), covers nothing yet"}
    # never down, never along relatedMatch or closeMatch: nothing counts for the sibling, the related, near or spoke
    for theme in ("testland/sibling", "testland/related", "testland/near", "testland/spoke"):
        assert _why(handmade, theme) == {}


def test_explain_shows_related_themes_as_not_counted(handmade: EmbeddedBackend) -> None:
    region = resolve_region(handmade, "testland")
    near = explain(handmade, region, resolve_theme(handmade, "testland/near"))
    assert [(r.label, r.link, r.structures) for r in near.related] == [
        ("Lähi", "Lähi closeMatch Läheinen", ("Lähiverkosto",))]
    assert near.record == "not on record" and not near.counted
    rows = near.rows()
    assert rows[-1]["counts"] == "related, not counted" and "Lähiverkosto" in rows[-1]["why"]
    related = explain(handmade, region, resolve_theme(handmade, "testland/related"))
    assert [(r.label, r.structures) for r in related.related] == [("Suhde", ("Suhdeverkosto",))]
    stated = explain(handmade, region, resolve_theme(handmade, "Todettu"))
    assert stated.record == "absent (stated)" and stated.statement == "Lähteen mukaan teemalla ei ole verkostoa."


def test_resolve_theme_takes_what_people_type(handmade: EmbeddedBackend) -> None:
    for text in ("testland/leaf", "/testland/leaf/", T + "leaf", "Lehti", "lehti", "Leaf"):
        assert resolve_theme(handmade, text).theme == T + "leaf"
    with pytest.raises(NotFoundError, match="no theme 'nowhere'"):
        resolve_theme(handmade, "nowhere")
    # "Nära" is Swedish only; the English "Relation" names u:rel alone; "Close" (en) names t:close
    assert resolve_theme(handmade, "Close").theme == T + "close"
