"""Validate the knowledge graph: SHACL shapes (pyshacl) plus the quote-against-text check.

The data graph is the ontology merged with the data, so shapes may ask whether a property is
an ``rcs:EvidencedProperty``. Warnings and infos never make the data non-conforming.
"""

from collections.abc import Sequence
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from rcsgraph import resources
from rcsgraph.evidence import check_quotes, read_source_texts
from rcsgraph.loading import knowledge_graph, load_graph
from rcsgraph.namespaces import ID_BASE, SH
from rcsgraph.report import Report, Result


def shapes_graph() -> Graph:
    """All shapes of ``shapes/`` in one graph."""
    return load_graph(resources.shapes_files())


def validate(data: Sequence[Path] | None = None) -> Report:
    """Validate ``data`` (default: the bundled data) together with the ontology."""
    return load_and_validate(data)[1]


def load_and_validate(data: Sequence[Path] | None = None) -> tuple[Graph, Report]:
    """The knowledge graph of ``data`` and its validation report.

    Source texts are looked up beside the data files.
    """
    files = list(data) if data else resources.data_files()
    graph = knowledge_graph(files)
    folders = list(dict.fromkeys(path.resolve().parent for path in files))
    return graph, validate_graph(graph, shapes_graph(), folders)


def validate_graph(graph: Graph, shapes: Graph, text_folders: Sequence[Path] = ()) -> Report:
    """Run the shapes on ``graph`` and check its quotes against texts found in ``text_folders``."""
    _, results_graph, _ = shacl_validate(
        graph,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        allow_infos=True,
    )
    results = [_result(results_graph, node, graph) for node in _result_nodes(results_graph)]
    texts, text_results = read_source_texts(graph, text_folders)
    results += text_results
    results += check_quotes(graph, texts)
    labelled = [_with_label(r, graph) for r in results]
    return Report(sorted(labelled, key=lambda r: (r.severity, r.message, r.focus_label)))


def _result_nodes(results_graph: Graph) -> list[Node]:
    return list(results_graph.subjects(RDF.type, SH.ValidationResult))


def _result(results_graph: Graph, node: Node, data: Graph) -> Result:
    def value(predicate: URIRef) -> Node | None:
        return results_graph.value(node, predicate)

    severity = str(value(SH.resultSeverity) or SH.Violation).rsplit("#", 1)[-1]
    focus = value(SH.focusNode)
    path = value(SH.resultPath)
    found = value(SH.value)
    return Result(
        severity=severity,
        focus=_id(focus),
        focus_label="",
        message=str(value(SH.resultMessage) or "constraint not met"),
        shape=_id(value(SH.sourceShape)),
        component=_id(value(SH.sourceConstraintComponent)),
        path=str(path) if isinstance(path, URIRef) else None,
        value=str(found) if found is not None else None,
    )


def _with_label(result: Result, graph: Graph) -> Result:
    focus: Node = BNode(result.focus[2:]) if result.focus.startswith("_:") else URIRef(result.focus)
    return Result(**{**result.__dict__, "focus_label": label(graph, focus)})


def label(graph: Graph, node: Node) -> str:
    """How to name ``node`` to a person: its English label, or what owns a blank node."""
    for _ in range(4):  # a selector sits at most three blank nodes below its claim
        if not isinstance(node, BNode):
            break
        owner = next(graph.subjects(None, node), None)
        if owner is None:
            return "(unnamed node)"
        node = owner
    for predicate in (SKOS.prefLabel, RDFS.label):
        names = [o for o in graph.objects(node, predicate) if isinstance(o, Literal)]
        english = [n for n in names if n.language in (None, "en")]
        if english or names:
            return str((english or names)[0])
    text = str(node)
    return text[len(ID_BASE) :] if text.startswith(ID_BASE) else text


def _id(node: Node | None) -> str:
    if node is None:
        return ""
    return f"_:{node}" if isinstance(node, BNode) else str(node)
