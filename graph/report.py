"""The situational picture of one region: every analysis, gathered for a report."""

from __future__ import annotations

from dataclasses import dataclass

from yhdyspinta.graph.backend import Backend
from yhdyspinta.graph.bridges import BridgeReport, bridges
from yhdyspinta.graph.coverage import CoverageDetail, coverage_detail
from yhdyspinta.graph.load import LoadReport, load
from yhdyspinta.graph.quorum import QuorumReport, quorum


@dataclass
class SituationalPicture:
    coverage: CoverageDetail
    bridges: BridgeReport
    load: LoadReport
    quorum: QuorumReport
    sources: list[tuple[str, str]]


def situational_picture(backend: Backend, region: str) -> SituationalPicture:
    """Everything a workshop on ``region`` needs, computed once."""
    coverage = coverage_detail(backend, region)
    iri = coverage.region.iri
    return SituationalPicture(
        coverage=coverage,
        bridges=bridges(backend, iri),
        load=load(backend, iri),
        quorum=quorum(backend, iri),
        sources=backend.cited_sources(iri),
    )
