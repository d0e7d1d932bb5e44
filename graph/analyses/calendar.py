"""What is due: the statutory negotiations and the planning cycle of the council terms.

The definition, clause by clause, is in docs/analyses.md ("calendar"); in short:

- **Terms.** Each council term is of the municipal councils (``kunta``) or of the county
  councils (``hyvinvointialue``). The calendar is drawn for a selection of terms: by default
  those running on ``today``; ``--term`` names one (``kunta:2021-2025``, the IRI or the label)
  or, with the years alone (``2021-2025``), every term that ends with the one so named (the
  municipal 2021-2025 and the county 2022-2025 terms end on the same day).
- **Placing a milestone.** A milestone falls on the terms of its kinds of council
  (yhd:councilKind) among those selected; on several, in the time they all run (the latest
  start to the earliest end): its *span*. A yearly milestone has a window in each calendar
  year of the span, the months yhd:windowStartMonth..yhd:windowEndMonth; a once-per-term
  milestone has one, in the span's year yhd:termYear (1 = the first) or yhd:termYearFromEnd
  (1 = the last), or the whole span when it has neither. Windows are cut to the span and
  begin no earlier than the milestone's yhd:validFrom.
- **Negotiations** (milestones with yhd:milestoneFor a requirement) are judged on the law's
  period of the window: its calendar year for a yearly milestone, the span for a
  once-per-term one (again from yhd:validFrom on). *held*: a yhd:Meeting of the region's
  negotiation of that requirement is dated in the period, on or before today; or a standing
  practice on record (a yearly yhd:StatutoryNegotiation of the region with yhd:permanence
  standing, not planned) has an occurrence in the period that has passed: its month
  (yhd:practiceMonth) of a year, within the period and the practice's validity, ended before
  today; without a month, a whole calendar year within both, ended before today. Otherwise
  *overdue* once the period has ended, *due* while the window is open, *upcoming* before it.
  The evidence column says what the status rests on.
- **Other milestones** are *past*, *due* or *upcoming* by their window.
"""

from __future__ import annotations

import calendar as cal
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from yhdyspinta.errors import NotFoundError
from yhdyspinta.graph.analyses.result import ResultTables
from yhdyspinta.graph.backends.protocol import Backend, LawRow, MeetingRow, MilestoneRow, PracticeRow, TermRow
from yhdyspinta.graph.regions import Region
from yhdyspinta.ontology.vocabulary import ONCE_PER_COUNCIL_TERM, YEARLY

#: The statuses: of a negotiation window, and of a planning milestone's.
HELD, DUE, OVERDUE, UPCOMING, PAST = "held", "due", "overdue", "upcoming", "past"
NEGOTIATION_STATUSES = (HELD, DUE, OVERDUE, UPCOMING)
MILESTONE_STATUSES = (PAST, DUE, UPCOMING)
#: What the evidence column begins with.
MEETING_ON_RECORD = "meeting on record"
PRACTICE_ON_RECORD = "standing practice on record"
NOTHING_ON_RECORD = "no meeting or standing practice on record"

_YEARS = re.compile(r"(\d{4})\s*[-–]\s*(\d{4})")


@dataclass(frozen=True)
class Due:
    start: str
    end: str
    item: str
    kind: str  # negotiation or milestone
    term: str  # the keys of the terms it is placed on, e.g. "kunta:2021-2025, hyvinvointialue:2022-2025"
    status: str  # held, due, overdue, upcoming (negotiations); past, due, upcoming (milestones)
    evidence: str = ""
    law: str = ""  # the act and sections of a negotiation's legal basis
    source: str = ""  # the source and lines that draw the milestone


@dataclass
class CalendarReport(ResultTables):
    region: Region
    terms: list[TermRow]
    today: str
    items: list[Due] = field(default_factory=list)
    title: str = "Calendar"
    columns: tuple[str, ...] = ("start", "end", "item", "kind", "term", "status", "evidence", "law", "source")

    def rows(self, **_: Any) -> list[dict[str, Any]]:
        return [dict(d.__dict__) for d in self.items]

    def to_json(self, **_: Any) -> dict[str, Any]:
        counts = {s: sum(1 for d in self.items if d.status == s) for s in (HELD, DUE, OVERDUE, UPCOMING, PAST)}
        return {
            "region": self.region.slug, "today": self.today,
            "terms": [{**t.__dict__, "key": term_key(t)} for t in self.terms],
            "items": self.rows(), "counts": counts, "overdue": counts[OVERDUE],
        }


def term_key(term: TermRow) -> str:
    """How ``--term`` names a term: its kind of council and its years, ``kunta:2021-2025``."""
    return f"{term.council}:{term.start[:4]}-{term.end[:4]}"


def select_terms(terms: list[TermRow], term: str | None, today: date) -> list[TermRow]:
    """The terms a calendar is drawn for (see the module's docstring); NotFoundError lists the known ones."""
    known = ", ".join(sorted({term_key(t) for t in terms}, key=lambda k: (k.split(":")[1], k)))
    if term is None:
        chosen = [t for t in terms if t.start <= today.isoformat() <= t.end]
        if not chosen:
            raise NotFoundError(f"no council term runs on {today.isoformat()}; known terms: {known}")
        return _ordered(chosen)
    text = term.strip().replace("–", "-")
    chosen = [t for t in terms if text.casefold() in (t.iri.casefold(), t.label.replace("–", "-").casefold(),
                                                      term_key(t).casefold())]
    if not chosen and (years := _YEARS.fullmatch(text)):
        named = {t.end for t in terms if (t.start[:4], t.end[:4]) == years.groups()}
        chosen = [t for t in terms if t.end in named]
    if not chosen:
        raise NotFoundError(f"no council term {term!r}; known terms: {known} "
                            "(the years alone name every term that ends with that one)")
    return _ordered(chosen)


def _ordered(terms: list[TermRow]) -> list[TermRow]:
    return sorted(set(terms), key=lambda t: (t.start, t.council, t.iri))


@dataclass(frozen=True)
class _Milestone:
    iri: str
    label: str
    recurrence: str
    start_month: int
    end_month: int
    term_year: int | None
    from_end: int | None
    requirement: str | None
    valid_from: date | None
    councils: frozenset[str]
    source: str


def _milestones(rows: list[MilestoneRow]) -> list[_Milestone]:
    """One milestone per IRI, with all its kinds of council and its sources."""
    by_iri: dict[str, list[MilestoneRow]] = defaultdict(list)
    for r in rows:
        by_iri[r.iri].append(r)
    out = []
    for iri, rs in sorted(by_iri.items()):
        r = rs[0]
        titles = ", ".join(sorted({x.source for x in rs if x.source}))
        out.append(_Milestone(iri, r.label, r.recurrence, r.start_month, r.end_month, r.term_year,
                              r.term_year_from_end, r.requirement,
                              date.fromisoformat(r.valid_from[:10]) if r.valid_from else None,
                              frozenset(x.council for x in rs), " ".join(p for p in (titles, r.lines or "") if p)))
    return out


def _month_end(year: int, month: int) -> date:
    return date(year, month, cal.monthrange(year, month)[1])


def _cut(start: date, end: date, lo: date, hi: date) -> tuple[date, date] | None:
    a, b = max(start, lo), min(end, hi)
    return (a, b) if a <= b else None


def _windows(m: _Milestone, lo: date, hi: date) -> list[tuple[tuple[date, date], tuple[date, date]]]:
    """(window, the law's period) for each occurrence of ``m`` in the span ``lo``..``hi``."""
    first = max(lo, m.valid_from) if m.valid_from else lo
    years = list(range(lo.year, hi.year + 1))
    if m.recurrence == ONCE_PER_COUNCIL_TERM:
        if m.term_year is None and m.from_end is None:
            span = _cut(first, hi, first, hi)
            return [(span, span)] if span else []
        index = m.term_year - 1 if m.term_year is not None else len(years) - (m.from_end or 0)
        years = [years[index]] if 0 <= index < len(years) else []
    out = []
    for y in years:
        window = _cut(date(y, m.start_month, 1), _month_end(y, m.end_month), first, hi)
        if window is None:
            continue
        if m.recurrence == YEARLY:
            period = _cut(date(y, 1, 1), date(y, 12, 31), m.valid_from or date(y, 1, 1), date(y, 12, 31))
        else:
            period = _cut(first, hi, first, hi)
        if period is not None:
            out.append((window, period))
    return out


def _law(rows: list[LawRow]) -> str:
    """'Laki hyvinvointialueesta (611/2021) 14 §': each act with the sections of it cited."""
    acts: dict[str, list[str]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: (r.act_label or "", _section_order(r.notation))):
        if r.act_label and r.act_notation and r.notation.startswith(r.act_notation):
            section = r.notation.removeprefix(r.act_notation).strip()
            if section not in acts[r.act_label]:
                acts[r.act_label].append(section)
        elif r.notation not in acts[""]:
            acts[""].append(r.notation)
    return "; ".join(f"{act} {', '.join(sections)}".strip() for act, sections in acts.items())


def _section_order(notation: str) -> tuple[int, str]:
    numbers = re.findall(r"(\d+)\s*§", notation)
    return (int(numbers[0]) if numbers else 0, notation)


@dataclass(frozen=True)
class _Practice:
    forum: str
    month: int | None
    valid_from: date
    valid_until: date
    text: str


def _practices(rows: list[PracticeRow]) -> dict[str, list[_Practice]]:
    """Requirement -> its yearly standing practices in the region."""
    by_forum: dict[str, list[PracticeRow]] = defaultdict(list)
    for r in rows:
        if r.frequency == YEARLY:
            by_forum[r.forum].append(r)
    out: dict[str, list[_Practice]] = defaultdict(list)
    for forum, rs in sorted(by_forum.items()):
        r = rs[0]
        titles = ", ".join(sorted({x.source for x in rs if x.source}))
        cited = " ".join(p for p in (titles, r.lines or "") if p)
        text = f"{r.label}: {r.note or 'yearly'}" + (f" ({cited})" if cited else "")
        out[r.requirement].append(_Practice(
            forum, r.month,
            date.fromisoformat(r.valid_from[:10]) if r.valid_from else date.min,
            date.fromisoformat(r.valid_until[:10]) if r.valid_until else date.max,
            text,
        ))
    return out


def _occurrences(p: _Practice, start: date, end: date) -> list[tuple[date, str]]:
    """(the day by which it had taken place, how it is named) for each occurrence of the practice
    in the period ``start``..``end``: its month of each year, or each whole calendar year."""
    out = []
    for y in range(start.year, end.year + 1):
        if p.month is not None:
            first, last = date(y, p.month, 1), _month_end(y, p.month)
            if start.replace(day=1) <= first <= end and p.valid_from <= last and first <= p.valid_until:
                out.append((last, f"{y}-{p.month:02d}"))
        else:
            first, last = date(y, 1, 1), date(y, 12, 31)
            if start <= first and last <= end and p.valid_from <= first and last <= p.valid_until:
                out.append((last, str(y)))
    return out


def _judge(window: tuple[date, date], period: tuple[date, date], today: date,
           meetings: list[MeetingRow], practices: list[_Practice]) -> tuple[str, str]:
    """(status, evidence) of a negotiation window."""
    start, end = period
    dated = sorted({m.date[:10] for m in meetings if start.isoformat() <= m.date[:10] <= end.isoformat()})
    held = [d for d in dated if d <= today.isoformat()]
    if held:
        return HELD, f"{MEETING_ON_RECORD}: {', '.join(held)}"
    expected = []
    for p in practices:
        for by, name in _occurrences(p, start, end):
            if by < today:
                return HELD, f"{PRACTICE_ON_RECORD}: {p.text}; {name}"
            expected.append((by, name, p))
    if end < today:
        return OVERDUE, NOTHING_ON_RECORD
    status = DUE if window[0] <= today else UPCOMING
    if dated:
        return status, f"meeting scheduled: {', '.join(dated)}"
    if expected:
        _by, name, p = min(expected, key=lambda e: e[0])
        return status, f"{PRACTICE_ON_RECORD}: {p.text}; expected {name}"
    return status, NOTHING_ON_RECORD


def due_calendar(
    backend: Backend, region: Region, *, today: date | None = None, term: str | None = None
) -> CalendarReport:
    """The region's negotiations and milestones in the council terms running on ``today``, or in ``term``."""
    today = today or date.today()
    chosen = select_terms(backend.council_terms(), term, today)
    meetings = backend.negotiation_meetings(region.iri)
    practices = _practices(backend.standing_practices(region.iri))
    laws: dict[str, list[LawRow]] = defaultdict(list)
    for basis in backend.legal_bases():
        laws[basis.requirement].append(basis)
    items: list[Due] = []
    for m in _milestones(backend.milestones()):
        on = [t for t in chosen if t.council in m.councils]
        if not on:
            continue
        lo = date.fromisoformat(max(t.start for t in on)[:10])
        hi = date.fromisoformat(min(t.end for t in on)[:10])
        if lo > hi:
            continue
        keys = ", ".join(term_key(t) for t in on)
        for window, period in _windows(m, lo, hi):
            if m.requirement is not None:
                status, evidence = _judge(window, period, today,
                                          [x for x in meetings if x.requirement == m.requirement],
                                          practices.get(m.requirement, []))
                kind, law = "negotiation", _law(laws.get(m.requirement, []))
            else:
                status = PAST if window[1] < today else DUE if window[0] <= today else UPCOMING
                evidence, kind, law = "", "milestone", ""
            items.append(Due(window[0].isoformat(), window[1].isoformat(), m.label, kind, keys, status,
                             evidence, law, m.source))
    items.sort(key=lambda d: (d.start, d.end, d.item))
    return CalendarReport(region, chosen, today.isoformat(), items,
                          title=f"{region.label_fi}: {', '.join(t.label for t in chosen)} (today {today.isoformat()})")

