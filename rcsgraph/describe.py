"""The description of a thing: what a linked-data client gets when it dereferences its IRI.

Four parts, each one SPARQL query over any ``Source`` (a ``Store``, or the server's worker pool
through ``Endpoint.query``) with the thing's IRI bound by the engine, never written into the
text:

- its own statements, with the labels of what it links to;
- the statements that link to it (incoming links), with the labels of their subjects;
- the claims whose subject or value it is, with their evidence (the Web Annotation resource, its
  quote and position selectors) and what the quoted article says about itself (label, date,
  dateline, source text and checksum);
- the labels of the ontology's terms, for people (not part of the RDF description).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS

from rcsgraph.loading import new_graph
from rcsgraph.store.base import Results, Term

#: The licence of the data and the ontology (README, "Sources and licences").
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")

_PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rcs: <https://w3id.org/rcsgraph/ontology#>
"""

DESCRIPTION = (
    _PREFIXES
    + """
CONSTRUCT {
  ?thing ?p ?o . ?o rdfs:label ?label .
  ?x ?xp ?thing . ?x rdfs:label ?xlabel .
  ?node ?np ?no .
}
WHERE {
  { ?thing ?p ?o }
  UNION { ?thing ?p0 ?o . ?o rdfs:label ?label }
  UNION { ?x ?xp ?thing }
  UNION { ?x ?xp0 ?thing . ?x rdfs:label ?xlabel }
  UNION { ?node (rdf:subject|rdf:object) ?thing ; a rcs:Claim ; ?np ?no }
  UNION { ?c (rdf:subject|rdf:object)? ?thing ; a rcs:Claim ; rcs:evidence ?node . ?node ?np ?no }
  UNION {
    ?c (rdf:subject|rdf:object)? ?thing ; a rcs:Claim ; rcs:evidence/oa:hasSelector ?node .
    ?node ?np ?no
  }
  UNION {
    ?c (rdf:subject|rdf:object)? ?thing ; a rcs:Claim ; rcs:evidence/oa:hasSource ?node .
    ?node ?np ?no .
    VALUES ?np { rdfs:label rcs:published rcs:dateline rcs:sourceText rcs:sourceTextSha256 }
  }
  UNION {
    ?c (rdf:subject|rdf:object)? ?thing ; a rcs:Claim .
    ?c rcs:evidence/oa:hasSource/rcs:dateline ?node .
    ?node rdfs:label ?no . BIND (rdfs:label AS ?np)
  }
}
"""
)

VOCABULARY = (
    _PREFIXES
    + """
SELECT ?term ?label WHERE {
  VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty rdf:Property }
  ?term a ?kind ; rdfs:label ?label .
}
"""
)

#: Things whose IRI starts with ``?space``: for the home page and the helpful 404 (a listing,
#: so at most 5000 rows: a thing, one of its types, one of its labels).
THINGS = (
    _PREFIXES
    + """
SELECT ?space ?thing ?label ?type WHERE {
  ?thing a ?type .
  FILTER (isIRI(?thing) && STRSTARTS(STR(?thing), ?space))
  OPTIONAL { ?thing rdfs:label ?label }
}
ORDER BY ?thing
LIMIT 5000
"""
)


class Source(Protocol):
    """Anything that answers SPARQL with engine-bound variables: a store or the endpoint."""

    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> Results: ...


@dataclass(frozen=True)
class Description:
    """What the graph says about ``thing``, and the labels of the vocabulary for people."""

    thing: URIRef
    graph: Graph
    vocabulary: Mapping[URIRef, str]

    @property
    def exists(self) -> bool:
        """Whether the graph says anything about the thing itself (else: 404)."""
        return (self.thing, None, None) in self.graph


def describe(source: Source, thing: URIRef) -> Description:
    """The description of ``thing`` (empty when the graph does not know it)."""
    found = source.query(DESCRIPTION, {"thing": thing})
    graph = new_graph()
    for triple in found.triples:
        graph.add(triple)
    return Description(thing, graph, vocabulary(source))


def vocabulary(source: Source) -> dict[URIRef, str]:
    """An English (else any) label for each class and property the store defines."""
    labels: dict[URIRef, str] = {}
    for row in source.query(VOCABULARY).dicts():
        term, label = row["term"], row["label"]
        wanted = term not in labels or getattr(label, "language", None) == "en"
        if isinstance(term, URIRef) and isinstance(label, Literal) and wanted:
            labels[term] = str(label)
    return labels


@dataclass(frozen=True)
class Listed:
    """A thing in a listing: its IRI, label and types."""

    iri: URIRef
    label: str
    types: tuple[URIRef, ...]


def things(source: Source, space: str, limit: int = 1000) -> list[Listed]:
    """The typed things whose IRI starts with ``space``, at most ``limit`` of them."""
    found: dict[URIRef, tuple[str, set[URIRef]]] = {}
    for row in source.query(THINGS, {"space": Literal(space)}).dicts():
        thing, kind = row["thing"], row["type"]
        if not isinstance(thing, URIRef) or not isinstance(kind, URIRef):
            continue
        if thing not in found and len(found) >= limit:
            break
        found.setdefault(thing, (str(row.get("label") or ""), set()))[1].add(kind)
    return [
        Listed(iri, label or iri.rsplit("/", 1)[-1], tuple(sorted(kinds)))
        for iri, (label, kinds) in found.items()
    ]


def as_document(description: Description, document: URIRef) -> Graph:
    """The description as the RDF document ``document``: its triples, plus what the document
    is about (``foaf:primaryTopic``) and under which licence it is published."""
    graph = new_graph()
    for triple in description.graph:
        graph.add(triple)
    graph.add((document, RDF.type, FOAF.Document))
    graph.add((document, FOAF.primaryTopic, description.thing))
    graph.add((document, DCTERMS.license, LICENSE))
    label = description.graph.value(description.thing, RDFS.label)
    if label is not None:
        graph.add((document, RDFS.label, Literal(f"Description of {label}", lang="en")))
    return graph
