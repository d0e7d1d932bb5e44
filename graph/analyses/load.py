"""Concentration: who carries the most memberships and roles.

The sources observe that in small municipalities the same few people carry
everything. For each actor (organisation, unit or post): how many forums and
networks it is a member of, how many it coordinates or convenes, and, where the
actor is or belongs to a municipality, that municipality's population and the
load per 10 000 inhabitants (memberships and roles of all the municipality's
actors together), so small municipalities with a heavy load stand out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from yhdyspinta.graph.backends.protocol import Backend, MunicipalityRow
from yhdyspinta.graph.regions import Region
from yhdyspinta.ontology.vocabulary import ROLE_MEMBER


@dataclass(frozen=True)
class ActorLoad:
    actor: str
    label: str
    kind: str
    memberships: int
    roles: int
    municipality: str | None
    municipality_label: str | None
    population: int | None


@dataclass(frozen=True)
class MunicipalityLoad:
    municipality: str
    label: str
    population: int | None
    total: int
    per_10k: float | None


@dataclass
class LoadReport:
    region: str | None  # the region's IRI; None: every region
    actors: list[ActorLoad]
    municipalities: list[MunicipalityLoad]
    title: str = "Load: memberships and roles by actor"
    columns: tuple[str, ...] = ("label", "kind", "memberships", "roles", "municipality_label", "population")

    def rows(self, **_: Any) -> list[dict[str, Any]]:
        return [a.__dict__ for a in self.actors]

    def extra_tables(self) -> list[tuple[str, tuple[str, ...], list[dict[str, Any]]]]:
        return [("Load per municipality", ("label", "population", "total", "per_10k"),
                 [m.__dict__ for m in self.municipalities])]

    def to_json(self, **_: Any) -> dict[str, Any]:
        return {
            "region": self.region,
            "actors": [a.__dict__ for a in self.actors],
            "municipalities": [m.__dict__ for m in self.municipalities],
        }


def load(backend: Backend, region: Region | None = None) -> LoadReport:
    """Memberships and roles per actor, and per municipality against its size."""
    iri = region.iri if region else None
    active = {s.iri for s in backend.structures(iri) if not s.planned}
    counts: dict[str, list[int]] = {}
    info: dict[str, tuple[str, str, str | None]] = {}
    for m in backend.memberships(iri):
        if m.structure not in active:
            continue
        c = counts.setdefault(m.member, [0, 0])
        c[0 if m.role == ROLE_MEMBER else 1] += 1
        info[m.member] = (m.label, m.kind, m.municipality)
    municipalities: dict[str, MunicipalityRow] = {}
    regions = [iri] if iri else [r.iri for r in backend.regions()]
    for r in regions:
        for row in backend.municipalities(r):
            municipalities[row.iri] = row
    actors = []
    for actor, (memberships, roles) in counts.items():
        label, kind, mun = info[actor]
        found = municipalities.get(mun) if mun else None
        actors.append(ActorLoad(actor, label, kind, memberships, roles, mun,
                                found.label if found else None, found.population if found else None))
    actors.sort(key=lambda a: (-(a.memberships + a.roles), a.label))
    totals: dict[str, int] = {}
    for a in actors:
        if a.municipality:
            totals[a.municipality] = totals.get(a.municipality, 0) + a.memberships + a.roles
    per_mun = []
    for mun_iri, total in totals.items():
        found = municipalities.get(mun_iri)
        pop = found.population if found else None
        per_mun.append(MunicipalityLoad(mun_iri, found.label if found else mun_iri, pop, total,
                                        round(total / pop * 10000, 2) if pop else None))
    per_mun.sort(key=lambda m: (-(m.per_10k or 0), m.label))
    return LoadReport(iri, actors, per_mun)
