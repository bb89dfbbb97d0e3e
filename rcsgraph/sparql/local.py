"""rcsgraph's own queries (pages, catalogue) evaluated in the web process, without a worker.

A client's query runs in a worker process because only a process can be stopped for real. The
project's own queries are known texts, bounded by design (a ``LIMIT``, typed parameters), and
the round trip to a worker cost them more than their evaluation: a pickled job, a pickled
answer of rdflib terms, two context switches (about 7 ms of a society page's 8 ms per query,
profiled). ``LocalQueries`` evaluates them on the web process's own read-only handle of the
same generation, in at most ``slots`` threads at once (pyoxigraph releases the GIL while it
evaluates, so the process goes on serving meanwhile):

- the timeout still holds for the request: past it, the caller gets ``Timeout`` (503); the
  evaluation, which cannot be interrupted, finishes in its thread and gives its slot back then;
- when every slot is taken (by slow evaluations), a query goes to the killable workers as
  before (``run`` returns None): the process never holds more than ``slots`` of them.

Only for an immutable on-disk store (``usable``); the answers are those of ``worker.answer``.
"""

import threading
from typing import Any

from rcsgraph.sparql.executor import Timeout
from rcsgraph.sparql.job import Job


def usable(spec: dict[str, Any]) -> bool:
    """Whether the store a worker ``spec`` opens can be read here too: on disk, read-only."""
    return spec.get("kind") == "disk" and not spec.get("writable")


class LocalQueries:
    """At most ``slots`` own queries at once, on a read-only handle of ``spec``'s store."""

    def __init__(self, spec: dict[str, Any], slots: int = 2) -> None:
        self.spec, self.store = spec, None
        self.free = threading.BoundedSemaphore(slots)
        self.opening = threading.Lock()

    def run(self, job: Job, timeout: float) -> tuple[str, Any] | None:
        """``worker.answer``'s reply, ``Timeout``, or None when every slot is taken."""
        if not self.free.acquire(blocking=False):
            return None
        found: list[Any] = []
        done = threading.Event()

        def evaluate() -> None:  # a daemon thread: an evaluation never delays the exit
            try:
                found.append(self._answer(job))
            except BaseException as exc:  # handed to the caller, raised there
                found.append(exc)
            finally:
                self.free.release()
                done.set()

        threading.Thread(target=evaluate, name="rcsgraph-local", daemon=True).start()
        if not done.wait(timeout):
            raise Timeout(f"a query of this page ran past the time limit of {timeout:g} s")
        if isinstance(found[0], BaseException):
            raise found[0]
        reply: tuple[str, Any] = found[0]
        return reply

    def _answer(self, job: Job) -> tuple[str, Any]:
        from rcsgraph.sparql import worker

        return worker.answer(self._store(), job)

    def _store(self) -> Any:
        with self.opening:
            if self.store is None:
                from rcsgraph.sparql import worker

                self.store = worker.open_store(self.spec)
            return self.store
