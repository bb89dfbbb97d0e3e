"""Every limit answers clearly: 413, 400, an announced row cap, 503 with ``Retry-After``.

One server with small limits (a 20 kB body, 5 000 characters, 16 levels of nesting, 5 rows,
a 2 s time limit, one worker that requests wait for at most 0.3 s) shows each limit and its
answer; the message says which limit it was. Nothing here asserts a time.
"""

import threading
import time
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from endpoint_server import Endpoint, Reply, serving

from rcsgraph.sparql.scan import scan

pytestmark = pytest.mark.slow

LIMITS = {
    "body_cap": 20_000,
    "max_query_length": 5_000,
    "max_nesting": 16,
    "row_cap": 5,
    "timeout": 2.0,
    "workers": 1,
    "queue_wait": 0.3,
}
#: Every triple against every triple against every triple, counted: runs far past 2 s.
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ALL = "SELECT * WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def endpoint() -> Iterator[Endpoint]:
    with serving(**LIMITS) as running:
        yield running


@pytest.fixture(autouse=True)
def ready(endpoint: Endpoint) -> None:
    """Each test starts with a worker ready (one stopped by an earlier test is replaced)."""
    assert healthy(endpoint).status == 200


def healthy(endpoint: Endpoint) -> Reply:
    """An ASK, retried while the worker that replaces a stopped one is starting (503 busy);
    evaluated afresh, since a kept answer would say nothing of the worker."""
    headers = {
        "Content-Type": "application/sparql-query",
        "Accept": "application/sparql-results+json",
        "Cache-Control": "no-cache",
    }
    for _ in range(300):
        reply = endpoint.call("POST", body="ASK { ?s ?p ?o }", headers=headers)
        if reply.status != 503:
            return reply
        time.sleep(0.2)
    return reply


# --- body size: 413 --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content_type",
    ["application/sparql-query", "application/x-www-form-urlencoded", "application/sparql-update"],
)
def test_a_body_over_the_cap_is_413(endpoint: Endpoint, content_type: str) -> None:
    body = "query=" + "x" * 30_000 if "form" in content_type else "#" + "x" * 30_000
    reply = endpoint.call("POST", body=body, headers={"Content-Type": content_type})
    assert reply.status == 413
    assert reply.text


def test_a_chunked_body_over_the_cap_is_413(endpoint: Endpoint) -> None:
    """No Content-Length to check beforehand: the body is cut off while it is read."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(endpoint.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    chunks = (b"#" + b"x" * 999 for _ in range(40))
    headers = {"Content-Type": "application/sparql-query", "Transfer-Encoding": "chunked"}
    try:
        connection.request("POST", parts.path, body=chunks, headers=headers, encode_chunked=True)
        response = connection.getresponse()
        assert response.status == 413
        assert response.read()
    finally:
        connection.close()


def test_a_body_under_the_cap_is_read(endpoint: Endpoint) -> None:
    reply = endpoint.query("#" + "x" * 4_000 + "\nASK {}")
    assert reply.status == 200, reply.text


# --- query length and nesting: 400, before any engine sees it ---------------------------------


@pytest.mark.parametrize("how", ["GET", "POST"])
def test_a_query_over_the_length_limit_is_400(endpoint: Endpoint, how: str) -> None:
    text = "#" + "x" * 6_000 + "\nASK {}"
    reply = endpoint.get({"query": text}) if how == "GET" else endpoint.query(text)
    assert reply.status == 400
    assert "refused by policy: the request is longer than 5000 characters" in reply.text


def test_a_query_at_the_length_limit_runs(endpoint: Endpoint) -> None:
    text = "ASK {}\n#"
    reply = endpoint.query(text + "x" * (5_000 - len(text)))
    assert reply.status == 200, reply.text


def test_a_url_beyond_what_the_server_reads_is_414(endpoint: Endpoint) -> None:
    """granian reads a request target of at most 64 KiB (longer queries go by POST); beyond,
    414 URI Too Long, not a drop."""
    reply = endpoint.call("GET", "/sparql?query=" + "x" * 300_000)
    assert reply.status == 414


def test_headers_beyond_what_the_server_reads_are_431(endpoint: Endpoint) -> None:
    """granian reads at most 256 KiB of request line and headers; beyond, 431, not a drop."""
    reply = endpoint.call("GET", "/sparql?query=ASK%7B%7D", headers={"X-Big": "x" * 300_000})
    assert reply.status == 431


def test_a_long_url_within_what_the_server_reads_is_answered(endpoint: Endpoint) -> None:
    reply = endpoint.get({"query": "ASK {}\n#" + "x" * 4_000})
    assert reply.status == 200, reply.text


@pytest.mark.parametrize("bracket", ["()", "{}", "[]", "<<>>"])
def test_nesting_past_the_limit_is_400_at_it_runs(endpoint: Endpoint, bracket: str) -> None:
    def nested(depth: int) -> str:
        if bracket == "()":
            return "ASK { FILTER(" + "(" * (depth - 2) + "true" + ")" * (depth - 1) + " }"
        if bracket == "{}":
            return "ASK " + "{" * depth + "}" * depth
        if bracket == "[]":
            return "ASK { ?s ?p " + "[ ?q " * (depth - 1) + "1" + " ]" * (depth - 1) + " }"
        inner = "<< " * (depth - 1) + "<urn:s> <urn:p> <urn:o>" + " >>" * (depth - 1)
        return f"ASK {{ {inner} <urn:p> ?o }}"

    over = endpoint.query(nested(17))
    assert over.status == 400
    assert "refused by policy: the request nests deeper than 16 levels" in over.text
    within = endpoint.query(nested(16))
    assert "refused by policy" not in within.text
    assert within.status in (200, 400), within.text  # 400: the engine's own syntax message


@pytest.mark.parametrize(
    "text",
    [
        "ASK { FILTER(" + "!" * 4_900 + "true) }",
        "ASK { FILTER(" + "+".join(["1"] * 2_000) + " > 0) }",
        "ASK { FILTER(" + " && ".join(["true"] * 900) + ") }",
        "ASK { " + " UNION ".join(["{}"] * 500) + " }",
        "ASK { <urn:s> " + "/".join(["<urn:p>"] * 600) + " ?o }",
    ],
)
def test_deep_expressions_without_brackets_are_answered(endpoint: Endpoint, text: str) -> None:
    """Operators the parser recurses on, within the length limit: an answer or the time limit
    (a 600-step property path is slow to evaluate), never a crashed worker (500)."""
    reply = endpoint.query(text)
    assert reply.status in (200, 400, 503), reply.text
    assert reply.status != 503 or "time limit" in reply.text


@pytest.mark.parametrize("number", ["1e999", "9" * 400, "99999999999999999999", "1.5", "-1"])
def test_an_odd_limit_is_400_not_500(endpoint: Endpoint, number: str) -> None:
    reply = endpoint.query(f"{ALL} LIMIT {number}")
    assert reply.status == 400, reply.text
    assert reply.text.startswith("syntax error")


def test_the_scan_reads_only_integers_after_limit() -> None:
    assert scan(f"{ALL} LIMIT 7").limit == 7
    assert scan(f"{ALL} LIMIT 1e999").limit is None
    assert scan(f"{ALL} LIMIT {'9' * 5_000}").limit is None


# --- rows: the cap is announced ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "accept"),
    [
        (ALL, "text/csv"),
        (ALL, "application/sparql-results+json"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples"),
    ],
)
def test_an_answer_cut_at_the_row_cap_says_so(endpoint: Endpoint, text: str, accept: str) -> None:
    reply = endpoint.query(text, accept=accept)
    assert reply.status == 200
    assert reply.headers["x-row-cap"] == "5"
    assert "answer cut at 5 rows" in reply.headers["warning"]
    if accept == "text/csv":
        assert len(reply.text.strip().splitlines()) == 1 + 5
    if accept == "application/n-triples":
        assert len(reply.text.strip().splitlines()) == 5


def test_an_answer_within_the_cap_is_not_marked(endpoint: Endpoint) -> None:
    reply = endpoint.query(f"{ALL} LIMIT 3", accept="text/csv")
    assert reply.status == 200
    assert "x-row-cap" not in reply.headers


def test_a_canned_query_cut_at_the_row_cap_says_so(endpoint: Endpoint) -> None:
    reply = endpoint.call("GET", "/queries/countries.csv")
    assert reply.status == 200
    assert reply.headers["x-row-cap"] == "5"


def test_the_cap_is_announced_in_the_service_description(endpoint: Endpoint) -> None:
    reply = endpoint.get(Accept="text/turtle")
    assert "capped at 5 rows" in reply.text


# --- invalid UTF-8: 400 --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "target", "body", "content_type"),
    [
        ("POST", "/sparql", b'ASK { FILTER("\xff" = "") }', "application/sparql-query"),
        ("POST", "/sparql", b"query=ASK%20%7B%7D%FF", "application/x-www-form-urlencoded"),
        ("GET", "/sparql?query=ASK%20%7B%7D%FF", None, None),
        ("GET", "/doc/country/%FF", None, None),
        ("GET", "/queries/countries?x=%C3%28", None, None),
        ("GET", "/id/%E2%82", None, None),
    ],
)
def test_bytes_that_are_not_utf8_are_400(
    endpoint: Endpoint, method: str, target: str, body: bytes | None, content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    reply = endpoint.call(method, target, body, headers)
    assert reply.status == 400
    assert "not UTF-8" in reply.text


def test_a_charset_other_than_utf8_is_415(endpoint: Endpoint) -> None:
    body = "ASK {}".encode("utf-16")
    headers = {"Content-Type": "application/sparql-query; charset=utf-16"}
    reply = endpoint.call("POST", body=body, headers=headers)
    assert reply.status == 415


# --- time, and the queue for a worker: 503 with Retry-After ---------------------------------------


def test_a_query_past_the_time_limit_is_503(endpoint: Endpoint) -> None:
    reply = endpoint.query(CARTESIAN, accept="application/json")
    assert reply.status == 503
    assert reply.json()["error"].startswith("the query ran past the time limit of 2 s")
    assert reply.headers["retry-after"]
    assert healthy(endpoint).status == 200


def test_requests_waiting_for_a_busy_worker_get_503_with_retry_after(endpoint: Endpoint) -> None:
    """One worker, held by a runaway query: heavy queries sent meanwhile wait at most
    ``queue_wait`` for it, then are told to come back (503, ``Retry-After``); none is dropped
    and the server answers normally once the runaway is stopped."""
    replies: list[Reply] = []

    def send(number: int) -> None:
        # each its own query: the same one would wait for the runaway's answer instead (the
        # answer cache evaluates one request at a time, and POSTed queries are kept too)
        replies.append(endpoint.query(f"{CARTESIAN} # {number}"))

    runaway = threading.Thread(target=send, args=(0,))
    runaway.start()
    time.sleep(1.0)  # the runaway holds the worker (it runs for the whole 2 s time limit)
    waiting = [threading.Thread(target=send, args=(n,)) for n in range(1, 7)]
    for thread in waiting:
        thread.start()
    for thread in [runaway, *waiting]:
        thread.join(120)
    assert len(replies) == 7
    assert all(r.status == 503 and r.headers.get("retry-after") for r in replies), [
        (r.status, r.text) for r in replies
    ]
    busy = [r for r in replies if "busy" in r.text]
    assert len(busy) == 6, [r.text for r in replies]
    assert healthy(endpoint).status == 200


def test_a_catalogue_page_is_answered_while_a_runaway_holds_the_worker(endpoint: Endpoint) -> None:
    """The project's own queries are evaluated in the web process (rcsgraph.sparql.local):
    a client's runaway query holding the only worker does not hold them up (when the web
    process's own slots are full too, they wait for the workers: tests/test_local.py)."""
    holder = threading.Thread(target=endpoint.query, args=(CARTESIAN,))
    holder.start()
    time.sleep(1.0)
    reply = endpoint.call("GET", "/queries/countries.json", headers={"Cache-Control": "no-cache"})
    busy = endpoint.query("ASK { ?s ?p ?o . ?o ?q ?r }")  # a client query waits for the worker
    holder.join(120)
    assert reply.status == 200 and b'"bindings"' in reply.body
    assert busy.status == 503 and busy.headers["retry-after"]
    assert healthy(endpoint).status == 200


def test_invalid_percent_escapes_in_a_page_path(endpoint: Endpoint) -> None:
    reply = endpoint.call("GET", "/doc/" + quote("country/irn") + "%")
    assert reply.status < 500


@pytest.mark.parametrize(
    "text",
    [
        "PREFIX p: <http://[> SELECT * WHERE { ?s p:a ?o }",
        "BASE <http://[::1> SELECT * WHERE { ?s ?p ?o }",
        "SELECT * FROM <http://[x> WHERE { ?s ?p ?o }",
        "SELECT * WHERE { SERVICE <http://[::1]x/> { ?s ?p ?o } }",
    ],
)
def test_an_iri_python_cannot_parse_is_400_not_500(endpoint: Endpoint, text: str) -> None:
    """Found by the fuzz tests: ``urljoin`` raised on an IRI like ``http://[``."""
    reply = endpoint.query(text)
    assert reply.status == 400, reply.text


def test_a_lookup_is_answered_in_the_web_process_capped_while_a_runaway_holds_the_worker(
    endpoint: Endpoint,
) -> None:
    """One triple pattern reads at most the row cap's rows (rcsgraph.sparql.scan.is_lookup):
    it needs no stoppable worker, and is not held up by the one a runaway holds."""
    holder = threading.Thread(target=endpoint.query, args=(CARTESIAN,))
    holder.start()
    time.sleep(1.0)
    capped = endpoint.query(ALL, accept="text/csv")
    bigger = endpoint.query(ALL + " LIMIT 50", accept="text/csv")  # past the cap: a worker's
    holder.join(120)
    assert capped.status == 200 and capped.headers["x-row-cap"] == "5"
    assert len(capped.text.strip().splitlines()) == 1 + 5
    assert bigger.status == 503 and "busy" in bigger.text
    assert healthy(endpoint).status == 200
