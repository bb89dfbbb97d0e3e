"""Build and extend the on-disk store: what ``rcsgraph load`` and ``rcsgraph add`` do.

Both write a new generation beside the current one (``rcsgraph.store.generations``), validate
it, and publish it only when it conforms; a refused or interrupted build changes nothing stored.
"""

import hashlib
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, TextIO

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD

from rcsgraph import layout, resources
from rcsgraph.errors import InputError, NotConforming, ParseError
from rcsgraph.graph.bundle_validation import validate_bundle
from rcsgraph.graph.evidence import read_source_texts
from rcsgraph.graph.loading import load_graph, rdf_format
from rcsgraph.graph.report import Report
from rcsgraph.graph.validation import shapes_graph, validate_graph
from rcsgraph.store import generations
from rcsgraph.store.oxigraph import FORMATS, OxigraphStore

#: Called as the input is read: (file name, bytes read, total bytes).
Progress = Callable[[str, int, int], None]
#: Writes what is derived from a new generation into a folder (``rcsgraph.publish.derive``):
#: ``derive(store, folder, previous_generation, changed_graphs)``, ``changed_graphs`` None when
#: the whole store was rebuilt (``load``), else the named graphs ``add`` wrote.
Derive = Callable[[OxigraphStore, Path, Path | None, list[str] | None], None]

SPDX = "http://spdx.org/rdf/terms#"


class Refused(NotConforming):
    """A build whose result does not conform; carries the validation report."""

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__(f"refused: {report.count('Violation')} violations, nothing was changed")


@dataclass(frozen=True)
class Outcome:
    """What a build published."""

    generation: Path
    quads: int
    graphs: list[str]
    report: Report


def load(
    path: Path,
    data: Sequence[Path] | None = None,
    progress: Progress | None = None,
    validate: bool = True,
    derive: Derive | None = None,
) -> Outcome:
    """Rebuild the store at ``path`` from the ontology, ``data`` and every bundle added before;
    ``derive(store, folder)`` writes what is derived from it (``rcsgraph.publish.derive``)."""
    files = [resources.ontology_file(), *(list(data) if data else resources.data_files())]
    for file in files:
        _check_readable(file)
    sources = {file: _graph_for(file) for file in files}
    return _publish(path, sources, progress, validate=validate, derive=derive)


def add(
    path: Path,
    bundles: Sequence[Path],
    progress: Progress | None = None,
    derive: Derive | None = None,
) -> Outcome:
    """Add article bundles to the store at ``path``, each as its own named graph (``derive``:
    as for ``load``)."""
    if generations.current_generation(path) is None:
        raise InputError(f"{path}: no store here (build one with `rcsgraph load --store {path}`)")
    for bundle in bundles:
        load_graph([bundle])  # every syntax error is reported before anything is built
    names = [layout.bundle_graph(b) for b in bundles]
    with generations.open_store(path) as stored:
        taken = set(stored.graphs()) & set(names)
    if taken or len(set(names)) != len(names):
        clash = ", ".join(sorted(taken) or names)
        raise InputError(f"a bundle with that name is already in the store: {clash}")
    sources = dict(zip(bundles, names, strict=True))
    return _publish(path, sources, progress, validate=True, derive=derive, incremental=True)


def _publish(
    path: Path,
    sources: dict[Path, str],
    progress: Progress | None,
    validate: bool,
    derive: Derive | None,
    incremental: bool = False,
) -> Outcome:
    outcome: dict[str, Report] = {"report": Report()}

    def fill(store: OxigraphStore, previous: Path | None) -> None:
        if previous is not None and not incremental:  # an add starts from a copy of it
            _copy_graphs(previous, store)
        for file, graph in sources.items():
            load_file(store, file, graph, progress)
        if incremental:
            _record_provenance(store, sources)
        if validate:
            before = previous if incremental else None
            outcome["report"] = _validate(store, path, sources, before)

    changed = [*sources.values(), layout.PROVENANCE_GRAPH] if incremental else None

    def derived(store: OxigraphStore, folder: Path, previous: Path | None) -> None:
        if derive is not None:
            derive(store, folder, previous, changed)

    generation = generations.write_generation(path, fill, derived, from_previous=incremental)
    with generations.open_store(path) as published:
        quads, graphs = published.count(), published.graphs()
    return Outcome(generation, quads, graphs, outcome["report"])


def load_file(store: OxigraphStore, file: Path, graph: str, progress: Progress | None) -> None:
    """Stream one RDF file into named ``graph`` (quads of TriG/N-Quads are flattened into it)."""
    fmt = FORMATS[rdf_format(file)]
    total = file.stat().st_size
    target = ox.NamedNode(graph)
    with file.open("rb") as raw:
        reader = _CountingReader(raw, lambda done: progress and progress(file.name, done, total))
        parsed = ox.parse(reader, fmt, base_iri=file.resolve().as_uri())  # type: ignore[arg-type]
        quads = (ox.Quad(q.subject, q.predicate, q.object, target) for q in parsed)
        try:
            store.bulk_load(quads)
        except SyntaxError as exc:
            raise ParseError(str(file), None, str(exc)) from None


def _validate(
    store: OxigraphStore, path: Path, sources: dict[Path, str], previous: Path | None
) -> Report:
    """Validate the new generation: all of it, or, when it only adds ``sources`` to the
    ``previous`` generation, what they add and what that touches (``validate_bundle``: the same
    report, without reading a large store into memory)."""
    folders = [*dict.fromkeys(f.resolve().parent for f in sources), generations.texts_folder(path)]
    if previous is None:
        graph = union_graph(store)
        report = validate_graph(graph, shapes_graph(), folders)
    else:
        graph = Graph()
        for name in [*sources.values(), layout.PROVENANCE_GRAPH]:
            graph.parse(data=store.export("nt", name), format="nt")
        with OxigraphStore(previous, read_only=True) as stored:
            report = validate_bundle(stored, graph, folders, shapes_graph())
    if not report.conforms:
        raise Refused(report)
    texts, _ = read_source_texts(graph, folders)
    for text in texts.values():
        data = text.encode("utf-8")
        generations.save_text(path, hashlib.sha256(data).hexdigest(), data)
    return report


def union_graph(store: OxigraphStore) -> Graph:
    """Every triple of the store in one rdflib graph (the union default graph)."""
    graph = Graph()
    for name in store.graphs():
        graph.parse(data=store.export("nt", name), format="nt")
    return graph


def _copy_graphs(previous: Path, store: OxigraphStore) -> None:
    """Carry over what the files do not rebuild: added bundles and their provenance."""
    with OxigraphStore(previous, read_only=True) as old:
        for name in old.graphs():
            if name.startswith(layout.BUNDLE_BASE) or name == layout.PROVENANCE_GRAPH:
                store.load(old.export("nt", name), "nt", name)


def _record_provenance(store: OxigraphStore, bundles: dict[Path, str]) -> None:
    graph = Graph()
    now = Literal(datetime.now(UTC).isoformat(timespec="seconds"), datatype=XSD.dateTime)
    for file, name in bundles.items():
        node, checksum = URIRef(name), URIRef(name + "#sha256")
        graph.add((node, RDF.type, PROV.Entity))
        graph.add((node, DCTERMS.source, Literal(file.name)))
        graph.add((node, PROV.generatedAtTime, now))
        graph.add((node, URIRef(SPDX + "checksum"), checksum))
        graph.add((checksum, URIRef(SPDX + "algorithm"), URIRef(SPDX + "checksumAlgorithm_sha256")))
        digest = hashlib.sha256(file.read_bytes()).hexdigest()
        graph.add((checksum, URIRef(SPDX + "checksumValue"), Literal(digest)))
    store.load(graph.serialize(format="nt", encoding="utf-8"), "nt", layout.PROVENANCE_GRAPH)


def _graph_for(file: Path) -> str:
    if file == resources.ontology_file():
        return layout.ONTOLOGY_GRAPH
    return layout.data_graph(file)


def _check_readable(file: Path) -> None:
    rdf_format(file)
    if not file.is_file():
        raise InputError(f"{file}: no such file")


class _CountingReader:
    """A binary file that reports how far it has been read."""

    def __init__(self, raw: BinaryIO, report: Callable[[int], object]) -> None:
        self.raw, self.report, self.done = raw, report, 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        self.done += len(chunk)
        self.report(self.done)
        return chunk


def progress_bar(out: TextIO = sys.stderr, every: float = 0.2) -> Progress | None:
    """A one-line progress bar per file on a terminal (None elsewhere)."""
    if not out.isatty():
        return None
    state: dict[str, object] = {"name": "", "at": 0.0, "finished": False}

    def draw(name: str, done: int, total: int) -> None:
        finished = done >= total
        if name == state["name"]:
            recent = time.monotonic() - float(state["at"]) < every  # type: ignore[arg-type]
            if state["finished"] or (recent and not finished):
                return
        state.update(name=name, at=time.monotonic(), finished=finished)
        share = done / total if total else 1.0
        out.write(f"\r{name:<24.24} [{'#' * int(share * 30):<30}] {share:4.0%}")
        out.write(f" {done / 1e6:8.1f} MB" + ("\n" if finished else ""))
        out.flush()

    return draw
