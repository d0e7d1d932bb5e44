"""The coverage matrix of a region: themes by level of interaction, and what
the gap list alone does not show.

- *Matrix*: for each theme and each of the four levels, the forums and
  networks that cover the theme (as defined in graph/analyses/gaps.py) and work at that
  level; an empty cell is a gap at that level. Structures with no level on
  record are counted in the column "level not recorded".
- *Without a mandate*: themes covered by networks only, with no forum (a body
  with a mandate) among the coverers.
- *Absent municipalities*: for each covered theme, the region's municipalities
  that are members of none of its covering structures (a municipality takes
  part through itself, or through one of its posts or units).
- *Building blocks*: which of the six building blocks of cooperation
  leadership the region's profile records as in place or missing; "forums and
  arenas" also counts the region's active forums as evidence.
- *Statutory negotiations*: each legal requirement, and the region's
  negotiation forums on record for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yhdyspinta.graph.analyses.gaps import GapReport, coverage_gaps
from yhdyspinta.graph.backends.protocol import Backend, BlockRow, MunicipalityRow, NegotiationRow
from yhdyspinta.graph.regions import Region
from yhdyspinta.ontology.namespaces import THEME
from yhdyspinta.ontology.vocabulary import FORUM, FORUMS_AND_ARENAS, LEVEL_LABELS, LEVELS, ROLE_MEMBER

#: The matrix column of structures with no level on record.
NO_LEVEL = "level not recorded"
#: The matrix columns: one per level, then the structures without one.
MATRIX_COLUMNS = (*(level.label_fi for level in LEVELS), NO_LEVEL)


@dataclass
class CoverageDetail:
    """Everything the coverage questions of one region need, computed once."""

    gaps: GapReport
    matrix: dict[str, dict[str, list[str]]]  # theme -> level label -> structure labels
    without_mandate: list[str]  # theme IRIs covered by networks only
    absent: dict[str, list[MunicipalityRow]]  # theme -> municipalities in none of its structures
    blocks: list[BlockRow]
    negotiations: list[NegotiationRow]
    forum_count: int
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
        rows = []
        for b in self.blocks:
            status = {"has": "on record", "lacks": "stated missing"}.get(b.status, "nothing on record")
            if b.block == FORUMS_AND_ARENAS and not b.status and self.forum_count:
                status = f"evidence: {self.forum_count} active forum(s)"
            rows.append({"block": b.label, "status": status})
        return rows

    def to_json(self, **_: Any) -> dict[str, Any]:
        return {
            "region": {"iri": self.region.iri, "slug": self.region.slug, "label": self.region.label_fi},
            "matrix": [
                {"theme": t.theme, "label_fi": t.label_fi,
                 "levels": {lbl: self.matrix.get(t.theme, {}).get(lbl, []) for lbl in MATRIX_COLUMNS}}
                for t in self.gaps.themes
            ],
            "themes_without_forum": [{"theme": t, "label_fi": self.theme_label(t)} for t in self.without_mandate],
            "absent_municipalities": [
                {"theme": t, "label_fi": self.theme_label(t), "municipalities": [m.label for m in ms]}
                for t, ms in self.absent.items()
            ],
            "building_blocks": self.block_status(),
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
    members_of: dict[str, set[str]] = {}
    for m in backend.memberships(region.iri):
        if m.role == ROLE_MEMBER and m.municipality:
            members_of.setdefault(m.structure, set()).add(m.municipality)
    municipalities = backend.municipalities(region.iri)
    structures = backend.structures(region.iri)

    matrix: dict[str, dict[str, list[str]]] = {}
    without_mandate: list[str] = []
    absent: dict[str, list[MunicipalityRow]] = {}
    for t in gaps.themes:
        cells: dict[str, list[str]] = {}
        for c in t.covered_by:
            for level in levels_of.get(c.iri) or {""}:
                cells.setdefault(LEVEL_LABELS.get(level, NO_LEVEL), []).append(c.label)
        matrix[t.theme] = {k: sorted(set(v)) for k, v in cells.items()}
        if t.covered_by and not any(c.kind == FORUM for c in t.covered_by):
            without_mandate.append(t.theme)
        if t.covered_by:
            present = set().union(*(members_of.get(c.iri, set()) for c in t.covered_by))
            absent[t.theme] = [m for m in municipalities if m.iri not in present]
    return CoverageDetail(
        gaps=gaps,
        matrix=matrix,
        without_mandate=without_mandate,
        absent=absent,
        blocks=backend.building_blocks(region.iri),
        negotiations=backend.negotiations(region.iri),
        forum_count=sum(1 for s in structures if s.kind == FORUM and not s.planned),
    )
