"""The SPARQL endpoint's logic, independent of HTTP: check, negotiate, run, answer.

``Endpoint.handle`` takes a protocol operation and returns serialized bytes, or raises one of
the errors below, each of which the web layer turns into a status code. Nothing outbound is
ever allowed by default: ``SERVICE`` only to an allow-list, ``LOAD`` never, ``FROM``/``USING``
only on graphs the store holds.
"""

import hmac
from dataclasses import dataclass

from rcsgraph import conneg
from rcsgraph.config import Settings
from rcsgraph.errors import InputError, QuerySyntaxError, RcsGraphError
from rcsgraph.executor import Job, Pool
from rcsgraph.results import Answer
from rcsgraph.sparqlscan import Scan, scan


class Refused(InputError):
    """A request that would reach outside the store, or is too large or too deep."""


class NotAcceptable(InputError):
    """No format the client accepts can carry this answer."""


class Unauthorized(RcsGraphError):
    """A write without the configured bearer token."""


class EvaluationError(InputError):
    """The engine could not evaluate a well-formed request (for example a type error)."""


@dataclass(frozen=True)
class Request:
    """What the web layer read from HTTP."""

    kind: str
    text: str
    accept: str | None = None
    format: str | None = None
    authorization: str | None = None
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None


class Endpoint:
    """Answers SPARQL requests from a pool of workers over one store."""

    def __init__(self, settings: Settings, pool: Pool, graphs: set[str]) -> None:
        self.settings, self.pool, self.graphs = settings, pool, graphs

    def handle(self, request: Request) -> Answer:
        found = self.check(request)
        if request.kind == "update":
            self._authorize(request.authorization)
            reply = self.pool.run(self._job(request, found, ""), self.settings.timeout)
            _raise_for(reply)
            return Answer("text/plain", b"update done\n")
        media = self.negotiate(request, found)
        reply = self.pool.run(self._job(request, found, media), self.settings.timeout)
        _raise_for(reply)
        answer: Answer = reply[1]
        if answer.truncated:
            answer.headers["X-Row-Cap"] = str(self.settings.row_cap)
            answer.headers["Warning"] = (
                f'199 rcsgraph "answer cut at {self.settings.row_cap} rows; '
                'add LIMIT/OFFSET to page through it"'
            )
        return answer

    def check(self, request: Request) -> Scan:
        """Refuse what is too large, too deep or reaches outside the store, before evaluation."""
        limits = self.settings
        if len(request.text) > limits.max_query_length:
            raise Refused(f"the request is longer than {limits.max_query_length} characters")
        found = scan(request.text)
        if found.max_depth > limits.max_nesting:
            raise Refused(f"the request nests deeper than {limits.max_nesting} levels")
        for service in found.services:
            if service not in limits.service_allow:
                raise Refused(
                    f"SERVICE <{service}> is not allowed: this endpoint makes no "
                    "outbound requests except to its configured allow-list"
                )
        if found.loads:
            raise Refused("LOAD is not allowed: this endpoint never fetches data")
        for graph in [*found.from_graphs, *found.from_named]:
            if graph not in self.graphs:
                raise Refused(
                    f"FROM/USING <{graph}>: no such graph in this store, and this "
                    "endpoint never fetches graphs"
                )
        if found.form is None:
            raise QuerySyntaxError("not a SPARQL query or update")
        if (found.form == "UPDATE") != (request.kind == "update"):
            raise QuerySyntaxError(f"a {found.form} form was sent as {request.kind}")
        return found

    def negotiate(self, request: Request, found: Scan) -> str:
        """The media type of the answer: ``format=`` first, then the Accept header."""
        graph_form = found.form in ("CONSTRUCT", "DESCRIBE")
        table = conneg.RDF_TYPES if graph_form else conneg.RESULT_TYPES
        if request.format:
            chosen = conneg.by_format(request.format, table)
            if chosen is None:
                raise NotAcceptable(
                    f"format={request.format} cannot carry a {found.form} answer; "
                    f"use one of {', '.join(table)}"
                )
            return chosen
        chosen = conneg.choose(request.accept, list(table.values()))
        if chosen is None:
            raise NotAcceptable(
                f"none of the accepted types can carry a {found.form} answer; "
                f"offered: {', '.join(table.values())}"
            )
        return chosen

    def _job(self, request: Request, found: Scan, media: str) -> Job:
        return Job(
            kind=request.kind,
            text=request.text,
            media_type=media,
            cap=self.settings.row_cap,
            limit=found.limit,
            star=found.star,
            default_graphs=request.default_graphs,
            named_graphs=request.named_graphs,
        )

    def _authorize(self, header: str | None) -> None:
        token = self.settings.update_token
        if not token:
            raise Unauthorized("this endpoint is read-only: updates are disabled")
        scheme, _, given = (header or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip(), token):
            raise Unauthorized("updates need `Authorization: Bearer <token>`")


def _raise_for(reply: tuple[str, object]) -> None:
    status, detail = reply
    if status == "syntax":
        raise QuerySyntaxError(str(detail))
    if status == "error":
        raise EvaluationError(str(detail))
