"""The HTTP server: granian (a Rust HTTP server) running the WSGI application in processes.

``serve(settings, host, port)`` binds the port once and starts ``Settings.processes`` worker
processes sharing it, each with ``Settings.threads`` threads for the WSGI application and its
own application and query workers (``app_for``). SIGINT or SIGTERM stops it gracefully:
requests in flight are answered, then each process stops its query workers as it exits (one
that has not ended ``STOP_GRACE`` seconds past the query time limit is killed).

Limits of the HTTP layer: granian answers 414 to a request target over 64 KiB and 431 to a
head well over its ``HEAD_LIMIT`` buffer; ``rcsgraph.web.limits`` counts the head exactly (431)
and caps chunked bodies (413), Flask bodies with a length (413).
"""

import math
import os
import signal
import sys
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from rcsgraph.config import Settings

#: The read buffer of a request head; rcsgraph.web.limits counts exactly (HEAD_CAP, 431).
HEAD_LIMIT = 256 * 1024
#: Seconds a stopping server process has past the query time limit to end by itself.
STOP_GRACE = 5


#: Seconds after a process starts before it imports the pages (Flask, rdflib, the views) in
#: the background; a page requested sooner imports them itself.
PAGES_AFTER = 1.0


def app_for(settings: Settings, target: str = "") -> Any:
    """The WSGI application of one server process (called in each process once it started):
    plain SPARQL requests and kept answers are served at once; the Flask application behind
    them is built on first use or ``PAGES_AFTER`` seconds after the start. The query workers
    open the store meanwhile: a request that comes sooner waits for the first one ready."""
    from multiprocessing.util import Finalize

    from rcsgraph.sparql.executor import share_fork_server
    from rcsgraph.web import flask_app, front
    from rcsgraph.web.service import build_endpoint

    granian_to_come = signal.getsignal(signal.SIGTERM)  # the main process's, until granian's
    share_fork_server()
    endpoint = build_endpoint(settings, wait_ready=False)
    # Not atexit: granian's processes are multiprocessing's, which end without running it; on
    # their way out they join every query worker still running, one that the pool started
    # after they stopped the others too (a timed-out query's successor): that join waited for
    # the kill timeout. Closed first, the pool stops the workers and any that it starts later.
    Finalize(endpoint.pool, endpoint.pool.close, exitpriority=1)
    pages = Deferred(lambda: flask_app(settings, endpoint).wsgi_app)
    timer = threading.Timer(PAGES_AFTER, _warm, (pages,))
    timer.daemon = True
    timer.start()
    if signal.pthread_sigmask(signal.SIG_BLOCK, []) >= STOP_SIGNALS:  # forked by serve()
        threading.Thread(target=_take_stop_signal, args=(granian_to_come,), daemon=True).start()
    return front(pages, settings, endpoint, shared=settings.processes > 1)


def _warm(pages: "Deferred") -> None:
    """Build the pages, then leave every object the process holds by then (the modules of
    Flask, rdflib and the views, the application) out of the cyclic garbage collector's
    rounds: they live as long as the process, and each full round walked them all again, about
    0.6 ms per request of the society's page (``gc.callbacks``, 300 requests)."""
    import gc

    pages.build()
    gc.freeze()


#: The signals that stop a server process.
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _block_stop_signals_in_server_processes() -> None:
    """Block SIGINT and SIGTERM in each server process that granian forks from this one, from
    the fork on and in every thread it starts, for ``_take_stop_signal`` to take. Delivered,
    a stop signal could be lost: until granian sets its handlers in that process, the one it
    has is the main process's, which only marks that process as stopping (and Python drops a
    signal that comes before the child runs at all); afterwards the kernel may give it to any
    thread, and granian's handler runs only once the main thread runs Python again, which,
    waiting for the stop, it does not. Either way the process served on (the stop waited for
    the kill timeout)."""
    main = os.getpid()

    def mask(how: int) -> None:
        if os.getpid() == main:  # not in a process forked from a server process
            signal.pthread_sigmask(how, STOP_SIGNALS)

    os.register_at_fork(
        before=partial(mask, signal.SIG_BLOCK), after_in_parent=partial(mask, signal.SIG_UNBLOCK)
    )


def _take_stop_signal(granian_to_come: object) -> None:
    """Wait for a stop signal, then hand it to granian's handler once granian has set it
    (right after the application is returned, SIGTERM last): the server stops gracefully."""
    import time

    number = signal.sigwait(STOP_SIGNALS)
    while signal.getsignal(signal.SIGTERM) is granian_to_come:
        time.sleep(0.01)
    handler = signal.getsignal(number)
    if callable(handler):
        handler(number, None)


class Deferred:
    """A WSGI application built when first called (or when ``build`` is called), once."""

    def __init__(self, make: Callable[[], Any]) -> None:
        self.make, self.app, self.lock = make, None, threading.Lock()

    def build(self) -> Any:
        with self.lock:
            if self.app is None:
                self.app = self.make()
        return self.app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        app = self.app if self.app is not None else self.build()
        return app(environ, start_response)


def refuse_taken_port(host: str, port: int) -> None:
    """``InputError`` when something listens on ``host:port`` already. granian's socket allows
    the port to be shared (``SO_REUSEPORT``), so a second server on a port would be given part
    of the first one's requests, old data and new answering in turn; a socket without that
    option is refused while another listens there (and allowed beside closed connections
    waiting to end, ``SO_REUSEADDR``, so a server can be restarted at once)."""
    import socket

    from rcsgraph.errors import InputError

    for family, kind, protocol, _, address in socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM
    ):
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # closed connections' ok
            try:
                probe.bind(address)
            except OSError as exc:
                raise InputError(
                    f"cannot serve on {host}:{port}: {exc.strerror or exc} (another server "
                    "there? stop it, or choose another --port)"
                ) from None


def serve(settings: Settings, host: str, port: int) -> None:
    """Serve until SIGINT or SIGTERM, then stop gracefully. Each process has its own
    ``Settings.workers`` query workers: a runaway query holds one worker of one process, and the
    other clients of that process go on being served by its others."""
    refuse_taken_port(host, port)
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings
    from granian.log import LogLevels
    from granian.server import Server

    # What every request passes through, imported once here rather than again in each process
    # granian forks from this one (they start at the same time, on as many cores).
    from rcsgraph.web import cache, cors, direct, limits  # noqa: F401

    server = Server(
        "rcsgraph",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=settings.processes,
        blocking_threads=settings.threads,
        backpressure=settings.threads,  # more requests wait for a thread in granian's queue
        http=HTTPModes.http1,
        http1_settings=HTTP1Settings(max_buffer_size=HEAD_LIMIT),
        log_level=LogLevels.error,
        respawn_failed_workers=True,
        # A stop waits for the requests in flight (each within the query time limit), then
        # kills a process that still has not ended: without a bound, one that does not end (as
        # one that lost its stop signal did, see _block_stop_signals_in_server_processes)
        # would hold the stop.
        workers_kill_timeout=min(1800, math.ceil(settings.timeout) + STOP_GRACE),
    )
    _block_stop_signals_in_server_processes()
    print(f"rcsgraph: serving http://{host}:{port}/sparql", file=sys.stderr, flush=True)
    server.serve(target_loader=partial(app_for, settings))
