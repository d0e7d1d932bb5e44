"""The Cypher statements are files: each one used, each one accepted by the server, none left in Python.

The Neo4j back end (``graph/backends/neo4j/``) and the sync (``graph/sync/``) keep every
statement as a ``queries/<name>.cypher`` file beside the module that runs it, loaded by
``yhdyspinta.graph.backends.neo4j.cypher`` with every value a parameter. Labels and
relationship types, which cannot be parameters, go into templates only through
``identifier()``; hostile names are refused here.
"""

from __future__ import annotations

import ast
import fnmatch
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from yhdyspinta.errors import Neo4jError
from yhdyspinta.graph.backends.neo4j.connect import Target
from yhdyspinta.graph.backends.neo4j.cypher import (
    PLACEHOLDER,
    fill,
    identifier,
    label_clause,
    statement,
    template,
)
from yhdyspinta.graph.sync.mapping import NodeRecord, RelRecord
from yhdyspinta.graph.sync.write import check_names

ROOT = Path(__file__).resolve().parents[1]
#: source folder -> the package it installs as
PACKAGES = {ROOT / "graph" / "backends" / "neo4j": "yhdyspinta.graph.backends.neo4j",
            ROOT / "graph" / "sync": "yhdyspinta.graph.sync"}
LOADERS = {"statement", "template"}
#: What a Cypher statement in Python would contain (upper case, as the project writes Cypher).
CYPHER_WORDS = re.compile(r"\b(MATCH|MERGE|RETURN|UNWIND|CREATE|DELETE|REMOVE)\b")
CYPHER_START = re.compile(r"^\s*(MATCH|OPTIONAL MATCH|MERGE|CREATE|UNWIND|WITH|RETURN|CALL|DELETE|DETACH)\b")


def cypher_files() -> dict[tuple[Path, str], Path]:
    """(package folder, statement name) -> file."""
    return {
        (folder, path.stem): path
        for folder in PACKAGES
        for path in sorted((folder / "queries").rglob("*"))
        if path.is_file() and not path.name.startswith(".") and path.suffix not in (".rq", ".ru")  # SPARQL: test_queries
    }


FILES = cypher_files()


def modules() -> list[Path]:
    return sorted(path for folder in PACKAGES for path in folder.rglob("*.py"))


def loads(path: Path) -> list[tuple[str, str, int]]:
    """(loader, statement name, line) of each ``statement(__name__, "x")`` / ``template(...)`` in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name not in LOADERS:
            continue
        args = node.args
        assert len(args) == 2 and isinstance(args[0], ast.Name) and args[0].id == "__name__" \
            and isinstance(args[1], ast.Constant) and isinstance(args[1].value, str), (
                f"{path.relative_to(ROOT)}:{node.lineno}: load statements as {name}(__name__, \"name\")"
            )
        found.append((name, args[1].value, node.lineno))
    return found


def test_the_statements_are_files_in_queries_folders() -> None:
    assert len(FILES) > 40
    for (_folder, _name), path in FILES.items():
        assert path.suffix == ".cypher" and path.parent.name == "queries", path.relative_to(ROOT)


def test_every_cypher_file_is_used_and_every_use_has_its_file() -> None:
    used: dict[tuple[Path, str], str] = {}
    for path in modules():
        folder = next(f for f in PACKAGES if path.is_relative_to(f))
        for loader, name, line in loads(path):
            where = f"{path.relative_to(ROOT)}:{line}"
            assert (folder, name) in FILES, f"{where}: {loader}() of {name!r}, but there is no queries/{name}.cypher"
            is_template = bool(PLACEHOLDER.search(FILES[folder, name].read_text(encoding="utf-8")))
            assert is_template == (loader == "template"), f"{where}: {name}.cypher is loaded with {loader}()"
            used[folder, name] = where
    unused = sorted(str(p.relative_to(ROOT)) for key, p in FILES.items() if key not in used)
    assert not unused, f"no module loads {unused}"


def test_the_cypher_files_are_package_data() -> None:
    """pyproject.toml ships every file, so that an installed package finds them."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]
    for (folder, _name), path in FILES.items():
        patterns = data.get(PACKAGES[folder], [])
        relative = path.relative_to(folder).as_posix()
        assert any(fnmatch.fnmatch(relative, p) for p in patterns), f"{relative} not in package-data of {PACKAGES[folder]}"


def is_docstring(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    expr = parents.get(node)
    owner = parents.get(expr) if isinstance(expr, ast.Expr) else None
    return isinstance(owner, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) \
        and bool(owner.body) and owner.body[0] is expr


def cypher_in_python(source: str) -> list[tuple[int, str]]:
    """(line, text) of each f-string with MATCH, MERGE, RETURN (or UNWIND, CREATE, DELETE,
    REMOVE), and of each other string (docstrings aside) that is a Cypher statement."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
            if CYPHER_WORDS.search(text):
                found.append((node.lineno, text))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and not isinstance(parents.get(node), ast.JoinedStr) and not is_docstring(node, parents):
            if CYPHER_START.search(node.value) or CYPHER_WORDS.search(node.value):
                found.append((node.lineno, node.value))
    return found


def test_the_check_finds_cypher_in_python() -> None:
    snippet = '''
"""A docstring may say MATCH and RETURN."""
def f(label, region):
    """So may this one: MERGE."""
    a = f"MATCH (n:{label}) RETURN n"
    b = f"UNWIND $rows AS row MERGE (n {{uri: row}}) SET n:{label}"
    c = "MATCH (n) WHERE n.uri = $uri RETURN n"
    d = "OPTIONAL MATCH (n)-[r]->(m) " "DELETE r"
    e = f"UNWIND $rows AS row CREATE (n{label}) SET n = row"
    g = f"no cypher in {region}"
    h = "Neo4j holds no synced data: run `yhdyspinta neo4j sync`"
'''
    assert [line for line, _text in cypher_in_python(snippet)] == [5, 6, 7, 8, 9]


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_cypher_statement_in_python(path: Path) -> None:
    found = cypher_in_python(path.read_text(encoding="utf-8"))
    assert not found, f"{path.relative_to(ROOT)}: Cypher belongs in queries/*.cypher: {found}"


# --- names of labels and relationship types -------------------------------------------------

HOSTILE = [
    "", " ", "a b", "a`b", "`", "``", "Forum`) DETACH DELETE n //", "x`]->() MATCH (m) DETACH DELETE m //",
    "a\nb", "a\rb", "a\tb", "a\x00b", "a\u2028b", "a\u200bb", "{{labels}}", "{{type}}", "a{b}", "a[0]", "a|b",
    "a\\b", 'a"b', "a<b>", "a^b", "Label:`x`", "\uff40", "Forum\n// comment", "`Forum`",
]
#: Local names of IRIs the store takes, some of them odd: the sync wrote them before, it must still.
ACCEPTED = ["Forum", "hasMember", "prefLabel_fi", "has-member", "x%C3%A4", "Yhteistyöryhmä", "2024", "_x",
            "w~e(i)r'd", "a.b", "name@fi", "e\u0301", "a/b", "a:b", "a?b=c"]


@pytest.mark.parametrize("name", HOSTILE, ids=repr)
def test_identifier_refuses_a_hostile_name(name: str) -> None:
    with pytest.raises(ValueError, match="not a name for a Neo4j label or relationship type"):
        identifier(name)
    with pytest.raises(ValueError):
        label_clause(["Forum", name])
    with pytest.raises(Neo4jError, match="cannot write"):
        check_names([NodeRecord("urn:x", ("Forum", name), {})], [])
    with pytest.raises(Neo4jError, match="cannot write"):
        check_names([], [RelRecord("urn:x", name, "urn:y", ("urn:g",))])


@pytest.mark.parametrize("value", [None, 1, b"Forum", ["Forum"]], ids=repr)
def test_identifier_refuses_what_is_not_text(value: Any) -> None:
    with pytest.raises(ValueError):
        identifier(value)


@pytest.mark.parametrize("name", ACCEPTED)
def test_identifier_quotes_a_name(name: str) -> None:
    assert identifier(name) == f"`{name}`"
    check_names([NodeRecord("urn:x", (name,), {})], [RelRecord("urn:x", name, "urn:y", ("urn:g",))])


def templates() -> list[tuple[str, str]]:
    return [(PACKAGES[folder] + ".x", name) for (folder, name), path in FILES.items()
            if PLACEHOLDER.search(path.read_text(encoding="utf-8"))]


def filled(module: str, name: str, labels: list[str], rel_type: str) -> str:
    text = template(module, name)
    wanted = set(PLACEHOLDER.findall(text))
    return fill(text, labels=labels if "labels" in wanted else None,
                rel_type=rel_type if "type" in wanted else None)


@pytest.mark.parametrize(("module", "name"), templates(), ids=lambda v: v.rsplit(".", 1)[0])
def test_a_template_takes_only_checked_names(module: str, name: str) -> None:
    text = filled(module, name, ["Forum", "has-member"], "has-member")
    assert "{{" not in text and ("`Forum`" in text or "`has-member`" in text)
    for hostile in HOSTILE:
        with pytest.raises(ValueError):
            filled(module, name, ["Forum", hostile], hostile)
    raw = template(module, name)
    with pytest.raises(ValueError, match="wants"):
        fill(raw)  # every placeholder must be given
    with pytest.raises(ValueError, match="wants"):
        fill(raw, labels=["A"], rel_type="B")  # and only those
    with pytest.raises(ValueError, match="is a template"):
        statement(module, name)


def test_a_plain_statement_is_not_a_template() -> None:
    with pytest.raises(ValueError, match="not a template"):
        template("yhdyspinta.graph.backends.neo4j.backend", "regions")


# --- the server accepts each statement -------------------------------------------------------

#: A value of the right type for each parameter the statements take (EXPLAIN checks types).
DUMMIES: dict[str, Any] = {
    "cls": "https://w3id.org/yhdyspinta/ontology#Region",
    "classes": ["https://w3id.org/yhdyspinta/ontology#Forum"],
    "region": "https://w3id.org/yhdyspinta/id/region/paijat-hame",
    "planned": "https://w3id.org/yhdyspinta/status/planned",
    "schemes": ["https://w3id.org/yhdyspinta/theme/kansallinen"],
    "mun": "https://w3id.org/yhdyspinta/ontology#Municipality",
    "rel": "theme",
    "batch": 10,
    "limit": 10,
    "rows": [],
    "uris": ["urn:x"],
    "ends": ["urn:y"],
    "graphs": ["urn:g"],
    "name": "yhdyspinta",
    "schema": "0" * 64,
}


def cypher(folder: Path, name: str) -> str:
    """The statement as the module runs it: a template filled with ordinary names."""
    module = PACKAGES[folder] + ".x"
    if PLACEHOLDER.search(FILES[folder, name].read_text(encoding="utf-8")):
        return filled(module, name, ["Forum", "Network"], "hasMember")
    return statement(module, name)


@pytest.mark.neo4j
@pytest.mark.parametrize(("folder", "name"), sorted(FILES), ids=lambda v: v if isinstance(v, str) else v.name)
def test_the_server_accepts_the_statement(neo4j_target: Target, folder: Path, name: str) -> None:
    text = cypher(folder, name)
    wanted = set(re.findall(r"\$(\w+)", text))
    missing = wanted - set(DUMMIES)
    assert not missing, f"{name}.cypher takes {sorted(missing)}: give DUMMIES a value of the right type"
    with neo4j_target.driver.session(database=neo4j_target.database, notifications_min_severity="WARNING") as session:
        summary = session.run("EXPLAIN\n" + text, {k: DUMMIES[k] for k in wanted}).consume()
    assert summary.plan, name
    # the server warns (01N60) of a parameter the statement uses but was not given
    unset = [s.status_description for s in summary.gql_status_objects
             if s.gql_status == "01N60" or "parameter" in s.status_description.lower()]
    assert not unset, f"{name}.cypher: {unset}"
