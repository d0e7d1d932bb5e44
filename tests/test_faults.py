"""Faults: a process killed in the middle of writing, and readers during writes.

Oxigraph applies a write in one transaction; these tests hold the product to
that: a SIGKILL at any moment leaves a store that opens with either the old or
the new version of every graph, never half of one, and a query running during
an ingest never sees half a source.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from yhdyspinta.graph.store.store import GraphWrite, SourceRecord, Store, now_iso

G = "https://w3id.org/yhdyspinta/graph/test/big"


def _version(n: int, tag: str) -> bytes:
    return "".join(f"<http://x/{tag}/{i}> <http://x/p> \"{tag} {i}\" .\n" for i in range(n)).encode()


WRITER = textwrap.dedent(
    """
    import sys, pathlib
    from yhdyspinta.graph.store.store import GraphWrite, SourceRecord, Store, now_iso
    store = Store(pathlib.Path(sys.argv[1]))
    g = "https://w3id.org/yhdyspinta/graph/test/big"
    n = int(sys.argv[2])
    i = 0
    print("ready", flush=True)
    while True:
        tag = "v%d" % (i % 2)
        data = "".join('<http://x/%s/%d> <http://x/p> "%s %d" .\\n' % (tag, k, tag, k) for k in range(n + i % 2)).encode()
        store.replace_graphs([GraphWrite(g, data, SourceRecord(g, "/x", tag, n + i % 2, now_iso()))])
        i += 1
    """
)


def test_sigkill_during_writes_leaves_a_whole_version(tmp_path: Path) -> None:
    path = tmp_path / "store"
    n = 40_000
    with Store(path) as store:
        store.replace_graphs([GraphWrite(G, _version(n, "v0"), SourceRecord(G, "/x", "v0", n, now_iso()))])
    for delay in (0.7, 1.3, 2.1):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(n)], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stdout.close()
        with Store(path) as store:  # opens: the lock died with the process
            count = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}")[0]["n"]
            tags = store.select(f"SELECT DISTINCT ?o WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }} LIMIT 3")
            [record] = store.sources()
            assert count in (n, n + 1), count  # one whole version, never part of one
            assert count == record.triples  # the record moved with the data
            assert len({str(t["o"]).split()[0] for t in tags}) == 1
            staged = store.select("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(STR(?g), 'staging')) } LIMIT 1")
            assert staged == []


def test_readers_never_see_half_a_source(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    sizes = (5_000, 7_000)
    store.replace_graphs([GraphWrite(G, _version(sizes[0], "a"), SourceRecord(G, "/x", "a", sizes[0], now_iso()))])
    seen: set[int] = set()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen.add(store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{G}> {{ ?s ?p ?o }} }}")[0]["n"])

    readers = [threading.Thread(target=read) for _ in range(2)]
    for t in readers:
        t.start()
    for i in range(12):
        size, tag = sizes[(i + 1) % 2], "ab"[(i + 1) % 2]
        store.replace_graphs([GraphWrite(G, _version(size, tag), SourceRecord(G, "/x", tag, size, now_iso()))])
    stop.set()
    for t in readers:
        t.join()
    store.close()
    assert seen <= set(sizes) and seen
