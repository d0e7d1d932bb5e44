"""Content negotiation as a table: Accept header (or ?format=) in, format out."""

from __future__ import annotations

import pytest

from yhdyspinta.api.sparql.negotiation import (
    DATASETS,
    GRAPHS,
    HTML,
    RESULTS,
    TABLES,
    NotAcceptable,
    choose,
    content_type_of,
    parse_accept,
    prefers_html,
)

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"

CASES = [
    # (format param, Accept, tables, default, expected)
    (None, None, (RESULTS,), "json", "json"),
    (None, "", (RESULTS,), "json", "json"),
    (None, "*/*", (RESULTS,), "json", "json"),
    (None, "application/sparql-results+xml", (RESULTS,), "json", "xml"),
    (None, "application/sparql-results+json, */*;q=0.1", (RESULTS,), "xml", "json"),
    (None, "text/csv;q=0.5, text/tab-separated-values", (RESULTS,), "json", "tsv"),
    (None, "application/json", (RESULTS,), "xml", "json"),
    (None, "text/xml", (RESULTS,), "json", "xml"),
    (None, "text/*", (RESULTS,), "json", "csv"),
    (None, "application/sparql-results+json;q=0, */*", (RESULTS,), "json", "xml"),
    (None, "text/turtle", (GRAPHS,), "turtle", "turtle"),
    (None, "application/n-triples", (GRAPHS,), "turtle", "ntriples"),
    (None, "text/plain", (GRAPHS,), "turtle", "ntriples"),
    (None, "application/ld+json", (GRAPHS,), "turtle", "jsonld"),
    (None, "application/json", (GRAPHS,), "turtle", "jsonld"),
    (None, "application/rdf+xml;q=0.9, text/turtle;q=0.8", (GRAPHS,), "turtle", "rdfxml"),
    (None, "APPLICATION/RDF+XML", (GRAPHS,), "turtle", "rdfxml"),
    (None, BROWSER, (GRAPHS, HTML), "turtle", "html"),
    (None, "*/*", (GRAPHS, HTML), "turtle", "turtle"),
    (None, "application/trig", (DATASETS,), "nquads", "trig"),
    (None, "text/csv", (TABLES,), "json", "csv"),
    ("csv", "application/json", (TABLES,), "json", "csv"),
    ("ttl", None, (GRAPHS,), "turtle", "turtle"),
    ("nt", "text/turtle", (GRAPHS,), "turtle", "ntriples"),
    ("json-ld", None, (GRAPHS,), "turtle", "jsonld"),
    ("application/rdf+xml", None, (GRAPHS,), "turtle", "rdfxml"),
    ("srx", None, (RESULTS,), "json", "xml"),
    ("TSV", None, (RESULTS,), "json", "tsv"),
    ("nq", None, (DATASETS,), "nquads", "nquads"),
]


@pytest.mark.parametrize(("fmt", "accept", "tables", "default", "expected"), CASES)
def test_choose(fmt: str | None, accept: str | None, tables: tuple[dict, ...], default: str, expected: str) -> None:
    assert choose(fmt, accept, *tables, default=default) == expected


@pytest.mark.parametrize(("fmt", "accept", "tables"), [
    (None, "image/png", (RESULTS,)),
    (None, "text/turtle", (RESULTS,)),
    (None, "application/sparql-results+json;q=0", (RESULTS,)),
    ("pdf", None, (GRAPHS,)),
    ("csv", None, (GRAPHS,)),
])
def test_not_acceptable(fmt: str | None, accept: str | None, tables: tuple[dict, ...]) -> None:
    with pytest.raises(NotAcceptable) as info:
        choose(fmt, accept, *tables, default=next(iter(tables[0])))
    assert info.value.http_status == 406


def test_parse_accept_orders_by_quality_then_specificity() -> None:
    ranges = parse_accept("text/*;q=0.5, text/turtle, */*;q=0.1, bad, application/ld+json;q=x")
    assert [(r.type, r.subtype, r.q) for r in ranges] == [
        ("text", "turtle", 1.0), ("text", "*", 0.5), ("*", "*", 0.1), ("application", "ld+json", 0.0),
    ]


@pytest.mark.parametrize(("accept", "html"), [
    (BROWSER, True), ("text/html", True), ("*/*", False), (None, False), ("text/turtle", False),
    ("text/turtle, text/html;q=0.5", False), ("application/rdf+xml, text/html", False),
    ("text/html, application/rdf+xml", True),
])
def test_prefers_html(accept: str | None, html: bool) -> None:
    assert prefers_html(accept) is html


def test_content_type_of() -> None:
    assert content_type_of('Application/SPARQL-Query; Charset="UTF-16"') == ("application/sparql-query",
                                                                            {"charset": "UTF-16"})
    assert content_type_of(None) == ("", {})
