"""``ingest --target sparql``: the same validation, the same graphs, records and history in a remote store,
and all or nothing per batch as far as the protocol allows (update endpoint: staged, one update;
Graph Store Protocol only: PUT, and the old versions PUT back on a failure)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from sparql_fixtures import STORES, clear_remote, copy_into, endpoints_of

from yhdyspinta.errors import RemoteStoreError, ValidationError
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend
from yhdyspinta.graph.backends.sparql.backend import SparqlBackend
from yhdyspinta.graph.store.remote import RemoteStore
from yhdyspinta.graph.store.store import STAGING_PREFIX, GraphWrite, SourceRecord, Store, now_iso
from yhdyspinta.ingest import ingest
from yhdyspinta.launcher.rdfstore import StoreInfo
from yhdyspinta.ontology.namespaces import GRAPH

DATA = Path(__file__).parent / "data"
NETWORK = DATA / "network.ttl"
BROKEN = """@prefix yhd: <https://w3id.org/yhdyspinta/ontology#> .
<https://w3id.org/yhdyspinta/id/structure/x/broken> a yhd:Network .
"""


def _graphs(remote: RemoteStore) -> set[str]:
    rows = remote.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {r["g"] for r in rows}


def _triples(ntriples: bytes) -> set[ox.Triple]:
    """The triples, however the store wrote them (escapes, spacing)."""
    return set(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))  # type: ignore[arg-type]


def _key(r: SourceRecord) -> tuple[str, str, str, int]:
    return r.graph, r.path, r.sha256, r.triples


@pytest.mark.parametrize("name", STORES)
@pytest.mark.parametrize("mode", ["update", "gsp-only", "update-only"])
def test_remote_ingest_keeps_what_the_embedded_store_keeps(
    name: str, mode: str, request: pytest.FixtureRequest, base_store: Store
) -> None:
    """update-only: a store without the Graph Store Protocol, staged with INSERT DATA in chunks."""
    info: StoreInfo = request.getfixturevalue(f"{name}_server")
    copy_into(base_store, info)  # the same base (ontology, reference data) on both sides
    with RemoteStore(endpoints_of(info, update=mode != "gsp-only", gsp=mode != "update-only")) as remote:
        first, local = ingest(remote, [NETWORK]), ingest(base_store, [NETWORK])
        assert [o.status for o in first.outcomes] == [o.status for o in local.outcomes] == ["new"]
        assert [o.status for o in ingest(remote, [NETWORK]).outcomes] == ["unchanged"]
        assert sorted(map(_key, remote.sources())) == sorted(map(_key, base_store.sources()))
        assert [o.status for o in ingest(remote, [NETWORK], force=True).outcomes] == ["replaced"]
        ingest(base_store, [NETWORK], force=True)
        graph = first.outcomes[0].graph

        def events(store: RemoteStore | Store) -> list[tuple[str, str, str, int, int, int]]:
            return [(e.graph, e.path, e.sha256, e.triples, e.added, e.removed) for e in store.history(graph)]

        assert events(remote) == events(base_store) and len(events(remote)) == 2
        assert _triples(remote.dump(graph)) == _triples(base_store.dump(graph))
        assert not any(g.startswith(STAGING_PREFIX) for g in _graphs(remote))
        assert len(remote) == len(base_store)
        assert SparqlBackend(remote).memberships() == EmbeddedBackend(base_store).memberships()


@pytest.mark.parametrize("name", STORES)
def test_an_invalid_source_writes_nothing_remotely(
    name: str, request: pytest.FixtureRequest, base_store: Store, tmp_path: Path
) -> None:
    info: StoreInfo = request.getfixturevalue(f"{name}_server")
    copy_into(base_store, info)
    bad = tmp_path / "broken.ttl"
    bad.write_text(BROKEN, encoding="utf-8")
    with RemoteStore(endpoints_of(info)) as remote:
        ingest(remote, [NETWORK])
        before = (remote.sources(), _graphs(remote), len(remote))
        with pytest.raises(ValidationError):
            ingest(remote, [NETWORK, bad], force=True)
        assert (remote.sources(), _graphs(remote), len(remote)) == before


def _writes(good: bytes) -> list[GraphWrite]:
    stamp = now_iso()
    graphs = [f"{GRAPH}source/remote-test-{i}" for i in (1, 2)]
    return [GraphWrite(graphs[0], good, SourceRecord(graphs[0], "one.ttl", "a" * 64, 1, stamp), added=1),
            GraphWrite(graphs[1], b"this is not N-Triples <", SourceRecord(graphs[1], "two.ttl", "b" * 64, 1, stamp))]


@pytest.mark.parametrize("name", STORES)
@pytest.mark.parametrize("mode", ["update", "gsp-only"])
def test_a_batch_the_store_refuses_half_way_changes_nothing(
    name: str, mode: str, request: pytest.FixtureRequest
) -> None:
    """The second graph of a batch is refused by the store itself (HTTP 400): the first, already sent,
    is not kept: staged and dropped (update), or PUT back as it was (Graph Store Protocol only)."""
    info: StoreInfo = request.getfixturevalue(f"{name}_server")
    clear_remote(info)
    old = b"<http://example.org/s> <http://example.org/p> \"old\" .\n"
    new = b"<http://example.org/s> <http://example.org/p> \"new\" .\n"
    with RemoteStore(endpoints_of(info, update=mode == "update")) as remote:
        first = _writes(old)[0]
        remote.replace_graphs([first])
        before = (remote.sources(), _graphs(remote), remote.dump(first.graph))
        with pytest.raises(RemoteStoreError, match="HTTP 400") as caught:
            remote.replace_graphs(_writes(new))
        assert "nothing was changed" in str(caught.value) or "put back as they were" in str(caught.value)
        assert (remote.sources(), _graphs(remote), remote.dump(first.graph)) == before
        assert b'"old"' in before[2]


def test_the_cli_ingests_into_a_remote_store(oxigraph_server: StoreInfo, tmp_path: Path) -> None:
    """``yhdyspinta ingest --target sparql`` in a real process; then ``--backend sparql`` answers from it."""
    clear_remote(oxigraph_server)
    env = {**os.environ, **oxigraph_server.env(), "YHDYSPINTA_HOME": str(tmp_path / "home"), "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "yhdyspinta", "ingest", "--target", "sparql"], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "127.0.0.1" in done.stderr and "source(s) written" in done.stderr
    assert not (tmp_path / "home" / "store").exists()  # nothing went into an embedded store
    with RemoteStore(endpoints_of(oxigraph_server)) as remote:
        regions = SparqlBackend(remote).regions()
    assert len(regions) >= 20
    regions_cli = subprocess.run([sys.executable, "-m", "yhdyspinta", "--backend", "sparql", "regions", "-f", "json"],
                                 env=env, capture_output=True, text=True, timeout=600)
    assert regions_cli.returncode == 0 or "--backend" in regions_cli.stderr, regions_cli.stderr


def test_the_cli_names_a_store_that_is_down(tmp_path: Path) -> None:
    from neo4j_fixtures import free_port

    url = f"http://user:secret-pw@127.0.0.1:{free_port()}/query"
    env = {**os.environ, "YHDYSPINTA_SPARQL_QUERY": url, "YHDYSPINTA_HOME": str(tmp_path), "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-m", "yhdyspinta", "ingest", "--target", "sparql", str(NETWORK)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 7, done.stderr
    assert "cannot be reached" in done.stderr and "secret-pw" not in done.stderr and "Traceback" not in done.stderr
