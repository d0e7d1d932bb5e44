"""Ingest: read a source, map it to RDF, validate it, write its named graph."""

from yhdyspinta.ingest.pipeline import IngestReport, SourceOutcome, ingest

__all__ = ["IngestReport", "SourceOutcome", "ingest"]
