"""The downloadable dumps: Turtle, N-Triples, JSON-LD and TriG, written once to files with
gzip copies and SHA-256 checksums, never held whole in memory.

For the bundled graph the dumps are exactly what ``rcsgraph export`` writes (the same function,
``rcsgraph.graph.export.export``). For a store they are written by Oxigraph's serializers
straight from the store: TriG keeps every named graph (provenance included); Turtle,
N-Triples and JSON-LD (expanded form, so no context at all) hold the union of the graphs, each
triple once. ``index.json`` beside them records each file's size and checksums.
"""

import hashlib
import json
import os
import zlib
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

import pyoxigraph as ox

from rcsgraph.graph.export import FORMATS
from rcsgraph.namespaces import PREFIXES

#: The stem of every dump's file name.
STEM = "rcsgraph"
#: Human names of the export formats.
TITLES = {"ttl": "Turtle", "nt": "N-Triples", "jsonld": "JSON-LD", "trig": "TriG"}
INDEX = "index.json"
CHECKSUMS = "SHA256SUMS"
_CHUNK = 1 << 20
_OX_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
}
_UNION = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


@dataclass(frozen=True)
class Dump:
    """One dump file: its format, and the size and SHA-256 of it and of its gzip copy."""

    format: str
    size: int
    sha256: str
    gzip_size: int
    gzip_sha256: str

    @property
    def name(self) -> str:
        return STEM + FORMATS[self.format][2]

    @property
    def media_type(self) -> str:
        return FORMATS[self.format][1]


def name_of(fmt: str) -> str:
    """The file name of the dump in ``fmt``."""
    return STEM + FORMATS[fmt][2]


def write_bundled(folder: Path) -> list[Dump]:
    """The dumps of the bundled graph, byte for byte those of ``rcsgraph export``."""
    from rcsgraph.graph.export import export

    return _write_all(folder, {fmt: _bytes_writer(partial(export, fmt)) for fmt in FORMATS})


def write_from_store(dataset: ox.Store, folder: Path) -> tuple[list[Dump], ox.Store]:
    """The dumps of a store, written by Oxigraph and streamed to files: ``dataset`` (its named
    graphs) in TriG, their union (each triple once) in the triple syntaxes. Also returns that
    union, as an in-memory store whose default graph holds it."""
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    union = ox.Store()

    def triples(path: Path) -> None:
        answer = dataset.query(_UNION, use_default_graph_as_union=True)
        assert isinstance(answer, ox.QueryTriples)  # a CONSTRUCT
        answer.serialize(str(path), ox.RdfFormat.N_TRIPLES)
        union.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)

    def written_from_union(fmt: str) -> Callable[[Path], None]:
        def write(path: Path) -> None:
            union.dump(str(path), _OX_FORMATS[fmt], from_graph=ox.DefaultGraph(), prefixes=prefixes)

        return write

    def quads(path: Path) -> None:
        dataset.dump(str(path), ox.RdfFormat.TRIG, prefixes=prefixes)

    def union_formats(folder: Path) -> None:
        for fmt, write in (("nt", triples), ("ttl", written_from_union("ttl"))):
            write(folder / name_of(fmt))
        written_from_union("jsonld")(folder / name_of("jsonld"))

    folder.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=2) as pool:  # Oxigraph writes without the GIL
        done = [pool.submit(union_formats, folder), pool.submit(quads, folder / name_of("trig"))]
        for future in done:
            future.result()
    return finish_all(folder, list(FORMATS)), union


def union_store(dataset: ox.Store) -> ox.Store:
    """An in-memory store whose default graph holds the union of ``dataset``'s graphs."""
    union = ox.Store()
    answer = dataset.query(_UNION, use_default_graph_as_union=True)
    assert isinstance(answer, ox.QueryTriples)  # a CONSTRUCT
    union.load(answer.serialize(format=ox.RdfFormat.N_TRIPLES), ox.RdfFormat.N_TRIPLES)
    return union


def _bytes_writer(produce: Callable[[], bytes]) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_bytes(produce())

    return write


def _write_all(folder: Path, writers: dict[str, Callable[[Path], None]]) -> list[Dump]:
    """Write each dump, then finish them (``finish_all``)."""
    folder.mkdir(parents=True, exist_ok=True)
    for fmt, write in writers.items():
        write(folder / name_of(fmt))
    return finish_all(folder, list(writers))


def finish_all(folder: Path, formats: list[str]) -> list[Dump]:
    """Gzip and checksum the dumps of ``formats`` in ``folder`` two at a time (zlib and hashlib
    let go of the interpreter lock), then write ``index.json`` and ``SHA256SUMS``."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = list(pool.map(lambda fmt: _finish(folder, fmt), formats))
    order = list(FORMATS)
    found.sort(key=lambda d: order.index(d.format))
    (folder / INDEX).write_text(json.dumps([asdict(d) for d in found], indent=1) + "\n")
    (folder / CHECKSUMS).write_text(checksums(found))
    return found


def _finish(folder: Path, fmt: str) -> Dump:
    path = folder / name_of(fmt)
    size, digest, gz_size, gz_digest = gzip_copy(path, path.with_name(path.name + ".gz"))
    return Dump(fmt, size, digest, gz_size, gz_digest)


def gzip_copy(source: Path, target: Path) -> tuple[int, str, int, str]:
    """Write ``target``, the gzip copy of ``source``, a chunk at a time; the size and SHA-256
    of both. The copy carries no file name or time, so the same bytes give the same copy."""
    raw, packed = hashlib.sha256(), hashlib.sha256()
    size = packed_size = 0
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    with source.open("rb") as reader, target.open("wb") as writer:
        for chunk in iter(lambda: reader.read(_CHUNK), b""):
            raw.update(chunk)
            size += len(chunk)
            out = compressor.compress(chunk)
            packed.update(out)
            packed_size += len(out)
            writer.write(out)
        out = compressor.flush()
        packed.update(out)
        packed_size += len(out)
        writer.write(out)
        writer.flush()
        os.fsync(writer.fileno())
    return size, raw.hexdigest(), packed_size, packed.hexdigest()


def read_index(folder: Path) -> tuple[Dump, ...]:
    """The dumps ``folder`` holds, as its ``index.json`` lists them."""
    rows = json.loads((folder / INDEX).read_text())
    return tuple(Dump(**row) for row in rows)


def checksums(dumps: Iterable[Dump]) -> str:
    """A ``SHA256SUMS`` file (``sha256sum -c`` reads it)."""
    return "".join(f"{d.sha256}  {d.name}\n" for d in dumps)
