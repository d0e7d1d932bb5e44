"""The ingest pipeline: discover, read, check, validate, write.

A batch is all-or-nothing: when any source in it fails to parse or breaks a
rule, nothing is written and the store stays exactly as it was.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from yhdyspinta.errors import InputError, Location, ValidationError, Violation, YhdyspintaError
from yhdyspinta.graph.store.remote import WriteTarget
from yhdyspinta.graph.store.store import GraphWrite, SourceRecord, now_iso
from yhdyspinta.ingest.discover import TEMPLATE_SHEETS, SourceFile, discover
from yhdyspinta.ingest.explain import TemplateRejected, explainer
from yhdyspinta.ingest.messages import check_lang, default_lang
from yhdyspinta.ingest.rdf import LineIndex, parse_rdf
from yhdyspinta.ingest.template import read_template
from yhdyspinta.ingest.triples import ntriples_of
from yhdyspinta.ingest.validate import (
    RULE_SIZE,
    Facts,
    Parsed,
    shacl_violations,
    source_literal_violations,
    source_privacy_violations,
)
from yhdyspinta.ontology.namespaces import GRAPH

#: progress(step, done, total): called as the batch moves on.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class SourceOutcome:
    """What happened to one source."""

    path: str
    graph: str
    status: str  # "new", "replaced" or "unchanged"
    triples: int
    previous_triples: int


@dataclass
class IngestReport:
    """The result of one ingest run."""

    outcomes: list[SourceOutcome] = field(default_factory=list)
    store_triples: int = 0

    @property
    def written(self) -> list[SourceOutcome]:
        return [o for o in self.outcomes if o.status != "unchanged"]


def _digest(source: SourceFile) -> str:
    h = hashlib.sha256()
    if source.path.is_dir():
        for sheet in TEMPLATE_SHEETS:
            f = source.path / f"{sheet}.csv"
            if f.is_file():
                h.update(sheet.encode())
                h.update(f.read_bytes())
    else:
        h.update(source.path.read_bytes())
    return h.hexdigest()


def _slug(path: str) -> str:
    table = str.maketrans("äöåÄÖÅ", "aoaAOA")
    return re.sub(r"[^A-Za-z0-9._/-]+", "-", path.translate(table)).strip("-/")


def graph_for(source: SourceFile, root: Path, existing: dict[str, SourceRecord]) -> str:
    """The named graph of a source: the one it had, or a new one from its path.

    A source is known by its absolute path, so re-ingesting it replaces its
    graph whatever folder the command was given.
    """
    key = str(source.path.resolve())
    if key in existing:
        return existing[key].graph
    try:
        rel = source.path.resolve().relative_to(root.resolve())
    except ValueError:
        rel = Path(source.path.name)
    iri = f"{GRAPH}source/{_slug(rel.as_posix())}"
    taken = {r.graph for r in existing.values()}
    if iri in taken:
        iri += "-" + hashlib.sha1(key.encode()).hexdigest()[:8]
    return iri


def _read(source: SourceFile, lang: str = "en") -> Parsed:
    """Read one source; whatever a parser raises on bad input becomes an InputError naming the file.

    The parsers below turn the failures they know into precise errors; this is the net for the
    rest (a third-party parser's own bug on odd input), so the CLI prints one line, not a traceback.
    """
    try:
        return _read_source(source, lang)
    except YhdyspintaError:
        raise
    except Exception as exc:  # noqa: BLE001 - only user input is processed here
        detail = str(exc).splitlines()[0][:200] if str(exc) else ""
        raise InputError(f"cannot be read: {type(exc).__name__}: {detail}".rstrip(": "),
                         Location(str(source.path))) from exc


def _read_source(source: SourceFile, lang: str) -> Parsed:
    if source.kind == "rdf":
        graph = parse_rdf(source.path, source.rdf_format or "turtle")
        index = LineIndex(source.path)

        def locate(node: str) -> Location:
            return Location(str(source.path), line=index.line_of(node), node=node)

        return Parsed(str(source.path), graph, locate)
    result = read_template(source, lang)

    def locate_row(node: str) -> Location:
        return result.locations.get(node, Location(str(source.path), node=node))

    return Parsed(str(source.path), result.graph, locate_row, tuple(result.problems), explainer(result), lang)


def ingest(
    store: WriteTarget,
    paths: list[Path],
    *,
    graph: str | None = None,
    root: Path | None = None,
    naming: Callable[[SourceFile], str | None] | None = None,
    force: bool = False,
    progress: Progress | None = None,
    lang: str | None = None,
) -> IngestReport:
    """Ingest the sources under ``paths`` into ``store`` as one batch.

    ``graph`` names the target graph when there is exactly one source.
    ``root`` is the folder graph names are made relative to (default: the
    common folder of ``paths``); ``naming`` may fix a source's graph instead
    (the bundled data has stable graph names wherever it is installed).
    Unchanged sources are skipped unless ``force``. Raises InputError or ValidationError, having written nothing;
    a template's problems are all reported at once, in ``lang`` (``fi`` or ``en``; default: YHDYSPINTA_LANG or
    the locale).
    """
    lang = check_lang(lang or default_lang())
    tick = progress or (lambda step, done, total: None)
    sources = discover(paths)
    if not sources:
        raise InputError(f"no sources found under {', '.join(map(str, paths))}")
    if graph and len(sources) > 1:
        raise InputError(f"--graph names one graph but {len(sources)} sources were found")
    root = root or _common_root(paths)
    existing = {r.path: r for r in store.sources()}

    pending: list[tuple[SourceFile, str, str]] = []
    report = IngestReport()
    for source in sources:
        target = graph or (naming and naming(source)) or graph_for(source, root, existing)
        sha = _digest(source)
        old = existing.get(str(source.path.resolve()))
        if old and old.sha256 == sha and old.graph == target and not force:
            report.outcomes.append(SourceOutcome(str(source.path), target, "unchanged", old.triples, old.triples))
        else:
            pending.append((source, target, sha))

    parsed: list[Parsed] = []
    for i, (source, _target, _sha) in enumerate(pending, start=1):
        tick(f"reading {source.name}", i, len(pending))
        parsed.append(_read(source, lang))
    batch = [
        PendingGraph(p, target, sha, str(source.path.resolve()))
        for (source, target, sha), p in zip(pending, parsed, strict=True)
    ]
    written = write_batch(store, batch, progress=tick)
    report.outcomes += [
        SourceOutcome(str(source.path), o.graph, o.status, o.triples, o.previous_triples)
        for (source, _t, _h), o in zip(pending, written, strict=True)
    ]
    report.store_triples = len(store)
    return report


@dataclass(frozen=True)
class PendingGraph:
    """A parsed source on its way into a named graph."""

    parsed: Parsed
    graph: str
    sha256: str
    origin: str  # the file path, or another name for what the data came from (an HTTP upload)


def write_batch(
    store: WriteTarget, batch: list[PendingGraph], *, progress: Progress | None = None
) -> list[SourceOutcome]:
    """Check privacy, validate, and write every graph of ``batch`` in one transaction.

    The one way data enters the store: the CLI ingest and any HTTP write
    both come through here, so a rejected write changes nothing.
    """
    tick = progress or (lambda step, done, total: None)
    if not batch:
        return []
    parsed = [b.parsed for b in batch]
    # Each source is read into terms once here for the cheap checks and what the others need
    # to know of it (its types), and once more for the shapes: a national batch is never held
    # as rdflib terms all at once.
    literal: list[Violation] = []
    private: list[Violation] = []
    facts: list[Facts] = []
    for i, p in enumerate(parsed, start=1):
        tick("checking the literals", i, len(parsed))
        triples = list(p.graph)
        literal += source_literal_violations(p, triples)
        private += source_privacy_violations(p, triples)
        facts.append(Facts.of(triples))
        del triples
    if any(v.rule == RULE_SIZE for v in literal):
        raise ValidationError(literal)  # before the shapes, which would copy and index the huge literal
    violations = literal + private
    # One source at a time: pyshacl's cost grows faster than linearly with the graph, so
    # validating sources separately keeps a national-scale batch linear. References to
    # nodes typed elsewhere (the store, or another source of the batch) get those types.
    in_batch = {pair for f in facts for pair in f.types}
    subjects = set().union(*(f.subjects for f in facts))
    referenced = {str(o) for f in facts for o in f.objects - subjects}
    stored = store.types_of(referenced, exclude_graphs=[b.graph for b in batch])
    by_node: dict[str, set[str]] = {}
    for node, cls in (*in_batch, *stored):
        by_node.setdefault(node, set()).add(cls)
    found: dict[int, list[Violation]] = {}
    for v in violations:  # each source's violations, to tell them in its own words
        found.setdefault(_owner(parsed, v), []).append(v)
    violations = found.pop(-1, [])
    for i, (p, f) in enumerate(zip(parsed, facts, strict=True), start=1):
        tick("validating against the shapes", i, len(parsed))
        refs = f.referenced
        own = found.get(i - 1, []) + shacl_violations([p], [(n, c) for n in refs for c in by_node.get(n, ())])
        violations += [*p.problems, *(p.explain(own) if p.explain else own)]
    if violations:
        templates = [p for p in parsed if p.explain]
        raise TemplateRejected(violations, templates[0].lang) if templates else ValidationError(violations)

    tick("writing", 0, 1)
    previous = {r.graph: r.triples for r in store.sources()}
    stamp = now_iso()
    writes, outcomes = [], []
    for b in batch:
        data = ntriples_of(b.parsed.graph)
        count = len(b.parsed.graph)
        record = SourceRecord(b.graph, b.origin, b.sha256, count, stamp)
        if b.graph in previous:  # what changed, for the history (a new graph: all of it is new)
            old = set(store.dump(b.graph, ox.RdfFormat.N_TRIPLES).splitlines())
            new = {line for line in data.splitlines() if line.strip()}
            added, removed = len(new - old), len(old - new)
            del old, new
        else:
            added, removed = count, 0
        writes.append(GraphWrite(b.graph, data, record, added=added, removed=removed))
        status = "replaced" if b.graph in previous else "new"
        outcomes.append(SourceOutcome(b.origin, b.graph, status, count, previous.get(b.graph, 0)))
    store.replace_graphs(writes)
    tick("done", 1, 1)
    return outcomes


def _owner(parsed: list[Parsed], violation: Violation) -> int:
    """The index of the source a violation is about (its file is the source or in its folder), or -1."""
    file = violation.location.file
    return next((i for i, p in enumerate(parsed) if file == p.name or file.startswith(p.name + os.sep)), -1)


def _common_root(paths: list[Path]) -> Path:
    resolved = [p.resolve() for p in paths]
    dirs = [p if p.is_dir() else p.parent for p in resolved]
    if len(dirs) == 1:
        return dirs[0].parent if resolved[0].is_dir() else dirs[0]
    common = Path(*Path(dirs[0]).parts)
    for d in dirs[1:]:
        while not str(d).startswith(str(common)):
            common = common.parent
    return common
