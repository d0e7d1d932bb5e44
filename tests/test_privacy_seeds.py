"""The privacy guard against the real sources: every contact line of the seeds is caught, nothing else is.

The seed documents carry phone numbers and e-mail addresses of named people
(in formats like "040 123 4567", "p. 358 40 1234 567", "09 123 4567",
"name(at)domain", "mailto:..."). The guard that keeps them out of the graph
is run over every line of every seed; the expected lines are listed by file
and number only, so the contact details themselves never enter the tests.
"""

from __future__ import annotations

from pathlib import Path

from seeds import seeds_dir

from yhdyspinta.ingest.bundle import bundled_paths
from yhdyspinta.ingest.validate import EMAIL, PHONE

#: (seed file prefix, line number) of every line that holds a phone number or an e-mail address,
#: found by reading the seeds: signature blocks of the slide decks and the minutes' preparers.
CONTACT_LINES = {
    ("000", 50),                      # preparer's mobile number
    ("001", 31),                      # registration address written with (at)
    ("002", 37),                      # preparer's phone and address
    ("003", 212), ("003", 213),       # speaker's number with country code, address
    ("004", 163), ("004", 164), ("004", 173),
    ("004", 361), ("004", 362), ("004", 371),
    ("004", 948), ("004", 949), ("004", 958),
}


def _flagged(path: Path) -> set[int]:
    return {i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
            if EMAIL.search(line) or PHONE.search(line)}


def test_the_guard_catches_every_contact_line_of_the_seeds_and_nothing_else() -> None:
    found = {(path.name[:3], line) for path in sorted(seeds_dir().glob("0*.txt")) for line in _flagged(path)}
    assert found == CONTACT_LINES


def test_the_bundled_data_holds_no_contact_details() -> None:
    hits = []
    for path in bundled_paths():
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for f in files:
            if f.suffix not in (".ttl", ".csv", ".jsonld", ".md"):
                continue
            hits += [f"{f.name}:{n}" for n in _flagged(f)]
    assert hits == []
