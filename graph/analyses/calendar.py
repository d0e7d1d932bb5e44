"""What is due: the statutory negotiations and planning milestones of a council term.

For each negotiation requirement (611/2021 § 14 at least once per council
term; 612/2021 §§ 6-7 yearly) and each step of the annual planning cycle, the
calendar lists its windows in the term: yearly items once per calendar year
(within the months the cycle gives), once-per-term items in their year of the
term (or across the whole term). A negotiation window is *held* when a
yhd:Meeting of one of the region's negotiations of that type is dated in it,
*overdue* when it has ended without one, *due* while it is open, *upcoming*
before. Planning milestones are not recorded as held, so they are *past*,
*due* or *upcoming*.
"""

from __future__ import annotations

import calendar as cal
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from yhdyspinta.graph.backends.protocol import Backend, MilestoneRow, TermRow
from yhdyspinta.graph.regions import Region
from yhdyspinta.ontology.vocabulary import ONCE_PER_COUNCIL_TERM

from yhdyspinta.errors import NotFoundError

WELFARE_TERMS = "hyvinvointialueet"


@dataclass(frozen=True)
class Due:
    start: str
    end: str
    item: str
    kind: str  # negotiation or milestone
    status: str  # held, overdue, due, upcoming, past
    evidence: str = ""


@dataclass
class CalendarReport:
    region: Region
    term: TermRow
    today: str
    items: list[Due] = field(default_factory=list)
    title: str = "Calendar"
    columns: tuple[str, ...] = ("start", "end", "item", "kind", "status", "evidence")

    def rows(self, **_: Any) -> list[dict[str, Any]]:
        return [d.__dict__ for d in self.items]

    def to_json(self, **_: Any) -> dict[str, Any]:
        return {
            "region": self.region.slug, "term": self.term.__dict__, "today": self.today,
            "items": [d.__dict__ for d in self.items],
            "overdue": sum(1 for d in self.items if d.status == "overdue"),
        }


def _clip(start: date, end: date, term: TermRow) -> tuple[date, date] | None:
    lo, hi = max(start, date.fromisoformat(term.start)), min(end, date.fromisoformat(term.end))
    return (lo, hi) if lo <= hi else None


def _windows(m: MilestoneRow, term: TermRow) -> list[tuple[date, date]]:
    first, last = date.fromisoformat(term.start).year, date.fromisoformat(term.end).year
    years = list(range(first, last + 1))
    if m.recurrence == ONCE_PER_COUNCIL_TERM:
        if m.term_year is None:
            return [(date.fromisoformat(term.start), date.fromisoformat(term.end))]
        if m.term_year > len(years):
            return []
        years = [years[m.term_year - 1]]
    out = []
    for y in years:
        span = _clip(date(y, m.start_month, 1), date(y, m.end_month, cal.monthrange(y, m.end_month)[1]), term)
        if span:
            out.append(span)
    return out


def _status(start: date, end: date, today: date, held: list[str] | None) -> str:
    if held:
        return "held"
    if end < today:
        return "overdue" if held is not None else "past"
    return "due" if start <= today else "upcoming"


def due_calendar(
    backend: Backend, region: Region, *, today: date | None = None, term: str | None = None
) -> CalendarReport:
    """The region's negotiations and milestones in the council term containing ``today``."""
    today = today or date.today()
    terms = [t for t in backend.council_terms() if WELFARE_TERMS in t.iri] or backend.council_terms()
    chosen = next((t for t in terms if (term and term in (t.iri, t.label)) or
                   (not term and t.start <= today.isoformat() <= t.end)), None)
    if chosen is None:
        raise NotFoundError(f"no council term on record for {term or today.isoformat()}")
    meetings = backend.negotiation_meetings(region.iri)
    requirements = {n.requirement: n for n in backend.negotiations(region.iri)}
    items: list[Due] = []
    for m in backend.milestones():
        negotiation = requirements.get(m.requirement) if m.requirement is not None else None
        is_negotiation = negotiation is not None
        for start, end in _windows(m, chosen):
            held = None
            if is_negotiation:
                held = sorted(x.date for x in meetings
                              if x.requirement == m.requirement and start.isoformat() <= x.date[:10] <= end.isoformat())
            status = _status(start, end, today, held)
            evidence = ", ".join(held or [])
            if negotiation is not None and not held and negotiation.forum_label:
                evidence = f"standing practice on record ({negotiation.forum_label}), no dated meeting"
            items.append(Due(start.isoformat(), end.isoformat(), m.label,
                             "negotiation" if is_negotiation else "milestone", status, evidence))
    items.sort(key=lambda d: (d.start, d.item))
    return CalendarReport(region, chosen, today.isoformat(), items,
                          title=f"{region.label_fi}: {chosen.label} (today {today.isoformat()})")
