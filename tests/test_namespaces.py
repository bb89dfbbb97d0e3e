"""The closed rcs: namespace and the ontology agree both ways; no undeclared term is used."""

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from rcsgraph import resources
from rcsgraph.graph.loading import load_graph
from rcsgraph.namespaces import RCS

NS = str(RCS._NS)


def declared(ontology: Graph) -> set[str]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return {
        str(s)[len(NS) :]
        for kind in kinds
        for s in ontology.subjects(RDF.type, kind)
        if str(s).startswith(NS)
    }


def used(graph: Graph) -> set[str]:
    terms = {t for triple in graph for t in triple if isinstance(t, URIRef)}
    return {str(t)[len(NS) :] for t in terms if str(t).startswith(NS)}


def test_python_namespace_lists_every_ontology_term(ontology: Graph) -> None:
    assert set(RCS.__annotations__) == declared(ontology)


def test_namespace_is_closed() -> None:
    with pytest.raises(AttributeError):
        _ = RCS.Socity


@pytest.mark.parametrize("folder", ["data", "shapes"])
def test_every_rcs_term_used_is_declared(ontology: Graph, folder: str) -> None:
    files = sorted((resources.root() / folder).glob("*.ttl"))
    assert files, f"no Turtle files in {folder}/"
    undeclared = used(load_graph(files)) - declared(ontology)
    assert not undeclared, f"{folder}/ uses rcs: terms the ontology does not declare"
