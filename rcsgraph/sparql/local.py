"""rcsgraph's own queries (pages, catalogue), and clients' lookups, evaluated in the web process.

A client's query runs in a worker process because only a process can be stopped for real. The
project's own queries are known texts, bounded by design (a ``LIMIT``, typed parameters), and
the round trip to a worker cost them more than their evaluation (when it was measured, with
pickled jobs and answers: about 7 ms of a society page's 8 ms per query). ``LocalQueries``
evaluates them on the web process's own handle of the same store (read-only on disk, or its own
copy in memory), in at most ``slots`` kept threads at once (pyoxigraph releases the GIL while
it evaluates, so the process goes on serving meanwhile):

- the timeout still holds for the request: past it, the caller gets ``Timeout`` (503); the
  evaluation, which cannot be interrupted, finishes in its thread and gives its slot back then;
- when every slot is taken (by slow evaluations), a query goes to the killable workers as
  before (``run`` returns None): the process never holds more than ``slots`` of them.

A client's lookup (one triple pattern, its rows capped: ``Endpoint._bounded``) is evaluated in
the request's own thread (``answer_here``): its evaluation is bounded by its form, so it needs
neither a stoppable process nor a timeout.

Only for a store that never changes (``usable``); the answers are those of ``worker.answer``.

Over a small store held in memory (the bundled graph, or the copy below), an own query is
evaluated in the calling thread instead: the hand-over to an evaluating thread and back cost
about 0.25 ms of CPU per query (an entity page of the article sends two, and took 2.6 ms of CPU
with them handed over, 2.0 ms without), and the timeout has nothing to bound there: the copy is
made only of a store within ``RCSGRAPH_COPY_BYTES`` (16 MiB on disk), and over a generated
store of 15 MB (50,836 statements) the slowest catalogue query, its parameters left unbound,
took 0.27 s of the 30 s (``society-profile``; every other one under 0.1 s).

A small store on disk (``copy``) is also copied into this process's memory (``open``, in the
background soon after the process starts), and read from the copy once it is whole. Oxigraph's
read-only RocksDB store costs 30-60 µs for each index lookup and for each string it decodes,
its memory store a tenth of that: the society's page of the article made 213 lookups in 9.2 ms
on disk and 1.2 ms in memory. The query workers stay on disk: a copy in each of them cost a
cold start 75 ms of CPU (the article's store, 2 processes of 2 workers). The copy gives the
same answers; rows that no ORDER BY fixes may come in another order than from the disk, so a
request evaluated again in the first moment after a start (or, when every slot is held, by a
worker) may list them otherwise.
"""

import queue
import threading
from typing import Any

from rcsgraph.sparql.executor import Timeout
from rcsgraph.sparql.job import Job


def usable(spec: dict[str, Any]) -> bool:
    """Whether the store a worker ``spec`` opens can be read here too: one that never changes
    (no updates), on disk (opened read-only) or in memory (this process's own copy)."""
    return spec.get("kind") in ("disk", "bundled", "memory") and not spec.get("writable")


class _Asked:
    """One query handed to an evaluating thread, and its reply once there is one."""

    def __init__(self, job: Job) -> None:
        self.job, self.done = job, threading.Event()
        self.reply: Any = None


class LocalQueries:
    """At most ``slots`` own queries at once, on a read-only handle of ``spec``'s store.

    ``slots`` threads, started on first use and kept: starting a thread for each query cost
    more than a page's small queries (about 0.1 ms each, several per page). They are daemon
    threads, so an evaluation still running never delays the process's exit.
    """

    def __init__(self, spec: dict[str, Any], slots: int = 2, copy: bool = False) -> None:
        self.spec, self.slots, self.copy = spec, slots, copy
        self.store: Any = None  # opened on first use, or by ``open`` beforehand
        self.copied = threading.Event()  # set once answers come from the copy in memory
        self.free = threading.BoundedSemaphore(slots)
        self.opening, self.starting = threading.Lock(), threading.Lock()
        self.asked: queue.SimpleQueue[_Asked] = queue.SimpleQueue()
        self.threads: list[threading.Thread] = []

    def run(self, job: Job, timeout: float) -> tuple[str, Any] | None:
        """``worker.answer``'s reply, ``Timeout``, or None when every slot is taken."""
        if self.small():
            return self._answer(job)
        if not self.free.acquire(blocking=False):
            return None
        self._start_threads()
        asked = _Asked(job)
        self.asked.put(asked)
        if not asked.done.wait(timeout):
            raise Timeout(f"a query of this page ran past the time limit of {timeout:g} s")
        if isinstance(asked.reply, BaseException):
            raise asked.reply
        reply: tuple[str, Any] = asked.reply
        return reply

    def _start_threads(self) -> None:
        with self.starting:
            while len(self.threads) < self.slots:
                thread = threading.Thread(target=self._evaluate, name="rcsgraph-local", daemon=True)
                thread.start()
                self.threads.append(thread)

    def _evaluate(self) -> None:
        """Answer queries until the process ends; a slot is given back once its query is
        answered, in time for its caller or not."""
        while True:
            asked = self.asked.get()
            try:
                asked.reply = self._answer(asked.job)
            except BaseException as exc:  # handed to the caller, raised there
                asked.reply = exc
            finally:
                self.free.release()
                asked.done.set()

    def small(self) -> bool:
        """Whether answers come from a small store in this process's memory (a copy, or the
        bundled graph): then an own query is evaluated in the calling thread (see above)."""
        return self.copied.is_set() or self.spec.get("kind") == "bundled"

    def answer_here(self, job: Job) -> tuple[str, Any]:
        """``worker.answer``'s reply, evaluated in the calling thread: only for a query whose
        evaluation is bounded by its form (``Endpoint._bounded``), which needs no timeout."""
        return self._answer(job)

    def _answer(self, job: Job) -> tuple[str, Any]:
        from rcsgraph.sparql import worker

        return worker.answer(self._store(), job)

    def open(self) -> None:
        """Open the store now rather than on first use and, with ``copy``, copy it into memory,
        then answer from the copy (in a background thread: it takes a while)."""
        disk = self._store()
        if not self.copy or self.copied.is_set():
            return
        import pyoxigraph as ox

        copy = ox.Store()
        copy.bulk_extend(disk.quads_for_pattern(None, None, None, None))
        with self.opening:
            self.store = copy
        self.copied.set()

    def _store(self) -> Any:
        with self.opening:
            if self.store is None:
                from rcsgraph.sparql import worker

                self.store = worker.open_store(self.spec)
            return self.store
