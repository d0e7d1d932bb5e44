"""Operating-system plumbing for the launcher: detached start, liveness, signals, ports.

POSIX only (Linux, macOS). Nothing here knows about Neo4j beyond what it is given.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """Whether something already listens on ``host:port`` (bind as the server's netty would)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def spawn_detached(command: Sequence[str], *, log_file: Path, cwd: Path) -> int:
    """Start ``command`` in its own session, output appended to ``log_file``; return its pid.

    A shell starts it in the background and exits at once, so the process is not our child:
    it outlives this Python process, and we leave no zombie nor a "still running" warning.
    Raises OSError when the shell cannot start it.
    """
    done = subprocess.run(
        ["sh", "-c", '"$@" </dev/null >>"$0" 2>&1 & echo $!', str(log_file), *command],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        start_new_session=True,
        check=False,
    )
    pid = done.stdout.strip()
    if done.returncode != 0 or not pid.isdigit():
        raise OSError(f"could not start {command[0]}: {done.stderr.strip() or pid}")
    return int(pid)


def command_line(pid: int) -> str | None:
    """The process's command line, arguments joined by spaces; None if it is gone."""
    proc = Path(f"/proc/{pid}/cmdline")
    if proc.parent.is_dir():
        try:
            return proc.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            return None
    done = subprocess.run(["ps", "-o", "command=", "-p", str(pid)], capture_output=True, text=True)
    return (done.stdout.strip() or None) if done.returncode == 0 else None


def alive(pid: int) -> bool:
    """Whether the process exists and is not a zombie (exited, waiting to be reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    if Path("/proc/self/stat").exists():  # Linux
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return False  # exited between kill() and the read
    else:  # macOS, BSD
        done = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True)
        state = done.stdout.strip()[:1]
        if not state:
            return False
    return state not in ("Z", "X")


def terminate(pid: int, *, timeout: float, kill_wait: float = 10.0) -> bool:
    """SIGTERM, wait up to ``timeout``, then SIGKILL; True once the process is gone."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, kill_wait)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return True
        end = time.monotonic() + wait
        while time.monotonic() < end:
            if not alive(pid):
                return True
            time.sleep(0.1)
    return not alive(pid)
