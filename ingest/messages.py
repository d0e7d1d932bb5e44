"""The words of the template's error messages, in Finnish and English.

A data steward reads these, so they speak of sheets, rows, columns and the
values a column allows, never of RDF properties. Each message has one key and
one text per language; ``say`` fills it. The language comes from ``--lang``,
else ``YHDYSPINTA_LANG``, else the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping

#: The languages of the messages; the template itself also has Swedish headers.
LANGS = ("fi", "en")

_TEXTS: dict[str, tuple[str, str]] = {  # key: (Finnish, English)
    "summary": ("{n} ongelma(a); mitään ei kirjoitettu:", "{n} problem(s); nothing was written:"),
    "sheet": ("taulukko '{name}'", "sheet '{name}'"),
    "row": ("rivi {n}", "row {n}"),
    "column": ("sarake '{name}'", "column '{name}'"),
    "column_ref": ("sarake {name}", "column {name}"),
    "allowed": ("sallitut: {values}", "allowed: {values}"),
    "allowed_many": (
        "sallitut arvot ovat {count} arvon luettelossa (taulukko '{sheet}', sarake '{list}'), esim. {values}",
        "the {count} allowed values are listed on sheet '{sheet}', column '{list}', e.g. {values}",
    ),
    "did_you_mean": ("tarkoititko '{value}'?", "did you mean '{value}'?"),
    "not_allowed": ("'{value}' ei ole sallittu", "'{value}' is not allowed"),
    "unknown_column": ("tuntematon sarake '{name}'", "unknown column '{name}'"),
    "missing_column": ("pakollinen sarake '{name}' puuttuu", "the required column '{name}' is missing"),
    "required": ("pakollinen tieto puuttuu", "the cell is required but empty"),
    "duplicate_id": ("tunnus '{value}' on jo käytössä rivillä {first}", "id '{value}' is already used on row {first}"),
    "slug": (
        "'{value}' ei kelpaa tunnukseksi: vain a-z, 0-9 ja yhdysmerkit (esim. hyte-verkosto)",
        "'{value}' is not a valid id: only a-z, 0-9 and hyphens (e.g. hyte-network)",
    ),
    "municipality_id": (
        "kunnan tunnus on sen kolminumeroinen kuntanumero (esim. 398), ei '{value}'",
        "a municipality's id is its three-digit code (e.g. 398), not '{value}'",
    ),
    "welfare_area_id": (
        "hyvinvointialueen tunnus on sen kaksinumeroinen koodi (esim. 07), ei '{value}'",
        "a wellbeing services county's id is its two-digit code (e.g. 07), not '{value}'",
    ),
    "date": (
        "'{value}' ei ole päivämäärä muodossa VVVV-KK-PP (esim. 2024-01-31)",
        "'{value}' is not a date YYYY-MM-DD (e.g. 2024-01-31)",
    ),
    "unknown_ref": (
        "'{value}' ei ole tässä pohjassa määritelty tunnus, kunta tai hyvinvointialue (nimi tai koodi), "
        "polku kuten org/fi/kuntaliitto eikä täydellinen IRI",
        "'{value}' is not an id defined in this template, a municipality or wellbeing services county "
        "(name or code), a path like org/fi/kuntaliitto, or a full IRI",
    ),
    "unknown_theme": (
        "'{value}' ei ole tunnettu teema (teemat-taulukon tunnus, luettelon teema tai polku kuten national/hyte)",
        "'{value}' is not a known theme (an id of the themes sheet, a theme of the list, or a path like national/hyte)",
    ),
    "stray_cells": (
        "rivillä on enemmän soluja kuin sarakkeita (ylimääräinen pilkku?)",
        "more cells than columns (a stray comma?)",
    ),
    "semicolons": (
        "tiedosto näyttää puolipisteillä erotellulta (suomenkielisen Excelin CSV); tallenna se Excelissä muodossa "
        "'CSV UTF-8 (pilkuilla eroteltu)' tai käytä XLSX-pohjaa",
        "the file looks separated by semicolons (what Finnish Excel saves as CSV); save it from Excel as "
        "'CSV UTF-8 (Comma delimited)' or use the XLSX template",
    ),
    "encoding": (
        "tiedosto ei ole UTF-8-tekstiä (tavu {byte} kohdassa {pos}); se näyttää Windows-1252-merkistöltä, jota "
        "Excelin tavallinen CSV käyttää: tallenna se muodossa 'CSV UTF-8 (pilkuilla eroteltu)'",
        "the file is not UTF-8 text (byte {byte} at position {pos}); it looks like Windows-1252, which Excel's plain "
        "CSV uses: save it as 'CSV UTF-8 (Comma delimited)'",
    ),
    "not_utf8": ("tiedosto ei ole UTF-8-tekstiä: {detail}", "not UTF-8 text: {detail}"),
    # SHACL results, in the words of the template
    "shacl_theme": ("'{value}' ei ole tunnettu teema", "'{value}' is not a known theme"),
    "shacl_level": ("'{value}' ei ole vuorovaikutuksen taso", "'{value}' is not a level of interaction"),
    "shacl_vocab": ("'{value}' ei ole sallittu arvo", "'{value}' is not an allowed value"),
    "shacl_region": ("'{value}' ei ole tunnettu alue", "'{value}' is not a known region"),
    "shacl_member": (
        "'{value}' ei ole tunnettu toimija tai rakenne (kunta, hyvinvointialue, organisaatio, yksikkö, virka, "
        "foorumi tai verkosto)",
        "'{value}' is not a known actor or structure (municipality, wellbeing services county, organisation, unit, "
        "post, forum or network)",
    ),
    "shacl_source": (
        "lähdettä '{value}' ei tunneta (lähdeaineiston tiedostonimi, source/-polku tai IRI)",
        "the source '{value}' is not known (a seed file name, a path under source/, or an IRI)",
    ),
    "shacl_negotiation": (
        "'{value}' ei ole tunnettu lakisääteinen neuvotteluvelvoite", "'{value}' is not a known statutory negotiation"
    ),
    "shacl_legal": ("'{value}' ei ole tunnettu säännös", "'{value}' is not a known legal provision"),
    "shacl_label_fi": ("suomenkielinen nimi puuttuu", "the Finnish name is missing"),
    "shacl_label_sv": ("ruotsinkielinen nimi puuttuu", "the Swedish name is missing"),
    "shacl_label_en": ("englanninkielinen nimi puuttuu", "the English name is missing"),
    "shacl_network_theme": ("verkostolla on oltava vähintään yksi teema", "a network needs at least one theme"),
    "shacl_negotiation_type": (
        "lakisääteisen neuvottelun on nimettävä velvoite, jonka se täyttää",
        "a statutory negotiation must name the requirement it fulfils",
    ),
    "shacl_one_value": ("sarakkeessa saa olla vain yksi arvo", "the column takes one value only"),
    "shacl_unit_of": (
        "yksikön on kerrottava, mihin organisaatioon se kuuluu", "a unit must say which organisation it belongs to"
    ),
    "shacl_other": ("{message}", "{message}"),
    "privacy": (
        "solu näyttää sisältävän {kind}; yhteystietoja ei tallenneta",
        "the cell looks like it holds {kind}; contact details are never stored",
    ),
    "kind_email": ("sähköpostiosoitteen", "an e-mail address"),
    "kind_phone": ("puhelinnumeron", "a phone number"),
}


def default_lang(environ: Mapping[str, str] | None = None) -> str:
    """``fi`` or ``en``: ``YHDYSPINTA_LANG``, else the locale's language, else English."""
    env = os.environ if environ is None else environ
    for name in ("YHDYSPINTA_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip().lower()
        if value and value not in ("c", "posix", "c.utf-8"):
            return "fi" if value.startswith("fi") else "en"
    return "en"


def check_lang(lang: str) -> str:
    """The language of the messages for ``lang``: Finnish for ``fi``, English for the rest (``sv`` too)."""
    return "fi" if lang.lower().startswith("fi") else "en"


def say(lang: str, key: str, **values: object) -> str:
    """The message ``key`` in ``lang`` with ``values`` filled in."""
    fi, en = _TEXTS[key]
    return (fi if check_lang(lang) == "fi" else en).format(**values)


def listing(values: list[str], limit: int = 12) -> str:
    """``a, b, c``: at most ``limit`` values, then how many more."""
    shown = ", ".join(values[:limit])
    return shown + (f", … (+{len(values) - limit})" if len(values) > limit else "")
