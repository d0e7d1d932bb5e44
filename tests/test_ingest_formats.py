"""Every ingest format lands in a named graph of its own and can be replaced."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from yhdyspinta.graph.store.store import Store
from yhdyspinta.ingest import ingest
from yhdyspinta.ingest.template_xlsx import csv_folder_to_xlsx

DATA = Path(__file__).parent / "data"

NETWORK = "https://w3id.org/yhdyspinta/id/network/paijat-hame/test-kulttuuriverkosto"


def _members(store: Store, network: str) -> set[str]:
    rows = store.select(f"SELECT ?m WHERE {{ <{network}> org:hasMember ?m }}")
    return {r["m"] for r in rows}


@pytest.mark.parametrize("name", ["network.ttl", "network.nt", "network.jsonld", "network.trig"])
def test_rdf_formats_land_in_their_own_graph(base_store: Store, name: str) -> None:
    report = ingest(base_store, [DATA / name])
    [outcome] = report.outcomes
    assert outcome.status == "new"
    assert outcome.graph.endswith(name)
    assert outcome.triples == 14
    assert _members(base_store, NETWORK) == {
        "https://w3id.org/yhdyspinta/id/municipality/398",
        "https://w3id.org/yhdyspinta/id/org/paijat-hame/test-kulttuuriyhdistys",
    }
    in_graph = base_store.select(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{outcome.graph}> {{ ?s ?p ?o }} }}"
    )
    assert in_graph[0]["n"] == 14


def test_graph_option_names_the_graph(base_store: Store) -> None:
    target = "https://example.org/graphs/partner"
    ingest(base_store, [DATA / "network.ttl"], graph=target)
    assert base_store.ask(f"ASK {{ GRAPH <{target}> {{ <{NETWORK}> a yhd:Network }} }}")


def test_reingesting_a_changed_source_replaces_exactly_its_triples(base_store: Store, tmp_path: Path) -> None:
    src = tmp_path / "network.ttl"
    shutil.copy(DATA / "network.ttl", src)
    before_other = len(base_store)
    first = ingest(base_store, [src]).outcomes[0]
    assert len(base_store) == before_other + 14

    text = src.read_text().replace(
        "<https://w3id.org/yhdyspinta/id/municipality/398>,", ""
    ).replace('"Test cultural wellbeing network"@en', '"Renamed network"@en')
    src.write_text(text)
    second = ingest(base_store, [src]).outcomes[0]
    assert second.status == "replaced" and second.graph == first.graph
    assert second.previous_triples == 14 and second.triples == 13
    assert len(base_store) == before_other + 13
    assert _members(base_store, NETWORK) == {
        "https://w3id.org/yhdyspinta/id/org/paijat-hame/test-kulttuuriyhdistys"
    }
    labels = base_store.select(f'SELECT ?l WHERE {{ <{NETWORK}> skos:prefLabel ?l FILTER(lang(?l)="en") }}')
    assert [r["l"] for r in labels] == ["Renamed network"]


def test_unchanged_source_is_skipped_unless_forced(base_store: Store) -> None:
    ingest(base_store, [DATA / "network.ttl"])
    assert ingest(base_store, [DATA / "network.ttl"]).outcomes[0].status == "unchanged"
    assert ingest(base_store, [DATA / "network.ttl"], force=True).outcomes[0].status == "replaced"


def _template_triples(store: Store, graph: str) -> set[tuple[str, str, str]]:
    rows = store.select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return {(r["s"], r["p"], str(r["o"])) for r in rows}


def test_csv_template_maps_every_sheet(base_store: Store) -> None:
    [outcome] = ingest(base_store, [DATA / "template"]).outcomes
    net = "https://w3id.org/yhdyspinta/id/network/paijat-hame/test-verkosto"
    forum = "https://w3id.org/yhdyspinta/id/forum/paijat-hame/test-foorumi"
    post = "https://w3id.org/yhdyspinta/id/post/paijat-hame/test-koordinaattori"
    themes = {r["t"] for r in base_store.select(f"SELECT ?t WHERE {{ <{net}> yhd:theme ?t }}")}
    assert themes == {
        "https://w3id.org/yhdyspinta/theme/test-scheme/kulttuuri",
        "https://w3id.org/yhdyspinta/theme/paijat-hame/group/osallisuus",
    }
    assert _members(base_store, net) == {
        "https://w3id.org/yhdyspinta/id/org/paijat-hame/test-yhdistys",
        "https://w3id.org/yhdyspinta/id/municipality/398",
    }
    assert _members(base_store, forum) == {"https://w3id.org/yhdyspinta/id/municipality/016"}
    assert base_store.ask(f"ASK {{ <{forum}> yhd:convener <{post}> ; yhd:frequency ?f ; yhd:permanence ?p }}")
    assert base_store.ask(f"ASK {{ <{post}> org:postIn <https://w3id.org/yhdyspinta/id/municipality/398> }}")
    # A row without a source cites the template itself; a row with one cites the seed.
    sources = {r["s"] for r in base_store.select(f"SELECT ?s WHERE {{ <{forum}> dcterms:source ?s }}")}
    assert sources == {"https://w3id.org/yhdyspinta/source/template/template"}
    assert base_store.ask(
        f"ASK {{ <{net}> dcterms:source <https://w3id.org/yhdyspinta/source/004_664281610daadb27> }}"
    )
    roles = base_store.select("SELECT ?r WHERE { ?m a org:Membership ; yhd:note ?r }")
    assert {r["r"] for r in roles} == {"jäsen", "puheenjohtaja"}
    assert outcome.triples == len(_template_triples(base_store, outcome.graph))


def test_xlsx_template_gives_the_same_triples_as_csv(base_store: Store, tmp_path: Path) -> None:
    xlsx = tmp_path / "template.xlsx"
    csv_folder_to_xlsx(DATA / "template", xlsx)
    [csv_outcome] = ingest(base_store, [DATA / "template"]).outcomes
    csv_triples = _template_triples(base_store, csv_outcome.graph)
    base_store.remove_graphs([csv_outcome.graph])
    [xlsx_outcome] = ingest(base_store, [xlsx]).outcomes
    xlsx_triples = _template_triples(base_store, xlsx_outcome.graph)
    own = "https://w3id.org/yhdyspinta/source/template/"
    def norm(triples: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
        # the template's own source document is named after the file
        return {tuple(own if x.startswith(own) else x for x in t) for t in triples
                if "dc/terms/title" not in t[1]}  # type: ignore[misc]
    assert norm(csv_triples) == norm(xlsx_triples)
    assert len(xlsx_triples) == len(csv_triples)


def test_shipped_template_files_are_readable(base_store: Store) -> None:
    root = Path(__file__).resolve().parents[1]
    report = ingest(base_store, [root / "templates" / "example-etela-karjala.xlsx"])
    assert report.outcomes[0].triples > 0
    rows = base_store.select(
        "SELECT ?n WHERE { ?n a yhd:Network ; yhd:inRegion <https://w3id.org/yhdyspinta/id/region/etela-karjala> }"
    )
    assert len(rows) == 6
