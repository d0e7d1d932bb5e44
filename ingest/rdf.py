"""Reading RDF sources (Turtle, N-Triples, JSON-LD, TriG, N-Quads).

Turtle, N-Triples, TriG and N-Quads are parsed by Oxigraph's parsers: strict,
fast, and exact about the line of an error (rdflib's Turtle parser crashes on
some malformed input, as property-based tests found). JSON-LD is parsed by
rdflib, through ingest.jsonld, which never fetches a context. A source lands
in one named graph, so the quads of a TriG or N-Quads file are merged into one
graph. Oxigraph's result is kept compact (ingest.triples.Triples: canonical
N-Triples, which the store loads as they are); JSON-LD's is an rdflib graph.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from yhdyspinta.errors import InputError, Location
from yhdyspinta.ingest.jsonld import parse_jsonld
from yhdyspinta.ingest.triples import SourceData, Triples
from yhdyspinta.ingest.validate import MAX_LITERAL_CHARS

_OXIGRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}


def parse_rdf(path: Path, rdf_format: str) -> SourceData:
    """Parse one RDF file into a graph; syntax errors become InputError with a line.

    A UTF-8 byte order mark at the start (some Windows editors write one) is dropped.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", Location(str(path))) from exc
    data = data.removeprefix(_BOM)
    if rdf_format in _OXIGRAPH_FORMATS:
        return _parse_with_oxigraph(path, data, _OXIGRAPH_FORMATS[rdf_format], rdf_format)
    if rdf_format == "json-ld":
        return parse_jsonld(data, base_iri=path.resolve().as_uri(), where=str(path))
    raise InputError(f"unsupported RDF format {rdf_format}", Location(str(path)))


_BOM = b"\xef\xbb\xbf"


def _parse_with_oxigraph(path: Path, data: bytes, fmt: ox.RdfFormat, name: str) -> Triples:
    """Parse from bytes (not the path) so that a stripped BOM is not seen; the BOM holds no newline,
    so the line numbers of errors stay those of the file."""
    try:
        quads = list(ox.parse(input=data, format=fmt, base_iri=path.resolve().as_uri()))
    except SyntaxError as exc:
        raise InputError(f"{name} syntax error: {exc.msg}", Location(str(path), line=exc.lineno)) from exc
    except MemoryError as exc:  # Oxigraph's cap on one token (16 MiB): a literal far over MAX_LITERAL_CHARS
        raise InputError(
            f"{name} holds a single term or literal too large to read ({exc}); "
            f"literals over {MAX_LITERAL_CHARS:,} characters are refused",
            Location(str(path)),
        ) from exc
    except (OSError, ValueError) as exc:
        raise InputError(f"{name} cannot be read: {exc}", Location(str(path))) from exc
    return Triples(q.triple for q in quads)


class LineIndex:
    """Finds the line where a node is described in a text RDF file.

    SHACL reports name a node; a data steward needs a line. The index looks
    for the node's IRI, in full or with one of the file's prefixes, at the
    start of a statement first.
    """

    _PREFIX = re.compile(r"@prefix\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>", re.IGNORECASE)

    def __init__(self, path: Path) -> None:
        self.path = path

    @cached_property
    def _lines(self) -> list[str]:
        try:
            return self.path.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError):
            return []

    @cached_property
    def _prefixes(self) -> list[tuple[str, str]]:
        found = []
        for line in self._lines:
            for m in self._PREFIX.finditer(line):
                found.append((m.group(1) or "", m.group(2)))
        return found

    def _forms(self, iri: str) -> list[str]:
        forms = [f"<{iri}>", f'"{iri}"']
        for prefix, ns in self._prefixes:
            if ns and iri.startswith(ns) and len(iri) > len(ns):
                forms.append(f"{prefix}:{iri[len(ns):]}")
        return forms

    def line_of(self, node: URIRef | str) -> int | None:
        forms = self._forms(str(node))
        for number, line in enumerate(self._lines, start=1):
            if any(line.lstrip().startswith(f) for f in forms):
                return number
        for number, line in enumerate(self._lines, start=1):
            if any(f in line for f in forms):
                return number
        return None
