"""Bad input is rejected with a report that names file, line or row, node and rule,
and the store is left exactly as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from yhdyspinta.errors import InputError, ValidationError
from yhdyspinta.graph.store.store import Store
from yhdyspinta.ingest import ingest

DATA = Path(__file__).parent / "data"
PREFIXES = """@prefix yhd: <https://w3id.org/yhdyspinta/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix id: <https://w3id.org/yhdyspinta/id/> .
@prefix src: <https://w3id.org/yhdyspinta/source/> .
"""


def _snapshot(store: Store) -> bytes:
    return b"\n".join(sorted(store.dump().splitlines()))


def _write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(PREFIXES + body, encoding="utf-8")
    return path


def test_turtle_syntax_error_names_file_and_line(base_store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path, "bad.ttl", '<https://w3id.org/yhdyspinta/id/network/x> a yhd:Network ;\n  skos:prefLabel "unterminated .\n')
    before = _snapshot(base_store)
    with pytest.raises(InputError) as info:
        ingest(base_store, [path])
    assert info.value.location is not None
    assert info.value.location.file == str(path)
    assert info.value.location.line == 8
    assert "bad.ttl:8" in str(info.value)
    assert _snapshot(base_store) == before


def test_ntriples_syntax_error_names_the_line(base_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "bad.nt"
    path.write_text('<http://a> <http://b> <http://c> .\n<http://a> <http://b> "x .\n')
    with pytest.raises(InputError) as info:
        ingest(base_store, [path])
    assert info.value.location is not None and info.value.location.line == 2


def test_jsonld_error_names_the_line(base_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonld"
    path.write_text('{"@id": "http://a",\n "http://b": [1,\n}')
    with pytest.raises(InputError) as info:
        ingest(base_store, [path])
    assert info.value.location is not None and info.value.location.line == 3


BROKEN = {
    "network_without_theme": (
        '<https://w3id.org/yhdyspinta/id/network/paijat-hame/x> a yhd:Network ; skos:prefLabel "X"@fi ;\n'
        "  dcterms:source src:004_664281610daadb27 .\n",
        "a network needs at least one interface theme",
    ),
    "unknown_theme": (
        '<https://w3id.org/yhdyspinta/id/network/paijat-hame/x> a yhd:Network ; skos:prefLabel "X"@fi ;\n'
        "  yhd:theme <https://w3id.org/yhdyspinta/theme/national/no-such-theme> ;\n"
        "  dcterms:source src:004_664281610daadb27 .\n",
        "yhd:theme must name a known yhd:Theme",
    ),
    "missing_source": (
        '<https://w3id.org/yhdyspinta/id/network/paijat-hame/x> a yhd:Network ; skos:prefLabel "X"@fi ;\n'
        "  yhd:theme <https://w3id.org/yhdyspinta/theme/national/hyte> .\n",
        "must cite its source",
    ),
    "municipality_code": (
        '<https://w3id.org/yhdyspinta/id/municipality/98> a yhd:Municipality ; skos:prefLabel "Lahti"@fi ; skos:notation "98" ;\n'
        "  yhd:inRegion <https://w3id.org/yhdyspinta/id/region/paijat-hame> ; dcterms:source src:004_664281610daadb27 .\n",
        "three-digit Statistics Finland code",
    ),
    "theme_without_swedish": (
        '<https://w3id.org/yhdyspinta/theme/national/x> a yhd:Theme ; skos:prefLabel "X"@fi, "X"@en ;\n'
        "  skos:inScheme <https://w3id.org/yhdyspinta/theme/national> ; dcterms:source src:004_664281610daadb27 .\n",
        "needs a Swedish label",
    ),
    "commitment_record_number": (
        "<https://w3id.org/yhdyspinta/id/commitment/lappi/x> a yhd:Commitment ; yhd:committer <https://w3id.org/yhdyspinta/id/municipality/240> ;\n"
        "  yhd:pilot <https://w3id.org/yhdyspinta/id/pilot/lappi/none> ; yhd:recordNumber \"672-2023\" ;\n"
        "  dcterms:source src:001_584f28bd411370b3 .\n",
        "yhd:recordNumber looks like",
    ),
    "member_is_not_an_actor": (
        '<https://w3id.org/yhdyspinta/id/network/paijat-hame/x> a yhd:Network ; skos:prefLabel "X"@fi ;\n'
        "  yhd:theme <https://w3id.org/yhdyspinta/theme/national/hyte> ;\n"
        "  org:hasMember <https://example.org/nobody> ; dcterms:source src:004_664281610daadb27 .\n",
        "a member (org:hasMember) must be a known actor",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_shapes_reject_broken_examples(base_store: Store, tmp_path: Path, case: str) -> None:
    body, expected = BROKEN[case]
    path = _write(tmp_path, f"{case}.ttl", body)
    before = _snapshot(base_store)
    with pytest.raises(ValidationError) as info:
        ingest(base_store, [path])
    messages = [v.message for v in info.value.violations]
    assert any(expected in m for m in messages), messages
    hit = next(v for v in info.value.violations if expected in v.message)
    assert hit.location.file == str(path)
    assert hit.location.line == 7  # the first statement after the six prefix lines
    assert hit.location.node and hit.location.node.startswith("https://w3id.org/yhdyspinta/")
    assert hit.rule
    assert _snapshot(base_store) == before


def test_contact_details_are_refused(base_store: Store, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "contact.ttl",
        '<https://w3id.org/yhdyspinta/id/post/lappi/x> a yhd:Post ; skos:prefLabel "Kunnanjohtaja"@fi ;\n'
        '  yhd:note "puh. 040 123 4567, etunimi.sukunimi@example.fi" ;\n'
        "  dcterms:source src:002_f71aceb115e93be4 .\n",
    )
    with pytest.raises(ValidationError) as info:
        ingest(base_store, [path])
    rules = {v.rule for v in info.value.violations}
    assert rules == {"privacy: no contact details"}
    assert "e-mail" in info.value.violations[0].message
    assert info.value.violations[0].location.line == 7


def test_template_errors_name_the_row(base_store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "template"
    shutil.copytree(DATA / "template", folder)
    text = (folder / "networks.csv").read_text().replace("kulttuuri;paijat-hame/group/osallisuus", "national/nope")
    (folder / "networks.csv").write_text(text)
    before = _snapshot(base_store)
    with pytest.raises(ValidationError) as info:
        ingest(base_store, [folder])
    [v] = [v for v in info.value.violations if "yhd:theme" in v.message]
    assert v.location.file.endswith("networks.csv") and v.location.row == 2
    assert _snapshot(base_store) == before


def test_template_unknown_column_and_bad_reference(base_store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "t1"
    folder.mkdir()
    (folder / "networks.csv").write_text("id,label_fi,themes,colour\nx,X,national/hyte,red\n")
    with pytest.raises(InputError, match="unknown column"):
        ingest(base_store, [folder])
    (folder / "networks.csv").write_text("id,label_fi,themes\nx,X,national/hyte\n")
    (folder / "memberships.csv").write_text("structure,member\nx,nobody\n")
    with pytest.raises(InputError) as info:
        ingest(base_store, [folder])
    assert info.value.location is not None and info.value.location.row == 2
    assert "nobody" in str(info.value)


def test_a_batch_is_all_or_nothing(base_store: Store, tmp_path: Path) -> None:
    good = tmp_path / "good.ttl"
    shutil.copy(DATA / "network.ttl", good)
    bad = _write(tmp_path, "bad.ttl", BROKEN["network_without_theme"][0])
    before = _snapshot(base_store)
    sources_before = base_store.sources()
    with pytest.raises(ValidationError):
        ingest(base_store, [good, bad])
    assert _snapshot(base_store) == before
    assert base_store.sources() == sources_before


def test_rejected_replacement_keeps_the_old_version(base_store: Store, tmp_path: Path) -> None:
    src = tmp_path / "network.ttl"
    shutil.copy(DATA / "network.ttl", src)
    ingest(base_store, [src])
    before = _snapshot(base_store)
    src.write_text(src.read_text().replace("yhd:theme", "yhd:level"))
    with pytest.raises(ValidationError):
        ingest(base_store, [src])
    assert _snapshot(base_store) == before
