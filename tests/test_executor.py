"""``rcsgraph.sparql.executor.Pool`` starting its workers in the background: a request made
before any worker is ready is answered once one is, a store no worker can open is an error
that says why, and a pool closed while its workers start leaves none running."""

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rcsgraph.errors import StoreError
from rcsgraph.sparql.executor import Pool
from rcsgraph.sparql.job import Job

pytestmark = pytest.mark.slow

JSON = "application/sparql-results+json"
ASK = Job(kind="query", text="ASK { ?s ?p ?o }", media_type=JSON, form="ASK")
TRIPLE = b"<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"


@pytest.fixture
def held(tmp_path: Path) -> Iterator[tuple[dict[str, Any], Path]]:
    """A store spec whose workers stay unready until its file, a FIFO, is written to."""
    fifo = tmp_path / "data.nt"
    os.mkfifo(fifo)
    yield {"kind": "memory", "graphs": {"http://example.org/g": str(fifo)}}, fifo


def started(pool: Pool, count: int) -> list[Any]:
    """The pool's workers once ``count`` have been started (they start on a thread)."""
    for _ in range(1000):
        with pool.lock:
            if len(pool.all) >= count:
                return list(pool.all)
        time.sleep(0.01)
    raise AssertionError(f"{count} workers did not start")


def test_a_request_before_any_worker_is_ready_is_answered_once_one_is(
    held: tuple[dict[str, Any], Path],
) -> None:
    spec, fifo = held
    pool = Pool(spec, 1, wait=60, wait_ready=False)
    try:
        started(pool, 1)
        assert pool.idle.empty()  # the worker is reading its data: nothing can be idle yet
        replies: list[Any] = []
        asking = threading.Thread(target=lambda: replies.append(pool.run(ASK, timeout=30)))
        asking.start()
        with fifo.open("wb") as data:  # the worker may now open its store
            data.write(TRIPLE)
        asking.join(60)
        assert replies and replies[0][0] == "ok"
        assert b"true" in replies[0][1].body
    finally:
        pool.close()


def test_a_store_no_worker_can_open_is_an_error_naming_it(tmp_path: Path) -> None:
    missing = str(tmp_path / "nothing-here")
    spec = {"kind": "disk", "path": missing}
    with pytest.raises(StoreError, match="could not open the store"):
        Pool(spec, 1, wait_ready=True)
    pool = Pool(spec, 2, wait=60, wait_ready=False)
    try:
        for _ in range(1000):  # the workers start, then fail, on threads of their own
            if pool.broken is not None and not pool.all:
                break
            time.sleep(0.01)
        with pytest.raises(StoreError, match="nothing-here"):
            pool.run(ASK, timeout=10)
    finally:
        pool.close()


def test_a_pool_closed_while_its_workers_start_leaves_none_running(
    held: tuple[dict[str, Any], Path],
) -> None:
    spec, _ = held
    pool = Pool(spec, 2, wait_ready=False)
    try:
        workers = started(pool, 1)  # the second starts once the first is ready: never, here
    finally:
        pool.close()  # (a worker left blocked on its FIFO would outlive the test)
    for worker in workers:
        worker.process.join(10)
        assert not worker.process.is_alive()
    assert pool.idle.empty() and not pool.all
    assert pool.broken is None  # stopped on purpose: not a store that cannot be opened
