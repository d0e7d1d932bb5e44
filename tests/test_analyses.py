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


@pytest.fixture
def record(base_store: Store) -> EmbeddedBackend:
    """The hand-made graph with what is on record in its three states (tests/data/record_handmade.ttl)."""
    ingest(base_store, [DATA / "analyses_handmade.ttl", DATA / "record_handmade.ttl"])
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
    exact, sampled = bridges(hand), bridges(hand, sample_above=3, budget=1)
    assert not exact.sampled and sampled.sampled
    assert {n for n, _l, _v in sampled.betweenness} <= {n for n, _l, _v in exact.betweenness} | set(sampled.labels)


def test_load_counts_memberships_roles_and_size(hand: EmbeddedBackend) -> None:
    r = load(hand)
    by = {a.label: a for a in r.actors}
    assert (by["Ykkönen"].memberships, by["Ykkönen"].roles) == (2, 0)
    assert (by["Ykkösen hyte-koordinaattori"].memberships, by["Ykkösen hyte-koordinaattori"].roles) == (1, 1)
    assert by["Ykkösen hyte-koordinaattori"].municipality_label == "Ykkönen"
    assert by["Nelonen"].memberships == 1  # the planned N5 does not count
    per = {m.label: (m.memberships, m.roles, m.per_10k, m.rank) for m in r.municipalities
           if m.label in {"Ykkönen", "Kakkonen", "Kolmonen", "Nelonen"}}
    # a municipality counts each structure once, whether itself or its post takes part (Ykkönen and its
    # coordinator in N1: one membership), and the roles its posts hold there (the coordinator of N1)
    assert per == {"Ykkönen": (2, 1, 30.0, 1), "Kakkonen": (2, 0, 10.0, 2), "Kolmonen": (2, 0, 0.4, 4),
                   "Nelonen": (1, 0, 3.33, 3)}
    assert r.municipalities[0].label == "Ykkönen"  # the smallest carries the most


def test_load_keeps_nothing_on_record_apart(record: EmbeddedBackend) -> None:
    """A municipality with no membership on record is not ranked, neither first nor last; a one-per-municipality
    entry is counted apart, not in the figure per inhabitant."""
    r = load(record, resolve_region(record, TESTLAND))
    assert [m.label for m in r.municipalities] == ["Ykkönen", "Kakkonen", "Nelonen", "Kolmonen"]
    assert [m.label for m in r.not_on_record] == ["Viitonen"]
    viitonen = r.not_on_record[0]
    assert (viitonen.per_10k, viitonen.rank, viitonen.record) == (None, None, "not on record")
    ykkonen = r.municipalities[0]
    assert (ykkonen.memberships, ykkonen.roles, ykkonen.own, ykkonen.per_10k) == (1, 1, 1, 20.0)  # N1 + role; N6 own
    assert (r.structures, r.with_members) == (5, 5)  # N1, N2, N3, F1, N6 (N5 is planned)
    assert r.extra_tables()[-1][2] == [{"municipalities": "Viitonen"}]


def test_quorum_rule(hand: EmbeddedBackend) -> None:
    pilots = {p.label: p for p in quorum(hand, resolve_region(hand, TESTLAND)).pilots}
    q1, q2 = pilots["Q1"], pilots["Q2"]
    assert (q1.municipalities, q1.needed, q1.municipal_commitments, q1.welfare_area_committed) == (4, 2, 2, True)
    assert q1.met is True and q1.on_record == "2 of 4 on record, 2 needed" and q1.verdict == "met on record"
    assert [c.committer_label for c in q1.committed] == ["Testimaan hyvinvointialue", "Ykkönen", "Kakkonen"]
    assert {m.label for m in q1.missing} == {"Kolmonen", "Nelonen"}
    assert (q2.needed, q2.municipal_commitments, q2.met) == (3, 1, False)
    assert q2.verdict == "not met on record: 2 more municipal decision(s) needed"
    rows = {r["pilot"]: r for r in quorum(hand, resolve_region(hand, TESTLAND)).rows()}
    assert rows["Q2"]["no decision on record"] == 3 and rows["Q2"]["welfare_area"] == "decision on record"
    # a decision without a date is on record; what it lacks says so
    undated = next(t for t in quorum(hand, resolve_region(hand, TESTLAND)).extra_tables() if t[0] == "Q2: decisions on record")
    assert [(r["committer_label"], r["date"]) for r in undated[2]] == [
        ("Testimaan hyvinvointialue", "not on record"), ("Ykkönen", "not on record")]


def test_coverage_detail(hand: EmbeddedBackend) -> None:
    d = coverage_detail(hand, resolve_region(hand, "testland"), schemes=[NATIONAL_SCHEME])
    assert d.matrix[TH + "tyollisyys"]["viranhaltijajohto"] == ["F1"]
    assert d.matrix[TH + "tyollisyys"]["level not recorded"] == ["N1"]
    assert TH + "hyte" in d.without_mandate and TH + "tyollisyys" not in d.without_mandate
    hyte, work = d.presence[TH + "hyte"], d.presence[TH + "tyollisyys"]
    assert [m.label for m in hyte.not_on_record] == ["Nelonen"] and not hyte.absent_stated
    assert hyte.present[ID + "municipality/901"] == ("N1", "N1 (through Ykkösen hyte-koordinaattori)")
    assert [m.label for m in work.not_on_record] == ["Kolmonen"]
    assert {t.theme for t in d.gaps.gaps} >= {TH + "varautuminen-ja-turvallisuus"}
    assert all(t.record == "not on record" for t in d.gaps.gaps)
    rows = d.rows()
    assert next(r for r in rows if r["theme"] == "national/tyollisyys")["viranhaltijajohto"] == 1
    blocks = {b["block"]: b["state"] for b in d.block_status()}
    assert blocks["Yhteistyön foorumit ja areenat"] == "present"  # F1, an active forum
    assert set(blocks.values()) == {"present", "not on record"}
    assert {a["state"] for a in d.agreement_status()} == {"not on record"}


def test_coverage_detail_three_states(record: EmbeddedBackend) -> None:
    """Present (also through a one-per-municipality entry), absent as a source states it, not on record."""
    d = coverage_detail(record, resolve_region(record, "testland"), schemes=[NATIONAL_SCHEME])
    work = d.presence[TH + "tyollisyys"]
    assert [m.label for m in work.absent_stated] == ["Kolmonen"]  # the statement, not "not on record"
    assert [m.label for m in work.not_on_record] == ["Viitonen"]
    safety = d.presence[TH + "varautuminen-ja-turvallisuus"]
    # N6 lists only Ykkönen, but it stands for each municipality's own network: all five are present
    assert len(safety.present) == 5 and not safety.not_on_record and not safety.absent_stated
    assert safety.present[ID + "municipality/904"] == ("own N6 (one per municipality)",)
    blocks = {b["block"]: (b["state"], b["basis"]) for b in d.block_status()}
    assert blocks["Yhteinen tilannekuva ja tietopohja"] == ("present", "profile: yhd:hasBuildingBlock")
    assert blocks["Yhteiset tavoitteet ja niiden seuranta"] == ("absent (stated)", "profile: yhd:lacksBuildingBlock")
    assert blocks["Lainsäädännön puitteet ja reunaehdot"] == ("not on record", "")
    agreements = {a["block"]: a["state"] for a in d.agreement_status()}
    assert agreements == {"Strateginen yhteistyösopimus": "absent (stated)", "Alasopimukset": "not on record"}
    rows = {r["theme"]: r for r in d.municipality_rows()}
    assert rows["national/tyollisyys"]["absent (stated)"] == "Kolmonen"
    assert rows["national/tyollisyys"]["not on record"] == "Viitonen"


def test_bundled_analyses_answer(bundled_store: Store) -> None:
    b = EmbeddedBackend(bundled_store)
    lappi = quorum(b, resolve_region(b, ID + "region/lappi")).pilots[0]
    assert {c.committer_label for c in lappi.committed} == {"Kemi", "Kemijärvi", "Ranua"}
    assert lappi.needed == 11 and lappi.met is False and lappi.on_record == "3 of 21 on record, 11 needed"
    ph = bridges(b, resolve_region(b, ID + "region/paijat-hame"))
    assert ph.spanners and ph.spanners[0].label == "Lahti"
    assert any(lbl == "Yhdyspintaneuvottelukunta" for _s, lbl, _n in ph.multi_theme)
    kp = load(b, resolve_region(b, ID + "region/keski-pohjanmaa"))
    # the smallest municipality carries the most per head: its seats in the region-wide bodies
    assert kp.municipalities[0].label == "Lestijärvi" and kp.municipalities[0].region_wide == 2
    c = compare(b, resolve_region(b, "paijat-hame"), resolve_region(b, "keski-pohjanmaa"))
    assert c.values["municipalities"] == (10, 8)
    assert c.values["networks"][0] > c.values["networks"][1]
