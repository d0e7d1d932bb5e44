"""The Neo4j back end's rows for the structure, membership, pilot and calendar analyses.

Mixed into :class:`~yhdyspinta.graph.backends.neo4j.backend.Neo4jBackend`, as ``_StructureQueries``
is into the embedded one, and answering exactly as it does. The pattern throughout: Cypher
fetches the nodes and their neighbours; Python then forms the rows as SPARQL would, one
per combination of values (a property may hold a list), with OPTIONAL parts giving None,
and validity dates (``yhd:validFrom`` / ``yhd:validUntil``) compared as SPARQL compares
them: only dates count, anything else never excludes.

The statements are the files of ``queries/`` beside this module (``memberships.cypher``...),
read by :mod:`yhdyspinta.graph.backends.neo4j.cypher`; every value is a parameter, and a
method that takes an optional region passes ``$region`` as null for every region.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from itertools import product
from typing import Any

from neo4j.time import Date, DateTime

from yhdyspinta.graph.backends.neo4j.connect import Target
from yhdyspinta.graph.backends.neo4j.cypher import statement
from yhdyspinta.graph.backends.protocol import (
    BlockRow,
    CommitmentRow,
    LawRow,
    MeetingRow,
    MemberRow,
    MilestoneRow,
    MunicipalityRow,
    NegotiationRow,
    PilotRow,
    PracticeRow,
    ProfileFactRow,
    RecordedStructureRow,
    StatementRow,
    StructureRow,
    TagRow,
    TermRow,
    ThemeLinkRow,
    ordered,
)
from yhdyspinta.ontology.namespaces import YHD

PLANNED = "https://w3id.org/yhdyspinta/status/planned"
STANDING = "https://w3id.org/yhdyspinta/permanence/standing"
KINDS = ((str(YHD.Forum), "forum"), (str(YHD.StatutoryNegotiation), "forum"), (str(YHD.Network), "network"))
STRUCTURE_CLASSES = [c for c, _k in KINDS]
MUNICIPALITY = str(YHD.Municipality)


def values(value: Any) -> list[Any]:
    """A property as SPARQL sees it: no value, one, or each of a list."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def optional(value: Any) -> list[Any]:
    """An OPTIONAL part: each value, or one None."""
    return values(value) or [None]


def lexical(value: Any) -> Any:
    """A value as the embedded store returns it: dates as their ISO text."""
    if isinstance(value, Date | DateTime):
        return value.iso_format()
    return value


def alive(valid_from: Any, valid_until: Any, day: date) -> bool:
    """Not begun after ``day`` and not ended before it (SPARQL's ``alive``)."""
    if any(isinstance(v, Date) and v.to_native() > day for v in values(valid_from)):
        return False
    return not any(isinstance(v, Date) and v.to_native() < day for v in values(valid_until))


def kind_of(types: Iterable[str] | None) -> str:
    """municipality, welfare-area, post, unit, structure or organisation (by asserted type)."""
    found = set(types or ())
    for cls, kind in ((YHD.Municipality, "municipality"), (YHD.WelfareArea, "welfare-area"),
                      (YHD.Post, "post"), (YHD.Unit, "unit")):
        if str(cls) in found:
            return kind
    return "structure" if found & set(STRUCTURE_CLASSES) else "organisation"


class Neo4jStructureQueries:
    """The rows the structure analyses need, in Cypher."""

    target: Target

    @property
    def today(self) -> date:
        raise NotImplementedError

    def _run(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        """Run ``cypher`` with ``params`` and ``$classes``, the structure classes (a structure
        is narrowed by label, decided by its asserted types, as ``?s a ?cls``)."""
        return self.target.run(cypher, classes=STRUCTURE_CLASSES, **params)

    def structures(self, region: str | None = None) -> list[StructureRow]:
        rows = self._run(statement(__name__, "structures"), region=region or None, planned=PLANNED)
        return ordered({
            StructureRow(r["s"], label, kind, reg, r["planned"])
            for r in rows if alive(r["vf"], r["vu"], self.today)
            for cls, kind in KINDS if cls in r["types"]
            for label in values(r["label"])
            for reg in optional(r["regions"])
        })

    def _tags(self, rel: str, region: str | None) -> list[TagRow]:
        rows = self._run(statement(__name__, "structure_tags"), rel=rel, region=region or None)
        return ordered({
            TagRow(r["s"], r["c"], label or r["c"])
            for r in rows if alive(r["vf"], r["vu"], self.today)
            for label in optional(r["label"])
        })

    def structure_themes(self, region: str | None = None) -> list[TagRow]:
        return self._tags("theme", region)

    def structure_levels(self, region: str | None = None) -> list[TagRow]:
        return self._tags("level", region)

    def memberships(self, region: str | None = None) -> list[MemberRow]:
        rows = self._run(statement(__name__, "memberships"), region=region or None, mun=MUNICIPALITY)
        roles = {"hasMember": "member", "coordinator": "coordinator", "convener": "convener"}
        found: set[MemberRow] = set()
        day = self.today
        for r in rows:
            if not (alive(r["svf"], r["svu"], day) and alive(r["vf"], r["vu"], day)):
                continue
            if any(not alive(vf, None, day) for vf, _vu in r["dated"]):
                continue
            if any(not alive(None, vu, day) for _vf, vu in r["dated"]):
                continue
            muns = set(r["muns"]) | ({r["m"]} if MUNICIPALITY in (r["types"] or ()) else set())
            kind = kind_of(r["types"])
            for label, mun in product(optional(r["label"]), sorted(muns) or [None]):
                found.add(MemberRow(r["s"], r["m"], label or r["m"], kind, mun, roles[r["rel"]]))
        return ordered(found)

    def municipalities(self, region: str) -> list[MunicipalityRow]:
        rows = self._run(statement(__name__, "municipalities"), region=region, mun=MUNICIPALITY)
        return ordered(
            MunicipalityRow(r["m"], code, label, pop)
            for r in rows if alive(r["vf"], r["vu"], self.today)
            for code, label, pop in product(values(r["code"]), values(r["label"]), optional(r["pop"]))
        )

    def building_blocks(self, region: str) -> list[BlockRow]:
        rows = self._run(statement(__name__, "building_blocks"), region=region, cls=str(YHD.BuildingBlock))
        found = sorted(
            (notation, r["b"], label, "has" if r["has"] else "lacks" if r["lacks"] else "")
            for r in rows
            for notation, label in product(values(r["notation"]), values(r["label"]))
        )
        return [BlockRow(b, label, status) for _n, b, label, status in found]

    def negotiations(self, region: str) -> list[NegotiationRow]:
        rows = self._run(statement(__name__, "negotiations"), region=region, cls=str(YHD.NegotiationRequirement))
        out = []
        for r in rows:
            forums = [(f, fl) for f, labels in r["forums"] for fl in values(labels)] or [(None, None)]
            for label, freq, (forum, flabel) in product(values(r["label"]), values(r["freq"]), forums):
                out.append(NegotiationRow(r["req"], label, freq, forum, flabel))
        return ordered(out)

    def council_terms(self) -> list[TermRow]:
        rows = self._run(statement(__name__, "council_terms"), cls=str(YHD.CouncilTerm))
        return ordered(
            TermRow(r["t"], label, lexical(vf), lexical(vu), council)
            for r in rows
            for label, vf, vu, council in product(
                values(r["label"]), values(r["vf"]), values(r["vu"]), [c for cs in r["councils"] for c in values(cs)]
            )
        )

    def milestones(self) -> list[MilestoneRow]:
        rows = self._run(statement(__name__, "milestones"), cls=str(YHD.PlanningMilestone))
        return ordered(
            MilestoneRow(r["m"], label, r["rec"].rsplit("/", 1)[1], start, end, year, req, from_end, lexical(vf),
                         lines, council, title)
            for r in rows
            for label, start, end, year, req, from_end, vf, lines, council, title in product(
                values(r["label"]), values(r["start"]), values(r["end"]), optional(r["year"]), optional(r["reqs"]),
                optional(r["fromEnd"]), optional(r["vf"]), optional(r["lines"]),
                [c for cs in r["councils"] for c in values(cs)],
                [t for ts in r["titles"] for t in values(ts)] or [None],
            )
        )

    def negotiation_meetings(self, region: str) -> list[MeetingRow]:
        rows = self._run(statement(__name__, "negotiation_meetings"), region=region, cls=str(YHD.Meeting))
        return ordered(
            MeetingRow(r["req"], r["forum"], str(lexical(d))) for r in rows for d in values(r["date"])
        )

    def legal_bases(self) -> list[LawRow]:
        rows = self._run(statement(__name__, "legal_bases"), cls=str(YHD.NegotiationRequirement))
        return ordered(
            LawRow(r["req"], r["law"], notation, act_label, act_notation)
            for r in rows
            for notation, (act_label, act_notation) in product(
                values(r["notation"]),
                [(a, n) for labels, notations in r["acts"] for a in values(labels) for n in values(notations)]
                or [(None, None)],
            )
        )

    def standing_practices(self, region: str) -> list[PracticeRow]:
        rows = self._run(statement(__name__, "standing_practices"), region=region, planned=PLANNED,
                         cls=str(YHD.StatutoryNegotiation))
        return ordered(
            PracticeRow(r["req"], r["forum"], label, r["freq"].rsplit("/", 1)[1], month, note, lexical(vf),
                        lexical(vu), lines, title)
            for r in rows if STANDING in r["permanences"]
            for label, month, note, vf, vu, lines, title in product(
                values(r["label"]), optional(r["month"]), optional(r["note"]), optional(r["vf"]), optional(r["vu"]),
                optional(r["lines"]), [t for ts in r["titles"] for t in values(ts)] or [None],
            )
        )

    def pilots(self) -> list[PilotRow]:
        rows = self._run(statement(__name__, "pilots"), cls=str(YHD.Pilot))
        return ordered(
            PilotRow(r["p"], label, region, share, bool(wa), lexical(deadline), taking)
            for r in rows
            for label, region, share, wa, deadline, taking in product(
                values(r["label"]), optional(r["regions"]), optional(r["share"]), optional(r["wa"]),
                optional(r["deadline"]), optional(r["taking"]),
            )
        )

    def theme_links(self) -> list[ThemeLinkRow]:
        rows = self._run(statement(__name__, "theme_links"), cls=str(YHD.Theme))
        return ordered({ThemeLinkRow(r["source"], r["relation"], r["target"]) for r in rows})

    def structure_record(self, region: str | None = None) -> list[RecordedStructureRow]:
        rows = self._run(statement(__name__, "structure_record"), region=region or None, planned=PLANNED)
        return ordered({
            RecordedStructureRow(r["s"], label, kind, r["t"], bool(r["planned"]),
                                 any(v is True for v in values(r["per"])), lexical(vf), lexical(vu))
            for r in rows
            for cls, kind in KINDS if cls in r["types"]
            for label, vf, vu in product(values(r["label"]), optional(r["vf"]), optional(r["vu"]))
        })

    def per_municipality(self, region: str | None = None) -> list[str]:
        rows = self._run(statement(__name__, "per_municipality"), region=region or None)
        return sorted({r["s"] for r in rows if any(v is True for v in values(r["per"]))})

    def theme_statements(self, region: str) -> list[StatementRow]:
        rows = self._run(statement(__name__, "theme_statements"), region=region, cls=str(YHD.ThemeStatement))
        return ordered({
            StatementRow(r["st"], r["t"], net, absent)
            for r in rows
            for net in optional(r["net"])
            for absent in r["absent"] or [None]
        })

    def profile_facts(self, region: str) -> list[ProfileFactRow]:
        rows = self._run(statement(__name__, "profile_facts"), region=region)
        return ordered({
            ProfileFactRow(r["p"], key, value)
            for r in rows
            for key, given in r["props"].items()
            for value in values(given) if isinstance(value, bool)
        })

    def cited_sources(self, region: str) -> list[tuple[str, str]]:
        rows = self._run(statement(__name__, "cited_sources"), region=region)
        return sorted({
            (r["src"], str(title))
            for r in rows
            for key, value in r["props"].items() if key == "title" or key.startswith("title_")
            for title in values(value)
        })

    def commitments(self) -> list[CommitmentRow]:
        rows = self._run(statement(__name__, "commitments"), cls=str(YHD.Commitment))
        out = []
        for r in rows:
            bodies = [b for labels in r["bodies"] for b in values(labels)] or [None]
            resps = [x for labels in r["resps"] for x in values(labels)] or [None]
            for mlabel, day, body, section, record, resp, dkind in product(
                values(r["mlabel"]), optional(r["date"]), bodies, optional(r["section"]),
                optional(r["record"]), resps, optional(r["dkind"]),
            ):
                out.append(CommitmentRow(r["pilot"], r["m"], mlabel, kind_of(r["types"]), lexical(day),
                                         body, section, record, resp, dkind))
        return ordered(out)
