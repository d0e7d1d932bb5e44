"""The values a template cell may take, read from the ontology and the bundled reference data.

One list per kind of value (levels, scopes, themes, municipalities, negotiation types,
legal provisions, ...). The template
generator writes them to the lookup sheet and its drop-downs; the reader resolves a cell
against them (a code, a label in any language, or "label (code)" as the drop-down writes
it) and, when nothing matches, names the allowed values and the closest one. Both read the
same lists, so the template and the reader cannot drift apart.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from yhdyspinta.graph.store.sparql import load_query
from yhdyspinta.ontology.files import ONTOLOGY_FILES
from yhdyspinta.ontology.namespaces import BASE, ID, THEME, YHD

#: Actor types of the actors sheet: code -> (class, IRI segment of its id).
ACTOR_TYPES: dict[str, tuple[str, str]] = {
    "municipality": (str(YHD.Municipality), "municipality"),
    "welfare-area": (str(YHD.WelfareArea), "welfare-area"),
    "regional-council": (str(YHD.RegionalCouncil), "org"),
    "state-agency": (str(YHD.StateAgency), "org"),
    "national-body": (str(YHD.NationalBody), "org"),
    "education-provider": (str(YHD.EducationProvider), "org"),
    "civil-society": (str(YHD.CivilSocietyOrganisation), "org"),
    "organisation": (str(YHD.Organisation), "org"),
    "unit": (str(YHD.Unit), "unit"),
    "post": (str(YHD.Post), "post"),
}

#: Closed vocabularies of the ontology: list name -> (class, IRI prefix of its concepts).
VOCABULARIES: dict[str, tuple[str, str]] = {
    "levels": (str(YHD.Level), f"{BASE}level/"),
    "scopes": (str(YHD.Scope), f"{BASE}scope/"),
    "permanence": (str(YHD.Permanence), f"{BASE}permanence/"),
    "frequencies": (str(YHD.Frequency), f"{BASE}frequency/"),
    "statuses": (str(YHD.Status), f"{BASE}status/"),
}


@dataclass(frozen=True)
class Choice:
    """One allowed value: its code (what the reader keeps), its IRI and its labels."""

    code: str
    iri: str
    fi: str
    sv: str
    en: str
    group: str = ""  # the IRI of a theme's scheme, of a municipality's or county's region
    coded: bool = False  # shown as "label (code)": codes tell apart things of the same name
    aliases: tuple[str, ...] = ()  # other names the reader accepts: a notation, an alternative label

    def label(self, lang: str) -> str:
        return {"fi": self.fi, "sv": self.sv, "en": self.en}.get(lang) or self.fi or self.en or self.code

    def shown(self, lang: str) -> str:
        """The text of the drop-down: the label, with the code when the list needs it."""
        return f"{self.label(lang)} ({self.code})" if self.coded else self.label(lang)


_TRAILING_CODE = re.compile(r"\(([^()]+)\)\s*$")


def norm(text: str) -> str:
    """Text compared without case, accents or extra spaces: 'Päijät-Häme ' ~ 'paijat-hame'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.replace("_", " ").split())


_NORDIC = str.maketrans({"å": "{", "ä": "|", "ö": "}"})  # after z, in this order, as in Finnish and Swedish


def alphabetical(text: str) -> str:
    """A sort key in the order of the Finnish alphabet: Äänekoski after Ylöjärvi, not before Akaa."""
    return text.casefold().translate(_NORDIC)


def find(choices: tuple[Choice, ...], text: str) -> Choice | None:
    """The choice ``text`` names: its code, a label in any language, or "label (code)"."""
    wanted = text.strip()
    if wanted.startswith(("http://", "https://")):
        return next((c for c in choices if c.iri == wanted), None)
    inner = _TRAILING_CODE.search(wanted)
    keys = [norm(wanted)] + ([norm(inner.group(1))] if inner else [])
    for key in keys:
        for c in choices:
            if key == norm(c.code):
                return c
    key = keys[0]
    hits = [c for c in choices if key in {norm(c.fi), norm(c.sv), norm(c.en), *map(norm, c.aliases)}]
    return hits[0] if len(hits) == 1 else None


def suggest(choices: tuple[Choice, ...], text: str, lang: str, extra: tuple[str, ...] = ()) -> str | None:
    """The allowed value closest to ``text`` (as the steward would write it), or None."""
    shown = {norm(c.shown(lang)): c.shown(lang) for c in choices}
    for c in choices:
        for value in (c.code, c.fi, c.sv, c.en, *c.aliases):
            shown.setdefault(norm(value), c.shown(lang))
    for value in extra:
        shown.setdefault(norm(value), value)
    target = norm(_TRAILING_CODE.sub("", text) or text)
    best = difflib.get_close_matches(target, list(shown), n=1, cutoff=0.6)
    if not best:  # a part of a label ('alueellinen' for 'Alueellinen taso') is a hint too
        best = [k for k in shown if len(target) >= 4 and target in k][:1]
    return shown[best[0]] if best else None


def _files() -> list[Path]:
    import yhdyspinta.bundled

    reference = Path(yhdyspinta.bundled.__file__).resolve().parent / "reference"
    law = reference.parent / "national" / "law.ttl"  # the negotiation requirements and legal provisions
    return [*ONTOLOGY_FILES, reference / "municipalities.ttl", reference / "regions.ttl", law]


@cache
def _store() -> ox.Store:
    store = ox.Store()
    for path in _files():
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def _text(term: object) -> str:
    return str(term.value) if isinstance(term, ox.Literal | ox.NamedNode) else ""


def _items(cls: str) -> list[dict[str, str]]:
    result = _store().query(load_query(__name__, "choices"), substitutions={ox.Variable("class"): ox.NamedNode(cls)})
    assert isinstance(result, ox.QuerySolutions)
    names = ("item", "fi", "sv", "en", "code", "scheme", "group")
    return [{n: _text(row[n]) for n in names} for row in result]


def _vocabulary(cls: str, prefix: str) -> tuple[Choice, ...]:
    return tuple(
        Choice(r["item"].removeprefix(prefix), r["item"], r["fi"], r["sv"], r["en"])
        for r in sorted(_items(cls), key=lambda r: (r["code"].zfill(3), r["item"]))
        if r["item"].startswith(prefix)
    )


def _legal(cls: str, prefix: str) -> tuple[Choice, ...]:
    """Negotiation requirements or legal provisions: coded by their path under id/, also found by notation."""
    result = _store().query(
        load_query(__name__, "legal-choices"), substitutions={ox.Variable("class"): ox.NamedNode(cls)})
    assert isinstance(result, ox.QuerySolutions)
    out = []
    for row in result:
        item, notation, alts = _text(row["item"]), _text(row["notation"]), _text(row["alts"])
        if item.startswith(prefix):
            names = tuple(n for n in (notation, *alts.split("\n")) if n)
            out.append(Choice(item.removeprefix(str(ID)), item, _text(row["fi"]), _text(row["sv"]),
                              _text(row["en"]), aliases=names))
    return tuple(out)


def _class_label(cls: str) -> tuple[str, str, str]:
    result = _store().query(
        load_query(__name__, "class-labels"), substitutions={ox.Variable("class"): ox.NamedNode(cls)})
    assert isinstance(result, ox.QuerySolutions)
    row = next(iter(result))
    return _text(row["fi"]), _text(row["sv"]), _text(row["en"])


@cache
def choices(name: str) -> tuple[Choice, ...]:
    """The allowed values of one list (see ``LISTS``)."""
    if name in VOCABULARIES:
        return _vocabulary(*VOCABULARIES[name])
    if name == "actor_types":
        return tuple(Choice(code, cls, *_class_label(cls)) for code, (cls, _seg) in ACTOR_TYPES.items())
    if name == "row_kinds":
        return (Choice("scheme", str(YHD.ThemeScheme), "luokitus", "klassificering", "scheme"),)
    if name == "themes":
        return tuple(
            Choice(r["item"].removeprefix(str(THEME)), r["item"], r["fi"], r["sv"], r["en"],
                   group=r["scheme"], coded=True)
            for r in _items(str(YHD.Theme)) if r["item"].startswith(str(THEME))
        )
    if name == "schemes":
        return tuple(
            Choice(r["item"].removeprefix(str(THEME)), r["item"], r["fi"], r["sv"], r["en"], coded=True)
            for r in _items(str(YHD.ThemeScheme)) if r["item"].startswith(str(THEME))
        )
    if name == "municipalities":
        return tuple(sorted(
            (Choice(r["code"], r["item"], r["fi"], r["sv"] or r["fi"], r["en"] or r["fi"], group=r["group"], coded=True)
             for r in _items(str(YHD.Municipality)) if r["item"].startswith(str(ID))),
            key=lambda c: alphabetical(c.fi)))
    if name == "welfare_areas":
        return tuple(
            Choice(r["code"], r["item"], r["fi"], r["sv"], r["en"], group=r["group"], coded=True)
            for r in _items(str(YHD.WelfareArea)) if r["item"].startswith(str(ID))
        )
    if name == "regions":
        return tuple(sorted(
            (Choice(r["code"], r["item"], r["fi"], r["sv"], r["en"], coded=True) for r in _items(str(YHD.Region))),
            key=lambda c: alphabetical(c.fi)))
    if name == "negotiations":
        return _legal(str(YHD.NegotiationRequirement), f"{ID}negotiation/")
    if name == "provisions":
        return _legal(str(YHD.LegalProvision), f"{ID}law/")
    if name == "actors":  # the municipalities and counties a member, coordinator or convener may be
        return choices("welfare_areas") + choices("municipalities")
    raise KeyError(name)


#: Every list, in the order of the lookup sheet.
LISTS = ("themes", "schemes", "levels", "scopes", "permanence", "frequencies", "statuses", "actor_types",
         "row_kinds", "regions", "actors", "negotiations", "provisions")


def group_label(choice: Choice, lang: str) -> str:
    """The label, in ``lang``, of the scheme or region a choice belongs to ('' when it has none)."""
    if not choice.group:
        return ""
    for name in ("schemes", "regions"):
        if found := next((c for c in choices(name) if c.iri == choice.group), None):
            return found.label(lang)
    return choice.group
