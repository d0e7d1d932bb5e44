"""Where the local Neo4j server's files live, and what its ``neo4j.conf`` and java command say.

Pure data and paths, no processes: the one place that knows the file layout, so that
``server.py`` (start/stop/status) and ``install.sh`` agree on it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

NEO4J_VERSION = "5.26.30"  # keep in step with <neo4j.version> in pom.xml
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"  # what bin/neo4j console runs
ADMIN_TOOL = "org.neo4j.cli.AdminTool"  # what bin/neo4j-admin runs

LAUNCHER_DIR = Path(__file__).resolve().parent
POM = LAUNCHER_DIR / "pom.xml"
INSTALL_SCRIPT = LAUNCHER_DIR / "install.sh"

# The JVM flags the official `neo4j` start script adds (from the 5.26 default neo4j.conf),
# minus the ones that only matter for big production heaps (AlwaysPreTouch, JFR tuning).
JVM_OPTIONS: tuple[str, ...] = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
)


@dataclass(frozen=True)
class ServerPaths:
    """Where one server's files live: everything under ``HOME/neo4j``."""

    root: Path

    @property
    def conf(self) -> Path:
        return self.root / "conf"

    @property
    def config_file(self) -> Path:
        return self.conf / "neo4j.conf"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def run(self) -> Path:
        return self.root / "run"

    @property
    def plugins(self) -> Path:
        return self.root / "plugins"

    @property
    def import_dir(self) -> Path:
        return self.root / "import"

    @property
    def pid_file(self) -> Path:
        return self.run / "neo4j.pid"

    @property
    def state_file(self) -> Path:
        """Port and password of the last start (mode 0600), read by ``status``."""
        return self.root / "launcher.json"

    @property
    def console_log(self) -> Path:
        """The JVM's stdout and stderr: errors from before Neo4j's own logging is up."""
        return self.logs / "console.log"

    @property
    def folders(self) -> tuple[Path, ...]:
        return (self.conf, self.data, self.logs, self.run, self.plugins, self.import_dir)


def server_paths(home: Path) -> ServerPaths:
    """The file layout of the server belonging to ``home`` (absolute, so the pid check works)."""
    return ServerPaths(Path(home).expanduser().resolve() / "neo4j")


def default_home() -> Path:
    """``$YHDYSPINTA_HOME``, else the user's data directory, as ``yhdyspinta.settings`` does."""
    env = os.environ.get("YHDYSPINTA_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("yhdyspinta", appauthor=False))


def default_lib_dir() -> Path:
    """Where the jars go; one cache shared by every home, so tests do not fetch 140 MB each.

    ``$YHDYSPINTA_NEO4J_LIB``, else ``$YHDYSPINTA_HOME/neo4j/lib``, else
    ``${XDG_CACHE_HOME:-~/.cache}/yhdyspinta/neo4j/lib`` (the same rule as ``install.sh``).
    """
    if lib := os.environ.get("YHDYSPINTA_NEO4J_LIB"):
        return Path(lib).expanduser()
    if home := os.environ.get("YHDYSPINTA_HOME"):
        return Path(home).expanduser() / "neo4j" / "lib"
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache).expanduser() / "yhdyspinta" / "neo4j" / "lib"


def is_installed(lib_dir: Path) -> bool:
    """True when ``lib_dir`` holds the jars for the current ``pom.xml`` (install.sh's stamp)."""
    stamp = lib_dir / ".installed"
    if not stamp.is_file():
        return False
    return stamp.read_text().strip() == hashlib.sha256(POM.read_bytes()).hexdigest()


def server_command(java: str, lib_dir: Path, paths: ServerPaths, *, heap: str) -> list[str]:
    """The java command line that runs the server (what ``bin/neo4j console`` would run)."""
    return [
        java,
        f"-Xms{heap}",
        f"-Xmx{heap}",
        *JVM_OPTIONS,
        "-cp",
        f"{lib_dir}/*",
        ENTRY_POINT,
        f"--home-dir={paths.root}",
        f"--config-dir={paths.conf}",
    ]


def render_config(
    paths: ServerPaths,
    *,
    lib_dir: Path,
    bolt_port: int,
    http_port: int | None,
    auth: bool,
    heap: str,
    pagecache: str,
) -> str:
    """The ``neo4j.conf`` for one server: loopback only, small memory, small transaction logs."""
    if http_port is None:
        http = ["server.http.enabled=false"]
    else:
        http = [
            "server.http.enabled=true",
            f"server.http.listen_address=127.0.0.1:{http_port}",
            f"server.http.advertised_address=127.0.0.1:{http_port}",
        ]
    lines = [
        "# Written by yhdyspinta.launcher on every start; edits are overwritten.",
        f"# Neo4j Community {NEO4J_VERSION}, run as: java -cp '{lib_dir}/*' {ENTRY_POINT}",
        "",
        f"server.directories.data={paths.data}",
        f"server.directories.logs={paths.logs}",
        f"server.directories.run={paths.run}",
        f"server.directories.plugins={paths.plugins}",
        f"server.directories.import={paths.import_dir}",
        f"server.directories.lib={lib_dir}",
        "",
        "# Loopback only: nothing outside this machine can connect.",
        "server.default_listen_address=127.0.0.1",
        "server.default_advertised_address=127.0.0.1",
        "server.bolt.enabled=true",
        f"server.bolt.listen_address=127.0.0.1:{bolt_port}",
        f"server.bolt.advertised_address=127.0.0.1:{bolt_port}",
        *http,
        "server.https.enabled=false",
        f"dbms.security.auth_enabled={'true' if auth else 'false'}",
        "",
        "# Memory: light enough for tests on a laptop. The heap is passed to java as",
        "# -Xms/-Xmx (bin/neo4j would derive those from these two lines).",
        f"server.memory.heap.initial_size={heap}",
        f"server.memory.heap.max_size={heap}",
        f"server.memory.pagecache.size={pagecache}",
        "",
        "# Neo4j is a derived, rebuildable view here: small transaction logs, no query log,",
        "# no usage reports sent home.",
        "db.tx_log.rotation.size=32M",
        "db.tx_log.rotation.retention_policy=2 files",
        "db.logs.query.enabled=OFF",
        "dbms.usage_report.enabled=false",
        "# Bolt's netty shutdown waits 2 x 5 s by default; 1 s makes a stop take ~2 s.",
        "internal.dbms.bolt.netty_server_shutdown_quiet_period=1",
        "",
    ]
    return "\n".join(lines)
