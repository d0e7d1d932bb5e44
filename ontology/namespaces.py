"""Namespaces and IRI patterns shared by every part of the product."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from yhdyspinta.settings import DEFAULT_BASE_IRI

__all__ = [
    "BASE", "DCTERMS", "FOAF", "GRAPH", "ID", "META_GRAPH", "NAMESPACES", "ORG", "OWL", "PROV", "RDF", "RDFS", "SH",
    "SKOS", "SOURCE", "SPARQL_PREFIXES", "THEME", "XSD", "YHD", "YSH", "municipality_iri", "region_iri",
]

#: Every IRI of the product starts here (the one place it is typed out is ``Settings``' default).
BASE = DEFAULT_BASE_IRI

YHD = Namespace(BASE + "ontology#")
YSH = Namespace(BASE + "shapes#")
ORG = Namespace("http://www.w3.org/ns/org#")
SH = Namespace("http://www.w3.org/ns/shacl#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")

ID = Namespace(BASE + "id/")
THEME = Namespace(BASE + "theme/")
SOURCE = Namespace(BASE + "source/")
GRAPH = Namespace(BASE + "graph/")

#: The graph that records which sources are in the store (not a source itself).
META_GRAPH = GRAPH["meta"]

NAMESPACES: dict[str, str] = {
    "yhd": str(YHD),
    "org": str(ORG),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "sh": str(SH),
    "foaf": str(FOAF),
}

SPARQL_PREFIXES = "\n".join(f"PREFIX {p}: <{iri}>" for p, iri in NAMESPACES.items()) + "\n"


def region_iri(slug: str) -> str:
    """The IRI of the region with this slug."""
    return f"{ID}region/{slug}"


def municipality_iri(code: str) -> str:
    """The IRI of the municipality with this Statistics Finland code."""
    return f"{ID}municipality/{code}"
