"""Content negotiation as pure functions: ``choose`` (Accept) and ``by_format`` (``format=``)."""

import pytest

from rcsgraph.sparql.conneg import (
    RDF_TYPES,
    RESULT_TYPES,
    by_format,
    choose,
    for_answer,
    parse_accept,
)

RESULTS = list(RESULT_TYPES.values())
RDF = list(RDF_TYPES.values())
JSON, XML, CSV, TSV = RESULTS
TURTLE, NTRIPLES, JSONLD, RDFXML, NQUADS, TRIG = RDF

#: What browsers send for a page.
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CHROME = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)


@pytest.mark.parametrize("accept", [None, "", "   ", "*/*"])
def test_no_preference_gets_the_default(accept: str | None) -> None:
    assert choose(accept, RESULTS) == JSON
    assert choose(accept, RDF) == TURTLE


@pytest.mark.parametrize(
    ("accept", "results", "rdf"),
    [
        (XML, XML, None),
        (CSV, CSV, None),
        (TSV, TSV, None),
        (NTRIPLES, None, NTRIPLES),
        ("application/rdf+xml", None, RDFXML),
        ("APPLICATION/SPARQL-RESULTS+XML", XML, None),
        ("text/csv; charset=utf-8", CSV, None),
    ],
)
def test_an_exact_type(accept: str, results: str | None, rdf: str | None) -> None:
    assert choose(accept, RESULTS) == results
    assert choose(accept, RDF) == rdf


def test_the_highest_q_value_wins() -> None:
    assert choose(f"{JSON};q=0.5, {CSV};q=0.9, {XML};q=0.7", RESULTS) == CSV
    assert choose(f"{TURTLE};q=0.1, {JSONLD}", RDF) == JSONLD


def test_equal_q_values_go_to_the_server_order() -> None:
    assert choose(f"{TSV}, {XML}", RESULTS) == XML
    assert choose(f"{TSV};q=0.5, {CSV};q=0.5", RESULTS) == CSV


def test_q_zero_refuses() -> None:
    assert choose(f"{JSON};q=0", [JSON]) is None
    assert choose(f"*/*, {JSON};q=0", RESULTS) == XML
    assert choose("*/*;q=0", RESULTS) is None


def test_a_more_specific_range_sets_the_q_value() -> None:
    assert choose(f"text/*;q=0.9, {TSV};q=0.1, */*;q=0.2", RESULTS) == CSV
    assert choose(f"text/*, {CSV};q=0", RESULTS) == TSV
    assert choose(f"*/*;q=0.1, {XML};q=0.2", RESULTS) == XML


def test_type_wildcards() -> None:
    assert choose("text/*", RESULTS) == CSV
    assert choose("application/*", RDF) == NTRIPLES
    assert choose("image/*", RESULTS) is None


@pytest.mark.parametrize(
    ("accept", "offers", "expected"),
    [
        ("application/json", RESULTS, JSON),
        ("application/xml", RESULTS, XML),
        ("text/xml", RESULTS, XML),
        ("application/x-turtle", RDF, TURTLE),
        ("application/json+ld", RDF, JSONLD),
        ("text/plain", RDF, NTRIPLES),
        ("application/json", ["text/html", "application/json"], "application/json"),
    ],
)
def test_aliases(accept: str, offers: list[str], expected: str) -> None:
    assert choose(accept, offers) == expected


def test_mixed_headers() -> None:
    mixed = f"text/html;q=0.9, {XML};q=0.8, application/json;q=0.95, */*;q=0.1"
    assert choose(mixed, RESULTS) == JSON
    assert choose(mixed, RDF) == JSONLD  # application/json means JSON-LD for a graph
    assert choose(mixed, ["text/html", *RDF]) == JSONLD  # JSON at 0.95 beats HTML at 0.9


def test_browsers() -> None:
    for accept in (FIREFOX, CHROME):
        assert choose(accept, ["text/html", TURTLE]) == "text/html"
        assert choose(accept, RESULTS) == XML  # application/xml at 0.9 beats */* at 0.8
        assert choose(accept, RDF) == TURTLE


@pytest.mark.parametrize("accept", ["json", "garbage", ";;;", "q=1"])
def test_an_unreadable_header_is_ignored(accept: str) -> None:
    assert choose(accept, RESULTS) == JSON


def test_odd_q_values() -> None:
    assert choose(f"{XML};q=2, {JSON};q=0.9", RESULTS) == XML  # clamped to 1
    assert choose(f"{XML};q=abc, {JSON};q=0.1", RESULTS) == JSON  # unreadable: refused
    assert choose(f"{XML} ; Q=0.2 , {CSV} ; q=0.3", RESULTS) == CSV


def test_parse_accept() -> None:
    ranges = parse_accept("text/*;q=0.5, application/json")
    assert [(r.type, r.subtype, r.q) for r in ranges] == [
        ("text", "*", 0.5),
        ("application", "json", 1.0),
    ]
    assert ranges[1].meant(RESULTS).media == JSON
    assert ranges[1].meant(RDF).media == JSONLD


@pytest.mark.parametrize(
    ("name", "table", "expected"),
    [
        ("json", RESULT_TYPES, JSON),
        ("XML", RESULT_TYPES, XML),
        ("csv", RESULT_TYPES, CSV),
        (" tsv ", RESULT_TYPES, TSV),
        ("application/json", RESULT_TYPES, JSON),
        ("text/csv", RESULT_TYPES, CSV),
        ("ttl", RDF_TYPES, TURTLE),
        ("turtle", RDF_TYPES, TURTLE),
        ("nt", RDF_TYPES, NTRIPLES),
        ("ntriples", RDF_TYPES, NTRIPLES),
        ("json-ld", RDF_TYPES, JSONLD),
        ("jsonld", RDF_TYPES, JSONLD),
        ("rdfxml", RDF_TYPES, RDFXML),
        ("nquads", RDF_TYPES, NQUADS),
        ("trig", RDF_TYPES, TRIG),
        ("ttl", RESULT_TYPES, None),  # a graph format for a table
        ("json", RDF_TYPES, JSONLD),
        ("html", RESULT_TYPES, None),
        ("", RESULT_TYPES, None),
        (None, RESULT_TYPES, None),
    ],
)
def test_by_format(name: str | None, table: dict[str, str], expected: str | None) -> None:
    assert by_format(name, table) == expected


#: SPARQLWrapper 2.0's requests, by return format: the ``format=`` values and Accept it sends.
SPARQLWRAPPER = {
    "xml": (["xml"], "application/sparql-results+xml"),  # its default, for SELECT
    "xml-graph": (["xml"], "application/rdf+xml"),  # its default, for CONSTRUCT/DESCRIBE
    "rdf+xml": (["rdf+xml", "application/rdf+xml"], "application/rdf+xml"),
    "json-ld": (["json-ld", "application/ld+json,application/x-json+ld"], "application/ld+json"),
    "n3": (["n3"], "application/turtle,text/turtle,text/rdf+n3,application/n-triples"),
    "turtle": (["turtle"], "application/turtle,text/turtle"),
    "json": (["json"], "application/sparql-results+json,application/json,text/javascript"),
    "csv": (["csv"], "text/csv"),
    "tsv": (["tsv", "text/tab-separated-values"], "text/tab-separated-values"),
}


@pytest.mark.parametrize(
    ("client", "table", "graph"),
    [
        ("xml", XML, RDFXML),
        ("xml-graph", None, RDFXML),
        ("rdf+xml", None, RDFXML),
        ("json-ld", None, JSONLD),
        ("n3", None, TURTLE),
        ("turtle", None, TURTLE),
        ("json", JSON, JSONLD),
        ("csv", CSV, None),
        ("tsv", TSV, None),
    ],
)
def test_sparqlwrapper_format_names_mean_the_syntax_of_the_query_form(
    client: str, table: str | None, graph: str | None
) -> None:
    formats, accept = SPARQLWRAPPER[client]
    if table is not None:
        assert for_answer("SELECT", formats, accept) == table
        assert for_answer("ASK", formats, accept) == table
    if graph is not None:
        assert for_answer("CONSTRUCT", formats, accept) == graph
        assert for_answer("DESCRIBE", formats, accept) == graph


@pytest.mark.parametrize(
    ("formats", "accept", "form", "expected"),
    [
        (["garbage"], CSV, "SELECT", CSV),  # an unknown name falls back to Accept
        (["garbage"], None, "CONSTRUCT", TURTLE),
        (["csv"], JSONLD, "CONSTRUCT", JSONLD),  # a table's name, for a graph: Accept decides
        (["ttl"], XML, "SELECT", XML),
        (["garbage", "xml"], None, "SELECT", XML),  # the first name that fits
        (["csv"], "image/png", "CONSTRUCT", None),
    ],
)
def test_a_format_name_that_does_not_fit_falls_back_to_accept(
    formats: list[str], accept: str | None, form: str, expected: str | None
) -> None:
    assert for_answer(form, formats, accept) == expected


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/json", JSONLD),
        (JSON, TURTLE),
        (XML, TURTLE),
        (f"{CSV}, {TSV}", TURTLE),
        (f"{JSON}, text/*;q=0", NTRIPLES),  # the first RDF syntax not refused
        (f"{XML}, {JSONLD};q=0.5", JSONLD),  # an RDF type named: that one
        ("image/png", None),
        (f"{JSON};q=0", None),
    ],
)
def test_a_graph_query_accepting_only_results_types_gets_rdf(
    accept: str, expected: str | None
) -> None:
    assert for_answer("CONSTRUCT", [], accept) == expected
