"""The import rules of docs/architecture.md, checked on the source: no upward import, no cycle.

Every ``import`` counts, also one inside a function body (that is where
cycles hid before). The layers, from the bottom:

0. ``yhdyspinta`` core (errors, settings) and the Neo4j launcher
1. ``ontology``
2. ``graph.regions``, ``graph.store``
3. ``ingest`` (writes the store) and ``graph.backends``
4. ``graph.sync`` and ``graph.analyses`` (the analyses only through the Backend protocol)
5. ``api.render``
6. ``api.sparql``
7. ``api.http``
8. ``api.cli`` and the entry points

``api.library`` (the Python API) sits at 5 beside ``api.render``: it needs only the graph layers,
and sparql, http and cli call its functions. A module may import from a lower layer, or from its
own layer's package. One exception: the package's ``__init__`` (core) hands out the Python API
lazily (a PEP 562 ``__getattr__``, and its ``TYPE_CHECKING`` import); that one edge, ``LAZY_HOOK``,
is left out of the checks, and ``test_the_lazy_hook_is_the_only_exception`` keeps it to that.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: source folder -> package it installs as (pyproject.toml's package-dir)
FOLDERS = {"core": "yhdyspinta", "ontology": "yhdyspinta.ontology", "ingest": "yhdyspinta.ingest",
           "graph": "yhdyspinta.graph", "api": "yhdyspinta.api", "data": "yhdyspinta.bundled",
           "launcher": "yhdyspinta.launcher"}
#: (layer, rank, module prefixes); the most specific prefix wins
LAYERS = [
    ("core", 0, ["yhdyspinta", "yhdyspinta.launcher", "yhdyspinta.bundled"]),
    ("ontology", 1, ["yhdyspinta.ontology"]),
    ("store", 2, ["yhdyspinta.graph.store", "yhdyspinta.graph.regions", "yhdyspinta.graph"]),
    ("ingest", 3, ["yhdyspinta.ingest"]),
    ("backends", 3, ["yhdyspinta.graph.backends"]),
    ("sync", 4, ["yhdyspinta.graph.sync"]),
    ("analyses", 4, ["yhdyspinta.graph.analyses"]),
    ("render", 5, ["yhdyspinta.api.render", "yhdyspinta.api"]),
    ("library", 5, ["yhdyspinta.api.library"]),
    ("sparql", 6, ["yhdyspinta.api.sparql"]),
    ("http", 7, ["yhdyspinta.api.http"]),
    ("cli", 8, ["yhdyspinta.api.cli", "yhdyspinta.__main__"]),
]
#: what the analyses may see of the back ends: the protocol, never a concrete store
ANALYSES_MAY_NOT = ("yhdyspinta.graph.backends.embedded", "yhdyspinta.graph.backends.neo4j", "yhdyspinta.graph.store")


def _modules() -> dict[str, Path]:
    found = {}
    for folder, package in FOLDERS.items():
        for path in (ROOT / folder).rglob("*.py"):
            parts = [p for p in path.relative_to(ROOT / folder).with_suffix("").parts if p != "__init__"]
            found[".".join([package, *parts])] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> set[str]:
    """The project modules ``path`` imports, anywhere in it."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("yhdyspinta") \
                and not node.level:
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                out.add(name if name in MODULES else node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("yhdyspinta"))
    return {m for m in out if m in MODULES}


#: the one upward import allowed: core's lazy ``__getattr__`` hands out the Python API (see the docstring)
LAZY_HOOK = ("yhdyspinta", "yhdyspinta.api.library")


def _hooked(module: str, target: str) -> bool:
    return module == LAZY_HOOK[0] and (target == LAZY_HOOK[1] or target.startswith(LAZY_HOOK[1] + "."))


GRAPH = {m: {t for t in _imports(p) - {m} if not _hooked(m, t)} for m, p in MODULES.items()}


def layer(module: str) -> tuple[str, int]:
    best: tuple[int, str, int] | None = None
    for name, rank, prefixes in LAYERS:
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), name, rank)
    assert best is not None, f"{module} is in no layer: add it to LAYERS and docs/architecture.md"
    return best[1], best[2]


def test_every_module_has_a_layer() -> None:
    for module in MODULES:
        layer(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_upward_import(module: str) -> None:
    name, rank = layer(module)
    wrong = []
    for target in sorted(GRAPH[module]):
        t_name, t_rank = layer(target)
        if t_name != name and t_rank >= rank:
            wrong.append(f"{target} ({t_name}, layer {t_rank})")
        if name == "analyses" and target.startswith(ANALYSES_MAY_NOT):
            wrong.append(f"{target} (analyses use the Backend protocol, not a concrete store)")
    assert not wrong, f"{module} ({name}, layer {rank}) imports upward or sideways: {', '.join(wrong)}"


def test_no_import_cycle() -> None:
    """Tarjan's strongly connected components over every import (function bodies included)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    assert not cycles, f"import cycles: {cycles}"


def test_no_private_imports_across_modules() -> None:
    wrong = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("yhdyspinta"):
                wrong += [f"{module}: {node.module}.{a.name}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
    assert not wrong, wrong


def test_the_rule_catches_an_upward_import(tmp_path: Path) -> None:
    """The check can fail: graph importing api is flagged."""
    assert layer("yhdyspinta.graph.analyses.gaps")[1] < layer("yhdyspinta.api.http.app")[1]
    assert layer("yhdyspinta.ingest.pipeline") == ("ingest", 3)


def test_the_lazy_hook_is_the_only_exception() -> None:
    """Core imports the Python API only inside ``__getattr__`` or under ``TYPE_CHECKING``, nowhere else;
    apart from it, core imports only layer 0."""
    tree = ast.parse(MODULES[LAZY_HOOK[0]].read_text(encoding="utf-8"))
    allowed: set[int] = set()
    for node in ast.walk(tree):
        lazy = isinstance(node, ast.FunctionDef) and node.name == "__getattr__"
        typing_only = isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
        if lazy or typing_only:
            allowed.update(id(n) for n in ast.walk(node))
    stray = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.ImportFrom | ast.Import)
             and id(node) not in allowed
             and any(n.startswith("yhdyspinta.api") for n in
                     ([node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]))]
    assert not stray, f"core/__init__.py imports the api outside the lazy hook, lines {stray}"
    assert {t for t in GRAPH[LAZY_HOOK[0]] if layer(t)[1] > 0} == set()
