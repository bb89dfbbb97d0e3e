"""Validate one new article bundle against what is stored, looking only at what it touches.

``validate_bundle`` finds the focus nodes whose results the bundle's new triples can change
(``_REACH`` says which walks lead to them, and why that is sound) and runs the shapes on their
surroundings only, a small store; anything it cannot analyse makes it validate the whole graph.
"""

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS

from rcsgraph import layout, resources
from rcsgraph.graph.loading import load_graph
from rcsgraph.graph.report import Report
from rcsgraph.graph.shacl_engine import OxigraphData
from rcsgraph.graph.validation import (
    node_id,
    oxigraph_data,
    shapes_graph,
    validate_graph,
    validate_store,
)
from rcsgraph.namespaces import OA, RCS, RCSH, SH
from rcsgraph.store.oxigraph import OxigraphStore

#: The named graph a bundle is put in while the whole graph is validated with it.
_CHECKED_BUNDLE = layout.GRAPH_BASE + "bundle-being-validated"

Triple = tuple[Node, Node, Node]

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
#: quote check of ``rcsgraph.graph.evidence``). Every other check reads the focus node's own
#: triples, the types of its values, or triples that can only remove a result when added (minimum
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
    keep = {node_id(node) for node in focus}
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
