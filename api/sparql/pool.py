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
import ctypes
import multiprocessing
import os
import pickle
import struct
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, TypeAlias

import pyoxigraph as ox

from yhdyspinta.api.sparql.execute import CHUNK, Answer, QueryJob, UpdateJob, run_query, run_update, run_upload
from yhdyspinta.api.sparql.quick import QuickJobs
from yhdyspinta.api.sparql.sandbox import deny_network
from yhdyspinta.errors import QueryTimeoutError

if TYPE_CHECKING:  # a worker imports uploads (and the ingest package) when its first upload arrives
    from yhdyspinta.api.sparql.uploads import ParseJob

_CTX = multiprocessing.get_context("forkserver")
#: what the fork server imports before forking workers (the main module is deliberately not among them)
_CTX.set_forkserver_preload([__name__])


def _worker_main(conn: Connection, snapshot: str | None = None) -> None:
    """The worker's loop: cut the process off the network, then open each job's snapshot and run the job.

    A snapshot's path alone (at the start, or sent after a write: :meth:`QueryPool.warm`) is opened
    at once and answered with nothing, so that the next query does not wait for RocksDB to open it.
    """
    deny_network()
    from yhdyspinta.api.sparql.guard import warm_up  # here and in the fork server: the server does without it

    warm_up()  # already done in the fork server (see the module's end); a no-op then
    opened: tuple[str, ox.Store] | None = None
    job: str | Job | None = snapshot
    while True:
        if job is None:
            try:
                job = conn.recv()
            except EOFError:
                return
            if job is None:
                return
        if isinstance(job, str):
            if opened is None or opened[0] != job:
                opened = None
                try:
                    opened = (job, ox.Store.read_only(job))
                except (OSError, ValueError):  # gone already: the next job opens its own
                    pass
            job = None
            continue
        if not isinstance(job, QueryJob | UpdateJob):  # a ParseJob
            if send_answer(conn, run_upload(job)):
                _trim()
            job = None
            continue
        if opened is None or opened[0] != job.snapshot:
            opened = None  # release the old snapshot first
            opened = (job.snapshot, ox.Store.read_only(job.snapshot))
        store = opened[1]
        started = time.perf_counter()
        answer = run_update(store, job) if isinstance(job, UpdateJob) else run_query(store, job, deferred=True)
        del store  # only ``opened`` holds the snapshot: replacing it closes the old one
        if send_answer(conn, answer, started):
            del answer
            _trim()  # give a large answer's memory back to the system, not only to this process' heap
        job = None


def send_answer(conn: Connection, answer: Answer, started: float | None = None) -> bool:
    """Send ``answer``. A body over :data:`CHUNK` bytes, given or written later (``answer.later``), goes
    after it in pieces of about CHUNK bytes (unpickled: no copy made), then an empty piece; a smaller
    one goes inside the answer, in one message, which says how long the job took since ``started``
    (``seconds``: quick.py). True when the body was sent in pieces."""
    if answer.later is not None:
        pieces = _Pieces(conn, replace(answer, later=None), started)
        answer.later(pieces)
        pieces.close()
        return pieces.streaming
    if len(answer.body) <= CHUNK:
        conn.send(answer if started is None else replace(answer, seconds=time.perf_counter() - started))
        return False
    conn.send(replace(answer, body=b"", streamed=True))
    for at in range(0, len(answer.body), CHUNK):
        conn.send_bytes(answer.body, at, min(CHUNK, len(answer.body) - at))
    conn.send_bytes(b"")
    return True


class _Pieces:
    """A file-like writer for the body of ``head``: up to CHUNK bytes it waits, then it sends the answer
    as streamed and each CHUNK bytes as a piece; ``close`` ends it (one message if it stayed small)."""

    def __init__(self, conn: Connection, head: Answer, started: float | None = None) -> None:
        self.conn, self.head, self.started = conn, head, started
        self.buffer = bytearray()
        self.streaming = False

    def write(self, data: bytes) -> int:
        self.buffer += data
        if len(self.buffer) >= CHUNK:
            if not self.streaming:
                self.conn.send(replace(self.head, streamed=True))
                self.streaming = True
            self.conn.send_bytes(self.buffer)
            self.buffer.clear()
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        if not self.streaming:
            took = 0.0 if self.started is None else time.perf_counter() - self.started
            self.conn.send(replace(self.head, body=bytes(self.buffer), seconds=took))
            return
        if self.buffer:
            self.conn.send_bytes(self.buffer)
            self.buffer.clear()
        self.conn.send_bytes(b"")


def _trim() -> None:
    """glibc's ``malloc_trim(0)``: return the free heap to the system (a no-op elsewhere)."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


class _Worker:
    """One worker process and the pipe to it."""

    def __init__(self, *, lane: bool = False, snapshot: str | None = None) -> None:
        self.lane = lane  # the reserved worker for quick answers while the others are busy
        self.conn, child = _CTX.Pipe()
        self.process = _CTX.Process(target=_worker_main, args=(child, snapshot), daemon=True,
                                    name="yhdyspinta-query")
        self.process.start()
        child.close()
        self.snapshot: str | None = snapshot  # what it has open (or opens first)
        self.busy = False  # running a job

    def send(self, message: object) -> int:
        """Send ``message`` whole (the idle worker is already reading), then leave the pipe non-blocking for
        the event loop to read; returns its descriptor."""
        fd = self.conn.fileno()
        os.set_blocking(fd, True)
        self.conn.send(message)
        os.set_blocking(fd, False)
        return fd

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
    learns which snapshots the workers (and the quick jobs) still hold open (to collect old ones).
    A query a worker has answered within ``quick`` seconds (default :data:`~.quick.QUICK`) is answered
    by the server itself from then on, on the same snapshot (quick.py).
    """

    def __init__(self, *, size: int, timeout: float, snapshot: Callable[[], str],
                 on_idle: Callable[[set[str]], None] | None = None, lane_timeout: float = 2.0,
                 quick: float | None = None) -> None:
        self.size = max(1, size)
        self.timeout = timeout
        self.lane_timeout = min(lane_timeout, timeout)
        self._snapshot = snapshot
        self._on_idle = on_idle or (lambda in_use: None)
        self._workers: list[_Worker] = []
        self._idle: asyncio.Queue[_Worker] | None = None
        self._lane: asyncio.Queue[_Worker] | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._lane_started = False
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.killed = 0
        self.quick = QuickJobs(quick=quick) if quick is not None else QuickJobs()

    def start(self) -> None:
        """Start the general workers (call from the event loop that will use the pool); the lane worker
        starts when every general worker is first busy at once (an idle server holds one process less)."""
        self._idle = asyncio.Queue()
        self._lane = asyncio.Queue()
        self._lane_started = False
        self._loop = asyncio.get_running_loop()
        self._executor = ThreadPoolExecutor(self.size + 1, thread_name_prefix="yhdyspinta-query")
        for _ in range(self.size):  # each opens the snapshot at its first job: an idle server stays small
            w = _Worker()
            self._workers.append(w)
            self._idle.put_nowait(w)

    async def _acquire(self) -> _Worker:
        """A free general worker, else the lane worker if free, else whichever frees first."""
        assert self._idle is not None and self._lane is not None
        if self._idle.empty() and not self._lane_started:
            self._lane_started = True
            lane = _Worker(lane=True)  # a fork of the fork server: milliseconds
            with self._lock:
                self._workers.append(lane)
            return lane
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

    def _current(self) -> str | None:
        try:
            return self._snapshot()
        except Exception:  # noqa: BLE001 - no snapshot to open ahead: the first job opens its own
            return None

    def warm(self) -> None:
        """Have the idle workers that hold a snapshot open the current one now (call after a write, from any
        thread): the first query after it then does not wait for RocksDB to open it (about 15 ms at 486k).
        A worker that has not answered yet stays without one (each open snapshot holds about 7 MB). The
        quick jobs' handle (quick.py) moves on too, so that the old snapshot can be collected."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._warm_idle)

    def _warm_idle(self) -> None:
        path = self._current()
        if path is None:
            return
        if (quick := self.quick.follow(path)) is not None:
            self._open_quick(quick)
        for worker in list(self._workers):
            if worker.busy or worker.snapshot is None or worker.snapshot == path:
                continue
            try:
                worker.send(path)  # a few bytes to a worker waiting for its next job
            except (OSError, ValueError):
                continue  # a dead worker is replaced when its next job finds it so
            worker.snapshot = path

    def _put_back(self, worker: _Worker) -> None:
        worker.busy = False
        queue = self._lane if worker.lane else self._idle
        if queue is not None:
            queue.put_nowait(worker)

    async def run(self, job: Job, *, timeout: float | None = None) -> Answer:
        """Run ``job`` on a free worker; QueryTimeoutError when it takes too long.

        The event loop itself waits for the answer (a reader on the worker's pipe, a timer for
        the limit): no thread is woken per job. If the request is cancelled meanwhile, the
        exchange goes on, and the worker returns to the pool when it is done.
        """
        if self._idle is None or self._executor is None:
            self.start()  # an app driven without its lifespan (an in-process test client)
        limit = self.timeout if timeout is None else timeout
        if isinstance(job, QueryJob):
            now = job if job.snapshot else replace(job, snapshot=self._snapshot())
            if (quick := self.quick.answer(now)) is not None:
                return quick  # shown quick on this snapshot by a worker (quick.py)
        worker = await self._acquire()
        worker.busy = True
        if worker.lane:
            limit = min(limit, self.lane_timeout)
        # the snapshot is chosen once a worker holds the job: one chosen before a wait could be collected meanwhile
        job = replace(job, snapshot=job.snapshot or self._snapshot())
        started = time.monotonic()
        exchange = _Exchange(self, worker, job, limit, whole=not isinstance(job, QueryJob))
        answer = await asyncio.shield(exchange.done)
        if answer is None:
            if exchange.too_large:
                raise QueryTimeoutError(
                    f"every query worker is busy with long queries, and the reserved lane answers up to "
                    f"{KEEP_WHOLE // (1 << 20)} MiB; this answer is larger: try again shortly"
                )
            if worker.lane:
                raise QueryTimeoutError(
                    f"every query worker is busy with long queries, and on the reserved lane a query may take "
                    f"{limit:g} s; it was stopped after {time.monotonic() - started:.1f} s: try again shortly"
                )
            raise QueryTimeoutError(
                f"the query ran past the time limit of {limit:g} s and was stopped "
                f"after {time.monotonic() - started:.1f} s; narrow it or add a LIMIT"
            )
        if isinstance(job, QueryJob) and (path := self.quick.learn(job, answer)):
            self._open_quick(path)
        held = {w.snapshot for w in self._workers if w.snapshot}
        if self.quick.snapshot is not None:
            held.add(self.quick.snapshot)
        self._on_idle(held)
        return answer

    def _open_quick(self, path: str) -> None:
        """Open ``path`` for the quick jobs in a thread, then hold it (on the event loop)."""
        assert self._executor is not None
        opened = asyncio.get_running_loop().run_in_executor(self._executor, QuickJobs.open, path)
        opened.add_done_callback(
            lambda f: None if f.cancelled() or f.exception() else self.quick.install(path, f.result()))

    def _finished(self, worker: _Worker, healthy: bool) -> None:
        """Give the worker back; one that timed out, died or failed is replaced first (in a thread:
        killing and forking take milliseconds the event loop should not wait)."""
        if healthy:
            self._put_back(worker)
            return
        assert self._executor is not None
        future = asyncio.get_running_loop().run_in_executor(self._executor, self._replace, worker)
        future.add_done_callback(lambda f: None if f.cancelled() or f.exception() else self._put_back(f.result()))

    def _replace(self, worker: _Worker) -> _Worker:
        worker.kill()
        fresh = _Worker(lane=worker.lane, snapshot=self._current())  # as the one it replaces had
        with self._lock:
            self._workers = [fresh if w is worker else w for w in self._workers]
            self.killed += 1
        return fresh

    def close(self) -> None:
        self.quick.close()
        for w in self._workers:
            w.stop()
        self._workers = []
        self._idle = self._lane = None
        if self._executor is not None:
            self._executor.shutdown(wait=False)
            self._executor = None


class _Exchange:
    """One job on one worker, driven by the event loop: the job goes down the pipe, the answer is
    read as the pipe becomes readable (a large body piece by piece, :func:`send_answer`), and a
    timer kills the worker when the limit passes first. ``done`` gets the answer, or None on time-out.

    The pipe is read without blocking (``Connection.recv`` would wait for a whole message, and
    uvloop makes a watched descriptor non-blocking anyway); the messages are cut from the bytes
    by the framing ``multiprocessing.connection`` writes: a 4-byte big-endian length (-1, then an
    8-byte length, for a message over 2 GiB), then the message.

    ``whole``: join a body that came in pieces (jobs whose answers are read as bytes). Else a body
    up to :data:`KEEP_WHOLE` is joined (the answer cache keeps such answers), and a larger one is
    handed on as it comes (:class:`AnswerStream`): the server holds at most about KEEP_WHOLE of it,
    reading the pipe only as fast as the client takes the answer, all within the time limit.
    """

    def __init__(self, pool: QueryPool, worker: _Worker, job: Job, limit: float, *, whole: bool) -> None:
        self.pool, self.worker, self.whole = pool, worker, whole
        self.loop = asyncio.get_running_loop()
        self.done: asyncio.Future[Answer | None] = self.loop.create_future()
        self.head: Answer | None = None
        self.pieces: list[bytes] = []
        self.size = 0
        self.stream: AnswerStream | None = None
        self.buffer = bytearray()
        self.fd = -1
        self.reading = False
        self.too_large = False  # a large answer on the reserved lane: stopped before the client gets a byte
        if isinstance(job, QueryJob | UpdateJob):  # an upload's parse opens no snapshot
            worker.snapshot = job.snapshot
        try:
            fd = worker.send(job)
        except (OSError, ValueError):
            self._finish(_DIED, healthy=False)
            return
        self.fd = fd
        self.timer = self.loop.call_later(limit, self._expired)
        self.resume()

    def pause(self) -> None:
        if self.reading:
            self.loop.remove_reader(self.fd)
            self.reading = False

    def resume(self) -> None:
        if not self.reading and self.fd >= 0:
            self.loop.add_reader(self.fd, self._readable)
            self.reading = True

    def _readable(self) -> None:
        try:
            data = os.read(self.fd, self._wanted())
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # the worker is gone
            self._finish(_DIED, healthy=False)
            return
        self.buffer += data
        while self.fd >= 0 and (message := self._next_message()) is not None:
            self._take(message)

    def _wanted(self) -> int:
        """How much to read: what the message begun in the buffer still lacks, at least _READ_SMALL and at
        most _READ (CPython allocates the whole size for each read: 1 MiB costs ~20 us for a small answer)."""
        if len(self.buffer) >= 4:
            (size,) = struct.unpack_from("!i", self.buffer)
            if size >= 0:
                return max(_READ_SMALL, min(_READ, 4 + size - len(self.buffer)))
            return _READ
        return _READ_SMALL

    def _next_message(self) -> bytes | None:
        """The next whole message in the buffer (taken out of it), or None while it is incomplete."""
        buf = self.buffer
        if len(buf) < 4:
            return None
        (size,) = struct.unpack_from("!i", buf)
        start = 4
        if size == -1:
            if len(buf) < 12:
                return None
            (size,) = struct.unpack_from("!Q", buf, 4)
            start = 12
        if len(buf) < start + size:
            return None
        message = bytes(buf[start:start + size])
        del buf[:start + size]
        return message

    def _take(self, message: bytes) -> None:
        if self.head is None:
            self.head = pickle.loads(message)
            assert isinstance(self.head, Answer)
            if not self.head.streamed:
                self._finish(self.head, healthy=self.head.status != 500)
            return
        if self.stream is not None:
            if message:
                self.stream.feed(message)
            else:
                self._finish(None, healthy=True)
            return
        if message:
            self.pieces.append(message)
            self.size += len(message)
            if not self.whole and self.size > KEEP_WHOLE and self.worker.lane:
                # the lane is for quick answers: a large one would hold it, and its time limit would cut
                # the answer off mid-body once the client had its first bytes; refused whole instead
                self.too_large, self.pieces = True, []
                self._finish(None, healthy=False, why="too large for the reserved lane")
                return
            if not self.whole and self.size > KEEP_WHOLE:  # from here on, handed on as it comes
                self.stream = AnswerStream(self, self.pieces)
                self.pieces = []
                self.done.set_result(replace(self.head, streamed=False, stream=self.stream))
            return
        answer = replace(self.head, body=b"".join(self.pieces), streamed=False)
        self.pieces = []
        self._finish(answer, healthy=answer.status != 500)

    def _expired(self) -> None:
        self.pieces = []
        self._finish(None, healthy=False, why="the answer was not complete within the time limit")

    def abandon(self) -> None:
        """The client went away in the middle of a streamed answer: stop the worker now."""
        self._finish(None, healthy=False, why="abandoned")

    def _finish(self, answer: Answer | None, *, healthy: bool, why: str = "the query worker died") -> None:
        if self.fd < 0 and self.done.done():
            return
        if self.fd >= 0:
            self.pause()
            self.timer.cancel()
            self.fd = -1
        self.buffer = bytearray()
        self.pool._finished(self.worker, healthy)
        if self.stream is not None:
            self.stream.end(None if healthy else why)
        if not self.done.done():
            self.done.set_result(answer)


class AnswerCut(Exception):
    """A streamed answer stopped before its end (time limit, worker gone): the response is cut off."""


class AnswerStream:
    """The body of a large answer as it comes from the worker: ``async for piece in stream``.

    Holds the pieces not yet taken; past :data:`KEEP_WHOLE` of them the pipe is not read until the
    client takes some. ``close()`` (the response is done or abandoned) stops a worker still sending.
    """

    def __init__(self, exchange: _Exchange, first: list[bytes]) -> None:
        self._exchange = exchange
        self._pieces: deque[bytes] = deque(first)
        self._held = sum(map(len, first))
        self._ready = asyncio.Event()
        self._ended = False
        self._why: str | None = None
        if self._held > KEEP_WHOLE:
            exchange.pause()

    def feed(self, piece: bytes) -> None:
        self._pieces.append(piece)
        self._held += len(piece)
        if self._held > KEEP_WHOLE:
            self._exchange.pause()
        self._ready.set()

    def end(self, why: str | None) -> None:
        self._ended, self._why = True, why
        self._ready.set()

    def __aiter__(self) -> AnswerStream:
        return self

    async def __anext__(self) -> bytes:
        while not self._pieces:
            if self._ended:
                if self._why is not None:
                    raise AnswerCut(self._why)
                raise StopAsyncIteration
            self._ready.clear()
            await self._ready.wait()
        piece = self._pieces.popleft()
        self._held -= len(piece)
        if self._held <= KEEP_WHOLE // 2 and not self._ended:
            self._exchange.resume()
        return piece

    def close(self) -> None:
        if not self._ended:
            self._exchange.abandon()
        self._pieces.clear()


async def whole_body(answer: Answer) -> bytes:
    """The answer's body as one bytes object, a streamed one read to its end."""
    if answer.stream is None:
        return answer.body
    return b"".join([piece async for piece in answer.stream])


_DIED = Answer(500, b"the query worker died; try again\n")
#: how much of the pipe one wake-up reads: at most _READ, and _READ_SMALL when no long message is under way
_READ = 1 << 20
_READ_SMALL = 1 << 16
#: a body up to this size is joined into one bytes object (the answer cache keeps such answers whole)
KEEP_WHOLE = 8 * 1024 * 1024


def _in_fork_server() -> bool:
    """Whether this process is the fork server (CPython starts it with ``-c "from multiprocessing.forkserver
    import main; ..."``), where the preload imports this module."""
    return any("multiprocessing.forkserver import main" in arg for arg in sys.orig_argv)


if _in_fork_server():
    from yhdyspinta.api.sparql.guard import warm_up

    warm_up()  # in the fork server: build the guard's grammar once, shared by every worker it forks
