#!/usr/bin/env python3
"""Build the reference layer of the bundled data from Statistics Finland's tables.

Reads ``municipalities.csv``, ``municipalities_2025.csv`` and
``welfare_areas.csv`` (see ``shared/data/README.md``) and writes

* ``data/reference/regions.ttl``: one ``yhd:Region`` per welfare area code
  (01-21, Helsinki 90, Åland 91) and the organisation that serves it
  (``yhd:WelfareArea``; Helsinki's is the City of Helsinki, Åland has none);
* ``data/reference/municipalities.ttl``: the 309 municipalities of 2023-2024,
  Pertunmaa marked as merged into Mäntyharju on 2025-01-01.

Usage::

    python tools/build_reference.py [DATA_DIR]

DATA_DIR defaults to ``../shared/data`` relative to the repository root.
The output is deterministic: running the script twice gives identical files.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"
OUT = REPO / "data" / "reference"

BASE = "https://w3id.org/yhdyspinta/"
YHD = Namespace(BASE + "ontology#")
REGION = Namespace(BASE + "id/region/")
WELFARE_AREA = Namespace(BASE + "id/welfare-area/")
MUNICIPALITY = Namespace(BASE + "id/municipality/")
SOURCE = Namespace(BASE + "source/")
KUNTA_CODELIST = "http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/"

STATISTICS = SOURCE["statistics-finland-municipalities"]

#: Region per welfare area code: stable slug and the territory's name in
#: Finnish, Swedish and English. Written by hand (the CSV names the
#: organisations, in the genitive), never derived at run time.
REGIONS: dict[str, tuple[str, str, str, str]] = {
    "01": ("ita-uusimaa", "Itä-Uusimaa", "Östra Nyland", "East Uusimaa"),
    "02": ("keski-uusimaa", "Keski-Uusimaa", "Mellersta Nyland", "Central Uusimaa"),
    "03": ("lansi-uusimaa", "Länsi-Uusimaa", "Västra Nyland", "West Uusimaa"),
    "04": ("vantaa-kerava", "Vantaa ja Kerava", "Vanda och Kervo", "Vantaa and Kerava"),
    "05": ("varsinais-suomi", "Varsinais-Suomi", "Egentliga Finland", "Southwest Finland"),
    "06": ("satakunta", "Satakunta", "Satakunta", "Satakunta"),
    "07": ("kanta-hame", "Kanta-Häme", "Egentliga Tavastland", "Kanta-Häme"),
    "08": ("pirkanmaa", "Pirkanmaa", "Birkaland", "Pirkanmaa"),
    "09": ("paijat-hame", "Päijät-Häme", "Päijänne-Tavastland", "Päijät-Häme"),
    "10": ("kymenlaakso", "Kymenlaakso", "Kymmenedalen", "Kymenlaakso"),
    "11": ("etela-karjala", "Etelä-Karjala", "Södra Karelen", "South Karelia"),
    "12": ("etela-savo", "Etelä-Savo", "Södra Savolax", "South Savo"),
    "13": ("pohjois-savo", "Pohjois-Savo", "Norra Savolax", "North Savo"),
    "14": ("pohjois-karjala", "Pohjois-Karjala", "Norra Karelen", "North Karelia"),
    "15": ("keski-suomi", "Keski-Suomi", "Mellersta Finland", "Central Finland"),
    "16": ("etela-pohjanmaa", "Etelä-Pohjanmaa", "Södra Österbotten", "South Ostrobothnia"),
    "17": ("pohjanmaa", "Pohjanmaa", "Österbotten", "Ostrobothnia"),
    "18": ("keski-pohjanmaa", "Keski-Pohjanmaa", "Mellersta Österbotten", "Central Ostrobothnia"),
    "19": ("pohjois-pohjanmaa", "Pohjois-Pohjanmaa", "Norra Österbotten", "North Ostrobothnia"),
    "20": ("kainuu", "Kainuu", "Kajanaland", "Kainuu"),
    "21": ("lappi", "Lappi", "Lappland", "Lapland"),
    "90": ("helsinki", "Helsinki", "Helsingfors", "Helsinki"),
    "91": ("ahvenanmaa", "Ahvenanmaa", "Åland", "Åland"),
}

#: Codes whose organiser of social, health and rescue services is not a welfare area.
HELSINKI, ALAND = "90", "91"
HELSINKI_NOTE = (
    "Not a welfare area: the City of Helsinki organises social, health and rescue services "
    "itself. Modelled as yhd:WelfareArea (code 90) so that Helsinki can be compared with the "
    "welfare areas; the same city is also the municipality 091."
)
ALAND_NOTE = "Åland has no welfare area (welfare_areas.csv: 'ei hyvinvointialuetta'); region only."

#: Municipalities that ceased to exist: code -> code of the municipality they
#: were merged into (shared/data/README.md: Pertunmaa into Mäntyharju, 2025-01-01).
MERGERS = {"588": "507"}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def new_graph() -> Graph:
    g = Graph()
    g.bind("yhd", YHD)
    g.bind("skos", SKOS)
    g.bind("dcterms", DCTERMS)
    g.bind("rdfs", RDFS)
    g.bind("xsd", XSD)
    g.bind("region", REGION)
    g.bind("wa", WELFARE_AREA)
    g.bind("mun", MUNICIPALITY)
    g.bind("src", SOURCE)
    return g


def build_regions(welfare_areas: list[dict[str, str]]) -> Graph:
    codes = [row["code"] for row in welfare_areas]
    if sorted(codes) != sorted(REGIONS):
        sys.exit(f"welfare_areas.csv codes {codes} differ from the region table {sorted(REGIONS)}")
    g = new_graph()
    for row in welfare_areas:
        code = row["code"]
        slug, fi, sv, en = REGIONS[code]
        region = REGION[slug]
        g.add((region, RDF.type, YHD.Region))
        g.add((region, SKOS.notation, Literal(code)))
        g.add((region, YHD.slug, Literal(slug)))
        g.add((region, SKOS.prefLabel, Literal(fi, lang="fi")))
        g.add((region, SKOS.prefLabel, Literal(sv, lang="sv")))
        g.add((region, SKOS.prefLabel, Literal(en, lang="en")))
        g.add((region, DCTERMS.source, STATISTICS))
        if code == ALAND:
            g.add((region, RDFS.comment, Literal(ALAND_NOTE, lang="en")))
            continue  # region only, no organisation
        area = WELFARE_AREA[code]
        g.add((area, RDF.type, YHD.WelfareArea))
        g.add((area, SKOS.notation, Literal(code)))
        g.add((area, SKOS.prefLabel, Literal(row["name_fi"], lang="fi")))
        g.add((area, SKOS.prefLabel, Literal(row["name_sv"], lang="sv")))
        g.add((area, SKOS.prefLabel, Literal(row["name_en"], lang="en")))
        g.add((area, YHD.servesRegion, region))
        g.add((area, YHD.population, Literal(int(row["population_2022"]))))
        g.add((area, YHD.populationYear, Literal("2022", datatype=XSD.gYear)))
        g.add((area, DCTERMS.source, STATISTICS))
        if code == HELSINKI:
            g.add((area, RDFS.comment, Literal(HELSINKI_NOTE, lang="en")))
            g.add((area, RDFS.seeAlso, MUNICIPALITY["091"]))
    return g


def build_municipalities(rows: list[dict[str, str]], rows_2025: list[dict[str, str]]) -> Graph:
    codes_2025 = {row["code"] for row in rows_2025}
    names = {row["code"]: row["name_fi"] for row in rows}
    g = new_graph()
    for row in rows:
        code = row["code"]
        if len(code) != 3 or not code.isdigit():
            sys.exit(f"municipality code {code!r} is not three digits")
        m = MUNICIPALITY[code]
        slug = REGIONS[row["welfare_area_code"]][0]
        g.add((m, RDF.type, YHD.Municipality))
        g.add((m, SKOS.notation, Literal(code)))
        g.add((m, SKOS.prefLabel, Literal(row["name_fi"], lang="fi")))
        g.add((m, SKOS.prefLabel, Literal(row["name_sv"], lang="sv")))
        g.add((m, YHD.inRegion, REGION[slug]))
        g.add((m, YHD.population, Literal(int(row["population"]))))
        g.add((m, YHD.populationYear, Literal(row["population_year"], datatype=XSD.gYear)))
        g.add((m, YHD.maakunta, Literal(f"{row['maakunta_code']} {row['maakunta_fi']}")))
        g.add((m, SKOS.exactMatch, URIRef(KUNTA_CODELIST + code)))
        g.add((m, DCTERMS.source, STATISTICS))
        if row["valid_to"]:
            g.add((m, YHD.validUntil, Literal(row["valid_to"], datatype=XSD.date)))
        if code not in codes_2025:
            if code not in MERGERS or not row["valid_to"]:
                sys.exit(f"municipality {code} is missing from 2025 without a known merger")
            target = MERGERS[code]
            g.add((m, YHD.mergedInto, MUNICIPALITY[target]))
            note = f"{row['name_fi']} was merged into {names[target]} on 2025-01-01."
            g.add((m, RDFS.comment, Literal(note, lang="en")))
    return g


def write(g: Graph, path: Path, what: str) -> None:
    header = (
        f"# {what}\n"
        "# Generated by tools/build_reference.py from shared/data (Statistics Finland's\n"
        "# classifications and THL Sotkanet population, via rOpenGov/geofi). Do not edit\n"
        "# by hand: change the script or the tables and run it again.\n\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + g.serialize(format="turtle"), encoding="utf-8")
    print(f"wrote {path.relative_to(REPO)} ({len(g)} triples)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "data_dir",
        nargs="?",
        type=Path,
        default=DEFAULT_DATA,
        help="folder with municipalities.csv, municipalities_2025.csv, welfare_areas.csv",
    )
    args = parser.parse_args(argv)
    data = args.data_dir
    welfare_areas = read_csv(data / "welfare_areas.csv")
    municipalities = read_csv(data / "municipalities.csv")
    municipalities_2025 = read_csv(data / "municipalities_2025.csv")
    write(
        build_regions(welfare_areas),
        OUT / "regions.ttl",
        "Regions (welfare area territories, Helsinki, Åland) and the organisations serving them.",
    )
    write(
        build_municipalities(municipalities, municipalities_2025),
        OUT / "municipalities.ttl",
        "The municipalities of Finland, 2023-2024 (Pertunmaa merged into Mäntyharju on 2025-01-01).",
    )


if __name__ == "__main__":
    main()
