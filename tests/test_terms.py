"""``rcsgraph.store.terms``: pyoxigraph terms to rdflib terms and back, with the kept terms."""

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from rcsgraph.store import terms

XSD_DATE = ox.NamedNode(str(XSD.date))


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        (ox.NamedNode("http://example.org/a"), URIRef("http://example.org/a")),
        (ox.Literal("plain"), Literal("plain")),
        (ox.Literal("hello", language="en"), Literal("hello", lang="en")),
        (ox.Literal("2019-05-01", datatype=XSD_DATE), Literal("2019-05-01", datatype=XSD.date)),
        (
            ox.Literal("14", datatype=ox.NamedNode(str(XSD.integer))),
            Literal(14),
        ),
        (ox.BlankNode("b0"), BNode("b0")),
    ],
)
def test_a_term_converts_alike_the_first_time_and_from_the_kept_terms(
    term: object, expected: object
) -> None:
    first, again = terms.to_rdflib(term), terms.to_rdflib(term)
    assert first == expected and again == expected and type(again) is type(expected)
    assert terms.to_oxigraph(again) == term  # and back


def test_the_kept_terms_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(terms, "CONVERTED_MOST", 10)
    monkeypatch.setattr(terms, "_CONVERTED", terms._Converted())
    for number in range(35):
        iri = f"http://example.org/{number}"
        assert terms.to_rdflib(ox.NamedNode(iri)) == URIRef(iri)
        assert len(terms._CONVERTED) <= 10


def test_rdf_star_triples_are_still_refused() -> None:
    node = ox.NamedNode("http://example.org/a")
    with pytest.raises(TypeError):
        terms.to_rdflib(ox.Triple(node, node, node))


def test_a_literal_rdflib_rewrote_is_written_back_as_rdflib_has_it() -> None:
    """rdflib reads "01"^^xsd:integer as 1: the way back gives "1", as it did before terms
    were kept, never the store's "01" for a 1 that came from elsewhere."""
    integer = ox.NamedNode(str(XSD.integer))
    converted = terms.to_rdflib(ox.Literal("01", datatype=integer))
    assert terms.to_oxigraph(converted) == ox.Literal("1", datatype=integer)
    assert terms.to_oxigraph(Literal(1)) == ox.Literal("1", datatype=integer)
