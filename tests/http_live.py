"""A real `yhdyspinta serve` process on a free loopback port, for the end-to-end HTTP tests.

The server runs the same code path as the CLI command (api.cli_serve.run)
in a subprocess of its own, with its own YHDYSPINTA_HOME; tests talk to it
with real clients over TCP and the process is stopped at the end.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

TOKEN = "steward-token-for-tests"
_RUN = (
    "from yhdyspinta.api.cli.serve import run; from yhdyspinta.settings import Settings; "
    "import sys; run(Settings.from_env(), host='127.0.0.1', port=int(sys.argv[1]))"
)


@dataclass(frozen=True)
class LiveServer:
    url: str
    process: subprocess.Popen[bytes]
    home: Path
    token: str = TOKEN

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def worker_pids(self) -> set[int]:
        """The server's query worker processes (the children of its fork server, api/sparql/pool.py), from /proc."""
        parents: dict[int, list[int]] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        forkservers = [pid for pid in parents.get(self.process.pid, [])
                       if b"multiprocessing.forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        return {child for fs in forkservers for child in parents.get(fs, [])}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(home: Path, *, store: Path | None = None, token: str | None = TOKEN,
                env: dict[str, str] | None = None) -> Iterator[LiveServer]:
    """Serve ``store`` (copied into ``home``; empty when None) until the block ends."""
    if store is not None:
        shutil.copytree(store, home / "store")
    port = free_port()
    environment = {**os.environ, "YHDYSPINTA_HOME": str(home), **(env or {})}
    environment.pop("YHDYSPINTA_WRITE_TOKEN", None)
    if token:
        environment["YHDYSPINTA_WRITE_TOKEN"] = token
    log = open(home / "server.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen([sys.executable, "-c", _RUN, str(port)], env=environment, stdout=log,
                               stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited: {(home / 'server.log').read_text()[-2000:]}")
            try:
                if httpx.get(f"{url}/sparql", headers={"Accept": "text/turtle"}, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start within 60 s")
            time.sleep(0.2)
        yield LiveServer(url, process, home, token or "")
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        log.close()


class _PortalTransport(httpx.BaseTransport):
    """A synchronous httpx transport into an ASGI app running on a portal's event loop."""

    def __init__(self, app: object, portal: object) -> None:
        self._asgi = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        self._portal = portal

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()

        async def send() -> httpx.Response:
            inner = httpx.Request(request.method, request.url, headers=request.headers, content=body)
            response = await self._asgi.handle_async_request(inner)
            content = b"".join([chunk async for chunk in response.stream])  # type: ignore[union-attr]
            return httpx.Response(response.status_code, headers=response.headers, content=content)

        return self._portal.call(send)  # type: ignore[attr-defined, no-any-return]


@contextmanager
def asgi_client(app: object) -> Iterator[httpx.Client]:
    """An httpx client wired to ``app`` in-process, with the app's lifespan run around it."""
    from anyio.from_thread import start_blocking_portal

    with start_blocking_portal() as portal:
        lifespan = app.router.lifespan_context(app)  # type: ignore[attr-defined]
        with portal.wrap_async_context_manager(lifespan):
            with httpx.Client(transport=_PortalTransport(app, portal), base_url="http://testserver") as client:
                yield client


@contextmanager
def served_copy(store_dir: Path, home: Path, **settings: object) -> Iterator[httpx.Client]:
    """An in-process client of the app over a private copy of ``store_dir`` (in ``home``), closed after."""
    from yhdyspinta.api.http.app import create_app
    from yhdyspinta.graph.store.store import Store
    from yhdyspinta.settings import Settings

    home.mkdir(parents=True, exist_ok=True)
    shutil.copytree(store_dir, home / "store")
    config = Settings(home=home, **settings)  # type: ignore[arg-type]
    store = Store(config.store_path)
    try:
        with asgi_client(create_app(config, store)) as client:
            yield client
    finally:
        store.close()
