"""The wire between the web process and a query worker (``rcsgraph.sparql.job``)."""

import socket
import threading

import pytest
from rdflib import Literal, URIRef

from rcsgraph.sparql.job import (
    Job,
    decode_job,
    decode_reply,
    encode_job,
    encode_reply,
    read_message,
    write_message,
)
from rcsgraph.sparql.results import Answer


def test_a_plain_job_comes_back_equal_without_pickle() -> None:
    job = Job(
        kind="query",
        text="SELECT * { ?s ?p ?o }",
        media_type="application/sparql-results+json",
        limit=5,
        form="SELECT",
        star=(7, 8),
        variables=("s", "p", "o"),
        default_graphs=("https://example.org/g",),
        base_iri="http://localhost/sparql",
        union_default=False,
        columns=("s",),
    )
    data = encode_job(job)
    assert data[:1] == b"J"  # marshalled: no class to look up, no pickle
    assert decode_job(data) == job


def test_a_job_with_bound_terms_is_pickled() -> None:
    job = Job(kind="query", text="SELECT ?o { ?s ?p ?o }", bindings={"s": URIRef("urn:x:1")})
    data = encode_job(job)
    assert data[:1] == b"P"
    assert decode_job(data).bindings == {"s": URIRef("urn:x:1")}


def test_an_answer_travels_as_its_header_then_its_body() -> None:
    answer = Answer("text/csv", b"a\r\n1\r\n", rows=1, truncated=True, headers={"X-Row-Cap": "1"})
    parts = encode_reply(("ok", answer))
    assert parts[1] is answer.body  # not copied on the worker's side
    status, back = decode_reply(b"".join(parts))
    assert status == "ok" and back == answer


@pytest.mark.parametrize(
    "reply",
    [("syntax", "error at 1:2: expected"), ("ok", ["urn:g:1"]), ("ok", [{"o": Literal(1)}])],
)
def test_other_replies_come_back_equal(reply: tuple[str, object]) -> None:
    assert decode_reply(b"".join(encode_reply(reply))) == reply


def test_a_large_message_is_read_whole_across_many_reads() -> None:
    left, right = socket.socketpair()
    body = bytes(range(256)) * 40_000  # 10 MB: far more than one read or the socket's buffer
    parts = encode_reply(("ok", Answer("text/plain", body)))
    writer = threading.Thread(target=write_message, args=(left.fileno(), parts))
    writer.start()
    received = read_message(right.fileno())
    writer.join()
    assert decode_reply(received)[1].body == body
    left.close()
    with pytest.raises(EOFError):
        read_message(right.fileno())
    right.close()
