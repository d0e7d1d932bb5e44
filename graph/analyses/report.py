"""The situational picture of one region: every analysis, gathered for a report."""

from __future__ import annotations

from dataclasses import dataclass

from yhdyspinta.graph.analyses.bridges import BridgeReport, bridges
from yhdyspinta.graph.analyses.coverage import CoverageDetail, coverage_detail
from yhdyspinta.graph.analyses.load import LoadReport, load
from yhdyspinta.graph.analyses.quorum import QuorumReport, quorum
from yhdyspinta.graph.backends.protocol import Backend
from yhdyspinta.graph.regions import Region


@dataclass
class SituationalPicture:
    coverage: CoverageDetail
    bridges: BridgeReport
    load: LoadReport
    quorum: QuorumReport
    sources: list[tuple[str, str]]


def situational_picture(backend: Backend, region: Region) -> SituationalPicture:
    """Everything a workshop on ``region`` needs, computed once."""
    return SituationalPicture(
        coverage=coverage_detail(backend, region),
        bridges=bridges(backend, region),
        load=load(backend, region),
        quorum=quorum(backend, region),
        sources=backend.cited_sources(region.iri),
    )
