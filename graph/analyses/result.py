"""What every analysis result offers besides its rows: its tables by name, and each as a pandas DataFrame.

The results of the analyses are dataclasses with ``title``, ``columns``, ``rows()``
and ``to_json()`` (what the renderers read), some with ``extra_tables()``. The mixin
:class:`ResultTables` adds, from those alone, ``tables()`` (the main table and the
extra ones, each under a stable name) and ``to_pandas()``, so that a pandas user
gets a DataFrame in one call. pandas is optional (``pip install "yhdyspinta[pandas]"``):
it is imported when ``to_pandas`` runs, never by importing this module.

:class:`ResultTable` is the same for a plain table that no analysis class holds
(the regions, the sources, a SPARQL answer, one view of the coverage).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import pandas

#: The name of every result's main table in ``tables()`` and ``to_pandas(table=...)``.
MAIN = "main"
#: What to install when pandas is missing.
PANDAS_HINT = 'pip install "yhdyspinta[pandas]"'


class Tabular(Protocol):
    """What the mixin reads of a result: the renderers' interface (api/render/tables.py)."""

    @property
    def title(self) -> str: ...

    @property
    def columns(self) -> tuple[str, ...]: ...

    def rows(self, **options: Any) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class NamedTable:
    """One table of a result: its stable name, its title as printed, its columns and rows."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]


def slug(title: str) -> str:
    """A table's name from its title: ASCII, lower case, words joined by '-'; parenthesised remarks
    (counts, notes) dropped, so that the name stays the same when the data changes."""
    text = re.sub(r"\([^)]*\)", " ", title)
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)  # dashes (2023–2025) separate like hyphens
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "table"


def all_columns(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> list[str]:
    """The declared columns, then any further keys the rows carry (e.g. the gaps' ``record``)."""
    out = list(columns)
    seen = set(out)
    for row in rows:
        for key in row:
            if key not in seen:
                seen.add(key)
                out.append(key)
    return out


def data_frame(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> pandas.DataFrame:
    """``rows`` as a DataFrame with every column (also when there are no rows); a clear ImportError
    that names the install line when pandas is missing."""
    try:
        import pandas
    except ImportError as exc:
        raise ImportError(f"to_pandas() needs pandas, an optional dependency: {PANDAS_HINT}") from exc
    return pandas.DataFrame.from_records(rows, columns=all_columns(columns, rows))


def named_tables(result: Tabular, **options: Any) -> list[NamedTable]:
    """The main table (named ``main``), then the result's ``extra_tables()`` if it has them, each named by
    :func:`slug` of its title (``-2``, ``-3`` appended where two titles give one name). ``options`` go to
    ``rows()``. Any tabular result, with the mixin or not, is named this way (api/render/spreadsheet.py)."""
    found = [NamedTable(MAIN, result.title, tuple(result.columns), result.rows(**options))]
    extra: list[tuple[str, tuple[str, ...], list[dict[str, Any]]]] = getattr(result, "extra_tables", list)()
    names = {MAIN}
    for title, columns, rows in extra:
        base = name = slug(title)
        n = 1
        while name in names:
            n += 1
            name = f"{base}-{n}"
        names.add(name)
        found.append(NamedTable(name, title, tuple(columns), rows))
    return found


class ResultTables:
    """Mixin for the result classes: ``tables()``, ``table_names()`` and ``to_pandas()``.

    It holds no state; it reads ``title``, ``columns``, ``rows()`` and, where the class has it,
    ``extra_tables()``.
    """

    def tables(self: Tabular, **options: Any) -> list[NamedTable]:
        """The main table (named ``main``), then the extra tables (see :func:`named_tables`)."""
        return named_tables(self, **options)

    def table_names(self: Tabular) -> list[str]:
        """The names ``to_pandas(table=...)`` accepts."""
        return [t.name for t in ResultTables.tables(self)]

    def table(self: Tabular, name: str | None = None, **options: Any) -> NamedTable:
        """One table by its name (``main`` or None: the main one), or shortened as api/render/spreadsheet.py
        accepts it: to a prefix, or to words, that only one table's name has; KeyError naming the tables
        otherwise."""
        tables = ResultTables.tables(self, **options)
        wanted = slug(name) if name else MAIN
        words = set(wanted.split("-"))
        chosen = ([t for t in tables if t.name == wanted] or [t for t in tables if t.name.startswith(wanted)]
                  or [t for t in tables if words <= set(t.name.split("-"))])
        if len(chosen) != 1:
            known = ", ".join(t.name for t in tables)
            why = "names several tables" if chosen else "names no table"
            raise KeyError(f"'{name}' {why} of this result; its tables: {known}")
        return chosen[0]

    def to_pandas(self: Tabular, table: str | None = None, **options: Any) -> pandas.DataFrame:
        """The main table (or the table named ``table``, see ``table_names()``) as a pandas DataFrame.

        ``options`` go to ``rows()`` (e.g. ``only_gaps=False`` for the gaps). Needs pandas:
        ``pip install "yhdyspinta[pandas]"``.
        """
        chosen = ResultTables.table(self, table, **options)
        return data_frame(chosen.columns, chosen.rows)


@dataclass
class ResultTable(ResultTables):
    """A plain table as a result: regions, sources, history, a SPARQL answer, a view of the coverage."""

    title: str
    columns: tuple[str, ...]
    records: list[dict[str, Any]] = field(default_factory=list)
    #: what ``to_json()`` gives; default: the rows
    json: Any = None

    def rows(self, **_: Any) -> list[dict[str, Any]]:
        return list(self.records)

    def to_json(self, **_: Any) -> Any:
        return self.records if self.json is None else self.json

    def __len__(self) -> int:
        return len(self.records)
