"""The W3C SPARQL 1.1 Protocol tests, replayed over HTTP against a live endpoint.

``../shared/w3c/sparql11/protocol/manifest.ttl`` describes each test as HTTP requests (method,
path, headers, body) and expected responses (status class, result format, boolean) in the
HTTP-in-RDF vocabulary. The graphs the tests query are preloaded under their labels.

Every test runs on a read-only endpoint: those that send no update must pass as written; an
update must be refused with 401. The tests that send updates run again on an endpoint with an
update token (sent as ``Authorization: Bearer``), where they must pass as written.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from endpoint_server import Endpoint, Reply, serving, w3c_or_skip
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

FOLDER = w3c_or_skip("protocol")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
TOKEN = "protocol-test-token"

BOOLEAN_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
}
TABULAR_TYPES = {
    **BOOLEAN_TYPES,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


@dataclass(frozen=True)
class Step:
    """One request of a test and what its response must be."""

    method: str
    path: str  # as in the manifest: /sparql/…
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[int]  # status classes: 2 for 2xx, …
    format: str | None  # "boolean", "tabular", "RDF"
    boolean: bool | None

    @property
    def sends_update(self) -> bool:
        """Whether this request carries an update (in any of the protocol's ways, or not)."""
        media = self.headers.get("content-type", "")
        return (
            media.startswith("application/sparql-update")
            or (self.body or b"").startswith(b"update=")
            or "?update=" in self.path
        )


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    title: str
    steps: tuple[Step, ...]

    @property
    def needs_token(self) -> bool:
        """Whether the test expects an update to succeed."""
        return any(step.sends_update and 2 in step.statuses for step in self.steps)


def read_manifest(folder: Path) -> tuple[list[ProtocolTest], dict[str, str]]:
    """The tests in manifest order, and the graphs to preload (label → file)."""
    graph = Graph().parse(folder / "manifest.ttl", format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests, graphs = [], {}
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        for data in graph.objects(entry, UT.graphData):
            file = Path(str(graph.value(data, UT.graph)).removeprefix("file://"))
            graphs[str(graph.value(data, RDFS.label))] = str(folder / file.name)
        action = graph.value(entry, MF.action)
        requests = Collection(graph, graph.value(action, HT.requests))
        steps = tuple(_step(graph, request) for request in requests)
        name = str(entry).rpartition("#")[2]
        tests.append(ProtocolTest(name, str(graph.value(entry, MF.name)), steps))
    return tests, graphs


def _step(graph: Graph, request: URIRef) -> Step:
    headers = {}
    listed = graph.value(request, HT.headers)
    for header in Collection(graph, listed) if listed is not None else []:
        name = str(graph.value(header, HT.fieldName)).lower()
        headers[name] = str(graph.value(header, HT.fieldValue))
    body = None
    content = graph.value(request, HT.body)
    if content is not None:
        encoding = str(graph.value(content, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(content, CNT.chars)).encode(encoding)
    response = graph.value(request, HT.resp)
    statuses = frozenset(
        int(str(code).removeprefix(HTS)[0]) for code in graph.objects(response, MF.expectedStatus)
    )
    found = graph.value(response, MF.expectedFormat)
    boolean = graph.value(response, MF.expectedBoolean)
    return Step(
        method=str(graph.value(request, HT.methodName)),
        path=str(graph.value(request, HT.absolutePath)),
        headers=headers,
        body=body,
        statuses=statuses,
        format=None if found is None else str(found),
        boolean=None if boolean is None else bool(boolean.toPython()),
    )


TESTS, GRAPHS = read_manifest(FOLDER)
#: The tests of the update operation: those that must succeed, and those that must fail.
UPDATE_TESTS = [test for test in TESTS if "update" in test.name]


def send(endpoint: Endpoint, step: Step, token: str | None = None) -> Reply:
    """Replay ``step``, with the manifest's ``/sparql/`` replaced by the endpoint's path."""
    target = endpoint.path + step.path.removeprefix("/sparql/")
    headers = dict(step.headers)
    if token and step.sends_update:
        headers["authorization"] = f"Bearer {token}"
    return endpoint.call(step.method, target, step.body, headers)


def check(step: Step, reply: Reply) -> None:
    """The response is what the manifest expects: status class, format, boolean."""
    where = f"{step.method} {step.path} -> {reply.status} {reply.body[:300]!r}"
    assert reply.status // 100 in step.statuses, where
    if step.format == "boolean":
        assert reply.media_type in BOOLEAN_TYPES, where
        answer = ox.parse_query_results(reply.body, format=BOOLEAN_TYPES[reply.media_type])
        assert isinstance(answer, ox.QueryBoolean), where
        if step.boolean is not None:
            assert bool(answer) is step.boolean, where
    elif step.format == "tabular":
        assert reply.media_type in TABULAR_TYPES, where
        if reply.media_type != "text/csv":  # Oxigraph reads JSON, XML and TSV results
            answer = ox.parse_query_results(reply.body, format=TABULAR_TYPES[reply.media_type])
            assert isinstance(answer, ox.QuerySolutions), where
    elif step.format == "RDF":
        assert reply.media_type in RDF_TYPES, where
        Graph().parse(data=reply.body, format=RDF_TYPES[reply.media_type])


@pytest.fixture(scope="module")
def read_only() -> Iterator[Endpoint]:
    with serving(graphs=GRAPHS) as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def writable() -> Iterator[Endpoint]:
    with serving(graphs=GRAPHS, update_token=TOKEN) as endpoint:
        yield endpoint


def test_the_manifest_has_all_its_tests() -> None:
    assert len(TESTS) == 34
    assert len(UPDATE_TESTS) == 14
    needing = {t.name for t in TESTS if t.needs_token}
    assert needing == {t.name for t in UPDATE_TESTS if t.name.startswith("update_")}
    assert len(needing) == 7  # a read-only endpoint applies the other 27
    assert set(GRAPHS) == {f"http://kasei.us/2009/09/sparql/data/data{i}.rdf" for i in (1, 2, 3)}


@pytest.mark.parametrize("test", TESTS, ids=lambda t: t.name)
def test_on_a_read_only_endpoint(read_only: Endpoint, test: ProtocolTest) -> None:
    """As written, except that an update the test expects to succeed is refused: 401."""
    for step in test.steps:
        reply = send(read_only, step)
        if step.sends_update and 2 in step.statuses:
            assert reply.status == 401, reply.body
            assert "read-only" in reply.text
            return
        check(step, reply)


@pytest.mark.parametrize("test", UPDATE_TESTS, ids=lambda t: t.name)
def test_with_an_update_token(writable: Endpoint, test: ProtocolTest) -> None:
    """The tests that send updates, on an endpoint that accepts them with its token."""
    for step in test.steps:
        check(step, send(writable, step, TOKEN))


def test_an_update_with_a_wrong_token_is_refused(writable: Endpoint) -> None:
    reply = writable.update("CLEAR ALL", token="not-the-token")
    assert reply.status == 401
    assert reply.headers["www-authenticate"].startswith("Bearer")
