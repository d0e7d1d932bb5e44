"""The national coverage matrix: every welfare area against the national themes.

Definition (docs/analyses.md, "National coverage matrix"). A cell (region R,
national theme C) counts the forums and networks of R that *cover* C, exactly
as graph/analyses/gaps.py defines covering (in R, not planned, active on the
day asked, a theme that reaches C up or across by equivalence). A cell with
count 0 is a *gap* when R has at least one active forum or network on record;
a region with none on record has *no data*, not gaps (the sources say nothing
about it, which is never read as "no"). The record state of each cell is the
one of the gap list (present, absent (stated), not on record). Each cell keeps
the structures behind its figure, so the count can be checked one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yhdyspinta.errors import NotFoundError
from yhdyspinta.graph.analyses.gaps import coverage_gaps
from yhdyspinta.graph.analyses.record import NOT_ON_RECORD
from yhdyspinta.graph.backends.protocol import Backend, batched
from yhdyspinta.graph.regions import Region
from yhdyspinta.ontology.namespaces import THEME
from yhdyspinta.ontology.vocabulary import FORUM, NATIONAL_SCHEME

#: What the matrix sorts by, besides a theme's path.
SORT_KEYS = ("code", "region", "on_record", "gaps")

__all__ = ["SORT_KEYS", "NationalCell", "NationalMatrix", "NationalRegion", "NationalTheme", "national_matrix"]


@dataclass(frozen=True)
class NationalTheme:
    iri: str
    path: str  # the theme's path under theme/ (national/tyollisyys): what `gaps --explain` takes
    label_fi: str
    label_en: str


@dataclass(frozen=True)
class NationalCell:
    theme: str  # the theme's IRI
    structures: tuple[tuple[str, str, str], ...]  # (IRI, label, kind) of each covering forum or network
    record: str  # present / absent (stated) / not on record (graph/analyses/record.py)
    statement: str | None = None
    region_has_data: bool = True  # the region has an active forum or network on record

    @property
    def state(self) -> str:
        """covered, gap, or no data (the region has nothing on record)."""
        return "covered" if self.structures else "gap" if self.region_has_data else "no data"

    @property
    def count(self) -> int:
        return len(self.structures)

    @property
    def forums(self) -> int:
        return sum(1 for _i, _l, kind in self.structures if kind == FORUM)

    @property
    def gap(self) -> bool:
        return self.state == "gap"


@dataclass(frozen=True)
class NationalRegion:
    iri: str
    slug: str
    code: str
    label_fi: str
    on_record: int  # the region's active forums and networks
    cells: tuple[NationalCell, ...]  # in the order of NationalMatrix.themes

    @property
    def gaps(self) -> int:
        return sum(1 for c in self.cells if c.gap)

    @property
    def total(self) -> int:
        """Distinct forums and networks covering at least one national theme."""
        return len({iri for c in self.cells for iri, _l, _k in c.structures})


@dataclass
class NationalMatrix:
    """Regions (rows) by national themes (columns): how many structures cover each, gaps marked."""

    themes: list[NationalTheme]
    regions: list[NationalRegion] = field(default_factory=list)
    title: str = "National coverage: welfare areas by national theme"

    @property
    def columns(self) -> tuple[str, ...]:
        return ("region", "code", "on_record", *(t.path.removeprefix("national/") for t in self.themes), "gaps")

    def rows(self, **_: Any) -> list[dict[str, Any]]:
        out = []
        for r in self.regions:
            row: dict[str, Any] = {"region": r.label_fi, "code": r.code, "on_record": r.on_record}
            for t, c in zip(self.themes, r.cells, strict=True):
                row[t.path.removeprefix("national/")] = c.count if r.on_record else "no data"
            row["gaps"] = r.gaps
            out.append(row)
        return out

    def to_json(self, **_: Any) -> dict[str, Any]:
        return {
            "definition": "count of the region's forums and networks covering the national theme "
                          "(docs/analyses.md, 'National coverage matrix'); 0 = gap, unless the region has "
                          "no forum or network on record at all (no data)",
            "themes": [t.__dict__ for t in self.themes],
            "regions": [
                {"iri": r.iri, "slug": r.slug, "code": r.code, "label_fi": r.label_fi, "on_record": r.on_record,
                 "gaps": r.gaps,
                 "cells": [{"theme": c.theme, "count": c.count, "forums": c.forums, "state": c.state, "gap": c.gap,
                            "record": c.record, "stated_in_source": c.statement,
                            "structures": [{"iri": i, "label": lbl, "kind": k} for i, lbl, k in c.structures]}
                           for c in r.cells]}
                for r in self.regions
            ],
        }

    def sorted_by(self, key: str, *, descending: bool = False) -> list[NationalRegion]:
        """The regions ordered by ``key``: "region", "code", "on_record", "gaps" or a theme's path; ties by code."""
        index = {t.path: i for i, t in enumerate(self.themes)}
        index.update({t.path.removeprefix("national/"): i for i, t in enumerate(self.themes)})

        def value(r: NationalRegion) -> tuple[Any, str]:
            if key in index:
                return (r.cells[index[key]].count, r.code)
            if key == "on_record":
                return (r.on_record, r.code)
            if key == "gaps":
                return (r.gaps, r.code)
            if key == "region":
                return (r.label_fi, r.code)
            return (r.code, r.code)

        if key not in index and key not in SORT_KEYS:
            known = ", ".join([*SORT_KEYS, *(t.path.removeprefix("national/") for t in self.themes)])
            raise NotFoundError(f"cannot sort by '{key}'; known: {known}")
        return sorted(self.regions, key=value, reverse=descending)


def national_matrix(backend: Backend) -> NationalMatrix:
    """The matrix, one coverage_gaps() per region over the national scheme only."""
    matrix = NationalMatrix(themes=[
        NationalTheme(t.theme, t.theme.removeprefix(str(THEME)), t.label_fi, t.label_en)
        for t in sorted(backend.themes([NATIONAL_SCHEME]), key=lambda t: t.theme)
    ])
    with batched(backend, every_region=True):  # each scan once for all regions, not 23 times
        for region in backend.regions():
            matrix.regions.append(_region_row(backend, matrix, region))
    return matrix


def _region_row(backend: Backend, matrix: NationalMatrix, region: Region) -> NationalRegion:
    """One region's row: its structures on record and its cell for each national theme."""
    on_record = sum(1 for s in backend.structures(region.iri) if not s.planned)
    report = coverage_gaps(backend, region, schemes=[NATIONAL_SCHEME])
    by_theme = {t.theme: t for t in report.themes}
    cells = []
    for t in matrix.themes:
        cov = by_theme.get(t.iri)
        structures = tuple((c.iri, c.label, c.kind) for c in cov.covered_by) if cov else ()
        cells.append(NationalCell(t.iri, structures, cov.record if cov else NOT_ON_RECORD,
                                  cov.statement if cov else None, region_has_data=on_record > 0))
    return NationalRegion(region.iri, region.slug, region.code, region.label_fi, on_record, tuple(cells))
