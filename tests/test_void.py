"""VoID and DCAT over real HTTP: every figure equals a count made independently (rdflib's
engine over the files, not the server's Oxigraph); the dumps are those of `rcsgraph export`,
parse, hold the same triples, and match the sizes and checksums VoID gives."""

import hashlib
import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox
import pytest
from endpoint_server import Endpoint, Reply, serving
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, SKOS, XSD

from rcsgraph import layout, resources
from rcsgraph.cli import main
from rcsgraph.graph.loading import knowledge_dataset
from rcsgraph.publish.dumps import write_from_store
from rcsgraph.store.terms import to_oxigraph

VOID = Namespace("http://rdfs.org/ns/void#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
DATASET = URIRef("https://w3id.org/rcsgraph/dataset#rcsgraph")
BUNDLES = Path(__file__).parent / "data" / "bundles"
PARSERS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig"}


@pytest.fixture(scope="module")
def server() -> Iterator[Endpoint]:
    with serving(workers=1) as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def void(server: Endpoint) -> Graph:
    reply = server.call("GET", "/.well-known/void", headers={"Accept": "text/turtle"})
    assert reply.status == 200
    return Graph().parse(data=reply.body, format="turtle")


def number(graph: Graph, subject: object, prop: URIRef) -> int:
    value = graph.value(subject, prop)  # type: ignore[arg-type]
    assert isinstance(value, Literal), (subject, prop)
    return int(value.toPython())


def one(graph: Graph, query: str) -> int:
    return int(next(iter(graph.query(query)))[0].toPython())  # type: ignore[index]


def test_dataset_figures_equal_independent_counts(void: Graph, graph: Graph) -> None:
    assert number(void, DATASET, VOID.triples) == len(graph)
    assert number(void, DATASET, VOID.distinctSubjects) == len(set(graph.subjects()))
    assert number(void, DATASET, VOID.distinctObjects) == len(set(graph.objects()))
    assert number(void, DATASET, VOID.properties) == len(set(graph.predicates()))
    assert number(void, DATASET, VOID.classes) == one(
        graph, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?x a ?c }"
    )
    entities = one(
        graph,
        """SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?c
           FILTER (STRSTARTS(STR(?x), "https://w3id.org/rcsgraph/id/")) }""",
    )
    assert number(void, DATASET, VOID.entities) == entities


def test_class_and_property_partitions(void: Graph, graph: Graph) -> None:
    classes = {
        void.value(p, VOID["class"]): number(void, p, VOID.entities)
        for p in void.objects(DATASET, VOID.classPartition)
    }
    expected = {
        c: len(set(graph.subjects(RDF.type, c))) for c in set(graph.objects(None, RDF.type))
    }
    assert classes == expected
    properties = {
        void.value(p, VOID.property): number(void, p, VOID.triples)
        for p in void.objects(DATASET, VOID.propertyPartition)
    }
    assert properties == {
        p: len(list(graph.triples((None, p, None)))) for p in set(graph.predicates())
    }


def test_linksets_to_wikidata_and_geonames(void: Graph, graph: Graph) -> None:
    def links(prefix: str, predicate: URIRef) -> int:
        return sum(1 for o in graph.objects(None, predicate) if str(o).startswith(prefix))

    found = {
        (
            str(void.value(void.value(s, VOID.objectsTarget), DCTERMS.title)),
            void.value(s, VOID.linkPredicate),
        ): number(void, s, VOID.triples)
        for s in void.subjects(RDF.type, VOID.Linkset)
    }
    assert found == {
        ("Wikidata", OWL.sameAs): links("http://www.wikidata.org/entity/", OWL.sameAs),
        ("Wikidata", SKOS.closeMatch): links("http://www.wikidata.org/entity/", SKOS.closeMatch),
        ("GeoNames", OWL.sameAs): links("https://sws.geonames.org/", OWL.sameAs),
    }
    assert found[("Wikidata", OWL.sameAs)] > 20


def test_named_graph_subsets(void: Graph) -> None:
    dataset = knowledge_dataset()
    sd_name = URIRef("http://www.w3.org/ns/sparql-service-description#name")
    found = {
        str(void.value(s, sd_name)): number(void, s, VOID.triples)
        for s in void.objects(DATASET, VOID.subset)
        if void.value(s, sd_name) is not None
    }
    assert found == {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}


def test_endpoint_and_service_are_this_server(void: Graph, server: Endpoint) -> None:
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef(server.url)
    assert (None, DCAT.endpointURL, URIRef(server.url)) in void


def fetch(server: Endpoint, url: str) -> Reply:
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == server.url.rsplit("/", 1)[0]
    return server.call("GET", parts.path)


def test_dumps_match_void_and_hold_the_graph(void: Graph, graph: Graph, server: Endpoint) -> None:
    distributions = list(void.objects(DATASET, DCAT.distribution))
    assert len(distributions) == 4
    for distribution in distributions:
        url = str(void.value(distribution, DCAT.downloadURL))
        assert (DATASET, VOID.dataDump, URIRef(url)) in void
        reply = fetch(server, url)
        assert reply.status == 200
        assert len(reply.body) == number(void, distribution, DCAT.byteSize)
        checksum = void.value(distribution, SPDX.checksum)
        assert void.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert (
            str(void.value(checksum, SPDX.checksumValue)) == hashlib.sha256(reply.body).hexdigest()
        )
        assert reply.headers["etag"] == f'"{hashlib.sha256(reply.body).hexdigest()}"'
        suffix = url.rsplit(".", 1)[1]
        assert str(void.value(distribution, DCAT.mediaType)).endswith(reply.media_type)
        if suffix == "trig":
            dumped = Dataset()
            dumped.parse(data=reply.body, format="trig")
            assert {g.identifier for g in dumped.graphs() if len(g)} >= {
                URIRef("https://w3id.org/rcsgraph/graph/article")
            }
            union = {t for g in dumped.graphs() for t in g}
            assert len(union) == number(void, DATASET, VOID.triples)
        else:
            dumped_graph = Graph().parse(data=reply.body, format=PARSERS[suffix])
            assert len(dumped_graph) == len(graph) == number(void, DATASET, VOID.triples)


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "trig"])
def test_dumps_are_what_rcsgraph_export_writes(
    server: Endpoint, capsysbinary: pytest.CaptureFixture[bytes], fmt: str
) -> None:
    assert main(["export", "--format", fmt]) == 0
    exported = capsysbinary.readouterr().out
    assert server.call("GET", f"/dumps/rcsgraph.{fmt}").body == exported


def test_checksums_file_and_conditional_get(server: Endpoint) -> None:
    sums = server.call("GET", "/dumps/SHA256SUMS").text.splitlines()
    assert len(sums) == 4
    digest, name = sums[0].split("  ")
    assert hashlib.sha256(server.call("GET", f"/dumps/{name}").body).hexdigest() == digest
    again = server.call("GET", f"/dumps/{name}", headers={"If-None-Match": f'"{digest}"'})
    assert again.status == 304
    assert server.call("GET", "/dumps/nothing.ttl").status == 404


def test_dumps_index_and_dataset_page(server: Endpoint) -> None:
    index = server.call("GET", "/dumps/").text
    assert all(f"rcsgraph.{s}" in index for s in ("ttl", "nt", "jsonld", "trig"))
    page = server.call("GET", "/dataset", headers={"Accept": "text/html"}).text
    assert "Links out" in page and "GeoNames" in page and "SHA-256" in page


LAYOUT_EXTRA = "https://w3id.org/rcsgraph/graph/extra"


def test_context_is_the_shipped_one(server: Endpoint) -> None:
    reply = server.call("GET", "/context.jsonld")
    assert reply.media_type == "application/ld+json"
    shipped = json.loads(resources.context_file().read_text(encoding="utf-8"))
    assert reply.json() == shipped


def test_dumps_of_a_store_keep_every_graph(tmp_path: Path) -> None:
    """A served store's dumps are written from its quads: same triples, graphs kept, each
    triple once in the union however many graphs hold it."""
    dataset = knowledge_dataset()
    store = ox.Store()
    store.load(dataset.serialize(format="nquads", encoding="utf-8"), ox.RdfFormat.N_QUADS)
    s, p, o = next(t for g in dataset.graphs() for t in g)
    store.add(ox.Quad(*(to_oxigraph(x) for x in (s, p, o)), ox.NamedNode(LAYOUT_EXTRA)))  # type: ignore[arg-type]
    written, _ = write_from_store(store, tmp_path)
    dumps = {d.format: (tmp_path / d.name).read_bytes() for d in written}
    union = Graph().parse(data=dumps["ttl"], format="turtle")
    assert len(union) == len({t for g in dataset.graphs() for t in g})
    assert len(dumps["nt"].splitlines()) == len(union)
    assert Graph().parse(data=dumps["nt"], format="nt").isomorphic(union)
    assert Graph().parse(data=dumps["jsonld"], format="json-ld").isomorphic(union)
    trig = Dataset()
    trig.parse(data=dumps["trig"], format="trig")
    assert {str(g.identifier) for g in trig.graphs() if len(g)} == {
        str(g.identifier) for g in dataset.graphs() if len(g)
    } | {LAYOUT_EXTRA}


@pytest.mark.slow
def test_a_served_store_publishes_its_bundles(tmp_path: Path) -> None:
    """`rcsgraph serve --store`: an added bundle's things have pages quoting its own text (from
    the store's texts folder), and the dumps are the store's, provenance graph included."""
    store = tmp_path / "store"
    assert main(["load", "--store", str(store), "--quiet"]) == 0
    assert main(["add", str(BUNDLES / "second-article.ttl"), "--store", str(store)]) == 0
    text = (BUNDLES / "second-article.txt").read_text(encoding="utf-8")
    with serving(workers=1, store=store) as server:
        page = server.call(
            "GET", "/doc/society/example-red-crescent-society", headers={"Accept": "text/html"}
        ).text
        marks = re.findall(r'<mark data-start="(\d+)" data-end="(\d+)">(.*?)</mark>', page)
        assert marks and all(unescape(m) == text[int(s) : int(e)] for s, e, m in marks)
        assert "Test fixture article of 2022-10-01" in page
        reply = server.call("GET", "/dataset.ttl")
        void = Graph().parse(data=reply.body, format="turtle")
        trig = server.call("GET", "/dumps/rcsgraph.trig").body
        sums = dict(
            line.split("  ")[::-1]
            for line in server.call("GET", "/dumps/SHA256SUMS").text.splitlines()
        )
        assert sums["rcsgraph.trig"] == hashlib.sha256(trig).hexdigest()
        assert (
            None,
            SPDX.checksumValue,
            Literal(sums["rcsgraph.trig"], datatype=XSD.hexBinary),
        ) in void
    dumped = Dataset()
    dumped.parse(data=trig, format="trig")
    names = {str(g.identifier) for g in dumped.graphs() if len(g)}
    assert {layout.PROVENANCE_GRAPH, layout.BUNDLE_BASE + "second-article"} <= names


def test_after_an_update_void_and_dumps_follow_the_data() -> None:
    """With SPARQL Update enabled nothing is cached: VoID and dumps show each write."""
    triple = (
        "<https://w3id.org/rcsgraph/id/place/x> <http://www.w3.org/2000/01/rdf-schema#label> 'x'"
    )
    with serving(workers=1, update_token="secret") as server:
        before = Graph().parse(data=server.call("GET", "/dataset.ttl").body, format="turtle")
        insert = f"INSERT DATA {{ GRAPH <https://w3id.org/rcsgraph/graph/extra> {{ {triple} }} }}"
        assert server.update(insert, token="secret").status == 200
        after = Graph().parse(data=server.call("GET", "/dataset.ttl").body, format="turtle")
        assert number(after, DATASET, VOID.triples) == number(before, DATASET, VOID.triples) + 1
        nt = server.call("GET", "/dumps/rcsgraph.nt").body
        sums = server.call("GET", "/dumps/SHA256SUMS").text
    assert b"<https://w3id.org/rcsgraph/id/place/x>" in nt
    assert f"{hashlib.sha256(nt).hexdigest()}  rcsgraph.nt" in sums
