"""Validate the knowledge graph: SHACL shapes (pyshacl) plus the quote-against-text check.

The data graph is the ontology merged with the data, so shapes may ask whether a property is
an ``rcs:EvidencedProperty``. Warnings and infos never make the data non-conforming.

Two engines give the same report: an rdflib ``Graph`` (``validate_graph``, the reference) and a
``pyoxigraph.Store`` (``validate_store``, the union of its graphs), where pyshacl walks the
store directly and hands SPARQL targets and constraints to Oxigraph's engine.
``rcsgraph.graph.bundle_validation`` checks one new bundle against what is stored.
"""

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import BNode, ConjunctiveGraph, Graph, Literal, Node, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from rcsgraph import layout, resources
from rcsgraph.errors import InputError, ParseError
from rcsgraph.graph.evidence import check_quotes, quotes_in_store, read_source_texts
from rcsgraph.graph.loading import knowledge_graph, load_graph, rdf_format, read_text
from rcsgraph.graph.report import Report, Result
from rcsgraph.graph.shacl_engine import OxigraphData, WholeIris, shortcuts
from rcsgraph.namespaces import ID_BASE, SH
from rcsgraph.store.oxigraph import FORMATS as OX_FORMATS
from rcsgraph.store.oxigraph import OxigraphStore

#: The engines ``validate`` can run the shapes on.
ENGINES = ("rdflib", "oxigraph")

Triple = tuple[Node, Node, Node]


def shapes_graph() -> Graph:
    """All shapes of ``shapes/`` in one graph."""
    return load_graph(resources.shapes_files())


def validate(data: Sequence[Path] | None = None, engine: str = "rdflib") -> Report:
    """Validate ``data`` (default: the bundled data) together with the ontology."""
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r} (expected one of {', '.join(ENGINES)})")
    if engine == "oxigraph":
        files = list(data) if data else resources.data_files()
        return validate_store(oxigraph_store(files), shapes_graph(), _folders(files))
    return load_and_validate(data)[1]


def load_and_validate(data: Sequence[Path] | None = None) -> tuple[Graph, Report]:
    """The knowledge graph of ``data`` and its validation report.

    Source texts are looked up beside the data files.
    """
    files = list(data) if data else resources.data_files()
    graph = knowledge_graph(files)
    return graph, validate_graph(graph, shapes_graph(), _folders(files))


def validate_graph(graph: Graph, shapes: Graph, text_folders: Sequence[Path] = ()) -> Report:
    """Run the shapes on ``graph`` and check its quotes against texts found in ``text_folders``."""
    if isinstance(graph, ConjunctiveGraph):  # a dataset: pyshacl validates a copy of it
        return _validate(graph, shapes, text_folders, inplace=False)
    view = Graph(store=graph.store, identifier=graph.identifier)  # the same triples
    view.namespace_manager = WholeIris(view, bind_namespaces="none")
    return _validate(view, shapes, text_folders, inplace=True)


def validate_store(
    store: ox.Store | OxigraphStore, shapes: Graph | None = None, text_folders: Sequence[Path] = ()
) -> Report:
    """Validate the union of a store's graphs (ontology and data) on Oxigraph.

    The report is the one ``validate_graph`` gives for the same triples. Nothing is written to
    the store, so a store opened read-only will do.
    """
    data = oxigraph_data(store)
    return _validate(data, shapes if shapes is not None else shapes_graph(), text_folders, True)


def oxigraph_data(store: ox.Store | OxigraphStore) -> OxigraphData:
    """The union of a store's graphs as an rdflib-like graph that pyshacl validates fast."""
    return OxigraphData(store.store if isinstance(store, OxigraphStore) else store)


def oxigraph_store(files: Sequence[Path]) -> ox.Store:
    """An in-memory store with the ontology and ``files``, each in its named graph."""
    store = ox.Store()
    for path in [resources.ontology_file(), *files]:
        name = (
            layout.ONTOLOGY_GRAPH if path == resources.ontology_file() else layout.data_graph(path)
        )
        data, fmt = read_text(path).encode("utf-8"), OX_FORMATS[rdf_format(path)]
        try:
            store.load(data, fmt, base_iri=path.resolve().as_uri(), to_graph=ox.NamedNode(name))
        except SyntaxError as exc:
            raise ParseError(str(path), None, str(exc)) from None
    return store


def _folders(files: Sequence[Path]) -> list[Path]:
    return list(dict.fromkeys(path.resolve().parent for path in files))


def _validate(data: Any, shapes: Graph, text_folders: Sequence[Path], inplace: bool) -> Report:
    """pyshacl on ``data`` (an rdflib graph or ``OxigraphData``), then the quote check.

    ``inplace`` spares pyshacl a copy of the data; no shape has rules, so nothing is changed.
    """
    with shortcuts():
        _, results_graph, _ = shacl_validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            allow_warnings=True,
            allow_infos=True,
            inplace=inplace,
        )
    results = [_result(results_graph, node) for node in _result_nodes(results_graph)]
    texts, text_results = read_source_texts(data, text_folders)
    results += text_results
    listed = quotes_in_store(data.impl) if isinstance(data, OxigraphData) else None
    results += check_quotes(data, texts, listed)
    labelled = [_with_label(r, data) for r in results]
    return Report(sorted(labelled, key=lambda r: (r.severity, r.message, r.focus_label)))


def _result_nodes(results_graph: Graph) -> Iterator[Node]:
    return results_graph.subjects(RDF.type, SH.ValidationResult)


def _result(results_graph: Graph, node: Node) -> Result:
    def value(predicate: URIRef) -> Node | None:
        return results_graph.value(node, predicate)

    severity = str(value(SH.resultSeverity) or SH.Violation).rsplit("#", 1)[-1]
    path = value(SH.resultPath)
    found = value(SH.value)
    return Result(
        severity=severity,
        focus=node_id(value(SH.focusNode)),
        focus_label="",
        message=str(value(SH.resultMessage) or "constraint not met"),
        shape=node_id(value(SH.sourceShape)),
        component=node_id(value(SH.sourceConstraintComponent)),
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


def node_id(node: Node | None) -> str:
    if node is None:
        return ""
    return f"_:{node}" if isinstance(node, BNode) else str(node)
