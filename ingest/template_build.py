"""The template a data steward fills, generated from the column model and the ontology's lists.

``build_workbook`` writes the XLSX: an instructions sheet (what each sheet and column is for,
an example row per sheet), one sheet per template sheet with frozen headers and drop-downs
(openpyxl DataValidation pointing at the lookup sheet), and the lookup sheet with the allowed
values (themes by scheme, levels, scopes, kinds, statuses, regions, municipalities and counties by
name and code with their region, negotiation types, legal provisions). Every text is in the
template's language (fi, sv or en). ``build_csv_folder`` writes the same as a folder of CSV
files. ``yhdyspinta template`` calls them; templates/ holds the generated files, and a test checks they are current.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Literal

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from yhdyspinta.ingest.choices import LISTS, Choice, choices, group_label
from yhdyspinta.ingest.columns import (
    EXAMPLE_LABELS,
    INSTRUCTIONS,
    LOOKUP,
    SHEETS,
    TEMPLATE_LANGS,
    Column,
    Sheet,
    list_name,
)

#: Rows of a data sheet that get the drop-downs.
ROWS = 1000
_GROUP_NAMES = {"themes": ("luokitus", "klassificering", "scheme"), "actors": ("alue", "område", "region")}
_GUIDE = {
    "fi": (
        "Yhdyspinta: kuntien ja hyvinvointialueen yhteistyön tietopohja",
        "Täytä taulukot toimijat, foorumit, verkostot, jäsenyydet ja teemat; kaikki ovat vapaaehtoisia. "
        "Yksi asia riviä kohden.",
        "Otsikkorivi on lukittu: älä muuta otsikoita. Pudotusvalikoiden arvot ovat taulukossa luettelot.",
        "Useampi arvo samaan soluun puolipisteellä erotettuna, esim. 'Asiantuntijat; Asiakastyötä tekevät'.",
        "Tunnus on pysyvä (a-z, 0-9, yhdysmerkit); muut taulukot viittaavat riveihin tunnuksella.",
        "Virat, ei henkilöiden nimiä. Ei puhelinnumeroita eikä sähköpostiosoitteita.",
        "Lue sisään: yhdyspinta ingest TIEDOSTO.xlsx. Jos jokin ei kelpaa, mitään ei kirjoiteta ja kaikki "
        "ongelmat luetellaan kerralla (taulukko, rivi, sarake, sallitut arvot).",
        "Alla jokaisen taulukon esimerkkirivi ja sarakkeiden ohjeet.",
    ),
    "en": (
        "Yhdyspinta: the cooperation of municipalities and wellbeing services counties",
        "Fill the sheets actors, forums, networks, memberships and themes; each is optional. One thing a row.",
        "The header row is frozen: do not change the headers. The drop-downs take their values from the sheet "
        "lists.",
        "Several values in one cell are separated by ';', e.g. 'Experts; Client work'.",
        "An id is stable (a-z, 0-9, hyphens); the other sheets name a row by its id.",
        "Posts, never persons' names. No phone numbers, no e-mail addresses.",
        "Load it: yhdyspinta ingest FILE.xlsx. If anything is wrong, nothing is written and every problem is "
        "listed at once (sheet, row, column, allowed values).",
        "Below: an example row of each sheet and what each column takes.",
    ),
    "sv": (
        "Yhdyspinta (gränsyta): kunskapsunderlag om samarbetet mellan kommunerna och välfärdsområdet",
        "Fyll i bladen aktörer, forum, nätverk, medlemskap och teman; alla är frivilliga. En sak per rad.",
        "Rubrikraden är låst: ändra inte rubrikerna. Värdena i rullgardinsmenyerna finns på bladet listor.",
        "Flera värden i samma cell åtskiljs med semikolon, t.ex. 'Experter; De som arbetar med klienter'.",
        "Ett id är bestående (a-z, 0-9, bindestreck); de andra bladen hänvisar till en rad med dess id.",
        "Tjänster, aldrig personers namn. Inga telefonnummer eller e-postadresser.",
        "Läs in: yhdyspinta ingest FIL.xlsx. Om något inte godtas skrivs ingenting och alla problem räknas upp "
        "på en gång (blad, rad, kolumn, tillåtna värden; meddelandena är på finska eller engelska).",
        "Nedan en exempelrad för varje blad och vad varje kolumn ska innehålla.",
    ),
}
_WORDS = {
    "fi": ("Esimerkkirivi", "Sarake", "Pakollinen", "Ohje", "Arvot luettelosta", "kyllä", "", "useita"),
    "sv": ("Exempelrad", "Kolumn", "Obligatorisk", "Anvisning", "Värden ur listan", "ja", "", "flera"),
    "en": ("Example row", "Column", "Required", "What to write", "Values from the list", "yes", "", "several"),
}
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
#: The workbook's dates: fixed, so that a fresh generation equals the shipped file.
_STAMP = datetime(2025, 1, 1)


def example_row(sheet: Sheet, lang: str) -> list[str]:
    """The example row of ``sheet`` as the steward would write it in ``lang`` (list values by their label)."""
    labels = dict(zip(TEMPLATE_LANGS, EXAMPLE_LABELS[sheet.key], strict=True))
    row = []
    for column in sheet.columns:
        value = column.example.format(**labels) if "{" in column.example else column.example
        if value and column.choices:
            value = "; ".join(_shown(column, part.strip(), lang) for part in value.split(";"))
        row.append(value)
    return row


def _shown(column: Column, code: str, lang: str) -> str:
    found = next((c for c in choices(column.choices or "") if c.code == code), None)
    return found.shown(lang) if found else code


def _lookup(lang: str) -> list[tuple[str, list[str]]]:
    """The lookup sheet's columns: (header, values); a list with groups gets a column of its groups."""
    out: list[tuple[str, list[str]]] = []
    for name in LISTS:
        listed: tuple[Choice, ...] = choices(name)
        out.append((list_name(name, lang), [c.shown(lang) for c in listed]))
        if name in _GROUP_NAMES:
            header = f"{list_name(name, lang)}: {_GROUP_NAMES[name][TEMPLATE_LANGS.index(lang)]}"
            out.append((header, [group_label(c, lang) for c in listed]))
    return out


def build_workbook(target: Path, lang: str = "fi") -> None:
    """The XLSX template in ``lang`` (fi, sv or en): instructions, the data sheets, the lookup lists."""
    book = Workbook()
    if book.active is not None:
        book.remove(book.active)
    book.properties.creator = "yhdyspinta template"
    book.properties.created = book.properties.modified = _STAMP
    guide = book.create_sheet(INSTRUCTIONS[lang])
    lookup_columns = _lookup(lang)
    where: dict[str, str] = {}
    for sheet in SHEETS:
        ws = book.create_sheet(sheet.name(lang))
        _data_sheet(ws, sheet, lang)
    lists = book.create_sheet(LOOKUP[lang])
    for index, (header, values) in enumerate(lookup_columns, start=1):
        letter = get_column_letter(index)
        lists.cell(1, index, header).font = _BOLD
        for row, value in enumerate(values, start=2):
            lists.cell(row, index, value)
        lists.column_dimensions[letter].width = 40
        where[header] = f"{quote_sheetname(LOOKUP[lang])}!${letter}$2:${letter}${len(values) + 1}"
    lists.freeze_panes = "A2"
    for sheet in SHEETS:
        _drop_downs(book[sheet.name(lang)], sheet, lang, where)
    _guide(guide, lang)
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)


def _data_sheet(ws: Worksheet, sheet: Sheet, lang: str) -> None:
    for index, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(1, index, column.header(lang))
        cell.font = _BOLD
        cell.fill = _HEAD_FILL
        cell.comment = Comment(column.help(lang), "yhdyspinta", width=300, height=120)
        ws.column_dimensions[get_column_letter(index)].width = max(14, len(column.header(lang)) + 4)
    ws.freeze_panes = "A2"


def _drop_downs(ws: Worksheet, sheet: Sheet, lang: str, where: dict[str, str]) -> None:
    for index, column in enumerate(sheet.columns, start=1):
        if not column.choices:
            continue
        letter = get_column_letter(index)
        # a closed list stops other values; a list of several values or an open one only warns or informs
        style: Literal["stop", "warning", "information"] = (
            "stop" if column.closed and not column.many else "warning" if column.closed else "information")
        dv = DataValidation(type="list", formula1=where[list_name(column.choices, lang)], allow_blank=True,
                            showErrorMessage=True, errorStyle=style, showInputMessage=True)
        dv.promptTitle = column.header(lang)[:32]
        dv.prompt = column.help(lang)[:250]
        dv.add(f"{letter}2:{letter}{ROWS}")
        ws.add_data_validation(dv)


def _guide(ws: Worksheet, lang: str) -> None:
    words = _WORDS[lang]
    title, *lines = _GUIDE[lang]
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    for line in lines:
        ws.append([line])
    for sheet in SHEETS:
        ws.append([])
        ws.append([f"{sheet.name(lang)}: {sheet.help(lang)}"])
        ws.cell(ws.max_row, 1).font = Font(bold=True, size=12)
        ws.append([f"{words[0]}:"])
        ws.append([c.header(lang) for c in sheet.columns])
        for cell in ws[ws.max_row]:
            cell.font = _BOLD
            cell.fill = _HEAD_FILL
        ws.append(example_row(sheet, lang))
        ws.append([])
        ws.append([words[1], words[2], words[3], words[4]])
        for cell in ws[ws.max_row]:
            cell.font = _BOLD
        for column in sheet.columns:
            listed = list_name(column.choices, lang) if column.choices else ""
            if listed and column.many:
                listed += f" ({words[7]})"
            ws.append([column.header(lang), words[5] if column.required else words[6], column.help(lang), listed])
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["C"].width = 90
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=False, vertical="top")


def build_csv_folder(target: Path, lang: str = "fi") -> None:
    """The template as a folder of CSV files: one per sheet (headers in ``lang``), the lists, the instructions."""
    target.mkdir(parents=True, exist_ok=True)
    for sheet in SHEETS:
        _write_csv(target / f"{sheet.key}.csv", [[c.header(lang) for c in sheet.columns]])
    columns = _lookup(lang)
    depth = max(len(values) for _h, values in columns)
    rows = [[h for h, _v in columns]] + [[v[i] if i < len(v) else "" for _h, v in columns] for i in range(depth)]
    _write_csv(target / f"{LOOKUP[lang]}.csv", rows)
    (target / f"{INSTRUCTIONS[lang]}.md").write_text(guide_text(lang), encoding="utf-8")


def guide_text(lang: str) -> str:
    """The instructions as Markdown, for the CSV folder."""
    words = _WORDS[lang]
    title, *lines = _GUIDE[lang]
    out = [f"# {title}", ""] + [f"- {line}" for line in lines]
    out += ["", f"- {LOOKUP[lang]}.csv: " + ", ".join(list_name(n, lang) for n in LISTS)]
    for sheet in SHEETS:
        out += ["", f"## {sheet.key}.csv ({sheet.name(lang)})", "", sheet.help(lang), "", f"{words[0]}:", "",
                "```", _csv_line([c.header(lang) for c in sheet.columns]) + _csv_line(example_row(sheet, lang)) + "```",
                "", f"| {words[1]} | {words[2]} | {words[3]} | {words[4]} |", "| --- | --- | --- | --- |"]
        for column in sheet.columns:
            listed = list_name(column.choices, lang) if column.choices else ""
            out.append(f"| {column.header(lang)} | {words[5] if column.required else ''} | {column.help(lang)} | "
                       f"{listed} |")
    return "\n".join(out) + "\n"


def _csv_line(values: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(values)
    return buf.getvalue()


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
