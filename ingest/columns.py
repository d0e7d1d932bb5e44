"""The column model of the tabular template: one place that lists every sheet and column.

For each column: its key (the English technical name, still accepted as a header), its
header in Finnish, Swedish and English, whether it is required, whether it takes several
values separated by ``;``, the list of allowed values it takes (``ingest/choices.py``), a
short instruction and an example. The reader (``template.py``) and the generator
(``template_build.py``) both use it, so the template and what the ingest accepts never differ.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from yhdyspinta.ingest.choices import norm

#: The languages of the template's headers, sheet names and lists.
TEMPLATE_LANGS = ("fi", "sv", "en")


@dataclass(frozen=True)
class Column:
    key: str
    fi: str
    sv: str
    en: str
    help_fi: str
    help_en: str
    required: bool = False
    many: bool = False
    choices: str | None = None  # a list of ingest/choices.py
    closed: bool = False  # only the list's values (or a full IRI) are allowed
    example: str = ""  # codes for a list column ("a; b"), text otherwise; {fi}/{sv}/{en} for labels

    def header(self, lang: str) -> str:
        return {"fi": self.fi, "sv": self.sv, "en": self.en}[lang]

    def help(self, lang: str) -> str:
        return self.help_fi if lang == "fi" else self.help_en

    def names(self) -> set[str]:
        """Every header the reader accepts for this column, normalised."""
        return {norm(n) for n in (self.key, self.fi, self.sv, self.en)}


@dataclass(frozen=True)
class Sheet:
    key: str
    fi: str
    sv: str
    en: str
    help_fi: str
    help_en: str
    columns: tuple[Column, ...]

    def name(self, lang: str) -> str:
        return {"fi": self.fi, "sv": self.sv, "en": self.en}[lang]

    def help(self, lang: str) -> str:
        return self.help_fi if lang == "fi" else self.help_en

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def names(self) -> set[str]:
        return {norm(n) for n in (self.key, self.fi, self.sv, self.en)}


def _labels(what_fi: str, what_en: str, required: bool) -> tuple[Column, Column, Column]:
    need_fi = "pakollinen" if required else "suositeltava"
    return (
        Column("label_fi", "nimi suomeksi", "namn på finska", "name in Finnish",
               f"{what_fi} nimi suomeksi ({need_fi}).", f"The {what_en}'s name in Finnish (required).",
               required=required, example="{fi}"),
        Column("label_sv", "nimi ruotsiksi", "namn på svenska", "name in Swedish",
               f"{what_fi} nimi ruotsiksi.", f"The {what_en}'s name in Swedish.", example="{sv}"),
        Column("label_en", "nimi englanniksi", "namn på engelska", "name in English",
               f"{what_fi} nimi englanniksi.", f"The {what_en}'s name in English.", example="{en}"),
    )


_ID_HELP = (
    "Pysyvä tunnus: pienet kirjaimet a-z, numerot ja yhdysmerkit. Ei muutu, vaikka nimi korjataan. "
    "Kunnalle kuntanumero (398), hyvinvointialueelle sen koodi (07).",
    "A stable id: small letters a-z, digits and hyphens. Never changes when the name is corrected. "
    "A municipality's id is its code (398), a wellbeing services county's its code (07).",
)
_REGION = Column(
    "region", "alue", "område", "region",
    "Hyvinvointialueen alue, jolle rivi kuuluu (valitse luettelosta).",
    "The wellbeing services county's region the row belongs to (pick from the list).",
    choices="regions", example="paijat-hame",
)
_THEMES = Column(
    "themes", "teemat", "teman", "themes",
    "Yhdyspintateemat, joita rakenne käsittelee: valitse luettelosta tai kirjoita teemat-taulukon tunnus; "
    "useampi puolipisteellä erotettuna.",
    "The interface themes the structure works on: pick from the list or write an id of the themes sheet; "
    "several separated by ';'.",
    many=True, choices="themes",
)
_LEVELS = Column(
    "levels", "tasot", "nivåer", "levels",
    "Vuorovaikutuksen tasot; useampi puolipisteellä erotettuna.",
    "Levels of interaction; several separated by ';'.",
    many=True, choices="levels", closed=True,
)
_STATUS = Column(
    "status", "tila", "status", "status",
    "Toiminnassa tai suunniteltu (suunniteltu ei kata teemaa). Tyhjä = toiminnassa.",
    "Active or planned (a planned structure covers no theme). Empty = active.",
    choices="statuses", closed=True, example="active",
)
_MEMBERS_TEXT = Column(
    "member_description", "jäsenet sanoin", "medlemmar i ord", "members in words",
    "Jäsenet sanallisesti, kun heitä ei nimetä jäsenyydet-taulukossa.",
    "The members in words, when they are not named one by one in the memberships sheet.",
)
_DATES = (
    Column("valid_from", "voimassa alkaen", "gäller från", "valid from",
           "Alkamispäivä muodossa VVVV-KK-PP.", "First day, YYYY-MM-DD."),
    Column("valid_until", "voimassa asti", "gäller till", "valid until",
           "Päättymispäivä muodossa VVVV-KK-PP.", "Last day, YYYY-MM-DD."),
)
_SOURCE = Column(
    "source", "lähde", "källa", "source",
    "Mistä tieto on: lähdeaineiston tiedostonimi, source/-polku tai verkko-osoite. Tyhjä = tämä pohja.",
    "Where the fact comes from: a seed file name, a name under source/, or a web address. Empty = this template.",
)
_NOTE = Column("note", "huomautus", "anmärkning", "note", "Vapaa huomautus.", "A free note.")
_ACTOR_REF_HELP = (
    "Toimija: tämän pohjan tunnus, kunta tai hyvinvointialue luettelosta (nimi ja koodi), tai polku kuten "
    "org/fi/kuntaliitto.",
    "An actor: an id of this template, a municipality or county from the list (name and code), or a path like "
    "org/fi/kuntaliitto.",
)

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "actors", "toimijat", "aktörer", "actors",
        "Organisaatiot, yksiköt ja virat, joita muut taulukot nimeävät. Virka, ei henkilön nimeä; ei puhelinnumeroita "
        "eikä sähköpostiosoitteita.",
        "Organisations, units and posts the other sheets name. A post, never a person's name; no phone numbers or "
        "e-mail addresses.",
        (
            Column("id", "tunnus", "id", "id", *_ID_HELP, required=True, example="esimerkki-yhdistys"),
            Column("type", "tyyppi", "typ", "type", "Toimijan laji (valitse luettelosta).",
                   "The kind of actor (pick from the list).", required=True, choices="actor_types", closed=True,
                   example="civil-society"),
            *_labels("Toimijan", "actor", True),
            Column("part_of", "kuuluu", "hör till", "part of",
                   "Yksikölle ja viralle: organisaatio, johon se kuuluu. " + _ACTOR_REF_HELP[0],
                   "For a unit or a post: the organisation it belongs to. " + _ACTOR_REF_HELP[1],
                   choices="actors"),
            _REGION, *_DATES, _SOURCE, _NOTE,
        ),
    ),
    Sheet(
        "forums", "foorumit", "forum", "forums",
        "Foorumit ja areenat, joilla on tehtävä: neuvottelukunnat, johtoryhmät, lakisääteiset neuvottelut.",
        "Forums and arenas with a mandate: advisory boards, steering groups, statutory negotiations.",
        (
            Column("id", "tunnus", "id", "id", *_ID_HELP, required=True, example="esimerkki-foorumi"),
            *_labels("Foorumin", "forum", True), _REGION,
            replace(_THEMES, example="national/hyte"),
            replace(_LEVELS, example="viranhaltijajohto"),
            Column("permanence", "pysyvyys", "varaktighet", "permanence", "Pysyvä tai tilapäinen.",
                   "Standing or temporary.", choices="permanence", closed=True, example="standing"),
            Column("frequency", "toistuvuus", "frekvens", "frequency", "Kuinka usein foorumi kokoontuu.",
                   "How often the forum meets.", choices="frequencies", closed=True, example="yearly"),
            Column("frequency_note", "ajankohta", "tidpunkt", "timing", "Ajankohta sanoin, esim. toukokuu.",
                   "The timing in words, e.g. May.", example="toukokuu"),
            Column("legal_basis", "säädösperusta", "rättslig grund", "legal basis",
                   "Säännös, esim. law/fi/611-2021-14.", "A legal provision, e.g. law/fi/611-2021-14."),
            Column("negotiation_type", "neuvottelulaji", "förhandlingstyp", "negotiation type",
                   "Tekee rivistä lakisääteisen neuvottelun: velvoite, jonka se täyttää, esim. "
                   "negotiation/fi/hyte-neuvottelu.",
                   "Makes the row a statutory negotiation: the requirement it fulfils, e.g. "
                   "negotiation/fi/hyte-neuvottelu."),
            Column("convener", "koollekutsuja", "sammankallare", "convener",
                   "Kuka kutsuu koolle. " + _ACTOR_REF_HELP[0], "Who convenes it. " + _ACTOR_REF_HELP[1],
                   many=True, choices="actors", example="esimerkki-yhdistys"),
            Column("mandate", "tehtävä", "uppdrag", "mandate", "Mitä varten foorumi on asetettu.",
                   "What the forum is set up to do.", example="Esimerkkirivi: poista ennen käyttöä."),
            _STATUS, _MEMBERS_TEXT, *_DATES, _SOURCE, _NOTE,
        ),
    ),
    Sheet(
        "networks", "verkostot", "nätverk", "networks",
        "Teemaverkostot ja työryhmät. Verkosto, joka kuuluu useaan ryhmään, on yksi rivi useammalla teemalla.",
        "Thematic networks and working groups. A network under several groups is one row with several themes.",
        (
            Column("id", "tunnus", "id", "id", *_ID_HELP, required=True, example="esimerkki-verkosto"),
            *_labels("Verkoston", "network", True), _REGION,
            replace(_THEMES, required=True, example="national/hyte; esimerkkiteema"),
            replace(_LEVELS, example="asiantuntijat; asiakastyo"),
            Column("scope", "ulottuvuus", "räckvidd", "scope", "Kunnallinen, seudullinen, alueellinen tai "
                   "valtakunnallinen.", "Municipal, sub-regional, regional or national.",
                   choices="scopes", closed=True, example="regional"),
            Column("coordinator", "koordinaattori", "koordinator", "coordinator",
                   "Kuka koordinoi. " + _ACTOR_REF_HELP[0], "Who coordinates it. " + _ACTOR_REF_HELP[1],
                   many=True, choices="actors", example="esimerkki-yhdistys"),
            _STATUS, _MEMBERS_TEXT, *_DATES, _SOURCE, _NOTE,
        ),
    ),
    Sheet(
        "memberships", "jäsenyydet", "medlemskap", "memberships",
        "Kuka on minkin foorumin tai verkoston jäsen: yksi jäsen riviä kohden.",
        "Who is a member of which forum or network: one member a row.",
        (
            Column("structure", "rakenne", "struktur", "structure",
                   "Foorumi tai verkosto: tämän pohjan tunnus tai polku.", "The forum or network: an id of this "
                   "template or a path.", required=True, example="esimerkki-verkosto"),
            Column("member", "jäsen", "medlem", "member", "Jäsen. " + _ACTOR_REF_HELP[0],
                   "The member. " + _ACTOR_REF_HELP[1], required=True, choices="actors",
                   example="esimerkki-yhdistys"),
            Column("role", "rooli", "roll", "role", "Jäsenen rooli sanoin, esim. puheenjohtaja.",
                   "The member's role in words, e.g. chair.", example="puheenjohtaja"),
            *_DATES, _SOURCE,
        ),
    ),
    Sheet(
        "themes", "teemat", "teman", "themes",
        "Alueen omat teemat ja niiden vastineet kansallisissa teemoissa (tarvitaan vain, jos alueella on oma "
        "luokitus).",
        "The region's own themes and how they map to the national themes (only when the region has a vocabulary "
        "of its own).",
        (
            Column("id", "tunnus", "id", "id", "Teeman (tai luokituksen) tunnus: a-z, 0-9 ja yhdysmerkit.",
                   "The theme's (or scheme's) id: a-z, 0-9 and hyphens.", required=True, example="esimerkkiteema"),
            Column("kind", "rivin laji", "radtyp", "row kind",
                   "Tyhjä teemalle; 'luokitus' rivillä, joka määrittelee uuden luokituksen.",
                   "Empty for a theme; 'scheme' on a row that defines a new scheme.",
                   choices="row_kinds", closed=True),
            Column("scheme", "luokitus", "klassificering", "scheme",
                   "Luokitus, johon teema kuuluu (luettelosta tai uuden luokituksen polku, esim. "
                   "keski-pohjanmaa/hyte).",
                   "The scheme the theme belongs to (from the list, or the path of a new scheme, e.g. "
                   "keski-pohjanmaa/hyte).", required=True, choices="schemes", example="paijat-hame/group"),
            replace(_REGION, help_fi="Luokitukselle: alue, jonka oma sanasto se on.",
                      help_en="For a scheme: the region whose own vocabulary it is.", example=""),
            Column("label_fi", "nimi suomeksi", "namn på finska", "name in Finnish", "Teeman nimi suomeksi.",
                   "The theme's name in Finnish.", required=True, example="{fi}"),
            Column("label_sv", "nimi ruotsiksi", "namn på svenska", "name in Swedish",
                   "Teeman nimi ruotsiksi (pakollinen teemalle).", "The theme's name in Swedish (required for a "
                   "theme).", example="{sv}"),
            Column("label_en", "nimi englanniksi", "namn på engelska", "name in English",
                   "Teeman nimi englanniksi (pakollinen teemalle).", "The theme's name in English (required for a "
                   "theme).", example="{en}"),
            Column("broader", "laajempi teema", "bredare tema", "broader",
                   "Saman luokituksen laajempi teema.", "A broader theme of the same scheme.",
                   choices="themes"),
            Column("exact_match", "vastaa täsmälleen", "exakt motsvarighet", "exact match",
                   "Toisen luokituksen teema, jota tämä vastaa täsmälleen (ratkaisee aukkoanalyysin kattavuuden).",
                   "A theme of another scheme this one matches exactly (decides coverage in the gap analysis).",
                   many=True, choices="themes"),
            Column("close_match", "vastaa läheisesti", "nära motsvarighet", "close match",
                   "Toisen luokituksen läheinen vastine.", "A close match in another scheme.", many=True,
                   choices="themes", example="national/hyte"),
            Column("broad_match", "laajempi vastine", "bredare motsvarighet", "broad match",
                   "Toisen luokituksen laajempi vastine.", "A broader match in another scheme.", many=True,
                   choices="themes"),
            Column("related_match", "liittyy", "relaterad", "related match",
                   "Toisen luokituksen teema, johon tämä liittyy.", "A related theme of another scheme.", many=True,
                   choices="themes"),
            _SOURCE,
        ),
    ),
)

#: Example labels of each sheet's example row (fi, sv, en).
EXAMPLE_LABELS: dict[str, tuple[str, str, str]] = {
    "actors": ("Esimerkkiyhdistys ry", "Exempelföreningen rf", "Example association"),
    "forums": ("Esimerkkifoorumi", "Exempelforum", "Example forum"),
    "networks": ("Esimerkkiverkosto", "Exempelnätverket", "Example network"),
    "themes": ("Esimerkkiteema", "Exempeltema", "Example theme"),
    "memberships": ("", "", ""),
}

BY_KEY: dict[str, Sheet] = {s.key: s for s in SHEETS}

#: The names of the lists on the lookup sheet (fi, sv, en).
LIST_NAMES: dict[str, tuple[str, str, str]] = {
    "themes": ("teemat", "teman", "themes"),
    "schemes": ("luokitukset", "klassificeringar", "schemes"),
    "levels": ("tasot", "nivåer", "levels"),
    "scopes": ("ulottuvuudet", "räckvidder", "scopes"),
    "permanence": ("pysyvyys", "varaktighet", "permanence"),
    "frequencies": ("toistuvuudet", "frekvenser", "frequencies"),
    "statuses": ("tilat", "statusar", "statuses"),
    "actor_types": ("toimijatyypit", "aktörstyper", "actor types"),
    "row_kinds": ("rivin lajit", "radtyper", "row kinds"),
    "regions": ("alueet", "områden", "regions"),
    "actors": ("kunnat ja hyvinvointialueet", "kommuner och välfärdsområden",
               "municipalities and wellbeing services counties"),
}

def list_name(name: str, lang: str) -> str:
    """The header of a list on the lookup sheet, in ``lang`` (fi, sv or en)."""
    return LIST_NAMES[name][TEMPLATE_LANGS.index(lang)]


#: The sheets that hold instructions and the allowed values: not data, skipped by the reader.
INSTRUCTIONS = {"fi": "ohjeet", "sv": "anvisningar", "en": "instructions"}
LOOKUP = {"fi": "luettelot", "sv": "listor", "en": "lists"}


def sheet_named(name: str) -> Sheet | None:
    """The sheet a workbook sheet's (or a CSV file's) name stands for, in any language."""
    key = norm(name)
    return next((s for s in SHEETS if key in s.names()), None)


def column_named(sheet: Sheet, header: str) -> Column | None:
    """The column a header stands for: its key or its header in any language, case and accents aside."""
    key = norm(header)
    return next((c for c in sheet.columns if key in c.names()), None)
