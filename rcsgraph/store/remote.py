"""The remote backend: any SPARQL 1.1 server, through its query, update and Graph Store endpoints.

Server set-up: the default graph of a query must be the union of the named graphs, as in every
backend (``rcsgraph.store.base``). Oxigraph: ``oxigraph serve --union-default-graph``; Virtuoso
does so by default for a query without ``FROM``. A server may hold graphs of its own (Virtuoso
keeps system graphs): ``graphs()`` and ``count()`` see only the graphs named under
``graphs_under`` (default: ``rcsgraph.layout.GRAPH_BASE``), while queries see the whole union.

Protocol choices, each forced by a server met in the tests:

- queries and updates are form-encoded POSTs (``query=``, ``update=``): Virtuoso 7.2 never
  answers a direct ``application/sparql-query`` POST (openlink/virtuoso-opensource#842);
- ``Accept`` follows the query form: Virtuoso answers a CONSTRUCT with SPARQL JSON results when
  the header lists both JSON results and an RDF syntax;
- writes go through the Graph Store Protocol when its URL is given, else through SPARQL Update.

Bound variables reach the server as a ``VALUES`` block opening the WHERE group: see ``bind``.
"""

import re
from collections.abc import Mapping

import pyoxigraph as ox
from rdflib import Literal, URIRef

from rcsgraph.errors import InputError, QuerySyntaxError, StoreError
from rcsgraph.layout import GRAPH_BASE
from rcsgraph.store.base import Results, Store, Term
from rcsgraph.store.oxigraph import FORMATS
from rcsgraph.store.protocol import (
    RESULTS_JSON,
    TRIPLES_ACCEPT,
    GraphStore,
    HttpClient,
    checked_iri,
    checked_url,
    ntriples,
)
from rcsgraph.store.terms import to_oxigraph

#: Syntaxes that ``export`` of all graphs can write.
QUAD_FORMATS = ("nquads", "trig")
#: Triples per ``INSERT DATA`` request when there is no Graph Store endpoint.
INSERT_BATCH = 5000

_GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_GRAPH_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"

# The prologue (comments, BASE, PREFIX) before the keyword that names the query form.
_PROLOGUE = re.compile(r"(?:\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s*[^\s:]*:\s*<[^>]*>)*", re.I)
_FORM = re.compile(r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)
# Tokens of a query that may hold a brace or "WHERE" without meaning it (strings, IRIs,
# comments, variables), then WHERE and the braces themselves.
_SKIPPED = (
    r'"""(?:\\.|[^\\])*?"""',
    r"'''(?:\\.|[^\\])*?'''",
    r'"(?:\\.|[^"\\\n\r])*"',
    r"'(?:\\.|[^'\\\n\r])*'",
    r"<[^<>\"{}|^`\\\x00-\x20]*>",
    r"#[^\n]*",
    r"[?$:\w]WHERE",
)
_TOKENS = re.compile(
    "|".join(_SKIPPED) + r"|(?P<where>\bWHERE\b)|(?P<open>\{)|(?P<close>\})", re.I | re.S
)
# An escaped backslash followed by u or U (group 1), or any other escape.
_ESCAPE = re.compile(r"\\\\([uU])|\\.", re.S)
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LANGUAGE = re.compile(r"[A-Za-z]+(?:-[A-Za-z0-9]+)*")


class RemoteStore(Store):
    """A SPARQL 1.1 server; ``update_url`` or ``gsp_url`` is needed only to write."""

    name = "remote"

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        gsp_url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        timeout: float = 60.0,
        graphs_under: str = GRAPH_BASE,
    ) -> None:
        urls = [url for url in (query_url, update_url, gsp_url) if url is not None]
        self.http = HttpClient(urls, user, password, timeout)
        self.query_url = checked_url(query_url)
        self.update_url = None if update_url is None else checked_url(update_url)
        self.graph_store = None if gsp_url is None else GraphStore(gsp_url, self.http)
        self.graphs_under = graphs_under

    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> Results:
        form = query_form(sparql)
        accept = TRIPLES_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else RESULTS_JSON
        text = bind(sparql, bindings or {})
        results = self.http.post_form(self.query_url, "query", text, accept).results()
        if form == "ASK" and results.kind != "ask":
            # Virtuoso does this unless its virtuoso.ini says CaseMode = 2.
            raise StoreError(f"{self.query_url}: answered an ASK query without a boolean")
        return results

    def update(self, sparql: str) -> None:
        if self.update_url is None:
            raise StoreError(f"{self.query_url}: read-only (no update endpoint was given)")
        self.http.post_form(self.update_url, "update", sparql, "*/*")

    def load(self, data: bytes, fmt: str, graph: str) -> None:
        triples = parse_triples(data, fmt)
        if self.graph_store is not None:
            self.graph_store.post(graph, triples)
            return
        for start in range(0, len(triples), INSERT_BATCH):
            # Oxigraph's N-Triples are valid SPARQL triples: nothing is formatted by hand here.
            body = keep_backslash_u(ntriples(triples[start : start + INSERT_BATCH]).decode())
            self.update(f"INSERT DATA {{ GRAPH {iri_n3(graph)} {{\n{body}}} }}")

    def clear(self, graph: str) -> None:
        if self.graph_store is not None:
            self.graph_store.delete(graph)
        else:
            self.update("DROP SILENT GRAPH " + iri_n3(graph))

    def export(self, fmt: str = "nquads", graph: str | None = None) -> bytes:
        if graph is not None:
            return ox.serialize(self._triples(graph), format=FORMATS[fmt]) or b""
        if fmt not in QUAD_FORMATS:
            raise InputError(f"exporting every graph needs one of {', '.join(QUAD_FORMATS)}")
        quads = [
            ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(name))
            for name in self.graphs()
            for t in self._triples(name)
        ]
        return ox.serialize(quads, format=FORMATS[fmt]) or b""

    def graphs(self) -> list[str]:
        return sorted(self._graph_counts())

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            return sum(self._graph_counts().values())
        found = self.query(_GRAPH_COUNTS, {"g": URIRef(graph)})
        return sum(int(row[1]) for row in found.rows if isinstance(row[1], Literal))

    def _graph_counts(self) -> dict[str, int]:
        """Triples per named graph under ``graphs_under``."""
        return {
            str(name): int(count)
            for name, count in self.query(_GRAPH_COUNTS).rows
            if isinstance(count, Literal) and str(name).startswith(self.graphs_under)
        }

    def _triples(self, graph: str) -> list[ox.Triple]:
        """The triples of one named graph."""
        if self.graph_store is not None:
            return self.graph_store.get(graph)
        found = self.query(_GRAPH_TRIPLES, {"g": URIRef(graph)})
        return [
            ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
            for s, p, o in found.triples
        ]


def query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, read after the prologue; None when not found."""
    prologue = _PROLOGUE.match(sparql)
    form = _FORM.match(sparql, prologue.end() if prologue else 0)
    return form.group(1).upper() if form else None


def bind(sparql: str, bindings: Mapping[str, Term]) -> str:
    """The query with a one-row ``VALUES`` block opening its WHERE group, binding each variable.

    Why this is binding and not formatting: only the query's own text is scanned (to find its
    WHERE group); every value is type-checked (an absolute IRI, or a literal with a checked
    datatype or language tag) and written by rdflib's ``n3()``, which escapes quotes,
    backslashes and line breaks, so it can only ever be one RDF term. A group that opens with
    ``VALUES`` joins that one row with the rest of the group, so the variables hold the bound
    values throughout it, ``FILTER`` and ``OPTIONAL`` included: pre-binding, as Oxigraph's
    ``substitutions`` and rdflib's ``initBindings`` do. A subquery does not see the values,
    as SPARQL scoping wants. Not a trailing ``VALUES``: that one is joined after ``GROUP BY``,
    and Virtuoso 7.2 refuses it outside SELECT and applies it to projected variables only.
    """
    if not bindings:
        return sparql
    names = " ".join("?" + checked_variable(name) for name in bindings)
    terms = " ".join(term_n3(term) for term in bindings.values())
    start = where_group_start(sparql)
    return f"{sparql[:start]} VALUES ({names}) {{ ({terms}) }}\n{sparql[start:]}"


def where_group_start(sparql: str) -> int:
    """Where the WHERE group of a query opens (just after its brace), or ``QuerySyntaxError``."""
    depth = 0
    template_done = query_form(sparql) != "CONSTRUCT"
    for token in _TOKENS.finditer(sparql):
        kind = token.lastgroup
        if kind == "where" and depth == 0 and not template_done:
            break  # CONSTRUCT WHERE { ... }: the group is a template, which cannot hold VALUES
        if kind == "open":
            if depth == 0 and template_done:
                return token.end()
            depth += 1
        elif kind == "close":
            depth -= 1
            template_done = template_done or depth == 0
    raise QuerySyntaxError("no WHERE group to bind variables in (a CONSTRUCT needs a template)")


def checked_variable(name: str) -> str:
    """A variable name, or ``InputError``."""
    if not _VARIABLE.fullmatch(name):
        raise InputError(f"{name!r} is not a variable name that can be bound")
    return name


def term_n3(term: Term) -> str:
    """The SPARQL form of an IRI or a literal; ``InputError`` for anything else."""
    if isinstance(term, URIRef):
        return iri_n3(str(term))
    if isinstance(term, Literal):
        if term.datatype is not None:
            iri_n3(str(term.datatype))
        if term.language is not None and not _LANGUAGE.fullmatch(term.language):
            raise InputError(f"{term.language!r} is not a language tag")
        return keep_backslash_u(term.n3())
    raise InputError(f"only IRIs and literals can be bound on a remote server, not {term!r}")


def keep_backslash_u(text: str) -> str:
    """Escaped SPARQL or N-Triples text with each u after an escaped backslash spelt ``\\u0075``.

    SPARQL 1.1 (section 19.2) lets a server expand ``\\u`` escapes before it parses, strings
    included, which would turn the text ``\\\\u0041`` into ``\\A``. Spelt so, it reads the same
    either way. (Oxigraph and Virtuoso expand escapes where they stand.)
    """
    return _ESCAPE.sub(_spell_u, text)


def _spell_u(escape: re.Match[str]) -> str:
    letter = escape.group(1)
    if letter is None:
        return escape.group(0)
    return "\\\\" + ("\\u0075" if letter == "u" else "\\u0055")


def iri_n3(iri: str) -> str:
    """``<iri>`` for an absolute IRI that IRIREF allows, or ``InputError``."""
    return URIRef(checked_iri(iri)).n3()


def parse_triples(data: bytes, fmt: str) -> list[ox.Triple]:
    """The triples of ``data`` in ``fmt`` (one of ``RDF_FORMATS``), whatever their graph."""
    try:
        return [quad.triple for quad in ox.parse(data, FORMATS[fmt])]
    except SyntaxError as exc:
        raise InputError(f"cannot parse {fmt}: {exc}") from None
