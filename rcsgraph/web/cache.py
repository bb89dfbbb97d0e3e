"""Answers of an immutable store, kept and revalidated: ``ETag``, ``If-None-Match`` → 304.

A read-only server answers from one generation of the store for as long as it runs, so the same
GET request always gets the same answer. ``AnswerCache`` wraps the WSGI application: it keeps
recent successful answers of ``/sparql`` (bounded in bytes, least recently used out first) and
gives each an ``ETag`` made from the store's generation and the request (path, query string,
Accept, host), so a client holding the tag is answered 304 without any evaluation. A request
with ``Cache-Control: no-cache`` is evaluated afresh (and kept); ``no-store`` bypasses the cache.
Only used when updates are disabled and the store is local (see ``create_app``).
"""

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]

_Kept = tuple[list[tuple[str, str]], bytes]


class AnswerCache:
    """WSGI middleware: GET answers of ``paths`` kept up to ``capacity`` bytes in all."""

    def __init__(
        self,
        app: WsgiApp,
        version: str,
        capacity: int = 64 * 2**20,
        largest: int = 4 * 2**20,
        paths: tuple[str, ...] = ("/sparql",),
    ) -> None:
        self.app, self.version, self.paths = app, version, paths
        self.capacity, self.largest = capacity, largest
        self.kept: OrderedDict[str, _Kept] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if (
            environ.get("REQUEST_METHOD") != "GET"
            or environ.get("PATH_INFO") not in self.paths
            or "HTTP_AUTHORIZATION" in environ
        ):
            return self.app(environ, start_response)
        control = environ.get("HTTP_CACHE_CONTROL", "").lower()
        if "no-store" in control:
            return self.app(environ, start_response)
        etag = self._etag(environ)
        if etag in _tags(environ.get("HTTP_IF_NONE_MATCH", "")):
            start_response("304 Not Modified", [("ETag", etag), ("Vary", "Accept")])
            return [b""]
        if "no-cache" not in control:
            with self.lock:
                found = self.kept.get(etag)
                if found is not None:
                    self.kept.move_to_end(etag)
            if found is not None:
                start_response("200 OK", [*found[0], ("ETag", etag)])
                return [found[1]]
        return self._evaluate(environ, start_response, etag)

    def _evaluate(
        self, environ: Environ, start_response: StartResponse, etag: str
    ) -> Iterable[bytes]:
        seen: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["status"], seen["headers"] = status, headers
            if status.startswith("200"):
                headers = [*headers, ("ETag", etag)]
            return start_response(status, headers, exc_info)

        result = self.app(environ, capture)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        if seen.get("status", "").startswith("200") and len(body) <= self.largest:
            self._keep(etag, list(seen["headers"]), body)
        return [body]

    def _keep(self, etag: str, headers: list[tuple[str, str]], body: bytes) -> None:
        with self.lock:
            if etag in self.kept:
                return
            self.kept[etag] = (headers, body)
            self.size += len(body)
            while self.size > self.capacity and self.kept:
                _, (_, old) = self.kept.popitem(last=False)
                self.size -= len(old)

    def _etag(self, environ: Environ) -> str:
        parts = (
            self.version,
            environ.get("wsgi.url_scheme", ""),
            environ.get("HTTP_HOST", ""),
            environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
            environ.get("HTTP_ACCEPT", ""),
        )
        digest = hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogateescape"))
        return '"' + digest.hexdigest()[:32] + '"'


def _tags(header: str) -> list[str]:
    """The entity tags of an ``If-None-Match`` header (weak ones compared as strong)."""
    return [tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()]


def answers_version(spec: dict[str, Any]) -> str | None:
    """What identifies the answers of the store a worker ``spec`` opens: its generation's folder
    for an on-disk store, this process for one built in memory; None when answers may change
    (a writable or remote store)."""
    if spec.get("writable") or spec.get("kind") == "remote":
        return None
    if spec.get("kind") == "disk":
        return str(spec["path"])
    return f"memory-{os.getpid()}-{id(spec)}"
