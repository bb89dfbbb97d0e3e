"""Errors as HTTP answers: status by exception class, body as JSON or text by Accept.

The one place (with the CLI) where rcsgraph's exceptions are translated: ``error_answer`` gives
status, headers and body for Flask's handlers (``register``) and for the SPARQL Protocol GETs
answered without Flask (``rcsgraph.web.direct``). Flask is imported only by ``register``.
"""

import json
from typing import TYPE_CHECKING

from rcsgraph.errors import InputError, NotReady, QuerySyntaxError, RcsGraphError, StoreError
from rcsgraph.sparql import conneg
from rcsgraph.sparql.endpoint import EvaluationError, NotAcceptable, Refused, Unauthorized
from rcsgraph.sparql.executor import Busy, Timeout, WorkerLost
from rcsgraph.web.protocol import ProtocolError

if TYPE_CHECKING:
    from flask import Flask, Response

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


def error_answer(
    error: RcsGraphError, accept: str | None
) -> tuple[int, dict[str, str], bytes, str]:
    """(status, headers, body, media type) of the answer to ``error``."""
    status = status_of(error)
    headers = {"Retry-After": "5"} if isinstance(error, Busy | Timeout) else {}
    if isinstance(error, NotReady):
        headers["Retry-After"] = str(error.retry_after)
    headers["Vary"] = "Accept"  # the body's type follows Accept
    if isinstance(error, Unauthorized):
        headers["WWW-Authenticate"] = 'Bearer realm="rcsgraph"'
    body, media = error_body(status, str(error), accept)
    return status, headers, body, media


def error_body(status: int, message: str, accept: str | None) -> tuple[bytes, str]:
    """``{"error": …, "status": …}`` for clients that prefer JSON, else one line of text."""
    if wants_json(accept):
        return json.dumps({"status": status, "error": message}).encode(), "application/json"
    return (message + "\n").encode("utf-8"), "text/plain; charset=utf-8"


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> "Response":
    """The answer to an error, as a Flask response (CORS ``*``)."""
    from flask import Response, request

    body, media = error_body(status, message, request.headers.get("Accept"))
    # The body's type follows Accept (406s included): every error varies on it.
    response = Response(
        body, status=status, content_type=media, headers={"Vary": "Accept", **(headers or {})}
    )
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def wants_json(accept: str | None) -> bool:
    """Whether a client prefers JSON (``application/json``, SPARQL JSON, any ``+json``) to
    text: the error then comes as ``{"status", "error"}`` in the format it can read."""
    if not accept:
        return False
    ranges = conneg.parse_accept(accept)
    json_q = max(
        (r.q for r in ranges if r.subtype == "json" or r.subtype.endswith("+json")), default=0.0
    )
    text_q = max((r.q for r in ranges if r.matches("text/plain")), default=0.0)
    return json_q > 0 and json_q > text_q


def register(app: "Flask") -> None:
    from flask import Response, request
    from werkzeug.exceptions import HTTPException

    from rcsgraph.web import protocol

    # Before any route reads it: a path or query string that is not UTF-8 is a 400.
    app.before_request(lambda: protocol.require_utf8(request))

    @app.errorhandler(RcsGraphError)
    def known(error: RcsGraphError) -> Response:
        status, headers, _, _ = error_answer(error, None)
        return error_response(status, str(error), headers)

    @app.errorhandler(HTTPException)
    def http(error: HTTPException) -> Response:
        message = error.description or error.name
        response = error_response(error.code or 500, str(message))
        if error.code == 405:
            response.headers["Allow"] = "GET, POST, OPTIONS"
        return response
