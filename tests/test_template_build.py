"""The steward's template, generated from the column model and the ontology: drop-downs, instructions,
example rows that ingest, and shipped files that equal a fresh generation."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from openpyxl import load_workbook
from rdflib import RDF, SKOS, Graph, Namespace

from yhdyspinta.graph.store.store import Store
from yhdyspinta.ingest import ingest
from yhdyspinta.ingest.bundle import data_dir
from yhdyspinta.ingest.choices import choices
from yhdyspinta.ingest.columns import BY_KEY, INSTRUCTIONS, LOOKUP, SHEETS, list_name
from yhdyspinta.ingest.template_build import build_csv_folder, build_workbook, example_row

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
EXAMPLE_NETWORK = "https://w3id.org/yhdyspinta/id/network/paijat-hame/esimerkki-verkosto"
EXAMPLE_FORUM = "https://w3id.org/yhdyspinta/id/forum/paijat-hame/esimerkki-foorumi"
YHD = Namespace("https://w3id.org/yhdyspinta/ontology#")
LAW = data_dir() / "national" / "law.ttl"
REGIONS = data_dir() / "reference" / "regions.ttl"


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


# -- the Swedish template's texts ------------------------------------------------------------------------------------

#: Words of English (or Finnish) prose that Swedish help text never holds; paths like org/fi/kuntaliitto aside.
_NOT_SWEDISH = re.compile(r"\b(the|and|of|from|wellbeing|county|pick|several|sheet|tai|ja|taulukko|hyvinvointialue)\b",
                          re.IGNORECASE)


def _prose(text: str) -> str:
    """Text without the paths and codes it cites (negotiation/fi/hyte-neuvottelu, law/fi/611-2021-14)."""
    return re.sub(r"\S*/\S*", "", text)


def test_every_column_and_sheet_has_swedish_help_of_its_own() -> None:
    for sheet in SHEETS:
        assert sheet.help("sv") == sheet.help_sv and sheet.help_sv not in (sheet.help_en, sheet.help_fi), sheet.key
        assert not _NOT_SWEDISH.search(_prose(sheet.help_sv)), sheet.help_sv
        for column in sheet.columns:
            where = f"{sheet.key}.{column.key}"
            assert column.help_sv.strip(), where
            assert column.help("sv") == column.help_sv, where
            assert column.help_sv not in (column.help_en, column.help_fi), where
            assert not _NOT_SWEDISH.search(_prose(column.help_sv)), (where, column.help_sv)
            if "county" in column.help_en or "hyvinvointialue" in _prose(column.help_fi):
                assert "välfärdsområde" in column.help_sv, where  # the official term


def test_the_swedish_workbook_speaks_swedish(tmp_path: Path) -> None:
    path = tmp_path / "mall.xlsx"
    build_workbook(path, "sv")
    book = load_workbook(path)
    english = {c.help_en for s in SHEETS for c in s.columns} | {s.help_en for s in SHEETS}
    for sheet in SHEETS:
        ws = book[sheet.name("sv")]
        for cell, column in zip(ws[1], sheet.columns, strict=True):
            assert cell.comment is not None and cell.comment.text == column.help_sv, column.key
            assert cell.comment.text != column.help_en
        for dv in ws.data_validations.dataValidation:  # the drop-downs' prompts too
            assert dv.prompt not in english and not _NOT_SWEDISH.search(_prose(dv.prompt or "")), dv.prompt
    guide = [str(c.value) for row in book[INSTRUCTIONS["sv"]].iter_rows() for c in row if c.value]
    assert not english & set(guide)
    for sheet in SHEETS:
        assert f"{sheet.name('sv')}: {sheet.help_sv}" in guide
        assert {c.help_sv for c in sheet.columns} <= set(guide)
    # the lead lines are Swedish too: none is the English or the Finnish guide's line
    for other in ("fi", "en"):
        build_workbook(tmp_path / f"{other}.xlsx", other)
        lead = [str(r[0].value) for r in load_workbook(tmp_path / f"{other}.xlsx")[INSTRUCTIONS[other]].iter_rows(
            max_row=8)]
        assert not set(lead) & set(guide[:8]), other
    assert "välfärdsområde" in guide[0] and "kommun" in guide[0]


# -- negotiation types and legal provisions -------------------------------------------------------------------------

def _law_labels(cls: str, lang: str) -> list[str]:
    """The labels of a class's items in law.ttl, in ``lang`` (Finnish when the item has none), read with rdflib."""
    g = Graph().parse(LAW, format="turtle")
    out = []
    for item in g.subjects(RDF.type, YHD[cls]):
        labels = {lit.language: str(lit) for lit in g.objects(item, SKOS.prefLabel)}
        out.append(labels.get(lang) or labels["fi"])
    return out


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize(("column", "listed", "cls"), [("negotiation_type", "negotiations", "NegotiationRequirement"),
                                                       ("legal_basis", "provisions", "LegalProvision")])
def test_negotiation_types_and_provisions_have_drop_downs_of_the_ontology_values(
        tmp_path: Path, lang: str, column: str, listed: str, cls: str) -> None:
    path = tmp_path / "t.xlsx"
    build_workbook(path, lang)
    book = load_workbook(path)
    forums = BY_KEY["forums"]
    ws = book[forums.name(lang)]
    letter = ws.cell(1, [c.key for c in forums.columns].index(column) + 1).column_letter
    dv = next(dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith(f"{letter}2:"))
    lists = book[LOOKUP[lang]]
    target = {cell.value: cell.column_letter for cell in lists[1]}[list_name(listed, lang)]
    assert dv.type == "list" and dv.formula1.endswith(f"!${target}$2:${target}${len(_law_labels(cls, lang)) + 1}")
    values = [c.value for c in lists[target][1:] if c.value]
    expected = _law_labels(cls, lang)
    assert len(values) == len(expected) and set(values) == set(expected)


def _with_law(store: Store) -> Store:
    """The base store with the national law data, where the negotiation requirements and provisions are."""
    ingest(store, [LAW])
    return store


@pytest.mark.parametrize(("lang", "negotiation", "provision"), [
    ("fi", "Hyvinvoinnin ja terveyden edistämisen neuvottelu (612/2021 6–7 §)", "612/2021 7 §"),
    ("en", "Yearly negotiation on health and wellbeing promotion (612/2021 ss. 6-7)",
     "Act on Organising Healthcare and Social Welfare Services, section 7"),
    ("sv", "hyte-neuvottelu", "law/fi/612-2021-7"),  # the alternative label and the path are accepted too
])
def test_a_forum_row_naming_a_negotiation_type_by_its_label_ingests(
        base_store: Store, tmp_path: Path, lang: str, negotiation: str, provision: str) -> None:
    _with_law(base_store)
    path = _filled(tmp_path, lang)
    book = load_workbook(path)
    forums = BY_KEY["forums"]
    keys = [c.key for c in forums.columns]
    ws = book[forums.name(lang)]
    ws.cell(2, keys.index("negotiation_type") + 1, negotiation)
    ws.cell(2, keys.index("legal_basis") + 1, provision)
    book.save(path)
    ingest(base_store, [path], lang=lang)
    rows = base_store.select("SELECT ?f ?type ?basis WHERE { ?f a yhd:StatutoryNegotiation ; yhd:negotiationType ?type ;"
                             " yhd:legalBasis ?basis }", {"f": ox.NamedNode(EXAMPLE_FORUM)})
    assert [(r["type"], r["basis"]) for r in rows] == [
        ("https://w3id.org/yhdyspinta/id/negotiation/fi/hyte-neuvottelu",
         "https://w3id.org/yhdyspinta/id/law/fi/612-2021-7")]


# -- the region of each wellbeing services county on the lookup sheet -----------------------------------------------

@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_county_and_municipality_has_its_region_on_the_lookup_sheet(tmp_path: Path, lang: str) -> None:
    path = tmp_path / "t.xlsx"
    build_workbook(path, lang)
    lists = load_workbook(path)[LOOKUP[lang]]
    header = list_name("actors", lang)
    letters = {cell.value: cell.column_letter for cell in lists[1]}
    names = [c.value for c in lists[letters[header]][1:] if c.value]
    regions = [c.value for c in lists[letters[next(h for h in letters if h.startswith(header + ":"))]][1:]]
    assert all(regions[: len(names)]), [n for n, r in zip(names, regions, strict=False) if not r]
    # each county's region is the one regions.ttl says it serves, in the template's language
    g = Graph().parse(REGIONS, format="turtle")
    served = {}
    for county in g.subjects(RDF.type, YHD.WelfareArea):
        region = g.value(county, YHD.servesRegion)
        label = {lit.language: str(lit) for lit in g.objects(region, SKOS.prefLabel)}[lang]
        served[str(county).rsplit("/", 1)[-1]] = label
    shown = {n.rsplit("(", 1)[-1].rstrip(")"): r for n, r in zip(names, regions, strict=False) if n.endswith(")")}
    assert {code: shown[code] for code in served} == served
    assert len(served) == 22
