"""The first load by ``neo4j-admin database import`` (graph/sync/admin_import.py) on a real server.

Its yardstick is the driver's first sync: after the import Neo4j must hold exactly what a
clean sync writes (the full export, ``snapshot``), and the next sync must be incremental.
The import stops and starts its server, so these tests run their own launcher server.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from neo4j_fixtures import free_port, require_jars, run_cli

from yhdyspinta.errors import Neo4jError
from yhdyspinta.graph.backends.neo4j.connect import Target, clear, connect, snapshot
from yhdyspinta.graph.store.store import Store
from yhdyspinta.graph.sync.admin_import import first_load, write_import_files
from yhdyspinta.graph.sync.mapping import NodeRecord, RelRecord
from yhdyspinta.graph.sync.sync import sync
from yhdyspinta.ingest import ingest
from yhdyspinta.launcher.server import ConnectionInfo, start, stop
from yhdyspinta.settings import Settings

pytestmark = pytest.mark.neo4j

NETWORK = """@prefix yhd: <https://w3id.org/yhdyspinta/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix src: <https://w3id.org/yhdyspinta/source/> .
@prefix mun: <https://w3id.org/yhdyspinta/id/municipality/> .
@prefix region: <https://w3id.org/yhdyspinta/id/region/> .
@prefix thn: <https://w3id.org/yhdyspinta/theme/national/> .
<https://w3id.org/yhdyspinta/id/network/importtest/a> a yhd:Network ;
    skos:prefLabel "Tuontiverkosto, \\"lainattu\\"\\nkaksi riviä"@fi ; yhd:inRegion region:paijat-hame ;
    yhd:theme thn:hyte ; org:hasMember mun:398, mun:016 ; dcterms:source src:004_664281610daadb27 .
"""


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, ConnectionInfo]]:
    """A launcher server of this module's own: the import stops and starts it."""
    require_jars()
    home = tmp_path_factory.mktemp("import-home")
    info = start(home=home, bolt_port=free_port())
    try:
        yield home, info
    finally:
        stop(home=home, timeout=30)


def settings_of(home: Path, info: ConnectionInfo) -> Settings:
    return Settings(home=home, neo4j_uri=info.uri, neo4j_database=info.database)


def counts(target: Target) -> tuple[dict[str, int], dict[str, int]]:
    labels = target.run("MATCH (n) UNWIND labels(n) AS l RETURN l, count(*) AS n")
    types = target.run("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n")
    return {r["l"]: r["n"] for r in labels}, {r["t"]: r["n"] for r in types}


def test_import_writes_what_a_first_sync_writes_and_the_sync_continues(
    bundled_store: Store, own_server: tuple[Path, ConnectionInfo], tmp_path: Path
) -> None:
    home, info = own_server
    settings = settings_of(home, info)
    source = tmp_path / "importtest.ttl"
    source.write_text(NETWORK, encoding="utf-8")
    graph = ingest(bundled_store, [source]).outcomes[0].graph
    target = connect(settings)
    try:
        clear(target)
        sync(bundled_store, target)
        synced, synced_counts = snapshot(target), counts(target)
    finally:
        target.driver.close()

    report = first_load(bundled_store, settings, overwrite=True)
    assert report.mode == "import" and report.nodes_written == len(synced.nodes)
    target = connect(settings)
    try:
        imported = snapshot(target)
        assert counts(target) == synced_counts
        assert imported.counts == synced.counts
        assert imported == synced  # every node, label, property, relationship and source record
        constraints = target.run("SHOW CONSTRAINTS YIELD name RETURN name")
        assert {"name": "n10s_unique_uri"} in constraints

        again = sync(bundled_store, target)
        assert again.mode == "incremental" and not again.changed_anything

        source.write_text(NETWORK.replace("mun:398, mun:016", "mun:016"), encoding="utf-8")
        ingest(bundled_store, [source])
        step = sync(bundled_store, target)
        assert step.mode == "incremental" and step.changed == [graph] and not step.added
        assert 0 < step.nodes_written < 10  # the network and the municipalities it names
        after = snapshot(target)
        clear(target)
        sync(bundled_store, target)
        assert after == snapshot(target)
    finally:
        target.driver.close()


def test_import_refuses_a_database_with_nodes_and_another_server(
    bundled_store: Store, own_server: tuple[Path, ConnectionInfo], tmp_path: Path
) -> None:
    home, info = own_server
    settings = settings_of(home, info)
    target = connect(settings)
    try:
        target.driver.execute_query("CREATE (:Other {name: 'kept'})", database_=target.database)
        with pytest.raises(Neo4jError, match="not empty"):
            first_load(bundled_store, settings)
        assert target.run("MATCH (n:Other) RETURN n.name AS name") == [{"name": "kept"}]
        target.driver.execute_query("MATCH (n:Other) DELETE n", database_=target.database)
    finally:
        target.driver.close()
    elsewhere = Settings(home=home, neo4j_uri="bolt://127.0.0.1:1")
    with pytest.raises(Neo4jError, match="not the launcher's server"):
        first_load(bundled_store, elsewhere)
    with pytest.raises(Neo4jError, match="no local Neo4j server"):
        first_load(bundled_store, Settings(home=tmp_path / "no-server"))
    done = run_cli("neo4j", "import", env={"YHDYSPINTA_HOME": str(tmp_path / "no-server")})
    assert done.returncode != 0 and "no local Neo4j server" in done.stderr


def test_import_files_type_every_column(tmp_path: Path) -> None:
    """Values of every kind the mapping makes, and texts with quotes, commas and newlines."""
    helsinki = timezone(timedelta(hours=2))
    nodes = [
        NodeRecord("https://x/a", ("Thing",), {
            "uri": "https://x/a", "graphs": ["g1"], "n": 3, "f": 0.5, "b": False, "d": date(2024, 5, 1),
            "t": datetime(2024, 5, 1, 12, 0, tzinfo=helsinki), "s": 'a, "b"\nc', "e": "", "l": [1, 2],
        }),
        NodeRecord("https://x/b", ("Thing",), {"uri": "https://x/b", "graphs": ["g1"], "n": "three"}),
    ]
    rels = [RelRecord("https://x/a", "knows", "https://x/b", ("g1", "g2"))]
    files = write_import_files(tmp_path, nodes, rels, [], "digest")
    # the two nodes differ in the type of n: two files, so that each column has one type
    assert len([p for name, p in files.nodes if not name]) == 2
    headers = {p.read_text(encoding="utf-8").splitlines()[0] for name, p in files.nodes if not name}
    assert any("n:long" in h and "t:datetime" in h and "l:long[]" in h for h in headers)
    assert any("n:string" in h for h in headers)
    [(_all, rel_file)] = files.relationships
    assert '"https://x/a",knows,"https://x/b","g1\x1fg2"' in rel_file.read_text(encoding="utf-8")
    # nodes of one shape share a file; a property a node lacks is an unquoted empty field
    same = [NodeRecord(f"https://x/{i}", (), {"uri": f"https://x/{i}", "graphs": ["g"], **extra})
            for i, extra in enumerate([{"a": "x"}, {"b": 1}, {"a": ""}])]
    files = write_import_files(tmp_path, same, [], [], "digest")
    [(_labels, node_file)] = [f for f in files.nodes if not f[0]]
    lines = node_file.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "uri:ID,:LABEL,a:string,b:long,graphs:string[]"
    assert lines[2] == '"https://x/1","Resource",,"1","g"' and lines[3].endswith(',"",,"g"')
    bad = [NodeRecord("https://x/c", (), {"uri": "https://x/c", "graphs": ["g\x1f"]})]
    with pytest.raises(Neo4jError, match="U\\+001F"):
        write_import_files(tmp_path, bad, [], [], "digest")
