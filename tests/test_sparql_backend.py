"""The sparql back end: the same answers as the embedded store, on Oxigraph server and on Fuseki TDB2.

Parity as for Neo4j (the methods are read from the ``Backend`` protocol, so a new one is compared
here too), then how bound values are substituted, then failures: store down, wrong credentials,
a time-out, a store that does not read its default graph as the union.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from neo4j_fixtures import copy_store, free_port
from sparql_fixtures import STORES, clear_remote, copy_into, endpoints_of, settings_of
from test_neo4j_parity import (
    COVERED,
    DAYS,
    REGIONAL,
    P,
    assert_methods_same,
    handmade_turtle,
    scheme_choices,
)

from yhdyspinta.errors import (
    ConfigError,
    RemoteAuthError,
    RemoteStoreError,
    RemoteTimeoutError,
    RemoteUnavailableError,
)
from yhdyspinta.graph.analyses.bridges import bridges
from yhdyspinta.graph.analyses.calendar import due_calendar
from yhdyspinta.graph.analyses.changes import changes_between
from yhdyspinta.graph.analyses.compare import compare
from yhdyspinta.graph.analyses.coverage import coverage_detail
from yhdyspinta.graph.analyses.gaps import coverage_gaps
from yhdyspinta.graph.analyses.load import load
from yhdyspinta.graph.analyses.quorum import quorum
from yhdyspinta.graph.analyses.report import situational_picture
from yhdyspinta.graph.analyses.viz import national_view, region_view
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend
from yhdyspinta.graph.backends.registry import BACKEND_NAMES, open_backend
from yhdyspinta.graph.backends.sparql.backend import SparqlBackend
from yhdyspinta.graph.regions import resolve_region
from yhdyspinta.graph.store.remote import RemoteStore
from yhdyspinta.graph.store.remote_client import Endpoints, public_url, substitute
from yhdyspinta.graph.store.store import Store
from yhdyspinta.ingest import ingest
from yhdyspinta.launcher import oxigraph
from yhdyspinta.launcher.rdfstore import StoreInfo
from yhdyspinta.ontology.namespaces import SPARQL_PREFIXES


@pytest.fixture(scope="module", params=STORES)
def bundled_on_remote(
    request: pytest.FixtureRequest, bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[EmbeddedBackend, SparqlBackend]]:
    """The bundled data in the embedded store and the same graphs in a remote store."""
    info: StoreInfo = request.getfixturevalue(f"{request.param}_server")
    store = copy_store(bundled_store_dir, tmp_path_factory.mktemp("sparql-parity") / "store")
    copy_into(store, info)
    remote = RemoteStore(endpoints_of(info))
    yield EmbeddedBackend(store), SparqlBackend(remote)
    remote.close()
    store.close()


# -- parity ---------------------------------------------------------------------


def test_bundled_data_answers_the_same(bundled_on_remote: tuple[EmbeddedBackend, SparqlBackend]) -> None:
    embedded, remote = bundled_on_remote
    assert remote.regions() == embedded.regions()
    assert assert_methods_same(embedded, remote, embedded.regions(), scheme_choices(embedded))
    for region in embedded.regions():
        for schemes in scheme_choices(embedded)(region):
            a = coverage_gaps(embedded, region, schemes=schemes)
            assert coverage_gaps(remote, region, schemes=schemes).to_json(only_gaps=False) == a.to_json(
                only_gaps=False)


@pytest.mark.parametrize("day", DAYS[1:], ids=str)
def test_every_method_answers_the_same_on_each_day(
    bundled_on_remote: tuple[EmbeddedBackend, SparqlBackend], day: date
) -> None:
    embedded, remote = (b.at(day) for b in bundled_on_remote)
    assert assert_methods_same(embedded, remote, embedded.regions(), scheme_choices(embedded, 1))
    assert remote.memberships() and remote.commitments() and remote.council_terms()  # not all empty


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_every_analysis_answers_the_same(
    bundled_on_remote: tuple[EmbeddedBackend, SparqlBackend], day: date | None
) -> None:
    embedded, remote = (b.at(day) for b in bundled_on_remote)
    today = day or date.today()
    for slug in REGIONAL:
        region = resolve_region(embedded, slug)
        for analysis in (coverage_detail, situational_picture, region_view):
            assert analysis(remote, region) == analysis(embedded, region), (analysis.__name__, slug)
        for whole_or_region in (bridges, load, quorum):
            assert whole_or_region(remote, region).to_json() == whole_or_region(embedded, region).to_json()
        assert due_calendar(remote, region, today=today) == due_calendar(embedded, region, today=today)
    ph, kp = resolve_region(embedded, "paijat-hame"), resolve_region(embedded, "keski-pohjanmaa")
    assert compare(remote, ph, kp) == compare(embedded, ph, kp)
    assert national_view(remote).to_json() == national_view(embedded).to_json()
    for whole_or_region in (bridges, load, quorum):
        assert whole_or_region(remote).to_json() == whole_or_region(embedded).to_json()
    start, end = date(2022, 1, 1), date(2026, 1, 1)
    assert changes_between(remote.at, ph, start, end) == changes_between(embedded.at, ph, start, end)


@pytest.mark.parametrize("name", STORES)
def test_handmade_coverage_paths(
    name: str, request: pytest.FixtureRequest, base_store: Store, tmp_path: Path
) -> None:
    info: StoreInfo = request.getfixturevalue(f"{name}_server")
    source = tmp_path / "parity.ttl"
    source.write_text(handmade_turtle(), encoding="utf-8")
    ingest(base_store, [source])
    copy_into(base_store, info)
    embedded = EmbeddedBackend(base_store)
    with RemoteStore(endpoints_of(info)) as store:
        remote = SparqlBackend(store)
        assert assert_methods_same(embedded, remote, embedded.regions(), scheme_choices(embedded))
        report = coverage_gaps(remote, resolve_region(remote, "paritymaa"))
    mine = {t.theme.removeprefix(P): t for t in report.themes if t.theme.startswith(P)}
    covered = {k: {c.iri.rsplit("/", 1)[1] for c in t.covered_by} for k, t in mine.items() if t.covered_by}
    assert covered == COVERED


def test_the_registry_opens_the_sparql_back_end(oxigraph_server: StoreInfo, bundled_store: Store,
                                                 tmp_path: Path) -> None:
    assert "sparql" in BACKEND_NAMES
    copy_into(bundled_store, oxigraph_server)
    with open_backend(settings_of(oxigraph_server, tmp_path), "sparql", as_of=date(2024, 6, 1)) as backend:
        assert backend.name == "sparql"
        assert backend.regions() == EmbeddedBackend(bundled_store).regions()
        assert backend.at(None).structures() == EmbeddedBackend(bundled_store).structures()


# -- substitution of bound values ------------------------------------------------


@pytest.mark.parametrize(("query", "bind", "expected"), [
    ("SELECT ?s ?day WHERE { ?s ?p ?day }", {"day": ox.Literal("x")},
     'SELECT ?s ("x" AS ?day) WHERE { ?s ?p "x" }'),
    ("SELECT DISTINCT ?s ?r WHERE { ?s ?p ?r FILTER(?r != <http://e/?r>) }", {"r": ox.NamedNode("http://e/a")},
     "SELECT DISTINCT ?s (<http://e/a> AS ?r) WHERE { ?s ?p <http://e/a> FILTER(<http://e/a> != <http://e/?r>) }"),
    ('SELECT ?s WHERE { ?s ?p "?day" }', {"day": ox.Literal("1", language="fi")},
     'SELECT ?s WHERE { ?s ?p "?day" }'),
    ("SELECT ?s WHERE { ?s ?p ?o { SELECT ?o WHERE { ?o ?q ?day } } ?s ?q ?day }", {"day": ox.Literal("d")},
     'SELECT ?s WHERE { ?s ?p ?o { SELECT ?o WHERE { ?o ?q ?day } } ?s ?q "d" }'),
    ("SELECT (COUNT(?x) AS ?n) ?x WHERE { ?x ?p ?o }", {"x": ox.NamedNode("http://e/x")},
     "SELECT (COUNT(<http://e/x>) AS ?n) (<http://e/x> AS ?x) WHERE { <http://e/x> ?p ?o }"),
    ("SELECT ?s WHERE { ?s ?p ?dayafter }", {"day": ox.Literal("d")}, "SELECT ?s WHERE { ?s ?p ?dayafter }"),
    ("SELECT ?s ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?s ?g", {"g": ox.NamedNode("http://e/g")},
     "SELECT ?s (<http://e/g> AS ?g) WHERE { GRAPH <http://e/g> { ?s ?p ?o } } ORDER BY ?s (<http://e/g>)"),
])
def test_substitution_replaces_variable_tokens_only(query: str, bind: dict[str, ox.Literal], expected: str) -> None:
    assert substitute(query, bind) == SPARQL_PREFIXES + expected


def test_a_hostile_value_stays_one_term(oxigraph_server: StoreInfo) -> None:
    """A literal that looks like SPARQL is escaped by the term's serialisation: the query still parses,
    and the value comes back as it was."""
    hostile = 'x" } ; DROP ALL ; SELECT * { "'
    with RemoteStore(endpoints_of(oxigraph_server)) as remote:
        rows = remote.select("SELECT ?v WHERE { BIND(STRLEN(?v) AS ?n) }", {"v": ox.Literal(hostile)})
    assert rows == [{"v": hostile}]


# -- failures ---------------------------------------------------------------------


def test_a_store_that_is_down_is_named_without_credentials() -> None:
    port = free_port()
    endpoints = Endpoints(f"http://someone:hunter22@127.0.0.1:{port}/query", timeout=5)
    with RemoteStore(endpoints) as remote, pytest.raises(RemoteUnavailableError) as caught:
        remote.sources()
    message = str(caught.value)
    assert f"http://127.0.0.1:{port}/query" in message and "hunter22" not in message and "someone" not in message
    assert caught.value.exit_code == 7 and "is it running?" in message


def test_wrong_credentials(fuseki_server: StoreInfo) -> None:
    wrong = Endpoints(fuseki_server.query, user=fuseki_server.user, password="not-the-password", timeout=30)
    with RemoteStore(wrong) as remote, pytest.raises(RemoteAuthError) as caught:
        remote.sources()
    assert "refused the credentials (HTTP 401)" in str(caught.value)
    assert fuseki_server.query in str(caught.value) and "not-the-password" not in str(caught.value)
    assert caught.value.exit_code == 8
    nobody = Endpoints(fuseki_server.query, timeout=30)
    with RemoteStore(nobody) as remote, pytest.raises(RemoteAuthError):
        remote.ask("ASK {}")


def test_a_time_out(silent_store: str) -> None:
    with RemoteStore(Endpoints(silent_store, timeout=0.5)) as remote, pytest.raises(RemoteTimeoutError) as caught:
        remote.sources()
    assert f"{silent_store} did not answer within 0.5 s" in str(caught.value)
    assert caught.value.exit_code == 9


def test_a_wrong_path_is_the_stores_own_error(oxigraph_server: StoreInfo) -> None:
    wrong = Endpoints(oxigraph_server.query.replace("/query", "/nothing-here"), timeout=10)
    with RemoteStore(wrong) as remote, pytest.raises(RemoteStoreError, match=r"HTTP 404\) \(is the URL"):
        remote.sources()


def test_settings_without_a_query_endpoint(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="YHDYSPINTA_SPARQL_QUERY"), open_backend(
        settings_of(StoreInfo("x", "", "", ""), tmp_path), "sparql"
    ):
        pass


def test_an_empty_store_says_to_ingest_first(oxigraph_server: StoreInfo, tmp_path: Path) -> None:
    clear_remote(oxigraph_server)
    with pytest.raises(RemoteStoreError, match="holds no yhdyspinta data"), open_backend(
        settings_of(oxigraph_server, tmp_path), "sparql"
    ):
        pass


def test_a_store_without_the_union_default_graph_is_refused(tmp_path: Path) -> None:
    """Oxigraph server started without --union-default-graph: the queries would see nothing."""
    port = free_port()
    home = tmp_path / "plain"
    (home / "oxigraph" / "data").mkdir(parents=True)
    info = oxigraph.info_for(port)
    from yhdyspinta.launcher.rdfstore import start_store, stop_store, store_paths

    paths = store_paths(home, "oxigraph")
    command = [str(oxigraph.install()), "serve", "--location", str(paths.data), "--bind", f"127.0.0.1:{port}"]
    start_store(paths, command, info, marker=str(paths.data), port=port, timeout=60)
    try:
        with RemoteStore(endpoints_of(info)) as remote:
            remote.client.put_graph("https://w3id.org/yhdyspinta/graph/x", b"<http://e/s> <http://e/p> <http://e/o> .\n")
            with pytest.raises(RemoteStoreError, match="--union-default-graph"):
                remote.check_union()
    finally:
        stop_store(paths)


def test_public_url_keeps_everything_but_the_credentials() -> None:
    assert public_url("https://u:p@example.org:8443/ds/query?x=1") == "https://example.org:8443/ds/query?x=1"
    assert public_url("http://example.org/q") == "http://example.org/q"
