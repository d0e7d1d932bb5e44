"""Benchmark: the error of the sampled betweenness of `bridges` against the exact values.

``bridges`` computes betweenness exactly (rustworkx) for every connected part that fits
``BETWEENNESS_BUDGET`` sources x edges (on the national synthetic data every part does), and
estimates the parts that do not from k seeded sources within ``SAMPLE_BUDGET``. To measure that
fallback's error this script forces it: it takes a mid-size cooperation graph (the regions of a
synthetic store, smallest first, until ``--nodes`` is reached), computes the exact values
once, then the estimate with the exact budget cut to ``SAMPLE_BUDGET`` (so the parts do not fit)
for several seeds, and compares what the report shows: the top 50.

Figures: seconds exact and sampled; the share of the exact top 50 found in the sampled top
50 (and in its top 100); the largest absolute error over all nodes, as a share of the
largest exact value; the mean relative error over the exact top 50. Never a test.

    python bench/betweenness.py --size 1000 --nodes 3000 --seeds 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
from common import build_store

from yhdyspinta.graph.analyses.bridges import SAMPLE_BUDGET, betweenness, cooperation_graph, sources
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend
from yhdyspinta.graph.store.store import Store

TOP = 50


def mid_size_graph(backend: EmbeddedBackend, nodes: int) -> tuple[nx.Graph[str], list[str]]:
    """The union of whole regions' graphs, smallest first, until it has about ``nodes`` nodes."""
    graphs = sorted(
        ((cooperation_graph(backend, r.iri)[0], r.slug) for r in backend.regions()),
        key=lambda x: x[0].number_of_nodes(),
    )
    g: nx.Graph[str] = nx.Graph()
    names: list[str] = []
    for part, name in graphs:
        if g.number_of_nodes() >= nodes:
            break
        g = nx.compose(g, part)
        names.append(name)
    return g, names


def ranked(values: dict[str, float], n: int) -> list[str]:
    return [k for k, _v in sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000, help="structures per region of the synthetic store")
    parser.add_argument("--nodes", type=int, default=3000, help="about this many nodes in the graph")
    parser.add_argument("--seeds", type=int, default=5, help="sampled runs, each with its own seed")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "yhdyspinta-bench")
    parser.add_argument("--store", type=Path, default=None, help="use this store instead (read only)")
    args = parser.parse_args()
    path = args.store or build_store(args.work, args.size)[0]
    with Store(path) as store:
        g, names = mid_size_graph(EmbeddedBackend(store), args.nodes)
    k = sources(g)
    print(f"# graph of {len(names)} regions: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges; "
          f"k = {k} sources (sample budget {SAMPLE_BUDGET:,} source x edges)", file=sys.stderr)
    began = time.perf_counter()
    exact = nx.betweenness_centrality(g, normalized=True)
    exact_s = time.perf_counter() - began
    top = ranked(exact, TOP)
    peak = max(exact.values())
    rows = []
    for seed in range(1, 2 * args.seeds + 1):
        began = time.perf_counter()
        if seed <= args.seeds:  # what bridges() does: pivots drawn per connected part
            est, _sampled = betweenness(g, sample_above=0, seed=seed, budget=SAMPLE_BUDGET)
        else:  # before: k pivots over the whole graph
            est = nx.betweenness_centrality(g, k=k, seed=seed, normalized=True)
        seconds = time.perf_counter() - began
        est_top = ranked(est, TOP)
        est_top2 = set(ranked(est, 2 * TOP))
        rows.append((
            seconds,
            len(set(top) & set(est_top)) / TOP,
            len(set(top) & est_top2) / TOP,
            max(abs(est[n] - exact[n]) for n in g) / peak,
            statistics.mean(abs(est[n] - exact[n]) / exact[n] for n in top if exact[n]),
            est_top[0] == top[0],
        ))
        print(f"seed {seed}: {rows[-1]}", file=sys.stderr)
    print("| way | nodes | edges | k | exact | sampled (mean) | exact top 50 in sampled top 50 | in sampled top 100 | "
          "max abs. error / max value | mean rel. error, top 50 | same first node |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    parts = nx.number_connected_components(g)
    for way, part in ((f"per connected part ({parts})", rows[:args.seeds]), ("whole graph", rows[args.seeds:])):

        def span(i: int, part: list[tuple[float, float, float, float, float, bool]] = part) -> str:
            vals = [r[i] for r in part]
            return f"{min(vals):.0%}-{max(vals):.0%}"

        print(f"| {way} | {g.number_of_nodes():,} | {g.number_of_edges():,} | {k} | {exact_s:.1f} s | "
              f"{statistics.mean(r[0] for r in part):.2f} s | {span(1)} | {span(2)} | {span(3)} | {span(4)} | "
              f"{sum(r[5] for r in part)}/{len(part)} |")


if __name__ == "__main__":
    main()
