"""The checks' violations of a template, told in the template's words, and the one error that lists them.

SHACL speaks of nodes and properties (``Value does not have class yhd:Scope``); a steward
filled a sheet. Every triple of a template remembers its cell (``template.py``), so a
result about a node, a property and a value is reported at the sheet, row and column it
came from, with what the column allows and the closest allowed value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from yhdyspinta.errors import InputError, ValidationError, Violation
from yhdyspinta.ingest.choices import Choice, choices
from yhdyspinta.ingest.columns import sheet_named
from yhdyspinta.ingest.messages import say
from yhdyspinta.ingest.template import CellLocation, TemplateResult, not_allowed
from yhdyspinta.ingest.validate import RULE_PRIVACY
from yhdyspinta.ontology.namespaces import BASE, ID, SOURCE, THEME

#: The column a property comes from, when no cell holds the value (a missing one).
_PATH_COLUMN = {
    "yhd:theme": "themes", "yhd:level": "levels", "yhd:scope": "scope", "yhd:status": "status",
    "yhd:permanence": "permanence", "yhd:frequency": "frequency", "yhd:inRegion": "region",
    "dcterms:source": "source", "yhd:negotiationType": "negotiation_type", "yhd:legalBasis": "legal_basis",
    "yhd:coordinator": "coordinator", "yhd:convener": "convener", "org:hasMember": "member",
    "org:member": "member", "org:organization": "structure", "org:unitOf": "part_of", "org:postIn": "part_of",
    "skos:inScheme": "scheme", "skos:broader": "broader", "yhd:validFrom": "valid_from",
    "yhd:validUntil": "valid_until", "yhd:schemeRegion": "region",
}
#: The list of allowed values to show for a property whose value is of the wrong class.
_PATH_LIST = {"yhd:theme": "themes", "yhd:level": "levels", "yhd:scope": "scopes", "yhd:status": "statuses",
              "yhd:permanence": "permanence", "yhd:frequency": "frequencies", "yhd:inRegion": "regions",
              "skos:broader": "themes", "org:hasMember": "actors", "org:member": "actors",
              "yhd:coordinator": "actors", "yhd:convener": "actors",
              "yhd:negotiationType": "negotiations", "yhd:legalBasis": "provisions"}
_LABEL_SHAPES = {"ysh:prefLabelFi": "fi", "ysh:prefLabelSv": "sv", "ysh:prefLabelEn": "en"}


class TemplateRejected(ValidationError, InputError):
    """Every problem of a batch with a template, in the steward's language; nothing was written.

    A ValidationError (it lists violations) and an InputError (a mapping problem is bad input),
    so that callers catching either see it; ``location`` is the first problem's.
    """

    def __init__(self, violations: list[Violation], lang: str = "en") -> None:
        self.lang = lang
        ValidationError.__init__(self, violations)
        self.location = violations[0].location if violations else None

    def summary(self, limit: int = 200) -> str:
        lines = [say(self.lang, "summary", n=len(self.violations))]
        for v in self.violations[:limit]:
            if isinstance(v.location, CellLocation):
                lines.append(f"  - {v.location}: {v.message}")
            else:
                lines.append(f"  - {v}")
        if len(self.violations) > limit:
            lines.append(f"  ... (+{len(self.violations) - limit})")
        return "\n".join(lines)


def explainer(result: TemplateResult) -> Callable[[list[Violation]], list[Violation]]:
    """The function that tells ``result``'s violations in the template's words (for ``Parsed.explain``)."""

    def explain(violations: list[Violation]) -> list[Violation]:
        told = [_explain(result, v) for v in violations]
        taken = {_cell(v) for v in result.problems}
        # a cell already reported while mapping (a value not allowed) is not reported again by the shapes
        return [v for v in told if _cell(v) not in taken or v.rule == RULE_PRIVACY]

    return explain


def _cell(v: Violation) -> tuple[str, str | None, int | None, str | None]:
    loc = v.location
    if isinstance(loc, CellLocation):
        return (loc.file, loc.sheet, loc.row, loc.column)
    return (loc.file, None, loc.row, None)


def _explain(result: TemplateResult, v: Violation) -> Violation:
    lang = result.lang
    node = v.location.node or ""
    path = v.path or ""
    label = _label_column(v.rule)  # a missing name: the column of that language, whatever the other names
    cell = result.cells.get((node, path, v.value or "")) if v.value is not None and not label else None
    if cell is None and not label:
        cell = next((c for (s, p, _o), c in result.cells.items() if s == node and p == path), None)
    if cell is None and isinstance(v.location, CellLocation):
        column = label or _PATH_COLUMN.get(path)
        table = result.tables.get(_sheet_key(v.location))
        if column and table and any(c.key == column for c in table.sheet.columns):
            cell = table.at(v.location.row, column, v.location.node)
        else:
            cell = v.location
    if cell is None:
        return v
    return replace(v, location=cell, message=_message(v, lang))


def _label_column(rule: str) -> str | None:
    lang = _LABEL_SHAPES.get(rule)
    return f"label_{lang}" if lang else None


def _sheet_key(loc: CellLocation) -> str:
    name = loc.sheet or loc.file.rsplit("/", 1)[-1].removesuffix(".csv")
    found = sheet_named(name)
    return found.key if found else ""


def _message(v: Violation, lang: str) -> str:
    path, value, rule = v.path or "", v.value or "", v.rule
    tail = f" ({path})" if path else ""
    if rule == RULE_PRIVACY:
        kind = say(lang, "kind_email" if "e-mail" in v.message else "kind_phone")
        return say(lang, "privacy", kind=kind)
    if rule in _LABEL_SHAPES:
        return say(lang, f"shacl_label_{_LABEL_SHAPES[rule]}") + tail
    if not rule.startswith("ysh:") and not rule.startswith("sh:"):
        return v.message  # the checks of the text (size, datatype, invisible characters) speak plainly already
    if "maxCount" in v.message or "More than" in v.message:
        return say(lang, "shacl_one_value") + tail
    if not value:
        if path == "yhd:theme":
            return say(lang, "shacl_network_theme") + tail
        if path == "yhd:negotiationType":
            return say(lang, "shacl_negotiation_type") + tail
        if path == "org:unitOf":
            return say(lang, "shacl_unit_of") + tail
        return say(lang, "shacl_other", message=v.message)
    shown = _shown(value, lang)
    key = {"yhd:theme": "shacl_theme", "skos:broader": "shacl_theme", "yhd:level": "shacl_level",
           "yhd:inRegion": "shacl_region", "yhd:schemeRegion": "shacl_region", "dcterms:source": "shacl_source",
           "yhd:negotiationType": "shacl_negotiation", "yhd:legalBasis": "shacl_legal",
           "org:hasMember": "shacl_member", "org:member": "shacl_member", "yhd:coordinator": "shacl_member",
           "yhd:convener": "shacl_member", "org:unitOf": "shacl_member", "org:postIn": "shacl_member",
           }.get(path, "shacl_vocab" if path in _PATH_LIST else "")
    if not key:
        return say(lang, "shacl_other", message=v.message)
    head = say(lang, key, value=shown)
    listed: tuple[Choice, ...] = choices(_PATH_LIST[path]) if path in _PATH_LIST else ()
    if listed:
        return not_allowed(lang, shown, listed, _PATH_LIST[path], head=head) + tail
    return head + tail


def _shown(value: str, lang: str) -> str:
    """The value as the steward wrote it, as far as it can be told from its IRI."""
    for prefix in (str(THEME), str(SOURCE), f"{ID}region/", str(ID), BASE):
        if value.startswith(prefix):
            return value.removeprefix(prefix)
    return value
