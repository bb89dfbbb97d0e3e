"""Exports round-trip, and JSON-LD uses the shipped local context."""

import json

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from rcsgraph.graph.export import FORMATS, build_context, export, shipped_context


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_export_round_trips(graph: Graph, fmt: str) -> None:
    parsed = Graph().parse(data=export(fmt), format=FORMATS[fmt][0])
    assert isomorphic(parsed, graph)


def test_trig_keeps_one_named_graph_per_file_and_the_same_triples(graph: Graph) -> None:
    dataset = Dataset()
    dataset.parse(data=export("trig"), format="trig")
    names = {str(g.identifier).rsplit("/", 1)[1] for g in dataset.graphs() if len(g)}
    assert {"ontology", "article", "links"} <= names
    union = Graph()
    for quad in dataset.quads():
        union.add(quad[:3])
    assert isomorphic(union, graph)


def test_jsonld_is_compacted_with_the_embedded_local_context() -> None:
    document = json.loads(export("jsonld"))
    assert document["@context"] == shipped_context()["@context"]
    text = json.dumps(document["@graph"])
    assert "https://w3id.org/rcsgraph/ontology#founded" not in text
    assert '"founded"' in text


def test_shipped_context_is_the_one_derived_from_the_ontology() -> None:
    assert shipped_context() == build_context(), (
        "rcsgraph/context.jsonld is stale: run "
        "`python -c 'from rcsgraph.graph.export import write_context as w; "
        "from rcsgraph.resources import context_file as f; w(f())'`"
    )


def test_context_is_inline_never_a_remote_reference() -> None:
    context = json.loads(export("jsonld"))["@context"]
    assert isinstance(context, dict), "a string or list @context would make readers fetch it"
    assert "@import" not in context
