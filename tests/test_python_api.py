"""The Python API (api/library/): ``import yhdyspinta``, ``open()``, the analysis functions, ``to_pandas()``.

Against the bundled data in a private store copy, and against a real Neo4j synced from it.
The facts asserted come from the sources (Päijät-Häme's network list, 004_...): cultural
wellbeing has no regional network, and the source says so.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

import yhdyspinta
from yhdyspinta.api import library
from yhdyspinta.errors import InputError, NotFoundError, QueryError, StoreError
from yhdyspinta.graph.analyses.coverage import MATRIX_COLUMNS
from yhdyspinta.graph.analyses.gaps import GapReport
from yhdyspinta.launcher.server import ConnectionInfo

ROOT = Path(__file__).resolve().parents[1]
SOURCE_WORDING = "Kulttuurihyvinvoinnilla ei ole alueellista toimivaa poikkitaiteellista"


@pytest.fixture
def home(bundled_store_dir: Path, tmp_path: Path) -> Path:
    """A YHDYSPINTA_HOME whose store is a private copy of the bundled store."""
    shutil.copytree(bundled_store_dir, tmp_path / "home" / "store")
    return tmp_path / "home"


@pytest.fixture
def g(home: Path) -> Iterator[yhdyspinta.Graph]:
    with yhdyspinta.open(home / "store") as graph:
        yield graph


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **env}, cwd="/")


# -- the package ------------------------------------------------------------------------------------------


def test_import_is_lazy_and_offers_the_api() -> None:
    """``import yhdyspinta`` imports no graph or api module; the first use of a name imports the library."""
    code = """
import sys, yhdyspinta
eager = sorted(m for m in sys.modules if m.startswith(("yhdyspinta.graph", "yhdyspinta.api")))
assert not eager, eager
assert "open" in dir(yhdyspinta) and "gaps" in yhdyspinta.__all__
f = yhdyspinta.gaps
assert f.__module__ == "yhdyspinta.api.library.analyses", f.__module__
assert "yhdyspinta.graph.analyses.gaps" in sys.modules
print("ok")
"""
    done = _run(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_the_lazy_names_are_the_librarys() -> None:
    assert set(yhdyspinta.LIBRARY_NAMES) == set(library.__all__)
    assert set(yhdyspinta.LIBRARY_NAMES) <= set(yhdyspinta.__all__)
    for name in yhdyspinta.LIBRARY_NAMES:
        assert getattr(yhdyspinta, name) is getattr(library, name)
    with pytest.raises(AttributeError, match="no attribute 'nonesuch'"):
        yhdyspinta.nonesuch  # noqa: B018


def test_to_pandas_without_pandas_names_the_install_line(home: Path) -> None:
    code = f"""
import sys
sys.modules["pandas"] = None  # as if pandas were not installed
import yhdyspinta
with yhdyspinta.open({str(home / "store")!r}) as g:
    report = yhdyspinta.gaps(g, "paijat-hame")
    assert report.rows()
    try:
        report.to_pandas()
    except ImportError as exc:
        print(exc)
"""
    done = _run(code)
    assert done.returncode == 0, done.stderr
    assert 'pip install "yhdyspinta[pandas]"' in done.stdout


# -- the analyses on the embedded store -----------------------------------------------------------------


def test_gaps_as_a_frame_holds_the_stated_gap(g: yhdyspinta.Graph) -> None:
    report = yhdyspinta.gaps(g, "paijat-hame")
    assert isinstance(report, GapReport)
    frame = report.to_pandas()
    assert list(frame.columns) == list(GapReport.columns) and "record" in GapReport.columns
    assert len(frame) == len(report.rows()) == len(report.gaps)
    row = frame.set_index("label_fi").loc["Kulttuurihyvinvointi"]
    assert row["covered_by"] == 0
    assert row["record"] == "absent (stated)"
    assert SOURCE_WORDING in row["stated_in_source"]
    assert report.title.startswith(f"Päijät-Häme: {len(report.gaps)} of {len(report.themes)} themes")
    every = report.to_pandas(only_gaps=False)
    assert len(every) == len(report.themes) > len(frame)


def test_a_region_by_slug_name_code_or_region(g: yhdyspinta.Graph) -> None:
    table = yhdyspinta.regions(g)
    frame = table.to_pandas()
    assert {"slug", "code", "label_fi", "label_en"} <= set(frame.columns)
    code = frame.set_index("slug").loc["paijat-hame", "code"]
    region = yhdyspinta.gaps(g, "paijat-hame").region
    for text in ("Päijät-Häme", code, region):
        assert yhdyspinta.gaps(g, text).region == region
    with pytest.raises(NotFoundError, match="paijat-hame"):
        yhdyspinta.gaps(g, "paijat-haem")


def test_explain_and_coverage_views(g: yhdyspinta.Graph) -> None:
    why = yhdyspinta.explain(g, "paijat-hame", "Kulttuurihyvinvointi")
    assert why.record == "absent (stated)"
    assert list(why.to_pandas().columns) == list(why.columns)
    matrix = yhdyspinta.coverage(g, "paijat-hame")
    assert list(matrix.to_pandas().columns) == ["theme", "label_fi", *MATRIX_COLUMNS]
    blocks = yhdyspinta.coverage(g, "paijat-hame", view="blocks").to_pandas()
    assert list(blocks.columns) == ["block", "state", "basis"]
    assert "Yhteistyön foorumit ja areenat" in set(blocks["block"])
    mandate = yhdyspinta.coverage(g, "paijat-hame", view="mandate")
    assert len(mandate) == len(matrix.without_mandate)
    assert mandate.to_json() == matrix.to_json()["themes_without_forum"]
    with pytest.raises(InputError, match="no coverage view 'nope'"):
        yhdyspinta.coverage(g, "paijat-hame", view="nope")


def test_extra_tables_by_name(g: yhdyspinta.Graph) -> None:
    load = yhdyspinta.load(g, "paijat-hame")
    names = load.table_names()
    assert names[0] == "main" and any(n.startswith("load-per-municipality") for n in names)
    ranking = load.to_pandas("load-per-municipality")
    assert list(ranking.columns)[:3] == ["rank", "label", "population"]
    assert len(ranking) == len(load.municipalities)
    assert list(load.to_pandas().columns)[:len(load.columns)] == list(load.columns)
    with pytest.raises(KeyError, match="its tables: main"):
        load.to_pandas("nonesuch")
    quorum = yhdyspinta.quorum(g)
    decisions = [t for t in quorum.tables() if t.name.endswith("decisions-on-record")]
    assert len(decisions) == len(quorum.pilots)
    bridges = yhdyspinta.bridges(g, "paijat-hame")
    pairs = bridges.to_pandas("most-strongly-linked-pairs")
    assert {"a_label", "b_label", "shared", "jaccard"} <= set(pairs.columns)


def test_compare_calendar_changes(g: yhdyspinta.Graph) -> None:
    comparison = yhdyspinta.compare(g, "paijat-hame", "lappi").to_pandas()
    assert list(comparison.columns) == ["metric", "paijat-hame", "lappi"]
    calendar = yhdyspinta.calendar(g, "paijat-hame", today=date(2026, 11, 1))
    assert set(calendar.to_pandas()["status"]) <= {"held", "due", "overdue", "upcoming", "past"}
    changes = yhdyspinta.changes(g, "paijat-hame", date(2020, 1, 1), date(2026, 11, 1))
    assert list(changes.to_pandas().columns)[:3] == ["kind", "label", "detail"]


def test_sparql_sources_history(g: yhdyspinta.Graph) -> None:
    answer = yhdyspinta.sparql(g, "SELECT (COUNT(*) AS ?n) WHERE { ?s a yhd:Region }")
    assert not isinstance(answer, bool)
    assert answer.rows()[0]["n"] == len(yhdyspinta.regions(g).rows())
    assert yhdyspinta.sparql(g, "ASK { ?s a yhd:Network }") is True
    triples = yhdyspinta.sparql(g, "CONSTRUCT { ?s a yhd:Region } WHERE { ?s a yhd:Region }")
    assert not isinstance(triples, bool) and list(triples.to_pandas().columns) == ["subject", "predicate", "object"]
    with pytest.raises(QueryError):
        yhdyspinta.sparql(g, "DELETE WHERE { ?s ?p ?o }")
    assert len(g.store) > 0
    sources = yhdyspinta.sources(g)
    assert len(sources) == len(g.store.sources()) > 0
    assert len(yhdyspinta.history(g)) >= len(sources)


def test_as_of_reads_the_graph_of_that_day(home: Path) -> None:
    """Päijät-Häme's preparedness priority lost its last structure after 2020 (the changes say so): covered
    as of 2020, a gap now; ``as_of`` per call gives what a graph opened on that day gives."""
    theme = "paijat-hame/priority/varautuminen"
    with yhdyspinta.open(home / "store", as_of=date(2020, 1, 1)) as then:
        old = yhdyspinta.gaps(then, "paijat-hame").rows()
    with yhdyspinta.open(home / "store", as_of=date(2026, 11, 1)) as now:
        assert theme not in {r["theme"] for r in old}
        assert theme in {r["theme"] for r in yhdyspinta.gaps(now, "paijat-hame").rows()}
        assert yhdyspinta.gaps(now, "paijat-hame", as_of=date(2020, 1, 1)).rows() == old
        lost = yhdyspinta.changes(now, "paijat-hame", date(2020, 1, 1), date(2026, 11, 1)).to_pandas()
        assert "theme-lost-coverage" in set(lost.loc[lost["subject"].str.endswith(theme), "kind"])


def test_a_closed_graph_says_so(home: Path) -> None:
    g = yhdyspinta.open(home / "store")
    g.close()
    with pytest.raises(StoreError, match="closed"):
        yhdyspinta.gaps(g, "paijat-hame")


def test_the_cli_answers_as_the_library(g: yhdyspinta.Graph, home: Path) -> None:
    """The same question through ``yhdyspinta gaps --format json`` and through the library: one answer."""
    expected = yhdyspinta.gaps(g, "paijat-hame").to_json()
    g.close()  # the store admits one writer process
    done = subprocess.run([sys.executable, "-m", "yhdyspinta", "gaps", "-r", "Päijät-Häme", "--format", "json"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "YHDYSPINTA_HOME": str(home)})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == expected


# -- the page ---------------------------------------------------------------------------------------------


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("python_docs", ROOT / "tools" / "python_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_page_runs_and_is_current(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/python.md's code runs, and its outputs are what the code gives now."""
    tool = _tool()
    monkeypatch.setenv("YHDYSPINTA_HOME", str(home))
    page = (ROOT / "docs" / "python.md").read_text(encoding="utf-8")
    namespace: dict[str, object] = {}
    try:
        fresh = tool.render(page, namespace)  # the page sets pandas' display options: reset below
    finally:
        graph = namespace.get("g")
        if isinstance(graph, yhdyspinta.Graph):
            graph.close()
        pd.reset_option("display.width")
        pd.reset_option("display.max_columns")
        pd.reset_option("display.max_colwidth")
    assert "```python" in page and fresh.count("```text") >= 10
    assert fresh == page, "docs/python.md is not current: run python3 tools/python_docs.py"


# -- Neo4j --------------------------------------------------------------------------------------------------


@pytest.mark.neo4j
def test_neo4j_gives_the_same_frames(home: Path, neo4j_info: ConnectionInfo, neo4j_clean: object) -> None:
    """``backend="neo4j"``: synced from the store, the analyses give the embedded answers, frame for frame."""
    connection = {"neo4j_uri": neo4j_info.uri, "neo4j_user": neo4j_info.user,
                  "neo4j_password": neo4j_info.password, "neo4j_database": neo4j_info.database}
    day = date(2026, 11, 1)
    with yhdyspinta.open(home / "store", backend="neo4j", as_of=day, **connection) as n:
        report = yhdyspinta.sync_neo4j(n)  # the server is empty: the back end connects after, on first use
        assert report.triples > 0
        assert n.backend.name == "neo4j"
        on_neo4j = {
            "gaps": yhdyspinta.gaps(n, "Päijät-Häme").to_pandas(),
            "matrix": yhdyspinta.coverage(n, "paijat-hame").to_pandas(),
            "load": yhdyspinta.load(n, "paijat-hame").to_pandas("load-per-municipality"),
            "quorum": yhdyspinta.quorum(n).to_pandas(),
        }
        assert yhdyspinta.explain(n, "paijat-hame", "Kulttuurihyvinvointi").record == "absent (stated)"
        assert len(yhdyspinta.sources(n)) > 0  # the store's side works beside Neo4j
    row = on_neo4j["gaps"].set_index("label_fi").loc["Kulttuurihyvinvointi"]
    assert row["record"] == "absent (stated)" and SOURCE_WORDING in row["stated_in_source"]
    with yhdyspinta.open(home / "store", as_of=day) as e:
        embedded = {
            "gaps": yhdyspinta.gaps(e, "Päijät-Häme").to_pandas(),
            "matrix": yhdyspinta.coverage(e, "paijat-hame").to_pandas(),
            "load": yhdyspinta.load(e, "paijat-hame").to_pandas("load-per-municipality"),
            "quorum": yhdyspinta.quorum(e).to_pandas(),
        }
    for name, frame in embedded.items():
        pd.testing.assert_frame_equal(on_neo4j[name], frame, obj=name)
