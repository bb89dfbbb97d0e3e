"""The reference engine: an in-memory rdflib ``Dataset`` whose default graph is the union.

Tests run every query here too and compare answers with Oxigraph. It is not for serving: rdflib
evaluates slowly and, left to itself, would fetch IRIs named in ``FROM`` clauses.
"""

from collections.abc import Mapping

from pyparsing import ParseException
from rdflib import Dataset, URIRef, Variable
from rdflib.query import Result

from rcsgraph.errors import QuerySyntaxError
from rcsgraph.store.base import Results, Store, Term

FORMATS = {
    "turtle": "turtle",
    "nt": "nt",
    "nquads": "nquads",
    "trig": "trig",
    "jsonld": "json-ld",
    "xml": "xml",
}


class RdflibStore(Store):
    """An rdflib ``Dataset`` in memory."""

    name = "rdflib"

    def __init__(self) -> None:
        self.dataset = Dataset(default_union=True)

    def load(self, data: bytes, fmt: str, graph: str) -> None:
        self.dataset.graph(URIRef(graph)).parse(data=data, format=FORMATS[fmt])

    def clear(self, graph: str) -> None:
        self.dataset.remove_graph(URIRef(graph))

    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> Results:
        initial = {str(Variable(k)): v for k, v in (bindings or {}).items()}
        try:
            answer = self.dataset.query(sparql, initBindings=initial)
        except ParseException as exc:
            raise QuerySyntaxError(str(exc)) from None
        return convert(answer)

    def update(self, sparql: str) -> None:
        try:
            self.dataset.update(sparql)
        except ParseException as exc:
            raise QuerySyntaxError(str(exc)) from None

    def export(self, fmt: str = "nquads", graph: str | None = None) -> bytes:
        source = self.dataset if graph is None else self.dataset.graph(URIRef(graph))
        return source.serialize(format=FORMATS[fmt], encoding="utf-8")

    def graphs(self) -> list[str]:
        return sorted(str(g.identifier) for g in self.dataset.graphs() if len(g))

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            return sum(1 for _ in self.dataset.quads((None, None, None, None)))
        return len(self.dataset.graph(URIRef(graph)))


def convert(answer: Result) -> Results:
    """Engine-neutral ``Results`` from an rdflib query result."""
    if answer.type == "ASK":
        return Results("ask", boolean=bool(answer.askAnswer))
    if answer.type == "SELECT":
        names = tuple(str(v) for v in answer.vars or ())
        rows = tuple(tuple(row) for row in answer)  # type: ignore[arg-type]
        return Results("select", variables=names, rows=rows)  # type: ignore[arg-type]
    assert answer.graph is not None  # CONSTRUCT and DESCRIBE always carry a graph
    return Results("graph", triples=tuple(answer.graph))  # type: ignore[arg-type]
