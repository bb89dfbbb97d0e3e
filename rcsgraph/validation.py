"""Validate the knowledge graph: SHACL shapes (pyshacl) plus the quote-against-text check.

The data graph is the ontology merged with the data, so shapes may ask whether a property is
an ``rcs:EvidencedProperty``. Warnings and infos never make the data non-conforming.

Two engines give the same report: an rdflib ``Graph`` (``validate_graph``, the reference) and a
``pyoxigraph.Store`` (``validate_store``, the union of its graphs), where pyshacl walks the
store directly and hands SPARQL targets and constraints to Oxigraph's engine.
``validate_bundle`` checks one new bundle against what is stored, looking only at what the
bundle touches; its docstring and ``_REACH`` say why that is sound.
"""

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import BNode, ConjunctiveGraph, Graph, Literal, Node, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from rcsgraph import layout, resources
from rcsgraph.errors import InputError, ParseError
from rcsgraph.evidence import check_quotes, quotes_in_store, read_source_texts
from rcsgraph.loading import knowledge_graph, load_graph, rdf_format, read_text
from rcsgraph.namespaces import ID_BASE, OA, RCS, RCSH, SH
from rcsgraph.report import Report, Result
from rcsgraph.shacl_engine import OxigraphData, WholeIris, shortcuts
from rcsgraph.store.oxigraph import FORMATS as OX_FORMATS
from rcsgraph.store.oxigraph import OxigraphStore

#: The engines ``validate`` can run the shapes on.
ENGINES = ("rdflib", "oxigraph")

#: The named graph a bundle is put in while the whole graph is validated with it.
_CHECKED_BUNDLE = layout.GRAPH_BASE + "bundle-being-validated"

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
        focus=_id(value(SH.focusNode)),
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


# ---------------------------------------------------------------- one bundle

#: SPARQL-based shapes whose reach is accounted for below; a shapes graph with any other makes
#: ``validate_bundle`` validate everything.
ANALYSED_SPARQL_SHAPES = frozenset(
    RCSH[name + "Shape"]
    for name in [
        *("EvidencedFact", "ClaimInData", "ClaimSource", "QuoteLength", "TypedResource"),
        *("FacilityAbroad", "CountrySlug", "NotAfterPublication", "SpeakerTookPart"),
        *("FacilityCount", "FacilityCountExceeded", "CountryCount"),
    ]
)

#: One step of a walk: (predicate, True) goes back to the subjects pointing at a node.
Step = tuple[URIRef, bool]
_BACK, _ON = True, False

#: A new triple with this predicate on a node can give a result to the focus nodes these walks
#: reach from the node (in the comment, the check that looks that far: a SPARQL shape, or the
#: quote check of ``rcsgraph.evidence``). Every other check reads the focus node's own triples,
#: the types of its values, or triples that can only remove a result when added (minimum
#: counts, claims, participants).
_TO_CLAIM = ((OA.hasSelector, _BACK), (RCS.evidence, _BACK))  # selector -> its claims
_REACH: dict[URIRef, tuple[tuple[Step, ...], ...]] = {
    RCS.country: (((RCS.operatedBy, _BACK),),),  # FacilityAbroad
    OA.hasSource: (((RCS.evidence, _BACK),),),  # ClaimSource, quote check
    OA.hasSelector: (((RCS.evidence, _BACK),),),  # QuoteLength, quote check
    **dict.fromkeys((OA.exact, OA.start, OA.end, OA.prefix, OA.suffix), (_TO_CLAIM,)),
    RCS.sourceText: (((OA.hasSource, _BACK), (RCS.evidence, _BACK)),),  # quote check
    RCS.sourceTextSha256: (((OA.hasSource, _BACK), (RCS.evidence, _BACK)),),
    RCS.published: (((PROV.wasDerivedFrom, _BACK), (RDF.subject, _ON)),),  # NotAfterPublication
    PROV.wasDerivedFrom: (((RDF.subject, _ON),),),  # NotAfterPublication
    RDF.predicate: (((RDF.subject, _ON),),),
    RDF.object: (((RDF.subject, _ON),),),
    # CountryCount, the quote check; the qualified sh:class paths of the shapes are added
    RDF.type: (((RCS.serviceArea, _BACK),), _TO_CLAIM),
}

#: Types that make a bundle change the ontology rather than the data.
_METACLASSES = frozenset((RCS.EvidencedProperty, OWL.Class, RDFS.Class, RDF.Property))

Reach = dict[URIRef, list[tuple[Step, ...]]]
Plan = tuple[Reach, set[URIRef]]
Sources = tuple[Graph, Graph]


def validate_bundle(
    stored: Graph | ox.Store | OxigraphStore,
    bundle: Graph,
    text_folders: Sequence[Path] = (),
    shapes: Graph | None = None,
) -> Report:
    """The results of validating ``stored`` plus ``bundle`` whose focus nodes the bundle touches.

    The focus nodes are the subjects and objects of the bundle's new triples and the nodes
    ``_REACH`` leads to from them; the shapes run on their surroundings only (three hops out,
    and the claims and inverse paths pointing in). Any other focus node of the whole graph has
    no result that the stored content alone did not have, so for stored content that conforms
    the report conforms exactly when the whole graph does. Blank nodes, ontology changes or
    SPARQL shapes not analysed here make it validate the whole graph instead.
    """
    shapes = shapes if shapes is not None else shapes_graph()
    data = stored if isinstance(stored, Graph) else oxigraph_data(stored)
    new = [triple for triple in bundle if triple not in data]
    vocabulary = set(load_graph([resources.ontology_file()]).subjects())
    plan = _bundle_plan(shapes)
    if plan is None or any(_outside_bundle_checks(t, vocabulary) for t in new):
        return _validate_union(data, bundle, shapes, text_folders)
    reach, incoming = plan
    focus = _touched(data, new, reach)
    surroundings = _surroundings((data, bundle), focus, incoming, vocabulary)
    small = ox.Store()
    small.load(path=str(resources.ontology_file()), format=ox.RdfFormat.TURTLE)
    small.load(surroundings.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    keep = {_id(node) for node in focus}
    report = validate_store(small, shapes, text_folders)
    return Report([r for r in report.results if r.focus in keep])


def _bundle_plan(shapes: Graph) -> Plan | None:
    """The walks to affected focus nodes and the incoming predicates shapes read, or None."""
    sparql = set(shapes.subjects(SH.sparql, None)) | set(shapes.subjects(SH.target, None))
    paths = [p for p in shapes.objects(None, SH.path) if isinstance(p, BNode)]
    if (
        not sparql <= ANALYSED_SPARQL_SHAPES
        or any(next(shapes.subjects(k, None), None) for k in (SH.node, SH["not"], SH.xone))
        or any((p, SH.inversePath, None) not in shapes for p in paths)
    ):
        return None
    reach = {predicate: list(walks) for predicate, walks in _REACH.items()}
    for shape, qualified in shapes.subject_objects(SH.qualifiedValueShape):
        path = shapes.value(shape, SH.path)
        if isinstance(path, URIRef) and (qualified, SH["class"], None) in shapes:
            reach[RDF.type].append(((path, _BACK),))
    incoming = {RDF.subject}
    for predicate in (SH.inversePath, SH.targetObjectsOf):
        incoming |= {p for p in shapes.objects(None, predicate) if isinstance(p, URIRef)}
    return reach, incoming


def _outside_bundle_checks(triple: tuple[Node, Node, Node], vocabulary: set[Node]) -> bool:
    s, p, o = triple
    defines = p in (RDFS.subClassOf, RDFS.subPropertyOf) or (p == RDF.type and o in _METACLASSES)
    return isinstance(s, BNode) or isinstance(o, BNode) or s in vocabulary or defines


def _touched(
    data: Graph, new: list[Triple], reach: dict[URIRef, list[tuple[Step, ...]]]
) -> set[Node]:
    """The nodes whose results the new triples can change."""
    found: set[Node] = set()
    for s, p, o in new:
        found.add(s)
        if not isinstance(o, Literal) and p != RDF.type:
            found.add(o)
        for walk in reach.get(p, []) if isinstance(p, URIRef) else []:
            found |= _walk(data, s, walk)
    return found


def _walk(data: Graph, start: Node, walk: tuple[Step, ...]) -> set[Node]:
    nodes = {start}
    for predicate, backwards in walk:
        if backwards:
            nodes = {m for n in nodes for m in data.subjects(predicate, n)}
        else:
            nodes = {m for n in nodes for m in data.objects(n, predicate)}
    return {n for n in nodes if not isinstance(n, Literal)}


def _surroundings(
    sources: Sources, focus: set[Node], incoming: set[URIRef], vocab: set[Node]
) -> Graph:
    """What the shapes read from the focus nodes: three hops out, claims and inverse paths in."""
    found = Graph()
    _expand(sources, focus, 3, vocab, found)  # a claim's quote is three hops from the claim
    claims: set[Node] = set()
    for node in focus:
        for predicate in incoming:
            for subject in {s for source in sources for s in source.subjects(predicate, node)}:
                found.add((subject, predicate, node))
                if predicate == RDF.subject:
                    claims.add(subject)
    _expand(sources, claims, 2, vocab, found)  # a claim's article and its publication date
    return found


def _expand(sources: Sources, nodes: set[Node], hops: int, vocab: set[Node], into: Graph) -> None:
    seen: set[Node] = set()
    for _ in range(hops):
        following: set[Node] = set()
        for node in nodes - seen:
            seen.add(node)
            for source in sources:
                for p, o in source.predicate_objects(node):
                    into.add((node, p, o))
                    if not isinstance(o, Literal) and o not in vocab:
                        following.add(o)
        nodes = following


def _validate_union(data: Graph, bundle: Graph, shapes: Graph, folders: Sequence[Path]) -> Report:
    """The whole graph with the bundle, on the engine ``data`` lives in."""
    if isinstance(data, OxigraphData):
        store = ox.Store()
        store.bulk_extend(data.impl.quads_for_pattern(None, None, None, None))
        bundle_nt = bundle.serialize(format="nt", encoding="utf-8")
        store.load(bundle_nt, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(_CHECKED_BUNDLE))
        return validate_store(store, shapes, folders)
    union = Graph()
    union += data
    union += bundle
    return validate_graph(union, shapes, folders)
