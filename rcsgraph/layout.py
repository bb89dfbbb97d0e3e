"""The named graphs of the dataset and what goes in each.

- ``graph/ontology`` - the ontology (``ontology/rcs.ttl``);
- ``graph/{stem}`` - each bundled data file (``graph/article``, ``graph/links``);
- ``graph/bundle/{name}`` - each article bundle added with ``rcsgraph add``;
- ``graph/provenance`` - when, from which file and with which checksum each bundle was added.

The default graph of every query is the union of these (see ``rcsgraph.store.base``).
"""

import re
from pathlib import Path

GRAPH_BASE = "https://w3id.org/rcsgraph/graph/"
ONTOLOGY_GRAPH = GRAPH_BASE + "ontology"
PROVENANCE_GRAPH = GRAPH_BASE + "provenance"
BUNDLE_BASE = GRAPH_BASE + "bundle/"


def data_graph(path: Path) -> str:
    """The named graph of a bundled data file."""
    return GRAPH_BASE + slug(path.stem)


def bundle_graph(path: Path) -> str:
    """The named graph of an added bundle, named after its file."""
    return BUNDLE_BASE + slug(path.stem)


def slug(text: str) -> str:
    """Lower-case ASCII letters, digits and hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "unnamed"
