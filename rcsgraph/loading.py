"""Read RDF files into graphs, turning every way a file can be unreadable into ``InputError``.

For now the graph of record is an rdflib ``Graph`` (ontology + data); the stores of a later
release are built from the same files through the same parser.
"""

from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from rcsgraph import resources
from rcsgraph.errors import InputError, ParseError
from rcsgraph.namespaces import PREFIXES

#: RDF syntaxes we read, by file suffix.
FORMATS_BY_SUFFIX = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
}

#: Named graph of each bundled file in a dataset: ``…/graph/{file stem}``.
GRAPH_BASE = "https://w3id.org/rcsgraph/graph/"


def rdf_format(path: Path) -> str:
    """The rdflib parser name for a file, chosen by its suffix."""
    try:
        return FORMATS_BY_SUFFIX[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS_BY_SUFFIX))
        raise InputError(f"{path}: unknown RDF file type (expected one of {known})") from None


def parse_into(graph: Graph, path: Path) -> Graph:
    """Parse one file into ``graph``; a missing or malformed file raises ``InputError``."""
    fmt = rdf_format(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        data = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(str(path), None, f"not UTF-8 text (byte {exc.start})") from None
    try:
        graph.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        raise ParseError(str(path), exc.lines + 1, str(exc._why)) from None
    except (SyntaxError, ValueError) as exc:  # the XML, N-Triples and JSON-LD parsers
        raise ParseError(str(path), getattr(exc, "lineno", None), str(exc)) from None
    return graph


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
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
    files = list(data) if data else resources.data_files()
    for path in [resources.ontology_file(), *files]:
        parse_into(dataset.graph(URIRef(GRAPH_BASE + path.stem)), path)
    return dataset
