"""What changed: in a region between two dates, or in a source between two versions.

*Between dates* the graph is read as it stood on each day (yhd:validFrom /
yhd:validUntil on structures, memberships and municipalities) and compared:
forums and networks that appeared or ended, members that joined or left, and
themes whose coverage changed (a theme that lost its last covering structure
is a new gap). *Between versions* of a source the two kept versions of its
named graph are compared entity by entity (triples grouped by subject).
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from yhdyspinta.errors import NotFoundError
from yhdyspinta.graph.analyses.gaps import coverage_gaps
from yhdyspinta.graph.analyses.result import ResultTables
from yhdyspinta.graph.backends.protocol import Backend
from yhdyspinta.graph.regions import Region
from yhdyspinta.ontology.vocabulary import ROLE_MEMBER


@dataclass(frozen=True)
class Change:
    kind: str  # structure-appeared, structure-ended, member-joined, member-left, theme-lost-coverage, ...
    subject: str
    label: str
    detail: str = ""


@dataclass
class ChangeReport(ResultTables):
    title: str
    changes: list[Change] = field(default_factory=list)
    columns: tuple[str, ...] = ("kind", "label", "detail")

    def rows(self, **_: Any) -> list[dict[str, Any]]:
        return [c.__dict__ for c in self.changes]

    def to_json(self, **_: Any) -> dict[str, Any]:
        return {"title": self.title, "changes": [c.__dict__ for c in self.changes]}


def changes_between(at: Callable[[date], Backend], region: Region, start: date, end: date) -> ChangeReport:
    """The region's changes from ``start`` to ``end`` (``at(day)`` gives the back end as of a day)."""
    a, b = at(start), at(end)
    out: list[Change] = []
    sa = {s.iri: s for s in a.structures(region.iri) if not s.planned}
    sb = {s.iri: s for s in b.structures(region.iri) if not s.planned}
    out += [Change("structure-appeared", i, sb[i].label, sb[i].kind) for i in sorted(sb.keys() - sa.keys())]
    out += [Change("structure-ended", i, sa[i].label, sa[i].kind) for i in sorted(sa.keys() - sb.keys())]
    labels = {**{i: s.label for i, s in sa.items()}, **{i: s.label for i, s in sb.items()}}
    ma = {(m.structure, m.member): m.label for m in a.memberships(region.iri) if m.role == ROLE_MEMBER}
    mb = {(m.structure, m.member): m.label for m in b.memberships(region.iri) if m.role == ROLE_MEMBER}
    for s, m in sorted(mb.keys() - ma.keys()):
        if s in sb and s in sa:  # joining a structure that itself appeared is not news
            out.append(Change("member-joined", m, mb[(s, m)], labels.get(s, s)))
    for s, m in sorted(ma.keys() - mb.keys()):
        if s in sa and s in sb:
            out.append(Change("member-left", m, ma[(s, m)], labels.get(s, s)))
    ga, gb = coverage_gaps(a, region), coverage_gaps(b, region)
    gaps_a = {t.theme for t in ga.gaps}
    gaps_b = {t.theme for t in gb.gaps}
    names = {t.theme: f"{t.label_fi} ({t.scheme_label})" for t in gb.themes}
    out += [Change("theme-lost-coverage", t, names.get(t, t), "no forum or network left")
            for t in sorted(gaps_b - gaps_a)]
    out += [Change("theme-gained-coverage", t, names.get(t, t)) for t in sorted(gaps_a - gaps_b)]
    title = f"{region.label_fi}: changes from {start.isoformat()} to {end.isoformat()}"
    return ChangeReport(title, out)


def _read_version(path: Path) -> Graph:
    with gzip.open(path, "rb") as fh:
        return Graph().parse(data=fh.read().decode("utf-8"), format="nt")


def _label(g: Graph, node: URIRef) -> str:
    labels = [o for o in g.objects(node, SKOS.prefLabel) if isinstance(o, Literal)]
    fi = [str(o) for o in labels if o.language == "fi"]
    return fi[0] if fi else (str(labels[0]) if labels else str(node))


def changes_in_source(versions: list[Path], *, older: int = -2, newer: int = -1) -> ChangeReport:
    """Entities added, removed and changed between two kept versions of one graph."""
    if len(versions) < 2:
        raise NotFoundError("this source has fewer than two versions in the history; ingest a changed file first")
    old, new = _read_version(versions[older]), _read_version(versions[newer])
    out: list[Change] = []
    olds = {s for s in old.subjects() if isinstance(s, URIRef)}
    news = {s for s in new.subjects() if isinstance(s, URIRef)}
    out += [Change("entity-added", str(s), _label(new, s)) for s in sorted(news - olds)]
    out += [Change("entity-removed", str(s), _label(old, s)) for s in sorted(olds - news)]
    for s in sorted(olds & news):
        before, after = set(old.predicate_objects(s)), set(new.predicate_objects(s))
        if before != after:
            props = sorted({str(p).rsplit("#", 1)[-1].rsplit("/", 1)[-1] for p, _o in before ^ after})
            detail = f"+{len(after - before)} -{len(before - after)} ({', '.join(props)})"
            out.append(Change("entity-changed", str(s), _label(new, s), detail))
    return ChangeReport(f"changes from {versions[older].name} to {versions[newer].name}", out)
