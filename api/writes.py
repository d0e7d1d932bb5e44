"""Writes over HTTP: the stewards' credential, and the way into the store.

Every HTTP write (SPARQL Update, Graph Store PUT/POST/DELETE) ends in
``apply_graphs``, which hands the new content of each named graph to
``ingest.pipeline.write_batch``: the same privacy check, SHACL validation
and single transaction as the CLI ingest, so a rejected write changes
nothing.
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax import SAXParseException

from rdflib import Graph
from rdflib.exceptions import ParserError
from rdflib.plugins.parsers.notation3 import BadSyntax
from yhdyspinta.api.negotiation import content_type_of
from yhdyspinta.graph.store import STAGING_PREFIX, Store
from yhdyspinta.ingest.pipeline import PendingGraph, SourceOutcome, write_batch
from yhdyspinta.ingest.validate import Parsed
from yhdyspinta.ontology.namespaces import META_GRAPH

from yhdyspinta.errors import AuthError, InputError, Location, ProtocolError
from yhdyspinta.settings import Settings

#: Content-Type of an uploaded graph -> rdflib parser name.
RDF_PARSERS = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "text/n3": "n3",
}


def check_token(settings: Settings, authorization: str | None) -> None:
    """Pass only with ``Authorization: Bearer <YHDYSPINTA_WRITE_TOKEN>``, compared in constant time."""
    if not settings.write_token:
        raise AuthError("writes are turned off on this server: it was started without YHDYSPINTA_WRITE_TOKEN",
                        status=403)
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("writing needs the data stewards' credential: send Authorization: Bearer <token>")
    if not hmac.compare_digest(token.strip().encode(), settings.write_token.encode()):
        raise AuthError("the bearer token is not the data stewards' credential")


def check_writable(graph: str) -> None:
    if graph == str(META_GRAPH) or graph.startswith(STAGING_PREFIX):
        raise ProtocolError(f"<{graph}> is kept by the store itself and cannot be written", status=403)


@dataclass(frozen=True)
class NewContent:
    """The whole new content of one named graph (None: remove the graph)."""

    graph: str
    rdf: Graph | None


def _parsed(graph: str, rdf: Graph, how: str) -> Parsed:
    label = f"<{graph}> ({how})"

    def locate(node: str) -> Location:
        return Location(label, node=node)

    return Parsed(label, rdf, locate)


def apply_graphs(store: Store, contents: Sequence[NewContent], how: str) -> list[SourceOutcome]:
    """Validate and write every graph in one transaction, then drop the removed ones.

    Removed graphs are written empty in the same transaction as the others
    (so the data changes all at once) and their records dropped after it.
    """
    for c in contents:
        check_writable(c.graph)
    batch = []
    for c in contents:
        rdf = c.rdf if c.rdf is not None else Graph()
        data = rdf.serialize(format="nt", encoding="utf-8")
        batch.append(PendingGraph(_parsed(c.graph, rdf, how), c.graph, hashlib.sha256(data).hexdigest(),
                                  f"http:{how}:{c.graph}"))
    outcomes = write_batch(store, batch) if any(c.rdf is not None for c in contents) else []
    gone = [c.graph for c in contents if c.rdf is None]
    if gone:
        store.remove_graphs(gone)
    return outcomes


def parse_rdf(body: bytes, content_type: str | None, *, what: str) -> Graph:
    """An uploaded graph (Turtle, N-Triples, JSON-LD, RDF/XML, N3, or multipart/form-data of those)."""
    ctype, params = content_type_of(content_type)
    if ctype == "multipart/form-data":
        return _parse_multipart(body, content_type or "", what=what)
    fmt = RDF_PARSERS.get(ctype)
    if fmt is None:
        known = ", ".join(sorted(RDF_PARSERS))
        raise ProtocolError(f"cannot read {what} sent as '{ctype or 'no Content-Type'}'; send one of {known}",
                            status=415)
    charset = params.get("charset", "utf-8")
    try:
        text = body.decode(charset)
    except (LookupError, UnicodeDecodeError) as exc:
        raise ProtocolError(f"{what} is not valid {charset}: {exc}") from exc
    graph = Graph()
    try:
        graph.parse(data=text, format=fmt)
    except (BadSyntax, ParserError, json.JSONDecodeError, SAXParseException, ValueError, SyntaxError,
            TypeError) as exc:
        raise InputError(f"{what} is not valid {ctype}: {exc}") from exc
    return graph


def _parse_multipart(body: bytes, content_type: str, *, what: str) -> Graph:
    """Every part of a multipart/form-data upload, merged (the Graph Store Protocol allows it)."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    if not message.is_multipart():
        raise ProtocolError(f"{what}: the multipart/form-data body has no parts")
    merged = Graph()
    for i, part in enumerate(message.iter_parts(), start=1):
        payload = part.get_payload(decode=True) or b""
        ctype = part.get_content_type()
        if ctype == "text/plain" and (part.get_filename() or "").endswith(".ttl"):
            ctype = "text/turtle"
        for triple in parse_rdf(payload, ctype, what=f"{what}, part {i}"):
            merged.add(triple)
    return merged
