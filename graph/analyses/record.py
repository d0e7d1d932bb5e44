"""What is on record: the three states every analysis keeps apart, and why a structure covers a theme.

**Three states.** The graph holds what the sources say. For anything an analysis asks
(does a municipality take part in a theme? has a municipality decided to join a pilot? does the
region have a building block?) the answer is one of:

- ``present``: the record shows it (a membership, a decision, the profile's yhd:hasBuildingBlock);
- ``absent (stated)``: a source states that it is not there, a negative fact
  (yhd:ThemeStatement with yhd:hasRegionalNetwork false or yhd:absentMunicipality,
  yhd:lacksBuildingBlock, yhd:hasStrategicAgreement false);
- ``not on record``: the graph knows nothing either way. Nothing on record is not "no".

**Why a structure covers a theme** (``explain``). The coverage path of docs/analyses.md, read
step by step from the theme links (``Backend.theme_links``), so that both back ends give the same
path: from a theme A to a theme B one may go

- up within a scheme: ``A skos:broader B`` ("via narrower theme A");
- up across schemes: ``A skos:broadMatch B``, or ``B skos:narrowMatch A`` ("via mapping");
- across by equivalence: ``A skos:exactMatch B`` or ``B skos:exactMatch A`` ("via mapping");

and never down (``skos:narrower``, a broadMatch read backwards), never along ``skos:closeMatch`` or
``skos:relatedMatch``: those are shown as "related, not counted". These are the steps of the
store's coverage path (graph/backends/embedded/queries/fragments/coverage_path.rq,
graph/backends/neo4j/queries/coverers.cypher); the explanation checks its own answer against
the back end's coverers and says so if they ever differ. The links read are those with a theme
at one end (``theme_links``): a chain through two concepts that are not themes is not followed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from yhdyspinta.errors import NotFoundError
from yhdyspinta.graph.analyses.result import ResultTables
from yhdyspinta.graph.backends.protocol import Backend, RecordedStructureRow, ThemeLinkRow, ThemeRow
from yhdyspinta.graph.regions import Region
from yhdyspinta.ontology.namespaces import THEME
from yhdyspinta.ontology.vocabulary import NATIONAL_SCHEME

#: The three states of a fact, as the analyses write them.
PRESENT: Final = "present"
ABSENT_STATED: Final = "absent (stated)"
NOT_ON_RECORD: Final = "not on record"
STATES: Final = (PRESENT, ABSENT_STATED, NOT_ON_RECORD)

#: The links along which coverage flows (each with the direction it is read in), and those it never follows.
COUNTED_RELATIONS: Final = ("broader", "broadMatch", "narrowMatch", "exactMatch")
RELATED_RELATIONS: Final = ("closeMatch", "relatedMatch")

#: Labels of the yes/no facts of a regional profile (``Backend.profile_facts``), by property.
PROFILE_FACTS: Final = {
    "hasStrategicAgreement": "Strateginen yhteistyösopimus",
    "hasSubAgreements": "Alasopimukset",
}


@dataclass(frozen=True, order=True)
class Step:
    """One step of coverage: from the theme ``start`` to the theme ``end``, by the link
    ``source relation target`` as the data writes it."""

    start: str
    end: str
    source: str
    relation: str
    target: str


class ThemeGraph:
    """The theme links, with the steps coverage may take and the links it never follows."""

    def __init__(self, links: list[ThemeLinkRow]) -> None:
        self.into: dict[str, list[Step]] = {}
        self.related: dict[str, list[ThemeLinkRow]] = {}
        for link in links:
            steps: list[Step] = []
            if link.relation in ("broader", "broadMatch"):
                steps.append(Step(link.source, link.target, link.source, link.relation, link.target))
            elif link.relation == "narrowMatch":  # B narrowMatch A: A is narrower, so A -> B
                steps.append(Step(link.target, link.source, link.source, link.relation, link.target))
            elif link.relation == "exactMatch":
                steps.append(Step(link.source, link.target, link.source, link.relation, link.target))
                steps.append(Step(link.target, link.source, link.source, link.relation, link.target))
            elif link.relation in RELATED_RELATIONS:
                self.related.setdefault(link.source, []).append(link)
                self.related.setdefault(link.target, []).append(link)
            for step in steps:
                if step.start != step.end:
                    self.into.setdefault(step.end, []).append(step)
        for found in self.into.values():
            found.sort()

    def paths_to(self, theme: str) -> dict[str, tuple[Step, ...]]:
        """Every theme from which coverage reaches ``theme``, with a shortest path of steps from it
        (the theme itself with none). Ties go to the first step in IRI order, so the answer is fixed."""
        paths: dict[str, tuple[Step, ...]] = {theme: ()}
        queue = deque([theme])
        while queue:
            here = queue.popleft()
            for step in self.into.get(here, []):
                if step.start not in paths:
                    paths[step.start] = (step, *paths[here])
                    queue.append(step.start)
        return paths

    def equivalents(self, theme: str) -> set[str]:
        """``theme`` and every theme linked to it by exactMatch, either way, chained."""
        found, queue = {theme}, deque([theme])
        while queue:
            here = queue.popleft()
            for step in self.into.get(here, []):
                if step.relation == "exactMatch" and step.start not in found:
                    found.add(step.start)
                    queue.append(step.start)
        return found

    def related_links(self, theme: str) -> list[ThemeLinkRow]:
        """The closeMatch and relatedMatch links with ``theme`` at either end."""
        return sorted(self.related.get(theme, []))


def short(theme: str) -> str:
    """A theme's IRI as people type it: its path under theme/ (paijat-hame/group/hyte-yleisesti)."""
    return theme.removeprefix(str(THEME))


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def resolve_theme(backend: Backend, text: str, *, prefer: list[str] | None = None) -> ThemeRow:
    """The theme a user means: its IRI, its path under theme/ (``paijat-hame/group/hyte-yleisesti``),
    its last part (``hyte-yleisesti``), or its Finnish or English label (any case). Where several
    themes answer (the same label in two schemes), those of the ``prefer`` schemes win; still
    several: NotFoundError naming each by its path."""
    schemes = [s for s, _r in backend.theme_schemes()]
    rows = backend.themes(schemes)
    wanted = text.strip()
    path = wanted.strip("/")
    folded = _fold(wanted)
    tests: tuple[Callable[[ThemeRow], bool], ...] = (
        lambda r: r.theme == wanted or short(r.theme) == path,
        lambda r: short(r.theme).rsplit("/", 1)[-1] == path,
        lambda r: folded in (_fold(r.label_fi), _fold(r.label_en)),
    )
    for test in tests:
        found = {r.theme: r for r in sorted(rows) if test(r)}
        if len(found) > 1 and prefer:
            preferred = {t: r for t, r in found.items() if r.scheme in prefer}
            found = preferred or found
        if len(found) == 1:
            return next(iter(found.values()))
        if found:
            names = "; ".join(f"{short(t)} ({r.label_fi})" for t, r in sorted(found.items()))
            raise NotFoundError(f"'{text}' names several themes: {names}. Give the path.")
    raise NotFoundError(
        f"no theme '{text}'; give its path (e.g. paijat-hame/group/hyte-yleisesti) or its Finnish label. "
        "List them with `yhdyspinta sparql` or GET /api/themes."
    )


# -- explain ---------------------------------------------------------------------


@dataclass(frozen=True)
class ExplainedStructure:
    """A structure of the region with a theme from which coverage reaches the explained theme."""

    structure: str
    label: str
    kind: str
    counted: bool
    reason: str  # why it counts ("tagged directly", "via ...") or why not (planned, ended)
    paths: tuple[str, ...]  # one line per theme of the structure that reaches the explained theme


@dataclass(frozen=True)
class RelatedTheme:
    """A concept linked to the explained theme only by closeMatch or relatedMatch: shown, not counted."""

    theme: str
    label: str
    link: str  # the link as the data writes it, e.g. "Arjen turvallisuuden edistäminen relatedMatch Varautuminen ..."
    structures: tuple[str, ...]  # the region's structures on it (or reaching it) that do not count here


@dataclass
class ThemeExplanation(ResultTables):
    """Why each structure counts for one theme in one region, and what is near it but not counted."""

    region: Region
    theme: ThemeRow
    day: str
    record: str  # PRESENT, ABSENT_STATED or NOT_ON_RECORD
    statement: str | None
    structures: list[ExplainedStructure] = field(default_factory=list)
    related: list[RelatedTheme] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)  # empty unless the back end's coverers differ
    columns: tuple[str, ...] = ("structure", "kind", "counts", "why")

    @property
    def title(self) -> str:
        counted = sum(1 for s in self.structures if s.counted)
        return (f"{self.region.label_fi}: why {counted} structure(s) cover «{self.theme.label_fi}» "
                f"({short(self.theme.theme)}) on {self.day}; theme {self.record}")

    @property
    def counted(self) -> list[ExplainedStructure]:
        return [s for s in self.structures if s.counted]

    def rows(self, **_: Any) -> list[dict[str, Any]]:
        out = [{"structure": s.label, "kind": s.kind, "counts": "yes" if s.counted else "no", "why": s.reason}
               for s in self.structures]
        out += [{"structure": r.label, "kind": "related", "counts": "related, not counted",
                 "why": r.link + (f"; on it: {', '.join(r.structures)}" if r.structures else "")}
                for r in self.related]
        if self.statement:
            out.append({"structure": "(source)", "kind": "statement", "counts": self.record, "why": self.statement})
        out += [{"structure": "(check)", "kind": "", "counts": "", "why": d} for d in self.disagreements]
        return out

    def to_json(self, **_: Any) -> dict[str, Any]:
        return {
            "region": {"iri": self.region.iri, "slug": self.region.slug, "label": self.region.label_fi},
            "theme": {"iri": self.theme.theme, "path": short(self.theme.theme), "label_fi": self.theme.label_fi,
                      "label_en": self.theme.label_en, "scheme": self.theme.scheme},
            "day": self.day,
            "record": self.record,
            "stated_in_source": self.statement,
            "covered_by": [
                {"iri": s.structure, "label": s.label, "kind": s.kind, "explain": s.reason, "paths": list(s.paths)}
                for s in self.structures if s.counted
            ],
            "not_counted": [
                {"iri": s.structure, "label": s.label, "kind": s.kind, "why": s.reason, "paths": list(s.paths)}
                for s in self.structures if not s.counted
            ],
            "related_not_counted": [
                {"theme": r.theme, "label": r.label, "link": r.link, "structures": list(r.structures)}
                for r in self.related
            ],
            "disagreements": self.disagreements,
        }


class _Names:
    """Theme labels for the explanations: the Finnish label, with the path where two themes share it."""

    def __init__(self, rows: list[ThemeRow]) -> None:
        self.label = {r.theme: r.label_fi for r in rows}
        counts: dict[str, int] = {}
        for label in self.label.values():
            counts[label] = counts.get(label, 0) + 1
        self.shared = {label for label, n in counts.items() if n > 1}

    def __call__(self, theme: str) -> str:
        label = self.label.get(theme)
        if label is None:
            return theme if not theme.startswith(str(THEME)) else short(theme)
        return f"{label} ({short(theme)})" if label in self.shared else label


def _step_text(step: Step, name: _Names) -> str:
    """How one step reads: the relation as the data states it, and where it leads."""
    if step.relation == "broader":
        return f"(skos:broader) to {name(step.end)}"
    if step.source == step.start:
        return f"({step.relation}) to {name(step.end)}"
    return f"({name(step.source)} {step.relation} {name(step.target)}, read backwards) to {name(step.end)}"


def _path_text(tagged: str, steps: tuple[Step, ...], name: _Names) -> str:
    """``tagged directly``, or the chain of steps from the structure's theme, written out:
    "via narrower theme X (skos:broader) to Y", "via mapping X (broadMatch) to Y, then (exactMatch) to Z"."""
    if not steps:
        return "tagged directly"
    first = "via narrower theme" if steps[0].relation == "broader" else "via mapping"
    return f"{first} {name(tagged)} " + ", then ".join(_step_text(step, name) for step in steps)


def _not_counted(rows: list[RecordedStructureRow], alive: set[str], day: str) -> str | None:
    """Why a structure of the region with a theme on the path does not count today (None: it does)."""
    r = rows[0]
    if r.structure not in alive:
        ended = sorted(x.valid_until for x in rows if x.valid_until and x.valid_until < day)
        begins = sorted(x.valid_from for x in rows if x.valid_from and x.valid_from > day)
        if ended:
            return f"not counted: ended {ended[-1]} (yhd:validUntil), before {day}"
        if begins:
            return f"not counted: begins {begins[0]} (yhd:validFrom), after {day}"
        return f"not counted: not in existence on {day}"
    if r.planned:
        return "not counted: planned only (yhd:status planned), covers nothing yet"
    return None


def explain(backend: Backend, region: Region, theme: ThemeRow, *, day: date | None = None) -> ThemeExplanation:
    """Every structure of ``region`` that covers ``theme`` on the back end's day, with the path that
    made it count; the structures on the path that do not count (planned, ended, not begun) with
    the reason; and the concepts linked to the theme only by closeMatch or relatedMatch.

    ``day`` is the day the back end answers for (``backend.at(day)``; None: today): it words the
    reasons, the back end decides what exists."""
    on = (day or date.today()).isoformat()
    graph = ThemeGraph(backend.theme_links())
    paths = graph.paths_to(theme.theme)
    name = _Names(backend.themes([s for s, _r in backend.theme_schemes()]))
    record = backend.structure_record(region.iri)
    alive = {s.iri for s in backend.structures(region.iri)}
    by_structure: dict[str, list[RecordedStructureRow]] = {}
    for row in record:
        by_structure.setdefault(row.structure, []).append(row)

    structures: list[ExplainedStructure] = []
    counted: set[tuple[str, str]] = set()
    for iri, rows in by_structure.items():
        reaching = sorted({r.theme for r in rows if r.theme in paths}, key=lambda t: (len(paths[t]), t))
        if not reaching:
            continue
        lines = tuple(_path_text(t, paths[t], name) for t in reaching)
        why_not = _not_counted(rows, alive, on)
        for kind in sorted({r.kind for r in rows}):
            label = min(r.label for r in rows)
            if why_not is None:
                counted.add((iri, kind))
            structures.append(ExplainedStructure(iri, label, kind, why_not is None,
                                                 why_not or "; ".join(lines), lines))
    structures.sort(key=lambda s: (not s.counted, s.label, s.structure, s.kind))

    # the back end's own answer, by the query that defines coverage: the two must agree
    stored = {(c.structure, c.kind) for c in backend.coverers([theme.scheme], region.iri) if c.theme == theme.theme}
    disagreements = [f"the store counts {s} ({k}) but no path was found" for s, k in sorted(stored - counted)]
    disagreements += [f"a path was found for {s} ({k}) but the store does not count it"
                      for s, k in sorted(counted - stored)]

    related: list[RelatedTheme] = []
    for link in graph.related_links(theme.theme):
        other = link.target if link.source == theme.theme else link.source
        if other in paths or other == theme.theme:
            continue  # linked also by a counted path: not "only related"
        reach_other = graph.paths_to(other)
        near = sorted({min(r.label for r in rows) for iri, rows in by_structure.items()
                       if iri in alive and not rows[0].planned and any(r.theme in reach_other for r in rows)
                       and not any(iri == s for s, _k in counted)})
        related.append(RelatedTheme(other, name(other), f"{name(link.source)} {link.relation} {name(link.target)}",
                                    tuple(near)))

    stated = stated_absent_themes(backend, region, graph)
    state = PRESENT if counted else ABSENT_STATED if theme.theme in stated else NOT_ON_RECORD
    note = backend.statements([theme.scheme], region.iri).get(theme.theme)
    return ThemeExplanation(region, theme, on, state, note, structures, related, disagreements)


def stated_absent_themes(backend: Backend, region: Region, graph: ThemeGraph | None = None) -> set[str]:
    """The themes a source states to have no regional network in ``region`` (a yhd:ThemeStatement
    with yhd:hasRegionalNetwork false), with their exact matches: as ``Backend.statements`` reaches
    them, never a broader theme."""
    graph = graph or ThemeGraph(backend.theme_links())
    found: set[str] = set()
    for s in backend.theme_statements(region.iri):
        if s.has_regional_network is False:
            found |= graph.equivalents(s.theme)
    return found


def stated_absent_municipalities(backend: Backend, region: Region,
                                 graph: ThemeGraph | None = None) -> dict[str, set[str]]:
    """Theme -> the municipalities a source states to be absent from it (yhd:absentMunicipality),
    reaching the theme's exact matches as statements do."""
    graph = graph or ThemeGraph(backend.theme_links())
    found: dict[str, set[str]] = {}
    for s in backend.theme_statements(region.iri):
        if s.absent_municipality:
            for theme in graph.equivalents(s.theme):
                found.setdefault(theme, set()).add(s.absent_municipality)
    return found


def default_schemes(backend: Backend, region: Region) -> list[str]:
    """The schemes an analysis asks by default: the region's own and the national."""
    return [*(s for s, r in backend.theme_schemes() if r == region.iri), NATIONAL_SCHEME]
