"""A parsed source's triples, kept compact.

An rdflib graph costs about a kilobyte a triple; a national batch (a million
triples) held that way outgrows any small server before it is validated. A
source parsed by Oxigraph is kept instead as its canonical N-Triples (about
150 bytes a triple, written by Oxigraph's serialiser, duplicates removed),
which the store loads as it is, and read back as rdflib terms one source at a
time by the checks that need them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from yhdyspinta.errors import InputError

Triple = tuple[Node, Node, Node]
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class Triples:
    """The triples of one source as canonical N-Triples; iterating gives rdflib terms."""

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        unique = list(dict.fromkeys(triples))
        for t in unique:
            if isinstance(t.subject, ox.Triple) or isinstance(t.object, ox.Triple):
                raise InputError(f"RDF-star triple terms are not supported: {t}")
        self.ntriples: bytes = ox.serialize(unique, format=ox.RdfFormat.N_TRIPLES) or b""
        self._count = len(unique)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Triple]:
        for q in ox.parse(self.ntriples, format=ox.RdfFormat.N_TRIPLES):
            yield to_rdflib(q.subject), _iri(q.predicate.value), to_rdflib(q.object)


#: What a Parsed source holds: an rdflib graph (templates, JSON-LD, HTTP writes) or compact triples.
SourceData = Graph | Triples


def ntriples_of(data: SourceData) -> bytes:
    """The source's triples as N-Triples, for the store."""
    if isinstance(data, Triples):
        return data.ntriples
    return data.serialize(format="nt", encoding="utf-8")


@lru_cache(maxsize=1 << 16)
def _iri(value: str) -> URIRef:
    """IRIs repeat (predicates, classes, themes, regions): one object each saves time and memory."""
    return URIRef(value)


def to_rdflib(t: object) -> Node:
    """An Oxigraph term as an rdflib term, directly (an IRI Oxigraph accepts may not re-parse as text)."""
    if isinstance(t, ox.NamedNode):
        return _iri(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        datatype = t.datatype.value
        return Literal(t.value, datatype=None if datatype == _XSD_STRING else _iri(datatype))
    raise InputError(f"RDF-star triple terms are not supported: {t}")
