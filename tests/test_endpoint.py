"""``/sparql`` over HTTP: the protocol's ways in, its status codes, formats, the row cap, the
service description and errors, against a live endpoint over two small graphs."""

import csv
import io
import json
import re
from collections.abc import Iterator
from urllib.parse import quote
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest
from endpoint_server import Endpoint, serving
from rdflib import Dataset, Graph, Namespace
from rdflib.compare import isomorphic
from rdflib.namespace import RDF

ROW_CAP = 6
G1, G2 = "http://example.org/g1", "http://example.org/g2"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DIRECT = {"Content-Type": "application/sparql-query"}
JSON, XML, CSV, TSV = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
RESULT_PARSERS = {
    JSON: ox.QueryResultsFormat.JSON,
    XML: ox.QueryResultsFormat.XML,
    TSV: ox.QueryResultsFormat.TSV,
}
RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-quads": "nquads",
    "application/trig": "trig",
}
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

ONE = """@prefix ex: <http://example.org/> .
ex:alice ex:knows ex:bob , ex:carol ; ex:name "Alice"@en ; ex:age 42 .
ex:bob ex:name "Bob" ; ex:height "1.80"^^<http://www.w3.org/2001/XMLSchema#decimal> .
ex:carol ex:name "Carol, \\"the\\" first" ; ex:note "tab\\there\\nline" .
"""
TWO = """@prefix ex: <http://example.org/> .
ex:dave ex:name "Dave" ; ex:knows [ ex:name "someone" ] .
"""
ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoint]:
    folder = tmp_path_factory.mktemp("graphs")
    (folder / "one.ttl").write_text(ONE, encoding="utf-8")
    (folder / "two.ttl").write_text(TWO, encoding="utf-8")
    graphs = {G1: str(folder / "one.ttl"), G2: str(folder / "two.ttl")}
    with serving(graphs=graphs, row_cap=ROW_CAP, workers=1) as running:
        yield running


def bindings(reply_body: bytes) -> list[dict[str, str]]:
    rows = json.loads(reply_body)["results"]["bindings"]
    return [{k: v["value"] for k, v in row.items()} for row in rows]


# --- the three ways in ---------------------------------------------------------------------


def test_query_by_get(endpoint: Endpoint) -> None:
    reply = endpoint.get({"query": "ASK { ?s ?p ?o }"})
    assert reply.status == 200
    assert reply.media_type == JSON
    assert reply.json() == {"head": {}, "boolean": True}
    assert "Accept" in reply.headers["vary"]


def test_query_by_post_form(endpoint: Endpoint) -> None:
    body = "query=" + quote("SELECT ?n { <http://example.org/bob> <http://example.org/name> ?n }")
    reply = endpoint.call("POST", body=body, headers=FORM)
    assert reply.status == 200
    assert bindings(reply.body) == [{"n": "Bob"}]


def test_query_by_post_direct(endpoint: Endpoint) -> None:
    reply = endpoint.call("POST", body="ASK { ?s ?p 42 }", headers=DIRECT)
    assert reply.status == 200 and reply.json()["boolean"] is True


def test_from_and_from_named_give_the_dataset(endpoint: Endpoint) -> None:
    count = "SELECT (COUNT(*) AS ?n) {dataset} WHERE {{ ?s <http://example.org/name> ?o }}"
    only_two = endpoint.query(count.format(dataset=f"FROM <{G2}>"))
    no_default = endpoint.query(count.format(dataset=f"FROM NAMED <{G1}>"))
    assert [bindings(r.body)[0]["n"] for r in (only_two, no_default)] == ["2", "0"]
    named = endpoint.query(f"SELECT DISTINCT ?g FROM NAMED <{G2}> {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    assert bindings(named.body) == [{"g": G2}]
    protocol_wins = endpoint.query(
        count.format(dataset=f"FROM <{G2}>"), **{"default-graph-uri": G1}
    )
    assert bindings(protocol_wins.body)[0]["n"] == "3"


def test_the_dataset_parameters(endpoint: Endpoint) -> None:
    count = "SELECT (COUNT(*) AS ?n) { ?s <http://example.org/name> ?o }"
    union = endpoint.query(count)
    only_two = endpoint.query(count, **{"default-graph-uri": G2})
    absent = endpoint.query(count, **{"default-graph-uri": "http://example.org/none"})
    assert [bindings(r.body)[0]["n"] for r in (union, only_two, absent)] == ["5", "2", "0"]
    named = endpoint.query(
        "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }", **{"named-graph-uri": G1}
    )
    assert bindings(named.body) == [{"g": G1}]


# --- 400, 415, 406, 405 ------------------------------------------------------------------


def test_a_missing_query_is_400(endpoint: Endpoint) -> None:
    reply = endpoint.call("POST", body="format=json", headers=FORM)
    assert reply.status == 400
    assert "query" in reply.text


@pytest.mark.parametrize(
    ("target", "body"),
    [
        ("?query=ASK%7B%7D&query=ASK%7B%7D", None),
        ("", "query=ASK%7B%7D&query=ASK%7B%7D"),
        ("?query=ASK%7B%7D", "query=ASK%7B%7D"),
        ("?query=ASK%7B%7D", "update=CLEAR%20ALL"),
    ],
)
def test_a_duplicated_query_is_400(endpoint: Endpoint, target: str, body: str | None) -> None:
    method, headers = ("POST", FORM) if body else ("GET", {})
    reply = endpoint.call(method, endpoint.path + target, body, headers)
    assert reply.status == 400
    assert "one" in reply.text or "not both" in reply.text


def test_a_query_in_the_url_of_a_direct_post_is_400(endpoint: Endpoint) -> None:
    reply = endpoint.call("POST", endpoint.path + "?query=ASK%7B%7D", "ASK {}", DIRECT)
    assert reply.status == 400


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("SELECT * WHERE { ?s ?p }", 1, 25),
        ("PREFIX ex: <http://example.org/>\nSELECT * WHERE {\n  ?s ex:p ?o ..\n}", 4, 2),
        ("SELECT * WHERE { ?s ?p ?o", 1, 26),
    ],
)
def test_a_malformed_query_is_400_with_line_and_column(
    endpoint: Endpoint, text: str, line: int, column: int
) -> None:
    reply = endpoint.query(text)
    assert reply.status == 400
    assert reply.media_type == "text/plain"
    assert reply.text.startswith(f"syntax error at line {line}, column {column}:")
    assert len(reply.text) < 400 and reply.text.count("\n") == 1


def test_an_undefined_prefix_is_400(endpoint: Endpoint) -> None:
    reply = endpoint.query("SELECT * { ?s nope:p ?o }")
    assert reply.status == 400
    assert "syntax error" in reply.text


def test_an_update_sent_as_a_query_is_400(endpoint: Endpoint) -> None:
    reply = endpoint.query("CLEAR ALL")
    assert reply.status == 400
    assert "UPDATE form was sent as query" in reply.text
    get = endpoint.get({"update": "CLEAR ALL"})
    assert get.status == 400
    assert "POST" in get.text


@pytest.mark.parametrize("media", ["text/plain", "application/json", "application/sparql-update"])
def test_a_wrong_content_type_is_415_or_400(endpoint: Endpoint, media: str) -> None:
    reply = endpoint.call("POST", body="ASK {}", headers={"Content-Type": media})
    if media == "application/sparql-update":  # a query in an update body: not an update
        assert reply.status == 401  # updates are disabled here, whatever they hold
    else:
        assert reply.status == 415
        assert "application/sparql-query" in reply.text


def test_no_content_type_is_400(endpoint: Endpoint) -> None:
    reply = endpoint.call("POST", body="query=ASK%20%7B%7D")
    assert reply.status == 400
    assert "Content-Type" in reply.text


@pytest.mark.parametrize(
    "body", ["ASK {}".encode("utf-16"), b"ASK { ?s ?p '\xff' }", "query=ASK%20%7B%27%FF%27%7D"]
)
def test_a_body_that_is_not_utf8_is_400(endpoint: Endpoint, body: bytes | str) -> None:
    headers = FORM if isinstance(body, str) else DIRECT
    reply = endpoint.call("POST", body=body, headers=headers)
    assert reply.status == 400
    assert "UTF-8" in reply.text


def test_a_charset_other_than_utf8_is_415(endpoint: Endpoint) -> None:
    headers = {"Content-Type": "application/sparql-query; charset=ISO-8859-1"}
    reply = endpoint.call("POST", body=b"ASK {}", headers=headers)
    assert reply.status == 415


@pytest.mark.parametrize(
    ("text", "accept"),
    [
        ("ASK {}", "image/png"),
        ("SELECT * { ?s ?p ?o }", "text/turtle"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "image/png"),
        ("DESCRIBE <http://example.org/a>", f"{JSON};q=0"),
    ],
)
def test_an_unacceptable_accept_is_406(endpoint: Endpoint, text: str, accept: str) -> None:
    reply = endpoint.query(text, accept=accept)
    assert reply.status == 406
    assert "offered" in reply.text


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405_with_allow(endpoint: Endpoint, method: str) -> None:
    reply = endpoint.call(method, endpoint.path + "?query=ASK%7B%7D")
    assert reply.status == 405
    assert {"GET", "POST"} <= {m.strip() for m in reply.headers["allow"].split(",")}


# --- formats -------------------------------------------------------------------------------


def test_format_overrides_accept(endpoint: Endpoint) -> None:
    reply = endpoint.query(ALL, accept=JSON, format="csv")
    assert reply.media_type == CSV
    rdf = endpoint.query("CONSTRUCT WHERE { ?s ?p ?o }", accept="text/turtle", format="nt")
    assert rdf.media_type == "application/n-triples"
    unfit = endpoint.query(ALL, accept=CSV, format="turtle")  # no table in Turtle: Accept
    assert unfit.media_type == CSV
    wrong = endpoint.query(ALL, accept="image/png", format="turtle")
    assert wrong.status == 406
    assert "format=turtle" in wrong.text


@pytest.mark.parametrize("media", [JSON, XML, CSV, TSV])
def test_select_star_columns_in_order_of_first_appearance(endpoint: Endpoint, media: str) -> None:
    text = (
        "PREFIX ex: <http://example.org/> SELECT * WHERE { ?zebra ex:knows ?apple . "
        "OPTIONAL { ?apple ex:name ?mango } } ORDER BY ?apple"
    )
    reply = endpoint.query(text, accept=media)
    assert reply.status == 200
    assert columns(reply.body, media) == ["zebra", "apple", "mango"]


def columns(body: bytes, media: str) -> list[str]:
    if media == JSON:
        return list(json.loads(body)["head"]["vars"])
    if media == XML:
        tree = ElementTree.fromstring(body)
        return [
            v.get("name", "") for v in tree.iter("{http://www.w3.org/2005/sparql-results#}variable")
        ]
    header = body.decode("utf-8").splitlines()[0]
    return header.split(",") if media == CSV else [c.lstrip("?") for c in header.split("\t")]


@pytest.mark.parametrize("media", [JSON, XML, CSV, TSV])
@pytest.mark.parametrize("limit", ["", "LIMIT 5"])  # our writers, and the engine's under the cap
def test_the_four_result_formats_parse_and_agree(
    endpoint: Endpoint, media: str, limit: str
) -> None:
    text = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }} ORDER BY ?s ?p ?o {limit}"
    reference = endpoint.query(text, accept=JSON)
    reply = endpoint.query(text, accept=media)
    assert reply.status == 200 and reply.media_type == media
    expected = [[r.get(k) for k in ("s", "p", "o")] for r in bindings(reference.body)]
    assert len(expected) == (5 if limit else ROW_CAP)
    if media == CSV:
        rows = list(csv.reader(io.StringIO(reply.text, newline="")))
        assert reply.text.endswith("\r\n")
        assert rows == [["s", "p", "o"], *expected]
    else:
        parsed = ox.parse_query_results(reply.body, format=RESULT_PARSERS[media])
        assert isinstance(parsed, ox.QuerySolutions)
        assert [[row[k].value for k in ("s", "p", "o")] for row in parsed] == expected


@pytest.mark.parametrize("media", [JSON, XML, CSV, TSV])
def test_ask_in_the_four_formats(endpoint: Endpoint, media: str) -> None:
    reply = endpoint.query("ASK { ?s ?p 'nothing like this' }", accept=media)
    assert reply.status == 200 and reply.media_type == media
    if media in RESULT_PARSERS:
        parsed = ox.parse_query_results(reply.body, format=RESULT_PARSERS[media])
        assert isinstance(parsed, ox.QueryBoolean) and not bool(parsed)
    else:
        assert reply.text.strip() == "false"


def test_terms_survive_our_writers(endpoint: Endpoint) -> None:
    """Typed, tagged and escaped literals, blank nodes and triple terms, in every format our
    own writers produce (no LIMIT), read back equal to what the engine's writers say."""
    text = (
        "SELECT ?t ?d ?l ?e ?b ?n WHERE { "
        "BIND(<<( <http://a> <http://b> 'c'@fr )>> AS ?t) "
        "BIND('5'^^<http://www.w3.org/2001/XMLSchema#decimal> AS ?d) "
        "BIND('hi'@en--ltr AS ?l) BIND('a\\tb \"c\"\\nd' AS ?e) BIND(BNODE() AS ?b) "
        "BIND(-7 AS ?n) }"
    )
    for media in (JSON, XML, TSV):
        ours = ox.parse_query_results(
            endpoint.query(text, accept=media).body, format=RESULT_PARSERS[media]
        )
        engine = ox.parse_query_results(
            endpoint.query(text + " LIMIT 1", accept=media).body, format=RESULT_PARSERS[media]
        )
        mine, theirs = next(iter(ours)), next(iter(engine))
        for name in ("t", "d", "l", "e", "n"):
            assert mine[name] == theirs[name], (media, name)
        assert isinstance(mine["b"], ox.BlankNode)


@pytest.mark.parametrize("media", list(RDF_FORMATS))
def test_construct_and_describe_in_every_rdf_format(endpoint: Endpoint, media: str) -> None:
    text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{G2}> {{ ?s ?p ?o }} }}"
    reference = Graph().parse(data=endpoint.query(text, accept="text/turtle").body, format="turtle")
    assert len(reference) == 3
    reply = endpoint.query(text, accept=media)
    assert reply.status == 200 and reply.media_type == media
    if media in ("application/n-quads", "application/trig"):
        graph = Graph()
        for triple in (
            Dataset().parse(data=reply.body, format=RDF_FORMATS[media]).triples((None, None, None))
        ):
            graph.add(triple)
    else:
        graph = Graph().parse(data=reply.body, format=RDF_FORMATS[media])
    assert isomorphic(graph, reference)
    described = endpoint.query("DESCRIBE <http://example.org/bob>", accept=media)
    assert described.status == 200 and described.media_type == media


# --- the row cap ---------------------------------------------------------------------------


def test_the_row_cap_is_announced(endpoint: Endpoint) -> None:
    reply = endpoint.query(ALL, accept=JSON)
    assert reply.status == 200
    assert len(bindings(reply.body)) == ROW_CAP
    assert reply.headers["x-row-cap"] == str(ROW_CAP)
    assert f"cut at {ROW_CAP} rows" in reply.headers["warning"]
    assert "x-row-cap" in reply.headers["access-control-expose-headers"].lower()
    above = endpoint.query(ALL + " LIMIT 100", accept=CSV)
    assert above.headers["x-row-cap"] == str(ROW_CAP)
    assert len(list(csv.reader(io.StringIO(above.text, newline="")))) == ROW_CAP + 1
    graph = endpoint.query("CONSTRUCT WHERE { ?s ?p ?o }", accept="application/n-triples")
    assert graph.headers["x-row-cap"] == str(ROW_CAP)
    assert len(graph.text.splitlines()) == ROW_CAP


def test_an_answer_under_the_cap_is_not_announced(endpoint: Endpoint) -> None:
    for text in (ALL + " LIMIT 3", f"SELECT * {{ GRAPH <{G2}> {{ ?s ?p ?o }} }}"):
        reply = endpoint.query(text)
        assert reply.status == 200
        assert "x-row-cap" not in reply.headers and "warning" not in reply.headers


# --- service description and errors --------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "fmt"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld")]
)
def test_the_service_description(endpoint: Endpoint, accept: str, fmt: str) -> None:
    reply = endpoint.get(Accept=accept)
    assert reply.status == 200 and reply.media_type == accept
    graph = Graph().parse(data=reply.body, format=fmt)
    service = next(graph.subjects(RDF.type, SD.Service))
    assert str(graph.value(service, SD.endpoint)).endswith("/sparql")
    assert {str(n) for n in graph.objects(None, SD.name)} == {G1, G2}
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in graph  # no token


def test_the_service_description_for_a_browser_is_a_page_with_a_form(endpoint: Endpoint) -> None:
    reply = endpoint.get(Accept=FIREFOX)
    assert reply.status == 200 and reply.media_type == "text/html"
    assert re.search(r"<form[^>]*method=\"get\"", reply.text)
    assert 'name="query"' in reply.text and G1 in reply.text
    turtle = endpoint.get({"format": "ttl"}, Accept=FIREFOX)
    assert turtle.media_type == "text/turtle"
    assert endpoint.get(Accept="image/png").status == 406


@pytest.mark.parametrize("accept", ["application/json", JSON, f"{JSON}, */*;q=0.1"])
def test_errors_are_json_for_json_clients(endpoint: Endpoint, accept: str) -> None:
    reply = endpoint.query("SELECT * WHERE {", accept=accept)
    assert reply.status == 400
    assert reply.media_type == "application/json"
    error = reply.json()
    assert error["status"] == 400
    assert error["error"].startswith("syntax error at line 1, column 17")


@pytest.mark.parametrize(
    "accept", [None, "text/plain", FIREFOX, "*/*", f"text/plain, {JSON};q=0.5"]
)
def test_errors_are_text_otherwise(endpoint: Endpoint, accept: str | None) -> None:
    reply = endpoint.query("SELECT * WHERE {", accept=accept)
    assert reply.status in (400, 406)  # text/plain cannot carry a SELECT answer: 406 first
    assert reply.media_type == "text/plain"
    assert reply.text.startswith("syntax error" if reply.status == 400 else "none of the")


def test_a_dataset_iri_must_be_absolute(endpoint: Endpoint) -> None:
    reply = endpoint.query("ASK {}", **{"default-graph-uri": "not an iri"})
    assert reply.status == 400
    assert "default-graph-uri" in reply.text


def test_relative_iris_resolve_against_the_endpoint(endpoint: Endpoint) -> None:
    reply = endpoint.query("SELECT (<x> AS ?x) {}")
    assert bindings(reply.body) == [{"x": endpoint.url.rpartition("/")[0] + "/x"}]


def test_an_empty_query_is_a_syntax_error(endpoint: Endpoint) -> None:
    reply = endpoint.call("POST", body="", headers=DIRECT)
    assert reply.status == 400
    assert reply.text.startswith("syntax error")


def test_a_head_request_has_no_body(endpoint: Endpoint) -> None:
    reply = endpoint.call("HEAD", endpoint.path + "?query=ASK%7B%7D")
    assert reply.status == 200 and reply.body == b""
