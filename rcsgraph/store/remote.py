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

Bound variables reach the server as a trailing ``VALUES`` block: see ``values_clause``.
"""

import re
from collections.abc import Mapping

import pyoxigraph as ox
from rdflib import Literal, URIRef

from rcsgraph.errors import InputError, StoreError
from rcsgraph.layout import GRAPH_BASE
from rcsgraph.store.base import Results, Store, Term
from rcsgraph.store.http import RESULTS_JSON, GraphStore, HttpClient, checked_url
from rcsgraph.store.oxigraph import FORMATS
from rcsgraph.store.terms import to_oxigraph, to_rdflib

#: What a CONSTRUCT or DESCRIBE asks for.
TRIPLES_ACCEPT = "application/n-triples, text/turtle;q=0.5"
#: Syntaxes that ``export`` of all graphs can write.
QUAD_FORMATS = ("nquads", "trig")
#: Triples per ``INSERT DATA`` request when there is no Graph Store endpoint.
INSERT_BATCH = 5000

_GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_GRAPH_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"

# The prologue (comments, BASE, PREFIX) before the keyword that names the query form.
_PROLOGUE = re.compile(r"(?:\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s*[^\s:]*:\s*<[^>]*>)*", re.I)
_FORM = re.compile(r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\]*")
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
        self.http = HttpClient(user, password, timeout)
        self.query_url = checked_url(query_url)
        self.update_url = None if update_url is None else checked_url(update_url)
        self.graph_store = None if gsp_url is None else GraphStore(gsp_url, self.http)
        self.graphs_under = graphs_under

    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> Results:
        accept = TRIPLES_ACCEPT if query_form(sparql) in ("CONSTRUCT", "DESCRIBE") else RESULTS_JSON
        text = sparql + values_clause(bindings or {})
        return self.http.post_form(self.query_url, "query", text, accept).results()

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
            body = ntriples(triples[start : start + INSERT_BATCH]).decode("utf-8")
            # Oxigraph's N-Triples are valid SPARQL triples: nothing is formatted by hand here.
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
        # ?g is a group key, so the trailing VALUES keeps that group only (see values_clause).
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
        return [ox.Triple(*(to_oxigraph(term) for term in triple)) for triple in found.triples]


def query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, read after the prologue; None when not found."""
    prologue = _PROLOGUE.match(sparql)
    form = _FORM.match(sparql, prologue.end() if prologue else 0)
    return form.group(1).upper() if form else None


def values_clause(bindings: Mapping[str, Term]) -> str:
    """A trailing ``VALUES`` block binding each variable to one term, or "" for no bindings.

    Why this is binding and not formatting: every term is type-checked first (an IRI, or a
    literal with a checked datatype or language tag) and written by rdflib's ``n3()``, which
    escapes quotes, backslashes and line breaks, so a value can only ever be one RDF term.
    The SPARQL algebra joins a trailing ``VALUES`` with the solutions of the whole query, which
    keeps exactly the solutions where each variable has the bound value: the same answers as
    pre-binding (Oxigraph's ``substitutions``, rdflib's ``initBindings``) for a variable that
    the query's top-level pattern binds, and is projected or a ``GROUP BY`` key - which is
    what Oxigraph requires of a bound variable anyway. A variable used only inside ``FILTER``,
    ``OPTIONAL`` or a subquery is not bound there. A query that already ends with ``VALUES``
    cannot take bindings (the server answers with a syntax error).
    """
    if not bindings:
        return ""
    names = " ".join("?" + checked_variable(name) for name in bindings)
    terms = " ".join(term_n3(term) for term in bindings.values())
    return f"\nVALUES ({names}) {{ ({terms}) }}\n"


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
        if "\\u" in term or "\\U" in term:
            # SPARQL expands \u escapes before parsing, even inside strings: the value would change.
            raise InputError("a literal containing \\u or \\U cannot be bound on a remote server")
        return term.n3()
    raise InputError(f"only IRIs and literals can be bound on a remote server, not {term!r}")


def iri_n3(iri: str) -> str:
    """``<iri>`` for an absolute IRI free of characters that IRIREF forbids, or ``InputError``."""
    if not _ABSOLUTE_IRI.fullmatch(iri):
        raise InputError(f"{iri!r} is not an absolute IRI (or holds a character IRIs forbid)")
    return URIRef(iri).n3()


def parse_triples(data: bytes, fmt: str) -> list[ox.Triple]:
    """The triples of ``data`` in ``fmt`` (one of ``RDF_FORMATS``), whatever their graph."""
    try:
        return [quad.triple for quad in ox.parse(data, FORMATS[fmt])]
    except SyntaxError as exc:
        raise InputError(f"cannot parse {fmt}: {exc}") from None


def ntriples(triples: list[ox.Triple]) -> bytes:
    """The N-Triples of ``triples``."""
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


__all__ = ["RemoteStore", "query_form", "to_rdflib", "values_clause"]
