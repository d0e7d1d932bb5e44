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
"""

from __future__ import annotations

import gzip
import hashlib
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from yhdyspinta.ontology.namespaces import GRAPH, META_GRAPH, NAMESPACES, YHD

from yhdyspinta.errors import QueryError, StoreError

STAGING_PREFIX = f"{GRAPH}staging/"

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {f"{_XSD}{t}" for t in ("integer", "int", "long", "short", "nonNegativeInteger")}
_DECIMAL_TYPES = {f"{_XSD}{t}" for t in ("decimal", "double", "float")}


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

    def query(self, sparql: str, *, union_default: bool = True) -> Any:
        """Run a SPARQL query; the raw Oxigraph result (solutions, boolean or triples)."""
        try:
            return self._ox.query(
                sparql, use_default_graph_as_union=union_default, prefixes=_prefix_map()
            )
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except (OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"SPARQL query failed: {exc}") from exc

    def select(self, sparql: str) -> list[dict[str, Any]]:
        """Run a SELECT and return its rows as dicts of plain Python values."""
        result = self.query(sparql)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        names = [v.value for v in result.variables]
        return [{n: to_python(sol[n]) for n in names} for sol in result]

    def ask(self, sparql: str) -> bool:
        result = self.query(sparql)
        return bool(result)

    def __len__(self) -> int:
        """Triples in all source graphs (metadata excluded)."""
        rows = self.select(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
            f"FILTER(?g != <{META_GRAPH}>) }}"
        )
        return int(rows[0]["n"])

    def sources(self) -> list[SourceRecord]:
        """The sources in the store, from the metadata graph."""
        rows = self.select(
            f"""SELECT ?g ?path ?sha ?n ?at WHERE {{ GRAPH <{META_GRAPH}> {{
                ?g a yhd:IngestedSource ; yhd:sourcePath ?path ; yhd:sha256 ?sha ;
                   yhd:tripleCount ?n ; dcterms:modified ?at }} }} ORDER BY ?path"""
        )
        return [
            SourceRecord(r["g"], r["path"], r["sha"], int(r["n"]), str(r["at"])) for r in rows
        ]

    def graph_ntriples(self, graph: str) -> Iterator[tuple[Any, Any, Any]]:
        """The triples of one named graph, as Oxigraph terms."""
        for q in self._ox.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
            yield q.subject, q.predicate, q.object

    def types_of(self, iris: Iterable[str], exclude_graphs: Sequence[str] = ()) -> list[tuple[str, str]]:
        """(node, class) for each given IRI typed in the store outside ``exclude_graphs``.

        Validation needs the classes of the nodes a source refers to (a theme,
        a region) without validating the sources that define them again.
        """
        excluded = ", ".join(f"<{g}>" for g in (*exclude_graphs, str(META_GRAPH)))
        wanted = sorted(set(iris))
        found: list[tuple[str, str]] = []
        for start in range(0, len(wanted), 500):
            values = " ".join(f"<{i}>" for i in wanted[start:start + 500])
            rows = self.select(
                f"SELECT DISTINCT ?s ?t WHERE {{ VALUES ?s {{ {values} }} "
                f"GRAPH ?g {{ ?s a ?t }} FILTER(?g NOT IN ({excluded})) }}"
            )
            found += [(r["s"], r["t"]) for r in rows]
        return found

    def dump(self, graph: str | None = None, fmt: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> bytes:
        """The whole dataset (or one graph) serialised."""
        if graph is None:
            return self._ox.dump(format=fmt) or b""
        return self._ox.dump(format=fmt, from_graph=ox.NamedNode(graph)) or b""

    def dump_to(self, path: Path, fmt: ox.RdfFormat = ox.RdfFormat.N_QUADS) -> Path:
        """The whole dataset serialised into a file: memory stays flat however large the store is."""
        with path.open("wb") as out:
            self._ox.dump(out, format=fmt)
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
                ops.append(f"DROP SILENT GRAPH <{w.graph}>")
                ops.append(f"MOVE SILENT GRAPH <{staging}> TO GRAPH <{w.graph}>")
                ops.append(_delete_record(w.graph))
                ops.append(_insert_record(w.record))
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
            ops.append(f"DROP SILENT GRAPH <{g}>")
            ops.append(_delete_record(g))
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
        where = f"FILTER(?g = <{graph}>)" if graph else ""
        rows = self.select(
            f"""SELECT ?at ?g ?path ?sha ?n ?add ?del WHERE {{ GRAPH <{META_GRAPH}> {{
                  ?e a yhd:IngestEvent ; prov:startedAtTime ?at ; yhd:graph ?g ; yhd:sourcePath ?path ;
                     yhd:sha256 ?sha ; yhd:tripleCount ?n ; yhd:triplesAdded ?add ; yhd:triplesRemoved ?del }}
                  {where} }} ORDER BY ?at ?g"""
        )
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


def _lit(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _delete_record(graph: str) -> str:
    return f"DELETE WHERE {{ GRAPH <{META_GRAPH}> {{ <{graph}> ?p ?o }} }}"


def _insert_record(r: SourceRecord) -> str:
    return (
        f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ <{r.graph}> a <{YHD.IngestedSource}> ; "
        f"<{YHD.sourcePath}> {_lit(r.path)} ; <{YHD.sha256}> {_lit(r.sha256)} ; "
        f"<{YHD.tripleCount}> {r.triples} ; "
        f"<http://purl.org/dc/terms/modified> {_lit(r.ingested_at)}^^<{_XSD}dateTime> }} }}"
    )


def _insert_event(r: SourceRecord, added: int, removed: int) -> str:
    event = f"{GRAPH}event/{uuid.uuid4().hex}"
    return (
        f"INSERT DATA {{ GRAPH <{META_GRAPH}> {{ <{event}> a <{YHD.IngestEvent}> ; "
        f"<http://www.w3.org/ns/prov#startedAtTime> {_lit(r.ingested_at)}^^<{_XSD}dateTime> ; "
        f"<{YHD.graph}> <{r.graph}> ; <{YHD.sourcePath}> {_lit(r.path)} ; <{YHD.sha256}> {_lit(r.sha256)} ; "
        f"<{YHD.tripleCount}> {r.triples} ; <{YHD.triplesAdded}> {added} ; <{YHD.triplesRemoved}> {removed} }} }}"
    )


def now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="microseconds")


def open_store(path: Path) -> Store:
    """Open the store at ``path`` (created on first use)."""
    return Store(path)

