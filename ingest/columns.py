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
    help_sv: str
    help_en: str
    required: bool = False
    many: bool = False
    choices: str | None = None  # a list of ingest/choices.py
    closed: bool = False  # only the list's values (or a full IRI) are allowed
    example: str = ""  # codes for a list column ("a; b"), text otherwise; {fi}/{sv}/{en} for labels

    def header(self, lang: str) -> str:
        return {"fi": self.fi, "sv": self.sv, "en": self.en}[lang]

    def help(self, lang: str) -> str:
        """The instruction in ``lang`` (fi, sv or en; any other language gets English)."""
        return {"fi": self.help_fi, "sv": self.help_sv}.get(lang, self.help_en)

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
    help_sv: str
    help_en: str
    columns: tuple[Column, ...]

    def name(self, lang: str) -> str:
        return {"fi": self.fi, "sv": self.sv, "en": self.en}[lang]

    def help(self, lang: str) -> str:
        return {"fi": self.help_fi, "sv": self.help_sv}.get(lang, self.help_en)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def names(self) -> set[str]:
        return {norm(n) for n in (self.key, self.fi, self.sv, self.en)}


def _labels(what: tuple[str, str, str], required: bool) -> tuple[Column, Column, Column]:
    """The three name columns; ``what`` is whose name it is (fi genitive, sv genitive, en)."""
    what_fi, what_sv, what_en = what
    need_fi, need_sv = ("pakollinen", "obligatoriskt") if required else ("suositeltava", "rekommenderas")
    return (
        Column("label_fi", "nimi suomeksi", "namn på finska", "name in Finnish",
               f"{what_fi} nimi suomeksi ({need_fi}).", f"{what_sv} namn på finska ({need_sv}).",
               f"The {what_en}'s name in Finnish (required).", required=required, example="{fi}"),
        Column("label_sv", "nimi ruotsiksi", "namn på svenska", "name in Swedish",
               f"{what_fi} nimi ruotsiksi.", f"{what_sv} namn på svenska.", f"The {what_en}'s name in Swedish.",
               example="{sv}"),
        Column("label_en", "nimi englanniksi", "namn på engelska", "name in English",
               f"{what_fi} nimi englanniksi.", f"{what_sv} namn på engelska.", f"The {what_en}'s name in English.",
               example="{en}"),
    )


_ID_HELP = (
    "Pysyvä tunnus: pienet kirjaimet a-z, numerot ja yhdysmerkit. Ei muutu, vaikka nimi korjataan. "
    "Kunnalle kuntanumero (398), hyvinvointialueelle sen koodi (07).",
    "Ett bestående id: små bokstäver a-z, siffror och bindestreck. Ändras inte när namnet rättas. "
    "För en kommun kommunnumret (398), för ett välfärdsområde dess kod (07).",
    "A stable id: small letters a-z, digits and hyphens. Never changes when the name is corrected. "
    "A municipality's id is its code (398), a wellbeing services county's its code (07).",
)
_REGION = Column(
    "region", "alue", "område", "region",
    "Hyvinvointialueen alue, jolle rivi kuuluu (valitse luettelosta).",
    "Området (välfärdsområdets område) som raden hör till (välj i listan).",
    "The wellbeing services county's region the row belongs to (pick from the list).",
    choices="regions", example="paijat-hame",
)
_THEMES = Column(
    "themes", "teemat", "teman", "themes",
    "Yhdyspintateemat, joita rakenne käsittelee: valitse luettelosta tai kirjoita teemat-taulukon tunnus; "
    "useampi puolipisteellä erotettuna.",
    "De gränsytteman som strukturen behandlar: välj i listan eller skriv ett id från bladet teman; "
    "flera åtskilda med semikolon.",
    "The interface themes the structure works on: pick from the list or write an id of the themes sheet; "
    "several separated by ';'.",
    many=True, choices="themes",
)
_LEVELS = Column(
    "levels", "tasot", "nivåer", "levels",
    "Vuorovaikutuksen tasot; useampi puolipisteellä erotettuna.",
    "Interaktionsnivåer; flera åtskilda med semikolon.",
    "Levels of interaction; several separated by ';'.",
    many=True, choices="levels", closed=True,
)
_STATUS = Column(
    "status", "tila", "status", "status",
    "Toiminnassa tai suunniteltu (suunniteltu ei kata teemaa). Tyhjä = toiminnassa.",
    "Aktiv eller planerad (en planerad struktur täcker inget tema). Tom = aktiv.",
    "Active or planned (a planned structure covers no theme). Empty = active.",
    choices="statuses", closed=True, example="active",
)
_MEMBERS_TEXT = Column(
    "member_description", "jäsenet sanoin", "medlemmar i ord", "members in words",
    "Jäsenet sanallisesti, kun heitä ei nimetä jäsenyydet-taulukossa.",
    "Medlemmarna i ord, när de inte räknas upp en och en på bladet medlemskap.",
    "The members in words, when they are not named one by one in the memberships sheet.",
)
_DATES = (
    Column("valid_from", "voimassa alkaen", "gäller från", "valid from",
           "Alkamispäivä muodossa VVVV-KK-PP.", "Första dagen i formen ÅÅÅÅ-MM-DD.", "First day, YYYY-MM-DD."),
    Column("valid_until", "voimassa asti", "gäller till", "valid until",
           "Päättymispäivä muodossa VVVV-KK-PP.", "Sista dagen i formen ÅÅÅÅ-MM-DD.", "Last day, YYYY-MM-DD."),
)
_SOURCE = Column(
    "source", "lähde", "källa", "source",
    "Mistä tieto on: lähdeaineiston tiedostonimi, source/-polku tai verkko-osoite. Tyhjä = tämä pohja.",
    "Varifrån uppgiften kommer: källmaterialets filnamn, en sökväg under source/ eller en webbadress. "
    "Tom = denna mall.",
    "Where the fact comes from: a seed file name, a name under source/, or a web address. Empty = this template.",
)
_NOTE = Column("note", "huomautus", "anmärkning", "note", "Vapaa huomautus.", "Fri anmärkning.", "A free note.")
_ACTOR_REF_HELP = (
    "Toimija: tämän pohjan tunnus, kunta tai hyvinvointialue luettelosta (nimi ja koodi), tai polku kuten "
    "org/fi/kuntaliitto.",
    "En aktör: ett id i denna mall, en kommun eller ett välfärdsområde i listan (namn och kod) eller en sökväg "
    "som org/fi/kuntaliitto.",
    "An actor: an id of this template, a municipality or county from the list (name and code), or a path like "
    "org/fi/kuntaliitto.",
)


def _ref_help(fi: str, sv: str, en: str) -> tuple[str, str, str]:
    """A column that names an actor: what it is for, then how to name the actor, in each language."""
    return fi + " " + _ACTOR_REF_HELP[0], sv + " " + _ACTOR_REF_HELP[1], en + " " + _ACTOR_REF_HELP[2]


SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "actors", "toimijat", "aktörer", "actors",
        "Organisaatiot, yksiköt ja virat, joita muut taulukot nimeävät. Virka, ei henkilön nimeä; ei puhelinnumeroita "
        "eikä sähköpostiosoitteita.",
        "Organisationer, enheter och tjänster som de andra bladen nämner. En tjänst, aldrig en persons namn; inga "
        "telefonnummer eller e-postadresser.",
        "Organisations, units and posts the other sheets name. A post, never a person's name; no phone numbers or "
        "e-mail addresses.",
        (
            Column("id", "tunnus", "id", "id", *_ID_HELP, required=True, example="esimerkki-yhdistys"),
            Column("type", "tyyppi", "typ", "type", "Toimijan laji (valitse luettelosta).",
                   "Typ av aktör (välj i listan).", "The kind of actor (pick from the list).", required=True,
                   choices="actor_types", closed=True, example="civil-society"),
            *_labels(("Toimijan", "Aktörens", "actor"), True),
            Column("part_of", "kuuluu", "hör till", "part of",
                   *_ref_help("Yksikölle ja viralle: organisaatio, johon se kuuluu.",
                              "För en enhet eller en tjänst: den organisation som den hör till.",
                              "For a unit or a post: the organisation it belongs to."),
                   choices="actors"),
            _REGION, *_DATES, _SOURCE, _NOTE,
        ),
    ),
    Sheet(
        "forums", "foorumit", "forum", "forums",
        "Foorumit ja areenat, joilla on tehtävä: neuvottelukunnat, johtoryhmät, lakisääteiset neuvottelut.",
        "Forum och arenor med ett uppdrag: delegationer, ledningsgrupper, lagstadgade förhandlingar.",
        "Forums and arenas with a mandate: advisory boards, steering groups, statutory negotiations.",
        (
            Column("id", "tunnus", "id", "id", *_ID_HELP, required=True, example="esimerkki-foorumi"),
            *_labels(("Foorumin", "Forumets", "forum"), True), _REGION,
            replace(_THEMES, example="national/hyte"),
            replace(_LEVELS, example="viranhaltijajohto"),
            Column("permanence", "pysyvyys", "varaktighet", "permanence", "Pysyvä tai tilapäinen.",
                   "Stadigvarande eller tillfälligt.", "Standing or temporary.", choices="permanence", closed=True,
                   example="standing"),
            Column("frequency", "toistuvuus", "frekvens", "frequency", "Kuinka usein foorumi kokoontuu.",
                   "Hur ofta forumet sammanträder.", "How often the forum meets.", choices="frequencies",
                   closed=True, example="yearly"),
            Column("frequency_note", "ajankohta", "tidpunkt", "timing", "Ajankohta sanoin, esim. toukokuu.",
                   "Tidpunkten i ord, t.ex. maj.", "The timing in words, e.g. May.", example="toukokuu"),
            Column("legal_basis", "säädösperusta", "rättslig grund", "legal basis",
                   "Laki tai pykälä, johon foorumi perustuu: valitse luettelosta, tai kirjoita sen numero "
                   "(611/2021 14 §) tai polku (law/fi/611-2021-14); useampi puolipisteellä erotettuna.",
                   "Den lag eller paragraf som forumet grundar sig på: välj i listan eller skriv dess nummer "
                   "(611/2021 14 §) eller sökväg (law/fi/611-2021-14); flera åtskilda med semikolon.",
                   "The act or section the forum rests on: pick from the list, or write its number "
                   "(611/2021 14 §) or path (law/fi/611-2021-14); several separated by ';'.",
                   many=True, choices="provisions"),
            Column("negotiation_type", "neuvottelulaji", "förhandlingstyp", "negotiation type",
                   "Tekee rivistä lakisääteisen neuvottelun: velvoite, jonka se täyttää (valitse luettelosta, tai "
                   "polku kuten negotiation/fi/hyte-neuvottelu).",
                   "Gör raden till en lagstadgad förhandling: den skyldighet som den uppfyller (välj i listan "
                   "eller skriv en sökväg som negotiation/fi/hyte-neuvottelu).",
                   "Makes the row a statutory negotiation: the requirement it fulfils (pick from the list, or a "
                   "path like negotiation/fi/hyte-neuvottelu).",
                   choices="negotiations"),
            Column("convener", "koollekutsuja", "sammankallare", "convener",
                   *_ref_help("Kuka kutsuu koolle.", "Vem som sammankallar.", "Who convenes it."),
                   many=True, choices="actors", example="esimerkki-yhdistys"),
            Column("mandate", "tehtävä", "uppdrag", "mandate", "Mitä varten foorumi on asetettu.",
                   "Vad forumet har tillsatts för.", "What the forum is set up to do.",
                   example="Esimerkkirivi: poista ennen käyttöä."),
            _STATUS, _MEMBERS_TEXT, *_DATES, _SOURCE, _NOTE,
        ),
    ),
    Sheet(
        "networks", "verkostot", "nätverk", "networks",
        "Teemaverkostot ja työryhmät. Verkosto, joka kuuluu useaan ryhmään, on yksi rivi useammalla teemalla.",
        "Temanätverk och arbetsgrupper. Ett nätverk som hör till flera grupper är en rad med flera teman.",
        "Thematic networks and working groups. A network under several groups is one row with several themes.",
        (
            Column("id", "tunnus", "id", "id", *_ID_HELP, required=True, example="esimerkki-verkosto"),
            *_labels(("Verkoston", "Nätverkets", "network"), True), _REGION,
            replace(_THEMES, required=True, example="national/hyte; esimerkkiteema"),
            replace(_LEVELS, example="asiantuntijat; asiakastyo"),
            Column("scope", "ulottuvuus", "räckvidd", "scope", "Kunnallinen, seudullinen, alueellinen tai "
                   "valtakunnallinen.", "Kommunal, delregional, regional eller nationell.",
                   "Municipal, sub-regional, regional or national.", choices="scopes", closed=True,
                   example="regional"),
            Column("coordinator", "koordinaattori", "koordinator", "coordinator",
                   *_ref_help("Kuka koordinoi.", "Vem som koordinerar.", "Who coordinates it."),
                   many=True, choices="actors", example="esimerkki-yhdistys"),
            _STATUS, _MEMBERS_TEXT, *_DATES, _SOURCE, _NOTE,
        ),
    ),
    Sheet(
        "memberships", "jäsenyydet", "medlemskap", "memberships",
        "Kuka on minkin foorumin tai verkoston jäsen: yksi jäsen riviä kohden.",
        "Vem som är medlem i vilket forum eller nätverk: en medlem per rad.",
        "Who is a member of which forum or network: one member a row.",
        (
            Column("structure", "rakenne", "struktur", "structure",
                   "Foorumi tai verkosto: tämän pohjan tunnus tai polku.",
                   "Forumet eller nätverket: ett id i denna mall eller en sökväg.",
                   "The forum or network: an id of this template or a path.", required=True,
                   example="esimerkki-verkosto"),
            Column("member", "jäsen", "medlem", "member", *_ref_help("Jäsen.", "Medlemmen.", "The member."),
                   required=True, choices="actors", example="esimerkki-yhdistys"),
            Column("role", "rooli", "roll", "role", "Jäsenen rooli sanoin, esim. puheenjohtaja.",
                   "Medlemmens roll i ord, t.ex. ordförande.", "The member's role in words, e.g. chair.",
                   example="puheenjohtaja"),
            *_DATES, _SOURCE,
        ),
    ),
    Sheet(
        "themes", "teemat", "teman", "themes",
        "Alueen omat teemat ja niiden vastineet kansallisissa teemoissa (tarvitaan vain, jos alueella on oma "
        "luokitus).",
        "Områdets egna teman och deras motsvarigheter bland de nationella temana (behövs bara om området har en "
        "egen klassificering).",
        "The region's own themes and how they map to the national themes (only when the region has a vocabulary "
        "of its own).",
        (
            Column("id", "tunnus", "id", "id", "Teeman (tai luokituksen) tunnus: a-z, 0-9 ja yhdysmerkit.",
                   "Temats (eller klassificeringens) id: a-z, 0-9 och bindestreck.",
                   "The theme's (or scheme's) id: a-z, 0-9 and hyphens.", required=True, example="esimerkkiteema"),
            Column("kind", "rivin laji", "radtyp", "row kind",
                   "Tyhjä teemalle; 'luokitus' rivillä, joka määrittelee uuden luokituksen.",
                   "Tom för ett tema; 'klassificering' på en rad som definierar en ny klassificering.",
                   "Empty for a theme; 'scheme' on a row that defines a new scheme.",
                   choices="row_kinds", closed=True),
            Column("scheme", "luokitus", "klassificering", "scheme",
                   "Luokitus, johon teema kuuluu (luettelosta tai uuden luokituksen polku, esim. "
                   "keski-pohjanmaa/hyte).",
                   "Den klassificering som temat hör till (i listan eller sökvägen till en ny klassificering, "
                   "t.ex. keski-pohjanmaa/hyte).",
                   "The scheme the theme belongs to (from the list, or the path of a new scheme, e.g. "
                   "keski-pohjanmaa/hyte).", required=True, choices="schemes", example="paijat-hame/group"),
            replace(_REGION, help_fi="Luokitukselle: alue, jonka oma sanasto se on.",
                    help_sv="För en klassificering: det område vars egen vokabulär den är.",
                    help_en="For a scheme: the region whose own vocabulary it is.", example=""),
            Column("label_fi", "nimi suomeksi", "namn på finska", "name in Finnish", "Teeman nimi suomeksi.",
                   "Temats namn på finska.", "The theme's name in Finnish.", required=True, example="{fi}"),
            Column("label_sv", "nimi ruotsiksi", "namn på svenska", "name in Swedish",
                   "Teeman nimi ruotsiksi (pakollinen teemalle).", "Temats namn på svenska (obligatoriskt för ett "
                   "tema).", "The theme's name in Swedish (required for a theme).", example="{sv}"),
            Column("label_en", "nimi englanniksi", "namn på engelska", "name in English",
                   "Teeman nimi englanniksi (pakollinen teemalle).", "Temats namn på engelska (obligatoriskt för "
                   "ett tema).", "The theme's name in English (required for a theme).", example="{en}"),
            Column("broader", "laajempi teema", "bredare tema", "broader",
                   "Saman luokituksen laajempi teema.", "Ett bredare tema i samma klassificering.",
                   "A broader theme of the same scheme.", choices="themes"),
            Column("exact_match", "vastaa täsmälleen", "exakt motsvarighet", "exact match",
                   "Toisen luokituksen teema, jota tämä vastaa täsmälleen (ratkaisee aukkoanalyysin kattavuuden).",
                   "Ett tema i en annan klassificering som detta motsvarar exakt (avgör täckningen i "
                   "luckanalysen).",
                   "A theme of another scheme this one matches exactly (decides coverage in the gap analysis).",
                   many=True, choices="themes"),
            Column("close_match", "vastaa läheisesti", "nära motsvarighet", "close match",
                   "Toisen luokituksen läheinen vastine.", "En nära motsvarighet i en annan klassificering.",
                   "A close match in another scheme.", many=True, choices="themes", example="national/hyte"),
            Column("broad_match", "laajempi vastine", "bredare motsvarighet", "broad match",
                   "Toisen luokituksen laajempi vastine.", "En bredare motsvarighet i en annan klassificering.",
                   "A broader match in another scheme.", many=True, choices="themes"),
            Column("related_match", "liittyy", "relaterad", "related match",
                   "Toisen luokituksen teema, johon tämä liittyy.", "Ett tema i en annan klassificering som detta "
                   "är relaterat till.", "A related theme of another scheme.", many=True, choices="themes"),
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
    "negotiations": ("neuvottelulajit", "förhandlingstyper", "negotiation types"),
    "provisions": ("säännökset", "bestämmelser", "legal provisions"),
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
