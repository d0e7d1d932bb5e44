"""The small interface every back end implements for the analyses.

An analysis is written once against ``Backend``; the embedded store answers
with SPARQL, Neo4j with Cypher. Each method returns plain rows so that a
parity test can compare the two back ends exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from yhdyspinta.graph.regions import Region


@dataclass(frozen=True, order=True)
class ThemeRow:
    scheme: str
    scheme_label: str
    theme: str
    label_fi: str
    label_en: str


@dataclass(frozen=True, order=True)
class CoverRow:
    theme: str
    structure: str
    label: str
    kind: str  # "forum" or "network"


class Backend(Protocol):
    """What the analyses need from a store."""

    name: str

    def at(self, day: date | None) -> Backend:
        """The same data, read as it stood on ``day`` (None: today)."""
        ...

    def regions(self) -> list[Region]:
        """Every region, ordered by code."""
        ...

    def theme_schemes(self) -> list[tuple[str, str | None]]:
        """(scheme IRI, region IRI or None) for every yhd:ThemeScheme."""
        ...

    def themes(self, schemes: list[str]) -> list[ThemeRow]:
        """The yhd:Theme concepts in the given schemes, with fi and en labels."""
        ...

    def coverers(self, schemes: list[str], region: str) -> list[CoverRow]:
        """For each theme of ``schemes``, the forums and networks of ``region``
        that cover it (see graph/analyses/gaps.py for the definition)."""
        ...

    def cited_sources(self, region: str) -> list[tuple[str, str]]:
        """(source IRI, title) of the documents cited by the region's structures and profile."""
        ...

    def statements(self, schemes: list[str], region: str) -> dict[str, str]:
        """Theme IRI -> the notes of the region's yhd:ThemeStatements about it or about
        a theme linked to it by exactMatch/closeMatch (either direction, chained)."""
        ...


# -- rows for the analyses of structure, membership and pilots ----------------


@dataclass(frozen=True, order=True)
class StructureRow:
    iri: str
    label: str
    kind: str  # "forum" or "network"
    region: str | None
    planned: bool


@dataclass(frozen=True, order=True)
class TagRow:
    """A (structure, concept) pair: a theme or a level of a structure."""

    structure: str
    concept: str
    label: str


@dataclass(frozen=True, order=True)
class MemberRow:
    structure: str
    member: str
    label: str
    kind: str  # municipality, welfare-area, organisation, unit, post, structure
    municipality: str | None  # the municipality the member is or belongs to
    role: str  # member, coordinator, convener


@dataclass(frozen=True, order=True)
class MunicipalityRow:
    iri: str
    code: str
    label: str
    population: int | None


@dataclass(frozen=True, order=True)
class BlockRow:
    block: str
    label: str
    status: str  # "has", "lacks" or "" (nothing on record)


@dataclass(frozen=True, order=True)
class NegotiationRow:
    requirement: str
    label: str
    frequency: str
    forum: str | None
    forum_label: str | None


@dataclass(frozen=True, order=True)
class PilotRow:
    iri: str
    label: str
    region: str | None
    municipal_share: float | None
    requires_welfare_area: bool
    deadline: str | None


@dataclass(frozen=True, order=True)
class CommitmentRow:
    pilot: str
    committer: str
    committer_label: str
    committer_kind: str  # municipality or welfare-area or organisation
    date: str | None
    body: str | None
    section: str | None
    record: str | None
    responsible: str | None
    kind: str | None


@dataclass(frozen=True, order=True)
class TermRow:
    iri: str
    label: str
    start: str
    end: str


@dataclass(frozen=True, order=True)
class MilestoneRow:
    iri: str
    label: str
    recurrence: str  # "yearly" or "once-per-council-term"
    start_month: int
    end_month: int
    term_year: int | None
    requirement: str | None


@dataclass(frozen=True, order=True)
class MeetingRow:
    requirement: str
    forum: str
    date: str
