"""The HTTP API answers from Neo4j when built with the Neo4j back end, exactly as from the store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from http_live import asgi_client

from yhdyspinta.api.http.app import create_app
from yhdyspinta.graph.backends.neo4j.backend import Neo4jBackend
from yhdyspinta.graph.backends.neo4j.connect import Target
from yhdyspinta.graph.store.store import Store
from yhdyspinta.graph.sync.sync import sync
from yhdyspinta.settings import Settings

ROUTES = (
    "/api/regions/paijat-hame/gaps?all=true",
    "/api/regions/paijat-hame/coverage",
    "/api/regions/etela-karjala/calendar?today=2024-10-01",
    "/api/regions/paijat-hame/changes?from=2016-01-01&to=2024-01-01",
    "/api/quorum",
    "/api/bridges?region=paijat-hame",
    "/api/load?region=keski-pohjanmaa",
    "/api/compare?a=paijat-hame&b=keski-pohjanmaa",
    "/api/regions/etela-savo/coverage?as_of=2024-06-01",
)


@pytest.mark.neo4j
def test_api_on_neo4j_answers_as_on_the_store(
    bundled_store_dir: Path, neo4j_clean: Target, neo4j_settings: Settings, tmp_path: Path
) -> None:
    shutil.copytree(bundled_store_dir, tmp_path / "store")
    settings = Settings(home=tmp_path, query_workers=1, neo4j_uri=neo4j_settings.neo4j_uri,
                        neo4j_user=neo4j_settings.neo4j_user, neo4j_password=neo4j_settings.neo4j_password,
                        neo4j_database=neo4j_settings.neo4j_database)
    store = Store(settings.store_path)
    sync(store, settings)
    neo = Neo4jBackend.from_settings(settings)
    try:
        with asgi_client(create_app(settings, store)) as embedded, \
                asgi_client(create_app(settings, store, backend=neo, workdir=tmp_path / "serve-neo")) as on_neo4j:
            for route in ROUTES:
                a, b = embedded.get(route), on_neo4j.get(route)
                assert a.status_code == b.status_code == 200, (route, a.text[:200], b.text[:200])
                assert a.json() == b.json(), route
    finally:
        neo.close()
        store.close()
