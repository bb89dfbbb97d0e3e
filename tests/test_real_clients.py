"""Real clients against a live server (issue 16): one test per client behaviour.

SPARQLWrapper with its defaults and every return format; RDF clients asking for TriG, N-Quads
and N3; programs that send no Accept or ``*/*``; crawlers reading ``Content-Location``; a
script on another origin (preflights, exposed headers, 304s); caches revalidating; download
managers resuming dumps and accepting gzip; generated OpenAPI clients parsing every answer.
The browser's own cross-origin ``fetch()`` is in ``test_explorer_browser.py``.
"""

import gzip
import hashlib
import io
import json
import urllib.parse
import urllib.request
import warnings
import xml.dom.minidom
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import jsonschema
import pytest
from endpoint_server import Endpoint, Reply, cli_serving, serving
from rdflib import Graph
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDF,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)

SOCIETY = "society/iranian-red-crescent-society"
RCS = "https://w3id.org/rcsgraph/ontology#"
QUERIES = {
    "SELECT": f"SELECT ?s WHERE {{ ?s a <{RCS}Society> }} ORDER BY ?s",
    "ASK": f"ASK {{ ?s a <{RCS}Society> }}",
    "CONSTRUCT": "CONSTRUCT { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } WHERE { "
    f"?s a <{RCS}Society> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }}",
    "DESCRIBE": f"DESCRIBE <https://w3id.org/rcsgraph/id/{SOCIETY}>",
}
#: The type each SPARQLWrapper return format gets, by query form (None: SPARQLWrapper itself
#: says the format does not fit the form, sends ``*/*``, and gets the form's default).
TABLE = {XML: "sparql-results+xml", JSON: "sparql-results+json", CSV: "csv", TSV: "tab-sep"}
GRAPH = {
    XML: "rdf+xml",
    RDFXML: "rdf+xml",
    RDF: "rdf+xml",  # SPARQLWrapper sends */* (and warns), but format=rdf says RDF/XML
    JSON: "ld+json",  # SPARQLWrapper sends */* (and warns), but format=json says JSON-LD
    TURTLE: "turtle",
    N3: "turtle",
    JSONLD: "ld+json",
}
#: Linked-data routes that negotiate an RDF document.
DOCUMENTS = [f"/doc/{SOCIETY}", "/ontology", "/dataset", "/.well-known/void"]
#: Every public route (issue 16, item 3), with a path that answers 200.
ROUTES = [
    "/",
    "/sparql?query=ASK%7B%7D",
    f"/id/{SOCIETY}",
    *DOCUMENTS,
    "/dumps/",
    "/dumps/rcsgraph.nt",
    "/dumps/SHA256SUMS",
    "/queries",
    "/queries/countries",
    "/queries/countries.csv",
    "/openapi.json",
    "/context.jsonld",
    "/labels?iri=https://w3id.org/rcsgraph/id/country/irn",
]
#: What Comunica (a common JavaScript RDF library) sends for a document: 203 bytes, past the
#: 128 bytes under which a browser sends Accept without a preflight.
LONG_ACCEPT = (
    "application/n-quads,application/trig;q=0.95,application/ld+json;q=0.9,"
    "application/n-triples;q=0.8,text/turtle;q=0.6,application/rdf+xml;q=0.5,"
    "text/n3;q=0.35,application/xml;q=0.3,text/xml;q=0.3,image/svg+xml;q=0.3"
)
ORIGIN = "http://127.0.0.1:1"


@pytest.fixture(scope="module")
def server() -> Iterator[Endpoint]:
    with serving(workers=1, threads=4) as endpoint:
        yield endpoint


def get(server: Endpoint, path: str, **headers: str) -> Reply:
    return server.call("GET", path, headers={k.replace("_", "-"): v for k, v in headers.items()})


# --- 1. SPARQLWrapper ------------------------------------------------------------------------


def sparqlwrapper(url: str, form: str, fmt: str | None, method: str) -> Any:
    client = SPARQLWrapper(url)
    client.setQuery(QUERIES[form])
    if fmt is not None:
        client.setReturnFormat(fmt)
    if method != "GET":
        client.setMethod(POST)
    if method == "POSTDIRECTLY":
        client.setRequestMethod(POSTDIRECTLY)
    return client.query()


@pytest.mark.parametrize("method", ["GET", "POST", "POSTDIRECTLY"])
@pytest.mark.parametrize("fmt", [None, XML, JSON, CSV, TSV, TURTLE, N3, RDF, RDFXML, JSONLD])
@pytest.mark.parametrize("form", list(QUERIES))
def test_sparqlwrapper_gets_an_answer_with_its_defaults_and_every_return_format(
    server: Endpoint, form: str, fmt: str | None, method: str
) -> None:
    """Issue 16, item 1: ``format=xml&output=xml&results=xml`` with ``Accept:
    application/rdf+xml`` (its default on a CONSTRUCT), ``format=rdf+xml``, ``n3``, … each get
    the syntax of the query form at hand, by GET, POST form and POST body."""
    graph = form in ("CONSTRUCT", "DESCRIBE")
    expected = (GRAPH if graph else TABLE).get(fmt or XML)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = sparqlwrapper(server.url, form, fmt, method)
        media = result.info()["content-type"]
        converted = result.convert()
    if expected is None:  # SPARQLWrapper itself warned; the endpoint gave its default
        assert ("turtle" if graph else "sparql-results+json") in media
        return
    # no "Format requested was X, but Y has been returned by the endpoint"
    assert [str(w.message) for w in caught if "has been returned" in str(w.message)] == []
    assert expected in media
    if isinstance(converted, Graph):
        assert len(converted) > 0
    elif isinstance(converted, dict):
        assert converted.get("boolean") is True or converted["results"]["bindings"]
    elif isinstance(converted, xml.dom.minidom.Document):
        assert converted.getElementsByTagName("boolean" if form == "ASK" else "result")
    else:
        assert converted  # CSV, TSV, Turtle: the bytes


# --- 2. graph queries accepting JSON or results types; Vary everywhere ------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/json", "application/ld+json"),
        ("application/sparql-results+json", "text/turtle"),
        ("application/sparql-results+xml", "text/turtle"),
        ("text/csv", "text/turtle"),
    ],
)
def test_a_graph_query_accepting_only_json_or_results_types_gets_rdf(
    server: Endpoint, accept: str, expected: str
) -> None:
    """Issue 16, item 2: JSON-LD for ``application/json``, Turtle for a results type."""
    reply = server.query(QUERIES["CONSTRUCT"], accept=accept)
    assert reply.status == 200 and reply.media_type == expected
    assert "Accept" in reply.headers["vary"]


@pytest.mark.parametrize(
    "path",
    [
        "/sparql?query=ASK%7B%7D",
        "/sparql",
        f"/doc/{SOCIETY}",
        "/ontology",
        "/dataset",
        "/queries/countries",
        "/queries",
    ],
)
@pytest.mark.parametrize("accept", [None, "*/*", "text/html", "image/png"])
def test_a_shared_cache_sees_vary_accept_on_every_negotiated_answer(
    server: Endpoint, path: str, accept: str | None
) -> None:
    """Issue 16, item 2: every negotiated answer varies on Accept, a 406 too."""
    reply = get(server, path, **({"Accept": accept} if accept else {}))
    assert reply.status in (200, 406)
    assert "accept" in reply.headers["vary"].lower(), (path, accept, reply.status)


# --- 3. CORS on every route -------------------------------------------------------------------


@pytest.mark.parametrize("path", ROUTES)
def test_a_script_on_another_origin_passes_the_preflight_of_every_route(
    server: Endpoint, path: str
) -> None:
    """Issue 16, item 3: a preflight for a long Accept and the headers caches and frameworks
    add is allowed on every route, and may be kept; the answer is readable, ETag included."""
    asked = "accept, cache-control, if-none-match, x-requested-with, authorization"
    preflight = server.call(
        "OPTIONS",
        path,
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": asked,
        },
    )
    assert preflight.status in (200, 204)
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "GET" in preflight.headers["access-control-allow-methods"]
    allowed = {
        h.strip().lower() for h in preflight.headers["access-control-allow-headers"].split(",")
    }
    assert set(asked.split(", ")) <= allowed
    assert int(preflight.headers["access-control-max-age"]) >= 600
    reply = get(server, path, Origin=ORIGIN, Accept=LONG_ACCEPT)
    assert reply.status < 500, (path, reply.status)  # a 406 is an answer a script reads too
    assert reply.headers["access-control-allow-origin"] == "*"
    exposed = {h.strip().lower() for h in reply.headers["access-control-expose-headers"].split(",")}
    assert {"etag", "link", "content-location", "x-row-cap", "warning"} <= exposed


def test_a_script_revalidating_reads_the_304_and_the_errors(server: Endpoint) -> None:
    """Issue 16, item 3: a 304 and an error carry ``Access-Control-Allow-Origin`` too."""
    first = get(server, "/sparql?query=ASK%7B%7D", Origin=ORIGIN)
    again = get(
        server, "/sparql?query=ASK%7B%7D", Origin=ORIGIN, If_None_Match=first.headers["etag"]
    )
    assert again.status == 304 and again.headers["access-control-allow-origin"] == "*"
    dump = get(server, "/dumps/rcsgraph.nt", Origin=ORIGIN)
    again = get(server, "/dumps/rcsgraph.nt", Origin=ORIGIN, If_None_Match=dump.headers["etag"])
    assert again.status == 304 and again.headers["access-control-allow-origin"] == "*"
    for path in ("/sparql?query=SELECT", "/doc/country/nowhere", "/queries/nothing"):
        failed = get(server, path, Origin=ORIGIN)
        assert failed.status >= 400 and failed.headers["access-control-allow-origin"] == "*"


# --- 4. TriG, N-Quads, N3 ---------------------------------------------------------------------


@pytest.mark.parametrize("path", DOCUMENTS)
@pytest.mark.parametrize(
    ("accept", "media", "parser"),
    [
        ("application/trig, */*;q=0.1", "application/trig", "trig"),
        ("application/n-quads", "application/n-quads", "nquads"),
        ("text/n3", "text/n3", "n3"),
        (LONG_ACCEPT, "application/n-quads", "nquads"),
    ],
)
def test_an_rdf_client_asking_for_trig_nquads_or_n3_gets_it(
    server: Endpoint, path: str, accept: str, media: str, parser: str
) -> None:
    """Issue 16, item 4: a Turtle document is TriG and N3, an N-Triples one N-Quads."""
    reply = get(server, path, Accept=accept)
    assert reply.status == 200 and reply.media_type == media
    turtle = Graph().parse(data=get(server, path, Accept="text/turtle").body, format="turtle")
    found = Graph()
    found.parse(data=reply.body, format=parser)
    assert len(found) == len(turtle) > 0


# --- 5, 7. no Accept, */* ---------------------------------------------------------------------


@pytest.mark.parametrize("path", DOCUMENTS)
def test_a_program_sending_no_accept_gets_turtle(server: Endpoint, path: str) -> None:
    """Issue 16, item 5: urllib (no Accept header at all) gets RDF, not a web page."""
    request = urllib.request.Request(server.url.removesuffix("/sparql") + path)
    assert not request.has_header("Accept")
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers.get_content_type() == "text/turtle"
        assert len(Graph().parse(data=response.read(), format="turtle")) > 0


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (f"/doc/{SOCIETY}", "text/turtle"),
        ("/ontology", "text/turtle"),
        ("/dataset", "text/turtle"),
        ("/sparql", "text/turtle"),  # the service description
        ("/sparql?query=ASK%7B%7D", "application/sparql-results+json"),
        ("/queries", "application/json"),
        ("/queries/countries", "application/sparql-results+json"),
        ("/queries/society-profile", "text/turtle"),
        ("/", "text/html"),  # a route with nothing but a page
    ],
)
def test_curl_star_slash_star_gets_each_routes_first_offer_as_no_accept_does(
    server: Endpoint, path: str, expected: str
) -> None:
    """Issue 16, item 7: one rule: ``*/*`` is no preference, the same as no Accept; the
    route's first offer, and HTML only for a client that names it (every browser does)."""
    for headers in ({"Accept": "*/*"}, {}):
        assert get(server, path, **headers).media_type == expected, (path, headers)
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    if path.startswith(("/doc", "/ontology", "/dataset", "/queries/")) or path == "/sparql":
        assert get(server, path, Accept=browser).media_type == "text/html"


# --- 6. Content-Location ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "accept", "location"),
    [
        (f"/doc/{SOCIETY}", "text/turtle", f"/doc/{SOCIETY}.ttl"),
        ("/ontology", "text/turtle", "/ontology.ttl"),
        ("/ontology", "application/ld+json", "/ontology.jsonld"),
        ("/ontology", "text/html", "/ontology.html"),
        ("/dataset", "application/n-triples", "/dataset.nt"),
        ("/.well-known/void", "application/trig", "/dataset.trig"),
    ],
)
def test_a_crawler_reads_the_content_location_of_every_document(
    server: Endpoint, path: str, accept: str, location: str
) -> None:
    """Issue 16, item 6: the negotiated answer names the document it is, and that answers."""
    reply = get(server, path, Accept=accept)
    assert reply.headers["content-location"] == location
    same = get(server, location, Accept="image/png")  # the suffix wins over Accept
    assert same.status == 200 and same.body == reply.body


# --- 8. the same request, the same bytes ------------------------------------------------------

SAME_BYTES = [
    (f"/doc/{SOCIETY}", "application/n-triples"),
    (f"/doc/{SOCIETY}", "text/turtle"),
    (f"/doc/{SOCIETY}", "application/ld+json"),
    (f"/doc/{SOCIETY}", "application/rdf+xml"),
    ("/doc/country/irn", "application/n-triples"),
    ("/dataset", "application/n-triples"),
    ("/dataset", "application/rdf+xml"),
    ("/ontology", "application/rdf+xml"),
    ("/ontology", "application/ld+json"),
    ("/sparql", "text/turtle"),  # the service description
    ("/sparql", "application/rdf+xml"),
    ("/.well-known/sparql-examples", "text/turtle"),
    ("/queries/countries", "application/sparql-results+json"),
    ("/queries/countries-by-region", "text/csv"),
    ("/queries/society-profile", "application/n-triples"),
    ("/sparql?query=" + quote(QUERIES["DESCRIBE"]), "application/n-triples"),
    ("/dumps/rcsgraph.ttl", "*/*"),
]


def answers(endpoint: Endpoint) -> list[bytes]:
    """Each of ``SAME_BYTES``, twice, evaluated afresh; the server's own URL masked."""
    base = endpoint.url.removesuffix("/sparql").encode()
    found = []
    for path, accept in SAME_BYTES:
        for _ in range(2):
            reply = get(endpoint, path, Accept=accept, Cache_Control="no-cache")
            assert reply.status == 200, (path, reply.status)
            found.append(reply.body.replace(base, b"http://server"))
    return found


@pytest.mark.slow
def test_a_client_comparing_answers_gets_the_same_bytes_for_the_same_request() -> None:
    """Issue 16, item 8: answers are deterministic (their ETags are strong): the same request
    gives the same bytes, afresh (``Cache-Control: no-cache``) and from another server process
    (another hash seed: sets and dicts iterate otherwise)."""
    with cli_serving("--workers", "1") as first:
        one = answers(first)
    with cli_serving("--workers", "1") as second:
        other = answers(second)
    for i, (path, accept) in enumerate(p for p in SAME_BYTES for _ in range(2)):
        assert one[i] == other[i] == one[i - i % 2], (path, accept)


# --- 9. validators ----------------------------------------------------------------------------

#: Routes of every kind: the answer cache gives pages, documents and catalogue answers of an
#: immutable store a tag (issue 15); dumps carry their SHA-256.
TAGGED = ["/sparql?query=ASK%7B%7D", "/dumps/rcsgraph.nt", "/dumps/rcsgraph.ttl"]
PAGES = [f"/doc/{SOCIETY}", "/ontology", "/dataset", "/queries/countries", "/"]


def tag_of(server: Endpoint, path: str) -> str:
    reply = get(server, path)
    assert reply.status == 200 and "etag" in reply.headers, path
    return reply.headers["etag"]


@pytest.mark.parametrize("path", TAGGED + PAGES)
def test_a_cache_revalidating_with_its_etag_gets_304(server: Endpoint, path: str) -> None:
    """Issue 16, item 9: ``If-None-Match`` with the tag is a 304 that repeats the tag."""
    tag = tag_of(server, path)
    again = get(server, path, If_None_Match=tag)
    assert again.status == 304 and again.body == b"" and again.headers["etag"] == tag


@pytest.mark.parametrize("path", TAGGED + PAGES)
def test_a_cache_holding_any_version_sends_if_none_match_star_and_gets_304(
    server: Endpoint, path: str
) -> None:
    """Issue 16, item 9: ``If-None-Match: *`` matches any current answer (RFC 9110)."""
    tag_of(server, path)
    assert get(server, path, If_None_Match="*").status == 304


@pytest.mark.parametrize("path", TAGGED + PAGES)
def test_a_head_revalidation_with_a_matching_tag_gets_304(server: Endpoint, path: str) -> None:
    """Issue 16, item 9: HEAD is revalidated as GET is."""
    tag = tag_of(server, path)
    reply = server.call("HEAD", path, headers={"If-None-Match": tag})
    assert reply.status == 304 and reply.headers["etag"] == tag


# --- 10. dumps: resumed and compressed downloads ----------------------------------------------


def sums(server: Endpoint) -> dict[str, str]:
    lines = get(server, "/dumps/SHA256SUMS").text.splitlines()
    return {name.lstrip("*"): digest for digest, name in (line.split() for line in lines)}


@pytest.mark.parametrize("name", ["rcsgraph.nt", "rcsgraph.ttl", "rcsgraph.jsonld"])
def test_a_download_manager_resumes_an_interrupted_dump(server: Endpoint, name: str) -> None:
    """Issue 16, item 10: what wget -c and curl -C - do: the first part, then ``Range`` from
    where it stopped with ``If-Range``; the whole matches SHA256SUMS."""
    head = server.call("HEAD", f"/dumps/{name}")
    size, tag = int(head.headers["content-length"]), head.headers["etag"]
    assert head.headers["accept-ranges"] == "bytes"
    cut = size // 3
    first = get(server, f"/dumps/{name}", Range=f"bytes=0-{cut - 1}")
    rest = get(server, f"/dumps/{name}", Range=f"bytes={cut}-", If_Range=tag)
    assert first.status == rest.status == 206
    assert rest.headers["content-range"] == f"bytes {cut}-{size - 1}/{size}"
    assert hashlib.sha256(first.body + rest.body).hexdigest() == sums(server)[name]
    stale = get(server, f"/dumps/{name}", Range=f"bytes={cut}-", If_Range='"stale"')
    assert stale.status == 200 and len(stale.body) == size  # changed: the whole again


def test_a_client_accepting_gzip_inflates_the_dump_it_was_sent(server: Endpoint) -> None:
    """Issue 16, item 10: urllib with ``Accept-Encoding: gzip`` gets fewer bytes, which inflate
    to the dump that SHA256SUMS names."""
    url = server.url.removesuffix("/sparql") + "/dumps/rcsgraph.nt"
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response.headers["Vary"]
        packed = response.read()
    data = gzip.GzipFile(fileobj=io.BytesIO(packed)).read()
    assert len(packed) < len(data)
    assert hashlib.sha256(data).hexdigest() == sums(server)["rcsgraph.nt"]


# --- 11. OpenAPI ------------------------------------------------------------------------------


def test_a_generated_openapi_client_gets_a_schema_for_every_answer(server: Endpoint) -> None:
    """Issue 16, item 11: every 200 answer declares a schema and every suffix form is a path;
    each JSON answer of each path validates against the schema it declares."""
    document = get(server, "/openapi.json").json()
    resolver = {"components": document["components"]}
    paths = document["paths"]
    assert "/queries/countries.csv" in paths and "/queries/society-profile.ttl" in paths
    for path, item in paths.items():
        operation = item["get"]
        content = operation["responses"]["200"]["content"]
        assert all("schema" in declared for declared in content.values()), path
        query = {p["name"]: str(p["example"]) for p in operation["parameters"] if p["required"]}
        target = path + ("?" + urllib.parse.urlencode(query) if query else "")
        for media, declared in content.items():
            if "json" not in media:
                continue
            reply = get(server, target, Accept=media)
            assert reply.status == 200 and reply.media_type == media, (target, media)
            schema = {**declared["schema"], **resolver}
            jsonschema.validate(json.loads(reply.body), schema)
