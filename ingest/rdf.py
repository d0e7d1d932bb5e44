"""Reading RDF sources (Turtle, N-Triples, JSON-LD, TriG, N-Quads) with rdflib.

A source lands in one named graph, so the quads of a TriG or N-Quads file
are merged into one graph. Syntax errors name the file and line.
"""

from __future__ import annotations

import json
import re
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.exceptions import ParserError
from rdflib.plugins.parsers.notation3 import BadSyntax

from yhdyspinta.errors import InputError, Location

#: Quad syntaxes are parsed by Oxigraph (rdflib's dataset parsers are in deprecation churn).
_QUAD_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}


def parse_rdf(path: Path, rdf_format: str) -> Graph:
    """Parse one RDF file into a graph; syntax errors become InputError with a line."""
    try:
        if rdf_format in _QUAD_FORMATS:
            return _parse_quads(path, _QUAD_FORMATS[rdf_format])
        return Graph().parse(path, format=rdf_format)
    except BadSyntax as exc:
        raise InputError(
            f"{rdf_format} syntax error: {exc.message if hasattr(exc, 'message') else _why(exc)}",
            Location(str(path), line=exc.lines + 1),
        ) from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"JSON-LD is not valid JSON: {exc.msg}", Location(str(path), line=exc.lineno)) from exc
    except ParserError as exc:
        line = _bad_line(path, rdf_format)
        raise InputError(f"{rdf_format} syntax error: {exc}", Location(str(path), line=line)) from exc
    except (ValueError, SyntaxError, TypeError) as exc:
        raise InputError(f"{rdf_format} cannot be read: {exc}", Location(str(path))) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text: {exc}", Location(str(path))) from exc


def _parse_quads(path: Path, fmt: ox.RdfFormat) -> Graph:
    """All quads of a dataset file as one graph (a source is one named graph)."""
    try:
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=path, format=fmt)]
    except SyntaxError as exc:
        raise InputError(f"syntax error: {exc.msg}", Location(str(path), line=exc.lineno)) from exc
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return Graph().parse(data=data.decode("utf-8"), format="nt")


def _why(exc: BadSyntax) -> str:
    return str(exc.args[4]) if len(exc.args) > 4 else str(exc)


def _bad_line(path: Path, rdf_format: str) -> int | None:
    """For line-based syntaxes, find the first line that does not parse on its own."""
    if rdf_format != "nt":
        return None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            Graph().parse(data=line, format="nt")
        except Exception:  # noqa: BLE001 - any failure marks the line we are looking for
            return number
    return None


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
            return self.path.read_text(encoding="utf-8").splitlines()
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
