"""Dumps of the knowledge graph in Turtle, N-Triples, JSON-LD and TriG, and the JSON-LD context.

Every format carries the same triples (the ontology and the data); TriG also keeps them in one
named graph per source file. JSON-LD is compacted with the context shipped in the package and
embeds it, so a reader never fetches a remote context.
"""

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS, XSD

from rcsgraph import resources
from rcsgraph.errors import InputError
from rcsgraph.graph.loading import knowledge_dataset, knowledge_graph, load_graph
from rcsgraph.namespaces import PREFIXES, RCS

#: Export formats: name -> (rdflib serializer, media type, file suffix).
FORMATS: dict[str, tuple[str, str, str]] = {
    "ttl": ("turtle", "text/turtle", ".ttl"),
    "nt": ("nt", "application/n-triples", ".nt"),
    "jsonld": ("json-ld", "application/ld+json", ".jsonld"),
    "trig": ("trig", "application/trig", ".trig"),
}

_TYPED_RANGES = {XSD.date, XSD.gYear, XSD.integer, XSD.boolean}


def export(fmt: str, data: Sequence[Path] | None = None) -> bytes:
    """The knowledge graph (ontology + ``data``, default the bundled data) in ``fmt``."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r} (expected one of {', '.join(FORMATS)})")
    serializer = FORMATS[fmt][0]
    if fmt == "trig":
        return knowledge_dataset(data).serialize(format=serializer, encoding="utf-8")
    graph = knowledge_graph(data)
    if fmt == "jsonld":
        return to_jsonld(graph)
    return graph.serialize(format=serializer, encoding="utf-8")


def to_jsonld(graph: Graph) -> bytes:
    """``graph`` as JSON-LD compacted with (and embedding) the shipped context."""
    context = shipped_context()["@context"]
    text = graph.serialize(format="json-ld", context=context, auto_compact=True)
    return text.encode("utf-8")


def shipped_context() -> dict[str, Any]:
    """The JSON-LD context file of the package."""
    with resources.context_file().open(encoding="utf-8") as handle:
        context: dict[str, Any] = json.load(handle)
    return context


def build_context(ontology: Graph | None = None) -> dict[str, Any]:
    """The JSON-LD context derived from the ontology: prefixes, then one term per rcs: property.

    Object properties are typed ``@id`` and datatype properties with a date, year, integer or
    boolean range carry that datatype, so compact JSON-LD reads naturally and round-trips.
    """
    graph = ontology if ontology is not None else load_graph([resources.ontology_file()])
    terms: dict[str, Any] = dict(PREFIXES)
    namespace = str(RCS._NS)
    properties = set(graph.subjects(RDF.type, OWL.ObjectProperty)) | set(
        graph.subjects(RDF.type, OWL.DatatypeProperty)
    )
    for prop in sorted(properties, key=str):
        name = str(prop)
        if not name.startswith(namespace):
            continue
        term: dict[str, str] = {"@id": f"rcs:{name[len(namespace) :]}"}
        rng = graph.value(prop, RDFS.range)
        if (prop, RDF.type, OWL.ObjectProperty) in graph:
            term["@type"] = "@id"
        elif rng in _TYPED_RANGES:
            term["@type"] = f"xsd:{str(rng).rsplit('#', 1)[1]}"
        terms[name[len(namespace) :]] = term
    return {"@context": terms}


def write_context(path: Path) -> None:
    """Write the context derived from the ontology to ``path`` (refreshes the shipped file)."""
    path.write_text(json.dumps(build_context(), indent=2) + "\n", encoding="utf-8")
