"""The national coverage matrix: each cell recomputed from the gap analysis' definition, and the same
matrix from the analysis, the CLI (`yhdyspinta national`), `/api/national` and the `/national` page."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from http_live import served_copy
from typer.testing import CliRunner

from yhdyspinta.api.cli.main import app
from yhdyspinta.api.render.i18n import missing_translations
from yhdyspinta.api.render.viz import PAGE_MESSAGES, SCRIPT_MESSAGES, VIZ_MESSAGES
from yhdyspinta.errors import NotFoundError
from yhdyspinta.graph.analyses.gaps import coverage_gaps
from yhdyspinta.graph.analyses.national import national_matrix
from yhdyspinta.graph.backends.embedded.backend import EmbeddedBackend
from yhdyspinta.graph.store.store import Store
from yhdyspinta.ontology.vocabulary import NATIONAL_SCHEME


def test_every_cell_is_the_gap_analysis_count(bundled_store: Store) -> None:
    backend = EmbeddedBackend(bundled_store)
    matrix = national_matrix(backend)
    assert len(matrix.regions) == 23 and len(matrix.themes) == 5
    for region, row in zip(backend.regions(), matrix.regions, strict=True):
        report = coverage_gaps(backend, region, schemes=[NATIONAL_SCHEME])
        on_record = sum(1 for s in backend.structures(region.iri) if not s.planned)
        assert row.on_record == on_record
        for theme, cell in zip(matrix.themes, row.cells, strict=True):
            expected = next(t for t in report.themes if t.theme == theme.iri)
            assert {s[0] for s in cell.structures} == {c.iri for c in expected.covered_by}
            assert cell.gap == (not expected.covered_by and on_record > 0)
            assert (cell.state == "no data") == (on_record == 0)


def test_paijat_hame_by_hand(bundled_store: Store) -> None:
    """Päijät-Häme covers every national theme; Lappi has one structure on record and four gaps."""
    matrix = national_matrix(EmbeddedBackend(bundled_store))
    ph = next(r for r in matrix.regions if r.slug == "paijat-hame")
    assert ph.gaps == 0 and all(c.count > 0 for c in ph.cells)
    employment = next(i for i, t in enumerate(matrix.themes) if t.path == "national/tyollisyys")
    labels = {label for _i, label, _k in ph.cells[employment].structures}
    assert "Kotoutumisen edistämisen verkosto" in labels
    nothing = [r for r in matrix.regions if r.on_record == 0]
    assert nothing and all(r.gaps == 0 and {c.state for c in r.cells} == {"no data"} for r in nothing)


def test_sorting(bundled_store: Store) -> None:
    matrix = national_matrix(EmbeddedBackend(bundled_store))
    hyte = matrix.sorted_by("hyte", descending=True)
    counts = [r.cells[[t.path for t in matrix.themes].index("national/hyte")].count for r in hyte]
    assert counts == sorted(counts, reverse=True) and counts[0] > 0
    assert [r.code for r in matrix.sorted_by("code")] == sorted(r.code for r in matrix.regions)
    with pytest.raises(NotFoundError, match="cannot sort by 'nope'"):
        matrix.sorted_by("nope")


def test_cli_api_and_page_agree(bundled_store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    home = tmp_path / "cli"
    home.mkdir()
    shutil.copytree(bundled_store_dir, home / "store")
    monkeypatch.setenv("YHDYSPINTA_HOME", str(home))
    result = CliRunner().invoke(app, ["national", "--format", "csv", "--sort", "hyte", "--desc"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 23 and rows[0]["region"] == "Päijät-Häme"
    bad = CliRunner().invoke(app, ["national", "--sort", "nope"])
    assert bad.exit_code != 0

    with served_copy(bundled_store_dir, tmp_path / "home") as client:
        api = client.get("/api/national").json()
        page = client.get("/national", params={"sort": "hyte", "order": "desc", "lang": "sv"})
        csv_text = client.get("/api/national", params={"format": "csv"}).text
    ph_api = next(r for r in api["regions"] if r["slug"] == "paijat-hame")
    ph_cli = next(r for r in rows if r["region"] == "Päijät-Häme")
    for theme, cell in zip(api["themes"], ph_api["cells"], strict=True):
        assert int(ph_cli[theme["path"].removeprefix("national/")]) == cell["count"] == len(cell["structures"])
    assert list(csv.DictReader(io.StringIO(csv_text)))[8]["region"] == "Päijät-Häme"  # by code: 09

    assert page.status_code == 200 and page.headers["content-language"] == "sv"
    html = page.text
    assert '<html lang="sv">' in html and 'aria-sort="descending"' in html
    assert "<script" not in html.replace('http-equiv="Content-Security-Policy"', "")  # no script at all
    first = re.search(r'<tr data-region="([^"]+)"', html)
    assert first and first.group(1) == "paijat-hame"
    # each count links to the region's view on the theme, and to the structures behind the figure
    assert 'href="/viz?region=paijat-hame&amp;theme=' in html
    assert "/api/regions/paijat-hame/gaps?explain=national%2Fhyte" in html
    cells = re.findall(r'data-region="keski-pohjanmaa".*?</tr>', html, re.S)[0]
    assert cells.count('data-state="gap"') == sum(1 for c in next(
        r for r in api["regions"] if r["slug"] == "keski-pohjanmaa")["cells"] if c["gap"])
    json.dumps(api)  # plain JSON


def test_catalogues_are_complete() -> None:
    for catalogue in (PAGE_MESSAGES, VIZ_MESSAGES, SCRIPT_MESSAGES):
        assert missing_translations(catalogue) == []
