"""Hostile input over real HTTP: never a 5xx, never a dropped connection, healthy afterwards.

Property tests (hypothesis) send, to live servers on loopback:

- ``sparql``: queries and updates from the W3C SPARQL 1.1 syntax tests, mutated (spans cut,
  doubled or swapped, SPARQL tokens and odd characters put in, brackets repeated), by GET, POST
  form, POST ``application/sparql-query`` and ``application/sparql-update``;
- ``headers``: random ``Accept`` and ``Content-Type`` headers (and methods and bodies) on the
  endpoint, the catalogue, entity documents and the dataset pages;
- ``catalogue``: random parameters, format suffixes and ``format=`` values for every canned query;
- ``paths``: odd paths under ``/id/``, ``/doc/`` and ``/queries/`` (dots, percent-escapes,
  invalid UTF-8, traversal attempts, long segments);
- ``bytes``: bodies and query strings that are not UTF-8;
- ``openapi``: schemathesis cases generated from our own OpenAPI document.

Each request must be answered completely (``http.client`` raises on a dropped connection) with a
status below 500. Counts are bounded for CI: ``RCSGRAPH_FUZZ_EXAMPLES`` (default 60) examples per
test; set it higher for a long run. The number of inputs tried per category is written to
``var/fuzz-report.json`` (and printed with ``pytest -s``).
"""

import json
import os
import string
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from endpoint_server import ROOT, W3C, Endpoint, Reply, serving
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rcsgraph.queries import load_catalogue

pytestmark = [pytest.mark.fuzz, pytest.mark.slow]

EXAMPLES = int(os.environ.get("RCSGRAPH_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TOKEN = "fuzz-token"
REPORT = ROOT / "var" / "fuzz-report.json"
TRIED: Counter[str] = Counter()
CATALOGUE = load_catalogue()


# --- servers -------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def report() -> Iterator[None]:
    """Write the counts of inputs tried, per category, once the module has run."""
    yield
    REPORT.parent.mkdir(exist_ok=True)
    summary = {"examples_per_test": EXAMPLES, "tried": dict(sorted(TRIED.items()))}
    summary["total"] = sum(TRIED.values())
    REPORT.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"\nfuzz inputs tried: {json.dumps(summary)}")


@pytest.fixture(scope="module")
def bundled() -> Iterator[Endpoint]:
    """The bundled graph, read-only, as served by default: pages, catalogue, endpoint."""
    with serving(workers=2, timeout=20) as running:
        yield running


@pytest.fixture(scope="module")
def small() -> Iterator[Endpoint]:
    """A tiny graph with an update token: mutated queries cannot run away, updates run."""
    data = W3C / "protocol" / "data1.nt"
    if not data.exists():
        pytest.skip(f"{data} is absent: the SPARQL seeds come from ../shared/w3c (CI has it)")
    with serving(graphs={"http://example.org/data": str(data)}, update_token=TOKEN) as running:
        yield running


def answered(reply: Reply, category: str) -> Reply:
    """Count the input and check the answer: complete, not a server error."""
    TRIED[category] += 1
    assert reply.status < 500, f"{reply.status}: {reply.body[:300]!r}"
    assert "root:x:0:0" not in reply.body.decode("utf-8", "replace")
    return reply


def assert_healthy(endpoint: Endpoint) -> None:
    reply = endpoint.query("ASK { ?s ?p ?o }", accept="application/sparql-results+json")
    assert reply.status == 200 and reply.json()["boolean"] is True, reply.text


# --- SPARQL, mutated from the W3C syntax tests ------------------------------------------------


def _seeds(suffix: str) -> list[str]:
    folders = ("syntax-query", "syntax-update-1", "syntax-update-2")
    found = [p for f in folders if (W3C / f).is_dir() for p in sorted((W3C / f).glob(suffix))]
    return [p.read_text(encoding="utf-8", errors="replace") for p in found]


QUERY_SEEDS = _seeds("*.rq") or ["ASK {}"]
UPDATE_SEEDS = _seeds("*.ru") or ["CLEAR DEFAULT"]
PIECES = [
    *"{}()[].;,*?$\"'<>#\\^@:!|/+-=&",
    "<<",
    ">>",
    "^^",
    "'''",
    '"""',
    "SELECT",
    "ASK",
    "CONSTRUCT",
    "DESCRIBE",
    "WHERE",
    "FILTER",
    "OPTIONAL",
    "UNION",
    "MINUS",
    "GRAPH",
    "SERVICE",
    "SILENT",
    "LOAD",
    "FROM",
    "NAMED",
    "USING",
    "WITH",
    "BIND",
    "VALUES",
    "LIMIT 1",
    "LIMIT 1e999",
    "LIMIT " + "9" * 5000,
    "OFFSET 99999999999999999999",
    "ORDER BY",
    "GROUP BY",
    "PREFIX p: <http://example.org/>",
    "BASE <file:///etc/>",
    "<file:///etc/passwd>",
    "<http://127.0.0.1:1/sparql>",
    "<http://[::1>",
    "?x",
    "_:b",
    "p:a\\#b",
    "1e999",
    "-0",
    '"x"@en',
    '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
    "\u0000",
    "\ufeff",
    "\u202e",
    "\U0001f600",
]
MAX_SEED = max(len(s) for s in [*QUERY_SEEDS, *UPDATE_SEEDS])
unicode_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)


@st.composite
def mutated(draw: st.DrawFn, seeds: list[str]) -> str:
    """A seed with up to five edits."""
    text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(0, 5))):
        at = draw(st.integers(0, len(text)))
        end = draw(st.integers(at, min(len(text), at + 40)))
        edit = draw(st.integers(0, 6))
        if edit == 0:
            text = text[:at] + text[end:]
        elif edit == 1:
            text = text[:at] + " " + draw(st.sampled_from(PIECES)) + " " + text[at:]
        elif edit == 2:
            text = text[:end] + text[at:]  # a span doubled
        elif edit == 3:
            text = text[:at] + draw(unicode_text) + text[at:]
        elif edit == 4:
            piece = draw(st.sampled_from(["(", "{", "[", "!", "-", "^", "<<", "'", "\\"]))
            text = text[:at] + piece * draw(st.integers(1, 300)) + text[at:]
        elif edit == 5:
            text = text[:at]
        else:
            other = draw(st.sampled_from(seeds))
            text = text[:at] + other[at:end] + text[end:]
    return text


ACCEPTS = st.sampled_from(
    [
        None,
        "*/*",
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
        "text/turtle",
        "application/ld+json",
        "application/n-triples",
        "application/rdf+xml",
        "text/html",
        "image/png",
        "application/json;q=0",
        "text/*;q=0.5, */*;q=0.1",
    ]
)


def send_sparql(endpoint: Endpoint, kind: str, text: str, how: int, accept: str | None) -> Reply:
    headers = {"Accept": accept} if accept else {}
    if kind == "update":
        headers["Authorization"] = f"Bearer {TOKEN}"
    if how == 0 and kind == "query":
        return endpoint.call("GET", endpoint.path + "?" + urlencode({"query": text}), None, headers)
    if how <= 1:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return endpoint.call("POST", None, urlencode({kind: text}), headers)
    headers["Content-Type"] = f"application/sparql-{kind}"
    return endpoint.call("POST", None, text, headers)


@FUZZ
@given(text=mutated(QUERY_SEEDS), how=st.integers(0, 2), accept=ACCEPTS)
def test_mutated_queries(small: Endpoint, text: str, how: int, accept: str | None) -> None:
    reply = answered(send_sparql(small, "query", text, how, accept), "sparql-query")
    assert reply.status in (200, 400, 406), reply.text
    assert reply.status == 200 or reply.body


@FUZZ
@given(text=mutated(UPDATE_SEEDS), how=st.integers(1, 2))
def test_mutated_updates(small: Endpoint, text: str, how: int) -> None:
    reply = answered(send_sparql(small, "update", text, how, None), "sparql-update")
    assert reply.status in (200, 400), reply.text


def test_the_sparql_server_is_healthy_afterwards(small: Endpoint) -> None:
    small.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }", token=TOKEN)
    assert_healthy(small)


# --- headers ---------------------------------------------------------------------------------

MEDIA = [
    "*/*",
    "text/*",
    "application/*",
    "text/html",
    "text/plain",
    "text/turtle",
    "text/csv",
    "application/json",
    "application/ld+json",
    "application/sparql-results+json",
    "application/sparql-query",
    "application/sparql-update",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/n-triples",
    "application/rdf+xml",
    "image/*",
    "*/json",
    "text",
    "",
    ";",
    ",",
]
header_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=30)
PARAMS = st.sampled_from(
    [
        *("", ";q=0", ";q=1", ";q=0.5", ";q=2", ";q=-1", ";q=abc", ";q=", ";charset=utf-8"),
        *(";charset=latin-1", ";charset=", ";level=1", ";boundary=x", ';q="0.3"', ";;;"),
    ]
)
media_range = st.tuples(st.sampled_from(MEDIA) | header_text, PARAMS | header_text).map("".join)
header_value = st.lists(media_range, max_size=5).map(", ".join) | header_text
TARGETS = [
    "/sparql",
    "/sparql?query=ASK%7B%7D",
    "/sparql?query=CONSTRUCT%7B%3Fs%3Fp%3Fo%7DWHERE%7B%3Fs%3Fp%3Fo%7DLIMIT%201",
    "/queries",
    "/queries/countries",
    "/queries/facility-countries",
    "/doc/country/irn",
    "/id/country/irn",
    "/doc/society/iranian-red-crescent-society",
    "/",
    "/.well-known/void",
    "/dataset",
    "/ontology",
    "/openapi.json",
    "/context.jsonld",
    "/dumps/",
]
BODIES = st.sampled_from([None, b"", b"ASK {}", b"query=ASK%20%7B%7D", b"\xff\xfe", b"{"])


@FUZZ
@given(
    method=st.sampled_from(["GET", "POST", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH"]),
    target=st.sampled_from(TARGETS),
    accept=st.none() | header_value,
    content_type=st.none() | header_value,
    body=BODIES | st.binary(max_size=200),
)
def test_random_headers(
    bundled: Endpoint,
    method: str,
    target: str,
    accept: str | None,
    content_type: str | None,
    body: bytes | None,
) -> None:
    headers = {"Accept": accept, "Content-Type": content_type}
    given_headers = {k: v for k, v in headers.items() if v is not None}
    reply = bundled.call(method, target, body, given_headers)
    answered(reply, "headers")


# --- catalogue parameters --------------------------------------------------------------------

SUFFIXES = st.sampled_from(["", ".json", ".csv", ".tsv", ".xml", ".ttl", ".html", ".x", "."])
VALUES = st.one_of(
    unicode_text,
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(
        [
            "",
            "https://w3id.org/rcsgraph/id/society/iranian-red-crescent-society",
            "https://w3id.org/rcsgraph/id/country/irn",
            "http://example.org/>",
            "http://example.org/a b",
            "<http://example.org/>",
            "file:///etc/passwd",
            "} } SELECT * WHERE { ?s ?p ?o",
            '" . ?s ?p ?o . "',
            "1922",
            "-0001",
            "2022-02-30",
            "2022-09-17",
            "99999999999999999999999",
            "json",
            "csv",
            "html",
            "ttl",
        ]
    ),
)


@st.composite
def catalogue_request(draw: st.DrawFn) -> str:
    query = CATALOGUE[draw(st.sampled_from(sorted(CATALOGUE)))]
    names = [p.name for p in query.params] + ["format", "hxl", "limit", "query", "x"]
    chosen = draw(st.lists(st.sampled_from(names) | unicode_text, max_size=4))
    pairs = [(name, draw(VALUES)) for name in chosen]
    suffix = draw(SUFFIXES)
    return f"/queries/{query.name}{suffix}" + ("?" + urlencode(pairs) if pairs else "")


@FUZZ
@given(target=catalogue_request(), accept=ACCEPTS)
def test_random_catalogue_parameters(bundled: Endpoint, target: str, accept: str | None) -> None:
    reply = bundled.call("GET", target, headers={"Accept": accept} if accept else {})
    answered(reply, "catalogue")
    assert reply.status in (200, 400, 404, 406), reply.text


# --- odd paths -------------------------------------------------------------------------------

SEGMENTS = st.one_of(
    st.sampled_from(
        [
            "",
            ".",
            "..",
            "...",
            "%2e%2e",
            "%2F",
            "%00",
            "%FF",
            "%C3%28",
            "%E2%82",
            "%25",
            "~",
            ";x=1",
            "country",
            "society",
            "irn",
            "iranian-red-crescent-society",
            "irn.ttl",
            "irn.html",
            "irn.jsonld",
            "irn.nt",
            "irn.rdf",
            ".ttl",
            "..%2f..%2f..%2fetc%2fpasswd",
            "countries.csv",
            "countries.",
            "x" * 3000,
        ]
    ),
    st.text(string.ascii_letters + string.digits + "-_.~!$&'()*+,;=:@", max_size=30),
    unicode_text.map(lambda s: quote(s, safe="")),
)


@FUZZ
@given(
    root=st.sampled_from(["/id/", "/doc/", "/queries/"]),
    segments=st.lists(SEGMENTS, min_size=1, max_size=5),
    query=st.sampled_from(["", "?format=ttl", "?format=%FF", "?x", "?format=html&format=nt"]),
    accept=ACCEPTS,
)
def test_odd_paths(
    bundled: Endpoint, root: str, segments: list[str], query: str, accept: str | None
) -> None:
    target = root + "/".join(segments) + query
    reply = bundled.call("GET", target, headers={"Accept": accept} if accept else {})
    answered(reply, "paths")


# --- bytes that are not UTF-8 ----------------------------------------------------------------

not_utf8 = st.binary(min_size=1, max_size=60).filter(lambda b: not _is_utf8(b))


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@FUZZ
@given(raw=not_utf8, how=st.integers(0, 3))
def test_bytes_that_are_not_utf8_are_400(bundled: Endpoint, raw: bytes, how: int) -> None:
    """Wherever they come (query string, form field, body, path): 400, saying so."""
    text = b'ASK { FILTER("' + raw + b'" != 1) }'
    if how == 0:
        reply = bundled.call("GET", "/sparql?query=" + quote(text))
    elif how == 1:
        form = b"query=" + quote(text).encode("ascii")
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        reply = bundled.call("POST", "/sparql", form, headers)
    elif how == 2:
        reply = bundled.call("POST", "/sparql", text, {"Content-Type": "application/sparql-query"})
    else:
        reply = bundled.call("GET", "/queries/countries?x=" + quote(raw))
    answered(reply, "not-utf8")
    assert reply.status == 400, reply.text
    assert "UTF-8" in reply.text


# --- the OpenAPI document, through schemathesis ----------------------------------------------


def test_openapi_cases(bundled: Endpoint) -> None:
    """Every operation of /openapi.json with cases schemathesis generates (valid and not)."""
    import schemathesis
    from hypothesis import given as given_case

    base = bundled.url.rpartition("/sparql")[0]
    schema = schemathesis.openapi.from_url(base + "/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    operations = [o for o in operations if "." not in o.path]  # not again by suffix
    assert len(operations) == len(CATALOGUE)
    per_operation = max(5, EXAMPLES // 4)
    for operation in operations:

        @settings(FUZZ, max_examples=per_operation)
        @given_case(case=operation.as_strategy())
        def check(case: Any) -> None:
            response = case.call(base_url=base)
            TRIED["openapi"] += 1
            assert response.status_code < 500, response.text[:300]

        check()


# --- afterwards ------------------------------------------------------------------------------


def test_the_bundled_server_is_healthy_afterwards(bundled: Endpoint) -> None:
    assert_healthy(bundled)
    page = bundled.call("GET", "/doc/country/irn", headers={"Accept": "text/turtle"})
    assert page.status == 200
    assert "irn" in page.text
