"""The situational picture of one region: every analysis, gathered for a report."""

from __future__ import annotations

from dataclasses import dataclass

from yhdyspinta.graph.analyses.bridges import BridgeReport, bridges
from yhdyspinta.graph.analyses.coverage import CoverageDetail, coverage_detail
from yhdyspinta.graph.analyses.load import LoadReport, load
from yhdyspinta.graph.analyses.quorum import QuorumReport, quorum
from yhdyspinta.graph.backends.protocol import Backend


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
