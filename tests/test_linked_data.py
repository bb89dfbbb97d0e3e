"""Dereferenceable IRIs over real HTTP: 303 from /id/, content negotiation on /doc/, the same
description in every syntax, a page for every thing with its quotes verbatim, a helpful 404."""

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import pytest
from endpoint_server import Endpoint, Reply, serving
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS
from servers import oxigraph_server

from rcsgraph.graph.loading import fill_store
from rcsgraph.namespaces import ID_BASE, OA, RCS
from rcsgraph.publish.describe import CLAIMS_LIMIT, LINKS_IN_LIMIT, as_document, describe, shortfall
from rcsgraph.publish.entity import entity_view
from rcsgraph.publish.iris import Iris
from rcsgraph.publish.passages import find_text, passage
from rcsgraph.store import OxigraphStore, RdflibStore
from rcsgraph.store.push import push
from rcsgraph.web.pages.entity_page import entity_html

SOCIETY = "society/iranian-red-crescent-society"
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CHROME = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)
CURL = "*/*"
PARSERS = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/trig": "trig",
    "application/n-quads": "nquads",
    "text/n3": "n3",
}

#: Accept header -> the type a linked-data document answers in (None: 406).
CONNEG: list[tuple[str | None, str | None]] = [
    (None, "text/turtle"),  # a program's request (urllib, ontology tools): RDF
    (CURL, "text/turtle"),  # no preference: the route's first offer, as on every route
    (FIREFOX, "text/html"),
    (CHROME, "text/html"),
    ("text/html", "text/html"),
    ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("application/n-triples", "application/n-triples"),
    ("application/rdf+xml", "application/rdf+xml"),
    ("application/json", "application/ld+json"),
    ("text/turtle;q=0.5, application/ld+json", "application/ld+json"),
    ("application/ld+json;q=0.2, text/turtle;q=0.9, text/html;q=0.1", "text/turtle"),
    ("application/rdf+xml, */*;q=0.1", "application/rdf+xml"),
    ("text/*", "text/turtle"),
    ("application/trig, */*;q=0.1", "application/trig"),
    ("application/n-quads", "application/n-quads"),
    ("text/n3", "text/n3"),
    ("text/html;q=0, */*", "text/turtle"),
    ("image/png", None),
    ("text/turtle;q=0", None),
]


@pytest.fixture(scope="module")
def server() -> Iterator[Endpoint]:
    with serving(workers=1) as endpoint:
        yield endpoint


def get(server: Endpoint, path: str, accept: str | None = None) -> Reply:
    return server.call("GET", path, headers={"Accept": accept} if accept else {})


def test_id_answers_303_see_other_to_its_document(server: Endpoint) -> None:
    reply = get(server, f"/id/{SOCIETY}", "text/turtle")
    assert reply.status == 303 and reply.headers["location"] == f"/doc/{SOCIETY}"
    kept = get(server, f"/id/{SOCIETY}?format=ttl")
    assert kept.headers["location"] == f"/doc/{SOCIETY}?format=ttl"


@pytest.mark.parametrize("path", [f"/doc/{SOCIETY}", "/dataset", "/.well-known/void", "/ontology"])
@pytest.mark.parametrize(("accept", "expected"), CONNEG)
def test_content_negotiation(
    server: Endpoint, path: str, accept: str | None, expected: str | None
) -> None:
    reply = get(server, path, accept)
    if expected is None:
        assert reply.status == 406 and b"text/turtle" in reply.body  # says what is on offer
        return
    assert reply.status == 200 and reply.media_type == expected
    assert reply.headers["vary"] == "Accept"
    if expected != "text/html":
        assert len(Graph().parse(data=reply.body, format=PARSERS[expected])) > 0


@pytest.mark.parametrize(
    ("suffix", "expected"),
    [
        ("html", "text/html"),
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("nt", "application/n-triples"),
        ("rdf", "application/rdf+xml"),
        ("trig", "application/trig"),
        ("nq", "application/n-quads"),
        ("n3", "text/n3"),
    ],
)
def test_suffix_and_format_override_accept(server: Endpoint, suffix: str, expected: str) -> None:
    assert get(server, f"/doc/{SOCIETY}.{suffix}", "image/png").media_type == expected
    assert get(server, f"/doc/{SOCIETY}?format={suffix}", "text/html").media_type == expected
    assert get(server, f"/dataset.{suffix}").media_type == expected
    assert get(server, f"/ontology.{suffix}").media_type == expected


def test_an_unknown_format_name_falls_back_to_accept(server: Endpoint) -> None:
    assert get(server, f"/doc/{SOCIETY}?format=yaml", "text/turtle").media_type == "text/turtle"
    refused = get(server, f"/doc/{SOCIETY}?format=yaml", "image/png")
    assert refused.status == 406
    assert "offered" in refused.text


def test_link_headers_name_alternates_licence_and_canonical(server: Endpoint) -> None:
    reply = get(server, f"/doc/{SOCIETY}", "text/turtle")
    links = reply.headers["link"]
    for suffix, media in [("ttl", "text/turtle"), ("jsonld", "application/ld+json")]:
        assert f'</doc/{SOCIETY}.{suffix}>; rel="alternate"; type="{media}"' in links
    assert '<https://creativecommons.org/licenses/by/4.0/>; rel="license"' in links
    assert f'<https://w3id.org/rcsgraph/doc/{SOCIETY}>; rel="canonical"' in links
    assert reply.headers["content-location"] == f"/doc/{SOCIETY}.ttl"
    assert reply.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(
    "rest",
    [
        SOCIETY,
        "country/congo",
        "country/irn",
        "article/2022-09-18-tehran-iran-iraq-red-crescent",
        "claim/society-iranian-red-crescent-society.founded.1922",
    ],
)
def test_every_syntax_carries_the_same_description(server: Endpoint, rest: str) -> None:
    graphs = {
        media: Graph().parse(data=get(server, f"/doc/{rest}", media).body, format=parser)
        for media, parser in PARSERS.items()
    }
    turtle = graphs["text/turtle"]
    for media, graph in graphs.items():
        assert isomorphic(turtle, graph), media
    thing = URIRef(ID_BASE + rest)
    assert (thing, RDF.type, None) in turtle  # about the canonical IRI, not this host's
    assert not any("127.0.0.1" in str(term) for triple in turtle for term in triple)


def test_description_has_labels_incoming_links_and_claims(server: Endpoint) -> None:
    graph = Graph().parse(data=get(server, "/doc/country/irn.ttl").body, format="turtle")
    iran, society = URIRef(ID_BASE + "country/irn"), URIRef(ID_BASE + SOCIETY)
    assert (society, RCS.country, iran) in graph  # incoming link
    assert graph.value(society, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    claims = set(graph.subjects(RDF.type, RCS.Claim))
    quotes = {str(graph.value(s, OA.exact)) for s in graph.subjects(RDF.type, OA.TextQuoteSelector)}
    assert claims and "red crescent societies of Iran" in quotes


def things(graph: Graph) -> set[str]:
    """Every typed thing under the id/ space, as the document IRI it is described in."""
    return {
        str(s).partition("#")[0]
        for s in graph.subjects(RDF.type, None)
        if isinstance(s, URIRef) and str(s).startswith(ID_BASE)
    }


def expected_quotes(graph: Graph, thing: URIRef) -> set[tuple[int, int]]:
    """Positions of the quotes of the claims whose subject or value is ``thing``."""
    found = set()
    for claim in graph.subjects(RDF.type, RCS.Claim):
        mentioned = {claim, graph.value(claim, RDF.subject), graph.value(claim, RDF.object)}
        if thing in mentioned:
            for selector in graph.objects(graph.value(claim, RCS.evidence), OA.hasSelector):
                if (selector, OA.start, None) in graph:
                    start = graph.value(selector, OA.start).toPython()  # type: ignore[union-attr]
                    end = graph.value(selector, OA.end).toPython()  # type: ignore[union-attr]
                    found.add((start, end))
    return found


MARK = re.compile(r'<mark data-start="(\d+)" data-end="(\d+)">(.*?)</mark>', re.S)


def test_every_thing_has_a_page_with_its_quotes_verbatim(
    server: Endpoint, graph: Graph, article_text: str
) -> None:
    documents = sorted(things(graph))
    assert len(documents) > 200  # every entity and every claim
    quoted = 0
    for iri in documents:
        reply = get(server, "/doc/" + iri[len(ID_BASE) :], FIREFOX)
        assert reply.status == 200 and reply.media_type == "text/html", iri
        marks = MARK.findall(reply.text)
        for start, end, text in marks:
            assert unescape(text) == article_text[int(start) : int(end)], (iri, start)
        assert {(int(s), int(e)) for s, e, _ in marks} == expected_quotes(graph, URIRef(iri)), iri
        quoted += bool(marks)
    assert quoted > 100


def test_society_page_acceptance(server: Endpoint) -> None:
    """What a browser shows after following the 303: the society, its facts and evidence."""
    redirect = get(server, f"/id/{SOCIETY}", FIREFOX)
    page = get(server, redirect.headers["location"], FIREFOX).text
    assert "<h1>Iranian Red Crescent Society</h1>" in page
    assert '<a href="/doc/country/irn">Iran</a>' in page  # labels, local links
    assert re.search(r'<mark data-start="\d+" data-end="\d+">established in 1922</mark>', page)
    assert "Cite this" in page
    assert 'rel="alternate" type="text/turtle"' in page


def test_external_links_are_marked(server: Endpoint) -> None:
    page = get(server, "/doc/country/irn", "text/html").text
    assert 'class="external" rel="external" href="http://www.wikidata.org/entity/Q794"' in page
    assert "GeoNames, external" in page and "Wikidata, external" in page


def test_unresolved_mention_shows_its_candidates(server: Endpoint) -> None:
    page = get(server, "/doc/country/congo", "text/html").text
    assert "Unresolved mention" in page
    assert '<a href="/doc/country/cog">' in page and '<a href="/doc/country/cod">' in page


def test_unknown_thing_is_a_helpful_404(server: Endpoint) -> None:
    page = get(server, "/doc/country/iran", FIREFOX)
    assert page.status == 404 and page.media_type == "text/html"
    assert "Did you mean" in page.text and '<a href="/doc/country/irn">Iran</a>' in page.text
    plain = get(server, "/doc/country/iran", "text/turtle")
    assert plain.status == 404 and b"https://w3id.org/rcsgraph/id/country/irn" in plain.body
    assert get(server, "/doc/no-such-kind/thing", FIREFOX).status == 404


def test_home_lists_the_things(server: Endpoint) -> None:
    page = get(server, "/", "text/html").text
    assert f'<a href="/doc/{SOCIETY}">Iranian Red Crescent Society</a>' in page
    assert "claim (158)" in page


def test_home_links_to_the_query_that_lists_a_kind_it_shows_in_part(server: Endpoint) -> None:
    """The home page shows the first 50 things of a kind; the rest are a query away."""
    page = get(server, "/", "text/html").text
    found = re.search(r'… and 108 more: <a href="/sparql#query=([^"]+)">', page)
    assert found is not None
    query = parse_qs("query=" + unescape(found.group(1)))["query"][0]
    reply = get(server, "/sparql?" + urlencode({"query": query}), "text/csv")
    assert reply.status == 200 and len(reply.text.strip().splitlines()) == 1 + 158


@pytest.mark.parametrize("path", ["/doc/a%20b", "/doc/country/irn%22", "/doc/%3Cscript%3E"])
def test_what_cannot_be_an_iri_is_not_found(server: Endpoint, path: str) -> None:
    reply = get(server, path, FIREFOX)
    assert reply.status == 404 and "<script>" not in reply.text


def test_a_kind_without_a_slug_lists_its_things(server: Endpoint) -> None:
    reply = get(server, "/doc/country/", FIREFOX)
    assert reply.status == 404 and "All 20 of this kind" in reply.text


@pytest.mark.parametrize(
    "rest", [SOCIETY, "country/congo", "claim/country-irq.neighbourOf.country-irn"]
)
def test_description_is_the_same_on_both_engines(rest: str) -> None:
    """The description's SPARQL is standard: Oxigraph and rdflib's engine agree on it."""
    thing = URIRef(ID_BASE + rest)
    found = []
    for store in (OxigraphStore(), RdflibStore()):
        fill_store(store)
        found.append(describe(store, thing))
    assert set(found[0].statements) == set(found[1].statements)
    assert len(found[0].statements) > 20
    assert found[0].vocabulary == found[1].vocabulary


def test_passage_is_the_paragraph_around_the_quote(article_text: str) -> None:
    start = article_text.index("Congo")
    found = passage(article_text, start, start + len("Congo"))
    assert found.quote == "Congo" and found.before.startswith("Currently, some 14")
    assert found.after.endswith("and Ecuador.")  # the list broken across a blank line, whole
    first = passage(article_text, 6, 16)
    assert first.before == " date " and first.after.endswith("Pirhossein Kolivand.")


def test_text_with_another_checksum_is_not_used(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("some text", encoding="utf-8")
    assert find_text("a.txt", None, [tmp_path]) == "some text"
    assert find_text("a.txt", "0" * 64, [tmp_path]) is None
    assert find_text("../a.txt", None, [tmp_path / "sub"]) is None


def test_local_paths_of_iris() -> None:
    names = Iris("https://w3id.org/rcsgraph/")
    assert names.href(ID_BASE + "claim/x.y#quote") == "/doc/claim/x.y#quote"
    assert names.href("https://w3id.org/rcsgraph/ontology#Society") == "/ontology#Society"
    assert names.href("http://www.wikidata.org/entity/Q794") is None
    assert names.thing("country/irn") == URIRef(ID_BASE + "country/irn")


@pytest.mark.slow
def test_pages_over_a_remote_store(server: Endpoint, tmp_path: Path) -> None:
    """`rcsgraph serve --endpoint URL`: the same descriptions, read from `oxigraph serve`."""
    local = OxigraphStore()
    fill_store(local)
    with oxigraph_server(tmp_path) as remote:
        push(local, remote.gsp_url, remote.user, remote.password)
        with serving(workers=1, endpoint=remote.query_url) as front:
            for rest in ("country/congo", SOCIETY):
                ours, theirs = (
                    Graph().parse(data=get(s, f"/doc/{rest}.ttl").body, format="turtle")
                    for s in (server, front)
                )
                assert isomorphic(ours, theirs), rest
            page = get(front, f"/doc/{SOCIETY}", FIREFOX)
            assert page.status == 200 and ">established in 1922</mark>" in page.text
            assert get(front, "/dataset", "text/turtle").status == 200
            assert get(front, "/dumps/SHA256SUMS").body == b""  # the remote store has its own


def test_a_much_linked_thing_gets_a_bounded_description_that_says_so() -> None:
    """Links in and claims are capped (the IFRC of the 1M-triple graph had 4,504 and 2,252)."""
    store = OxigraphStore()
    fill_store(store)
    thing = URIRef(ID_BASE + SOCIETY)
    bundled = describe(store, thing)
    assert not bundled.links_in.cut and not bundled.claims.cut and not shortfall(bundled)
    links, claims = LINKS_IN_LIMIT + 100, CLAIMS_LIMIT + 50
    extra = [f"<{ID_BASE}x/{i}> <{RCS.partner}> <{thing}> ." for i in range(links)]
    extra += [
        f"<{ID_BASE}c/{i}> a <{RCS.Claim}> ; <{RDF.object}> <{thing}> ." for i in range(claims)
    ]
    store.update(f"INSERT DATA {{ GRAPH <urn:x-test:many> {{ {' '.join(extra)} }} }}")

    found = describe(store, thing)
    assert found.links_in == (LINKS_IN_LIMIT, bundled.links_in.total + links + claims)
    assert found.claims == (CLAIMS_LIMIT, bundled.claims.total + claims)
    # the links shown, and the claims shown, each of which links here
    shown = len(set(found.statements.subject_predicates(thing)))
    assert LINKS_IN_LIMIT <= shown <= LINKS_IN_LIMIT + CLAIMS_LIMIT
    page = URIRef(str(thing).replace("/id/", "/doc/"))
    comment = str(as_document(found, page).value(page, RDFS.comment))
    total = f"{found.links_in.total:,}"
    assert f"the first {LINKS_IN_LIMIT} of the {total} statements that link to it" in comment
    iris = Iris("https://w3id.org/rcsgraph/")
    html = entity_html(entity_view(found, iris, []), "/doc/" + SOCIETY, iris)
    assert 'class="note"' in html and "/sparql#query=" in html and total in html
