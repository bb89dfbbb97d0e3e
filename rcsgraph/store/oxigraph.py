"""The default backend: ``pyoxigraph.Store``, in memory or on disk (read-write or read-only)."""

from collections.abc import Mapping
from pathlib import Path

import pyoxigraph as ox

from rcsgraph.errors import QuerySyntaxError, ReadOnlyStoreError, StoreError
from rcsgraph.store.base import Results, Store, Term
from rcsgraph.store.binding import bind
from rcsgraph.store.terms import converted_or_none, to_rdflib

FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}

_COUNT_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


class OxigraphStore(Store):
    """An Oxigraph store; ``path=None`` keeps it in memory."""

    name = "oxigraph"

    def __init__(self, path: Path | None = None, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        try:
            if path is None:
                self.store = ox.Store()
            elif read_only:
                self.store = ox.Store.read_only(str(path))
            else:
                self.store = ox.Store(str(path))
        except OSError as exc:
            raise StoreError(f"{path}: cannot open the store ({exc})") from None

    @classmethod
    def wrap(cls, store: ox.Store) -> "OxigraphStore":
        """The interface over a ``pyoxigraph.Store`` opened elsewhere."""
        wrapped = cls.__new__(cls)
        wrapped.path, wrapped.read_only, wrapped.store = None, False, store
        return wrapped

    def load(self, data: bytes, fmt: str, graph: str) -> None:
        self._writable()
        try:
            self.store.load(data, FORMATS[fmt], to_graph=ox.NamedNode(graph))
        except SyntaxError as exc:
            raise QuerySyntaxError(f"cannot parse {fmt}: {exc}") from None

    def bulk_load(self, quads: object) -> None:
        """Add many ``pyoxigraph.Quad`` fast, without keeping them all in memory."""
        self._writable()
        self.store.bulk_extend(quads)  # type: ignore[arg-type]

    def clear(self, graph: str) -> None:
        self._writable()
        node = ox.NamedNode(graph)
        if node in set(self.store.named_graphs()):
            self.store.remove_graph(node)

    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> Results:
        text = bind(sparql, bindings or {})  # see rcsgraph.store.binding: substitutions filter late
        try:
            answer = self.store.query(text, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from None
        return convert(answer)

    def update(self, sparql: str) -> None:
        self._writable()
        try:
            self.store.update(sparql)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from None

    def export(self, fmt: str = "nquads", graph: str | None = None) -> bytes:
        if graph is None:
            dumped = self.store.dump(format=FORMATS[fmt])
        else:
            dumped = self.store.dump(format=FORMATS[fmt], from_graph=ox.NamedNode(graph))
        return dumped or b""

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.store.named_graphs())

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            return len(self.store)
        # Oxigraph substitutes only variables of the projection, hence ?g in SELECT.
        found = self.query(_COUNT_GRAPH, {"g": to_rdflib(ox.NamedNode(graph))})
        return int(found.rows[0][1].toPython()) if found.rows else 0  # type: ignore[union-attr]

    def flush(self) -> None:
        if not self.read_only:
            self.store.flush()

    def close(self) -> None:
        self.flush()
        del self.store

    def _writable(self) -> None:
        if self.read_only:
            raise ReadOnlyStoreError(f"{self.path}: the store is open read-only")


def convert(answer: object) -> Results:
    """Engine-neutral ``Results`` from a pyoxigraph answer."""
    if isinstance(answer, ox.QueryBoolean):
        return Results("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = tuple(v.value for v in answer.variables)
        rows = tuple(tuple(map(converted_or_none, solution)) for solution in answer)
        return Results("select", variables=names, rows=rows)
    triples = tuple(
        (to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object))
        for t in answer  # type: ignore[attr-defined]
    )
    return Results("graph", triples=triples)
