"""Where the ontology files are, and loading them into rdflib graphs."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph

HERE = Path(__file__).resolve().parent

#: The ontology proper and its vocabularies; ingested with the bundled data so
#: that the store answers questions about themes and levels too.
ONTOLOGY_FILES: tuple[Path, ...] = (
    HERE / "yhdyspinta.ttl",
    HERE / "vocabularies.ttl",
    HERE / "themes.ttl",
)
SHAPES_FILE = HERE / "shapes.ttl"
ORG_FILE = HERE / "org.ttl"


@cache
def _parse(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def load_ontology(*, with_org: bool = True) -> Graph:
    """The ontology's terms (and W3C ORG's), for SHACL's subclass reasoning.

    A fresh graph each call, so callers may add to it.
    """
    g = Graph()
    for path in (*ONTOLOGY_FILES[:1], ORG_FILE) if with_org else ONTOLOGY_FILES[:1]:
        for t in _parse(path):
            g.add(t)
    return g


def load_shapes() -> Graph:
    """The SHACL shapes graph."""
    g = Graph()
    for t in _parse(SHAPES_FILE):
        g.add(t)
    return g
