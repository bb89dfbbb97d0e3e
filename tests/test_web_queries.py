"""The catalogue over HTTP (live server on loopback): same rows as the CLI, formats, errors,
OpenAPI and the queries as RDF."""

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from endpoint_server import serving
from openapi_spec_validator import validate
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH

from rcsgraph.cli import main
from rcsgraph.queries import load_catalogue

CATALOGUE = load_catalogue()


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serving(workers=1, threads=4) as endpoint:
        yield endpoint.url.removesuffix("/sparql")


def get(url: str, accept: str | None = None) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def cli(capsysbinary: pytest.CaptureFixture[bytes], *argv: str) -> bytes:
    assert main(list(argv)) == 0
    return capsysbinary.readouterr().out


def comparable(document: dict[str, Any]) -> dict[str, Any]:
    """The document as it is: GROUP_CONCAT lists come in one order (their queries sort them)."""
    return document


def example_args(name: str) -> list[str]:
    query = CATALOGUE[name]
    return [f"{p.name}={p.example}" for p in query.params if p.default is None]


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_http_and_cli_give_the_same_answer(
    base: str, capsysbinary: pytest.CaptureFixture[bytes], name: str
) -> None:
    params = example_args(name)
    query_string = "&".join(params)
    flags = [flag for p in params for flag in ("-p", p)]
    if CATALOGUE[name].form == "SELECT":
        status, media, body = get(f"{base}/queries/{name}.json?{query_string}")
        assert status == 200 and media.startswith("application/sparql-results+json")
        ours = json.loads(cli(capsysbinary, "query", name, *flags, "--format", "json"))
        assert comparable(json.loads(body)) == comparable(ours)
        assert json.loads(body)["head"]["vars"] == list(CATALOGUE[name].columns)
    else:
        status, _, body = get(f"{base}/queries/{name}?{query_string}", "text/turtle")
        ours = cli(capsysbinary, "query", name, *flags, "--format", "ttl")
        assert status == 200
        assert isomorphic(
            Graph().parse(data=body, format="turtle"), Graph().parse(data=ours, format="turtle")
        )


def test_index_lists_every_query(base: str) -> None:
    status, _, body = get(f"{base}/queries", "application/json")
    assert status == 200 and {q["name"] for q in json.loads(body)} == set(CATALOGUE)
    status, media, page = get(f"{base}/queries", "text/html")
    assert status == 200 and media.startswith("text/html") and b"facility-countries" in page


@pytest.mark.parametrize("suffix", ["csv", "tsv", "xml"])
def test_select_formats_by_suffix(base: str, suffix: str) -> None:
    status, media, body = get(f"{base}/queries/facility-countries.{suffix}")
    assert status == 200
    short = media.replace("tab-separated-values", "tsv")
    assert body.count(b"Afghanistan") == 1 and suffix in short


def test_csv_with_hxl_hashtags(base: str) -> None:
    _, _, body = get(f"{base}/queries/facility-countries.csv?hxl=1")
    lines = body.decode().splitlines()
    assert lines[0] == "country,label,iso2,wikidata,facilities"
    assert lines[1].startswith("#country+uri,") and len(lines) == 15


def test_html_page_has_a_form_and_a_table(base: str) -> None:
    status, _, body = get(f"{base}/queries/countries-in-region?region=Asia", "text/html")
    text = body.decode()
    assert status == 200 and '<select id="region" name="region">' in text
    table = text[text.index("<table>") : text.index("</table>")]
    assert "Azerbaijan" in table and "Kenya" not in table  # the map names every country
    assert 'class="mark result"' in text  # the query's declared view: a map


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/queries/evidence", 400, b"needs the parameter resource"),
        ("/queries/evidence?resource=not%20an%20iri", 400, b"resource must be an absolute IRI"),
        ("/queries/stated-figures?min=many", 400, b"min must be an integer"),
        ("/queries/countries-in-region?region=Europe", 400, b"region must be one of"),
        ("/queries/facility-countries?colour=red", 400, b"no parameter 'colour'"),
        ("/queries/no-such-query", 404, b"no query named"),
    ],
)
def test_parameter_errors_name_the_parameter(
    base: str, path: str, status: int, message: bytes
) -> None:
    got, _, body = get(base + path, "application/sparql-results+json")
    assert got == status and message in body


def test_unacceptable_format_is_406(base: str) -> None:
    assert get(f"{base}/queries/societies", "image/png")[0] == 406
    assert get(f"{base}/queries/society-profile.csv")[0] == 406


def test_openapi_document_validates_and_lists_every_query(base: str) -> None:
    status, _, body = get(f"{base}/openapi.json")
    document = json.loads(body)
    validate(document)
    assert status == 200
    assert {p for p in document["paths"] if "." not in p} == {f"/queries/{n}" for n in CATALOGUE}


def test_queries_as_sparql_examples(base: str) -> None:
    status, _, body = get(f"{base}/.well-known/sparql-examples", "text/turtle")
    graph = Graph().parse(data=body, format="turtle")
    assert status == 200
    assert len(set(graph.subjects(RDF.type, SH.SPARQLExecutable))) == len(CATALOGUE)


def test_the_catalogue_page_opens_its_query_in_the_editor(base: str) -> None:
    _, _, page = get(f"{base}/queries/societies", "text/html")
    link = page.decode().split('href="/sparql?')[1].split('"')[0].replace("&amp;", "&")
    status, media, editor = get(f"{base}/sparql?{link}", "text/html")
    assert status == 200 and media.startswith("text/html")
    assert "SELECT ?society ?label" in editor.decode() and "<textarea" in editor.decode()
