"""Benchmark: sync throughput into Neo4j, yhdyspinta's sync beside rdflib-neo4j, same data.

For each size (mean structures per region, see bench/synthetic.py) it builds an embedded
store with the normal ingest (ontology, reference data, synthetic regions; cached under
``--work``), then into one local Neo4j server, emptied before each run:

- ``yhdyspinta``: ``sync()`` from the embedded store into an empty database, timed from
  reading the store to the last commit; then a second sync (nothing changed) and an
  incremental one after one region's file is regenerated and re-ingested;
- ``rdflib-neo4j``: the Neo4j Labs rdflib store, batching on (its default 5000), vocabulary
  IRIs ignored as in our mapping, fed the same triples (the union of the store's graphs)
  (a) already parsed into rdflib terms and sorted by subject, its best case, where only
  its writing is timed, and (b) as its README uses it, parsing N-Triples into the store.
  It cannot remove triples, so reflecting a change means reloading: "speed-up over a
  reload" compares our incremental sync after one region changed with its write (a);
- ``yhdyspinta import`` (only with the server this script starts, for it stops and starts
  it): :func:`~yhdyspinta.graph.sync.admin_import.first_load`, the offline
  ``neo4j-admin database import`` of the same records, timed whole (reading the store,
  writing the CSV files, the import, the server's restart, the constraints) and by phase;
  then the one-region change synced on top of it, to show the sync continues from there.

Throughput is triples in the dataset divided by seconds, the best of ``--runs`` runs (2) of
each tool. Never a test: run it by hand.

    python bench/neo4j_sync.py --sizes 50,200,1000
    NEO4J_URI=bolt://127.0.0.1:7687 python bench/neo4j_sync.py   # an already running server
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from common import build_store
from rdflib_neo4j import HANDLE_VOCAB_URI_STRATEGY, Neo4jStore, Neo4jStoreConfig
from synthetic import load_regions, load_themes, region_turtle

from yhdyspinta.graph.backends.neo4j.connect import Target, clear, connect
from yhdyspinta.graph.store.store import Store
from yhdyspinta.graph.sync.admin_import import first_load
from yhdyspinta.graph.sync.sync import sync
from yhdyspinta.ingest import ingest
from yhdyspinta.launcher.server import start, stop
from yhdyspinta.ontology.namespaces import META_GRAPH
from yhdyspinta.settings import Settings


@dataclass
class Row:
    size: int
    triples: int
    structures: int
    ingest_s: float
    ours_s: float
    noop_s: float
    region_s: float
    region_triples: int
    theirs_s: float | None
    parsed_s: float | None
    ours_nodes: int
    theirs_nodes: int | None
    import_s: float | None = None
    import_phases: str = ""
    after_import_s: float | None = None


def open_store(work: Path, per_region: int) -> tuple[Store, int, float, Path]:
    """The store of one size (built by the normal ingest, cached by bench/common.py)."""
    path, _triples, ingest_s = build_store(work, per_region)
    store = Store(path)
    rows = store.select(
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { VALUES ?c { yhd:Network yhd:Forum } ?s a ?c "
        'FILTER(CONTAINS(STR(?s), "/synthetic/")) }'
    )
    return store, int(rows[0]["n"]), ingest_s, path.parent / "synthetic"


def open_store_data(work: Path, per_region: int) -> Path:
    """The folder of the synthetic sources of one size, by its region's file."""
    return build_store(work, per_region)[0].parent / "synthetic" / "pirkanmaa.ttl"


def graph_of(store: Store, source: Path) -> str:
    """The graph the store holds ``source`` in, matched by its folder and name: a work folder
    copied elsewhere records the old absolute path, and ingesting the file by its new one
    would add a second copy of the region instead of changing it."""
    tail = f"/{source.parent.name}/{source.name}"
    [graph] = [r.graph for r in store.sources() if r.path.endswith(tail)]
    return graph


def rdflib_triples(store: Store) -> list[tuple[rdflib.term.Node, ...]]:
    """The union of the source graphs as rdflib terms, sorted by subject (untimed)."""
    seen: set[tuple[rdflib.term.Node, ...]] = set()
    dataset = rdflib.Dataset()
    dataset.parse(data=store.dump().decode("utf-8"), format="nquads")
    for s, p, o, g in dataset.quads():
        if str(getattr(g, "identifier", g)) != str(META_GRAPH):
            seen.add((s, p, o))
    return sorted(seen, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))


def run_rdflib_neo4j(target: Target, triples: list[tuple[rdflib.term.Node, ...]]) -> float:
    config = Neo4jStoreConfig(
        batching=True, handle_vocab_uri_strategy=HANDLE_VOCAB_URI_STRATEGY.IGNORE,
    )
    with contextlib.redirect_stdout(sys.stderr):  # it prints its progress on stdout
        began = time.monotonic()
        graph = rdflib.Graph(store=Neo4jStore(config=config, neo4j_driver=target.driver))
        graph.open(None, create=True)
        for triple in triples:
            graph.add(triple)
        graph.close(True)
        return time.monotonic() - began


def run_rdflib_neo4j_parsing(target: Target, store: Store) -> float:
    """rdflib-neo4j as its README uses it: parse serialised triples into the Neo4j store."""
    dumps = [
        store.dump(r.graph, ox.RdfFormat.N_TRIPLES) for r in store.sources()
        if r.graph != str(META_GRAPH)
    ]
    config = Neo4jStoreConfig(
        batching=True, handle_vocab_uri_strategy=HANDLE_VOCAB_URI_STRATEGY.IGNORE,
    )
    with contextlib.redirect_stdout(sys.stderr):
        began = time.monotonic()
        graph = rdflib.Graph(store=Neo4jStore(config=config, neo4j_driver=target.driver))
        graph.open(None, create=True)
        for data in dumps:
            graph.parse(data=data.decode("utf-8"), format="nt")
        graph.close(True)
        return time.monotonic() - began


def count_nodes(target: Target) -> int:
    return int(target.run("MATCH (n:Resource) RETURN count(n) AS n")[0]["n"])


def best(runs: int, clear_first: Target, run: Callable[[], float]) -> float:
    """The shortest of ``runs`` timings, each into an emptied database (best of N: the
    server's own warm-up and the machine's noise only ever add time)."""
    times = []
    for _ in range(runs):
        clear(clear_first)
        times.append(run())
    return min(times)


def measure_import(
    store: Store, target: Target, settings: Settings, changed: Path, text: str
) -> tuple[float, str, float]:
    """The offline first load (seconds, seconds by phase), then the one-region change synced on top."""
    clear(target)
    marks: list[tuple[str, float]] = []

    def tick(step: str, _done: int, _total: int) -> None:
        if not marks or marks[-1][0] != step:
            marks.append((step, time.monotonic()))

    began = time.monotonic()
    report = first_load(store, settings, progress=tick)
    marks.append(("done", began + report.seconds))
    phases = ", ".join(f"{a[0].split(' (')[0]} {b[1] - a[1]:.1f} s" for a, b in zip(marks, marks[1:], strict=False))
    original = changed.read_text(encoding="utf-8")
    changed.write_text(text, encoding="utf-8")
    ingest(store, [changed], graph=graph_of(store, changed))
    target.driver.close()
    after = connect(settings)
    incremental = sync(store, after)
    after.driver.close()
    changed.write_text(original, encoding="utf-8")
    ingest(store, [changed], graph=graph_of(store, changed))
    return report.seconds, phases, incremental.seconds


def measure(target: Target, work: Path, per_region: int, *, peer: bool, runs: int) -> Row:
    store, structures, ingest_s, data = open_store(work, per_region)
    triples = len(store)
    ours_s = best(runs, target, lambda: sync(store, target).seconds)
    ours_nodes = count_nodes(target)
    noop = sync(store, target)
    # one region's file regenerated with another seed and re-ingested
    region = next(r for r in load_regions() if r.slug == "pirkanmaa")
    text, _n = region_turtle(region, per_region, load_themes(), seed=2)
    changed = data / "pirkanmaa.ttl"
    original = changed.read_text(encoding="utf-8")
    changed.write_text(text, encoding="utf-8")
    ingest(store, [changed], graph=graph_of(store, changed))
    incremental = sync(store, target)
    changed.write_text(original, encoding="utf-8")
    ingest(store, [changed], graph=graph_of(store, changed))
    sync(store, target)
    theirs_s = parsed_s = theirs_nodes = None
    if peer:
        rows = rdflib_triples(store)
        theirs_s = best(runs, target, lambda: run_rdflib_neo4j(target, rows))
        theirs_nodes = count_nodes(target)
        parsed_s = best(runs, target, lambda: run_rdflib_neo4j_parsing(target, store))
        clear(target)
    store.close()
    return Row(per_region, triples, structures, ingest_s, ours_s, noop.seconds,
               incremental.seconds, incremental.triples, theirs_s, parsed_s, ours_nodes, theirs_nodes)


def first_sync_only(target: Target, work: Path, per_region: int, runs: int, peer: bool) -> tuple[Store, Row]:
    """The store of one size, its first sync's best time and rdflib-neo4j's (a), for the import's comparison."""
    store, structures, ingest_s, _data = open_store(work, per_region)
    ours = best(runs, target, lambda: sync(store, target).seconds)
    theirs = None
    if peer:
        triples = rdflib_triples(store)
        theirs = best(runs, target, lambda: run_rdflib_neo4j(target, triples))
    return store, Row(per_region, len(store), structures, ingest_s, ours, 0.0, 0.0, 0, theirs, None, 0, None)


def import_table(rows: list[Row]) -> str:
    lines = [
        "| structures per region | triples | yhdyspinta first sync | yhdyspinta import | triples/s | "
        "rdflib-neo4j (a) | speed-up over it | then one region changed | phases of the import |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        if r.import_s is None:
            continue
        peer = f"{r.theirs_s:.1f} s | {r.theirs_s / r.import_s:.1f}x" if r.theirs_s else "- | -"
        lines.append(
            f"| {r.size} | {r.triples:,} | {r.ours_s:.1f} s | {r.import_s:.1f} s | "
            f"{r.triples / r.import_s:,.0f} | {peer} | {r.after_import_s:.1f} s | {r.import_phases} |"
        )
    return "\n".join(lines)


def warm_up(target: Target, work: Path, *, peer: bool) -> None:
    """One untimed run of each tool, so that neither pays the server's query planning."""
    store, _n, _s, _d = open_store(work, 20)
    clear(target)
    sync(store, target)
    if peer:
        clear(target)
        run_rdflib_neo4j(target, rdflib_triples(store))
    clear(target)
    store.close()


def table(rows: list[Row]) -> str:
    lines = [
        "| structures per region | structures | triples | yhdyspinta sync | triples/s | "
        "rdflib-neo4j, pre-parsed | triples/s | speed-up | rdflib-neo4j, parsing | triples/s | "
        "speed-up | yhdyspinta, nothing changed | yhdyspinta, one region changed | speed-up over a reload |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]

    def peer(seconds: float | None, r: Row) -> str:
        if not seconds:
            return "- | - | -"
        return f"{seconds:.1f} s | {r.triples / seconds:,.0f} | {seconds / r.ours_s:.1f}x"

    for r in rows:
        lines.append(
            f"| {r.size} | {r.structures:,} | {r.triples:,} | {r.ours_s:.1f} s | "
            f"{r.triples / r.ours_s:,.0f} | {peer(r.theirs_s, r)} | {peer(r.parsed_s, r)} | "
            f"{r.noop_s:.2f} s | {r.region_s:.1f} s ({r.region_triples:,} triples) | "
            + (f"{r.theirs_s / r.region_s:.0f}x |" if r.theirs_s else "- |")
        )
    return "\n".join(lines)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50,200,1000", help="mean structures per region")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "yhdyspinta-bench")
    parser.add_argument("--no-peer", action="store_true", help="skip rdflib-neo4j")
    parser.add_argument("--runs", type=int, default=2, help="timed runs per tool and size; the best counts")
    parser.add_argument("--import-only", action="store_true",
                        help="only the offline import (and the first sync beside it), no peer")
    parser.add_argument("--port", type=int, default=0, help="Bolt port of the server started (default: a free one)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    for size in (20, *sizes):  # first: the build forks a child, which must not inherit driver threads
        build_store(args.work, size)
    home = None
    settings = Settings.from_env()
    if not settings.neo4j_uri:
        home = args.work / "neo4j-home"
        info = start(home=home, bolt_port=args.port or _free_port())
        settings = Settings(home=home, neo4j_uri=info.uri)
    target = connect(settings)
    print(f"# {platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"Neo4j at {settings.neo4j_uri}", file=sys.stderr)
    rows = []
    try:
        warm_up(target, args.work, peer=not args.no_peer)
        for size in sizes:
            if args.import_only:
                store, r = first_sync_only(target, args.work, size, args.runs, not args.no_peer)
                rows.append(r)
            else:
                rows.append(measure(target, args.work, size, peer=not args.no_peer, runs=args.runs))
                r = rows[-1]
                store = Store(build_store(args.work, size)[0])
            if home is not None:
                region = next(x for x in load_regions() if x.slug == "pirkanmaa")
                text, _n = region_turtle(region, size, load_themes(), seed=2)
                r.import_s, r.import_phases, r.after_import_s = measure_import(
                    store, target, settings, open_store_data(args.work, size), text)
                target = connect(settings)
                print(f"size {size}: import {r.import_s:.1f} s ({r.import_phases})", file=sys.stderr)
            store.close()
            print(f"size {size}: {r.triples} triples, ingest {r.ingest_s:.1f} s, ours {r.ours_s:.1f} s "
                  f"({r.ours_nodes} nodes), rdflib-neo4j {r.theirs_s} s ({r.theirs_nodes} nodes), "
                  f"parsing {r.parsed_s} s",
                  file=sys.stderr)
    finally:
        target.driver.close()
        if home is not None:
            stop(home=home)
    if not args.import_only:
        print(table(rows))
    print(import_table(rows))


if __name__ == "__main__":
    main()
