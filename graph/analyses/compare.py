"""Two regions side by side on the analyses.

Gaps are compared in the national scheme (the one vocabulary both regions
share); each region's gaps in its own schemes are given too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from yhdyspinta.graph.analyses.bridges import boundary_spanners
from yhdyspinta.graph.analyses.coverage import coverage_detail
from yhdyspinta.graph.analyses.gaps import coverage_gaps
from yhdyspinta.graph.analyses.quorum import quorum
from yhdyspinta.graph.analyses.result import ResultTables
from yhdyspinta.graph.backends.protocol import Backend, batched
from yhdyspinta.graph.regions import Region
from yhdyspinta.ontology.vocabulary import FORUM, NATIONAL_SCHEME, NETWORK

METRICS = (
    "municipalities", "population", "forums", "networks", "planned structures", "memberships",
    "national themes", "national gaps", "gaps in own schemes", "themes without a forum",
    "boundary spanners", "building blocks on record", "statutory negotiations on record", "pilot quorum",
)


@dataclass
class Comparison(ResultTables):
    a: Region
    b: Region
    values: dict[str, tuple[Any, Any]]
    national_gaps: tuple[list[str], list[str]]
    title: str = "Comparison"

    @property
    def columns(self) -> tuple[str, ...]:
        return ("metric", self.a.slug, self.b.slug)

    def rows(self, **_: Any) -> list[dict[str, Any]]:
        return [{"metric": m, self.a.slug: va, self.b.slug: vb} for m, (va, vb) in self.values.items()]

    def to_json(self, **_: Any) -> dict[str, Any]:
        return {
            "regions": [r.__dict__ for r in (self.a, self.b)],
            "metrics": {m: {self.a.slug: va, self.b.slug: vb} for m, (va, vb) in self.values.items()},
            "national_gaps": {self.a.slug: self.national_gaps[0], self.b.slug: self.national_gaps[1]},
        }


def _profile(backend: Backend, region: Region) -> tuple[dict[str, Any], list[str]]:
    municipalities = backend.municipalities(region.iri)
    structures = backend.structures(region.iri)
    national = coverage_gaps(backend, region, schemes=[NATIONAL_SCHEME])
    own = [s for s, r in backend.theme_schemes() if r == region.iri]
    detail = coverage_detail(backend, region, schemes=own) if own else None
    pilots = quorum(backend, region).pilots
    active = {s.iri for s in structures if not s.planned}
    values: dict[str, Any] = {
        "municipalities": len(municipalities),
        "population": sum(m.population or 0 for m in municipalities),
        "forums": sum(1 for s in structures if s.kind == FORUM and not s.planned),
        "networks": sum(1 for s in structures if s.kind == NETWORK and not s.planned),
        "planned structures": sum(1 for s in structures if s.planned),
        "memberships": sum(1 for m in backend.memberships(region.iri) if m.structure in active),
        "national themes": len(national.themes),
        "national gaps": len(national.gaps),
        "gaps in own schemes": len(detail.gaps.gaps) if detail else "no own scheme",
        "themes without a forum": len(detail.without_mandate) if detail else "no own scheme",
        "boundary spanners": len(boundary_spanners(backend, region)),
        "building blocks on record": sum(1 for b in backend.building_blocks(region.iri) if b.status == "has"),
        "statutory negotiations on record": sum(1 for n in backend.negotiations(region.iri) if n.forum),
        "pilot quorum": ", ".join(
            {True: "met", False: "not met", None: "no rule"}[p.met] for p in pilots
        ) or "no pilot",
    }
    return values, [t.label_fi for t in national.gaps]


def compare(backend: Backend, a: Region, b: Region) -> Comparison:
    """Region ``a`` and region ``b`` on the same metrics."""
    with batched(backend):  # the two profiles ask the same scans several times
        va, ga = _profile(backend, a)
        vb, gb = _profile(backend, b)
    return Comparison(a, b, {m: (va[m], vb[m]) for m in METRICS}, (ga, gb))
