"""The SPARQL 1.1 Protocol and Graph Store Protocol over urllib, for ``RemoteStore`` and push.

HTTP failures become rcsgraph errors here: a 4xx answer to a query or update is the server's
``QuerySyntaxError`` (its message's first line), a refused password, an unreachable host, a
timeout or a 5xx is a ``StoreError`` naming the URL and the reason.
"""

import base64
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from http.client import HTTPException
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import (
    BaseHandler,
    HTTPBasicAuthHandler,
    HTTPDigestAuthHandler,
    HTTPPasswordMgrWithDefaultRealm,
    Request,
    build_opener,
    parse_http_list,
    parse_keqv_list,
)

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from rcsgraph.errors import InputError, QuerySyntaxError, StoreError
from rcsgraph.store.base import Results, Term
from rcsgraph.store.binding import checked_iri
from rcsgraph.store.terms import to_rdflib

RESULTS_JSON = "application/sparql-results+json"
NTRIPLES = "application/n-triples"
#: What a CONSTRUCT, DESCRIBE or Graph Store GET asks for.
TRIPLES_ACCEPT = "application/n-triples, text/turtle;q=0.5"
#: How each RDF answer is parsed, by media type ("text/plain" is N-Triples' old type).
RDF_ANSWERS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
}


@dataclass(frozen=True)
class Reply:
    """A successful HTTP answer."""

    url: str
    media_type: str
    body: bytes

    def results(self) -> Results:
        """The answer to a query: JSON results, or triples in an RDF syntax."""
        if self.media_type in RDF_ANSWERS:
            terms = (map(to_rdflib, (t.subject, t.predicate, t.object)) for t in self.triples())
            return Results("graph", triples=tuple(tuple(t) for t in terms))  # type: ignore[misc]
        if self.media_type in (RESULTS_JSON, "application/json"):
            try:
                return json_results(json.loads(self.body))
            except (ValueError, KeyError, TypeError) as exc:
                raise StoreError(f"{self.url}: malformed SPARQL JSON results ({exc})") from None
        raise StoreError(f"{self.url}: unexpected answer of type {self.media_type or '(none)'}")

    def triples(self) -> list[ox.Triple]:
        """The triples of an RDF answer (none for an empty body)."""
        if not self.body:
            return []
        if self.media_type not in RDF_ANSWERS:
            raise StoreError(f"{self.url}: expected RDF, got {self.media_type or '(none)'}")
        try:
            return [quad.triple for quad in ox.parse(self.body, RDF_ANSWERS[self.media_type])]
        except SyntaxError as exc:
            raise StoreError(f"{self.url}: unreadable {self.media_type} ({exc})") from None


def json_results(doc: dict[str, object]) -> Results:
    """``Results`` from SPARQL 1.1 JSON results (SELECT or ASK)."""
    if "boolean" in doc:
        return Results("ask", boolean=bool(doc["boolean"]))
    names = tuple(doc["head"]["vars"])  # type: ignore[index]
    bindings = doc["results"]["bindings"]  # type: ignore[index]
    rows = tuple(tuple(json_term(row[n]) if n in row else None for n in names) for row in bindings)
    return Results("select", variables=names, rows=rows)


def json_term(value: dict[str, str]) -> Term:
    """An rdflib term from a JSON results term; ``xsd:string`` literals become plain literals."""
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if kind not in ("literal", "typed-literal"):  # Virtuoso writes the SPARQL 1.0 typed-literal
        raise KeyError(f"term type {kind!r}")
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    datatype = value.get("datatype", str(XSD.string))
    return Literal(
        value["value"], datatype=None if datatype == str(XSD.string) else URIRef(datatype)
    )


class RememberedDigestAuth(HTTPDigestAuthHandler):
    """Digest authentication that answers the server's last challenge up front.

    urllib sends every request once without credentials, then again after the 401. Virtuoso
    answers that 401 before reading a large PUT body and closes the connection, so the upload
    dies with a broken pipe. Once a challenge is known, its nonce (with a new count) goes with
    the first attempt.
    """

    def __init__(self, passwords: HTTPPasswordMgrWithDefaultRealm) -> None:
        super().__init__(passwords)
        self.challenge: dict[str, str] | None = None

    def http_request(self, req: Request) -> Request:
        if self.challenge is not None and not req.has_header(self.auth_header):
            answer = self.get_authorization(req, self.challenge)
            if answer:
                req.add_unredirected_header(self.auth_header, f"Digest {answer}")
        return req

    https_request = http_request

    def retry_http_digest_auth(self, req: Request, auth: str) -> object:
        self.challenge = parse_keqv_list([p for p in parse_http_list(auth.split(" ", 1)[1]) if p])
        return super().retry_http_digest_auth(req, auth)


class RememberedBasicAuth(HTTPBasicAuthHandler):
    """Basic authentication that, once the server asked for it, sends credentials up front."""

    asked = False

    def http_request(self, req: Request) -> Request:
        # realm "" falls back to the default realm, where the password is
        user, password = self.passwd.find_user_password("", req.full_url)
        if self.asked and user is not None and not req.has_header(self.auth_header):
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            req.add_unredirected_header(self.auth_header, f"Basic {token}")
        return req

    https_request = http_request

    def retry_http_basic_auth(self, host: str, req: Request, realm: str) -> object:
        self.asked = True
        return super().retry_http_basic_auth(host, req, realm)


class HttpClient:
    """urllib with basic or digest credentials and a timeout, raising rcsgraph errors."""

    def __init__(
        self, urls: Sequence[str], user: str | None, password: str | None, timeout: float
    ) -> None:
        handlers: list[BaseHandler] = []
        if user is not None:
            passwords = HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, list(urls), user, password or "")
            # urllib tries digest (order 490) before basic (500), each when the server asks.
            handlers = [RememberedDigestAuth(passwords), RememberedBasicAuth(passwords)]
        self.opener = build_opener(*handlers)
        self.timeout = timeout
        self.needs_challenge = user is not None

    def post_form(self, url: str, field: str, text: str, accept: str) -> Reply:
        """POST one form field; a 4xx other than 401, 403, 404 is the query's syntax error."""
        body = urlencode({field: text}).encode("ascii")
        form = "application/x-www-form-urlencoded"
        return self.send("POST", url, body, form, accept, syntax=True)

    def send(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        content_type: str | None = None,
        accept: str = "*/*",
        *,
        syntax: bool = False,
        absent_ok: bool = False,
    ) -> Reply:
        """One request; ``absent_ok`` turns a 404 into an empty answer."""
        headers = {"Accept": accept} | ({"Content-Type": content_type} if content_type else {})
        request = Request(url, data=body, headers=headers, method=method)
        try:
            if body is not None and self.needs_challenge:
                self.meet_challenge(url)
            with self.opener.open(request, timeout=self.timeout) as response:
                return Reply(url, media_type(response.headers.get("Content-Type")), response.read())
        except HTTPError as exc:
            if exc.code == 404 and absent_ok:
                return Reply(url, "", b"")
            raise http_error(url, exc.code, exc.read(), syntax) from None
        except (URLError, OSError, HTTPException, ValueError) as exc:
            reason = getattr(exc, "reason", None) or exc
            if isinstance(reason, TimeoutError):
                reason = f"no answer within {self.timeout:g} s"
            raise StoreError(f"{url}: {reason}") from None

    def meet_challenge(self, url: str) -> None:
        """Authenticate with a bodiless HEAD before the first request that carries a body."""
        try:
            with self.opener.open(Request(url, method="HEAD"), timeout=self.timeout):
                pass
        except HTTPError as exc:
            if exc.code in (401, 403, 407):
                raise
        self.needs_challenge = False


class GraphStore:
    """A SPARQL 1.1 Graph Store Protocol endpoint, spoken in N-Triples one graph at a time."""

    def __init__(self, url: str, http: HttpClient) -> None:
        self.url = checked_url(url)
        self.http = http

    def put(self, graph: str, triples: list[ox.Triple]) -> None:
        """Replace ``graph`` with ``triples``."""
        self.http.send("PUT", self.graph_url(graph), ntriples(triples), NTRIPLES)

    def post(self, graph: str, triples: list[ox.Triple]) -> None:
        """Add ``triples`` to ``graph``."""
        self.http.send("POST", self.graph_url(graph), ntriples(triples), NTRIPLES)

    def delete(self, graph: str) -> None:
        """Remove ``graph``; no error when it does not exist."""
        self.http.send("DELETE", self.graph_url(graph), absent_ok=True)

    def get(self, graph: str) -> list[ox.Triple]:
        """The triples of ``graph``; none when it does not exist."""
        reply = self.http.send(
            "GET", self.graph_url(graph), None, None, TRIPLES_ACCEPT, absent_ok=True
        )
        return reply.triples()

    def graph_url(self, graph: str) -> str:
        """The endpoint URL naming ``graph`` (``?graph=``)."""
        checked_iri(graph)
        return self.url + ("&" if "?" in self.url else "?") + urlencode({"graph": graph})


def checked_url(url: str) -> str:
    """An http(s) URL with a host, or ``InputError``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"{url!r} is not an http(s) URL")
    return url


def media_type(content_type: str | None) -> str:
    """The media type of a Content-Type header, lower-case, without parameters."""
    return (content_type or "").split(";")[0].strip().lower()


def http_error(url: str, code: int, body: bytes, syntax: bool) -> StoreError | QuerySyntaxError:
    """The error for an HTTP error status, with the server's message."""
    message = server_message(body)
    if code in (401, 403, 407):
        return StoreError(f"{url}: access refused (HTTP {code}) {message}".rstrip())
    if syntax and 400 <= code < 500 and code != 404:
        return QuerySyntaxError(message or f"HTTP {code} from {url}")
    return StoreError(f"{url}: HTTP {code} {message}".rstrip())


def server_message(body: bytes) -> str:
    """The first line of text of an error body (tags of an HTML page left out), trimmed."""
    text = re.sub(r"<[^>]*>", "\n", body.decode("utf-8", "replace"))
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line[:300]


def ntriples(triples: list[ox.Triple]) -> bytes:
    """The N-Triples of ``triples``."""
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
