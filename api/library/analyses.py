"""The analyses as a user asks for them: from a region's slug, name or code, scheme names and a
theme's label to the typed result of graph/analyses/.

These are the functions of ``import yhdyspinta`` (``yhdyspinta.gaps(g, "paijat-hame")``), and the
ones the CLI commands and the HTTP routes call, so the three cannot drift apart on how text
becomes a region, a scheme or a theme, or on defaults. Each takes an open :class:`Graph` or a
bare ``Backend`` (what the CLI and the server hold), and returns a result with ``rows()``,
``to_json()`` and ``to_pandas()``. Nothing is printed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Literal, overload

from yhdyspinta.api.library.graph import Graph
from yhdyspinta.errors import InputError
from yhdyspinta.graph.analyses import calendar as _calendar
from yhdyspinta.graph.analyses import changes as _changes
from yhdyspinta.graph.analyses import coverage as _coverage
from yhdyspinta.graph.analyses import gaps as _gaps
from yhdyspinta.graph.analyses import load as _load
from yhdyspinta.graph.analyses import national as _national
from yhdyspinta.graph.analyses import quorum as _quorum
from yhdyspinta.graph.analyses import record as _record
from yhdyspinta.graph.analyses.calendar import CalendarReport
from yhdyspinta.graph.analyses.changes import ChangeReport
from yhdyspinta.graph.analyses.coverage import CoverageDetail
from yhdyspinta.graph.analyses.gaps import GapReport
from yhdyspinta.graph.analyses.load import LoadReport
from yhdyspinta.graph.analyses.national import NationalMatrix
from yhdyspinta.graph.analyses.quorum import QuorumReport
from yhdyspinta.graph.analyses.record import ThemeExplanation
from yhdyspinta.graph.analyses.result import ResultTable
from yhdyspinta.graph.backends.protocol import Backend
from yhdyspinta.graph.regions import Region, resolve_region

if TYPE_CHECKING:  # imported where used: they bring networkx, numpy, scipy and rustworkx (0.4 s a command)
    from yhdyspinta.graph.analyses.bridges import BridgeReport
    from yhdyspinta.graph.analyses.compare import Comparison
    from yhdyspinta.graph.analyses.report import SituationalPicture
    from yhdyspinta.graph.analyses.viz import VizView

#: A graph opened with ``yhdyspinta.open()``, or a back end as the CLI and the server hold it.
Source = Graph | Backend
#: A region: its slug (``paijat-hame``), code (``HV08``), Finnish or English name, IRI, or a Region.
RegionText = str | Region
#: The coverage views: the matrix (the result itself) and the four tables the CLI's ``gaps --view`` offers.
CoverageView = Literal["matrix", "mandate", "municipalities", "blocks", "negotiations"]
COVERAGE_VIEWS: tuple[str, ...] = ("matrix", "mandate", "municipalities", "blocks", "negotiations")


def backend_of(source: Source, as_of: date | None = None) -> Backend:
    """The back end to ask: the graph's (or the one given), read as of ``as_of`` when given."""
    if isinstance(source, Graph):
        return source.at(as_of)
    return source if as_of is None else source.at(as_of)


def region_of(backend: Backend, region: RegionText) -> Region:
    """The region ``region`` names (graph/regions.py: slug, code, name); a Region is taken as it is."""
    return region if isinstance(region, Region) else resolve_region(backend, region)


def schemes_of(backend: Backend, scheme: str | Sequence[str] | None) -> list[str] | None:
    """Scheme IRIs from names such as ``national`` or ``paijat-hame/group``; None: the analysis' default
    (the region's own schemes and the national one)."""
    if not scheme:
        return None
    names = [scheme] if isinstance(scheme, str) else list(scheme)
    return [_gaps.resolve_scheme(backend, s) for s in names]


def regions(source: Source) -> ResultTable:
    """Every region (welfare areas, Helsinki, Åland) with its slug, code and names."""
    rows = [r.__dict__ for r in backend_of(source).regions()]
    return ResultTable(f"{len(rows)} regions", ("slug", "code", "label_fi", "label_en"), rows)


def gaps(source: Source, region: RegionText, *, scheme: str | Sequence[str] | None = None,
         as_of: date | None = None) -> GapReport:
    """The themes of ``region`` that no forum or network covers (``rows(only_gaps=False)``: every theme).

    ``scheme``: theme scheme(s), e.g. ``"national"`` or ``"paijat-hame/group"``; default: the region's
    own and the national. ``as_of``: as the graph stood on that day.
    """
    backend = backend_of(source, as_of)
    report = _gaps.coverage_gaps(backend, region_of(backend, region), schemes=schemes_of(backend, scheme))
    stated = sum(1 for t in report.gaps if t.stated_absent)
    report.title = (
        f"{report.region.label_fi}: {len(report.gaps)} of {len(report.themes)} themes without a forum or network"
        f" ({stated} of them stated by a source, the rest not on record)"
    )
    return report


@overload
def coverage(source: Source, region: RegionText, *, view: Literal["matrix"] = "matrix",
             scheme: str | Sequence[str] | None = None, as_of: date | None = None) -> CoverageDetail: ...
@overload
def coverage(source: Source, region: RegionText, *, view: Literal["mandate", "municipalities", "blocks",
                                                                  "negotiations"],
             scheme: str | Sequence[str] | None = None, as_of: date | None = None) -> ResultTable: ...
@overload
def coverage(source: Source, region: RegionText, *, view: str,
             scheme: str | Sequence[str] | None = None, as_of: date | None = None) -> CoverageDetail | ResultTable:
    ...


def coverage(source: Source, region: RegionText, *, view: str = "matrix",
             scheme: str | Sequence[str] | None = None, as_of: date | None = None) -> CoverageDetail | ResultTable:
    """Coverage of ``region``'s themes beyond the gap list.

    ``view="matrix"`` (default): the whole :class:`CoverageDetail`, its rows the theme x level matrix.
    The other views are one table each: ``mandate`` (themes with networks but no forum),
    ``municipalities`` (present, absent as stated, not on record), ``blocks`` (the building blocks and
    agreements), ``negotiations`` (the statutory negotiations on record).
    """
    if view not in COVERAGE_VIEWS:
        raise InputError(f"no coverage view '{view}'; known: {', '.join(COVERAGE_VIEWS)}")
    backend = backend_of(source, as_of)
    found = region_of(backend, region)
    detail = _coverage.coverage_detail(backend, found, schemes=schemes_of(backend, scheme))
    if view == "matrix":
        detail.title = f"{found.label_fi}: forums and networks per theme and level"
        return detail
    return coverage_view(detail, view)


def coverage_view(detail: CoverageDetail, view: str) -> ResultTable:
    """One view of a coverage detail as a table, its JSON the matching part of ``detail.to_json()``."""
    title = f"{detail.region.label_fi}: {view}"
    if view == "mandate":
        rows = [{"theme": t, "label_fi": detail.theme_label(t)} for t in detail.without_mandate]
        return ResultTable(title, ("theme", "label_fi"), rows, json=detail.to_json()["themes_without_forum"])
    if view == "municipalities":
        return ResultTable(title, ("theme", "label_fi", "present", "absent (stated)", "not on record"),
                           detail.municipality_rows(), json=detail.to_json()["municipalities_by_theme"])
    if view == "blocks":
        rows = [*detail.block_status(), *detail.agreement_status()]
        return ResultTable(title, ("block", "state", "basis"), rows)
    if view == "negotiations":
        rows = [{"requirement": n.label, "frequency": n.frequency, "on_record": n.forum_label or ""}
                for n in detail.negotiations]
        return ResultTable(title, ("requirement", "frequency", "on_record"), rows,
                           json=detail.to_json()["statutory_negotiations"])
    raise InputError(f"no coverage view '{view}'; known: {', '.join(COVERAGE_VIEWS)}")


def explain(source: Source, region: RegionText, theme: str, *, scheme: str | Sequence[str] | None = None,
            as_of: date | None = None) -> ThemeExplanation:
    """Why ``theme`` (its path, e.g. ``paijat-hame/group/hyte-yleisesti``, or its Finnish label) is covered
    in ``region``: each structure that counts and its path, those that do not and why, related themes."""
    backend = backend_of(source, as_of)
    found = region_of(backend, region)
    schemes = schemes_of(backend, scheme)
    row = _record.resolve_theme(backend, theme, prefer=schemes or _record.default_schemes(backend, found))
    day = as_of or (source.as_of if isinstance(source, Graph) else None)
    return _record.explain(backend, found, row, day=day)


def bridges(source: Source, region: RegionText | None = None, *, as_of: date | None = None) -> BridgeReport:
    """Boundary spanners, multi-theme networks, linked pairs, cut points and betweenness; ``region``
    None: every region."""
    from yhdyspinta.graph.analyses import bridges as _bridges

    backend = backend_of(source, as_of)
    return _bridges.bridges(backend, None if region is None else region_of(backend, region))


def load(source: Source, region: RegionText | None = None, *, as_of: date | None = None) -> LoadReport:
    """Who carries the most memberships and roles, set against municipality size."""
    backend = backend_of(source, as_of)
    return _load.load(backend, None if region is None else region_of(backend, region))


def quorum(source: Source, region: RegionText | None = None, *, as_of: date | None = None) -> QuorumReport:
    """For each pilot: the decisions on record, who has none, and whether the quorum rule is met."""
    backend = backend_of(source, as_of)
    return _quorum.quorum(backend, None if region is None else region_of(backend, region))


def compare(source: Source, a: RegionText, b: RegionText, *, as_of: date | None = None) -> Comparison:
    """Two regions side by side on the analyses."""
    from yhdyspinta.graph.analyses import compare as _compare

    backend = backend_of(source, as_of)
    return _compare.compare(backend, region_of(backend, a), region_of(backend, b))


def calendar(source: Source, region: RegionText, *, today: date | None = None,
             term: str | None = None) -> CalendarReport:
    """Statutory negotiations and planning milestones of the council terms: held, due, overdue.

    ``today``: judge due and overdue as of this day. ``term``: a council term (``kunta:2021-2025``,
    ``hyvinvointialue:2022-2025``, its IRI or label, or the years alone); default: the terms running today.
    """
    backend = backend_of(source)
    return _calendar.due_calendar(backend, region_of(backend, region), today=today, term=term)


def changes(source: Source, region: RegionText, start: date, end: date | None = None) -> ChangeReport:
    """What changed in ``region`` between ``start`` and ``end`` (default: today). For the changes between
    a source's last two versions see ``yhdyspinta.source_changes``."""
    backend = backend_of(source)
    return _changes.changes_between(backend.at, region_of(backend, region), start, end or date.today())


def report(source: Source, region: RegionText, *, as_of: date | None = None) -> SituationalPicture:
    """The situational picture of a region (coverage, bridges, load, quorum, sources), as the HTML report
    of ``yhdyspinta report`` draws it."""
    from yhdyspinta.graph.analyses import report as _report

    backend = backend_of(source, as_of)
    return _report.situational_picture(backend, region_of(backend, region))


def network(source: Source, region: RegionText | None = None, *, as_of: date | None = None) -> VizView:
    """The cooperation network of a region (None: the national overview) with its layout, as ``yhdyspinta viz``
    draws it: ``nodes``, ``edges``, ``to_json()``."""
    from yhdyspinta.graph.analyses import viz as _viz

    backend = backend_of(source, as_of)
    if region is None:
        return _viz.national_view(backend)
    return _viz.region_view(backend, region_of(backend, region))


def national(source: Source, *, sort: str = "code", descending: bool = False,
             as_of: date | None = None) -> NationalMatrix:
    """Every welfare area against the national themes: how many forums and networks cover each, gaps
    marked, regions with nothing on record kept apart (docs/analyses.md). ``sort``: code, region,
    on_record, gaps, or a national theme's path (``hyte``, ``tyollisyys``, ...)."""
    matrix = _national.national_matrix(backend_of(source, as_of))
    matrix.regions = matrix.sorted_by(sort, descending=descending)
    return matrix
