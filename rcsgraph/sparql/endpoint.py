"""The SPARQL endpoint's logic, independent of HTTP: check, negotiate, run, answer.

``Endpoint.handle`` takes a protocol operation and returns serialized bytes, or raises one of
the errors below, each of which the web layer turns into a status code. Nothing outbound is
ever allowed by default: ``SERVICE`` only to an allow-list, ``LOAD`` never, ``FROM``/``USING``
only on graphs the store holds. Each refusal says "refused by policy" and why.

Updates need the configured bearer token; then the pool runs one worker over a writable store
(``Pool.serve_writes``), so that every later request sees every write. The protocol's update
dataset (``using-graph-uri``/``using-named-graph-uri``) is written into the update as ``USING``
clauses (``scan.with_using``), because Oxigraph's update API takes no dataset.
"""

import hmac
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rcsgraph.config import Settings
from rcsgraph.errors import InputError, QuerySyntaxError, RcsGraphError
from rcsgraph.sparql import conneg
from rcsgraph.sparql.executor import Pool
from rcsgraph.sparql.job import Job
from rcsgraph.sparql.results import Answer
from rcsgraph.sparql.scan import Scan, scan, with_using

if TYPE_CHECKING:  # rdflib is not imported on the way to a first answer
    from rcsgraph.sparql.local import LocalQueries
    from rcsgraph.store.base import Results, Term


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
    format: str | None = None  # format= (or output=) values, comma-separated
    authorization: str | None = None
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None  # relative IRIs resolve against it (the endpoint's URL)


class Endpoint:
    """Answers SPARQL requests from a pool of workers over one store."""

    def __init__(
        self,
        settings: Settings,
        pool: Pool,
        graphs: "set[str] | Callable[[], set[str]]",
        local: "LocalQueries | None" = None,
    ) -> None:
        """``graphs``: the named graphs of the store, or how to list them when first needed;
        ``local``: where rcsgraph's own queries run without a worker, if anywhere."""
        self.settings, self.pool, self.local = settings, pool, local
        self._graphs: set[str] | None = graphs if isinstance(graphs, set) else None
        self._list_graphs = None if isinstance(graphs, set) else graphs
        self.updates = 0  # updates run so far: what was derived from the data before is stale
        if settings.update_token:
            pool.serve_writes()

    @property
    def graphs(self) -> set[str]:
        """The named graphs ``FROM`` may name (listed once, when first needed)."""
        if self._graphs is None:
            assert self._list_graphs is not None
            self._graphs = self._list_graphs()
        return self._graphs

    @graphs.setter
    def graphs(self, value: set[str]) -> None:
        self._graphs = value

    def handle(self, request: Request) -> Answer:
        """Answer a query in the negotiated format, or run an update (token first)."""
        if request.kind == "update":
            self._authorize(request.authorization)
        found = self.check(request)
        if request.kind == "update":
            return self._update(request, found)
        media = self.negotiate(request, found)
        job = self._job(request, found, media)
        return self._answer(job, here=self._bounded(request, found))

    def _bounded(self, request: Request, found: Scan) -> bool:
        """Whether a client's query is a lookup (``scan.is_lookup``) on the default dataset
        whose rows the cap (or a smaller LIMIT) bounds: its evaluation reads at most that many
        rows of one index range, so it runs in the web process, without the round trip to a
        worker (which cost a lookup more than its evaluation)."""
        cap = self.settings.row_cap
        return (
            self.local is not None
            and found.lookup
            and (found.limit is None or found.limit <= cap)
            and request.default_graphs is None
            and request.named_graphs is None
        )

    def _answer(self, job: Job, own: bool = False, here: bool = False) -> Answer:
        """Run ``job``: in a worker, or as one of rcsgraph's own queries (``own``), or in this
        thread (``here``: a bounded lookup); a cut answer says so in its headers (the cap is
        never silent)."""
        if here:
            assert self.local is not None  # _bounded said so
            reply = self.local.answer_here(job)
        elif own:
            reply = self._own(job)
        else:
            reply = self.pool.run(job, self.settings.timeout)
        _raise_for(reply)
        answer: Answer = reply[1]
        if answer.truncated:
            answer.headers["X-Row-Cap"] = str(self.settings.row_cap)
            answer.headers["Warning"] = (
                f'199 rcsgraph "answer cut at {self.settings.row_cap} rows; '
                'add LIMIT/OFFSET to page through it"'
            )
        return answer

    def _update(self, request: Request, found: Scan) -> Answer:
        job = self._job(request, found, "")
        if request.default_graphs or request.named_graphs:
            if found.update_dataset:
                raise InputError(
                    "the update names its dataset (USING or WITH) and so does the request "
                    "(using-graph-uri/using-named-graph-uri): give it once"
                )
            default, named = request.default_graphs or (), request.named_graphs or ()
            text = with_using(request.text, default, named)
            job = replace(job, text=text, default_graphs=None, named_graphs=None)
        reply = self.pool.run(job, self.settings.timeout)
        _raise_for(reply)
        self.graphs = set(reply[1])  # the worker answers with the graphs the store now holds
        self.updates += 1
        return Answer("text/plain", b"update done\n")

    def run_canned(
        self, text: str, columns: tuple[str, ...], bindings: "dict[str, Term]", media: str
    ) -> Answer:
        """Run a catalogue query (its ``text``) with engine-bound parameters, showing only its
        ``columns`` when it is a SELECT."""
        found = scanned(text)
        job = Job(
            kind="query",
            text=text,
            media_type=media,
            cap=self.settings.row_cap,
            limit=found.limit,
            form=found.form,
            bindings=dict(bindings),
            columns=columns if found.form == "SELECT" else None,
        )
        return self._answer(job, own=True)

    def query(self, text: str, bindings: "Mapping[str, Term] | None" = None) -> "Results":
        """Evaluate one of rcsgraph's own queries (not a client's: no checks, no cap) here or
        in a worker (see ``_own``), with engine-bound ``bindings``; engine-neutral ``Results``,
        as ``Store.query``."""
        job = Job(kind="query", text=text, bindings=dict(bindings or {}))
        reply = self._own(job)
        _raise_for(reply)
        results: Results = reply[1]
        return results

    def _own(self, job: Job) -> tuple[str, Any]:
        """The reply to one of rcsgraph's own queries: evaluated here when it can be (see
        ``rcsgraph.sparql.local``), else by a worker."""
        reply = self.local.run(job, self.settings.timeout) if self.local else None
        if reply is None:
            reply = self.pool.run(job, self.settings.timeout)
        return reply

    def check(self, request: Request) -> Scan:
        """Refuse what is too large, too deep or reaches outside the store, before evaluation."""
        limits = self.settings
        if len(request.text) > limits.max_query_length:
            raise Refused(
                f"refused by policy: the request is longer than {limits.max_query_length} "
                "characters"
            )
        found = scanned(request.text, request.base_iri or "")
        if found.max_depth > limits.max_nesting:
            raise Refused(
                f"refused by policy: the request nests deeper than {limits.max_nesting} levels"
            )
        for service in found.services:
            if service not in limits.service_allow:
                raise Refused(
                    f"refused by policy: SERVICE <{service}>; this endpoint makes no "
                    "outbound requests except to its configured allow-list"
                )
        if found.loads:
            raise Refused(
                f"refused by policy: LOAD <{found.loads[0]}>; this endpoint never fetches data"
            )
        for graph in [*found.from_graphs, *found.from_named]:
            if graph not in self.graphs:
                raise Refused(
                    f"refused by policy: FROM/USING <{graph}> is not a graph of this store, "
                    "and this endpoint never fetches graphs"
                )
        # Without a form the engine says what is wrong (an update may be empty, too).
        if found.form is not None and (found.form == "UPDATE") != (request.kind == "update"):
            raise QuerySyntaxError(f"a {found.form} form was sent as {request.kind}")
        return found

    def negotiate(self, request: Request, found: Scan) -> str:
        """The media type of the answer: ``format=`` for the form at hand, then the Accept
        header (``conneg.for_answer``)."""
        formats = conneg.names(request.format)
        if len(request.accept or "") <= _REMEMBERED_ACCEPT:
            chosen = _negotiated(found.form, tuple(formats), request.accept)
        else:
            chosen = conneg.for_answer(found.form, formats, request.accept)
        if chosen is None:
            graph_form = found.form in ("CONSTRUCT", "DESCRIBE")
            table = conneg.RDF_TYPES if graph_form else conneg.RESULT_TYPES
            asked = f" (nor format={','.join(formats)})" if formats else ""
            raise NotAcceptable(
                f"none of the accepted types{asked} can carry a {found.form} answer; "
                f"offered: {', '.join(table.values())} (or format={'|'.join(table)})"
            )
        return chosen

    def _job(self, request: Request, found: Scan, media: str) -> Job:
        return Job(
            kind=request.kind,
            text=request.text,
            media_type=media,
            cap=self.settings.row_cap,
            limit=found.limit,
            form=found.form,
            star=found.star,
            variables=tuple(found.variables),
            default_graphs=request.default_graphs,
            named_graphs=request.named_graphs,
            base_iri=request.base_iri,
            union_default=not (found.from_graphs or found.from_named),
        )

    def _authorize(self, header: str | None) -> None:
        token = self.settings.update_token
        if not token:
            raise Unauthorized("this endpoint is read-only: updates are disabled")
        scheme, _, given = (header or "").partition(" ")
        same = hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8"))
        if scheme.lower() != "bearer" or not same:
            raise Unauthorized("updates need `Authorization: Bearer <token>`")


@lru_cache(maxsize=512)
def scanned(text: str, base: str = "") -> Scan:
    """``scan``, remembered for the most recent requests: the same queries come again and again
    (a page's, a client's lookups), and scanning costs more than the rest of the web side."""
    return scan(text, base)


#: Accept headers up to this length have their negotiation remembered: clients send the same
#: few headers again and again, and a remembered choice costs a tenth of a fresh one.
_REMEMBERED_ACCEPT = 1024


@lru_cache(maxsize=256)
def _negotiated(form: str | None, formats: tuple[str, ...], accept: str | None) -> str | None:
    """``conneg.for_answer``, remembered (it is a pure function of its arguments)."""
    return conneg.for_answer(form, formats, accept)


_WHERE = re.compile(r"error at (\d+):(\d+): ")
_LONGEST_MESSAGE = 300


def syntax_message(detail: str) -> str:
    """The engine's syntax error, short, with its line and column spelled out."""
    text = " ".join(detail.split())
    match = _WHERE.match(text)
    if match:
        line, column = match.groups()
        text = f"syntax error at line {line}, column {column}: {text[match.end() :]}"
    else:
        text = f"syntax error: {text}"
    if len(text) > _LONGEST_MESSAGE:
        text = text[: _LONGEST_MESSAGE - 1] + "…"
    return text


def _raise_for(reply: tuple[str, object]) -> None:
    status, detail = reply
    if status == "syntax":
        raise QuerySyntaxError(syntax_message(str(detail)))
    if status == "error":
        raise EvaluationError(str(detail))
