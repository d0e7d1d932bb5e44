"""Ingest: read a source, map it to RDF, validate it, write its named graph.

``ingest`` and its reports load the pipeline (pyshacl, rdflib, the parsers) at first use: the server
reaches ``ingest.bundle`` for the bundled data's folder, and should not hold the validator for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from yhdyspinta.ingest.pipeline import IngestReport, SourceOutcome, ingest

__all__ = ["IngestReport", "SourceOutcome", "ingest"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from yhdyspinta.ingest import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
