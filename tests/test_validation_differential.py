"""The fast shape pass plus pyshacl on the nodes it picks gives exactly pyshacl's violations.

ingest.validate.shacl_violations runs pyshacl only on the nodes ingest.shapecheck flags; the
reference here is pyshacl on the whole source, as validation was done before. Sources are
generated from the project's shapes' classes (structures, associations, municipalities,
regions, memberships), valid or broken in one or more of the ways a steward's file breaks.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyshacl import validate as pyshacl_validate
from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef

from yhdyspinta.errors import Location
from yhdyspinta.ingest.shapecheck import checker
from yhdyspinta.ingest.validate import Parsed, shacl_violations, short_name
from yhdyspinta.ontology import load_ontology, load_shapes
from yhdyspinta.ontology.namespaces import BASE, DCTERMS, ORG, SH, SKOS, YHD

ROOT = Path(__file__).resolve().parents[1]
SOURCE = URIRef(f"{BASE}source/differential")
LEVEL = URIRef(f"{BASE}level/asiantuntijat")
SCOPES = [URIRef(f"{BASE}scope/{s}") for s in ("municipal", "regional")]
STATUS = URIRef(f"{BASE}status/active")
PERMANENCE = URIRef(f"{BASE}permanence/standing")
BREAKS = (
    "no-fi-label", "two-fi-labels", "plain-label", "empty-label", "no-source", "two-regions", "region-not-region",
    "theme-not-theme", "member-literal", "member-unknown", "count-string", "count-negative", "count-ill-typed",
    "valid-from-after-until", "valid-from-string", "per-municipality-true", "per-municipality-false",
    "blank-structure", "network-no-theme", "municipality-bad-code", "municipality-two-codes", "region-bad-slug",
    "membership-no-org", "membership-literal-member", "source-no-title", "scope-two", "level-literal",
)


@cache
def _context() -> tuple[tuple[str, str], ...]:
    """(node, class) of the reference data and the vocabularies: what the store would know."""
    g = Graph()
    for path in (ROOT / "data" / "reference" / "regions.ttl", ROOT / "data" / "reference" / "municipalities.ttl",
                 ROOT / "ontology" / "themes.ttl", ROOT / "ontology" / "vocabularies.ttl"):
        g.parse(path, format="turtle")
    return tuple((str(s), str(o)) for s, o in g.subject_objects(RDF.type))


@cache
def _pick() -> tuple[list[str], list[str], list[str]]:
    """Regions, municipalities and themes to point at."""
    pairs = _context()
    of = lambda cls: sorted(n for n, c in pairs if c == str(YHD[cls]))  # noqa: E731
    return of("Region")[:3], of("Municipality")[:6], of("Theme")[:6]


def _lit(text: str, lang: str | None = None) -> Literal:
    return Literal(text, lang=lang)


@st.composite
def sources(draw: st.DrawFn) -> Graph:
    regions, municipalities, themes = _pick()
    region = URIRef(draw(st.sampled_from(regions)))
    g = Graph()
    g.add((SOURCE, RDF.type, YHD.SourceDocument))
    g.add((SOURCE, DCTERMS.title, _lit("differential.ttl")))
    association = URIRef(f"{BASE}id/org/differential/yhdistys")
    g.add((association, RDF.type, YHD.CivilSocietyOrganisation))
    g.add((association, SKOS.prefLabel, _lit("Yhdistys", "fi")))
    g.add((association, YHD.inRegion, region))
    g.add((association, DCTERMS.source, SOURCE))
    nodes = []
    for i in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["Network", "Forum"]))
        node = URIRef(f"{BASE}id/{kind.lower()}/differential/{i}")
        nodes.append(node)
        g.add((node, RDF.type, YHD[kind]))
        for lang in ("fi", "sv", "en"):
            g.add((node, SKOS.prefLabel, _lit(f"Rakenne {i} {lang}", lang)))
        g.add((node, YHD.inRegion, region))
        for theme in draw(st.lists(st.sampled_from(themes), min_size=1, max_size=2, unique=True)):
            g.add((node, YHD.theme, URIRef(theme)))
        g.add((node, YHD.level, LEVEL))
        g.add((node, YHD.scope, draw(st.sampled_from(SCOPES))))
        g.add((node, YHD.permanence, PERMANENCE))
        g.add((node, YHD.status, STATUS))
        members = draw(st.lists(st.sampled_from([*municipalities, str(association)]), min_size=1, max_size=4,
                                unique=True))
        for m in members:
            g.add((node, ORG.hasMember, URIRef(m)))
        g.add((node, YHD.coordinator, URIRef(members[0])))
        g.add((node, YHD.declaredMemberCount, Literal(len(members))))
        g.add((node, DCTERMS.source, SOURCE))
    for brk in draw(st.lists(st.sampled_from(BREAKS), max_size=3)):
        _break(g, brk, draw(st.sampled_from(nodes)), region, municipalities, association)
    return g


def _break(g: Graph, brk: str, node: URIRef, region: URIRef, municipalities: list[str], association: URIRef) -> None:
    """One way a source goes wrong (or, for a few, a legal variation)."""
    def drop(p: URIRef, o: object = None) -> None:
        g.remove((node, p, o))  # type: ignore[arg-type]

    edits: dict[str, object] = {
        "no-fi-label": lambda: g.remove((node, SKOS.prefLabel, _lit(f"Rakenne {str(node)[-1]} fi", "fi"))),
        "two-fi-labels": lambda: g.add((node, SKOS.prefLabel, _lit("Toinen", "fi"))),
        "plain-label": lambda: g.add((node, SKOS.prefLabel, _lit("ilman kieltä"))),
        "empty-label": lambda: g.add((node, SKOS.prefLabel, _lit("", "de"))),
        "no-source": lambda: drop(DCTERMS.source),
        "two-regions": lambda: g.add((node, YHD.inRegion, URIRef(f"{BASE}id/region/x"))),
        "region-not-region": lambda: (drop(YHD.inRegion), g.add((node, YHD.inRegion, association))),
        "theme-not-theme": lambda: g.add((node, YHD.theme, LEVEL)),
        "member-literal": lambda: g.add((node, ORG.hasMember, _lit("Lahti"))),
        "member-unknown": lambda: g.add((node, ORG.hasMember, URIRef(f"{BASE}id/org/unknown"))),
        "count-string": lambda: (drop(YHD.declaredMemberCount), g.add((node, YHD.declaredMemberCount, _lit("3")))),
        "count-negative": lambda: (drop(YHD.declaredMemberCount), g.add((node, YHD.declaredMemberCount, Literal(-1)))),
        "count-ill-typed": lambda: (drop(YHD.declaredMemberCount),
                                    g.add((node, YHD.declaredMemberCount, Literal("kolme", datatype=XSD.integer)))),
        "valid-from-after-until": lambda: (g.add((node, YHD.validFrom, Literal("2024-05-01", datatype=XSD.date))),
                                           g.add((node, YHD.validUntil, Literal("2023-05-01", datatype=XSD.date)))),
        "valid-from-string": lambda: g.add((node, YHD.validFrom, _lit("2024"))),
        "per-municipality-true": lambda: g.add((node, YHD.perMunicipality, Literal(True))),
        "per-municipality-false": lambda: g.add((node, YHD.perMunicipality, Literal(False))),
        "blank-structure": lambda: _blank(g, node),
        "network-no-theme": lambda: drop(YHD.theme),
        "municipality-bad-code": lambda: _municipality(g, region, Literal("91")),
        "municipality-two-codes": lambda: (_municipality(g, region, Literal("091")),
                                           _municipality(g, region, Literal("092"))),
        "region-bad-slug": lambda: _region(g, "Päijät Häme"),
        "membership-no-org": lambda: _membership(g, URIRef(municipalities[0]), None),
        "membership-literal-member": lambda: _membership(g, _lit("Lahti"), association),
        "source-no-title": lambda: g.remove((SOURCE, DCTERMS.title, None)),
        "scope-two": lambda: (g.add((node, YHD.scope, SCOPES[0])), g.add((node, YHD.scope, SCOPES[1]))),
        "level-literal": lambda: g.add((node, YHD.level, _lit("asiantuntijat"))),
    }
    edit = edits[brk]
    assert callable(edit)
    edit()


def _blank(g: Graph, node: URIRef) -> None:
    blank = BNode()
    for p, o in list(g.predicate_objects(node)):
        g.add((blank, p, o))


def _municipality(g: Graph, region: URIRef, code: Literal) -> None:
    m = URIRef(f"{BASE}id/municipality/differential-{code}")
    g.add((m, RDF.type, YHD.Municipality))
    g.add((m, SKOS.prefLabel, _lit("Kunta", "fi")))
    g.add((m, DCTERMS.source, SOURCE))
    g.add((m, YHD.inRegion, region))
    g.add((m, SKOS.notation, code))


def _region(g: Graph, slug: str) -> None:
    r = URIRef(f"{BASE}id/region/differential")
    g.add((r, RDF.type, YHD.Region))
    g.add((r, SKOS.prefLabel, _lit("Alue", "fi")))
    g.add((r, DCTERMS.source, SOURCE))
    g.add((r, SKOS.notation, _lit("99")))
    g.add((r, YHD.slug, _lit(slug)))


def _membership(g: Graph, member: object, organisation: URIRef | None) -> None:
    m = BNode()
    g.add((m, RDF.type, ORG.Membership))
    g.add((m, ORG.member, member))  # type: ignore[arg-type]
    if organisation is not None:
        g.add((m, ORG.organization, organisation))
    g.add((m, DCTERMS.source, SOURCE))


def _reference(graph: Graph, context: list[tuple[str, str]]) -> list[tuple[str, str, str, str | None, str | None]]:
    """pyshacl on the whole source (with the context's types), as validation was done before."""
    own = set(graph.subjects())
    data = Graph()
    for t in graph:
        data.add(t)
    for node, cls in context:
        if URIRef(node) not in own:
            data.add((URIRef(node), RDF.type, URIRef(cls)))
    _conforms, results, _text = pyshacl_validate(data, shacl_graph=load_shapes(), ont_graph=load_ontology(),
                                                 inference="none", allow_warnings=True)
    found = []
    for r in results.subjects(RDF.type, SH.ValidationResult):
        node = results.value(r, SH.focusNode)
        if node not in own:
            continue
        shape, component = results.value(r, SH.sourceShape), results.value(r, SH.sourceConstraintComponent)
        message, path, value = (results.value(r, SH.resultMessage), results.value(r, SH.resultPath),
                                results.value(r, SH.value))
        found.append((str(node), short_name(shape) if isinstance(shape, URIRef) else short_name(component),
                      str(message) if message else short_name(component),
                      short_name(path) if isinstance(path, URIRef) else None,
                      str(value)[:80] if value is not None else None))
    return sorted(found, key=str)


def _ours(graph: Graph, context: list[tuple[str, str]]) -> list[tuple[str, str, str, str | None, str | None]]:
    parsed = Parsed("differential.ttl", graph, lambda node: Location("differential.ttl", node=node))
    found = [(v.location.node or "", v.rule, v.message, v.path, v.value) for v in shacl_violations([parsed], context)]
    return sorted(found, key=str)


def _relevant_context(graph: Graph) -> list[tuple[str, str]]:
    objects = {str(o) for o in graph.objects() if isinstance(o, URIRef)}
    return [(n, c) for n, c in _context() if n in objects]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sources())
def test_same_violations_as_pyshacl(graph: Graph) -> None:
    context = _relevant_context(graph)
    # blank nodes: pyshacl names them by their label, the same in both runs (the same graph is read)
    assert _ours(graph, context) == _reference(graph, context)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sources())
def test_the_fast_pass_flags_every_node_pyshacl_rejects(graph: Graph) -> None:
    context = _relevant_context(graph)
    rejected = {node for node, *_rest in _reference(graph, context)}
    types: dict[object, set[object]] = {}
    own = set(graph.subjects())
    for node, cls in context:
        if URIRef(node) not in own:
            types.setdefault(URIRef(node), set()).add(URIRef(cls))
    flagged = checker().suspects(list(graph), types)  # type: ignore[arg-type]
    assert flagged is not None
    assert rejected <= {str(n) for n in flagged}


def test_a_valid_source_never_reaches_pyshacl() -> None:
    """The point of the fast pass: valid data is passed by it alone."""
    regions, municipalities, themes = _pick()
    graph = Graph()
    g = graph
    g.add((SOURCE, RDF.type, YHD.SourceDocument))
    g.add((SOURCE, DCTERMS.title, _lit("differential.ttl")))
    node = URIRef(f"{BASE}id/network/differential/ok")
    g.add((node, RDF.type, YHD.Network))
    g.add((node, SKOS.prefLabel, _lit("Verkosto", "fi")))
    g.add((node, YHD.inRegion, URIRef(regions[0])))
    g.add((node, YHD.theme, URIRef(themes[0])))
    g.add((node, ORG.hasMember, URIRef(municipalities[0])))
    g.add((node, DCTERMS.source, SOURCE))
    context = _relevant_context(graph)
    types: dict[object, set[object]] = {}
    for n, cls in context:
        types.setdefault(URIRef(n), set()).add(URIRef(cls))
    assert checker().suspects(list(graph), types) == set()  # type: ignore[arg-type]
    broken = Graph()
    for t in graph:
        broken.add(t)
    broken.remove((node, YHD.theme, None))
    assert checker().suspects(list(broken), types) == {node}  # type: ignore[arg-type]
