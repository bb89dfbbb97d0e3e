"""``rcsgraph.sparql.local``: rcsgraph's own queries in the web process, bounded in number and
in the time a request waits for them."""

import threading
import time
from pathlib import Path

import pytest

from rcsgraph.sparql.executor import Timeout
from rcsgraph.sparql.job import Job
from rcsgraph.sparql.local import LocalQueries, usable


class Held(LocalQueries):
    """Evaluations that wait for ``release`` (a slow query that cannot be interrupted)."""

    def __init__(self) -> None:
        super().__init__({"kind": "disk", "path": "/nowhere"}, slots=2)
        self.release = threading.Event()

    def _answer(self, job: Job) -> tuple[str, object]:
        self.release.wait(10)
        return ("ok", job.text)


def test_only_stores_that_never_change_are_read_here() -> None:
    assert usable({"kind": "disk", "path": "/x"})
    assert not usable({"kind": "disk", "path": "/x", "writable": True})
    assert usable({"kind": "bundled"}) and usable({"kind": "memory", "graphs": {}})
    assert not usable({"kind": "bundled", "writable": True})
    assert not usable({"kind": "memory", "graphs": {}, "writable": True})
    assert not usable({"kind": "remote", "url": "http://example.org/sparql"})


def test_past_the_timeout_a_request_gets_503_and_a_full_house_goes_to_the_workers() -> None:
    local = Held()
    for _ in range(2):
        with pytest.raises(Timeout):
            local.run(Job(kind="query", text="slow"), timeout=0.05)
    assert local.run(Job(kind="query", text="more"), timeout=0.05) is None  # both slots held
    local.release.set()
    for _ in range(100):  # the slots come back once the evaluations end
        reply = local.run(Job(kind="query", text="again"), timeout=5)
        if reply is not None:
            break
        time.sleep(0.05)
    assert reply == ("ok", "again")


def test_answers_are_the_workers_answers(tmp_path: Path) -> None:
    import pyoxigraph as ox

    store = ox.Store(str(tmp_path / "store"))
    node = ox.NamedNode("http://example.org/a")
    store.add(ox.Quad(node, node, ox.Literal("A"), ox.NamedNode("http://example.org/g")))
    store.flush()
    del store
    local = LocalQueries({"kind": "disk", "path": str(tmp_path / "store")})
    status, results = local.run(Job(kind="query", text="SELECT ?o { ?s ?p ?o }"), timeout=10)
    assert status == "ok"
    assert [str(row[0]) for row in results.rows] == ["A"]
    syntax = local.run(Job(kind="query", text="SELECT WHERE {"), timeout=10)
    assert syntax is not None and syntax[0] == "syntax"


def test_the_evaluating_threads_are_started_once_and_kept(tmp_path: Path) -> None:
    import pyoxigraph as ox

    ox.Store(str(tmp_path / "store")).flush()
    local = LocalQueries({"kind": "disk", "path": str(tmp_path / "store")}, slots=2)
    for _ in range(20):
        status, results = local.run(Job(kind="query", text="ASK { ?s ?p ?o }"), timeout=10)
        assert (status, results.boolean) == ("ok", False)
    assert len(local.threads) == 2 and all(t.daemon and t.is_alive() for t in local.threads)
    named = [t for t in threading.enumerate() if t.name == "rcsgraph-local"]
    assert set(local.threads) <= set(named)
