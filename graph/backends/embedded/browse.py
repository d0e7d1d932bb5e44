"""Browsing the graph: lists of entities with search, filters and pages, and one entity's facts.

The HTTP API and the entity pages call these; they return typed results
that api/render/tables.py turns into JSON or CSV. Filters that take an IRI also
take the short forms people type (a region's slug, a theme's path under
theme/, a level's local name); everything a user types reaches SPARQL only
as an escaped literal or a checked IRI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from yhdyspinta.graph.backends.embedded.backend import COVERAGE_PATH, EmbeddedBackend  # same back end
from yhdyspinta.graph.regions import find_region
from yhdyspinta.graph.store.store import Store
from yhdyspinta.ontology.namespaces import BASE, THEME, YHD

from yhdyspinta.errors import InputError

ACTOR_CLASSES = ("Municipality", "WelfareArea", "RegionalCouncil", "StateAgency", "NationalBody",
                 "EducationProvider", "CivilSocietyOrganisation", "Organisation", "Unit", "Post")

#: kind -> the classes whose instances it lists
KINDS: dict[str, tuple[str, ...]] = {
    "regions": ("Region",),
    "municipalities": ("Municipality",),
    "actors": ACTOR_CLASSES,
    "forums": ("Forum", "StatutoryNegotiation"),
    "networks": ("Network",),
    "themes": ("Theme",),
}

COLUMNS = ("iri", "label_fi", "label_en", "types", "code", "region", "themes", "level", "scope", "status")
_SAFE_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^<>\"{}|^`\\\s]*$")


def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def checked_iri(text: str, *, under: str | None = None) -> str:
    """``text`` as an IRI: as given if absolute, else under the namespace ``under``."""
    iri = text if ":" in text.split("/", 1)[0] else f"{under or BASE}{text.strip('/')}"
    if not _SAFE_IRI.match(iri):
        raise InputError(f"'{text}' is not an IRI or a known short name")
    return iri


@dataclass(frozen=True)
class Filters:
    """What a list may be narrowed by; None means no filter."""

    q: str | None = None
    region: str | None = None
    theme: str | None = None
    scheme: str | None = None
    type: str | None = None
    level: str | None = None
    scope: str | None = None
    status: str | None = None


@dataclass
class EntityPage:
    """One page of a list of entities, with the total count (renderable as JSON or CSV)."""

    kind: str
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int
    filters: dict[str, str] = field(default_factory=dict)
    title: str = ""
    columns: tuple[str, ...] = COLUMNS

    def rows(self, **_options: Any) -> list[dict[str, Any]]:
        return [{**i, "types": " ".join(i["types"]), "themes": " ".join(i["themes"])} for i in self.items]

    def to_json(self, **_options: Any) -> dict[str, Any]:
        return {"kind": self.kind, "total": self.total, "limit": self.limit, "offset": self.offset,
                "filters": self.filters, "items": self.items}


def _patterns(store: Store, kind: str, f: Filters) -> str:
    parts = []
    if f.q:
        parts.append(
            "FILTER EXISTS { ?e (skos:prefLabel|skos:altLabel|skos:notation|yhd:slug) ?_l "
            f"FILTER(CONTAINS(LCASE(STR(?_l)), LCASE({_literal(f.q.strip())}))) }}"
        )
    if f.region:
        region = find_region(EmbeddedBackend(store).regions(), f.region).iri
        if kind == "regions":
            parts.append(f"FILTER(?e = <{region}>)")
        elif kind == "themes":
            parts.append(f"?e skos:inScheme/yhd:schemeRegion <{region}> .")
        else:
            parts.append(f"?e yhd:inRegion|yhd:servesRegion|org:memberOf/yhd:inRegion <{region}> .")
    if f.theme:
        theme = checked_iri(f.theme, under=str(THEME))
        if kind in ("forums", "networks"):
            parts.append(f"?e yhd:theme ?_t . ?_t {COVERAGE_PATH} <{theme}> .")
        elif kind in ("municipalities", "actors"):
            parts.append(f"?_s org:hasMember ?e ; yhd:theme ?_t . ?_t {COVERAGE_PATH} <{theme}> .")
        elif kind == "themes":
            parts.append(f"?e (skos:broader)* <{theme}> .")
    if f.scheme:
        parts.append(f"?e skos:inScheme <{checked_iri(f.scheme, under=str(THEME))}> .")
    if f.type:
        parts.append(f"?e a <{checked_iri(f.type, under=str(YHD))}> .")
    for prop in ("level", "scope", "status"):
        value = getattr(f, prop)
        if value:
            parts.append(f"?e yhd:{prop} <{checked_iri(value, under=f'{BASE}{prop}/')}> .")
    return "\n".join(parts)


def list_entities(store: Store, kind: str, filters: Filters | None = None, *,
                  limit: int = 50, offset: int = 0) -> EntityPage:
    """One page of ``kind`` (see KINDS) matching ``filters``, ordered by Finnish label."""
    if kind not in KINDS:
        raise InputError(f"unknown kind '{kind}'; choose one of {', '.join(KINDS)}")
    f = filters or Filters()
    limit, offset = max(1, min(limit, 1000)), max(0, offset)
    values = " ".join(f"yhd:{c}" for c in KINDS[kind])
    where = f"VALUES ?cls {{ {values} }} ?e a ?cls .\n{_patterns(store, kind, f)}"
    total = store.select(f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ {where} }}")[0]["n"]
    rows = store.select(
        f"""SELECT ?e (SAMPLE(?fi0) AS ?fi) (SAMPLE(?en0) AS ?en) (SAMPLE(?code0) AS ?code)
                  (SAMPLE(?region0) AS ?region) (SAMPLE(?level0) AS ?level) (SAMPLE(?scope0) AS ?scope)
                  (SAMPLE(?status0) AS ?status)
                  (GROUP_CONCAT(DISTINCT STR(?type0); separator=" ") AS ?types)
                  (GROUP_CONCAT(DISTINCT STR(?theme0); separator=" ") AS ?themes)
            WHERE {{
              {{ SELECT DISTINCT ?e WHERE {{ {where} }} }}
              ?e a ?type0 . FILTER(STRSTARTS(STR(?type0), STR(yhd:)))
              OPTIONAL {{ ?e skos:prefLabel ?fi0 FILTER(lang(?fi0) = "fi") }}
              OPTIONAL {{ ?e skos:prefLabel ?en0 FILTER(lang(?en0) = "en") }}
              OPTIONAL {{ ?e skos:notation ?code0 }}
              OPTIONAL {{ ?e yhd:inRegion|yhd:servesRegion|skos:inScheme/yhd:schemeRegion ?region0 }}
              OPTIONAL {{ ?e yhd:theme ?theme0 }}
              OPTIONAL {{ ?e yhd:level ?level0 }}
              OPTIONAL {{ ?e yhd:scope ?scope0 }}
              OPTIONAL {{ ?e yhd:status ?status0 }}
            }} GROUP BY ?e ORDER BY LCASE(STR(?fi)) ?e LIMIT {limit} OFFSET {offset}"""
    )
    items = [
        {
            "iri": r["e"], "label_fi": r["fi"], "label_en": r["en"],
            "types": sorted(t.removeprefix(str(YHD)) for t in (r["types"] or "").split()),
            "code": r["code"], "region": r["region"],
            "themes": sorted((r["themes"] or "").split()),
            "level": r["level"], "scope": r["scope"], "status": r["status"],
        }
        for r in rows
    ]
    used = {k: v for k, v in f.__dict__.items() if v}
    return EntityPage(kind, items, int(total), limit, offset, used, title=f"{total} {kind}")


# -- one entity ------------------------------------------------------------

@dataclass(frozen=True)
class Fact:
    """One statement about an entity, with labels for reading it."""

    predicate: str
    predicate_label: str
    value: str
    value_kind: str  # "iri", "literal" or "bnode"
    value_label: str | None
    language: str | None
    graph: str | None


@dataclass
class EntityView:
    """What the HTML page of an entity shows: its facts, and what points at it."""

    iri: str
    label: str
    types: list[str]
    facts: list[Fact]
    incoming: list[Fact]


def _label_of(term: Any) -> str | None:
    return term.value if isinstance(term, ox.Literal) else None


def entity_view(store: Store, iri: str) -> EntityView | None:
    """The facts about ``iri`` (None when the graph says nothing about it)."""
    iri = checked_iri(iri)
    out = store.query(
        f"""SELECT ?p ?o ?g (SAMPLE(?pl) AS ?plabel) (SAMPLE(?ol) AS ?olabel) WHERE {{
              GRAPH ?g {{ <{iri}> ?p ?o }}
              OPTIONAL {{ ?p rdfs:label ?pl FILTER(lang(?pl) IN ("en", "")) }}
              OPTIONAL {{ ?o skos:prefLabel ?ol FILTER(lang(?ol) = "fi") }}
            }} GROUP BY ?p ?o ?g ORDER BY ?p ?o"""
    )
    facts = [_fact(s["p"], s["o"], s["plabel"], s["olabel"], s["g"]) for s in out]
    inc = store.query(
        f"""SELECT ?s ?p ?g (SAMPLE(?sl) AS ?slabel) (SAMPLE(?pl) AS ?plabel) WHERE {{
              GRAPH ?g {{ ?s ?p <{iri}> }}
              OPTIONAL {{ ?s skos:prefLabel ?sl FILTER(lang(?sl) = "fi") }}
              OPTIONAL {{ ?p rdfs:label ?pl FILTER(lang(?pl) IN ("en", "")) }}
            }} GROUP BY ?s ?p ?g ORDER BY ?p ?s LIMIT 500"""
    )
    incoming = [_fact(s["p"], s["s"], s["plabel"], s["slabel"], s["g"]) for s in inc]
    if not facts and not incoming:
        return None
    labels = [f for f in facts if f.predicate.endswith("core#prefLabel")]
    label = next((f.value for f in labels if f.language == "fi"), labels[0].value if labels else iri)
    types = sorted({f.value for f in facts if f.predicate.endswith("rdf-syntax-ns#type")})
    return EntityView(iri, label, types, facts, incoming)


def _fact(p: Any, o: Any, plabel: Any, olabel: Any, g: Any) -> Fact:
    kind = "iri" if isinstance(o, ox.NamedNode) else "bnode" if isinstance(o, ox.BlankNode) else "literal"
    return Fact(p.value, _label_of(plabel) or p.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1],
                o.value, kind, _label_of(olabel), getattr(o, "language", None), g.value if g else None)


def describe(store: Store, iri: str) -> list[ox.Triple]:
    """The triples about ``iri``, with the blank nodes it points at (for RDF answers)."""
    iri = checked_iri(iri)
    return list(store.query(
        f"""CONSTRUCT {{ <{iri}> ?p ?o . ?o ?p2 ?o2 }} WHERE {{
              <{iri}> ?p ?o OPTIONAL {{ FILTER(isBlank(?o)) ?o ?p2 ?o2 }} }}"""
    ))
