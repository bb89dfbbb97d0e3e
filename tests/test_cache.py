"""``rcsgraph.web.cache``: kept answers of an immutable store, ETag and 304."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from rcsgraph.web import create_app
from rcsgraph.web.cache import AnswerCache, answers_version

DATA = '@prefix ex: <http://example.org/> .\nex:a ex:name "A" .\n'
QUERY = {"query": "SELECT ?s WHERE { ?s ?p ?o }"}
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    folder: Path = tmp_path_factory.mktemp("cache")
    (folder / "one.ttl").write_text(DATA, encoding="utf-8")
    served = create_app({"graphs": {"http://example.org/g": str(folder / "one.ttl")}, "workers": 1})
    yield served
    served.extensions["rcsgraph"].pool.close()


def test_an_answer_carries_an_etag_and_a_matching_request_gets_304(app: Flask) -> None:
    client = app.test_client()
    first = client.get("/sparql", query_string=QUERY, headers=JSON)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    again = client.get("/sparql", query_string=QUERY, headers={**JSON, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["ETag"] == etag
    assert again.data == b""


def test_a_kept_answer_is_the_same_answer(app: Flask) -> None:
    client = app.test_client()
    first = client.get("/sparql", query_string=QUERY, headers=JSON)
    kept = client.get("/sparql", query_string=QUERY, headers=JSON)
    fresh = client.get("/sparql", query_string=QUERY, headers={**JSON, "Cache-Control": "no-cache"})
    assert first.data == kept.data == fresh.data
    assert first.headers["ETag"] == kept.headers["ETag"] == fresh.headers["ETag"]
    assert kept.headers["Content-Type"] == first.headers["Content-Type"]
    assert kept.headers["Access-Control-Allow-Origin"] == "*"


def test_the_tag_depends_on_the_accepted_format(app: Flask) -> None:
    client = app.test_client()
    as_json = client.get("/sparql", query_string=QUERY, headers=JSON)
    as_csv = client.get("/sparql", query_string=QUERY, headers={"Accept": "text/csv"})
    assert as_json.headers["ETag"] != as_csv.headers["ETag"]
    stale = client.get(
        "/sparql",
        query_string=QUERY,
        headers={"Accept": "text/csv", "If-None-Match": as_json.headers["ETag"]},
    )
    assert stale.status_code == 200


def test_errors_are_not_kept_and_carry_no_tag(app: Flask) -> None:
    client = app.test_client()
    for _ in range(2):
        reply = client.get("/sparql", query_string={"query": "SELECT WHERE {"})
        assert reply.status_code == 400
        assert "ETag" not in reply.headers


def test_writable_or_remote_stores_are_not_cached() -> None:
    assert answers_version({"kind": "disk", "path": "/x", "writable": True}) is None
    assert answers_version({"kind": "remote", "url": "http://example.org/sparql"}) is None
    assert str(answers_version({"kind": "disk", "path": "/x/g-1"})).startswith("/x/g-1\x00")


def test_the_cache_keeps_within_its_capacity() -> None:
    def app(environ: dict[str, object], start_response: object) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])  # type: ignore[operator]
        return [str(environ["QUERY_STRING"]).encode() * 10]

    cache = AnswerCache(app, "v", capacity=100)
    for n in range(20):
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/sparql", "QUERY_STRING": f"q={n}"}
        assert b"".join(cache(environ, lambda *args: None)) == f"q={n}".encode() * 10
    assert cache.size <= 100
    assert len(cache.kept) == cache.size // 30
