"""The command line the two local SPARQL store launchers share (``python -m yhdyspinta.launcher.oxigraph``...)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from .layout import default_home
from .rdfstore import StoreInfo, StoreLauncherError


def run_cli(
    name: str,
    argv: Sequence[str] | None,
    *,
    default_port: int,
    install: Callable[[], str],
    start: Callable[[Path, int, str | None, float], StoreInfo],
    stop: Callable[[Path], bool],
    status: Callable[[Path], StoreInfo | None],
) -> int:
    """Parse ``argv`` and run the command; ``start`` and ``status`` print ``export`` lines (for ``eval``),
    messages go to stderr; ``status`` exits 3 when no store answers."""
    parser = argparse.ArgumentParser(prog=f"python -m yhdyspinta.launcher.{name}",
                                     description=f"Run a local {name} SPARQL store on 127.0.0.1.")
    parser.add_argument("command", choices=["install", "start", "stop", "status"])
    parser.add_argument("--home", type=Path, default=None,
                        help=f"data home; the store's files go to HOME/{name}/ (default: $YHDYSPINTA_HOME)")
    parser.add_argument("--port", type=int, default=default_port, help="HTTP port")
    parser.add_argument("--password", default=None, help="turn on basic auth for user 'yhdyspinta' (Fuseki)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for the start")
    args = parser.parse_args(argv)
    home = args.home or default_home()
    try:
        if args.command == "install":
            print(install())
        elif args.command == "start":
            began = time.monotonic()
            info = start(home, args.port, args.password, args.timeout)
            print(info.as_shell())
            print(f"{name} answers on {info.query} ({time.monotonic() - began:.1f} s)", file=sys.stderr)
        elif args.command == "stop":
            print("stopped" if stop(home) else "no store was running", file=sys.stderr)
        else:
            found = status(home)
            if found is None:
                print(f"no {name} store answers for {home}", file=sys.stderr)
                return 3
            print(found.as_shell())
    except StoreLauncherError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0
