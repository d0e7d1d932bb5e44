"""Coverage gaps: the themes of a region that no forum or network covers.

Definition. A forum or network *covers* a theme C when it is in the region,
is not merely planned (yhd:status status/planned), and has a theme T from
which C is reached by going up or across by equivalence: T = C, T skos:broader C,
T skos:broadMatch C (or C skos:narrowMatch T), or T and C linked by
skos:exactMatch in either direction; and chains of these steps. Coverage never
flows down (a broad forum does not cover every narrower theme, a heading never
covers its sibling) nor along skos:closeMatch or skos:relatedMatch, which say
"related", not "the same" (docs/analyses.md). A *gap* is a theme of the asked
schemes that nothing covers. By default the schemes are the region's own
(yhd:schemeRegion) and the national scheme. Negative facts that the sources
state about a theme (yhd:ThemeStatement) are shown beside it and beside its
exact matches, not beside broader themes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yhdyspinta.errors import NotFoundError
from yhdyspinta.graph.analyses.record import ABSENT_STATED, NOT_ON_RECORD, PRESENT, stated_absent_themes
from yhdyspinta.graph.analyses.result import ResultTables
from yhdyspinta.graph.backends.protocol import Backend
from yhdyspinta.graph.regions import Region
from yhdyspinta.ontology.namespaces import THEME
from yhdyspinta.ontology.vocabulary import NATIONAL_SCHEME

__all__ = ["NATIONAL_SCHEME", "Coverer", "GapReport", "ThemeCoverage", "coverage_gaps", "resolve_scheme"]


@dataclass(frozen=True)
class Coverer:
    iri: str
    label: str
    kind: str  # "forum" or "network"


@dataclass(frozen=True)
class ThemeCoverage:
    scheme: str
    scheme_label: str
    theme: str
    label_fi: str
    label_en: str
    covered_by: tuple[Coverer, ...]
    statement: str | None = None
    stated_absent: bool = False  # a source states the theme has no regional network

    @property
    def is_gap(self) -> bool:
        return not self.covered_by

    @property
    def record(self) -> str:
        """present (covered), absent (stated) or not on record."""
        return PRESENT if self.covered_by else ABSENT_STATED if self.stated_absent else NOT_ON_RECORD


@dataclass
class GapReport(ResultTables):
    """Coverage of every theme of the asked schemes in one region."""

    region: Region
    schemes: list[str]
    themes: list[ThemeCoverage] = field(default_factory=list)
    title: str = "Coverage gaps"
    #: ``record`` keeps "absent (stated)" apart from "not on record" in every format, Excel's too
    columns: tuple[str, ...] = ("scheme", "theme", "label_fi", "label_en", "covered_by", "record", "stated_in_source")

    @property
    def gaps(self) -> list[ThemeCoverage]:
        return [t for t in self.themes if t.is_gap]

    def rows(self, *, only_gaps: bool = True, **_: Any) -> list[dict[str, Any]]:
        chosen = self.gaps if only_gaps else self.themes
        return [
            {
                "scheme": t.scheme_label,
                "theme": t.theme.removeprefix(str(THEME)),
                "label_fi": t.label_fi,
                "label_en": t.label_en,
                "covered_by": len(t.covered_by),
                "stated_in_source": t.statement or "",
                "record": t.record,
            }
            for t in chosen
        ]

    def to_json(self, *, only_gaps: bool = True, **_: Any) -> dict[str, Any]:
        chosen = self.gaps if only_gaps else self.themes
        return {
            "region": {"iri": self.region.iri, "slug": self.region.slug, "label": self.region.label_fi},
            "schemes": self.schemes,
            "themes_considered": len(self.themes),
            "gap_count": len(self.gaps),
            "themes": [
                {
                    "scheme": t.scheme,
                    "scheme_label": t.scheme_label,
                    "theme": t.theme,
                    "label_fi": t.label_fi,
                    "label_en": t.label_en,
                    "gap": t.is_gap,
                    "record": t.record,
                    "covered_by": [c.__dict__ for c in t.covered_by],
                    "stated_in_source": t.statement,
                }
                for t in chosen
            ],
        }


def resolve_scheme(backend: Backend, text: str) -> str:
    """A scheme by IRI or by its path under theme/ (national, paijat-hame/priority)."""
    iri = text if text.startswith("http") else f"{THEME}{text.strip('/')}"
    known = [s for s, _r in backend.theme_schemes()]
    if iri not in known:
        names = ", ".join(k.removeprefix(str(THEME)) for k in known)
        raise NotFoundError(f"no theme scheme '{text}'; known: {names}")
    return iri


def coverage_gaps(backend: Backend, region: Region, *, schemes: list[str] | None = None) -> GapReport:
    """Every theme of ``schemes`` in ``region`` with the structures that cover it."""
    own = [s for s, r in backend.theme_schemes() if r == region.iri]
    scheme_iris = schemes or [*own, NATIONAL_SCHEME]
    theme_rows = backend.themes(scheme_iris)
    if not theme_rows:
        raise NotFoundError(f"no themes in the schemes {', '.join(scheme_iris)}")
    covers: dict[str, set[Coverer]] = {}
    for c in backend.coverers(scheme_iris, region.iri):
        covers.setdefault(c.theme, set()).add(Coverer(c.structure, c.label, c.kind))
    statements = backend.statements(scheme_iris, region.iri)
    stated_absent = stated_absent_themes(backend, region)
    order = {s: i for i, s in enumerate(scheme_iris)}
    report = GapReport(region, scheme_iris)
    seen: set[tuple[str, str]] = set()
    for r in sorted(theme_rows, key=lambda r: (order[r.scheme], r.label_fi, r.theme)):
        if (r.scheme, r.theme) in seen:
            continue
        seen.add((r.scheme, r.theme))
        report.themes.append(
            ThemeCoverage(
                scheme=r.scheme,
                scheme_label=r.scheme_label,
                theme=r.theme,
                label_fi=r.label_fi,
                label_en=r.label_en,
                covered_by=tuple(sorted(covers.get(r.theme, set()), key=lambda c: (c.label, c.iri))),
                statement=statements.get(r.theme),
                stated_absent=r.theme in stated_absent,
            )
        )
    return report
