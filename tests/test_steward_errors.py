"""Errors a steward understands: every problem of a filled-in template in one run, each at its sheet,
row and column, in the template's words (allowed values, "did you mean"), in Finnish and English;
hints for the CSV that Finnish Excel saves (semicolons, Windows-1252)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from yhdyspinta.errors import InputError, ValidationError
from yhdyspinta.graph.store.store import Store
from yhdyspinta.ingest import ingest
from yhdyspinta.ingest.columns import BY_KEY, SHEETS
from yhdyspinta.ingest.messages import default_lang
from yhdyspinta.ingest.template import CellLocation
from yhdyspinta.ingest.template_build import build_workbook, example_row

ROOT = Path(__file__).resolve().parents[1]

#: (sheet, column, the wrong value written in the example row, the suggestion the message must make, by language)
MISTAKES = {
    "level": ("networks", "levels", "Asiantuntija", {"fi": "Asiantuntijat", "en": "Experts"}),
    "scope": ("networks", "scope", "alueelinen", {"fi": "Alueellinen", "en": "Regional"}),
    "theme": ("forums", "themes", "national/hyvinvointi", {"fi": "(national/hyte)", "en": "(national/hyte)"}),
    "date": ("memberships", "valid_from", "2024-13-40", {}),
    "swedish name": ("themes", "label_sv", "", {}),
}
WORDS = {"fi": ("taulukko", "rivi", "sarake", "sallitut", "tarkoititko"),
         "en": ("sheet", "row", "column", "allowed", "did you mean")}


def _snapshot(store: Store) -> bytes:
    return b"\n".join(sorted(store.dump().splitlines()))


def _with_mistakes(tmp_path: Path, lang: str) -> Path:
    """The template in ``lang`` filled with its example rows, then five cells made wrong."""
    path = tmp_path / f"mistakes-{lang}.xlsx"
    build_workbook(path, lang)
    book = load_workbook(path)
    for sheet in SHEETS:
        row = example_row(sheet, lang)
        for key, column, wrong, _hint in MISTAKES.values():
            if key == sheet.key:
                row[[c.key for c in sheet.columns].index(column)] = wrong
        book[sheet.name(lang)].append(row)
    book.save(path)
    return path


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_five_mistakes_are_reported_in_one_run(base_store: Store, tmp_path: Path, lang: str) -> None:
    path = _with_mistakes(tmp_path, lang)
    before = _snapshot(base_store)
    with pytest.raises(ValidationError) as info:
        ingest(base_store, [path], lang=lang)
    assert _snapshot(base_store) == before
    problems = info.value.violations
    assert len(problems) == len(MISTAKES), "\n".join(map(str, problems))
    text = str(info.value)
    sheet_word, row_word, column_word, allowed_word, hint_word = WORDS[lang]
    for name, (sheet_key, column_key, wrong, hints) in MISTAKES.items():
        sheet, column = BY_KEY[sheet_key], BY_KEY[sheet_key].column(column_key)
        hits = [v for v in problems if isinstance(v.location, CellLocation)
                and v.location.sheet == sheet.name(lang) and v.location.column == column.header(lang)]
        assert len(hits) == 1, (name, [str(v) for v in problems])
        hit = hits[0]
        assert hit.location.file == str(path) and hit.location.row == 2, name
        where = str(hit.location)
        assert f"{sheet_word} '{sheet.name(lang)}'" in where and f"{row_word} 2" in where, where
        assert f"{column_word} '{column.header(lang)}'" in where, where
        assert wrong in hit.message, (name, hit.message)
        if hints:
            assert f"{hint_word} '" in hit.message and hints[lang] in hit.message.split(hint_word)[1], hit.message
            assert allowed_word in hit.message, hit.message
        assert "rdf" not in hit.message.lower() and "#" not in hit.message, hit.message
        assert f"{where}: {hit.message}" in text
    swedish = next(v for v in problems if v.location.column == BY_KEY["themes"].column("label_sv").header(lang))
    assert ("ruotsinkielinen" if lang == "fi" else "Swedish") in swedish.message


def test_a_mapping_problem_is_an_input_error_too(base_store: Store, tmp_path: Path) -> None:
    """Callers that caught InputError for a bad cell still do; the error names the first cell."""
    with pytest.raises(InputError) as info:
        ingest(base_store, [_with_mistakes(tmp_path, "en")], lang="en")
    assert info.value.location is not None and info.value.location.row == 2


def _csv_folder(tmp_path: Path, data: bytes) -> Path:
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "networks.csv").write_bytes(data)
    return folder


@pytest.mark.parametrize(("lang", "hint"), [("fi", "puolipiste"), ("en", "semicolons")])
def test_a_semicolon_csv_gets_a_hint(base_store: Store, tmp_path: Path, lang: str, hint: str) -> None:
    folder = _csv_folder(tmp_path, b"tunnus;nimi suomeksi;teemat\nx;X;national/hyte\n")
    with pytest.raises(InputError) as info:
        ingest(base_store, [folder], lang=lang)
    assert hint in str(info.value) and "CSV UTF-8" in str(info.value)
    assert info.value.location is not None and info.value.location.file.endswith("networks.csv")


@pytest.mark.parametrize(("lang", "hint"), [("fi", "Windows-1252"), ("en", "Windows-1252")])
def test_a_cp1252_csv_gets_a_hint(base_store: Store, tmp_path: Path, lang: str, hint: str) -> None:
    folder = _csv_folder(tmp_path, "id,label_fi,themes\nx,Yhteistyöverkosto,national/hyte\n".encode("cp1252"))
    with pytest.raises(InputError) as info:
        ingest(base_store, [folder], lang=lang)
    assert hint in str(info.value) and "0xF6" in str(info.value) and "CSV UTF-8" in str(info.value)


def test_an_unknown_header_suggests_the_column(base_store: Store, tmp_path: Path) -> None:
    folder = _csv_folder(tmp_path, b"tunnus,nimi suomeksi,teemmat\nx,X,national/hyte\n")
    with pytest.raises(ValidationError) as info:
        ingest(base_store, [folder], lang="fi")
    messages = [v.message for v in info.value.violations]
    assert any("tuntematon sarake 'teemmat'" in m and "tarkoititko 'teemat'" in m for m in messages), messages
    # the missing required column is reported in the same run
    assert any("pakollinen sarake 'teemat' puuttuu" in m for m in messages), messages


def test_english_headers_and_labels_are_still_accepted(base_store: Store, tmp_path: Path) -> None:
    folder = _csv_folder(tmp_path, "id,Name in Finnish,themes,levels,scope,region\n"
                                   "x,X,Health and wellbeing promotion (national/hyte),Experts; asiakastyo,Regional,"
                                   "Päijät-Häme\n".encode())
    ingest(base_store, [folder], lang="en")
    assert base_store.ask("ASK { <https://w3id.org/yhdyspinta/id/network/paijat-hame/x> yhd:scope "
                          "<https://w3id.org/yhdyspinta/scope/regional> ; yhd:level ?l }")


def test_the_language_comes_from_the_environment() -> None:
    assert default_lang({"YHDYSPINTA_LANG": "fi"}) == "fi"
    assert default_lang({"LANG": "fi_FI.UTF-8"}) == "fi"
    assert default_lang({"LANG": "C.UTF-8"}) == "en"
    assert default_lang({"LC_ALL": "en_GB.UTF-8", "LANG": "fi_FI.UTF-8"}) == "en"


def test_the_cli_prints_every_problem_in_finnish(base_store_dir: Path, tmp_path: Path) -> None:
    import shutil

    home = tmp_path / "home"
    shutil.copytree(base_store_dir, home / "store")
    path = _with_mistakes(tmp_path, "fi")
    env = {**os.environ, "YHDYSPINTA_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "400"}
    done = subprocess.run([sys.executable, "-m", "yhdyspinta", "ingest", "--lang", "fi", str(path)], env=env,
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    assert f"{len(MISTAKES)} ongelma(a); mitään ei kirjoitettu" in done.stderr, done.stderr
    listed = [line for line in done.stderr.splitlines() if line.startswith("  - ")]
    assert len(listed) == len(MISTAKES) and all(", taulukko '" in line and ", sarake '" in line for line in listed)


@pytest.mark.parametrize(("lang", "hint"), [("fi", "Hyvinvoinnin ja terveyden edistämisen neuvottelu"),
                                            ("en", "Yearly negotiation on health and wellbeing promotion")])
def test_a_mistyped_negotiation_type_names_the_allowed_ones(base_store: Store, tmp_path: Path, lang: str,
                                                            hint: str) -> None:
    """The negotiation types are a list of their own: the message lists them, not municipalities."""
    from yhdyspinta.ingest.choices import choices

    path = tmp_path / f"neg-{lang}.xlsx"
    build_workbook(path, lang)
    book = load_workbook(path)
    forums = BY_KEY["forums"]
    row = example_row(forums, lang)
    row[[c.key for c in forums.columns].index("negotiation_type")] = "HYTE-neuvotelu"
    book[forums.name(lang)].append(row)
    book.save(path)
    with pytest.raises(ValidationError) as info:
        ingest(base_store, [path], lang=lang)
    column = forums.column("negotiation_type").header(lang)
    (problem,) = [v for v in info.value.violations if isinstance(v.location, CellLocation)
                  and v.location.column == column]
    allowed, hint_word = WORDS[lang][3], WORDS[lang][4]
    for negotiation in choices("negotiations"):
        assert negotiation.label(lang) in problem.message.split(f"{allowed}:")[1], problem.message
    assert "Lahti" not in problem.message and "esimerkki-foorumi" not in problem.message, problem.message
    assert f"{hint_word} '{hint}" in problem.message, problem.message
