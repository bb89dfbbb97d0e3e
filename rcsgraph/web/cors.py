"""CORS for every route, in front of everything else: any origin may read any answer.

``Cors`` wraps the whole WSGI application (the answer cache included), so that every answer
carries the same ``Access-Control-*`` headers, however it was made: a page, a document, a dump
file, an error, a 304 from the cache. A preflight (``OPTIONS`` with ``Origin`` and
``Access-Control-Request-Method``) is answered here for every path, without the application:
it allows the methods and request headers asked for (``Cache-Control``, ``If-None-Match``, a
long ``Accept``, ``Authorization`` for an update's token) and may be cached for a day. No
credentials: the data is public, and nothing depends on cookies.
"""

import re
from collections.abc import Callable, Iterable
from typing import Any

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]

METHODS = "GET, HEAD, POST, OPTIONS"
#: What scripts may read beyond the CORS-safelisted headers.
EXPOSED = (
    "ETag, Last-Modified, Link, Content-Location, Content-Length, Content-Range, "
    "Content-Encoding, Accept-Ranges, Repr-Digest, Vary, Location, Retry-After, Warning, "
    "X-Row-Cap"
)
#: Seconds a browser may keep a preflight's answer (Chromium keeps at most 2 hours).
MAX_AGE = 86400
#: Header names, as RFC 9110 spells a token: a preflight asking for others is not echoed.
_NAMES = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+(\s*,\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+)*$")

ANSWER_HEADERS = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", EXPOSED),
]


def preflight_headers(requested: str) -> list[tuple[str, str]]:
    """The answer to a preflight asking for ``requested`` request headers."""
    headers = [
        ("Access-Control-Allow-Origin", "*"),
        ("Access-Control-Allow-Methods", METHODS),
        ("Access-Control-Max-Age", str(MAX_AGE)),
        ("Vary", "Access-Control-Request-Headers, Access-Control-Request-Method"),
        ("Content-Length", "0"),
    ]
    requested = requested.strip()
    if requested and _NAMES.match(requested):
        headers.append(("Access-Control-Allow-Headers", requested))
    return headers


class Cors:
    """WSGI middleware: answers preflights, and adds ``ANSWER_HEADERS`` to every answer."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if (
            environ.get("REQUEST_METHOD") == "OPTIONS"
            and "HTTP_ORIGIN" in environ
            and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in environ
        ):
            requested = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "")
            start_response("204 No Content", preflight_headers(requested))
            return [b""]

        def with_cors(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            kept = [(k, v) for k, v in headers if not k.lower().startswith("access-control-")]
            return start_response(status, kept + ANSWER_HEADERS, exc_info)

        return self.app(environ, with_cors)
