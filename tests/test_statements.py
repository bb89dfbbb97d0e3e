"""``rcsgraph.publish.statements``: a description's triples, read by subject and by object."""

from rdflib import Literal, URIRef

from rcsgraph.publish.statements import Statements

A, B, C = (URIRef(f"http://example.org/{x}") for x in "abc")
P, Q = URIRef("http://example.org/p"), URIRef("http://example.org/q")


def test_statements_read_like_the_graph_they_stand_for() -> None:
    triples = [(A, P, B), (A, P, C), (A, Q, Literal("x")), (C, P, B), (A, P, B)]
    found = Statements(triples)
    assert len(found) == 4 and list(found) == triples[:4]  # once each, in order
    assert (A, P, C) in found and (C, P, A) not in found
    assert found.about(A) and not found.about(B)
    assert found.has(A, Q) and not found.has(C, Q) and not found.has(B, P)
    assert found.objects(A, P) == [B, C] and found.objects(B, P) == []
    assert found.value(A, Q) == Literal("x") and found.value(B, Q) is None
    assert found.objects(None, P) == [] and found.value(None, P) is None
    assert sorted(found.subjects(P, B)) == [A, C] and found.subjects(Q, B) == []
    assert sorted(found.predicate_objects(A)) == sorted([(P, B), (P, C), (Q, Literal("x"))])
    assert sorted(found.subject_predicates(B)) == [(A, P), (C, P)]
    assert list(Statements().subject_predicates(B)) == []
