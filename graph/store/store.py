"""The embedded store: an on-disk RDF dataset queried with SPARQL 1.1.

Oxigraph (through pyoxigraph) holds the data: a Rust engine on RocksDB that is
persistent, transactional and far faster than rdflib's in-memory SPARQL.
rdflib stays for parsing, shapes and ontology work.

Each source lives in a named graph of its own. The default graph, as queries
see it, is the union of all named graphs. A metadata graph records each
source (path, checksum, triple count, time of ingest).

Writes are all-or-nothing without copying a graph: a write first notes the
graphs it creates in a pending mark (a small staging graph, one transaction),
bulk-loads each new graph straight into its final place (no transaction, no
log: the bulk loader writes table files), then one SPARQL Update (one
transaction) applies the difference to each graph it replaces, records every
graph and drops the mark. A process killed before that update leaves the mark,
and the next open removes the graphs it names; a replaced graph changes only in
that update, so it holds its old or its new version, never part of one.

The store's own statements are the files of ``queries/`` beside this module, read and
filled by :mod:`yhdyspinta.graph.store.sparql`: values are bound, never pasted.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import json
import os
import shutil
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from yhdyspinta.errors import QueryError, StoreBusyError, StoreError
from yhdyspinta.graph.store.sparql import Term, fill, iri, load_query, variables, with_triples
from yhdyspinta.launcher.process import alive
from yhdyspinta.ontology.namespaces import GRAPH, META_GRAPH, NAMESPACES

STAGING_PREFIX = f"{GRAPH}staging/"

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {f"{_XSD}{t}" for t in ("integer", "int", "long", "short", "nonNegativeInteger")}
_DECIMAL_TYPES = {f"{_XSD}{t}" for t in ("decimal", "double", "float")}
_DATE_TIME = ox.NamedNode(f"{_XSD}dateTime")
_META = ox.NamedNode(str(META_GRAPH))
#: In a pending mark: a graph a write creates (removed on open if the write never finished).
_PENDING = ox.NamedNode(f"{STAGING_PREFIX}creates")


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
        time (the HTTP server's workers); writes are then refused. A store that
        another process holds for writing raises :class:`StoreBusyError` naming it.
        """
        self.path = path
        self.read_only = read_only
        #: a private copy this object reads and deletes on close (see :func:`open_store`)
        self.discard_on_close: Path | None = None
        #: the store this is a snapshot of, when it was opened from the holder's snapshot
        self.snapshot_of: Path | None = None
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
            if path is not None and not read_only and "lock" in str(exc).lower():
                raise busy_error(path) from exc
            raise StoreError(f"cannot open the store at {path}: {exc}") from exc
        if path is not None:
            _write_json(holder_file(path), {"pid": os.getpid(), "command": _command_line()})
        self._drop_staging()

    def announce(self, **facts: object) -> None:
        """Add to what a process refused by the lock is told about this holder (e.g. the server's ``url``)."""
        if self.path is None or self.read_only:
            return
        info = read_holder(self.path) or {"pid": os.getpid(), "command": _command_line()}
        _write_json(holder_file(self.path), {**info, **facts})

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

    def version(self) -> str:
        """A digest of the source records: every write replaces the records of the graphs it
        writes and a removal drops theirs, so it changes on every write made through this class
        (ingest, the server, the Python API) and on no read. What is derived from the store and
        kept beside it is keyed by it (graph/backends/embedded/derived.py)."""
        digest = hashlib.sha256()
        for r in self.sources():
            digest.update(f"{r.graph}\0{r.sha256}\0{r.triples}\0{r.ingested_at}\n".encode())
        return digest.hexdigest()[:32]

    @property
    def derived_dir(self) -> Path | None:
        """Where rows derived from the store are kept (beside the store; a reader's private snapshot
        copy uses its original's), or None in memory."""
        base = self.snapshot_of or self.path
        return base.parent / "derived" if base is not None else None

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
        known = {r.graph for r in self.sources()}
        created = [w for w in writes if w.graph not in known]
        mark = ox.NamedNode(f"{STAGING_PREFIX}pending-{uuid.uuid4().hex}")
        try:
            ops: list[str] = []
            for w in writes:
                if w.graph in known:
                    ops += self._difference(w)
            if created:
                self._ox.extend([ox.Quad(ox.NamedNode(w.graph), _PENDING, ox.NamedNode(w.graph), mark)
                                 for w in created])
                for w in created:
                    graph = ox.NamedNode(w.graph)
                    self._ox.clear_graph(graph)  # whatever a raw write left there without a record
                    if w.ntriples:
                        self._ox.bulk_load(w.ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
            for w in writes:
                graph = ox.NamedNode(w.graph)
                ops.append(fill(load_query(__name__, "delete_record"), graph=graph, meta=_META))
                ops.append(fill(load_query(__name__, "insert_record"), **record_slots(w.record)))
                ops.append(event_statement(w.record, w.added, w.removed))
            ops.append(fill(load_query(__name__, "drop_graph"), graph=mark))
            self._ox.update(" ;\n".join(ops), prefixes=_prefix_map())
        except (OSError, SyntaxError, ValueError) as exc:
            self._drop_staging()
            raise StoreError(f"writing to the store failed, nothing was changed: {exc}") from exc
        self._ox.flush()
        for w in writes:
            self._snapshot(w)

    def _difference(self, w: GraphWrite) -> list[str]:
        """The statements that turn the stored graph into ``w``'s content: only what differs is written,
        so the transaction grows with the change, not with the graph."""
        graph = ox.NamedNode(w.graph)
        new = {t for t in (q.triple for q in ox.parse(w.ntriples, format=ox.RdfFormat.N_TRIPLES))}
        old = set(self.graph_triples(w.graph))
        ops = []
        blank_old = any(_has_blank(t) for t in old)
        removed = [t for t in old - new if not _has_blank(t)]
        added = [t for t in new if (blank_old and _has_blank(t)) or t not in old]
        if blank_old:
            ops.append(fill(load_query(__name__, "delete_blank"), graph=graph))
        if removed:
            ops.append(with_triples(fill(load_query(__name__, "delete_data"), graph=graph), removed))
        if added:
            ops.append(with_triples(fill(load_query(__name__, "insert_data"), graph=graph), added))
        return ops

    def graph_triples(self, graph: str) -> Iterator[ox.Triple]:
        """The triples of one named graph."""
        for q in self._ox.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
            yield q.triple

    def remove_graphs(self, graphs: Sequence[str]) -> None:
        """Remove named graphs and their records in one transaction, noting it in the history."""
        self._writable()
        known = {r.graph: r for r in self.sources()}
        ops = []
        for g in graphs:
            if g in known:
                gone = SourceRecord(g, known[g].path, "", 0, now_iso())
                ops.append(event_statement(gone, 0, known[g].triples))
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
        # level 6, not gzip's 9: as small within a few per cent on N-Triples, in a fraction of the time
        with gzip.open(folder / f"{stamp}-{w.record.sha256[:12]}.nt.gz", "wb", compresslevel=6) as fh:
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
        if self.path is not None and not self.read_only:
            for marker in (holder_file(self.path), snapshot_pointer(self.path)):
                if _json_or_none(marker).get("pid") == os.getpid():
                    marker.unlink(missing_ok=True)
        if self.discard_on_close is not None:
            shutil.rmtree(self.discard_on_close, ignore_errors=True)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _drop_staging(self) -> None:
        """Undo what a write cut off left: the graphs its pending mark names, then the mark (and any
        staging graph of the earlier way of writing)."""
        leftovers = [
            g for g in self._ox.named_graphs()
            if isinstance(g, ox.NamedNode) and g.value.startswith(STAGING_PREFIX)
        ]
        for mark in leftovers:
            for q in self._ox.quads_for_pattern(None, _PENDING, None, mark):
                if isinstance(q.object, ox.NamedNode):
                    self._ox.remove_graph(q.object)
            self._ox.remove_graph(mark)


def _has_blank(t: ox.Triple) -> bool:
    return isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)


def _prefix_map() -> dict[str, str]:
    return dict(NAMESPACES)


def record_slots(r: SourceRecord) -> dict[str, Term]:
    """The slots of a record of ``r`` (insert_record.ru, insert_event.ru); the remote store fills them alike."""
    return {"meta": _META, "graph": ox.NamedNode(r.graph), "path": ox.Literal(r.path),
            "sha256": ox.Literal(r.sha256), "triples": ox.Literal(r.triples),
            "at": ox.Literal(r.ingested_at, datatype=_DATE_TIME)}


def event_statement(r: SourceRecord, added: int, removed: int) -> str:
    """The history event of a write of ``r`` (insert_event.ru), for this store and the remote one."""
    event = ox.NamedNode(f"{GRAPH}event/{uuid.uuid4().hex}")
    return fill(load_query(__name__, "insert_event"), event=event, added=ox.Literal(added),
                removed=ox.Literal(removed), **record_slots(r))


def now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="microseconds")


def open_store(path: Path, *, writable: bool = False) -> Store:
    """Open the store at ``path`` (created on first use) for a command of this process.

    When another process holds it for writing (``yhdyspinta serve`` with one worker), a reader
    gets the snapshot that process publishes after each write (:func:`publish_snapshot`): the
    same data, read-only, through a private copy of hard links that the holder's clean-up cannot
    pull away. ``writable=True`` (an ingest) gets the store itself or :class:`StoreBusyError`.
    """
    try:
        return Store(path)
    except StoreBusyError as busy:
        if writable:
            raise
        return _open_published(path, busy)


# -- sharing the store between processes ---------------------------------
#
# RocksDB lets one process hold a store read-write; opening the live files read-only
# while it writes is undefined behaviour. So the holder notes who it is beside the store
# (``store.holder.json``: pid, command, the server's URL) and, when it serves readers,
# where its latest checkpoint is (``store.snapshot``). Both go when it closes the store.


def holder_file(path: Path) -> Path:
    """Beside the store: which process holds it for writing."""
    return path.with_name(f"{path.name}.holder.json")


def snapshot_pointer(path: Path) -> Path:
    """Beside the store: the checkpoint its holder publishes for other processes to read."""
    return path.with_name(f"{path.name}.snapshot")


def read_holder(path: Path) -> dict[str, Any] | None:
    """The process that holds the store at ``path``, if it is still running."""
    info = _json_or_none(holder_file(path))
    pid = info.get("pid")
    return info if isinstance(pid, int) and alive(pid) else None


def publish_snapshot(path: Path | None, snapshot: Path) -> None:
    """Say that ``snapshot`` is the current checkpoint of the store at ``path`` (its holder calls this)."""
    if path is not None:
        _write_json(snapshot_pointer(path), {"pid": os.getpid(), "path": str(snapshot)})


def busy_error(path: Path) -> StoreBusyError:
    """The error for a store held by another process, naming that process when it said who it is."""
    holder = read_holder(path)
    if holder is None:
        return StoreBusyError(f"the store at {path} is open for writing by another process")
    what = f"`{holder.get('command') or 'another process'}` (pid {holder['pid']}"
    what += f", serving {holder['url']})" if holder.get("url") else ")"
    return StoreBusyError(f"the store at {path} is open for writing by {what}", holder=holder)


def _open_published(path: Path, busy: StoreBusyError) -> Store:
    """A read-only store on a private hard-linked copy of the holder's published snapshot."""
    for _attempt in range(5):  # the holder may retire the snapshot while it is linked: take the next one
        pointer = _json_or_none(snapshot_pointer(path))
        if not busy.holder or pointer.get("pid") != busy.holder.get("pid") or not pointer.get("path"):
            break
        source = Path(str(pointer["path"]))
        copy = source.parent.parent / f"{os.getpid()}-read-{uuid.uuid4().hex[:8]}"
        try:
            _link_tree(source, copy)
            store = Store(copy, read_only=True)
        except (OSError, StoreError):
            shutil.rmtree(copy, ignore_errors=True)
            continue
        store.discard_on_close, store.snapshot_of = copy, path
        return store
    raise StoreBusyError(f"{busy}, which publishes no snapshot to read from; stop it, or run this again "
                         "once it has started", holder=busy.holder)


def _link_tree(source: Path, target: Path) -> None:
    """Hard links to every file of a checkpoint (RocksDB never changes a file of one); copies across devices."""
    target.mkdir(parents=True)
    for entry in os.scandir(source):
        try:
            os.link(entry.path, target / entry.name)
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.EPERM):
                raise
            shutil.copy2(entry.path, target / entry.name)


def _command_line() -> str:
    """What a refused process is told holds the store: ``yhdyspinta <command>``, or the program's name."""
    args = [Path(sys.argv[0]).name if sys.argv else "python", *sys.argv[1:2]]
    if args[0] in ("yhdyspinta", "__main__.py"):
        args[0] = "yhdyspinta"
    return " ".join(a for a in args if a and not a.startswith("-"))


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Replace ``path`` at once (write beside, then rename), so a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)  # a note for others: never worth failing the open over


def _json_or_none(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _iri_or_none(value: str) -> ox.NamedNode | None:
    """``value`` as an IRI, or None when it is not one: such a node has no type in any store,
    and the validation that follows names it (an invalid IRI in a source is the source's error)."""
    try:
        return iri(value)
    except QueryError:
        return None
