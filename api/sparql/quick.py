"""Quick queries answered in the server's own process, once a worker has shown them quick on this snapshot.

Every query goes to a worker process so that its time limit can stop it (pool.py). For a query the
engine answers in a tenth of a millisecond, the crossing costs more than the query: two pipe writes,
two process wake-ups and the pickling, about 0.4 ms of CPU (Oxigraph server spends 0.12 ms on a whole
request). But a snapshot never changes, and Oxigraph evaluates a query on it the same way every
time. So a job (its text, dataset, format and cap, on one snapshot) whose whole answer a worker had
ready within :data:`QUICK` seconds (``Answer.seconds``, wall time there, from reading the job to the
last byte written) is not slower when asked again: it is answered here, on the event loop, from a
read-only handle on that snapshot.

The time limit keeps holding for everything else. A job not seen yet goes to a worker, and so does a
slower one, one whose answer is over :data:`SMALL` bytes, and any job on a new snapshot until a worker
has answered it there. The guard (guard.py) has let a job through before it is remembered, since only a
200 answer is. A remembered job that takes over ten times :data:`QUICK` here goes back to the workers.
"""

from __future__ import annotations

import time
from collections import OrderedDict

import pyoxigraph as ox

from yhdyspinta.api.sparql.execute import Answer, QueryJob, evaluate

#: the longest a worker may have taken (seconds) for a job to be quick
QUICK = 0.002
#: the largest answer (bytes) answered here: a larger one would hold the event loop for its writing
SMALL = 64 * 1024
#: how many quick jobs are remembered, least recently asked out first
KNOWN = 1024


class QuickJobs:
    """The quick jobs of the current snapshot and a read-only handle on it (opened off the event loop)."""

    def __init__(self, *, quick: float = QUICK, small: int = SMALL, known: int = KNOWN) -> None:
        self.quick, self.small, self.known = quick, small, known
        self._jobs: OrderedDict[QueryJob, None] = OrderedDict()
        self._store: tuple[str, ox.Store] | None = None
        self._opening: str | None = None
        self.answered = 0  # jobs answered here

    @property
    def snapshot(self) -> str | None:
        """The snapshot held open here (the snapshot collector must keep it)."""
        return self._store[0] if self._store is not None else None

    def answer(self, job: QueryJob) -> Answer | None:
        """The answer of a known quick job, evaluated here; None: a worker answers it."""
        held = self._store
        if held is None or held[0] != job.snapshot or job not in self._jobs:
            return None
        started = time.perf_counter()
        answer = evaluate(held[1], job)
        if answer.status != 200:  # not as the worker answered (say, the snapshot's files went): a worker answers
            self._jobs.pop(job, None)
            return None
        if time.perf_counter() - started > 10 * self.quick:
            self._jobs.pop(job, None)
        else:
            self._jobs.move_to_end(job)
        self.answered += 1
        return answer

    def learn(self, job: QueryJob, answer: Answer) -> str | None:
        """A worker answered ``job``: remember it when its answer was ready within :attr:`quick` seconds there,
        whole and small. Returns a snapshot path to open (:meth:`open`, then :meth:`install`) when none is
        held for it."""
        if (not 0 < answer.seconds <= self.quick or answer.status != 200 or answer.stream is not None
                or len(answer.body) > self.small or not job.snapshot):
            return None
        self._jobs[job] = None
        self._jobs.move_to_end(job)
        while len(self._jobs) > self.known:
            self._jobs.popitem(last=False)
        if job.snapshot in (self.snapshot, self._opening):
            return None
        self._opening = job.snapshot
        return job.snapshot

    def follow(self, path: str) -> str | None:
        """After a write: the snapshot to open now (``path``) when an older one is held here, so that the
        older one can be collected; None when nothing is held (an idle server opens nothing)."""
        if self.snapshot is None or path in (self.snapshot, self._opening):
            return None
        self._opening = path
        return path

    @staticmethod
    def open(path: str) -> ox.Store | None:
        """A read-only handle on ``path`` (in a thread: RocksDB takes about 15 ms to open one at 486k)."""
        try:
            return ox.Store.read_only(path)
        except (OSError, ValueError):
            return None

    def install(self, path: str, store: ox.Store | None) -> None:
        """Hold ``store`` (opened on ``path``) from now on; the older handle closes and its jobs are forgotten."""
        if self._opening != path:
            return
        self._opening = None
        if store is None:
            return
        self._store = (path, store)
        for job in [j for j in self._jobs if j.snapshot != path]:
            del self._jobs[job]

    def close(self) -> None:
        self._store = None
        self._opening = None
        self._jobs.clear()
