"""The embedded back end: the analyses' questions in SPARQL on the Oxigraph store."""

from __future__ import annotations

from datetime import date

from yhdyspinta.graph.backends.protocol import (
    BlockRow,
    CommitmentRow,
    CoverRow,
    MeetingRow,
    MemberRow,
    MilestoneRow,
    MunicipalityRow,
    NegotiationRow,
    PilotRow,
    StructureRow,
    TagRow,
    TermRow,
    ThemeRow,
)
from yhdyspinta.graph.regions import Region
from yhdyspinta.graph.store.store import Store

PLANNED = "https://w3id.org/yhdyspinta/status/planned"

#: The SPARQL property path along which coverage flows (see graph/analyses/gaps.py).
COVERAGE_PATH = (
    "(skos:broader|skos:broadMatch|^skos:narrowMatch|skos:exactMatch|^skos:exactMatch"
    "|skos:closeMatch|^skos:closeMatch)*"
)
#: The municipality a member is, or whose post or unit (or post in a unit) it is. Fixed-length
#: steps: Oxigraph evaluates an open (a|b)* path from an unbound start slowly.
MUNICIPALITY_OF_MEMBER = (
    "{ ?m a yhd:Municipality BIND(?m AS ?mun) } "
    "UNION { ?m org:postIn|org:unitOf ?mun . ?mun a yhd:Municipality } "
    "UNION { ?m (org:postIn|org:unitOf)/(org:postIn|org:unitOf) ?mun . ?mun a yhd:Municipality }"
)

#: The classes of forums and networks (the store does no RDFS inference).
STRUCTURE_CLASSES = "yhd:Forum yhd:StatutoryNegotiation yhd:Network"
STRUCTURE_KINDS = '(yhd:Forum "forum") (yhd:StatutoryNegotiation "forum") (yhd:Network "network")'

#: Statements reach only equivalent themes: "no network for X" says nothing of X's broader theme.
EQUIVALENCE_PATH = "(skos:exactMatch|^skos:exactMatch|skos:closeMatch|^skos:closeMatch)*"


def _values(iris: list[str]) -> str:
    return " ".join(f"<{i}>" for i in iris)


# -- structure, membership and pilot rows (issue 4 analyses) -------------------


_KIND = """
  BIND(IF(EXISTS { ?m a yhd:Municipality }, "municipality",
       IF(EXISTS { ?m a yhd:WelfareArea }, "welfare-area",
       IF(EXISTS { ?m a yhd:Post }, "post",
       IF(EXISTS { ?m a yhd:Unit }, "unit",
       IF(EXISTS { ?m a ?sc . VALUES ?sc { yhd:Forum yhd:Network yhd:StatutoryNegotiation } },
          "structure", "organisation"))))) AS ?kind)
"""


def _region_filter(var: str, region: str | None) -> str:
    return f"{var} yhd:inRegion <{region}> ." if region else ""


def alive(var: str, day: str) -> str:
    """SPARQL that keeps ``var`` only if it existed on ``day`` (no dates = always)."""
    v = var.lstrip("?")
    return (
        f'FILTER NOT EXISTS {{ {var} yhd:validFrom ?from_{v} FILTER(?from_{v} > "{day}"^^xsd:date) }} '
        f'FILTER NOT EXISTS {{ {var} yhd:validUntil ?until_{v} FILTER(?until_{v} < "{day}"^^xsd:date) }}'
    )


def member_alive(structure: str, member: str, day: str) -> str:
    """A membership counts on ``day`` unless a dated org:Membership for the pair excludes it."""
    return (
        f"FILTER NOT EXISTS {{ ?ms org:organization {structure} ; org:member {member} ; yhd:validFrom ?msf "
        f'FILTER(?msf > "{day}"^^xsd:date) }} '
        f"FILTER NOT EXISTS {{ ?mu org:organization {structure} ; org:member {member} ; yhd:validUntil ?msu "
        f'FILTER(?msu < "{day}"^^xsd:date) }}'
    )


class _StructureQueries:
    """Mixed into EmbeddedBackend: the rows the structure analyses need."""

    store: Store

    @property
    def day(self) -> str:
        raise NotImplementedError

    def structures(self, region: str | None = None) -> list[StructureRow]:
        rows = self.store.select(
            f"""SELECT DISTINCT ?s ?label ?kind ?region ?planned WHERE {{
                  VALUES (?cls ?kind) {{ {STRUCTURE_KINDS} }}
                  ?s a ?cls ; skos:prefLabel ?label . FILTER(lang(?label) = "fi")
                  {_region_filter("?s", region)}
                  {alive("?s", self.day)}
                  OPTIONAL {{ ?s yhd:inRegion ?region }}
                  BIND(EXISTS {{ ?s yhd:status <{PLANNED}> }} AS ?planned)
                }}"""
        )
        return sorted({StructureRow(r["s"], r["label"], r["kind"], r["region"], bool(r["planned"])) for r in rows})

    def _tags(self, prop: str, region: str | None) -> list[TagRow]:
        rows = self.store.select(
            f"""SELECT DISTINCT ?s ?c ?label WHERE {{
                  ?s a ?cls ; {prop} ?c . VALUES ?cls {{ {STRUCTURE_CLASSES} }}
                  {_region_filter("?s", region)}
                  {alive("?s", self.day)}
                  OPTIONAL {{ ?c skos:prefLabel ?label FILTER(lang(?label) = "fi") }}
                }}"""
        )
        return sorted(TagRow(r["s"], r["c"], r["label"] or r["c"]) for r in rows)

    def structure_themes(self, region: str | None = None) -> list[TagRow]:
        return self._tags("yhd:theme", region)

    def structure_levels(self, region: str | None = None) -> list[TagRow]:
        return self._tags("yhd:level", region)

    def memberships(self, region: str | None = None) -> list[MemberRow]:
        rows = self.store.select(
            f"""SELECT DISTINCT ?s ?m ?label ?kind ?mun ?role WHERE {{
                  ?s a ?cls . VALUES ?cls {{ {STRUCTURE_CLASSES} }}
                  {_region_filter("?s", region)}
                  {alive("?s", self.day)}
                  {{ ?s org:hasMember ?m BIND("member" AS ?role) {member_alive("?s", "?m", self.day)} }}
                  UNION {{ ?s yhd:coordinator ?m BIND("coordinator" AS ?role) }}
                  UNION {{ ?s yhd:convener ?m BIND("convener" AS ?role) }}
                  {alive("?m", self.day)}
                  OPTIONAL {{ ?m skos:prefLabel ?label FILTER(lang(?label) = "fi") }}
                  {_KIND}
                  OPTIONAL {{ {MUNICIPALITY_OF_MEMBER} }}
                }}"""
        )
        return sorted(
            {MemberRow(r["s"], r["m"], r["label"] or r["m"], r["kind"], r["mun"], r["role"]) for r in rows}
        )

    def municipalities(self, region: str) -> list[MunicipalityRow]:
        rows = self.store.select(
            f"""SELECT ?m ?code ?label ?pop WHERE {{
                  ?m a yhd:Municipality ; yhd:inRegion <{region}> ; skos:notation ?code ; skos:prefLabel ?label .
                  FILTER(lang(?label) = "fi")
                  {alive("?m", self.day)}
                  OPTIONAL {{ ?m yhd:population ?pop }}
                }}"""
        )
        return sorted(MunicipalityRow(r["m"], r["code"], r["label"], r["pop"]) for r in rows)

    def building_blocks(self, region: str) -> list[BlockRow]:
        rows = self.store.select(
            f"""SELECT ?b ?label ?notation
                       (MAX(?has) AS ?h) (MAX(?lacks) AS ?l) WHERE {{
                  ?b a yhd:BuildingBlock ; skos:notation ?notation ; skos:prefLabel ?label .
                  FILTER(lang(?label) = "fi")
                  OPTIONAL {{ ?p yhd:profileOf <{region}> ; yhd:hasBuildingBlock ?b BIND(1 AS ?has) }}
                  OPTIONAL {{ ?p2 yhd:profileOf <{region}> ; yhd:lacksBuildingBlock ?b BIND(1 AS ?lacks) }}
                }} GROUP BY ?b ?label ?notation ORDER BY ?notation"""
        )
        return [
            BlockRow(r["b"], r["label"], "has" if r["h"] else "lacks" if r["l"] else "") for r in rows
        ]

    def negotiations(self, region: str) -> list[NegotiationRow]:
        rows = self.store.select(
            f"""SELECT ?req ?label ?freq ?forum ?flabel WHERE {{
                  ?req a yhd:NegotiationRequirement ; skos:prefLabel ?label ; yhd:frequency ?f .
                  ?f skos:prefLabel ?freq . FILTER(lang(?label) = "fi" && lang(?freq) = "en")
                  OPTIONAL {{ ?forum yhd:negotiationType ?req ; yhd:inRegion <{region}> ; skos:prefLabel ?flabel .
                             FILTER(lang(?flabel) = "fi") }}
                }}"""
        )
        return sorted(NegotiationRow(r["req"], r["label"], r["freq"], r["forum"], r["flabel"]) for r in rows)

    def council_terms(self) -> list[TermRow]:
        rows = self.store.select(
            """SELECT ?t ?label ?from ?until WHERE { ?t a yhd:CouncilTerm ; skos:prefLabel ?label ;
                 yhd:validFrom ?from ; yhd:validUntil ?until FILTER(lang(?label) = "fi") }"""
        )
        return sorted(TermRow(r["t"], r["label"], r["from"], r["until"]) for r in rows)

    def milestones(self) -> list[MilestoneRow]:
        rows = self.store.select(
            """SELECT ?m ?label ?rec ?start ?end ?year ?req WHERE {
                 ?m a yhd:PlanningMilestone ; skos:prefLabel ?label ; yhd:recurrence ?rec ;
                    yhd:windowStartMonth ?start ; yhd:windowEndMonth ?end . FILTER(lang(?label) = "fi")
                 OPTIONAL { ?m yhd:termYear ?year } OPTIONAL { ?m yhd:milestoneFor ?req } }"""
        )
        return sorted(
            MilestoneRow(r["m"], r["label"], r["rec"].rsplit("/", 1)[1], r["start"], r["end"], r["year"], r["req"])
            for r in rows
        )

    def negotiation_meetings(self, region: str) -> list[MeetingRow]:
        rows = self.store.select(
            f"""SELECT ?req ?forum ?date WHERE {{
                  ?forum yhd:negotiationType ?req ; yhd:inRegion <{region}> .
                  ?meeting a yhd:Meeting ; yhd:meetingOf ?forum ; dcterms:date ?date . }}"""
        )
        return sorted(MeetingRow(r["req"], r["forum"], str(r["date"])) for r in rows)

    def pilots(self) -> list[PilotRow]:
        rows = self.store.select(
            """SELECT ?p ?label ?region ?share ?wa ?deadline WHERE {
                 ?p a yhd:Pilot ; skos:prefLabel ?label . FILTER(lang(?label) = "fi")
                 OPTIONAL { ?p yhd:inRegion ?region }
                 OPTIONAL { ?p yhd:quorumMunicipalShare ?share }
                 OPTIONAL { ?p yhd:requiresWelfareArea ?wa }
                 OPTIONAL { ?p yhd:registrationDeadline ?deadline }
               }"""
        )
        return sorted(
            PilotRow(r["p"], r["label"], r["region"], r["share"], bool(r["wa"]), r["deadline"]) for r in rows
        )

    def cited_sources(self, region: str) -> list[tuple[str, str]]:
        """(source IRI, title) of every document cited by the region's structures and profile."""
        rows = self.store.select(
            f"""SELECT DISTINCT ?src ?title WHERE {{
                  {{ ?x yhd:inRegion <{region}> }} UNION {{ ?x yhd:profileOf <{region}> }}
                  ?x dcterms:source ?src . ?src dcterms:title ?title .
                }}"""
        )
        return sorted((r["src"], r["title"]) for r in rows)

    def commitments(self) -> list[CommitmentRow]:
        rows = self.store.select(
            f"""SELECT ?pilot ?m ?mlabel ?kind ?date ?body ?section ?record ?resp ?dkind WHERE {{
                  ?c a yhd:Commitment ; yhd:pilot ?pilot ; yhd:committer ?m .
                  ?m skos:prefLabel ?mlabel . FILTER(lang(?mlabel) = "fi")
                  BIND(?m AS ?m0)
                  {_KIND}
                  OPTIONAL {{ ?c yhd:decisionDate ?date }}
                  OPTIONAL {{ ?c yhd:decidingBody/skos:prefLabel ?body FILTER(lang(?body) = "fi") }}
                  OPTIONAL {{ ?c yhd:section ?section }}
                  OPTIONAL {{ ?c yhd:recordNumber ?record }}
                  OPTIONAL {{ ?c yhd:responsiblePost/skos:prefLabel ?resp FILTER(lang(?resp) = "fi") }}
                  OPTIONAL {{ ?c yhd:decisionKind ?dkind }}
                }}"""
        )
        return sorted(
            CommitmentRow(r["pilot"], r["m"], r["mlabel"], r["kind"], r["date"], r["body"], r["section"],
                          r["record"], r["resp"], r["dkind"])
            for r in rows
        )


class EmbeddedBackend(_StructureQueries):
    """Answers the analyses' questions from the embedded store."""

    name = "embedded"

    def __init__(self, store: Store, *, as_of: date | None = None) -> None:
        """``as_of``: answer as the graph stood on that day (default: today, each time asked)."""
        self.store = store
        self.as_of = as_of

    @property
    def day(self) -> str:
        return (self.as_of or date.today()).isoformat()

    def at(self, day: date | None) -> EmbeddedBackend:
        """The same store, read as it stood on ``day``."""
        return EmbeddedBackend(self.store, as_of=day)

    def regions(self) -> list[Region]:
        rows = self.store.select(
            """SELECT ?r ?slug ?code ?fi (SAMPLE(?en0) AS ?en) WHERE {
                 ?r a yhd:Region ; yhd:slug ?slug ; skos:notation ?code ; skos:prefLabel ?fi .
                 FILTER(lang(?fi) = "fi")
                 OPTIONAL { ?r skos:prefLabel ?en0 FILTER(lang(?en0) = "en") }
               } GROUP BY ?r ?slug ?code ?fi ORDER BY ?code"""
        )
        return [Region(r["r"], r["slug"], r["code"], r["fi"], r["en"]) for r in rows]

    def theme_schemes(self) -> list[tuple[str, str | None]]:
        rows = self.store.select(
            "SELECT ?s ?r WHERE { ?s a yhd:ThemeScheme OPTIONAL { ?s yhd:schemeRegion ?r } } ORDER BY ?s"
        )
        return [(r["s"], r["r"]) for r in rows]

    def themes(self, schemes: list[str]) -> list[ThemeRow]:
        rows = self.store.select(
            f"""SELECT DISTINCT ?scheme ?schemeLabel ?theme ?fi ?en WHERE {{
                  VALUES ?scheme {{ {_values(schemes)} }}
                  ?theme a yhd:Theme ; skos:inScheme ?scheme ; skos:prefLabel ?fi .
                  FILTER(lang(?fi) = "fi")
                  OPTIONAL {{ ?theme skos:prefLabel ?en FILTER(lang(?en) = "en") }}
                  OPTIONAL {{ ?scheme skos:prefLabel ?schemeLabel FILTER(lang(?schemeLabel) = "en") }}
                }}"""
        )
        return sorted(
            ThemeRow(r["scheme"], r["schemeLabel"] or r["scheme"], r["theme"], r["fi"], r["en"] or "")
            for r in rows
        )

    def coverers(self, schemes: list[str], region: str) -> list[CoverRow]:
        rows = self.store.select(
            f"""SELECT DISTINCT ?theme ?s ?label ?kind WHERE {{
                  VALUES ?scheme {{ {_values(schemes)} }}
                  ?theme skos:inScheme ?scheme .
                  VALUES (?cls ?kind) {{ {STRUCTURE_KINDS} }}
                  ?s a ?cls ; yhd:inRegion <{region}> ; yhd:theme ?t ; skos:prefLabel ?label .
                  FILTER(lang(?label) = "fi")
                  FILTER NOT EXISTS {{ ?s yhd:status <{PLANNED}> }}
                  {alive("?s", self.day)}
                  ?t {COVERAGE_PATH} ?theme .
                }}"""
        )
        return sorted({CoverRow(r["theme"], r["s"], r["label"], r["kind"]) for r in rows})

    def statements(self, schemes: list[str], region: str) -> dict[str, str]:
        rows = self.store.select(
            f"""SELECT ?theme (GROUP_CONCAT(DISTINCT ?note; separator=" | ") AS ?notes) WHERE {{
                  VALUES ?scheme {{ {_values(schemes)} }}
                  ?theme skos:inScheme ?scheme .
                  ?st a yhd:ThemeStatement ; yhd:aboutTheme ?t ; yhd:inRegion <{region}> ; yhd:note ?note .
                  ?t {EQUIVALENCE_PATH} ?theme .
                }} GROUP BY ?theme"""
        )
        # GROUP_CONCAT's order is not fixed; sort so that every back end answers alike
        return {r["theme"]: " | ".join(sorted(r["notes"].split(" | "))) for r in rows if r["notes"]}
