"""What the two local SPARQL store launchers share: the running server's record, start, stop, status.

``oxigraph.py`` (Oxigraph server, from the PyPI wheel) and ``fuseki.py`` (Apache Jena Fuseki,
from Maven Central jars) each build a command line; this module runs it detached
(:func:`~yhdyspinta.launcher.process.spawn_detached`), waits until the query endpoint answers
``ASK {}``, keeps the endpoints in ``HOME/<name>/launcher.json`` (mode 0600: it may hold a
password) and stops it by the pid it recorded, only if that process still runs our command.
"""

from __future__ import annotations

import base64
import json
import os
import shlex
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import process

__all__ = ["StoreInfo", "StoreLauncherError", "StorePaths", "start_store", "status_store", "stop_store"]


class StoreLauncherError(Exception):
    """A local SPARQL store could not be installed, started, reached or stopped."""


@dataclass(frozen=True)
class StoreInfo:
    """How to reach a running store: what ``YHDYSPINTA_SPARQL_*`` carry to other tools."""

    name: str  # "oxigraph" or "fuseki"
    query: str
    update: str
    gsp: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    def env(self) -> dict[str, str]:
        """The ``YHDYSPINTA_SPARQL_*`` variables that point yhdyspinta at this store."""
        pairs = {"YHDYSPINTA_SPARQL_QUERY": self.query, "YHDYSPINTA_SPARQL_UPDATE": self.update,
                 "YHDYSPINTA_SPARQL_GSP": self.gsp}
        if self.user is not None:
            pairs["YHDYSPINTA_SPARQL_USER"] = self.user
            pairs["YHDYSPINTA_SPARQL_PASSWORD"] = self.password or ""
        return pairs

    def as_shell(self) -> str:
        """``export`` lines, so that ``eval "$(... start)"`` points a shell at this store."""
        return "\n".join(f"export {k}={shlex.quote(v)}" for k, v in self.env().items())


@dataclass(frozen=True)
class StorePaths:
    """One store's files: everything under ``HOME/<name>``."""

    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def state_file(self) -> Path:
        return self.root / "launcher.json"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"


def store_paths(home: Path, name: str) -> StorePaths:
    return StorePaths(Path(home).expanduser().resolve() / name)


def start_store(paths: StorePaths, command: Sequence[str], info: StoreInfo, *, marker: str, port: int,
                timeout: float) -> StoreInfo:
    """Run ``command`` detached unless this home's store already runs, and wait until it answers.

    ``marker``: a piece of the command line that tells our process from another with a recycled pid.
    """
    state = _read_state(paths)
    pid = _running_pid(paths, marker)
    if pid is not None:
        running = _info(state)
        if running != info:
            raise StoreLauncherError(
                f"a {info.name} store for {paths.root} already runs (pid {pid}, {running.query}) with other "
                "settings; stop it first"
            )
        _wait_ready(info, pid, paths, time.monotonic() + timeout, timeout)
        return info
    if process.port_in_use(port):
        raise StoreLauncherError(f"port {port} on 127.0.0.1 is already in use by another process")
    paths.root.mkdir(parents=True, exist_ok=True)
    with paths.log_file.open("a") as log:
        log.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} {shlex.join(command)}\n")
    try:
        pid = process.spawn_detached(command, log_file=paths.log_file, cwd=paths.root)
    except OSError as err:
        raise StoreLauncherError(str(err)) from err
    _write_state(paths, {"pid": pid, "marker": marker, "info": asdict(info)})
    try:
        _wait_ready(info, pid, paths, time.monotonic() + timeout, timeout)
    except StoreLauncherError:
        process.terminate(pid, timeout=30)  # leave no half-started server behind
        raise
    return info


def stop_store(paths: StorePaths, *, timeout: float = 30) -> bool:
    """Stop the store of ``paths`` (SIGTERM, then SIGKILL); False when none ran."""
    state = _read_state(paths)
    pid = _running_pid(paths, str(state.get("marker", "")))
    if pid is None:
        return False
    if not process.terminate(pid, timeout=timeout):
        raise StoreLauncherError(f"the store (pid {pid}) did not exit even after SIGKILL")
    return True


def status_store(paths: StorePaths) -> StoreInfo | None:
    """How to reach the store of ``paths`` if it runs and answers, else None."""
    state = _read_state(paths)
    if _running_pid(paths, str(state.get("marker", ""))) is None:
        return None
    info = _info(state)
    return info if _probe(info) is None else None


def _info(state: dict[str, Any]) -> StoreInfo:
    try:
        return StoreInfo(**state["info"])
    except (KeyError, TypeError) as err:
        raise StoreLauncherError(f"the launcher's state is incomplete ({err}); stop the store by its pid") from err


def _running_pid(paths: StorePaths, marker: str) -> int | None:
    state = _read_state(paths)
    pid = state.get("pid")
    if not isinstance(pid, int) or not marker or not process.alive(pid):
        return None
    args = process.command_line(pid)
    return pid if args is not None and marker in args else None


def _read_state(paths: StorePaths) -> dict[str, Any]:
    try:
        loaded = json.loads(paths.state_file.read_text())
    except FileNotFoundError:
        return {}
    except json.JSONDecodeError as err:
        raise StoreLauncherError(f"{paths.state_file} is corrupt ({err}); delete it") from err
    return loaded if isinstance(loaded, dict) else {}


def _write_state(paths: StorePaths, state: dict[str, Any]) -> None:
    tmp = paths.state_file.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(state, out, indent=2)
    os.replace(tmp, paths.state_file)


def _probe(info: StoreInfo) -> str | None:
    """One ``ASK {}``; None when the store answers true, else what went wrong."""
    body = urllib.parse.urlencode({"query": "ASK {}"}).encode()
    request = urllib.request.Request(info.query, data=body, method="POST", headers={
        "Accept": "application/sparql-results+json", "Content-Type": "application/x-www-form-urlencoded"})
    if info.user is not None:
        token = base64.b64encode(f"{info.user}:{info.password or ''}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 - our loopback URL
            answer = json.loads(response.read())
    except urllib.error.HTTPError as err:
        return f"HTTP {err.code}"
    except (OSError, ValueError) as err:
        return str(err)
    return None if answer.get("boolean") is True else f"unexpected answer {answer!r}"


def _wait_ready(info: StoreInfo, pid: int, paths: StorePaths, deadline: float, timeout: float) -> None:
    while True:
        if not process.alive(pid):
            raise StoreLauncherError(f"{info.name} (pid {pid}) exited during start-up. Log tail:\n{_tail(paths)}")
        error = _probe(info)
        if error is None:
            return
        if time.monotonic() >= deadline:
            raise StoreLauncherError(
                f"{info.name} did not answer on {info.query} within {timeout:g} s ({error}). Log tail:\n{_tail(paths)}"
            )
        time.sleep(0.2)


def _tail(paths: StorePaths, lines: int = 30) -> str:
    if not paths.log_file.is_file():
        return f"(no log at {paths.log_file})"
    return "\n".join(paths.log_file.read_text(errors="replace").rstrip().splitlines()[-lines:])
