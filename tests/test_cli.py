"""The CLI as a user runs it: a real process, a real store on disk."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """Runs `yhdyspinta ...` with its own YHDYSPINTA_HOME, after one bundled ingest."""
    home = tmp_path_factory.mktemp("home")
    env = {**os.environ, "YHDYSPINTA_HOME": str(home), "NO_COLOR": "1"}

    def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "yhdyspinta", *args],
            env=env, capture_output=True, text=True, input=input, timeout=300, cwd=ROOT,
        )

    first = run("ingest")
    assert first.returncode == 0, first.stderr
    return run


def test_ingest_reports_and_persists(cli: Run) -> None:
    again = cli("ingest")
    assert again.returncode == 0, again.stderr
    assert "0 source(s) written" in again.stderr and "unchanged" in again.stderr
    info = cli("info")
    triples = int(info.stdout.split("triples:")[1].split()[0])
    assert triples > 5000


def test_gaps_json_names_cultural_wellbeing(cli: Run) -> None:
    result = cli("gaps", "--region", "paijat-hame", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["region"]["slug"] == "paijat-hame"
    labels = {t["label_fi"] for t in data["themes"]}
    assert "Kulttuurihyvinvointi" in labels
    assert all(t["gap"] for t in data["themes"])


def test_gaps_csv_and_table(cli: Run) -> None:
    result = cli("gaps", "-r", "Päijät-Häme", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and set(rows[0]) == {"scheme", "theme", "label_fi", "label_en", "covered_by", "record",
                                     "stated_in_source"}
    # the CSV keeps "absent (stated)" apart from "not on record", as every other format does
    assert {r["theme"]: r["record"] for r in rows}["paijat-hame/group/kulttuurihyvinvointi"] == "absent (stated)"
    table = cli("gaps", "-r", "09")
    assert "Kulttuurihyvinvointi" in table.stdout and "without a forum or network" in table.stdout


def test_sparql_formats(cli: Run) -> None:
    q = "SELECT ?code WHERE { ?m a yhd:Municipality ; skos:notation ?code ; yhd:inRegion ?r . ?r yhd:slug 'paijat-hame' } ORDER BY ?code"
    as_csv = cli("sparql", q, "--format", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    codes = [line.strip() for line in as_csv.stdout.splitlines()[1:] if line.strip()]
    assert codes == ["016", "081", "098", "111", "142", "316", "398", "560", "576", "781"]
    as_json = json.loads(cli("sparql", q, "-f", "json").stdout)
    assert len(as_json["results"]["bindings"]) == 10
    from_stdin = cli("sparql", "-", "-f", "tsv", input=q)
    assert from_stdin.stdout.count("\n") >= 11
    ask = cli("sparql", "ASK { ?s a yhd:Network }")
    assert ask.stdout.strip() == "true"


def test_errors_are_clear_and_have_exit_codes(cli: Run, tmp_path: Path) -> None:
    missing = cli("gaps", "--region", "paijat-hme")
    assert missing.returncode == 4
    assert "Did you mean paijat-hame" in missing.stderr
    bad_query = cli("sparql", "SELEC ?x WHERE {}")
    assert bad_query.returncode == 2 and "SPARQL" in bad_query.stderr
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix yhd: <https://w3id.org/yhdyspinta/ontology#> .\n<http://x> a yhd:Network .\n')
    rejected = cli("ingest", str(bad))
    assert rejected.returncode == 3
    assert f"{bad}:2" in rejected.stderr and "nothing was written" in rejected.stderr
    nofile = cli("ingest", str(tmp_path / "nope.ttl"))
    assert nofile.returncode == 2 and "no such file" in nofile.stderr


def test_regions_lists_every_welfare_area(cli: Run) -> None:
    data = json.loads(cli("regions", "-f", "json").stdout)
    assert len(data) == 23
    assert {"slug": "paijat-hame", "code": "09"}.items() <= next(r for r in data if r["code"] == "09").items()


def test_ontology_page_is_current(cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "ontology.md"
    assert cli("docs", "ontology", "-o", str(out)).returncode == 0
    assert out.read_text() == (ROOT / "docs" / "ontology.md").read_text(), (
        "docs/ontology.md is out of date: run `yhdyspinta docs ontology`"
    )


def test_cli_reference_is_current() -> None:
    from yhdyspinta.api.cli.docs import cli_markdown
    from yhdyspinta.api.cli.main import app

    assert cli_markdown(app) == (ROOT / "docs" / "cli.md").read_text(), (
        "docs/cli.md is out of date: run `yhdyspinta docs cli`"
    )
