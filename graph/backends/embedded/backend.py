"""The embedded back end: the analyses' questions in SPARQL on the Oxigraph store.

The queries are the files of ``queries/`` beside this module (``structures.rq``...), read by
:mod:`yhdyspinta.graph.store.sparql`, with the fragments they share in ``queries/fragments/``:
the path along which coverage flows (COVERAGE_PATH: ``fragments/coverage_path.rq``, its one
definition, also used by browse.py) and the "alive on a day" filter (``fragments/alive.rq``).
Every value is bound (the day, a region) or filled into a ``VALUES`` slot as a checked IRI
(a list of schemes; a region where the file says why).
"""

from __future__ import annotations

from datetime import date
from typing import Self

import pyoxigraph as ox

from yhdyspinta.graph.backends.embedded.scans import ScanQueries, Selects
from yhdyspinta.graph.backends.protocol import (
    BlockRow,
    CommitmentRow,
    CoverRow,
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
    ThemeRow,
    ordered,
)
from yhdyspinta.graph.regions import Region
from yhdyspinta.graph.store.sparql import Term, date_literal, fill, iri, load_query
from yhdyspinta.ontology.namespaces import YHD

_THEME = ox.NamedNode(str(YHD.theme))
_LEVEL = ox.NamedNode(str(YHD.level))


def _schemes(schemes: list[str]) -> list[ox.NamedNode]:
    return [iri(s) for s in schemes]


# -- structure, membership and pilot rows (issue 4 analyses) -------------------


class _StructureQueries:
    """Mixed into EmbeddedBackend: the rows the structure analyses need."""

    store: Selects

    @property
    def day(self) -> str:
        raise NotImplementedError

    def _on_day(self, region: str | None = None) -> tuple[tuple[str, ...], dict[str, Term]]:
        """The optional parts and the bound values of a query of things existing on the day,
        in ``region`` when given (the part "region", ?in_region)."""
        bind: dict[str, Term] = {"day": date_literal(self.day)}
        if not region:
            return (), bind
        bind["in_region"] = iri(region)
        return ("region",), bind

    def structures(self, region: str | None = None) -> list[StructureRow]:
        parts, bind = self._on_day(region)
        rows = self.store.select(load_query(__name__, "structures", *parts), bind)
        return ordered({StructureRow(r["s"], r["label"], r["kind"], r["region"], bool(r["planned"])) for r in rows})

    def _tags(self, prop: ox.NamedNode, region: str | None) -> list[TagRow]:
        parts, bind = self._on_day(region)
        rows = self.store.select(load_query(__name__, "structure_tags", *parts), {**bind, "property": prop})
        return ordered(TagRow(r["s"], r["c"], r["label"] or r["c"]) for r in rows)

    def structure_themes(self, region: str | None = None) -> list[TagRow]:
        return self._tags(_THEME, region)

    def structure_levels(self, region: str | None = None) -> list[TagRow]:
        return self._tags(_LEVEL, region)

    def memberships(self, region: str | None = None) -> list[MemberRow]:
        parts, bind = self._on_day(region)
        rows = self.store.select(load_query(__name__, "memberships", *parts), bind)
        return ordered(
            {MemberRow(r["s"], r["m"], r["label"] or r["m"], r["kind"], r["mun"], r["role"]) for r in rows}
        )

    def municipalities(self, region: str) -> list[MunicipalityRow]:
        rows = self.store.select(
            fill(load_query(__name__, "municipalities"), region=iri(region)), {"day": date_literal(self.day)}
        )
        return ordered(MunicipalityRow(r["m"], r["code"], r["label"], r["pop"]) for r in rows)

    def building_blocks(self, region: str) -> list[BlockRow]:
        rows = self.store.select(fill(load_query(__name__, "building_blocks"), region=iri(region)))
        return [
            BlockRow(r["b"], r["label"], "has" if r["h"] else "lacks" if r["l"] else "") for r in rows
        ]

    def negotiations(self, region: str) -> list[NegotiationRow]:
        rows = self.store.select(load_query(__name__, "negotiations"), {"region": iri(region)})
        return ordered(NegotiationRow(r["req"], r["label"], r["freq"], r["forum"], r["flabel"]) for r in rows)

    def council_terms(self) -> list[TermRow]:
        rows = self.store.select(load_query(__name__, "council_terms"))
        return ordered(TermRow(r["t"], r["label"], r["from"], r["until"], r["council"]) for r in rows)

    def milestones(self) -> list[MilestoneRow]:
        rows = self.store.select(load_query(__name__, "milestones"))
        return ordered(
            MilestoneRow(r["m"], r["label"], r["rec"].rsplit("/", 1)[1], r["start"], r["end"], r["year"], r["req"],
                         r["fromEnd"], r["validFrom"], r["lines"], r["council"], r["title"])
            for r in rows
        )

    def negotiation_meetings(self, region: str) -> list[MeetingRow]:
        rows = self.store.select(load_query(__name__, "negotiation_meetings"), {"region": iri(region)})
        return ordered(MeetingRow(r["req"], r["forum"], str(r["date"])) for r in rows)

    def legal_bases(self) -> list[LawRow]:
        rows = self.store.select(load_query(__name__, "legal_bases"))
        return ordered(LawRow(r["req"], r["law"], r["notation"], r["actLabel"], r["actNotation"]) for r in rows)

    def standing_practices(self, region: str) -> list[PracticeRow]:
        rows = self.store.select(load_query(__name__, "standing_practices"), {"region": iri(region)})
        return ordered(
            PracticeRow(r["req"], r["forum"], r["label"], r["freq"].rsplit("/", 1)[1], r["month"], r["note"],
                        r["vf"], r["vu"], r["lines"], r["title"])
            for r in rows
        )

    def pilots(self) -> list[PilotRow]:
        rows = self.store.select(load_query(__name__, "pilots"))
        return ordered(
            PilotRow(r["p"], r["label"], r["region"], r["share"], bool(r["wa"]), r["deadline"], r["taking"])
            for r in rows
        )

    def theme_links(self) -> list[ThemeLinkRow]:
        rows = self.store.select(load_query(__name__, "theme_links"))
        return ordered({ThemeLinkRow(r["from"], r["relation"], r["to"]) for r in rows})

    def structure_record(self, region: str | None = None) -> list[RecordedStructureRow]:
        parts: tuple[str, ...] = ("region",) if region else ()
        bind: dict[str, Term] = {"in_region": iri(region)} if region else {}
        rows = self.store.select(load_query(__name__, "structure_record", *parts), bind)
        return ordered({
            RecordedStructureRow(r["s"], r["label"], r["kind"], r["t"], bool(r["planned"]), bool(r["per"]),
                                 r["from"], r["until"])
            for r in rows
        })

    def per_municipality(self, region: str | None = None) -> list[str]:
        parts: tuple[str, ...] = ("region",) if region else ()
        bind: dict[str, Term] = {"in_region": iri(region)} if region else {}
        return sorted({r["s"] for r in self.store.select(load_query(__name__, "per_municipality", *parts), bind)})

    def theme_statements(self, region: str) -> list[StatementRow]:
        rows = self.store.select(load_query(__name__, "theme_statements"), {"region": iri(region)})
        return ordered({StatementRow(r["st"], r["t"], r["net"], r["absent"]) for r in rows})

    def profile_facts(self, region: str) -> list[ProfileFactRow]:
        rows = self.store.select(load_query(__name__, "profile_facts"), {"region": iri(region)})
        return ordered({ProfileFactRow(r["p"], r["property"], bool(r["value"])) for r in rows})

    def cited_sources(self, region: str) -> list[tuple[str, str]]:
        """(source IRI, title) of every document cited by the region's structures and profile."""
        rows = self.store.select(fill(load_query(__name__, "cited_sources"), region=iri(region)))
        return sorted((r["src"], r["title"]) for r in rows)

    def commitments(self) -> list[CommitmentRow]:
        rows = self.store.select(load_query(__name__, "commitments"))
        return ordered(
            CommitmentRow(r["pilot"], r["m"], r["mlabel"], r["kind"], r["date"], r["body"], r["section"],
                          r["record"], r["resp"], r["dkind"])
            for r in rows
        )


class QueryBackend(_StructureQueries):
    """Answers the analyses' questions from the embedded store, one SPARQL query per question.

    The reference the scans of :class:`EmbeddedBackend` are held to (tests/test_scans.py), and
    the statements other SPARQL back ends may reuse by name."""

    name = "embedded"

    def __init__(self, store: Selects, *, as_of: date | None = None) -> None:
        """``as_of``: answer as the graph stood on that day (default: today, each time asked)."""
        self.store = store
        self.as_of = as_of

    @property
    def day(self) -> str:
        return (self.as_of or date.today()).isoformat()

    def at(self, day: date | None) -> Self:
        """The same store, read as it stood on ``day``."""
        return type(self)(self.store, as_of=day)

    def regions(self) -> list[Region]:
        rows = self.store.select(load_query(__name__, "regions"))
        return [Region(r["r"], r["slug"], r["code"], r["fi"], r["en"]) for r in rows]

    def theme_schemes(self) -> list[tuple[str, str | None]]:
        rows = self.store.select(load_query(__name__, "theme_schemes"))
        return [(r["s"], r["r"]) for r in rows]

    def themes(self, schemes: list[str]) -> list[ThemeRow]:
        rows = self.store.select(fill(load_query(__name__, "themes"), schemes=_schemes(schemes)))
        return ordered(
            ThemeRow(r["scheme"], r["schemeLabel"] or r["scheme"], r["theme"], r["fi"], r["en"] or "")
            for r in rows
        )

    def coverers(self, schemes: list[str], region: str) -> list[CoverRow]:
        rows = self.store.select(
            fill(load_query(__name__, "coverers"), schemes=_schemes(schemes)),
            {"region": iri(region), "day": date_literal(self.day)},
        )
        return ordered({CoverRow(r["theme"], r["s"], r["label"], r["kind"]) for r in rows})

    def statements(self, schemes: list[str], region: str) -> dict[str, str]:
        rows = self.store.select(
            fill(load_query(__name__, "statements"), schemes=_schemes(schemes), region=iri(region))
        )
        # GROUP_CONCAT's order is not fixed; sort so that every back end answers alike
        return {r["theme"]: " | ".join(sorted(r["notes"].split(" | "))) for r in rows if r["notes"]}


class EmbeddedBackend(ScanQueries, QueryBackend):
    """Answers the analyses' questions from the embedded store: the questions asked of many
    rows (structures, their themes, levels and members, coverers) from plain pattern scans
    joined in Python (:mod:`.scans`), the others as :class:`QueryBackend` does."""

    # Asked once per region by a national analysis and the same for every region: once per batched
    # block (23 theme-link reads were a quarter of the national matrix at 486,000 quads).

    def theme_links(self) -> list[ThemeLinkRow]:
        return list(self._kept("theme links", lambda: QueryBackend.theme_links(self)))

    def theme_schemes(self) -> list[tuple[str, str | None]]:
        return list(self._kept("theme schemes", lambda: QueryBackend.theme_schemes(self)))

    def themes(self, schemes: list[str]) -> list[ThemeRow]:
        return list(self._kept(("themes", tuple(schemes)), lambda: QueryBackend.themes(self, schemes)))
