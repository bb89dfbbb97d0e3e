"""Errors as HTTP answers: status by exception class, body as JSON or text by Accept.

The one place (with the CLI) where rcsgraph's exceptions are translated.
"""

import json

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from rcsgraph.errors import InputError, NotReady, QuerySyntaxError, RcsGraphError, StoreError
from rcsgraph.sparql import conneg
from rcsgraph.sparql.endpoint import EvaluationError, NotAcceptable, Refused, Unauthorized
from rcsgraph.sparql.executor import Busy, Timeout, WorkerLost
from rcsgraph.web import protocol
from rcsgraph.web.protocol import ProtocolError

STATUS: list[tuple[type[Exception], int]] = [
    (ProtocolError, 400),  # its own status overrides, see status_of
    (QuerySyntaxError, 400),
    (Refused, 400),
    (EvaluationError, 400),
    (NotAcceptable, 406),
    (Unauthorized, 401),
    (Timeout, 503),
    (NotReady, 503),
    (Busy, 503),
    (WorkerLost, 500),
    (StoreError, 500),
    (InputError, 400),
]


def status_of(error: RcsGraphError) -> int:
    if isinstance(error, ProtocolError):
        return error.status
    return next((status for kind, status in STATUS if isinstance(error, kind)), 500)


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """``{"error": …, "status": …}`` for clients that prefer JSON, else one line of text."""
    if wants_json(request.headers.get("Accept")):
        body, media = json.dumps({"status": status, "error": message}), "application/json"
    else:
        body, media = message + "\n", "text/plain; charset=utf-8"
    # The body's type follows Accept (406s included): every error varies on it.
    headers = {"Vary": "Accept", **(headers or {})}
    return Response(body, status=status, content_type=media, headers=headers)


def wants_json(accept: str | None) -> bool:
    """Whether a client prefers JSON (``application/json``, SPARQL JSON, any ``+json``) to
    text: the error then comes as ``{"status", "error"}`` in the format it can read."""
    ranges = conneg.parse_accept(accept)
    json_q = max(
        (r.q for r in ranges if r.subtype == "json" or r.subtype.endswith("+json")), default=0.0
    )
    text_q = max((r.q for r in ranges if r.matches("text/plain")), default=0.0)
    return json_q > 0 and json_q > text_q


def register(app: Flask) -> None:
    # Before any route reads it: a path or query string that is not UTF-8 is a 400.
    app.before_request(lambda: protocol.require_utf8(request))

    @app.errorhandler(RcsGraphError)
    def known(error: RcsGraphError) -> Response:
        status = status_of(error)
        headers = {"Retry-After": "5"} if isinstance(error, Busy | Timeout) else {}
        if isinstance(error, NotReady):
            headers["Retry-After"] = str(error.retry_after)
        if isinstance(error, Unauthorized):
            headers["WWW-Authenticate"] = 'Bearer realm="rcsgraph"'
        return error_response(status, str(error), headers)

    @app.errorhandler(HTTPException)
    def http(error: HTTPException) -> Response:
        message = error.description or error.name
        response = error_response(error.code or 500, str(message))
        if error.code == 405:
            response.headers["Allow"] = "GET, POST, OPTIONS"
        return response
