"""``rcsgraph.web.cache``: kept answers of an immutable store, ETag and 304."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from rcsgraph.web import create_app
from rcsgraph.web.cache import AnswerCache, answers_version
from rcsgraph.web.cache_keys import LARGEST_BODY
from rcsgraph.web.shared_cache import SharedAnswers, server_folder

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


class Counting:
    """A WSGI application that counts its calls and answers with ``headers`` and ``body``."""

    def __init__(self, body: bytes = b"page", status: str = "200 OK", **headers: str) -> None:
        self.calls, self.body, self.status = 0, body, status
        self.headers = [("Content-Type", "text/html"), ("Vary", "Accept")]
        self.headers += [(k.replace("_", "-"), v) for k, v in headers.items()]

    def __call__(self, environ: dict[str, object], start_response: object) -> list[bytes]:
        self.calls += 1
        start_response(self.status, list(self.headers))  # type: ignore[operator]
        return [self.body]


def ask(cache: AnswerCache, path: str = "/doc/x", method: str = "GET", **headers: str):  # type: ignore[no-untyped-def]
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": ""}
    environ.update({"HTTP_" + k.upper(): v for k, v in headers.items()})
    seen: dict[str, object] = {}

    def start_response(status: str, given: list[tuple[str, str]], exc_info: object = None) -> None:
        seen["status"], seen["headers"] = status, dict(given)

    body = b"".join(cache(environ, start_response))
    return int(str(seen["status"])[:3]), seen["headers"], body


def test_every_get_is_kept_and_a_hit_does_not_reach_the_application() -> None:
    app = Counting()
    cache = AnswerCache(app, "v")
    first = ask(cache, "/doc/country/irn")
    second = ask(cache, "/doc/country/irn")
    assert first == second and first[0] == 200 and first[2] == b"page"
    assert app.calls == 1
    assert ask(cache, "/doc/country/irn", accept="text/turtle")[0] == 200
    assert app.calls == 2  # another Accept, another answer


def test_revalidation_star_and_head() -> None:
    app = Counting()
    cache = AnswerCache(app, "v")
    _, headers, _ = ask(cache)
    etag = headers["ETag"]  # type: ignore[index]
    assert ask(cache, if_none_match=etag)[0] == 304
    assert ask(cache, if_none_match="*")[0] == 304
    assert ask(cache, method="HEAD", if_none_match=etag)[0] == 304
    head = ask(cache, method="HEAD")
    assert head[0] == 200 and head[2] == b"" and head[1]["ETag"] == etag  # type: ignore[index]
    assert app.calls == 1
    other = AnswerCache(Counting(), "v")  # another process of the same server
    assert ask(other, if_none_match=etag)[0] == 304
    assert ask(AnswerCache(Counting(), "w"), if_none_match=etag)[0] == 200  # another generation


def test_no_cache_evaluates_afresh_and_keeps_no_store_bypasses() -> None:
    app = Counting()
    cache = AnswerCache(app, "v")
    ask(cache)
    ask(cache, cache_control="no-cache")
    assert app.calls == 2
    ask(cache, cache_control="no-store")
    assert app.calls == 3
    ask(cache)
    assert app.calls == 3


@pytest.mark.parametrize(
    ("app", "kept"),
    [
        (Counting(status="404 NOT FOUND"), False),
        (Counting(status="503 SERVICE UNAVAILABLE"), False),
        (Counting(X_Rcsgraph_No_Cache="1"), False),
        (Counting(Vary="Accept, Cookie"), False),
        (Counting(body=b"x" * 5000), False),  # over `largest`: streamed through
        (Counting(ETag='"own"'), True),
    ],
)
def test_what_is_not_kept(app: Counting, kept: bool) -> None:
    cache = AnswerCache(app, "v", capacity=100_000, largest=4096)
    first = ask(cache)
    assert ask(cache) == first
    assert app.calls == (1 if kept else 2)
    assert "X-Rcsgraph-No-Cache" not in first[1]  # type: ignore[operator]
    if kept:
        assert first[1]["ETag"] == '"own"'  # type: ignore[index]


def test_concurrent_misses_evaluate_once() -> None:
    import threading
    import time

    class Slow(Counting):
        def __call__(self, environ: dict[str, object], start_response: object) -> list[bytes]:
            time.sleep(0.2)
            return super().__call__(environ, start_response)

    app = Slow()
    cache = AnswerCache(app, "v")
    threads = [threading.Thread(target=ask, args=(cache,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert app.calls == 1


def test_the_processes_of_a_server_share_what_they_keep(tmp_path: Path) -> None:
    first_app, second_app = Counting(body=b"one"), Counting(body=b"two")
    first = AnswerCache(first_app, "v", shared=SharedAnswers(tmp_path))
    second = AnswerCache(second_app, "v", shared=SharedAnswers(tmp_path))
    made = ask(first, "/doc/society/x")
    assert ask(second, "/doc/society/x") == made  # the first process's answer, not evaluated
    assert second_app.calls == 0 and made[2] == b"one"
    assert ask(second, "/doc/society/x", if_none_match=made[1]["ETag"])[0] == 304  # type: ignore[index]
    assert ask(second, "/doc/society/x", cache_control="no-cache")[2] == b"two"
    assert second_app.calls == 1
    assert ask(second, "/doc/other")[2] == b"two"  # what nobody kept is evaluated
    assert (
        ask(AnswerCache(Counting(), "w", shared=SharedAnswers(tmp_path)), "/doc/society/x")[2]
        == b"page"
    )  # another generation: another tag


def test_a_shared_answer_goes_when_the_cache_that_made_it_drops_it(tmp_path: Path) -> None:
    def app(environ: dict[str, object], start_response: object) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])  # type: ignore[operator]
        return [str(environ["QUERY_STRING"]).encode() * 10]

    shared = SharedAnswers(tmp_path / "answers")
    shared.folder.mkdir()
    cache = AnswerCache(app, "v", capacity=2000, shared=shared)
    for n in range(40):
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/sparql", "QUERY_STRING": f"q={n}"}
        b"".join(cache(environ, lambda *args: None))
    files = sorted(p.stem for p in shared.folder.iterdir())
    assert 0 < len(files) == len(cache.kept) < 40  # bounded by what the cache holds
    assert files == sorted(kept.tag.strip('"') for kept in cache.kept.values())
    shared.close()
    assert not shared.folder.exists()


def test_a_damaged_shared_answer_is_evaluated_again(tmp_path: Path) -> None:
    app = Counting()
    cache = AnswerCache(app, "v", shared=SharedAnswers(tmp_path))
    tag = cache._etag(("", "", "", "/doc/x", "", ""))
    (tmp_path / (tag.strip('"') + ".answer")).write_bytes(b"not json\nbody")
    assert ask(cache)[2] == b"page" and app.calls == 1


def test_the_shared_folder_is_private_to_its_server(tmp_path: Path) -> None:
    import os
    import subprocess

    ended = subprocess.Popen(["true"])  # a server that no longer runs left its folder
    ended.wait()
    left = tmp_path / f"rcsgraph-answers-{ended.pid}-0"
    left.mkdir()
    (left / "x.answer").write_bytes(b"left behind")
    folder = server_folder("v", tmp_path)
    assert folder is not None and folder.is_dir()
    assert folder.stat().st_mode & 0o777 == 0o700
    assert not left.exists()  # removed by the next server to start
    assert server_folder("v", tmp_path) == folder  # the other processes find the same one
    os.chmod(folder, 0o777)  # another user could have written into it: not used
    assert server_folder("v", tmp_path) is None


class Echo(Counting):
    """Answers with the body it was sent, as a SPARQL endpoint's answer depends on it."""

    def __call__(self, environ: dict[str, object], start_response: object) -> list[bytes]:
        self.body = environ["wsgi.input"].read()  # type: ignore[attr-defined]
        return super().__call__(environ, start_response)


def post(cache: AnswerCache, body: bytes, kind: str = "application/sparql-query", **more: str):  # type: ignore[no-untyped-def]
    import io

    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/sparql", "QUERY_STRING": ""}
    environ.update({"CONTENT_TYPE": kind, "CONTENT_LENGTH": str(len(body))})
    environ.update({"wsgi.input": io.BytesIO(body), **more})  # type: ignore[dict-item]
    seen: list[str] = []
    answer = b"".join(cache(environ, lambda status, headers, exc=None: seen.append(status)))
    return int(seen[0][:3]), answer


def test_a_posted_query_is_kept_like_the_same_get() -> None:
    app = Echo()
    cache = AnswerCache(app, "v")
    assert post(cache, b"ASK {}") == post(cache, b"ASK {}") == (200, b"ASK {}")
    assert app.calls == 1
    assert post(cache, b"ASK { ?s ?p ?o }")[1] == b"ASK { ?s ?p ?o }"  # another query
    form = "application/x-www-form-urlencoded"
    assert post(cache, b"query=ASK%7B%7D", form) == post(cache, b"query=ASK%7B%7D", form)
    assert app.calls == 3
    post(cache, b"ASK {}", HTTP_CACHE_CONTROL="no-cache")
    assert app.calls == 4


@pytest.mark.parametrize(
    ("body", "more"),
    [
        (b"update=INSERT+DATA+%7B%7D", {"CONTENT_TYPE": "application/x-www-form-urlencoded"}),
        (b"INSERT DATA {}", {"CONTENT_TYPE": "application/sparql-update"}),
        (b"ASK {}", {"PATH_INFO": "/other"}),
        (b"ASK {}", {"CONTENT_LENGTH": ""}),  # chunked: not read here
        (b"ASK {}", {"HTTP_IF_NONE_MATCH": "*"}),
        (b"ASK {}", {"HTTP_CACHE_CONTROL": "no-store"}),
        (b"#" * (LARGEST_BODY + 1), {}),
    ],
)
def test_what_posts_are_not_kept(body: bytes, more: dict[str, str]) -> None:
    app = Echo()
    cache = AnswerCache(app, "v")
    for _ in range(2):
        assert post(cache, body, **more) == (200, body)  # the application got it all, as sent
    assert app.calls == 2
