"""The bundled article's evidence, as the review of 2026-12-01 asked: quotes that state the
relation, and interpretations that say so (``rcs:derivation``)."""

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from rcsgraph.graph.quote_strength import value_only_claims
from rcsgraph.namespaces import ID, RCS


def test_no_bundled_claim_quotes_only_its_value(graph: Graph) -> None:
    assert value_only_claims(graph) == []


def test_every_facility_per_country_claim_says_it_is_an_interpretation(graph: Graph) -> None:
    facilities = set(graph.subjects(RDF.type, RCS.Facility))
    claims = [
        c
        for c in graph.subjects(RDF.type, RCS.Claim)
        if graph.value(c, RDF.subject) in facilities or graph.value(c, RDF.object) in facilities
    ]
    assert len(claims) == 13 * 4  # located in, operated by, facility type; the service's facility
    unflagged = [
        c
        for c in claims
        if "one facility node" not in str(graph.value(c, RCS.derivation)).casefold()
    ]
    assert unflagged == []


def test_each_mission_per_place_says_it_is_an_interpretation(graph: Graph) -> None:
    missions = set(graph.subjects(RDF.type, RCS.Mission))
    for claim in graph.subjects(RDF.type, RCS.Claim):
        if graph.value(claim, RDF.subject) in missions and graph.value(claim, RDF.predicate) in (
            RCS.helped,
            RCS.inResponseTo,
        ):
            assert "one mission node" in str(graph.value(claim, RCS.derivation)).casefold(), claim


def test_claims_of_reported_speech_name_their_speaker(graph: Graph) -> None:
    claim = ID["claim/project-eoc-launch-in-iraq.technology.technology-emergency-operation-center"]
    assert graph.value(claim, RCS.attributedTo) == URIRef(ID["person/yassen-al-mamouri"])
