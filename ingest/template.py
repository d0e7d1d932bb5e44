"""The tabular template: CSV files (or one XLSX workbook) a data steward fills
without knowing RDF, mapped to the ontology.

Sheets: actors, forums, networks, memberships, themes. Each row becomes one
entity (or one membership); every node remembers its file and row so that
validation errors point at the cell to fix. The column reference is in
docs/template.md; the empty template is in templates/.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rdflib import RDF, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from yhdyspinta.errors import InputError, Location
from yhdyspinta.ingest.discover import TEMPLATE_SHEETS, SourceFile
from yhdyspinta.ontology.namespaces import BASE, ID, ORG, SOURCE, THEME, YHD, region_iri

#: Allowed columns per sheet; the first ones listed in REQUIRED must be present.
COLUMNS: dict[str, tuple[str, ...]] = {
    "actors": (
        "id", "type", "label_fi", "label_sv", "label_en", "part_of", "region", "valid_from", "valid_until",
        "source", "note",
    ),
    "forums": (
        "id", "label_fi", "label_sv", "label_en", "region", "themes", "levels", "permanence",
        "frequency", "frequency_note", "legal_basis", "negotiation_type", "convener", "mandate",
        "status", "member_description", "valid_from", "valid_until", "source", "note",
    ),
    "networks": (
        "id", "label_fi", "label_sv", "label_en", "region", "themes", "levels", "scope",
        "coordinator", "status", "member_description", "valid_from", "valid_until", "source", "note",
    ),
    "memberships": ("structure", "member", "role", "valid_from", "valid_until", "source"),
    "themes": (
        "id", "kind", "scheme", "region", "label_fi", "label_sv", "label_en", "broader",
        "exact_match", "close_match", "broad_match", "related_match", "source",
    ),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "actors": ("id", "type", "label_fi"),
    "forums": ("id", "label_fi"),
    "networks": ("id", "label_fi", "themes"),
    "memberships": ("structure", "member"),
    "themes": ("id", "scheme", "label_fi"),
}

#: Actor types: (class, IRI segment).
ACTOR_TYPES: dict[str, tuple[URIRef, str]] = {
    "municipality": (YHD.Municipality, "municipality"),
    "welfare-area": (YHD.WelfareArea, "welfare-area"),
    "regional-council": (YHD.RegionalCouncil, "org"),
    "state-agency": (YHD.StateAgency, "org"),
    "national-body": (YHD.NationalBody, "org"),
    "education-provider": (YHD.EducationProvider, "org"),
    "civil-society": (YHD.CivilSocietyOrganisation, "org"),
    "organisation": (YHD.Organisation, "org"),
    "unit": (YHD.Unit, "unit"),
    "post": (YHD.Post, "post"),
}

_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_SEED = re.compile(r"^\d{3}_[0-9a-f]{16}(\.txt)?$")


@dataclass(frozen=True)
class Row:
    sheet: str
    number: int  # 1-based, the header is row 1
    cells: dict[str, str]
    file: str

    def location(self, node: str | None = None) -> Location:
        return Location(self.file, row=self.number, node=node)

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def many(self, column: str) -> list[str]:
        return [v.strip() for v in self.get(column).split(";") if v.strip()]


@dataclass
class TemplateResult:
    """The mapped graph, and where each node came from."""

    graph: Graph
    locations: dict[str, Location] = field(default_factory=dict)


def read_template(source: SourceFile) -> TemplateResult:
    """Read and map one template source (CSV folder or XLSX workbook)."""
    sheets = _read_xlsx(source.path) if source.kind == "xlsx-template" else _read_csv_dir(source.path)
    return _Mapper(source, sheets).run()


def _read_csv_dir(folder: Path) -> dict[str, list[Row]]:
    sheets: dict[str, list[Row]] = {}
    for name in TEMPLATE_SHEETS:
        path = folder / f"{name}.csv"
        if not path.is_file():
            continue
        try:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                header = _check_header(name, reader.fieldnames or [], str(path))
                rows = []
                for number, raw in enumerate(reader, start=2):
                    if None in raw:
                        raise InputError(
                            "more cells than columns (a stray comma?)", Location(str(path), row=number)
                        )
                    cells = {_norm(k): (v or "") for k, v in raw.items() if k is not None}
                    if any(v.strip() for v in cells.values()):
                        rows.append(Row(name, number, {h: cells.get(h, "") for h in header}, str(path)))
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text: {exc}", Location(str(path))) from exc
        except csv.Error as exc:
            raise InputError(f"CSV cannot be read: {exc}", Location(str(path))) from exc
        sheets[name] = rows
    return sheets


def _read_xlsx(path: Path) -> dict[str, list[Row]]:
    """The template's sheets of one workbook; a damaged workbook is an InputError naming the file and sheet.

    openpyxl's read-only mode inflates each sheet only as its rows are read, so a truncated or
    corrupt sheet fails in the middle of the loop, not on opening: both are caught.
    """
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds; all mean "unreadable"
        raise InputError(f"not a readable XLSX workbook: {_reason(exc)}", Location(str(path))) from exc
    sheets: dict[str, list[Row]] = {}
    try:
        known = {_norm(str(n)): n for n in book.sheetnames}
        for name in TEMPLATE_SHEETS:
            if name in known:
                sheets[name] = _xlsx_sheet(book[known[name]], name, f"{path}[{name}]")
    finally:
        book.close()
    if not sheets:
        raise InputError(
            f"the workbook has none of the template's sheets ({', '.join(TEMPLATE_SHEETS)})",
            Location(str(path)),
        )
    return sheets


def _xlsx_sheet(sheet: Any, name: str, label: str) -> list[Row]:  # an openpyxl read-only worksheet
    number = 0  # the last row read whole
    rows = []
    try:
        it = sheet.iter_rows(values_only=True)
        header_row = next(it, None) or ()
        number = 1
        header = _check_header(name, [str(h) if h is not None else "" for h in header_row], label)
        for number, values in enumerate(it, start=2):
            cells = {
                h: ("" if v is None else _cell_text(v))
                for h, v in zip(header, values, strict=False)
                if h
            }
            if any(v.strip() for v in cells.values()):
                rows.append(Row(name, number, cells, label))
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet fails in zipfile, zlib or the XML parser
        raise InputError(
            f"sheet '{name}' is damaged or truncated: {_reason(exc)}", Location(label, row=number + 1)
        ) from exc
    return rows


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


def _norm(name: str) -> str:
    return name.strip().lower().replace(" ", "_")


def _check_header(sheet: str, names: Sequence[str], file: str) -> list[str]:
    header = [_norm(n) for n in names]
    unknown = [h for h in header if h and h not in COLUMNS[sheet]]
    if unknown:
        raise InputError(
            f"unknown column(s) {', '.join(unknown)} in sheet '{sheet}'; "
            f"allowed: {', '.join(COLUMNS[sheet])}",
            Location(file, row=1),
        )
    missing = [c for c in REQUIRED[sheet] if c not in header]
    if missing:
        raise InputError(
            f"sheet '{sheet}' lacks required column(s) {', '.join(missing)}", Location(file, row=1)
        )
    return header


class _Mapper:
    """Turns the rows of one template into triples."""

    def __init__(self, source: SourceFile, sheets: dict[str, list[Row]]) -> None:
        self.source = source
        self.sheets = sheets
        self.g = Graph()
        self.locations: dict[str, Location] = {}
        self.local: dict[str, URIRef] = {}
        self.own_source = SOURCE[f"template/{_slugify(source.path.stem)}"]

    def run(self) -> TemplateResult:
        self._mint_ids()
        for row in self.sheets.get("themes", []):
            self._theme(row)
        for row in self.sheets.get("actors", []):
            self._actor(row)
        for row in self.sheets.get("forums", []):
            self._structure(row, YHD.Forum)
        for row in self.sheets.get("networks", []):
            self._structure(row, YHD.Network)
        for row in self.sheets.get("memberships", []):
            self._membership(row)
        if any(o == self.own_source for o in self.g.objects(None, DCTERMS.source)):
            self.g.add((self.own_source, RDF.type, YHD.SourceDocument))
            self.g.add((self.own_source, DCTERMS.title, Literal(self.source.name)))
            self.g.add((self.own_source, DCTERMS.description, Literal(
                "Tabular template filled by a data steward; facts cite it when a row names no other source.",
                lang="en")))
        return TemplateResult(self.g, self.locations)

    # -- identifiers ------------------------------------------------------

    def _mint_ids(self) -> None:
        for sheet in ("themes", "actors", "forums", "networks"):
            for row in self.sheets.get(sheet, []):
                key = row.get("id")
                if not key:
                    raise InputError(f"the id cell is empty in sheet '{sheet}'", row.location())
                if key in self.local:
                    raise InputError(f"id '{key}' is defined twice", row.location())
                iri = self._mint(sheet, row)
                self.local[key] = iri
                self.locations.setdefault(str(iri), row.location(str(iri)))

    def _mint(self, sheet: str, row: Row) -> URIRef:
        key = row.get("id")
        if sheet == "themes":
            if not _SLUG.match(key):
                raise InputError(f"theme id '{key}' must be a slug (a-z, 0-9, hyphens)", row.location())
            scheme = row.get("scheme").strip("/")
            return URIRef(f"{THEME}{scheme}") if row.get("kind") == "scheme" else THEME[f"{scheme}/{key}"]
        if sheet == "actors":
            kind = row.get("type").lower()
            if kind not in ACTOR_TYPES:
                raise InputError(
                    f"unknown actor type '{row.get('type')}'; use one of {', '.join(ACTOR_TYPES)}",
                    row.location(),
                )
            if kind == "municipality":
                if not re.fullmatch(r"\d{3}", key):
                    raise InputError("a municipality's id is its three-digit code", row.location())
                return ID[f"municipality/{key}"]
            if kind == "welfare-area":
                if not re.fullmatch(r"\d{2}", key):
                    raise InputError("a welfare area's id is its two-digit code", row.location())
                return ID[f"welfare-area/{key}"]
            segment = ACTOR_TYPES[kind][1]
        else:
            segment = "forum" if sheet == "forums" else "network"
        if not _SLUG.match(key):
            raise InputError(f"id '{key}' must be a slug (a-z, 0-9, hyphens)", row.location())
        return ID[f"{segment}/{row.get('region') or 'fi'}/{key}"]

    def _ref(self, value: str, row: Row, column: str) -> URIRef:
        """An entity named in a cell: a local id, an official code, a path under id/, or an IRI."""
        if value in self.local:
            return self.local[value]
        if value.startswith(("http://", "https://")):
            return URIRef(value)
        if re.fullmatch(r"\d{3}", value):
            return ID[f"municipality/{value}"]
        if re.fullmatch(r"\d{2}", value):
            return ID[f"welfare-area/{value}"]
        if "/" in value:
            return ID[value.strip("/")]
        raise InputError(
            f"column '{column}': '{value}' is not an id defined in this template, a municipality "
            "or welfare area code, a path like org/fi/kuntaliitto, or a full IRI",
            row.location(),
        )

    def _vocab(self, value: str, scheme: str) -> URIRef:
        if value.startswith(("http://", "https://")):
            return URIRef(value)
        return URIRef(f"{BASE}{scheme}/{value}")

    def _theme_ref(self, value: str, row: Row) -> URIRef:
        if value in self.local:
            return self.local[value]
        if value.startswith(("http://", "https://")):
            return URIRef(value)
        if "/" in value:
            return THEME[value.strip("/")]
        raise InputError(
            f"theme '{value}' is neither defined in the themes sheet nor a scheme path "
            "like national/hyte or paijat-hame/priority/asuminen",
            row.location(),
        )

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

    # -- rows -------------------------------------------------------------

    def _dates(self, node: URIRef, row: Row) -> None:
        for column, prop in (("valid_from", YHD.validFrom), ("valid_until", YHD.validUntil)):
            if value := row.get(column):
                if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) or not _real_date(value):
                    raise InputError(f"column '{column}': '{value}' is not a date YYYY-MM-DD", row.location())
                self.g.add((node, prop, Literal(value, datatype=XSD.date)))

    def _common(self, node: URIRef, row: Row) -> None:
        self._dates(node, row)
        for lang in ("fi", "sv", "en"):
            if text := row.get(f"label_{lang}"):
                self.g.add((node, SKOS.prefLabel, Literal(text, lang=lang)))
        for src in self._sources(row):
            self.g.add((node, DCTERMS.source, src))
        if note := row.get("note"):
            self.g.add((node, YHD.note, Literal(note)))
        if region := row.get("region"):
            if not _SLUG.match(region):
                raise InputError(f"region '{region}' must be a region slug like paijat-hame", row.location())
            self.g.add((node, YHD.inRegion, URIRef(region_iri(region))))

    def _theme(self, row: Row) -> None:
        node = self.local[row.get("id")]
        if row.get("kind") == "scheme":
            self.g.add((node, RDF.type, YHD.ThemeScheme))
            for lang in ("fi", "sv", "en"):
                if text := row.get(f"label_{lang}"):
                    self.g.add((node, SKOS.prefLabel, Literal(text, lang=lang)))
            for src in self._sources(row):
                self.g.add((node, DCTERMS.source, src))
            if region := row.get("region"):
                self.g.add((node, YHD.schemeRegion, URIRef(region_iri(region))))
            return
        scheme = URIRef(f"{THEME}{row.get('scheme').strip('/')}")
        self.g.add((node, RDF.type, YHD.Theme))
        self.g.add((node, SKOS.inScheme, scheme))
        for lang in ("fi", "sv", "en"):
            if text := row.get(f"label_{lang}"):
                self.g.add((node, SKOS.prefLabel, Literal(text, lang=lang)))
        for src in self._sources(row):
            self.g.add((node, DCTERMS.source, src))
        for b in row.many("broader"):
            self.g.add((node, SKOS.broader, self._theme_ref(b, row)))
        if not row.many("broader"):
            self.g.add((node, SKOS.topConceptOf, scheme))
        for column, prop in (
            ("exact_match", SKOS.exactMatch),
            ("close_match", SKOS.closeMatch),
            ("broad_match", SKOS.broadMatch),
            ("related_match", SKOS.relatedMatch),
        ):
            for value in row.many(column):
                self.g.add((node, prop, self._theme_ref(value, row)))

    def _actor(self, row: Row) -> None:
        node = self.local[row.get("id")]
        cls = ACTOR_TYPES[row.get("type").lower()][0]
        self.g.add((node, RDF.type, cls))
        self._common(node, row)
        if cls == YHD.Municipality:
            self.g.add((node, SKOS.notation, Literal(row.get("id"))))
        if cls == YHD.WelfareArea:
            self.g.add((node, SKOS.notation, Literal(row.get("id"))))
        if parent := row.get("part_of"):
            prop = ORG.postIn if cls == YHD.Post else ORG.unitOf if cls == YHD.Unit else ORG.subOrganizationOf
            self.g.add((node, prop, self._ref(parent, row, "part_of")))

    def _structure(self, row: Row, cls: URIRef) -> None:
        node = self.local[row.get("id")]
        if cls == YHD.Forum and row.get("negotiation_type"):
            cls = YHD.StatutoryNegotiation
            self.g.add((node, YHD.negotiationType, self._ref(row.get("negotiation_type"), row, "negotiation_type")))
        self.g.add((node, RDF.type, cls))
        self._common(node, row)
        for value in row.many("themes"):
            self.g.add((node, YHD.theme, self._theme_ref(value, row)))
        for value in row.many("levels"):
            self.g.add((node, YHD.level, self._vocab(value, "level")))
        for column, prop, scheme in (
            ("scope", YHD.scope, "scope"),
            ("permanence", YHD.permanence, "permanence"),
            ("frequency", YHD.frequency, "frequency"),
            ("status", YHD.status, "status"),
        ):
            if value := row.get(column):
                self.g.add((node, prop, self._vocab(value, scheme)))
        for column, prop in (("coordinator", YHD.coordinator), ("convener", YHD.convener),
                             ("legal_basis", YHD.legalBasis)):
            for value in row.many(column):
                self.g.add((node, prop, self._ref(value, row, column)))
        for column, prop in (("mandate", YHD.mandate), ("member_description", YHD.memberDescription),
                             ("frequency_note", YHD.frequencyNote)):
            if value := row.get(column):
                self.g.add((node, prop, Literal(value, lang="fi")))

    def _membership(self, row: Row) -> None:
        structure = self._ref(row.get("structure"), row, "structure")
        member = self._ref(row.get("member"), row, "member")
        self.g.add((structure, ORG.hasMember, member))
        period = f"{row.get('valid_from')} {row.get('valid_until')}".strip()
        digest = hashlib.sha1(f"{structure} {member} {period}".strip().encode()).hexdigest()[:16]
        membership = ID[f"membership/{digest}"]
        self.g.add((membership, RDF.type, ORG.Membership))
        self.g.add((membership, ORG.member, member))
        self.g.add((membership, ORG.organization, structure))
        if role := row.get("role"):
            self.g.add((membership, YHD.note, Literal(role, lang="fi")))
        self._dates(membership, row)
        for src in self._sources(row):
            self.g.add((membership, DCTERMS.source, src))
        self.locations.setdefault(str(membership), row.location(str(membership)))
        self.locations.setdefault(str(structure), row.location(str(structure)))


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
