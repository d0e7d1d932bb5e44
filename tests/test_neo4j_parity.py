"""Parity: every Backend method and every analysis give the same answer on Neo4j as embedded.

Two data sets: the bundled data (every region, several scheme choices), and a small
hand-made graph where the coverage path matters, whose answers are also pinned.
The methods compared are read from the ``Backend`` protocol, so a method added there
is compared here without a change.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from neo4j_fixtures import copy_store

from yhdyspinta.errors import Neo4jError
from yhdyspinta.graph.analyses.bridges import bridges
from yhdyspinta.graph.analyses.calendar import due_calendar
from yhdyspinta.graph.analyses.changes import changes_between
from yhdyspinta.graph.analyses.compare import compare
from yhdyspinta.graph.analyses.coverage import coverage_detail
from yhdyspinta.graph.analyses.gaps import NATIONAL_SCHEME, coverage_gaps
from yhdyspinta.graph.analyses.load import load
from yhdyspinta.graph.analyses.quorum import quorum
from yhdyspinta.graph.analyses.report import situational_picture
from yhdyspinta.graph.analyses.viz import national_view, region_view
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend
from yhdyspinta.graph.backends.neo4j.backend import Neo4jBackend
from yhdyspinta.graph.backends.neo4j.connect import Target, clear
from yhdyspinta.graph.backends.protocol import Backend
from yhdyspinta.graph.regions import Region, resolve_region
from yhdyspinta.graph.store.store import Store
from yhdyspinta.graph.sync.sync import sync
from yhdyspinta.ingest import ingest
from yhdyspinta.settings import Settings

P = "https://w3id.org/yhdyspinta/theme/paritymaa/"
Q = "https://w3id.org/yhdyspinta/theme/parity-other/"

HANDMADE = """
@prefix yhd: <https://w3id.org/yhdyspinta/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix p: <https://w3id.org/yhdyspinta/theme/paritymaa/> .
@prefix q: <https://w3id.org/yhdyspinta/theme/parity-other/> .
@prefix s: <https://w3id.org/yhdyspinta/id/structure/paritymaa/> .
@prefix r: <https://w3id.org/yhdyspinta/id/region/> .
@prefix src: <https://w3id.org/yhdyspinta/source/> .

src:parity a yhd:SourceDocument ; dcterms:title "tests/test_neo4j_parity.py" .
r:paritymaa a yhd:Region ; yhd:slug "paritymaa" ; skos:notation "96" ;
    skos:prefLabel "Pariteettimaa"@fi, "Parity land"@en ; dcterms:source src:parity .
r:muualla a yhd:Region ; yhd:slug "muualla" ; skos:notation "95" ;
    skos:prefLabel "Muualla"@fi ; dcterms:source src:parity .
<https://w3id.org/yhdyspinta/theme/paritymaa> a yhd:ThemeScheme ; yhd:schemeRegion r:paritymaa ;
    skos:prefLabel "Pariteettiteemat"@fi, "Paritetsteman"@sv, "Parity themes"@en ; dcterms:source src:parity .
<https://w3id.org/yhdyspinta/theme/parity-other> a yhd:ThemeScheme ;
    skos:prefLabel "Muut"@fi, "Andra"@sv, "Others"@en ; dcterms:source src:parity .
"""
# (theme, extra triples); every theme gets labels, a scheme and the source
THEMES = {
    "p:top": "", "p:child": "skos:broader p:top", "p:leaf": "skos:broader p:child",
    "p:sibling": "skos:broader p:top", "p:wide": "", "p:via-narrow": "skos:narrowMatch q:nm-sub",
    "p:close-fwd": "", "p:close-back": "skos:closeMatch q:cb", "p:exact-back": "skos:exactMatch q:eb",
    "p:chain": "", "p:related": "", "p:planned": "", "p:elsewhere": "", "p:stated": "",
    "p:stated-eq": "", "p:stated-below": "",
    "q:narrow-bm": "skos:broadMatch p:wide", "q:nm-sub": "", "q:cf": "skos:closeMatch p:close-fwd",
    "q:cb": "", "q:eb": "", "q:ch1": "skos:broadMatch q:ch2", "q:ch2": "skos:closeMatch p:chain",
    "q:rel": "skos:relatedMatch p:related", "q:eq": "skos:exactMatch p:stated-eq",
    "q:under": "skos:broader p:stated-below",
}
# structure -> (classes, themes, region, extra)
STRUCTURES = {
    "net-leaf": ("yhd:Network", "p:leaf", "paritymaa", ""),
    "net-bm": ("yhd:Network", "q:narrow-bm", "paritymaa", ""),
    "net-nm": ("yhd:Network", "q:nm-sub", "paritymaa", ""),
    "forum-cf": ("yhd:Forum", "q:cf", "paritymaa", ""),
    "net-cb": ("yhd:Network", "q:cb", "paritymaa", ""),
    "both-eb": ("yhd:Network, yhd:Forum", "q:eb", "paritymaa", ""),
    "net-chain": ("yhd:Network", "q:ch1", "paritymaa", ""),
    "net-rel": ("yhd:Network", "q:rel", "paritymaa", ""),
    "net-plan": ("yhd:Network", "p:planned", "paritymaa",
                 "yhd:status <https://w3id.org/yhdyspinta/status/planned>"),
    "net-away": ("yhd:Network", "p:elsewhere", "muualla", ""),
}
STATEMENTS = {"st-direct": "p:stated", "st-eq": "q:eq", "st-below": "q:under"}
COVERED = {
    "top": {"net-leaf"}, "child": {"net-leaf"}, "leaf": {"net-leaf"}, "wide": {"net-bm"},
    "via-narrow": {"net-nm"}, "exact-back": {"both-eb"},
}


def handmade_turtle() -> str:
    parts = [HANDMADE]
    for theme, extra in THEMES.items():
        scheme = "paritymaa" if theme.startswith("p:") else "parity-other"
        name = theme[2:]
        parts.append(
            f"{theme} a yhd:Theme ; skos:inScheme <https://w3id.org/yhdyspinta/theme/{scheme}> ; "
            f'skos:prefLabel "{name} fi"@fi, "{name} sv"@sv, "{name} en"@en ; '
            f"{extra + ' ; ' if extra else ''}dcterms:source src:parity ."
        )
    for name, (classes, theme, region, extra) in STRUCTURES.items():
        parts.append(
            f's:{name} a {classes} ; skos:prefLabel "{name}"@fi ; yhd:inRegion r:{region} ; '
            f"yhd:theme {theme} ; {extra + ' ; ' if extra else ''}dcterms:source src:parity ."
        )
    for name, theme in STATEMENTS.items():
        parts.append(
            f"s:{name} a yhd:ThemeStatement ; yhd:inRegion r:paritymaa ; yhd:aboutTheme {theme} ; "
            f'yhd:note "{name} note"@fi ; dcterms:source src:parity .'
        )
    return "\n".join(parts) + "\n"


#: Every method of the Backend protocol; ``at`` is not compared itself but gives each day's back ends.
BACKEND_METHODS = sorted(
    name for name, member in vars(Backend).items()
    if inspect.isfunction(member) and not name.startswith("_") and name != "at"
)
#: The parameters the methods take, and what the comparison passes for them.
KNOWN_PARAMETERS = {"region", "schemes"}

SchemesFor = Callable[[Region | None], list[list[str]]]


def scheme_choices(backend: Backend, how_many: int = 3) -> SchemesFor:
    """The scheme lists to ask about for a region (for none: the national scheme and every scheme)."""
    every = [s for s, _r in backend.theme_schemes()]

    def choose(region: Region | None) -> list[list[str]]:
        if region is None:
            return [[NATIONAL_SCHEME], every]
        own = [s for s, r in backend.theme_schemes() if r == region.iri]
        return [[*own, NATIONAL_SCHEME], [NATIONAL_SCHEME], every][:how_many]

    return choose


def argument_lists(method: str, regions: list[Region], schemes_for: SchemesFor) -> list[tuple[Any, ...]]:
    """The arguments to call ``method`` with: each region (and none, where the region is optional),
    each scheme choice; in the protocol's parameter order."""
    params = [p for name, p in inspect.signature(getattr(Backend, method)).parameters.items() if name != "self"]
    unknown = {p.name for p in params} - KNOWN_PARAMETERS
    assert not unknown, f"Backend.{method} takes {unknown}: say in tests/test_neo4j_parity.py what to pass"
    region_param = next((p for p in params if p.name == "region"), None)
    region_choices: list[Region | None] = [None]
    if region_param is not None:
        region_choices = ([None] if region_param.default is None else []) + list(regions)
    calls = []
    for region in region_choices:
        for schemes in schemes_for(region) if any(p.name == "schemes" for p in params) else [None]:
            values = {"region": region.iri if region else None, "schemes": schemes}
            calls.append(tuple(values[p.name] for p in params if values[p.name] is not None))
    return calls


def assert_methods_same(embedded: Backend, neo: Backend, regions: list[Region], schemes_for: SchemesFor) -> int:
    """Every method of the protocol, with every argument list, answers the same; returns the calls."""
    calls = 0
    for method in BACKEND_METHODS:
        for args in argument_lists(method, regions, schemes_for):
            assert getattr(neo, method)(*args) == getattr(embedded, method)(*args), (method, args)
            calls += 1
    return calls


def test_the_protocol_lists_every_method() -> None:
    """The comparison reads the protocol: each method the analyses use is in it, with arguments to pass."""
    assert {"regions", "coverers", "statements", "structures", "memberships", "commitments",
            "negotiation_meetings", "cited_sources"} <= set(BACKEND_METHODS)
    region = Region("https://w3id.org/yhdyspinta/id/region/x", "x", "00", "X")
    for method in BACKEND_METHODS:
        assert argument_lists(method, [region], lambda _r: [[NATIONAL_SCHEME]]), method


def test_every_argument_list_is_a_valid_call(base_store: Store, tmp_path: Path) -> None:
    """Without Neo4j: the comparison's calls run on the embedded back end (compared with itself)."""
    source = tmp_path / "parity.ttl"
    source.write_text(handmade_turtle(), encoding="utf-8")
    ingest(base_store, [source])
    embedded = EmbeddedBackend(base_store)
    regions = embedded.regions()
    calls = assert_methods_same(embedded, EmbeddedBackend(base_store), regions, scheme_choices(embedded))
    per_region = sum(len(argument_lists(m, regions[:1], scheme_choices(embedded))) for m in BACKEND_METHODS)
    assert calls >= per_region >= len(BACKEND_METHODS)


def assert_same(embedded: EmbeddedBackend, neo: Neo4jBackend, how_many: int = 3) -> int:
    """Compare every Backend method and the gap report for every region; returns the gap checks."""
    assert neo.regions() == embedded.regions()
    choose = scheme_choices(embedded, how_many)
    assert assert_methods_same(embedded, neo, embedded.regions(), choose)
    checks = 0
    for region in embedded.regions():
        for schemes in choose(region):
            a = coverage_gaps(embedded, region, schemes=schemes)
            b = coverage_gaps(neo, region, schemes=schemes)
            assert b.to_json(only_gaps=False) == a.to_json(only_gaps=False)
            assert b.rows() == a.rows()
            checks += 1
    return checks


@pytest.fixture(scope="module")
def bundled_on_both(
    bundled_store_dir: Path, neo4j_target: Target, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[EmbeddedBackend, Neo4jBackend]]:
    store = copy_store(bundled_store_dir, tmp_path_factory.mktemp("parity") / "store")
    clear(neo4j_target)
    sync(store, neo4j_target)
    yield EmbeddedBackend(store), Neo4jBackend(neo4j_target)
    store.close()


@pytest.mark.neo4j
def test_bundled_data_answers_the_same(bundled_on_both: tuple[EmbeddedBackend, Neo4jBackend]) -> None:
    embedded, neo = bundled_on_both
    assert assert_same(embedded, neo) == 3 * len(embedded.regions())
    culture = next(
        t for t in coverage_gaps(neo, resolve_region(neo, "paijat-hame")).gaps if t.label_fi == "Kulttuurihyvinvointi"
    )
    assert culture.statement and "Kauno" in culture.statement


@pytest.mark.neo4j
def test_each_scheme_alone_answers_the_same(bundled_on_both: tuple[EmbeddedBackend, Neo4jBackend]) -> None:
    embedded, neo = bundled_on_both
    for scheme, _region in embedded.theme_schemes():
        for slug in ("paijat-hame", "keski-pohjanmaa", "etela-karjala", "lappi"):
            region = resolve_region(embedded, slug)
            a = coverage_gaps(embedded, region, schemes=[scheme])
            b = coverage_gaps(neo, region, schemes=[scheme])
            assert b.to_json(only_gaps=False) == a.to_json(only_gaps=False)


#: Days to ask on: today, and dates before and after the council term change of 2025.
DAYS = (None, date(2022, 6, 1), date(2026, 1, 1))
REGIONAL = ("paijat-hame", "keski-pohjanmaa", "etela-karjala", "lappi")


@pytest.mark.neo4j
@pytest.mark.parametrize("day", DAYS, ids=str)
def test_every_method_answers_the_same_on_each_day(
    bundled_on_both: tuple[EmbeddedBackend, Neo4jBackend], day: date | None
) -> None:
    embedded, neo = (b.at(day) for b in bundled_on_both)
    assert assert_methods_same(embedded, neo, embedded.regions(), scheme_choices(embedded, 1))
    assert neo.memberships() and neo.commitments() and neo.council_terms()  # not all empty


@pytest.mark.neo4j
@pytest.mark.parametrize("day", DAYS, ids=str)
def test_every_analysis_answers_the_same(
    bundled_on_both: tuple[EmbeddedBackend, Neo4jBackend], day: date | None
) -> None:
    embedded, neo = (b.at(day) for b in bundled_on_both)
    today = day or date.today()
    for slug in REGIONAL:
        region = resolve_region(embedded, slug)
        for analysis in (coverage_detail, situational_picture, region_view):
            assert analysis(neo, region) == analysis(embedded, region), (analysis.__name__, slug)
        for whole_or_region in (bridges, load, quorum):
            assert whole_or_region(neo, region).to_json() == whole_or_region(embedded, region).to_json(), (
                whole_or_region, slug)
        assert due_calendar(neo, region, today=today) == due_calendar(embedded, region, today=today)
    ph, kp = resolve_region(embedded, "paijat-hame"), resolve_region(embedded, "keski-pohjanmaa")
    assert compare(neo, ph, kp) == compare(embedded, ph, kp)
    assert national_view(neo).to_json() == national_view(embedded).to_json()
    for whole_or_region in (bridges, load, quorum):
        assert whole_or_region(neo).to_json() == whole_or_region(embedded).to_json()
    start, end = date(2022, 1, 1), date(2026, 1, 1)
    assert changes_between(neo.at, ph, start, end) == changes_between(embedded.at, ph, start, end)


@pytest.mark.neo4j
def test_handmade_coverage_paths(base_store: Store, neo4j_clean: Target, tmp_path: Path) -> None:
    source = tmp_path / "parity.ttl"
    source.write_text(handmade_turtle(), encoding="utf-8")
    ingest(base_store, [source])
    sync(base_store, neo4j_clean)
    embedded, neo = EmbeddedBackend(base_store), Neo4jBackend(neo4j_clean)
    assert_same(embedded, neo)

    report = coverage_gaps(neo, resolve_region(neo, "paritymaa"))
    mine = {t.theme.removeprefix(P): t for t in report.themes if t.theme.startswith(P)}
    covered = {k: {c.iri.rsplit("/", 1)[1] for c in t.covered_by} for k, t in mine.items() if t.covered_by}
    # up (broader, broadMatch, ^narrowMatch) and across by equivalence (exactMatch, both
    # directions, chained) cover; down, closeMatch, relatedMatch, planned and another region do not
    assert covered == COVERED
    assert {k for k, t in mine.items() if t.is_gap} == {
        "sibling", "related", "planned", "elsewhere", "stated", "stated-eq", "stated-below",
        "close-fwd", "close-back", "chain",
    }
    kinds = {(c.iri.rsplit("/", 1)[1], c.kind) for t in report.themes for c in t.covered_by}
    assert {("both-eb", "forum"), ("both-eb", "network")} <= kinds
    notes = {k: t.statement for k, t in mine.items() if t.statement}
    # a statement reaches its theme and equivalent ones, never a broader one
    assert notes == {"stated": "st-direct note", "stated-eq": "st-eq note"}


@pytest.mark.neo4j
def test_from_settings_refuses_a_database_never_synced(neo4j_clean: Target, neo4j_settings: Settings) -> None:
    with pytest.raises(Neo4jError, match="no synced data: run `yhdyspinta neo4j sync`"):
        Neo4jBackend.from_settings(neo4j_settings)
