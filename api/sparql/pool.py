"""Worker processes that run SPARQL, so that a query past its time limit really stops.

Oxigraph cannot interrupt a query from Python, and a thread cannot be
killed. So every partner query runs in a worker process that reads a
snapshot of the store (graph/store/snapshots.py); when the time limit passes, the
server kills that process, answers 503 and starts a fresh worker, while the
other workers go on answering.

Workers are started by a ``forkserver``: forking the server itself, which
holds RocksDB and uvicorn's threads, is not safe, but the fork server is a
fresh single-threaded process that imports only the worker's code
(this module: pyoxigraph, and rdflib's SPARQL grammar for the guard, built
once there by ``warm_up``) and forks each worker from that. So the workers
share those pages copy-on-write (about 50 MB each under ``spawn``, where
every worker also re-imported the server's main module, the whole CLI), and a
replacement worker is ready in milliseconds instead of a second.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any, TypeAlias

import pyoxigraph as ox

from yhdyspinta.api.sparql.execute import Answer, QueryJob, UpdateJob, run_query, run_update, run_upload
from yhdyspinta.api.sparql.guard import warm_up
from yhdyspinta.api.sparql.sandbox import deny_network
from yhdyspinta.errors import QueryTimeoutError

if TYPE_CHECKING:  # a worker imports uploads (and the ingest package) when its first upload arrives
    from yhdyspinta.api.sparql.uploads import ParseJob

_CTX = multiprocessing.get_context("forkserver")
#: what the fork server imports before forking workers (the main module is deliberately not among them)
_CTX.set_forkserver_preload([__name__])


def _worker_main(conn: Connection) -> None:
    """The worker's loop: cut the process off the network, then open each job's snapshot and run the job."""
    deny_network()
    warm_up()  # already done in the fork server (see the module's end); a no-op then
    opened: tuple[str, ox.Store] | None = None
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        if not isinstance(job, QueryJob | UpdateJob):  # a ParseJob
            conn.send(run_upload(job))
            continue
        if opened is None or opened[0] != job.snapshot:
            opened = None  # release the old snapshot first
            opened = (job.snapshot, ox.Store.read_only(job.snapshot))
        store = opened[1]
        answer = run_update(store, job) if isinstance(job, UpdateJob) else run_query(store, job)
        conn.send(answer)


class _Worker:
    """One worker process and the pipe to it."""

    def __init__(self, *, lane: bool = False) -> None:
        self.lane = lane  # the reserved worker for quick answers while the others are busy
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


Job: TypeAlias = "QueryJob | UpdateJob | ParseJob"


class QueryPool:
    """A fixed number of worker processes, plus one reserved for quick answers.

    ``run`` takes a free general worker. When every general worker is busy
    (say, with two slow queries), a job goes to the reserved *lane* worker
    instead, with a short time limit (``lane_timeout``): a cheap query is
    answered at once, and an expensive one is stopped early with a 503 that
    says the server is busy, rather than everyone waiting behind the slow
    ones. ``snapshot`` gives the path the next job must read; ``on_idle``
    learns which snapshots the workers still hold open (to collect old ones).
    """

    def __init__(self, *, size: int, timeout: float, snapshot: Callable[[], str],
                 on_idle: Callable[[set[str]], None] | None = None, lane_timeout: float = 2.0) -> None:
        self.size = max(1, size)
        self.timeout = timeout
        self.lane_timeout = min(lane_timeout, timeout)
        self._snapshot = snapshot
        self._on_idle = on_idle or (lambda in_use: None)
        self._workers: list[_Worker] = []
        self._idle: asyncio.Queue[_Worker] | None = None
        self._lane: asyncio.Queue[_Worker] | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self.killed = 0

    def start(self) -> None:
        """Start the workers (call from the event loop that will use the pool)."""
        self._idle = asyncio.Queue()
        self._lane = asyncio.Queue()
        self._executor = ThreadPoolExecutor(self.size + 1, thread_name_prefix="yhdyspinta-query")
        for i in range(self.size + 1):
            w = _Worker(lane=i == self.size)
            self._workers.append(w)
            (self._lane if w.lane else self._idle).put_nowait(w)

    async def _acquire(self) -> _Worker:
        """A free general worker, else the lane worker if free, else whichever frees first."""
        assert self._idle is not None and self._lane is not None
        for queue in (self._idle, self._lane):
            if not queue.empty():
                return queue.get_nowait()
        getters = [asyncio.ensure_future(q.get()) for q in (self._idle, self._lane)]
        try:
            done, _pending = await asyncio.wait(getters, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for g in getters:
                g.cancel()
        got = [g.result() for g in getters if g in done and not g.cancelled()]
        for extra in got[1:]:  # both freed at once: keep one, give the other back
            self._put_back(extra)
        return got[0]

    def _put_back(self, worker: _Worker) -> None:
        queue = self._lane if worker.lane else self._idle
        if queue is not None:
            queue.put_nowait(worker)

    async def run(self, job: Job, *, timeout: float | None = None) -> Answer:
        """Run ``job`` on a free worker; QueryTimeoutError when it takes too long.

        The waiting happens in a thread of the pool's own; if the request is
        cancelled meanwhile, the worker still returns to the pool when done.
        """
        if self._idle is None or self._executor is None:
            self.start()  # an app driven without its lifespan (an in-process test client)
        limit = self.timeout if timeout is None else timeout
        worker = await self._acquire()
        if worker.lane:
            limit = min(limit, self.lane_timeout)
        job = replace(job, snapshot=job.snapshot or self._snapshot())
        started = time.monotonic()
        future = asyncio.get_running_loop().run_in_executor(self._executor, self._call, worker, job, limit)
        future.add_done_callback(self._release)
        answer = (await asyncio.shield(future))[1]
        if answer is None:
            if worker.lane:
                raise QueryTimeoutError(
                    f"every query worker is busy with long queries, and on the reserved lane a query may take "
                    f"{limit:g} s; it was stopped after {time.monotonic() - started:.1f} s: try again shortly"
                )
            raise QueryTimeoutError(
                f"the query ran past the time limit of {limit:g} s and was stopped "
                f"after {time.monotonic() - started:.1f} s; narrow it or add a LIMIT"
            )
        self._on_idle({w.snapshot for w in self._workers if w.snapshot})
        return answer

    def _call(self, worker: _Worker, job: Job, limit: float) -> tuple[_Worker, Answer | None]:
        """In a thread: run the job; on timeout or a dead worker, kill it and start another."""
        try:
            answer = worker.call(job, limit)
        except (OSError, EOFError):
            return self._replace(worker), Answer(500, b"the query worker died; try again\n")
        if answer is None or answer.status == 500:
            return self._replace(worker), answer
        return worker, answer

    def _release(self, future: asyncio.Future[tuple[_Worker, Answer | None]]) -> None:
        if not future.cancelled() and future.exception() is None:
            self._put_back(future.result()[0])

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        fresh = _Worker(lane=worker.lane)
        with self._lock:
            self._workers = [fresh if w is worker else w for w in self._workers]
            self.killed += 1
        return fresh

    def close(self) -> None:
        for w in self._workers:
            w.stop()
        self._workers = []
        self._idle = self._lane = None
        if self._executor is not None:
            self._executor.shutdown(wait=False)
            self._executor = None


def _in_fork_server() -> bool:
    """Whether this process is the fork server (CPython starts it with ``-c "from multiprocessing.forkserver
    import main; ..."``), where the preload imports this module."""
    return any("multiprocessing.forkserver import main" in arg for arg in sys.orig_argv)


if _in_fork_server():
    warm_up()  # in the fork server: build the guard's grammar once, shared by every worker it forks
