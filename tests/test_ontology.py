"""The ontology, its vocabularies and shapes: they load, they are complete,
and they accept the bundled data."""

from __future__ import annotations

import re

from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef

from yhdyspinta.graph.store.store import Store
from yhdyspinta.ontology import load_ontology, load_shapes
from yhdyspinta.ontology.files import ONTOLOGY_FILES
from yhdyspinta.ontology.namespaces import SH, YHD

TH = "https://w3id.org/yhdyspinta/theme/"


def _all() -> Graph:
    g = Graph()
    for path in ONTOLOGY_FILES:
        g.parse(path, format="turtle")
    return g


def test_ontology_loads_and_imports_org() -> None:
    g = load_ontology()
    onto = URIRef("https://w3id.org/yhdyspinta/ontology")
    assert (onto, RDF.type, OWL.Ontology) in g
    assert (onto, OWL.imports, URIRef("http://www.w3.org/ns/org#")) in g
    assert (YHD.Forum, RDFS.subClassOf, YHD.CooperationStructure) in g
    assert (URIRef("http://www.w3.org/ns/org#Organization"), RDF.type, OWL.Class) in g
    # ORG's note: our structures are not OrganizationalCollaborations
    assert not any(g.triples((None, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#OrganizationalCollaboration"))))


def test_every_term_has_fi_sv_en_labels() -> None:
    g = _all()
    terms = set(g.subjects(RDF.type, OWL.Class)) | set(g.subjects(RDF.type, OWL.ObjectProperty)) | set(
        g.subjects(RDF.type, OWL.DatatypeProperty)
    )
    assert len(terms) > 100
    for term in terms:
        langs = {o.language for o in g.objects(term, RDFS.label)}
        assert {"fi", "sv", "en"} <= langs, term


def test_every_theme_has_fi_sv_en_labels_and_a_scheme() -> None:
    g = _all()
    themes = set(g.subjects(RDF.type, YHD.Theme))
    assert len(themes) == 28  # 5 national, 2 included in them, 9 priorities and 12 network groups of Päijät-Häme
    for theme in themes:
        labels = list(g.objects(theme, SKOS.prefLabel))
        assert sorted(label.language for label in labels) == ["en", "fi", "sv"], theme
        assert (theme, SKOS.inScheme, None) in g


def _scheme(g: Graph, path: str) -> set[URIRef]:
    return set(g.subjects(SKOS.inScheme, URIRef(TH + path)))


def test_schemes_are_linked_by_mappings() -> None:
    g = _all()
    national, included = _scheme(g, "national"), _scheme(g, "national-included")
    priorities, groups = _scheme(g, "paijat-hame/priority"), _scheme(g, "paijat-hame/group")
    assert (len(national), len(included), len(priorities), len(groups)) == (5, 2, 9, 12)
    assert set(g.objects(URIRef(TH + "national"), SKOS.hasTopConcept)) == national
    maps = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.relatedMatch)
    for group in groups:
        assert any((group, m, None) in g for m in maps), group
    for priority in priorities:
        targets = {o for m in maps for o in g.objects(priority, m)}
        assert targets & (national | included), priority
    for topic in included:
        assert (topic, SKOS.broadMatch, None) in g and set(g.objects(topic, SKOS.broadMatch)) <= national


def test_every_mapping_between_themes_cites_a_seed_line() -> None:
    g = _all()
    maps = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
    themes = set(g.subjects(RDF.type, YHD.Theme)) | set(g.subjects(RDF.type, YHD.FocusTheme))
    mapped = 0
    for theme in themes:
        targets = {o for m in maps for o in g.objects(theme, m) if str(o).startswith(TH)}
        if not targets:
            continue
        mapped += 1
        notes = " ".join(str(o) for p in (RDFS.comment, SKOS.scopeNote) for o in g.objects(theme, p))
        assert re.search(r"\b00[34] l\. \d+", notes), theme
    assert mapped >= 25


def _up(g: Graph, theme: URIRef) -> set[URIRef]:
    """What a structure on ``theme`` covers: itself, the broader themes of its scheme, and across
    schemes exactMatch (both ways) and broadMatch / inverse narrowMatch (upward), transitively."""
    seen, todo = {theme}, [theme]
    while todo:
        t = todo.pop()
        nxt = {*g.objects(t, SKOS.broader), *g.objects(t, SKOS.broadMatch), *g.subjects(SKOS.narrowMatch, t),
               *g.objects(t, SKOS.exactMatch), *g.subjects(SKOS.exactMatch, t)}
        for n in nxt - seen:
            seen.add(n)
            todo.append(n)
    return seen


def test_no_heading_covers_a_sibling_of_its_own_scheme() -> None:
    g = _all()
    for path in ("national", "national-included", "paijat-hame/priority", "paijat-hame/group"):
        members = _scheme(g, path)
        for theme in members:
            below = {t for t in members if theme in set(g.transitive_objects(t, SKOS.broader))}
            assert (_up(g, theme) & members) - below - {theme} == set(), theme


def test_pilot_focus_themes_are_no_interface_themes() -> None:
    g = _all()
    focus = _scheme(g, "pilot-focus")
    assert len(focus) == 5
    assert all((f, RDF.type, YHD.FocusTheme) in g and (f, RDF.type, YHD.Theme) not in g for f in focus)
    assert (URIRef(TH + "pilot-focus"), RDF.type, YHD.ThemeScheme) not in g
    assert not any(str(t).endswith("tiedolla-johtaminen") for t in _scheme(g, "national"))


def test_vocabularies_hold_the_source_texts_in_full() -> None:
    g = _all()
    base = "https://w3id.org/yhdyspinta/"
    sizes = {path: len(set(g.subjects(SKOS.inScheme, URIRef(base + path))))
             for path in ("recommendation", "start-up-recommendation", "building-block", "agreement-scope", "body-kind")}
    assert sizes == {"recommendation": 7, "start-up-recommendation": 6, "building-block": 6, "agreement-scope": 3,
                     "body-kind": 1}
    kind = URIRef(base + "body-kind/vaikuttamistoimielin")
    assert {(o.language, str(o)) for o in g.objects(kind, SKOS.prefLabel)} == {
        ("fi", "Vaikuttamistoimielin"), ("sv", "Påverkansorgan"), ("en", "Influence body")}


def test_yso_links_come_from_the_reference_list() -> None:
    import csv
    from pathlib import Path

    ref = Path(__file__).resolve().parents[1] / "data" / "reference" / "yso_themes.csv"
    g = _all()
    linked = {str(o) for o in g.objects(None, SKOS.closeMatch) if "yso.fi" in str(o)}
    assert len(linked) >= 20
    with ref.open(encoding="utf-8") as fh:
        allowed = {row["yso_uri"] for row in csv.DictReader(fh)}
    assert linked <= allowed
    assert not any("yso.fi" in str(o) for o in g.objects(None, SKOS.exactMatch))


def test_every_target_class_of_the_shapes_is_declared() -> None:
    shapes, g = load_shapes(), _all()
    targets = set(shapes.objects(None, SH.targetClass))
    assert len(targets) >= 20
    for cls in targets:
        assert (cls, RDF.type, OWL.Class) in g or str(cls).startswith("http://www.w3.org/ns/org#"), cls


def test_ontology_classes_used_by_the_data_all_have_shapes(bundled_store: Store) -> None:
    rows = bundled_store.select(
        "SELECT DISTINCT ?c WHERE { ?s a ?c FILTER(STRSTARTS(STR(?c), STR(yhd:))) }"
    )
    used = {URIRef(r["c"]) for r in rows} - {YHD.IngestedSource, YHD.IngestEvent}  # the store's own metadata
    shapes, g = load_shapes(), load_ontology()
    targets = set(shapes.objects(None, SH.targetClass))
    for cls in used:
        supers = {cls, *g.transitive_objects(cls, RDFS.subClassOf)}
        assert supers & targets, f"no shape targets {cls}"


def test_bundled_data_passes_the_shapes(bundled_store: Store) -> None:
    """The bundled store exists only if every bundled source passed validation."""
    sources = bundled_store.sources()
    assert len(sources) >= 10
    assert len(bundled_store) > 5000
