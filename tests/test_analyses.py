"""The analyses pinned on a hand-made graph whose answers are known
(tests/data/analyses_handmade.ttl), and run on the bundled data."""

from __future__ import annotations

from pathlib import Path

import pytest
from yhdyspinta.graph.analyses.bridges import bridges
from yhdyspinta.graph.analyses.compare import compare
from yhdyspinta.graph.analyses.coverage import coverage_detail
from yhdyspinta.graph.analyses.gaps import NATIONAL_SCHEME
from yhdyspinta.graph.analyses.load import load
from yhdyspinta.graph.analyses.quorum import quorum
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend
from yhdyspinta.graph.regions import resolve_region
from yhdyspinta.graph.store.store import Store
from yhdyspinta.ingest import ingest

DATA = Path(__file__).parent / "data"
ID = "https://w3id.org/yhdyspinta/id/"
TESTLAND = ID + "region/testland"
TH = "https://w3id.org/yhdyspinta/theme/national/"


@pytest.fixture
def hand(base_store: Store) -> EmbeddedBackend:
    ingest(base_store, [DATA / "analyses_handmade.ttl"])
    return EmbeddedBackend(base_store)


def test_bridges_whole_graph(hand: EmbeddedBackend) -> None:
    r = bridges(hand)
    labels = r.labels
    assert [(labels[s], n) for s, _l, n in r.multi_theme if s.startswith(ID + "network/testland")] == [("N1", 2)]
    spanners = {s.label: s for s in r.spanners if s.actor.startswith(ID + "municipality/90")}
    assert spanners["Ykkönen"].role == "liaison" and spanners["Ykkönen"].regions == 2
    assert spanners["Kakkonen"].role == "cross-theme broker" and spanners["Kakkonen"].themes == 2
    assert spanners["Kolmonen"].role == "cross-theme broker"
    assert "Nelonen" not in spanners  # one active structure only (N5 is planned)
    assert "Ykkösen hyte-koordinaattori" not in {s.label for s in r.spanners}  # one structure only
    pairs = {tuple(sorted((p.a_label, p.b_label))): (p.shared, p.jaccard) for p in r.pairs if p.a_label in {"N1", "N2", "N3", "N4"}}
    assert pairs == {("N1", "N2"): (1, 0.25), ("N2", "N3"): (1, 0.5), ("N1", "N4"): (1, 0.3333)}
    cut = {label for n, label in r.cut_points if n.startswith((ID + "municipality/90", ID + "network/testland"))}
    assert cut == {"Ykkönen", "Kakkonen", "Kolmonen", "N1", "N2"}
    assert ("F1", "Nelonen") in r.cut_edges
    assert r.betweenness[0][1] in {"N1", "Kakkonen", "N2"}


def test_bridges_limited_to_a_region(hand: EmbeddedBackend) -> None:
    r = bridges(hand, resolve_region(hand, TESTLAND))
    assert {s.label for s in r.spanners} == {"Kakkonen", "Kolmonen"}
    assert all(s.role == "cross-theme broker" for s in r.spanners)


def test_betweenness_samples_large_graphs(hand: EmbeddedBackend) -> None:
    exact, sampled = bridges(hand), bridges(hand, sample_above=3)
    assert not exact.sampled and sampled.sampled
    assert {n for n, _l, _v in sampled.betweenness} <= {n for n, _l, _v in exact.betweenness} | set(sampled.labels)


def test_load_counts_memberships_roles_and_size(hand: EmbeddedBackend) -> None:
    r = load(hand)
    by = {a.label: a for a in r.actors}
    assert (by["Ykkönen"].memberships, by["Ykkönen"].roles) == (2, 0)
    assert (by["Ykkösen hyte-koordinaattori"].memberships, by["Ykkösen hyte-koordinaattori"].roles) == (1, 1)
    assert by["Ykkösen hyte-koordinaattori"].municipality_label == "Ykkönen"
    assert by["Nelonen"].memberships == 1  # the planned N5 does not count
    per = {m.label: (m.total, m.per_10k) for m in r.municipalities if m.label in {"Ykkönen", "Kakkonen", "Kolmonen", "Nelonen"}}
    assert per == {"Ykkönen": (4, 40.0), "Kakkonen": (2, 10.0), "Kolmonen": (2, 0.4), "Nelonen": (1, 3.33)}
    assert r.municipalities[0].label == "Ykkönen"  # the smallest carries the most


def test_quorum_rule(hand: EmbeddedBackend) -> None:
    pilots = {p.label: p for p in quorum(hand, resolve_region(hand, TESTLAND)).pilots}
    q1, q2 = pilots["Q1"], pilots["Q2"]
    assert (q1.municipalities, q1.needed, q1.municipal_commitments, q1.welfare_area_committed) == (4, 2, 2, True)
    assert q1.met is True
    assert [c.committer_label for c in q1.committed] == ["Testimaan hyvinvointialue", "Ykkönen", "Kakkonen"]
    assert {m.label for m in q1.missing} == {"Kolmonen", "Nelonen"}
    assert (q2.needed, q2.municipal_commitments, q2.met) == (3, 1, False)


def test_coverage_detail(hand: EmbeddedBackend) -> None:
    d = coverage_detail(hand, resolve_region(hand, "testland"), schemes=[NATIONAL_SCHEME])
    assert d.matrix[TH + "tyollisyys"]["viranhaltijajohto"] == ["F1"]
    assert d.matrix[TH + "tyollisyys"]["level not recorded"] == ["N1"]
    assert TH + "hyte" in d.without_mandate and TH + "tyollisyys" not in d.without_mandate
    assert [m.label for m in d.absent[TH + "hyte"]] == ["Nelonen"]
    assert [m.label for m in d.absent[TH + "tyollisyys"]] == ["Kolmonen"]
    assert {t.theme for t in d.gaps.gaps} >= {TH + "varautuminen-ja-turvallisuus"}
    rows = d.rows()
    assert next(r for r in rows if r["theme"] == "national/tyollisyys")["viranhaltijajohto"] == 1


def test_bundled_analyses_answer(bundled_store: Store) -> None:
    b = EmbeddedBackend(bundled_store)
    lappi = quorum(b, resolve_region(b, ID + "region/lappi")).pilots[0]
    assert {c.committer_label for c in lappi.committed} == {"Kemi", "Kemijärvi", "Ranua"}
    assert lappi.needed == 11 and lappi.met is False
    ph = bridges(b, resolve_region(b, ID + "region/paijat-hame"))
    assert ph.spanners and ph.spanners[0].label == "Lahti"
    assert any(lbl == "Yhdyspintaneuvottelukunta" for _s, lbl, _n in ph.multi_theme)
    kp = load(b, resolve_region(b, ID + "region/keski-pohjanmaa"))
    assert kp.municipalities[0].label == "Lestijärvi"  # the smallest municipality carries the most per head
    c = compare(b, resolve_region(b, "paijat-hame"), resolve_region(b, "keski-pohjanmaa"))
    assert c.values["municipalities"] == (10, 8)
    assert c.values["networks"][0] > c.values["networks"][1]
