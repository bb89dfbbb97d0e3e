"""The one store interface every backend implements, and the engine-neutral result type.

Dataset layout (every backend agrees):

- All data lives in named graphs; nothing is written to the default graph.
- The default graph of a query is the union of all named graphs, so a query without
  ``GRAPH``, ``FROM`` or ``FROM NAMED`` sees the whole knowledge graph, while ``GRAPH ?g``
  still tells which graph (ontology, bundled article, links, added bundle) a triple is in.
- ``rcsgraph.layout`` names the graphs.

Terms crossing the interface are rdflib terms (``URIRef``, ``BNode``, ``Literal``), so answers
from different engines compare with ``==``.
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Literal, Self

from rdflib.term import Identifier

Term = Identifier
Triple = tuple[Term, Term, Term]

#: RDF syntaxes a store reads and writes, by our short name.
RDF_FORMATS = ("turtle", "nt", "nquads", "trig", "jsonld", "xml")


@dataclass(frozen=True)
class Results:
    """What a query answered: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT)."""

    kind: Literal["select", "ask", "graph"]
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[Triple, ...] = ()

    def dicts(self) -> list[dict[str, Term]]:
        """The solutions as dictionaries, leaving out unbound variables."""
        return [
            {
                name: value
                for name, value in zip(self.variables, row, strict=True)
                if value is not None
            }
            for row in self.rows
        ]


class Store(ABC):
    """A quad store holding the knowledge graph in named graphs."""

    #: Name of the backend in ``rcsgraph.store.BACKENDS``.
    name: ClassVar[str]

    @abstractmethod
    def load(self, data: bytes, fmt: str, graph: str) -> None:
        """Add the triples of ``data`` (in ``fmt``, one of ``RDF_FORMATS``) to named ``graph``."""

    @abstractmethod
    def clear(self, graph: str) -> None:
        """Remove named ``graph`` and all its triples (no error when it does not exist)."""

    @abstractmethod
    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> Results:
        """Evaluate a SPARQL query over the union default graph, with variables pre-bound."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Execute a SPARQL update."""

    @abstractmethod
    def export(self, fmt: str = "nquads", graph: str | None = None) -> bytes:
        """All quads (``nquads`` or ``trig``), or the triples of one graph in a triple syntax."""

    @abstractmethod
    def graphs(self) -> list[str]:
        """The names of the named graphs, sorted."""

    @abstractmethod
    def count(self, graph: str | None = None) -> int:
        """Number of quads in the store, or of triples in one named graph."""

    def close(self) -> None:  # noqa: B027 - most backends hold nothing to release
        """Release what the store holds open."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
