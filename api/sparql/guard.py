"""What a partner's SPARQL may do, decided from a parse, not from a scan of the text.

``SERVICE`` (federated query) and ``LOAD`` would make the server fetch a URL
for an anonymous client. They are found in the parse tree of rdflib's SPARQL
grammar, which expands ``\\u`` escapes, ignores case, comments and strings,
and reads prefixed names with escaped local parts exactly as the
specification says, so no spelling slips past. When rdflib cannot parse a
text that Oxigraph might, the check falls back to a deliberately coarse rule:
such a text is refused if the word "service" (or "load", for an update)
appears anywhere in it once escapes are expanded. Behind this check the query
workers cannot open an internet socket at all (api/sparql/sandbox.py).

This runs in the query worker, under the query's time limit, so a text that
is expensive to parse stalls nobody.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pyparsing import ParseResults
from rdflib.plugins.sparql.parser import expandUnicodeEscapes, parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

Kind = Literal["query", "update"]

_SERVICE = "this endpoint does not run federated queries: SERVICE in the {what} is refused"
_LOAD = ("LOAD would fetch a URL from this server; send the data with the Graph Store Protocol "
         "(PUT or POST to /graph-store) instead")
_UNPARSED = ("the {what} mentions '{word}' and could not be parsed to show that it does not use {keyword}; "
             "this endpoint refuses {keyword}")


def _names(node: object) -> Iterator[str]:
    """The names of every grammar rule in a parse tree (iteratively: trees can be deep)."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, CompValue):
            yield n.name
            stack.extend(n.values())
        elif isinstance(n, ParseResults | list | tuple):
            stack.extend(n)


def refusal(text: str, kind: Kind) -> str | None:
    """Why the query or update is refused, or None when it may run."""
    try:
        tree = parseQuery(text) if kind == "query" else parseUpdate(text)
    except Exception:  # noqa: BLE001 - any failure of the parser means "not proven safe"
        return _coarse(text, kind)
    names = set(_names(tree))
    if "ServiceGraphPattern" in names:
        return _SERVICE.format(what=kind)
    if "Load" in names:
        return _LOAD
    return None


def _coarse(text: str, kind: Kind) -> str | None:
    try:
        folded = expandUnicodeEscapes(text).casefold()
    except Exception:  # noqa: BLE001 - a broken escape: judge the raw text
        folded = text.casefold()
    words = [("service", "SERVICE")] + ([("load", "LOAD")] if kind == "update" else [])
    for word, keyword in words:
        if word in folded:
            return _UNPARSED.format(what=kind, word=word, keyword=keyword)
    return None


def warm_up() -> None:
    """Build rdflib's grammar once (about half a second), before the first job waits for it."""
    refusal("ASK {}", "query")
