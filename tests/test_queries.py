"""The SPARQL of the embedded back end and of the store, kept in .rq/.ru files (graph/store/sparql.py).

Every file parses and runs (on an empty store, its slots filled and its variables bound),
every file is used by its package and listed as package data, no module builds SPARQL in an
f-string, and the slots take RDF terms only.
"""

from __future__ import annotations

import ast
import fnmatch
import re
import tomllib
from pathlib import Path

import pyoxigraph as ox
import pytest

from yhdyspinta.errors import QueryError
from yhdyspinta.graph.store.sparql import fill, iri, load_fragment, load_query, slots
from yhdyspinta.graph.store.store import GraphWrite, SourceRecord, Store
from yhdyspinta.ontology.namespaces import NAMESPACES

ROOT = Path(__file__).resolve().parents[1]
#: source folder -> a module of its package (load_query takes a module's name)
PACKAGES = {
    ROOT / "graph" / "backends" / "embedded": "yhdyspinta.graph.backends.embedded.backend",
    ROOT / "graph" / "store": "yhdyspinta.graph.store.store",
    ROOT / "graph" / "sync": "yhdyspinta.graph.sync.sync",
}
DUMMY = ox.NamedNode("urn:yhdyspinta:test")
INCLUDE = re.compile(r"^\s*#include\s+([\w-]+)", re.M)
OPTIONAL_PART = re.compile(r"^\s*#if\s+([\w-]+)", re.M)
BIND = re.compile(r"^\s*#bind((?:\s+\?\w+)*)\s*$", re.M)


def _statements() -> list[tuple[Path, str, Path]]:
    """(package folder, module, file) for every statement file (fragments aside)."""
    return [(folder, module, path) for folder, module in PACKAGES.items()
            for path in sorted((folder / "queries").glob("*.r[qu]"))]


def _loaded(path: Path) -> set[str]:
    """The statements a module loads: the names in its calls ``load_query(__name__, "name", ...)``."""
    return {node.args[1].value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "load_query"
            and len(node.args) >= 2 and isinstance(node.args[0], ast.Name) and node.args[0].id == "__name__"
            and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)}


def _fragments(folder: Path) -> list[Path]:
    return sorted((folder / "queries" / "fragments").glob("*.rq"))


def _parts(folder: Path, text: str, seen: frozenset[str] = frozenset()) -> set[str]:
    """The optional parts of a statement, those of the fragments it includes too."""
    found = set(OPTIONAL_PART.findall(text))
    for name in set(INCLUDE.findall(text)) - seen:
        fragment = (folder / "queries" / "fragments" / f"{name}.rq").read_text(encoding="utf-8")
        found |= _parts(folder, fragment, seen | {name})
    return found


def _bound(text: str) -> dict[str, ox.NamedNode]:
    return {v.lstrip("?"): DUMMY for line in BIND.findall(text) for v in line.split()}


def _run(text: str, bind: dict[str, ox.NamedNode], *, update: bool) -> None:
    """``text`` run on an empty store, each slot given the dummy term (twice in a query, where
    slots are VALUES lists), each variable of its ``#bind`` lines bound (so each is projected)."""
    filled = fill(text, **{name: DUMMY if update else [DUMMY, DUMMY] for name in slots(text)})
    if update:
        ox.Store().update(filled, prefixes=dict(NAMESPACES))
    else:
        result = Store(None).query(filled, bind=bind)
        list(result) if not isinstance(result, ox.QueryBoolean) else bool(result)


STATEMENTS = _statements()


@pytest.mark.parametrize(("folder", "module", "path"), STATEMENTS, ids=[p.name for _f, _m, p in STATEMENTS])
def test_every_statement_parses_and_runs(folder: Path, module: str, path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    parts = _parts(folder, source)
    for keep in ([], sorted(parts), *([p] for p in sorted(parts))):
        text = load_query(module, path.stem, *keep)
        _run(text, _bound(source), update=path.suffix == ".ru")


@pytest.mark.parametrize(("folder", "module", "path"),
                         [(f, m, p) for f, m in PACKAGES.items() for p in _fragments(f)],
                         ids=lambda x: x.name if isinstance(x, Path) else "")
def test_every_fragment_parses_as_a_graph_pattern(folder: Path, module: str, path: Path) -> None:
    params, text = load_fragment(module, path.stem)
    assert all(p.startswith("?") for p in params)
    lines = [line for line in text.splitlines()
             if not re.match(r"\s*#(if|end)\b", line)]  # every optional part kept
    body = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    names = slots(body)
    Store(None).select("SELECT * WHERE {\n" + fill(body, **{n: [DUMMY] for n in names}) + "\n}")


def test_every_file_is_used_and_every_use_has_its_file() -> None:
    for folder in PACKAGES:
        used = {name for p in folder.glob("*.py") for name in _loaded(p)}
        files = {p.stem for p in (folder / "queries").glob("*.r[qu]")}
        assert used == files, f"{folder.name}: files not used {sorted(files - used)}, uses without a file {sorted(used - files)}"
        texts = [p.read_text(encoding="utf-8") for p in (folder / "queries").rglob("*.rq")]
        included = {name for t in texts for name in INCLUDE.findall(t)}
        fragments = {p.stem for p in _fragments(folder)}
        assert included == fragments, f"{folder.name}: fragments not included {sorted(fragments - included)}, " \
                                      f"includes without a file {sorted(included - fragments)}"


def test_the_files_are_package_data() -> None:
    """pyproject.toml lists every statement file, so that an installed package has them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    data, dirs = config["package-data"], config["package-dir"]
    for folder, module in PACKAGES.items():
        package = module.rpartition(".")[0]
        top = next(p for p in sorted(dirs, key=len, reverse=True) if package == p or package.startswith(p + "."))
        assert folder == ROOT / dirs[top] / Path(*package.removeprefix(top).lstrip(".").split("."))
        for path in (folder / "queries").rglob("*.r[qu]"):
            rel = path.relative_to(folder).as_posix()
            assert any(fnmatch.fnmatch(rel, pattern) for pattern in data.get(package, [])), f"{package}: {rel}"


SPARQL = re.compile(r"\b(SELECT|CONSTRUCT|DESCRIBE|ASK|INSERT|DELETE|DROP|MOVE|FILTER|OPTIONAL|VALUES|PREFIX)\b"
                    r"|WHERE\s*\{|\{\s*\?\w+")


@pytest.mark.parametrize("path", [p for f in PACKAGES for p in sorted(f.glob("*.py"))], ids=lambda p: p.name)
def test_no_sparql_in_f_strings(path: Path) -> None:
    """SPARQL lives in the .rq files: no module builds it in an f-string (where a value would be pasted)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
            assert not SPARQL.search(text), f"{path.name}:{node.lineno}: SPARQL in an f-string: {text!r}"


def test_the_ast_check_finds_sparql_in_an_f_string() -> None:
    tree = ast.parse('q = f"SELECT ?s WHERE {{ ?s ?p <{iri}> }}"')
    node = next(n for n in ast.walk(tree) if isinstance(n, ast.JoinedStr))
    assert SPARQL.search("".join(v.value for v in node.values if isinstance(v, ast.Constant)))


# -- filling slots -----------------------------------------------------------

HOSTILE = 'a"b\\c\nd\re\tf } . ?s ?p ?o # $x <http://x> \'\'\' """ \u2028 \U0001F600'


def test_fill_writes_terms_that_read_back_as_they_were() -> None:
    text = fill("SELECT ?v WHERE { VALUES ?v { $values } }", values=[ox.Literal(HOSTILE), ox.Literal("x", language="fi"),
                                                                   ox.NamedNode("http://example.org/a?b=c#d")])
    got = [s["v"] for s in Store(None).query(text)]
    assert got == [ox.Literal(HOSTILE), ox.Literal("x", language="fi"), ox.NamedNode("http://example.org/a?b=c#d")]


def test_fill_takes_terms_only_and_every_slot() -> None:
    query = "SELECT ?v WHERE { VALUES ?v { $values } }"
    with pytest.raises(TypeError):
        fill(query, values="<http://example.org/a>")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        fill(query, values=["<http://example.org/a>"])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        fill(query, values=ox.BlankNode())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="slots"):
        fill(query)
    with pytest.raises(ValueError, match="slots"):
        fill(query, values=DUMMY, other=DUMMY)
    assert fill(query, values=[]) == "SELECT ?v WHERE { VALUES ?v {  } }"


def test_an_unfilled_slot_does_not_run() -> None:
    with pytest.raises(QueryError):
        Store(None).select(load_query("yhdyspinta.graph.backends.embedded.backend", "themes"))


@pytest.mark.parametrize("text", ["http://example.org/a> . ?s ?p <http://x", "no scheme", "http://a b", ""])
def test_iri_refuses_what_is_not_an_iri(text: str) -> None:
    with pytest.raises(QueryError):
        iri(text)


def test_includes_rename_their_parameters_and_parts_are_kept_only_when_asked() -> None:
    module = "yhdyspinta.graph.backends.embedded.backend"
    with_region = load_query(module, "memberships", "region")
    without = load_query(module, "memberships")
    assert "?s yhd:inRegion ?in_region" in with_region and "?in_region ." not in without
    assert "?s yhd:validFrom ?alive_from" in without and "?m yhd:validFrom ?alive_from" in without
    assert "?this" not in without and "#" not in "".join(line.lstrip()[:1] for line in without.splitlines())
    with pytest.raises(ValueError, match="no optional part"):
        load_query(module, "memberships", "regoin")
    params, _text = load_fragment(module, "coverage_path")
    assert params == ("?from", "?to")
    assert "?t (skos:broader" in load_query(module, "coverers")


def test_the_store_binds_values() -> None:
    store = Store(None)
    triple = f"<http://e/a> <http://e/p> {ox.Literal(HOSTILE)} .\n".encode()
    record = SourceRecord("http://e/g", HOSTILE, HOSTILE, 1, "2024-01-01T00:00:00Z")
    store.replace_graphs([GraphWrite("http://e/g", triple, record, added=1)])
    assert store.sources() == [record] and len(store) == 1
    assert [(e.path, e.sha256, e.added) for e in store.history("http://e/g")] == [(HOSTILE, HOSTILE, 1)]
    rows = store.select("SELECT ?s ?o WHERE { ?s <http://e/p> ?o }", {"o": ox.Literal(HOSTILE)})
    assert rows == [{"s": "http://e/a", "o": HOSTILE}]
    assert store.select("SELECT ?s ?o WHERE { ?s <http://e/p> ?o }", {"o": ox.Literal("x")}) == []
    with pytest.raises(TypeError):
        store.select("SELECT ?s ?o WHERE { ?s <http://e/p> ?o }", {"o": HOSTILE})  # type: ignore[dict-item]
