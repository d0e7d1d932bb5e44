"""Ingest at national scale, beside the peers, in one run.

For each size (mean structures per region, bench/synthetic.py), into a store that already
holds the bundled data: `yhdyspinta ingest` of the synthetic files (parse, literal and privacy
checks, SHACL validation, the all-or-nothing write; then, timed apart, keeping the rows the
national analyses read, graph/backends/embedded/derived.py, and the national ``bridges`` and ``load``
results, graph/analyses/kept.py), `oxigraph load` (the CLI) and pyoxigraph's
bulk loader of the same files into an empty store (no validation), and, where it finishes in
reasonable time, pyshacl alone over the same data. Each runs in its own process: its peak
memory is its own.

    python bench/ingest.py --sizes 200,1000,2000 [--pyshacl-up-to 200]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import generate  # noqa: E402


def _ours(folder: str, store_dir: str, out: mp.Queue) -> None:
    from yhdyspinta.graph.analyses.kept import keep_national
    from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend
    from yhdyspinta.graph.store.store import Store
    from yhdyspinta.ingest import ingest
    from yhdyspinta.ingest.bundle import bundled_graph, bundled_paths

    with Store(Path(store_dir)) as store:
        ingest(store, bundled_paths(), naming=bundled_graph)
        t0 = time.perf_counter()
        ingest(store, [Path(folder)])
        seconds = time.perf_counter() - t0
        steps = [("", time.perf_counter())]
        keep_national(EmbeddedBackend(store), lambda step: steps.append((step, time.perf_counter())))
        steps.append(("", time.perf_counter()))  # what `yhdyspinta ingest` does after writing, step by step
        keep = steps[2][1] - steps[1][1]  # the rows
        results = steps[-1][1] - steps[2][1]  # the national bridges and load
        triples = len(store)
    out.put({"seconds": seconds, "keep_seconds": keep, "results_seconds": results, "triples": triples,
             "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


def _bulk(folder: str, store_dir: str, out: mp.Queue) -> None:
    import pyoxigraph as ox

    t0 = time.perf_counter()
    store = ox.Store(store_dir)
    for f in sorted(Path(folder).glob("*.ttl")):
        store.bulk_load(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f.as_uri()))
    store.flush()
    out.put({"seconds": time.perf_counter() - t0, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


def _pyshacl(folder: str, _store_dir: str, out: mp.Queue) -> None:
    from pyshacl import validate
    from rdflib import Graph

    from yhdyspinta.ontology import load_ontology, load_shapes

    t0 = time.perf_counter()
    data = Graph()
    for f in sorted(Path(folder).glob("*.ttl")):
        data.parse(f, format="turtle")
    for path in sorted(Path(__file__).resolve().parents[1].glob("data/reference/*.ttl")):
        data.parse(path, format="turtle")  # what the structures point at
    data.parse(Path(__file__).resolve().parents[1] / "ontology" / "themes.ttl", format="turtle")
    data.parse(Path(__file__).resolve().parents[1] / "ontology" / "vocabularies.ttl", format="turtle")
    validate(data, shacl_graph=load_shapes(), ont_graph=load_ontology(), inference="none", allow_warnings=True)
    out.put({"seconds": time.perf_counter() - t0, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


def _child(target: Any, folder: Path, store_dir: Path) -> dict[str, Any]:
    shutil.rmtree(store_dir, ignore_errors=True)
    queue: mp.Queue = mp.Queue()
    proc = mp.Process(target=target, args=(str(folder), str(store_dir), queue))
    proc.start()
    result = queue.get()
    proc.join()
    shutil.rmtree(store_dir, ignore_errors=True)
    return dict(result)


def _oxigraph_cli(folder: Path, store_dir: Path) -> dict[str, Any] | None:
    exe = shutil.which("oxigraph")
    if exe is None:
        return None
    shutil.rmtree(store_dir, ignore_errors=True)
    files = [str(f) for f in sorted(folder.glob("*.ttl"))]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    subprocess.run([exe, "load", "--location", str(store_dir), "--file", *files], check=True, capture_output=True)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    shutil.rmtree(store_dir, ignore_errors=True)
    return {"seconds": seconds, "peak_mb": peak / 1024 if peak > before else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="200,1000,2000")
    parser.add_argument("--work", type=Path, default=Path("/tmp/yhdyspinta-bench-ingest"))
    parser.add_argument("--pyshacl-up-to", type=int, default=200, help="largest size pyshacl alone is run at")
    args = parser.parse_args()
    print("| size | triples | ours s | + national rows kept s | + national results kept s | ours peak MB | "
          "oxigraph load s | pyoxigraph bulk_load s | bulk peak MB | pyshacl alone s | pyshacl peak MB | "
          "ours / oxigraph load |")
    print("|" + " --- |" * 12)
    for size in (int(s) for s in args.sizes.split(",")):
        folder = args.work / f"synthetic-{size}"
        if not folder.is_dir():
            generate(folder, per_region=size)
        store_dir = args.work / "store"
        ours = _child(_ours, folder, store_dir)
        cli = _oxigraph_cli(folder, store_dir)
        bulk = _child(_bulk, folder, store_dir)
        shacl = _child(_pyshacl, folder, store_dir) if size <= args.pyshacl_up_to else None
        ratio = f"{ours['seconds'] / cli['seconds']:.1f}x" if cli else "-"
        row = [size, ours["triples"], f"{ours['seconds']:.1f}", f"{ours['keep_seconds']:.1f}",
               f"{ours['results_seconds']:.1f}", f"{ours['peak_mb']:.0f}",
               f"{cli['seconds']:.1f}" if cli else "-", f"{bulk['seconds']:.1f}", f"{bulk['peak_mb']:.0f}",
               f"{shacl['seconds']:.1f}" if shacl else "-", f"{shacl['peak_mb']:.0f}" if shacl else "-", ratio]
        print("| " + " | ".join(map(str, row)) + " |", flush=True)
        print(json.dumps({"size": size, "ours": ours, "oxigraph_load": cli, "bulk": bulk, "pyshacl": shacl}),
              file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
