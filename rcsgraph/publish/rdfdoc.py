"""RDF documents (descriptions, VoID, the ontology) written in the syntaxes we publish.

JSON-LD is compacted with the context shipped in the package and embeds it, so a reader never
fetches a remote context (the same writer as the dumps, ``rcsgraph.graph.export.to_jsonld``).
"""

from rdflib import Graph

from rcsgraph.graph.export import to_jsonld, to_ntriples, to_rdfxml, to_turtle
from rcsgraph.graph.loading import new_graph
from rcsgraph.publish.statements import Statements
from rcsgraph.sparql.conneg import N3, RDF_TYPES

#: What a document is offered as, by file suffix, in the server's order of preference. The first
#: is what a client gets that states no preference (no Accept, ``*/*``: a program's request):
#: Turtle. HTML is last, for the clients that name it (every browser does). TriG and N3 are the
#: Turtle document, N-Quads the N-Triples one: each is valid in the other syntax.
DOCUMENT_TYPES: dict[str, str] = {
    "ttl": RDF_TYPES["ttl"],
    "jsonld": RDF_TYPES["jsonld"],
    "nt": RDF_TYPES["nt"],
    "rdf": RDF_TYPES["rdf"],
    "trig": RDF_TYPES["trig"],
    "nq": RDF_TYPES["nq"],
    "n3": N3,
    "html": "text/html",
}

#: The RDF syntaxes alone, by suffix.
RDF_DOCUMENT_TYPES = {k: v for k, v in DOCUMENT_TYPES.items() if k != "html"}
#: The types whose document is the Turtle one (the authored file, for the ontology).
TURTLE_LIKE = (RDF_TYPES["ttl"], RDF_TYPES["trig"], N3)

NAMES = {
    "ttl": "Turtle",
    "jsonld": "JSON-LD",
    "nt": "N-Triples",
    "rdf": "RDF/XML",
    "trig": "TriG",
    "nq": "N-Quads",
    "n3": "N3",
    "html": "HTML",
}


def serialize(graph: Graph | Statements, media_type: str) -> bytes:
    """``graph`` in one of ``RDF_DOCUMENT_TYPES``: the same graph, the same bytes. Turtle and
    RDF/XML are written from the triples as they are; the other writers need a ``Graph``."""
    if media_type in (RDF_TYPES["jsonld"], RDF_TYPES["nt"], RDF_TYPES["nq"]):
        graph = graph if isinstance(graph, Graph) else new_graph(graph)
        return to_jsonld(graph) if media_type == RDF_TYPES["jsonld"] else to_ntriples(graph)
    if media_type in TURTLE_LIKE:
        return to_turtle(graph)
    if media_type == RDF_TYPES["rdf"]:
        return to_rdfxml(graph)
    raise ValueError(f"not an RDF document type: {media_type}")


def suffix_of(media_type: str) -> str:
    """The file suffix of a document type (``text/turtle`` -> ``ttl``)."""
    return next(k for k, v in DOCUMENT_TYPES.items() if v == media_type)
