"""A remote SPARQL 1.1 store that reads and writes like the embedded one.

:class:`RemoteStore` has the parts of :class:`~yhdyspinta.graph.store.store.Store` that the
analyses (``select``) and the ingest pipeline (``sources``, ``types_of``, ``dump``,
``replace_graphs``, ``len``) use, answered over HTTP by :mod:`.remote_client`, with the same
statement files (``queries/*.rq``, ``*.ru``) as the embedded store.

**Dataset.** The queries read the default graph as the union of the named graphs, as the
embedded store does: the remote store must be configured so (Oxigraph server
``--union-default-graph``; Fuseki TDB2 ``tdb2:unionDefaultGraph true``). :meth:`check_union`
tells when it is not. Each source is a named graph, the records and the history of writes are
in the metadata graph, exactly as in the embedded store.

**Writes**, all or nothing as far as the protocol allows (docs/scale.md says what each way
guarantees):

- with an update endpoint: each graph is first written into a staging graph (PUT through the
  Graph Store Protocol when there is one, else ``INSERT DATA``), then *one* SPARQL Update moves
  them into place and writes the records and the history (the same statements as the
  embedded store). A store runs one update request as one transaction (SPARQL 1.1 Update says
  it SHOULD; Oxigraph and Fuseki TDB2 do), so either every graph is replaced or none. A failure
  before the move drops the staging graphs.
- with only a Graph Store endpoint: each graph (then the metadata graph) is PUT in turn, after
  the previous versions were read; on a failure the ones already written are PUT back (or
  deleted when they were new). A reader may see a half-written batch for that long, and a
  store that dies in between keeps it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

import pyoxigraph as ox

from yhdyspinta.errors import QueryError, RemoteStoreError
from yhdyspinta.graph.store.remote_client import Endpoints, SparqlClient, public_url, python_value, substitute
from yhdyspinta.graph.store.sparql import Term, fill, iri, load_query, with_triples
from yhdyspinta.graph.store.store import (
    STAGING_PREFIX,
    GraphWrite,
    IngestEventRow,
    SourceRecord,
    event_statement,
    record_slots,
)
from yhdyspinta.ontology.namespaces import META_GRAPH, NAMESPACES, SPARQL_PREFIXES
from yhdyspinta.settings import Settings

__all__ = ["RemoteStore", "WriteTarget"]

_META = ox.NamedNode(str(META_GRAPH))
_DATE_TIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
#: triples per INSERT DATA request when a graph is staged without a Graph Store endpoint
_INSERT_CHUNK = 20_000


class WriteTarget(Protocol):
    """Where the ingest pipeline writes: the embedded :class:`~yhdyspinta.graph.store.store.Store`
    or a :class:`RemoteStore` (``ingest --target sparql``); it validates the same either way."""

    def sources(self) -> list[SourceRecord]: ...

    def types_of(self, iris: Iterable[str], exclude_graphs: Sequence[str] = ()) -> list[tuple[str, str]]: ...

    def dump(self, graph: str, fmt: ox.RdfFormat = ...) -> bytes: ...

    def replace_graphs(self, writes: Sequence[GraphWrite]) -> None: ...

    def __len__(self) -> int: ...


class RemoteStore:
    """The store at the endpoints of ``YHDYSPINTA_SPARQL_*``; close it (or use ``with``) when done."""

    def __init__(self, endpoints: Endpoints) -> None:
        self.endpoints = endpoints
        self.client = SparqlClient(endpoints)

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteStore:
        return cls(Endpoints.from_settings(settings))

    @property
    def url(self) -> str:
        """The query endpoint, without credentials (for messages)."""
        return public_url(self.endpoints.query)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ---------------------------------------------------------

    def select(self, sparql: str, bind: Mapping[str, Term] | None = None) -> list[dict[str, Any]]:
        """Run a SELECT of ours (values bound as terms) and return its rows as the embedded store does."""
        names, rows = self.client.select(substitute(sparql, bind))
        return [{n: python_value(row.get(n)) for n in names} for row in rows]

    def ask(self, sparql: str, bind: Mapping[str, Term] | None = None) -> bool:
        return self.client.ask(substitute(sparql, bind))

    def check_union(self) -> None:
        """RemoteStoreError unless the store reads its default graph as the union of the named graphs.

        Asked only when the store holds some named graph: an empty store cannot tell.
        """
        has_named = self.ask("ASK { GRAPH ?g { ?s ?p ?o } }")
        if has_named and not self.ask("ASK { GRAPH ?g { ?s ?p ?o } FILTER EXISTS { ?s ?p ?o } }"):
            raise RemoteStoreError(
                f"the SPARQL store at {self.url} does not read its default graph as the union of its "
                "named graphs; configure it so (Oxigraph server: --union-default-graph; "
                "Fuseki TDB2: tdb2:unionDefaultGraph true), see docs/scale.md"
            )

    def __len__(self) -> int:
        """Triples in all source graphs (metadata excluded)."""
        rows = self.select(fill(load_query(__name__, "triple_count"), meta=_META))
        return int(rows[0]["n"])

    def sources(self) -> list[SourceRecord]:
        rows = self.select(load_query(__name__, "sources"), {"meta": _META})
        return [SourceRecord(r["g"], r["path"], r["sha"], int(r["n"]), str(r["at"])) for r in rows]

    def history(self, graph: str | None = None) -> list[IngestEventRow]:
        """Every recorded write (or those of one graph), oldest first."""
        bind: dict[str, Term] = {"meta": _META}
        if graph:
            bind["g"] = iri(graph)
        rows = self.select(load_query(__name__, "history"), bind)
        return [IngestEventRow(str(r["at"]), r["g"], r["path"], r["sha"], r["n"], r["add"], r["del"]) for r in rows]

    def types_of(self, iris: Iterable[str], exclude_graphs: Sequence[str] = ()) -> list[tuple[str, str]]:
        """(node, class) for each given IRI typed in the store outside ``exclude_graphs``."""
        excluded = [iri(g) for g in (*exclude_graphs, str(META_GRAPH))]
        wanted = [node for node in map(_iri_or_none, sorted(set(iris))) if node is not None]
        found: list[tuple[str, str]] = []
        for start in range(0, len(wanted), 500):
            query = fill(load_query(__name__, "types_of"), nodes=wanted[start:start + 500], excluded=excluded)
            found += [(r["s"], r["t"]) for r in self.select(query)]
        return found

    def dump(self, graph: str, fmt: ox.RdfFormat = ox.RdfFormat.N_TRIPLES) -> bytes:
        """One named graph as N-Triples (the only format asked of a remote store)."""
        if fmt != ox.RdfFormat.N_TRIPLES:
            raise ValueError("a remote store dumps N-Triples only")
        if self.client.has_gsp:
            return self.client.get_graph(graph) or b""
        return self.client.construct(fill(load_query(__name__, "graph_triples"), graph=iri(graph)))

    # -- writing ---------------------------------------------------------

    def replace_graphs(self, writes: Sequence[GraphWrite]) -> None:
        """Replace each named graph and its record, and note it in the history; see the module."""
        if not writes:
            return
        if self.endpoints.update:
            self._replace_by_update(writes)
        else:
            self._replace_by_put(writes)

    def _replace_by_update(self, writes: Sequence[GraphWrite]) -> None:
        staged: list[tuple[GraphWrite, str]] = []
        try:
            for w in writes:
                staging = f"{STAGING_PREFIX}{uuid.uuid4().hex}"
                staged.append((w, staging))
                self._stage(staging, w.ntriples)
            ops: list[str] = []
            for w, staging in staged:
                graph = ox.NamedNode(w.graph)
                ops.append(fill(load_query(__name__, "replace_graph_portable"), graph=graph,
                                staging=ox.NamedNode(staging)))
                ops.append(fill(load_query(__name__, "delete_record"), graph=graph, meta=_META))
                ops.append(fill(load_query(__name__, "insert_record"), **record_slots(w.record)))
                ops.append(event_statement(w.record, w.added, w.removed))
            self.client.update(SPARQL_PREFIXES + " ;\n".join(ops))
        except RemoteStoreError as exc:
            self._drop_quietly([s for _w, s in staged])
            raise type(exc)(f"{exc}; nothing was changed in the remote store") from exc

    def _stage(self, staging: str, ntriples: bytes) -> None:
        """``ntriples`` into the (new) graph ``staging``: a PUT, else INSERT DATA in chunks."""
        if self.client.has_gsp:
            self.client.put_graph(staging, ntriples)
            return
        # parsed, so each line written below is exactly one triple of terms (nothing else reaches the update)
        triples = [q.triple for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)]
        template = fill(load_query(__name__, "insert_data"), graph=ox.NamedNode(staging))
        for start in range(0, len(triples), _INSERT_CHUNK):
            self.client.update(with_triples(template, triples[start:start + _INSERT_CHUNK]))

    def _drop_quietly(self, graphs: Sequence[str]) -> None:
        """Remove staging graphs after a failed write; a second failure is left for :meth:`drop_staging`."""
        for graph in graphs:
            try:
                if self.client.has_gsp:
                    self.client.delete_graph(graph)
                else:
                    self.client.update(fill(load_query(__name__, "drop_graph"), graph=ox.NamedNode(graph)))
            except RemoteStoreError:
                return

    def drop_staging(self) -> list[str]:
        """Remove staging graphs left by a write that was cut off; the ones removed."""
        query = fill(load_query(__name__, "staging_graphs"), prefix=ox.Literal(STAGING_PREFIX))
        left = [str(r["g"]) for r in self.select(query)]
        self._drop_quietly(left)
        return left

    def _replace_by_put(self, writes: Sequence[GraphWrite]) -> None:
        """PUT each graph and then the metadata graph; on a failure, PUT back what was there."""
        graphs = [w.graph for w in writes] + [str(META_GRAPH)]
        previous = {g: self.client.get_graph(g) for g in graphs}
        meta = ox.Store()  # the metadata graph, changed by the embedded store's own statements
        if previous[str(META_GRAPH)]:
            meta.load(previous[str(META_GRAPH)], format=ox.RdfFormat.N_TRIPLES, to_graph=_META)
        prefixes = dict(NAMESPACES)
        for w in writes:
            meta.update(fill(load_query(__name__, "delete_record"), graph=ox.NamedNode(w.graph), meta=_META))
            meta.update(fill(load_query(__name__, "insert_record"), **record_slots(w.record)), prefixes=prefixes)
            meta.update(event_statement(w.record, w.added, w.removed), prefixes=prefixes)
        new_meta = meta.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=_META) or b""
        done: list[str] = []
        try:
            for w in writes:
                done.append(w.graph)
                self.client.put_graph(w.graph, w.ntriples)
            done.append(str(META_GRAPH))
            self.client.put_graph(str(META_GRAPH), new_meta)
        except RemoteStoreError as exc:
            undone = self._put_back(done, previous)
            state = ("the graphs written were put back as they were" if undone else
                     "putting the old versions back failed too: run the ingest again")
            raise type(exc)(f"{exc}; {state}") from exc

    def _put_back(self, graphs: Sequence[str], previous: Mapping[str, bytes | None]) -> bool:
        try:
            for graph in graphs:
                old = previous.get(graph)
                if old is None:
                    self.client.delete_graph(graph)
                else:
                    self.client.put_graph(graph, old)
        except RemoteStoreError:
            return False
        return True




def _iri_or_none(value: str) -> ox.NamedNode | None:
    try:
        return iri(value)
    except QueryError:
        return None

