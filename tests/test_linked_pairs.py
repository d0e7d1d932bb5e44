"""Linked pairs ranked without sorting every pair (graph/analyses/bridges.py) rank as the full sort does."""

from __future__ import annotations

import itertools
import random

import pytest

from yhdyspinta.graph.analyses.bridges import LinkedPair, linked_pairs


def _full_sort(members: dict[str, set[str]], labels: dict[str, str]) -> list[LinkedPair]:
    """The definition: every pair of structures sharing a member, sorted."""
    by_actor: dict[str, list[str]] = {}
    for s, ms in members.items():
        for m in ms:
            by_actor.setdefault(m, []).append(s)
    shared: dict[tuple[str, str], int] = {}
    for ss in by_actor.values():
        for a, b in itertools.combinations(sorted(ss), 2):
            shared[(a, b)] = shared.get((a, b), 0) + 1
    return sorted((LinkedPair(a, labels[a], b, labels[b], n, round(n / len(members[a] | members[b]), 4))
                   for (a, b), n in shared.items()), key=lambda p: (-p.shared, -p.jaccard, p.a_label, p.b_label, p.a, p.b))


@pytest.mark.parametrize("seed", range(12))
def test_the_kept_pairs_are_the_top_of_the_full_sort(seed: int) -> None:
    rng = random.Random(seed)
    actors = [f"urn:a:{i}" for i in range(rng.randint(2, 25))]
    members = {f"urn:s:{i:03}": set(rng.sample(actors, rng.randint(1, min(6, len(actors)))))
               for i in range(rng.randint(2, 80))}
    # labels that tie and labels that disagree with the IRI order
    labels = {s: f"L{rng.randint(0, 9)}" for s in members} | {a: a for a in actors}
    keep = rng.choice([1, 5, 15, 50, 10_000])
    expected = _full_sort(members, labels)[:keep]
    assert linked_pairs(members, labels, keep) == expected
    assert len(expected) == min(keep, len(_full_sort(members, labels)))


def test_no_shared_member_no_pair() -> None:
    assert linked_pairs({"urn:s:1": {"urn:a:1"}, "urn:s:2": {"urn:a:2"}}, {"urn:s:1": "a", "urn:s:2": "b"}) == []
    assert linked_pairs({}, {}) == []
