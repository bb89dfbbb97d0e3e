"""VoID and DCAT: the dataset described from its own data.

Every figure is counted by SPARQL over the served store (triples are counted once however many
named graphs hold them); the dumps are listed with size and SHA-256; the linksets into Wikidata
and GeoNames are counted by link predicate. Identifiers are canonical (``Settings.base_iri``);
the places to fetch things from (endpoint, dumps) are those of the answering server.
"""

from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from rcsgraph.graph.loading import new_graph
from rcsgraph.publish.articles import Articles, in_brief
from rcsgraph.publish.describe import LICENSE, Source
from rcsgraph.publish.dumps import TITLES, Dump
from rcsgraph.publish.iris import EXTERNAL
from rcsgraph.store.base import Term

VOID = Namespace("http://rdfs.org/ns/void#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "https://www.iana.org/assignments/media-types/"

_PREFIXES = "PREFIX rcs: <https://w3id.org/rcsgraph/ontology#>\n"
_DISTINCT = "{ SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"

COUNTS = f"""SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects)
  (COUNT(DISTINCT ?p) AS ?properties) (COUNT(DISTINCT ?o) AS ?objects) WHERE {_DISTINCT}"""
CLASSES = "SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?class } GROUP BY ?class"
PROPERTIES = f"SELECT ?p (COUNT(*) AS ?n) WHERE {_DISTINCT} GROUP BY ?p"
ENTITIES = """SELECT ?space (COUNT(DISTINCT ?x) AS ?n) WHERE {
  ?x a ?class . FILTER (isIRI(?x) && STRSTARTS(STR(?x), ?space)) } GROUP BY ?space"""
GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
#: Links out, by the IRI space of their target and their predicate.
LINKS = """SELECT ?space ?p (COUNT(*) AS ?n) WHERE {
  { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o FILTER (isIRI(?o)) } }
  FILTER (STRSTARTS(STR(?o), ?space)) } GROUP BY ?space ?p"""
EXAMPLES = _PREFIXES + "SELECT DISTINCT ?x WHERE { ?x a rcs:Society } ORDER BY ?x LIMIT 3"
SOURCES = _PREFIXES + "SELECT DISTINCT ?x WHERE { ?x a rcs:Article } ORDER BY ?x"


@dataclass
class Figures:
    """What VoID says about the data, counted."""

    triples: int = 0
    subjects: int = 0
    properties: int = 0
    objects: int = 0
    entities: int = 0
    classes: dict[URIRef, int] = field(default_factory=dict)
    predicates: dict[URIRef, int] = field(default_factory=dict)
    graphs: dict[URIRef, int] = field(default_factory=dict)
    links: dict[tuple[str, URIRef], int] = field(default_factory=dict)  # (space, predicate)
    examples: list[URIRef] = field(default_factory=list)
    sources: list[URIRef] = field(default_factory=list)


def count(source: Source, id_space: str, graphs: Source | None = None) -> Figures:
    """Count the figures of the data ``source`` answers for (things live under ``id_space``);
    the named graphs are counted in ``graphs`` when given (``source`` may be their union)."""
    row = source.query(COUNTS).dicts()[0]
    figures = Figures(
        triples=_int(row["triples"]),
        subjects=_int(row["subjects"]),
        properties=_int(row["properties"]),
        objects=_int(row["objects"]),
    )
    entities = source.query(ENTITIES, {"space": Literal(id_space)}).dicts()
    figures.entities = _int(entities[0]["n"]) if entities else 0
    figures.classes = _counts(source, CLASSES, "class")
    figures.predicates = _counts(source, PROPERTIES, "p")
    figures.graphs = _counts(graphs or source, GRAPHS, "g")
    for space in EXTERNAL:
        for found in source.query(LINKS, {"space": Literal(space)}).dicts():
            figures.links[(space, URIRef(found["p"]))] = _int(found["n"])
    figures.examples = [URIRef(r["x"]) for r in source.query(EXAMPLES).dicts()]
    figures.sources = [URIRef(r["x"]) for r in source.query(SOURCES).dicts()]
    return figures


def figures_to_json(figures: Figures) -> dict[str, Any]:
    """``figures`` as JSON values (``figures_from_json`` reads them back)."""
    return {
        **{k: getattr(figures, k) for k in ("triples", "subjects", "properties", "objects")},
        "entities": figures.entities,
        "classes": {str(k): v for k, v in figures.classes.items()},
        "predicates": {str(k): v for k, v in figures.predicates.items()},
        "graphs": {str(k): v for k, v in figures.graphs.items()},
        "links": [[space, str(p), n] for (space, p), n in sorted(figures.links.items())],
        "examples": [str(x) for x in figures.examples],
        "sources": [str(x) for x in figures.sources],
    }


def figures_from_json(found: dict[str, Any]) -> Figures:
    """The ``Figures`` that ``figures_to_json`` wrote."""
    return Figures(
        **{k: found[k] for k in ("triples", "subjects", "properties", "objects", "entities")},
        classes={URIRef(k): v for k, v in found["classes"].items()},
        predicates={URIRef(k): v for k, v in found["predicates"].items()},
        graphs={URIRef(k): v for k, v in found["graphs"].items()},
        links={(space, URIRef(p)): n for space, p, n in found["links"]},
        examples=[URIRef(x) for x in found["examples"]],
        sources=[URIRef(x) for x in found["sources"]],
    )


def _int(term: Term) -> int:
    return int(str(term))


def _counts(source: Source, query: str, key: str) -> dict[URIRef, int]:
    rows = source.query(query).dicts()
    found = {URIRef(r[key]): _int(r["n"]) for r in rows if isinstance(r.get(key), URIRef)}
    return dict(sorted(found.items()))


@dataclass(frozen=True)
class Where:
    """The identifiers of the description and the places to fetch things from."""

    base: str  # canonical base IRI, ending in "/"
    root: str  # the answering server's root URL, ending in "/"

    @property
    def dataset(self) -> URIRef:
        return URIRef(self.base + "dataset#rcsgraph")

    @property
    def document(self) -> URIRef:
        return URIRef(self.base + "dataset")

    def part(self, name: str) -> URIRef:
        return URIRef(f"{self.base}dataset#{name}")


def void_graph(
    figures: Figures, dumps: tuple[Dump, ...], where: Where, articles: Articles | None = None
) -> Graph:
    """The VoID + DCAT description of the dataset (made of ``articles``, when known)."""
    graph = new_graph()
    graph.bind("void", VOID)
    graph.bind("dcat", DCAT)
    graph.bind("spdx", SPDX)
    dataset = where.dataset
    graph.add((where.document, RDF.type, VOID.DatasetDescription))
    graph.add((where.document, FOAF.primaryTopic, dataset))
    _about(graph, dataset, figures, where, articles)
    _statistics(graph, dataset, figures)
    _partitions(graph, dataset, figures)
    _linksets(graph, dataset, figures, where)
    for dump in dumps:
        _distribution(graph, dataset, dump, where)
    _service(graph, dataset, where)
    return graph


def _about(
    graph: Graph, dataset: URIRef, figures: Figures, where: Where, articles: Articles | None
) -> None:
    for kind in (VOID.Dataset, DCAT.Dataset):
        graph.add((dataset, RDF.type, kind))
    graph.add((dataset, DCTERMS.title, Literal("rcsgraph", lang="en")))
    graph.add((dataset, DCTERMS.description, Literal(description(articles), lang="en")))
    graph.add((dataset, DCTERMS.license, LICENSE))
    graph.add((dataset, DCTERMS.conformsTo, URIRef(where.base + "ontology")))
    graph.add((dataset, VOID.uriSpace, Literal(where.base + "id/")))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(where.root + "sparql")))
    graph.add((dataset, FOAF.homepage, URIRef(where.root)))
    for term in ("Red Crescent", "humanitarian", "Iran", "Iraq", "provenance"):
        graph.add((dataset, DCAT.keyword, Literal(term, lang="en")))
    for source in figures.sources:
        graph.add((dataset, DCTERMS.source, source))
    for example in figures.examples:
        graph.add((dataset, VOID.exampleResource, example))
    for namespace in sorted({_namespace(p) for p in figures.predicates}):
        graph.add((dataset, VOID.vocabulary, URIRef(namespace)))


def description(articles: Articles | None) -> str:
    """What the dataset is, in a sentence: the facts of its articles (and the one article's
    title when there is just one)."""
    only = articles.only if articles is not None else None
    title = f", “{only.label}”" if only is not None and only.label else ""
    return (
        f"The facts of {in_brief(articles)}{title}, each with the quote of the article it "
        "comes from, and links to Wikidata and GeoNames."
    )


def _statistics(graph: Graph, dataset: URIRef, figures: Figures) -> None:
    for prop, value in (
        (VOID.triples, figures.triples),
        (VOID.entities, figures.entities),
        (VOID.distinctSubjects, figures.subjects),
        (VOID.properties, figures.properties),
        (VOID.distinctObjects, figures.objects),
        (VOID.classes, len(figures.classes)),
    ):
        graph.add((dataset, prop, _integer(value)))


def _partitions(graph: Graph, dataset: URIRef, figures: Figures) -> None:
    for cls, n in figures.classes.items():
        node = BNode()
        graph.add((dataset, VOID.classPartition, node))
        graph.add((node, VOID["class"], cls))
        graph.add((node, VOID.entities, _integer(n)))
    for prop, n in figures.predicates.items():
        node = BNode()
        graph.add((dataset, VOID.propertyPartition, node))
        graph.add((node, VOID.property, prop))
        graph.add((node, VOID.triples, _integer(n)))
    for name, n in figures.graphs.items():
        node = BNode()
        graph.add((dataset, VOID.subset, node))
        graph.add((node, RDF.type, VOID.Dataset))
        graph.add((node, URIRef("http://www.w3.org/ns/sparql-service-description#name"), name))
        graph.add((node, VOID.triples, _integer(n)))


def _linksets(graph: Graph, dataset: URIRef, figures: Figures, where: Where) -> None:
    for (space, predicate), n in sorted(figures.links.items()):
        name, homepage = EXTERNAL[space]
        target = where.part(name.lower())
        graph.add((target, RDF.type, VOID.Dataset))
        graph.add((target, DCTERMS.title, Literal(name)))
        graph.add((target, FOAF.homepage, URIRef(homepage)))
        graph.add((target, VOID.uriSpace, Literal(space)))
        linkset = where.part(f"links-{name.lower()}-{_local(predicate)}")
        graph.add((dataset, VOID.subset, linkset))
        graph.add((linkset, RDF.type, VOID.Linkset))
        graph.add((linkset, VOID.subjectsTarget, dataset))
        graph.add((linkset, VOID.objectsTarget, target))
        graph.add((linkset, VOID.linkPredicate, predicate))
        graph.add((linkset, VOID.triples, _integer(n)))


def _distribution(graph: Graph, dataset: URIRef, dump: Dump, where: Where) -> None:
    url = URIRef(f"{where.root}dumps/{dump.name}")
    node = where.part(f"dump-{dump.format}")
    graph.add((dataset, VOID.dataDump, url))
    graph.add((dataset, DCAT.distribution, node))
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, Literal(f"{TITLES[dump.format]} dump", lang="en")))
    graph.add((node, DCAT.downloadURL, url))
    graph.add((node, DCAT.mediaType, URIRef(IANA + dump.media_type)))
    graph.add((node, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
    graph.add((node, DCTERMS.license, LICENSE))
    checksum = BNode()
    graph.add((node, SPDX.checksum, checksum))
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    graph.add((checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)))


def _service(graph: Graph, dataset: URIRef, where: Where) -> None:
    service = where.part("sparql")
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCTERMS.title, Literal("rcsgraph SPARQL endpoint", lang="en")))
    graph.add((service, DCAT.endpointURL, URIRef(where.root + "sparql")))
    graph.add((service, DCAT.servesDataset, dataset))
    graph.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))


def _integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def _namespace(iri: URIRef) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[0] + "#" if "#" in text else text.rsplit("/", 1)[0] + "/"


def _local(iri: URIRef) -> str:
    return str(iri)[len(_namespace(iri)) :]
