"""What a kept answer is filed under: the parts of a request that its answer depends on.

A GET or HEAD is filed under scheme, host, path, query string and ``Accept``. A SPARQL query
POSTed to ``/sparql`` (as ``application/sparql-query`` or as a form) asks for the same answer
every time it is sent to an immutable store, just as the same query sent by GET does: many
clients post their queries (YASGUI does by default), and without a key each repeat costs a
round trip to a query worker. Such a POST is filed under the same parts, its content type and
a digest of its body. Its body is read here, at most ``LARGEST_BODY`` bytes with a stated
length, and handed on unchanged; any other POST (an update, a chunked or larger body, a
conditional request) is not kept.
"""

import hashlib
import io
from typing import Any
from urllib.parse import parse_qs

#: The largest POSTed query that is kept (bytes); a larger one is evaluated each time.
LARGEST_BODY = 64 * 1024
_QUERY = "application/sparql-query"
_FORM = "application/x-www-form-urlencoded"


def request_key(environ: dict[str, Any]) -> tuple[str, ...] | None:
    """The key of the answer to this request, or None when it must not be kept."""
    method = environ.get("REQUEST_METHOD")
    key = (
        environ.get("wsgi.url_scheme", ""),
        environ.get("HTTP_HOST", ""),
        environ.get("SCRIPT_NAME", ""),
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
        environ.get("HTTP_ACCEPT", ""),
    )
    if method == "GET" or method == "HEAD":
        return key
    if method != "POST" or environ.get("PATH_INFO") != "/sparql":
        return None
    if "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MATCH" in environ:
        return None  # a conditional POST is the application's to answer (412, not 304)
    kind = environ.get("CONTENT_TYPE", "")
    bare = kind.split(";", 1)[0].strip().lower()
    length = str(environ.get("CONTENT_LENGTH") or "")
    if bare not in (_QUERY, _FORM) or not length.isdigit() or int(length) > LARGEST_BODY:
        return None
    body = environ["wsgi.input"].read(int(length))
    environ["wsgi.input"] = io.BytesIO(body)  # the application reads the same bytes
    if bare == _FORM and "update" in parse_qs(body.decode("latin-1")):
        return None
    return (*key, "POST", kind, hashlib.sha256(body).hexdigest())
