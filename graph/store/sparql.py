"""The SPARQL statements, kept as ``.rq`` (queries) and ``.ru`` (updates) files beside their modules.

A module's statements are the files of the ``queries/`` folder of its package, read once
(``functools.cache``) through :mod:`importlib.resources`, so that they are found in an
installed package too (``pyproject.toml`` lists them as package data). A module asks for one
by its own name and the file's: ``load_query(__name__, "structures")`` is
``queries/structures.rq`` beside it. Lines that start with ``#`` are comments for the reader
(what the statement answers, what is bound, which slots it has); the store gets the
statement without them. Four of them are directives:

``#include NAME ?a ?b``
    the fragment ``queries/fragments/NAME.rq`` in its place: a piece of a graph pattern
    written once and used by several statements (the coverage path, the "alive on a day"
    filter). A fragment names its parameters on a ``#params ?x ?y`` line; the include renames
    them to ``?a ?b``. Its other variables keep their names.
``#if NAME`` ... ``#end``
    an optional part (a filter that applies only when the caller has a value for it): kept
    when the caller names it, ``load_query(__name__, "structures", "region")``, dropped otherwise.
``#bind ?x ?y``
    the variables the caller binds (for the reader, and what tests/test_queries.py binds).

**Values are bound, never pasted.** A single value is a variable bound by Oxigraph:
``Store.select(text, {"region": NamedNode(...)})`` (SEP-0007 substitution; Oxigraph wants a
bound variable in the SELECT's projection). Where that does not serve, the text has a *slot*,
``$name``, filled by :func:`fill`:

- a list of values (``VALUES ?scheme { $schemes }``);
- a value of an aggregate query (being projected, a bound variable would be grouped on, which
  changes the order of the groups) or inside a sub-select (which a substitution does not reach);
- a value that Oxigraph plans badly as a bound variable: it plans a query before it sees the
  values, and a few queries ran several times slower that way (the file says so);
- the graph names and data of an update (Oxigraph's ``update()`` binds nothing; ``DROP GRAPH``
  takes an IRI, not a variable).

:func:`fill` takes RDF terms only, :class:`pyoxigraph.NamedNode` (whose constructor has checked
the IRI) or :class:`pyoxigraph.Literal`, and writes them as Oxigraph does (N-Triples, escaped):
never text. A slot is not SPARQL, so a statement run unfilled fails instead of running.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources

import pyoxigraph as ox

from yhdyspinta.errors import QueryError

__all__ = ["FOLDER", "SLOT", "Term", "date_literal", "fill", "iri", "load_fragment", "load_query", "slots", "variables"]

#: The folder of a package that holds its statements (fragments in its ``fragments/`` folder).
FOLDER = "queries"
FRAGMENTS = "fragments"
SUFFIXES = (".rq", ".ru")
#: ``$name``: where :func:`fill` puts terms.
SLOT = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_VARIABLE = re.compile(r"\?[A-Za-z_][A-Za-z0-9_]*")
_INCLUDE = re.compile(r"^\s*#include\s+([\w-]+)((?:\s+\?\w+)*)\s*$")
_IF = re.compile(r"^\s*#if\s+([\w-]+)\s*$")
_END = re.compile(r"^\s*#end\s*$")
_PARAMS = re.compile(r"^\s*#params((?:\s+\?\w+)*)\s*$")
_XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")

#: What a slot or a bound variable takes: an IRI or a literal, never text.
Term = ox.NamedNode | ox.Literal


def _package(module: str) -> str:
    return module.rpartition(".")[0]


def _source(package: str, path: str) -> str:
    folder = resources.files(package).joinpath(FOLDER)
    for suffix in SUFFIXES:
        file = folder.joinpath(*f"{path}{suffix}".split("/"))
        if file.is_file():
            return file.read_text(encoding="utf-8")
    raise ValueError(f"{package}: no {FOLDER}/{path}.rq or .ru")


def _fragment(package: str, name: str, seen: tuple[str, ...]) -> tuple[tuple[str, ...], list[str]]:
    """The fragment ``queries/fragments/<name>.rq``: its parameters and its lines, expanded."""
    if name in seen:
        raise ValueError(f"{package}: fragment {name} includes itself ({' -> '.join((*seen, name))})")
    lines = _source(package, f"{FRAGMENTS}/{name}").splitlines()
    params: tuple[str, ...] = ()
    for line in lines:
        found = _PARAMS.match(line)
        if found:
            params = tuple(found.group(1).split())
    return params, _expand(package, lines, (*seen, name))


def _expand(package: str, lines: list[str], seen: tuple[str, ...]) -> list[str]:
    """``lines`` with each ``#include`` replaced by its fragment, its parameters renamed."""
    out: list[str] = []
    for line in lines:
        found = _INCLUDE.match(line)
        if not found:
            out.append(line)
            continue
        name, args = found.group(1), tuple(found.group(2).split())
        params, fragment = _fragment(package, name, seen)
        if len(args) != len(params):
            raise ValueError(f"{package}: #include {name} wants the variables {params}, given {args}")
        out.extend(_renamed(line, dict(zip(params, args, strict=True))) for line in fragment)
    return out


def _renamed(line: str, rename: dict[str, str]) -> str:
    return _VARIABLE.sub(lambda m: rename.get(m.group(0), m.group(0)), line)


def _select(lines: list[str], keep: frozenset[str], where: str) -> list[str]:
    """``lines`` without the ``#if`` parts not in ``keep`` (and without the directive lines)."""
    out: list[str] = []
    current: str | None = None
    seen: set[str] = set()
    for line in lines:
        opening, closing = _IF.match(line), _END.match(line)
        if opening:
            if current is not None:
                raise ValueError(f"{where}: #if {opening.group(1)} inside #if {current}")
            current = opening.group(1)
            seen.add(current)
        elif closing:
            if current is None:
                raise ValueError(f"{where}: #end without #if")
            current = None
        elif current is None or current in keep:
            out.append(line)
    if current is not None:
        raise ValueError(f"{where}: #if {current} has no #end")
    if keep - seen:
        raise ValueError(f"{where} has no optional part {sorted(keep - seen)}")
    return out


@cache
def _load(package: str, name: str, keep: frozenset[str]) -> str:
    lines = _expand(package, _source(package, name).splitlines(), ())
    lines = _select(lines, keep, f"{package}: {FOLDER}/{name}")
    statement = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not statement:
        raise ValueError(f"{package}: {FOLDER}/{name} holds no statement")
    return "\n".join(statement)


def load_query(module: str, name: str, *parts: str) -> str:
    """The statement ``queries/<name>.rq`` (or ``.ru``) beside ``module`` (pass ``__name__``),
    its fragments included and only the optional ``parts`` of it kept."""
    return _load(_package(module), name, frozenset(parts))


def load_fragment(module: str, name: str) -> tuple[tuple[str, ...], str]:
    """The fragment ``queries/fragments/<name>.rq`` beside ``module``: its parameters and its text."""
    params, lines = _fragment(_package(module), name, ())
    return params, "\n".join(lines)


def slots(text: str) -> set[str]:
    """The names of the slots of a statement."""
    return set(SLOT.findall(text))


def _term(name: str, value: object) -> Term:
    if isinstance(value, ox.NamedNode | ox.Literal):
        return value
    raise TypeError(f"{name} takes RDF terms (NamedNode, Literal), not {type(value).__name__}")


def _written(name: str, value: object) -> str:
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return " ".join(str(_term(f"${name}", v)) for v in value)
    return str(_term(f"${name}", value))


def fill(text: str, /, **values: Term | Sequence[Term]) -> str:
    """A statement with each slot ``$name`` replaced by the term ``values[name]`` (a sequence
    of terms is written one after the other, for a ``VALUES`` block). Each slot of the text
    must be given, and only those."""
    wanted = slots(text)
    if wanted != set(values):
        raise ValueError(f"the statement has the slots {sorted(wanted)}, given {sorted(values)}")
    written = {name: _written(name, value) for name, value in values.items()}
    return SLOT.sub(lambda m: written[m.group(1)], text)


def with_triples(statement: str, triples: Iterable[ox.Triple]) -> str:
    """``statement`` (an INSERT DATA or DELETE DATA of one GRAPH block, ending in ``} }``) with ``triples``
    inside the block. Each is written from its parsed terms, so nothing but triples reaches the update."""
    end = statement.rindex("} }")
    body = "".join(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)
    return f"{statement[:end]}{body}{statement[end:]}"


def iri(value: str) -> ox.NamedNode:
    """``value`` as an IRI to bind; QueryError if it is not one (Oxigraph checks it)."""
    try:
        return ox.NamedNode(value)
    except (TypeError, ValueError) as exc:
        raise QueryError(f"not an IRI: {value!r} ({exc})") from exc


def date_literal(day: str) -> ox.Literal:
    """An ISO date as an ``xsd:date`` literal."""
    return ox.Literal(day, datatype=_XSD_DATE)


def variables(
    bind: Mapping[str, Term] | None,
) -> dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] | None:
    """``bind`` as Oxigraph's substitutions (each value checked to be a term)."""
    if not bind:
        return None
    return {ox.Variable(name): _term(f"?{name}", value) for name, value in bind.items()}
