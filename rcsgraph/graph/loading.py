"""Read RDF files into graphs, turning every way a file can be unreadable into ``InputError``.

For now the graph of record is an rdflib ``Graph`` (ontology + data); the stores of a later
release are built from the same files through the same parser.
"""

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from rcsgraph import layout, resources
from rcsgraph.errors import InputError, ParseError
from rcsgraph.namespaces import PREFIXES
from rcsgraph.store.base import Store

#: RDF syntaxes we read, by file suffix (names of ``rcsgraph.store.base.RDF_FORMATS``).
FORMATS_BY_SUFFIX = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "jsonld",
    ".rdf": "xml",
    ".owl": "xml",
}

#: rdflib's parser for each syntax.
RDFLIB_PARSERS = {"jsonld": "json-ld"}


def rdf_format(path: Path) -> str:
    """The syntax of a file, chosen by its suffix."""
    try:
        return FORMATS_BY_SUFFIX[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS_BY_SUFFIX))
        raise InputError(f"{path}: unknown RDF file type (expected one of {known})") from None


def read_text(path: Path) -> str:
    """The UTF-8 text of an RDF file; a missing or undecodable file raises ``InputError``."""
    rdf_format(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(str(path), None, f"not UTF-8 text (byte {exc.start})") from None


def parse_into(graph: Graph, path: Path) -> Graph:
    """Parse one file into ``graph``; a missing or malformed file raises ``InputError``."""
    data = read_text(path)
    fmt = rdf_format(path)
    if fmt == "jsonld":
        refuse_remote_contexts(path, data)
    try:
        graph.parse(
            data=data, format=RDFLIB_PARSERS.get(fmt, fmt), publicID=path.resolve().as_uri()
        )
    except BadSyntax as exc:
        raise ParseError(str(path), exc.lines + 1, str(exc._why)) from None
    except (SyntaxError, ValueError) as exc:  # the XML, N-Triples and JSON-LD parsers
        raise ParseError(str(path), getattr(exc, "lineno", None), str(exc)) from None
    return graph


def refuse_remote_contexts(path: Path, data: str) -> None:
    """Refuse JSON-LD that names a context by IRI (or ``@import``s one): rdflib's parser would
    fetch it, over HTTP or from a ``file:`` IRI. A context must be embedded in the file."""
    try:
        document = json.loads(data)
    except ValueError as exc:
        raise ParseError(str(path), getattr(exc, "lineno", None), str(exc)) from None
    remote = _remote_context(document)
    if remote is not None:
        raise InputError(
            f"{path}: the JSON-LD names the context {remote!r}; rcsgraph never fetches a "
            "context: embed it in the file"
        )


def _remote_context(node: Any) -> str | None:
    if isinstance(node, list):
        return next((r for r in map(_remote_context, node) if r is not None), None)
    if not isinstance(node, dict):
        return None
    contexts = node.get("@context")
    for context in contexts if isinstance(contexts, list) else [contexts]:
        if isinstance(context, str):
            return context
        if isinstance(context, dict):
            if isinstance(context.get("@import"), str):
                return str(context["@import"])
            scoped = _remote_context(list(context.values()))  # contexts of term definitions
            if scoped is not None:
                return scoped
    return _remote_context([v for k, v in node.items() if k != "@context"])


def new_graph(triples: Iterable[tuple[Node, Node, Node]] = ()) -> Graph:
    """A graph of ``triples`` (none by default) with the project's prefixes bound."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    for triple in triples:
        graph.add(triple)
    return graph


def load_graph(paths: Iterable[Path]) -> Graph:
    """One graph holding every triple of ``paths``."""
    graph = new_graph()
    for path in paths:
        parse_into(graph, path)
    return graph


def knowledge_graph(data: Sequence[Path] | None = None) -> Graph:
    """The ontology merged with ``data`` (default: the bundled data files)."""
    files = list(data) if data else resources.data_files()
    return load_graph([resources.ontology_file(), *files])


def knowledge_dataset(data: Sequence[Path] | None = None) -> Dataset:
    """The same content as ``knowledge_graph`` with one named graph per file."""
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True)
    parse_into(dataset.graph(URIRef(layout.ONTOLOGY_GRAPH)), resources.ontology_file())
    for path in list(data) if data else resources.data_files():
        parse_into(dataset.graph(URIRef(layout.data_graph(path))), path)
    return dataset


def fill_store(store: Store, data: Sequence[Path] | None = None) -> None:
    """Load the ontology and ``data`` (default: the bundled data) into their named graphs.

    Files are checked by rdflib's parser first, so a syntax error reads the same whatever the
    backend (``file:line: reason``).
    """
    files = list(data) if data else resources.data_files()
    for path in files:
        load_graph([path])
    store.load(resources.ontology_file().read_bytes(), "turtle", layout.ONTOLOGY_GRAPH)
    for path in files:
        store.load(read_text(path).encode("utf-8"), rdf_format(path), layout.data_graph(path))
