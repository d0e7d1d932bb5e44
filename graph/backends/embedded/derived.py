"""National rows that do not depend on the day, kept beside the store and keyed by its version.

Why: at national scale (486,000 quads) reading every membership out of Oxigraph costs about
2 s (167,000 rows: the engine's joins, decoding the terms, parsing them in Python, sorting
them) and every national analysis (`bridges`, `load` without a region, the national matrix
and view) reads them again in a new process. What the scans give for all regions on any day
(each structure's kind, label and region, the tags, each membership with its member's kind
and municipality, sorted) changes only when the store is written, so it is worked out once
per version of the store and kept in a JSON file named by that version; the day's filter
(what does not exist on the day, dated memberships) is applied on reading, as before.

The key is :meth:`Store.version`, a digest of the source records that every write through
yhdyspinta replaces: a file of another version is never read, so an answer never comes from
data the store no longer holds (a file left by a write that failed half way names a version
that never became current). The caller adds :func:`code_digest` of the code that makes the rows,
so that rows made by an older release are not read either. A file that cannot be read or
written is ignored: the rows are then computed as without it. JSON, not pickle: reading it
runs no code. Only the files of the newest ``KEEP`` versions are kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any


@lru_cache(maxsize=8)
def code_digest(*places: Path) -> str:
    """A digest of the Python and SPARQL files ``places`` (files, or folders: every such file under them):
    part of every kept file's name, so that rows or results worked out by other code (an upgrade, a fix)
    are never read, though the store is the same. Read once per process (a few milliseconds)."""
    digest = hashlib.sha256()
    for place in places:
        files = [place] if place.is_file() else sorted(place.rglob("*"))
        for f in files:
            if f.suffix in (".py", ".rq") and "__pycache__" not in f.parts:
                digest.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


#: How many versions of the store have their files kept (the newest by modification time).
KEEP = 3
#: Bumped when what is kept changes shape, so that an older file is not read.
FORMAT = 1


def kept_rows(folder: Path | None, version: str, key: str, make: Callable[[], Any]) -> Any:
    """The rows kept under ``key`` for ``version`` of the store in ``folder``; else ``make()``'s,
    kept there for the next process (one file a key: an analysis reads only what it asks)."""
    if folder is None:
        return make()
    file = folder / f"{version}-{_slug(key)}-v{FORMAT}.json"
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass  # none yet, or unreadable: made again
    rows = make()
    tmp: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".derived-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            # dumps, not dump: json.dump writes through the pure-Python encoder (2 s for the national
            # memberships), dumps through the C one (0.2 s)
            fh.write(json.dumps(rows, ensure_ascii=False, separators=(",", ":")))
        os.replace(tmp, file)  # a reader sees the old file or the new one, never half of one
        tmp = None
        _prune(folder)
    except OSError:
        pass  # a read-only place: the rows are made again next time
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return rows


def _slug(key: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in key)[:80]


def _prune(folder: Path) -> None:
    """Remove the files of all but the newest KEEP versions."""
    newest: dict[str, int] = {}
    files = list(folder.glob("*.json"))
    for f in files:
        try:
            stamp = f.stat().st_mtime_ns
        except OSError:
            continue
        version = f.name.split("-", 1)[0]
        newest[version] = max(newest.get(version, 0), stamp)
    kept = set(sorted(newest, key=newest.__getitem__, reverse=True)[:KEEP])
    for f in files:
        if f.name.split("-", 1)[0] not in kept:
            f.unlink(missing_ok=True)
