"""Documentation of the ontology, read from ``ontology/rcs.ttl`` and ``shapes/``: every class and
property with its label, definition, domain, range, alignment to other vocabularies, and the
SHACL shapes that constrain it. Pure data; ``rcsgraph.web.views.ontology`` renders it.
"""

from dataclasses import dataclass
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS
from rdflib.term import Node

from rcsgraph import resources
from rcsgraph.graph.loading import load_graph
from rcsgraph.namespaces import ONTOLOGY_IRI, RCS

_NS = str(RCS._NS)

#: How a shape bears on a class or property, by the shape's predicate.
SHAPE_LINKS: dict[URIRef, str] = {
    SH.targetClass: "checks every instance",
    SH["class"]: "requires values of this class",
    SH.path: "checks the values",
    SH.targetSubjectsOf: "checks every subject",
    SH.targetObjectsOf: "checks every value",
}

KINDS = {
    OWL.Class: "class",
    OWL.ObjectProperty: "object property",
    OWL.DatatypeProperty: "datatype property",
    OWL.AnnotationProperty: "annotation property",
}


@dataclass(frozen=True)
class ShapeUse:
    """A shape that constrains a term, and how."""

    shape: Node
    name: str
    how: str
    message: str
    within: str  # the node shape a property shape belongs to, if any


@dataclass(frozen=True)
class TermDoc:
    """One class or property of the ontology."""

    iri: URIRef
    name: str  # local name: the anchor of its section
    kinds: tuple[str, ...]
    label: str
    definition: str
    parents: tuple[URIRef, ...]  # rdfs:subClassOf / rdfs:subPropertyOf: rcs: and alignment
    domain: tuple[URIRef, ...]
    range: tuple[URIRef, ...]
    evidenced: bool  # an rcs:EvidencedProperty: each use needs a claim with a quote
    shapes: tuple[ShapeUse, ...]

    @property
    def is_class(self) -> bool:
        return "class" in self.kinds


@dataclass(frozen=True)
class OntologyDoc:
    """The ontology's header and its terms, classes first, each group by name."""

    iri: URIRef
    title: str
    description: str
    version: str
    version_iri: str
    license: str
    terms: tuple[TermDoc, ...]


def _text(graph: Graph, subject: Node, *predicates: URIRef) -> str:
    """The English (else any) value of the first predicate that has one."""
    for predicate in predicates:
        values = [v for v in graph.objects(subject, predicate) if isinstance(v, Literal)]
        if values:
            return str(min(values, key=lambda v: (v.language not in ("en", None), str(v))))
    return ""


@cache
def ontology_doc() -> OntologyDoc:
    """The documentation of the shipped ontology, constrained by the shipped shapes."""
    ontology = load_graph([resources.ontology_file()])
    shapes = load_graph(resources.shapes_files())
    terms = [_term(ontology, shapes, t) for t in terms_of(ontology)]
    terms.sort(key=lambda t: (not t.is_class, t.name.lower()))
    return OntologyDoc(
        iri=ONTOLOGY_IRI,
        title=_text(ontology, ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/title")),
        description=_text(ontology, ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/description")),
        version=_text(ontology, ONTOLOGY_IRI, OWL.versionInfo),
        version_iri=str(ontology.value(ONTOLOGY_IRI, OWL.versionIRI) or ""),
        license=str(ontology.value(ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/license")) or ""),
        terms=tuple(terms),
    )


def terms_of(ontology: Graph) -> list[URIRef]:
    """Every term the ontology declares in its own namespace."""
    found = {
        s
        for s in ontology.subjects(RDF.type, None)
        if isinstance(s, URIRef) and str(s).startswith(_NS)
    }
    return sorted(found)


def _term(ontology: Graph, shapes: Graph, term: URIRef) -> TermDoc:
    types = set(ontology.objects(term, RDF.type))
    parents = {
        *ontology.objects(term, RDFS.subClassOf),
        *ontology.objects(term, RDFS.subPropertyOf),
    }
    return TermDoc(
        iri=term,
        name=str(term)[len(_NS) :],
        kinds=tuple(sorted(KINDS[k] for k in KINDS if k in types)),
        label=_text(ontology, term, RDFS.label, SKOS.prefLabel),
        definition=_text(ontology, term, SKOS.definition, RDFS.comment),
        parents=tuple(sorted(p for p in parents if isinstance(p, URIRef))),
        domain=tuple(
            sorted(d for d in ontology.objects(term, RDFS.domain) if isinstance(d, URIRef))
        ),
        range=tuple(sorted(r for r in ontology.objects(term, RDFS.range) if isinstance(r, URIRef))),
        evidenced=RCS.EvidencedProperty in types,
        shapes=shapes_of(shapes, term),
    )


def shapes_of(shapes: Graph, term: URIRef) -> tuple[ShapeUse, ...]:
    """The shapes that name ``term`` as their target, path or required class."""
    found = []
    for link, how in SHAPE_LINKS.items():
        for shape in shapes.subjects(link, term):
            owner = _owner(shapes, shape)
            found.append(
                ShapeUse(
                    shape=shape,
                    name=_shape_name(shape),
                    how=how,
                    message=_text(shapes, shape, SH.message, RDFS.comment),
                    within=_shape_name(owner),
                )
            )
    return tuple(sorted(found, key=lambda s: (s.within or s.name, s.name, s.how)))


def _owner(shapes: Graph, shape: Node) -> Node | None:
    """The named shape an anonymous or property shape sits in (through lists too), if any."""
    node: Node | None = shape
    for _ in range(8):
        parent = next(iter(shapes.subjects(None, node)), None) if node is not None else None
        if parent is None or isinstance(parent, URIRef):
            return parent
        node = parent
    return None


def _shape_name(shape: Node | None) -> str:
    """``rcsh:Name`` of a named shape; empty for an anonymous one."""
    return "rcsh:" + str(shape).rsplit("#", 1)[-1] if isinstance(shape, URIRef) else ""
