"""Dumps of the knowledge graph in Turtle, N-Triples, JSON-LD and TriG, and the JSON-LD context.

Every format carries the same triples (the ontology and the data); TriG also keeps them in one
named graph per source file. JSON-LD is compacted with the context shipped in the package and
embeds it, so a reader never fetches a remote context.
"""

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Node, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from rcsgraph import resources
from rcsgraph.errors import InputError
from rcsgraph.graph.loading import knowledge_dataset, knowledge_graph, load_graph, new_graph
from rcsgraph.namespaces import PREFIXES, RCS
from rcsgraph.store.terms import to_oxigraph

#: Export formats: name -> (rdflib serializer, media type, file suffix).
FORMATS: dict[str, tuple[str, str, str]] = {
    "ttl": ("turtle", "text/turtle", ".ttl"),
    "nt": ("nt", "application/n-triples", ".nt"),
    "jsonld": ("json-ld", "application/ld+json", ".jsonld"),
    "trig": ("trig", "application/trig", ".trig"),
}

_TYPED_RANGES = {XSD.date, XSD.gYear, XSD.integer, XSD.boolean}


def export(fmt: str, data: Sequence[Path] | None = None) -> bytes:
    """The knowledge graph (ontology + ``data``, default the bundled data) in ``fmt``; the same
    graph gives the same bytes in every process (see ``to_ntriples``)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown export format {fmt!r} (expected one of {', '.join(FORMATS)})")
    if fmt == "trig":
        return to_trig(knowledge_dataset(data))
    graph = knowledge_graph(data)
    if fmt == "jsonld":
        return to_jsonld(graph)
    if fmt == "nt":
        return to_ntriples(graph)
    return canonical(graph).serialize(format="turtle", encoding="utf-8")


def canonical(graph: Graph) -> Graph:
    """``graph`` with each blank node renamed after what it says (its own statements), so
    that writers that name blank nodes name them alike in every process."""
    blanks = {n for triple in graph for n in triple if isinstance(n, BNode)}
    if not blanks:
        return graph

    def says(blank: Node) -> tuple[list[str], list[str]]:
        own = [f"{p.n3()} {_masked(o)}" for p, o in graph.predicate_objects(blank)]
        pointing = [_masked(s) for s in graph.subjects(None, blank)]
        return sorted(own), sorted(pointing)

    names = {b: BNode(f"b{number}") for number, b in enumerate(sorted(blanks, key=says))}
    renamed = Graph(namespace_manager=graph.namespace_manager)
    for s, p, o in graph:
        renamed.add((names.get(s, s), p, names.get(o, o)))  # type: ignore[call-overload]
    return renamed


def _masked(node: Node) -> str:
    return "_" if isinstance(node, BNode) else node.n3()


def to_turtle(graph: Iterable[tuple[Node, Node, Node]]) -> bytes:
    """``graph`` (a ``Graph`` or any triples) as Turtle written by Oxigraph (twenty times
    rdflib's speed on a description of thousands of triples), its statements sorted and the
    project's prefixes declared."""
    return _written(graph, ox.RdfFormat.TURTLE)


def to_rdfxml(graph: Iterable[tuple[Node, Node, Node]]) -> bytes:
    """``graph`` as RDF/XML written by Oxigraph, its statements sorted and the project's
    prefixes declared (rdflib's writer declares namespaces in an order that varies by process)."""
    return _written(graph, ox.RdfFormat.RDF_XML)


def _written(graph: Iterable[tuple[Node, Node, Node]], fmt: ox.RdfFormat) -> bytes:
    triples = sorted((_triple(*triple) for triple in _canonical_triples(graph)), key=str)
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    return ox.serialize(triples, format=fmt, prefixes=prefixes) or b""


def _canonical_triples(
    triples: Iterable[tuple[Node, Node, Node]],
) -> Iterable[tuple[Node, Node, Node]]:
    """``triples`` as they are, or, if they hold blank nodes, renamed by ``canonical``."""
    if isinstance(triples, Graph):
        return canonical(triples)
    found = list(triples)
    if not any(type(n) is BNode for triple in found for n in triple):  # isinstance: 5x slower
        return found
    return canonical(new_graph(found))


def _triple(s: Any, p: Any, o: Any) -> ox.Triple:
    return ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]


def to_ntriples(graph: Graph) -> bytes:
    """``graph`` as N-Triples, lines sorted: the same graph, the same bytes."""
    text = canonical(graph).serialize(format="nt", encoding="utf-8")
    return b"".join(sorted(line + b"\n" for line in text.splitlines() if line.strip()))


def to_trig(dataset: Dataset) -> bytes:
    """``dataset`` as TriG, its graphs in order of name, each written as Turtle."""
    prefixes: dict[str, None] = {}
    blocks = []
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if not len(graph) or not isinstance(graph.identifier, URIRef):
            continue
        lines = new_graph(canonical(graph)).serialize(format="turtle").splitlines()
        prefixes.update(dict.fromkeys(line for line in lines if line.startswith("@prefix")))
        statements = "\n".join(line for line in lines if not line.startswith("@prefix"))
        blocks.append(f"<{graph.identifier}> {{\n{statements.strip()}\n}}\n")
    header = "".join(line + "\n" for line in sorted(prefixes))
    return (header + "\n" + "\n".join(blocks)).encode("utf-8")


def to_jsonld(graph: Graph) -> bytes:
    """``graph`` as JSON-LD compacted with (and embedding) the shipped context; nodes in order
    of ``@id`` and values in a fixed order, so the same graph gives the same bytes."""
    context = shipped_context()["@context"]
    text = canonical(graph).serialize(format="json-ld", context=context, auto_compact=True)
    document = json.loads(text)
    if isinstance(document, dict) and isinstance(document.get("@graph"), list):
        document["@graph"] = sorted((_ordered(n) for n in document["@graph"]), key=_key)
    elif isinstance(document, dict):
        document = _ordered(document)
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _ordered(node: Any, key: str = "") -> Any:
    """Values of a property in a fixed order; an ``@list`` keeps its own."""
    if isinstance(node, dict):
        return {k: _ordered(v, k) for k, v in node.items()}
    if isinstance(node, list):
        items = [_ordered(v) for v in node]
        return items if key == "@list" else sorted(items, key=_key)
    return node


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


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
