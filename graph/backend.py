"""The small interface every back end implements for the analyses.

An analysis is written once against ``Backend``; the embedded store answers
with SPARQL, Neo4j with Cypher. Each method returns plain rows so that a
parity test can compare the two back ends exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from yhdyspinta.graph.regions import Region


@dataclass(frozen=True, order=True)
class ThemeRow:
    scheme: str
    scheme_label: str
    theme: str
    label_fi: str
    label_en: str


@dataclass(frozen=True, order=True)
class CoverRow:
    theme: str
    structure: str
    label: str
    kind: str  # "forum" or "network"


class Backend(Protocol):
    """What the analyses need from a store."""

    name: str

    def regions(self) -> list[Region]:
        """Every region, ordered by code."""
        ...

    def theme_schemes(self) -> list[tuple[str, str | None]]:
        """(scheme IRI, region IRI or None) for every yhd:ThemeScheme."""
        ...

    def themes(self, schemes: list[str]) -> list[ThemeRow]:
        """The yhd:Theme concepts in the given schemes, with fi and en labels."""
        ...

    def coverers(self, schemes: list[str], region: str) -> list[CoverRow]:
        """For each theme of ``schemes``, the forums and networks of ``region``
        that cover it (see graph/gaps.py for the definition)."""
        ...

    def statements(self, schemes: list[str], region: str) -> dict[str, str]:
        """Theme IRI -> the notes of the region's yhd:ThemeStatements about it or about
        a theme linked to it by exactMatch/closeMatch (either direction, chained)."""
        ...
