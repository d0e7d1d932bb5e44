"""yhdyspinta: a knowledge graph of the cooperation between Finnish municipalities
and welfare areas.

The package is laid out as the data flows: ``yhdyspinta.ontology`` (terms,
shapes, schemes), ``yhdyspinta.ingest`` (read, map, validate, write a named
graph), ``yhdyspinta.graph`` (stores and analyses) and ``yhdyspinta.api``
(CLI, HTTP, pages). Imports point one way: api -> graph -> store,
ingest -> store.

The Python API (``yhdyspinta.open()``, ``yhdyspinta.gaps(g, "paijat-hame")``, ...) lives in
``yhdyspinta.api.library``; this module hands its names out on first use (PEP 562
``__getattr__``), so that ``import yhdyspinta`` stays fast and imports no graph or api
module. That lazy hook is the one import of the core that points up the layers
(tests/test_architecture.py allows it and nothing else). See docs/python.md.
"""

from typing import TYPE_CHECKING, Any

from yhdyspinta.errors import (
    InputError,
    NotFoundError,
    StoreError,
    ValidationError,
    YhdyspintaError,
)
from yhdyspinta.settings import Settings

if TYPE_CHECKING:  # what mypy and IDEs see of the lazy names below
    from yhdyspinta.api.library import (
        COVERAGE_VIEWS,
        Graph,
        NamedTable,
        ResultTable,
        ResultTables,
        bridges,
        calendar,
        changes,
        compare,
        coverage,
        coverage_view,
        explain,
        gaps,
        history,
        ingest_sources,
        load,
        national,
        network,
        open,
        quorum,
        regions,
        report,
        source_changes,
        sources,
        sparql,
        sync_neo4j,
    )

__version__ = "0.1.0"

#: The Python API's names, imported from yhdyspinta.api.library when first asked for.
LIBRARY_NAMES: tuple[str, ...] = (
    "COVERAGE_VIEWS", "Graph", "NamedTable", "ResultTable", "ResultTables", "bridges", "calendar", "changes",
    "compare", "coverage", "coverage_view", "explain", "gaps", "history", "ingest_sources", "load", "national",
    "network", "open", "quorum", "regions", "report", "source_changes", "sources", "sparql", "sync_neo4j",
)

__all__ = [
    "InputError",
    "NotFoundError",
    "Settings",
    "StoreError",
    "ValidationError",
    "YhdyspintaError",
    "__version__",
    # the Python API (LIBRARY_NAMES), spelled out for the linters and type checkers
    "COVERAGE_VIEWS",
    "Graph",
    "NamedTable",
    "ResultTable",
    "ResultTables",
    "bridges",
    "calendar",
    "changes",
    "compare",
    "coverage",
    "coverage_view",
    "explain",
    "gaps",
    "history",
    "ingest_sources",
    "load",
    "national",
    "network",
    "open",
    "quorum",
    "regions",
    "report",
    "source_changes",
    "sources",
    "sparql",
    "sync_neo4j",
]


def __getattr__(name: str) -> Any:
    """``yhdyspinta.open``, ``yhdyspinta.gaps``, ...: the Python API, imported on first use (PEP 562)."""
    if name in LIBRARY_NAMES:
        from yhdyspinta.api import library

        value = getattr(library, name)
        globals()[name] = value  # asked once: later lookups do not come here
        return value
    raise AttributeError(f"module 'yhdyspinta' has no attribute '{name}'")


def __dir__() -> list[str]:
    return sorted({*globals(), *LIBRARY_NAMES})
