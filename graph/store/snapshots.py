"""Snapshots of the store that other processes may read while the server writes.

RocksDB lets one process hold a store read-write, and opening the same files
read-only while that process writes is undefined behaviour. So the query
workers (and the extra uvicorn workers of ``serve --workers N``) never open
the live store: they open a *checkpoint*, a static copy that RocksDB makes
with hard links in milliseconds (``pyoxigraph.Store.backup``). After every
write the server takes a new checkpoint; old ones are deleted once no worker
reads them.

Each new checkpoint is compacted before anyone reads it (:func:`compact`): a store
built by many small ingest writes keeps its data in many overlapping files, and a
query over the compacted copy runs about a fifth faster (bench/sparql_endpoint.py:
90 -> 72 ms for a national GROUP BY at 486k triples; the compaction takes 0.4 s).
The compacted checkpoint has files of its own instead of links to the live store's.
"""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from yhdyspinta.errors import StoreError
from yhdyspinta.graph.store.store import Store, publish_snapshot
from yhdyspinta.launcher.process import alive


def open_read_only(path: Path) -> Store:
    """A checkpoint opened read-only: every read works, writes are refused."""
    return Store(path, read_only=True)


def is_read_only(store: Store) -> bool:
    return store.read_only


def checkpoint(store: Store, target: Path) -> Path:
    """A static copy of ``store`` at ``target`` (hard links when on the same file system)."""
    return store.checkpoint(target)


def compact(path: Path) -> None:
    """Compact a fresh checkpoint in place (RocksDB writes new files; the live store's stay as they are),
    so that the readers find each key in one sorted file rather than in every write's own."""
    copy = ox.Store(str(path))
    try:
        copy.optimize()
    finally:
        del copy


class Snapshots:
    """The current checkpoint of a store, renewed after writes, old ones collected.

    For a read-only store (already a static checkpoint) the store's own
    directory is the snapshot and nothing is ever renewed.
    """

    def __init__(self, store: Store, workdir: Path, *, prepare: Callable[[Path], None] | None = None,
                 compact_snapshots: bool = True) -> None:
        if store.path is None:
            raise StoreError("the HTTP server needs an on-disk store (Store(path))")
        self._store = store
        self._dir = workdir / f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._lock = threading.Lock()
        self._retired: list[Path] = []
        self._static = is_read_only(store)
        self._prepare = prepare  # run on each new checkpoint before anyone reads it (e.g. to hide paths)
        self._compact = compact_snapshots
        self._current: Path = store.path if self._static else self._take()

    @property
    def current(self) -> Path:
        return self._current

    def _take(self) -> Path:
        path = checkpoint(self._store, self._dir / uuid.uuid4().hex)
        if self._prepare is not None:
            self._prepare(path)
        if self._compact:
            compact(path)
        publish_snapshot(self._store.path, path)  # other processes (the CLI) read the store through it
        return path

    def renew(self) -> Path:
        """Take a new checkpoint after a write; the old one is retired."""
        if self._static:
            return self._current
        with self._lock:
            fresh = self._take()
            self._retired.append(self._current)
            self._current = fresh
            return fresh

    def scratch(self) -> Path:
        """A private read-write copy of the store as it is now (for SPARQL Update)."""
        return checkpoint(self._store, self._dir / f"scratch-{uuid.uuid4().hex}")

    def collect(self, in_use: set[str]) -> None:
        """Delete retired checkpoints that no worker has open."""
        with self._lock:
            keep = []
            for path in self._retired:
                if str(path) in in_use:
                    keep.append(path)
                else:
                    shutil.rmtree(path, ignore_errors=True)
            self._retired = keep

    def close(self) -> None:
        if not self._static:
            shutil.rmtree(self._dir, ignore_errors=True)


def remove_stale(workdir: Path) -> list[Path]:
    """Delete the snapshot folders of server processes that are gone (killed before they could clean up).

    Each server keeps its snapshots under ``workdir/<pid>-<id>``, and a
    ``serve --workers N`` its shared one under ``workdir/shared-<pid>-<time>``;
    a folder whose process no longer runs is removed. Returns what was removed.
    """
    removed: list[Path] = []
    if not workdir.is_dir():
        return removed
    for entry in workdir.iterdir():
        head = entry.name.removeprefix("shared-").split("-", 1)[0]
        if not entry.is_dir() or not head.isdigit() or alive(int(head)):
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def discard(path: Path | str) -> None:
    shutil.rmtree(path, ignore_errors=True)
