"""The embedded back end: the analyses' questions in SPARQL on the Oxigraph store."""

from __future__ import annotations

from yhdyspinta.graph.backend import CoverRow, ThemeRow
from yhdyspinta.graph.regions import Region
from yhdyspinta.graph.store import Store

PLANNED = "https://w3id.org/yhdyspinta/status/planned"

#: The SPARQL property path along which coverage flows (see graph/gaps.py).
COVERAGE_PATH = (
    "(skos:broader|skos:broadMatch|^skos:narrowMatch|skos:exactMatch|^skos:exactMatch"
    "|skos:closeMatch|^skos:closeMatch)*"
)
#: Statements reach only equivalent themes: "no network for X" says nothing of X's broader theme.
EQUIVALENCE_PATH = "(skos:exactMatch|^skos:exactMatch|skos:closeMatch|^skos:closeMatch)*"


def _values(iris: list[str]) -> str:
    return " ".join(f"<{i}>" for i in iris)


class EmbeddedBackend:
    """Answers the analyses' questions from the embedded store."""

    name = "embedded"

    def __init__(self, store: Store) -> None:
        self.store = store

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
                  VALUES (?cls ?kind) {{ (yhd:Forum "forum") (yhd:StatutoryNegotiation "forum")
                                         (yhd:Network "network") }}
                  ?s a ?cls ; yhd:inRegion <{region}> ; yhd:theme ?t ; skos:prefLabel ?label .
                  FILTER(lang(?label) = "fi")
                  FILTER NOT EXISTS {{ ?s yhd:status <{PLANNED}> }}
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
        return {r["theme"]: r["notes"] for r in rows if r["notes"]}
