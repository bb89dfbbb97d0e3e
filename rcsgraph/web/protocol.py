"""Reading a SPARQL Protocol request: which operation, its text, and its dataset.

Follows the SPARQL 1.1 Protocol: a query by GET, by POST form or by POST
``application/sparql-query``; an update by POST form or ``application/sparql-update``; the
dataset parameters ``default-graph-uri``/``named-graph-uri`` (query) and
``using-graph-uri``/``using-named-graph-uri`` (update), which may repeat. Bodies are UTF-8
(the protocol allows no other encoding); graph IRIs in parameters must be absolute.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote_to_bytes

from rcsgraph.errors import InputError

if TYPE_CHECKING:  # werkzeug and rdflib are not imported on the way to a first answer
    from werkzeug.datastructures import MultiDict
    from werkzeug.wrappers import Request

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"


class ProtocolError(InputError):
    """A request the protocol does not allow; carries the HTTP status to answer with."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


@dataclass(frozen=True)
class Operation:
    """A query or an update, with the dataset the request gave for it."""

    kind: str  # "query" or "update"
    text: str
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    formats: tuple[str, ...] = ()  # format= and output= values (URL or form), in order


def require_utf8(request: "Request") -> None:
    """Refuse (400) a path or query string whose bytes, once percent-decoded, are not UTF-8.

    Werkzeug would decode them with replacement characters, so that a query or a parameter
    would silently differ from what the client sent.
    """
    path = request.environ.get("PATH_INFO", "")  # WSGI: already percent-decoded, as latin-1
    query = unquote_to_bytes(request.query_string.replace(b"+", b" "))
    for where, raw in (("path", path.encode("latin-1")), ("query string", query)):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProtocolError(400, f"the {where} is not UTF-8 (byte {exc.start})") from None


def read(request: "Request") -> Operation | None:
    """The operation a request carries, or None when it carries none (service description)."""
    if request.method in ("GET", "HEAD"):
        return _from_params(request.args, allow_update=False)
    media = (request.mimetype or "").lower()
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if media in (FORM, QUERY_TYPE, UPDATE_TYPE) and charset not in ("utf-8", "utf8"):
        raise ProtocolError(415, f"cannot read a body in {charset}: send it in UTF-8")
    body = _utf8(request.get_data(cache=True))
    if media == FORM:
        from werkzeug.datastructures import MultiDict

        fields = _form_fields(body)
        params: MultiDict[str, str] = MultiDict(
            [(k, v) for k, values in fields.items() for v in values]
            + list(request.args.items(multi=True))
        )
        operation = _from_params(params, allow_update=True)
        if operation is None:
            raise ProtocolError(400, "a POST form must carry a `query` or an `update` field")
        return operation
    if media in (QUERY_TYPE, UPDATE_TYPE):
        kind = "query" if media == QUERY_TYPE else "update"
        if "query" in request.args or "update" in request.args:
            raise ProtocolError(400, "the operation is in the body; do not repeat it in the URL")
        return _with_dataset(kind, body, request.args)
    if not media:
        raise ProtocolError(
            400, "a POST needs a Content-Type: " + ", ".join([FORM, QUERY_TYPE, UPDATE_TYPE])
        )
    raise ProtocolError(
        415, f"cannot read a body of type {media}; use {FORM}, {QUERY_TYPE} or {UPDATE_TYPE}"
    )


def _from_params(params: "MultiDict[str, str]", allow_update: bool) -> Operation | None:
    queries, updates = params.getlist("query"), params.getlist("update")
    if queries and updates:
        raise ProtocolError(400, "send either `query` or `update`, not both")
    if len(queries) > 1 or len(updates) > 1:
        raise ProtocolError(400, "send exactly one `query` or `update`")
    if updates and not allow_update:
        raise ProtocolError(400, "an update must be sent by POST")
    if queries:
        return _with_dataset("query", queries[0], params)
    if updates:
        return _with_dataset("update", updates[0], params)
    return None


def _with_dataset(kind: str, text: str, params: "MultiDict[str, str]") -> Operation:
    names = ("default-graph-uri", "named-graph-uri")
    if kind == "update":
        names = ("using-graph-uri", "using-named-graph-uri")
    default, named = (tuple(_graph_iri(n, v) for v in params.getlist(n)) for n in names)
    # Virtuoso reads format=, Fuseki output= too; SPARQLWrapper sends both, in the URL or form.
    formats = tuple(params.getlist("format") + params.getlist("output"))
    if not default and not named:
        return Operation(kind, text, formats=formats)
    return Operation(kind, text, default, named, formats)


def _graph_iri(name: str, value: str) -> str:
    from rcsgraph.store.binding import checked_iri

    try:
        return checked_iri(value)
    except InputError:
        raise ProtocolError(400, f"{name}={value!r} is not an absolute IRI") from None


def _form_fields(body: str) -> dict[str, list[str]]:
    """The fields of a URL-encoded form; percent-encoded bytes must be UTF-8 too."""
    try:
        return parse_qs(body, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the form has a field that is not UTF-8") from None


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"the request body is not UTF-8 (byte {exc.start})") from None
