"""The ontology at its namespace: documentation of every term (label, definition, domain, range,
alignment, shapes), the authored Turtle itself, and the other syntaxes isomorphic to it."""

from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from endpoint_server import Endpoint, serving
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, SH, SKOS

from rcsgraph import resources
from rcsgraph.namespaces import RCS
from rcsgraph.publish.ontodoc import ontology_doc, terms_of

NAMESPACE = str(RCS._NS)


@pytest.fixture(scope="module")
def server() -> Iterator[Endpoint]:
    with serving(workers=1) as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def page(server: Endpoint) -> str:
    reply = server.call("GET", "/ontology", headers={"Accept": "text/html"})
    assert reply.status == 200 and reply.media_type == "text/html"
    return reply.text


class Sections(HTMLParser):
    """The text of each ``<section id=…>`` of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, str] = {}
        self.current: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self.current = dict(attrs).get("id")
            if self.current:
                self.sections[self.current] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.current:
            self.sections[self.current] += data


def sections(html: str) -> dict[str, str]:
    parser = Sections()
    parser.feed(html)
    return parser.sections


def test_every_term_of_the_ontology_has_a_section(page: str, ontology: Graph) -> None:
    found = sections(page)
    declared = {s for s in ontology.subjects() if isinstance(s, URIRef) and s.startswith(NAMESPACE)}
    assert declared and declared == set(terms_of(ontology))
    for term in declared:
        name = term[len(NAMESPACE) :]
        assert name in found, name
        text = " ".join(found[name].split())
        assert str(ontology.value(term, RDFS.label)) in text, name
        assert " ".join(str(ontology.value(term, SKOS.definition)).split()) in text, name
        for prop in (RDFS.domain, RDFS.range, RDFS.subClassOf, RDFS.subPropertyOf):
            for value in ontology.objects(term, prop):
                assert str(value).rsplit("#", 1)[-1].rsplit("/", 1)[-1] in text, (name, value)


def test_alignment_and_shapes_are_shown(page: str) -> None:
    found = sections(page)
    society = " ".join(found["Society"].split())
    assert "org:FormalOrganization" in society and "schema:NGO" in society
    founded = " ".join(found["founded"].split())
    assert "rcsh:Organization-founded" in founded and "schema:foundingDate" in founded
    assert "every use needs a claim quoting the article" in founded


def test_every_shape_target_and_path_is_documented() -> None:
    shapes = Graph()
    for path in resources.shapes_files():
        shapes.parse(path)
    expected: Counter[URIRef] = Counter()
    for link in (SH.targetClass, SH.path, SH.targetSubjectsOf, SH.targetObjectsOf, SH["class"]):
        for term in shapes.objects(None, link):
            if isinstance(term, URIRef) and term.startswith(NAMESPACE):
                expected[term] += 1
    documented = Counter({t.iri: len(t.shapes) for t in ontology_doc().terms if t.shapes})
    assert documented == expected


def test_turtle_is_the_authored_file(server: Endpoint) -> None:
    reply = server.call("GET", "/ontology", headers={"Accept": "text/turtle"})
    assert reply.body == resources.ontology_file().read_bytes()
    assert reply.media_type == "text/turtle"


@pytest.mark.parametrize(
    ("media", "parser"),
    [
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/n-triples", "nt"),
    ],
)
def test_other_syntaxes_are_the_same_graph(
    server: Endpoint, ontology: Graph, media: str, parser: str
) -> None:
    reply = server.call("GET", "/ontology", headers={"Accept": media})
    assert reply.status == 200 and reply.media_type == media
    assert isomorphic(Graph().parse(data=reply.body, format=parser), ontology)


def test_version_iri_answers(server: Endpoint, ontology: Graph) -> None:
    version = ontology_doc().version
    assert (
        server.call("GET", f"/ontology/{version}", headers={"Accept": "text/turtle"}).status == 200
    )
    assert server.call("GET", "/ontology/99.0.0").status == 404
    assert (URIRef(NAMESPACE.rstrip("#")), RDF.type, None) in ontology
