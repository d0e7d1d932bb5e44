"""Content negotiation: the MIME tables and the Accept parser, as plain data.

Every HTTP route that can answer in more than one format asks this module,
so the SPARQL endpoint, the Graph Store, the dumps, the entity pages and the
JSON API agree on names, aliases and defaults. ``?format=`` wins over the
Accept header because a person typing a URL cannot set headers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from yhdyspinta.errors import ProtocolError

# -- the tables ------------------------------------------------------------
# key -> (canonical media type, aliases accepted in Accept, file extension)

#: SELECT and ASK results (SPARQL 1.1 Query Results formats).
RESULTS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "json": ("application/sparql-results+json", ("application/json",), "srj"),
    "xml": ("application/sparql-results+xml", ("application/xml", "text/xml"), "srx"),
    "csv": ("text/csv", (), "csv"),
    "tsv": ("text/tab-separated-values", (), "tsv"),
}

#: One RDF graph (CONSTRUCT, DESCRIBE, a named graph, an entity).
GRAPHS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "turtle": ("text/turtle", ("application/x-turtle",), "ttl"),
    "ntriples": ("application/n-triples", ("text/plain",), "nt"),
    "jsonld": ("application/ld+json", ("application/json",), "jsonld"),
    "rdfxml": ("application/rdf+xml", ("application/xml", "text/xml"), "rdf"),
}

#: A whole dataset (every named graph).
DATASETS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "nquads": ("application/n-quads", ("text/x-nquads",), "nq"),
    "trig": ("application/trig", ("application/x-trig",), "trig"),
}

#: Spreadsheets: an XLSX workbook (the analyses, and SELECT answers at the SPARQL endpoint).
SPREADSHEETS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (), "xlsx"),
}

#: Tables from the JSON API (analyses, entity lists).
TABLES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "json": ("application/json", (), "json"),
    "csv": ("text/csv", (), "csv"),
    **SPREADSHEETS,
}

#: Formats that are bytes, not text: their media type has no charset.
BINARY = frozenset(SPREADSHEETS)

HTML: dict[str, tuple[str, tuple[str, ...], str]] = {
    "html": ("text/html", ("application/xhtml+xml",), "html"),
}

#: What people type in ?format= besides the keys above.
FORMAT_ALIASES = {
    "ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "json-ld": "jsonld",
    "rdf": "rdfxml", "rdf/xml": "rdfxml", "owl": "rdfxml", "nq": "nquads", "n-quads": "nquads",
    "srj": "json", "srx": "xml",
}


class NotAcceptable(ProtocolError):
    """No offered format fits the Accept header or ?format= (HTTP 406)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, status=406)


@dataclass(frozen=True, order=True)
class MediaRange:
    """One entry of an Accept header: ``type/subtype;q=0.8``."""

    q: float
    specificity: int
    order: int  # negative position: earlier entries win ties
    type: str
    subtype: str

    def matches(self, media_type: str) -> bool:
        main, _, sub = media_type.partition("/")
        return self.type in ("*", main) and self.subtype in ("*", sub)


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header, best first; malformed entries are skipped."""
    if not header or not header.strip():
        return [MediaRange(1.0, 0, 0, "*", "*")]
    ranges = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        main, slash, sub = fields[0].lower().partition("/")
        if not slash or not main or not sub or (main == "*" and sub != "*"):
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        specificity = (main != "*") + (sub != "*")
        ranges.append(MediaRange(q, specificity, -i, main, sub))
    return sorted(ranges, reverse=True)


def _best_range(ranges: list[MediaRange], media_type: str) -> MediaRange | None:
    """The most specific range that matches (RFC 9110 12.5.1), or None."""
    matching = [r for r in ranges if r.matches(media_type)]
    return max(matching, key=lambda r: (r.specificity, r.q)) if matching else None


def _quality(ranges: list[MediaRange], media_type: str) -> float:
    best = _best_range(ranges, media_type)
    return best.q if best else 0.0


def negotiate(accept: str | None, table: dict[str, tuple[str, tuple[str, ...], str]],
              *, default: str, extra: Sequence[dict[str, tuple[str, tuple[str, ...], str]]] = ()) -> str:
    """The key of the best format for ``accept`` among ``table`` (and ``extra`` tables).

    Higher q wins, then the more specific range, then the client's order,
    then ``default``, then a format's own media type over an alias, then
    the table's order; a bare ``*/*`` (or no header) gives ``default``.
    Raises NotAcceptable when nothing fits.
    """
    ranges = parse_accept(accept)
    tables = [table, *extra]
    best: tuple[float, int, int, bool, bool, int, str] | None = None
    index = 0
    for t in tables:
        for key, (canonical, aliases, _ext) in t.items():
            index += 1
            own = _best_range(ranges, canonical)
            if own is not None and own.q <= 0 and own.specificity == 2:
                continue  # the client refused this format by its own name
            for media in (canonical, *aliases):
                r = _best_range(ranges, media)
                if r is None or r.q <= 0:
                    continue
                score = (r.q, r.specificity, r.order, key == default, media == canonical, -index, key)
                if best is None or score > best:
                    best = score
    if best is None:
        offered = ", ".join(v[0] for t in tables for v in t.values())
        raise NotAcceptable(f"none of the formats offered here fits Accept: {accept}; offered: {offered}")
    return best[6]


def from_format_param(value: str, *tables: dict[str, tuple[str, tuple[str, ...], str]]) -> str:
    """The key for a ``?format=`` value (a key, an alias, an extension or a media type)."""
    text = value.strip().lower()
    text = FORMAT_ALIASES.get(text, text)
    for t in tables:
        if text in t:
            return text
        for key, (canonical, aliases, ext) in t.items():
            if text in (canonical, ext, *aliases):
                return key
    names = sorted({k for t in tables for k in t})
    raise NotAcceptable(f"unknown format '{value}'; choose one of {', '.join(names)}")


def choose(format_param: str | None, accept: str | None,
           *tables: dict[str, tuple[str, tuple[str, ...], str]], default: str) -> str:
    """``?format=`` if given, else the Accept header, over ``tables``."""
    if format_param:
        return from_format_param(format_param, *tables)
    return negotiate(accept, tables[0], default=default, extra=tables[1:])


def media_type(key: str, *tables: dict[str, tuple[str, tuple[str, ...], str]]) -> str:
    """The canonical media type of a key, with ``charset=utf-8`` for text formats."""
    for t in tables:
        if key in t:
            mt = t[key][0]
            return mt if key in BINARY else f"{mt}; charset=utf-8"
    raise KeyError(key)


def content_type_of(header: str | None) -> tuple[str, dict[str, str]]:
    """A Content-Type header as (lower-case media type, parameters)."""
    if not header:
        return "", {}
    fields = [f.strip() for f in header.split(";")]
    params = {}
    for f in fields[1:]:
        name, _, value = f.partition("=")
        params[name.strip().lower()] = value.strip().strip('"')
    return fields[0].lower(), params


def prefers_html(accept: str | None) -> bool:
    """True when a browser asks: text/html ranks above every RDF format (``*/*`` alone gives RDF)."""
    try:
        return negotiate(accept, HTML, default="turtle", extra=[GRAPHS]) == "html"
    except NotAcceptable:
        return False
