"""Spreadsheet-safe cells: every CSV and TSV writer passes its values through here.

A spreadsheet opening a CSV runs a cell that starts with ``=``, ``+``, ``-``
or ``@`` (and, in some programs, after a leading tab or carriage return) as a
formula: a label such as ``=HYPERLINK("http://evil","x")`` becomes a live
link or worse (CSV/formula injection, OWASP). Following OWASP, such a cell
gets a leading single quote, which spreadsheets show as text and drop.

The rule, exactly:

* a cell whose first character is one of ``= + - @ \\t \\r`` is written with
  ``'`` in front of it;
* except a plain number: a cell that is wholly one decimal number, optionally
  signed, with an optional fraction and exponent (``-3``, ``-1.5``,
  ``+2e-3``, ``-.5``; ASCII digits only, see ``_NUMBER``) stays as it is, so
  numeric columns keep their numbers. Such a cell cannot hold a formula: it
  has no name, no operator after the sign and no parenthesis;
* nothing else changes; the CSV quoting of commas, quotes and newlines stays
  the writer's job.

The quote is not taken off again on reading: a consumer who wants the raw
value strips one leading ``'`` from cells whose next character is a trigger.
"""

from __future__ import annotations

import re
from typing import Any

#: first characters that make a spreadsheet evaluate (or reach) a formula
TRIGGERS = frozenset("=+-@\t\r")

#: a plain, optionally signed decimal number (Turtle's INTEGER, DECIMAL and DOUBLE, plus "3.")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula (and it is not a plain number)."""
    return bool(text) and text[0] in TRIGGERS and _NUMBER.fullmatch(text) is None


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet will show it, never run it: ``'`` before a formula-like start."""
    return "'" + text if is_formula_like(text) else text


def cell(value: Any) -> str:
    """One value of a CSV/TSV row as safe text (None is the empty cell)."""
    return "" if value is None else neutralise(value if isinstance(value, str) else str(value))


def safe_row(columns: tuple[str, ...] | list[str], row: dict[str, Any]) -> dict[str, str]:
    """The ``columns`` of ``row`` as safe text, in column order (missing keys are empty cells)."""
    return {c: cell(row.get(c)) for c in columns}
