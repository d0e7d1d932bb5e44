"""Pages in Finnish, Swedish and English: choosing the language, the messages, numbers and dates.

Finnish is the default (the sources and most users are Finnish); ``?lang=`` wins over the
browser's Accept-Language. Numbers and dates follow CLDR through Babel (the Unicode
consortium's locale data, the same rules browsers' ``Intl`` applies): Finnish and Swedish group
digits with a no-break space ("1 234") and use a decimal comma; English "1,234.5". Dates: fi
24.11.2026, sv 2026-11-24, en 24 Nov 2026 (British English: the order Finnish readers expect).

Pages' scripts format in the browser with ``Intl`` and the tag from ``intl_locale``, so a number
reads the same whether the server or the page printed it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Literal, get_args

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal as _babel_decimal
from babel.numbers import format_percent as _babel_percent

Lang = Literal["fi", "sv", "en"]
LANGS: tuple[Lang, ...] = get_args(Lang)
DEFAULT_LANG: Lang = "fi"

#: The Babel / CLDR locale behind each page language (British English for "en": day month year).
_LOCALE: dict[Lang, str] = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}
#: The BCP 47 tag a page's script hands to ``Intl.NumberFormat`` / ``Intl.DateTimeFormat``.
_INTL: dict[Lang, str] = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}
#: Date patterns (CLDR "short" for fi and sv, "medium" for en).
_DATE_FORMAT: dict[Lang, str] = {"fi": "short", "sv": "short", "en": "medium"}
#: Each language named in itself, for the language switcher.
LANG_NAMES: dict[Lang, str] = {"fi": "suomi", "sv": "svenska", "en": "English"}


def as_lang(value: str | None) -> Lang | None:
    """``value`` as one of our languages ("sv-FI" counts as "sv"), or None when it is none of them."""
    if not value:
        return None
    primary = value.strip().lower().replace("_", "-").split("-", 1)[0]
    for lang in LANGS:
        if primary == lang:
            return lang
    return None


_ACCEPT_ITEM = re.compile(r"^\s*([A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*$")


def _accepted(header: str) -> list[tuple[float, int, str]]:
    """(q, position, tag) for each well-formed item of an Accept-Language header; bad items are skipped."""
    items = []
    for pos, part in enumerate(header.split(",")[:50]):  # a header is short; do not walk a hostile one
        m = _ACCEPT_ITEM.match(part)
        if not m:
            continue
        try:
            q = float(m.group(2)) if m.group(2) else 1.0
        except ValueError:
            continue
        if 0 < q <= 1:
            items.append((q, pos, m.group(1)))
    return items


def choose_lang(query_lang: str | None, accept_language: str | None) -> Lang:
    """The page language: ``?lang=`` if it names one of ours, else the browser's best, else Finnish.

    An unknown ``?lang=`` (say ``de``) is not an error: a page still opens, in the header's
    language or Finnish. Accept-Language items are ranked by q, ties by their order.
    """
    chosen = as_lang(query_lang)
    if chosen:
        return chosen
    if accept_language:
        for _q, _pos, tag in sorted(_accepted(accept_language), key=lambda t: (-t[0], t[1])):
            found = as_lang(tag)
            if found:
                return found
    return DEFAULT_LANG


def intl_locale(lang: Lang) -> str:
    """The BCP 47 tag for a page's ``Intl`` formatting."""
    return _INTL[lang]


def format_number(n: int | float, lang: Lang, *, digits: int | None = None) -> str:
    """``n`` with the locale's digit grouping and decimal sign: fi/sv "1 234,5" (no-break space), en "1,234.5".

    ``digits`` fixes the number of decimals; by default an int has none and a float at most three.
    """
    if digits is not None:
        pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
        return str(_babel_decimal(n, format=pattern, locale=_LOCALE[lang]))
    return str(_babel_decimal(n, locale=_LOCALE[lang]))


def format_percent(share: float, lang: Lang) -> str:
    """``share`` (0..1) as a whole percentage in the locale's form: fi "45 %", sv "45 %", en "45%"."""
    return str(_babel_percent(share, locale=_LOCALE[lang]))


def format_date(d: date | datetime, lang: Lang) -> str:
    """``d`` as the locale writes a date: fi 24.11.2026, sv 2026-11-24, en 24 Nov 2026."""
    day = d.date() if isinstance(d, datetime) else d
    return str(_babel_date(day, _DATE_FORMAT[lang], locale=_LOCALE[lang]))


# -- messages -------------------------------------------------------------------------------------------------------

Messages = Mapping[str, Mapping[Lang, str]]

#: Texts shared by the pages. A page module may keep its own catalogue of the same shape and pass it
#: to ``message``; tests/test_i18n.py checks every catalogue it is given has all three languages.
MESSAGES: dict[str, dict[Lang, str]] = {
    "site": {"fi": "yhdyspinta", "sv": "yhdyspinta", "en": "yhdyspinta"},
    "skip": {"fi": "Siirry sisältöön", "sv": "Hoppa till innehållet", "en": "Skip to content"},
    "nav": {"fi": "Päävalikko", "sv": "Huvudmeny", "en": "Main menu"},
    "nav.home": {"fi": "Etusivu", "sv": "Startsida", "en": "Home"},
    "nav.query": {"fi": "SPARQL-kyselyt", "sv": "SPARQL-frågor", "en": "SPARQL queries"},
    "nav.api": {"fi": "Rajapinnan kuvaus", "sv": "API-beskrivning", "en": "API documentation"},
    "nav.graphs": {"fi": "Graafit (JSON)", "sv": "Grafer (JSON)", "en": "Graphs (JSON)"},
    "nav.dump": {"fi": "Koko aineisto (N-Quads)", "sv": "Hela datamängden (N-Quads)", "en": "Full dump (N-Quads)"},
    "nav.lang": {"fi": "Kieli", "sv": "Språk", "en": "Language"},
    "nothing": {"fi": "ei mitään", "sv": "inget", "en": "nothing"},
    "source": {"fi": "lähde", "sv": "källa", "en": "source"},
    # entity pages
    "entity.facts": {"fi": "Tiedot", "sv": "Uppgifter", "en": "Facts"},
    "entity.incoming": {"fi": "Viittaukset tähän", "sv": "Hänvisningar hit", "en": "Pointing here"},
    "entity.property": {"fi": "ominaisuus", "sv": "egenskap", "en": "property"},
    "entity.value": {"fi": "arvo", "sv": "värde", "en": "value"},
    "entity.from": {"fi": "mistä", "sv": "från", "en": "from"},
    "entity.rdf": {"fi": "RDF-muodot", "sv": "RDF-format", "en": "RDF formats"},
    "entity.types": {"fi": "Tyypit", "sv": "Typer", "en": "Types"},
    "entity.not_found": {"fi": "Ei löytynyt", "sv": "Hittades inte", "en": "Not found"},
    # the query page (SPARQL workbench); "q.js.*" go to the page's script as data
    "q.title": {"fi": "Kyselyt yhteistyöverkostoon", "sv": "Frågor till samarbetsgrafen",
                "en": "Query the cooperation graph"},
    "q.intro": {"fi": "SPARQL 1.1 kaikkiin nimettyihin graafeihin (oletusgraafi on niiden yhdiste). Etuliitteet "
                      "yhd, org, skos, dcterms, prov, rdf, rdfs, owl, xsd, sh ja foaf tunnetaan esittelemättä. "
                      "Ctrl+välilyönti täydentää, Ctrl+Enter suorittaa; sarkain siirtyy editorista eteenpäin.",
                "sv": "SPARQL 1.1 över alla namngivna grafer (standardgrafen är deras union). Prefixen yhd, "
                      "org, skos, dcterms, prov, rdf, rdfs, owl, xsd, sh och foaf är kända utan deklaration. "
                      "Ctrl+mellanslag kompletterar, Ctrl+Enter kör; tabb flyttar ut ur editorn.",
                "en": "SPARQL 1.1 over every named graph (the default graph is their union). The prefixes yhd, "
                      "org, skos, dcterms, prov, rdf, rdfs, owl, xsd, sh and foaf are known without declaring "
                      "them. Ctrl+Space completes, Ctrl+Enter runs; Tab moves on out of the editor."},
    "q.examples": {"fi": "Esimerkkikysymyksiä", "sv": "Exempelfrågor", "en": "Example questions"},
    "q.editor": {"fi": "SPARQL-kysely", "sv": "SPARQL-fråga", "en": "SPARQL query"},
    "q.run": {"fi": "Suorita", "sv": "Kör", "en": "Run"},
    "q.csv": {"fi": "Lataa CSV", "sv": "Ladda ner CSV", "en": "Download CSV"},
    "q.json": {"fi": "Lataa JSON", "sv": "Ladda ner JSON", "en": "Download JSON"},
    "q.link": {"fi": "Linkki tähän kyselyyn", "sv": "Länk till den här frågan", "en": "Link to this query"},
    "q.results": {"fi": "Tulokset", "sv": "Resultat", "en": "Results"},
    "q.noscript": {"fi": "Kyselysivu tarvitsee JavaScriptin. Ilman sitä: GET /sparql?query=…",
                   "sv": "Frågesidan behöver JavaScript. Utan det: GET /sparql?query=…",
                   "en": "The query page needs JavaScript. Without it: GET /sparql?query=…"},
    "q.js.running": {"fi": "suoritetaan…", "sv": "körs…", "en": "running…"},
    "q.js.rows": {"fi": "{n} riviä, {ms} ms", "sv": "{n} rader, {ms} ms", "en": "{n} rows in {ms} ms"},
    "q.js.done": {"fi": "valmis, {ms} ms", "sv": "klar, {ms} ms", "en": "done in {ms} ms"},
    "q.js.capped": {"fi": " (katkaistu {n} riviin)", "sv": " (avbrutet vid {n} rader)",
                    "en": " (cut at {n} rows)"},
    "q.js.syntax": {"fi": "Syntaksivirhe rivillä {line}, sarakkeessa {column}",
                    "sv": "Syntaxfel på rad {line}, kolumn {column}",
                    "en": "Syntax error on line {line}, column {column}"},
    "q.js.error": {"fi": "Kysely epäonnistui ({status})", "sv": "Frågan misslyckades ({status})",
                   "en": "The query failed ({status})"},
    "q.js.details": {"fi": "Palvelimen viesti", "sv": "Serverns meddelande", "en": "The server's message"},
    "q.js.nothing": {"fi": "Ei ladattavaa: suorita ensin kysely.", "sv": "Inget att ladda ner: kör en fråga först.",
                     "en": "Nothing to download: run a query first."},
    "q.js.table": {"fi": "Taulukko", "sv": "Tabell", "en": "Table"},
    "q.js.response": {"fi": "Vastaus", "sv": "Svar", "en": "Response"},
    "q.js.simple": {"fi": "Yksinkertainen näkymä", "sv": "Enkel vy", "en": "Simple view"},
    "q.js.ellipse": {"fi": "Lyhennä pitkät", "sv": "Korta av långa", "en": "Shorten long values"},
    "q.js.filter": {"fi": "Suodata tuloksia", "sv": "Filtrera resultaten", "en": "Filter the results"},
    "q.js.pagesize": {"fi": "Rivejä sivulla", "sv": "Rader per sida", "en": "Rows per page"},
    "q.js.info": {"fi": "_START_–_END_ / _TOTAL_", "sv": "_START_–_END_ av _TOTAL_", "en": "_START_–_END_ of _TOTAL_"},
    "q.js.first": {"fi": "Ensimmäinen", "sv": "Första", "en": "First"},
    "q.js.previous": {"fi": "Edellinen", "sv": "Föregående", "en": "Previous"},
    "q.js.next": {"fi": "Seuraava", "sv": "Nästa", "en": "Next"},
    "q.js.last": {"fi": "Viimeinen", "sv": "Sista", "en": "Last"},
    "q.js.empty": {"fi": "Ei tuloksia", "sv": "Inga resultat", "en": "No results"},
    "q.js.nocsv": {"fi": "CSV vain SELECT-kyselyistä.", "sv": "CSV endast för SELECT-frågor.",
                   "en": "CSV only for SELECT queries."},
}


def message(key: str, lang: Lang, catalogue: Messages | None = None, **values: object) -> str:
    """The text for ``key`` in ``lang`` (from ``catalogue`` or the shared one), ``{name}`` filled from ``values``.

    A missing key is a programming error and raises KeyError: a page never shows a key name.
    """
    text = (catalogue if catalogue is not None else MESSAGES)[key][lang]
    return text.format(**values) if values else text


def missing_translations(catalogue: Messages) -> list[str]:
    """``key/lang`` for every empty or absent text: the catalogue test asserts this is empty."""
    return [f"{key}/{lang}" for key, texts in catalogue.items() for lang in LANGS if not texts.get(lang)]


def with_lang(path: str, lang: Lang) -> str:
    """``path`` (our own, may carry a query) with ``lang`` set, for the language switcher's links."""
    base, _, query = path.partition("?")
    kept = [p for p in query.split("&") if p and not p.startswith("lang=")]
    return base + "?" + "&".join([*kept, f"lang={lang}"])
