"""The Cypher statements, kept as ``.cypher`` files beside the modules that run them.

A module's statements are the files of the ``queries/`` folder of its package, one statement
a file, read once (``functools.cache``) through :mod:`importlib.resources`, so that they
are found in an installed package too (``pyproject.toml`` lists them as package data).
A module asks for one by its own name and the file's: ``statement(__name__, "regions")``
is ``queries/regions.cypher`` beside it. A file starts with ``//`` comment lines that say
what the statement does and what its parameters are; the server gets the statement without
its comment lines (so a string literal in a statement must not start a line with ``//``).

Every value is a Cypher parameter (``$region``, ``$rows``...), never pasted into the text.
Labels and relationship types cannot be parameters (Neo4j 5.26's dynamic ``$(...)`` labels
aside, which older servers lack), so a statement written per label set
or relationship type (the sync's writes) is a **template**: its file marks where they go
with ``{{labels}}`` (a node's labels, written :`Forum`:`Network`) or ``{{type}}`` (one
relationship type, written `hasMember`), and :func:`fill` puts there only names that
:func:`identifier` accepted, each quoted with backticks. A placeholder is not Cypher, so a
template run unfilled fails at the server instead of running half a statement.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

__all__ = ["IDENTIFIER", "PLACEHOLDERS", "fill", "identifier", "label_clause", "statement", "template"]

#: The folder of a package that holds its statements.
FOLDER = "queries"
SUFFIX = ".cypher"
#: ``{{name}}`` in a template: where :func:`fill` puts labels or a relationship type.
PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
PLACEHOLDERS = frozenset({"labels", "type"})
#: A name that may become a label or a relationship type: letters, digits, ``_``, combining
#: marks and the punctuation an IRI may hold (labels are the local names of IRIs, so
#: ``has-member`` or ``x%C3%A4`` must pass). It admits no backtick, so a name cannot end
#: its quotes, and no space, control character, brace, bracket, double quote, backslash or ``|``.
IDENTIFIER = re.compile(r"[\w\u0300-\u036f\-.~!$&'()*+,;=:@/?%]+")


@cache
def _read(package: str, name: str) -> str:
    """The file's statement, without its comment lines (they are for the reader)."""
    text = resources.files(package).joinpath(FOLDER, name + SUFFIX).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("//")]
    if not lines:
        raise ValueError(f"{package}: {FOLDER}/{name}{SUFFIX} holds no statement")
    return "\n".join(lines)


def _package(module: str) -> str:
    return module.rpartition(".")[0]


def statement(module: str, name: str) -> str:
    """The statement ``queries/<name>.cypher`` beside ``module`` (pass ``__name__``)."""
    text = _read(_package(module), name)
    if PLACEHOLDER.search(text):
        raise ValueError(f"{name}{SUFFIX} is a template: use template() and fill()")
    return text


def template(module: str, name: str) -> str:
    """The template ``queries/<name>.cypher`` beside ``module``: give it to :func:`fill`."""
    text = _read(_package(module), name)
    found = set(PLACEHOLDER.findall(text))
    if not found or not found <= PLACEHOLDERS:
        raise ValueError(f"{name}{SUFFIX} is not a template with {{{{labels}}}} or {{{{type}}}}: {sorted(found)}")
    return text


def identifier(name: str) -> str:
    """``name`` quoted with backticks, if :data:`IDENTIFIER` accepts it; ValueError otherwise."""
    if not isinstance(name, str) or not IDENTIFIER.fullmatch(name):
        raise ValueError(f"not a name for a Neo4j label or relationship type: {name!r}")
    return f"`{name}`"


def label_clause(labels: Iterable[str]) -> str:
    """The labels as a pattern writes them after a variable, each checked by :func:`identifier`:
    ``["A", "B"]`` gives :`A`:`B`, no labels the empty string."""
    return "".join(":" + identifier(label) for label in labels)


def fill(text: str, *, labels: Iterable[str] | None = None, rel_type: str | None = None) -> str:
    """A template with its placeholders replaced by checked, quoted names.

    ``labels`` fills ``{{labels}}`` (each name with its colon, nothing for an empty list);
    ``rel_type`` fills ``{{type}}``. Each placeholder of the template must be given, and only those.
    """
    given: dict[str, str] = {}
    if labels is not None:
        given["labels"] = label_clause(labels)
    if rel_type is not None:
        given["type"] = identifier(rel_type)
    wanted = set(PLACEHOLDER.findall(text))
    if wanted != set(given):
        raise ValueError(f"the template wants {sorted(wanted)}, given {sorted(given)}")
    return PLACEHOLDER.sub(lambda m: given[m.group(1)], text)
