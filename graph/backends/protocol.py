"""The interface every back end implements for the analyses, and the rows it answers with.

An analysis is written once against ``Backend``; the embedded store answers
with SPARQL, Neo4j with Cypher. Each method returns plain rows (frozen,
ordered dataclasses, sorted) so that the parity test can compare the back ends
exactly; that test takes the list of methods from this class, so a method
added here is compared without further ado.

Regions are passed as IRIs: the edges (CLI, HTTP) resolve what a user typed
into a :class:`~yhdyspinta.graph.regions.Region` once
(:func:`~yhdyspinta.graph.regions.resolve_region`), the analyses pass its ``iri``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, fields
from datetime import date
from operator import attrgetter
from typing import Any, Protocol, TypeVar, cast

from yhdyspinta.graph.regions import Region

R = TypeVar("R")


def batched(backend: object, *, every_region: bool = False) -> AbstractContextManager[None]:
    """A block in which a national analysis may ask each region the same questions cheaply: the
    back end's ``batched()`` where it has one (the embedded scans take each scan once for every
    region, graph/backends/embedded/scans.py), else no block at all (answers as outside).
    ``every_region``: the analysis will ask every region (the scans are taken for all at once)."""
    block = getattr(backend, "batched", None)
    if not callable(block):
        return nullcontext()
    return cast("AbstractContextManager[None]", block(every_region=every_region))


def kept_result(backend: object, name: str, make: Callable[[], R], encode: Callable[[R], Any],
                decode: Callable[[Any], R]) -> R:
    """A national analysis's result as the back end keeps it between processes where it can (the
    embedded store, beside the store by its version and by what the day changes:
    graph/backends/embedded/scans.py), else ``make()``. ``name`` says the analysis and every
    option of it; ``encode`` and ``decode`` turn the result into JSON values and back."""
    keep = getattr(backend, "kept_result", None)
    if not callable(keep):
        return make()
    return cast("R", keep(name, make, encode, decode))


def ordered(rows: Iterable[R]) -> list[R]:
    """``rows`` (frozen, ordered dataclasses of one type) sorted as ``sorted`` sorts them, by a
    key of their fields built once per row: comparing 167,000 rows through the dataclass's
    ``__lt__`` (two tuples built per comparison) took seconds."""
    found = list(rows)
    if not found:
        return found
    return sorted(found, key=attrgetter(*(f.name for f in fields(cast("Any", found[0])))))


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
    participating: int | None = None  # yhd:participatingMunicipalityCount: how many take part, as a source states it


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


# -- rows for what is on record (graph/analyses/record.py) ---------------------


@dataclass(frozen=True, order=True)
class ThemeLinkRow:
    """One SKOS link between concepts: ``source`` --relation--> ``target`` (relation: the local
    name, broader, narrower, broadMatch, narrowMatch, exactMatch, closeMatch or relatedMatch)."""

    source: str
    relation: str
    target: str


@dataclass(frozen=True, order=True)
class RecordedStructureRow:
    """A forum or network and one of its themes, whatever the day and status: what explains
    why a structure covers a theme, or why it does not (planned, ended, not begun)."""

    structure: str
    label: str
    kind: str  # "forum" or "network"
    theme: str
    planned: bool
    per_municipality: bool  # yhd:perMunicipality true: each municipality's own structure of a kind
    valid_from: str | None
    valid_until: str | None


@dataclass(frozen=True, order=True)
class StatementRow:
    """A yhd:ThemeStatement of a region: the theme, whether the source says it has a regional
    network, and each municipality the source states to be absent from the theme."""

    statement: str
    theme: str
    has_regional_network: bool | None
    absent_municipality: str | None


@dataclass(frozen=True, order=True)
class ProfileFactRow:
    """A yes/no fact of a region's profile (``property``: the local name, e.g. hasStrategicAgreement)."""

    profile: str
    property: str
    value: bool


@dataclass(frozen=True, order=True)
class TermRow:
    iri: str
    label: str
    start: str
    end: str
    council: str  # the skos:notation of its yhd:councilKind: "kunta" or "hyvinvointialue"


@dataclass(frozen=True, order=True)
class MilestoneRow:
    """One planning milestone and one of the councils on whose term it falls (a row per
    yhd:councilKind, and per titled source)."""

    iri: str
    label: str
    recurrence: str  # "yearly" or "once-per-council-term"
    start_month: int
    end_month: int
    term_year: int | None
    requirement: str | None
    term_year_from_end: int | None
    valid_from: str | None
    lines: str | None  # yhd:sourceLines
    council: str  # the skos:notation of a yhd:councilKind
    source: str | None  # the dcterms:title of a dcterms:source


@dataclass(frozen=True, order=True)
class MeetingRow:
    requirement: str
    forum: str
    date: str


@dataclass(frozen=True, order=True)
class LawRow:
    """One provision of a negotiation requirement's legal basis, with the act it is part of."""

    requirement: str
    provision: str
    notation: str  # e.g. "611/2021 14 §"
    act_label: str | None  # the act's Finnish skos:prefLabel, e.g. "Laki hyvinvointialueesta (611/2021)"
    act_notation: str | None  # e.g. "611/2021"


@dataclass(frozen=True, order=True)
class PracticeRow:
    """A standing practice of statutory negotiation in a region: a yhd:StatutoryNegotiation
    with yhd:permanence standing, not planned, and the rhythm its source states."""

    requirement: str
    forum: str
    label: str
    frequency: str  # the last part of its yhd:frequency IRI: "yearly", "once-per-council-term"
    month: int | None  # yhd:practiceMonth
    note: str | None  # yhd:frequencyNote in Finnish, as the source words it
    valid_from: str | None
    valid_until: str | None
    lines: str | None  # yhd:sourceLines
    source: str | None  # the dcterms:title of a dcterms:source


class Backend(Protocol):
    """What the analyses need from a store."""

    name: str

    def at(self, day: date | None) -> Backend:
        """The same data, read as it stood on ``day`` (None: today)."""
        ...

    # -- regions and themes (graph/analyses/gaps.py) --

    def regions(self) -> list[Region]:
        """Every region, ordered by code."""
        ...

    def theme_schemes(self) -> list[tuple[str, str | None]]:
        """(scheme IRI, region IRI or None) for every yhd:ThemeScheme, ordered by scheme."""
        ...

    def themes(self, schemes: list[str]) -> list[ThemeRow]:
        """The yhd:Theme concepts in the given schemes, with fi and en labels."""
        ...

    def coverers(self, schemes: list[str], region: str) -> list[CoverRow]:
        """For each theme of ``schemes``, the forums and networks of ``region``
        that cover it (see graph/analyses/gaps.py for the definition)."""
        ...

    def statements(self, schemes: list[str], region: str) -> dict[str, str]:
        """Theme IRI -> the notes of the region's yhd:ThemeStatements about it or about
        a theme linked to it by exactMatch (either direction, chained)."""
        ...

    def cited_sources(self, region: str) -> list[tuple[str, str]]:
        """(source IRI, title) of the documents cited by the region's structures and profile."""
        ...

    # -- what is on record (explain, the three states; graph/analyses/record.py) --

    def theme_links(self) -> list[ThemeLinkRow]:
        """Every SKOS link (broader, narrower, broadMatch, narrowMatch, exactMatch, closeMatch,
        relatedMatch) between two IRIs: the graph along which the analyses follow coverage."""
        ...

    def structure_record(self, region: str | None = None) -> list[RecordedStructureRow]:
        """Every forum and network (of ``region``, or all) with each of its themes, on any day,
        planned or not, with its validity and whether it is one per municipality."""
        ...

    def per_municipality(self, region: str | None = None) -> list[str]:
        """The structures of ``structure_record`` that are one per municipality, sorted: what load
        and coverage need of it, without building (structure x theme x dates) rows for all."""
        ...

    def theme_statements(self, region: str) -> list[StatementRow]:
        """The region's yhd:ThemeStatements: theme, yhd:hasRegionalNetwork, each yhd:absentMunicipality."""
        ...

    def profile_facts(self, region: str) -> list[ProfileFactRow]:
        """The xsd:boolean facts of the region's profiles (yhd:hasStrategicAgreement...)."""
        ...

    # -- structures and their members (bridges, load, coverage, compare, changes, viz) --

    def structures(self, region: str | None = None) -> list[StructureRow]:
        """The forums and networks alive on the day asked (of ``region``, or all), planned ones included."""
        ...

    def structure_themes(self, region: str | None = None) -> list[TagRow]:
        """(structure, theme) for each yhd:theme of the structures of ``structures``."""
        ...

    def structure_levels(self, region: str | None = None) -> list[TagRow]:
        """(structure, level) for each yhd:level of the structures of ``structures``."""
        ...

    def memberships(self, region: str | None = None) -> list[MemberRow]:
        """Members, coordinators and conveners of the structures, each with the municipality it is part of."""
        ...

    def municipalities(self, region: str) -> list[MunicipalityRow]:
        """The region's municipalities alive on the day asked, with their population."""
        ...

    # -- the region's profile (coverage) --

    def building_blocks(self, region: str) -> list[BlockRow]:
        """Every building block of cooperation leadership, with what the region's profile records of it."""
        ...

    def negotiations(self, region: str) -> list[NegotiationRow]:
        """Every statutory negotiation requirement, with the region's forums on record for it."""
        ...

    # -- the council term's calendar --

    def council_terms(self) -> list[TermRow]:
        """Every council term on record."""
        ...

    def milestones(self) -> list[MilestoneRow]:
        """The planning milestones of a council term and of each year."""
        ...

    def negotiation_meetings(self, region: str) -> list[MeetingRow]:
        """The dated meetings of the region's statutory negotiations."""
        ...

    def legal_bases(self) -> list[LawRow]:
        """Each provision (with a skos:notation) of each negotiation requirement's yhd:legalBasis."""
        ...

    def standing_practices(self, region: str) -> list[PracticeRow]:
        """The region's statutory negotiations that are standing practice (yhd:permanence
        standing, not planned), with their frequency, month, validity and source."""
        ...

    # -- pilots (quorum) --

    def pilots(self) -> list[PilotRow]:
        """Every pilot with its quorum rule."""
        ...

    def commitments(self) -> list[CommitmentRow]:
        """Every commitment to a pilot, with its decision."""
        ...
