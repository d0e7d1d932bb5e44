"""What a query worker does: evaluate one SPARQL query or update on a snapshot.

This code runs in a worker process (see api/sparql/pool.py), never in the
server process, so that a query past its time limit can be stopped by
killing the process. Jobs and answers are small frozen dataclasses that
cross the process boundary by pickling.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from yhdyspinta.api.sparql.negotiation import GRAPHS, RESULTS, NotAcceptable, choose, media_type
from yhdyspinta.api.sparql.results import (
    cap_note,
    mark_truncated,
    native_solutions,
    row_capped,
    write_boolean,
    write_native,
    write_solutions,
    write_solutions_native,
)
from yhdyspinta.api.sparql.text import query_has_dataset
from yhdyspinta.ontology.namespaces import NAMESPACES

if TYPE_CHECKING:  # the worker imports uploads (and with it the ingest package) at its first upload only
    from yhdyspinta.api.sparql.guard import Kind
    from yhdyspinta.api.sparql.uploads import ParseJob

_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
_BOOLEAN_FORMATS = {k: v for k, v in RESULTS.items() if k in ("json", "xml")}
TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class QueryJob:
    """A read-only SPARQL query with the protocol's dataset and the client's format wishes."""

    query: str
    accept: str | None = None
    format: str | None = None
    default_graphs: tuple[str, ...] | None = None  # None: the union of all graphs
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None
    limit: int | None = None
    snapshot: str = ""


@dataclass(frozen=True)
class UpdateJob:
    """A SPARQL Update to apply to ``scratch``, a private read-write copy of the snapshot."""

    update: str
    scratch: str
    default_graph: str  # the named graph that holds what SPARQL calls the default graph
    base_iri: str | None = None
    protected: tuple[str, ...] = ()  # graphs kept by the store: hidden from the update, never written
    snapshot: str = ""


@dataclass(frozen=True)
class GraphChange:
    """The new content of a named graph after an update (None: the graph is gone)."""

    graph: str
    ntriples: bytes | None


@dataclass(frozen=True)
class Answer:
    """What the worker sends back: an HTTP status, a body, and for updates the changed graphs.

    A large body crosses the pipe in pieces after the answer (api/sparql/pool.py); past the answer
    cache's largest entry the server hands it on as it comes (``stream``, ``body`` then empty).
    """

    status: int
    body: bytes = b""
    media_type: str = TEXT
    headers: tuple[tuple[str, str], ...] = ()
    changes: tuple[GraphChange, ...] = field(default_factory=tuple)
    #: the body follows in pieces of at most :data:`CHUNK` bytes, then an empty piece (the pipe's protocol)
    streamed: bool = False
    #: in the worker only, never sent: writes the body to a file-like object, in place of ``body``
    later: Callable[[Any], None] | None = field(default=None, compare=False, repr=False)
    #: in the server only: the rest of a large body as it comes (api/sparql/pool.py ``AnswerStream``)
    stream: Any = field(default=None, compare=False, repr=False)
    #: from the worker: how long the job took there, until its whole answer was ready (0: not measured)
    seconds: float = 0.0


#: the largest piece of a body sent through the pipe at once: a bigger body goes in pieces, unpickled
CHUNK = 1 << 20


def _error(status: int, message: str) -> Answer:
    return Answer(status, (message.rstrip() + "\n").encode("utf-8"))


#: Texts up to this size have their guard verdict remembered (a client repeats its queries).
_VERDICT_TEXT = 16_384


@lru_cache(maxsize=512)
def _remembered_refusal(text: str, kind: Kind) -> str | None:
    return _verdict(text, kind)


def _refusal(text: str, kind: Kind) -> str | None:
    """The guard's verdict; rdflib's parse costs about 2 ms, so a short text's verdict is kept."""
    return _remembered_refusal(text, kind) if len(text) <= _VERDICT_TEXT else _verdict(text, kind)


def _verdict(text: str, kind: Kind) -> str | None:
    # imported here: the guard is rdflib's SPARQL grammar (7 MB), wanted in the workers, not in the server
    from yhdyspinta.api.sparql.guard import refusal

    return refusal(text, kind)


@lru_cache(maxsize=512)
def _remembered_reading(text: str, limit: int | None) -> tuple[bool, str | None]:
    return query_has_dataset(text), row_capped(text, limit) if limit is not None else None


def _reading(text: str, limit: int | None) -> tuple[bool, str | None]:
    """Whether the query names its dataset, and the query made to stop at the cap (results.py): two scans
    of the text (about 50 us for a short query, a third of a small query's work), kept for short texts."""
    if len(text) <= _VERDICT_TEXT:
        return _remembered_reading(text, limit)
    return query_has_dataset(text), row_capped(text, limit) if limit is not None else None


def run_query(store: ox.Store, job: QueryJob, *, deferred: bool = False) -> Answer:
    """Evaluate the query and serialise the result in the negotiated format, capped.

    ``deferred``: a JSON or XML answer written by Oxigraph may come with ``later`` (the body's
    writer, run as the body is sent: api/sparql/pool.py) instead of ``body``.
    """
    if (why := _refusal(job.query, "query")) is not None:
        return _error(400, why)
    return evaluate(store, job, deferred=deferred)


def evaluate(store: ox.Store, job: QueryJob, *, deferred: bool = False) -> Answer:
    """:func:`run_query` without the guard: for a query the guard has already let through (api/sparql/quick.py)."""
    options: dict[str, object] = {"base_iri": job.base_iri, "prefixes": NAMESPACES}
    has_dataset, capped = _reading(job.query, job.limit)
    try:
        if job.default_graphs is not None or job.named_graphs is not None:
            options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
            options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
        elif not has_dataset:
            options["use_default_graph_as_union"] = True
    except ValueError as exc:
        return _error(400, f"a graph IRI in default-graph-uri or named-graph-uri is not valid: {exc}")
    try:
        if capped is not None:
            try:
                result = store.query(capped, **options)  # type: ignore[arg-type]
            except SyntaxError:  # the rewrite misread the text: evaluate it as sent, for its own error
                capped, result = None, store.query(job.query, **options)  # type: ignore[arg-type]
        else:
            result = store.query(job.query, **options)  # type: ignore[arg-type]
        return _serialise(result, job, native=capped is not None, deferred=deferred)
    except SyntaxError as exc:
        return _error(400, f"SPARQL syntax error: {exc}")
    except NotAcceptable as exc:
        return _error(406, str(exc))
    except (ValueError, RuntimeError) as exc:
        return _error(400, f"the query could not be evaluated: {exc}")
    except OSError as exc:
        return _error(500, f"reading the store failed: {exc}")


def _serialise(result: object, job: QueryJob, *, native: bool = False, deferred: bool = False) -> Answer:
    """The result in the negotiated format; ``native``: the query was rewritten to stop at the cap + 1 rows,
    so Oxigraph's own writers may write it (JSON, XML); CSV and TSV keep ours, which guard spreadsheets."""
    headers: list[tuple[str, str]] = []
    if isinstance(result, ox.QuerySolutions):
        key = choose(job.format, job.accept, RESULTS, default="json")
        if native and key in ("json", "xml") and deferred:
            parsed, truncated = native_solutions(result, job.limit)
            if truncated:
                headers.append(("X-SPARQL-MaxRows", str(job.limit)))
            limit = job.limit

            def later(out: Any) -> None:
                if not truncated:
                    write_native(parsed, key, out)
                    return
                marked = _Marked(out, key, limit)
                write_native(parsed, key, marked)
                marked.finish()

            return Answer(200, b"", media_type(key, RESULTS), tuple(headers), later=later)
        if native and key in ("json", "xml"):
            body, truncated = write_solutions_native(result, key, job.limit)
        else:
            body, truncated = write_solutions(result, key, job.limit)
        if truncated:
            headers.append(("X-SPARQL-MaxRows", str(job.limit)))
            body = mark_truncated(body, key, job.limit)
        return Answer(200, body, media_type(key, RESULTS), tuple(headers))
    if isinstance(result, ox.QueryBoolean):
        key = choose(job.format, job.accept, _BOOLEAN_FORMATS, default="json")
        return Answer(200, write_boolean(bool(result), key), media_type(key, RESULTS))
    if isinstance(result, ox.QueryTriples):
        key = choose(job.format, job.accept, GRAPHS, default="turtle")
        triples = []
        for i, triple in enumerate(result):
            if job.limit is not None and i >= job.limit:
                headers.append(("X-SPARQL-MaxRows", str(job.limit)))
                break
            triples.append(triple)
        prefixes = NAMESPACES if key in ("turtle", "rdfxml") else None
        body = ox.serialize(triples, format=_RDF_FORMATS[key], prefixes=prefixes) or b""
        if headers:
            body = cap_note(body, key, job.limit)
        return Answer(200, body, media_type(key, GRAPHS), tuple(headers))
    raise TypeError(f"unexpected query result {type(result).__name__}")


class _Marked:
    """A writer that marks a cut answer (results.py ``mark_truncated``) in its opening: the first
    bytes are held until the opening is surely in them, then marked and passed on."""

    _OPENING = 512

    def __init__(self, out: Any, fmt: str, limit: int | None) -> None:
        self.out, self.fmt, self.limit = out, fmt, limit
        self.head: bytearray | None = bytearray()

    def write(self, data: bytes) -> int:
        if self.head is None:
            self.out.write(data)
        else:
            self.head += data
            if len(self.head) >= self._OPENING:
                self.finish()
        return len(data)

    def flush(self) -> None:
        pass

    def finish(self) -> None:
        if self.head is not None:
            head, self.head = bytes(self.head), None
            self.out.write(mark_truncated(head, self.fmt, self.limit))


def run_upload(job: ParseJob) -> Answer:
    """Parse an uploaded graph (api/sparql/uploads.py); the body of the answer is N-Triples or the error."""
    from yhdyspinta.api.sparql.uploads import run_parse

    status, body = run_parse(job)
    return Answer(status, body, "application/n-triples" if status == 200 else TEXT)


def run_update(snapshot: ox.Store, job: UpdateJob) -> Answer:
    """Apply the update to the scratch copy and report every named graph it changed.

    The stored default graph is a named graph (``job.default_graph``): it is
    moved into the copy's default graph for the update and back after it.
    A graph counts as changed when its N-Triples differ from the snapshot's;
    the copy shares the snapshot's blank node labels, so equal graphs dump
    to equal bytes.
    """
    if (why := _refusal(job.update, "update")) is not None:
        return _error(400, why)
    copy = ox.Store(job.scratch)
    default = f"<{job.default_graph}>"
    try:
        for g in job.protected:
            copy.remove_graph(ox.NamedNode(g))
        copy.update(f"MOVE SILENT GRAPH {default} TO DEFAULT")
        copy.update(job.update, base_iri=job.base_iri, prefixes=NAMESPACES)
        copy.update(f"MOVE SILENT DEFAULT TO GRAPH {default}")
    except SyntaxError as exc:
        return _error(400, f"SPARQL Update syntax error: {exc}")
    except (ValueError, RuntimeError) as exc:
        return _error(400, f"the update could not be applied: {exc}")
    except OSError as exc:
        return _error(400, f"the update could not be applied: {exc}")
    for g in job.protected:
        if next(iter(copy.quads_for_pattern(None, None, None, ox.NamedNode(g))), None) is not None:
            return _error(403, f"the update writes into <{g}>, which the store keeps itself; nothing was changed")
    graphs = {g.value for g in copy.named_graphs() if isinstance(g, ox.NamedNode)}
    graphs |= {g.value for g in snapshot.named_graphs() if isinstance(g, ox.NamedNode)}
    changes = []
    for g in sorted(graphs - set(job.protected)):
        node = ox.NamedNode(g)
        before = snapshot.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=node) or b""
        after = copy.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=node) or b""
        if before != after:
            changes.append(GraphChange(g, after or None))
    del copy
    return Answer(200, changes=tuple(changes))
