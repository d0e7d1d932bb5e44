"""Finding the sources under the paths a user gives, and their kinds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from yhdyspinta.errors import InputError

#: RDF syntaxes by file suffix, as rdflib names them.
RDF_FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "nt",
    ".ntriples": "nt",
    ".jsonld": "json-ld",
    ".json-ld": "json-ld",
    ".trig": "trig",
    ".nq": "nquads",
}

#: The sheets of the tabular template, as CSV file names (or XLSX sheet names).
TEMPLATE_SHEETS = ("actors", "forums", "networks", "memberships", "themes")


@dataclass(frozen=True)
class SourceFile:
    """One source: an RDF file, a folder of template CSVs, or one XLSX workbook."""

    path: Path
    kind: str  # "rdf", "csv-template" or "xlsx-template"
    rdf_format: str | None = None

    @property
    def name(self) -> str:
        return self.path.name


def _is_template_dir(path: Path) -> bool:
    return any((path / f"{sheet}.csv").is_file() for sheet in TEMPLATE_SHEETS)


def discover(paths: list[Path]) -> list[SourceFile]:
    """Every source under ``paths``, in a stable order.

    A folder that holds template CSVs is one source; other folders are
    searched recursively. Files of unknown kind inside folders are skipped
    (READMEs), but a file named explicitly must be readable.
    """
    found: list[SourceFile] = []
    for path in paths:
        if not path.exists():
            raise InputError(f"no such file or folder: {path}")
        if path.is_dir():
            found.extend(_walk(path))
        else:
            source = classify(path)
            if source is None:
                raise InputError(
                    f"{path}: unknown kind of file; expected one of "
                    f"{', '.join(sorted(RDF_FORMATS))}, .xlsx, or a folder of template CSVs"
                )
            found.append(source)
    seen: set[Path] = set()
    unique = []
    for s in found:
        if s.path.resolve() not in seen:
            seen.add(s.path.resolve())
            unique.append(s)
    return unique


def _walk(folder: Path) -> list[SourceFile]:
    if _is_template_dir(folder):
        return [SourceFile(folder, "csv-template")]
    out: list[SourceFile] = []
    for child in sorted(folder.iterdir()):
        if child.name.startswith((".", "_")):
            continue
        if child.is_dir():
            out.extend(_walk(child))
        else:
            source = classify(child)
            if source is not None:
                out.append(source)
    return out


def classify(path: Path) -> SourceFile | None:
    """The kind of a single file, or None when it is not a source."""
    suffix = path.suffix.lower()
    if suffix in RDF_FORMATS:
        return SourceFile(path, "rdf", RDF_FORMATS[suffix])
    if suffix == ".xlsx":
        return SourceFile(path, "xlsx-template")
    if path.is_dir() and _is_template_dir(path):
        return SourceFile(path, "csv-template")
    return None
