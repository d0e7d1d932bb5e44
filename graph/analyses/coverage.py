"""The coverage matrix of a region: themes by level of interaction, and what
the gap list alone does not show.

- *Matrix*: for each theme and each of the four levels, the forums and
  networks that cover the theme (as defined in graph/analyses/gaps.py) and work at that
  level; an empty cell is a gap at that level. Structures with no level on
  record are counted in the column "level not recorded".
- *Without a mandate*: themes covered by networks only, with no forum (a body
  with a mandate) among the coverers.
- *Municipalities*: for each covered theme (and each theme a source states a
  municipality absent from), each of the region's municipalities in one of three
  states (graph/analyses/record.py): *present* when it takes part in one of the
  covering structures (as member, coordinator or convener; itself, or through one
  of its posts or units), or when a covering structure is one per municipality
  (yhd:perMunicipality true: each municipality's own network of a kind);
  *absent (stated)* when a source says so (yhd:absentMunicipality of a
  yhd:ThemeStatement about the theme or an exact match); *not on record* otherwise.
- *Building blocks*: each of the six building blocks of cooperation leadership
  *present* (the region's profile: yhd:hasBuildingBlock; for "forums and arenas"
  also the region's active forums), *absent (stated)* (yhd:lacksBuildingBlock) or
  *not on record*; and the profile's yes/no facts on agreements
  (yhd:hasStrategicAgreement, yhd:hasSubAgreements) in the same three states.
- *Statutory negotiations*: each legal requirement, and the region's
  negotiation forums on record for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yhdyspinta.graph.analyses.gaps import GapReport, coverage_gaps
from yhdyspinta.graph.analyses.record import (
    ABSENT_STATED,
    NOT_ON_RECORD,
    PRESENT,
    PROFILE_FACTS,
    stated_absent_municipalities,
)
from yhdyspinta.graph.analyses.result import ResultTables
from yhdyspinta.graph.backends.protocol import Backend, BlockRow, MunicipalityRow, NegotiationRow, ProfileFactRow
from yhdyspinta.graph.regions import Region
from yhdyspinta.ontology.namespaces import THEME
from yhdyspinta.ontology.vocabulary import FORUM, FORUMS_AND_ARENAS, LEVEL_LABELS, LEVELS

#: The matrix column of structures with no level on record.
NO_LEVEL = "level not recorded"
#: The matrix columns: one per level, then the structures without one.
MATRIX_COLUMNS = (*(level.label_fi for level in LEVELS), NO_LEVEL)


@dataclass(frozen=True)
class ThemePresence:
    """The region's municipalities for one theme, in the three states; ``present`` maps each present
    municipality to how it is present (the structures, or "own ... (one per municipality)")."""

    present: dict[str, tuple[str, ...]]
    absent_stated: tuple[MunicipalityRow, ...]
    not_on_record: tuple[MunicipalityRow, ...]
    municipalities: tuple[MunicipalityRow, ...]

    def present_rows(self) -> list[MunicipalityRow]:
        return [m for m in self.municipalities if m.iri in self.present]


@dataclass
class CoverageDetail(ResultTables):
    """Everything the coverage questions of one region need, computed once."""

    gaps: GapReport
    matrix: dict[str, dict[str, list[str]]]  # theme -> level label -> structure labels
    without_mandate: list[str]  # theme IRIs covered by networks only
    presence: dict[str, ThemePresence]  # theme -> its municipalities, present / absent (stated) / not on record
    blocks: list[BlockRow]
    negotiations: list[NegotiationRow]
    forum_count: int
    facts: list[ProfileFactRow] = field(default_factory=list)
    title: str = "Coverage by level"
    columns: tuple[str, ...] = field(default=("theme", "label_fi", *MATRIX_COLUMNS))

    @property
    def region(self) -> Region:
        return self.gaps.region

    def theme_label(self, theme: str) -> str:
        return next((t.label_fi for t in self.gaps.themes if t.theme == theme), theme)

    def rows(self, **_: Any) -> list[dict[str, Any]]:
        """The matrix: one row per theme, a count of structures per level."""
        out = []
        for t in self.gaps.themes:
            cells = self.matrix.get(t.theme, {})
            row: dict[str, Any] = {"theme": t.theme.removeprefix(str(THEME)), "label_fi": t.label_fi}
            for lbl in MATRIX_COLUMNS:
                row[lbl] = len(cells.get(lbl, []))
            out.append(row)
        return out

    def block_status(self) -> list[dict[str, str]]:
        """Each building block: present / absent (stated) / not on record, and on what basis."""
        rows = []
        for b in self.blocks:
            state = {"has": PRESENT, "lacks": ABSENT_STATED}.get(b.status, NOT_ON_RECORD)
            basis = {"has": "profile: yhd:hasBuildingBlock",
                     "lacks": "profile: yhd:lacksBuildingBlock"}.get(b.status, "")
            if b.block == FORUMS_AND_ARENAS and self.forum_count:
                evidence = f"{self.forum_count} active forum(s) of the region on record"
                if b.status == "lacks":
                    basis = f"{basis}; but {evidence}"
                else:
                    state, basis = PRESENT, f"{basis}; {evidence}" if basis else evidence
            rows.append({"block": b.label, "state": state, "basis": basis})
        return rows

    def agreement_status(self) -> list[dict[str, str]]:
        """The profile's yes/no facts on agreements: present (true), absent (stated: false), not on record."""
        rows = []
        for prop, label in PROFILE_FACTS.items():
            said = {f.value for f in self.facts if f.property == prop}
            state = {frozenset(): NOT_ON_RECORD, frozenset({True}): PRESENT,
                     frozenset({False}): ABSENT_STATED}.get(frozenset(said), "contradictory: the profiles say both")
            values = " and ".join(sorted(str(v).lower() for v in said))
            rows.append({"block": label, "state": state, "basis": f"profile: yhd:{prop} {values}" if said else ""})
        return rows

    def municipality_rows(self) -> list[dict[str, Any]]:
        """The municipalities view: per theme, how many present, who is absent (stated), who not on record."""
        return [
            {"theme": t.removeprefix(str(THEME)), "label_fi": self.theme_label(t),
             "present": f"{len(p.present)} of {len(p.municipalities)}",
             ABSENT_STATED: ", ".join(m.label for m in p.absent_stated),
             NOT_ON_RECORD: ", ".join(m.label for m in p.not_on_record)}
            for t, p in self.presence.items()
        ]

    def to_json(self, **_: Any) -> dict[str, Any]:
        return {
            "region": {"iri": self.region.iri, "slug": self.region.slug, "label": self.region.label_fi},
            "matrix": [
                {"theme": t.theme, "label_fi": t.label_fi,
                 "levels": {lbl: self.matrix.get(t.theme, {}).get(lbl, []) for lbl in MATRIX_COLUMNS}}
                for t in self.gaps.themes
            ],
            "themes_without_forum": [{"theme": t, "label_fi": self.theme_label(t)} for t in self.without_mandate],
            "municipalities_by_theme": [
                {"theme": t, "label_fi": self.theme_label(t),
                 "present": [{"municipality": m.label, "via": list(p.present[m.iri])} for m in p.present_rows()],
                 "absent_stated": [m.label for m in p.absent_stated],
                 "not_on_record": [m.label for m in p.not_on_record]}
                for t, p in self.presence.items()
            ],
            "building_blocks": self.block_status(),
            "agreements": self.agreement_status(),
            "statutory_negotiations": [
                {"requirement": n.label, "frequency": n.frequency, "forum": n.forum_label} for n in self.negotiations
            ],
        }


def coverage_detail(backend: Backend, region: Region, *, schemes: list[str] | None = None) -> CoverageDetail:
    """The matrix and the other coverage questions for one region."""
    gaps = coverage_gaps(backend, region, schemes=schemes)
    levels_of: dict[str, set[str]] = {}
    for tag in backend.structure_levels(region.iri):
        levels_of.setdefault(tag.structure, set()).add(tag.concept)
    # how each municipality takes part in each structure: itself, or through a post or unit, in any role
    taking_part: dict[str, dict[str, set[str]]] = {}
    for m in backend.memberships(region.iri):
        if m.municipality:
            how = m.structure if m.member == m.municipality else f"{m.structure}\t{m.label}"
            taking_part.setdefault(m.structure, {}).setdefault(m.municipality, set()).add(how)
    per_municipality = set(backend.per_municipality(region.iri))
    stated = stated_absent_municipalities(backend, region)
    municipalities = backend.municipalities(region.iri)
    structures = backend.structures(region.iri)

    matrix: dict[str, dict[str, list[str]]] = {}
    without_mandate: list[str] = []
    presence: dict[str, ThemePresence] = {}
    for t in gaps.themes:
        cells: dict[str, list[str]] = {}
        for c in t.covered_by:
            for level in levels_of.get(c.iri) or {""}:
                cells.setdefault(LEVEL_LABELS.get(level, NO_LEVEL), []).append(c.label)
        matrix[t.theme] = {k: sorted(set(v)) for k, v in cells.items()}
        if t.covered_by and not any(c.kind == FORUM for c in t.covered_by):
            without_mandate.append(t.theme)
        if t.covered_by or t.theme in stated:
            presence[t.theme] = _presence(t.covered_by, municipalities, taking_part, per_municipality,
                                          stated.get(t.theme, set()))
    return CoverageDetail(
        gaps=gaps,
        matrix=matrix,
        without_mandate=without_mandate,
        presence=presence,
        blocks=backend.building_blocks(region.iri),
        negotiations=backend.negotiations(region.iri),
        forum_count=sum(1 for s in structures if s.kind == FORUM and not s.planned),
        facts=backend.profile_facts(region.iri),
    )


def _presence(coverers: tuple[Any, ...], municipalities: list[MunicipalityRow],
              taking_part: dict[str, dict[str, set[str]]], per_municipality: set[str],
              stated: set[str]) -> ThemePresence:
    """Each municipality present (with how), absent as a source states, or not on record, for one theme."""
    labels = {c.iri: c.label for c in coverers}
    present: dict[str, set[str]] = {}
    for c in sorted({c.iri for c in coverers}):
        if c in per_municipality:
            for m in municipalities:
                present.setdefault(m.iri, set()).add(f"own {labels[c]} (one per municipality)")
        for mun, hows in taking_part.get(c, {}).items():
            for how in hows:
                _s, _tab, via = how.partition("\t")
                present.setdefault(mun, set()).add(f"{labels[c]} (through {via})" if via else labels[c])
    mine = {m.iri for m in municipalities}
    return ThemePresence(
        present={m: tuple(sorted(v)) for m, v in present.items() if m in mine},
        absent_stated=tuple(m for m in municipalities if m.iri not in present and m.iri in stated),
        not_on_record=tuple(m for m in municipalities if m.iri not in present and m.iri not in stated),
        municipalities=tuple(municipalities),
    )
