"""Text tables (api/render/tables.py) are written row by row, framed by rich: the output must be
exactly what rich lays out for the whole table, for any mix of numbers, texts and widths."""

from __future__ import annotations

import io
import random
from typing import Any

from rich.console import Console
from rich.table import Table

from yhdyspinta.api.render.tables import TABLE_WIDTH, rows_as_table, table_cell

WORDS = ["Lahti", "Päijät-Häme", "", "ÅÄÖ åäö", "x" * 30, "hyvinvointialue", "a b c", "—", "€", "y" * 70]


def numeric(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def rich_whole(title: str | None, columns: list[str], rows: list[dict[str, Any]]) -> str:
    """The table as rich lays it out with every row in it (the renderer before it was linear)."""
    table = Table(title=title, show_lines=False, header_style="bold")
    for c in columns:
        right = any(numeric(r.get(c)) for r in rows) and all(numeric(r.get(c)) or r.get(c) in (None, "") for r in rows)
        table.add_column(c, overflow="fold", justify="right" if right else "left")
    for r in rows:
        table.add_row(*(table_cell(r.get(c)) for c in columns))
    console = Console(width=TABLE_WIDTH, record=True, file=io.StringIO(), force_terminal=False)
    console.print(table)
    return console.export_text()


def test_row_by_row_tables_equal_what_rich_lays_out() -> None:
    rnd = random.Random(17)
    wide = 0
    for _ in range(400):
        columns = [rnd.choice(["name", "n", "theme", "Kunta", "x"]) + str(i) for i in range(rnd.randint(1, 5))]
        rows = [
            {c: rnd.choice([None, rnd.randint(-10**7, 10**7), rnd.random() * 1000,
                            " ".join(rnd.sample(WORDS, rnd.randint(0, 3)))]) for c in columns}
            for _ in range(rnd.randint(0, 8))
        ]
        title = rnd.choice([None, "t", "A longer title for this table " * rnd.randint(1, 3)])
        expected = rich_whole(title, columns, rows)
        wide += max(map(len, expected.splitlines()), default=0) >= TABLE_WIDTH - 10
        assert rows_as_table(title, columns, rows) == expected, (title, columns, rows)
    assert wide > 10  # the fallback for folded cells was exercised too


def test_multiline_cells_go_through_rich() -> None:
    rows = [{"a": "one\ntwo", "b": 1}]
    assert rows_as_table("t", ["a", "b"], rows) == rich_whole("t", ["a", "b"], rows)
