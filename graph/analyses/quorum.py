"""Pilot quorum: has a regional pilot the commitments its rule asks for?

The rule of the 2023-2025 regional pilots (000-002): the welfare area and at
least half (yhd:quorumMunicipalShare) of the region's municipalities must
commit. On the evidence in the graph: a municipality has committed when a
yhd:Commitment names it; the welfare area likewise. The municipalities counted
are the region's current ones. "Met" needs the welfare area (if the rule asks
for it) and ceil(share x municipalities) municipal commitments; otherwise the
report says how many more are needed and who is missing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from yhdyspinta.graph.backends.protocol import Backend, CommitmentRow, MunicipalityRow
from yhdyspinta.graph.regions import Region
from yhdyspinta.ontology.vocabulary import MUNICIPALITY, WELFARE_AREA


@dataclass
class PilotQuorum:
    pilot: str
    label: str
    region: str | None
    rule_share: float | None
    requires_welfare_area: bool
    municipalities: int
    committed: list[CommitmentRow]
    welfare_area_committed: bool
    missing: list[MunicipalityRow]

    @property
    def needed(self) -> int | None:
        return math.ceil(self.rule_share * self.municipalities) if self.rule_share is not None else None

    @property
    def municipal_commitments(self) -> int:
        return sum(1 for c in self.committed if c.committer_kind == MUNICIPALITY)

    @property
    def met(self) -> bool | None:
        if self.needed is None:
            return None
        wa_ok = self.welfare_area_committed or not self.requires_welfare_area
        return wa_ok and self.municipal_commitments >= self.needed


@dataclass
class QuorumReport:
    pilots: list[PilotQuorum]
    title: str = "Pilot quorum"
    columns: tuple[str, ...] = ("pilot", "municipalities", "committed", "needed", "welfare_area", "met", "missing")

    def rows(self, **_: Any) -> list[dict[str, Any]]:
        return [
            {
                "pilot": p.label,
                "municipalities": p.municipalities,
                "committed": p.municipal_commitments,
                "needed": p.needed if p.needed is not None else "no rule on record",
                "welfare_area": "committed" if p.welfare_area_committed else "no commitment on record",
                "met": {True: "yes", False: "no", None: "unknown"}[p.met],
                "missing": len(p.missing),
            }
            for p in self.pilots
        ]

    def extra_tables(self) -> list[tuple[str, tuple[str, ...], list[dict[str, Any]]]]:
        tables: list[tuple[str, tuple[str, ...], list[dict[str, Any]]]] = []
        for p in self.pilots:
            tables.append((f"{p.label}: commitments",
                           ("committer_label", "date", "body", "section", "record", "responsible"),
                           [c.__dict__ for c in p.committed]))
            if p.missing:
                tables.append((f"{p.label}: no commitment on record", ("code", "label", "population"),
                               [m.__dict__ for m in p.missing]))
        return tables

    def to_json(self, **_: Any) -> dict[str, Any]:
        return {
            "pilots": [
                {
                    "pilot": p.pilot, "label": p.label, "region": p.region,
                    "rule": {"municipal_share": p.rule_share, "requires_welfare_area": p.requires_welfare_area},
                    "municipalities": p.municipalities, "needed": p.needed,
                    "municipal_commitments": p.municipal_commitments,
                    "welfare_area_committed": p.welfare_area_committed, "met": p.met,
                    "commitments": [c.__dict__ for c in p.committed],
                    "missing": [m.label for m in p.missing],
                }
                for p in self.pilots
            ]
        }


def quorum(backend: Backend, region: Region | None = None) -> QuorumReport:
    """The quorum status of every pilot (of one region, if given)."""
    commitments = backend.commitments()
    out = []
    for p in backend.pilots():
        if region and p.region != region.iri:
            continue
        municipalities = backend.municipalities(p.region) if p.region else []
        mine = sorted((c for c in commitments if c.pilot == p.iri), key=lambda c: (c.date or "9999", c.committer_label))
        committed = {c.committer for c in mine}
        out.append(PilotQuorum(
            pilot=p.iri, label=p.label, region=p.region, rule_share=p.municipal_share,
            requires_welfare_area=p.requires_welfare_area, municipalities=len(municipalities),
            committed=mine, welfare_area_committed=any(c.committer_kind == WELFARE_AREA for c in mine),
            missing=[m for m in municipalities if m.iri not in committed],
        ))
    return QuorumReport(out)
