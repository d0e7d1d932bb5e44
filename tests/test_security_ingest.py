"""Ingest hardening: text checks that run in linear time, invisible and mixed-script text refused,
JSON-LD that never fetches a context, BOMs accepted, ill-typed and huge literals refused, damaged
workbooks refused, and a CLI that fails on every bad file with one clean message.

Phone numbers here are fictitious (040 123 4567 and the like); e-mail domains are example.fi.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from yhdyspinta.errors import InputError, Location, ValidationError
from yhdyspinta.graph.store.store import Store
from yhdyspinta.ingest import ingest, jsonld
from yhdyspinta.ingest.bundle import bundled_paths
from yhdyspinta.ingest.discover import discover
from yhdyspinta.ingest.jsonld import MAX_DEPTH, parse_jsonld
from yhdyspinta.ingest.pipeline import _read
from yhdyspinta.ingest.template_xlsx import csv_folder_to_xlsx
from yhdyspinta.ingest.validate import (
    EMAIL,
    MAX_LITERAL_CHARS,
    PHONE,
    RULE_DATATYPE,
    RULE_INVISIBLE,
    RULE_PRIVACY,
    RULE_SCRIPTS,
    RULE_SIZE,
    Parsed,
    invisible_character,
    literal_violations,
    mixed_script_word,
    privacy_violations,
)

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
NETWORK_TTL = (DATA / "network.ttl").read_text(encoding="utf-8")
NETWORK = "https://w3id.org/yhdyspinta/id/network/paijat-hame/test-kulttuuriverkosto"
LABEL = '"Testin kulttuurihyvinvointiverkosto"@fi'
NETWORK_LINE = 1 + NETWORK_TTL.splitlines().index(f"<{NETWORK}> a yhd:Network ;")


def _snapshot(store: Store) -> bytes:
    return b"\n".join(sorted(store.dump().splitlines()))


def _network_with(tmp_path: Path, name: str, label: str) -> Path:
    """tests/data/network.ttl with its Finnish label replaced by ``label`` (Turtle, already escaped)."""
    path = tmp_path / name
    path.write_text(NETWORK_TTL.replace(LABEL, label), encoding="utf-8")
    return path


def _network_dated(tmp_path: Path, name: str, valid_from: str) -> Path:
    """tests/data/network.ttl with a yhd:validFrom typed xsd:date, on the line after the network's first."""
    path = tmp_path / name
    extra = f'    yhd:validFrom "{valid_from}"^^<http://www.w3.org/2001/XMLSchema#date> ;\n    yhd:inRegion'
    path.write_text(NETWORK_TTL.replace("    yhd:inRegion", extra, 1), encoding="utf-8")
    return path


# -- 1. privacy patterns: linear time, same catch ---------------------------------------------------------------

CONTACTS = [
    "puh. 040 123 4567",
    "puh. 040 123 4567, etunimi.sukunimi@example.fi",
    "p. 358 50 1234 567",
    "+358 50 1234 567",
    "358 50 123 4567",
    "050 123 4567",
    "(09) 123 4567",
    "09 123 4567",
    "+358 (0)40 123 4567",
    "00358 40 123 4567",
    "0401234567",
    "040-1234567",
    "soita 040 123 4567.",
    "0400 123 456",
    "etunimi.sukunimi@example.fi",
    "ETUNIMI.SUKUNIMI@EXAMPLE.FI",
    "etunimi.sukunimi(at)example.fi",
    "kirjaamo[at]example.fi",
    "x@" + "a" * 500 + ".fi",
]

NOT_CONTACTS = [
    "2023-01-15",
    "15.01.2023",
    "1.1.2023–31.12.2025",
    "vuosina 2019-2022 ja 2023-2025",
    "2021 – 2023",
    "611/2021",
    "laki 612/2021 6–7 §",
    "672/00.04.01/2023",
    "HE 241/2020 vp",
    "15100 Lahti",
    "00100 Helsinki",
    "119 951 asukasta",
    "väestöpohja 127 000; henkilöstö noin 5 500",
    "Kannus 5 386 – Lestijärvi 713",
    "Y-tunnus 0123456-7",
    "klo 09.00-12.00",
    "0,5 milj. euroa",
    "kunnat 091, 049, 092",
    "a@b",
    "@example.fi",
]


@pytest.mark.parametrize("text", CONTACTS)
def test_contact_details_are_caught(text: str) -> None:
    assert EMAIL.search(text) or PHONE.search(text), text


@pytest.mark.parametrize("text", NOT_CONTACTS)
def test_dates_laws_records_codes_and_figures_are_not_contacts(text: str) -> None:
    assert not EMAIL.search(text) and not PHONE.search(text), text


ADVERSARIAL = {
    "a long word run": "a" * 100_000,
    "a word run then @": "a" * 100_000 + "@",
    "@ then a word run": "x@" + "a" * 100_000,
    "many dots": "a." * 50_000,
    "many @": "@" * 100_000,
    "many a@": "a@" * 50_000,
    "many (at)": "a(at)" * 20_000,
    "domains without a dot": ("a" * 999 + "@") * 100,
    "digit runs with spaces": "0 " * 50_000,
    "358 runs": "358 " * 25_000,
    "a digit run": "0" * 100_000,
    "+358 (0) runs": "+358 (0)" * 12_500,
    "digits and hyphens": "040-" * 25_000,
    "Finnish letters": "äö" * 50_000,
    "mixed-script words": "Lаhti " * 17_000,
    "zero-width spaces": "\u200b" * 100_000,
}


def test_text_checks_are_linear_on_adversarial_input() -> None:
    """Each of these took seconds to minutes with the old e-mail pattern; all together now well under 2 s."""
    graph = Graph()
    start = time.perf_counter()
    for i, text in enumerate(ADVERSARIAL.values()):
        assert len(text) >= 100_000
        EMAIL.search(text)
        PHONE.search(text)
        invisible_character(text)
        mixed_script_word(text)
        graph.add((URIRef(f"https://example.org/n{i}"), URIRef("https://example.org/p"), Literal(text)))
    parsed = [Parsed("adversarial", graph, lambda node: Location("adversarial", node=node))]
    privacy_violations(parsed)
    literal_violations(parsed)
    elapsed = time.perf_counter() - start
    assert elapsed < 2.0, f"{elapsed:.2f} s"


def test_no_hits_in_the_bundled_data() -> None:
    parsed = [_read(source) for source in discover(bundled_paths())]
    assert sum(len(p.graph) for p in parsed) > 5000
    assert privacy_violations(parsed) == []
    assert literal_violations(parsed) == []


def test_a_long_literal_with_an_address_is_refused_fast(base_store: Store, tmp_path: Path) -> None:
    path = _network_with(tmp_path, "long.ttl", '"' + "a" * 90_000 + ' etunimi.sukunimi@example.fi"@fi')
    start = time.perf_counter()
    with pytest.raises(ValidationError) as info:
        ingest(base_store, [path])
    assert time.perf_counter() - start < 10
    assert {v.rule for v in info.value.violations} == {RULE_PRIVACY}


# -- 2. invisible characters and mixed scripts ---------------------------------------------------------------------

INVISIBLES = [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
              0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F]


@pytest.mark.parametrize("code", INVISIBLES, ids=lambda c: f"U+{c:04X}")
def test_invisible_characters_are_named_with_their_position(code: int) -> None:
    problem = invisible_character(f"Lahti{chr(code)}kunta")
    assert problem is not None
    assert f"U+{code:04X}" in problem and "character 6" in problem


@pytest.mark.parametrize("word, odd", [("Lаhti", "U+0430"), ("Εspoo", "U+0395"), ("Kuopiо", "U+043E")])
def test_words_mixing_scripts_are_named(word: str, odd: str) -> None:
    problem = mixed_script_word(f"Kunta {word} ja muut")
    assert problem is not None and word in problem and odd in problem and "character 7" in problem


@pytest.mark.parametrize("text", [
    "Päijät-Häme", "Åland", "Ærøskøbing", "Straße", "naïve café", "La\u0308hti", "Москва", "Αθήνα",
    "Jyväskylä – Москва – Αθήνα", "5 µg", "COVID-19",
])
def test_one_script_per_word_is_fine(text: str) -> None:
    assert mixed_script_word(text) is None
    assert invisible_character(text) is None


@pytest.mark.parametrize("label, rule, needle", [
    ('"Testin\u200bverkosto"@fi', RULE_INVISIBLE, "U+200B"),
    ('"Testin \u202everkosto"@fi', RULE_INVISIBLE, "U+202E"),
    ('"Testin verkosto\ufeff"@fi', RULE_INVISIBLE, "U+FEFF"),
    ('"Lаhden verkosto"@fi', RULE_SCRIPTS, "U+0430"),
])
def test_labels_with_hidden_or_lookalike_letters_are_refused(
    base_store: Store, tmp_path: Path, label: str, rule: str, needle: str
) -> None:
    path = _network_with(tmp_path, "label.ttl", label)
    before = _snapshot(base_store)
    with pytest.raises(ValidationError) as info:
        ingest(base_store, [path])
    [hit] = [v for v in info.value.violations if v.rule == rule]
    assert needle in hit.message
    assert hit.location.file == str(path) and hit.location.line == NETWORK_LINE and hit.location.node == NETWORK
    assert _snapshot(base_store) == before


# -- 3. JSON-LD contexts are never fetched ---------------------------------------------------------------------------

LEAK = "http://leak.example/SECRET-7f3a#"
DOC = {"@id": "https://example.org/a", "name": "x"}


@pytest.fixture
def listener() -> Iterator[tuple[str, list[object]]]:
    """A loopback HTTP server that would serve a context; the list collects every connection it receives."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.05)
    hits: list[object] = []
    stop = threading.Event()
    body = json.dumps({"@context": {"name": LEAK + "name"}}).encode()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, addr = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            hits.append(addr)
            with conn:
                conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/ld+json\r\n\r\n" + body)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", hits
    stop.set()
    thread.join()
    server.close()


REMOTE_FORMS: dict[str, Callable[[str], dict]] = {
    "a URL": lambda url: {"@context": url, **DOC},
    "a URL in a list": lambda url: {"@context": [{"x": "https://example.org/x"}, url], **DOC},
    "@import": lambda url: {"@context": {"@import": url, "x": "https://example.org/x"}, **DOC},
    "a scoped context": lambda url: {
        "@context": {"p": {"@id": "https://example.org/p", "@context": url}},
        "@id": "https://example.org/a", "p": {"name": "x"},
    },
    "a node's own context": lambda url: {"@graph": [{"@context": url, **DOC}]},
    "a context wrapped twice": lambda url: {"@context": {"@context": [url]}, **DOC},
    "a nested node's context": lambda url: {
        "@id": "https://example.org/a", "https://example.org/p": [{"@context": url, "name": "x"}],
    },
}


@pytest.mark.parametrize("form", sorted(REMOTE_FORMS))
def test_remote_contexts_are_refused_without_a_connection(listener: tuple[str, list[object]], form: str) -> None:
    base, hits = listener
    url = f"{base}/context.jsonld"
    with pytest.raises(InputError) as info:
        parse_jsonld(json.dumps(REMOTE_FORMS[form](url)), base_iri=None, where="upload")
    assert url in str(info.value) or "inline" in str(info.value)
    assert "SECRET" not in str(info.value)
    assert hits == []


def test_a_relative_context_is_not_resolved_against_the_base(listener: tuple[str, list[object]]) -> None:
    base, hits = listener
    doc = json.dumps({"@context": "context.jsonld", **DOC})
    with pytest.raises(InputError, match="context.jsonld"):
        parse_jsonld(doc, base_iri=f"{base}/doc.jsonld", where="upload")
    assert hits == []


def test_a_file_context_is_never_read(base_store: Store, tmp_path: Path) -> None:
    secret = tmp_path / "context.jsonld"
    secret.write_text(json.dumps({"@context": {"name": LEAK + "name"}}), encoding="utf-8")
    before = _snapshot(base_store)
    for i, ref in enumerate([secret.as_uri(), "context.jsonld", str(secret)]):
        doc = tmp_path / f"doc{i}.jsonld"
        doc.write_text(json.dumps({"@context": ref, **DOC}), encoding="utf-8")
        with pytest.raises(InputError) as info:
            ingest(base_store, [doc])
        assert ref in str(info.value) and "SECRET" not in str(info.value)
        assert info.value.location is not None and info.value.location.file == str(doc)
    assert _snapshot(base_store) == before


def test_a_bundled_context_is_read_from_its_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    local = tmp_path / "bundled.jsonld"
    local.write_text(json.dumps({"@context": {"name": "https://example.org/vocab#name"}}), encoding="utf-8")
    monkeypatch.setitem(jsonld.BUNDLED_CONTEXTS, "https://example.org/context", local)
    for ctx in ("https://example.org/context", {"@import": "https://example.org/context"},
                ["https://example.org/context"]):
        graph = parse_jsonld(json.dumps({"@context": ctx, **DOC}), base_iri=None, where="upload")
        assert (URIRef("https://example.org/a"), URIRef("https://example.org/vocab#name"), Literal("x")) in graph


def test_the_importing_context_wins_over_the_imported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    local = tmp_path / "bundled.jsonld"
    local.write_text(json.dumps({"@context": {"name": "https://example.org/vocab#name"}}), encoding="utf-8")
    monkeypatch.setitem(jsonld.BUNDLED_CONTEXTS, "https://example.org/context", local)
    ctx = {"@import": "https://example.org/context", "name": "https://example.org/own#name"}
    graph = parse_jsonld(json.dumps({"@context": ctx, **DOC}), base_iri=None, where="upload")
    assert list(graph.predicates()) == [URIRef("https://example.org/own#name")]


def test_inline_contexts_and_top_level_arrays_still_work() -> None:
    doc = [{"@context": {"name": "https://example.org/vocab#name"}, **DOC}]
    graph = parse_jsonld(json.dumps(doc), base_iri=None, where="upload")
    assert len(graph) == 1


def test_without_a_base_a_relative_iri_is_refused_not_resolved_against_the_working_folder() -> None:
    doc = json.dumps({"@id": "relative", "https://example.org/p": "v"})
    with pytest.raises(InputError, match="relative IRI 'relative'"):
        parse_jsonld(doc, base_iri=None, where="upload")
    graph = parse_jsonld(doc, base_iri="https://example.org/graph/", where="upload")
    assert next(iter(graph.subjects())) == URIRef("https://example.org/graph/relative")


def _nested(depth: int) -> dict:
    node: dict = {"@id": "https://example.org/leaf", "https://example.org/p": "v"}
    for _ in range(depth - 1):
        node = {"https://example.org/p": node}
    return node


def test_nesting_is_capped_with_a_clean_error() -> None:
    assert len(parse_jsonld(json.dumps(_nested(MAX_DEPTH)), base_iri=None, where="upload")) == MAX_DEPTH
    for text in (json.dumps(_nested(MAX_DEPTH + 1)), "[" * 100_000 + "]" * 100_000, '{"a":' * 100_000):
        with pytest.raises(InputError, match="nests deeper|not valid JSON"):
            parse_jsonld(text, base_iri=None, where="upload")


def test_json_that_python_refuses_is_an_input_error() -> None:
    for text in ('{"https://example.org/p": ' + "1" * 5000 + "}", '"just a string"', b"\xff\xfe{}"):
        with pytest.raises(InputError):
            parse_jsonld(text, base_iri=None, where="upload")


# -- 4. byte order marks ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["network.ttl", "network.nt", "network.jsonld"])
def test_a_leading_bom_is_accepted(base_store: Store, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + (DATA / name).read_bytes())
    [outcome] = ingest(base_store, [path]).outcomes
    assert outcome.status == "new" and outcome.triples == 14


def test_line_numbers_stay_right_after_a_bom(base_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    lines = NETWORK_TTL.splitlines()
    lines[NETWORK_LINE] = '    skos:prefLabel "unterminated ;'
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode())
    with pytest.raises(InputError) as info:
        ingest(base_store, [path])
    assert info.value.location is not None and info.value.location.line == NETWORK_LINE + 1


# -- 5. ill-typed literals ---------------------------------------------------------------------------------------------

def test_an_invalid_date_is_a_violation_not_a_traceback(
    base_store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = _network_dated(tmp_path, "date.ttl", "2023-13-45")
    with caplog.at_level(logging.DEBUG), pytest.raises(ValidationError) as info:
        ingest(base_store, [path])
    [hit] = [v for v in info.value.violations if v.rule == RULE_DATATYPE]
    assert hit.location.file == str(path) and hit.location.line == NETWORK_LINE and hit.location.node == NETWORK
    assert hit.value == "2023-13-45" and "xsd:date" in hit.message and hit.path == "yhd:validFrom"
    assert not [r for r in caplog.records if "Failed to convert" in r.getMessage()]


def test_an_invalid_date_in_the_template_names_the_row(base_store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "template"
    folder.mkdir()
    (folder / "networks.csv").write_text("id,label_fi,themes,valid_from\nx,X,national/hyte,2024-13-40\n")
    with pytest.raises(InputError) as info:
        ingest(base_store, [folder])
    assert info.value.location is not None and info.value.location.row == 2 and "2024-13-40" in str(info.value)


# -- 6. huge literals and damaged workbooks -------------------------------------------------------------------------

def test_a_huge_literal_is_refused_before_the_shapes(base_store: Store, tmp_path: Path) -> None:
    size = MAX_LITERAL_CHARS + 50_000
    path = _network_with(tmp_path, "huge.ttl", '"' + "a" * size + '"@fi')
    start = time.perf_counter()
    with pytest.raises(ValidationError) as info:
        ingest(base_store, [path])
    assert time.perf_counter() - start < 10
    [hit] = info.value.violations  # the shapes did not run
    assert hit.rule == RULE_SIZE and f"{size:,}" in hit.message and hit.location.node == NETWORK


def test_a_literal_over_the_parser_limit_is_an_input_error(base_store: Store, tmp_path: Path) -> None:
    path = _network_with(tmp_path, "giant.ttl", '"' + "a" * (17 * 1024 * 1024) + '"@fi')
    with pytest.raises(InputError, match="too large"):
        ingest(base_store, [path])


def _workbook(tmp_path: Path) -> Path:
    path = tmp_path / "template.xlsx"
    csv_folder_to_xlsx(DATA / "template", path)
    return path


def _damaged_sheet(tmp_path: Path) -> Path:
    """A valid zip whose memberships sheet XML is cut in half (openpyxl fails while reading rows)."""
    good = _workbook(tmp_path)
    bad = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data[: len(data) // 2] if name == "xl/worksheets/sheet4.xml" else data)
    return bad


def test_a_truncated_workbook_is_an_input_error(base_store: Store, tmp_path: Path) -> None:
    data = _workbook(tmp_path).read_bytes()
    for cut in (0.3, 0.9, 0.99):
        path = tmp_path / f"truncated-{cut}.xlsx"
        path.write_bytes(data[: int(len(data) * cut)])
        with pytest.raises(InputError) as info:
            ingest(base_store, [path])
        assert info.value.location is not None and info.value.location.file == str(path)


def test_a_damaged_sheet_names_the_sheet(base_store: Store, tmp_path: Path) -> None:
    path = _damaged_sheet(tmp_path)
    with pytest.raises(InputError) as info:
        ingest(base_store, [path])
    assert info.value.location is not None and info.value.location.file == f"{path}[memberships]"
    assert info.value.location.row is not None


# -- the real CLI on each bad file --------------------------------------------------------------------------------

def _bad_files(folder: Path, context_server: str) -> dict[str, Path]:
    def text(name: str, body: str) -> Path:
        (folder / name).write_text(body, encoding="utf-8")
        return folder / name

    secret = text("context.jsonld", json.dumps({"@context": {"name": LEAK + "name"}}))
    files = {
        "zero-width": _network_with(folder, "zero-width.ttl", '"Testin\u200bverkosto"@fi'),
        "bidi": _network_with(folder, "bidi.ttl", '"Testin \u202everkosto"@fi'),
        "mixed-script": _network_with(folder, "mixed.ttl", '"Lаhden verkosto"@fi'),
        "contact-after-long-run": _network_with(folder, "contact.ttl", '"' + "a" * 90_000 + ' x@example.fi"@fi'),
        "ill-typed": _network_dated(folder, "date.ttl", "2023-13-45"),
        "huge-literal": _network_with(folder, "huge.ttl", '"' + "a" * (MAX_LITERAL_CHARS + 1) + '"@fi'),
        "giant-token": _network_with(folder, "giant.ttl", '"' + "a" * (17 * 1024 * 1024) + '"@fi'),
        "not-utf8": folder / "latin1.ttl",
        "remote-context": text("remote.jsonld", json.dumps({"@context": f"{context_server}/ctx", **DOC})),
        "file-context": text("file.jsonld", json.dumps({"@context": secret.as_uri(), **DOC})),
        "deep-json": text("deep.jsonld", "[" * 100_000 + "]" * 100_000),
        "huge-number": text("number.jsonld", '{"https://example.org/p": ' + "1" * 5000 + "}"),
        "truncated-xlsx": folder / "truncated.xlsx",
        "damaged-xlsx": _damaged_sheet(folder),
    }
    files["not-utf8"].write_bytes(NETWORK_TTL.replace(LABEL, '"Päijät-Häme"@fi').encode("latin-1"))
    files["truncated-xlsx"].write_bytes(_workbook(folder).read_bytes()[:4000])
    return files


@pytest.fixture
def cli_home(base_store_dir: Path, tmp_path: Path) -> Path:
    """A YHDYSPINTA_HOME holding a copy of the base store."""
    home = tmp_path / "home"
    shutil.copytree(base_store_dir, home / "store")
    return home


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "YHDYSPINTA_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "yhdyspinta", *args], env=env, capture_output=True, text=True,
                          timeout=300, cwd=ROOT)


def _store_state(home: Path) -> tuple[bytes, list[object]]:
    with Store(home / "store") as store:
        return _snapshot(store), store.sources()


def test_the_cli_refuses_every_bad_file_cleanly(
    cli_home: Path, tmp_path: Path, listener: tuple[str, list[object]]
) -> None:
    server, hits = listener
    folder = tmp_path / "bad"
    folder.mkdir()
    before = _store_state(cli_home)
    for case, path in _bad_files(folder, server).items():
        result = _cli(cli_home, "ingest", str(path))
        output = result.stdout + result.stderr
        assert result.returncode in (2, 3), (case, output[-2000:])
        assert "Traceback" not in output, (case, output[-2000:])
        assert result.stderr.lstrip().startswith("error:"), (case, output[-2000:])
        assert "SECRET" not in output, case
        assert _store_state(cli_home) == before, case
    assert hits == []


def test_the_cli_accepts_a_bom(cli_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "network.ttl"
    path.write_bytes(b"\xef\xbb\xbf" + (DATA / "network.ttl").read_bytes())
    result = _cli(cli_home, "ingest", str(path))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "1 source(s) written" in result.stderr


def test_the_cli_prints_brackets_in_messages_as_text(cli_home: Path, tmp_path: Path) -> None:
    damaged = _cli(cli_home, "ingest", str(_damaged_sheet(tmp_path)))
    assert "[memberships]" in damaged.stderr, damaged.stderr
    missing = _cli(cli_home, "ingest", str(tmp_path / "no[/b]such.ttl"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr and "no[/b]such.ttl" in missing.stderr
