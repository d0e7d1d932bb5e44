"""Reading an uploaded graph, in a query worker, by the same parsers as the CLI.

A Graph Store upload is hostile until parsed: an RDF/XML entity bomb, a
deeply nested Turtle collection or a 30 MB N-Triples file must not hold the
server. So the server hands the raw body to a query worker (api/sparql/pool.py),
which parses it here under the worker's time limit, off the network
(api/sparql/sandbox.py), and sends back canonical N-Triples. Turtle, N-Triples,
N3 and RDF/XML go through Oxigraph's parsers (strict, linear, with line and
column in errors); JSON-LD through ``ingest.jsonld``, which never fetches a
context. Everything here is a pure function of the bytes.
"""

from __future__ import annotations

import email.parser
import email.policy
from dataclasses import dataclass

import pyoxigraph as ox

from yhdyspinta.api.sparql.negotiation import content_type_of
from yhdyspinta.errors import InputError, ProtocolError, YhdyspintaError

#: Content-Type of an uploaded graph -> the parser that reads it.
RDF_PARSERS: dict[str, ox.RdfFormat | None] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/n3": ox.RdfFormat.N3,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": None,  # ingest.jsonld
}
_BOM = "\ufeff"


@dataclass(frozen=True)
class ParseJob:
    """An uploaded body to parse in a worker; ``what`` names it in errors."""

    body: bytes
    content_type: str | None
    what: str
    base_iri: str | None = None
    snapshot: str = ""  # parse jobs read no store; the pool fills it in for every job


def check_media_type(content_type: str | None, what: str) -> None:
    """Refuse at once (415) what no parser reads, before a worker is asked."""
    ctype, _params = content_type_of(content_type)
    if ctype != "multipart/form-data" and ctype not in RDF_PARSERS:
        known = ", ".join(sorted(RDF_PARSERS))
        raise ProtocolError(f"cannot read {what} sent as '{ctype or 'no Content-Type'}'; send one of {known}",
                            status=415)


def to_ntriples(job: ParseJob) -> bytes:
    """The upload as N-Triples (a multipart upload: every part, merged); InputError or ProtocolError if bad."""
    ctype, _params = content_type_of(job.content_type)
    if ctype == "multipart/form-data":
        return b"".join(_parts(job))
    return _one(job.body, job.content_type, job.what, job.base_iri)


def _one(body: bytes, content_type: str | None, what: str, base_iri: str | None) -> bytes:
    check_media_type(content_type, what)
    ctype, params = content_type_of(content_type)
    charset = params.get("charset", "utf-8").lower().replace("_", "-")
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(f"{what} must be UTF-8 (got charset={charset})", status=415)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{what} is not valid UTF-8: {exc}") from exc
    text = text.removeprefix(_BOM)
    fmt = RDF_PARSERS[ctype]
    if fmt is None:
        from yhdyspinta.ingest.jsonld import parse_jsonld  # the ingest package: in a worker, at its first JSON-LD

        graph = parse_jsonld(text, base_iri=base_iri, where=what)
        return graph.serialize(format="nt", encoding="utf-8")
    if fmt == ox.RdfFormat.RDF_XML and "<!ENTITY" in text:
        # Oxigraph expands internal entities without a bound: 1 KB of nested ones fills the memory
        raise InputError(f"{what}: RDF/XML with entity declarations (<!ENTITY ...>) is not accepted; "
                         "write the values out")
    try:
        quads = ox.parse(text.encode("utf-8"), format=fmt, base_iri=base_iri, rename_blank_nodes=True)
        return ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads),
                            format=ox.RdfFormat.N_TRIPLES) or b""
    except SyntaxError as exc:
        where = f" (line {exc.lineno})" if exc.lineno else ""
        raise InputError(f"{what} is not valid {ctype}{where}: {exc.msg}") from exc
    except (ValueError, OSError) as exc:
        raise InputError(f"{what} is not valid {ctype}: {exc}") from exc


def _parts(job: ParseJob) -> list[bytes]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {job.content_type}\r\n\r\n".encode() + job.body
    )
    if not message.is_multipart():
        raise ProtocolError(f"{job.what}: the multipart/form-data body has no parts")
    out = []
    for i, part in enumerate(message.iter_parts(), start=1):
        payload = part.get_payload(decode=True)  # bytes for a leaf part
        data = payload if isinstance(payload, bytes) else b""
        ctype = part.get_content_type()
        if ctype == "text/plain" and (part.get_filename() or "").endswith(".ttl"):
            ctype = "text/turtle"
        charset = part.get_content_charset()
        full = f"{ctype}; charset={charset}" if charset else ctype
        out.append(_one(data, full, f"{job.what}, part {i}", job.base_iri))
    return out


def run_parse(job: ParseJob) -> tuple[int, bytes]:
    """In the worker: (200, N-Triples) or (the error's HTTP status, its message)."""
    try:
        return 200, to_ntriples(job)
    except YhdyspintaError as exc:
        return exc.http_status, str(exc).encode("utf-8")


def raise_for(status: int, message: str) -> None:
    """In the server: turn a worker's parse failure back into the error it was."""
    if status == 415:
        raise ProtocolError(message, status=415)
    if status >= 500:
        raise ProtocolError(message, status=status)
    raise InputError(message)
