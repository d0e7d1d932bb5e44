"""Finding a region by what a user types: its slug, its code or its name."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from yhdyspinta.errors import NotFoundError
from yhdyspinta.graph.store import Store


@dataclass(frozen=True)
class Region:
    iri: str
    slug: str
    code: str
    label_fi: str
    label_en: str | None = None


def list_regions(store: Store) -> list[Region]:
    rows = store.select(
        """SELECT ?r ?slug ?code ?fi (SAMPLE(?en0) AS ?en) WHERE {
             ?r a yhd:Region ; yhd:slug ?slug ; skos:notation ?code ; skos:prefLabel ?fi .
             FILTER(lang(?fi) = "fi")
             OPTIONAL { ?r skos:prefLabel ?en0 FILTER(lang(?en0) = "en") }
           } GROUP BY ?r ?slug ?code ?fi ORDER BY ?code"""
    )
    return [Region(r["r"], r["slug"], r["code"], r["fi"], r["en"]) for r in rows]


def _fold(text: str) -> str:
    return text.lower().translate(str.maketrans("äöå", "aoa")).replace(" ", "-")


def resolve_region(store: Store, text: str) -> Region:
    """The region a user means by ``text``; NotFoundError with suggestions otherwise."""
    regions = list_regions(store)
    if not regions:
        raise NotFoundError("the store has no regions; run `yhdyspinta ingest` first")
    wanted = _fold(text.strip())
    for r in regions:
        names = {r.slug, r.code, _fold(r.label_fi), _fold(r.label_en or ""), r.iri}
        if wanted in names:
            return r
    for r in regions:
        if wanted and (_fold(r.label_fi).startswith(wanted) or r.slug.startswith(wanted)):
            return r
    close = difflib.get_close_matches(wanted, [r.slug for r in regions], n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise NotFoundError(
        f"no region '{text}'.{hint} List them with `yhdyspinta regions`."
    )
