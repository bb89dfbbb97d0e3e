"""The catalogue described for machines: an OpenAPI 3.1 document and SPARQL examples as RDF.

Both are generated from the ``.rq`` headers, so they cannot drift from the queries.
"""

from typing import Any

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SH

from rcsgraph import __version__
from rcsgraph.queries import CannedQuery

SCHEMA = Namespace("https://schema.org/")
SPEX = Namespace("https://purl.expasy.org/sparql-examples/ontology#")

_SCHEMAS = {
    "iri": {"type": "string", "format": "iri"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "year": {"type": "string", "pattern": "^-?[0-9]{4,}$"},
    "date": {"type": "string", "format": "date"},
}
_SELECT_TYPES = (
    "application/sparql-results+json",
    "text/csv",
    "text/tab-separated-values",
    "application/sparql-results+xml",
    "text/html",
)
_GRAPH_TYPES = ("text/turtle", "application/ld+json", "application/n-triples", "text/html")


def openapi(catalogue: dict[str, CannedQuery], server: str = "/") -> dict[str, Any]:
    """An OpenAPI 3.1 document with one GET operation per canned query."""
    paths = {f"/queries/{name}": {"get": _operation(query)} for name, query in catalogue.items()}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "rcsgraph canned queries",
            "version": __version__,
            "description": "Named, typed SPARQL queries over the rcsgraph knowledge graph. "
            "Each answers in SPARQL results JSON, CSV, TSV or XML (SELECT) or RDF (CONSTRUCT), "
            "chosen by Accept or by a suffix such as /queries/countries.csv.",
        },
        "servers": [{"url": server}],
        "paths": paths,
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {"status": {"type": "integer"}, "error": {"type": "string"}},
                }
            }
        },
    }


def _operation(query: CannedQuery) -> dict[str, Any]:
    parameters = []
    for param in query.params:
        schema: dict[str, Any] = dict(_SCHEMAS[param.type])
        if param.enum:
            schema["enum"] = list(param.enum)
        if param.default is not None:
            schema["default"] = int(param.default) if param.type == "integer" else param.default
        entry: dict[str, Any] = {
            "name": param.name,
            "in": "query",
            "description": param.description,
            "required": param.default is None,
            "schema": schema,
        }
        if param.example is not None:
            entry["example"] = int(param.example) if param.type == "integer" else param.example
        parameters.append(entry)
    types = _SELECT_TYPES if query.form == "SELECT" else _GRAPH_TYPES
    error = {
        "description": "a missing, unknown or ill-typed parameter",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    return {
        "operationId": query.name.replace("-", "_"),
        "summary": query.summary,
        "description": query.description,
        "parameters": parameters,
        "responses": {
            "200": {"description": _columns(query), "content": {t: {} for t in types}},
            "400": error,
            "406": {"description": "no acceptable format"},
            "503": {"description": "the query ran past the time limit"},
        },
    }


def _columns(query: CannedQuery) -> str:
    if query.form != "SELECT":
        return "an RDF graph"
    return "solutions with the variables " + ", ".join(query.columns)


def examples(catalogue: dict[str, CannedQuery], base: str, endpoint: str) -> Graph:
    """The queries as SHACL ``sh:SPARQLExecutable`` resources (the SPARQL-examples convention)."""
    graph = Graph()
    graph.bind("sh", SH)
    graph.bind("schema", SCHEMA)
    graph.bind("spex", SPEX)
    for name, query in catalogue.items():
        node = URIRef(f"{base}queries/{name}")
        kind = SH.SPARQLSelectExecutable if query.form == "SELECT" else SH.SPARQLConstructExecutable
        graph.add((node, RDF.type, SH.SPARQLExecutable))
        graph.add((node, RDF.type, kind))
        graph.add((node, RDFS.label, Literal(name)))
        graph.add((node, RDFS.comment, Literal(query.description, lang="en")))
        body = SH.select if query.form == "SELECT" else SH.construct
        graph.add((node, body, Literal(query.text)))
        graph.add((node, SCHEMA.target, URIRef(endpoint)))
        graph.add((node, SCHEMA.keywords, Literal(query.view)))
    return graph
