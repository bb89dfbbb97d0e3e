"""Request limits the HTTP server leaves to the application: the head's size and chunked bodies.

- **431**: granian (hyper) refuses a request target over 64 KiB (414) and a head well over its
  read buffer, but it reads that buffer in steps, so a head somewhat over ``head_cap`` may get
  through; ``RequestLimits`` counts the request line and headers and answers 431 beyond it.
- **413**: a body whose ``Content-Length`` is over ``body_cap`` is refused before it is read;
  a chunked body (no ``Content-Length``), which Flask would read up to the cap and silently
  cut, is read here first, at most one byte over the cap: over it, 413; within it, the
  application gets the body with its length, as from a client that sent one. What is left of
  a refused body is read and dropped (up to ``DRAIN`` bytes) so that the client, still
  sending, reads the 413 rather than a broken pipe.
"""

import io
from collections.abc import Callable, Iterable
from typing import Any

from rcsgraph.web.errors import error_body

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]

_READ = 64 * 1024
#: At most this much of a refused chunked body is read (and dropped) before the 413.
DRAIN = 8 * 2**20


class RequestLimits:
    """WSGI middleware: 431 for a head over ``head_cap`` bytes, 413 for a chunked body over
    ``body_cap`` bytes, before ``app`` sees the request."""

    def __init__(self, app: WsgiApp, body_cap: int, head_cap: int) -> None:
        self.app, self.body_cap, self.head_cap = app, body_cap, head_cap

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        head = len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", ""))
        head += sum(len(k) + len(v) + 4 for k, v in environ.items() if k[:5] == "HTTP_")
        if head > self.head_cap:
            message = f"the request line and headers are larger than {self.head_cap} bytes"
            return _refuse(start_response, environ, 431, "Request Header Fields Too Large", message)
        length = environ.get("CONTENT_LENGTH")
        if length:
            if length.isdigit() and int(length) > self.body_cap:  # Flask would say 413 too
                message = f"the request body is larger than {self.body_cap} bytes"
                ended = int(length) <= DRAIN and _drain(environ["wsgi.input"])
                return _refuse(start_response, environ, 413, "Content Too Large", message, ended)
            return self.app(environ, start_response)
        if "chunked" not in environ.get("HTTP_TRANSFER_ENCODING", ""):
            return self.app(environ, start_response)
        stream, chunks, size = environ["wsgi.input"], [], 0
        while size <= self.body_cap:
            chunk = stream.read(min(_READ, self.body_cap + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > self.body_cap:
            message = f"the request body is larger than {self.body_cap} bytes"
            ended = _drain(stream)
            return _refuse(start_response, environ, 413, "Content Too Large", message, ended)
        environ["wsgi.input"] = io.BytesIO(b"".join(chunks))
        environ["CONTENT_LENGTH"] = str(size)
        return self.app(environ, start_response)


def _drain(stream: Any) -> bool:
    """Read and drop what is left of a refused body, up to ``DRAIN`` bytes, so that a client
    still sending it reads the 413 rather than a broken pipe; whether the body ended."""
    left = DRAIN
    while left > 0:
        chunk = stream.read(min(_READ, left))
        if not chunk:
            return True
        left -= len(chunk)
    return False


def _refuse(
    start_response: StartResponse,
    environ: Environ,
    status: int,
    reason: str,
    message: str,
    ended: bool = False,
) -> list[bytes]:
    body, media = error_body(status, message, environ.get("HTTP_ACCEPT"))
    headers = [
        ("Content-Type", media),
        ("Content-Length", str(len(body))),
        ("Access-Control-Allow-Origin", "*"),
    ]
    if not ended:
        headers.append(("Connection", "close"))
    start_response(f"{status} {reason}", headers)
    return [body]
