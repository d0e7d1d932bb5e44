"""After a write through the server, what the national analyses read is kept again, by another process.

Why: ``yhdyspinta ingest`` keeps the national rows and the national ``bridges`` and ``load`` beside
the store after writing (graph/analyses/kept.py); a write through the server (Graph Store Protocol,
SPARQL Update) makes a new version of the store, and without this the first national analysis
after it would work everything out again (about 4 s of rows and 5 s of bridges at 486,000 quads).
The work runs as ``yhdyspinta keep`` in a process of its own, at the lowest CPU priority: it reads
the snapshot the server publishes after the write (graph/store/store.py, ``open_store``) and writes
beside the served store, so the server's own memory does not grow by the national graph (about
300 MB while bridges runs) and its requests go on being answered. One runs at a time; writes made
while it runs start one more after it, for the newest version. Its output goes to the server's
log on failure only: a failed keep costs the next analysis the time, never a wrong answer (the
kept files are named by the version they were made from).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

log = logging.getLogger("yhdyspinta.keeper")


class Keeper:
    """Runs ``yhdyspinta keep`` for the store under ``home`` after writes, one at a time."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self._lock = threading.Lock()
        self._running = False
        self._again = False
        self._closed = False
        self._process: subprocess.Popen[bytes] | None = None

    def after_write(self) -> None:
        """Keep the new version's rows and results soon; returns at once."""
        with self._lock:
            if self._closed:
                return
            if self._running:
                self._again = True
                return
            self._running = True
            threading.Thread(target=self._loop, name="yhdyspinta-keeper", daemon=True).start()

    def _loop(self) -> None:
        while True:
            self._run_once()
            with self._lock:
                if not self._again or self._closed:
                    self._running = False
                    return
                self._again = False

    def _run_once(self) -> None:
        env = {**os.environ, "YHDYSPINTA_HOME": str(self.home), "NO_COLOR": "1"}
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "yhdyspinta", "keep"], env=env, stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            )
        except OSError as exc:
            log.warning("could not start `yhdyspinta keep` after a write: %s", exc)
            return
        _lowest_priority(process.pid)
        with self._lock:
            self._process = process
        _out, err = process.communicate()
        with self._lock:
            self._process = None
        if process.returncode != 0 and not self._closed:
            log.warning("`yhdyspinta keep` after a write exited %s: %s", process.returncode,
                        err.decode("utf-8", "replace")[-2000:])

    def close(self) -> None:
        """Stop a keep that runs (the server is stopping); nothing is left half-written (atomic files)."""
        with self._lock:
            self._closed = True
            process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)


def _lowest_priority(pid: int) -> None:
    """The lowest CPU priority for the child, so that the server's requests come first (set from here,
    not in the child before it runs: that hook is not safe in a process with threads)."""
    try:
        os.setpriority(os.PRIO_PROCESS, pid, 19)
    except OSError:
        pass
