"""The W3C SPARQL 1.1 syntax tests, sent over HTTP: positive ones answered 200, negative 400.

Queries go to a read-only endpoint, updates to one with an update token (they run for real, on
a small in-memory store). A few positive tests ask for what the endpoint refuses by policy
before evaluation (``POLICY`` below, each with its reason): they must be answered 400 with a
message that says so. Every other test must conform.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from endpoint_server import Endpoint, Reply, serving, w3c_or_skip
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF

ROOT = w3c_or_skip()
SUITES = ("syntax-query", "syntax-update-1", "syntax-update-2")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
TOKEN = "syntax-test-token"
DATA = {"http://example.org/data": str(ROOT / "protocol" / "data1.nt")}

#: Positive tests the endpoint refuses before evaluation, by design (``suite/test``: reason).
POLICY = {
    "syntax-query/syntax-construct-where-02.rq": "FROM <file>: not a graph of this store",
    "syntax-update-1/syntax-update-01.ru": "LOAD: the endpoint never fetches data",
    "syntax-update-1/syntax-update-02.ru": "LOAD: the endpoint never fetches data",
    "syntax-update-1/syntax-update-03.ru": "LOAD: the endpoint never fetches data",
    "syntax-update-1/syntax-update-04.ru": "LOAD: the endpoint never fetches data",
    "syntax-update-1/syntax-update-37.ru": "LOAD: the endpoint never fetches data",
    "syntax-update-1/syntax-update-32.ru": "USING <base:g1>: not a graph of this store",
}

#: Positive tests that parse but that the engine refuses to evaluate, as SPARQL 1.1 says it
#: must: "If a query processor encounters a function that it does not provide, the query is
#: not evaluated and an error is returned" (section 17.6). Answered 400 with the engine's reason.
UNSUPPORTED = {
    "syntax-query/syntax-select-expr-04.rq": "calls the extension function <http://example/function>",
}

#: What the store must hold for a positive update to succeed (dropping or clearing a graph
#: that does not exist fails unless SILENT, as SPARQL 1.1 Update allows).
SETUP = {
    "syntax-update-1/syntax-update-08.ru": "CREATE GRAPH <graph>",
    "syntax-update-1/syntax-update-18.ru": "CREATE GRAPH <graph>",
}


@dataclass(frozen=True)
class SyntaxTest:
    suite: str
    name: str
    file: Path
    positive: bool
    update: bool

    @property
    def id(self) -> str:
        return f"{self.suite}/{self.file.name}"

    @property
    def text(self) -> str:
        return self.file.read_text(encoding="utf-8")


def read_suite(suite: str) -> list[SyntaxTest]:
    folder = ROOT / suite
    graph = Graph().parse(folder / "manifest.ttl", format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    found = []
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        kind = str(graph.value(entry, RDF.type)).rpartition("#")[2]
        action = Path(str(graph.value(entry, MF.action)).removeprefix("file://"))
        name = str(entry).rpartition("#")[2]
        found.append(
            SyntaxTest(
                suite, name, folder / action.name, kind.startswith("Positive"), "Update" in kind
            )
        )
    return found


TESTS = [test for suite in SUITES for test in read_suite(suite)]


@pytest.fixture(scope="module")
def read_only() -> Iterator[Endpoint]:
    with serving(graphs=DATA) as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def writable() -> Iterator[Endpoint]:
    with serving(graphs=DATA, update_token=TOKEN) as endpoint:
        yield endpoint


def send(test: SyntaxTest, read_only: Endpoint, writable: Endpoint) -> Reply:
    if test.update:
        if test.id in SETUP:
            assert writable.update(SETUP[test.id], token=TOKEN).status == 200
        reply = writable.update(test.text, token=TOKEN)
        writable.update("DROP SILENT ALL", token=TOKEN)  # each update starts from an empty store
        return reply
    return read_only.query(test.text)


def test_the_suites_have_all_their_tests() -> None:
    counts = {suite: sum(t.suite == suite for t in TESTS) for suite in SUITES}
    assert counts == {"syntax-query": 94, "syntax-update-1": 54, "syntax-update-2": 1}
    positive = {t.id for t in TESTS if t.positive}
    assert set(POLICY) | set(UNSUPPORTED) | set(SETUP) <= positive


@pytest.mark.parametrize("test", TESTS, ids=lambda t: t.id)
def test_syntax(test: SyntaxTest, read_only: Endpoint, writable: Endpoint) -> None:
    reply = send(test, read_only, writable)
    if test.id in POLICY:
        assert reply.status == 400, reply.text
        assert reply.text.startswith("refused by policy:")
    elif test.id in UNSUPPORTED:
        assert reply.status == 400, reply.text
        assert "is not supported" in reply.text
    elif test.positive:
        assert reply.status == 200, f"{test.file.name}: {reply.text}"
    else:
        assert reply.status == 400, f"{test.file.name} should not parse"
        assert reply.text.startswith(("syntax error", "refused by policy:")), reply.text
