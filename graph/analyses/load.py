"""Concentration: who carries the most memberships and roles.

The sources observe that in small municipalities the same few people carry
everything. Two tables:

- *Actors*: for each actor (organisation, unit or post) the active forums and
  networks it is a member of, and those it coordinates or convenes.
- *Municipalities*: for each municipality, what is on record of its part in the
  active structures of the region (of every region, without one): the distinct
  structures it takes part in, itself or through one of its posts or units
  (``memberships``), and the coordinator and convener roles it or they hold there
  (``roles``). Entries that stand for each municipality's own structure of a kind
  (yhd:perMunicipality true) are counted apart (``own``): such an entry is one line of
  the source read as one structure per municipality, the same for every municipality,
  not a seat in a shared structure, so it stays out of the figure per inhabitant.
  ``region_wide`` says how many of the memberships are in structures in which every
  municipality of the structure's region takes part (the same for all of them).
  The figure per 10 000 inhabitants is (memberships + roles) / population x 10 000.

Three states (graph/analyses/record.py): a municipality with no membership or role on
record is *not on record*: it has no figure and no rank (nothing on record is not "no
load"), and is listed after the ranking. The ranking orders the others by the figure
(ties share a rank); each row says how much is on record, and the title how many of the
active structures have any member on record at all, since most member lists are not.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from yhdyspinta.graph.analyses.record import NOT_ON_RECORD, PRESENT
from yhdyspinta.graph.analyses.result import ResultTables
from yhdyspinta.graph.backends.protocol import Backend, MunicipalityRow, kept_result
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
    memberships: int  # distinct shared structures it takes part in (itself, or a post or unit of it)
    roles: int  # coordinator and convener roles held there
    own: int  # one-per-municipality entries (its own structure of a kind): not in the figure
    region_wide: int  # of memberships: structures every municipality of their region takes part in
    per_10k: float | None  # (memberships + roles) per 10 000 inhabitants; None: nothing on record or no population
    rank: int | None  # None: not ranked (nothing on record, or no population on record)
    record: str  # "present" or "not on record"

    @property
    def total(self) -> int:
        return self.memberships + self.roles


@dataclass
class LoadReport(ResultTables):
    region: str | None  # the region's IRI; None: every region
    actors: list[ActorLoad]
    municipalities: list[MunicipalityLoad]
    structures: int = 0  # active structures considered
    with_members: int = 0  # of them, those with any member, coordinator or convener on record
    not_on_record: list[MunicipalityLoad] = field(default_factory=list)
    title: str = "Load: memberships and roles by actor"
    columns: tuple[str, ...] = ("label", "kind", "memberships", "roles", "municipality_label", "population")

    def rows(self, **_: Any) -> list[dict[str, Any]]:
        return [a.__dict__ for a in self.actors]

    @property
    def ranking_title(self) -> str:
        return (f"Load per municipality: memberships and roles on record per 10 000 inhabitants "
                f"(members are on record for {self.with_members} of the {self.structures} active structures)")

    def municipality_rows(self) -> list[dict[str, Any]]:
        return [
            {"rank": m.rank if m.rank is not None else "not ranked", "label": m.label, "population": m.population,
             "on_record": f"{m.memberships} membership(s), {m.roles} role(s)",
             "region_wide": m.region_wide, "own": m.own,
             "per_10k": m.per_10k if m.per_10k is not None else _why_no_figure(m)}
            for m in self.municipalities
        ]

    def extra_tables(self) -> list[tuple[str, tuple[str, ...], list[dict[str, Any]]]]:
        tables: list[tuple[str, tuple[str, ...], list[dict[str, Any]]]] = [
            (self.ranking_title, ("rank", "label", "population", "on_record", "region_wide", "own", "per_10k"),
             self.municipality_rows()),
        ]
        if self.not_on_record:
            names = ", ".join(m.label for m in self.not_on_record)
            tables.append((f"Not on record, not ranked: {len(self.not_on_record)} municipalities with no "
                           "membership or role on record", ("municipalities",), [{"municipalities": names}]))
        return tables

    def to_json(self, **_: Any) -> dict[str, Any]:
        return {
            "region": self.region,
            "structures": self.structures,
            "structures_with_members_on_record": self.with_members,
            "actors": [a.__dict__ for a in self.actors],
            "municipalities": [{**m.__dict__, "total": m.total} for m in self.municipalities],
            "not_on_record": [{"municipality": m.municipality, "label": m.label, "population": m.population}
                              for m in self.not_on_record],
        }


def _why_no_figure(m: MunicipalityLoad) -> str:
    if not m.total:
        return "only its own structures on record" if m.own else NOT_ON_RECORD
    return "no population on record"


def load(backend: Backend, region: Region | None = None) -> LoadReport:
    """Memberships and roles per actor, and per municipality against its size. Every region's is kept
    by the back end where it can (:func:`~yhdyspinta.graph.backends.protocol.kept_result`)."""
    if region is None:
        return kept_result(backend, "load", lambda: _load(backend, None), _encoded, _decoded)
    return _load(backend, region)


def _encoded(r: LoadReport) -> dict[str, Any]:
    return {"region": r.region, "actors": [list(a.__dict__.values()) for a in r.actors],
            "municipalities": [list(m.__dict__.values()) for m in r.municipalities],
            "structures": r.structures, "with_members": r.with_members,
            "not_on_record": [list(m.__dict__.values()) for m in r.not_on_record]}


def _decoded(d: dict[str, Any]) -> LoadReport:
    return LoadReport(d["region"], [ActorLoad(*a) for a in d["actors"]],
                      [MunicipalityLoad(*m) for m in d["municipalities"]], structures=d["structures"],
                      with_members=d["with_members"], not_on_record=[MunicipalityLoad(*m) for m in d["not_on_record"]])


def _load(backend: Backend, region: Region | None) -> LoadReport:
    iri = region.iri if region else None
    structures = [s for s in backend.structures(iri) if not s.planned]
    active = {s.iri for s in structures}
    regions_of: dict[str, set[str]] = {}
    for s in structures:
        if s.region:
            regions_of.setdefault(s.iri, set()).add(s.region)
    own_kind = set(backend.per_municipality(iri))
    municipalities: dict[str, MunicipalityRow] = {}
    in_region: dict[str, set[str]] = {}
    for r in [iri] if iri else [g.iri for g in backend.regions()]:
        for row in backend.municipalities(r):
            municipalities[row.iri] = row
            in_region.setdefault(r, set()).add(row.iri)

    counts: dict[str, list[int]] = {}
    info: dict[str, tuple[str, str, str | None]] = {}
    taking_part: dict[str, set[str]] = {}  # municipality -> structures
    roles: dict[str, set[tuple[str, str]]] = {}  # municipality -> (structure, role)
    participants: dict[str, set[str]] = {}  # structure -> municipalities taking part
    with_members: set[str] = set()
    for m in backend.memberships(iri):
        if m.structure not in active:
            continue
        with_members.add(m.structure)
        c = counts.setdefault(m.member, [0, 0])
        c[0 if m.role == ROLE_MEMBER else 1] += 1
        info[m.member] = (m.label, m.kind, m.municipality)
        if m.municipality:
            participants.setdefault(m.structure, set()).add(m.municipality)
            taking_part.setdefault(m.municipality, set()).add(m.structure)
            if m.role != ROLE_MEMBER:
                roles.setdefault(m.municipality, set()).add((m.structure, m.role))

    actors = []
    for actor, (n_members, n_roles) in counts.items():
        label, kind, mun = info[actor]
        found = municipalities.get(mun) if mun else None
        actors.append(ActorLoad(actor, label, kind, n_members, n_roles, mun,
                                found.label if found else None, found.population if found else None))
    actors.sort(key=lambda a: (-(a.memberships + a.roles), a.label))

    def region_wide(structure: str) -> bool:
        everyone = [in_region.get(r, set()) for r in regions_of.get(structure, set())]
        return any(e and e <= participants.get(structure, set()) for e in everyone)

    ranked: list[MunicipalityLoad] = []
    unranked: list[MunicipalityLoad] = []
    for mun_iri in sorted(set(municipalities) | set(taking_part)):
        found = municipalities.get(mun_iri)
        pop = found.population if found else None
        label = found.label if found else info.get(mun_iri, (mun_iri,))[0]
        mine = taking_part.get(mun_iri, set())
        shared = mine - own_kind
        held = {(s, role) for s, role in roles.get(mun_iri, set()) if s in shared}
        total = len(shared) + len(held)
        entry = MunicipalityLoad(
            municipality=mun_iri, label=label, population=pop, memberships=len(shared), roles=len(held),
            own=len(mine & own_kind), region_wide=sum(1 for s in shared if region_wide(s)),
            per_10k=round(total / pop * 10000, 2) if pop and total else None, rank=None,
            record=PRESENT if mine else NOT_ON_RECORD,
        )
        (ranked if entry.per_10k is not None else unranked).append(entry)
    ranked.sort(key=lambda x: (-(x.per_10k or 0), x.label))
    positioned: list[MunicipalityLoad] = []
    for i, entry in enumerate(ranked):
        rank = positioned[-1].rank if positioned and positioned[-1].per_10k == entry.per_10k else i + 1
        positioned.append(replace(entry, rank=rank))
    shown = positioned + [x for x in unranked if x.record == PRESENT]
    absent = sorted((x for x in unranked if x.record == NOT_ON_RECORD), key=lambda x: x.label)
    return LoadReport(iri, actors, shown, structures=len(active), with_members=len(with_members & active),
                      not_on_record=absent)
