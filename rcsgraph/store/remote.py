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

Bound variables reach the server as a ``VALUES`` block opening the WHERE group: see
``rcsgraph.store.binding.bind``.
"""

from collections.abc import Mapping

import pyoxigraph as ox
from rdflib import Literal, URIRef

from rcsgraph.errors import InputError, StoreError
from rcsgraph.layout import GRAPH_BASE
from rcsgraph.store.base import Results, Store, Term
from rcsgraph.store.binding import bind, iri_n3, keep_backslash_u, query_form
from rcsgraph.store.oxigraph import FORMATS
from rcsgraph.store.protocol import (
    RESULTS_JSON,
    TRIPLES_ACCEPT,
    GraphStore,
    HttpClient,
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


def parse_triples(data: bytes, fmt: str) -> list[ox.Triple]:
    """The triples of ``data`` in ``fmt`` (one of ``RDF_FORMATS``), whatever their graph."""
    try:
        return [quad.triple for quad in ox.parse(data, FORMATS[fmt])]
    except SyntaxError as exc:
        raise InputError(f"cannot parse {fmt}: {exc}") from None
