"""The ontology, its vocabularies and shapes: they load, they are complete,
and they accept the bundled data."""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef
from yhdyspinta.graph.store.store import Store
from yhdyspinta.ontology import load_ontology, load_shapes
from yhdyspinta.ontology.files import ONTOLOGY_FILES
from yhdyspinta.ontology.namespaces import SH, YHD


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
    assert len(themes) == 29
    for theme in themes:
        labels = list(g.objects(theme, SKOS.prefLabel))
        assert sorted(label.language for label in labels) == ["en", "fi", "sv"], theme
        assert (theme, SKOS.inScheme, None) in g


def test_schemes_are_linked_by_mappings() -> None:
    g = _all()
    th = "https://w3id.org/yhdyspinta/theme/"
    national = {t for t in g.subjects(SKOS.inScheme, URIRef(th + "national"))}
    priorities = {t for t in g.subjects(SKOS.inScheme, URIRef(th + "paijat-hame/priority"))}
    groups = {t for t in g.subjects(SKOS.inScheme, URIRef(th + "paijat-hame/group"))}
    assert (len(national), len(priorities), len(groups)) == (8, 9, 12)
    maps = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.relatedMatch)
    for group in groups:
        assert any((group, m, None) in g for m in maps), group
    for priority in priorities:
        targets = {o for m in maps for o in g.objects(priority, m)}
        assert targets & national, priority


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
