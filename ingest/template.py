"""The tabular template: CSV files (or one XLSX workbook) a data steward fills
without knowing RDF, mapped to the ontology.

Sheets and columns are those of ``columns.py`` (headers in Finnish, Swedish or
English, or the English technical keys). Every problem of the file is collected,
not only the first: each names the file, sheet, row and column, says what the
column allows and suggests the closest value. Every triple remembers the cell it
came from, so that a SHACL result is reported at that cell too (``explain.py``).
The column reference is in docs/template.md; the empty template is in templates/.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rdflib import RDF, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD
from rdflib.term import Node

from yhdyspinta.errors import InputError, Location, Violation
from yhdyspinta.ingest.choices import ACTOR_TYPES, Choice, choices, find, suggest
from yhdyspinta.ingest.columns import (
    BY_KEY,
    LOOKUP,
    SHEETS,
    Column,
    Sheet,
    column_named,
    list_name,
    sheet_named,
)
from yhdyspinta.ingest.discover import TEMPLATE_SHEETS, SourceFile
from yhdyspinta.ingest.messages import listing, say
from yhdyspinta.ingest.validate import short_name
from yhdyspinta.ontology.namespaces import ID, ORG, SOURCE, THEME, YHD, region_iri

#: Allowed columns per sheet (the English keys; the headers of columns.py are accepted too).
COLUMNS: dict[str, tuple[str, ...]] = {s.key: tuple(c.key for c in s.columns) for s in SHEETS}
REQUIRED: dict[str, tuple[str, ...]] = {s.key: tuple(c.key for c in s.columns if c.required) for s in SHEETS}

RULE_COLUMN = "template: known columns"
RULE_REQUIRED = "template: required cells"
RULE_VALUE = "template: allowed values"
RULE_ID = "template: ids"
RULE_REFERENCE = "template: references"
RULE_ROW = "template: row shape"

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_SCHEME_PATH = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*(/[a-z0-9]+(-[a-z0-9]+)*)*$")
_SEED = re.compile(r"^\d{3}_[0-9a-f]{16}(\.txt)?$")


@dataclass(frozen=True)
class CellLocation(Location):
    """A cell of the template: the file, the sheet (of a workbook), the row and the column as written there."""

    sheet: str | None = None
    column: str | None = None
    letter: str | None = None
    lang: str = field(default="en", compare=False)

    def __str__(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(say(self.lang, "sheet", name=self.sheet))
        if self.row is not None:
            parts.append(say(self.lang, "row", n=self.row))
        if self.column:
            parts.append(say(self.lang, "column", name=self.column) + (f" ({self.letter})" if self.letter else ""))
        return ", ".join(parts)


@dataclass(frozen=True)
class Row:
    sheet: str  # the sheet's key
    number: int  # 1-based, the header is row 1
    cells: dict[str, str]  # column key -> text
    file: str
    table: Table

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def many(self, column: str) -> list[str]:
        return [v.strip() for v in self.get(column).split(";") if v.strip()]

    def at(self, column: str | None = None, node: str | None = None) -> CellLocation:
        return self.table.at(self.number, column, node)

    def location(self, node: str | None = None) -> CellLocation:
        return self.at(None, node)


@dataclass
class Table:
    """One sheet as read: where it is, its headers as written, and its rows."""

    sheet: Sheet
    file: str
    name: str | None  # the workbook's sheet name; None for a CSV file
    lang: str
    headers: dict[str, tuple[str, int]] = field(default_factory=dict)  # column key -> (header, index)
    rows: list[Row] = field(default_factory=list)

    def at(self, row: int | None, column: str | None = None, node: str | None = None) -> CellLocation:
        header, letter = None, None
        if column is not None:
            written, index = self.headers.get(column, (self.sheet.column(column).header(self.lang), -1))
            header, letter = written, (_letter(index) if index >= 0 else None)
        return CellLocation(self.file, row=row, node=node, sheet=self.name, column=header, letter=letter,
                            lang=self.lang)


@dataclass
class TemplateResult:
    """The mapped graph, where each node came from, the cell of each triple, and the problems found."""

    graph: Graph
    locations: dict[str, Location] = field(default_factory=dict)
    cells: dict[tuple[str, str, str], CellLocation] = field(default_factory=dict)
    problems: list[Violation] = field(default_factory=list)
    lang: str = "en"
    tables: dict[str, Table] = field(default_factory=dict)  # sheet key -> the sheet as read


def read_template(source: SourceFile, lang: str = "en") -> TemplateResult:
    """Read and map one template source (CSV folder or XLSX workbook); problems are collected, not raised.

    Raises InputError only when the file cannot be read at all (damaged, wrong encoding, semicolons).
    """
    problems: list[Violation] = []
    if source.kind == "xlsx-template":
        tables = _read_xlsx(source.path, lang, problems)
    else:
        tables = _read_csv_dir(source.path, lang, problems)
    return _Mapper(source, tables, lang, problems).run()


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


# -- reading ------------------------------------------------------------------------------------------------------

def _decode(path: Path, lang: str) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            raise InputError(say(lang, "not_utf8", detail=exc), Location(str(path))) from exc
        byte = f"0x{data[exc.start]:02X}"
        raise InputError(say(lang, "encoding", byte=byte, pos=exc.start), Location(str(path))) from exc


def _read_csv_dir(folder: Path, lang: str, problems: list[Violation]) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    for name in TEMPLATE_SHEETS:
        path = folder / f"{name}.csv"
        if not path.is_file():
            continue
        text = _decode(path, lang)
        table = Table(BY_KEY[name], str(path), None, lang)
        try:
            records = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            raise InputError(f"CSV cannot be read: {exc}", Location(str(path))) from exc
        if not records:
            tables[name] = table
            continue
        header = records[0]
        if any(";" in h for h in header):  # what Finnish Excel saves as "CSV"
            raise InputError(say(lang, "semicolons"), Location(str(path), row=1))
        _check_header(table, header, problems)
        for number, values in enumerate(records[1:], start=2):
            if len(values) > len(header) and any(v.strip() for v in values[len(header):]):
                problems.append(Violation(table.at(number), RULE_ROW, say(lang, "stray_cells")))
                continue
            _add_row(table, number, values)
        tables[name] = table
    return tables


def _read_xlsx(path: Path, lang: str, problems: list[Violation]) -> dict[str, Table]:
    """The template's sheets of one workbook; a damaged workbook is an InputError naming the file and sheet.

    openpyxl's read-only mode inflates each sheet only as its rows are read, so a truncated or
    corrupt sheet fails in the middle of the loop, not on opening: both are caught.
    """
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds; all mean "unreadable"
        raise InputError(f"not a readable XLSX workbook: {_reason(exc)}", Location(str(path))) from exc
    tables: dict[str, Table] = {}
    try:
        for name in book.sheetnames:
            sheet = sheet_named(str(name))
            if sheet is None or sheet.key in tables:
                continue  # the instructions and the lookup lists
            table = Table(sheet, str(path), str(name), lang)
            _xlsx_sheet(book[name], table, f"{path}[{name}]", problems)
            tables[sheet.key] = table
    finally:
        book.close()
    if not tables:
        raise InputError(
            f"the workbook has none of the template's sheets ({', '.join(TEMPLATE_SHEETS)})",
            Location(str(path)),
        )
    return tables


def _xlsx_sheet(sheet: Any, table: Table, label: str, problems: list[Violation]) -> None:  # a read-only worksheet
    number = 0  # the last row read whole
    try:
        it = sheet.iter_rows(values_only=True)
        header_row = next(it, None) or ()
        number = 1
        header = [str(h) if h is not None else "" for h in header_row]
        _check_header(table, header, problems)
        for number, values in enumerate(it, start=2):
            _add_row(table, number, ["" if v is None else _cell_text(v) for v in values])
    except Exception as exc:  # noqa: BLE001 - a damaged sheet fails in zipfile, zlib or the XML parser
        raise InputError(
            f"sheet '{table.name}' is damaged or truncated: {_reason(exc)}", Location(label, row=number + 1)
        ) from exc


def _add_row(table: Table, number: int, values: list[str]) -> None:
    cells = {key: values[i] if i < len(values) else "" for key, (_h, i) in table.headers.items()}
    if any(v.strip() for v in cells.values()):
        table.rows.append(Row(table.sheet.key, number, cells, table.file, table))


def _reason(exc: BaseException) -> str:
    """One line of an exception from a reader: its message, or its kind when it has none."""
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    return str(value)


def _check_header(table: Table, names: list[str], problems: list[Violation]) -> None:
    """Which column each header is; an unknown header or a missing required column is a problem of row 1."""
    lang = table.lang
    for index, name in enumerate(names):
        if not name.strip():
            continue
        column = column_named(table.sheet, name)
        if column is None or column.key in table.headers:
            allowed = [c.header(_header_lang(lang)) for c in table.sheet.columns]
            hint = suggest((), name, lang, extra=tuple(allowed) + tuple(c.key for c in table.sheet.columns))
            message = "; ".join((say(lang, "unknown_column", name=name.strip()),
                                 say(lang, "allowed", values=", ".join(allowed))))
            if hint:
                message += "; " + say(lang, "did_you_mean", value=hint)
            problems.append(Violation(CellLocation(table.file, row=1, sheet=table.name, column=name.strip(),
                                                   letter=_letter(index), lang=lang), RULE_COLUMN, message))
            continue
        table.headers[column.key] = (name.strip(), index)
    for column in table.sheet.columns:
        if column.required and column.key not in table.headers:
            problems.append(Violation(
                CellLocation(table.file, row=1, sheet=table.name, lang=lang), RULE_COLUMN,
                say(lang, "missing_column", name=column.header(_header_lang(lang)))))


def _header_lang(lang: str) -> str:
    return lang if lang in ("fi", "sv", "en") else "en"


def _real_date(value: str) -> bool:
    """Whether a YYYY-MM-DD string is a day of the calendar (2024-13-40 is not)."""
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _slugify(text: str) -> str:
    table = str.maketrans("äöåÄÖÅ", "aoaAOA")
    return re.sub(r"[^a-z0-9]+", "-", text.translate(table).lower()).strip("-") or "template"


def not_allowed(lang: str, value: str, listed: tuple[Choice, ...], list_key: str,
                extra: tuple[str, ...] = (), head: str | None = None) -> str:
    """"'x' is not allowed; allowed: ...; did you mean 'y'?", in ``lang``."""
    parts = [head or say(lang, "not_allowed", value=value)]
    shown = [c.shown(lang) for c in listed]
    if len(shown) <= 12:
        parts.append(say(lang, "allowed", values=listing(list(extra) + shown)))
    else:
        parts.append(say(lang, "allowed_many", count=len(shown), sheet=LOOKUP[_header_lang(lang)],
                         list=list_name(list_key, _header_lang(lang)), values=listing(shown, 3)))
    if hint := suggest(listed, value, lang, extra):
        parts.append(say(lang, "did_you_mean", value=hint))
    return "; ".join(parts)


# -- mapping ------------------------------------------------------------------------------------------------------

def _order(v: Violation) -> tuple[str, str, int, str]:
    loc = v.location
    sheet = loc.sheet or "" if isinstance(loc, CellLocation) else ""
    column = loc.letter or "" if isinstance(loc, CellLocation) else ""
    return (loc.file, sheet, loc.row or 0, column.rjust(3))


class _Mapper:
    """Turns the rows of one template into triples, collecting every problem on the way."""

    def __init__(self, source: SourceFile, tables: dict[str, Table], lang: str, problems: list[Violation]) -> None:
        self.source = source
        self.tables = tables
        self.lang = lang
        self.g = Graph()
        self.result = TemplateResult(self.g, problems=problems, lang=lang, tables=tables)
        self.local: dict[str, URIRef] = {}
        self.first_row: dict[str, int] = {}
        self.broken: set[str] = set()  # ids of rows that could not be mapped: references to them are not re-reported
        self.own_source = SOURCE[f"template/{_slugify(source.path.stem)}"]

    def rows(self, sheet: str) -> list[Row]:
        return self.tables[sheet].rows if sheet in self.tables else []

    def run(self) -> TemplateResult:
        self._mint_ids()
        for row in self.rows("themes"):
            self._guard(row, self._theme)
        for row in self.rows("actors"):
            self._guard(row, self._actor)
        for row in self.rows("forums"):
            self._guard(row, lambda r: self._structure(r, YHD.Forum))
        for row in self.rows("networks"):
            self._guard(row, lambda r: self._structure(r, YHD.Network))
        for row in self.rows("memberships"):
            self._membership(row)
        unique = {(str(v.location), v.message): v for v in self.result.problems}
        self.result.problems[:] = sorted(unique.values(), key=_order)
        if any(o == self.own_source for o in self.g.objects(None, DCTERMS.source)):
            self.g.add((self.own_source, RDF.type, YHD.SourceDocument))
            self.g.add((self.own_source, DCTERMS.title, Literal(self.source.name)))
            self.g.add((self.own_source, DCTERMS.description, Literal(
                "Tabular template filled by a data steward; facts cite it when a row names no other source.",
                lang="en")))
        return self.result

    def _guard(self, row: Row, map_row: Any) -> None:
        if row.get("id") in self.local and self.first_row.get(row.get("id")) == row.number:
            map_row(row)

    # -- problems and triples -------------------------------------------------

    def problem(self, row: Row, column: str | None, rule: str, message: str, value: str | None = None) -> None:
        self.result.problems.append(Violation(row.at(column), rule, message, value=value))

    def add(self, s: URIRef, p: URIRef, o: Node, row: Row, column: str | None) -> None:
        """One triple, remembering the cell it came from."""
        self.g.add((s, p, o))
        key = (str(s), short_name(p), str(o)[:80])
        self.result.cells.setdefault(key, row.at(column, str(s)))

    # -- identifiers ----------------------------------------------------------

    def _mint_ids(self) -> None:
        for sheet in ("themes", "actors", "forums", "networks"):
            for row in self.rows(sheet):
                key = row.get("id")
                if not key:
                    self.problem(row, "id", RULE_REQUIRED, say(self.lang, "required"))
                    continue
                if key in self.local:
                    self.problem(row, "id", RULE_ID, say(self.lang, "duplicate_id", value=key,
                                                          first=self.first_row[key]), key)
                    continue
                iri = self._mint(sheet, row)
                if iri is None:
                    self.broken.add(key)
                    continue
                self.local[key] = iri
                self.first_row[key] = row.number
                self.result.locations.setdefault(str(iri), row.location(str(iri)))

    def _mint(self, sheet: str, row: Row) -> URIRef | None:
        key = row.get("id")
        if sheet == "themes":
            if not _SLUG.match(key):
                self.problem(row, "id", RULE_ID, say(self.lang, "slug", value=key), key)
                return None
            scheme = self._scheme(row)
            if scheme is None:
                return None
            return URIRef(f"{THEME}{scheme}") if self._kind(row) == "scheme" else THEME[f"{scheme}/{key}"]
        if sheet == "actors":
            kind = self._actor_type(row)
            if kind is None:
                return None
            if kind == "municipality":
                code = key if re.fullmatch(r"\d{3}", key) else (c.code if (c := find(choices("actors"), key)) else "")
                if not re.fullmatch(r"\d{3}", code):
                    self.problem(row, "id", RULE_ID, say(self.lang, "municipality_id", value=key), key)
                    return None
                return ID[f"municipality/{code}"]
            if kind == "welfare-area":
                code = key if re.fullmatch(r"\d{2}", key) else (c.code if (c := find(choices("actors"), key)) else "")
                if not re.fullmatch(r"\d{2}", code):
                    self.problem(row, "id", RULE_ID, say(self.lang, "welfare_area_id", value=key), key)
                    return None
                return ID[f"welfare-area/{code}"]
            segment = ACTOR_TYPES[kind][1]
        else:
            segment = "forum" if sheet == "forums" else "network"
        if not _SLUG.match(key):
            self.problem(row, "id", RULE_ID, say(self.lang, "slug", value=key), key)
            return None
        return ID[f"{segment}/{self._region_slug(row, report=False) or 'fi'}/{key}"]

    def _choice(self, row: Row, column: str) -> Choice | None:
        """The value of a closed list column, or None (empty, or a problem reported)."""
        value = row.get(column)
        if not value:
            return None
        col = BY_KEY[row.sheet].column(column)
        listed = choices(col.choices or "")
        found = find(listed, value)
        if found is None:
            self._not_allowed(row, col, value, listed)
        return found

    def _not_allowed(self, row: Row, col: Column, value: str, listed: tuple[Choice, ...],
                     extra: tuple[str, ...] = (), head: str | None = None) -> None:
        key = col.choices or ""
        self.problem(row, col.key, RULE_VALUE, not_allowed(self.lang, value, listed, key, extra, head), value)

    def _actor_type(self, row: Row) -> str | None:
        if not row.get("type"):
            self.problem(row, "type", RULE_REQUIRED, say(self.lang, "required"))
            return None
        found = self._choice(row, "type")
        return found.code if found else None

    def _kind(self, row: Row) -> str:
        found = self._choice(row, "kind") if row.get("kind") else None
        return found.code if found else ""

    def _scheme(self, row: Row) -> str | None:
        value = row.get("scheme").strip("/")
        if not value:
            self.problem(row, "scheme", RULE_REQUIRED, say(self.lang, "required"))
            return None
        found = find(choices("schemes"), value)
        if found:
            return found.code
        if _SCHEME_PATH.match(value):
            return value  # a new scheme, defined by a row of this sheet or by another source
        self._not_allowed(row, BY_KEY["themes"].column("scheme"), value, choices("schemes"))
        return None

    def _region_slug(self, row: Row, report: bool = True) -> str | None:
        value = row.get("region")
        if not value:
            return None
        found = find(choices("regions"), value)
        if found:
            return found.code
        if _SLUG.match(value):
            return value  # a region of another source; the shapes check that it exists
        if report:
            self._not_allowed(row, BY_KEY[row.sheet].column("region"), value, choices("regions"))
        return None

    def _ref(self, value: str, row: Row, column: str) -> URIRef | None:
        """An entity named in a cell: a local id, a municipality or county (code or name), a path, or an IRI."""
        if value in self.local:
            return self.local[value]
        if value in self.broken:
            return None
        if value.startswith(("http://", "https://")):
            return URIRef(value)
        if re.fullmatch(r"\d{3}", value):
            return ID[f"municipality/{value}"]
        if re.fullmatch(r"\d{2}", value):
            return ID[f"welfare-area/{value}"]
        col = BY_KEY[row.sheet].column(column)
        listed = choices(col.choices or "actors")  # negotiation types and legal provisions have lists of their own
        if found := find(listed, value):
            return URIRef(found.iri)
        if "/" in value and " " not in value:  # a path under id/ (a mistyped label is not one)
            return ID[value.strip("/")]
        actors = listed is choices("actors")
        self._not_allowed(row, col, value, listed, tuple(self.local) if actors else (),
                          head=say(self.lang, "unknown_ref", value=value) if actors else None)
        return None

    def _theme_ref(self, value: str, row: Row, column: str) -> URIRef | None:
        if value in self.local:
            return self.local[value]
        if value in self.broken:
            return None
        if value.startswith(("http://", "https://")):
            return URIRef(value)
        if found := find(choices("themes"), value):
            return URIRef(found.iri)
        if "/" in value:
            return THEME[value.strip("/")]
        local = tuple(k for k, v in self.local.items() if str(v).startswith(str(THEME)))
        self._not_allowed(row, BY_KEY[row.sheet].column(column), value, choices("themes"), local,
                          head=say(self.lang, "unknown_theme", value=value))
        return None

    def _sources(self, row: Row) -> list[URIRef]:
        out = []
        for value in row.many("source"):
            if value.startswith(("http://", "https://")):
                out.append(URIRef(value))
            elif _SEED.match(value):
                out.append(SOURCE[value.removesuffix(".txt")])
            else:
                out.append(SOURCE[value.removeprefix("source/").removesuffix(".txt")])
        return out or [self.own_source]

    # -- rows -----------------------------------------------------------------

    def _dates(self, node: URIRef, row: Row) -> None:
        for column, prop in (("valid_from", YHD.validFrom), ("valid_until", YHD.validUntil)):
            if value := row.get(column):
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) or not _real_date(value):
                    self.problem(row, column, RULE_VALUE, say(self.lang, "date", value=value), value)
                    continue
                self.add(node, prop, Literal(value, datatype=XSD.date), row, column)

    def _labels(self, node: URIRef, row: Row) -> None:
        for lang in ("fi", "sv", "en"):
            if text := row.get(f"label_{lang}"):
                self.add(node, SKOS.prefLabel, Literal(text, lang=lang), row, f"label_{lang}")

    def _common(self, node: URIRef, row: Row) -> None:
        self._dates(node, row)
        self._labels(node, row)
        for src in self._sources(row):
            self.add(node, DCTERMS.source, src, row, "source")
        if note := row.get("note"):
            self.add(node, YHD.note, Literal(note), row, "note")
        if slug := self._region_slug(row):
            self.add(node, YHD.inRegion, URIRef(region_iri(slug)), row, "region")

    def _theme(self, row: Row) -> None:
        node = self.local[row.get("id")]
        if self._kind(row) == "scheme":
            self.add(node, RDF.type, YHD.ThemeScheme, row, "kind")
            self._labels(node, row)
            for src in self._sources(row):
                self.add(node, DCTERMS.source, src, row, "source")
            if slug := self._region_slug(row):
                self.add(node, YHD.schemeRegion, URIRef(region_iri(slug)), row, "region")
            return
        scheme = URIRef(f"{THEME}{self._scheme(row)}")
        self.add(node, RDF.type, YHD.Theme, row, None)
        self.add(node, SKOS.inScheme, scheme, row, "scheme")
        self._labels(node, row)
        for src in self._sources(row):
            self.add(node, DCTERMS.source, src, row, "source")
        for b in row.many("broader"):
            if (ref := self._theme_ref(b, row, "broader")) is not None:
                self.add(node, SKOS.broader, ref, row, "broader")
        if not row.many("broader"):
            self.add(node, SKOS.topConceptOf, scheme, row, "scheme")
        for column, prop in (
            ("exact_match", SKOS.exactMatch),
            ("close_match", SKOS.closeMatch),
            ("broad_match", SKOS.broadMatch),
            ("related_match", SKOS.relatedMatch),
        ):
            for value in row.many(column):
                if (ref := self._theme_ref(value, row, column)) is not None:
                    self.add(node, prop, ref, row, column)

    def _actor(self, row: Row) -> None:
        node = self.local[row.get("id")]
        kind = self._actor_type(row) or "organisation"
        cls = URIRef(ACTOR_TYPES[kind][0])
        self.add(node, RDF.type, cls, row, "type")
        self._common(node, row)
        if cls in (YHD.Municipality, YHD.WelfareArea):
            self.add(node, SKOS.notation, Literal(str(node).rsplit("/", 1)[-1]), row, "id")
        if parent := row.get("part_of"):
            prop = ORG.postIn if cls == YHD.Post else ORG.unitOf if cls == YHD.Unit else ORG.subOrganizationOf
            if (ref := self._ref(parent, row, "part_of")) is not None:
                self.add(node, prop, ref, row, "part_of")

    def _structure(self, row: Row, cls: URIRef) -> None:
        node = self.local[row.get("id")]
        if cls == YHD.Forum and row.get("negotiation_type"):
            cls = YHD.StatutoryNegotiation
            if (ref := self._ref(row.get("negotiation_type"), row, "negotiation_type")) is not None:
                self.add(node, YHD.negotiationType, ref, row, "negotiation_type")
        self.add(node, RDF.type, cls, row, None)
        self._common(node, row)
        for value in row.many("themes"):
            if (ref := self._theme_ref(value, row, "themes")) is not None:
                self.add(node, YHD.theme, ref, row, "themes")
        for column, prop in (("levels", YHD.level), ("scope", YHD.scope), ("permanence", YHD.permanence),
                             ("frequency", YHD.frequency), ("status", YHD.status)):
            if column not in COLUMNS[row.sheet]:
                continue
            for value in row.many(column) if column == "levels" else [row.get(column)] if row.get(column) else []:
                if value.startswith(("http://", "https://")):
                    self.add(node, prop, URIRef(value), row, column)
                    continue
                col = BY_KEY[row.sheet].column(column)
                listed = choices(col.choices or "")
                if found := find(listed, value):
                    self.add(node, prop, URIRef(found.iri), row, column)
                else:
                    self._not_allowed(row, col, value, listed)
        for column, prop in (("coordinator", YHD.coordinator), ("convener", YHD.convener),
                             ("legal_basis", YHD.legalBasis)):
            for value in row.many(column):
                if (ref := self._ref(value, row, column)) is not None:
                    self.add(node, prop, ref, row, column)
        for column, prop in (("mandate", YHD.mandate), ("member_description", YHD.memberDescription),
                             ("frequency_note", YHD.frequencyNote)):
            if value := row.get(column):
                self.add(node, prop, Literal(value, lang="fi"), row, column)

    def _membership(self, row: Row) -> None:
        for column in ("structure", "member"):
            if not row.get(column):
                self.problem(row, column, RULE_REQUIRED, say(self.lang, "required"))
        if not row.get("structure") or not row.get("member"):
            return
        structure = self._ref(row.get("structure"), row, "structure")
        member = self._ref(row.get("member"), row, "member")
        if structure is None or member is None:
            return
        self.add(structure, ORG.hasMember, member, row, "member")
        period = f"{row.get('valid_from')} {row.get('valid_until')}".strip()
        digest = hashlib.sha1(f"{structure} {member} {period}".strip().encode()).hexdigest()[:16]
        membership = ID[f"membership/{digest}"]
        self.add(membership, RDF.type, ORG.Membership, row, None)
        self.add(membership, ORG.member, member, row, "member")
        self.add(membership, ORG.organization, structure, row, "structure")
        if role := row.get("role"):
            self.add(membership, YHD.note, Literal(role, lang="fi"), row, "role")
        self._dates(membership, row)
        for src in self._sources(row):
            self.add(membership, DCTERMS.source, src, row, "source")
        self.result.locations.setdefault(str(membership), row.location(str(membership)))
        self.result.locations.setdefault(str(structure), row.location(str(structure)))
