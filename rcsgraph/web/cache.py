"""One cache for every GET and HEAD of an immutable store: kept answers, ``ETag``, 304.

SPARQL queries POSTed to ``/sparql`` are kept too (see ``rcsgraph.web.cache_keys``).

A read-only server answers from one generation of its store for as long as it runs, and its
answers are deterministic, so the same request always gets the same bytes. ``AnswerCache`` is
WSGI middleware in front of everything else (Flask's routing included): pages, entity
documents, catalogue answers, descriptions and ``/sparql`` alike.

- The key is what the answer depends on: scheme, host, path, query string and ``Accept``
  (every negotiated answer says ``Vary: Accept``; an answer that varies on any other header is
  not kept). The ``ETag`` is derived from the store's version and the key: strong, the same in
  every server process, so a client holding it is answered 304 without any evaluation, even
  by a process that never saw the request. An answer with an ``ETag`` of its own keeps it.
- ``If-None-Match`` naming the tag (or ``*``, once the answer is known to exist) is a 304; a
  HEAD is answered from a GET's kept answer.
- ``Cache-Control: no-cache`` evaluates afresh and keeps the new answer; ``no-store``
  bypasses the cache. A request with ``Authorization`` is never answered from it.
- Requests for the same answer that arrive while it is being evaluated wait for it rather
  than evaluate it again (many clients at once on a page nobody asked for yet).
- Only 200 answers are kept (errors, 404 and redirects are evaluated each time: they are cheap
  or must be retried), at most ``largest`` bytes each, ``capacity`` bytes in all, least
  recently used out first. An answer marked ``X-Rcsgraph-No-Cache`` (a dump streamed from a
  file) or larger than ``largest`` passes through unbuffered.

The processes of one server share what they keep through ``shared`` (see
``rcsgraph.web.shared_cache``): an answer evaluated by one is not evaluated again by another.

Only used when updates are disabled and the store is local (see ``create_app``).
"""

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from rcsgraph.web.cache_keys import request_key
from rcsgraph.web.shared_cache import SharedAnswers

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]

#: The response header by which an application asks for its answer not to be kept.
NO_CACHE_HEADER = "X-Rcsgraph-No-Cache"
_VARY_OK = {"accept", "origin"}  # the key has Accept; CORS answers are the same for any Origin
_OVERHEAD = 256  # bytes counted per kept answer besides its body and headers
_WAIT_FOR_ANOTHER = 60.0  # seconds a request waits for the same one's evaluation, at most


class _Kept:
    __slots__ = ("body", "etag", "headers", "size", "tag")

    def __init__(self, headers: list[tuple[str, str]], body: bytes, etag: str, tag: str) -> None:
        self.headers, self.body, self.etag = headers, body, etag
        self.tag = tag  # the key's own tag, which names the answer among the processes
        self.size = len(body) + sum(len(k) + len(v) for k, v in headers) + _OVERHEAD


class AnswerCache:
    """WSGI middleware: GET answers kept up to ``capacity`` bytes in all."""

    def __init__(
        self,
        app: WsgiApp,
        version: str,
        capacity: int = 64 * 2**20,
        largest: int = 4 * 2**20,
        shared: SharedAnswers | None = None,
    ) -> None:
        self.app, self.version, self.shared = app, version, shared
        self.capacity, self.largest = capacity, min(largest, capacity)
        self.kept: OrderedDict[tuple[str, ...], _Kept] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()
        self.pending: dict[tuple[str, ...], threading.Event] = {}  # keys being evaluated

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if "HTTP_AUTHORIZATION" in environ:
            return self.app(environ, start_response)
        control = environ.get("HTTP_CACHE_CONTROL", "").lower()
        key = None if "no-store" in control else request_key(environ)
        if key is None:
            return self.app(environ, start_response)
        wanted = environ.get("HTTP_IF_NONE_MATCH")
        fresh = "no-cache" in control
        found = None if fresh else self.kept.get(key)
        if found is not None:
            return self._kept(environ, start_response, key, found)
        etag = self._etag(key)
        if not fresh and self.shared is not None:
            found = self._from_shared(key, etag)
            if found is not None:
                return self._kept(environ, start_response, key, found)
        if wanted and _matches(wanted, etag, exists=False):
            return _not_modified(start_response, etag, [("Vary", "Accept")])
        if fresh:
            return self._evaluate(environ, start_response, key, etag)
        with self.lock:  # one evaluation of a request at a time: the others wait for its answer
            pending = self.pending.get(key)
            if pending is None:
                self.pending[key] = threading.Event()
        if pending is not None:
            pending.wait(_WAIT_FOR_ANOTHER)
            found = self.kept.get(key)
            if found is not None:
                return self._kept(environ, start_response, key, found)
            return self._evaluate(environ, start_response, key, etag)
        try:
            return self._evaluate(environ, start_response, key, etag)
        finally:
            with self.lock:
                self.pending.pop(key).set()

    def _from_shared(self, key: tuple[str, ...], tag: str) -> "_Kept | None":
        """The answer another process of this server kept, now kept here too."""
        assert self.shared is not None
        found = self.shared.get(tag)
        if found is None:
            return None
        etag, headers, body = found
        entry = _Kept(headers, body, etag, tag)
        self._keep(key, entry)
        return entry

    def _kept(
        self, environ: Environ, start_response: StartResponse, key: tuple[str, ...], found: "_Kept"
    ) -> Iterable[bytes]:
        with self.lock:
            if key in self.kept:
                self.kept.move_to_end(key)
        wanted = environ.get("HTTP_IF_NONE_MATCH")
        if wanted and _matches(wanted, found.etag, exists=True):
            return _not_modified(start_response, found.etag, found.headers)
        start_response("200 OK", found.headers)
        return [b"" if environ.get("REQUEST_METHOD") == "HEAD" else found.body]

    def _evaluate(
        self, environ: Environ, start_response: StartResponse, key: tuple[str, ...], etag: str
    ) -> Iterable[bytes]:
        seen: list[Any] = []
        tag = etag

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen[:] = [status, headers, exc_info]
            return _no_write

        result = self.app(environ, capture)
        status, headers, exc_info = seen
        keep = status[:3] == "200" and _keepable(headers)
        headers = [(k, v) for k, v in headers if k.lower() != "x-rcsgraph-no-cache"]
        if keep:
            own = next((v for k, v in headers if k.lower() == "etag"), None)
            etag = own or etag
            if own is None:
                headers.append(("ETag", etag))
            wanted = environ.get("HTTP_IF_NONE_MATCH")
            if wanted and _matches(wanted, etag, exists=True):  # If-None-Match: *
                _close(result)
                return _not_modified(start_response, etag, headers)
        if not keep or environ.get("REQUEST_METHOD") == "HEAD":
            start_response(status, headers, exc_info)
            return result
        body, rest = self._read(result, headers)
        start_response(status, headers, exc_info)
        if rest is not None:  # too large to keep: the rest streams as it comes
            return _Chained(body, rest, result)
        if self.shared is not None and key not in self.kept:  # afresh again: offered already
            self.shared.put(tag, etag, headers, body)
        self._keep(key, _Kept(headers, body, etag, tag))
        return [body]

    def _read(self, result: Iterable[bytes], headers: list[tuple[str, str]]) -> Any:
        """(the body, None) when it fits in ``largest``, else (what was read, the iterator)."""
        length = next((v for k, v in headers if k.lower() == "content-length"), None)
        if length is not None and length.isdigit() and int(length) > self.largest:
            return b"", iter(result)
        chunks, size = [], 0
        parts = iter(result)
        for chunk in parts:
            chunks.append(chunk)
            size += len(chunk)
            if size > self.largest:
                return b"".join(chunks), parts
        _close(result)
        return b"".join(chunks), None

    def _keep(self, key: tuple[str, ...], entry: _Kept) -> None:
        dropped = []
        with self.lock:
            old = self.kept.pop(key, None)  # its shared file, if any, is the new one's now
            if old is not None:
                self.size -= old.size
            self.kept[key] = entry
            self.size += entry.size
            while self.size > self.capacity and self.kept:
                dropped.append(self.kept.popitem(last=False)[1])
                self.size -= dropped[-1].size
        if self.shared is not None:  # outside the lock: removing files takes system calls
            for each in dropped:
                self.shared.drop(each.tag)

    def _etag(self, key: tuple[str, ...]) -> str:
        digest = hashlib.sha256(
            "\x00".join((self.version, *key)).encode("utf-8", "surrogateescape")
        )
        return '"' + digest.hexdigest()[:32] + '"'


def _keepable(headers: list[tuple[str, str]]) -> bool:
    for name, value in headers:
        lower = name.lower()
        if lower == "x-rcsgraph-no-cache" or lower == "set-cookie":
            return False
        if lower == "vary" and not {v.strip().lower() for v in value.split(",")} <= _VARY_OK:
            return False
        if lower == "cache-control" and ("no-store" in value or "private" in value):
            return False
    return True


def _matches(header: str, etag: str, exists: bool) -> bool:
    """Whether ``If-None-Match`` names ``etag`` (weak comparison, as RFC 9110 wants for it),
    or is ``*`` and the answer is known to exist."""
    if header.strip() == "*":
        return exists
    return any(tag.strip().removeprefix("W/") == etag for tag in header.split(","))


def _not_modified(
    start_response: StartResponse, etag: str, headers: list[tuple[str, str]]
) -> list[bytes]:
    """A 304 with the headers a 200 would have had that describe it (RFC 9110, 15.4.5)."""
    keep = {"cache-control", "content-location", "vary", "expires", "date"}
    same = [(k, v) for k, v in headers if k.lower() in keep]
    start_response("304 Not Modified", [("ETag", etag), *same])
    return [b""]


def _no_write(data: bytes) -> None:
    raise RuntimeError("the answer cache does not support the WSGI write() callable")


def _close(result: Iterable[bytes]) -> None:
    close = getattr(result, "close", None)
    if close is not None:
        close()


class _Chained:
    """What was read of a large answer, then the rest of it; closes the original."""

    def __init__(self, head: bytes, rest: Iterator[bytes], result: Iterable[bytes]) -> None:
        self.head, self.rest, self.result = head, rest, result

    def __iter__(self) -> Iterator[bytes]:
        if self.head:
            yield self.head
        yield from self.rest

    def close(self) -> None:
        _close(self.result)


def answers_version(spec: dict[str, Any], settings: object = "") -> str | None:
    """What identifies the answers of the store a worker ``spec`` opens, with the ``settings``
    they are made with: its generation's folder for an on-disk store, the package's data files
    for the bundled graph, this process for other stores built in memory; None when answers
    may change (a writable or remote store)."""
    if spec.get("writable") or spec.get("kind") == "remote":
        return None
    if spec.get("kind") == "disk":
        found = str(spec["path"])
    elif spec.get("kind") == "bundled":
        from rcsgraph import resources

        files = [resources.ontology_file(), *resources.data_files()]
        found = "bundled " + " ".join(
            f"{f}:{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in files
        )
    else:
        found = f"memory-{os.getpid()}-{id(spec)}"
    if settings:
        found += "\x00" + hashlib.sha256(repr(settings).encode()).hexdigest()
    # rdflib writes some documents in an order that follows the string hash seed: the same in
    # every process forked from one server, not after a restart (unless PYTHONHASHSEED is set).
    return found + f"\x00{hash('rcsgraph'):x}"
