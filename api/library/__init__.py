"""The Python API: ``import yhdyspinta``, then ``yhdyspinta.open()`` and one function per analysis.

>>> import yhdyspinta
>>> with yhdyspinta.open() as g:
...     frame = yhdyspinta.gaps(g, "paijat-hame").to_pandas()

``yhdyspinta`` (core/__init__.py) hands out these names lazily, so importing the package
stays fast. The CLI and the HTTP routes call the same functions. See docs/python.md.
"""

from yhdyspinta.api.library.analyses import (
    COVERAGE_VIEWS,
    bridges,
    calendar,
    changes,
    compare,
    coverage,
    coverage_view,
    explain,
    gaps,
    load,
    national,
    network,
    quorum,
    regions,
    report,
)
from yhdyspinta.api.library.graph import Graph, open
from yhdyspinta.api.library.store import (
    history,
    ingest_sources,
    source_changes,
    sources,
    sparql,
    sync_neo4j,
)
from yhdyspinta.graph.analyses.result import NamedTable, ResultTable, ResultTables

#: What ``import yhdyspinta`` offers of this package (core/__init__.py reads it).
__all__ = [
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
