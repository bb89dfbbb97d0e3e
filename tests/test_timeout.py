"""Real timeouts: ``rcsgraph serve --timeout 2`` stops a runaway query and keeps serving.

The two time bounds asserted here are the issue's acceptance criteria: the runaway query is
answered 503 within 3 s, and an ASK sent while it runs is answered in under 1 s.
"""

import threading
import time
from collections.abc import Iterator

import pytest
from endpoint_server import Endpoint, Reply, cli_serving

pytestmark = pytest.mark.slow

#: Every triple against every triple against every triple, counted: about 6e10 rows.
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def endpoint() -> Iterator[Endpoint]:
    with cli_serving("--timeout", "2", "--workers", "2") as running:
        yield running


def test_a_runaway_query_is_stopped_while_others_are_served(endpoint: Endpoint) -> None:
    runaway: dict[str, Reply | float] = {}

    def run() -> None:
        started = time.monotonic()
        runaway["reply"] = endpoint.query(CARTESIAN, accept="application/json")
        runaway["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.5)  # let it get going
    assert thread.is_alive(), "the cartesian product should still be running"
    started = time.monotonic()
    ask = endpoint.query("ASK { ?s ?p ?o }", accept="application/json")
    ask_seconds = time.monotonic() - started
    thread.join(30)

    assert ask.status == 200 and ask.json()["boolean"] is True
    assert ask_seconds < 1.0, f"the ASK took {ask_seconds:.2f} s"
    reply = runaway["reply"]
    assert isinstance(reply, Reply)
    assert reply.status == 503, reply.text
    assert "time limit of 2 s" in reply.text
    assert reply.headers["retry-after"]
    assert runaway["seconds"] < 3.0, f"the 503 took {runaway['seconds']:.2f} s"


def test_the_server_answers_normally_afterwards(endpoint: Endpoint) -> None:
    for _ in range(4):  # every worker, the replacement of the stopped one included
        reply = endpoint.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", accept="text/csv")
        assert reply.status == 200, reply.text
        assert int(reply.text.splitlines()[1]) > 1000
