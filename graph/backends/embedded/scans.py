"""The embedded back end's rows for the structure analyses, from plain pattern scans joined in Python.

Why: the one-query versions (``structures.rq``, ``memberships.rq``, ``coverers.rq``...) ask
Oxigraph to test "alive on the day", "planned", the member's kind and municipality, and the
coverage path once per row; at national scale (486,000 quads, 167,000 membership rows) the
membership query alone took 18-70 s. Here each question is a scan of one simple pattern
(``queries/scan_*.rq``), the per-row tests are set lookups, and what is the same for many rows
is worked out once: the nodes not alive on the day (a handful are dated), the planned ones,
each member's kind and municipality (a few thousand actors, not one per membership), the
closure of the coverage path (a few hundred concepts). The answers are the one-query
versions' to the row (tests/test_scans.py holds them to it, and tests/test_neo4j_parity.py
holds both to Neo4j).

Large scans come back as CSV written by Oxigraph (values that are IRIs and plain labels):
turning 150,000 solutions into Python objects one term at a time costs twice as much.

A national analysis asks the same questions of each of the 23 regions (the national matrix, the
national view): inside :meth:`ScanQueries.batched` each scan runs once for all regions and each
region's rows are picked from it in Python (each region's own scan costs 30-90 ms; the national
matrix went from 3.5 s to about 1 s at 486,000 quads). Outside it nothing is kept between calls,
so an answer never outlives a write.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from itertools import product
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

import pyoxigraph as ox

from yhdyspinta.graph.backends.embedded.derived import code_digest, kept_rows
from yhdyspinta.graph.backends.protocol import (
    CoverRow,
    MemberRow,
    RecordedStructureRow,
    StructureRow,
    TagRow,
    ordered,
)
from yhdyspinta.graph.store.sparql import Term, date_literal, fill, iri, load_query
from yhdyspinta.graph.store.store import Store
from yhdyspinta.ontology.namespaces import YHD

R = TypeVar("R")
#: What the kept rows and results are made by (derived.code_digest): this back end, the rows' types and,
#: for results, the analyses.
_EMBEDDED = Path(__file__).resolve().parent
_PROTOCOL = _EMBEDDED.parent / "protocol.py"
_ANALYSES = _EMBEDDED.parent.parent / "analyses"
_THEME = ox.NamedNode(str(YHD.theme))
#: In a batched block, the regions a scan is taken for one by one before it is taken once for all
#: (one region's scan costs 30-90 ms at national scale, the national one 0.3-0.7 s).
REGIONS_BEFORE_NATIONAL = 3
_LEVEL = ox.NamedNode(str(YHD.level))


def csv_rows(store: Store, text: str, names: tuple[str, ...], bind: dict[str, Term] | None = None, *,
             nodes: tuple[str, ...] = ("s", "m", "c")) -> Iterator[tuple[str | None, ...]]:
    """The values ``names`` of each solution of a SELECT, as lexical forms (None: unbound),
    serialised by Oxigraph as CSV: for scans of many rows whose values are IRIs or labels.
    In the columns ``nodes`` a blank node is written as :func:`~yhdyspinta.graph.store.store.to_python`
    writes it (its id without ``_:``), so that the rows join with those of ``Store.select``."""
    result = store.query(text, bind=bind)
    data = result.serialize(format=ox.QueryResultsFormat.CSV)
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    header = next(reader, [])
    where = [header.index(n) for n in names]
    # a blank node is written "_:id": where the text holds no "_:" at all, no row needs looking at for one
    blank = [i for i, n in enumerate(names) if n in nodes] if b"_:" in data else []
    pick = itemgetter(*where) if len(where) > 1 else (lambda row: (row[where[0]],))
    for row in reader:
        values: tuple[str, ...] = pick(row)
        if "" not in values and not blank:  # the common row, as it came
            yield values
            continue
        fixed: list[str | None] = [v or None for v in values]
        for i in blank:
            v = fixed[i]
            if v is not None and v.startswith("_:"):
                fixed[i] = v[2:]
        yield tuple(fixed)


class Selects(Protocol):
    """What the queries need of a store: the embedded ``Store``, or a remote one
    (``graph/store/remote.py``, which the sparql back end runs these same queries on)."""

    def select(self, sparql: str, bind: Mapping[str, Term] | None = None) -> list[dict[str, Any]]: ...


class ScanQueries:
    """Mixed into EmbeddedBackend before the one-query versions: the rows the structure
    analyses need most, from scans. ``day`` is the ISO day the back end answers for."""

    store: Selects

    if TYPE_CHECKING:
        @property
        def day(self) -> str: ...

    # -- the parts shared by the scans --

    def _scan(self, text: str, names: tuple[str, ...], bind: dict[str, Term] | None = None
              ) -> Iterator[tuple[str | None, ...]]:
        """The values ``names`` of the rows of a large scan: as CSV from the embedded store;
        through ``select`` from any other store with that method (the sparql back end's)."""
        if isinstance(self.store, Store):
            return csv_rows(self.store, text, names, bind)
        return (tuple(r[n] for n in names) for r in self.store.select(text, bind))

    # -- a national analysis: every scan once --

    @contextmanager
    def batched(self, *, every_region: bool = False) -> Iterator[None]:
        """Within: each scan is taken once, for every region, and kept until the block ends; a
        region's rows are then picked from it (what the part "region" of the scan would select:
        the structures ``yhd:inRegion`` the region). ``every_region``: the analysis asks each region,
        so each scan is taken for all at once from the start. Per thread, so that a server's other
        requests keep asking the store; nested blocks share the outer one's scans."""
        local = self.__dict__.setdefault("_batch_local", threading.local())
        outer = getattr(local, "memo", None)
        if outer is None:
            local.memo = {"every region": every_region}
        try:
            yield
        finally:
            if outer is None:
                local.memo = None

    def _memo(self) -> dict[Any, Any] | None:
        local = self.__dict__.get("_batch_local")
        return getattr(local, "memo", None) if local is not None else None

    def _kept(self, key: Any, make: Callable[[], Any]) -> Any:
        """``make()``, once per batched block (every time outside one)."""
        memo = self._memo()
        if memo is None:
            return make()
        if key not in memo:
            memo[key] = make()
        return memo[key]

    def _persisted(self, key: str, make: Callable[[], Any]) -> Any:
        """``make()``'s rows for every region on any day, kept beside an embedded store on disk
        by the store's version (derived.py); from any other store, made every time."""
        if not isinstance(self.store, Store) or self.store.derived_dir is None:
            return make()
        version = self._kept("version", self.store.version) + code_digest(_EMBEDDED, _PROTOCOL)  # once a block
        return kept_rows(self.store.derived_dir, version, key, make)

    def _national(self, key: Any, make: Callable[[], Any]) -> Any:
        """A national scan: kept in a batched block and on disk by the store's version."""
        return self._kept((key, None), lambda: self._persisted(repr(key), make))

    def _picked(self, key: Any, region: str | None, scan: Callable[[str | None], list[Any]]) -> list[Any]:
        """The rows of ``scan(region)``; in a batched block, kept, and once more than
        ``REGIONS_BEFORE_NATIONAL`` regions have been asked, ``scan(None)``'s rows (first field: the
        structure) of the structures in ``region``, grouped by region once."""
        if region is None:
            return list(self._national(key, lambda: scan(None)))
        memo = self._memo()
        if memo is None:
            return scan(region)
        asked = memo.setdefault(("regions asked", key), set())
        asked.add(region)
        if (key, "by region") not in memo and len(asked) <= REGIONS_BEFORE_NATIONAL and not memo["every region"]:
            return list(self._kept((key, region), lambda: scan(region)))  # compare: two regions, two scans
        if (key, "by region") not in memo:
            regions_of = self._regions_of()
            grouped: dict[str, list[Any]] = {}
            for row in self._national(key, lambda: scan(None)):
                for r in regions_of.get(row[0], ()):
                    grouped.setdefault(r, []).append(row)
            memo[(key, "by region")] = grouped
        return list(memo[(key, "by region")].get(region, []))

    # -- the parts shared by the scans --

    def _dead(self) -> set[str]:
        """The nodes that do not exist on the day."""
        def scan() -> set[str]:
            rows = self.store.select(load_query(__name__, "scan_dead"), {"day": date_literal(self.day)})
            return {r["x"] for r in rows}
        return set(self._kept(("dead", self.day), scan))

    def _planned(self) -> set[str]:
        def scan() -> list[str]:
            return sorted({r["s"] for r in self.store.select(load_query(__name__, "scan_planned"))})
        return set(self._national("planned", scan))

    def _structure_rows(self, region: str | None) -> list[tuple[str, str, str, str | None]]:
        """(structure, kind, label, region) of each forum, statutory negotiation and network."""
        def scan(region: str | None) -> list[tuple[str, str, str, str | None]]:
            if region is None:
                return self._all_structure_rows()
            text = load_query(__name__, "scan_structures")
            rows = self._scan(fill(text, region=iri(region)), ("s", "kind", "label", "region"))
            return [(s or "", kind or "", label or "", r) for s, kind, label, r in rows]
        return self._picked("structures", region, scan)

    def _regions_of(self) -> dict[str, list[str]]:
        """Each structure's regions (``yhd:inRegion``), each once."""
        def scan() -> dict[str, list[str]]:
            regions_of: dict[str, list[str]] = {}
            for s, r in self._scan(load_query(__name__, "scan_in_region"), ("s", "region")):
                if s and r and r not in regions_of.get(s, ()):  # a structure of two classes: one row
                    regions_of.setdefault(s, []).append(r)
            return regions_of
        return cast("dict[str, list[str]]", self._national("in region", scan))

    def _all_structure_rows(self) -> list[tuple[str, str, str, str | None]]:
        """scan_structures.rq's rows for every region, from three plain scans joined here."""
        labels: dict[str, list[str]] = {}
        for s, label in self._scan(load_query(__name__, "scan_fi_labels"), ("s", "label")):
            labels.setdefault(s or "", []).append(label or "")
        regions_of = self._regions_of()
        return [
            (s, kind, label, r)
            for s, kinds in self._structure_kinds().items() for kind in kinds
            for label in labels.get(s, ())
            for r in (tuple(regions_of.get(s, ())) or (None,))
        ]

    def _structure_kinds(self) -> dict[str, list[str]]:
        """Each forum's, statutory negotiation's and network's kinds (two classes: two kinds)."""
        def scan() -> dict[str, list[str]]:
            kinds: dict[str, list[str]] = {}
            for s, kind in self._scan(load_query(__name__, "scan_structure_kinds"), ("s", "kind")):
                if s and kind not in kinds.get(s, ()):
                    kinds.setdefault(s, []).append(kind or "")
            return kinds
        return cast("dict[str, list[str]]", self._national("kinds", scan))

    def _tag_pairs(self, prop: ox.NamedNode, region: str | None) -> list[tuple[str, str]]:
        def scan(region: str | None) -> list[tuple[str, str]]:
            if region is None:  # two plain scans joined here
                kinds = self._structure_kinds()
                rows = self._scan(load_query(__name__, "scan_property"), ("s", "c"), {"property": prop})
                return list(dict.fromkeys((s, c or "") for s, c in rows if s in kinds))
            text = load_query(__name__, "scan_tags")
            rows = self._scan(fill(text, region=iri(region)), ("s", "c"), {"property": prop})
            return [(s or "", c or "") for s, c in rows]
        return self._picked(("tags", prop.value), region, scan)

    # -- the protocol's methods --

    def keep_national_rows(self) -> None:
        """Work out and keep on disk (derived.py) the rows every national analysis reads, so that
        the first one after a write does not pay for them: ``yhdyspinta ingest`` does this after
        writing (about 4 s at 486,000 quads)."""
        self.memberships()
        self.structures()
        self.structure_themes()
        self.structure_levels()

    def structures(self, region: str | None = None) -> list[StructureRow]:
        dead, planned = self._dead(), self._planned()
        return ordered({
            StructureRow(s, label, kind, r, s in planned)
            for s, kind, label, r in self._structure_rows(region) if s not in dead
        })

    def _tags(self, prop: ox.NamedNode, region: str | None) -> list[TagRow]:
        dead = self._dead()
        pairs = [(s, c) for s, c in self._tag_pairs(prop, region) if s not in dead]
        labels: dict[str, list[str]] = {}
        concepts = _iris({c for _s, c in pairs})
        for r in self.store.select(fill(load_query(__name__, "scan_tag_labels"), concepts=concepts)):
            labels.setdefault(r["c"], []).append(r["label"])
        return ordered(TagRow(s, c, label or c) for s, c in pairs for label in labels.get(c) or [c])

    def structure_themes(self, region: str | None = None) -> list[TagRow]:
        return self._tags(_THEME, region)

    def structure_levels(self, region: str | None = None) -> list[TagRow]:
        return self._tags(_LEVEL, region)

    def memberships(self, region: str | None = None) -> list[MemberRow]:
        return list(self._kept(("memberships", region, self.day), lambda: self._memberships(region)))

    def _excluded(self) -> set[tuple[str, str]]:
        """The (structure, member) pairs whose dated membership does not hold on the day."""
        def scan() -> set[tuple[str, str]]:
            return {(r["s"], r["m"]) for r in self.store.select(
                load_query(__name__, "scan_dated_members"), {"day": date_literal(self.day)})}
        return set(self._kept(("excluded", self.day), scan))

    def kept_result(self, name: str, make: Callable[[], R], encode: Callable[[R], Any],
                    decode: Callable[[Any], R]) -> R:
        """A national analysis's result, kept beside an embedded store (derived.py) by the store's
        version and by what the day changes in the rows: the nodes that do not exist on it and the
        dated memberships that do not hold on it. Those are all the day enters the scans by, so two
        days with the same of both give the same answer, and a day that ends one membership is
        worked out anew. ``name`` must say every option of the analysis; ``encode`` turns the
        result into JSON values and ``decode`` back (tests/test_kept_results.py holds the kept
        result to the computed one). From any other store: ``make()`` every time."""
        if not isinstance(self.store, Store) or self.store.derived_dir is None:
            return make()
        # the code of the analyses too: a result worked out by an older release is not read
        version = self._kept("version", self.store.version) + code_digest(_EMBEDDED, _PROTOCOL, _ANALYSES)
        day = json.dumps([sorted(self._dead()), sorted(self._excluded())], separators=(",", ":"))
        key = hashlib.sha256(f"{name}\n{day}".encode()).hexdigest()[:24]
        made: list[R] = []

        def compute() -> Any:
            made.append(make())
            return encode(made[0])

        kept = kept_rows(self.store.derived_dir, version, f"result {key}", compute)
        return made[0] if made else decode(kept)

    def _memberships(self, region: str | None) -> list[MemberRow]:
        dead = self._dead()
        excluded = self._excluded()
        if region is None:  # every region's rows on any day (kept), sorted: the day's filter keeps the order
            rows = self._national("membership rows", self._all_membership_rows)
            if not dead and not excluded:
                return [MemberRow(*r) for r in rows]
            return [
                MemberRow(*r) for r in rows
                if r[0] not in dead and r[1] not in dead and not (r[5] == "member" and (r[0], r[1]) in excluded)
            ]
        text = fill(load_query(__name__, "scan_roles", "region"), region=iri(region))
        roles = [
            (s, m, role) for s, m, role in self._scan(text, ("s", "m", "role"))
            if s not in dead and m not in dead and not (role == "member" and (s, m) in excluded)
        ]
        return ordered({MemberRow(*r) for r in self._with_member_info(roles)})

    def _all_membership_rows(self) -> list[tuple[str, str, str, str, str | None, str]]:
        """(structure, member, label, kind, municipality, role) of every forum's and network's members
        on any day, distinct and sorted as ``ordered`` sorts MemberRows."""
        structures = {r["s"] for r in self.store.select(load_query(__name__, "scan_structure_nodes"))}
        roles = [(s, m, role) for s, m, role in self._scan(load_query(__name__, "scan_roles"), ("s", "m", "role"))
                 if s in structures]
        return sorted(set(self._with_member_info(roles)))

    def _with_member_info(self, roles: list[tuple[str | None, str | None, str | None]]
                          ) -> Iterator[tuple[str, str, str, str, str | None, str]]:
        """Each (structure, member, role) with each label, kind and municipality of its member."""
        info: dict[str, list[tuple[str, str, str | None]]] = {}
        members = _iris({m for _s, m, _r in roles if m})
        for r in self.store.select(fill(load_query(__name__, "scan_member_info"), members=members)):
            info.setdefault(r["m"], []).append((r["label"] or r["m"], r["kind"], r["mun"]))
        return (
            (s or "", m or "", label, kind, mun, role or "")
            for s, m, role in roles for label, kind, mun in info.get(m or "", ())
        )

    def structure_record(self, region: str | None = None) -> list[RecordedStructureRow]:
        planned = self._planned()
        froms: dict[str, list[Any]] = {}
        untils: dict[str, list[Any]] = {}
        per: set[str] = set()
        for r in self.store.select(load_query(__name__, "scan_record_facts")):
            if r["from"] is not None:
                froms.setdefault(r["s"], []).append(r["from"])
            if r["until"] is not None:
                untils.setdefault(r["s"], []).append(r["until"])
            if r["per"]:
                per.add(r["s"])
        named = {(s, label, kind) for s, kind, label, _r in self._structure_rows(region)}
        themes: dict[str, list[str]] = {}
        for s, t in self._tag_pairs(_THEME, region):
            themes.setdefault(s, []).append(t)
        return ordered({
            RecordedStructureRow(s, label, kind, t, s in planned, s in per, f, u)
            for s, label, kind in named
            for t, f, u in product(themes.get(s, ()), froms.get(s) or [None], untils.get(s) or [None])
        })

    def coverers(self, schemes: list[str], region: str) -> list[CoverRow]:
        wanted = {r["theme"] for r in self._kept(("scheme themes", tuple(schemes)), lambda: self.store.select(
            fill(load_query(__name__, "scan_scheme_themes"), schemes=[iri(s) for s in schemes])))}
        steps: dict[str, list[str]] = {}
        for r in self._kept("coverage steps", lambda: self.store.select(load_query(__name__, "scan_coverage_steps"))):
            steps.setdefault(r["from"], []).append(r["to"])
        dead, planned = self._dead(), self._planned()
        named = {(s, label, kind) for s, kind, label, _r in self._structure_rows(region)
                 if s not in dead and s not in planned}
        themes: dict[str, set[str]] = {}
        for s, t in self._tag_pairs(_THEME, region):
            themes.setdefault(s, set()).add(t)
        reach: dict[str, set[str]] = {}
        found: set[CoverRow] = set()
        for s, label, kind in named:
            for t in themes.get(s, ()):
                if t not in reach:
                    reach[t] = closure(t, steps) & wanted
                found.update(CoverRow(theme, s, label, kind) for theme in reach[t])
        return ordered(found)


def closure(start: str, steps: dict[str, list[str]]) -> set[str]:
    """``start`` and every node reached from it along ``steps`` (zero or more steps, as ``path*``)."""
    seen = {start}
    todo = [start]
    while todo:
        for nxt in steps.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _iris(values: set[str]) -> list[ox.NamedNode]:
    """``values`` that are IRIs, sorted, for a VALUES slot (the shapes make every member and
    concept an IRI; anything else is left out rather than written into a query)."""
    out = []
    for v in sorted(values):
        try:
            out.append(ox.NamedNode(v))
        except ValueError:
            continue
    return out
