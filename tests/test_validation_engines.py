"""Validation on Oxigraph gives rdflib's report; validating one bundle gives the whole graph's.

Reports are compared result by result: severity, focus node, shape, constraint component, path,
value, message and label.
"""

import contextlib
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from pyshacl.graph_abstraction import OxigraphDataGraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from rcsgraph import resources
from rcsgraph.graph import validation
from rcsgraph.graph.bundle_validation import ANALYSED_SPARQL_SHAPES, validate_bundle
from rcsgraph.graph.loading import knowledge_graph, load_graph
from rcsgraph.graph.report import Report
from rcsgraph.graph.shacl_engine import shortcuts_apply
from rcsgraph.graph.validation import (
    OxigraphData,
    oxigraph_store,
    shapes_graph,
    validate_graph,
    validate_store,
)
from rcsgraph.namespaces import OA, RCS, RCSH, SH

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.generate import generate

PREFIXES = """
PREFIX rcs: <https://w3id.org/rcsgraph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""

#: Updates that break the generated graph in many ways at once (each picks its nodes itself).
BREAKAGES = [
    # a facility in its own society's country
    """DELETE { ?f rcs:locatedIn ?c } INSERT { ?f rcs:locatedIn ?home } WHERE {
      { SELECT ?f WHERE { ?f a rcs:Facility } ORDER BY ?f LIMIT 1 }
      ?f rcs:operatedBy ?s ; rcs:locatedIn ?c . ?s rcs:country ?home }""",
    # a quote moved by one character
    """DELETE { ?p oa:start ?s } INSERT { ?p oa:start ?t } WHERE {
      { SELECT ?p WHERE { ?p a oa:TextPositionSelector } ORDER BY ?p LIMIT 1 }
      ?p oa:start ?s BIND (?s + 1 AS ?t) }""",
    # a country code in lower case
    """DELETE { ?c rcs:iso3166Alpha3 ?a } INSERT { ?c rcs:iso3166Alpha3 "xa1" } WHERE {
      { SELECT ?c WHERE { ?c a rcs:Country } ORDER BY ?c LIMIT 1 } ?c rcs:iso3166Alpha3 ?a }""",
    # a second, language-tagged name
    """INSERT { ?p foaf:name "Someone"@en } WHERE {
      { SELECT ?p WHERE { ?p a rcs:Person } ORDER BY ?p LIMIT 1 } }""",
    # no English label
    """DELETE { ?x rdfs:label ?l } WHERE {
      { SELECT ?x WHERE { ?x a rcs:Cooperation } ORDER BY ?x LIMIT 1 } ?x rdfs:label ?l }""",
    # a meeting after the article that reports it (a warning)
    """DELETE { ?m rcs:date ?d . ?c rdf:object ?d }
    INSERT { ?m rcs:date "2099-01-01"^^xsd:date . ?c rdf:object "2099-01-01"^^xsd:date } WHERE {
      { SELECT ?m WHERE { ?m a rcs:Meeting } ORDER BY ?m LIMIT 1 }
      ?m rcs:date ?d . ?c rdf:subject ?m ; rdf:predicate rcs:date ; rdf:object ?d }""",
    # evidence with two quote selectors
    """INSERT { ?e oa:hasSelector ?q } WHERE {
      { SELECT ?e WHERE { ?e a oa:SpecificResource } ORDER BY ?e LIMIT 1 }
      { SELECT ?q WHERE { ?q a oa:TextQuoteSelector } ORDER BY DESC(?q) LIMIT 1 } }""",
    # an unbacked fact about an untyped resource
    """INSERT DATA { <https://w3id.org/rcsgraph/id/society/x-nowhere>
      rcs:founded "1900"^^xsd:gYear }""",
    # more competing societies than projects
    """INSERT { ?a rcs:competingSocieties 5 ; rcs:competingProjects 3 } WHERE {
      { SELECT ?a WHERE { ?a a rcs:AwardConferral } ORDER BY ?a LIMIT 1 } }""",
    # a claim whose fact is gone
    """DELETE { ?s rcs:facilityType ?t } WHERE {
      { SELECT ?s WHERE { ?s a rcs:Facility } ORDER BY DESC(?s) LIMIT 1 }
      ?s rcs:facilityType ?t }""",
]

Key = tuple[str | None, ...]


def keys(report: Report) -> set[Key]:
    return {
        (r.severity, r.focus, r.shape, r.component, r.path, r.value, r.message, r.focus_label)
        for r in report.results
    }


def fired(report: Report) -> set[str]:
    return {r.shape.rsplit("#", 1)[-1] for r in report.results}


def in_store(graph: Graph) -> ox.Store:
    """The triples of ``graph`` in a named graph of a new Oxigraph store."""
    store = ox.Store()
    data = graph.serialize(format="nt", encoding="utf-8")
    store.load(data, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode("urn:x-test:data"))
    return store


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return shapes_graph()


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated")
    generate(2500, out)
    return out


def data_files(folder: Path) -> list[Path]:
    return [folder / name for name in json.loads((folder / "manifest.json").read_text())["data"]]


def bundle_file(folder: Path) -> Path:
    return folder / json.loads((folder / "manifest.json").read_text())["bundle"]["data"]


# ---------------------------------------------------------------- whole graph, two engines


def test_bundled_data_same_report_on_both_engines(shapes: Graph) -> None:
    files = resources.data_files()
    expected = validate_graph(knowledge_graph(files), shapes, [files[0].parent])
    found = validate_store(oxigraph_store(files), shapes, [files[0].parent])
    assert found.conforms == expected.conforms
    assert keys(found) == keys(expected)


def test_broken_graph_same_report_on_both_engines(shapes: Graph, generated: Path) -> None:
    graph = knowledge_graph(data_files(generated))
    for update in BREAKAGES:
        graph.update(PREFIXES + update)
    expected = validate_graph(graph, shapes, [generated])
    found = validate_store(in_store(graph), shapes, [generated])
    assert not found.conforms
    assert keys(found) == keys(expected)
    assert {
        "FacilityAbroadShape",
        "QuoteMatchesSourceText",
        "QuoteLengthShape",
        "CountrySlugShape",
        "CountryCodes-alpha3",
        "Person-name",
        "LabelledEntity-label",
        "NotAfterPublicationShape",
        "Evidence-quoteSelector",
        "EvidencedFactShape",
        "TypedResource-type",
        "ClaimInDataShape",
        "AwardConferral-fewerSocietiesThanProjects",
    } <= fired(found)


def test_pyshacl_shortcuts_give_pyshacls_report(
    shapes: Graph, generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``rcsgraph.graph.shacl_engine`` checks each sh:property in one batch, each SPARQL text once.

    The data: the generated graph broken as above, with every failing example of the shape
    tests added (``.ttl``) or applied (``.ru``), so that nearly every shape has results.
    """
    assert shortcuts_apply(), "pyshacl changed: see rcsgraph.graph.shacl_engine"
    graph = knowledge_graph(data_files(generated))
    for update in BREAKAGES:
        graph.update(PREFIXES + update)
    for example in sorted((Path(__file__).parent / "data" / "shapes").glob("*.*")):
        if example.suffix == ".ttl":
            graph.parse(example, format="turtle")
        elif example.suffix == ".ru":
            graph.update(example.read_text(encoding="utf-8"))
    shortened = validate_store(in_store(graph), shapes, [generated])
    monkeypatch.setattr(validation, "shortcuts", contextlib.nullcontext)
    as_pyshacl_does = validate_store(in_store(graph), shapes, [generated])
    assert len(fired(as_pyshacl_does)) > 40
    assert keys(shortened) == keys(as_pyshacl_does)


def test_read_only_store_on_disk(shapes: Graph, tmp_path: Path) -> None:
    files = resources.data_files()
    built = ox.Store(str(tmp_path / "store"))
    built.bulk_extend(oxigraph_store(files).quads_for_pattern(None, None, None, None))
    built.flush()
    del built
    report = validate_store(ox.Store.read_only(str(tmp_path / "store")), shapes, [files[0].parent])
    assert report.conforms


def test_no_full_count_per_result(
    shapes: Graph, generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pitfall: pyshacl takes the data graph's truth value, hence its length, per result."""
    graph = knowledge_graph(data_files(generated))
    for update in BREAKAGES:
        graph.update(PREFIXES + update)

    def counted(*_: object) -> int:
        raise AssertionError("the whole store was counted")

    monkeypatch.setattr(OxigraphDataGraph, "__len__", counted)
    assert not validate_store(in_store(graph), shapes, [generated]).conforms


def test_membership_looks_in_every_graph() -> None:
    store = ox.Store()
    node, name = ox.NamedNode("urn:x-test:a"), ox.NamedNode("urn:x-test:name")
    store.add(ox.Quad(node, name, ox.Literal("a"), ox.NamedNode("urn:x-test:graph")))
    data = OxigraphData(store)
    assert bool(data)
    assert (URIRef("urn:x-test:a"), URIRef("urn:x-test:name"), Literal("a")) in data
    assert (URIRef("urn:x-test:a"), URIRef("urn:x-test:name"), Literal("b")) not in data


def test_a_literal_has_no_properties() -> None:
    """As in rdflib; pyshacl's own Oxigraph graph raises TypeError here."""
    data = OxigraphData(ox.Store())
    assert list(data.objects(Literal("a"), RDFS.subClassOf)) == []
    assert list(data.predicate_objects(Literal("a"))) == []


# ---------------------------------------------------------------- one bundle


@pytest.fixture(scope="module")
def stored(generated: Path) -> ox.Store:
    return oxigraph_store(data_files(generated))


def first(store: ox.Store, sparql: str) -> list[URIRef]:
    """The first solution of a query on the store, as rdflib IRIs."""
    solution = next(iter(store.query(PREFIXES + sparql, use_default_graph_as_union=True)))
    return [URIRef(term.value) for term in solution]  # type: ignore[union-attr]


def second_country(store: ox.Store, bundle: Graph) -> None:
    """A society gets the country where it runs a facility: that facility is now at home."""
    society, country = first(store, "SELECT ?s ?c { ?f rcs:operatedBy ?s ; rcs:locatedIn ?c }")
    bundle.add((society, RCS.country, country))


def extra_selector(store: ox.Store, bundle: Graph) -> None:
    """Stored evidence gets a second position, of the wrong length."""
    (evidence,) = first(store, "SELECT ?e { ?e a oa:SpecificResource } ORDER BY ?e LIMIT 1")
    position = URIRef(str(evidence) + "-extra")
    bundle.add((evidence, OA.hasSelector, position))
    bundle.add((position, RDF.type, OA.TextPositionSelector))
    bundle.add((position, OA.start, Literal(0)))
    bundle.add((position, OA.end, Literal(1)))


def retyped_selector(store: ox.Store, bundle: Graph) -> None:
    """A stored position selector is also called a quote selector."""
    (position,) = first(store, "SELECT ?p { ?p a oa:TextPositionSelector } ORDER BY ?p LIMIT 1")
    bundle.add((position, RDF.type, OA.TextQuoteSelector))


def second_date(store: ox.Store, bundle: Graph) -> None:
    """A stored article gets an earlier publication date than the meetings it reports."""
    (article,) = first(
        store,
        "SELECT ?a { ?c rdf:subject ?m ; rdf:predicate rcs:date ;"
        " <http://www.w3.org/ns/prov#wasDerivedFrom> ?a } LIMIT 1",
    )
    bundle.add((article, RCS.published, Literal("1990-01-01", datatype=XSD.date)))


def new_quote(store: ox.Store, bundle: Graph) -> None:
    """A stored quote gets a second text."""
    (quote,) = first(store, "SELECT ?q { ?q a oa:TextQuoteSelector } ORDER BY ?q LIMIT 1")
    bundle.add((quote, OA.exact, Literal("somewhere else")))


def new_prefix(store: ox.Store, bundle: Graph) -> None:
    """A stored quote gets a second prefix: only the quote check, in Python, sees it."""
    (quote,) = first(store, "SELECT ?q { ?q a oa:TextQuoteSelector } ORDER BY ?q LIMIT 1")
    bundle.add((quote, OA.prefix, Literal("not before it")))


def evidence_is_a_term(store: ox.Store, bundle: Graph) -> None:
    """A claim's evidence is an ontology term, which becomes a focus node."""
    (claim,) = first(store, "SELECT ?c { ?c a rcs:Claim } ORDER BY ?c LIMIT 1")
    bundle.add((claim, RCS.evidence, RCS.location))


def literal_type(store: ox.Store, bundle: Graph) -> None:
    """A facility's operator has a literal for a type (pyshacl's Oxigraph graph would raise)."""
    (society,) = first(store, "SELECT ?s { ?f rcs:operatedBy ?s } ORDER BY ?s LIMIT 1")
    bundle.add((society, RDF.type, Literal("society")))


def unbacked_fact(store: ox.Store, bundle: Graph) -> None:
    (society,) = first(store, "SELECT ?s { ?s a rcs:Society } ORDER BY ?s LIMIT 1")
    bundle.add((society, RCS.founded, Literal("1901", datatype=XSD.gYear)))


def blank_node(store: ox.Store, bundle: Graph) -> None:
    """A blank node: validated as a whole graph."""
    bundle.add((BNode(), RDFS.label, Literal("anonymous", lang="en")))


def new_evidenced_property(store: ox.Store, bundle: Graph) -> None:
    """An ontology change: validated as a whole graph."""
    (society,) = first(store, "SELECT ?s { ?s a rcs:Society } ORDER BY ?s LIMIT 1")
    prop = URIRef(str(RCS) + "x-newProperty")
    bundle.add((prop, RDF.type, RCS.EvidencedProperty))
    bundle.add((society, prop, Literal("unbacked")))


CHANGES: dict[str, tuple[Callable[[ox.Store, Graph], None] | None, set[str]]] = {
    "as generated": (None, set()),
    "second country": (second_country, {"Society-country", "FacilityAbroadShape"}),
    "extra selector": (extra_selector, {"Evidence-positionSelector", "QuoteLengthShape"}),
    "retyped selector": (retyped_selector, {"Evidence-quoteSelector", "TextQuoteSelector-exact"}),
    "second date": (second_date, {"Article-published", "NotAfterPublicationShape"}),
    "new quote": (new_quote, {"TextQuoteSelector-exact", "QuoteMatchesSourceText"}),
    "new prefix": (new_prefix, {"TextQuoteSelector-prefix", "QuoteMatchesSourceText"}),
    "evidence is a term": (evidence_is_a_term, {"Evidence-source", "Claim-evidence"}),
    "literal type": (literal_type, set()),
    "unbacked fact": (unbacked_fact, {"Organization-founded", "EvidencedFactShape"}),
    "blank node": (blank_node, set()),
    "ontology change": (new_evidenced_property, {"EvidencedFactShape"}),
}


@pytest.mark.parametrize("change", CHANGES)
def test_bundle_report_is_the_whole_graphs(
    change: str, shapes: Graph, generated: Path, stored: ox.Store
) -> None:
    """Stored content conforms without any result, so the whole graph's results are all new."""
    bundle = load_graph([bundle_file(generated)])
    edit, expected_shapes = CHANGES[change]
    if edit is not None:
        edit(stored, bundle)
    folders = [generated, bundle_file(generated).parent]
    whole = Graph()
    whole += bundle
    for graph_file in data_files(generated):
        whole.parse(graph_file, format="nt")
    whole += load_graph([resources.ontology_file()])
    expected = validate_store(in_store(whole), shapes, folders)
    found = validate_bundle(stored, bundle, folders, shapes)
    assert keys(found) == keys(expected)
    assert expected_shapes <= fired(found)
    assert found.conforms == (not expected_shapes)


def test_bundle_on_an_rdflib_graph(shapes: Graph, generated: Path, stored: ox.Store) -> None:
    bundle = load_graph([bundle_file(generated)])
    second_country(stored, bundle)
    folders = [generated, bundle_file(generated).parent]
    on_graph = validate_bundle(knowledge_graph(data_files(generated)), bundle, folders, shapes)
    assert keys(on_graph) == keys(validate_bundle(stored, bundle, folders, shapes))


def test_every_sparql_shape_is_analysed_for_bundles(shapes: Graph) -> None:
    """A new SPARQL shape needs its reach added to ``_REACH`` (until then: whole graph)."""
    sparql = set(shapes.subjects(SH.sparql, None)) | set(shapes.subjects(SH.target, None))
    assert sparql == set(ANALYSED_SPARQL_SHAPES)
    assert all(str(s).startswith(str(RCSH)) for s in sparql)
