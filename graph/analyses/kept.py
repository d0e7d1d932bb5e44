"""The national analyses worked out ahead, right after a write, so that the first one asked is quick.

Why: at national scale (486,000 quads) ``bridges`` over every region takes about 5 s (2 s of
it exact betweenness) and ``load`` over every region about 1.4 s; their results change only
with the data or with what the day changes in it (a dated membership that ends), so the
embedded back end keeps them beside the store by both
(:meth:`~yhdyspinta.graph.backends.embedded.scans.ScanQueries.kept_result`). ``yhdyspinta
ingest`` calls :func:`keep_national` after writing (and ``yhdyspinta keep`` and the server after a
write of theirs): the national rows (derived.py), then these results for the day it runs on.
Any later call for a day with the same validity reads them; any other is worked out (and kept)
when asked. On another back end this only computes them.
"""

from __future__ import annotations

from collections.abc import Callable

from yhdyspinta.graph.backends.protocol import Backend


def keep_national(backend: Backend, progress: Callable[[str], None] | None = None) -> None:
    """Work out (and so keep) the rows every national analysis reads, where the back end keeps them
    (the embedded one), then the national ``bridges`` and ``load`` of the back end's day;
    ``progress`` hears each step as it begins."""
    from yhdyspinta.graph.analyses.bridges import bridges  # networkx, rustworkx: only when asked
    from yhdyspinta.graph.analyses.load import load

    say = progress or (lambda step: None)
    rows = getattr(backend, "keep_national_rows", None)
    if callable(rows):
        say("keeping the rows of the national analyses")
        rows()
    for name, run in (("bridges", bridges), ("load", load)):
        say(f"keeping the national {name}")
        run(backend)
