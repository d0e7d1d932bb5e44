"""Start and stop a local Apache Jena Fuseki 5.6 (TDB2): a real remote SPARQL 1.1 store.

Like the Neo4j launcher: :func:`install` fetches the jars of ``launcher/fuseki/pom.xml`` from
Maven Central once (with ``mvn``; :mod:`.toolchain` finds or fetches Maven and Java 17) into a
cache shared by every home; :func:`start` writes ``HOME/fuseki/config.ttl`` and runs
``java -cp 'lib/*' org.apache.jena.fuseki.main.cmds.FusekiMainCmd`` detached, on 127.0.0.1.

The dataset ``/yhdyspinta`` is TDB2 in ``HOME/fuseki/data`` with ``tdb2:unionDefaultGraph
true``: its default graph is the union of the named graphs, as the embedded store reads it.
Endpoints: ``/yhdyspinta/query``, ``/yhdyspinta/update``, ``/yhdyspinta/data`` (Graph Store
Protocol, read-write). ``password=`` turns on HTTP basic auth for user ``yhdyspinta`` on all three.

    python -m yhdyspinta.launcher.fuseki install            # what .ci/run calls (once, cached)
    eval "$(python -m yhdyspinta.launcher.fuseki start --home DIR --port 3030)"
    python -m yhdyspinta.launcher.fuseki stop --home DIR
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from .rdfstore import StoreInfo, StoreLauncherError, start_store, status_store, stop_store, store_paths
from .storecli import run_cli
from .toolchain import ToolchainError, find_java, maven

__all__ = ["DEFAULT_PORT", "JENA_VERSION", "USER", "default_lib_dir", "install", "is_installed", "main",
           "start", "status", "stop"]

JENA_VERSION = "5.6.0"  # keep in step with <jena.version> in fuseki/pom.xml
DEFAULT_PORT = 3030
NAME = "fuseki"
DATASET = "yhdyspinta"
USER = "yhdyspinta"
ENTRY_POINT = "org.apache.jena.fuseki.main.cmds.FusekiMainCmd"
POM = Path(__file__).resolve().parent / "fuseki" / "pom.xml"


def default_lib_dir() -> Path:
    """``$YHDYSPINTA_FUSEKI_LIB``, else ``${XDG_CACHE_HOME:-~/.cache}/yhdyspinta/fuseki/lib``."""
    if lib := os.environ.get("YHDYSPINTA_FUSEKI_LIB"):
        return Path(lib).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache).expanduser() / "yhdyspinta" / "fuseki" / "lib"


def _stamp() -> str:
    return hashlib.sha256(POM.read_bytes()).hexdigest()


def is_installed(lib: Path) -> bool:
    """True when ``lib`` holds the jars of the current pom (its SHA-256 in ``.installed``)."""
    stamp = lib / ".installed"
    return stamp.is_file() and stamp.read_text().strip() == _stamp()


def install(*, lib_dir: Path | None = None) -> Path:
    """The jar folder, fetched from Maven Central once (built beside, swapped in at the end)."""
    lib = (lib_dir or default_lib_dir()).expanduser().resolve()
    if is_installed(lib):
        return lib
    lib.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{lib}.lock", "w") as lock:  # two sessions sharing a cache install once
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_installed(lib):
            return lib
        try:
            mvn, env = maven()
        except ToolchainError as exc:
            raise StoreLauncherError(str(exc)) from exc
        tmp = lib.with_name(f"{lib.name}.tmp.{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        done = subprocess.run(
            [str(mvn), "-q", "-B", "-Dstyle.color=never", "-f", str(POM), "dependency:copy-dependencies",
             f"-DoutputDirectory={tmp}"],
            stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False, env=env,
        )
        if done.returncode != 0 or not (tmp / f"jena-fuseki-main-{JENA_VERSION}.jar").is_file():
            shutil.rmtree(tmp, ignore_errors=True)
            raise StoreLauncherError(f"mvn could not fetch the Fuseki jars (exit {done.returncode}):\n"
                                     f"{(done.stdout + done.stderr)[-3000:]}")
        (tmp / ".installed").write_text(_stamp() + "\n")
        shutil.rmtree(lib, ignore_errors=True)
        tmp.rename(lib)
    return lib


def render_config(data: Path, *, auth: bool) -> str:
    """The Fuseki configuration: one TDB2 dataset, union default graph, query/update/GSP endpoints."""
    allowed = f' ;\n  fuseki:allowedUsers "{USER}"' if auth else ""
    return f"""# Written by yhdyspinta.launcher.fuseki on every start; edits are overwritten.
PREFIX fuseki: <http://jena.apache.org/fuseki#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX tdb2: <http://jena.apache.org/2016/tdb#>

[] rdf:type fuseki:Server .

<#service> rdf:type fuseki:Service ;
  fuseki:name "{DATASET}" ;
  fuseki:endpoint [ fuseki:operation fuseki:query ; fuseki:name "query" ] ;
  fuseki:endpoint [ fuseki:operation fuseki:update ; fuseki:name "update" ] ;
  fuseki:endpoint [ fuseki:operation fuseki:gsp-rw ; fuseki:name "data" ] ;
  fuseki:dataset <#dataset>{allowed} .

# The default graph is the union of the named graphs, as the embedded store reads it.
<#dataset> rdf:type tdb2:DatasetTDB2 ;
  tdb2:location "{data}" ;
  tdb2:unionDefaultGraph true .
"""


def info_for(port: int, password: str | None) -> StoreInfo:
    base = f"http://127.0.0.1:{port}/{DATASET}"
    return StoreInfo(NAME, f"{base}/query", f"{base}/update", f"{base}/data",
                     user=USER if password is not None else None, password=password)


def start(*, home: Path, port: int = DEFAULT_PORT, password: str | None = None, timeout: float = 120,
          lib_dir: Path | None = None, heap: str = "512m") -> StoreInfo:
    """Start the Fuseki server of ``home`` (or find it running); return its endpoints."""
    paths = store_paths(home, NAME)
    lib = install(lib_dir=lib_dir)
    try:
        java = str(find_java().executable)
    except ToolchainError as exc:
        raise StoreLauncherError(f"Fuseki 5.6 needs Java 17+: {exc}") from exc
    paths.data.mkdir(parents=True, exist_ok=True)
    config = paths.root / "config.ttl"
    config.write_text(render_config(paths.data, auth=password is not None), encoding="utf-8")
    command = [java, f"-Xmx{heap}", "-cp", f"{lib}/*", ENTRY_POINT, f"--config={config}", f"--port={port}",
               "--localhost"]
    if password is not None:
        passwd = paths.root / "passwd"
        fd = os.open(passwd, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(f"{USER}: {password}\n")
        command += [f"--passwd={passwd}", "--auth=basic"]
    return start_store(paths, command, info_for(port, password), marker=f"--config={config}", port=port,
                       timeout=timeout)


def stop(*, home: Path, timeout: float = 30) -> bool:
    return stop_store(store_paths(home, NAME), timeout=timeout)


def status(*, home: Path) -> StoreInfo | None:
    return status_store(store_paths(home, NAME))


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m yhdyspinta.launcher.fuseki install|start|stop|status``."""
    return run_cli(
        "fuseki", argv, default_port=DEFAULT_PORT, install=lambda: str(install()),
        start=lambda home, port, password, timeout: start(home=home, port=port, password=password,
                                                          timeout=timeout),
        stop=lambda home: stop(home=home), status=lambda home: status(home=home),
    )


if __name__ == "__main__":
    sys.exit(main())
