"""Start and stop a local Oxigraph server: a real remote SPARQL 1.1 store for the sparql back end.

The PyPI wheel ``oxigraph`` (0.5.x) ships the server binary ``oxigraph``; :func:`install` puts it
into the running Python's environment with pip when it is missing (the ``test`` extra lists it).
The server listens on ``127.0.0.1`` only, keeps its data in ``HOME/oxigraph/data`` and reads its
default graph as the union of the named graphs (``--union-default-graph``), as the embedded
store does. It has no authentication: loopback only.

    eval "$(python -m yhdyspinta.launcher.oxigraph start --home DIR --port 7878)"
    python -m yhdyspinta.launcher.oxigraph status --home DIR
    python -m yhdyspinta.launcher.oxigraph stop --home DIR
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Sequence
from pathlib import Path

from .rdfstore import StoreInfo, StoreLauncherError, start_store, status_store, stop_store, store_paths
from .storecli import run_cli

__all__ = ["DEFAULT_PORT", "binary", "install", "main", "start", "status", "stop"]

DEFAULT_PORT = 7878
NAME = "oxigraph"
REQUIREMENT = "oxigraph>=0.5,<0.6"  # as in pyproject.toml's test extra


def binary() -> Path | None:
    """The ``oxigraph`` server binary of this Python's environment, else the one on PATH."""
    here = Path(sysconfig.get_path("scripts")) / "oxigraph"
    if here.is_file():
        return here
    found = shutil.which("oxigraph")
    return Path(found) if found else None


def install() -> Path:
    """The server binary, installed from PyPI with pip when missing."""
    found = binary()
    if found is not None:
        return found
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", REQUIREMENT],
                          capture_output=True, text=True, check=False)
    found = binary()
    if done.returncode != 0 or found is None:
        raise StoreLauncherError(f"pip install {REQUIREMENT} failed (exit {done.returncode}): {done.stderr[-2000:]}")
    return found


def info_for(port: int) -> StoreInfo:
    base = f"http://127.0.0.1:{port}"
    return StoreInfo(NAME, f"{base}/query", f"{base}/update", f"{base}/store")


def start(*, home: Path, port: int = DEFAULT_PORT, timeout: float = 60) -> StoreInfo:
    """Start the Oxigraph server of ``home`` (or find it running); return its endpoints."""
    paths = store_paths(home, NAME)
    paths.data.mkdir(parents=True, exist_ok=True)
    command = [str(install()), "serve", "--location", str(paths.data), "--bind", f"127.0.0.1:{port}",
               "--union-default-graph"]
    return start_store(paths, command, info_for(port), marker=str(paths.data), port=port, timeout=timeout)


def stop(*, home: Path, timeout: float = 30) -> bool:
    return stop_store(store_paths(home, NAME), timeout=timeout)


def status(*, home: Path) -> StoreInfo | None:
    return status_store(store_paths(home, NAME))


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m yhdyspinta.launcher.oxigraph install|start|stop|status``."""
    return run_cli(
        "oxigraph", argv, default_port=DEFAULT_PORT, install=lambda: str(install()),
        start=lambda home, port, _password, timeout: start(home=home, port=port, timeout=timeout),
        stop=lambda home: stop(home=home), status=lambda home: status(home=home),
    )


if __name__ == "__main__":
    sys.exit(main())
