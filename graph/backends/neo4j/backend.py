"""The Neo4j back end: the analyses' questions in Cypher on the synced property graph.

It answers exactly as :class:`~yhdyspinta.graph.backends.embedded.backend.EmbeddedBackend` does (the parity
test holds it to that), so each query mirrors its SPARQL twin:

- ``?x a yhd:C`` is ``'…#C' IN x.types`` (the asserted types); the label ``:C`` only narrows
  the scan, since labels also carry superclasses and drop namespaces;
- ``skos:prefLabel ?l FILTER(lang(?l) = "fi")`` is ``x.prefLabel_fi``, a value or a list,
  each value a row (``_values``);
- the coverage path ``(broader|broadMatch|^narrowMatch|exactMatch|^exactMatch)*`` is a quantified
  path pattern whose steps check their direction, under
  ``ANY SHORTEST`` so that each (theme, reached theme) pair is found once.

The statements are the files of ``queries/`` beside this module (``coverers.cypher``...),
read by :mod:`yhdyspinta.graph.backends.neo4j.cypher`; every value is a parameter.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from yhdyspinta.errors import Neo4jError
from yhdyspinta.graph.backends.neo4j.connect import Target, connect
from yhdyspinta.graph.backends.neo4j.cypher import statement
from yhdyspinta.graph.backends.neo4j.structures import KINDS, PLANNED, Neo4jStructureQueries, alive, values
from yhdyspinta.graph.backends.protocol import CoverRow, ThemeRow
from yhdyspinta.graph.regions import Region
from yhdyspinta.ontology.namespaces import YHD
from yhdyspinta.settings import Settings

_values = values


def _notes(props: dict[str, Any]) -> Iterable[str]:
    """Every ``yhd:note`` value, whatever its language (``note``, ``note_fi``, ...)."""
    for key, value in props.items():
        if key == "note" or key.startswith("note_"):
            yield from (str(v) for v in _values(value))


class Neo4jBackend(Neo4jStructureQueries):
    """Answers the analyses' questions from Neo4j, after ``yhdyspinta neo4j sync``."""

    name = "neo4j"

    def __init__(self, target: Target, *, as_of: date | None = None, owns_driver: bool = False) -> None:
        """``as_of``: answer as the graph stood on that day (default: today, each time asked)."""
        self.target = target
        self.as_of = as_of
        self._owns = owns_driver

    @property
    def today(self) -> date:
        return self.as_of or date.today()

    def at(self, day: date | None) -> Neo4jBackend:
        """The same server, read as the graph stood on ``day`` (sharing this one's driver)."""
        return Neo4jBackend(self.target, as_of=day)

    @classmethod
    def from_settings(cls, settings: Settings, *, as_of: date | None = None) -> Neo4jBackend:
        """Connect to ``NEO4J_URI``; Neo4jError if unreachable or never synced."""
        target = connect(settings)
        backend = cls(target, as_of=as_of, owns_driver=True)
        if not target.run(statement(__name__, "has_synced_source")):
            backend.close()
            raise Neo4jError(
                f"Neo4j at {target.uri} holds no synced data: run `yhdyspinta neo4j sync` first"
            )
        return backend

    def close(self) -> None:
        """Close the driver if this back end opened it."""
        if self._owns:
            self.target.driver.close()

    def __enter__(self) -> Neo4jBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def regions(self) -> list[Region]:
        rows = self.target.run(statement(__name__, "regions"), cls=str(YHD.Region))
        found = {
            Region(r["r"], slug, code, fi, min(_values(r["en"]), default=None))
            for r in rows
            for slug in _values(r["slug"])
            for code in _values(r["code"])
            for fi in _values(r["fi"])
        }
        return sorted(found, key=lambda g: (g.code, g.iri, g.slug, g.label_fi))

    def theme_schemes(self) -> list[tuple[str, str | None]]:
        rows = self.target.run(statement(__name__, "theme_schemes"), cls=str(YHD.ThemeScheme))
        return sorted(((r["s"], r["r"]) for r in rows), key=lambda p: (p[0], p[1] or ""))

    def themes(self, schemes: list[str]) -> list[ThemeRow]:
        rows = self.target.run(statement(__name__, "themes"), schemes=schemes, cls=str(YHD.Theme))
        found = {
            ThemeRow(r["scheme"], sl or r["scheme"], r["theme"], fi, en or "")
            for r in rows
            for fi in _values(r["fi"])
            for en in _values(r["en"]) or [None]
            for sl in _values(r["sl"]) or [None]
        }
        return sorted(found)

    def coverers(self, schemes: list[str], region: str) -> list[CoverRow]:
        rows = self.target.run(
            statement(__name__, "coverers"),
            schemes=schemes, region=region, planned=PLANNED, classes=[c for c, _k in KINDS],
        )
        found = {
            CoverRow(r["theme"], r["s"], label, kind)
            for r in rows if alive(r["vf"], r["vu"], self.today)
            for label in _values(r["label"])
            for cls, kind in KINDS
            if cls in r["types"]
        }
        return sorted(found)

    def statements(self, schemes: list[str], region: str) -> dict[str, str]:
        rows = self.target.run(
            statement(__name__, "statements"),
            schemes=schemes, region=region, cls=str(YHD.ThemeStatement),
        )
        notes: dict[str, set[str]] = {}
        for r in rows:
            notes.setdefault(r["theme"], set()).update(_notes(r["props"]))
        return {theme: " | ".join(sorted(n)) for theme, n in notes.items() if n}
