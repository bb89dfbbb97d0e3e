"""The label index: the label of every thing of ours, looked up without holding them all.

``labels.tsv`` holds one ``IRI<TAB>label`` line per labelled thing, sorted by IRI (claims left
out: their labels are long sentences, and a claim shows as its compact IRI); ``labels.idx``
holds the byte offset of each line as 8-byte integers. ``Labels`` maps both and finds an IRI by
binary search, so a server's memory does not grow with the graph.
"""

import mmap
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path

from rdflib import Literal, URIRef

from rcsgraph.publish.describe import Source
from rcsgraph.store.binding import values

TABLE = "labels.tsv"
INDEX = "labels.idx"
_OFFSET = struct.Struct("<Q")

#: One label per thing: the English preferred label, else any preferred label, else rdfs:label.
LABELS = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?thing ?label WHERE {
  { ?thing skos:prefLabel ?label } UNION { ?thing rdfs:label ?label }
  FILTER (isIRI(?thing) && STRSTARTS(STR(?thing), ?space))
}"""


def rows(source: Source, id_space: str, of: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(IRI, label) of every labelled thing under ``id_space`` (or of those of ``of``) but
    claims, sorted by IRI; an English label wins over others, then the smallest text."""
    claims = id_space + "claim/"
    best: dict[str, tuple[int, str]] = {}
    query = LABELS
    if of is not None:
        query = LABELS.replace(
            "WHERE {\n", "WHERE {\n  " + values("thing", map(URIRef, of)) + "\n", 1
        )
    for row in source.query(query, {"space": Literal(id_space)}).dicts():
        thing, label = str(row["thing"]), row["label"]
        if thing.startswith(claims) or not isinstance(label, Literal):
            continue
        rank = 0 if label.language in (None, "en") else 1
        text = " ".join(str(label).split())
        if thing not in best or (rank, text) < best[thing]:
            best[thing] = (rank, text)
    return sorted((thing, text) for thing, (_, text) in best.items())


def merged(
    before: Iterable[tuple[str, str]], fresh: dict[str, str], asked: Iterable[str]
) -> list[tuple[str, str]]:
    """The pairs of ``before`` with those of the ``asked`` IRIs replaced by ``fresh`` ones (an
    asked IRI without a fresh label has none any more), sorted by IRI."""
    replaced = set(asked)
    kept = [(iri, label) for iri, label in before if iri not in replaced]
    return sorted([*kept, *fresh.items()])


def write(labelled: Iterable[tuple[str, str]], folder: Path) -> None:
    """Write ``labels.tsv`` and ``labels.idx`` for ``labelled`` (sorted by IRI)."""
    offset = 0
    with (folder / TABLE).open("wb") as table, (folder / INDEX).open("wb") as index:
        for iri, label in labelled:
            line = f"{iri}\t{label}\n".encode()
            index.write(_OFFSET.pack(offset))
            table.write(line)
            offset += len(line)


class Labels:
    """The label index of a folder, mapped read-only."""

    def __init__(self, folder: Path) -> None:
        self.table = _mapped(folder / TABLE)
        self.index = _mapped(folder / INDEX)
        self.count = len(self.index) // _OFFSET.size

    def get(self, iri: str) -> str | None:
        """The label of ``iri``, or None."""
        key = iri.encode() + b"\t"
        low, high = 0, self.count
        while low < high:
            middle = (low + high) // 2
            line = self._line(middle)
            if line[: len(key)] == key:
                return line[len(key) :].decode()
            if line < key:
                low = middle + 1
            else:
                high = middle
        return None

    def of(self, iris: Iterable[str]) -> dict[str, str]:
        """The labels of those of ``iris`` that have one."""
        found = {iri: self.get(iri) for iri in set(iris)}
        return {iri: label for iri, label in found.items() if label is not None}

    def first(self, limit: int) -> Iterator[tuple[str, str]]:
        """The first ``limit`` (IRI, label) pairs, by IRI."""
        for number in range(min(limit, self.count)):
            iri, _, label = self._line(number).decode().partition("\t")
            yield iri, label

    def _line(self, number: int) -> bytes:
        (start,) = _OFFSET.unpack_from(self.index, number * _OFFSET.size)
        end = self.table.find(b"\n", start)
        return bytes(self.table[start:end])


def _mapped(path: Path) -> mmap.mmap | bytes:
    with path.open("rb") as file:
        if path.stat().st_size == 0:
            return b""
        return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
