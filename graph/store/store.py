"""The embedded store: an on-disk RDF dataset queried with SPARQL 1.1.

Oxigraph (through pyoxigraph) holds the data: a Rust engine on RocksDB that is
persistent, transactional and far faster than rdflib's in-memory SPARQL.
rdflib stays for parsing, shapes and ontology work.

Each source lives in a named graph of its own. The default graph, as queries
see it, is the union of all named graphs. A metadata graph records each
source (path, checksum, triple count, time of ingest).

Writes are all-or-nothing: new content is first loaded into staging graphs,
then one SPARQL Update (one transaction) moves them into place and records
them. A process killed in between leaves only staging graphs, which the next
open removes.

The store's own statements are the files of ``queries/`` beside this module, read and
filled by :mod:`yhdyspinta.graph.store.sparql`: values are bound, never pasted.
"""

from __future__ import annotations

import gzip
import hashlib
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from yhdyspinta.errors import QueryError, StoreError
from yhdyspinta.graph.store.sparql import Term, fill, iri, load_query, variables
from yhdyspinta.ontology.namespaces import GRAPH, META_GRAPH, NAMESPACES

STAGING_PREFIX = f"{GRAPH}staging/"

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {f"{_XSD}{t}" for t in ("integer", "int", "long", "short", "nonNegativeInteger")}
_DECIMAL_TYPES = {f"{_XSD}{t}" for t in ("decimal", "double", "float")}
_DATE_TIME = ox.NamedNode(f"{_XSD}dateTime")
_META = ox.NamedNode(str(META_GRAPH))


@dataclass(frozen=True)
class SourceRecord:
    """One named graph in the store and where it came from."""

    graph: str
    path: str
    sha256: str
    triples: int
    ingested_at: str


@dataclass(frozen=True)
class GraphWrite:
    """New content for one named graph, as N-Triples, with its record.

    ``added`` and ``removed`` count the triples that differ from the graph's
    previous version; they go into the ingest history.
    """

    graph: str
    ntriples: bytes
    record: SourceRecord
    added: int = 0
    removed: int = 0


@dataclass(frozen=True)
class IngestEventRow:
    """One write in the history of the store."""

    at: str
    graph: str
    path: str
    sha256: str
    triples: int
    added: int
    removed: int


def to_python(term: Any) -> Any:
    """An Oxigraph term as a plain Python value (IRIs and blank nodes as strings)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype else None
        try:
            if dt in _INTEGER_TYPES:
                return int(term.value)
            if dt in _DECIMAL_TYPES:
                return float(term.value)
            if dt == f"{_XSD}boolean":
                return term.value in ("true", "1")
        except ValueError:
            return term.value
        return term.value
    return term.value


class Store:
    """The embedded, persistent store (one directory on disk)."""

    def __init__(self, path: Path | None, *, read_only: bool = False) -> None:
        """Open (and create) the store at ``path``; ``None`` keeps it in memory (tests).

        ``read_only`` opens a checkpoint that other processes read at the same
        time (the HTTP server's workers); writes are then refused.
        """
        self.path = path
        self.read_only = read_only
        try:
            if path is None:
                self._ox = ox.Store()
            elif read_only:
                self._ox = ox.Store.read_only(str(path))
                return
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._ox = ox.Store(str(path))
        except OSError as exc:
            hint = ""
            if "lock" in str(exc).lower():
                hint = " Another yhdyspinta process (a server?) has it open; stop it or use its API."
            raise StoreError(f"cannot open the store at {path}: {exc}.{hint}") from exc
        self._drop_staging()

    # -- reading ---------------------------------------------------------

    def query(self, sparql: str, *, union_default: bool = True, bind: Mapping[str, Term] | None = None) -> Any:
        """Run a SPARQL query; the raw Oxigraph result (solutions, boolean or triples).

        ``bind`` gives variables their values (name without ``?`` -> term), as SEP-0007
        substitutes them; Oxigraph wants each in a SELECT's projection.
        """
        try:
            return self._ox.query(
                sparql, use_default_graph_as_union=union_default, prefixes=_prefix_map(),
                substitutions=variables(bind),
            )
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"SPARQL query failed: {exc}") from exc

    def select(self, sparql: str, bind: Mapping[str, Term] | None = None, *,
               offset: int = 0, limit: int | None = None) -> list[dict[str, Any]]:
        """Run a SELECT and return its rows as dicts of plain Python values.

        ``offset`` and ``limit`` page the rows as SPARQL's OFFSET and LIMIT would (those
        cannot be variables of a query).
        """
        result = self.query(sparql, bind=bind)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        names = [v.value for v in result.variables]
        stop = None if limit is None else offset + limit
        return [{n: to_python(sol[n]) for n in names} for sol in islice(result, offset, stop)]

    def ask(self, sparql: str, bind: Mapping[str, Term] | None = None) -> bool:
        result = self.query(sparql, bind=bind)
        return bool(result)

    def __len__(self) -> int:
        """Triples in all source graphs (metadata excluded)."""
        rows = self.select(fill(load_query(__name__, "triple_count"), meta=_META))
        return int(rows[0]["n"])

    def sources(self) -> list[SourceRecord]:
        """The sources in the store, from the metadata graph."""
        rows = self.select(load_query(__name__, "sources"), {"meta": _META})
        return [
            SourceRecord(r["g"], r["path"], r["sha"], int(r["n"]), str(r["at"])) for r in rows
        ]

    def quads(self, graph: str) -> Iterator[ox.Quad]:
        """The quads of one named graph."""
        return self._ox.quads_for_pattern(None, None, None, ox.NamedNode(graph))

    def graph_ntriples(self, graph: str) -> Iterator[tuple[Any, Any, Any]]:
        """The triples of one named graph, as Oxigraph terms."""
        for q in self._ox.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
            yield q.subject, q.predicate, q.object

    def types_of(self, iris: Iterable[str], exclude_graphs: Sequence[str] = ()) -> list[tuple[str, str]]:
        """(node, class) for each given IRI typed in the store outside ``exclude_graphs``.

        Validation needs the classes of the nodes a source refers to (a theme,
        a region) without validating the sources that define them again.
        """
        excluded = [iri(g) for g in (*exclude_graphs, str(META_GRAPH))]
        wanted = [node for node in map(_iri_or_none, sorted(set(iris))) if node is not None]
        found: list[tuple[str, str]] = []
        for start in range(0, len(wanted), 500):
            query = fill(load_query(__name__, "types_of"), nodes=wanted[start:start + 500], excluded=excluded)
            found += [(r["s"], r["t"]) for r in self.select(query)]
        return found

    def dump(self, graph: str | None = None, fmt: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> bytes:
        """The whole dataset (or one graph) serialised."""
        if graph is None:
            return self._ox.dump(format=fmt) or b""
        return self._ox.dump(format=fmt, from_graph=ox.NamedNode(graph)) or b""

    def dump_to(self, path: Path, fmt: ox.RdfFormat = ox.RdfFormat.N_QUADS, *,
                rewrite: Mapping[str, Callable[[Iterable[ox.Quad]], Iterable[ox.Quad]]] | None = None) -> Path:
        """The whole dataset serialised into a file: memory stays flat however large the store is.

        ``rewrite`` maps a graph IRI to a function that changes that graph's quads on the way out
        (the HTTP server hides file paths in the metadata graph this way).
        """
        changed = {ox.NamedNode(g): fn for g, fn in (rewrite or {}).items()}
        with path.open("wb") as out:
            if not changed:
                self._ox.dump(out, format=fmt)
                return path

            def quads() -> Iterator[ox.Quad]:
                for q in self._ox.quads_for_pattern(None, None, None, None):
                    if q.graph_name not in changed:
                        yield q
                for graph, fn in changed.items():
                    yield from fn(self._ox.quads_for_pattern(None, None, None, graph))

            ox.serialize(quads(), out, format=fmt)
        return path

    # -- writing ---------------------------------------------------------

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError("this store is a read-only snapshot; write through the process that owns the store")

    def checkpoint(self, target: Path) -> Path:
        """A consistent copy of the store at ``target`` (hard links on the same file system)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._ox.backup(str(target))
        except OSError as exc:
            raise StoreError(f"cannot take a snapshot of the store into {target}: {exc}") from exc
        return target

    def replace_graphs(self, writes: Sequence[GraphWrite]) -> None:
        """Replace the content of each named graph and its record, all or nothing."""
        self._writable()
        if not writes:
            return
        staged: list[tuple[GraphWrite, str]] = []
        try:
            for w in writes:
                staging = f"{STAGING_PREFIX}{uuid.uuid4().hex}"
                if w.ntriples:
                    self._ox.load(
                        w.ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(staging)
                    )
                staged.append((w, staging))
            ops: list[str] = []
            for w, staging in staged:
                graph = ox.NamedNode(w.graph)
                ops.append(fill(load_query(__name__, "move_graph"), graph=graph, staging=ox.NamedNode(staging)))
                ops.append(fill(load_query(__name__, "delete_record"), graph=graph, meta=_META))
                ops.append(fill(load_query(__name__, "insert_record"), **_record(w.record)))
                ops.append(_insert_event(w.record, w.added, w.removed))
            self._ox.update(" ;\n".join(ops), prefixes=_prefix_map())
        except (OSError, SyntaxError, ValueError) as exc:
            self._drop_staging()
            raise StoreError(f"writing to the store failed, nothing was changed: {exc}") from exc
        self._ox.flush()
        for w in writes:
            self._snapshot(w)

    def remove_graphs(self, graphs: Sequence[str]) -> None:
        """Remove named graphs and their records in one transaction, noting it in the history."""
        self._writable()
        known = {r.graph: r for r in self.sources()}
        ops = []
        for g in graphs:
            if g in known:
                gone = SourceRecord(g, known[g].path, "", 0, now_iso())
                ops.append(_insert_event(gone, 0, known[g].triples))
            ops.append(fill(load_query(__name__, "drop_graph"), graph=iri(g)))
            ops.append(fill(load_query(__name__, "delete_record"), graph=iri(g), meta=_META))
        if ops:
            self._ox.update(" ;\n".join(ops), prefixes=_prefix_map())
            self._ox.flush()

    # -- history ---------------------------------------------------------

    @property
    def history_dir(self) -> Path | None:
        """Where each version of each graph is kept (beside the store), or None in memory."""
        return self.path.parent / "history" if self.path else None

    def _snapshot(self, w: GraphWrite) -> None:
        if self.history_dir is None:
            return
        folder = self.history_dir / hashlib.sha1(w.graph.encode()).hexdigest()[:16]
        folder.mkdir(parents=True, exist_ok=True)
        stamp = w.record.ingested_at.replace(":", "").replace("+", "p")
        with gzip.open(folder / f"{stamp}-{w.record.sha256[:12]}.nt.gz", "wb") as fh:
            fh.write(w.ntriples)

    def versions(self, graph: str) -> list[Path]:
        """The kept versions of a graph, oldest first."""
        if self.history_dir is None:
            return []
        folder = self.history_dir / hashlib.sha1(graph.encode()).hexdigest()[:16]
        return sorted(folder.glob("*.nt.gz")) if folder.is_dir() else []

    def history(self, graph: str | None = None) -> list[IngestEventRow]:
        """Every recorded write (or those of one graph), oldest first."""
        bind: dict[str, Term] = {"meta": _META}
        if graph:
            bind["g"] = iri(graph)
        rows = self.select(load_query(__name__, "history"), bind)
        return [IngestEventRow(str(r["at"]), r["g"], r["path"], r["sha"], r["n"], r["add"], r["del"]) for r in rows]

    def close(self) -> None:
        """Flush and release the store (RocksDB closes when the object goes)."""
        if not self.read_only:
            self._ox.flush()
        del self._ox

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _drop_staging(self) -> None:
        leftovers = [
            g.value for g in self._ox.named_graphs()
            if isinstance(g, ox.NamedNode) and g.value.startswith(STAGING_PREFIX)
        ]
        for g in leftovers:
            self._ox.remove_graph(ox.NamedNode(g))


def _prefix_map() -> dict[str, str]:
    return dict(NAMESPACES)


def _record(r: SourceRecord) -> dict[str, Term]:
    """The slots of a record of ``r`` (insert_record.ru, insert_event.ru)."""
    return {"meta": _META, "graph": ox.NamedNode(r.graph), "path": ox.Literal(r.path),
            "sha256": ox.Literal(r.sha256), "triples": ox.Literal(r.triples),
            "at": ox.Literal(r.ingested_at, datatype=_DATE_TIME)}


def _insert_event(r: SourceRecord, added: int, removed: int) -> str:
    event = ox.NamedNode(f"{GRAPH}event/{uuid.uuid4().hex}")
    return fill(load_query(__name__, "insert_event"), event=event, added=ox.Literal(added),
                removed=ox.Literal(removed), **_record(r))


def now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="microseconds")


def open_store(path: Path) -> Store:
    """Open the store at ``path`` (created on first use)."""
    return Store(path)


def _iri_or_none(value: str) -> ox.NamedNode | None:
    """``value`` as an IRI, or None when it is not one: such a node has no type in any store,
    and the validation that follows names it (an invalid IRI in a source is the source's error)."""
    try:
        return iri(value)
    except QueryError:
        return None
