"""Queries run in worker processes that can be killed: real timeouts, other clients unaffected.

The web process never evaluates SPARQL itself. A ``Pool`` keeps ``size`` workers, each holding its
own store handle; a request borrows an idle worker, sends it a ``Job`` and waits at most the
timeout. A worker past its time is killed (the engine cannot be interrupted otherwise) and a fresh
one takes its place. Workers start from a fork server that has the engine already imported, so a
replacement is ready in milliseconds plus the store's opening time.
"""

import multiprocessing
import os
import queue
import select
import threading
from math import ceil
from typing import Any

from rcsgraph.errors import RcsGraphError, StoreError
from rcsgraph.sparql.job import Job, decode_reply, encode_job, read_message, write_message

_context = multiprocessing.get_context("forkserver")
_PRELOAD = ["pyoxigraph", "rcsgraph.sparql.worker"]
_context.set_forkserver_preload(_PRELOAD)


class Timeout(RcsGraphError):
    """The query ran past its time and was stopped."""


class Busy(RcsGraphError):
    """Every worker stayed busy for as long as a request may wait."""


class WorkerLost(RcsGraphError):
    """A worker died while answering (it is replaced)."""


class _Worker:
    def __init__(self, spec: dict[str, Any]) -> None:
        """Start the worker; ``wait_ready`` says whether it opened the store."""
        from rcsgraph.sparql import (
            worker,  # the child's entry point, imported by the fork server too
        )

        self.connection, child = _context.Pipe()
        self.process = _context.Process(target=worker.main, args=(child, spec), daemon=True)
        self.process.start()
        child.close()
        # Jobs and replies go over the descriptor itself (rcsgraph.sparql.job: the wire), and a
        # wait for a reply is one poll() on it, registered once.
        self.fd = self.connection.fileno()
        self.replied = select.poll()
        self.replied.register(self.fd, select.POLLIN)
        self.stopping = threading.Lock()
        self.stopped = False

    def wait_ready(self) -> None:
        """Return once the worker opened the store; else stop it and raise ``StoreError``."""
        try:
            ready = self.connection.recv() if self.connection.poll(60) else ("error", "no answer")
        except (EOFError, OSError):
            ready = ("error", "the worker stopped while opening it")
        if ready[0] != "ready":
            self.stop()
            raise StoreError(f"a query worker could not open the store: {ready[1]}")

    def stop(self) -> None:
        """Kill the worker and close its pipe, once: both the pool closing and the thread
        waiting for it to be ready may stop a worker that is starting."""
        with self.stopping:
            if self.stopped:
                return
            self.stopped = True
        self.process.kill()
        self.process.join(5)
        self.connection.close()


#: What a worker building its store in memory (the bundled graph) imports to do so.
IN_MEMORY = ("rcsgraph.graph.loading", "rcsgraph.store.oxigraph")


def start_fork_server(in_memory: bool = False) -> None:
    """Start the fork server now, so that it imports the engine while the caller imports the
    rest (the web application): a server answers sooner after a cold start. ``in_memory``:
    the workers will build their store in memory; the fork server imports what that takes
    (rdflib) once, rather than every worker as it starts."""
    from multiprocessing import forkserver

    if in_memory:
        _context.set_forkserver_preload([*_PRELOAD, *IN_MEMORY])
    forkserver.ensure_running()


def share_fork_server() -> None:
    """Use the fork server of the process this one was forked from (an HTTP server process
    forked by granian from ``rcsgraph serve``): one fork server for all of them, started once.

    ``multiprocessing`` checks that its fork server is alive with ``waitpid``, which only the
    process that started it may call; here the check is whether that process still exists,
    and a fork server of this process's own is started when it does not."""
    from multiprocessing import forkserver

    server: Any = forkserver._forkserver
    inherited = server._forkserver_pid
    if inherited is None or "ensure_running" in vars(server):
        return

    def ensure_running() -> None:
        try:
            os.kill(inherited, 0)
        except ProcessLookupError:
            del server.ensure_running
            server._forkserver_pid = None
            server.ensure_running()

    server.ensure_running = ensure_running


class Pool:
    """``size`` workers over one store, specified by ``spec`` (see
    ``rcsgraph.sparql.worker.open_store``).

    With ``wait_ready`` (the default) the pool is built once every worker has opened the store,
    and ``StoreError`` says when one could not. Without it the workers open the store in the
    background and each takes requests as soon as it is ready: a server answers its first
    request while the others still start. A store that no worker could open is then a
    ``StoreError`` for every request (``broken``), until a worker starts again."""

    def __init__(
        self, spec: dict[str, Any], size: int, wait: float = 30.0, wait_ready: bool = True
    ) -> None:
        self.spec, self.wait = spec, wait
        # Last in, first out: the worker that answered last answers next, its engine's caches
        # warm; the others take over only when it is busy (FIFO spread the same query over
        # every worker, each reading the store into its own caches: 1.3-1.6x slower at 1M).
        self.idle: queue.Queue[_Worker] = queue.LifoQueue()
        self.all: set[_Worker] = set()  # started, ready or not: close() stops them all
        self.lock = threading.Lock()
        self.broken: str | None = None  # why the workers last started could not open the store
        self.closed = False  # by close(): workers that finish starting afterwards are stopped
        if wait_ready:
            self._add(max(1, size))  # started together: they open the store at the same time
        else:  # even starting one waits for the fork server, which may still import the engine
            threading.Thread(target=self._add_one_then, args=(size - 1,), daemon=True).start()

    def run(self, job: Job, timeout: float) -> Any:
        """Run ``job`` on an idle worker; raise ``Timeout``, ``Busy`` or ``WorkerLost``."""
        if self.broken is not None and not self.all:  # no worker runs, none is starting
            raise StoreError(self.broken)
        try:
            worker = self.idle.get(timeout=self.wait)
        except queue.Empty:
            raise Busy("every query worker is busy; try again shortly") from None
        try:
            write_message(worker.fd, [encode_job(job)])
            if not worker.replied.poll(ceil(timeout * 1000)):
                self._replace(worker)
                raise Timeout(f"the query ran past the time limit of {timeout:g} s and was stopped")
            reply = decode_reply(read_message(worker.fd))
        except (EOFError, OSError):
            self._replace(worker)
            raise WorkerLost(
                "the query worker stopped unexpectedly; it has been replaced"
            ) from None
        self.idle.put(worker)
        return reply

    def serve_writes(self) -> None:
        """Run one worker over a store opened for writing, so that every request sees every
        write: several workers would each hold a copy of an in-memory store, and an on-disk
        store has one writer at most. (An in-memory store is writable already.)"""
        self.spec = {**self.spec, "writable": True}
        if len(self.all) == 1 and self.spec.get("kind") != "disk":
            return
        self.close()
        while not self.idle.empty():
            self.idle.get_nowait()
        self.closed = False
        self._add()

    def close(self) -> None:
        with self.lock:
            self.closed = True
            for worker in list(self.all):
                worker.stop()
            self.all.clear()

    def _start(self, count: int) -> list[_Worker]:
        started = [_Worker(self.spec) for _ in range(count)]
        with self.lock:
            if not self.closed:
                self.all.update(started)
                return started
        for worker in started:  # the pool was closed while they started (the process ends)
            worker.stop()
        return []

    def _add(self, count: int = 1) -> None:
        """Start ``count`` workers and wait until every one is ready; if one could not open
        the store, stop them all and raise ``StoreError``."""
        started = self._start(count)
        try:
            for worker in started:
                worker.wait_ready()
        except StoreError:
            with self.lock:
                for worker in started:
                    worker.stop()
                    self.all.discard(worker)
            raise
        for worker in started:
            self.idle.put(worker)

    def _add_in_background(self, count: int = 1) -> None:
        """Start ``count`` workers now; each takes requests once it is ready (a thread waits)."""
        for worker in self._start(count):
            threading.Thread(target=self._welcome, args=(worker,), daemon=True).start()

    def _add_one_then(self, more: int) -> None:
        """Start one worker, and ``more`` once it is ready (or could not open the store): the
        first opens the store sooner without the others' starts beside it on the processor."""
        for worker in self._start(1):
            self._welcome(worker)
        if more > 0:
            self._add_in_background(more)

    def _welcome(self, worker: _Worker) -> None:
        """Wait until ``worker`` is ready, then let it take requests; if it could not open the
        store, remember why (unless the pool stopped it meanwhile: ``close``)."""
        try:
            worker.wait_ready()
        except StoreError as error:
            with self.lock:
                if worker in self.all:  # not stopped by close(), which empties ``all``
                    self.all.discard(worker)
                    self.broken = str(error)
            return
        with self.lock:
            if worker not in self.all:  # the pool was closed while it started
                worker.stop()
                return
            self.broken = None
        self.idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        """Stop ``worker`` and start its successor in the background, so the answer is not
        delayed by the new worker opening its store."""
        worker.stop()
        with self.lock:
            self.all.discard(worker)
        threading.Thread(target=self._add_in_background, daemon=True).start()
