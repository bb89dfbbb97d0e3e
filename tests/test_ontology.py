"""The ontology is versioned, documented term by term, and aligned as the design says."""

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import FOAF, OWL, PROV, RDF, RDFS, SKOS

from rcsgraph.namespaces import ONTOLOGY_IRI, ORG, RCS, SCHEMA

NS = str(RCS._NS)


def terms(ontology: Graph) -> list[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    found = {s for k in kinds for s in ontology.subjects(RDF.type, k) if str(s).startswith(NS)}
    return sorted(found)  # type: ignore[type-var]


def test_ontology_is_versioned(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    version_iri = ontology.value(ONTOLOGY_IRI, OWL.versionIRI)
    version = ontology.value(ONTOLOGY_IRI, OWL.versionInfo)
    assert version is not None and str(version_iri).endswith("/" + str(version))


def test_every_term_has_an_english_label_and_definition(ontology: Graph) -> None:
    problems = []
    for term in terms(ontology):
        for predicate in (RDFS.label, SKOS.prefLabel, SKOS.definition):
            values = [v for v in ontology.objects(term, predicate) if v.language == "en"]
            if len(values) != 1:
                problems.append(f"{term} has {len(values)} English {predicate}")
        if (term, RDFS.isDefinedBy, ONTOLOGY_IRI) not in ontology:
            problems.append(f"{term} lacks rdfs:isDefinedBy")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("term", "parent"),
    [
        (RCS.Society, ORG.FormalOrganization),
        (RCS.Society, SCHEMA.NGO),
        (RCS.Facility, ORG.Site),
        (RCS.Cooperation, ORG.OrganizationalCollaboration),
        (RCS.Person, FOAF.Person),
        (RCS.Membership, ORG.Membership),
        (RCS.Role, ORG.Role),
        (RCS.Meeting, SCHEMA.Event),
        (RCS.Event, SCHEMA.Event),
        (RCS.Mission, PROV.Activity),
        (RCS.Article, SCHEMA.NewsArticle),
        (RCS.Article, PROV.Entity),
        (RCS.Claim, PROV.Entity),
        (RCS.Claim, RDF.Statement),
    ],
)
def test_class_alignment(ontology: Graph, term: URIRef, parent: URIRef) -> None:
    assert (term, RDFS.subClassOf, parent) in ontology


@pytest.mark.parametrize(
    ("term", "parent"),
    [
        (RCS.operatedBy, ORG.siteOf),
        (RCS.member, ORG.member),
        (RCS.organization, ORG.organization),
        (RCS.role, ORG.role),
        (RCS.partner, ORG.hasMember),
        (RCS.conductedBy, PROV.wasAssociatedWith),
        (RCS.published, SCHEMA.datePublished),
    ],
)
def test_property_alignment(ontology: Graph, term: URIRef, parent: URIRef) -> None:
    assert (term, RDFS.subPropertyOf, parent) in ontology
