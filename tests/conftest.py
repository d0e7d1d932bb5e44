"""Shared fixtures: stores built once per session and copied per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from yhdyspinta.graph.store.store import Store
from yhdyspinta.ingest import ingest
from yhdyspinta.ingest.bundle import bundled_graph, bundled_paths, data_dir
from yhdyspinta.ontology.files import ONTOLOGY_FILES, ORG_FILE

pytest_plugins = ["neo4j_fixtures", "sparql_fixtures"]

DATA = Path(__file__).parent / "data"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--long", action="store_true",
                     help="run the long variants: more generated examples, more load, larger data")


def pytest_configure(config: pytest.Config) -> None:
    """Hypothesis: 40 examples per property by default, 400 with --long."""
    from hypothesis import settings

    settings.register_profile("default-run", max_examples=40, deadline=None)
    settings.register_profile("long-run", max_examples=400, deadline=None)
    settings.load_profile("long-run" if config.getoption("--long") else "default-run")


@pytest.fixture(scope="session")
def long_run(request: pytest.FixtureRequest) -> bool:
    """True with --long: tests scale their examples, clients and data up."""
    return bool(request.config.getoption("--long"))


def _build(path: Path, sources: list[Path]) -> None:
    with Store(path) as store:
        ingest(store, sources, naming=bundled_graph)


@pytest.fixture(scope="session")
def base_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the ontology, vocabularies and reference data only."""
    path = tmp_path_factory.mktemp("base") / "store"
    _build(path, [*ONTOLOGY_FILES, ORG_FILE, data_dir() / "reference"])
    return path


@pytest.fixture(scope="session")
def bundled_store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with all the bundled data, as `yhdyspinta ingest` builds it."""
    path = tmp_path_factory.mktemp("bundled") / "store"
    _build(path, bundled_paths())
    return path


def _copy(src: Path, dst: Path) -> Store:
    shutil.copytree(src, dst)
    return Store(dst)


@pytest.fixture
def base_store(base_store_dir: Path, tmp_path: Path) -> Iterator[Store]:
    """A private, writable copy of the base store."""
    store = _copy(base_store_dir, tmp_path / "store")
    yield store
    store.close()


@pytest.fixture
def bundled_store(bundled_store_dir: Path, tmp_path: Path) -> Iterator[Store]:
    """A private, writable copy of the store with all the bundled data."""
    store = _copy(bundled_store_dir, tmp_path / "store")
    yield store
    store.close()
