"""Worker processes that run SPARQL, so that a query past its time limit really stops.

Oxigraph cannot interrupt a query from Python, and a thread cannot be
killed. So every partner query runs in a worker process that reads a
snapshot of the store (api/snapshots.py); when the time limit passes, the
server kills that process, answers 503 and starts a fresh worker, while the
other workers go on answering. Workers are started with ``spawn``: forking a
process that holds RocksDB and uvicorn's threads is not safe.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox
from yhdyspinta.api.sparql_exec import Answer, QueryJob, UpdateJob, run_query, run_update

from yhdyspinta.errors import QueryTimeoutError

_CTX = multiprocessing.get_context("spawn")


def _worker_main(conn: Connection) -> None:
    """The worker's loop: open the job's snapshot (read-only) and run the job."""
    opened: tuple[str, ox.Store] | None = None
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        if opened is None or opened[0] != job.snapshot:
            opened = None  # release the old snapshot first
            opened = (job.snapshot, ox.Store.read_only(job.snapshot))
        store = opened[1]
        answer = run_update(store, job) if isinstance(job, UpdateJob) else run_query(store, job)
        conn.send(answer)


class _Worker:
    """One worker process and the pipe to it."""

    def __init__(self) -> None:
        self.conn, child = _CTX.Pipe()
        self.process = _CTX.Process(target=_worker_main, args=(child,), daemon=True, name="yhdyspinta-query")
        self.process.start()
        child.close()
        self.snapshot: str | None = None

    def call(self, job: Any, timeout: float) -> Answer | None:
        """Send the job and wait; None when the time limit passed."""
        self.snapshot = job.snapshot
        self.conn.send(job)
        if not self.conn.poll(timeout):
            return None
        answer: Answer = self.conn.recv()
        return answer

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(2)
        if self.process.is_alive():
            self.kill()


class QueryPool:
    """A fixed number of worker processes; ``run`` waits for a free one.

    ``snapshot`` gives the path the next job must read; ``on_idle`` learns
    which snapshots the workers still hold open (to collect old ones).
    """

    def __init__(self, *, size: int, timeout: float, snapshot: Callable[[], str],
                 on_idle: Callable[[set[str]], None] | None = None) -> None:
        self.size = max(1, size)
        self.timeout = timeout
        self._snapshot = snapshot
        self._on_idle = on_idle or (lambda in_use: None)
        self._workers: list[_Worker] = []
        self._idle: asyncio.Queue[_Worker] | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self.killed = 0

    def start(self) -> None:
        """Start the workers (call from the event loop that will use the pool)."""
        self._idle = asyncio.Queue()
        self._executor = ThreadPoolExecutor(self.size, thread_name_prefix="yhdyspinta-query")
        for _ in range(self.size):
            w = _Worker()
            self._workers.append(w)
            self._idle.put_nowait(w)

    async def run(self, job: QueryJob | UpdateJob, *, timeout: float | None = None) -> Answer:
        """Run ``job`` on a free worker; QueryTimeoutError when it takes too long.

        The waiting happens in a thread of the pool's own; if the request is
        cancelled meanwhile, the worker still returns to the pool when done.
        """
        if self._idle is None or self._executor is None:
            self.start()  # an app driven without its lifespan (an in-process test client)
        assert self._idle is not None
        limit = self.timeout if timeout is None else timeout
        worker = await self._idle.get()
        job = replace(job, snapshot=job.snapshot or self._snapshot())
        started = time.monotonic()
        future = asyncio.get_running_loop().run_in_executor(self._executor, self._call, worker, job, limit)
        future.add_done_callback(self._release)
        answer = (await asyncio.shield(future))[1]
        if answer is None:
            raise QueryTimeoutError(
                f"the query ran past the time limit of {limit:g} s and was stopped "
                f"after {time.monotonic() - started:.1f} s; narrow it or add a LIMIT"
            )
        self._on_idle({w.snapshot for w in self._workers if w.snapshot})
        return answer

    def _call(self, worker: _Worker, job: QueryJob | UpdateJob, limit: float) -> tuple[_Worker, Answer | None]:
        """In a thread: run the job; on timeout or a dead worker, kill it and start another."""
        try:
            answer = worker.call(job, limit)
        except (OSError, EOFError):
            return self._replace(worker), Answer(500, b"the query worker died; try again\n")
        if answer is None or answer.status == 500:
            return self._replace(worker), answer
        return worker, answer

    def _release(self, future: asyncio.Future[tuple[_Worker, Answer | None]]) -> None:
        if self._idle is not None and not future.cancelled() and future.exception() is None:
            self._idle.put_nowait(future.result()[0])

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        fresh = _Worker()
        with self._lock:
            self._workers = [fresh if w is worker else w for w in self._workers]
            self.killed += 1
        return fresh

    def close(self) -> None:
        for w in self._workers:
            w.stop()
        self._workers = []
        self._idle = None
        if self._executor is not None:
            self._executor.shutdown(wait=False)
            self._executor = None
