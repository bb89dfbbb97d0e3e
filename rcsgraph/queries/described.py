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
#: Answer types by suffix, as ``/queries/{name}.{suffix}`` names them (and Accept chooses).
_SELECT_TYPES = {
    "json": "application/sparql-results+json",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "xml": "application/sparql-results+xml",
    "html": "text/html",
}
_GRAPH_TYPES = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "html": "text/html",
}
_TEXT = {"type": "string"}
_COMPONENTS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["status", "error"],
        "properties": {"status": {"type": "integer"}, "error": {"type": "string"}},
    },
    "RdfTerm": {
        "description": "an RDF term in SPARQL 1.1 Query Results JSON",
        "type": "object",
        "required": ["type", "value"],
        "properties": {
            "type": {"type": "string", "enum": ["uri", "literal", "bnode", "triple"]},
            "value": {"type": "string"},
            "datatype": {"type": "string"},
            "xml:lang": {"type": "string"},
        },
    },
    "JsonLd": {
        "description": "a JSON-LD document: compacted with its context embedded, or expanded",
        "type": ["object", "array"],
    },
}


def openapi(catalogue: dict[str, CannedQuery], server: str = "/") -> dict[str, Any]:
    """An OpenAPI 3.1 document with one GET operation per canned query and answer suffix
    (``/queries/countries`` negotiates; ``/queries/countries.csv`` is CSV), each 200 answer
    declared with its schema (SPARQL results JSON with the query's columns, JSON-LD, text)."""
    paths: dict[str, Any] = {}
    schemas = dict(_COMPONENTS)
    for name, query in catalogue.items():
        types = _SELECT_TYPES if query.form == "SELECT" else _GRAPH_TYPES
        if query.form == "SELECT":
            schemas[_results_name(query)] = _results_schema(query)
        paths[f"/queries/{name}"] = {"get": _operation(query, types, "")}
        for suffix, media in types.items():
            operation = _operation(query, {suffix: media}, suffix)
            paths[f"/queries/{name}.{suffix}"] = {"get": operation}
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
        "components": {"schemas": schemas},
    }


def _results_name(query: CannedQuery) -> str:
    return "".join(part.title() for part in query.name.split("-")) + "Results"


def _results_schema(query: CannedQuery) -> dict[str, Any]:
    """SPARQL 1.1 Query Results JSON whose rows bind (some of) the query's columns."""
    row = {
        "type": "object",
        "properties": {c: {"$ref": "#/components/schemas/RdfTerm"} for c in query.columns},
        "additionalProperties": False,
    }
    return {
        "type": "object",
        "required": ["head", "results"],
        "properties": {
            "head": {
                "type": "object",
                "required": ["vars"],
                "properties": {"vars": {"type": "array", "items": {"type": "string"}}},
            },
            "results": {
                "type": "object",
                "required": ["bindings"],
                "properties": {"bindings": {"type": "array", "items": row}},
            },
        },
    }


def _schema(query: CannedQuery, media: str) -> dict[str, Any]:
    if media == _SELECT_TYPES["json"]:
        return {"$ref": f"#/components/schemas/{_results_name(query)}"}
    if media == _GRAPH_TYPES["jsonld"]:
        return {"$ref": "#/components/schemas/JsonLd"}
    return dict(_TEXT)


def _operation(query: CannedQuery, types: dict[str, str], suffix: str) -> dict[str, Any]:
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
    error = {
        "description": "a missing, unknown or ill-typed parameter",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    operation_id = query.name.replace("-", "_") + (f"_{suffix}" if suffix else "")
    content = {media: {"schema": _schema(query, media)} for media in types.values()}
    return {
        "operationId": operation_id,
        "summary": query.summary + (f" ({suffix})" if suffix else ""),
        "description": query.description,
        "parameters": parameters,
        "responses": {
            "200": {"description": _columns(query), "content": content},
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
