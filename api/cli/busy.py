"""What to do when a write finds the store held by another process (``yhdyspinta serve``).

Reads never stop at the lock: they read the holder's latest snapshot (graph/store/store.py's
``open_store``). A write cannot go in behind the server's back, so the CLI says exactly what
works instead: stop the server and run the command again, or send each source to the server's
Graph Store API (api/http/routes/graph_store.py: ``PUT /graph-store?graph=<IRI>`` with the
stewards' bearer token), which validates and writes it as an ingest does.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from urllib.parse import quote

from yhdyspinta.errors import StoreBusyError, YhdyspintaError
from yhdyspinta.ingest.discover import SourceFile, discover
from yhdyspinta.ingest.pipeline import graph_for

__all__ = ["ingest_instead"]

#: rdflib's name of an RDF syntax (ingest/discover.py) -> the Content-Type the Graph Store accepts for it.
_CONTENT_TYPES = {"turtle": "text/turtle", "nt": "application/n-triples", "json-ld": "application/ld+json",
                  "xml": "application/rdf+xml"}
_SHOWN = 5  # commands listed before "... and N more"


def ingest_instead(busy: StoreBusyError, paths: list[Path], *, graph: str | None, bundled: bool) -> str:
    """The message for an ingest refused by the lock: who holds the store, and the two ways on."""
    pid, url = busy.holder.get("pid"), busy.holder.get("url")
    stop = f"stop it (Ctrl-C in its terminal, or `kill {pid}`)" if pid else "stop it"
    lines = [f"{busy}.", f"To ingest: {stop}, run this command again and start the server again"]
    if not url:
        return " ".join(lines) + "."
    lines[-1] += "; or send each source to its Graph Store API (validated like an ingest; with the token "
    lines[-1] += "the server was started with in YHDYSPINTA_WRITE_TOKEN):"
    sources = _sources(paths)
    sendable = [s for s in sources if s.kind == "rdf" and s.rdf_format in _CONTENT_TYPES]
    root = _root(paths)
    for source in sendable[:_SHOWN]:
        target = graph or (_bundled_graph(source) if bundled else None) or graph_for(source, root, {})
        lines.append("  " + _curl(str(url), target, source))
    if len(sendable) > _SHOWN:
        lines.append(f"  ... and {len(sendable) - _SHOWN} more, the same way")
    others = [s for s in sources if s not in sendable]
    if others:
        names = ", ".join(str(s.path) for s in others[:_SHOWN]) + (" ..." if len(others) > _SHOWN else "")
        lines.append(f"  (CSV/XLSX templates and quad formats need the first way: {names})")
    return "\n".join(lines)


def _curl(url: str, graph: str, source: SourceFile) -> str:
    endpoint = f"{url.rstrip('/')}/graph-store?graph={quote(graph, safe=':/')}"
    return " ".join([
        "curl --fail-with-body -X PUT", '-H "Authorization: Bearer $YHDYSPINTA_WRITE_TOKEN"',
        f"-H 'Content-Type: {_CONTENT_TYPES[source.rdf_format or 'turtle']}'",
        f"--data-binary @{shlex.quote(str(source.path))}", shlex.quote(endpoint),
    ])


def _sources(paths: list[Path]) -> list[SourceFile]:
    try:
        return discover(paths)
    except YhdyspintaError:  # the lock is the error to report; the paths' own errors come on the next run
        return []


def _bundled_graph(source: SourceFile) -> str | None:
    from yhdyspinta.ingest.bundle import bundled_graph

    return bundled_graph(source)


def _root(paths: list[Path]) -> Path:
    """The folder graph names are made relative to, as the ingest takes it (the common folder of the paths)."""
    resolved = [p.resolve() for p in paths] or [Path.cwd()]
    dirs = [p if p.is_dir() else p.parent for p in resolved]
    if len(dirs) == 1:
        return dirs[0].parent if resolved[0].is_dir() else dirs[0]
    common = dirs[0]
    for d in dirs[1:]:
        while not d.is_relative_to(common):
            common = common.parent
    return common
