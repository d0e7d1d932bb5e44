"""Finding a region by what a user types: its slug, its code or its name.

The edges (CLI commands, HTTP routes) turn the user's text into a ``Region``
once, with :func:`resolve_region`; the analyses take the ``Region`` (or None
for "every region") and never parse text themselves.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Protocol, overload

from yhdyspinta.errors import NotFoundError


@dataclass(frozen=True, order=True)
class Region:
    """A welfare area (or Helsinki, or Åland): the unit every regional analysis is about."""

    iri: str
    slug: str
    code: str
    label_fi: str
    label_en: str | None = None


def _fold(text: str) -> str:
    return text.lower().translate(str.maketrans("äöå", "aoa")).replace(" ", "-")


def find_region(regions: list[Region], text: str) -> Region:
    """The region a user means by ``text``; NotFoundError with suggestions otherwise."""
    if not regions:
        raise NotFoundError("the store has no regions; run `yhdyspinta ingest` first")
    wanted = _fold(text.strip())
    for r in regions:
        if wanted in {r.slug, r.code, _fold(r.label_fi), _fold(r.label_en or ""), r.iri}:
            return r
    for r in regions:
        if wanted and (_fold(r.label_fi).startswith(wanted) or r.slug.startswith(wanted)):
            return r
    close = difflib.get_close_matches(wanted, [r.slug for r in regions], n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise NotFoundError(f"no region '{text}'.{hint} List them with `yhdyspinta regions`.")


class HasRegions(Protocol):
    """Anything that lists the regions: every back end does."""

    def regions(self) -> list[Region]: ...


@overload
def resolve_region(source: HasRegions, text: str) -> Region: ...
@overload
def resolve_region(source: HasRegions, text: None) -> None: ...
@overload
def resolve_region(source: HasRegions, text: str | None) -> Region | None: ...


def resolve_region(source: HasRegions, text: str | None) -> Region | None:
    """The region ``text`` names among ``source``'s regions; None for no text (every region).

    NotFoundError with suggestions when nothing matches.
    """
    if text is None:
        return None
    return find_region(source.regions(), text)
