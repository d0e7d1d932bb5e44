"""The bundled data: the ontology, its vocabularies and the seed facts.

``yhdyspinta ingest`` with no path ingests these, each into a graph whose
name does not depend on where the package is installed.
"""

from __future__ import annotations

from pathlib import Path

from yhdyspinta.ingest.discover import SourceFile
from yhdyspinta.ontology.files import ONTOLOGY_FILES, ORG_FILE
from yhdyspinta.ontology.namespaces import GRAPH


def data_dir() -> Path:
    """The folder of bundled data (``data/`` in the repository).

    Resolved through the package's own file, so that a strict editable install (a tree of links)
    gives the real folder: bundled graph names are paths relative to it.
    """
    import yhdyspinta.bundled

    return Path(yhdyspinta.bundled.__file__).resolve().parent


def bundled_paths() -> list[Path]:
    """Every bundled source: the ontology files first, then the data folder."""
    return [*ONTOLOGY_FILES, ORG_FILE, data_dir()]


def bundled_graph(source: SourceFile) -> str | None:
    """The stable graph name of a bundled source, or None for any other."""
    path = source.path.resolve()
    if path in {p.resolve() for p in (*ONTOLOGY_FILES, ORG_FILE)}:
        return f"{GRAPH}ontology/{path.name}"
    try:
        rel = path.relative_to(data_dir().resolve())
    except ValueError:
        return None
    return f"{GRAPH}bundled/{rel.as_posix()}"
