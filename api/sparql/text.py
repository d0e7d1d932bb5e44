"""Just enough of SPARQL's lexical structure to apply the protocol's dataset rules.

The protocol's dataset parameters override a query's FROM clauses and, for
an update, add USING clauses that the request must not combine with its own
USING or WITH. Oxigraph takes a query dataset as arguments but has no such
arguments for updates, and its union-default mode ignores FROM. So the
endpoint looks at the text: a scanner that skips strings, IRIs, comments,
variables and prefixed names finds the keywords at brace depth 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
# a prefixed name: letters (any script), digits, _ - . : %, and the escapes of PN_LOCAL_ESC (\' is not a quote)
_NAME_CONT = re.compile(r"(?:[\w\-.:%]|\\[_~.\-!$&'()*+,;=/?#@%])*")
_STRING_OPENERS = ('"""', "'''", '"', "'")


@dataclass(frozen=True)
class Keyword:
    word: str  # upper case
    start: int
    depth: int


def _opaque_end(text: str, i: int) -> int | None:
    """Where a comment, string or IRI starting at ``i`` ends; None if none starts there."""
    c, n = text[i], len(text)
    if c == "\\":  # an escaped character of a local name (PN_LOCAL_ESC) or a \u escape: never a quote or comment
        return min(i + 2, n)
    if c == "#":
        end = text.find("\n", i)
        return n if end < 0 else end + 1
    if c in "\"'":
        quote = next(q for q in _STRING_OPENERS if text.startswith(q, i))
        j = i + len(quote)
        while j < n and not text.startswith(quote, j):
            j += 2 if text[j] == "\\" else 1
        return j + len(quote)
    if c == "<" and (m := _IRI.match(text, i)):
        return m.end()
    return None


def keywords(text: str) -> Iterator[Keyword]:
    """The bare words of ``text`` (keywords), with their offset and brace depth."""
    i, depth, n = 0, 0, len(text)
    while i < n:
        c = text[i]
        if (end := _opaque_end(text, i)) is not None:
            i = end
        elif c in "?$":
            m = _WORD.match(text, i + 1)
            i = m.end() if m else i + 1
        elif c == "{":
            depth += 1
            i += 1
        elif c == "}":
            depth -= 1
            i += 1
        elif c.isalpha() or c in "_:":
            m = _NAME_CONT.match(text, i)
            word = (m.group(0) if m else "") or c  # a letter outside [A-Za-z] matches nothing: step over it
            if ":" not in word and "." not in word:
                yield Keyword(word.upper(), i, depth)
            elif ":" not in word:
                # a trailing dot ends a triple, it is not part of a keyword
                bare = word.split(".", 1)[0]
                yield Keyword(bare.upper(), i, depth)
            i += len(word)
        else:
            i += 1


#: Deeper groups than this are refused: a parser recursing that deep can overflow its stack.
MAX_NESTING = 200


def nesting_depth(text: str) -> int:
    """The deepest nesting of { } and ( ) outside strings, IRIs and comments."""
    deepest = depth = 0
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if (end := _opaque_end(text, i)) is not None:
            i = end
            continue
        if c in "{(":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "})":
            depth -= 1
        i += 1
    return deepest


def query_has_dataset(query: str) -> bool:
    """Whether the query names its own dataset (FROM or FROM NAMED)."""
    return any(k.word == "FROM" and k.depth == 0 for k in keywords(query))


def update_has_dataset(update: str) -> bool:
    """Whether an update names its own dataset (USING, USING NAMED or WITH)."""
    return any(k.word in ("USING", "WITH") and k.depth == 0 for k in keywords(update))


def add_using(update: str, default: list[str], named: list[str]) -> str:
    """The update with ``USING <g>`` / ``USING NAMED <g>`` before each DELETE/INSERT ... WHERE.

    DELETE WHERE has no USING clause in the grammar and is left as it is.
    """
    clauses = " ".join([*(f"USING <{g}>" for g in default), *(f"USING NAMED <{g}>" for g in named)])
    if not clauses:
        return update
    cuts: list[int] = []
    previous: Keyword | None = None
    for k in keywords(update):
        if k.depth != 0:
            continue
        delete_where = previous is not None and previous.word == "DELETE" \
            and not update[previous.start + len(previous.word):k.start].strip()
        if k.word == "WHERE" and not delete_where:
            cuts.append(k.start)
        previous = k
    out, last = [], 0
    for cut in cuts:
        out += [update[last:cut], clauses, " "]
        last = cut
    out.append(update[last:])
    return "".join(out)
