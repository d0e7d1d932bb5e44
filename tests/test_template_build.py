"""The steward's template, generated from the column model and the ontology: drop-downs, instructions,
example rows that ingest, and shipped files that equal a fresh generation."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from openpyxl import load_workbook

from yhdyspinta.graph.store.store import Store
from yhdyspinta.ingest import ingest
from yhdyspinta.ingest.choices import choices
from yhdyspinta.ingest.columns import INSTRUCTIONS, LOOKUP, SHEETS, list_name
from yhdyspinta.ingest.template_build import build_csv_folder, build_workbook, example_row

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
EXAMPLE_NETWORK = "https://w3id.org/yhdyspinta/id/network/paijat-hame/esimerkki-verkosto"


def _filled(tmp_path: Path, lang: str) -> Path:
    """The generated template with each sheet's example row written under its header."""
    path = tmp_path / f"filled-{lang}.xlsx"
    build_workbook(path, lang)
    book = load_workbook(path)
    for sheet in SHEETS:
        book[sheet.name(lang)].append(example_row(sheet, lang))
    book.save(path)
    return path


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_template_has_its_sheets_frozen_headers_and_drop_downs(tmp_path: Path, lang: str) -> None:
    path = tmp_path / "t.xlsx"
    build_workbook(path, lang)
    book = load_workbook(path)
    assert book.sheetnames == [INSTRUCTIONS[lang], *(s.name(lang) for s in SHEETS), LOOKUP[lang]]
    lists = book[LOOKUP[lang]]
    headers = {cell.value: cell.column_letter for cell in lists[1]}
    for sheet in SHEETS:
        ws = book[sheet.name(lang)]
        assert [c.value for c in ws[1]] == [c.header(lang) for c in sheet.columns]
        assert ws.freeze_panes == "A2"
        validations = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
        for index, column in enumerate(sheet.columns, start=1):
            letter = ws.cell(1, index).column_letter
            dv = validations.get(f"{letter}2")
            if column.choices is None:
                assert dv is None, column.key
                continue
            assert dv is not None and dv.type == "list", column.key
            # the drop-down points at the lookup sheet's column of this list, which holds every allowed value
            target = headers[list_name(column.choices, lang)]
            assert f"!${target}$2:${target}$" in dv.formula1 and LOOKUP[lang] in dv.formula1
            values = [c.value for c in lists[target][1:] if c.value]
            assert values == [c.shown(lang) for c in choices(column.choices)]
    levels = [c.value for c in lists[headers[list_name("levels", lang)]][1:] if c.value]
    assert len(levels) == 4
    municipalities = [c.value for c in lists[headers[list_name("actors", lang)]][1:] if c.value]
    assert "Lahti (398)" in municipalities or "Lahtis (398)" in municipalities
    guide = [c.value for row in book[INSTRUCTIONS[lang]].iter_rows() for c in row if c.value]
    for sheet in SHEETS:  # each sheet's example row is on the instructions sheet
        assert example_row(sheet, lang)[0] in guide


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_the_template_filled_with_its_examples_ingests(base_store: Store, tmp_path: Path, lang: str) -> None:
    report = ingest(base_store, [_filled(tmp_path, lang)], lang=lang)
    assert [o.status for o in report.outcomes] == ["new"]
    rows = base_store.select(
        "SELECT ?n ?theme ?level ?scope ?member WHERE { ?n yhd:theme ?theme ; yhd:level ?level ; yhd:scope ?scope ; "
        "org:hasMember ?member }", {"n": ox.NamedNode(EXAMPLE_NETWORK)})
    themes = {r["theme"] for r in rows}
    assert themes == {"https://w3id.org/yhdyspinta/theme/national/hyte",
                      "https://w3id.org/yhdyspinta/theme/paijat-hame/group/esimerkkiteema"}
    assert {r["level"] for r in rows} == {"https://w3id.org/yhdyspinta/level/asiantuntijat",
                                         "https://w3id.org/yhdyspinta/level/asiakastyo"}
    assert {r["scope"] for r in rows} == {"https://w3id.org/yhdyspinta/scope/regional"}
    assert {r["member"] for r in rows} == {"https://w3id.org/yhdyspinta/id/org/paijat-hame/esimerkki-yhdistys"}


def test_the_csv_folder_filled_with_its_examples_ingests(base_store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    build_csv_folder(folder, "fi")
    for sheet in SHEETS:
        path = folder / f"{sheet.key}.csv"
        with path.open("a", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerow(example_row(sheet, "fi"))
    ingest(base_store, [folder], lang="fi")
    assert base_store.ask("ASK { ?n a yhd:Forum ; skos:prefLabel 'Esimerkkifoorumi'@fi ; yhd:frequency ?f }")


def _members(path: Path) -> dict[str, bytes]:
    """The parts of a workbook, its dates (docProps/core.xml) aside."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


@pytest.mark.parametrize(("name", "lang"), [("yhdyspinta-template.xlsx", "fi"), ("yhdyspinta-template-sv.xlsx", "sv"),
                                            ("yhdyspinta-template-en.xlsx", "en")])
def test_the_shipped_template_is_a_fresh_generation(tmp_path: Path, name: str, lang: str) -> None:
    fresh = tmp_path / name
    build_workbook(fresh, lang)
    assert _members(TEMPLATES / name) == _members(fresh), "run: yhdyspinta template --lang " + lang


def test_the_shipped_csv_folder_is_a_fresh_generation(tmp_path: Path) -> None:
    build_csv_folder(tmp_path / "csv", "fi")
    shipped = {p.name: p.read_bytes() for p in (TEMPLATES / "csv").iterdir()}
    assert shipped == {p.name: p.read_bytes() for p in (tmp_path / "csv").iterdir()}


def test_the_template_is_package_data() -> None:
    from importlib import resources

    assert resources.files("yhdyspinta.templates").joinpath("yhdyspinta-template.xlsx").is_file()
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "*.xlsx" in data["yhdyspinta.templates"] and "csv/*.csv" in data["yhdyspinta.templates"]


def test_the_shipped_example_workbook_still_ingests(base_store: Store) -> None:
    report = ingest(base_store, [TEMPLATES / "example-etela-karjala.xlsx"])
    assert report.outcomes[0].triples > 0


def test_the_command_writes_a_workbook_and_a_folder(tmp_path: Path) -> None:
    env = {**os.environ, "YHDYSPINTA_HOME": str(tmp_path / "home")}
    book = tmp_path / "pohja.xlsx"
    done = subprocess.run([sys.executable, "-m", "yhdyspinta", "template", "--lang", "sv", "-o", str(book)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert load_workbook(book).sheetnames[1] == "aktörer"
    folder = tmp_path / "pohja"
    done = subprocess.run([sys.executable, "-m", "yhdyspinta", "template", "--lang", "en", "-o", str(folder)],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (folder / "networks.csv").read_text(encoding="utf-8").startswith("id,name in Finnish")
