"""The embedded store: persistent on disk, transactional, with a union default graph."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from yhdyspinta.errors import QueryError, StoreError
from yhdyspinta.graph.store.store import STAGING_PREFIX, GraphWrite, SourceRecord, Store, now_iso

G1 = "https://w3id.org/yhdyspinta/graph/test/one"
G2 = "https://w3id.org/yhdyspinta/graph/test/two"


def _write(graph: str, triples: str) -> GraphWrite:
    data = triples.encode()
    return GraphWrite(graph, data, SourceRecord(graph, f"/tmp/{graph[-3:]}.nt", "sha", data.count(b"\n"), now_iso()))


def test_data_persists_between_opens(tmp_path: Path) -> None:
    with Store(tmp_path / "s") as store:
        store.replace_graphs([_write(G1, "<http://a> <http://b> <http://c> .\n")])
    with Store(tmp_path / "s") as store:
        assert len(store) == 1
        assert [r.graph for r in store.sources()] == [G1]
        assert store.ask("ASK { <http://a> <http://b> <http://c> }")  # union default graph


def test_replace_and_remove_touch_only_their_graph(tmp_path: Path) -> None:
    with Store(tmp_path / "s") as store:
        store.replace_graphs([_write(G1, "<http://a> <http://b> <http://c> .\n"),
                              _write(G2, "<http://x> <http://y> <http://z> .\n")])
        store.replace_graphs([_write(G1, "<http://a> <http://b> <http://d> .\n<http://a> <http://b> <http://e> .\n")])
        assert len(store) == 3
        assert not store.ask("ASK { <http://a> <http://b> <http://c> }")
        assert {r.graph: r.triples for r in store.sources()} == {G1: 2, G2: 1}
        store.remove_graphs([G1])
        assert len(store) == 1 and [r.graph for r in store.sources()] == [G2]


def test_leftover_staging_graphs_are_dropped_on_open(tmp_path: Path) -> None:
    raw = ox.Store(str(tmp_path / "s"))
    raw.add(ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://b"), ox.Literal("half-written"),
                    ox.NamedNode(STAGING_PREFIX + "dead")))
    del raw
    with Store(tmp_path / "s") as store:
        assert len(store) == 0
        assert not store.ask('ASK { ?s ?p "half-written" }')


def test_failed_write_changes_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "s") as store:
        store.replace_graphs([_write(G1, "<http://a> <http://b> <http://c> .\n")])
        with pytest.raises(StoreError, match="nothing was changed"):
            store.replace_graphs([_write(G2, "<http://x> <http://y> <http://z> .\n"), _write(G1, "not n-triples\n")])
        assert len(store) == 1 and [r.graph for r in store.sources()] == [G1]


def test_bad_sparql_is_a_query_error() -> None:
    store = Store(None)
    with pytest.raises(QueryError, match="SPARQL"):
        store.select("SELECT ?x WHERE { ?x ")


def test_types_of_passes_over_what_is_not_an_iri(base_store: Store) -> None:
    """A source may name a node badly (a template cell '<'); the lookup of known types must not crash on it:
    the node has no type in any store, and validation names the bad value (found by the template fuzz test)."""
    region = "https://w3id.org/yhdyspinta/id/region/paijat-hame"
    found = base_store.types_of(["https://w3id.org/yhdyspinta/level/<", "not an iri", region])
    assert {node for node, _cls in found} == {region}
