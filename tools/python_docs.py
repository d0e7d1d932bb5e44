#!/usr/bin/env python3
"""Run the code of docs/python.md and write its real output under each block, as a notebook would.

Each ```python block runs in one shared namespace, in order; what it prints, and the
value of its last line when that is an expression (as a notebook shows it), becomes
the ```text block right after it (made, replaced or dropped). The code runs against a
store built from the bundled data in a temporary ``YHDYSPINTA_HOME``, so the page shows
what a new user sees.

Usage::

    python3 tools/python_docs.py            # rewrite docs/python.md
    python3 tools/python_docs.py --check    # exit 1 when the page is not current

tests/test_python_api.py runs the blocks the same way and checks the page is current.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import io
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "python.md"
#: a python block, then (optionally) the text block that holds its output
BLOCK = re.compile(r"```python\n(?P<code>.*?)```\n(?:```text\n.*?```\n)?", re.DOTALL)


def run_block(code: str, namespace: dict[str, Any]) -> str:
    """Run ``code`` in ``namespace``; what it prints, then the repr of its last expression (unless None)."""
    tree = ast.parse(code)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(tree, "<docs/python.md>", "exec"), namespace)  # noqa: S102 - the page's own code
        if last is not None:
            value = eval(compile(ast.Expression(last.value), "<docs/python.md>", "eval"), namespace)  # noqa: S307
            if value is not None:
                print(repr(value))
    return out.getvalue()


def render(page: str, namespace: dict[str, Any] | None = None) -> str:
    """The page with every python block's output block made anew."""
    namespace = {} if namespace is None else namespace

    def replace(match: re.Match[str]) -> str:
        code = match["code"]
        output = run_block(code, namespace).rstrip("\n")
        shown = f"```text\n{output}\n```\n" if output else ""
        return f"```python\n{code}```\n{shown}"

    return BLOCK.sub(replace, page)


@contextlib.contextmanager
def bundled_home() -> Iterator[Path]:
    """A temporary YHDYSPINTA_HOME, empty: the page's first block ingests the bundled data into it."""
    before = os.environ.get("YHDYSPINTA_HOME")
    with tempfile.TemporaryDirectory(prefix="yhdyspinta-docs-") as home:
        os.environ["YHDYSPINTA_HOME"] = home
        try:
            yield Path(home)
        finally:
            if before is None:
                os.environ.pop("YHDYSPINTA_HOME", None)
            else:
                os.environ["YHDYSPINTA_HOME"] = before


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when docs/python.md is not current")
    args = parser.parse_args(argv)
    page = PAGE.read_text(encoding="utf-8")
    with bundled_home():
        namespace: dict[str, Any] = {}
        try:
            fresh = render(page, namespace)
        finally:
            graph = namespace.get("g")
            if graph is not None and hasattr(graph, "close"):
                graph.close()
    if args.check:
        if fresh != page:
            print(f"{PAGE} is not current: run python3 tools/python_docs.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(fresh, encoding="utf-8")
    print(f"wrote {PAGE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
