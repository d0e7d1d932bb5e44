"""Writes over HTTP: the stewards' credential, and the way into the store.

Every HTTP write (SPARQL Update, Graph Store PUT/POST/DELETE) ends in
``apply_graphs``, which hands the new content of each named graph to
``ingest.pipeline.write_batch``: the same privacy check, SHACL validation
and single transaction as the CLI ingest, so a rejected write changes
nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import Graph

from yhdyspinta.errors import AuthError, Location, ProtocolError
from yhdyspinta.graph.store.store import STAGING_PREFIX, Store
from yhdyspinta.ontology.namespaces import META_GRAPH
from yhdyspinta.settings import Settings

if TYPE_CHECKING:  # the ingest pipeline (pyshacl and the shapes: ~17 MB) loads at the first write, not at start
    from yhdyspinta.ingest.pipeline import SourceOutcome
    from yhdyspinta.ingest.validate import Parsed


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
    from yhdyspinta.ingest.validate import Parsed

    label = f"<{graph}> ({how})"

    def locate(node: str) -> Location:
        return Location(label, node=node)

    return Parsed(label, rdf, locate)


def apply_graphs(store: Store, contents: Sequence[NewContent], how: str) -> list[SourceOutcome]:
    """Validate and write every graph in one transaction, then drop the removed ones.

    Removed graphs are written empty in the same transaction as the others
    (so the data changes all at once) and their records dropped after it.
    """
    from yhdyspinta.ingest.pipeline import PendingGraph, write_batch

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


def ntriples_graph(ntriples: bytes | None) -> Graph | None:
    """An rdflib graph of N-Triples a worker produced (None stays None: a removed graph)."""
    if ntriples is None:
        return None
    graph = Graph()
    graph.parse(data=ntriples.decode("utf-8"), format="nt")
    return graph


def token_problem(token: str | None) -> str | None:
    """Why a configured write token could never match a request, or None if it is usable.

    A header value is ASCII and loses surrounding spaces on the way, so such a
    token would turn writes on in the service description while refusing every
    write; the server refuses to start with it instead.
    """
    if token is None:
        return None
    if token != token.strip():
        return "YHDYSPINTA_WRITE_TOKEN has spaces around it; no request can send those: remove them"
    if not token.isascii() or not token.isprintable() or " " in token:
        return ("YHDYSPINTA_WRITE_TOKEN must be printable ASCII without spaces (it travels in an HTTP header); "
                "use for example `python -c 'import secrets; print(secrets.token_urlsafe(32))'`")
    return None
