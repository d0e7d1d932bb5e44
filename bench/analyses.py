"""Benchmark: the analyses on the embedded store (Oxigraph) beside rdflib's SPARQL engine.

Both run the very same analysis code and the very same SPARQL text: the rdflib
side only swaps the store for an adapter that answers ``select()`` with
rdflib's engine over an in-memory Dataset holding the same quads (default graph
= union, as in the store). Each measurement runs in a child process, so its
peak memory is its own, and is cut off after ``--limit`` seconds. Never a test.

A case marked "cold" is the first national analysis after a write made by other means than
``yhdyspinta ingest``: the rows kept beside the store by its version
(graph/backends/embedded/derived.py) are removed first, and it makes them again. A case marked
"computed" reads the kept rows but not a kept result (graph/analyses/kept.py): it works the
national result out, as the first call for a day of another validity does. The national cases
without a mark read what ``yhdyspinta ingest`` keeps, as every call after it does.

Beside each analysis, the limit it is held to (docs/benchmarks.md): one full scan of the store,
measured in the same run, two ways: ``COUNT`` over every quad (Oxigraph alone, no term decoded)
and every quad written out as N-Quads (each term decoded once). CPU seconds are given beside
the wall-clock ones, since the machine is shared.

    python bench/analyses.py --sizes 20,100,400 [--json] [--no-peer]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import time
from pathlib import Path
from typing import Any

from common import build_store, print_table

from yhdyspinta.graph.store.store import Store

#: Each national case without a mark right after its "computed" one, which keeps its result (and removes
#: the other's): it reads what `yhdyspinta ingest` would have kept.
ANALYSES = ("full scan: count", "full scan: n-quads", "gaps", "matrix", "bridges", "load", "load (all regions), cold",
            "bridges (all regions), computed", "bridges (all regions)", "load (all regions), computed",
            "load (all regions)", "quorum", "compare", "calendar", "viz payload", "viz national", "national matrix")


class RdflibStore:
    """Just enough of Store for the analyses, answered by rdflib's SPARQL engine."""

    def __init__(self, nquads: bytes) -> None:
        from rdflib import Dataset

        from yhdyspinta.ontology.namespaces import NAMESPACES

        self.ds = Dataset(default_union=True)
        self.ds.parse(data=nquads.decode("utf-8"), format="nquads")
        self.ns = dict(NAMESPACES)

    def select(self, sparql: str) -> list[dict[str, Any]]:
        from rdflib import BNode, Literal, URIRef

        result = self.ds.query(sparql, initNs=self.ns)
        names = [str(v) for v in result.vars]
        out = []
        for row in result:
            values = {}
            for n, v in zip(names, row, strict=True):
                if isinstance(v, Literal):
                    values[n] = v.toPython() if v.datatype else str(v)
                    if hasattr(values[n], "isoformat"):
                        values[n] = values[n].isoformat()
                elif isinstance(v, URIRef | BNode):
                    values[n] = str(v)
                else:
                    values[n] = v
            out.append(values)
        return out


def _run(engine: str, store_path: str, analysis: str, queue: mp.Queue) -> None:
    from yhdyspinta.graph.analyses.bridges import bridges
    from yhdyspinta.graph.analyses.calendar import due_calendar
    from yhdyspinta.graph.analyses.compare import compare
    from yhdyspinta.graph.analyses.coverage import coverage_detail
    from yhdyspinta.graph.analyses.gaps import coverage_gaps
    from yhdyspinta.graph.analyses.load import load
    from yhdyspinta.graph.analyses.national import national_matrix
    from yhdyspinta.graph.analyses.quorum import quorum
    from yhdyspinta.graph.analyses.viz import national_view, region_view
    from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend
    from yhdyspinta.graph.regions import resolve_region

    store = Store(Path(store_path))
    t0 = time.perf_counter()
    if engine == "rdflib":
        backend = EmbeddedBackend(RdflibStore(store.dump()))  # type: ignore[arg-type]
    else:
        backend = EmbeddedBackend(store)
    setup = time.perf_counter() - t0
    region = resolve_region(backend, "paijat-hame")
    if analysis.endswith(", cold") and store.derived_dir is not None:  # the first one after a write
        import shutil

        shutil.rmtree(store.derived_dir, ignore_errors=True)
        analysis = analysis.removesuffix(", cold")
    elif analysis.endswith(", computed") and store.derived_dir is not None:  # rows kept, the result not yet
        for kept in store.derived_dir.glob("*-result-*.json"):
            kept.unlink()
        analysis = analysis.removesuffix(", computed")
    t0, c0 = time.perf_counter(), time.process_time()
    if analysis == "full scan: count":
        store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    elif analysis == "full scan: n-quads":
        store.dump()
    elif analysis == "gaps":
        coverage_gaps(backend, region)
    elif analysis == "matrix":
        coverage_detail(backend, region)
    elif analysis == "bridges":
        bridges(backend, region)
    elif analysis == "bridges (all regions)":
        bridges(backend)
    elif analysis == "load":
        load(backend, region)
    elif analysis == "load (all regions)":
        load(backend)
    elif analysis == "quorum":
        quorum(backend)
    elif analysis == "compare":
        compare(backend, region, resolve_region(backend, "pirkanmaa"))
    elif analysis == "calendar":
        due_calendar(backend, region)
    elif analysis == "viz payload":
        region_view(backend, region)
    elif analysis == "viz national":
        national_view(backend)
    elif analysis == "national matrix":
        national_matrix(backend)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put({"seconds": seconds, "cpu": cpu, "setup": setup, "peak_mb": peak})


def measure(engine: str, store_path: Path, analysis: str, limit: float) -> dict[str, Any]:
    queue: mp.Queue = mp.Queue()
    proc = mp.Process(target=_run, args=(engine, str(store_path), analysis, queue))
    proc.start()
    proc.join(limit)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return {"seconds": None, "note": f"> {limit:.0f} s (stopped)"}
    return queue.get() if not queue.empty() else {"seconds": None, "note": "failed"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,100,400", help="structures per region, comma-separated")
    parser.add_argument("--limit", type=float, default=300, help="seconds before a run is stopped")
    parser.add_argument("--work", type=Path, default=Path("/tmp/yhdyspinta-bench"))
    parser.add_argument("--json", action="store_true", help="print JSON lines instead of a table")
    parser.add_argument("--no-peer", action="store_true", help="skip rdflib's engine (minutes at national scale)")
    args = parser.parse_args()
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        store_path, triples, _ingest = build_store(args.work, size)
        for analysis in ANALYSES:
            ours = measure("oxigraph", store_path, analysis, args.limit)
            skip = args.no_peer or analysis.startswith("full scan")
            theirs = {"note": "not run"} if skip else measure("rdflib", store_path, analysis, args.limit)
            row = {"bench": "analysis", "case": analysis, "size": size, "triples": triples,
                   "ours_s": ours.get("seconds"), "ours_cpu_s": ours.get("cpu"), "ours_peak_mb": ours.get("peak_mb"),
                   "peer": "rdflib SPARQL engine", "peer_s": theirs.get("seconds"),
                   "peer_peak_mb": theirs.get("peak_mb"), "peer_note": theirs.get("note", "")}
            rows.append(row)
            if args.json:
                print(json.dumps(row), flush=True)
    if not args.json:
        print_table(rows)


if __name__ == "__main__":
    main()
