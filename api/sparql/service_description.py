"""The SPARQL 1.1 Service Description of the endpoint (answered on GET /sparql without a query)."""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from yhdyspinta.api.render.public_paths import public_source
from yhdyspinta.graph.store.store import SourceRecord

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
VOID = Namespace("http://rdfs.org/ns/void#")

_RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                   "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def service_description(endpoint: str, sources: Sequence[SourceRecord], *, writable: bool,
                        default_graph: str) -> Graph:
    """What the endpoint offers: languages, formats, features, and the dataset's graphs.

    Each graph's ``dcterms:source`` is its public name (api/render/public_paths.py), never a server path.
    """
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    service = URIRef(endpoint)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, DCTERMS.title, Literal("yhdyspinta SPARQL endpoint", lang="en")))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if writable:
        g.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    for f in _RESULT_FORMATS:
        g.add((service, SD.resultFormat, FORMATS[f]))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    g.add((service, SD.defaultEntailmentRegime, URIRef("http://www.w3.org/ns/entailment/Simple")))
    dataset = BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, DCTERMS.description, Literal(
        f"The union of all named graphs. Writes without a GRAPH land in <{default_graph}>.", lang="en")))
    total = 0
    for s in sources:
        named, inner = BNode(), BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(s.graph)))
        g.add((named, SD.graph, inner))
        g.add((inner, RDF.type, SD.Graph))
        g.add((inner, VOID.triples, Literal(s.triples, datatype=XSD.integer)))
        g.add((inner, DCTERMS.source, Literal(public_source(s.path, s.graph))))
        total += s.triples
    g.add((default, VOID.triples, Literal(total, datatype=XSD.integer)))
    return g
