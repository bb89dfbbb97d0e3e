"""The remote backend and push, against real servers started here (see ``servers.py``).

The bundled knowledge graph is pushed into each server; then the differential queries of
``test_engines`` give the same answers through ``RemoteStore`` as on the embedded Oxigraph
store. Numbers compare by value (``test_engines.canonical``): servers may type the same count
as xsd:integer or xsd:int.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from servers import Server, free_port, oxigraph_server, virtuoso_server
from test_engines import PREFIXES, QUERIES, canonical

from rcsgraph.cli import main
from rcsgraph.errors import InputError, QuerySyntaxError, StoreError
from rcsgraph.graph.loading import fill_store
from rcsgraph.layout import GRAPH_BASE
from rcsgraph.publish.describe import describe
from rcsgraph.store import OxigraphStore, Results, generations
from rcsgraph.store.binding import bind
from rcsgraph.store.push import push
from rcsgraph.store.remote import RemoteStore
from rcsgraph.store.terms import to_oxigraph

pytestmark = pytest.mark.slow

#: Answers a server is known to get wrong, with the reason; each must still be wrong (strict).
KNOWN_WRONG = {
    ("virtuoso", "exists-bind"): "Virtuoso 7.2 drops FILTER NOT EXISTS from a group with a BIND",
}
EXAMPLE = "http://example.org/"
#: Literals that must reach the server and come back unchanged when bound.
AWKWARD_LITERALS = [
    Literal('a "quoted" word'),
    Literal("back\\slash and C:\\users\\u0041"),
    Literal("two\nlines\r\nand a tab\t"),
    Literal('ends with a quote"'),
    Literal('three """ quotes'),
    Literal("} ; DROP ALL ; {"),
    Literal("# not a comment"),
    Literal("Hilāl-e Aḥmar 🌙", lang="fa-Latn"),
    Literal("1922", datatype=URIRef("http://www.w3.org/2001/XMLSchema#gYear")),
]


@pytest.fixture(scope="module")
def local() -> OxigraphStore:
    store = OxigraphStore()
    fill_store(store)
    return store


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    start = oxigraph_server if request.param == "oxigraph" else virtuoso_server
    with start(tmp_path_factory.mktemp(request.param)) as running:
        yield running


@pytest.fixture(scope="module")
def pushed(server: Server, local: OxigraphStore) -> dict[str, int]:
    return push(local, server.gsp_url, server.user, server.password)


@pytest.fixture
def remote(server: Server, pushed: dict[str, int]) -> RemoteStore:
    return RemoteStore(
        server.query_url,
        update_url=server.update_url,
        gsp_url=server.gsp_url,
        user=server.user,
        password=server.password,
    )


def test_push_copies_every_graph_with_its_count(
    pushed: dict[str, int], local: OxigraphStore, remote: RemoteStore
) -> None:
    assert pushed == {graph: local.count(graph) for graph in local.graphs()}
    assert remote.graphs() == local.graphs()
    assert [remote.count(g) for g in local.graphs()] == [local.count(g) for g in local.graphs()]
    assert remote.count() == local.count()


def test_every_quad_comes_back_unchanged(local: OxigraphStore, remote: RemoteStore) -> None:
    query = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    ours = set(local.query(query).rows)
    assert {row for row in remote.query(query).rows if str(row[0]).startswith(GRAPH_BASE)} == ours


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_queries_agree_with_the_embedded_store(
    request: pytest.FixtureRequest,
    server: Server,
    local: OxigraphStore,
    remote: RemoteStore,
    name: str,
) -> None:
    if (server.name, name) in KNOWN_WRONG:
        wrong = pytest.mark.xfail(reason=KNOWN_WRONG[server.name, name], strict=True)
        request.node.add_marker(wrong)
    query = PREFIXES + QUERIES[name]
    assert canonical(only_our_graphs(remote.query(query))) == canonical(local.query(query))


def test_export_of_one_graph_and_of_all(local: OxigraphStore, remote: RemoteStore) -> None:
    graph = GRAPH_BASE + "links"
    assert sorted(remote.export("nt", graph).splitlines()) == sorted(
        local.export("nt", graph).splitlines()
    )
    assert len(remote.export("nquads").splitlines()) == local.count()


def test_bound_parameters_give_the_embedded_answers(
    local: OxigraphStore, remote: RemoteStore
) -> None:
    query = PREFIXES + "SELECT ?society ?year WHERE { ?society rcs:founded ?year }"
    society = URIRef("https://w3id.org/rcsgraph/id/society/iranian-red-crescent-society")
    answer = remote.query(query, {"society": society})
    assert canonical(answer) == canonical(local.query(query, {"society": society}))
    assert [str(row[1]) for row in answer.rows] == ["1922"]
    label = Literal("Iraqi Red Crescent Society", lang="en")
    query = PREFIXES + "SELECT ?s ?label WHERE { ?s skos:prefLabel ?label }"
    assert canonical(remote.query(query, {"label": label})) == canonical(
        local.query(query, {"label": label})
    )


def test_bound_parameters_hold_inside_ask_and_construct(remote: RemoteStore) -> None:
    society = URIRef("https://w3id.org/rcsgraph/ontology#Society")
    query = "ASK { ?s a ?class }"
    assert remote.query(query, {"class": society}).boolean is True
    assert remote.query(query, {"class": URIRef(EXAMPLE + "Nothing")}).boolean is False
    built = remote.query("CONSTRUCT { ?s a ?class } WHERE { ?s a ?class }", {"class": society})
    assert len(built.triples) == 2


@pytest.fixture
def awkward_graph(remote: RemoteStore) -> Iterator[str]:
    """A graph holding one subject per awkward literal, removed afterwards."""
    graph = EXAMPLE + "graph/awkward"
    triples = [
        ox.Triple(ox.NamedNode(f"{EXAMPLE}s{i}"), ox.NamedNode(EXAMPLE + "p"), to_oxigraph(value))
        for i, value in enumerate(AWKWARD_LITERALS)
    ]
    remote.load(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", "nt", graph)
    yield graph
    remote.clear(graph)


@pytest.mark.parametrize("index", range(len(AWKWARD_LITERALS)))
def test_a_bound_literal_matches_exactly_its_stored_twin(
    remote: RemoteStore, awkward_graph: str, index: int
) -> None:
    query = f"SELECT ?s ?value WHERE {{ ?s <{EXAMPLE}p> ?value }}"
    answer = remote.query(query, {"value": AWKWARD_LITERALS[index]})
    assert answer.rows == ((URIRef(f"{EXAMPLE}s{index}"), AWKWARD_LITERALS[index]),)


def test_writing_through_sparql_update_alone(server: Server) -> None:
    """No Graph Store URL: INSERT DATA, CONSTRUCT and DROP instead."""
    updating = RemoteStore(
        server.query_url,
        update_url=server.update_url,
        user=server.user,
        password=server.password,
        graphs_under=EXAMPLE,
    )
    graph = EXAMPLE + "graph/updated"
    triples = [
        ox.Triple(ox.NamedNode(f"{EXAMPLE}s{i}"), ox.NamedNode(EXAMPLE + "p"), to_oxigraph(value))
        for i, value in enumerate(AWKWARD_LITERALS)
    ]
    updating.load(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", "nt", graph)
    assert updating.graphs() == [graph]
    exported = ox.parse(updating.export("nt", graph), ox.RdfFormat.N_TRIPLES)
    assert {quad.triple for quad in exported} == set(triples)
    updating.clear(graph)
    assert updating.graphs() == []


def test_clear_removes_a_graph_and_forgives_a_missing_one(remote: RemoteStore) -> None:
    graph = EXAMPLE + "graph/cleared"
    remote.load(f"<{EXAMPLE}a> <{EXAMPLE}b> <{EXAMPLE}c> .".encode(), "nt", graph)
    assert remote.query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").boolean is True
    remote.clear(graph)
    remote.clear(graph)
    assert remote.query(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").boolean is False


def test_a_malformed_query_is_a_syntax_error_with_the_servers_message(
    remote: RemoteStore,
) -> None:
    with pytest.raises(QuerySyntaxError) as error:
        remote.query("SELECT ?s WHERE { ?s ?p }")
    assert str(error.value) and "\n" not in str(error.value)


def test_a_wrong_password_is_refused(server: Server, local: OxigraphStore) -> None:
    if server.user is None:
        pytest.skip(f"{server.name} asks for no password")
    with pytest.raises(StoreError, match="access refused"):
        push(local, server.gsp_url, server.user, "wrong")


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk store of the bundled graph."""
    path = tmp_path_factory.mktemp("store")
    generations.write_generation(path, lambda store, _previous: fill_store(store))
    return path


def test_push_command(
    capsys: pytest.CaptureFixture[str], server: Server, store_path: Path, local: OxigraphStore
) -> None:
    argv = ["push", "--store", str(store_path), "--gsp", server.gsp_url]
    if server.user is not None:
        argv += ["--user", server.user, "--password", server.password or ""]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert f"{local.count(GRAPH_BASE + 'article')}\t{GRAPH_BASE}article" in out
    assert f"pushed {local.count()} triples in 3 graphs" in out.splitlines()[-1]

    if server.user is not None:
        assert main([*argv[:-1], "wrong"]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "access refused (HTTP 401)" in err


# Failures that need no running server.


def dead_url() -> str:
    return f"http://127.0.0.1:{free_port()}/sparql"


def test_a_dead_server_is_a_store_error_naming_the_url() -> None:
    url = dead_url()
    with pytest.raises(StoreError, match=re.escape(url)):
        RemoteStore(url).query("ASK {}")


def test_push_command_to_a_dead_or_bad_url(
    capsys: pytest.CaptureFixture[str], store_path: Path
) -> None:
    assert main(["push", "--store", str(store_path), "--gsp", dead_url()]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "refused" in err
    assert main(["push", "--store", str(store_path), "--gsp", "ftp://example.org/gsp"]) == 2
    assert "not an http(s) URL" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("query", "bound"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT * WHERE { VALUES"),
        ('SELECT ("{" AS ?x) ?where { ?s ?p ?o }', "?where { VALUES"),
        ("# {\nPREFIX ex: <http://example.org/#>\nASK{?s ?p ?o}", "ASK{ VALUES"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "} WHERE { VALUES"),
        ("CONSTRUCT { ?s ?p ?o } { { SELECT * { ?s ?p ?o } } }", "} { VALUES"),
    ],
)
def test_bound_values_open_the_where_group(query: str, bound: str) -> None:
    text = bind(query, {"s": URIRef(EXAMPLE + "s")})
    assert bound in text and text.count("VALUES") == 1
    assert text.replace(f" VALUES (?s) {{ (<{EXAMPLE}s>) }}\n", "") == query


def test_a_construct_without_template_cannot_take_bindings() -> None:
    with pytest.raises(QuerySyntaxError):
        bind("CONSTRUCT WHERE { ?s ?p ?o }", {"s": URIRef(EXAMPLE + "s")})


@pytest.mark.parametrize(
    "bindings",
    [
        {"s": BNode()},
        {"s": URIRef("http://example.org/a b")},
        {"s": URIRef("http://example.org/a>} ; DROP ALL")},
        {"s": URIRef("relative/iri")},
        {"s": Literal("x", datatype=URIRef("http://example.org/a>b"))},
        {"not a variable": Literal("x")},
    ],
    ids=["blank-node", "space", "iri-breakout", "relative", "datatype", "variable-name"],
)
def test_unsafe_bindings_are_refused_before_sending(bindings: dict[str, object]) -> None:
    with pytest.raises(InputError):
        RemoteStore(dead_url()).query("SELECT ?s WHERE { ?s ?p ?o }", bindings)  # type: ignore[arg-type]


def test_writing_without_a_write_endpoint_says_so() -> None:
    with pytest.raises(StoreError, match="read-only"):
        RemoteStore(dead_url()).update("CLEAR ALL")


def only_our_graphs(results: Results) -> Results:
    """Without the rows about a server's own graphs (Virtuoso keeps system graphs)."""
    if "g" not in results.variables:
        return results
    column = results.variables.index("g")
    rows = tuple(row for row in results.rows if str(row[column]).startswith(GRAPH_BASE))
    return Results(results.kind, results.variables, rows, results.boolean, results.triples)


def test_serving_a_remote_endpoint_answers_like_the_embedded_store(
    server: Server, pushed: dict[str, int]
) -> None:
    """`rcsgraph serve --endpoint URL`: the same endpoint and catalogue over a remote store."""
    import json
    import threading
    import urllib.request

    import waitress
    from servers import free_port
    from waitress import wasyncore

    from rcsgraph.web import create_app

    remote_app = create_app({"endpoint": server.query_url, "workers": 1})
    local_app = create_app({"workers": 1})
    answers = []
    for app in (remote_app, local_app):
        port = free_port()
        http = waitress.create_server(app, host="127.0.0.1", port=port, threads=2)
        loop = threading.Thread(target=http.run, daemon=True)
        loop.start()
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/queries/facility-countries.json", timeout=60
            ) as response:
                answers.append(json.loads(response.read()))
        finally:
            # Closed from the server's own loop (its trigger runs the function there): closing
            # its sockets from this thread raced the loop's select() (EBADF in the loop thread).
            http.trigger.pull_trigger(lambda h=http: wasyncore.close_all(h._map))
            loop.join(10)
            http.task_dispatcher.shutdown()
            app.extensions["rcsgraph"].pool.close()
    remote_rows, local_rows = (
        sorted(json.dumps(b, sort_keys=True) for b in a["results"]["bindings"]) for a in answers
    )
    assert len(local_rows) == 13 and remote_rows == local_rows


def test_push_command_reads_the_password_from_the_environment(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    server: Server,
    store_path: Path,
) -> None:
    """The password need not be on the command line, where every user's `ps` shows it."""
    if server.user is None:
        pytest.skip(f"{server.name} asks for no password")
    argv = ["push", "--store", str(store_path), "--gsp", server.gsp_url, "--user", server.user]
    monkeypatch.setenv("RCSGRAPH_PUSH_PASSWORD", "wrong")
    assert main(argv) == 1  # the store refused: not the user's input
    assert "access refused" in capsys.readouterr().err
    monkeypatch.setenv("RCSGRAPH_PUSH_PASSWORD", server.password or "")
    assert main(argv) == 0


@pytest.mark.parametrize(
    "rest", ["society/iranian-red-crescent-society", "country/congo", "country/irn"]
)
def test_descriptions_agree_with_the_embedded_store(
    local: OxigraphStore, remote: RemoteStore, rest: str
) -> None:
    """A description's two queries (UNIONs of subqueries, each with its own VALUES row) mean
    the same to every server: what `serve --endpoint` shows is what the embedded store shows."""
    thing = URIRef("https://w3id.org/rcsgraph/id/" + rest)
    ours, theirs = (describe(store, thing) for store in (local, remote))
    assert set(theirs.statements) == set(ours.statements)
    assert len(ours.statements) > 20 and ours.claims == theirs.claims
