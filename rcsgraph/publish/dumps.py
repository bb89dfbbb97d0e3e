"""The downloadable dumps: Turtle, N-Triples, JSON-LD and TriG, with their sizes and checksums.

For the bundled graph the dumps are exactly what ``rcsgraph export`` writes (the same function,
``rcsgraph.graph.export.export``). For a store (``rcsgraph serve --store``) they are written
from the store's quads by the same serializers, TriG keeping every named graph (provenance
included).
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property

from rdflib import Dataset, Graph
from rdflib.term import Node

from rcsgraph.graph.export import FORMATS, export, to_jsonld
from rcsgraph.namespaces import PREFIXES

#: The stem of every dump's file name.
STEM = "rcsgraph"

#: Human names of the export formats.
TITLES = {"ttl": "Turtle", "nt": "N-Triples", "jsonld": "JSON-LD", "trig": "TriG"}


@dataclass(frozen=True)
class Dump:
    """One dump file: its name, format, media type and bytes."""

    format: str
    data: bytes

    @property
    def name(self) -> str:
        return STEM + FORMATS[self.format][2]

    @property
    def media_type(self) -> str:
        return FORMATS[self.format][1]

    @property
    def size(self) -> int:
        return len(self.data)

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@cache
def bundled_dumps() -> tuple[Dump, ...]:
    """The dumps of the bundled graph, byte for byte those of ``rcsgraph export``."""
    return tuple(Dump(fmt, export(fmt)) for fmt in FORMATS)


#: Every quad of a store, for ``dataset_of``.
ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


def dataset_of(quads: Iterable[tuple[Node, Node, Node, Node]]) -> Dataset:
    """A dataset holding ``quads`` (subject, predicate, object, graph), prefixes bound."""
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True)
    for s, p, o, g in quads:
        dataset.graph(g).add((s, p, o))  # type: ignore[arg-type]
    return dataset


def dumps_from_quads(nquads: bytes) -> tuple[Dump, ...]:
    """The dumps of a store, given all its quads as N-Quads."""
    dataset = Dataset()
    dataset.parse(data=nquads, format="nquads")
    return dumps_from_dataset(dataset_of(dataset.quads((None, None, None, None))))  # type: ignore[arg-type]


def dumps_from_dataset(dataset: Dataset) -> tuple[Dump, ...]:
    """The dumps of a dataset: its union in the triple syntaxes, its graphs in TriG."""
    union = Graph()
    for prefix, namespace in PREFIXES.items():
        union.bind(prefix, namespace, override=True)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    written = {
        "ttl": union.serialize(format="turtle", encoding="utf-8"),
        "nt": union.serialize(format="nt", encoding="utf-8"),
        "jsonld": to_jsonld(union),
        "trig": dataset.serialize(format="trig", encoding="utf-8"),
    }
    return tuple(Dump(fmt, written[fmt]) for fmt in FORMATS)


def checksums(dumps: tuple[Dump, ...]) -> str:
    """A ``SHA256SUMS`` file (``sha256sum -c`` reads it)."""
    return "".join(f"{d.sha256}  {d.name}\n" for d in dumps)
