"""Differential test: Oxigraph and the rdflib reference engine give the same answers."""

from collections import Counter

import pytest
from rdflib import Literal, URIRef

from rcsgraph.graph.loading import fill_store
from rcsgraph.store import OxigraphStore, RdflibStore, Results, Store

PREFIXES = """
PREFIX rcs: <https://w3id.org/rcsgraph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""

QUERIES = {
    "join": """SELECT ?facility ?country ?label WHERE {
        ?facility a rcs:Facility ; rcs:locatedIn ?country ; rcs:operatedBy ?society .
        ?country skos:prefLabel ?label . ?society rcs:country ?home .
        FILTER (?country != ?home) }""",
    "optional": """SELECT ?country ?label ?iso2 WHERE {
        ?country a rcs:Country ; skos:prefLabel ?label .
        OPTIONAL { ?country rcs:iso3166Alpha2 ?iso2 } } ORDER BY ?label""",
    "group-count": """SELECT ?p (COUNT(?claim) AS ?n) WHERE {
        ?claim a rcs:Claim ; rdf:predicate ?p } GROUP BY ?p HAVING (COUNT(?claim) > 2)""",
    "aggregates": """SELECT (MIN(?s) AS ?first) (MAX(?e) AS ?last) (SUM(?e - ?s) AS ?chars)
        (COUNT(DISTINCT ?q) AS ?quotes) WHERE { ?q oa:start ?s ; oa:end ?e }""",
    "path": """SELECT DISTINCT ?class WHERE { ?class rdfs:subClassOf+ rcs:Place }""",
    "path-sequence": """SELECT ?claim ?exact WHERE {
        ?claim rdf:predicate rcs:founded ; rcs:evidence/oa:hasSelector/oa:exact ?exact }""",
    "filter-text": """SELECT ?s ?label WHERE { ?s skos:prefLabel ?label .
        FILTER (CONTAINS(LCASE(STR(?label)), "red crescent") && LANG(?label) = "en") }""",
    "filter-regex": """SELECT ?c ?code WHERE { ?c rcs:iso3166Numeric ?code .
        FILTER REGEX(?code, "^0") }""",
    "minus-union": """SELECT ?x WHERE { { ?x a rcs:Mission } UNION { ?x a rcs:Facility }
        MINUS { ?x rcs:locatedIn <https://w3id.org/rcsgraph/id/country/congo> } }""",
    "graph": """SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g""",
    "exists-bind": """SELECT ?m ?target WHERE { ?m a rcs:Mission .
        BIND (COALESCE(?none, "-") AS ?unbound)
        OPTIONAL { ?m rcs:helped ?target } FILTER NOT EXISTS { ?m rcs:inResponseTo ?e } }""",
    "ask": """ASK { ?s owl:sameAs <http://www.wikidata.org/entity/Q794> }""",
    "construct": """CONSTRUCT { ?c rdfs:label ?l } WHERE { ?c a rcs:Country ; rdfs:label ?l }""",
    "values-order-limit": """SELECT ?c ?l WHERE {
        VALUES ?c { <https://w3id.org/rcsgraph/id/country/irn>
                    <https://w3id.org/rcsgraph/id/country/irq> }
        ?c skos:prefLabel ?l } ORDER BY DESC(?l) LIMIT 1""",
}


@pytest.fixture(scope="module")
def both() -> tuple[Store, Store]:
    oxigraph, reference = OxigraphStore(), RdflibStore()
    fill_store(oxigraph)
    fill_store(reference)
    return oxigraph, reference


def canonical(results: Results) -> object:
    """A comparable form: a multiset of rows (or triples), or the boolean."""
    if results.kind == "ask":
        return results.boolean
    if results.kind == "graph":
        return Counter(results.triples)
    return results.variables, Counter(tuple(_value(v) for v in row) for row in results.rows)


def _value(term: object) -> object:
    """Numbers compare by value: engines may write the same number differently."""
    if isinstance(term, Literal) and isinstance(term.toPython(), int | float):
        return ("number", float(term.toPython()))  # type: ignore[arg-type]
    return term


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_engines_agree(both: tuple[Store, Store], name: str) -> None:
    oxigraph, reference = both
    query = PREFIXES + QUERIES[name]
    ours, theirs = oxigraph.query(query), reference.query(query)
    assert canonical(ours) == canonical(theirs)
    assert ours.rows or ours.triples or ours.kind == "ask", (
        "a query that answers nothing tests nothing"
    )


def test_engines_agree_on_bound_parameters(both: tuple[Store, Store]) -> None:
    query = PREFIXES + "SELECT ?society ?year WHERE { ?society rcs:founded ?year }"
    society = URIRef("https://w3id.org/rcsgraph/id/society/iranian-red-crescent-society")
    answers = [store.query(query, {"society": society}) for store in both]
    assert canonical(answers[0]) == canonical(answers[1])
    assert [str(r[1]) for r in answers[0].rows] == ["1922"]


def test_ordered_results_keep_their_order(both: tuple[Store, Store]) -> None:
    query = PREFIXES + QUERIES["optional"]
    orders = [[row[1] for row in store.query(query).rows] for store in both]
    assert orders[0] == orders[1]


def test_engines_hold_the_same_graphs(both: tuple[Store, Store]) -> None:
    oxigraph, reference = both
    assert oxigraph.graphs() == reference.graphs()
    assert oxigraph.count() == reference.count()
    for graph in oxigraph.graphs():
        assert oxigraph.count(graph) == reference.count(graph)


def test_backends_are_chosen_by_name() -> None:
    from rcsgraph.errors import InputError
    from rcsgraph.store import BACKENDS, open_backend

    assert set(BACKENDS) == {"oxigraph", "rdflib", "remote"}
    assert open_backend("rdflib").name == "rdflib"
    with pytest.raises(InputError, match="unknown store backend"):
        open_backend("sqlite")
