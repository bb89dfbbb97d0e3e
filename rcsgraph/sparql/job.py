"""A job for a query worker: what to run and how to write its answer.

Sent over the pipe from the web process (``rcsgraph.sparql.executor``) to a worker
(``rcsgraph.sparql.worker``); both import it, neither imports the other at module level. The
wire format of jobs and replies is here too, so that both sides read what the other wrote.
"""

import marshal
import os
import pickle
from dataclasses import dataclass, field, fields
from typing import Any

from rcsgraph.sparql.results import Answer


@dataclass(frozen=True)
class Job:
    """One request for a worker: what to run and how to write the answer."""

    kind: str  # "query" or "update"
    text: str
    media_type: str = ""
    cap: int = 10_000
    limit: int | None = None
    form: str | None = None  # SELECT, ASK, CONSTRUCT or DESCRIBE, as the request was scanned
    star: tuple[int, int] | None = None
    variables: tuple[str, ...] = ()
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None
    union_default: bool = True  # no dataset given: the default graph is the union of all graphs
    bindings: dict[str, Any] = field(default_factory=dict)  # variable -> rdflib term, pre-bound
    columns: tuple[str, ...] | None = None  # the variables to return (None: all of them)
    extra: dict[str, Any] = field(default_factory=dict)


# The wire between the web process and a worker. Every message is its length (8 bytes) and
# then its bytes, read and written with plain system calls on the pipe's descriptor: a lookup's
# round trip is mostly fixed costs, and multiprocessing's Connection spent more Python on each
# message (a selector built per wait, two reads, a pickle of a dataclass) than the worker spent
# on the answer's bytes. A job that carries only strings and numbers travels as a marshalled
# tuple; an answer as its few header fields, marshalled, followed by its body as it is, so a
# large answer is copied once on each side instead of being pickled and unpickled.

_SIZE = 8
_READ = 64 * 1024
_FIELDS = tuple(f.name for f in fields(Job))
_PLAIN_JOB, _PICKLED, _ANSWER = b"J", b"P", b"A"


def encode_job(job: Job) -> bytes:
    """``job`` as the bytes of one message; its rdflib terms (own queries' bindings), if any,
    are pickled, since marshal knows only built-in types."""
    if job.bindings or job.extra:
        return _PICKLED + pickle.dumps(job, pickle.HIGHEST_PROTOCOL)
    return _PLAIN_JOB + marshal.dumps(tuple(getattr(job, name) for name in _FIELDS))


def decode_job(data: bytes | bytearray) -> Job:
    """The job ``encode_job`` wrote: both processes run the same interpreter and package."""
    if data[:1] == _PICKLED:
        job: Job = pickle.loads(memoryview(data)[1:])
        return job
    return Job(*marshal.loads(memoryview(data)[1:]))


def encode_reply(reply: tuple[str, Any]) -> list[bytes]:
    """A worker's reply as the parts of one message: an answer's body is not copied."""
    status, payload = reply
    if status == "ok" and isinstance(payload, Answer):
        head = (payload.media_type, payload.rows, payload.truncated, payload.headers)
        meta = marshal.dumps(head)
        return [_ANSWER + len(meta).to_bytes(4, "little") + meta, payload.body]
    return [_PICKLED + pickle.dumps(reply, pickle.HIGHEST_PROTOCOL)]


def decode_reply(data: bytes | bytearray) -> tuple[str, Any]:
    """The reply ``encode_reply`` wrote."""
    view = memoryview(data)
    if data[:1] == _PICKLED:
        reply: tuple[str, Any] = pickle.loads(view[1:])
        return reply
    end = 5 + int.from_bytes(view[1:5], "little")
    media, rows, truncated, headers = marshal.loads(view[5:end])
    return ("ok", Answer(media, bytes(view[end:]), rows, truncated, headers))


def write_message(fd: int, parts: list[bytes]) -> None:
    """Write one message made of ``parts`` to ``fd``, all of it (a write may be partial)."""
    size = sum(len(part) for part in parts)
    views = [memoryview(part) for part in [size.to_bytes(_SIZE, "little"), *parts]]
    while views:
        written = os.writev(fd, views)
        while views and written >= len(views[0]):
            written -= len(views[0])
            views.pop(0)
        if views and written:
            views[0] = views[0][written:]


def read_message(fd: int) -> bytes | bytearray:
    """Read one message from ``fd``; ``EOFError`` when the other side has gone."""
    data = os.read(fd, _READ)
    while len(data) < _SIZE:
        more = os.read(fd, _READ) if data else b""
        if not more:
            raise EOFError("the other end of the pipe closed")
        data += more
    size = int.from_bytes(data[:_SIZE], "little")
    if len(data) == _SIZE + size:  # the common case: all of it in the first read
        return data[_SIZE:]
    buffer = bytearray(size)
    got = len(data) - _SIZE
    buffer[:got] = data[_SIZE:]
    view = memoryview(buffer)
    while got < size:
        count = os.readv(fd, [view[got:]])
        if not count:
            raise EOFError("the other end of the pipe closed mid-message")
        got += count
    return buffer
