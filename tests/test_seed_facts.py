"""The facts of the seed documents are in the bundled data, each citing its source."""

from __future__ import annotations

import pytest

from yhdyspinta.graph.store.store import Store

ID = "https://w3id.org/yhdyspinta/id/"
SRC = "https://w3id.org/yhdyspinta/source/"
GROUP = "https://w3id.org/yhdyspinta/theme/paijat-hame/group/"


def test_the_ten_paijat_hame_municipalities(bundled_store: Store) -> None:
    rows = bundled_store.select(
        f"""SELECT ?name WHERE {{ ?m a yhd:Municipality ; yhd:inRegion <{ID}region/paijat-hame> ;
              skos:prefLabel ?name FILTER(lang(?name) = "fi") }} ORDER BY ?name"""
    )
    assert [r["name"] for r in rows] == [
        "Asikkala", "Hartola", "Heinola", "Hollola", "Iitti", "Kärkölä", "Lahti", "Orimattila", "Padasjoki", "Sysmä",
    ]


def test_every_municipality_and_welfare_area_of_finland(bundled_store: Store) -> None:
    n = bundled_store.select("SELECT (COUNT(?m) AS ?n) WHERE { ?m a yhd:Municipality }")[0]["n"]
    assert n == 309  # 2023-2024, Pertunmaa included with its end date
    assert bundled_store.ask(
        f"""ASK {{ <{ID}municipality/588> yhd:validUntil "2024-12-31"^^xsd:date ;
                 yhd:mergedInto <{ID}municipality/507> }}"""
    )
    areas = bundled_store.select("SELECT ?code WHERE { ?w a yhd:WelfareArea ; skos:notation ?code } ORDER BY ?code")
    assert [r["code"] for r in areas][:3] == ["01", "02", "03"] and len(areas) == 22
    assert bundled_store.ask(
        f"ASK {{ <{ID}municipality/398> skos:exactMatch <http://uri.suomi.fi/codelist/jhs/kunta_1_20230101/code/398> }}"
    )


def _networks_in(store: Store, group: str) -> set[str]:
    rows = store.select(
        f"""SELECT ?label WHERE {{ ?n a yhd:Network ; yhd:theme <{GROUP}{group}> ; skos:prefLabel ?label .
              FILTER(lang(?label) = "fi") FILTER NOT EXISTS {{ ?n yhd:status <https://w3id.org/yhdyspinta/status/planned> }} }}"""
    )
    return {r["label"] for r in rows}


def test_the_paijat_hame_network_list(bundled_store: Store) -> None:
    listed = bundled_store.select(
        """SELECT (COUNT(DISTINCT ?n) AS ?n) WHERE { ?n a yhd:Network ; yhd:theme ?t .
              ?t skos:inScheme <https://w3id.org/yhdyspinta/theme/paijat-hame/group> }"""
    )[0]["n"]
    assert 75 <= listed <= 90  # "about ninety networks", duplicates merged
    assert "Huumetyön verkosto" in _networks_in(bundled_store, "ehkaiseva-tyo")
    assert {"Vauvaverkko", "Eroauttajien verkosto"} <= _networks_in(bundled_store, "lapsiperheet")
    assert "Digituen verkosto" in _networks_in(bundled_store, "sote-saavutettavuus")
    assert "Työkykykoordinaattoriverkosto" in _networks_in(bundled_store, "tyollisyys")
    assert _networks_in(bundled_store, "kulttuurihyvinvointi") == set()


@pytest.mark.parametrize("network, groups", [
    ("vammaisjarjestojen-verkosto", {"osallisuus", "elintavat"}),
    ("kylien-yhdistysten-verkosto", {"osallisuus", "sote-saavutettavuus"}),
    ("hyte-koordinaattoriverkosto", {"elintavat", "hyte-yleisesti"}),
])
def test_a_network_under_several_groups_is_one_network(bundled_store: Store, network: str, groups: set[str]) -> None:
    rows = bundled_store.select(
        f"SELECT ?t WHERE {{ <{ID}network/paijat-hame/{network}> yhd:theme ?t FILTER(STRSTARTS(STR(?t), '{GROUP}')) }}"
    )
    assert {r["t"].removeprefix(GROUP) for r in rows} == groups


def test_a_network_listed_twice_in_one_group_is_one(bundled_store: Store) -> None:
    rows = bundled_store.select(
        """SELECT ?n WHERE { ?n a yhd:Network ; skos:prefLabel ?l FILTER(CONTAINS(LCASE(?l), "potilasturvallisuus")) }"""
    )
    assert len({r["n"] for r in rows}) == 1


def test_cultural_wellbeing_has_no_regional_network_as_a_stated_fact(bundled_store: Store) -> None:
    assert bundled_store.ask(
        f"""ASK {{ ?s a yhd:ThemeStatement ; yhd:aboutTheme <{GROUP}kulttuurihyvinvointi> ;
                 yhd:hasRegionalNetwork false ; yhd:notableActor ?kauno ;
                 dcterms:source <{SRC}004_664281610daadb27> .
                 ?kauno skos:prefLabel ?l FILTER(CONTAINS(?l, "Kauno")) }}"""
    )


def test_the_three_lappi_decisions(bundled_store: Store) -> None:
    rows = bundled_store.select(
        f"""SELECT ?code ?date ?section ?record ?body ?post ?src WHERE {{
              ?c a yhd:Commitment ; yhd:pilot <{ID}pilot/lappi/aluepilotti-2023-2025> ; yhd:committer ?m ;
                 yhd:decidingBody/skos:prefLabel ?body ; dcterms:source ?src .
              ?m skos:notation ?code . FILTER(lang(?body) = "fi")
              OPTIONAL {{ ?c yhd:decisionDate ?date }} OPTIONAL {{ ?c yhd:section ?section }}
              OPTIONAL {{ ?c yhd:recordNumber ?record }}
              OPTIONAL {{ ?c yhd:responsiblePost/skos:prefLabel ?post FILTER(lang(?post) = "fi") }}
            }} ORDER BY ?code"""
    )
    assert [(r["code"], r["date"], r["section"], r["record"], r["body"], r["post"], r["src"].removeprefix(SRC))
            for r in rows] == [
        ("240", "2023-12-11", "409", "672/00.04.01/2023", "Kemin kaupunginhallitus", "Kemin kaupunginjohtaja",
         "001_584f28bd411370b3"),
        ("320", None, None, None, "Kemijärven kaupunginhallitus", None, "000_b71e738b8837c70d"),
        ("683", "2023-12-11", "233", "948/00.01.02/2022", "Ranuan kunnanhallitus", "Ranuan kunnanjohtaja",
         "002_f71aceb115e93be4"),
    ]
    assert bundled_store.ask(
        f"""ASK {{ <{ID}pilot/lappi/aluepilotti-2023-2025> yhd:quorumMunicipalShare 0.5 ;
                 yhd:requiresWelfareArea true ; yhd:registrationDeadline "2023-11-30"^^xsd:date }}"""
    )


def test_the_2022_survey_figures(bundled_store: Store) -> None:
    assert bundled_store.select("SELECT ?n WHERE { ?s a yhd:Survey ; yhd:responseCount ?n }")[0]["n"] == 686
    rows = bundled_store.select(
        """SELECT ?slug ?p WHERE { ?o a yhd:SurveyObservation ; yhd:refRegion/yhd:slug ?slug ; yhd:percent ?p ;
             yhd:measure <https://w3id.org/yhdyspinta/measure/involved-in-interface-preparation> }"""
    )
    assert {r["slug"]: r["p"] for r in rows} == {"lansi-uusimaa": 87, "paijat-hame": 85, "ita-uusimaa": 43, "lappi": 44}
    clarity = bundled_store.select(
        """SELECT ?t ?p WHERE { ?o yhd:measure <https://w3id.org/yhdyspinta/measure/division-of-labour-clear> ;
             yhd:percent ?p OPTIONAL { ?o yhd:refTheme ?t } }"""
    )
    assert sorted(r["p"] for r in clarity) == [14, 14, 16]
    # housing has no national theme (003 l. 21-31), so that figure refers to none
    assert sorted((r["t"] or "").rsplit("/", 1)[-1] for r in clarity) == ["", "maahanmuutto-ja-kotoutuminen", "tyollisyys"]


def test_national_frame(bundled_store: Store) -> None:
    levels = bundled_store.select("SELECT ?l WHERE { ?l a yhd:Level }")
    blocks = bundled_store.select("SELECT ?b WHERE { ?b a yhd:BuildingBlock }")
    assert (len(levels), len(blocks)) == (4, 6)
    rows = bundled_store.select(
        """SELECT ?label ?freq WHERE { ?r a yhd:NegotiationRequirement ; skos:prefLabel ?label ;
             yhd:frequency ?freq ; yhd:legalBasis ?law FILTER(lang(?label) = "fi") }"""
    )
    freqs = {r["freq"].rsplit("/", 1)[1] for r in rows}
    assert freqs == {"once-per-council-term", "yearly"}


def test_regional_profiles(bundled_store: Store) -> None:
    assert bundled_store.ask(
        f"""ASK {{ ?p yhd:profileOf <{ID}region/etela-karjala> ; yhd:hasStrategicAgreement false ;
                 yhd:municipalityCount 9 ; yhd:participatingMunicipalityCount 8 ; yhd:networkCount 12 ;
                 yhd:population 127000 }}"""
    )
    assert bundled_store.ask(
        f"""ASK {{ ?f a yhd:Forum ; yhd:inRegion <{ID}region/keski-pohjanmaa> ; yhd:declaredMemberCount 16 }}"""
    )


def test_every_entity_cites_a_seed_or_reference_source(bundled_store: Store) -> None:
    rows = bundled_store.select(
        """SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {
             GRAPH ?g { ?s a ?c } FILTER(STRSTARTS(STR(?g), "https://w3id.org/yhdyspinta/graph/bundled/"))
             FILTER(isIRI(?s)) FILTER NOT EXISTS { ?s a yhd:SourceDocument }
             FILTER NOT EXISTS { ?s dcterms:source ?src } }"""
    )
    assert rows[0]["n"] == 0
    titled = bundled_store.select("SELECT ?t WHERE { ?s a yhd:SourceDocument ; dcterms:title ?t }")
    assert {"004_664281610daadb27.txt", "000_b71e738b8837c70d.txt"} <= {r["t"] for r in titled}


def test_no_contact_details_anywhere(bundled_store: Store) -> None:
    from yhdyspinta.ingest.validate import EMAIL, PHONE

    rows = bundled_store.select(
        "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isLiteral(?o) && ?g != <https://w3id.org/yhdyspinta/graph/meta>) }"
    )
    texts = [str(r["o"]) for r in rows]
    assert len(texts) > 3000
    assert [t for t in texts if EMAIL.search(t) or PHONE.search(t)] == []


def test_networks_one_per_municipality_have_every_municipality(bundled_store: Store) -> None:
    rows = bundled_store.select(
        """SELECT ?n ?region (COUNT(DISTINCT ?m) AS ?members) WHERE {
             ?n yhd:perMunicipality true ; yhd:inRegion ?region ;
                yhd:scope <https://w3id.org/yhdyspinta/scope/municipal> ; org:hasMember ?m .
             ?m a yhd:Municipality ; yhd:inRegion ?region } GROUP BY ?n ?region"""
    )
    got = {r["n"].removeprefix(ID + "network/"): r["members"] for r in rows}
    assert got == {
        "paijat-hame/kunnalliset-liikenneturvallisuustyoryhmat": 10,
        "paijat-hame/kuntien-ja-kaupunkien-ehkaisevan-tyon-verkostot": 10,
        "paijat-hame/kuntien-ja-kaupunkien-lape-ryhmat": 10,
        "keski-pohjanmaa/kuntien-hyvinvointityoryhmat": 8,
    }


def test_temporary_preparation_groups_of_2022_carry_their_end(bundled_store: Store) -> None:
    rows = bundled_store.select(
        """SELECT ?s ?until ?note WHERE { ?s yhd:permanence <https://w3id.org/yhdyspinta/permanence/temporary> .
             OPTIONAL { ?s yhd:validUntil ?until } OPTIONAL { ?s yhd:validityNote ?note } }"""
    )
    got = {r["s"].removeprefix(ID + "network/paijat-hame/"): r["until"] for r in rows}
    assert got == {"hyte-valmistelutyoryhma": "2022-12-31", "hyte-tyoryhma-2022": "2022-12-31",
                   "palvelutuotantotyoryhma": "2022-12-31"}
    assert all("2022" in r["note"] for r in rows)
    # every temporary structure says when it ended, or that its end is not on record (yhd:validityNote)
    assert not bundled_store.ask(
        """ASK { ?s yhd:permanence <https://w3id.org/yhdyspinta/permanence/temporary>
                 FILTER NOT EXISTS { ?s yhd:validUntil ?u } FILTER NOT EXISTS { ?s yhd:validityNote ?n } }"""
    )


def test_bodies_the_source_keeps_apart_stay_apart(bundled_store: Store) -> None:
    def themes(iri: str) -> set[str]:
        return {r["t"].rsplit("/", 2)[-2] + "/" + r["t"].rsplit("/", 1)[-1]
                for r in bundled_store.select(f"SELECT ?t WHERE {{ <{ID}{iri}> yhd:theme ?t }}")}

    assert themes("network/paijat-hame/hyte-valmistelutyoryhma") == {"group/hyte-yleisesti"}
    assert len(themes("network/paijat-hame/hyte-tyoryhma-2022")) == 9
    assert themes("forum/paijat-hame/tyovaliokunta") == {"national/yleiset-toimintamallit"}
    assert themes("forum/paijat-hame/kuntajohtajien-tyovaliokunta") == {"group/palveluverkko-kaavoitus-asuminen"}


def test_influence_bodies_are_their_own_kind(bundled_store: Store) -> None:
    kind = "https://w3id.org/yhdyspinta/body-kind/vaikuttamistoimielin"
    rows = bundled_store.select(f"SELECT ?s WHERE {{ ?s yhd:bodyKind <{kind}> }}")
    assert len(rows) == 8  # three units in each of the two regions, two forums in Päijät-Häme
    assert not bundled_store.ask(
        f"ASK {{ ?s yhd:bodyKind <{kind}> ; yhd:level <https://w3id.org/yhdyspinta/level/poliittiset-paattajat> }}"
    )


def test_pilot_focus_themes_are_not_national_priorities(bundled_store: Store) -> None:
    rows = bundled_store.select(
        """SELECT ?pilot ?label WHERE { ?pilot a yhd:Pilot ; yhd:focusTheme ?f .
             ?f a yhd:FocusTheme ; skos:prefLabel ?label FILTER(lang(?label) = "fi") }"""
    )
    got = {(r["pilot"].removeprefix(ID + "pilot/").split("/")[0], r["label"]) for r in rows}
    assert got == {
        ("etela-karjala", "Etelä-Karjalan malli"), ("etela-karjala", "Tiedolla johtaminen"),
        ("etela-karjala", "Yhdyspinta 2.0"),
        ("lappi", "Hyvinvoinnin ja terveyden edistäminen - roolit"), ("lappi", "Turvallisuus ja varautuminen"),
    }
    assert not bundled_store.ask(
        "ASK { ?p yhd:focusTheme ?t . ?t skos:inScheme <https://w3id.org/yhdyspinta/theme/national> }"
    )


def test_official_terms_in_the_labels(bundled_store: Store) -> None:
    labels = bundled_store.select(
        """SELECT ?s ?l WHERE { ?s skos:prefLabel|rdfs:label ?l
             FILTER(REGEX(?l, "welfare area|regional council \\\\(|regional executive", "i")) }"""
    )
    assert labels == []
    council = {(r["l"]) for r in bundled_store.select(
        f"SELECT ?l WHERE {{ <{ID}unit/paijat-hame/aluevaltuusto> skos:prefLabel ?l }}")}
    assert {"Aluevaltuusto", "Välfärdsområdesfullmäktige", "County council"} == council
