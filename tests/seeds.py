"""The seed documents for tests that check the data against the source texts.

The seeds are not in the repository (they carry people's contact details): they live in
``shared/seeds/`` beside the project, or where ``YHDYSPINTA_SEEDS`` points.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

SEED_003 = "003_85f3b46d7c661962.txt"
SEED_004 = "004_664281610daadb27.txt"


def seeds_dir() -> Path:
    """The folder of the seed texts; the calling test is skipped when there is none."""
    env = os.environ.get("YHDYSPINTA_SEEDS")
    if env and not (Path(env) / SEED_004).is_file():
        pytest.fail(f"YHDYSPINTA_SEEDS={env} holds no seed texts")
    here = Path(__file__).resolve()
    for candidate in ([Path(env)] if env else []) + [p / "shared" / "seeds" for p in here.parents]:
        if (candidate / SEED_004).is_file():
            return candidate
    pytest.skip("the seed texts (shared/seeds/) are not beside the project; set YHDYSPINTA_SEEDS")


def seed_text(name: str) -> str:
    return (seeds_dir() / name).read_text(encoding="utf-8")


def flat(text: str) -> str:
    """Line breaks of the PDF extraction undone: all whitespace as one space."""
    return re.sub(r"\s+", " ", text)
