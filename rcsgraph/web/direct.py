"""SPARQL Protocol GETs answered without Flask: ``/sparql?query=…[&format=…]``.

The commonest request of a SPARQL endpoint costs Flask's request objects, routing and response
objects more than its own checks. ``DirectSparql`` is WSGI middleware that answers a plain
query by GET or HEAD (one ``query`` and at most one ``format`` parameter, ASCII query string)
through the same ``Endpoint.handle`` and the same error translation (``errors.error_answer``)
as the Flask view, and hands every other request to the application behind it, unchanged:
dataset parameters, the editor (``format=html``), the service description, POSTs, and anything
malformed, which the Flask view answers with its precise message.
"""

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote, unquote_to_bytes

from rcsgraph.errors import RcsGraphError
from rcsgraph.sparql.endpoint import Endpoint
from rcsgraph.sparql.endpoint import Request as SparqlRequest
from rcsgraph.sparql.results import Answer
from rcsgraph.web import errors

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]

_PLAIN = {"query", "format"}


def answer_headers(answer: Answer) -> list[tuple[str, str]]:
    """The headers of a successful answer, as the Flask view sends them."""
    media = answer.media_type
    if media.startswith("text/") or media.endswith("+xml") or media.endswith("json"):
        media += "; charset=utf-8"
    headers = {**answer.headers, "Vary": "Accept"}  # CORS: web/cors.py, in front of all
    return [("Content-Type", media), ("Content-Length", str(len(answer.body))), *headers.items()]


class DirectSparql:
    """WSGI middleware: plain SPARQL GETs to ``endpoint``, the rest to ``app``."""

    def __init__(self, app: WsgiApp, endpoint: Callable[[], Endpoint], path: str = "/sparql"):
        self.app, self.endpoint, self.path = app, endpoint, path

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        text = self._plain_query(environ) if method in ("GET", "HEAD") else None
        if text is None:
            return self.app(environ, start_response)
        query, fmt = text
        request = SparqlRequest(
            kind="query",
            text=query,
            accept=environ.get("HTTP_ACCEPT"),
            format=fmt,
            authorization=environ.get("HTTP_AUTHORIZATION"),
            base_iri=_base_url(environ),
        )
        try:
            answer = self.endpoint().handle(request)
        except RcsGraphError as error:
            status, extra, body, media = errors.error_answer(error, request.accept)
            headers = [
                ("Content-Type", media),
                ("Content-Length", str(len(body))),
                ("Access-Control-Allow-Origin", "*"),
                *extra.items(),
            ]
            start_response(f"{status} {_REASONS.get(status, 'Error')}", headers)
            return [body if method == "GET" else b""]
        start_response("200 OK", answer_headers(answer))
        return [answer.body if method == "GET" else b""]

    def _plain_query(self, environ: Environ) -> tuple[str, str | None] | None:
        """(query, format) of a plain query GET, or None for anything else."""
        raw = environ.get("QUERY_STRING", "")
        if environ.get("PATH_INFO") != self.path or not raw or not raw.isascii():
            return None
        found: dict[str, str] = {}
        for pair in raw.split("&"):  # as parse_qsl, for the two names read here
            if not pair:
                continue
            name, _, value = pair.partition("=")
            if name not in _PLAIN or name in found:
                return None  # another parameter, an encoded name or a repeated one: Flask's
            try:
                found[name] = unquote_to_bytes(value.replace("+", " ")).decode("utf-8")
            except UnicodeDecodeError:
                return None  # the Flask view says which byte is wrong
        if "query" not in found:
            return None
        fmt = found.get("format")
        if fmt == "html":
            return None  # the editor, a page
        return found["query"], fmt


def _base_url(environ: Environ) -> str:
    """The request's URL without its query string, as werkzeug's ``Request.base_url``."""
    scheme = environ.get("wsgi.url_scheme", "http")
    host = environ.get("HTTP_HOST")
    if not host:
        host, port = environ.get("SERVER_NAME", ""), environ.get("SERVER_PORT", "")
        if port and (scheme, port) not in (("http", "80"), ("https", "443")):
            host = f"{host}:{port}"
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    return f"{scheme}://{host}{quote(path.encode('latin-1'), safe='/:@!$&()*+,;=~-._')}"


_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    406: "Not Acceptable",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
