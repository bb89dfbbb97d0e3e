"""Safe by default: no outbound requests, no anonymous writes, bounded requests, open CORS.

A fixture HTTP server on loopback counts every request it gets. Queries and updates that name
it in FROM, FROM NAMED, SERVICE (also SILENT, behind a prefix, a BASE or a variable) or LOAD
must be refused before evaluation, with a message, and reach it zero times. A control shows
that the count would move: a SERVICE on the allow-list does reach it.
"""

import http.server
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from endpoint_server import Endpoint, serving

from rcsgraph.errors import InputError
from rcsgraph.graph.loading import load_graph

TOKEN = "security-test-token"


class Counter(http.server.ThreadingHTTPServer):
    """Answers anything with an empty SPARQL JSON result, and counts what it is asked."""

    requests = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/sparql"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: Counter

    def _answer(self) -> None:
        self.server.requests += 1
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = b'{"head":{"vars":[]},"results":{"bindings":[{}]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_HEAD = do_PUT = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def fixture_server() -> Iterator[Counter]:
    server = Counter(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="module")
def endpoint() -> Iterator[Endpoint]:
    """The bundled graph, with an update token, default limits and a 200 kB body cap."""
    with serving(update_token=TOKEN, workers=1, body_cap=200_000) as running:
        yield running


@pytest.fixture
def counted(fixture_server: Counter) -> Iterator[Counter]:
    """The fixture server; the test fails if anything reached it while it ran."""
    before = fixture_server.requests
    yield fixture_server
    assert fixture_server.requests == before, "the endpoint made an outbound request"


QUERIES = {
    "from": "SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
    "from-named": "SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "service": "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "service-silent": "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "service-lowercase": "select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
    "service-prefixed": "PREFIX f: <{base}> SELECT * WHERE {{ SERVICE f:sparql {{ ?s ?p ?o }} }}",
    "service-relative": "BASE <{base}> SELECT * WHERE {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
    "service-variable": "SELECT * WHERE {{ VALUES ?x {{ <{url}> }} SERVICE ?x {{ ?s ?p ?o }} }}",
    "service-in-subquery": "SELECT * {{ {{ SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "service-after-escaped-hash": "PREFIX e: <http://example.org/>\n"
    "SELECT * WHERE {{ ?s e:a\\# ?o . SERVICE <{url}> {{ ?x ?y ?z }} }}",
    "service-in-ask": "ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "service-in-construct": "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
}
UPDATES = {
    "load": "LOAD <{url}>",
    "load-silent-into": "LOAD SILENT <{url}> INTO GRAPH <http://example.org/g>",
    "service-in-update": "INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "using": "INSERT {{ ?s ?p ?o }} USING <{url}> WHERE {{ ?s ?p ?o }}",
}


def _text(template: str, fixture: Counter) -> str:
    return template.format(url=fixture.url, base=fixture.url.rpartition("/")[0] + "/")


@pytest.mark.parametrize("name", QUERIES)
def test_a_query_never_reaches_out(endpoint: Endpoint, counted: Counter, name: str) -> None:
    reply = endpoint.query(_text(QUERIES[name], counted))
    assert reply.status == 400
    assert reply.text.startswith("refused by policy:")


@pytest.mark.parametrize("name", UPDATES)
def test_an_update_never_reaches_out(endpoint: Endpoint, counted: Counter, name: str) -> None:
    text = _text(UPDATES[name], counted)
    anonymous = endpoint.update(text)
    assert anonymous.status == 401
    assert "Bearer" in anonymous.text
    with_token = endpoint.update(text, token=TOKEN)
    assert with_token.status == 400
    assert with_token.text.startswith("refused by policy:")


def test_an_allowed_service_is_called(fixture_server: Counter) -> None:
    """The control: with the fixture on the allow-list, SERVICE does reach it."""
    before = fixture_server.requests
    with serving(workers=1, service_allow=(fixture_server.url,)) as allowing:
        reply = allowing.query(
            f"SELECT * WHERE {{ SERVICE <{fixture_server.url}> {{ ?s ?p ?o }} }}"
        )
    assert reply.status == 200, reply.text
    assert fixture_server.requests > before


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }",
    ],
)
def test_a_file_iri_reads_nothing(endpoint: Endpoint, text: str) -> None:
    reply = endpoint.query(text)
    assert reply.status == 400
    assert reply.text.startswith("refused by policy:")
    assert "root:" not in reply.text


def test_a_file_load_reads_nothing(endpoint: Endpoint) -> None:
    reply = endpoint.update("LOAD <file:///etc/passwd> INTO GRAPH <urn:x>", token=TOKEN)
    assert reply.status == 400
    assert reply.text.startswith("refused by policy:")
    answer = endpoint.query("ASK { GRAPH <urn:x> { ?s ?p ?o } }", accept="application/json")
    assert answer.json()["boolean"] is False


def test_an_anonymous_update_is_refused(endpoint: Endpoint) -> None:
    reply = endpoint.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert reply.status == 401
    assert reply.headers["www-authenticate"].startswith("Bearer")
    form = endpoint.call(
        "POST",
        body="update=CLEAR%20ALL",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert form.status == 401
    assert endpoint.query("ASK { <urn:a> <urn:b> <urn:c> }").json()["boolean"] is False


def test_updates_are_disabled_without_a_token() -> None:
    with serving(workers=1) as read_only:
        reply = read_only.update("CLEAR ALL", token="anything")
    assert reply.status == 401
    assert "read-only" in reply.text


def test_cors_allows_any_origin_without_credentials(endpoint: Endpoint) -> None:
    reply = endpoint.get({"query": "ASK {}"}, Origin="https://elsewhere.example")
    assert reply.status == 200
    assert reply.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in reply.headers
    refused = endpoint.get({"query": "ASK {"}, Origin="https://elsewhere.example")
    assert refused.status == 400
    assert refused.headers["access-control-allow-origin"] == "*"
    preflight = endpoint.call(
        "OPTIONS",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert preflight.status == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "access-control-allow-credentials" not in preflight.headers


def test_a_body_over_the_cap_is_413(endpoint: Endpoint) -> None:
    padding = "#" + "x" * 250_000 + "\n"
    reply = endpoint.query(padding + "ASK {}")
    assert reply.status == 413
    assert reply.text


def test_a_query_over_the_length_limit_is_400(endpoint: Endpoint) -> None:
    reply = endpoint.query("#" + "x" * 120_000 + "\nASK {}")
    assert reply.status == 400
    assert reply.text.startswith("refused by policy:")
    assert "longer than 100000 characters" in reply.text


@pytest.mark.parametrize("bracket", ["()", "{}", "[]"])
def test_a_query_over_the_nesting_limit_is_400(endpoint: Endpoint, bracket: str) -> None:
    start = bracket[0]
    inner = {"(": "FILTER(" + "(" * 100 + "1" + ")" * 100 + ")", "{": "{" * 100 + "}" * 100}
    inner["["] = "?s ?p " + "[ ?q " * 100 + "1" + " ]" * 100
    reply = endpoint.query("SELECT * WHERE { " + inner[start] + " }")
    assert reply.status == 400
    assert reply.text.startswith("refused by policy:")
    assert "nests deeper than 64 levels" in reply.text


def test_a_deep_expression_within_the_limits_is_no_crash(endpoint: Endpoint) -> None:
    """16 000 ``&&`` (no brackets) within the length limit: answered, not a 500. The engine's
    parser recurses once per operator; on a default 8 MiB stack this crashes the worker."""
    reply = endpoint.query("ASK { FILTER(" + "&&".join(["true"] * 16_000) + ") }")
    assert reply.status == 200, reply.text


# --- input files: JSON-LD contexts and XML entities are never fetched -------------------------


def _rcsgraph(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "rcsgraph.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)


@pytest.mark.parametrize(
    "context",
    [
        "{url}",
        ["{url}"],
        {"@import": "{url}"},
        {"name": {"@id": "http://schema.org/name", "@context": "{url}"}},
        "file:///etc/passwd",
    ],
)
def test_a_jsonld_file_naming_a_remote_context_is_refused(
    counted: Counter, tmp_path: Path, context: object
) -> None:
    """rdflib's JSON-LD parser would fetch the context (over HTTP, or a ``file:`` IRI);
    ``validate`` refuses it before parsing, ``load`` streams through Oxigraph, which has no
    document loader. Either way: exit 2, and nothing reached the fixture server."""
    text = json.dumps({"@context": context, "@id": "http://example.org/a", "name": "x"})
    document = tmp_path / "doc.jsonld"
    document.write_text(text.replace("{url}", counted.url), encoding="utf-8")
    store = str(tmp_path / "store")
    for command in (["validate", str(document)], ["load", str(document), "--store", store]):
        done = _rcsgraph(*command)
        assert done.returncode == 2, done.stderr
        assert "context" in done.stderr
        assert "root:" not in done.stderr


def test_an_embedded_jsonld_context_is_read(tmp_path: Path) -> None:
    document = tmp_path / "doc.jsonld"
    context = {"name": "http://www.w3.org/2000/01/rdf-schema#label"}
    document.write_text(
        json.dumps({"@context": context, "@id": "http://example.org/a", "name": "x"}),
        encoding="utf-8",
    )
    graph = load_graph([document])
    assert len(graph) == 1


def test_an_xml_external_entity_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the-secret-content", encoding="utf-8")
    document = tmp_path / "doc.rdf"
    document.write_text(
        f"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [<!ENTITY secret SYSTEM "{secret.as_uri()}">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">
  <rdf:Description rdf:about="http://example.org/a"><rdfs:label>&secret;</rdfs:label>
  </rdf:Description>
</rdf:RDF>
""",
        encoding="utf-8",
    )
    try:
        graph = load_graph([document])
    except InputError:
        return  # refused outright: nothing was read
    assert "the-secret-content" not in graph.serialize(format="nt")


@pytest.mark.parametrize("name", ["/etc/hostname", "../../../../../../etc/hostname", "a/../b.txt"])
def test_a_source_text_named_by_a_path_is_not_read(tmp_path: Path, name: str) -> None:
    """``rcs:sourceText`` names a file beside the data; a path (absolute, or climbing out with
    ``..``) is a violation and is never opened, so that a bundle cannot make ``rcsgraph add``
    read, check quotes against, or copy into the store a file from elsewhere."""
    bundles = Path(__file__).parent / "data" / "bundles"
    text = (bundles / "second-article.ttl").read_text(encoding="utf-8")
    bundle = tmp_path / "second-article.ttl"
    bundle.write_text(text.replace('"second-article.txt"', json.dumps(name)), encoding="utf-8")
    done = _rcsgraph("validate", str(bundle))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "is a path: name a file beside the data" in done.stdout


@pytest.mark.parametrize(
    "target",
    [
        "/static/../../../../etc/passwd",
        "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/dumps/..%2f..%2fpyproject.toml",
        "/dumps/%2e%2e",
        "/doc/..%2f..%2f..%2fetc%2fpasswd",
        "/doc/country/..%2f..%2f..%2f..%2fetc%2fpasswd.ttl",
        "/id/../../etc/passwd",
        "/queries/..%2f..%2fpyproject.toml",
        "/ontology/..%2f..%2fpyproject.toml",
    ],
)
def test_path_traversal_reads_nothing(endpoint: Endpoint, target: str) -> None:
    reply = endpoint.call("GET", target)
    assert 300 <= reply.status < 500, (reply.status, reply.text[:200])
    assert "root:" not in reply.text and "[project]" not in reply.text
