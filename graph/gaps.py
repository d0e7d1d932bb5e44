"""Coverage gaps: the themes of a region that no forum or network covers.

Definition. A forum or network *covers* a theme C when it is in the region,
is not merely planned, and has a theme T from which C is reached by going
up or across: T = C, T skos:broader+ C, T skos:broadMatch C (C skos:narrowMatch T),
or T and C linked by skos:exactMatch or skos:closeMatch (either direction),
and chains of these. Coverage never flows down (a broad forum does not cover
every narrower theme) nor along skos:relatedMatch. A *gap* is a theme of the
asked schemes that nothing covers. By default the schemes are the region's
own (yhd:schemeRegion) and the national scheme.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yhdyspinta.errors import NotFoundError
from yhdyspinta.graph.regions import Region, resolve_region
from yhdyspinta.graph.store import Store
from yhdyspinta.ontology.namespaces import THEME

NATIONAL_SCHEME = f"{THEME}national"
PLANNED = "https://w3id.org/yhdyspinta/status/planned"

#: The SPARQL property path along which coverage flows (see the module doc).
COVERAGE_PATH = (
    "(skos:broader|skos:broadMatch|^skos:narrowMatch|skos:exactMatch|^skos:exactMatch"
    "|skos:closeMatch|^skos:closeMatch)*"
)


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

    @property
    def is_gap(self) -> bool:
        return not self.covered_by


@dataclass
class GapReport:
    """Coverage of every theme of the asked schemes in one region."""

    region: Region
    themes: list[ThemeCoverage] = field(default_factory=list)

    @property
    def gaps(self) -> list[ThemeCoverage]:
        return [t for t in self.themes if t.is_gap]

    title = "Coverage gaps"
    columns = ("scheme", "theme", "label_fi", "label_en", "covered_by", "stated_in_source")

    def rows(self, *, only_gaps: bool = True) -> list[dict[str, Any]]:
        chosen = self.gaps if only_gaps else self.themes
        return [
            {
                "scheme": t.scheme_label,
                "theme": t.theme.removeprefix(str(THEME)),
                "label_fi": t.label_fi,
                "label_en": t.label_en,
                "covered_by": len(t.covered_by),
                "stated_in_source": t.statement or "",
            }
            for t in chosen
        ]

    def to_json(self, *, only_gaps: bool = True) -> dict[str, Any]:
        chosen = self.gaps if only_gaps else self.themes
        return {
            "region": {"iri": self.region.iri, "slug": self.region.slug, "label": self.region.label_fi},
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
                    "covered_by": [c.__dict__ for c in t.covered_by],
                    "stated_in_source": t.statement,
                }
                for t in chosen
            ],
        }


def region_schemes(store: Store, region: Region) -> list[str]:
    rows = store.select(
        f"""SELECT ?s WHERE {{ ?s a yhd:ThemeScheme ; yhd:schemeRegion <{region.iri}> }} ORDER BY ?s"""
    )
    return [r["s"] for r in rows]


def resolve_scheme(store: Store, text: str) -> str:
    """A scheme by IRI or by its path under theme/ (national, paijat-hame/priority)."""
    iri = text if text.startswith("http") else f"{THEME}{text.strip('/')}"
    if not store.ask(f"ASK {{ <{iri}> a yhd:ThemeScheme }}"):
        known = [r["s"].removeprefix(str(THEME)) for r in store.select(
            "SELECT ?s WHERE { ?s a yhd:ThemeScheme } ORDER BY ?s")]
        raise NotFoundError(f"no theme scheme '{text}'; known: {', '.join(known)}")
    return iri


def coverage_gaps(store: Store, region: str | Region, *, schemes: list[str] | None = None) -> GapReport:
    """Every theme of ``schemes`` in ``region`` with the structures that cover it."""
    reg = region if isinstance(region, Region) else resolve_region(store, region)
    scheme_iris = schemes or [*region_schemes(store, reg), NATIONAL_SCHEME]
    values = " ".join(f"<{s}>" for s in scheme_iris)
    theme_rows = store.select(
        f"""SELECT ?scheme ?schemeLabel ?theme ?fi ?en WHERE {{
              VALUES ?scheme {{ {values} }}
              ?theme a yhd:Theme ; skos:inScheme ?scheme ; skos:prefLabel ?fi .
              FILTER(lang(?fi) = "fi")
              OPTIONAL {{ ?theme skos:prefLabel ?en FILTER(lang(?en) = "en") }}
              OPTIONAL {{ ?scheme skos:prefLabel ?schemeLabel FILTER(lang(?schemeLabel) = "en") }}
            }}"""
    )
    if not theme_rows:
        raise NotFoundError(f"no themes found in the schemes {', '.join(scheme_iris)}")
    cover_rows = store.select(
        f"""SELECT DISTINCT ?theme ?s ?label ?kind WHERE {{
              VALUES ?scheme {{ {values} }}
              ?theme skos:inScheme ?scheme .
              VALUES (?cls ?kind) {{ (yhd:Forum "forum") (yhd:StatutoryNegotiation "forum") (yhd:Network "network") }}
              ?s a ?cls ; yhd:inRegion <{reg.iri}> ; yhd:theme ?t ; skos:prefLabel ?label .
              FILTER(lang(?label) = "fi")
              FILTER NOT EXISTS {{ ?s yhd:status <{PLANNED}> }}
              ?t {COVERAGE_PATH} ?theme .
            }}"""
    )
    statement_rows = store.select(
        f"""SELECT ?theme (GROUP_CONCAT(DISTINCT ?note; separator=" | ") AS ?notes) WHERE {{
              ?st a yhd:ThemeStatement ; yhd:aboutTheme ?t ; yhd:inRegion <{reg.iri}> .
              OPTIONAL {{ ?st yhd:note ?note }}
              ?t {COVERAGE_PATH} ?theme .
            }} GROUP BY ?theme"""
    )
    covers: dict[str, list[Coverer]] = {}
    for r in cover_rows:
        covers.setdefault(r["theme"], []).append(Coverer(r["s"], r["label"], r["kind"]))
    statements = {r["theme"]: r["notes"] for r in statement_rows if r["notes"]}
    order = {s: i for i, s in enumerate(scheme_iris)}
    seen: set[tuple[str, str]] = set()
    report = GapReport(reg)
    for r in sorted(theme_rows, key=lambda r: (order[r["scheme"]], r["fi"])):
        key = (r["scheme"], r["theme"])
        if key in seen:
            continue
        seen.add(key)
        report.themes.append(
            ThemeCoverage(
                scheme=r["scheme"],
                scheme_label=r["schemeLabel"] or r["scheme"],
                theme=r["theme"],
                label_fi=r["fi"],
                label_en=r["en"] or "",
                covered_by=tuple(sorted(set(covers.get(r["theme"], [])), key=lambda c: c.label)),
                statement=statements.get(r["theme"]),
            )
        )
    return report
