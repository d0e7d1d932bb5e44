"""Pilot quorum: has a regional pilot the commitments its rule asks for?

The rule of the 2023-2025 regional pilots (000-002): the welfare area and at
least half (yhd:quorumMunicipalShare) of the region's municipalities must
commit. On the evidence in the graph: a municipality's decision is *on record*
when a yhd:Commitment names it (yhd:committer), with or without a date; the
welfare area likewise. Every other municipality has *no decision on record*:
the graph does not say it declined (no source states a refusal, and the graph has
no term for one), only that nothing is known. The municipalities counted are the
region's current ones, each counted once however many commitments name it.
"Met" needs the welfare area (if the rule asks for it) and
ceil(share x municipalities) municipal decisions on record; otherwise the report
says how many are on record, how many are needed, and which municipalities have
no decision on record. Where a source states how many municipalities take part
without naming them (yhd:participatingMunicipalityCount), that is shown beside.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from yhdyspinta.graph.analyses.record import NOT_ON_RECORD
from yhdyspinta.graph.analyses.result import ResultTables
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
    missing: list[MunicipalityRow]  # no decision on record
    participating_stated: int | None = None  # as a source states it, without names

    @property
    def needed(self) -> int | None:
        return math.ceil(self.rule_share * self.municipalities) if self.rule_share is not None else None

    @property
    def municipal_commitments(self) -> int:
        """Municipalities with a decision on record (each once)."""
        return len({c.committer for c in self.committed if c.committer_kind == MUNICIPALITY})

    @property
    def on_record(self) -> str:
        """"3 of 21 on record, 11 needed"."""
        needed = f"{self.needed} needed" if self.needed is not None else "no quorum rule on record"
        return f"{self.municipal_commitments} of {self.municipalities} on record, {needed}"

    @property
    def verdict(self) -> str:
        if self.met is None:
            return "unknown: no quorum rule on record"
        if self.met:
            return "met on record"
        gaps = []
        if self.needed is not None and self.municipal_commitments < self.needed:
            gaps.append(f"{self.needed - self.municipal_commitments} more municipal decision(s) needed")
        if self.requires_welfare_area and not self.welfare_area_committed:
            gaps.append("no decision of the welfare area on record")
        return "not met on record: " + "; ".join(gaps)

    @property
    def met(self) -> bool | None:
        if self.needed is None:
            return None
        wa_ok = self.welfare_area_committed or not self.requires_welfare_area
        return wa_ok and self.municipal_commitments >= self.needed


NO_DECISION = "no decision on record"


@dataclass
class QuorumReport(ResultTables):
    pilots: list[PilotQuorum]
    title: str = "Pilot quorum"
    columns: tuple[str, ...] = ("pilot", "municipal_decisions", "welfare_area", "met", NO_DECISION, "stated_in_source")

    def rows(self, **_: Any) -> list[dict[str, Any]]:
        return [
            {
                "pilot": p.label,
                "municipal_decisions": p.on_record,
                "welfare_area": "decision on record" if p.welfare_area_committed else NO_DECISION,
                "met": p.verdict,
                NO_DECISION: len(p.missing),
                "stated_in_source": (f"{p.participating_stated} of {p.municipalities} municipalities take part "
                                     "(not named)" if p.participating_stated is not None else ""),
            }
            for p in self.pilots
        ]

    def extra_tables(self) -> list[tuple[str, tuple[str, ...], list[dict[str, Any]]]]:
        tables: list[tuple[str, tuple[str, ...], list[dict[str, Any]]]] = []
        for p in self.pilots:
            tables.append((f"{p.label}: decisions on record",
                           ("committer_label", "kind", "date", "body", "section", "record", "responsible"),
                           [_decision_row(c) for c in p.committed]))
            if p.missing:
                tables.append((f"{p.label}: {NO_DECISION} ({len(p.missing)})", ("code", "label", "population"),
                               [m.__dict__ for m in p.missing]))
        return tables

    def to_json(self, **_: Any) -> dict[str, Any]:
        return {
            "pilots": [
                {
                    "pilot": p.pilot, "label": p.label, "region": p.region,
                    "rule": {"municipal_share": p.rule_share, "requires_welfare_area": p.requires_welfare_area},
                    "municipalities": p.municipalities, "needed": p.needed,
                    "municipal_commitments": p.municipal_commitments, "on_record": p.on_record,
                    "welfare_area_committed": p.welfare_area_committed, "met": p.met, "verdict": p.verdict,
                    "commitments": [c.__dict__ for c in p.committed],
                    "no_decision_on_record": [m.label for m in p.missing],
                    "participating_stated": p.participating_stated,
                }
                for p in self.pilots
            ]
        }


def _decision_row(c: CommitmentRow) -> dict[str, Any]:
    """A decision as the table shows it: each detail the record lacks says so."""
    row = {**c.__dict__, "kind": c.kind or NOT_ON_RECORD}
    for key in ("date", "body", "section", "record", "responsible"):
        if row[key] is None:
            row[key] = NOT_ON_RECORD
    return row


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
            participating_stated=p.participating,
        ))
    return QuorumReport(out)
