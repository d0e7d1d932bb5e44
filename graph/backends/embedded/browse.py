"""Browsing the graph: lists of entities with search, filters and pages, and one entity's facts.

The HTTP API and the entity pages call these; they return typed results
that api/render/tables.py turns into JSON or CSV. Filters that take an IRI also
take the short forms people type (a region's slug, a theme's path under
theme/, a level's local name); everything a user types reaches SPARQL only
as an RDF term, a literal or an IRI that Oxigraph has checked, bound to a variable or
filled into a ``VALUES`` slot (the queries are the ``entity_*.rq`` and ``describe.rq`` files
of ``queries/``, the filters the optional parts of ``queries/fragments/entity_filters.rq``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from yhdyspinta.errors import InputError
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend  # same back end
from yhdyspinta.graph.regions import find_region
from yhdyspinta.graph.store.sparql import Term, fill, load_query
from yhdyspinta.graph.store.store import Store
from yhdyspinta.ontology.namespaces import BASE, THEME, YHD

#: Beyond any store's size (an empty page); SPARQL engines take OFFSET as a 64-bit number.
MAX_OFFSET = 10**12

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


def checked_iri(text: str, *, under: str | None = None) -> str:
    """``text`` as an IRI: as given if absolute, else under the namespace ``under``."""
    iri = text if ":" in text.split("/", 1)[0] else f"{under or BASE}{text.strip('/')}"
    if not _SAFE_IRI.match(iri):
        raise InputError(f"'{text}' is not an IRI or a known short name")
    return iri


def checked_node(text: str, *, under: str | None = None) -> ox.NamedNode:
    """:func:`checked_iri` as the term to bind, once Oxigraph has checked it too."""
    iri = checked_iri(text, under=under)
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise InputError(f"'{text}' is not an IRI or a known short name") from exc


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


def _filters(store: Store, kind: str, f: Filters) -> tuple[tuple[str, ...], dict[str, Term | Sequence[Term]]]:
    """The optional parts of fragments/entity_filters.rq that ``f`` asks for, and their slots."""
    parts: list[str] = []
    values: dict[str, Term | Sequence[Term]] = {}
    if f.q:
        parts.append("q")
        values["q"] = ox.Literal(f.q.strip())
    if f.region:
        parts.append({"regions": "region_self", "themes": "region_scheme"}.get(kind, "region_member"))
        values["region"] = ox.NamedNode(find_region(EmbeddedBackend(store).regions(), f.region).iri)
    if f.theme:
        theme = checked_node(f.theme, under=str(THEME))
        part = {"forums": "theme_structure", "networks": "theme_structure", "municipalities": "theme_member",
                "actors": "theme_member", "themes": "theme_narrower"}.get(kind)
        if part:
            parts.append(part)
            values["theme"] = theme
    if f.scheme:
        parts.append("scheme")
        values["scheme"] = checked_node(f.scheme, under=str(THEME))
    if f.type:
        parts.append("type")
        values["type"] = checked_node(f.type, under=str(YHD))
    for prop in ("level", "scope", "status"):
        value = getattr(f, prop)
        if value:
            parts.append(prop)
            values[prop] = checked_node(value, under=f"{BASE}{prop}/")
    return tuple(parts), values


def list_entities(store: Store, kind: str, filters: Filters | None = None, *,
                  limit: int = 50, offset: int = 0) -> EntityPage:
    """One page of ``kind`` (see KINDS) matching ``filters``, ordered by Finnish label."""
    if kind not in KINDS:
        raise InputError(f"unknown kind '{kind}'; choose one of {', '.join(KINDS)}")
    f = filters or Filters()
    limit, offset = max(1, min(limit, 1000)), max(0, min(offset, MAX_OFFSET))
    parts, values = _filters(store, kind, f)
    values["classes"] = [ox.NamedNode(str(YHD[c])) for c in KINDS[kind]]
    total = store.select(fill(load_query(__name__, "entity_count", *parts), **values))[0]["n"]
    rows = store.select(fill(load_query(__name__, "entity_list", *parts), **values), offset=offset, limit=limit)
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
    entity = checked_node(iri)
    out = store.query(fill(load_query(__name__, "entity_facts"), entity=entity))
    facts = [_fact(s["p"], s["o"], s["plabel"], s["olabel"], s["g"]) for s in out]
    inc = store.query(fill(load_query(__name__, "entity_incoming"), entity=entity))
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
    return list(store.query(load_query(__name__, "describe"), bind={"entity": checked_node(iri)}))
